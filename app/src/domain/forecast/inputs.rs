//! The inputs the figures are computed from: stages, deals and their history, as the rows have them.
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub use crate::domain::gate::StageKind;

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

/// Stage lookup by id, built once per call.
pub(super) struct StageMap<'a>(HashMap<i32, &'a Stage>);

impl<'a> StageMap<'a> {
    pub(super) fn new(stages: &'a [Stage]) -> Self {
        StageMap(stages.iter().map(|s| (s.id, s)).collect())
    }

    pub(super) fn get(&self, id: i32) -> Option<&'a Stage> {
        self.0.get(&id).copied()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

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
}
