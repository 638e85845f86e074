//! Wire types shared by server functions, REST handlers and pages.
use super::{locale::Locale, role::Role};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: uuid::Uuid,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub team: Option<String>,
    pub locale: Locale,
}

impl CurrentUser {
    /// Up to two letters for the avatar: "Li Wei" → "LW", "王磊" → "王磊".
    pub fn initials(&self) -> String {
        initials(&self.name)
    }
}

pub fn initials(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.len() >= 2 {
        words.iter().take(2).filter_map(|w| w.chars().next()).flat_map(char::to_uppercase).collect()
    } else {
        let chars: Vec<char> = name.chars().collect();
        if chars.iter().any(|c| !c.is_ascii()) {
            // CJK names: the given name (last two characters) reads naturally on an avatar.
            chars.iter().rev().take(2).rev().collect()
        } else {
            chars.iter().take(2).flat_map(|c| c.to_uppercase()).collect()
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageRef {
    pub id: uuid::Uuid,
    pub name_en: String,
    pub name_zh: String,
    pub position: i32,
    pub win_rate_pct: i32,
    pub kind: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DealRow {
    pub id: uuid::Uuid,
    pub name: String,
    pub account: String,
    pub owner: String,
    pub team: String,
    pub stage: StageRef,
    pub amount_fen: i64,
    pub currency: String,
    pub close_date: NaiveDate,
}

impl DealRow {
    /// amount × win rate, rounded to the fen.
    pub fn weighted_fen(&self) -> i64 {
        weighted_fen(self.amount_fen, self.stage.win_rate_pct)
    }
}

/// amount × win rate (whole percent), rounded half away from zero to the fen.
pub fn weighted_fen(amount_fen: i64, win_rate_pct: i32) -> i64 {
    let p = i128::from(amount_fen) * i128::from(win_rate_pct);
    let r = if p >= 0 { (p + 50) / 100 } else { (p - 50) / 100 };
    // Only a rate above 100 % can leave the i64 range; saturate rather than wrap.
    i64::try_from(r).unwrap_or(if r > 0 { i64::MAX } else { i64::MIN })
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DealPage {
    pub rows: Vec<DealRow>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    pub sum_amount_fen: i64,
    /// The server's date, so "overdue" means the same in SSR and in the browser.
    pub today: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountRow {
    pub id: uuid::Uuid,
    pub name: String,
    pub industry: String,
    pub city: Option<String>,
    pub headcount: Option<i32>,
    pub revenue_fen: Option<i64>,
    pub owner: String,
    pub team: String,
    pub contacts: u64,
    pub open_deals: u64,
    #[serde(default)]
    pub grade: Option<crate::domain::account::Grade>,
    /// Since when it holds its grade.
    #[serde(default)]
    pub grade_since: Option<chrono::DateTime<chrono::Utc>>,
    /// When the next contact is due, and where that stands today.
    #[serde(default)]
    pub next_contact_on: Option<NaiveDate>,
    #[serde(default = "crate::domain::account::cadence::ContactStatus::campaign_only")]
    pub contact_status: crate::domain::account::cadence::ContactStatus,
    /// In, out of or not yet known to be in the target market.
    #[serde(default)]
    pub target: Option<crate::domain::account::target::Fit>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountPage {
    pub rows: Vec<AccountRow>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: uuid::Uuid,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub team: Option<String>,
    pub active: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeamRow {
    pub id: uuid::Uuid,
    pub name: String,
    pub manager: Option<String>,
    pub members: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminOverview {
    pub users: Vec<UserRow>,
    pub teams: Vec<TeamRow>,
}

/// One stage's totals for the pipeline summary (computed by the database).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageSummary {
    pub stage: StageRef,
    pub count: u64,
    pub amount_fen: i64,
    pub weighted_fen: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PipelineSummary {
    pub pipeline_name_en: String,
    pub pipeline_name_zh: String,
    pub stages: Vec<StageSummary>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_table() {
        for (name, want) in [("Li Wei", "LW"), ("王磊", "王磊"), ("欧阳娜娜", "娜娜"), ("admin", "AD"), ("", "")] {
            assert_eq!(initials(name), want, "{name}");
        }
    }

    #[test]
    fn weighted_amount_seed_001_example() {
        // Seed 001: a RMB 1,000,000 deal in a 25% stage counts RMB 250,000.
        assert_eq!(weighted_fen(100_000_000, 25), 25_000_000);
        assert_eq!(weighted_fen(1, 50), 1);
        assert_eq!(weighted_fen(333, 10), 33);
        assert_eq!(weighted_fen(0, 100), 0);
    }
}

/// A pipeline to pick on the board.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PipelineRef {
    pub id: uuid::Uuid,
    pub name_en: String,
    pub name_zh: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DealCard {
    pub id: uuid::Uuid,
    pub name: String,
    pub account: String,
    pub owner: String,
    pub owner_initials: String,
    pub amount_fen: i64,
    pub currency: String,
    pub close_date: NaiveDate,
    pub stage_id: uuid::Uuid,
    pub days_in_stage: i64,
    pub stuck_days: i32,
    pub key_complete: u8,
    pub pending_approval: bool,
    /// The status of the deal's latest live quote revision, if it has one.
    #[serde(default)]
    pub quote_status: Option<crate::domain::quote::QuoteStatus>,
    /// Objections open or answered without the customer's agreement.
    #[serde(default)]
    pub open_objections: u32,
    pub version: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoardColumn {
    pub stage: StageRef,
    pub count: u64,
    pub amount_fen: i64,
    pub weighted_fen: i64,
    pub cards: Vec<DealCard>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Board {
    pub pipeline: PipelineRef,
    pub pipelines: Vec<PipelineRef>,
    /// People whose deals the user may filter by.
    pub owners: Vec<Choice>,
    pub columns: Vec<BoardColumn>,
    pub today: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub id: uuid::Uuid,
    pub name: String,
}

/// Board filters, kept in the URL so a filtered board is a shareable link.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardFilter {
    pub pipeline: Option<uuid::Uuid>,
    pub owner: Option<uuid::Uuid>,
    pub team: Option<uuid::Uuid>,
    /// m3 | m6 | m9 | m12 | later
    pub bucket: Option<String>,
    pub min_fen: Option<i64>,
    pub max_fen: Option<i64>,
}

/// Close-date buckets of the board filter and the forecast: whole calendar months from
/// today's month (m3 = this month and the next two), so a bucket reads "Dec–Feb" and the
/// forecast can answer it from monthly summaries. Bounds are (after, up to and including).
pub fn bucket_bounds(bucket: &str, today: NaiveDate) -> Option<(Option<NaiveDate>, Option<NaiveDate>)> {
    let m = |n: u32| today.with_day(1).and_then(|d| d.checked_add_months(chrono::Months::new(n))).and_then(|d| d.pred_opt());
    match bucket {
        "m3" => Some((None, m(3))),
        "m6" => Some((m(3), m(6))),
        "m9" => Some((m(6), m(9))),
        "m12" => Some((m(9), m(12))),
        "later" => Some((m(12), None)),
        _ => None,
    }
}

/// One missing item of a blocked move, with the link to where it is filled in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingItem {
    pub code: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum MoveOutcome {
    Moved { card: DealCard },
    Blocked { missing: Vec<MissingItem> },
    Forbidden { reason: String },
    PendingApproval { approval_id: uuid::Uuid, approver: Option<String> },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApprovalRow {
    pub id: uuid::Uuid,
    pub deal_id: uuid::Uuid,
    pub deal_name: String,
    pub account: String,
    pub amount_fen: i64,
    pub requested_by: String,
    pub approver: Option<String>,
    pub from_stage: Option<StageRef>,
    pub to_stage: Option<StageRef>,
    pub reason: Option<String>,
    pub status: String,
    pub result: Option<String>,
    pub comment: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// The quote a quote request decides, with its figures and why it came here.
    #[serde(default)]
    pub quote: Option<crate::domain::quote::dto::QuoteBrief>,
    /// The contract step a contract request decides.
    #[serde(default)]
    pub contract: Option<crate::domain::contract::dto::ContractBrief>,
    /// stage_move | quote | contract | concession | negotiation
    #[serde(default)]
    pub kind: String,
}

#[cfg(test)]
mod board_tests {
    use super::*;

    #[test]
    fn buckets() {
        let t: NaiveDate = "2026-11-30".parse().unwrap();
        // November: m3 is Nov–Jan, m6 Feb–Apr, …, later from next November.
        assert_eq!(bucket_bounds("m3", t), Some((None, "2027-01-31".parse().ok())));
        assert_eq!(bucket_bounds("m6", t), Some(("2027-01-31".parse().ok(), "2027-04-30".parse().ok())));
        assert_eq!(bucket_bounds("m12", t), Some(("2027-07-31".parse().ok(), "2027-10-31".parse().ok())));
        assert_eq!(bucket_bounds("later", t), Some(("2027-10-31".parse().ok(), None)));
        assert_eq!(bucket_bounds("x", t), None);
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryRow {
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor: Option<String>,
    /// created | moved | blocked | forbidden | approval_requested | approval_approved |
    /// approval_rejected | amount_changed | close_date_changed
    pub kind: String,
    pub from_stage: Option<StageRef>,
    pub to_stage: Option<StageRef>,
    pub old_amount_fen: Option<i64>,
    pub new_amount_fen: Option<i64>,
    pub old_close_date: Option<NaiveDate>,
    pub new_close_date: Option<NaiveDate>,
    pub note: Option<String>,
}

/// The deal page's editable header facts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealFacts {
    pub amount_fen: i64,
    pub close_date: NaiveDate,
    pub version: i32,
    /// open | won | lost
    pub stage_kind: String,
    /// What stage and close date give (forecast::default_category), shown beside the choice.
    pub default_category: String,
    /// The owner's choice, if any.
    pub forecast_category: Option<String>,
    /// The manager's adjustment, if any (it wins over the owner's choice; both are shown).
    pub manager_category: Option<String>,
    /// Whether this viewer may adjust the category as a manager.
    pub can_adjust: bool,
    /// Whether this viewer may change the deal's facts (`domain::access`).
    pub can_edit: bool,
    /// Whether this viewer may draft and send the deal's quotes.
    #[serde(default)]
    pub can_quote: bool,
    pub winner: Option<String>,
    pub lost_reason: Option<String>,
}

/// A new account: name required; the creator's team owns it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NewAccount {
    pub name: String,
    pub industry: String,
    pub city: Option<String>,
    pub headcount: Option<i32>,
    pub revenue_fen: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NewContact {
    pub name: String,
    pub title: Option<String>,
    pub department: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContactRow {
    pub id: uuid::Uuid,
    pub account_id: uuid::Uuid,
    pub name: String,
    pub title: Option<String>,
    pub department: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// For an edit under optimistic concurrency (rows read before it existed say 0).
    #[serde(default)]
    pub version: i32,
}

/// A new deal. It always starts in the first stage of its pipeline: later stages are reached
/// through the gate, never by creation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewDeal {
    pub name: String,
    pub account: uuid::Uuid,
    pub pipeline: Option<uuid::Uuid>,
    /// Defaults to the creator; a manager may assign one of their team's reps.
    pub owner: Option<uuid::Uuid>,
    pub amount_fen: i64,
    pub currency: Option<String>,
    pub close_date: NaiveDate,
}

/// A partial update of a deal, guarded by `version`. `key_info` is a JSON object whose
/// fields overwrite only those fields (merge-patch), so a client never blanks what it did
/// not send.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DealPatch {
    pub version: i32,
    pub name: Option<String>,
    pub amount_fen: Option<i64>,
    pub close_date: Option<NaiveDate>,
    /// commit | best_case | next_quarter | pipeline; "" clears the owner's choice.
    pub forecast_category: Option<String>,
    /// The manager's adjustment, same values; "" clears it. Managers of the deal's team only.
    pub manager_category: Option<String>,
    pub winner: Option<String>,
    pub lost_reason: Option<String>,
    pub key_info: Option<serde_json::Value>,
    /// A new owner (an active user with a team the caller may assign to); the deal moves to
    /// their team, with its summaries, progress and history. The current owner, when their
    /// team changed, moves the deal to their new team.
    #[serde(default)]
    pub owner: Option<uuid::Uuid>,
}

/// One stage as the pipeline editor shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageEdit {
    pub id: uuid::Uuid,
    pub name_en: String,
    pub name_zh: String,
    pub position: i32,
    pub win_rate_pct: i32,
    /// open | won | lost
    pub kind: String,
    pub stuck_days: i32,
    pub playbook_en: String,
    pub playbook_zh: String,
    /// Requirement codes (`gate::Requirement::code`) a deal must meet to enter.
    pub requirements: Vec<String>,
    pub version: i32,
}

/// A stage's editable fields, guarded by the stage's `version`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageUpdate {
    pub name_en: String,
    pub name_zh: String,
    pub win_rate_pct: i32,
    pub stuck_days: i32,
    pub playbook_en: String,
    pub playbook_zh: String,
    pub version: i32,
}

/// The policy of one (from, to) pair: what applies, what the default table says, and whether
/// an admin overrode it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyCell {
    pub from: uuid::Uuid,
    pub to: uuid::Uuid,
    pub policy: super::gate::Policy,
    pub default: super::gate::Policy,
    pub overridden: bool,
}

/// A requirement an admin can pick; `group` is the code's prefix (key_info, contact_role,
/// map, checklist).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementChoice {
    pub code: String,
    pub group: String,
    pub label_en: String,
    pub label_zh: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PipelineEditor {
    pub pipeline: PipelineRef,
    /// Guards the name, the stage order and the policy table.
    pub version: i32,
    pub pipelines: Vec<PipelineRef>,
    /// In position order.
    pub stages: Vec<StageEdit>,
    /// Every ordered pair of distinct stages, rows in position order.
    pub policies: Vec<PolicyCell>,
    pub requirements: Vec<RequirementChoice>,
}

// ---- Deal room (issue 4): committee map, checklists, activities, members, comments ----

/// One person on a deal's buying-committee map, with where the layout puts them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapPerson {
    pub contact_id: uuid::Uuid,
    pub name: String,
    pub title: Option<String>,
    pub department: Option<String>,
    pub reports_to: Option<uuid::Uuid>,
    /// `committee::ContactRole` code
    pub role: Option<String>,
    pub influence_pct: i32,
    /// `committee::Attitude` code
    pub attitude: String,
    pub relationship: u8,
    pub last_contact: Option<NaiveDate>,
    pub version: i32,
    /// `committee::layout`: depth (0 = top) and column in half-slots.
    pub depth: u32,
    pub column: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapWarningRow {
    /// `committee::MapWarning::code`
    pub code: String,
    /// The person the warning marks, if any.
    pub contact_id: Option<uuid::Uuid>,
    pub message_en: String,
    pub message_zh: String,
}

/// A deal's map as the page draws it, plus the account's contacts not yet on it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DealMap {
    pub deal_id: uuid::Uuid,
    pub people: Vec<MapPerson>,
    pub warnings: Vec<MapWarningRow>,
    pub candidates: Vec<ContactRow>,
}

/// One node of a whole-map write (PUT).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapPersonInput {
    pub contact_id: uuid::Uuid,
    pub reports_to: Option<uuid::Uuid>,
    pub role: Option<String>,
    pub influence_pct: i32,
    /// Defaults to neutral.
    pub attitude: Option<String>,
    /// Defaults to 3.
    pub relationship: Option<u8>,
    pub last_contact: Option<NaiveDate>,
}

/// The inline edit of one node; `version` is the one read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapPersonEdit {
    pub contact_id: uuid::Uuid,
    pub version: i32,
    pub role: Option<String>,
    pub influence_pct: i32,
    pub attitude: String,
    pub relationship: u8,
    pub last_contact: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChecklistTemplateRow {
    pub code: String,
    pub kind: String,
    pub name_en: String,
    pub name_zh: String,
    pub items: usize,
}

/// One line of a checklist template as the admin editor shows and saves it. `code` is kept
/// for existing lines and empty for new ones; hints and minutes ride along unchanged.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TemplateLine {
    pub code: String,
    pub text_en: String,
    pub text_zh: String,
    pub hint_en: String,
    pub hint_zh: String,
    pub minutes: Option<i32>,
}

/// A checklist template with its lines, versioned (a stale save answers Conflict).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChecklistTemplateDetail {
    pub code: String,
    pub kind: String,
    pub name_en: String,
    pub name_zh: String,
    pub version: i32,
    pub lines: Vec<TemplateLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChecklistItemRow {
    pub id: i32,
    pub position: i32,
    pub text_en: String,
    pub text_zh: String,
    pub done: bool,
    pub done_by: Option<String>,
    pub done_at: Option<chrono::DateTime<chrono::Utc>>,
    pub owner_id: Option<uuid::Uuid>,
    pub owner: Option<String>,
    pub due: Option<NaiveDate>,
    pub note: Option<String>,
    pub link: Option<String>,
    pub version: i32,
    pub overdue: bool,
}

/// A checklist on a deal with its completion ("4/6") and overdue items.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DealChecklistView {
    pub id: uuid::Uuid,
    pub deal_id: uuid::Uuid,
    pub deal_name: String,
    pub template_code: String,
    /// demo | proposal | exchange_meeting | custom
    pub kind: String,
    pub name_en: String,
    pub name_zh: String,
    pub done: usize,
    pub total: usize,
    pub complete: bool,
    pub overdue: usize,
    pub items: Vec<ChecklistItemRow>,
}

/// A change to one checklist item; absent parts stay as they are. `version` is the one read.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ChecklistItemEdit {
    pub version: i32,
    pub done: Option<bool>,
    /// Owner and due date are set together (None clears them).
    pub assign: Option<(Option<uuid::Uuid>, Option<NaiveDate>)>,
    /// Note and link are set together (None or blank clears them).
    pub annotate: Option<(Option<String>, Option<String>)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewActivity {
    /// `activity::ActivityKind` code
    pub kind: String,
    pub at: crate::domain::activity::ActivityAt,
    pub channel: Option<String>,
    pub people: Option<String>,
    pub summary: String,
    pub satisfaction: Option<u8>,
    pub new_needs: Option<String>,
    pub next_action: Option<String>,
    pub next_owner: Option<uuid::Uuid>,
    pub next_due: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ActivityRow {
    pub id: uuid::Uuid,
    pub deal_id: uuid::Uuid,
    pub kind: String,
    pub at: chrono::DateTime<chrono::Utc>,
    pub all_day: bool,
    pub recorded_at: chrono::DateTime<chrono::Utc>,
    pub author: String,
    pub channel: Option<String>,
    pub people: Option<String>,
    pub summary: String,
    pub satisfaction: Option<u8>,
    pub new_needs: Option<String>,
    pub next_action: Option<String>,
    pub next_owner_id: Option<uuid::Uuid>,
    pub next_owner: Option<String>,
    pub next_due: Option<NaiveDate>,
    pub next_done: bool,
    pub late: bool,
    pub version: i32,
}

/// An open follow-up on "My tasks".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskRow {
    pub activity_id: uuid::Uuid,
    pub deal_id: uuid::Uuid,
    pub deal_name: String,
    pub action: String,
    pub due: Option<NaiveDate>,
    /// `activity::TaskBucket` code: overdue | today | upcoming | unscheduled
    pub bucket: String,
    pub version: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LateEntriesRow {
    pub rep_id: uuid::Uuid,
    pub rep: String,
    pub late: usize,
    pub total: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DealMemberRow {
    pub user_id: uuid::Uuid,
    pub name: String,
    pub email: String,
    /// owner | presales | pm | other
    pub role: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommentRow {
    pub id: uuid::Uuid,
    pub author: String,
    pub body: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Names of the users notified.
    pub mentioned: Vec<String>,
}

/// Someone a comment on a deal can notify: an active user who can see the deal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentionCandidate {
    pub name: String,
    /// The e-mail's local part, the other way to write the mention (`@rep3`).
    pub handle: String,
    pub role: String,
}

/// One page of a deal's comments, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommentPage {
    pub rows: Vec<CommentRow>,
    /// Pass as `before` for the next (older) page; None on the last page.
    pub older: Option<uuid::Uuid>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NotificationRow {
    pub id: i32,
    pub deal_id: uuid::Uuid,
    pub deal_name: String,
    pub kind: String,
    pub text: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub read: bool,
}

/// One entry of the deal page's merged timeline, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: chrono::DateTime<chrono::Utc>,
    /// The filter group: activity | move | approval | key_info | change | checklist | comment
    pub group: String,
    /// The precise kind: an activity kind, a history kind, "checklist_ticked", "comment".
    pub kind: String,
    pub actor: Option<String>,
    pub text: String,
    pub late: bool,
}

/// "My day" on the home page: one's own tasks, deals that need attention, approvals and
/// mentions, each list short with its full count (the pages behind hold the rest).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyDay {
    pub today: NaiveDate,
    /// Overdue and due-today follow-ups, most urgent first.
    pub tasks: Vec<TaskRow>,
    pub overdue_tasks: usize,
    pub today_tasks: usize,
    /// One's own open deals that need attention, earliest close first.
    pub deals: Vec<DayDeal>,
    pub deals_total: usize,
    /// Requests waiting for my decision.
    pub approvals_waiting: u64,
    /// My own requests still waiting for someone else.
    pub requests_pending: u64,
    /// Unread mentions, newest first.
    pub mentions: Vec<NotificationRow>,
    pub unread_mentions: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DayDeal {
    pub card: DealCard,
    pub attention: Vec<crate::domain::today::Attention>,
}
