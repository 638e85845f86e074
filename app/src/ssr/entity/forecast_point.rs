use sea_orm::entity::prelude::*;

/// A past point of the forecast trend for one viewer scope; see the migration.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "forecast_points")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub scope_key: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub at: DateTimeUtc,
    pub forecast_fen: i64,
    pub won_fen: i64,
    pub open_count: i64,
    pub won_count: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
