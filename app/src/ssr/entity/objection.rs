use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "objections")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub uuid: Uuid,
    pub deal_id: i32,
    pub raised_on: Date,
    /// `objection::Category` code
    pub category: String,
    pub raised_by_contact_id: Option<i32>,
    pub said: String,
    pub demand: Option<String>,
    pub strategy: Option<String>,
    pub owner_id: i32,
    pub due_on: Option<Date>,
    pub resolved_on: Option<Date>,
    pub feedback: Option<String>,
    /// `objection::Status` code
    pub status: String,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
