use sea_orm::entity::prelude::*;

/// A refused row of an import (migration 000025): its cells as read and why.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "import_rejects")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub job_id: i32,
    /// The row's line in the file (1 = the header).
    pub line: i32,
    /// JSON array of the row's cells.
    pub cells: String,
    /// `domain::import::Field` code, when the refusal is about one column.
    pub field: Option<String>,
    /// JSON of `domain::import::cells::Problem`.
    pub problem: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
