use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contract_milestones")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub contract_id: i32,
    pub position: i32,
    /// `contract::MilestoneKind` code
    pub name: String,
    pub due_on: Option<Date>,
    /// When the milestone falls due if not on a date ("on acceptance").
    pub trigger_text: Option<String>,
    /// amount | percent
    pub share_kind: String,
    /// fen, or basis points of the contract amount
    pub share_value: i64,
    pub amount_fen: i64,
    pub received_fen: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
