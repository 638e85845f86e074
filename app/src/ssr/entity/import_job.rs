use sea_orm::entity::prelude::*;

/// One uploaded file on its way in (migration 000025). Written by `service::import` only.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "import_jobs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub uuid: Uuid,
    pub user_id: i32,
    /// `domain::import::Kind` code.
    pub kind: String,
    /// `domain::import::Format` code.
    pub format: String,
    pub file_name: String,
    /// `domain::import::Status` code.
    pub status: String,
    /// `domain::import::Mode` code, once started.
    pub mode: Option<String>,
    /// JSON array of the header row's cells.
    pub headers: String,
    /// JSON array, per header, of a `Field` code or null (not imported).
    pub mapping: String,
    pub total_rows: i64,
    pub processed: i64,
    pub imported: i64,
    pub rejected: i64,
    pub error: Option<String>,
    pub created_at: DateTimeUtc,
    /// Moves with every batch: a running job whose row stopped moving was interrupted.
    pub updated_at: DateTimeUtc,
    pub finished_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
