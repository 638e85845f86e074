use sea_orm::entity::prelude::*;

/// The organisation's account rules (one row, id 1): the contact cadence per grade as JSON
/// (`cadence::Cadence`), the target market and the capacity plan. No row means the shipped defaults.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account_policy")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    pub cadence: String,
    /// `target::TargetMarket` as JSON; `None`: seed 000's example.
    pub target_market: Option<String>,
    /// `cadence::CapacityPlan` as JSON; `None`: seed 000's plan.
    pub capacity_plan: Option<String>,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
