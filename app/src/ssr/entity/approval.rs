use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "approvals")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub uuid: Uuid,
    pub deal_id: i32,
    /// stage_move | quote | contract | concession | negotiation
    pub kind: String,
    pub requested_by: i32,
    pub approver_id: Option<i32>,
    pub from_stage_id: Option<i32>,
    pub to_stage_id: Option<i32>,
    pub reason: Option<String>,
    /// pending | approved | rejected | withdrawn
    pub status: String,
    pub decided_by: Option<i32>,
    pub decided_at: Option<DateTimeUtc>,
    pub comment: Option<String>,
    /// What happened when an approval was carried out: moved | blocked | forbidden | conflict
    pub result: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    /// The quote a `quote` request decides.
    pub quote_id: Option<i32>,
    /// The contract a `contract` request decides one step of.
    pub contract_id: Option<i32>,
    /// The step's position in the contract's chain (0-based).
    pub step: Option<i32>,
    /// The contract's submission round the step belongs to.
    pub round: Option<i32>,
    /// The negotiation a `concession` or `negotiation` request belongs to.
    pub negotiation_id: Option<i32>,
    /// The concession past a bottom line a `concession` request decides.
    pub concession_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
