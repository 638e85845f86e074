//! Negotiation wire types: the plan, a session, a concession, and the whole view.
use super::{Clause, Given, NegotiationStatus, Warning};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// What one key person on the committee map cares about (pre-filled from the map's role).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interest {
    pub contact_id: uuid::Uuid,
    pub cares: String,
}

/// The plan before the table: bottom lines, interests, strategy and alternatives.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanInput {
    #[serde(default)]
    pub lowest_price_fen: Option<i64>,
    #[serde(default)]
    pub longest_payment_days: Option<i32>,
    #[serde(default)]
    pub never_give: Option<String>,
    #[serde(default)]
    pub interests: Vec<Interest>,
    #[serde(default)]
    pub strategy: Option<String>,
    #[serde(default)]
    pub alternatives: Option<String>,
}

/// One clause as it stood after a session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClausePosition {
    pub clause: Clause,
    #[serde(default)]
    pub theirs: Option<String>,
    #[serde(default)]
    pub ours: Option<String>,
    #[serde(default)]
    pub agreed: Option<String>,
    /// Still open after the session.
    #[serde(default)]
    pub open: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInput {
    pub held_on: NaiveDate,
    pub channel: String,
    #[serde(default)]
    pub customer_people: Vec<uuid::Uuid>,
    #[serde(default)]
    pub our_people: Vec<uuid::Uuid>,
    #[serde(default)]
    pub positions: Vec<ClausePosition>,
    #[serde(default)]
    pub notes: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConcessionInput {
    pub made_on: NaiveDate,
    pub clause: Clause,
    pub given: Given,
    #[serde(default)]
    pub got: Option<String>,
    #[serde(default)]
    pub position_after: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterestView {
    pub contact_id: uuid::Uuid,
    pub name: String,
    pub title: Option<String>,
    /// The person's role on the map (decision maker, …) as its code.
    pub role: Option<String>,
    pub cares: String,
}

/// Someone who may sit at a session: a person on the deal's committee map (contact id, their
/// title, their role on the map as its code) or a member of the deal team (user id, no title,
/// their team role: owner, presales, pm, other).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub id: uuid::Uuid,
    pub name: String,
    pub title: Option<String>,
    pub role: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub id: uuid::Uuid,
    pub held_on: NaiveDate,
    pub channel: String,
    pub customer_people: Vec<String>,
    pub our_people: Vec<String>,
    pub positions: Vec<ClausePosition>,
    pub notes: Option<String>,
}

/// The general manager's word on a concession that crossed a bottom line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GmStatus {
    None,
    Pending,
    Approved,
    Rejected,
}

impl GmStatus {
    pub const fn code(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(code: &str) -> Self {
        match code {
            "pending" => Self::Pending,
            "approved" => Self::Approved,
            "rejected" => Self::Rejected,
            _ => Self::None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConcessionView {
    pub id: uuid::Uuid,
    pub position: i32,
    pub made_on: NaiveDate,
    pub clause: Clause,
    pub given: Given,
    pub got: Option<String>,
    pub position_after: Option<i64>,
    pub warnings: Vec<Warning>,
    pub gm: GmStatus,
    pub by: String,
}

/// One step of the result's confirmation (sales manager, then legal).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmStep {
    pub step: i32,
    pub who: Option<String>,
    /// pending | approved | rejected | waiting
    pub state: String,
    pub comment: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NegotiationView {
    pub id: uuid::Uuid,
    pub deal_id: uuid::Uuid,
    pub lowest_price_fen: Option<i64>,
    pub longest_payment_days: Option<i32>,
    pub never_give: Option<String>,
    pub interests: Vec<InterestView>,
    pub strategy: Option<String>,
    pub alternatives: Option<String>,
    pub status: NegotiationStatus,
    pub result: Option<String>,
    pub sessions: Vec<SessionView>,
    pub ladder: Vec<ConcessionView>,
    pub confirm: Vec<ConfirmStep>,
    /// The committee map's people, most influential first: whom a session's customer side
    /// may name.
    pub people: Vec<Participant>,
    /// The deal team, owner first: whom a session's our side may name.
    pub team: Vec<Participant>,
    pub may_work: bool,
    /// A pending approval (a concession or a confirmation step) routed to the viewer.
    pub my_approvals: Vec<uuid::Uuid>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}
