use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contracts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub uuid: Uuid,
    pub deal_id: i32,
    /// The accepted quote it was drafted from.
    pub quote_id: Option<i32>,
    /// yyyymm of the number's month.
    pub period: i32,
    pub seq: i64,
    /// `HT-YYYYMM###`
    pub number: String,
    /// `contract::ContractType` code
    pub kind: String,
    pub party_a: String,
    pub party_b: String,
    pub amount_fen: i64,
    pub currency: String,
    pub payment_terms: Option<String>,
    pub delivery_terms: Option<String>,
    pub acceptance_terms: Option<String>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    /// `contract::ContractStatus` code
    pub status: String,
    /// The chain fixed at submission: a JSON list of `Approver` codes.
    pub steps: Option<String>,
    /// How many times it was submitted; approvals of this round decide it.
    pub round: i32,
    pub reject_reason: Option<String>,
    pub signed_on: Option<Date>,
    pub signatory: Option<String>,
    /// paper | e_seal
    pub sign_method: Option<String>,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    /// 0 for the original, n for its n-th amendment.
    pub revision: i32,
    /// The signed contract this amendment replaces once it is signed.
    pub supersedes_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
