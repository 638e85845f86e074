use sea_orm::entity::prelude::*;

/// What one local day's value events changed in one quarter's forecast + won, per team, owner
/// and contribution kind (see the `progress_days` migration). Derived.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "progress_days")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub scope: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub team_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub owner_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub cls: String,
    pub fen: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
