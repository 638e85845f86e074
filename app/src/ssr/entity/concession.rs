use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "concessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub uuid: Uuid,
    pub negotiation_id: i32,
    /// Order on the ladder, from 1.
    pub position: i32,
    pub made_on: Date,
    /// `negotiation::Clause` code
    pub clause: String,
    /// amount | percent | days | text
    pub given_kind: String,
    pub given_value: Option<i64>,
    pub given_text: Option<String>,
    /// What we got in return.
    pub got: Option<String>,
    /// Our position on the clause after it (price in fen, payment term in days).
    pub position_after: Option<i64>,
    /// none | pending | approved | rejected: the general manager's word on a crossed line.
    pub gm_status: String,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
