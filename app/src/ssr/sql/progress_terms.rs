//! The progress terms' rebuild (quarters two or more before an event's). As migration 000013
//! first ran it.
use super::progress_days::{value_sql, CLASS_SQL, EVENT_JOINS, POSTGRES, SQLITE};

/// Month keys per backend: of a date, and of an instant in local time (UTC+8, like the cells).
struct Months {
    of_date: &'static str,
    of_instant: &'static str,
    least: &'static str,
}

const SQLITE_MONTHS: Months = Months {
    of_date: "CAST(strftime('%Y%m', {x}) AS INTEGER)",
    of_instant: "CAST(strftime('%Y%m', substr({x}, 1, 19), '+8 hours') AS INTEGER)",
    least: "min",
};

const POSTGRES_MONTHS: Months = Months {
    of_date: "CAST(to_char({x}, 'YYYYMM') AS INTEGER)",
    of_instant: "CAST(to_char({x} AT TIME ZONE 'UTC' + INTERVAL '8 hours', 'YYYYMM') AS INTEGER)",
    least: "LEAST",
};

/// The rows the rebuild sums (after − before of every value event that passes `filter`, SQL
/// over `h` and `d` or empty).
fn parts_sql(backend: sea_orm::DbBackend, filter: &str) -> String {
    let (cal, m) = if backend == sea_orm::DbBackend::Postgres { (&POSTGRES, &POSTGRES_MONTHS) } else { (&SQLITE, &SQLITE_MONTHS) };
    // The first day of the quarter before the event's.
    let recent = cal.quarter_start.replace("{k}", "1");
    let always = |_: &str| "1 = 1".to_owned();
    // One side of the event: its state after (sign +) or before (sign −).
    let side = |s: &str, amount: &str, close: &str, entered: &str, sign: &str, extra: &str| {
        format!(
            "SELECT {day} AS day, d.team_id AS team_id, d.owner_id AS owner_id, {CLASS_SQL} AS cls, {s}.kind AS term, \
             CASE WHEN {s}.kind = 'won' THEN {least}({won_month}, {recent_month}) ELSE {close_month} END AS month, \
             {sign}({value}) AS fen \
             FROM deal_history h JOIN deals d ON d.id = h.deal_id {EVENT_JOINS} \
             WHERE h.kind IN {kinds} {extra} {filter} AND ({s}.kind = 'won' OR ({s}.kind = 'open' AND {close} < {recent}))",
            day = cal.day,
            least = m.least,
            won_month = m.of_instant.replace("{x}", entered),
            recent_month = m.of_date.replace("{x}", &recent),
            close_month = m.of_date.replace("{x}", close),
            value = value_sql(s, amount, close, entered, &always, &always),
            kinds = super::history_state::VALUE_KINDS,
        )
    };
    let after = side("sa", "h.after_amount_fen", "h.after_close_date", "h.after_entered_at", "", "");
    let before = side(
        "sb",
        "(CASE WHEN h.kind = 'amount_changed' THEN h.old_amount_fen ELSE h.after_amount_fen END)",
        "(CASE WHEN h.kind = 'close_date_changed' THEN h.old_close_date ELSE h.after_close_date END)",
        "(CASE WHEN h.kind = 'moved' THEN h.before_entered_at ELSE h.after_entered_at END)",
        "-",
        "AND h.kind <> 'created'",
    );
    format!("{after} UNION ALL {before}")
}

/// The rebuild from the value events, per backend: empty the table, then insert.
fn rebuild_sql(backend: sea_orm::DbBackend) -> [String; 2] {
    [
        "DELETE FROM progress_terms".to_owned(),
        format!(
            "INSERT INTO progress_terms (day, team_id, owner_id, cls, term, month, fen) \
             SELECT day, team_id, owner_id, cls, term, month, CAST(SUM(fen) AS BIGINT) FROM ({}) t \
             GROUP BY day, team_id, owner_id, cls, term, month",
            parts_sql(backend, "")
        ),
    ]
}

/// One deal's terms, times `sign`, added under the team and owner it has now (see
/// `progress_days::deal_parts_sql`).
fn deal_parts_sql(backend: sea_orm::DbBackend, deal_id: i32, sign: i8) -> String {
    format!(
        "INSERT INTO progress_terms (day, team_id, owner_id, cls, term, month, fen) \
         SELECT day, team_id, owner_id, cls, term, month, {sign} * CAST(SUM(fen) AS BIGINT) FROM ({}) t WHERE 1 = 1 \
         GROUP BY day, team_id, owner_id, cls, term, month \
         ON CONFLICT (day, team_id, owner_id, cls, term, month) DO UPDATE SET fen = progress_terms.fen + excluded.fen",
        parts_sql(backend, &format!("AND h.deal_id = {deal_id}"))
    )
}

/// Runs [`rebuild_sql`].
pub async fn rebuild<C: sea_orm::ConnectionTrait>(db: &C) -> Result<(), sea_orm::DbErr> {
    for sql in rebuild_sql(db.get_database_backend()) {
        db.execute_unprepared(&sql).await?;
    }
    Ok(())
}

/// Runs [`deal_parts_sql`].
pub async fn add_deal<C: sea_orm::ConnectionTrait>(db: &C, deal_id: i32, sign: i8) -> Result<(), sea_orm::DbErr> {
    db.execute_unprepared(&deal_parts_sql(db.get_database_backend(), deal_id, sign)).await.map(|_| ())
}
