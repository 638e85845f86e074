//! Contract wire types: what the pages, the server functions and REST exchange.
use super::{Ageing, Approver, ContractStatus, ContractType, MilestoneKind, Share, SignMethod};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A payment milestone as the editor sends it: a due date or a trigger, and a fixed amount
/// or a percentage of the contract.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MilestoneInput {
    pub kind: MilestoneKind,
    #[serde(default)]
    pub due_on: Option<NaiveDate>,
    /// "on acceptance of phase 1": when it falls due if there is no date yet.
    #[serde(default)]
    pub trigger: Option<String>,
    pub share: Share,
}

/// The contract's terms, written whole (the editor's "save"; REST PUT). Party A, party B
/// and the amount default from the deal's account, the company and the accepted quote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractDraft {
    pub kind: ContractType,
    #[serde(default)]
    pub party_a: Option<String>,
    #[serde(default)]
    pub party_b: Option<String>,
    #[serde(default)]
    pub amount_fen: Option<i64>,
    #[serde(default)]
    pub payment_terms: Option<String>,
    #[serde(default)]
    pub delivery_terms: Option<String>,
    #[serde(default)]
    pub acceptance_terms: Option<String>,
    #[serde(default)]
    pub starts_on: Option<NaiveDate>,
    #[serde(default)]
    pub ends_on: Option<NaiveDate>,
    #[serde(default)]
    pub milestones: Vec<MilestoneInput>,
}

/// Signing an approved contract.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInput {
    pub signed_on: NaiveDate,
    pub signatory: String,
    pub method: SignMethod,
}

/// Money received against a milestone (1-based position on the contract).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptInput {
    pub milestone: i32,
    pub received_on: NaiveDate,
    pub amount_fen: i64,
    #[serde(default)]
    pub reference: Option<String>,
}

/// Where one step of the chain stands in the current round.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepState {
    /// Not reached yet.
    Waiting,
    Pending,
    Approved,
    Rejected,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepView {
    pub position: i32,
    pub approver: Approver,
    /// The person it is (or was) routed to.
    pub who: Option<String>,
    pub state: StepState,
    pub opinion: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// The approval request, when the step has one (the inbox decides it).
    pub approval_id: Option<uuid::Uuid>,
}

/// A step decided in an earlier round (a rejection and what came before it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PastStep {
    pub round: i32,
    pub approver: Approver,
    pub who: Option<String>,
    pub approved: bool,
    pub opinion: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MilestoneView {
    pub position: i32,
    pub kind: MilestoneKind,
    pub due_on: Option<NaiveDate>,
    pub trigger: Option<String>,
    pub share: Share,
    pub amount_fen: i64,
    pub received_fen: i64,
    /// Days past due with money still owed (0: not overdue).
    pub overdue_days: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptView {
    pub id: uuid::Uuid,
    pub milestone: i32,
    pub received_on: NaiveDate,
    pub amount_fen: i64,
    pub reference: Option<String>,
    pub recorded_by: String,
}

/// Another version of the same contract: the one an amendment replaces, or the amendment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractLink {
    pub id: uuid::Uuid,
    pub number: String,
    pub status: ContractStatus,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractView {
    pub id: uuid::Uuid,
    pub deal_id: uuid::Uuid,
    pub deal_name: String,
    pub account: String,
    pub quote_number: Option<String>,
    pub number: String,
    pub kind: ContractType,
    pub party_a: String,
    pub party_b: String,
    pub amount_fen: i64,
    pub currency: String,
    pub payment_terms: Option<String>,
    pub delivery_terms: Option<String>,
    pub acceptance_terms: Option<String>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub status: ContractStatus,
    pub round: i32,
    /// The chain of the current round (or the chain it would take, for a draft).
    pub steps: Vec<StepView>,
    pub history: Vec<PastStep>,
    pub reject_reason: Option<String>,
    pub signed_on: Option<NaiveDate>,
    pub signatory: Option<String>,
    pub sign_method: Option<SignMethod>,
    pub milestones: Vec<MilestoneView>,
    pub receipts: Vec<ReceiptView>,
    pub received_fen: i64,
    /// Whether the viewer may edit, submit, sign and record receipts (the deal's quote work).
    pub may_work: bool,
    /// The pending step's approval when it is routed to the viewer.
    pub my_approval: Option<uuid::Uuid>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub version: i32,
    /// 0 for the original, n for its n-th amendment.
    #[serde(default)]
    pub revision: i32,
    /// The signed contract this amendment replaces (once signed).
    #[serde(default)]
    pub supersedes: Option<ContractLink>,
    /// The amendment under way or signed for this contract.
    #[serde(default)]
    pub amended_by: Option<ContractLink>,
}

/// A line of a contract list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractRow {
    pub id: uuid::Uuid,
    pub number: String,
    pub deal_id: uuid::Uuid,
    pub deal_name: String,
    pub account: String,
    pub owner: String,
    pub kind: ContractType,
    pub amount_fen: i64,
    pub status: ContractStatus,
    /// The step it waits for, in review.
    pub waiting_for: Option<Approver>,
    pub waiting_for_me: bool,
    pub received_fen: i64,
    pub overdue_fen: i64,
    pub signed_on: Option<NaiveDate>,
    pub updated_at: DateTime<Utc>,
}

/// Filters of `/contracts`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractFilter {
    #[serde(default)]
    pub status: Option<ContractStatus>,
    #[serde(default)]
    pub kind: Option<ContractType>,
    /// Only those whose pending step is routed to the viewer.
    #[serde(default)]
    pub mine: bool,
    /// Only signed contracts with an overdue milestone.
    #[serde(default)]
    pub overdue: bool,
}

/// One customer's overdue money.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverdueCustomer {
    pub account: String,
    pub overdue_fen: i64,
    pub oldest_days: i64,
}

/// One milestone with money owed, for the drill-down and its CSV.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivableRow {
    pub contract_id: uuid::Uuid,
    pub number: String,
    pub account: String,
    pub owner: String,
    pub team: String,
    pub milestone: i32,
    pub kind: MilestoneKind,
    pub due_on: Option<NaiveDate>,
    pub due_fen: i64,
    pub received_fen: i64,
    pub overdue_days: i64,
}

/// Receivables of the signed contracts the viewer sees.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receivables {
    /// Milestones falling due this quarter.
    pub billed_quarter_fen: i64,
    /// Receipts dated this quarter.
    pub received_quarter_fen: i64,
    /// Everything signed and not yet received, by age.
    pub ageing: Ageing,
    pub top_overdue: Vec<OverdueCustomer>,
    /// Overdue per owner: (name, team, fen), largest first.
    pub by_owner: Vec<(String, String, i64)>,
    /// Per team the viewer sees (every team for those who see all, a team owing nothing
    /// included), most overdue first. They add up to `ageing`, the company's total.
    #[serde(default)]
    pub by_team: Vec<TeamReceivable>,
    /// What the signed contracts on the deals the viewer owns still owe (the rep's home).
    #[serde(default)]
    pub mine: MyReceivables,
}

/// One team's receivables: all still owed on its signed contracts (due − received), the
/// overdue part of it and the part more than 90 days late.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamReceivable {
    pub team: String,
    pub owed_fen: i64,
    pub overdue_fen: i64,
    pub over_90_fen: i64,
}

/// The viewer's own receivables: the signed contracts on the deals they own.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyReceivables {
    pub owed_fen: i64,
    pub overdue_fen: i64,
    /// Milestones past due with money still owed.
    pub overdue_milestones: u32,
}

/// What the approvals inbox shows of a contract step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractBrief {
    pub id: uuid::Uuid,
    pub number: String,
    pub kind: ContractType,
    pub amount_fen: i64,
    pub step: Approver,
    /// 1-based position of the step and the chain's length.
    pub step_no: i32,
    pub steps: i32,
    pub milestones: i32,
}
