//! Progress from any date back, not only from this quarter or the previous one. A progress
//! from A is valued in A's quarter Q; `progress_days` keeps each event's part for its own
//! quarter and the one before, so windows starting two or more quarters back had to sum every
//! event since A (4.5-4.9 s at 1M deals from 200 days ago). For a quarter at least two before
//! the event's, the part depends on Q only through two month tests: an open state counts if it
//! closes by Q's last month, a won state if it was won since Q's first month. An open state
//! closing on or after the previous quarter's first day never counts there, and a won state
//! entered since then always does. So each event leaves at most two signed terms — (open or
//! won, month, amount) — and most leave none: overdue open deals and wins only. Summed per
//! (local day, team, owner, contribution kind, term, month); the domain's `far_terms` is the
//! same rule, and tests prove the kept rows equal this rebuild and the replay.
use sea_orm_migration::{prelude::*, schema::*};

use super::m20261202_000011_progress_days::{value_sql, CLASS_SQL, EVENT_JOINS, POSTGRES, SQLITE};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ProgressTerms {
    Table,
    /// Local day of the event, YYYYMMDD.
    Day,
    TeamId,
    OwnerId,
    /// The event's contribution kind (as in `progress_days`).
    Cls,
    /// 'open' (counts when `month` ≤ the quarter's last month) or 'won' (when ≥ its first).
    Term,
    /// YYYYMM: the open state's close month, or the won state's won month.
    Month,
    Fen,
}

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

/// The rebuild from the value events, per backend: empty the table, then insert.
/// Frozen: what this migration ran (the app keeps its own copy in `app::ssr::sql`).
fn rebuild_sql(backend: sea_orm::DbBackend) -> [String; 2] {
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
             WHERE h.kind IN {kinds} {extra} AND ({s}.kind = 'won' OR ({s}.kind = 'open' AND {close} < {recent}))",
            day = cal.day,
            least = m.least,
            won_month = m.of_instant.replace("{x}", entered),
            recent_month = m.of_date.replace("{x}", &recent),
            close_month = m.of_date.replace("{x}", close),
            value = value_sql(s, amount, close, entered, &always, &always),
            kinds = super::m20261202_000010_history_state::VALUE_KINDS,
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
    [
        "DELETE FROM progress_terms".to_owned(),
        format!(
            "INSERT INTO progress_terms (day, team_id, owner_id, cls, term, month, fen) \
             SELECT day, team_id, owner_id, cls, term, month, CAST(SUM(fen) AS BIGINT) FROM ({after} UNION ALL {before}) t \
             GROUP BY day, team_id, owner_id, cls, term, month"
        ),
    ]
}

/// Runs [`rebuild_sql`].
async fn rebuild<C: sea_orm::ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    for sql in rebuild_sql(db.get_database_backend()) {
        db.execute_unprepared(&sql).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ProgressTerms::Table)
                .if_not_exists()
                .col(integer(ProgressTerms::Day))
                .col(integer(ProgressTerms::TeamId))
                .col(integer(ProgressTerms::OwnerId))
                .col(string(ProgressTerms::Cls))
                .col(string(ProgressTerms::Term))
                .col(integer(ProgressTerms::Month))
                .col(big_integer(ProgressTerms::Fen).default(0))
                .primary_key(
                    Index::create()
                        .col(ProgressTerms::Day)
                        .col(ProgressTerms::TeamId)
                        .col(ProgressTerms::OwnerId)
                        .col(ProgressTerms::Cls)
                        .col(ProgressTerms::Term)
                        .col(ProgressTerms::Month),
                )
                .to_owned(),
        )
        .await?;
        rebuild(m.get_connection()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ProgressTerms::Table).to_owned()).await
    }
}
