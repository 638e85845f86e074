//! Rows as the pure figures see them: database models to `domain` facts.
use crate::domain::forecast as f;
use crate::ssr::entity::{deal, stage};

/// A stage as the figures see it.
pub fn stage_fact(s: &stage::Model) -> f::Stage {
    f::Stage {
        id: s.id,
        pipeline_id: s.pipeline_id,
        position: s.position,
        win_rate_pct: s.win_rate_pct,
        kind: f::StageKind::parse(&s.kind).unwrap_or(f::StageKind::Open),
        stuck_days: s.stuck_days,
    }
}

/// A deal row as the figures see it.
pub fn deal_fact(d: &deal::Model) -> f::Deal {
    f::Deal {
        id: d.id,
        owner_id: d.owner_id,
        team_id: d.team_id,
        pipeline_id: d.pipeline_id,
        stage_id: d.stage_id,
        amount_fen: d.amount_fen,
        close_date: d.close_date,
        owner_category: category(d.forecast_category.as_deref()),
        manager_category: category(d.manager_category.as_deref()),
        created_at: d.created_at,
        stage_entered_at: d.stage_entered_at,
    }
}

pub fn category(s: Option<&str>) -> Option<f::ForecastCategory> {
    s.and_then(f::ForecastCategory::parse)
}

pub fn contribution_code(k: f::ContributionKind) -> &'static str {
    match k {
        f::ContributionKind::New => "new",
        f::ContributionKind::MovedUp => "moved_up",
        f::ContributionKind::MovedDown => "moved_down",
        f::ContributionKind::Won => "won",
        f::ContributionKind::Lost => "lost",
        f::ContributionKind::AmountChanged => "amount_changed",
        f::ContributionKind::Slipped => "slipped",
        f::ContributionKind::PulledIn => "pulled_in",
        f::ContributionKind::Other => "other",
    }
}
