use sea_orm::entity::prelude::*;

/// One local day's value events as terms for the quarters two or more before theirs, per
/// team, owner, contribution kind, term and month (see the `progress_terms` migration and
/// `domain::forecast::far_terms`). Derived.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "progress_terms")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub team_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub owner_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub cls: String,
    /// "open" or "won".
    #[sea_orm(primary_key, auto_increment = false)]
    pub term: String,
    /// YYYYMM.
    #[sea_orm(primary_key, auto_increment = false)]
    pub month: i32,
    pub fen: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
