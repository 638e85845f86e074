//! The deal's state after each fact event of `deal_history` (stage, amount, close date, stage
//! entry), and its stage entry before a move. With them, what an event changed in the forecast
//! is a SQL expression, and progress between two dates is one GROUP BY over the events after
//! the first date instead of a replay. The rows stay append-only: the columns are written with
//! the row; this migration fills the rows written before it, by the same rules as the replay
//! (`domain::forecast`): events of one deal in (at, id) order.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DealHistory {
    Table,
    AfterStageId,
    AfterAmountFen,
    AfterCloseDate,
    AfterEnteredAt,
    BeforeEnteredAt,
}

/// The kinds whose rows carry the state (categories and attempts change no value).
pub(crate) const VALUE_KINDS: &str = "('created', 'moved', 'amount_changed', 'close_date_changed')";

/// Fills the state of every value row that has none (portable SQL, run in this order). A
/// row's state is set by the latest event of its deal at or before it that sets that field.
///
/// The first statement does it for all rows at once with window functions: a running count of
/// the events that set a field numbers the groups of rows sharing its value, and the group's
/// first row holds it. The second, with a correlated lookup per row, does the rest: rows with
/// no such event before them (a deal without a `created` row, which the app never writes) take
/// the next event's "old" value, then the deal as it is now, as the replay does.
/// Frozen: what this migration ran (the app keeps its own copy in `app::ssr::sql`).
fn fill_sql() -> [String; 2] {
    let runs = format!(
        "WITH o AS (\
           SELECT id, deal_id, kind, at, to_stage_id, new_amount_fen, new_close_date, \
             SUM(CASE WHEN kind IN ('created', 'moved') THEN 1 ELSE 0 END) OVER w AS gs, \
             SUM(CASE WHEN kind IN ('created', 'amount_changed') THEN 1 ELSE 0 END) OVER w AS ga, \
             SUM(CASE WHEN kind IN ('created', 'close_date_changed') THEN 1 ELSE 0 END) OVER w AS gc \
           FROM deal_history WHERE kind IN {VALUE_KINDS} \
           WINDOW w AS (PARTITION BY deal_id ORDER BY at, id ROWS UNBOUNDED PRECEDING)), \
         s AS (\
           SELECT id, deal_id, kind, at, gs, ga, gc, \
             FIRST_VALUE(to_stage_id) OVER (PARTITION BY deal_id, gs ORDER BY at, id) AS st, \
             FIRST_VALUE(at) OVER (PARTITION BY deal_id, gs ORDER BY at, id) AS en, \
             FIRST_VALUE(new_amount_fen) OVER (PARTITION BY deal_id, ga ORDER BY at, id) AS am, \
             FIRST_VALUE(new_close_date) OVER (PARTITION BY deal_id, gc ORDER BY at, id) AS cl \
           FROM o), \
         t AS (\
           SELECT id, kind, gs, ga, gc, st, en, am, cl, \
             LAG(en) OVER (PARTITION BY deal_id ORDER BY at, id) AS en_before \
           FROM s) \
         UPDATE deal_history SET after_stage_id = t.st, after_amount_fen = t.am, after_close_date = t.cl, \
           after_entered_at = t.en, before_entered_at = CASE WHEN t.kind = 'moved' THEN t.en_before END \
         FROM t WHERE deal_history.id = t.id AND deal_history.after_stage_id IS NULL \
           AND t.ga > 0 AND t.gc > 0 AND (t.gs > 1 OR (t.gs = 1 AND t.kind <> 'moved'))"
    );
    let h = "deal_history";
    let same = format!("p.deal_id = {h}.deal_id");
    let upto = format!("(p.at < {h}.at OR (p.at = {h}.at AND p.id <= {h}.id))");
    let before = format!("(p.at < {h}.at OR (p.at = {h}.at AND p.id < {h}.id))");
    let after = format!("(p.at > {h}.at OR (p.at = {h}.at AND p.id > {h}.id))");
    let last = |col: &str, kinds: &str, when: &str| {
        format!("(SELECT p.{col} FROM deal_history p WHERE {same} AND p.kind IN {kinds} AND {when} ORDER BY p.at DESC, p.id DESC LIMIT 1)")
    };
    let next = |col: &str, kind: &str| {
        format!("(SELECT p.{col} FROM deal_history p WHERE {same} AND p.kind = '{kind}' AND {after} ORDER BY p.at, p.id LIMIT 1)")
    };
    let now = |col: &str| format!("(SELECT d.{col} FROM deals d WHERE d.id = {h}.deal_id)");
    let rest = format!(
        "UPDATE deal_history SET \
         after_stage_id = COALESCE({s_last}, {s_next}, {s_now}), \
         after_amount_fen = COALESCE({a_last}, {a_next}, {a_now}), \
         after_close_date = COALESCE({c_last}, {c_next}, {c_now}), \
         after_entered_at = COALESCE({e_last}, {e_now}), \
         before_entered_at = CASE WHEN kind = 'moved' THEN COALESCE({e_before}, {e_now}) END \
         WHERE after_stage_id IS NULL AND kind IN {VALUE_KINDS}",
        s_last = last("to_stage_id", "('created', 'moved')", &upto),
        s_next = next("from_stage_id", "moved"),
        s_now = now("stage_id"),
        a_last = last("new_amount_fen", "('created', 'amount_changed')", &upto),
        a_next = next("old_amount_fen", "amount_changed"),
        a_now = now("amount_fen"),
        c_last = last("new_close_date", "('created', 'close_date_changed')", &upto),
        c_next = next("old_close_date", "close_date_changed"),
        c_now = now("close_date"),
        e_last = last("at", "('created', 'moved')", &upto),
        e_before = last("at", "('created', 'moved')", &before),
        e_now = now("created_at"),
    );
    [runs, rest]
}

/// Runs [`fill_sql`].
async fn fill<C: sea_orm::ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    for sql in fill_sql() {
        db.execute_unprepared(&sql).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        let cols = [
            integer_null(DealHistory::AfterStageId),
            big_integer_null(DealHistory::AfterAmountFen),
            date_null(DealHistory::AfterCloseDate),
            timestamp_with_time_zone_null(DealHistory::AfterEnteredAt),
            timestamp_with_time_zone_null(DealHistory::BeforeEnteredAt),
        ];
        for c in cols {
            m.alter_table(Table::alter().table(DealHistory::Table).add_column(c).to_owned()).await?;
        }
        let conn = m.get_connection();
        fill(conn).await?;
        // Progress reads the value events after a date and nothing else: a covering index
        // makes that a sequential scan. Rows of one week lie all over the table when history
        // was loaded deal by deal (the generator; an import); with a row lookup per event, a
        // week of 1M deals took 1.0-1.4 s instead of 0.36-0.47 s.
        conn.execute_unprepared(&format!(
            "CREATE INDEX IF NOT EXISTS ix_deal_history_value ON deal_history (at, kind, deal_id, after_stage_id, from_stage_id, \
             after_amount_fen, old_amount_fen, after_close_date, old_close_date, after_entered_at, before_entered_at) \
             WHERE kind IN {VALUE_KINDS}"
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection().execute_unprepared("DROP INDEX IF EXISTS ix_deal_history_value").await?;
        for c in [
            DealHistory::AfterStageId,
            DealHistory::AfterAmountFen,
            DealHistory::AfterCloseDate,
            DealHistory::AfterEnteredAt,
            DealHistory::BeforeEnteredAt,
        ] {
            m.alter_table(Table::alter().table(DealHistory::Table).drop_column(c).to_owned()).await?;
        }
        Ok(())
    }
}
