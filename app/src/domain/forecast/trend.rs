//! Forecast and won at instants: the trend line and the present.
use super::{Cursor, Deal, HistoryEvent, Scope, St, Stage, StageMap, Timeline, Valuer};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

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

/// Forecast and won at each instant (any order; returned oldest first) in one sweep. The
/// reference the database's summed trend points are tested against: public (not `cfg(test)`)
/// because the integration tests under `app/tests`, through [`forecast_at`], call it too.
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

/// Forecast and won at one past instant ([`trend`] at one point; a test reference).
pub fn forecast_at(deals: &[Deal], stages: &[Stage], events: &[HistoryEvent], t: DateTime<Utc>, scope: Scope) -> TrendPoint {
    let empty = TrendPoint { at: t, forecast_fen: 0, won_fen: 0, value_fen: 0, open_count: 0, won_count: 0 };
    trend(deals, stages, events, &[t], scope).pop().unwrap_or(empty)
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

/// `base` (a point of the deals that changed, replayed) plus the rest of the book: every
/// figure of `all_now` minus `changed_now` (both as they are now). Only tests use it.
#[cfg(test)]
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::domain::forecast::test_support::*;
    use crate::domain::forecast::*;

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
}
