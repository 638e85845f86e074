//! The forecast cells' rebuild from `deals`, per backend. As migration 000008 first ran it.
/// The rebuild, per backend (month arithmetic differs). The organisation's calendar is UTC+8
/// (`domain::forecast::offset`); a won deal's month is the local month it entered the won
/// stage. Seconds are truncated before shifting (SQLite would round nanoseconds to
/// milliseconds and could cross midnight); weighting rounds half away from zero per deal,
/// like `dto::weighted_fen`.
fn rebuild_sql(month_of_date: &str, local_month_of_time: &str) -> String {
    format!(
        "INSERT INTO forecast_cells (team_id, owner_id, pipeline_id, stage_id, close_month, won_month, owner_category, \
         manager_category, n, amount_fen, weighted_fen) \
         SELECT d.team_id, d.owner_id, d.pipeline_id, d.stage_id, {close}, \
         CASE WHEN s.kind = 'won' THEN {won} ELSE 0 END, COALESCE(d.forecast_category, ''), COALESCE(d.manager_category, ''), \
         COUNT(*), COALESCE(SUM(d.amount_fen), 0), \
         COALESCE(SUM(CASE WHEN s.kind = 'won' THEN d.amount_fen \
              WHEN d.amount_fen * s.win_rate_pct >= 0 THEN (d.amount_fen * s.win_rate_pct + 50) / 100 \
              ELSE (d.amount_fen * s.win_rate_pct - 50) / 100 END), 0) \
         FROM deals d JOIN stages s ON s.id = d.stage_id WHERE s.kind <> 'lost' \
         GROUP BY d.team_id, d.owner_id, d.pipeline_id, d.stage_id, {close}, CASE WHEN s.kind = 'won' THEN {won} ELSE 0 END, \
         COALESCE(d.forecast_category, ''), COALESCE(d.manager_category, '')",
        close = month_of_date.replace("{}", "d.close_date"),
        won = local_month_of_time.replace("{}", "d.stage_entered_at"),
    )
}

fn rebuild_sqlite() -> String {
    rebuild_sql("CAST(strftime('%Y%m', {}) AS INTEGER)", "CAST(strftime('%Y%m', substr({}, 1, 19), '+8 hours') AS INTEGER)")
}

fn rebuild_postgres() -> String {
    rebuild_sql(
        "CAST(to_char({}, 'YYYYMM') AS INTEGER)",
        "CAST(to_char(date_trunc('second', {} AT TIME ZONE 'UTC') + INTERVAL '8 hours', 'YYYYMM') AS INTEGER)",
    )
}

/// The rebuild statement for the connection's backend.
pub fn rebuild_for(backend: sea_orm::DbBackend) -> String {
    if backend == sea_orm::DbBackend::Postgres {
        rebuild_postgres()
    } else {
        rebuild_sqlite()
    }
}
