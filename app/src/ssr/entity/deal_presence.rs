use sea_orm::entity::prelude::*;

/// Heartbeats of users viewing a deal page.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deal_presence")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub deal_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i32,
    pub seen_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
