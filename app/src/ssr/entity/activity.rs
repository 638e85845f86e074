use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "activities")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub uuid: Uuid,
    pub deal_id: i32,
    /// `activity::ActivityKind` code
    pub kind: String,
    pub at: DateTimeUtc,
    /// Only the local day is known; `at` is its local midnight.
    pub all_day: bool,
    pub recorded_at: DateTimeUtc,
    pub author_id: i32,
    pub channel: Option<String>,
    pub people: Option<String>,
    pub summary: String,
    pub satisfaction: Option<i16>,
    pub new_needs: Option<String>,
    pub next_action: Option<String>,
    pub next_owner_id: Option<i32>,
    pub next_due: Option<Date>,
    pub next_done: bool,
    /// Entered more than 24 h after the activity (`activity::is_late`, decided at write time).
    pub late: bool,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
