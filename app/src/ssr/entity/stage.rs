use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub uuid: Uuid,
    pub pipeline_id: i32,
    pub position: i32,
    pub name_en: String,
    pub name_zh: String,
    pub win_rate_pct: i32,
    /// open | won | lost
    pub kind: String,
    pub playbook_en: String,
    pub playbook_zh: String,
    /// Days in this stage after which a deal counts as stuck.
    pub stuck_days: i32,
    /// Target % of deals in this stage that reach the next one (ideal funnel).
    pub target_conversion_pct: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
