use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub uuid: Uuid,
    pub name: String,
    pub account_id: i32,
    pub owner_id: i32,
    pub team_id: i32,
    pub pipeline_id: i32,
    pub stage_id: i32,
    pub amount_fen: i64,
    pub currency: String,
    pub close_date: Date,
    pub forecast_category: Option<String>,
    /// A manager's adjustment of the category; the owner's choice stays beside it.
    pub manager_category: Option<String>,
    pub lost_reason: Option<String>,
    pub winner: Option<String>,
    pub stage_entered_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
