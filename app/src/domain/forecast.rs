//! Figures of the executive forecast dashboard (业绩预测, seed 001): pure functions over the
//! deals, stages and append-only deal history the service loads. No I/O, no clock: "today" and
//! "now" are arguments.
//!
//! # Definitions (these are the product's semantics)
//!
//! **Money.** Amounts are `i64` fen. A deal's *weighted amount* is `amount × win_rate_pct / 100`
//! rounded half away from zero to the fen (the same rounding as `dto::weighted_fen`), computed per
//! deal and then summed, so every total equals the sum of the deals behind it. A won deal weighs its
//! full amount whatever its stage's rate (won is certain); a lost deal weighs nothing and is left out
//! of every forecast figure. A deal whose stage is unknown is ignored.
//!
//! **Close-time buckets** in whole calendar months from today's month, with the board filter's
//! bounds: `won`; `m3` close month ≤ this month + 2 (so overdue open deals land here; in
//! November: Nov–Jan); `m6` +3 to +5; `m9` +6 to +8; `m12` +9 to +11; `later`. Every figure of
//! the present therefore depends on a deal's close *month* only, which is what lets
//! [`cell_facts`] answer them from monthly summaries.
//!
//! **Forecast category.** Default ([`default_category`]): won stage → Won; lost stage → Lost
//! (omitted from category figures); open deal, with Q the calendar quarter of today: close date ≤
//! end of Q (overdue included) and rate ≥ 70 → Commit, rate ≥ 30 → BestCase, else Pipeline; close
//! date in the quarter after Q and rate ≥ 30 → NextQuarter; anything else → Pipeline. The 30 %
//! floor keeps a first-contact deal out of "has hope" (有希望) whichever quarter it is dated.
//! Effective = the manager's adjustment, else the owner's choice, else the default; overrides only
//! apply to open deals and only with Commit, BestCase, NextQuarter or Pipeline. All four values
//! are kept ([`CategoryView`]).
//!
//! **Won in a period.** A won deal belongs to the period in which it entered its won stage (the
//! deal's `stage_entered_at`, or the time of the move in history), not to its close date. Current
//! figures ([`deal_facts`]) include won deals that entered the won stage at or after `won_since`;
//! grouping by period still uses the close date, for open and won deals alike.
//!
//! **Pipeline as of an instant T** ([`pipeline_at`]): replay of the history events with `at ≤ T`
//! in (at, id) order. A deal exists from its `created` event (or, lacking one, from its
//! `created_at`). Its state before the first event that changes a field is that event's *old*
//! value (`from_stage_id`, `old_amount_fen`, ...), else the deal row's current value, so a
//! partial history still replays. Attempts (`blocked`, `forbidden`, `approval_requested`, any
//! unknown kind) change nothing. Owner, team and pipeline are the deal's current ones; win rates
//! are the stages' current rates (they are not versioned).
//!
//! **Forecast, won and value at T** for a [`Scope`] (period start S, optional horizon H):
//! forecast(T) = Σ weighted of deals open at T whose close date at T ≤ H (all open deals if no H);
//! won(T) = Σ amount of deals in a won stage at T that entered it at or after S ("won by T" is the
//! amount won from S up to T); value(T) = forecast(T) + won(T). [`Scope::quarter`] gives the
//! default for the weekly progress: S = first instant of A's quarter, H = its last day, i.e.
//! "what this quarter will bring". Each point of the 13-week trend is its own quarter's value
//! ([`point_scope`]: the quarter of the instant just before the week end), so the line shows
//! where each quarter was heading week by week and restarts when a new quarter begins.
//!
//! **Progress A → B** ([`progress`], A < B): value(B) − value(A), decomposed sequentially. Every
//! event in (A, B] changes its deal's value from v(before) to v(after); that change is attributed
//! to one kind, so the parts sum exactly to the total by construction:
//! `created` → New (Won if created straight into a won stage); move into a won stage → Won; into
//! a lost stage → Lost; open → open in the same pipeline to a higher position → MovedUp, lower →
//! MovedDown; any other move (reopen, same position, other pipeline, unknown stage) → Other;
//! amount change → AmountChanged; close date moved later → Slipped (non-zero when it leaves the
//! horizon), earlier → PulledIn; category changes → Other (always 0). Events on one deal in one
//! week are attributed one by one (created at 10 % then moved to 40 % = New + MovedUp).
//!
//! **Quota and coverage** ([`quota_figures`]): won = amounts of the rep's deals that entered a won
//! stage on a local date within [start, end] of the quota period; open pipeline = weighted amount
//! of the rep's open deals with close date ≤ period end (overdue included); attainment = won ÷
//! quota; coverage = open pipeline ÷ (quota − won), or [`Coverage::Met`] when won ≥ quota. Under
//! 1× (flagged) means open pipeline < quota − won, compared exactly in fen.
//!
//! **Ideal funnel** ([`ideal_funnel`]): deals to win = ⌈target ÷ average won deal⌉; going up from
//! the last open stage, needed(k) = ⌈needed(k+1) × 100 ÷ conversion(k)⌉ where conversion(k) is the
//! target % of deals in open stage k that reach the next open stage (the last one: that win).
//! A missing or out-of-range (not 1–100) rate makes that stage and those above it unknown.
//!
//! **Conversion and cycle** ([`cycle_stats`], window [from, to)): a deal *entered* stage k if it
//! has a visit of k starting in the window (counted once per deal and stage); it *advanced* if a
//! later visit is a won stage or an open stage of the same pipeline with a higher position
//! (deals still in k count as not advanced yet). Average days in stage: over visits that ended in
//! the window. Win rate: won ÷ (won + lost) over deals whose last stage entered before `to` is won
//! or lost and was entered in the window. Sales cycle: creation → entering the won stage, for those
//! won deals. Stuck ([`stuck_deals`]): open and whole days in stage > the stage's `stuck_days`
//! (0 = no limit), as on the board.
//!
//! **Signed outside the funnel** ([`signed_outside_funnel`]): deals now in a won stage whose
//! history shows no visit to an open stage ([`FunnelGap::NeverOpen`]) or whose open visits add up
//! to less than N days ([`FunnelGap::BrieflyOpen`]).
//!
//! **New-rep ramp** (成功路线图, seed 001): see [`ramp_target`] for the figures and
//! [`ramp_report`] for how actuals are counted.
//!
//! Efficiency: the replays sort the events once, O(E log E), then sweep in O(E + D + points); the
//! per-deal figures group events by deal once. Ids are `i32` keys; nothing hashes strings.

use chrono::{DateTime, Datelike, Duration, FixedOffset, Months, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Win rate from which an open deal of this quarter defaults to Commit (本季度保证实现).
pub const COMMIT_MIN_PCT: i32 = 70;
/// Win rate from which an open deal defaults to BestCase / NextQuarter (有希望实现).
pub const HOPEFUL_MIN_PCT: i32 = 30;

const DAY_SECS: i64 = 86_400;

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

pub use super::gate::StageKind;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    pub id: i32,
    pub pipeline_id: i32,
    pub position: i32,
    pub win_rate_pct: i32,
    pub kind: StageKind,
    pub stuck_days: i32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ForecastCategory {
    Won,
    Commit,
    BestCase,
    NextQuarter,
    Pipeline,
    /// Lost deals: omitted from category figures; never a valid override.
    Lost,
}

impl ForecastCategory {
    pub const ALL: [ForecastCategory; 6] = [Self::Won, Self::Commit, Self::BestCase, Self::NextQuarter, Self::Pipeline, Self::Lost];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Won => "won",
            Self::Commit => "commit",
            Self::BestCase => "best_case",
            Self::NextQuarter => "next_quarter",
            Self::Pipeline => "pipeline",
            Self::Lost => "lost",
        }
    }

    /// The stored string (`deals.forecast_category`); unknown text means no choice.
    pub fn parse(s: &str) -> Option<ForecastCategory> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Whether an owner or a manager may put an open deal in this category.
    pub fn is_choice(self) -> bool {
        matches!(self, Self::Commit | Self::BestCase | Self::NextQuarter | Self::Pipeline)
    }
}

/// A deal as the `deals` row has it now (or, from [`pipeline_at`], as it stood at an instant).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deal {
    pub id: i32,
    pub owner_id: i32,
    pub team_id: i32,
    pub pipeline_id: i32,
    pub stage_id: i32,
    pub amount_fen: i64,
    pub close_date: NaiveDate,
    /// The owner's choice (`deals.forecast_category`).
    pub owner_category: Option<ForecastCategory>,
    /// The manager's adjustment, when one was made.
    pub manager_category: Option<ForecastCategory>,
    pub created_at: DateTime<Utc>,
    pub stage_entered_at: DateTime<Utc>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Created,
    Moved,
    AmountChanged,
    CloseDateChanged,
    /// The owner set or cleared the forecast category (old/new_category).
    CategoryChanged,
    /// A manager set or cleared the adjustment (old/new_category).
    CategoryAdjusted,
    /// blocked / forbidden / approval_requested / anything else: changes nothing.
    #[default]
    Attempt,
}

impl EventKind {
    /// The `deal_history.kind` column.
    pub fn parse(s: &str) -> EventKind {
        match s {
            "created" => EventKind::Created,
            "moved" => EventKind::Moved,
            "amount_changed" => EventKind::AmountChanged,
            "close_date_changed" => EventKind::CloseDateChanged,
            "category_changed" => EventKind::CategoryChanged,
            "category_adjusted" => EventKind::CategoryAdjusted,
            _ => EventKind::Attempt,
        }
    }
}

/// One `deal_history` row. `created` sets to_stage_id, new_amount_fen and new_close_date.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEvent {
    pub id: i64,
    pub deal_id: i32,
    pub at: DateTime<Utc>,
    pub kind: EventKind,
    pub from_stage_id: Option<i32>,
    pub to_stage_id: Option<i32>,
    pub old_amount_fen: Option<i64>,
    pub new_amount_fen: Option<i64>,
    pub old_close_date: Option<NaiveDate>,
    pub new_close_date: Option<NaiveDate>,
    pub old_category: Option<ForecastCategory>,
    pub new_category: Option<ForecastCategory>,
}

// ---------------------------------------------------------------------------------------------
// Small rules
// ---------------------------------------------------------------------------------------------

pub use super::dto::weighted_fen;

/// Calendar month addition, clamped to the month's end; saturates at the calendar's end.
pub fn add_months(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_add_months(Months::new(n)).unwrap_or(NaiveDate::MAX)
}

pub fn quarter_start(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year(), d.month0() / 3 * 3 + 1, 1).unwrap_or(d)
}

/// Last day of the calendar quarter of `d`.
pub fn quarter_end(d: NaiveDate) -> NaiveDate {
    add_months(quarter_start(d), 3).pred_opt().unwrap_or(NaiveDate::MAX)
}

/// The UTC instant of 00:00 local time on `d` at `offset` (e.g. +08:00).
pub fn local_midnight(d: NaiveDate, offset: FixedOffset) -> DateTime<Utc> {
    let local = d.and_time(NaiveTime::MIN);
    local.checked_sub_signed(Duration::seconds(i64::from(offset.local_minus_utc()))).unwrap_or(local).and_utc()
}

/// The local calendar date of an instant.
pub fn local_date(t: DateTime<Utc>, offset: FixedOffset) -> NaiveDate {
    t.with_timezone(&offset).date_naive()
}

/// `n` instants a week apart ending at `last`, oldest first (e.g. the last 13 week ends).
pub fn week_ends(last: DateTime<Utc>, n: u32) -> Vec<DateTime<Utc>> {
    (0..n).rev().filter_map(|k| last.checked_sub_signed(Duration::weeks(i64::from(k)))).collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CloseBucket {
    #[serde(rename = "won")]
    Won,
    #[serde(rename = "m3")]
    M3,
    #[serde(rename = "m6")]
    M6,
    #[serde(rename = "m9")]
    M9,
    #[serde(rename = "m12")]
    M12,
    #[serde(rename = "later")]
    Later,
}

impl CloseBucket {
    pub const ALL: [CloseBucket; 6] = [Self::Won, Self::M3, Self::M6, Self::M9, Self::M12, Self::Later];
}

/// Calendar months from `today`'s month to `d`'s (negative when `d` is in an earlier month).
pub fn month_offset(d: NaiveDate, today: NaiveDate) -> i32 {
    (d.year() - today.year()) * 12 + d.month() as i32 - today.month() as i32
}

/// `YYYYMM` of a date: the month key of the summaries.
pub fn month_key(d: NaiveDate) -> i32 {
    d.year() * 100 + d.month() as i32
}

/// The first day of a `YYYYMM` month key.
pub fn month_first(key: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(key.div_euclid(100), u32::try_from(key.rem_euclid(100)).ok()?, 1)
}

/// The close-time bucket of a deal; None for a lost deal.
pub fn close_bucket(kind: StageKind, close_date: NaiveDate, today: NaiveDate) -> Option<CloseBucket> {
    match kind {
        StageKind::Lost => None,
        StageKind::Won => Some(CloseBucket::Won),
        StageKind::Open => Some(match month_offset(close_date, today) {
            ..=2 => CloseBucket::M3,
            3..=5 => CloseBucket::M6,
            6..=8 => CloseBucket::M9,
            9..=11 => CloseBucket::M12,
            _ => CloseBucket::Later,
        }),
    }
}

/// The category a deal gets from its stage and close date alone (rule in the module doc).
pub fn default_category(kind: StageKind, win_rate_pct: i32, close_date: NaiveDate, today: NaiveDate) -> ForecastCategory {
    match kind {
        StageKind::Won => ForecastCategory::Won,
        StageKind::Lost => ForecastCategory::Lost,
        StageKind::Open => {
            let this_end = quarter_end(today);
            if close_date <= this_end {
                if win_rate_pct >= COMMIT_MIN_PCT {
                    ForecastCategory::Commit
                } else if win_rate_pct >= HOPEFUL_MIN_PCT {
                    ForecastCategory::BestCase
                } else {
                    ForecastCategory::Pipeline
                }
            } else if close_date <= quarter_end(add_months(quarter_start(today), 3)) && win_rate_pct >= HOPEFUL_MIN_PCT {
                ForecastCategory::NextQuarter
            } else {
                ForecastCategory::Pipeline
            }
        }
    }
}

/// Every value behind a deal's category, so both the owner's and the manager's stay visible.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryView {
    pub default: ForecastCategory,
    pub owner: Option<ForecastCategory>,
    pub manager: Option<ForecastCategory>,
    pub effective: ForecastCategory,
}

/// Effective = manager, else owner, else default; won/lost deals keep their default.
pub fn category_view(default: ForecastCategory, owner: Option<ForecastCategory>, manager: Option<ForecastCategory>) -> CategoryView {
    let effective = if default.is_choice() {
        manager.filter(|c| c.is_choice()).or(owner.filter(|c| c.is_choice())).unwrap_or(default)
    } else {
        default
    };
    CategoryView { default, owner, manager, effective }
}

/// Stage lookup by id, built once per call.
struct StageMap<'a>(HashMap<i32, &'a Stage>);

impl<'a> StageMap<'a> {
    fn new(stages: &'a [Stage]) -> Self {
        StageMap(stages.iter().map(|s| (s.id, s)).collect())
    }

    fn get(&self, id: i32) -> Option<&'a Stage> {
        self.0.get(&id).copied()
    }
}

// ---------------------------------------------------------------------------------------------
// Current figures: buckets, categories, grouping, drill-down
// ---------------------------------------------------------------------------------------------

/// What the dashboard needs of one deal, computed once and grouped many ways.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealFact {
    /// 0 for a fact that sums a summary cell.
    pub deal_id: i32,
    /// Deals behind the fact: 1, or a cell's count.
    pub count: u64,
    pub owner_id: i32,
    pub team_id: i32,
    pub pipeline_id: i32,
    pub stage_id: i32,
    pub kind: StageKind,
    pub amount_fen: i64,
    /// Open: amount × rate; won: the full amount.
    pub weighted_fen: i64,
    pub close_date: NaiveDate,
    pub bucket: CloseBucket,
    pub category: CategoryView,
}

/// Facts of the open deals and of the deals won at or after `won_since`; lost and unknown-stage
/// deals are left out.
pub fn deal_facts(deals: &[Deal], stages: &[Stage], today: NaiveDate, won_since: DateTime<Utc>) -> Vec<DealFact> {
    let sm = StageMap::new(stages);
    let mut out = Vec::with_capacity(deals.len());
    for d in deals {
        let Some(s) = sm.get(d.stage_id) else { continue };
        let weighted = match s.kind {
            StageKind::Lost => continue,
            StageKind::Won if d.stage_entered_at < won_since => continue,
            StageKind::Won => d.amount_fen,
            StageKind::Open => weighted_fen(d.amount_fen, s.win_rate_pct),
        };
        let Some(bucket) = close_bucket(s.kind, d.close_date, today) else { continue };
        let default = default_category(s.kind, s.win_rate_pct, d.close_date, today);
        out.push(DealFact {
            deal_id: d.id,
            count: 1,
            owner_id: d.owner_id,
            team_id: d.team_id,
            pipeline_id: d.pipeline_id,
            stage_id: d.stage_id,
            kind: s.kind,
            amount_fen: d.amount_fen,
            weighted_fen: weighted,
            close_date: d.close_date,
            bucket,
            category: category_view(default, d.owner_category, d.manager_category),
        });
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Summary cells: the figures of the present without reading every deal
// ---------------------------------------------------------------------------------------------

/// What a deal contributes to the figures of the present depends only on these values (see the
/// bucket and category rules): deals with equal keys are summed into one cell. `won_month` is
/// the local month a won deal entered its won stage (0 for open deals); lost deals have no cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CellKey {
    pub owner_id: i32,
    pub team_id: i32,
    pub pipeline_id: i32,
    pub stage_id: i32,
    /// `YYYYMM` of the close date.
    pub close_month: i32,
    /// `YYYYMM` (local) of entering the won stage; 0 when open.
    pub won_month: i32,
    pub owner_category: Option<ForecastCategory>,
    pub manager_category: Option<ForecastCategory>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cell {
    pub key: CellKey,
    pub count: i64,
    pub amount_fen: i64,
    /// Σ per-deal weighted amounts (open: amount × rate, rounded per deal; won: the amount).
    pub weighted_fen: i64,
}

/// The cell of a deal in `stage`, with its weighted amount; None for lost deals.
pub fn cell_of(d: &Deal, stage: &Stage, offset: FixedOffset) -> Option<(CellKey, i64)> {
    let (won_month, weighted) = match stage.kind {
        StageKind::Lost => return None,
        StageKind::Won => (month_key(local_date(d.stage_entered_at, offset)), d.amount_fen),
        StageKind::Open => (0, weighted_fen(d.amount_fen, stage.win_rate_pct)),
    };
    let key = CellKey {
        owner_id: d.owner_id,
        team_id: d.team_id,
        pipeline_id: d.pipeline_id,
        stage_id: d.stage_id,
        close_month: month_key(d.close_date),
        won_month,
        owner_category: d.owner_category,
        manager_category: d.manager_category,
    };
    Some((key, weighted))
}

/// The cells of a set of deals, sorted by key (the reference the summary table must equal).
pub fn cells_of(deals: &[Deal], stages: &[Stage], offset: FixedOffset) -> Vec<Cell> {
    let sm = StageMap::new(stages);
    let mut by: HashMap<CellKey, Cell> = HashMap::new();
    for d in deals {
        let Some((key, w)) = sm.get(d.stage_id).and_then(|s| cell_of(d, s, offset)) else { continue };
        let c = by.entry(key).or_insert(Cell { key, count: 0, amount_fen: 0, weighted_fen: 0 });
        c.count += 1;
        c.amount_fen = c.amount_fen.saturating_add(d.amount_fen);
        c.weighted_fen = c.weighted_fen.saturating_add(w);
    }
    let mut out: Vec<Cell> = by.into_values().filter(|c| c.count != 0).collect();
    out.sort_by_key(|c| c.key);
    out
}

/// [`deal_facts`] for cells: one fact per cell (deal id 0), won cells from the local month of
/// `won_since_month` on. Grouping these gives exactly what grouping the deals' facts gives when
/// `won_since` is the first instant of that month.
pub fn cell_facts(cells: &[Cell], stages: &[Stage], today: NaiveDate, won_since_month: i32) -> Vec<DealFact> {
    let sm = StageMap::new(stages);
    let mut out = Vec::with_capacity(cells.len());
    for c in cells {
        let Some(s) = sm.get(c.key.stage_id) else { continue };
        let Some(close_date) = month_first(c.key.close_month) else { continue };
        match s.kind {
            StageKind::Lost => continue,
            StageKind::Won if c.key.won_month < won_since_month => continue,
            _ => {}
        }
        let Some(bucket) = close_bucket(s.kind, close_date, today) else { continue };
        let default = default_category(s.kind, s.win_rate_pct, close_date, today);
        out.push(DealFact {
            deal_id: 0,
            count: u64::try_from(c.count).unwrap_or(0),
            owner_id: c.key.owner_id,
            team_id: c.key.team_id,
            pipeline_id: c.key.pipeline_id,
            stage_id: c.key.stage_id,
            kind: s.kind,
            amount_fen: c.amount_fen,
            weighted_fen: c.weighted_fen,
            close_date,
            bucket,
            category: category_view(default, c.key.owner_category, c.key.manager_category),
        });
    }
    out
}

/// A calendar period of a close date; ordering within one kind is chronological.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Period {
    Year { year: i32 },
    Quarter { year: i32, quarter: u32 },
    Month { year: i32, month: u32 },
}

impl Period {
    pub fn first_day(self) -> Option<NaiveDate> {
        match self {
            Period::Year { year } => NaiveDate::from_ymd_opt(year, 1, 1),
            Period::Quarter { year, quarter } => NaiveDate::from_ymd_opt(year, quarter.checked_sub(1)? * 3 + 1, 1),
            Period::Month { year, month } => NaiveDate::from_ymd_opt(year, month, 1),
        }
    }

    pub fn last_day(self) -> Option<NaiveDate> {
        let months = match self {
            Period::Year { .. } => 12,
            Period::Quarter { .. } => 3,
            Period::Month { .. } => 1,
        };
        self.first_day()?.checked_add_months(Months::new(months))?.pred_opt()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    Owner,
    Team,
    Pipeline,
    Bucket,
    Category,
    Month,
    Quarter,
    Year,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKey {
    Owner(i32),
    Team(i32),
    Pipeline(i32),
    Bucket(CloseBucket),
    Category(ForecastCategory),
    Period(Period),
}

impl GroupKey {
    pub fn of(f: &DealFact, by: GroupBy) -> GroupKey {
        let d = f.close_date;
        match by {
            GroupBy::Owner => GroupKey::Owner(f.owner_id),
            GroupBy::Team => GroupKey::Team(f.team_id),
            GroupBy::Pipeline => GroupKey::Pipeline(f.pipeline_id),
            GroupBy::Bucket => GroupKey::Bucket(f.bucket),
            GroupBy::Category => GroupKey::Category(f.category.effective),
            GroupBy::Month => GroupKey::Period(Period::Month { year: d.year(), month: d.month() }),
            GroupBy::Quarter => GroupKey::Period(Period::Quarter { year: d.year(), quarter: d.month0() / 3 + 1 }),
            GroupBy::Year => GroupKey::Period(Period::Year { year: d.year() }),
        }
    }

    pub fn group_by(self) -> GroupBy {
        match self {
            GroupKey::Owner(_) => GroupBy::Owner,
            GroupKey::Team(_) => GroupBy::Team,
            GroupKey::Pipeline(_) => GroupBy::Pipeline,
            GroupKey::Bucket(_) => GroupBy::Bucket,
            GroupKey::Category(_) => GroupBy::Category,
            GroupKey::Period(Period::Month { .. }) => GroupBy::Month,
            GroupKey::Period(Period::Quarter { .. }) => GroupBy::Quarter,
            GroupKey::Period(Period::Year { .. }) => GroupBy::Year,
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub count: u64,
    pub amount_fen: i64,
    pub weighted_fen: i64,
}

impl Totals {
    fn add(&mut self, count: u64, amount_fen: i64, weighted_fen: i64) {
        self.count += count;
        self.amount_fen = self.amount_fen.saturating_add(amount_fen);
        self.weighted_fen = self.weighted_fen.saturating_add(weighted_fen);
    }
}

/// One row of a grouping: open deals (weighted = the forecast) and won deals apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForecastRow {
    pub key: GroupKey,
    pub open: Totals,
    pub won: Totals,
}

/// Rows sorted by key. Bucket and category groupings list every bucket / category (not Lost),
/// empty ones too, so the dashboard's columns never move.
pub fn group(facts: &[DealFact], by: GroupBy) -> Vec<ForecastRow> {
    let mut rows: Vec<ForecastRow> = match by {
        GroupBy::Bucket => CloseBucket::ALL.iter().map(|b| GroupKey::Bucket(*b)).collect(),
        GroupBy::Category => {
            ForecastCategory::ALL.iter().filter(|c| **c != ForecastCategory::Lost).map(|c| GroupKey::Category(*c)).collect()
        }
        _ => Vec::new(),
    }
    .into_iter()
    .map(|key| ForecastRow { key, open: Totals::default(), won: Totals::default() })
    .collect();
    let mut at: HashMap<GroupKey, usize> = rows.iter().enumerate().map(|(i, r)| (r.key, i)).collect();
    for f in facts {
        let key = GroupKey::of(f, by);
        let i = *at.entry(key).or_insert_with(|| {
            rows.push(ForecastRow { key, open: Totals::default(), won: Totals::default() });
            rows.len() - 1
        });
        if let Some(row) = rows.get_mut(i) {
            let t = if f.kind == StageKind::Won { &mut row.won } else { &mut row.open };
            t.add(f.count, f.amount_fen, f.weighted_fen);
        }
    }
    rows.sort_by_key(|r| r.key);
    rows
}

/// Drill-down: the ids of the deals behind a row, in input order.
pub fn deals_behind(facts: &[DealFact], key: GroupKey) -> Vec<i32> {
    let by = key.group_by();
    facts.iter().filter(|f| GroupKey::of(f, by) == key).map(|f| f.deal_id).collect()
}

// ---------------------------------------------------------------------------------------------
// Replay of history
// ---------------------------------------------------------------------------------------------

/// A deal's replayed state.
#[derive(Clone, Copy, Debug)]
struct St {
    exists: bool,
    stage_id: i32,
    amount_fen: i64,
    close_date: NaiveDate,
    owner_category: Option<ForecastCategory>,
    manager_category: Option<ForecastCategory>,
    entered_at: DateTime<Utc>,
    created_at: DateTime<Utc>,
}

impl St {
    /// The deal as its row has it now.
    fn of(d: &Deal) -> St {
        St {
            exists: true,
            stage_id: d.stage_id,
            amount_fen: d.amount_fen,
            close_date: d.close_date,
            owner_category: d.owner_category,
            manager_category: d.manager_category,
            entered_at: d.stage_entered_at,
            created_at: d.created_at,
        }
    }
}

/// A history event (index into the slice) or, for a deal without a `created` event, a
/// synthetic creation at the deal's `created_at`.
#[derive(Clone, Copy)]
struct Step {
    deal: u32,
    ev: u32,
}

const SYNTH: u32 = u32::MAX;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Cause {
    Created,
    Moved,
    Amount,
    CloseDate,
    Category,
}

/// All relevant events of the given deals, sorted once.
struct Timeline<'a> {
    deals: &'a [Deal],
    events: &'a [HistoryEvent],
    steps: Vec<Step>,
    initial: Vec<St>,
}

impl<'a> Timeline<'a> {
    fn new(deals: &'a [Deal], events: &'a [HistoryEvent]) -> Self {
        // u32 indices halve the sort's memory at 10M rows; beyond 4 billion rows the tail is ignored.
        let index: HashMap<i32, u32> = deals.iter().zip(0..u32::MAX).map(|(d, i)| (d.id, i)).collect();
        let mut has_created = vec![false; deals.len()];
        let mut steps = Vec::with_capacity(events.len() + deals.len() / 8);
        for (e, ev) in events.iter().zip(0..SYNTH) {
            if e.kind == EventKind::Attempt {
                continue;
            }
            let Some(&deal) = index.get(&e.deal_id) else { continue };
            if e.kind == EventKind::Created {
                if let Some(h) = has_created.get_mut(deal as usize) {
                    *h = true;
                }
            }
            steps.push(Step { deal, ev });
        }
        for (h, deal) in has_created.iter().zip(0..u32::MAX) {
            if !h {
                steps.push(Step { deal, ev: SYNTH });
            }
        }
        let key = |s: &Step| match events.get(s.ev as usize) {
            // Creation first among events at the same instant.
            None => (deals.get(s.deal as usize).map_or(DateTime::<Utc>::MIN_UTC, |d| d.created_at), false, 0),
            Some(e) => (e.at, true, e.id),
        };
        steps.sort_unstable_by_key(key);
        let mut initial: Vec<St> = deals.iter().map(|d| St { exists: false, ..St::of(d) }).collect();
        // Undo newest to oldest: what remains is each field's value before its first change.
        for s in steps.iter().rev() {
            let (Some(st), Some(e)) = (initial.get_mut(s.deal as usize), events.get(s.ev as usize)) else { continue };
            match e.kind {
                EventKind::Created => {
                    st.stage_id = e.to_stage_id.unwrap_or(st.stage_id);
                    st.amount_fen = e.new_amount_fen.unwrap_or(st.amount_fen);
                    st.close_date = e.new_close_date.unwrap_or(st.close_date);
                }
                EventKind::Moved => st.stage_id = e.from_stage_id.unwrap_or(st.stage_id),
                EventKind::AmountChanged => st.amount_fen = e.old_amount_fen.unwrap_or(st.amount_fen),
                EventKind::CloseDateChanged => st.close_date = e.old_close_date.unwrap_or(st.close_date),
                EventKind::CategoryChanged => st.owner_category = e.old_category,
                EventKind::CategoryAdjusted => st.manager_category = e.old_category,
                EventKind::Attempt => {}
            }
        }
        Timeline { deals, events, steps, initial }
    }

    fn at(&self, s: Step) -> DateTime<Utc> {
        match self.events.get(s.ev as usize) {
            Some(e) => e.at,
            None => self.deals.get(s.deal as usize).map_or(DateTime::<Utc>::MIN_UTC, |d| d.created_at),
        }
    }

    fn apply(&self, st: &mut St, s: Step) -> Cause {
        let Some(e) = self.events.get(s.ev as usize) else {
            st.exists = true;
            st.created_at = self.at(s);
            st.entered_at = st.created_at;
            return Cause::Created;
        };
        match e.kind {
            EventKind::Created => {
                st.exists = true;
                st.stage_id = e.to_stage_id.unwrap_or(st.stage_id);
                st.amount_fen = e.new_amount_fen.unwrap_or(st.amount_fen);
                st.close_date = e.new_close_date.unwrap_or(st.close_date);
                st.created_at = e.at;
                st.entered_at = e.at;
                Cause::Created
            }
            EventKind::Moved => {
                st.stage_id = e.to_stage_id.unwrap_or(st.stage_id);
                st.entered_at = e.at;
                Cause::Moved
            }
            EventKind::AmountChanged => {
                st.amount_fen = e.new_amount_fen.unwrap_or(st.amount_fen);
                Cause::Amount
            }
            EventKind::CloseDateChanged => {
                st.close_date = e.new_close_date.unwrap_or(st.close_date);
                Cause::CloseDate
            }
            EventKind::CategoryChanged => {
                st.owner_category = e.new_category;
                Cause::Category
            }
            EventKind::CategoryAdjusted => {
                st.manager_category = e.new_category;
                Cause::Category
            }
            // Filtered out when the timeline is built.
            EventKind::Attempt => Cause::Category,
        }
    }
}

/// Walks a timeline forward; each step reports the deal's state before and after.
struct Cursor<'t, 'a> {
    tl: &'t Timeline<'a>,
    next: usize,
    states: Vec<St>,
}

impl<'t, 'a> Cursor<'t, 'a> {
    fn new(tl: &'t Timeline<'a>) -> Self {
        Cursor { tl, next: 0, states: tl.initial.clone() }
    }

    /// Applies every step with `at ≤ t`.
    fn advance(&mut self, t: DateTime<Utc>, mut on: impl FnMut(usize, &St, &St, Cause)) {
        let tl = self.tl;
        while let Some(&s) = tl.steps.get(self.next) {
            if tl.at(s) > t {
                break;
            }
            self.next += 1;
            let d = s.deal as usize;
            let Some(st) = self.states.get_mut(d) else { continue };
            let before = *st;
            let cause = tl.apply(st, s);
            on(d, &before, st, cause);
        }
    }
}

/// The deals as they stood at instant `t` (only those that existed then), replayed from history.
pub fn pipeline_at(deals: &[Deal], events: &[HistoryEvent], t: DateTime<Utc>) -> Vec<Deal> {
    let tl = Timeline::new(deals, events);
    let mut cur = Cursor::new(&tl);
    cur.advance(t, |_, _, _, _| {});
    deals
        .iter()
        .zip(&cur.states)
        .filter(|(_, st)| st.exists)
        .map(|(d, st)| Deal {
            stage_id: st.stage_id,
            amount_fen: st.amount_fen,
            close_date: st.close_date,
            owner_category: st.owner_category,
            manager_category: st.manager_category,
            created_at: st.created_at,
            stage_entered_at: st.entered_at,
            ..d.clone()
        })
        .collect()
}

/// What "forecast" and "won" cover: won since `period_start`, open deals closing by `horizon_end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    pub period_start: DateTime<Utc>,
    /// None: every open deal counts whatever its close date (then slips never move the value).
    pub horizon_end: Option<NaiveDate>,
}

impl Scope {
    /// The quarter containing `day` in local time: won since its first instant, open deals
    /// closing by its last day.
    pub fn quarter(day: NaiveDate, offset: FixedOffset) -> Scope {
        Scope { period_start: local_midnight(quarter_start(day), offset), horizon_end: Some(quarter_end(day)) }
    }
}

struct Valuer<'a> {
    stages: StageMap<'a>,
    scope: Scope,
}

impl Valuer<'_> {
    fn kind(&self, st: &St) -> Option<StageKind> {
        self.stages.get(st.stage_id).map(|s| s.kind)
    }

    fn in_forecast(&self, st: &St) -> bool {
        st.exists && self.kind(st) == Some(StageKind::Open) && self.scope.horizon_end.is_none_or(|h| st.close_date <= h)
    }

    fn in_won(&self, st: &St) -> bool {
        st.exists && self.kind(st) == Some(StageKind::Won) && st.entered_at >= self.scope.period_start
    }

    fn forecast(&self, st: &St) -> i64 {
        match self.stages.get(st.stage_id) {
            Some(s) if self.in_forecast(st) => weighted_fen(st.amount_fen, s.win_rate_pct),
            _ => 0,
        }
    }

    fn won(&self, st: &St) -> i64 {
        if self.in_won(st) {
            st.amount_fen
        } else {
            0
        }
    }

    fn value(&self, st: &St) -> i64 {
        self.forecast(st).saturating_add(self.won(st))
    }
}

/// Forecast and won at one instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendPoint {
    pub at: DateTime<Utc>,
    /// Σ weighted of open deals in the horizon.
    pub forecast_fen: i64,
    /// Σ amount won since the scope's period start.
    pub won_fen: i64,
    /// forecast + won.
    pub value_fen: i64,
    pub open_count: u64,
    pub won_count: u64,
}

/// Forecast and won at each instant (any order; returned oldest first) in one sweep.
pub fn trend(deals: &[Deal], stages: &[Stage], events: &[HistoryEvent], points: &[DateTime<Utc>], scope: Scope) -> Vec<TrendPoint> {
    let tl = Timeline::new(deals, events);
    let v = Valuer { stages: StageMap::new(stages), scope };
    let mut pts = points.to_vec();
    pts.sort_unstable();
    let mut cur = Cursor::new(&tl);
    let (mut f, mut w, mut nf, mut nw) = (0i64, 0i64, 0i64, 0i64);
    let mut out = Vec::with_capacity(pts.len());
    for at in pts {
        cur.advance(at, |_, b, a, _| {
            f = f.saturating_add(v.forecast(a).saturating_sub(v.forecast(b)));
            w = w.saturating_add(v.won(a).saturating_sub(v.won(b)));
            nf += i64::from(v.in_forecast(a)) - i64::from(v.in_forecast(b));
            nw += i64::from(v.in_won(a)) - i64::from(v.in_won(b));
        });
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        out.push(TrendPoint {
            at,
            forecast_fen: f,
            won_fen: w,
            value_fen: f.saturating_add(w),
            open_count: count(nf),
            won_count: count(nw),
        });
    }
    out
}

/// Forecast and won at one past instant.
pub fn forecast_at(deals: &[Deal], stages: &[Stage], events: &[HistoryEvent], t: DateTime<Utc>, scope: Scope) -> TrendPoint {
    let empty = TrendPoint { at: t, forecast_fen: 0, won_fen: 0, value_fen: 0, open_count: 0, won_count: 0 };
    trend(deals, stages, events, &[t], scope).pop().unwrap_or(empty)
}

// ---------------------------------------------------------------------------------------------
// Sales progress
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContributionKind {
    New,
    MovedUp,
    MovedDown,
    Won,
    Lost,
    AmountChanged,
    Slipped,
    PulledIn,
    Other,
}

/// The parts of a progress; they sum to its total.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contributions {
    pub new_fen: i64,
    pub moved_up_fen: i64,
    pub moved_down_fen: i64,
    pub won_fen: i64,
    pub lost_fen: i64,
    pub amount_changed_fen: i64,
    pub slipped_fen: i64,
    pub pulled_in_fen: i64,
    pub other_fen: i64,
}

impl Contributions {
    fn slot(&mut self, kind: ContributionKind) -> &mut i64 {
        match kind {
            ContributionKind::New => &mut self.new_fen,
            ContributionKind::MovedUp => &mut self.moved_up_fen,
            ContributionKind::MovedDown => &mut self.moved_down_fen,
            ContributionKind::Won => &mut self.won_fen,
            ContributionKind::Lost => &mut self.lost_fen,
            ContributionKind::AmountChanged => &mut self.amount_changed_fen,
            ContributionKind::Slipped => &mut self.slipped_fen,
            ContributionKind::PulledIn => &mut self.pulled_in_fen,
            ContributionKind::Other => &mut self.other_fen,
        }
    }

    pub fn get(&self, kind: ContributionKind) -> i64 {
        let mut c = *self;
        *c.slot(kind)
    }

    pub fn sum(&self) -> i64 {
        [
            self.new_fen,
            self.moved_up_fen,
            self.moved_down_fen,
            self.won_fen,
            self.lost_fen,
            self.amount_changed_fen,
            self.slipped_fen,
            self.pulled_in_fen,
            self.other_fen,
        ]
        .iter()
        .fold(0i64, |a, b| a.saturating_add(*b))
    }
}

/// Drill-down: one deal's net contribution of one kind (zero ones are left out).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressItem {
    pub deal_id: i32,
    pub kind: ContributionKind,
    pub fen: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub a: DateTime<Utc>,
    pub b: DateTime<Utc>,
    pub forecast_a_fen: i64,
    pub won_a_fen: i64,
    pub forecast_b_fen: i64,
    pub won_b_fen: i64,
    /// (forecast B + won B) − (forecast A + won A).
    pub total_fen: i64,
    pub parts: Contributions,
    /// Sorted by deal id, then kind.
    pub items: Vec<ProgressItem>,
}

fn classify(cause: Cause, before: &St, after: &St, sm: &StageMap) -> ContributionKind {
    let (b, a) = (sm.get(before.stage_id), sm.get(after.stage_id));
    match cause {
        Cause::Created if a.is_some_and(|s| s.kind == StageKind::Won) => ContributionKind::Won,
        Cause::Created => ContributionKind::New,
        Cause::Amount => ContributionKind::AmountChanged,
        Cause::Category => ContributionKind::Other,
        Cause::CloseDate if after.close_date > before.close_date => ContributionKind::Slipped,
        Cause::CloseDate if after.close_date < before.close_date => ContributionKind::PulledIn,
        Cause::CloseDate => ContributionKind::Other,
        Cause::Moved => match (b, a) {
            (Some(b), Some(a)) if b.kind != StageKind::Won && a.kind == StageKind::Won => ContributionKind::Won,
            (Some(b), Some(a)) if b.kind != StageKind::Lost && a.kind == StageKind::Lost => ContributionKind::Lost,
            (Some(b), Some(a)) if b.kind == StageKind::Open && a.kind == StageKind::Open && b.pipeline_id == a.pipeline_id => {
                match a.position.cmp(&b.position) {
                    std::cmp::Ordering::Greater => ContributionKind::MovedUp,
                    std::cmp::Ordering::Less => ContributionKind::MovedDown,
                    std::cmp::Ordering::Equal => ContributionKind::Other,
                }
            }
            _ => ContributionKind::Other,
        },
    }
}

/// (forecast, won) of deals as they are now, for `scope`.
pub fn present_value(deals: &[Deal], stages: &[Stage], scope: Scope) -> (i64, i64) {
    let p = present_point(deals, stages, scope, DateTime::<Utc>::MIN_UTC);
    (p.forecast_fen, p.won_fen)
}

/// Forecast, won and their counts of deals as they are now, for `scope`, stamped `at`.
pub fn present_point(deals: &[Deal], stages: &[Stage], scope: Scope, at: DateTime<Utc>) -> TrendPoint {
    let v = Valuer { stages: StageMap::new(stages), scope };
    let mut p = TrendPoint { at, forecast_fen: 0, won_fen: 0, value_fen: 0, open_count: 0, won_count: 0 };
    for d in deals {
        let st = St::of(d);
        p.forecast_fen = p.forecast_fen.saturating_add(v.forecast(&st));
        p.won_fen = p.won_fen.saturating_add(v.won(&st));
        p.open_count += u64::from(v.in_forecast(&st));
        p.won_count += u64::from(v.in_won(&st));
    }
    p.value_fen = p.forecast_fen.saturating_add(p.won_fen);
    p
}

/// [`present_point`] from summary cells (exact under the conditions of [`cells_value`]).
pub fn cells_point(cells: &[Cell], stages: &[Stage], scope: Scope, offset: FixedOffset, at: DateTime<Utc>) -> TrendPoint {
    let sm = StageMap::new(stages);
    let since = month_key(local_date(scope.period_start, offset));
    let horizon = scope.horizon_end.map(month_key);
    let mut p = TrendPoint { at, forecast_fen: 0, won_fen: 0, value_fen: 0, open_count: 0, won_count: 0 };
    for c in cells {
        let n = u64::try_from(c.count).unwrap_or(0);
        match sm.get(c.key.stage_id).map(|s| s.kind) {
            Some(StageKind::Open) if horizon.is_none_or(|h| c.key.close_month <= h) => {
                p.forecast_fen = p.forecast_fen.saturating_add(c.weighted_fen);
                p.open_count += n;
            }
            Some(StageKind::Won) if c.key.won_month >= since => {
                p.won_fen = p.won_fen.saturating_add(c.amount_fen);
                p.won_count += n;
            }
            _ => {}
        }
    }
    p.value_fen = p.forecast_fen.saturating_add(p.won_fen);
    p
}

/// `base` (a point of the deals that changed, replayed) plus the rest of the book: every
/// figure of `all_now` minus `changed_now` (both as they are now).
pub fn combine_point(base: TrendPoint, all_now: TrendPoint, changed_now: TrendPoint) -> TrendPoint {
    let forecast_fen = base.forecast_fen.saturating_add(all_now.forecast_fen.saturating_sub(changed_now.forecast_fen));
    let won_fen = base.won_fen.saturating_add(all_now.won_fen.saturating_sub(changed_now.won_fen));
    TrendPoint {
        at: base.at,
        forecast_fen,
        won_fen,
        value_fen: forecast_fen.saturating_add(won_fen),
        open_count: (base.open_count + all_now.open_count).saturating_sub(changed_now.open_count),
        won_count: (base.won_count + all_now.won_count).saturating_sub(changed_now.won_count),
    }
}

/// The scope of a trend point: the quarter of the last instant before `t` (a week ending at
/// midnight on 1 October shows where the third quarter landed).
pub fn point_scope(t: DateTime<Utc>, offset: FixedOffset) -> Scope {
    Scope::quarter(local_date(t - Duration::seconds(1), offset), offset)
}

/// [`present_value`] from summary cells. Exact when the scope starts on the first instant of a
/// local month and its horizon (if any) is a month's last day — true of [`Scope::quarter`].
pub fn cells_value(cells: &[Cell], stages: &[Stage], scope: Scope, offset: FixedOffset) -> (i64, i64) {
    let sm = StageMap::new(stages);
    let since = month_key(local_date(scope.period_start, offset));
    let horizon = scope.horizon_end.map(month_key);
    cells.iter().fold((0i64, 0i64), |(f, w), c| match sm.get(c.key.stage_id).map(|s| s.kind) {
        Some(StageKind::Open) if horizon.is_none_or(|h| c.key.close_month <= h) => (f.saturating_add(c.weighted_fen), w),
        Some(StageKind::Won) if c.key.won_month >= since => (f, w.saturating_add(c.amount_fen)),
        _ => (f, w),
    })
}

/// A calendar quarter as one number, `year × 4 + quarter index (0-3)`: consecutive quarters
/// are consecutive numbers (the `progress_days.scope` column).
pub fn quarter_id(d: NaiveDate) -> i32 {
    d.year() * 4 + (d.month0() / 3) as i32
}

/// The first day of the quarter [`quarter_id`] numbers.
pub fn quarter_of_id(id: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(id.div_euclid(4), (id.rem_euclid(4) * 3 + 1) as u32, 1)
}

/// A deal's state as a value event's history row carries it (migration 000010).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StateAt {
    pub stage_id: i32,
    pub amount_fen: i64,
    pub close_date: NaiveDate,
    pub entered_at: DateTime<Utc>,
}

/// One value event's part in the progress of `scope`: its contribution kind and what it
/// changed in the value, value(after) − value(before) (`before` None for a creation). The
/// replay in [`progress`] sums exactly these.
pub fn event_part(kind: EventKind, before: Option<&StateAt>, after: &StateAt, stages: &[Stage], scope: Scope) -> (ContributionKind, i64) {
    let st = |s: &StateAt, exists: bool| St {
        exists,
        stage_id: s.stage_id,
        amount_fen: s.amount_fen,
        close_date: s.close_date,
        owner_category: None,
        manager_category: None,
        entered_at: s.entered_at,
        created_at: s.entered_at,
    };
    let a = st(after, true);
    let b = before.map_or(St { exists: false, ..a }, |b| st(b, true));
    let cause = match kind {
        EventKind::Created => Cause::Created,
        EventKind::Moved => Cause::Moved,
        EventKind::AmountChanged => Cause::Amount,
        EventKind::CloseDateChanged => Cause::CloseDate,
        _ => Cause::Category,
    };
    let v = Valuer { stages: StageMap::new(stages), scope };
    (classify(cause, &b, &a, &v.stages), v.value(&a).saturating_sub(v.value(&b)))
}

/// One term of a value event's part for the quarters at least two before its own (migration
/// 000013, `progress_terms`): a signed amount that counts in a quarter's value when its month
/// passes the quarter's test — an open state's close month ≤ the quarter's last month, a won
/// state's won month ≥ the quarter's first month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FarTerm {
    pub won: bool,
    /// `YYYYMM`.
    pub month: i32,
    pub fen: i64,
}

impl FarTerm {
    /// Whether this term counts in `scope` (a [`Scope::quarter`]).
    pub fn counts_in(&self, scope: Scope, offset: FixedOffset) -> bool {
        if self.won {
            self.month >= month_key(local_date(scope.period_start, offset))
        } else {
            scope.horizon_end.is_none_or(|h| self.month <= month_key(h))
        }
    }
}

/// A value event of local day `day` as [`FarTerm`]s: for every quarter Q at least two before
/// the day's, Σ of the terms that count in Q = [`event_part`] in Q. For such a Q an open state
/// closing on or after the previous quarter's first day never counts (so it has no term), and
/// a won state entered since then always does (its month is clipped to that quarter's first):
/// what is left is a few terms per day, not one row per quarter. Terms of one key are merged.
pub fn far_terms(before: Option<&StateAt>, after: &StateAt, stages: &[Stage], day: NaiveDate, offset: FixedOffset) -> Vec<FarTerm> {
    let Some(recent) = quarter_of_id(quarter_id(day) - 1) else { return Vec::new() };
    let sm = StageMap::new(stages);
    let mut out: Vec<FarTerm> = Vec::with_capacity(2);
    for (st, sign) in [(Some(after), 1i64), (before, -1i64)] {
        let Some(st) = st else { continue };
        let term = match sm.get(st.stage_id) {
            Some(s) if s.kind == StageKind::Open && st.close_date < recent => {
                FarTerm { won: false, month: month_key(st.close_date), fen: sign * weighted_fen(st.amount_fen, s.win_rate_pct) }
            }
            Some(s) if s.kind == StageKind::Won => {
                FarTerm { won: true, month: month_key(local_date(st.entered_at, offset)).min(month_key(recent)), fen: sign * st.amount_fen }
            }
            _ => continue,
        };
        match out.iter_mut().find(|t| t.won == term.won && t.month == term.month) {
            Some(t) => t.fen = t.fen.saturating_add(term.fen),
            None => out.push(term),
        }
    }
    out
}

/// Sales progress between two instants (taken in time order), with its exact breakdown.
/// Pass the deals in view (a rep's, a team's); events of other deals are ignored.
pub fn progress(deals: &[Deal], stages: &[Stage], events: &[HistoryEvent], a: DateTime<Utc>, b: DateTime<Utc>, scope: Scope) -> Progress {
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    let tl = Timeline::new(deals, events);
    let v = Valuer { stages: StageMap::new(stages), scope };
    let mut cur = Cursor::new(&tl);
    cur.advance(a, |_, _, _, _| {});
    let sums =
        |states: &[St]| states.iter().fold((0i64, 0i64), |(f, w), st| (f.saturating_add(v.forecast(st)), w.saturating_add(v.won(st))));
    let (forecast_a_fen, won_a_fen) = sums(&cur.states);
    let mut parts = Contributions::default();
    let mut per_deal: HashMap<(usize, ContributionKind), i64> = HashMap::new();
    cur.advance(b, |d, before, after, cause| {
        let dv = v.value(after).saturating_sub(v.value(before));
        let kind = classify(cause, before, after, &v.stages);
        let slot = parts.slot(kind);
        *slot = slot.saturating_add(dv);
        if dv != 0 {
            let e = per_deal.entry((d, kind)).or_insert(0);
            *e = e.saturating_add(dv);
        }
    });
    let (forecast_b_fen, won_b_fen) = sums(&cur.states);
    let mut items: Vec<ProgressItem> = per_deal
        .into_iter()
        .filter(|(_, fen)| *fen != 0)
        .filter_map(|((d, kind), fen)| deals.get(d).map(|deal| ProgressItem { deal_id: deal.id, kind, fen }))
        .collect();
    items.sort_by_key(|i| (i.deal_id, i.kind));
    let total_fen = forecast_b_fen.saturating_add(won_b_fen).saturating_sub(forecast_a_fen.saturating_add(won_a_fen));
    Progress { a, b, forecast_a_fen, won_a_fen, forecast_b_fen, won_b_fen, total_fen, parts, items }
}

// ---------------------------------------------------------------------------------------------
// Quota and coverage
// ---------------------------------------------------------------------------------------------

/// A rep's quota for a period of local dates, both ends included.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quota {
    pub owner_id: i32,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub amount_fen: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    /// Won ≥ quota: nothing left to cover.
    Met,
    /// open weighted pipeline ÷ (quota − won).
    Ratio(f64),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuotaFigures {
    pub owner_id: i32,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub quota_fen: i64,
    pub won_fen: i64,
    pub open_weighted_fen: i64,
    /// quota − won, never below 0.
    pub remaining_fen: i64,
    /// won ÷ quota × 100; None for a quota ≤ 0.
    pub attainment_pct: Option<f64>,
    pub coverage: Coverage,
    /// Coverage under 1×.
    pub under_covered: bool,
}

/// One row per quota, in input order (rule in the module doc).
pub fn quota_figures(deals: &[Deal], stages: &[Stage], quotas: &[Quota], offset: FixedOffset) -> Vec<QuotaFigures> {
    let sm = StageMap::new(stages);
    let mut by_owner: HashMap<i32, Vec<&Deal>> = HashMap::new();
    for d in deals {
        by_owner.entry(d.owner_id).or_default().push(d);
    }
    quotas
        .iter()
        .map(|q| {
            let (mut won, mut open) = (0i64, 0i64);
            for d in by_owner.get(&q.owner_id).map_or(&[][..], |v| v.as_slice()) {
                match sm.get(d.stage_id) {
                    Some(s) if s.kind == StageKind::Won => {
                        let day = local_date(d.stage_entered_at, offset);
                        if day >= q.period_start && day <= q.period_end {
                            won = won.saturating_add(d.amount_fen);
                        }
                    }
                    Some(s) if s.kind == StageKind::Open && d.close_date <= q.period_end => {
                        open = open.saturating_add(weighted_fen(d.amount_fen, s.win_rate_pct));
                    }
                    _ => {}
                }
            }
            let remaining = q.amount_fen.saturating_sub(won).max(0);
            let coverage = if remaining == 0 { Coverage::Met } else { Coverage::Ratio(open as f64 / remaining as f64) };
            QuotaFigures {
                owner_id: q.owner_id,
                period_start: q.period_start,
                period_end: q.period_end,
                quota_fen: q.amount_fen,
                won_fen: won,
                open_weighted_fen: open,
                remaining_fen: remaining,
                attainment_pct: (q.amount_fen > 0).then(|| won as f64 * 100.0 / q.amount_fen as f64),
                coverage,
                under_covered: remaining > 0 && open < remaining,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Ideal vs actual funnel
// ---------------------------------------------------------------------------------------------

/// Target share (whole percent) of the deals in an open stage that reach the next open stage
/// (for the last open stage: that are won).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversionTarget {
    pub from_stage_id: i32,
    pub pct: i32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunnelStageRow {
    pub stage_id: i32,
    pub position: i32,
    pub target_conversion_pct: Option<i32>,
    /// Deals needed in this stage now; None when a rate on the way down is missing.
    pub ideal: Option<u64>,
    pub actual: u64,
    /// actual − ideal (negative: short).
    pub gap: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdealFunnel {
    pub pipeline_id: i32,
    pub target_fen: i64,
    pub avg_won_fen: i64,
    /// ⌈target ÷ average won deal⌉; None for an average ≤ 0.
    pub deals_to_win: Option<u64>,
    /// Open stages, top of the funnel first.
    pub stages: Vec<FunnelStageRow>,
}

fn ceil_div(n: u64, d: u64) -> Option<u64> {
    let (n, d) = (u128::from(n), u128::from(d));
    if d == 0 {
        return None;
    }
    u64::try_from(n.div_ceil(d)).ok()
}

/// The bottom-up funnel calculation of one pipeline beside the actual open deals per stage.
pub fn ideal_funnel(
    pipeline_id: i32,
    stages: &[Stage],
    targets: &[ConversionTarget],
    target_fen: i64,
    avg_won_fen: i64,
    facts: &[DealFact],
) -> IdealFunnel {
    let mut open: Vec<&Stage> = stages.iter().filter(|s| s.pipeline_id == pipeline_id && s.kind == StageKind::Open).collect();
    open.sort_by_key(|s| (s.position, s.id));
    let mut actual: HashMap<i32, u64> = open.iter().map(|s| (s.id, 0)).collect();
    for f in facts {
        if let Some(n) = actual.get_mut(&f.stage_id) {
            *n += f.count;
        }
    }
    let deals_to_win =
        if avg_won_fen <= 0 { None } else { ceil_div(u64::try_from(target_fen).unwrap_or(0), u64::try_from(avg_won_fen).unwrap_or(1)) };
    let mut rows: Vec<FunnelStageRow> = Vec::with_capacity(open.len());
    let mut needed = deals_to_win;
    for s in open.iter().rev() {
        let pct = targets.iter().find(|t| t.from_stage_id == s.id).map(|t| t.pct);
        let ideal = match (needed, pct) {
            (Some(n), Some(p)) if (1..=100).contains(&p) => n.checked_mul(100).and_then(|x| ceil_div(x, u64::from(p.unsigned_abs()))),
            _ => None,
        };
        let act = actual.get(&s.id).copied().unwrap_or(0);
        let gap = ideal.and_then(|i| i64::try_from(act).ok()?.checked_sub(i64::try_from(i).ok()?));
        rows.push(FunnelStageRow { stage_id: s.id, position: s.position, target_conversion_pct: pct, ideal, actual: act, gap });
        needed = ideal;
    }
    rows.reverse();
    IdealFunnel { pipeline_id, target_fen, avg_won_fen, deals_to_win, stages: rows }
}

// ---------------------------------------------------------------------------------------------
// Conversion, cycle, stuck, signed outside the funnel
// ---------------------------------------------------------------------------------------------

/// Half-open window of instants [from, to).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

impl Window {
    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        t >= self.from && t < self.to
    }
}

/// One stay of a deal in a stage; `leave` None while it is still there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Visit {
    stage_id: i32,
    enter: DateTime<Utc>,
    leave: Option<DateTime<Utc>>,
}

/// Calls `f` once per deal (input order) with its stage visits, from `created` and `moved` events.
fn for_each_visits(deals: &[Deal], events: &[HistoryEvent], mut f: impl FnMut(&Deal, &[Visit])) {
    let index: HashMap<i32, u32> = deals.iter().zip(0..u32::MAX).map(|(d, i)| (d.id, i)).collect();
    let mut order: Vec<(u32, u32)> = events
        .iter()
        .zip(0..u32::MAX)
        .filter(|(e, _)| matches!(e.kind, EventKind::Created | EventKind::Moved))
        .filter_map(|(e, i)| index.get(&e.deal_id).map(|&d| (d, i)))
        .collect();
    order.sort_unstable_by_key(|&(d, i)| (d, events.get(i as usize).map(|e| (e.at, e.id))));
    let mut visits: Vec<Visit> = Vec::new();
    let mut evs: Vec<&HistoryEvent> = Vec::new();
    let mut next = 0usize;
    for (deal, di) in deals.iter().zip(0..u32::MAX) {
        let lo = next;
        while order.get(next).is_some_and(|&(d, _)| d == di) {
            next += 1;
        }
        evs.clear();
        evs.extend(order.get(lo..next).unwrap_or(&[]).iter().filter_map(|&(_, i)| events.get(i as usize)));
        let first_from = evs.iter().find(|e| e.kind == EventKind::Moved).and_then(|e| e.from_stage_id);
        let fallback = first_from.unwrap_or(deal.stage_id);
        let (start, first) = match evs.iter().find(|e| e.kind == EventKind::Created) {
            Some(c) => (c.at, c.to_stage_id.unwrap_or(fallback)),
            None => (deal.created_at, fallback),
        };
        visits.clear();
        visits.push(Visit { stage_id: first, enter: start, leave: None });
        for e in evs.iter().filter(|e| e.kind == EventKind::Moved) {
            let Some(cur) = visits.last_mut() else { continue };
            // A move stamped before the creation (clock skew) is taken as happening at it.
            let at = e.at.max(cur.enter);
            cur.leave = Some(at);
            let stage_id = e.to_stage_id.unwrap_or(cur.stage_id);
            visits.push(Visit { stage_id, enter: at, leave: None });
        }
        f(deal, &visits);
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageStats {
    pub stage_id: i32,
    pub pipeline_id: i32,
    pub position: i32,
    pub kind: StageKind,
    /// Deals that entered the stage in the window.
    pub entered: u64,
    /// Of those, deals that later reached a higher open stage or won.
    pub advanced: u64,
    /// advanced ÷ entered × 100 (open stages only).
    pub conversion_pct: Option<f64>,
    /// Visits of the stage that ended in the window.
    pub left: u64,
    pub avg_days: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CycleStats {
    /// Sorted by pipeline, position.
    pub stages: Vec<StageStats>,
    pub won: u64,
    pub lost: u64,
    /// won ÷ (won + lost) × 100.
    pub win_rate_pct: Option<f64>,
    /// Creation → won, in days, over the deals won in the window.
    pub avg_cycle_days: Option<f64>,
}

fn secs(from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    to.signed_duration_since(from).num_seconds().max(0)
}

fn ratio_pct(n: u64, d: u64) -> Option<f64> {
    (d > 0).then(|| n as f64 * 100.0 / d as f64)
}

fn avg_days(total_secs: i64, n: u64) -> Option<f64> {
    (n > 0).then(|| total_secs as f64 / DAY_SECS as f64 / n as f64)
}

/// Conversion, days in stage, win rate and sales cycle from history (rules in the module doc).
pub fn cycle_stats(deals: &[Deal], stages: &[Stage], events: &[HistoryEvent], window: Window) -> CycleStats {
    let mut sorted: Vec<&Stage> = stages.iter().collect();
    sorted.sort_by_key(|s| (s.pipeline_id, s.position, s.id));
    let slot: HashMap<i32, usize> = sorted.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
    // Per stage: entered, advanced, left, seconds of the left visits.
    let mut acc = vec![(0u64, 0u64, 0u64, 0i64); sorted.len()];
    let (mut won, mut lost, mut cycle_secs) = (0u64, 0u64, 0i64);
    let mut advanced: Vec<bool> = Vec::new();
    let mut seen: Vec<i32> = Vec::new();
    // Best position reached later, per pipeline (almost always one).
    let mut best: Vec<(i32, i32)> = Vec::new();
    for_each_visits(deals, events, |_, visits| {
        let stage = |v: &Visit| slot.get(&v.stage_id).and_then(|&i| sorted.get(i).copied());
        // Newest to oldest, keeping the best later reach per pipeline, so each visit learns in O(1)
        // whether the deal moved on after it.
        advanced.clear();
        advanced.resize(visits.len(), false);
        let mut later_won = false;
        best.clear();
        for (i, v) in visits.iter().enumerate().rev() {
            let Some(s) = stage(v) else { continue };
            let reach = best.iter().find(|(p, _)| *p == s.pipeline_id).map(|(_, pos)| *pos);
            if let Some(a) = advanced.get_mut(i) {
                *a = later_won || reach.is_some_and(|r| r > s.position);
            }
            match s.kind {
                StageKind::Won => later_won = true,
                StageKind::Open => match best.iter_mut().find(|(p, _)| *p == s.pipeline_id) {
                    Some(b) => b.1 = b.1.max(s.position),
                    None => best.push((s.pipeline_id, s.position)),
                },
                StageKind::Lost => {}
            }
        }
        seen.clear();
        for (i, v) in visits.iter().enumerate() {
            let Some(&k) = slot.get(&v.stage_id) else { continue };
            let Some(a) = acc.get_mut(k) else { continue };
            if window.contains(v.enter) && !seen.contains(&v.stage_id) {
                seen.push(v.stage_id);
                a.0 += 1;
                a.1 += u64::from(advanced.get(i).copied().unwrap_or(false));
            }
            if let Some(l) = v.leave.filter(|l| window.contains(*l)) {
                a.2 += 1;
                a.3 = a.3.saturating_add(secs(v.enter, l));
            }
        }
        if let Some(last) = visits.iter().rev().find(|v| v.enter < window.to) {
            if window.contains(last.enter) {
                match stage(last).map(|s| s.kind) {
                    Some(StageKind::Won) => {
                        won += 1;
                        let created = visits.first().map_or(last.enter, |f| f.enter);
                        cycle_secs = cycle_secs.saturating_add(secs(created, last.enter));
                    }
                    Some(StageKind::Lost) => lost += 1,
                    _ => {}
                }
            }
        }
    });
    let rows = sorted
        .iter()
        .zip(&acc)
        .map(|(s, &(entered, adv, left, total))| StageStats {
            stage_id: s.id,
            pipeline_id: s.pipeline_id,
            position: s.position,
            kind: s.kind,
            entered,
            advanced: adv,
            conversion_pct: if s.kind == StageKind::Open { ratio_pct(adv, entered) } else { None },
            left,
            avg_days: avg_days(total, left),
        })
        .collect();
    CycleStats { stages: rows, won, lost, win_rate_pct: ratio_pct(won, won + lost), avg_cycle_days: avg_days(cycle_secs, won) }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StuckDeal {
    pub deal_id: i32,
    pub owner_id: i32,
    pub stage_id: i32,
    pub days_in_stage: i64,
    pub stuck_days: i32,
}

/// Open deals that have been in their stage longer than its limit, at `now`.
pub fn stuck_deals(deals: &[Deal], stages: &[Stage], now: DateTime<Utc>) -> Vec<StuckDeal> {
    let sm = StageMap::new(stages);
    deals
        .iter()
        .filter_map(|d| {
            let s = sm.get(d.stage_id).filter(|s| s.kind == StageKind::Open && s.stuck_days > 0)?;
            let days = now.signed_duration_since(d.stage_entered_at).num_days().max(0);
            (days > i64::from(s.stuck_days)).then_some(StuckDeal {
                deal_id: d.id,
                owner_id: d.owner_id,
                stage_id: d.stage_id,
                days_in_stage: days,
                stuck_days: s.stuck_days,
            })
        })
        .collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FunnelGap {
    /// History shows no open stage at all.
    NeverOpen,
    /// Open stages for fewer than the minimum days in total.
    BrieflyOpen,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnfunneledDeal {
    pub deal_id: i32,
    pub owner_id: i32,
    pub won_at: DateTime<Utc>,
    /// Whole days spent in open stages.
    pub days_in_funnel: i64,
    pub gap: FunnelGap,
}

/// Won deals that were never, or for fewer than `min_days` in total, in an open stage.
pub fn signed_outside_funnel(deals: &[Deal], stages: &[Stage], events: &[HistoryEvent], min_days: i64) -> Vec<UnfunneledDeal> {
    let sm = StageMap::new(stages);
    let won: Vec<Deal> = deals.iter().filter(|d| sm.get(d.stage_id).is_some_and(|s| s.kind == StageKind::Won)).cloned().collect();
    let mut out = Vec::new();
    for_each_visits(&won, events, |d, visits| {
        let open: Vec<&Visit> = visits.iter().filter(|v| sm.get(v.stage_id).is_some_and(|s| s.kind == StageKind::Open)).collect();
        // An open stay with no recorded move out ended when the row says the deal was won.
        let total = open.iter().fold(0i64, |t, v| t.saturating_add(secs(v.enter, v.leave.unwrap_or(d.stage_entered_at))));
        let gap = if open.is_empty() {
            Some(FunnelGap::NeverOpen)
        } else if total < min_days.saturating_mul(DAY_SECS) {
            Some(FunnelGap::BrieflyOpen)
        } else {
            None
        };
        if let Some(gap) = gap {
            out.push(UnfunneledDeal {
                deal_id: d.id,
                owner_id: d.owner_id,
                won_at: d.stage_entered_at,
                days_in_funnel: total / DAY_SECS,
                gap,
            });
        }
    });
    out
}

// ---------------------------------------------------------------------------------------------
// New-rep ramp (成功路线图)
// ---------------------------------------------------------------------------------------------

/// Positions in the solution-sale template that the roadmap names.
pub const POS_INTENT_CONFIRMED: i32 = 2;
pub const POS_CUSTOMER_APPROVAL: i32 = 4;
pub const POS_NEGOTIATION: i32 = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RampPhase {
    /// Before the quota starts (销售培训期).
    Training,
    M0to3,
    M3to6,
    M6to9,
    /// Months 9–12 and every month after (the seed repeats this phase).
    M9to12,
}

/// At least `deals` deals at stage position ≥ `min_position` (or won).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReachTarget {
    pub min_position: i32,
    pub deals: u32,
}

/// Weekly work standards of a phase: shown, not measured (activities are not in this data).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklyStandards {
    pub accounts_profiled: Option<u32>,
    pub prospecting_hours: Option<u32>,
    pub visit_hours: Option<u32>,
    pub visits_min: Option<u32>,
    pub visits_max: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RampTarget {
    pub phase: RampPhase,
    pub accounts_researched: Option<u32>,
    pub opportunities_found: Option<u32>,
    pub reached: Vec<ReachTarget>,
    pub wins: Option<u32>,
    /// At least one win of at least this amount.
    pub min_win_fen: Option<i64>,
    /// (won this tenure year + open weighted) ÷ annual quota, percent (客户群可实现定额的%).
    pub pipeline_pct: Option<u32>,
    /// Won in the current 3-month phase ÷ that phase's quota, percent.
    pub phase_quota_pct: Option<u32>,
    /// Won this tenure year ÷ annual quota, percent.
    pub year_quota_pct: Option<u32>,
    pub weekly: WeeklyStandards,
}

/// Seed 001's roadmap, phase by phase ("at least" figures).
pub fn ramp_target(phase: RampPhase) -> RampTarget {
    let none = RampTarget {
        phase,
        accounts_researched: None,
        opportunities_found: None,
        reached: Vec::new(),
        wins: None,
        min_win_fen: None,
        pipeline_pct: None,
        phase_quota_pct: None,
        year_quota_pct: None,
        weekly: WeeklyStandards::default(),
    };
    let reach = |min_position, deals| ReachTarget { min_position, deals };
    match phase {
        RampPhase::Training => RampTarget { accounts_researched: Some(20), opportunities_found: Some(5), ..none },
        RampPhase::M0to3 => RampTarget {
            opportunities_found: Some(15),
            reached: vec![reach(POS_INTENT_CONFIRMED, 3), reach(POS_CUSTOMER_APPROVAL, 1)],
            weekly: WeeklyStandards { accounts_profiled: Some(5), prospecting_hours: Some(8), visit_hours: Some(10), ..Default::default() },
            ..none
        },
        RampPhase::M3to6 => RampTarget {
            reached: vec![reach(POS_INTENT_CONFIRMED, 8), reach(POS_CUSTOMER_APPROVAL, 4)],
            wins: Some(1),
            min_win_fen: Some(35_000_000),
            pipeline_pct: Some(75),
            phase_quota_pct: Some(100),
            weekly: WeeklyStandards { prospecting_hours: Some(10), visits_min: Some(6), visits_max: Some(8), ..Default::default() },
            ..none
        },
        RampPhase::M6to9 => RampTarget {
            reached: vec![reach(POS_CUSTOMER_APPROVAL, 8), reach(POS_NEGOTIATION, 4)],
            pipeline_pct: Some(125),
            year_quota_pct: Some(50),
            weekly: WeeklyStandards { prospecting_hours: Some(4), visits_min: Some(10), visits_max: Some(12), ..Default::default() },
            ..none
        },
        RampPhase::M9to12 => RampTarget { pipeline_pct: Some(150), year_quota_pct: Some(100), ..none },
    }
}

/// Whole months from `started_on` to `today`; None before the start.
fn months_since(started_on: NaiveDate, today: NaiveDate) -> Option<u32> {
    if today < started_on {
        return None;
    }
    let mut m = u32::try_from((today.year() - started_on.year()) * 12 + today.month() as i32 - started_on.month() as i32).unwrap_or(0);
    while m > 0 && add_months(started_on, m) > today {
        m -= 1;
    }
    Some(m)
}

/// The roadmap phase of a rep whose quota starts on `started_on`.
pub fn ramp_phase(started_on: NaiveDate, today: NaiveDate) -> RampPhase {
    match months_since(started_on, today) {
        None => RampPhase::Training,
        Some(0..=2) => RampPhase::M0to3,
        Some(3..=5) => RampPhase::M3to6,
        Some(6..=8) => RampPhase::M6to9,
        Some(_) => RampPhase::M9to12,
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RampInput {
    pub owner_id: i32,
    /// The rep's first day (training included): deals created since count as found by them.
    pub joined_on: NaiveDate,
    /// The day the quota starts: month 0.
    pub started_on: NaiveDate,
    pub today: NaiveDate,
    /// Accounts the rep has profiled (the service counts them).
    pub accounts_researched: u32,
    /// Quota of the current 3-month phase.
    pub phase_quota_fen: i64,
    /// Quota of the current tenure year.
    pub year_quota_fen: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RampMetric {
    AccountsResearched,
    OpportunitiesFound,
    /// Deals at this position or beyond.
    Reached(i32),
    Wins,
    LargestWinFen,
    PipelinePct,
    PhaseQuotaPct,
    YearQuotaPct,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RampCheck {
    pub metric: RampMetric,
    pub target: i64,
    pub actual: i64,
    pub met: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RampReport {
    pub phase: RampPhase,
    /// First day of the current 3-month phase (None in training).
    pub phase_start: Option<NaiveDate>,
    pub target: RampTarget,
    pub checks: Vec<RampCheck>,
}

fn pct_of(part: i64, whole: i64) -> i64 {
    if whole <= 0 {
        return 0;
    }
    i64::try_from(i128::from(part) * 100 / i128::from(whole)).unwrap_or(i64::MAX)
}

/// The rep's phase targets against actuals from their deals (those with `owner_id`):
/// found = created on/after `joined_on`, any stage; reached(p) = open at position ≥ p, or won;
/// wins and won amounts count deals that entered a won stage on/after the phase or tenure-year
/// start (local dates); pipeline = open weighted of all their open deals.
pub fn ramp_report(input: &RampInput, deals: &[Deal], stages: &[Stage], offset: FixedOffset) -> RampReport {
    let phase = ramp_phase(input.started_on, input.today);
    let target = ramp_target(phase);
    let months = months_since(input.started_on, input.today);
    let phase_start = months.map(|m| add_months(input.started_on, m / 3 * 3));
    let year_start = add_months(input.started_on, months.map_or(0, |m| m / 12 * 12));
    let sm = StageMap::new(stages);
    let (mut found, mut wins, mut largest, mut won_phase, mut won_year, mut open_w) = (0i64, 0i64, 0i64, 0i64, 0i64, 0i64);
    let mut reached = vec![0i64; target.reached.len()];
    for d in deals.iter().filter(|d| d.owner_id == input.owner_id) {
        if local_date(d.created_at, offset) >= input.joined_on {
            found += 1;
        }
        let Some(s) = sm.get(d.stage_id) else { continue };
        let won_on = local_date(d.stage_entered_at, offset);
        for (n, r) in reached.iter_mut().zip(&target.reached) {
            if s.kind == StageKind::Won || (s.kind == StageKind::Open && s.position >= r.min_position) {
                *n += 1;
            }
        }
        match s.kind {
            StageKind::Open => open_w = open_w.saturating_add(weighted_fen(d.amount_fen, s.win_rate_pct)),
            StageKind::Won => {
                if won_on >= year_start {
                    wins += 1;
                    largest = largest.max(d.amount_fen);
                    won_year = won_year.saturating_add(d.amount_fen);
                }
                if phase_start.is_some_and(|p| won_on >= p) {
                    won_phase = won_phase.saturating_add(d.amount_fen);
                }
            }
            _ => {}
        }
    }
    let mut checks = Vec::new();
    let mut check = |metric, target: Option<i64>, actual: i64| {
        if let Some(t) = target {
            checks.push(RampCheck { metric, target: t, actual, met: actual >= t });
        }
    };
    check(RampMetric::AccountsResearched, target.accounts_researched.map(i64::from), i64::from(input.accounts_researched));
    check(RampMetric::OpportunitiesFound, target.opportunities_found.map(i64::from), found);
    for (r, n) in target.reached.iter().zip(&reached) {
        check(RampMetric::Reached(r.min_position), Some(i64::from(r.deals)), *n);
    }
    check(RampMetric::Wins, target.wins.map(i64::from), wins);
    check(RampMetric::LargestWinFen, target.min_win_fen, largest);
    check(RampMetric::PipelinePct, target.pipeline_pct.map(i64::from), pct_of(won_year.saturating_add(open_w), input.year_quota_fen));
    check(RampMetric::PhaseQuotaPct, target.phase_quota_pct.map(i64::from), pct_of(won_phase, input.phase_quota_fen));
    check(RampMetric::YearQuotaPct, target.year_quota_pct.map(i64::from), pct_of(won_year, input.year_quota_fen));
    RampReport { phase, phase_start, target, checks }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn quarter_ids_are_consecutive_and_name_their_first_day() {
        for (d, id, first) in [
            ((2026, 1, 1), 2026 * 4, (2026, 1, 1)),
            ((2026, 3, 31), 2026 * 4, (2026, 1, 1)),
            ((2026, 4, 1), 2026 * 4 + 1, (2026, 4, 1)),
            ((2026, 12, 31), 2026 * 4 + 3, (2026, 10, 1)),
            ((2027, 1, 1), 2027 * 4, (2027, 1, 1)),
        ] {
            let day = NaiveDate::from_ymd_opt(d.0, d.1, d.2).unwrap();
            assert_eq!(quarter_id(day), id, "{day}");
            assert_eq!(quarter_of_id(id), NaiveDate::from_ymd_opt(first.0, first.1, first.2));
        }
        assert_eq!(
            quarter_id(NaiveDate::from_ymd_opt(2026, 10, 1).unwrap()) - 1,
            quarter_id(NaiveDate::from_ymd_opt(2026, 9, 30).unwrap())
        );
    }

    #[test]
    fn an_event_part_is_what_it_changed_in_the_scope() {
        let off = FixedOffset::east_opt(8 * 3600).unwrap();
        let stages = vec![
            Stage { id: 1, pipeline_id: 1, position: 1, win_rate_pct: 10, kind: StageKind::Open, stuck_days: 0 },
            Stage { id: 2, pipeline_id: 1, position: 2, win_rate_pct: 25, kind: StageKind::Open, stuck_days: 0 },
            Stage { id: 3, pipeline_id: 1, position: 3, win_rate_pct: 100, kind: StageKind::Won, stuck_days: 0 },
            Stage { id: 4, pipeline_id: 1, position: 4, win_rate_pct: 0, kind: StageKind::Lost, stuck_days: 0 },
        ];
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let q4 = Scope::quarter(day(11, 15), off);
        let at = local_midnight(day(11, 20), off);
        let s = |stage_id, amount_fen, close: NaiveDate| StateAt { stage_id, amount_fen, close_date: close, entered_at: at };
        let k = |kind| kind;
        for (kind, before, after, want) in [
            // Seed 001: RMB 1,000,000 at 25 % counts RMB 250,000.
            (k(EventKind::Created), None, s(2, 100_000_000, day(12, 1)), (ContributionKind::New, 25_000_000)),
            (
                k(EventKind::Moved),
                Some(s(1, 100_000_000, day(12, 1))),
                s(2, 100_000_000, day(12, 1)),
                (ContributionKind::MovedUp, 15_000_000),
            ),
            (
                k(EventKind::Moved),
                Some(s(2, 100_000_000, day(12, 1))),
                s(1, 100_000_000, day(12, 1)),
                (ContributionKind::MovedDown, -15_000_000),
            ),
            (k(EventKind::Moved), Some(s(2, 100_000_000, day(12, 1))), s(3, 100_000_000, day(12, 1)), (ContributionKind::Won, 75_000_000)),
            (
                k(EventKind::Moved),
                Some(s(2, 100_000_000, day(12, 1))),
                s(4, 100_000_000, day(12, 1)),
                (ContributionKind::Lost, -25_000_000),
            ),
            // Slipped out of the quarter: its whole weighted value leaves.
            (
                k(EventKind::CloseDateChanged),
                Some(s(2, 100_000_000, day(12, 1))),
                s(2, 100_000_000, day(1, 5).with_year(2027).unwrap()),
                (ContributionKind::Slipped, -25_000_000),
            ),
            (
                k(EventKind::CloseDateChanged),
                Some(s(2, 100_000_000, day(12, 20))),
                s(2, 100_000_000, day(12, 1)),
                (ContributionKind::PulledIn, 0),
            ),
            (
                k(EventKind::AmountChanged),
                Some(s(2, 100_000_000, day(12, 1))),
                s(2, 100_000_002, day(12, 1)),
                (ContributionKind::AmountChanged, 1),
            ),
        ] {
            assert_eq!(event_part(kind, before.as_ref(), &after, &stages, q4), want, "{kind:?} {before:?} → {after:?}");
        }
        // A deal won before the scope's quarter began does not count as won in it.
        let old = StateAt { entered_at: local_midnight(day(9, 1), off), ..s(3, 100_000_000, day(9, 1)) };
        let reopened = s(2, 100_000_000, day(12, 1));
        assert_eq!(event_part(EventKind::Moved, Some(&old), &reopened, &stages, q4), (ContributionKind::Other, 25_000_000));
    }

    #[test]
    fn far_terms_sum_to_the_event_part_in_every_quarter_two_or_more_back() {
        let off = FixedOffset::east_opt(8 * 3600).unwrap();
        let stages = vec![
            Stage { id: 1, pipeline_id: 1, position: 1, win_rate_pct: 10, kind: StageKind::Open, stuck_days: 0 },
            Stage { id: 2, pipeline_id: 1, position: 2, win_rate_pct: 25, kind: StageKind::Open, stuck_days: 0 },
            Stage { id: 3, pipeline_id: 1, position: 3, win_rate_pct: 100, kind: StageKind::Won, stuck_days: 0 },
            Stage { id: 4, pipeline_id: 1, position: 4, win_rate_pct: 0, kind: StageKind::Lost, stuck_days: 0 },
        ];
        // The event's day is in 2026 Q4; the quarters it is summarised for are Q2 and earlier.
        let day = d("2026-11-20");
        let at = local_midnight(day, off) + Duration::hours(10);
        let s = |stage_id, amount_fen, close: &str, entered: DateTime<Utc>| StateAt {
            stage_id,
            amount_fen,
            close_date: d(close),
            entered_at: entered,
        };
        let won_march = local_midnight(d("2026-03-15"), off);
        let won_2025 = local_midnight(d("2025-11-05"), off);
        type Case = (EventKind, Option<StateAt>, StateAt, usize);
        let cases: Vec<Case> = vec![
            // Overdue since May: counts in Q2's horizon, not Q1's.
            (EventKind::Created, None, s(2, 100_000_000, "2026-05-10", at), 1),
            // Closing after the previous quarter began: never in an old quarter's horizon.
            (EventKind::Created, None, s(2, 100_000_000, "2026-12-01", at), 0),
            (EventKind::Moved, Some(s(2, 100_000_000, "2026-02-01", won_march)), s(3, 100_000_000, "2026-02-01", at), 2),
            // A won deal's amount: both terms in its won month, merged.
            (EventKind::AmountChanged, Some(s(3, 80_000_000, "2026-03-15", won_march)), s(3, 90_000_001, "2026-03-15", won_march), 1),
            // Reopened: won in 2025 Q4, back to open with an old close date.
            (EventKind::Moved, Some(s(3, 50_000_000, "2025-10-01", won_2025)), s(1, 50_000_000, "2025-10-01", at), 2),
            // Slipped out of Q2's horizon.
            (EventKind::CloseDateChanged, Some(s(2, 40_000_000, "2026-06-10", at)), s(2, 40_000_000, "2026-08-10", at), 1),
            (EventKind::Moved, Some(s(2, 40_000_000, "2026-06-01", at)), s(4, 40_000_000, "2026-06-01", at), 1),
        ];
        let scopes: Vec<Scope> =
            ["2026-05-01", "2026-02-01", "2025-12-01", "2025-08-01", "2024-01-01"].into_iter().map(|x| Scope::quarter(d(x), off)).collect();
        let mut nonzero = 0;
        for (kind, before, after, n) in &cases {
            let terms = far_terms(before.as_ref(), after, &stages, day, off);
            assert_eq!(terms.len(), *n, "{kind:?} {before:?} → {after:?}: {terms:?}");
            for scope in &scopes {
                let want = event_part(*kind, before.as_ref(), after, &stages, *scope).1;
                let got: i64 = terms.iter().filter(|t| t.counts_in(*scope, off)).map(|t| t.fen).sum();
                assert_eq!(got, want, "{kind:?} {before:?} → {after:?} in {scope:?}");
                nonzero += usize::from(want != 0);
            }
        }
        assert!(nonzero >= 12, "the cases exercise both terms in several quarters ({nonzero})");
        // The won month is clipped to the previous quarter's first: every old quarter counts it.
        let won_now = far_terms(None, &s(3, 7, "2026-11-20", at), &stages, day, off);
        assert_eq!(won_now, vec![FarTerm { won: true, month: 202607, fen: 7 }]);
    }

    const RMB: i64 = 100;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// "2027-02-08" (midnight UTC) or "2027-02-08T10:00:00Z".
    fn t(s: &str) -> DateTime<Utc> {
        if s.len() == 10 {
            d(s).and_time(NaiveTime::MIN).and_utc()
        } else {
            s.parse().unwrap()
        }
    }

    fn utc() -> FixedOffset {
        FixedOffset::east_opt(0).unwrap()
    }

    fn cst() -> FixedOffset {
        FixedOffset::east_opt(8 * 3600).unwrap()
    }

    fn stage(id: i32, pipeline_id: i32, position: i32, win_rate_pct: i32, kind: StageKind, stuck_days: i32) -> Stage {
        Stage { id, pipeline_id, position, win_rate_pct, kind, stuck_days }
    }

    /// The solution-sale template: 1..5 open at 10/25/40/60/80 %, 6 won, 7 lost.
    fn solution() -> Vec<Stage> {
        vec![
            stage(1, 1, 1, 10, StageKind::Open, 14),
            stage(2, 1, 2, 25, StageKind::Open, 21),
            stage(3, 1, 3, 40, StageKind::Open, 30),
            stage(4, 1, 4, 60, StageKind::Open, 30),
            stage(5, 1, 5, 80, StageKind::Open, 21),
            stage(6, 1, 6, 100, StageKind::Won, 0),
            stage(7, 1, 7, 0, StageKind::Lost, 0),
        ]
    }

    fn deal(id: i32, owner_id: i32, stage_id: i32, amount_fen: i64, close: &str, created: &str) -> Deal {
        Deal {
            id,
            owner_id,
            team_id: owner_id * 10,
            pipeline_id: 1,
            stage_id,
            amount_fen,
            close_date: d(close),
            owner_category: None,
            manager_category: None,
            created_at: t(created),
            stage_entered_at: t(created),
        }
    }

    fn ev(id: i64, deal_id: i32, at: &str, kind: EventKind) -> HistoryEvent {
        HistoryEvent { id, deal_id, at: t(at), kind, ..Default::default() }
    }

    fn created(id: i64, deal_id: i32, at: &str, stage: i32, amount_fen: i64, close: &str) -> HistoryEvent {
        HistoryEvent {
            to_stage_id: Some(stage),
            new_amount_fen: Some(amount_fen),
            new_close_date: Some(d(close)),
            ..ev(id, deal_id, at, EventKind::Created)
        }
    }

    fn moved(id: i64, deal_id: i32, at: &str, from: i32, to: i32) -> HistoryEvent {
        HistoryEvent { from_stage_id: Some(from), to_stage_id: Some(to), ..ev(id, deal_id, at, EventKind::Moved) }
    }

    fn amount(id: i64, deal_id: i32, at: &str, old: i64, new: i64) -> HistoryEvent {
        HistoryEvent { old_amount_fen: Some(old), new_amount_fen: Some(new), ..ev(id, deal_id, at, EventKind::AmountChanged) }
    }

    fn close(id: i64, deal_id: i32, at: &str, old: &str, new: &str) -> HistoryEvent {
        HistoryEvent { old_close_date: Some(d(old)), new_close_date: Some(d(new)), ..ev(id, deal_id, at, EventKind::CloseDateChanged) }
    }

    // ---- small rules ------------------------------------------------------------------------

    #[test]
    fn seed_001_a_million_at_25_pct_counts_a_quarter_million() {
        assert_eq!(weighted_fen(1_000_000 * RMB, 25), 250_000 * RMB);
        let deals = vec![deal(1, 1, 2, 1_000_000 * RMB, "2027-03-01", "2027-01-01")];
        let facts = deal_facts(&deals, &solution(), d("2027-02-01"), t("2027-01-01"));
        assert_eq!(facts[0].weighted_fen, 250_000 * RMB);
    }

    #[test]
    fn weighted_rounds_half_away_from_zero() {
        let cases = [
            (0, 25, 0),
            (1, 49, 0),
            (1, 50, 1),
            (3, 33, 1),
            (199, 25, 50),
            (-1, 50, -1),
            (-1, 49, 0),
            (12_345, 0, 0),
            (12_345, 100, 12_345),
            (i64::MAX, 100, i64::MAX),
            (i64::MAX, 200, i64::MAX),
            (i64::MIN, 200, i64::MIN),
        ];
        for (amount, pct, want) in cases {
            assert_eq!(weighted_fen(amount, pct), want, "{amount} × {pct}%");
        }
    }

    #[test]
    fn parsing_stored_strings() {
        assert_eq!(StageKind::parse("open"), Some(StageKind::Open));
        assert_eq!(StageKind::parse("won"), Some(StageKind::Won));
        assert_eq!(StageKind::parse("lost"), Some(StageKind::Lost));
        assert_eq!(StageKind::parse("Won"), None);
        for c in ForecastCategory::ALL {
            assert_eq!(ForecastCategory::parse(c.as_str()), Some(c));
        }
        assert_eq!(ForecastCategory::parse("bestcase"), None);
        let kinds = [
            ("created", EventKind::Created),
            ("moved", EventKind::Moved),
            ("amount_changed", EventKind::AmountChanged),
            ("close_date_changed", EventKind::CloseDateChanged),
            ("category_changed", EventKind::CategoryChanged),
            ("category_adjusted", EventKind::CategoryAdjusted),
            ("blocked", EventKind::Attempt),
            ("forbidden", EventKind::Attempt),
            ("approval_requested", EventKind::Attempt),
            ("something_new", EventKind::Attempt),
        ];
        for (s, k) in kinds {
            assert_eq!(EventKind::parse(s), k, "{s}");
        }
    }

    #[test]
    fn calendar_helpers() {
        let quarters = [
            ("2027-01-01", "2027-01-01", "2027-03-31"),
            ("2027-02-28", "2027-01-01", "2027-03-31"),
            ("2027-04-01", "2027-04-01", "2027-06-30"),
            ("2027-09-30", "2027-07-01", "2027-09-30"),
            ("2027-12-31", "2027-10-01", "2027-12-31"),
        ];
        for (day, start, end) in quarters {
            assert_eq!((quarter_start(d(day)), quarter_end(d(day))), (d(start), d(end)), "{day}");
        }
        assert_eq!(add_months(d("2026-11-30"), 3), d("2027-02-28"));
        assert_eq!(add_months(d("2027-01-31"), 1), d("2027-02-28"));
        assert_eq!(add_months(NaiveDate::MAX, 1), NaiveDate::MAX);
        assert_eq!(local_midnight(d("2027-04-01"), cst()), t("2027-03-31T16:00:00Z"));
        assert_eq!(local_midnight(d("2027-04-01"), utc()), t("2027-04-01"));
        assert_eq!(local_date(t("2027-03-31T16:00:00Z"), cst()), d("2027-04-01"));
        assert_eq!(local_date(t("2027-03-31T15:59:59Z"), cst()), d("2027-03-31"));
        let weeks = week_ends(t("2027-03-29"), 13);
        assert_eq!(weeks.len(), 13);
        assert_eq!(weeks[0], t("2027-01-04"));
        assert_eq!(weeks[12], t("2027-03-29"));
        assert!(weeks.windows(2).all(|w| w[1] - w[0] == Duration::weeks(1)));
        let periods = [
            (Period::Month { year: 2027, month: 2 }, "2027-02-01", "2027-02-28"),
            (Period::Quarter { year: 2027, quarter: 4 }, "2027-10-01", "2027-12-31"),
            (Period::Year { year: 2028 }, "2028-01-01", "2028-12-31"),
        ];
        for (p, first, last) in periods {
            assert_eq!((p.first_day(), p.last_day()), (Some(d(first)), Some(d(last))), "{p:?}");
        }
        assert_eq!(Period::Quarter { year: 2027, quarter: 0 }.first_day(), None);
        assert_eq!(Period::Month { year: 2027, month: 13 }.last_day(), None);
    }

    /// 400 deals with odd amounts (per-deal rounding matters), every stage, categories, and
    /// won times around local month ends.
    fn varied_deals() -> Vec<Deal> {
        let cats = [None, Some(ForecastCategory::Commit), Some(ForecastCategory::BestCase), Some(ForecastCategory::Pipeline)];
        (0..400)
            .map(|i: i32| {
                let created = t("2026-01-01") + chrono::Duration::hours(i64::from(i) * 37 + 15);
                Deal {
                    id: i + 1,
                    owner_id: i % 5 + 1,
                    team_id: i % 2 + 1,
                    pipeline_id: 1,
                    stage_id: i % 7 + 1,
                    amount_fen: 10_001 + i64::from(i) * 7_777,
                    close_date: d("2026-09-01") + chrono::Duration::days(i64::from(i) * 3 % 700),
                    owner_category: cats[(i % 4) as usize],
                    manager_category: cats[(i / 4 % 4) as usize],
                    created_at: created,
                    stage_entered_at: created + chrono::Duration::hours(i64::from(i % 24)),
                }
            })
            .collect()
    }

    #[test]
    fn cells_give_the_same_figures_as_the_deals() {
        let (stages, deals) = (solution(), varied_deals());
        let cells = cells_of(&deals, &stages, cst());
        assert!(cells.len() < deals.len(), "deals share cells");
        assert_eq!(cells.iter().map(|c| c.count).sum::<i64>(), deals.iter().filter(|d| d.stage_id != 7).count() as i64);
        for today in ["2026-11-30", "2026-12-01", "2027-03-31"].map(d) {
            for since in ["2026-01-01", "2026-10-01", "2026-12-01", "2027-04-01"].map(d) {
                let from_deals = deal_facts(&deals, &stages, today, local_midnight(since, cst()));
                let from_cells = cell_facts(&cells, &stages, today, month_key(since));
                for by in [
                    GroupBy::Owner,
                    GroupBy::Team,
                    GroupBy::Pipeline,
                    GroupBy::Bucket,
                    GroupBy::Category,
                    GroupBy::Month,
                    GroupBy::Quarter,
                    GroupBy::Year,
                ] {
                    assert_eq!(group(&from_cells, by), group(&from_deals, by), "{today} {since} {by:?}");
                }
            }
        }
    }

    #[test]
    fn the_value_of_the_present_from_cells_equals_the_deals() {
        let (stages, deals) = (solution(), varied_deals());
        let cells = cells_of(&deals, &stages, cst());
        for day in ["2026-03-15", "2026-11-30", "2027-01-01", "2027-06-30"].map(d) {
            let scope = Scope::quarter(day, cst());
            assert_eq!(cells_value(&cells, &stages, scope, cst()), present_value(&deals, &stages, scope), "{day}");
            let open_ended = Scope { horizon_end: None, ..scope };
            assert_eq!(cells_value(&cells, &stages, open_ended, cst()), present_value(&deals, &stages, open_ended), "{day}");
        }
        let (f, w) = present_value(&deals, &stages, Scope::quarter(d("2026-11-30"), cst()));
        assert!(f > 0 && w > 0, "the fixture has open and won deals in the quarter: {f} {w}");
    }

    #[test]
    fn points_from_cells_equal_the_deals() {
        let (stages, deals) = (solution(), varied_deals());
        let cells = cells_of(&deals, &stages, cst());
        let at = t("2026-12-01");
        for day in ["2026-03-15", "2026-11-30", "2027-01-01"].map(d) {
            let scope = Scope::quarter(day, cst());
            assert_eq!(cells_point(&cells, &stages, scope, cst(), at), present_point(&deals, &stages, scope, at), "{day}");
        }
        // Replaying a part and taking the rest from the present gives the whole.
        let scope = Scope::quarter(d("2026-11-30"), cst());
        let whole = present_point(&deals, &stages, scope, at);
        let (some, rest) = deals.split_at(150);
        let parts = combine_point(present_point(some, &stages, scope, at), whole, present_point(some, &stages, scope, at));
        assert_eq!(parts, whole);
        assert_eq!(combine_point(present_point(rest, &stages, scope, at), whole, present_point(rest, &stages, scope, at)), whole);
        // A week ending at midnight on 1 October (Beijing) belongs to the third quarter.
        assert_eq!(point_scope(t("2026-09-30T16:00:00Z"), cst()), Scope::quarter(d("2026-09-30"), cst()));
    }

    #[test]
    fn cell_keys_follow_the_local_month_of_winning() {
        let s = stage(6, 1, 6, 100, StageKind::Won, 0);
        let mut won = deal(1, 1, 6, 100 * RMB, "2026-12-15", "2026-11-30T15:59:59Z");
        // 23:59:59 on 30 November in Beijing: still November.
        assert_eq!(cell_of(&won, &s, cst()).unwrap().0.won_month, 202611);
        won.stage_entered_at = t("2026-11-30T16:00:00Z");
        assert_eq!(cell_of(&won, &s, cst()).unwrap().0.won_month, 202612);
        assert_eq!(cell_of(&won, &stage(7, 1, 7, 0, StageKind::Lost, 0), cst()), None);
        let open = cell_of(&won, &stage(2, 1, 2, 25, StageKind::Open, 0), cst()).unwrap();
        assert_eq!((open.0.won_month, open.0.close_month, open.1), (0, 202612, 2_500));
        assert_eq!(month_first(202612), Some(d("2026-12-01")));
        assert_eq!(month_first(202613), None);
    }

    #[test]
    fn close_buckets_match_the_board_filter_bounds() {
        let today = d("2026-11-30");
        let cases = [
            (StageKind::Open, "2025-01-01", Some(CloseBucket::M3)), // overdue
            (StageKind::Open, "2026-11-30", Some(CloseBucket::M3)),
            (StageKind::Open, "2027-01-31", Some(CloseBucket::M3)),
            (StageKind::Open, "2027-02-01", Some(CloseBucket::M6)),
            (StageKind::Open, "2027-04-30", Some(CloseBucket::M6)),
            (StageKind::Open, "2027-05-01", Some(CloseBucket::M9)),
            (StageKind::Open, "2027-07-31", Some(CloseBucket::M9)),
            (StageKind::Open, "2027-08-01", Some(CloseBucket::M12)),
            (StageKind::Open, "2027-10-31", Some(CloseBucket::M12)),
            (StageKind::Open, "2027-11-01", Some(CloseBucket::Later)),
            (StageKind::Won, "2030-01-01", Some(CloseBucket::Won)),
            (StageKind::Won, "2020-01-01", Some(CloseBucket::Won)),
            (StageKind::Lost, "2027-01-01", None),
        ];
        for (kind, close, want) in cases {
            assert_eq!(close_bucket(kind, d(close), today), want, "{kind:?} {close}");
        }
        // Every close date over two years, from several "todays": the bucket is the board
        // filter's bucket, and it depends on the close month only.
        for today in ["2026-11-30", "2026-01-01", "2027-02-15"].map(d) {
            for n in -30..760 {
                let close = today + chrono::Duration::days(n);
                let b = close_bucket(StageKind::Open, close, today).unwrap();
                let code = ["m3", "m6", "m9", "m12", "later"][CloseBucket::ALL.iter().position(|x| *x == b).unwrap() - 1];
                let (lo, hi) = crate::domain::dto::bucket_bounds(code, today).unwrap();
                assert!(lo.is_none_or(|lo| close > lo) && hi.is_none_or(|hi| close <= hi), "{today} {close} {code}");
                let first = month_first(month_key(close)).unwrap();
                assert_eq!(close_bucket(StageKind::Open, first, today), Some(b), "{close}");
            }
        }
    }

    #[test]
    fn default_category_rule() {
        use ForecastCategory as C;
        let today = d("2027-02-15"); // Q1 ends 03-31, Q2 ends 06-30
        let cases = [
            (StageKind::Open, 80, "2027-03-31", C::Commit),
            (StageKind::Open, 70, "2026-12-01", C::Commit), // overdue still counts this quarter
            (StageKind::Open, 69, "2027-03-01", C::BestCase),
            (StageKind::Open, 30, "2027-01-01", C::BestCase),
            (StageKind::Open, 29, "2027-03-01", C::Pipeline),
            (StageKind::Open, 10, "2027-02-15", C::Pipeline),
            (StageKind::Open, 80, "2027-04-01", C::NextQuarter),
            (StageKind::Open, 30, "2027-06-30", C::NextQuarter),
            (StageKind::Open, 25, "2027-06-30", C::Pipeline),
            (StageKind::Open, 80, "2027-07-01", C::Pipeline),
            (StageKind::Open, 100, "2030-01-01", C::Pipeline),
            (StageKind::Won, 100, "2027-07-01", C::Won),
            (StageKind::Won, 0, "2026-01-01", C::Won),
            (StageKind::Lost, 80, "2027-03-01", C::Lost),
        ];
        for (kind, pct, close, want) in cases {
            assert_eq!(default_category(kind, pct, d(close), today), want, "{kind:?} {pct}% {close}");
        }
        // Year boundary: in Q4 the next quarter is Q1 of the next year.
        assert_eq!(default_category(StageKind::Open, 40, d("2028-03-31"), d("2027-11-15")), C::NextQuarter);
        assert_eq!(default_category(StageKind::Open, 40, d("2028-04-01"), d("2027-11-15")), C::Pipeline);
    }

    #[test]
    fn effective_category_prefers_manager_then_owner_then_default() {
        use ForecastCategory as C;
        let cases = [
            (C::BestCase, None, None, C::BestCase),
            (C::BestCase, Some(C::Commit), None, C::Commit),
            (C::BestCase, Some(C::Commit), Some(C::Pipeline), C::Pipeline),
            (C::BestCase, None, Some(C::NextQuarter), C::NextQuarter),
            (C::Pipeline, Some(C::Won), None, C::Pipeline), // an open deal cannot be called won
            (C::Pipeline, Some(C::Commit), Some(C::Lost), C::Commit), // invalid adjustment falls through
            (C::Won, Some(C::Pipeline), Some(C::Commit), C::Won),
            (C::Lost, Some(C::Commit), None, C::Lost),
        ];
        for (default, owner, manager, effective) in cases {
            let v = category_view(default, owner, manager);
            assert_eq!(v, CategoryView { default, owner, manager, effective }, "{default:?} {owner:?} {manager:?}");
        }
    }

    // ---- current figures ----------------------------------------------------------------------

    /// today 2027-02-15; won since 2027-01-01.
    fn board() -> Vec<Deal> {
        let mut v = vec![
            deal(1, 1, 5, 1_000_000 * RMB, "2027-03-20", "2027-01-05"), // 80 % this quarter: commit, m3
            deal(2, 1, 2, 400_000 * RMB, "2027-04-20", "2027-01-06"),   // 25 % next quarter: pipeline, m3
            deal(3, 2, 4, 2_000_000 * RMB, "2027-06-10", "2027-01-07"), // 60 % next quarter: next_quarter, m6
            deal(4, 2, 3, 300_000 * RMB, "2026-12-31", "2026-10-01"),   // 40 % overdue: best_case, m3
            deal(5, 3, 1, 5_000_000 * RMB, "2028-03-01", "2027-01-08"), // 10 % later: pipeline
            deal(6, 3, 6, 700_000 * RMB, "2027-02-01", "2026-11-01"),   // won 2027-02-01: counted
            deal(7, 1, 6, 900_000 * RMB, "2026-12-20", "2026-10-01"),   // won 2026-12-20: before won_since
            deal(8, 2, 7, 600_000 * RMB, "2027-03-01", "2027-01-01"),   // lost: never counted
            deal(9, 3, 99, 100_000 * RMB, "2027-03-01", "2027-01-01"),  // unknown stage: ignored
            deal(10, 1, 3, 800_000 * RMB, "2027-09-01", "2027-01-09"),  // 40 % m9: pipeline
        ];
        v[5].stage_entered_at = t("2027-02-01");
        v[6].stage_entered_at = t("2026-12-20");
        v[1].owner_category = Some(ForecastCategory::BestCase);
        v[2].owner_category = Some(ForecastCategory::Commit);
        v[2].manager_category = Some(ForecastCategory::BestCase);
        v[3].team_id = 99;
        v
    }

    fn board_facts() -> Vec<DealFact> {
        deal_facts(&board(), &solution(), d("2027-02-15"), t("2027-01-01"))
    }

    fn totals(count: u64, amount_rmb: i64, weighted_rmb: i64) -> Totals {
        Totals { count, amount_fen: amount_rmb * RMB, weighted_fen: weighted_rmb * RMB }
    }

    fn none() -> Totals {
        Totals::default()
    }

    #[test]
    fn facts_keep_open_and_recently_won_deals() {
        let f = board_facts();
        assert_eq!(f.iter().map(|f| f.deal_id).collect::<Vec<_>>(), vec![1, 2, 3, 4, 5, 6, 10]);
        let by_id = |id: i32| f.iter().find(|x| x.deal_id == id).unwrap().clone();
        assert_eq!(by_id(6).weighted_fen, 700_000 * RMB);
        assert_eq!(by_id(6).bucket, CloseBucket::Won);
        let c3 = by_id(3).category;
        assert_eq!(
            (c3.default, c3.owner, c3.manager, c3.effective),
            (ForecastCategory::NextQuarter, Some(ForecastCategory::Commit), Some(ForecastCategory::BestCase), ForecastCategory::BestCase)
        );
        assert_eq!(by_id(2).category.effective, ForecastCategory::BestCase);
        assert_eq!(by_id(2).category.default, ForecastCategory::Pipeline);
    }

    #[test]
    fn grouping_by_every_key() {
        use GroupKey as K;
        let f = board_facts();
        let row = |key, open, won| ForecastRow { key, open, won };
        let cases: Vec<(GroupBy, Vec<ForecastRow>)> = vec![
            (
                GroupBy::Owner,
                vec![
                    row(K::Owner(1), totals(3, 2_200_000, 800_000 + 100_000 + 320_000), none()),
                    row(K::Owner(2), totals(2, 2_300_000, 1_200_000 + 120_000), none()),
                    row(K::Owner(3), totals(1, 5_000_000, 500_000), totals(1, 700_000, 700_000)),
                ],
            ),
            (
                GroupBy::Team,
                vec![
                    row(K::Team(10), totals(3, 2_200_000, 1_220_000), none()),
                    row(K::Team(20), totals(1, 2_000_000, 1_200_000), none()),
                    row(K::Team(30), totals(1, 5_000_000, 500_000), totals(1, 700_000, 700_000)),
                    row(K::Team(99), totals(1, 300_000, 120_000), none()),
                ],
            ),
            (GroupBy::Pipeline, vec![row(K::Pipeline(1), totals(6, 9_500_000, 3_040_000), totals(1, 700_000, 700_000))]),
            (
                GroupBy::Bucket,
                vec![
                    row(K::Bucket(CloseBucket::Won), none(), totals(1, 700_000, 700_000)),
                    row(K::Bucket(CloseBucket::M3), totals(3, 1_700_000, 800_000 + 100_000 + 120_000), none()),
                    row(K::Bucket(CloseBucket::M6), totals(1, 2_000_000, 1_200_000), none()),
                    row(K::Bucket(CloseBucket::M9), totals(1, 800_000, 320_000), none()),
                    row(K::Bucket(CloseBucket::M12), none(), none()),
                    row(K::Bucket(CloseBucket::Later), totals(1, 5_000_000, 500_000), none()),
                ],
            ),
            (
                GroupBy::Category,
                vec![
                    row(K::Category(ForecastCategory::Won), none(), totals(1, 700_000, 700_000)),
                    row(K::Category(ForecastCategory::Commit), totals(1, 1_000_000, 800_000), none()),
                    row(K::Category(ForecastCategory::BestCase), totals(3, 2_700_000, 100_000 + 1_200_000 + 120_000), none()),
                    row(K::Category(ForecastCategory::NextQuarter), none(), none()),
                    row(K::Category(ForecastCategory::Pipeline), totals(2, 5_800_000, 820_000), none()),
                ],
            ),
            (
                GroupBy::Month,
                vec![
                    row(K::Period(Period::Month { year: 2026, month: 12 }), totals(1, 300_000, 120_000), none()),
                    row(K::Period(Period::Month { year: 2027, month: 2 }), none(), totals(1, 700_000, 700_000)),
                    row(K::Period(Period::Month { year: 2027, month: 3 }), totals(1, 1_000_000, 800_000), none()),
                    row(K::Period(Period::Month { year: 2027, month: 4 }), totals(1, 400_000, 100_000), none()),
                    row(K::Period(Period::Month { year: 2027, month: 6 }), totals(1, 2_000_000, 1_200_000), none()),
                    row(K::Period(Period::Month { year: 2027, month: 9 }), totals(1, 800_000, 320_000), none()),
                    row(K::Period(Period::Month { year: 2028, month: 3 }), totals(1, 5_000_000, 500_000), none()),
                ],
            ),
            (
                GroupBy::Quarter,
                vec![
                    row(K::Period(Period::Quarter { year: 2026, quarter: 4 }), totals(1, 300_000, 120_000), none()),
                    row(K::Period(Period::Quarter { year: 2027, quarter: 1 }), totals(1, 1_000_000, 800_000), totals(1, 700_000, 700_000)),
                    row(K::Period(Period::Quarter { year: 2027, quarter: 2 }), totals(2, 2_400_000, 1_300_000), none()),
                    row(K::Period(Period::Quarter { year: 2027, quarter: 3 }), totals(1, 800_000, 320_000), none()),
                    row(K::Period(Period::Quarter { year: 2028, quarter: 1 }), totals(1, 5_000_000, 500_000), none()),
                ],
            ),
            (
                GroupBy::Year,
                vec![
                    row(K::Period(Period::Year { year: 2026 }), totals(1, 300_000, 120_000), none()),
                    row(K::Period(Period::Year { year: 2027 }), totals(4, 4_200_000, 2_420_000), totals(1, 700_000, 700_000)),
                    row(K::Period(Period::Year { year: 2028 }), totals(1, 5_000_000, 500_000), none()),
                ],
            ),
        ];
        let all_open: i64 = f.iter().filter(|x| x.kind == StageKind::Open).map(|x| x.weighted_fen).sum();
        for (by, want) in cases {
            let rows = group(&f, by);
            assert_eq!(rows, want, "{by:?}");
            // Every grouping adds up to the same forecast, and each row to the deals behind it.
            assert_eq!(rows.iter().map(|r| r.open.weighted_fen).sum::<i64>(), all_open, "{by:?}");
            for r in &rows {
                let ids = deals_behind(&f, r.key);
                assert_eq!(ids.len() as u64, r.open.count + r.won.count, "{:?}", r.key);
                let w: i64 = f.iter().filter(|x| ids.contains(&x.deal_id)).map(|x| x.weighted_fen).sum();
                assert_eq!(w, r.open.weighted_fen + r.won.weighted_fen, "{:?}", r.key);
            }
        }
        assert_eq!(all_open, 3_040_000 * RMB);
    }

    #[test]
    fn drill_down_lists_the_deals_behind_a_number() {
        let f = board_facts();
        assert_eq!(deals_behind(&f, GroupKey::Owner(1)), vec![1, 2, 10]);
        assert_eq!(deals_behind(&f, GroupKey::Bucket(CloseBucket::M3)), vec![1, 2, 4]);
        assert_eq!(deals_behind(&f, GroupKey::Category(ForecastCategory::BestCase)), vec![2, 3, 4]);
        assert_eq!(deals_behind(&f, GroupKey::Period(Period::Quarter { year: 2027, quarter: 2 })), vec![2, 3]);
        assert_eq!(deals_behind(&f, GroupKey::Bucket(CloseBucket::M12)), Vec::<i32>::new());
        assert_eq!(deals_behind(&f, GroupKey::Owner(42)), Vec::<i32>::new());
        assert_eq!(group(&[], GroupBy::Owner), vec![]);
        assert_eq!(group(&[], GroupBy::Bucket).len(), 6);
        assert_eq!(group(&[], GroupBy::Category).len(), 5);
    }

    // ---- replay ----------------------------------------------------------------------------

    /// The hand-computed week: A = 2027-02-08, B = 2027-02-15, scope Q1 2027 (UTC).
    /// Values in RMB, per deal: value at A → value at B, and why.
    fn week() -> (Vec<Deal>, Vec<HistoryEvent>) {
        let mut deals = vec![
            deal(1, 1, 3, 1_000_000 * RMB, "2027-03-15", "2027-01-02"), // unchanged 400k → 400k
            deal(2, 1, 2, 500_000 * RMB, "2027-03-20", "2027-02-10"),   // new 0 → 50k, up 50k → 125k
            deal(3, 1, 4, 2_000_000 * RMB, "2027-03-10", "2027-01-05"), // up 2→4: 500k → 1.2M
            deal(4, 2, 3, 800_000 * RMB, "2027-02-28", "2027-01-06"),   // down 4→3: 480k → 320k
            deal(5, 2, 6, 1_500_000 * RMB, "2027-02-20", "2026-12-01"), // won from 5: 1.2M → 1.5M
            deal(6, 2, 7, 300_000 * RMB, "2027-03-01", "2027-01-10"),   // lost from 3: 120k → 0
            deal(7, 3, 4, 1_200_000 * RMB, "2027-03-25", "2027-01-12"), // amount 1M → 1.2M at 60 %: 600k → 720k
            deal(8, 3, 5, 700_000 * RMB, "2027-04-15", "2027-01-15"),   // slipped out of Q1: 560k → 0
            deal(9, 3, 2, 400_000 * RMB, "2027-03-20", "2027-01-20"),   // slipped within Q1: 100k → 100k
            deal(10, 1, 6, 600_000 * RMB, "2027-01-20", "2026-11-01"),  // won in Jan: 600k → 600k
            deal(11, 1, 6, 800_000 * RMB, "2026-12-15", "2026-11-02"),  // won last quarter: 0 → 0
            deal(12, 1, 1, 900_000 * RMB, "2027-03-01", "2027-02-16"),  // created after B
            deal(13, 2, 4, 250_000 * RMB, "2027-03-05", "2027-01-03"),  // pulled into Q1: 0 → 150k
            deal(14, 2, 3, 900_000 * RMB, "2027-03-31", "2026-10-01"),  // no created event; up 2→3: 225k → 360k
            deal(15, 3, 6, 200_000 * RMB, "2027-02-13", "2027-02-13T10:00:00Z"), // created won: 0 → 200k
        ];
        deals[1].stage_entered_at = t("2027-02-12T09:00:00Z");
        deals[2].stage_entered_at = t("2027-02-09T09:00:00Z");
        deals[3].stage_entered_at = t("2027-02-10T09:00:00Z");
        deals[4].stage_entered_at = t("2027-02-11T09:00:00Z");
        deals[5].stage_entered_at = t("2027-02-12T10:00:00Z");
        deals[9].stage_entered_at = t("2027-01-20");
        deals[10].stage_entered_at = t("2026-12-15");
        deals[13].stage_entered_at = t("2027-02-11T10:00:00Z");
        deals[0].owner_category = Some(ForecastCategory::Commit);
        let mut events = vec![
            created(1, 1, "2027-01-02", 3, 1_000_000 * RMB, "2027-03-15"),
            created(2, 2, "2027-02-10", 1, 500_000 * RMB, "2027-03-20"),
            created(3, 3, "2027-01-05", 2, 2_000_000 * RMB, "2027-03-10"),
            created(4, 4, "2027-01-06", 4, 800_000 * RMB, "2027-02-28"),
            created(5, 5, "2026-12-01", 5, 1_500_000 * RMB, "2027-02-20"),
            created(6, 6, "2027-01-10", 3, 300_000 * RMB, "2027-03-01"),
            created(7, 7, "2027-01-12", 4, 1_000_000 * RMB, "2027-03-25"),
            created(8, 8, "2027-01-15", 5, 700_000 * RMB, "2027-03-30"),
            created(9, 9, "2027-01-20", 2, 400_000 * RMB, "2027-02-20"),
            created(10, 10, "2026-11-01", 5, 600_000 * RMB, "2027-01-20"),
            moved(11, 10, "2027-01-20", 5, 6),
            created(12, 11, "2026-11-02", 5, 800_000 * RMB, "2026-12-15"),
            moved(13, 11, "2026-12-15", 5, 6),
            created(14, 13, "2027-01-03", 4, 250_000 * RMB, "2027-05-10"),
            // the week (A, B]
            moved(20, 3, "2027-02-09T09:00:00Z", 2, 4),
            close(21, 13, "2027-02-09T10:00:00Z", "2027-05-10", "2027-03-05"),
            moved(22, 4, "2027-02-10T09:00:00Z", 4, 3),
            moved(23, 5, "2027-02-11T09:00:00Z", 5, 6),
            moved(24, 14, "2027-02-11T10:00:00Z", 2, 3),
            moved(25, 2, "2027-02-12T09:00:00Z", 1, 2),
            moved(26, 6, "2027-02-12T10:00:00Z", 3, 7),
            amount(27, 7, "2027-02-13T09:00:00Z", 1_000_000 * RMB, 1_200_000 * RMB),
            created(28, 15, "2027-02-13T10:00:00Z", 6, 200_000 * RMB, "2027-02-13"),
            close(29, 8, "2027-02-14T09:00:00Z", "2027-03-30", "2027-04-15"),
            close(30, 9, "2027-02-14T10:00:00Z", "2027-02-20", "2027-03-20"),
            HistoryEvent { new_category: Some(ForecastCategory::Commit), ..ev(31, 1, "2027-02-14T11:00:00Z", EventKind::CategoryChanged) },
            HistoryEvent { from_stage_id: Some(3), to_stage_id: Some(5), ..ev(32, 1, "2027-02-14T12:00:00Z", EventKind::Attempt) },
            // after B
            created(40, 12, "2027-02-16", 1, 900_000 * RMB, "2027-03-01"),
        ];
        // Any order in, (at, id) order used.
        events.reverse();
        events.swap(3, 17);
        (deals, events)
    }

    fn q1() -> Scope {
        Scope::quarter(d("2027-02-08"), utc())
    }

    #[test]
    fn scope_of_a_quarter_in_local_time() {
        assert_eq!(q1(), Scope { period_start: t("2027-01-01"), horizon_end: Some(d("2027-03-31")) });
        let s = Scope::quarter(d("2027-05-20"), cst());
        assert_eq!(s, Scope { period_start: t("2027-03-31T16:00:00Z"), horizon_end: Some(d("2027-06-30")) });
    }

    #[test]
    fn progress_over_a_hand_computed_week() {
        let (deals, events) = week();
        let p = progress(&deals, &solution(), &events, t("2027-02-08"), t("2027-02-15"), q1());
        assert_eq!(p.forecast_a_fen, 4_185_000 * RMB);
        assert_eq!(p.won_a_fen, 600_000 * RMB);
        assert_eq!(p.forecast_b_fen, 3_375_000 * RMB);
        assert_eq!(p.won_b_fen, 2_300_000 * RMB);
        assert_eq!(p.total_fen, 890_000 * RMB);
        let want = Contributions {
            new_fen: 50_000 * RMB,
            moved_up_fen: (75_000 + 700_000 + 135_000) * RMB,
            moved_down_fen: -160_000 * RMB,
            won_fen: (300_000 + 200_000) * RMB,
            lost_fen: -120_000 * RMB,
            amount_changed_fen: 120_000 * RMB,
            slipped_fen: -560_000 * RMB,
            pulled_in_fen: 150_000 * RMB,
            other_fen: 0,
        };
        assert_eq!(p.parts, want);
        assert_eq!(p.parts.sum(), p.total_fen);
        use ContributionKind as K;
        let item = |deal_id, kind, rmb: i64| ProgressItem { deal_id, kind, fen: rmb * RMB };
        assert_eq!(
            p.items,
            vec![
                item(2, K::New, 50_000),
                item(2, K::MovedUp, 75_000),
                item(3, K::MovedUp, 700_000),
                item(4, K::MovedDown, -160_000),
                item(5, K::Won, 300_000),
                item(6, K::Lost, -120_000),
                item(7, K::AmountChanged, 120_000),
                item(8, K::Slipped, -560_000),
                item(13, K::PulledIn, 150_000),
                item(14, K::MovedUp, 135_000),
                item(15, K::Won, 200_000),
            ]
        );
        for k in [K::New, K::MovedUp, K::MovedDown, K::Won, K::Lost, K::AmountChanged, K::Slipped, K::PulledIn, K::Other] {
            assert_eq!(p.items.iter().filter(|i| i.kind == k).map(|i| i.fen).sum::<i64>(), p.parts.get(k), "{k:?}");
        }
        // Reversed arguments give the same period; an empty period gives nothing.
        assert_eq!(progress(&deals, &solution(), &events, t("2027-02-15"), t("2027-02-08"), q1()), p);
        let none = progress(&deals, &solution(), &events, t("2027-02-15"), t("2027-02-15"), q1());
        assert_eq!((none.total_fen, none.parts, none.items.len()), (0, Contributions::default(), 0));
    }

    #[test]
    fn progress_without_a_horizon_ignores_slips() {
        let (deals, events) = week();
        let scope = Scope { period_start: t("2027-01-01"), horizon_end: None };
        let p = progress(&deals, &solution(), &events, t("2027-02-08"), t("2027-02-15"), scope);
        assert_eq!(p.parts.slipped_fen, 0);
        assert_eq!(p.parts.pulled_in_fen, 0);
        assert_eq!(p.parts.sum(), p.total_fen);
        // Deal 8 (560k) stays in, deal 13 (150k) was in all along: +0 instead of −560k + 150k.
        assert_eq!(p.total_fen, (890_000 + 560_000 - 150_000) * RMB);
    }

    #[test]
    fn forecast_as_of_past_instants() {
        let (deals, events) = week();
        let st = solution();
        let cases = [
            ("2026-10-01", 225_000, 0, 1, 0), // only deal 14 exists: stage 2, closing 2027-03-31
            ("2027-02-08", 4_185_000, 600_000, 9, 1),
            ("2027-02-15", 3_375_000, 2_300_000, 8, 3),
            ("2027-03-01", 3_375_000 + 90_000, 2_300_000, 9, 3), // deal 12 at 10 %
        ];
        for (at, f, w, nf, nw) in cases {
            let p = forecast_at(&deals, &st, &events, t(at), q1());
            assert_eq!((p.forecast_fen, p.won_fen, p.open_count, p.won_count), (f * RMB, w * RMB, nf, nw), "{at}");
            assert_eq!(p.value_fen, p.forecast_fen + p.won_fen);
        }
        // Deal 14 alone on 2026-10-01: in stage 2 (from its first move), closing 2027-03-31, outside Q4 2026's horizon.
        let q4 = Scope::quarter(d("2026-10-01"), utc());
        assert_eq!(forecast_at(&deals, &st, &events, t("2026-10-01"), q4).forecast_fen, 0);
        let all = Scope { period_start: t("2026-10-01"), horizon_end: None };
        assert_eq!(forecast_at(&deals, &st, &events, t("2026-10-01"), all).forecast_fen, 225_000 * RMB);
    }

    #[test]
    fn pipeline_as_of_replays_history() {
        let (deals, events) = week();
        let at_a = pipeline_at(&deals, &events, t("2027-02-08"));
        let ids: Vec<i32> = at_a.iter().map(|d| d.id).collect();
        assert_eq!(ids, vec![1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14]); // 2, 12, 15 not created yet
        let get = |v: &[Deal], id: i32| v.iter().find(|d| d.id == id).unwrap().clone();
        let d3 = get(&at_a, 3);
        assert_eq!((d3.stage_id, d3.stage_entered_at), (2, t("2027-01-05")));
        let d7 = get(&at_a, 7);
        assert_eq!(d7.amount_fen, 1_000_000 * RMB);
        let d8 = get(&at_a, 8);
        assert_eq!(d8.close_date, d("2027-03-30"));
        let d14 = get(&at_a, 14);
        assert_eq!((d14.stage_id, d14.created_at, d14.stage_entered_at), (2, t("2026-10-01"), t("2026-10-01")));
        let d1 = get(&at_a, 1);
        assert_eq!(d1.owner_category, None); // set during the week
        assert_eq!(d1.stage_id, 3); // the blocked attempt changed nothing
        let d10 = get(&at_a, 10);
        assert_eq!((d10.stage_id, d10.stage_entered_at), (6, t("2027-01-20")));
        // Replaying everything gives back today's rows.
        assert_eq!(pipeline_at(&deals, &events, t("2030-01-01")), deals);
        assert_eq!(pipeline_at(&deals, &events, t("2020-01-01")), vec![]);
        // An event exactly at T is part of the state at T.
        assert_eq!(get(&pipeline_at(&deals, &events, t("2027-02-09T09:00:00Z")), 3).stage_id, 4);
        assert_eq!(get(&pipeline_at(&deals, &events, t("2027-02-09T08:59:59Z")), 3).stage_id, 2);
        // Events of deals not passed are ignored; so is an empty history.
        assert_eq!(pipeline_at(&deals[..1], &events, t("2027-02-08")).len(), 1);
        assert_eq!(pipeline_at(&deals[..2], &[], t("2027-02-08")).len(), 1);
    }

    #[test]
    fn same_instant_events_apply_in_id_order() {
        let mut deal = deal(1, 1, 4, 100 * RMB, "2027-03-01", "2027-01-01");
        deal.stage_entered_at = t("2027-01-10");
        let events =
            vec![moved(3, 1, "2027-01-10", 3, 4), moved(2, 1, "2027-01-10", 2, 3), created(1, 1, "2027-01-01", 2, 100 * RMB, "2027-03-01")];
        let at = pipeline_at(std::slice::from_ref(&deal), &events, t("2027-01-10"));
        assert_eq!(at[0].stage_id, 4);
        let cycle = cycle_stats(std::slice::from_ref(&deal), &solution(), &events, Window { from: t("2027-01-01"), to: t("2027-02-01") });
        let s3 = cycle.stages.iter().find(|s| s.stage_id == 3).unwrap();
        assert_eq!((s3.entered, s3.advanced, s3.left), (1, 1, 1));
        assert_eq!(s3.avg_days, Some(0.0));
    }

    #[test]
    fn trend_sweeps_once_and_matches_point_queries() {
        let (deals, events) = week();
        let st = solution();
        let points = week_ends(t("2027-03-29"), 13);
        let mut shuffled = points.clone();
        shuffled.reverse();
        let tr = trend(&deals, &st, &events, &shuffled, q1());
        assert_eq!(tr.iter().map(|p| p.at).collect::<Vec<_>>(), points);
        for p in &tr {
            assert_eq!(*p, forecast_at(&deals, &st, &events, p.at, q1()));
        }
        let feb15 = tr.iter().find(|p| p.at == t("2027-02-15")).unwrap();
        assert_eq!((feb15.forecast_fen, feb15.won_fen), (3_375_000 * RMB, 2_300_000 * RMB));
        assert_eq!(trend(&deals, &st, &events, &[], q1()), vec![]);
    }

    // ---- randomised cross-checks -------------------------------------------------------------

    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self, n: u64) -> u64 {
            self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % n
        }
    }

    /// Consistent random histories; some deals lack their `created` event (legacy rows).
    fn random_book(seed: u64, n: i32) -> (Vec<Deal>, Vec<HistoryEvent>) {
        let mut r = Lcg(seed);
        let base = t("2027-01-01");
        let mut deals = Vec::new();
        let mut events = Vec::new();
        let mut id = 0i64;
        for deal_id in 1..=n {
            let mut at = base + Duration::hours(r.next(24 * 60) as i64);
            let mut stage_id = 1 + r.next(5) as i32;
            let mut amt = (1 + r.next(100) as i64) * 10_000 * RMB + r.next(100) as i64;
            let mut close_d = d("2027-01-15") + Duration::days(r.next(200) as i64);
            let mut cat = None;
            let created_at = at;
            let legacy = r.next(5) == 0;
            id += 1;
            if !legacy {
                events.push(HistoryEvent {
                    id,
                    deal_id,
                    at,
                    kind: EventKind::Created,
                    to_stage_id: Some(stage_id),
                    new_amount_fen: Some(amt),
                    new_close_date: Some(close_d),
                    ..Default::default()
                });
            }
            let mut entered = at;
            for _ in 0..r.next(8) {
                // Whole hours, so several events share an instant.
                at += Duration::hours(r.next(24 * 5) as i64);
                id += 1;
                let e = HistoryEvent { id, deal_id, at, ..Default::default() };
                let e = match r.next(6) {
                    0 | 1 => {
                        let to = 1 + r.next(7) as i32;
                        let e = HistoryEvent { kind: EventKind::Moved, from_stage_id: Some(stage_id), to_stage_id: Some(to), ..e };
                        stage_id = to;
                        entered = at;
                        e
                    }
                    2 => {
                        let new = amt + (r.next(200) as i64 - 100) * 1_000 * RMB;
                        let e = HistoryEvent { kind: EventKind::AmountChanged, old_amount_fen: Some(amt), new_amount_fen: Some(new), ..e };
                        amt = new;
                        e
                    }
                    3 => {
                        let new = close_d + Duration::days(r.next(120) as i64 - 60);
                        let e = HistoryEvent {
                            kind: EventKind::CloseDateChanged,
                            old_close_date: Some(close_d),
                            new_close_date: Some(new),
                            ..e
                        };
                        close_d = new;
                        e
                    }
                    4 => {
                        let new = Some(ForecastCategory::ALL[r.next(6) as usize]);
                        let e = HistoryEvent { kind: EventKind::CategoryChanged, old_category: cat, new_category: new, ..e };
                        cat = new;
                        e
                    }
                    _ => HistoryEvent { kind: EventKind::Attempt, to_stage_id: Some(1), new_amount_fen: Some(1), ..e },
                };
                events.push(e);
            }
            deals.push(Deal {
                id: deal_id,
                owner_id: 1 + r.next(3) as i32,
                team_id: 1,
                pipeline_id: 1,
                stage_id,
                amount_fen: amt,
                close_date: close_d,
                owner_category: cat,
                manager_category: None,
                created_at,
                stage_entered_at: entered,
            });
        }
        // Shuffle: the functions must sort.
        for i in (1..events.len()).rev() {
            events.swap(i, r.next(i as u64 + 1) as usize);
        }
        (deals, events)
    }

    /// A second, naive replay: per deal, filter and sort its events, then fold.
    fn naive_at(deals: &[Deal], events: &[HistoryEvent], at: DateTime<Utc>) -> Vec<Deal> {
        let mut out = Vec::new();
        for d in deals {
            let mut mine: Vec<&HistoryEvent> = events.iter().filter(|e| e.deal_id == d.id).collect();
            mine.sort_by_key(|e| (e.at, e.id));
            let first_old_stage = mine.iter().find(|e| e.kind == EventKind::Moved).and_then(|e| e.from_stage_id);
            let first_old_amount = mine.iter().find(|e| e.kind == EventKind::AmountChanged).and_then(|e| e.old_amount_fen);
            let first_old_close = mine.iter().find(|e| e.kind == EventKind::CloseDateChanged).and_then(|e| e.old_close_date);
            let first_old_cat = mine.iter().find(|e| e.kind == EventKind::CategoryChanged).map(|e| e.old_category);
            let created_at = mine.iter().find(|e| e.kind == EventKind::Created).map_or(d.created_at, |e| e.at);
            if created_at > at {
                continue;
            }
            let mut s = Deal {
                stage_id: first_old_stage.unwrap_or(d.stage_id),
                amount_fen: first_old_amount.unwrap_or(d.amount_fen),
                close_date: first_old_close.unwrap_or(d.close_date),
                owner_category: first_old_cat.unwrap_or(d.owner_category),
                created_at,
                stage_entered_at: created_at,
                ..d.clone()
            };
            for e in mine.iter().filter(|e| e.at <= at) {
                match e.kind {
                    EventKind::Created => {
                        s.stage_id = e.to_stage_id.unwrap();
                        s.amount_fen = e.new_amount_fen.unwrap();
                        s.close_date = e.new_close_date.unwrap();
                    }
                    EventKind::Moved => {
                        s.stage_id = e.to_stage_id.unwrap();
                        s.stage_entered_at = e.at;
                    }
                    EventKind::AmountChanged => s.amount_fen = e.new_amount_fen.unwrap(),
                    EventKind::CloseDateChanged => s.close_date = e.new_close_date.unwrap(),
                    EventKind::CategoryChanged => s.owner_category = e.new_category,
                    _ => {}
                }
            }
            out.push(s);
        }
        out
    }

    /// forecast + won straight from a list of deal states.
    fn naive_value(states: &[Deal], stages: &[Stage], scope: Scope) -> (i64, i64) {
        let mut f = 0;
        let mut w = 0;
        for s in states {
            let st = stages.iter().find(|x| x.id == s.stage_id).unwrap();
            match st.kind {
                StageKind::Open if scope.horizon_end.is_none_or(|h| s.close_date <= h) => f += weighted_fen(s.amount_fen, st.win_rate_pct),
                StageKind::Won if s.stage_entered_at >= scope.period_start => w += s.amount_fen,
                _ => {}
            }
        }
        (f, w)
    }

    #[test]
    fn random_histories_replay_like_a_naive_fold_and_progress_always_adds_up() {
        let st = solution();
        let mut kinds_seen = std::collections::HashSet::new();
        for seed in 1..=12u64 {
            let (deals, events) = random_book(seed, 60);
            let scopes = [
                Scope::quarter(d("2027-02-01"), utc()),
                Scope::quarter(d("2027-04-01"), cst()),
                Scope { period_start: t("2026-01-01"), horizon_end: None },
            ];
            let points: Vec<DateTime<Utc>> = (0..30).map(|k| t("2026-12-25") + Duration::hours(k * 97)).collect();
            for at in &points {
                assert_eq!(pipeline_at(&deals, &events, *at), naive_at(&deals, &events, *at), "seed {seed} at {at}");
            }
            assert_eq!(pipeline_at(&deals, &events, t("2031-01-01")), deals, "seed {seed}: full replay = today");
            for scope in scopes {
                let tr = trend(&deals, &st, &events, &points, scope);
                for p in &tr {
                    let (f, w) = naive_value(&naive_at(&deals, &events, p.at), &st, scope);
                    assert_eq!((p.forecast_fen, p.won_fen), (f, w), "seed {seed} at {}", p.at);
                }
                for pair in tr.windows(2).step_by(3) {
                    let (a, b) = (&pair[0], &pair[1]);
                    let pr = progress(&deals, &st, &events, a.at, b.at, scope);
                    assert_eq!(pr.total_fen, b.value_fen - a.value_fen, "seed {seed}");
                    assert_eq!(pr.parts.sum(), pr.total_fen, "seed {seed}");
                    assert_eq!(pr.items.iter().map(|i| i.fen).sum::<i64>(), pr.total_fen, "seed {seed}");
                    kinds_seen.extend(pr.items.iter().map(|i| i.kind));
                }
                let whole = progress(&deals, &st, &events, points[0], points[29], scope);
                assert_eq!(whole.parts.sum(), whole.total_fen);
            }
        }
        // The fixtures exercised every kind with a non-zero amount, reopenings (Other) included.
        assert_eq!(kinds_seen.len(), 9, "{kinds_seen:?}");
    }

    // ---- quota and coverage --------------------------------------------------------------------

    #[test]
    fn quota_attainment_and_coverage() {
        let mut deals = vec![
            deal(1, 1, 6, 3_000_000 * RMB, "2027-04-01", "2027-01-01"), // won 04-01 01:00 Beijing
            deal(2, 1, 6, 500_000 * RMB, "2027-03-31", "2027-01-01"),   // won 03-31 23:00 Beijing
            deal(3, 1, 5, 5_000_000 * RMB, "2027-06-15", "2027-01-01"), // 80 % → 4M
            deal(4, 1, 3, 2_000_000 * RMB, "2027-03-20", "2027-01-01"), // overdue 40 % → 800k
            deal(5, 1, 5, 9_000_000 * RMB, "2027-07-10", "2027-01-01"), // after the period
            deal(6, 1, 7, 9_000_000 * RMB, "2027-05-10", "2027-01-01"), // lost
            deal(7, 2, 6, 1_500_000 * RMB, "2027-05-01", "2027-01-01"), // owner 2 won 1.5M
            deal(8, 2, 5, 1_000_000 * RMB, "2027-05-01", "2027-01-01"),
            deal(9, 4, 4, 1_000_000 * RMB, "2027-05-01", "2027-01-01"),  // 60 %
            deal(10, 4, 3, 1_000_000 * RMB, "2027-05-01", "2027-01-01"), // 40 %
        ];
        deals[0].stage_entered_at = t("2027-03-31T17:00:00Z");
        deals[1].stage_entered_at = t("2027-03-31T15:00:00Z");
        deals[6].stage_entered_at = t("2027-05-01");
        let q = |owner_id, rmb: i64| Quota { owner_id, period_start: d("2027-04-01"), period_end: d("2027-06-30"), amount_fen: rmb * RMB };
        let quotas = [q(1, 10_000_000), q(2, 1_000_000), q(3, 0), q(4, 1_000_000), q(5, 2_000_000)];
        let rows = quota_figures(&deals, &solution(), &quotas, cst());
        let r1 = &rows[0];
        assert_eq!((r1.won_fen, r1.open_weighted_fen, r1.remaining_fen), (3_000_000 * RMB, 4_800_000 * RMB, 7_000_000 * RMB));
        assert_eq!(r1.attainment_pct, Some(30.0));
        assert_eq!(r1.coverage, Coverage::Ratio(4_800_000.0 / 7_000_000.0));
        assert!(r1.under_covered);
        let r2 = &rows[1];
        assert_eq!((r2.won_fen, r2.remaining_fen, r2.coverage, r2.under_covered), (1_500_000 * RMB, 0, Coverage::Met, false));
        assert_eq!(r2.attainment_pct, Some(150.0));
        let r3 = &rows[2];
        assert_eq!((r3.attainment_pct, r3.coverage, r3.under_covered), (None, Coverage::Met, false));
        let r4 = &rows[3];
        assert_eq!((r4.open_weighted_fen, r4.coverage, r4.under_covered), (1_000_000 * RMB, Coverage::Ratio(1.0), false));
        let r5 = &rows[4];
        assert_eq!((r5.won_fen, r5.open_weighted_fen, r5.coverage, r5.under_covered), (0, 0, Coverage::Ratio(0.0), true));
        // In UTC the first win falls on 03-31: outside Q2.
        assert_eq!(quota_figures(&deals, &solution(), &quotas[..1], utc())[0].won_fen, 0);
    }

    // ---- ideal funnel --------------------------------------------------------------------------

    fn conv(pcts: [i32; 5]) -> Vec<ConversionTarget> {
        pcts.iter().zip(1..).map(|(&pct, from_stage_id)| ConversionTarget { from_stage_id, pct }).collect()
    }

    #[test]
    fn ideal_funnel_bottom_up() {
        let mut deals = Vec::new();
        let actual = [(1, 700), (2, 150), (3, 68), (4, 30), (5, 25)];
        for (stage_id, n) in actual {
            for k in 0..n {
                deals.push(deal(stage_id * 1000 + k, 1, stage_id, RMB, "2027-03-01", "2027-01-01"));
            }
        }
        deals.push(deal(9_999, 1, 6, RMB, "2027-03-01", "2027-01-01")); // won: not in any row
        let facts = deal_facts(&deals, &solution(), d("2027-01-15"), t("2027-01-01"));
        let f = ideal_funnel(1, &solution(), &conv([25, 40, 50, 60, 50]), 10_000_000 * RMB, 1_000_000 * RMB, &facts);
        // Cells count their deals.
        let cells = cells_of(&deals, &solution(), cst());
        let g = ideal_funnel(
            1,
            &solution(),
            &conv([25, 40, 50, 60, 50]),
            10_000_000 * RMB,
            1_000_000 * RMB,
            &cell_facts(&cells, &solution(), d("2027-01-15"), 202701),
        );
        assert_eq!(f, g);
        assert_eq!(f.deals_to_win, Some(10));
        // 10 won ← 20 at 50 % ← ⌈20 / 0.6⌉ = 34 ← 68 ← 170 ← 680
        let got: Vec<(i32, Option<u64>, u64, Option<i64>)> = f.stages.iter().map(|r| (r.stage_id, r.ideal, r.actual, r.gap)).collect();
        assert_eq!(
            got,
            vec![
                (1, Some(680), 700, Some(20)),
                (2, Some(170), 150, Some(-20)),
                (3, Some(68), 68, Some(0)),
                (4, Some(34), 30, Some(-4)),
                (5, Some(20), 25, Some(5))
            ]
        );
        // Ceil at each step: 10.5M / 1M → 11 deals.
        let g = ideal_funnel(1, &solution(), &conv([100, 100, 100, 100, 100]), 10_500_000 * RMB, 1_000_000 * RMB, &[]);
        assert_eq!(g.deals_to_win, Some(11));
        assert!(g.stages.iter().all(|r| r.ideal == Some(11) && r.actual == 0 && r.gap == Some(-11)));
    }

    #[test]
    fn ideal_funnel_edge_cases() {
        let st = solution();
        // A missing rate stops the calculation there and above.
        let mut targets = conv([25, 40, 50, 60, 50]);
        targets.retain(|t| t.from_stage_id != 3);
        let f = ideal_funnel(1, &st, &targets, 10_000_000 * RMB, 1_000_000 * RMB, &[]);
        assert_eq!(f.stages.iter().map(|r| r.ideal).collect::<Vec<_>>(), vec![None, None, None, Some(34), Some(20)]);
        assert_eq!(f.stages[2].target_conversion_pct, None);
        // Out-of-range rates count as missing.
        for bad in [0, -5, 101] {
            let f = ideal_funnel(1, &st, &conv([25, 40, 50, 60, bad]), 10 * RMB, RMB, &[]);
            assert!(f.stages.iter().all(|r| r.ideal.is_none() && r.gap.is_none()), "{bad}");
        }
        // No average deal: nothing can be computed; nothing to win: nothing needed.
        let f = ideal_funnel(1, &st, &conv([25, 40, 50, 60, 50]), 10 * RMB, 0, &[]);
        assert_eq!(f.deals_to_win, None);
        let f = ideal_funnel(1, &st, &conv([25, 40, 50, 60, 50]), 0, RMB, &[]);
        assert_eq!((f.deals_to_win, f.stages[0].ideal), (Some(0), Some(0)));
        // Another pipeline's stages and deals stay out.
        let f = ideal_funnel(2, &st, &conv([25, 40, 50, 60, 50]), 10 * RMB, RMB, &[]);
        assert!(f.stages.is_empty());
    }

    // ---- conversion and cycle -------------------------------------------------------------------

    fn cycle_book() -> (Vec<Deal>, Vec<HistoryEvent>) {
        let deals = vec![
            deal(1, 1, 6, RMB, "2027-03-02", "2027-01-01"),
            deal(2, 1, 7, RMB, "2027-02-14", "2027-01-05"),
            deal(3, 1, 2, RMB, "2027-03-01", "2027-01-10"),
            deal(4, 2, 6, RMB, "2027-03-01", "2026-12-01"),
            deal(5, 2, 7, RMB, "2027-04-05", "2027-03-25"),
        ];
        let c = |id, deal, at, stage| created(id, deal, at, stage, RMB, "2027-03-01");
        let events = vec![
            c(1, 1, "2027-01-01", 1),
            moved(2, 1, "2027-01-11", 1, 2),
            moved(3, 1, "2027-01-31", 2, 3),
            moved(4, 1, "2027-03-02", 3, 6),
            c(5, 2, "2027-01-05", 1),
            moved(6, 2, "2027-01-15", 1, 2),
            moved(7, 2, "2027-02-14", 2, 7),
            c(8, 3, "2027-01-10", 2),
            c(9, 4, "2026-12-01", 1),
            moved(10, 4, "2027-01-10", 1, 3),
            moved(11, 4, "2027-01-20", 3, 2),
            moved(12, 4, "2027-01-25", 2, 3),
            moved(13, 4, "2027-03-01", 3, 6),
            c(14, 5, "2027-03-25", 1),
            moved(15, 5, "2027-04-05", 1, 7),
            ev(16, 3, "2027-02-01", EventKind::Attempt),
        ];
        (deals, events)
    }

    #[test]
    fn conversion_days_in_stage_win_rate_and_cycle() {
        let (deals, events) = cycle_book();
        let q1 = Window { from: t("2027-01-01"), to: t("2027-04-01") };
        let s = cycle_stats(&deals, &solution(), &events, q1);
        let row = |id: i32| s.stages.iter().find(|r| r.stage_id == id).unwrap().clone();
        let cases = [
            // stage, entered, advanced, conversion, left, avg days
            (1, 3, 2, Some(200.0 / 3.0), 3, Some(20.0)),
            (2, 4, 2, Some(50.0), 3, Some(55.0 / 3.0)),
            (3, 2, 2, Some(100.0), 3, Some(25.0)),
            (4, 0, 0, None, 0, None),
            (5, 0, 0, None, 0, None),
            (6, 2, 0, None, 0, None),
            (7, 1, 0, None, 0, None),
        ];
        for (id, entered, advanced, conversion, left, days) in cases {
            let r = row(id);
            assert_eq!((r.entered, r.advanced, r.left), (entered, advanced, left), "stage {id}");
            assert_eq!(r.conversion_pct.map(|x| (x * 1e6).round()), conversion.map(|x: f64| (x * 1e6).round()), "stage {id}");
            assert_eq!(r.avg_days.map(|x| (x * 1e6).round()), days.map(|x: f64| (x * 1e6).round()), "stage {id}");
        }
        assert_eq!(s.stages.iter().map(|r| r.stage_id).collect::<Vec<_>>(), vec![1, 2, 3, 4, 5, 6, 7]);
        assert_eq!((s.won, s.lost), (2, 1));
        assert_eq!(s.win_rate_pct.map(|x| (x * 1e6).round()), Some((200.0f64 / 3.0 * 1e6).round()));
        assert_eq!(s.avg_cycle_days, Some(75.0));
        // A window with nothing in it.
        let empty = cycle_stats(&deals, &solution(), &events, Window { from: t("2030-01-01"), to: t("2030-02-01") });
        assert_eq!((empty.won, empty.lost, empty.win_rate_pct, empty.avg_cycle_days), (0, 0, None, None));
        // In April, deal 5 is lost and no one wins.
        let april = cycle_stats(&deals, &solution(), &events, Window { from: t("2027-04-01"), to: t("2027-05-01") });
        assert_eq!((april.won, april.lost, april.win_rate_pct), (0, 1, Some(0.0)));
    }

    #[test]
    fn stuck_deals_beyond_the_stage_limit() {
        let now = t("2027-03-01T12:00:00Z");
        let mut deals = vec![
            deal(1, 1, 1, RMB, "2027-03-01", "2027-01-01"), // stage 1 limit 14
            deal(2, 1, 1, RMB, "2027-03-01", "2027-01-01"),
            deal(3, 2, 3, RMB, "2027-03-01", "2027-01-01"),  // limit 30
            deal(4, 2, 6, RMB, "2027-03-01", "2027-01-01"),  // won: never stuck
            deal(5, 2, 99, RMB, "2027-03-01", "2027-01-01"), // unknown stage
            deal(6, 3, 2, RMB, "2027-03-01", "2027-01-01"),  // entered in the future (clock skew)
        ];
        deals[0].stage_entered_at = t("2027-02-15T12:00:00Z"); // exactly 14 days: not beyond
        deals[1].stage_entered_at = t("2027-02-14T12:00:00Z"); // 15 days
        deals[2].stage_entered_at = t("2026-12-01"); // 90 days
        deals[5].stage_entered_at = t("2027-03-05");
        let mut st = solution();
        let got = stuck_deals(&deals, &st, now);
        assert_eq!(
            got,
            vec![
                StuckDeal { deal_id: 2, owner_id: 1, stage_id: 1, days_in_stage: 15, stuck_days: 14 },
                StuckDeal { deal_id: 3, owner_id: 2, stage_id: 3, days_in_stage: 90, stuck_days: 30 },
            ]
        );
        st[2].stuck_days = 0; // no limit
        assert_eq!(stuck_deals(&deals, &st, now).len(), 1);
    }

    #[test]
    fn signed_but_never_or_briefly_in_the_funnel() {
        let mut deals = vec![
            deal(1, 1, 6, RMB, "2027-03-01", "2027-03-01"), // created won
            deal(2, 2, 6, RMB, "2027-03-03", "2027-03-01"), // 2 days in stage 5
            deal(3, 1, 6, RMB, "2027-03-01", "2027-01-01"), // 59 days open
            deal(4, 1, 5, RMB, "2027-03-01", "2027-01-01"), // still open
            deal(5, 3, 6, RMB, "2027-03-01", "2027-02-01"), // no history at all
            deal(6, 3, 6, RMB, "2027-03-08", "2027-03-01"), // exactly 7 days
            deal(7, 1, 6, RMB, "2027-03-08", "2027-03-01"), // lost then won without an open stay... after being open 1 day
        ];
        deals[1].stage_entered_at = t("2027-03-03");
        deals[2].stage_entered_at = t("2027-03-01");
        deals[5].stage_entered_at = t("2027-03-08");
        deals[6].stage_entered_at = t("2027-03-08");
        let events = vec![
            created(1, 1, "2027-03-01", 6, RMB, "2027-03-01"),
            created(2, 2, "2027-03-01", 5, RMB, "2027-03-03"),
            moved(3, 2, "2027-03-03", 5, 6),
            created(4, 3, "2027-01-01", 1, RMB, "2027-03-01"),
            moved(5, 3, "2027-03-01", 1, 6),
            created(6, 4, "2027-01-01", 5, RMB, "2027-03-01"),
            created(7, 6, "2027-03-01", 4, RMB, "2027-03-08"),
            moved(8, 6, "2027-03-08", 4, 6),
            created(9, 7, "2027-03-01", 3, RMB, "2027-03-08"),
            moved(10, 7, "2027-03-02", 3, 7),
            moved(11, 7, "2027-03-08", 7, 6),
        ];
        let got = signed_outside_funnel(&deals, &solution(), &events, 7);
        let u = |deal_id, owner_id, won_at: &str, days_in_funnel, gap| UnfunneledDeal {
            deal_id,
            owner_id,
            won_at: t(won_at),
            days_in_funnel,
            gap,
        };
        assert_eq!(
            got,
            vec![
                u(1, 1, "2027-03-01", 0, FunnelGap::NeverOpen),
                u(2, 2, "2027-03-03", 2, FunnelGap::BrieflyOpen),
                u(5, 3, "2027-02-01", 0, FunnelGap::NeverOpen),
                u(7, 1, "2027-03-08", 1, FunnelGap::BrieflyOpen),
            ]
        );
        assert_eq!(signed_outside_funnel(&deals, &solution(), &events, 0).len(), 2);
        // only the never-open ones
    }

    // ---- ramp ----------------------------------------------------------------------------------

    #[test]
    fn ramp_phases_by_whole_months() {
        let cases = [
            ("2027-01-15", "2027-01-14", RampPhase::Training),
            ("2027-01-15", "2027-01-15", RampPhase::M0to3),
            ("2027-01-15", "2027-04-14", RampPhase::M0to3),
            ("2027-01-15", "2027-04-15", RampPhase::M3to6),
            ("2027-01-15", "2027-07-15", RampPhase::M6to9),
            ("2027-01-15", "2027-10-14", RampPhase::M6to9),
            ("2027-01-15", "2027-10-15", RampPhase::M9to12),
            ("2027-01-15", "2029-06-01", RampPhase::M9to12),
            ("2027-01-31", "2027-04-29", RampPhase::M0to3),
            ("2027-01-31", "2027-04-30", RampPhase::M3to6), // Jan 31 + 3 months = Apr 30
            ("2027-11-30", "2028-02-29", RampPhase::M3to6),
        ];
        for (start, today, want) in cases {
            assert_eq!(ramp_phase(d(start), d(today)), want, "{start} → {today}");
        }
    }

    #[test]
    fn ramp_targets_are_seed_001_roadmap() {
        let t0 = ramp_target(RampPhase::Training);
        assert_eq!((t0.accounts_researched, t0.opportunities_found), (Some(20), Some(5)));
        let t1 = ramp_target(RampPhase::M0to3);
        assert_eq!(t1.opportunities_found, Some(15));
        assert_eq!(t1.reached, vec![ReachTarget { min_position: 2, deals: 3 }, ReachTarget { min_position: 4, deals: 1 }]);
        assert_eq!((t1.weekly.accounts_profiled, t1.weekly.prospecting_hours, t1.weekly.visit_hours), (Some(5), Some(8), Some(10)));
        let t2 = ramp_target(RampPhase::M3to6);
        assert_eq!((t2.pipeline_pct, t2.phase_quota_pct, t2.wins, t2.min_win_fen), (Some(75), Some(100), Some(1), Some(350_000 * RMB)));
        assert_eq!(t2.reached, vec![ReachTarget { min_position: 2, deals: 8 }, ReachTarget { min_position: 4, deals: 4 }]);
        assert_eq!((t2.weekly.visits_min, t2.weekly.visits_max), (Some(6), Some(8)));
        let t3 = ramp_target(RampPhase::M6to9);
        assert_eq!((t3.pipeline_pct, t3.year_quota_pct), (Some(125), Some(50)));
        assert_eq!(t3.reached, vec![ReachTarget { min_position: 4, deals: 8 }, ReachTarget { min_position: 5, deals: 4 }]);
        let t4 = ramp_target(RampPhase::M9to12);
        assert_eq!((t4.pipeline_pct, t4.year_quota_pct, t4.reached.len()), (Some(150), Some(100), 0));
    }

    fn ramp_book() -> Vec<Deal> {
        let mut v = vec![
            deal(1, 9, 6, 400_000 * RMB, "2027-04-20", "2027-01-20"), // won in the phase
            deal(2, 9, 6, 100_000 * RMB, "2027-03-01", "2026-12-10"), // won earlier in the year
            deal(3, 9, 2, 1_000_000 * RMB, "2027-06-01", "2027-02-01"),
            deal(4, 9, 3, 1_000_000 * RMB, "2027-06-01", "2027-02-01"),
            deal(5, 9, 4, 1_000_000 * RMB, "2027-06-01", "2027-02-01"),
            deal(6, 9, 5, 1_000_000 * RMB, "2027-06-01", "2027-02-01"),
            deal(7, 9, 1, 1_000_000 * RMB, "2027-06-01", "2027-02-01"),
            deal(8, 9, 7, 1_000_000 * RMB, "2027-06-01", "2027-02-01"), // lost: found, nothing else
            deal(9, 9, 3, 1_000_000 * RMB, "2027-06-01", "2026-06-01"), // inherited before joining
            deal(10, 8, 5, 9_000_000 * RMB, "2027-06-01", "2027-02-01"), // someone else's
        ];
        v[0].stage_entered_at = t("2027-04-20");
        v[1].stage_entered_at = t("2027-03-01");
        v
    }

    fn ramp_input(today: &str) -> RampInput {
        RampInput {
            owner_id: 9,
            joined_on: d("2026-12-01"),
            started_on: d("2027-01-15"),
            today: d(today),
            accounts_researched: 18,
            phase_quota_fen: 1_000_000 * RMB,
            year_quota_fen: 5_000_000 * RMB,
        }
    }

    #[test]
    fn ramp_report_against_actuals() {
        let r = ramp_report(&ramp_input("2027-05-20"), &ramp_book(), &solution(), cst());
        assert_eq!((r.phase, r.phase_start), (RampPhase::M3to6, Some(d("2027-04-15"))));
        let c = |metric, target, actual| RampCheck { metric, target, actual, met: actual >= target };
        // open weighted: (25 + 40 + 60 + 80 + 10 + 40) % of 1M = 2.55M; won this tenure year 500k.
        assert_eq!(
            r.checks,
            vec![
                c(RampMetric::Reached(2), 8, 7),
                c(RampMetric::Reached(4), 4, 4),
                c(RampMetric::Wins, 1, 2),
                c(RampMetric::LargestWinFen, 350_000 * RMB, 400_000 * RMB),
                c(RampMetric::PipelinePct, 75, (500_000 + 2_550_000) * 100 / 5_000_000),
                c(RampMetric::PhaseQuotaPct, 100, 40),
            ]
        );
        assert!(!r.checks[0].met && r.checks[1].met && !r.checks[4].met && !r.checks[5].met);
    }

    #[test]
    fn ramp_report_in_training_and_later_years() {
        let r = ramp_report(&ramp_input("2027-01-10"), &ramp_book(), &solution(), cst());
        assert_eq!((r.phase, r.phase_start), (RampPhase::Training, None));
        let c = |metric, target, actual| RampCheck { metric, target, actual, met: actual >= target };
        // Found since joining: deals 1–8 (deal 9 predates the rep, deal 10 is not theirs).
        assert_eq!(r.checks, vec![c(RampMetric::AccountsResearched, 20, 18), c(RampMetric::OpportunitiesFound, 5, 8)]);
        // Month 14: the second tenure year starts 2028-01-15, so last year's wins no longer count.
        let r = ramp_report(&ramp_input("2028-03-20"), &ramp_book(), &solution(), cst());
        assert_eq!(r.phase, RampPhase::M9to12);
        assert_eq!(r.checks, vec![c(RampMetric::PipelinePct, 150, 51), c(RampMetric::YearQuotaPct, 100, 0)]);
        // A zero quota cannot be attained: 0 %.
        let mut input = ramp_input("2027-09-01");
        input.year_quota_fen = 0;
        let r = ramp_report(&input, &ramp_book(), &solution(), cst());
        assert!(r.checks.iter().filter(|c| matches!(c.metric, RampMetric::PipelinePct | RampMetric::YearQuotaPct)).all(|c| c.actual == 0));
    }
}
