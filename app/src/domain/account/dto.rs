//! Account wire types: what the account page, the server functions and REST exchange.
use super::grading::{Answers, Reason};
use super::Grade;
use crate::domain::dto::ContactRow;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A grading as submitted: the questionnaire, and the grade chosen when it differs from the
/// rule's suggestion (then with the reason).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeInput {
    pub answers: Answers,
    #[serde(default)]
    pub chosen: Option<Grade>,
    #[serde(default)]
    pub reason: Option<String>,
}

/// One grading in the account's grade history, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeEntry {
    pub grade: Grade,
    pub suggested: Grade,
    pub decided_by: Vec<Reason>,
    pub answers: Option<Answers>,
    pub override_reason: Option<String>,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// Where a deal of the account stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountDeal {
    pub id: uuid::Uuid,
    pub name: String,
    /// The stage's name in English and in Chinese (the page shows the one of its language).
    pub stage: String,
    #[serde(default)]
    pub stage_zh: String,
    /// open | won | lost
    pub kind: String,
    pub amount_fen: i64,
    pub close_date: NaiveDate,
    pub owner: String,
}

/// One account whole, for a viewer who sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountView {
    pub id: uuid::Uuid,
    pub name: String,
    pub industry: String,
    pub city: Option<String>,
    pub headcount: Option<i32>,
    pub revenue_fen: Option<i64>,
    pub owner: String,
    pub team: String,
    pub grade: Option<Grade>,
    pub grade_since: Option<DateTime<Utc>>,
    /// Newest first.
    pub grades: Vec<GradeEntry>,
    pub contacts: Vec<ContactRow>,
    /// The deals the viewer sees, open first, then by close date.
    pub deals: Vec<AccountDeal>,
    /// Whether the viewer may grade and edit it.
    pub may_edit: bool,
    pub version: i32,
}
