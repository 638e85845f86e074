//! `server verify`: do the running summaries still equal what their rebuild makes from `deals`
//! and the history? After a crash, a restore, or when in doubt. The rebuild runs inside a
//! transaction that is rolled back, so it is the app's own rebuild SQL and nothing is changed.
use crate::ssr::db::Db;
use crate::ssr::entity::{deal_total, forecast_cell, progress_day, progress_term};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, EntityTrait, Statement};
use std::collections::BTreeMap;

/// One summary row whose kept figures differ from the rebuilt ones (a missing row reads as zeros).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub table: &'static str,
    pub key: String,
    pub kept: Vec<i64>,
    pub rebuilt: Vec<i64>,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: kept {:?}, rebuilt {:?}", self.table, self.key, self.kept, self.rebuilt)
    }
}

/// What a verification found.
#[derive(Debug, Default)]
pub struct Report {
    /// Non-zero rows per summary table, as rebuilt.
    pub rows: Vec<(&'static str, usize)>,
    pub differences: Vec<Difference>,
    /// SQLite's `PRAGMA integrity_check` lines other than "ok" (PostgreSQL has no equivalent).
    pub integrity: Vec<String>,
}

impl Report {
    pub fn is_ok(&self) -> bool {
        self.differences.is_empty() && self.integrity.is_empty()
    }
}

type Snapshot = BTreeMap<(&'static str, String), Vec<i64>>;

/// The four summary tables, keyed by table and key columns. Rows of all zeros are left out:
/// running sums keep them (a deal that left a cell), a rebuild never makes them.
async fn snapshot<C: ConnectionTrait>(db: &C) -> Result<Snapshot, DbErr> {
    let mut out = Snapshot::new();
    let mut put = |table: &'static str, key: String, values: Vec<i64>| {
        if values.iter().any(|v| *v != 0) {
            out.insert((table, key), values);
        }
    };
    for r in deal_total::Entity::find().all(db).await? {
        put(
            "deal_totals",
            format!("pipeline {} stage {} team {} owner {}", r.pipeline_id, r.stage_id, r.team_id, r.owner_id),
            vec![r.n, r.amount_fen],
        );
    }
    for r in forecast_cell::Entity::find().all(db).await? {
        put(
            "forecast_cells",
            format!(
                "team {} owner {} pipeline {} stage {} close {} won {} category {:?}/{:?}",
                r.team_id, r.owner_id, r.pipeline_id, r.stage_id, r.close_month, r.won_month, r.owner_category, r.manager_category
            ),
            vec![r.n, r.amount_fen, r.weighted_fen],
        );
    }
    for r in progress_day::Entity::find().all(db).await? {
        put("progress_days", format!("scope {} day {} team {} owner {} {}", r.scope, r.day, r.team_id, r.owner_id, r.cls), vec![r.fen]);
    }
    for r in progress_term::Entity::find().all(db).await? {
        put(
            "progress_terms",
            format!("day {} team {} owner {} {} {} month {}", r.day, r.team_id, r.owner_id, r.cls, r.term, r.month),
            vec![r.fen],
        );
    }
    Ok(out)
}

/// Every key of either side whose figures differ.
pub fn compare(kept: &Snapshot, rebuilt: &Snapshot) -> Vec<Difference> {
    let zeros = |other: &Vec<i64>| vec![0; other.len()];
    let mut out = Vec::new();
    for (k, r) in rebuilt {
        let kv = kept.get(k).cloned().unwrap_or_else(|| zeros(r));
        if kv != *r {
            out.push(Difference { table: k.0, key: k.1.clone(), kept: kv, rebuilt: r.clone() });
        }
    }
    for (k, kv) in kept.iter().filter(|(k, _)| !rebuilt.contains_key(*k)) {
        out.push(Difference { table: k.0, key: k.1.clone(), kept: kv.clone(), rebuilt: zeros(kv) });
    }
    out
}

/// Compares the kept summaries with their rebuild, and (SQLite) checks the file's integrity.
/// Writers wait meanwhile: SQLite's write lock, or PostgreSQL's lock on the summary tables
/// (taken in the order writers take them), so a write is wholly in or wholly out.
pub async fn verify(db: &Db) -> Result<Report, DbErr> {
    let mut report = Report::default();
    if db.get_database_backend() == DbBackend::Sqlite {
        for row in db.query_all_raw(Statement::from_string(DbBackend::Sqlite, "PRAGMA integrity_check")).await? {
            let line: String = row.try_get_by_index(0)?;
            if line != "ok" {
                report.integrity.push(line);
            }
        }
    }
    let w = crate::ssr::db::begin_write(db).await?;
    if db.get_database_backend() == DbBackend::Postgres {
        w.txn.execute_unprepared("LOCK TABLE deal_totals, forecast_cells, progress_days, progress_terms IN EXCLUSIVE MODE").await?;
    }
    let kept = snapshot(&w.txn).await?;
    crate::ssr::service::totals::rebuild(&w.txn).await?;
    let rebuilt = snapshot(&w.txn).await?;
    w.txn.rollback().await?;
    for table in ["deal_totals", "forecast_cells", "progress_days", "progress_terms"] {
        report.rows.push((table, rebuilt.keys().filter(|k| k.0 == table).count()));
    }
    report.differences = compare(&kept, &rebuilt);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(rows: &[(&'static str, &str, &[i64])]) -> Snapshot {
        rows.iter().map(|(t, k, v)| ((*t, (*k).to_owned()), v.to_vec())).collect()
    }

    #[test]
    fn differences_name_both_sides() {
        let kept = snap(&[("deal_totals", "a", &[1, 5]), ("deal_totals", "b", &[2, 7]), ("progress_days", "x", &[3])]);
        let rebuilt = snap(&[("deal_totals", "a", &[1, 5]), ("deal_totals", "b", &[2, 8]), ("progress_terms", "y", &[4])]);
        assert_eq!(compare(&kept, &kept), vec![]);
        let d = compare(&kept, &rebuilt);
        assert_eq!(
            d,
            vec![
                Difference { table: "deal_totals", key: "b".into(), kept: vec![2, 7], rebuilt: vec![2, 8] },
                Difference { table: "progress_terms", key: "y".into(), kept: vec![0], rebuilt: vec![4] },
                Difference { table: "progress_days", key: "x".into(), kept: vec![3], rebuilt: vec![0] },
            ]
        );
        assert_eq!(d[0].to_string(), "deal_totals b: kept [2, 7], rebuilt [2, 8]");
    }
}
