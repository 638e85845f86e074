use sea_orm::entity::prelude::*;

/// An account's history (migration 000022): edits, merges and contact changes, written by
/// `service::account::history` only.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account_history")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub account_id: i32,
    /// `profile::AccountEvent` code.
    pub event: String,
    /// JSON list of `profile::Change` (empty for a merge).
    pub changes: String,
    /// JSON `profile::MergeSummary` of a merge.
    pub merged: Option<String>,
    /// JSON `contact::ContactNote` of a contact's event (migration 000026).
    pub contact: Option<String>,
    pub actor_id: i32,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
