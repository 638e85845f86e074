use sea_orm::entity::prelude::*;

/// Open and won deals summed per forecast cell (`domain::forecast::CellKey`); see the migration.
/// Categories are '' for none (primary-key columns cannot be NULL in PostgreSQL).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "forecast_cells")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub team_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub owner_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub pipeline_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub stage_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub close_month: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub won_month: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub owner_category: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub manager_category: String,
    pub n: i64,
    pub amount_fen: i64,
    pub weighted_fen: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
