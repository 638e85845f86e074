//! Account wire types: what the account page, the server functions and REST exchange.
use super::cadence::{Cadence, ContactStatus};
use super::grading::{Answers, Reason};
use super::profile::{AccountEvent, Change, MergeSummary, Profile};
use super::revisit::Channel;
use super::target::Fit;
use super::Grade;
use crate::domain::dto::{Choice, ContactRow};
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
    pub profit_fen: Option<i64>,
    /// Where it stands against the target market.
    pub target: Fit,
    pub owner: String,
    pub team: String,
    pub grade: Option<Grade>,
    pub grade_since: Option<DateTime<Utc>>,
    /// Newest first.
    pub grades: Vec<GradeEntry>,
    pub contacts: Vec<ContactRow>,
    /// The deals the viewer sees, open first, then by close date.
    pub deals: Vec<AccountDeal>,
    /// Relationship maintenance: the last contact, when the next is due and where that stands.
    pub last_contact_on: Option<NaiveDate>,
    pub next_contact_on: Option<NaiveDate>,
    pub contact_status: ContactStatus,
    /// Newest first (the last 100).
    pub revisits: Vec<RevisitRow>,
    /// Delivery follow-ups not yet recorded.
    pub follow_ups: Vec<FollowUpRow>,
    /// The cadence in force (the form proposes the next visit from it).
    pub cadence: Cadence,
    /// The account team's active people (follow-up owners).
    pub people: Vec<Choice>,
    /// Whether the viewer may grade and edit it.
    pub may_edit: bool,
    pub version: i32,
    /// Seed 000's profile questions.
    #[serde(default)]
    pub profile: Profile,
    /// Edits, merges and contact changes, newest first (the last 100).
    #[serde(default)]
    pub history: Vec<AccountHistoryRow>,
    /// The owner's user id (the edit form's owner picker starts there).
    #[serde(default)]
    pub owner_id: uuid::Uuid,
    /// Who the viewer may make the owner: empty unless they may change it (a manager, their
    /// teams' active people; an admin, everyone active with a team).
    #[serde(default)]
    pub owners: Vec<Choice>,
    /// Whether the viewer may merge accounts (managers and admins).
    #[serde(default)]
    pub may_merge: bool,
}

/// One row of an account's history: an edit with what changed, a merge with what moved, or a
/// contact added, edited or deleted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountHistoryRow {
    pub event: AccountEvent,
    pub changes: Vec<Change>,
    pub merged: Option<MergeSummary>,
    /// The contact a contact event is about, and what changed.
    #[serde(default)]
    pub contact: Option<super::contact::ContactNote>,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// What merging `duplicate` into `survivor` would move (the confirm step).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergePreview {
    pub survivor: uuid::Uuid,
    pub survivor_name: String,
    pub duplicate: uuid::Uuid,
    pub moves: MergeSummary,
}

/// One revisit as the account page and REST show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisitRow {
    pub id: uuid::Uuid,
    pub visited_on: NaiveDate,
    pub channel: Channel,
    pub visitor: String,
    pub contact_name: Option<String>,
    pub feedback: String,
    pub satisfaction: u8,
    pub new_needs: Option<String>,
    pub follow_up: Option<String>,
    pub follow_up_owner: Option<String>,
    pub follow_up_due: Option<NaiveDate>,
    pub next_visit_on: Option<NaiveDate>,
    /// Set when the revisit recorded a delivery follow-up: whether acceptance was confirmed.
    pub accepted: Option<bool>,
}

/// A delivery follow-up a won deal owes (seed 003: within three working days).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpRow {
    pub id: uuid::Uuid,
    pub account_id: uuid::Uuid,
    pub account_name: String,
    pub deal_id: uuid::Uuid,
    pub deal_name: String,
    pub owner: String,
    pub due_on: NaiveDate,
    pub done_on: Option<NaiveDate>,
    pub accepted: Option<bool>,
}

/// An account whose contact is due: overdue or due this week.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueRow {
    pub account_id: uuid::Uuid,
    pub name: String,
    pub grade: Option<Grade>,
    pub owner: String,
    pub last_contact_on: Option<NaiveDate>,
    pub next_contact_on: NaiveDate,
    pub status: ContactStatus,
}

/// Whose due contacts a list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueScope {
    /// The accounts the viewer owns.
    Mine,
    /// Every account the viewer sees (a manager's team).
    Team,
}

/// The due contacts of a scope: how many are overdue and due this week, and the first rows
/// (most overdue first), with the open delivery follow-ups.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueList {
    pub overdue: u64,
    pub this_week: u64,
    pub rows: Vec<DueRow>,
    pub follow_ups: Vec<FollowUpRow>,
}
