//! The forecast grouped for the API, and the codes of its keys.
use super::load_cells;
use crate::domain::error::AppError;
use crate::domain::forecast as f;
use crate::domain::forecast::offset;
use crate::ssr::context::RequestContext;
use crate::ssr::db_err;
use crate::ssr::entity::{pipeline, stage, team, user};
use crate::ssr::service::convert::stage_fact;
use chrono::Utc;
use sea_orm::{ConnectionTrait, EntityTrait};
use std::collections::HashMap;

pub use crate::ssr::service::convert::contribution_code;

/// One row of the forecast grouped for the API.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupRow {
    pub key: String,
    pub label: String,
    pub open_count: u64,
    pub open_amount_fen: i64,
    pub weighted_fen: i64,
    pub won_count: u64,
    pub won_amount_fen: i64,
}

pub fn parse_group(by: &str) -> Option<f::GroupBy> {
    Some(match by {
        "owner" => f::GroupBy::Owner,
        "team" => f::GroupBy::Team,
        "pipeline" => f::GroupBy::Pipeline,
        "bucket" => f::GroupBy::Bucket,
        "category" => f::GroupBy::Category,
        "month" => f::GroupBy::Month,
        "quarter" => f::GroupBy::Quarter,
        "year" => f::GroupBy::Year,
        _ => return None,
    })
}

/// `2026`, `2026-Q4` or `2026-11` as a period, its year within the dates a user may send
/// (a year past chrono's range made the period's first day unrepresentable: a 500).
pub fn parse_period(s: &str) -> Option<f::Period> {
    use chrono::Datelike;
    let (lo, hi) = crate::domain::validate::date_range();
    let year = |y: &str| y.parse::<i32>().ok().filter(|y| (lo.year()..=hi.year()).contains(y));
    let s = s.trim();
    if let Some((y, q)) = s.split_once("-Q").or_else(|| s.split_once("-q")) {
        let quarter: u32 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
        return Some(f::Period::Quarter { year: year(y)?, quarter });
    }
    if let Some((y, m)) = s.split_once('-') {
        let month: u32 = m.parse().ok().filter(|m| (1..=12).contains(m))?;
        return Some(f::Period::Month { year: year(y)?, month });
    }
    year(s).map(|year| f::Period::Year { year })
}

fn period_code(p: f::Period) -> String {
    match p {
        f::Period::Year { year } => format!("{year}"),
        f::Period::Quarter { year, quarter } => format!("{year}-Q{quarter}"),
        f::Period::Month { year, month } => format!("{year}-{month:02}"),
    }
}

pub async fn grouped<C: ConnectionTrait>(db: &C, ctx: &RequestContext, by: &str, period: Option<&str>) -> Result<Vec<GroupRow>, AppError> {
    let g = parse_group(by)
        .ok_or_else(|| AppError::validation("group_by", "use owner, team, pipeline, bucket, category, month, quarter or year"))?;
    let window = match period {
        Some(p) => {
            let p = parse_period(p).ok_or_else(|| AppError::validation("period", "use 2026, 2026-Q4 or 2026-11 (years 1900 to 2200)"))?;
            Some((p.first_day().ok_or(AppError::Internal)?, p.last_day().ok_or(AppError::Internal)?))
        }
        None => None,
    };
    let now = Utc::now();
    let today = f::local_date(now, offset());
    // Won deals count since the start of the period asked for, else of this quarter (periods
    // start on the first of a month, so the cells answer exactly).
    let since = f::month_key(window.map_or_else(|| f::quarter_start(today), |(a, _)| a));
    let cells = load_cells(db, ctx, since).await?;
    let stages: Vec<f::Stage> = stage::Entity::find().all(db).await.map_err(db_err)?.iter().map(stage_fact).collect();
    let mut facts = f::cell_facts(&cells, &stages, today, since);
    if let Some((a, b)) = window {
        facts.retain(|x| x.close_date >= a && x.close_date <= b);
    }
    let users: HashMap<i32, (uuid::Uuid, String)> =
        user::Entity::find().all(db).await.map_err(db_err)?.into_iter().map(|u| (u.id, (u.uuid, u.name))).collect();
    let teams: HashMap<i32, (uuid::Uuid, String)> =
        team::Entity::find().all(db).await.map_err(db_err)?.into_iter().map(|t| (t.id, (t.uuid, t.name))).collect();
    let pipes: HashMap<i32, (uuid::Uuid, String)> =
        pipeline::Entity::find().all(db).await.map_err(db_err)?.into_iter().map(|p| (p.id, (p.uuid, p.name_en))).collect();
    let named = |m: &HashMap<i32, (uuid::Uuid, String)>, id: i32| {
        m.get(&id).map_or_else(|| (id.to_string(), String::new()), |(u, n)| (u.to_string(), n.clone()))
    };
    Ok(f::group(&facts, g)
        .into_iter()
        .map(|r| {
            let (key, label) = match r.key {
                f::GroupKey::Owner(id) => named(&users, id),
                f::GroupKey::Team(id) => named(&teams, id),
                f::GroupKey::Pipeline(id) => named(&pipes, id),
                f::GroupKey::Bucket(b) => (bucket_code(b).to_owned(), bucket_code(b).to_owned()),
                f::GroupKey::Category(c) => (c.as_str().to_owned(), c.as_str().to_owned()),
                f::GroupKey::Period(p) => (period_code(p), period_code(p)),
            };
            GroupRow {
                key,
                label,
                open_count: r.open.count,
                open_amount_fen: r.open.amount_fen,
                weighted_fen: r.open.weighted_fen,
                won_count: r.won.count,
                won_amount_fen: r.won.amount_fen,
            }
        })
        .collect())
}

pub fn bucket_code(b: f::CloseBucket) -> &'static str {
    match b {
        f::CloseBucket::Won => "won",
        f::CloseBucket::M3 => "m3",
        f::CloseBucket::M6 => "m6",
        f::CloseBucket::M9 => "m9",
        f::CloseBucket::M12 => "m12",
        f::CloseBucket::Later => "later",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_within_the_dates_a_user_may_send() {
        for (s, want) in [
            ("2026", Some(f::Period::Year { year: 2026 })),
            ("2026-Q4", Some(f::Period::Quarter { year: 2026, quarter: 4 })),
            ("2026-11", Some(f::Period::Month { year: 2026, month: 11 })),
            ("2200-Q4", Some(f::Period::Quarter { year: 2200, quarter: 4 })),
            ("1899", None),
            ("2201", None),
            ("9999", None),
            ("262143-Q4", None),
            ("99999-12", None),
            ("-1", None),
            ("2026-Q5", None),
            ("2026-13", None),
            ("18446744073709551616", None),
        ] {
            assert_eq!(parse_period(s), want, "{s}");
        }
    }
}
