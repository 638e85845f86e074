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
//! **Pipeline as of an instant T** (`pipeline_at`, a test reference): replay of the history
//! events with `at ≤ T` in (at, id) order. A deal exists from its `created` event (or, lacking
//! one, from its `created_at`). Its state before the first event that changes a field is that
//! event's *old* value (`from_stage_id`, `old_amount_fen`, ...), else the deal row's current
//! value, so a partial history still replays. Attempts (`blocked`, `forbidden`, `approval_requested`, any
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
//! **Quota and coverage** (`quota_figures`, a test reference): won = amounts of the rep's deals
//! that entered a won stage on a local date within [start, end] of the quota period; open pipeline = weighted amount
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

mod calendar;
mod categories;
mod cells;
mod cycle;
mod funnel;
mod grouping;
mod inputs;
mod progress;
mod quota;
mod ramp;
mod replay;
mod scope;
#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod test_support;
mod trend;

// The paths callers use stay `crate::domain::forecast::X`: the files are by concern only.
pub use super::dto::weighted_fen;
pub use calendar::*;
pub use categories::*;
pub use cells::*;
pub use cycle::*;
pub use funnel::*;
pub use grouping::*;
pub use inputs::*;
pub use progress::*;
pub use quota::*;
pub use ramp::*;
pub use scope::*;
pub use trend::*;

// The replay's machinery is shared by the trend and the progress; only its test reference is
// public.
#[cfg(test)]
pub use replay::pipeline_at;
use replay::{Cause, Cursor, St, Timeline};
