//! Quote and price-list wire types: what the pages, the server functions and REST exchange.
use super::{Approver, HeaderDiscount, QuoteStatus, Reason, Totals};
use crate::domain::product::ProductKind;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductRow {
    pub id: uuid::Uuid,
    pub code: String,
    pub name_en: String,
    pub name_zh: String,
    pub kind: ProductKind,
    pub unit_en: String,
    pub unit_zh: String,
    pub currency: String,
    pub list_price_fen: i64,
    pub tax_bp: i32,
    pub cost_fen: i64,
    pub active: bool,
    pub version: i32,
}

/// One line as the editor sends it. A product line takes code, description, unit, list
/// price, cost and tax rate from the price list unless given; a free-text line needs a
/// description, a unit and a price.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteLineInput {
    #[serde(default)]
    pub product_id: Option<uuid::Uuid>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub unit: Option<String>,
    /// Hundredths: 250 is 2.5.
    pub qty_centi: i64,
    /// None: the product's list price.
    #[serde(default)]
    pub unit_price_fen: Option<i64>,
    #[serde(default)]
    pub discount_bp: i32,
    /// None: the product's rate, or the policy's goods rate for a free-text line.
    #[serde(default)]
    pub tax_bp: Option<i32>,
}

/// The header and lines of a draft, written whole (the editor's "save"; REST PUT).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteDraft {
    /// A person on the deal's committee map.
    #[serde(default)]
    pub contact_id: Option<uuid::Uuid>,
    /// None: today plus the policy's validity days.
    #[serde(default)]
    pub valid_until: Option<NaiveDate>,
    #[serde(default)]
    pub payment_terms: Option<String>,
    #[serde(default)]
    pub delivery_terms: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    #[serde(default)]
    pub header_discount: HeaderDiscount,
    #[serde(default)]
    pub lines: Vec<QuoteLineInput>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteLineView {
    pub position: i32,
    pub product_id: Option<uuid::Uuid>,
    pub code: Option<String>,
    pub description: String,
    pub unit: String,
    pub qty_centi: i64,
    pub unit_price_fen: i64,
    pub list_price_fen: i64,
    pub discount_bp: i32,
    pub tax_bp: i32,
    pub cost_fen: i64,
    pub net_fen: i64,
    pub tax_fen: i64,
    pub gross_fen: i64,
}

/// A quote in a list: the deal's quotes tab, a revision list, the board badge.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteRow {
    pub id: uuid::Uuid,
    pub deal_id: uuid::Uuid,
    pub number: String,
    pub revision: i32,
    /// Effective: `expired` when the validity date has passed.
    pub status: QuoteStatus,
    pub net_fen: i64,
    pub gross_fen: i64,
    pub margin_bp: i64,
    pub discount_bp: i64,
    pub valid_until: NaiveDate,
    pub updated_at: DateTime<Utc>,
}

/// What the viewer may do with the quote now (the service decides; the page only shows).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteRights {
    pub edit: bool,
    pub submit: bool,
    pub decide: bool,
    pub send: bool,
    pub close: bool,
    pub revise: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteView {
    pub id: uuid::Uuid,
    pub deal_id: uuid::Uuid,
    pub deal_name: String,
    pub account: String,
    pub owner: String,
    pub number: String,
    pub revision: i32,
    pub status: QuoteStatus,
    pub contact_id: Option<uuid::Uuid>,
    pub contact: Option<String>,
    pub currency: String,
    pub valid_until: NaiveDate,
    pub payment_terms: Option<String>,
    pub delivery_terms: Option<String>,
    pub notes: Option<String>,
    pub header_discount: HeaderDiscount,
    pub lines: Vec<QuoteLineView>,
    pub totals: Totals,
    /// Set at submission: who must approve and why.
    pub approver: Option<Approver>,
    pub reasons: Vec<Reason>,
    /// The pending (or last) approval request of this revision.
    pub approval_id: Option<uuid::Uuid>,
    pub approver_name: Option<String>,
    pub decision_comment: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    /// Every revision of this quote, oldest first (this one included).
    pub revisions: Vec<QuoteRow>,
    pub rights: QuoteRights,
    pub version: i32,
}

impl QuoteView {
    /// The quote as a draft (lines keep their words, prices, discounts and tax rates): the base
    /// a partial update (REST PATCH) overlays. Saving it refreshes product lines' list price
    /// and cost from the price list, as every save of a draft does.
    pub fn draft(&self) -> QuoteDraft {
        QuoteDraft {
            contact_id: self.contact_id,
            valid_until: Some(self.valid_until),
            payment_terms: self.payment_terms.clone(),
            delivery_terms: self.delivery_terms.clone(),
            notes: self.notes.clone(),
            header_discount: self.header_discount,
            lines: self
                .lines
                .iter()
                .map(|l| QuoteLineInput {
                    product_id: l.product_id,
                    description: Some(l.description.clone()),
                    unit: Some(l.unit.clone()),
                    qty_centi: l.qty_centi,
                    unit_price_fen: Some(l.unit_price_fen),
                    discount_bp: l.discount_bp,
                    tax_bp: Some(l.tax_bp),
                })
                .collect(),
        }
    }
}

/// The customer's answer to a sent quote.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteOutcome {
    Accepted,
    Declined,
}

/// What an approver sees of a quote in the inbox: the figures and why it came to them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteBrief {
    pub id: uuid::Uuid,
    pub number: String,
    pub status: QuoteStatus,
    pub net_fen: i64,
    pub gross_fen: i64,
    pub discount_bp: i64,
    pub margin_bp: i64,
    pub approver: Option<Approver>,
    pub reasons: Vec<Reason>,
}

/// The quote policy as the admin page shows it: the approval thresholds (editable) and the
/// defaults new products and quotes take.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotePolicyView {
    pub manager_max_discount_bp: i32,
    pub margin_floor_bp: i32,
    pub goods_tax_bp: i32,
    pub services_tax_bp: i32,
    pub validity_days: i32,
    pub version: i32,
}
