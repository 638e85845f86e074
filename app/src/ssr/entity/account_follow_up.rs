use sea_orm::entity::prelude::*;

/// The call a won deal's delivery owes its customer within three working days (seed 003).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account_follow_ups")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub uuid: Uuid,
    pub account_id: i32,
    pub deal_id: i32,
    pub owner_id: i32,
    pub due_on: Date,
    pub done_on: Option<Date>,
    /// The revisit that recorded it.
    pub revisit_id: Option<i32>,
    pub accepted: Option<bool>,
    pub created_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
