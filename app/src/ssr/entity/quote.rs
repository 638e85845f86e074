use sea_orm::entity::prelude::*;

/// One revision of a quote. Totals are computed by `domain::quote::price` on every save and
/// stored, so lists and the approval rules read them without the lines; they are frozen once
/// the quote leaves draft.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "quotes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub uuid: Uuid,
    pub deal_id: i32,
    pub year: i32,
    pub seq: i64,
    /// 1 for the first version; a revision keeps year and seq.
    pub revision: i32,
    pub number: String,
    pub base_number: String,
    /// `QuoteStatus` code (never `expired`: that is derived from `valid_until`)
    pub status: String,
    pub contact_id: Option<i32>,
    pub currency: String,
    pub valid_until: Date,
    pub payment_terms: Option<String>,
    pub delivery_terms: Option<String>,
    pub notes: Option<String>,
    /// none | percent | amount
    pub header_discount_kind: String,
    /// Basis points or fen, by kind.
    pub header_discount_value: i64,
    pub list_fen: i64,
    pub lines_net_fen: i64,
    pub header_discount_fen: i64,
    pub net_fen: i64,
    pub tax_fen: i64,
    pub gross_fen: i64,
    pub cost_fen: i64,
    pub margin_fen: i64,
    pub margin_bp: i64,
    pub discount_bp: i64,
    /// Who must approve (`Approver` code), set at submission.
    pub approver: Option<String>,
    /// JSON list of `Reason`, set at submission.
    pub reasons: Option<String>,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub submitted_at: Option<DateTimeUtc>,
    pub decided_at: Option<DateTimeUtc>,
    pub sent_at: Option<DateTimeUtc>,
    /// Accepted or declined by the customer.
    pub closed_at: Option<DateTimeUtc>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
