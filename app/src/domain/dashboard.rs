//! What the executive dashboard shows: plain data computed by the forecast service from the
//! pure figures in `forecast`, scoped to what the viewer may see.
use super::dto::{PipelineRef, StageRef};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Money3 {
    pub count: u64,
    pub amount_fen: i64,
    pub weighted_fen: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FunnelBar {
    pub stage: StageRef,
    pub totals: Money3,
    /// Deals the ideal funnel wants in this stage now (None when no target is set).
    pub ideal: Option<u64>,
    pub target_conversion_pct: Option<i32>,
    /// Of the deals that entered this stage in the last 12 months, % that moved on.
    pub conversion_pct: Option<f64>,
    pub avg_days: Option<f64>,
    pub stuck: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CodeBar {
    /// won | m3 | m6 | m9 | m12 | later, or a forecast category code.
    pub code: String,
    pub totals: Money3,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrendPoint {
    pub week_end: NaiveDate,
    pub forecast_fen: i64,
    pub won_fen: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProgressParts {
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgressView {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub value_from_fen: i64,
    pub value_to_fen: i64,
    pub total_fen: i64,
    pub parts: ProgressParts,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RepRow {
    pub id: uuid::Uuid,
    pub name: String,
    pub team: String,
    pub quota_fen: i64,
    pub won_fen: i64,
    /// Open weighted pipeline closing within the quarter.
    pub open_weighted_fen: i64,
    /// All open weighted pipeline, whatever the close date.
    pub pipeline_fen: i64,
    pub attainment_pct: Option<f64>,
    /// open ÷ (quota − won); None when the quota is met or absent.
    pub coverage: Option<f64>,
    pub quota_met: bool,
    pub under_covered: bool,
    pub open_deals: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DealLink {
    pub id: uuid::Uuid,
    pub name: String,
    pub owner: String,
    pub amount_fen: i64,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RampRow {
    pub rep: String,
    /// training | m0_3 | m3_6 | m6_9 | m9_12
    pub phase: String,
    pub checks: Vec<RampCheckRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RampCheckRow {
    pub metric: String,
    pub target: i64,
    pub actual: i64,
    pub met: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub today: NaiveDate,
    pub quarter_start: NaiveDate,
    pub quarter_end: NaiveDate,
    /// Whose numbers these are: "all", "teams" (a manager) or "own" (a rep).
    pub scope: String,
    pub pipeline: PipelineRef,
    pub pipelines: Vec<PipelineRef>,
    pub forecast_fen: i64,
    pub won_fen: i64,
    pub quota_fen: i64,
    pub coverage: Option<f64>,
    pub progress: ProgressView,
    pub funnel: Vec<FunnelBar>,
    pub ideal_target_fen: i64,
    pub avg_won_fen: i64,
    pub buckets: Vec<CodeBar>,
    pub categories: Vec<CodeBar>,
    pub trend: Vec<TrendPoint>,
    pub reps: Vec<RepRow>,
    pub win_rate_pct: Option<f64>,
    pub avg_cycle_days: Option<f64>,
    /// When the history figures (conversion, days in stage, win rate, cycle, signed outside
    /// the funnel) were computed; None while they are being computed for a large book.
    pub history_at: Option<DateTime<Utc>>,
    /// False while the past weeks of a large book's first trend are being computed.
    pub trend_complete: bool,
    /// The latest of them (see `service::forecast::UNFUNNELED_SHOWN`); the drill-down has all.
    pub unfunneled: Vec<DealLink>,
    pub unfunneled_total: u64,
    pub ramp: Vec<RampRow>,
}

/// A drill-down as a page shows it: the first rows by close date, totals over all of them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DrillPage {
    pub rows: Vec<DrillRow>,
    pub total: u64,
    pub amount_fen: i64,
    pub weighted_fen: i64,
}

/// What a drill-down asks for: the deals behind one figure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Drill {
    Stage(uuid::Uuid),
    Bucket(String),
    Category(String),
    Owner(uuid::Uuid),
    /// A progress contribution kind over the last week (new, moved_up, …).
    Progress(String),
    Unfunneled,
}

impl Drill {
    /// `stage:<uuid>`, `bucket:m3`, … as used in drill-down links.
    pub fn parse(s: &str) -> Option<Drill> {
        let (k, v) = s.split_once(':')?;
        match k {
            "stage" => v.parse().ok().map(Drill::Stage),
            "bucket" => Some(Drill::Bucket(v.to_owned())),
            "category" => Some(Drill::Category(v.to_owned())),
            "owner" => v.parse().ok().map(Drill::Owner),
            "progress" => Some(Drill::Progress(v.to_owned())),
            "unfunneled" => Some(Drill::Unfunneled),
            _ => None,
        }
    }

    pub fn code(&self) -> String {
        match self {
            Drill::Stage(u) => format!("stage:{u}"),
            Drill::Bucket(b) => format!("bucket:{b}"),
            Drill::Category(c) => format!("category:{c}"),
            Drill::Owner(u) => format!("owner:{u}"),
            Drill::Progress(k) => format!("progress:{k}"),
            Drill::Unfunneled => "unfunneled:".into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DrillRow {
    pub id: uuid::Uuid,
    pub name: String,
    pub account: String,
    pub owner: String,
    pub stage: StageRef,
    pub amount_fen: i64,
    pub weighted_fen: i64,
    pub close_date: NaiveDate,
    pub category: String,
    /// The contribution for progress drill-downs.
    pub delta_fen: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drill_codes_round_trip() {
        let u = uuid::Uuid::nil();
        for d in [
            Drill::Stage(u),
            Drill::Bucket("m3".into()),
            Drill::Category("commit".into()),
            Drill::Owner(u),
            Drill::Progress("won".into()),
            Drill::Unfunneled,
        ] {
            assert_eq!(Drill::parse(&d.code()), Some(d));
        }
        assert_eq!(Drill::parse("nope"), None);
        assert_eq!(Drill::parse("stage:not-a-uuid"), None);
    }
}
