//! What a forecast covers, and the value of one deal state in it.
use super::{local_date, local_midnight, quarter_end, quarter_start, weighted_fen, St, StageKind, StageMap};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

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

pub(super) struct Valuer<'a> {
    pub(super) stages: StageMap<'a>,
    pub(super) scope: Scope,
}

impl Valuer<'_> {
    pub(super) fn kind(&self, st: &St) -> Option<StageKind> {
        self.stages.get(st.stage_id).map(|s| s.kind)
    }

    pub(super) fn in_forecast(&self, st: &St) -> bool {
        st.exists && self.kind(st) == Some(StageKind::Open) && self.scope.horizon_end.is_none_or(|h| st.close_date <= h)
    }

    pub(super) fn in_won(&self, st: &St) -> bool {
        st.exists && self.kind(st) == Some(StageKind::Won) && st.entered_at >= self.scope.period_start
    }

    pub(super) fn forecast(&self, st: &St) -> i64 {
        match self.stages.get(st.stage_id) {
            Some(s) if self.in_forecast(st) => weighted_fen(st.amount_fen, s.win_rate_pct),
            _ => 0,
        }
    }

    pub(super) fn won(&self, st: &St) -> i64 {
        if self.in_won(st) {
            st.amount_fen
        } else {
            0
        }
    }

    pub(super) fn value(&self, st: &St) -> i64 {
        self.forecast(st).saturating_add(self.won(st))
    }
}

/// The scope of a trend point: the quarter of the last instant before `t` (a week ending at
/// midnight on 1 October shows where the third quarter landed).
pub fn point_scope(t: DateTime<Utc>, offset: FixedOffset) -> Scope {
    Scope::quarter(local_date(t - Duration::seconds(1), offset), offset)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::domain::forecast::test_support::*;

    #[test]
    fn scope_of_a_quarter_in_local_time() {
        assert_eq!(q1(), Scope { period_start: t("2027-01-01"), horizon_end: Some(d("2027-03-31")) });
        let s = Scope::quarter(d("2027-05-20"), cst());
        assert_eq!(s, Scope { period_start: t("2027-03-31T16:00:00Z"), horizon_end: Some(d("2027-06-30")) });
    }
}
