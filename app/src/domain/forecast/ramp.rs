//! The new-rep ramp (成功路线图).
use super::{add_months, local_date, weighted_fen, Deal, Stage, StageKind, StageMap};
use chrono::{Datelike, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

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

/// A rep's deals summed per current stage: all the roadmap reads of them, so the server can
/// count them in the database (one grouped read) instead of loading every deal.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RampStageTally {
    pub stage_id: i32,
    pub count: i64,
    pub amount_fen: i64,
    /// Created on or after the rep's first day.
    pub found: i64,
    /// Entered this stage on or after the first day of the rep's current tenure year: how
    /// many, their sum and the largest.
    pub since_year: i64,
    pub since_year_fen: i64,
    pub since_year_max_fen: i64,
    /// Their sum since the first day of the current phase (0 in training).
    pub since_phase_fen: i64,
}

/// The local days a tally cuts at: the rep's first day, the first day of the current tenure
/// year, and of the current phase (None in training).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RampBounds {
    pub joined_on: NaiveDate,
    pub year_start: NaiveDate,
    pub phase_start: Option<NaiveDate>,
}

pub fn ramp_bounds(input: &RampInput) -> RampBounds {
    let months = months_since(input.started_on, input.today);
    RampBounds {
        joined_on: input.joined_on,
        year_start: add_months(input.started_on, months.map_or(0, |m| m / 12 * 12)),
        phase_start: months.map(|m| add_months(input.started_on, m / 3 * 3)),
    }
}

/// The tally of a book in memory (the database's grouped read gives the same rows).
pub fn ramp_tally(input: &RampInput, deals: &[Deal], offset: FixedOffset) -> Vec<RampStageTally> {
    let b = ramp_bounds(input);
    let mut out: Vec<RampStageTally> = Vec::new();
    for d in deals.iter().filter(|d| d.owner_id == input.owner_id) {
        let at = match out.iter().position(|t| t.stage_id == d.stage_id) {
            Some(i) => i,
            None => {
                out.push(RampStageTally { stage_id: d.stage_id, ..Default::default() });
                out.len() - 1
            }
        };
        let t = &mut out[at];
        t.count += 1;
        t.amount_fen = t.amount_fen.saturating_add(d.amount_fen);
        if local_date(d.created_at, offset) >= b.joined_on {
            t.found += 1;
        }
        let entered = local_date(d.stage_entered_at, offset);
        if entered >= b.year_start {
            t.since_year += 1;
            t.since_year_fen = t.since_year_fen.saturating_add(d.amount_fen);
            // The largest of those counted (as SQL's MAX: not floored at zero).
            t.since_year_max_fen = if t.since_year == 1 { d.amount_fen } else { t.since_year_max_fen.max(d.amount_fen) };
        }
        if b.phase_start.is_some_and(|p| entered >= p) {
            t.since_phase_fen = t.since_phase_fen.saturating_add(d.amount_fen);
        }
    }
    out
}

/// The rep's phase targets against actuals from their deals (those with `owner_id`):
/// found = created on/after `joined_on`, any stage; reached(p) = open at position ≥ p, or won;
/// wins and won amounts count deals that entered a won stage on/after the phase or tenure-year
/// start (local dates); pipeline = open weighted of all their open deals.
pub fn ramp_report(input: &RampInput, deals: &[Deal], stages: &[Stage], offset: FixedOffset) -> RampReport {
    ramp_report_of(input, &ramp_tally(input, deals, offset), stages)
}

/// The same from a tally. The open pipeline is weighted on each stage's sum (as the forecast
/// cells are), so it may differ from a sum of per-deal roundings by under a fen per deal.
pub fn ramp_report_of(input: &RampInput, tally: &[RampStageTally], stages: &[Stage]) -> RampReport {
    let phase = ramp_phase(input.started_on, input.today);
    let target = ramp_target(phase);
    let phase_start = ramp_bounds(input).phase_start;
    let sm = StageMap::new(stages);
    let (mut found, mut wins, mut largest, mut won_phase, mut won_year, mut open_w) = (0i64, 0i64, 0i64, 0i64, 0i64, 0i64);
    let mut reached = vec![0i64; target.reached.len()];
    for t in tally {
        found += t.found;
        let Some(s) = sm.get(t.stage_id) else { continue };
        for (n, r) in reached.iter_mut().zip(&target.reached) {
            if s.kind == StageKind::Won || (s.kind == StageKind::Open && s.position >= r.min_position) {
                *n += t.count;
            }
        }
        match s.kind {
            StageKind::Open => open_w = open_w.saturating_add(weighted_fen(t.amount_fen, s.win_rate_pct)),
            StageKind::Won => {
                wins += t.since_year;
                if t.since_year > 0 {
                    largest = largest.max(t.since_year_max_fen);
                }
                won_year = won_year.saturating_add(t.since_year_fen);
                won_phase = won_phase.saturating_add(t.since_phase_fen);
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
    use crate::domain::forecast::test_support::*;
    use crate::domain::forecast::*;

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

    /// The tally cuts at local days (UTC+8): a deal entered at 16:00 UTC the day before the
    /// phase starts is already in the phase locally; one at 15:59 is not.
    #[test]
    fn ramp_tally_sums_each_stage_at_local_days() {
        let input = ramp_input("2027-05-20");
        assert_eq!(
            ramp_bounds(&input),
            RampBounds { joined_on: d("2026-12-01"), year_start: d("2027-01-15"), phase_start: Some(d("2027-04-15")) }
        );
        let mut book = ramp_book();
        let mut edge_in = deal(11, 9, 6, 7 * RMB, "2027-06-01", "2027-02-01");
        edge_in.stage_entered_at = "2027-04-14T16:00:00Z".parse().unwrap();
        let mut edge_out = deal(12, 9, 6, 5 * RMB, "2027-06-01", "2027-02-01");
        edge_out.stage_entered_at = "2027-04-14T15:59:59Z".parse().unwrap();
        book.extend([edge_in, edge_out]);
        let tally = ramp_tally(&input, &book, cst());
        let won = tally.iter().find(|t| t.stage_id == 6).unwrap();
        // (count, sum, since year n/sum/max, since phase): deals 1, 2, 11 and 12 all entered in
        // the tenure year; the phase has 1 and 11 only.
        assert_eq!(
            (won.count, won.amount_fen, won.since_year, won.since_year_fen, won.since_year_max_fen, won.since_phase_fen),
            (4, 500_012 * RMB, 4, 500_012 * RMB, 400_000 * RMB, 400_007 * RMB)
        );
        // Found: created on or after the first day, whatever the stage (9 is inherited).
        assert_eq!(tally.iter().map(|t| t.found).sum::<i64>(), 10);
        assert_eq!(tally.iter().map(|t| t.count).sum::<i64>(), 11, "someone else's deal is not tallied");
        assert_eq!(tally.iter().find(|t| t.stage_id == 3).map(|t| t.count), Some(2));
        // The report from the tally is the report from the deals.
        assert_eq!(ramp_report_of(&input, &tally, &solution()), ramp_report(&input, &book, &solution(), cst()));
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
