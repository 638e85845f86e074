use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deal_checklist_items")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub checklist_id: i32,
    pub position: i32,
    pub text_en: String,
    pub text_zh: String,
    pub done: bool,
    pub done_by: Option<i32>,
    pub done_at: Option<DateTimeUtc>,
    pub owner_id: Option<i32>,
    pub due: Option<Date>,
    pub note: Option<String>,
    pub link: Option<String>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
