use sea_orm::entity::prelude::*;

/// Append-only: rows are inserted, never updated or deleted.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deal_history")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub deal_id: i32,
    pub at: DateTimeUtc,
    pub actor_id: Option<i32>,
    /// created | moved | amount_changed | close_date_changed | blocked | forbidden | approval_requested
    pub kind: String,
    pub from_stage_id: Option<i32>,
    pub to_stage_id: Option<i32>,
    pub old_amount_fen: Option<i64>,
    pub new_amount_fen: Option<i64>,
    pub old_close_date: Option<Date>,
    pub new_close_date: Option<Date>,
    pub note: Option<String>,
    pub approval_id: Option<i32>,
    /// The deal's state after a value event (created, moved, amount/close-date changed):
    /// progress sums what each event changed in SQL (migration 000010). None on other kinds.
    pub after_stage_id: Option<i32>,
    pub after_amount_fen: Option<i64>,
    pub after_close_date: Option<Date>,
    pub after_entered_at: Option<DateTimeUtc>,
    /// When the deal had entered the stage a move left.
    pub before_entered_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
