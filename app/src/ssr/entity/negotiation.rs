use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "negotiations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub uuid: Uuid,
    pub deal_id: i32,
    pub lowest_price_fen: Option<i64>,
    pub longest_payment_days: Option<i32>,
    /// Clauses we never give, in words.
    pub never_give: Option<String>,
    /// JSON list of `negotiation::Interest` (per key person on the committee map).
    pub interests: String,
    pub strategy: Option<String>,
    pub alternatives: Option<String>,
    /// `negotiation::NegotiationStatus` code
    pub status: String,
    /// The agreed result sent for confirmation, in words.
    pub result: Option<String>,
    /// How many times the result was sent for confirmation.
    pub round: i32,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
