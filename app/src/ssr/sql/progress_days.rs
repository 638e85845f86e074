//! What one value event changed in the forecast, as SQL (progress and trend sums read it), and
//! the progress days' rebuild. As migration 000011 first defined them.
/// The joins the expressions below read: `h` a value row of `deal_history`, `sa` its stage
/// after, `sb` its stage before.
pub(super) const EVENT_JOINS: &str = "LEFT JOIN stages sa ON sa.id = h.after_stage_id \
     LEFT JOIN stages sb ON sb.id = (CASE WHEN h.kind = 'moved' THEN h.from_stage_id ELSE h.after_stage_id END)";

/// A deal's value (forecast + won) in one state as SQL: its stage `s`, amount, close date and
/// stage entry; `in_horizon` and `won_since` give the scope's two tests. Weighted like
/// `dto::weighted_fen` (half away from zero).
pub(super) fn value_sql(
    s: &str,
    amount: &str,
    close: &str,
    entered: &str,
    in_horizon: &dyn Fn(&str) -> String,
    won_since: &dyn Fn(&str) -> String,
) -> String {
    format!(
        "CASE WHEN {s}.kind = 'open' AND {h} THEN \
           (CASE WHEN {amount} * {s}.win_rate_pct >= 0 THEN ({amount} * {s}.win_rate_pct + 50) / 100 \
                 ELSE ({amount} * {s}.win_rate_pct - 50) / 100 END) \
         WHEN {s}.kind = 'won' AND {w} THEN {amount} ELSE 0 END",
        h = in_horizon(close),
        w = won_since(entered),
    )
}

/// What one value event changed in the value: value(after) − value(before).
pub fn event_dv_sql(in_horizon: &dyn Fn(&str) -> String, won_since: &dyn Fn(&str) -> String) -> String {
    let after = value_sql("sa", "h.after_amount_fen", "h.after_close_date", "h.after_entered_at", in_horizon, won_since);
    let before = value_sql(
        "sb",
        "(CASE WHEN h.kind = 'amount_changed' THEN h.old_amount_fen ELSE h.after_amount_fen END)",
        "(CASE WHEN h.kind = 'close_date_changed' THEN h.old_close_date ELSE h.after_close_date END)",
        "(CASE WHEN h.kind = 'moved' THEN h.before_entered_at ELSE h.after_entered_at END)",
        in_horizon,
        won_since,
    );
    format!("({after}) - (CASE WHEN h.kind = 'created' THEN 0 ELSE {before} END)")
}

/// What one value event changed in the forecast, the won amount, the count of deals in the
/// forecast and the count of won deals — the four figures of a trend point — each
/// after − before like [`event_dv_sql`]. Each expression tests its scope twice (after, then
/// before): `in_horizon` in the first and third, `won_since` in the second and fourth.
pub fn event_split_sql(in_horizon: &dyn Fn(&str) -> String, won_since: &dyn Fn(&str) -> String) -> [String; 4] {
    let before_amount = "(CASE WHEN h.kind = 'amount_changed' THEN h.old_amount_fen ELSE h.after_amount_fen END)";
    let before_close = "(CASE WHEN h.kind = 'close_date_changed' THEN h.old_close_date ELSE h.after_close_date END)";
    let before_entered = "(CASE WHEN h.kind = 'moved' THEN h.before_entered_at ELSE h.after_entered_at END)";
    let forecast = |s: &str, amount: &str, close: &str| {
        format!(
            "CASE WHEN {s}.kind = 'open' AND {h} THEN \
               (CASE WHEN {amount} * {s}.win_rate_pct >= 0 THEN ({amount} * {s}.win_rate_pct + 50) / 100 \
                     ELSE ({amount} * {s}.win_rate_pct - 50) / 100 END) ELSE 0 END",
            h = in_horizon(close)
        )
    };
    let won = |s: &str, amount: &str, entered: &str| {
        format!("CASE WHEN {s}.kind = 'won' AND {w} THEN {amount} ELSE 0 END", w = won_since(entered))
    };
    let open_n = |s: &str, close: &str| format!("CASE WHEN {s}.kind = 'open' AND {h} THEN 1 ELSE 0 END", h = in_horizon(close));
    let won_n = |s: &str, entered: &str| format!("CASE WHEN {s}.kind = 'won' AND {w} THEN 1 ELSE 0 END", w = won_since(entered));
    let delta = |after: String, before: String| format!("({after}) - (CASE WHEN h.kind = 'created' THEN 0 ELSE {before} END)");
    [
        delta(forecast("sa", "h.after_amount_fen", "h.after_close_date"), forecast("sb", before_amount, before_close)),
        delta(won("sa", "h.after_amount_fen", "h.after_entered_at"), won("sb", before_amount, before_entered)),
        delta(open_n("sa", "h.after_close_date"), open_n("sb", before_close)),
        delta(won_n("sa", "h.after_entered_at"), won_n("sb", before_entered)),
    ]
}

/// The contribution kind of one value event, as `domain::forecast` classifies it.
pub const CLASS_SQL: &str = "CASE h.kind \
     WHEN 'created' THEN CASE WHEN sa.kind = 'won' THEN 'won' ELSE 'new' END \
     WHEN 'amount_changed' THEN 'amount_changed' \
     WHEN 'close_date_changed' THEN CASE WHEN h.after_close_date > h.old_close_date THEN 'slipped' \
          WHEN h.after_close_date < h.old_close_date THEN 'pulled_in' ELSE 'other' END \
     ELSE CASE WHEN sb.kind <> 'won' AND sa.kind = 'won' THEN 'won' \
          WHEN sb.kind <> 'lost' AND sa.kind = 'lost' THEN 'lost' \
          WHEN sb.kind = 'open' AND sa.kind = 'open' AND sb.pipeline_id = sa.pipeline_id AND sa.position > sb.position THEN 'moved_up' \
          WHEN sb.kind = 'open' AND sa.kind = 'open' AND sb.pipeline_id = sa.pipeline_id AND sa.position < sb.position THEN 'moved_down' \
          ELSE 'other' END END";

/// Calendar arithmetic per backend, on the organisation's calendar (UTC+8, like the cells).
pub(super) struct Calendar {
    /// The local day of `h.at` as YYYYMMDD.
    pub(super) day: &'static str,
    /// The first day of the local quarter of `h.at`, `{k}` quarters back (a date).
    pub(super) quarter_start: &'static str,
    /// `{q}` (a quarter's first day) as year × 4 + quarter index.
    pub(super) quarter_id: &'static str,
    /// `{c}` (a date) ≤ the last day of the quarter starting `{q}`.
    pub(super) in_horizon: &'static str,
    /// `{e}` (an instant) ≥ the local midnight starting `{q}`.
    pub(super) won_since: &'static str,
}

pub(super) const SQLITE: Calendar = Calendar {
    day: "CAST(strftime('%Y%m%d', substr(h.at, 1, 19), '+8 hours') AS INTEGER)",
    quarter_start: "date(substr(h.at, 1, 19), '+8 hours', 'start of month', \
         '-' || (((CAST(strftime('%m', substr(h.at, 1, 19), '+8 hours') AS INTEGER) - 1) % 3) + 3 * {k}) || ' months')",
    quarter_id: "(CAST(strftime('%Y', {q}) AS INTEGER) * 4 + (CAST(strftime('%m', {q}) AS INTEGER) - 1) / 3)",
    in_horizon: "{c} <= date({q}, '+3 months', '-1 day')",
    // Whole seconds compare safely with a midnight; SQLite would round nanoseconds.
    won_since: "datetime(substr({e}, 1, 19), '+8 hours') >= ({q} || ' 00:00:00')",
};

pub(super) const POSTGRES: Calendar = Calendar {
    day: "CAST(to_char(h.at AT TIME ZONE 'UTC' + INTERVAL '8 hours', 'YYYYMMDD') AS INTEGER)",
    quarter_start: "CAST(date_trunc('quarter', h.at AT TIME ZONE 'UTC' + INTERVAL '8 hours') - INTERVAL '{k} months' * 3 AS date)",
    quarter_id: "(CAST(EXTRACT(YEAR FROM {q}) AS INTEGER) * 4 + (CAST(EXTRACT(MONTH FROM {q}) AS INTEGER) - 1) / 3)",
    in_horizon: "{c} <= CAST({q} + INTERVAL '3 months' - INTERVAL '1 day' AS date)",
    won_since: "{e} >= (CAST({q} AS timestamp) - INTERVAL '8 hours') AT TIME ZONE 'UTC'",
};

/// The rows the rebuild sums (both quarters an event is valued in), for the value events that
/// pass `filter` (SQL over `h` and `d`, or empty).
fn parts_sql(backend: sea_orm::DbBackend, filter: &str) -> String {
    let cal = if backend == sea_orm::DbBackend::Postgres { &POSTGRES } else { &SQLITE };
    let arm = |k: u32| {
        let q = cal.quarter_start.replace("{k}", &k.to_string());
        let in_horizon = |c: &str| cal.in_horizon.replace("{c}", c).replace("{q}", &q);
        let won_since = |e: &str| cal.won_since.replace("{e}", e).replace("{q}", &q);
        format!(
            "SELECT {day} AS day, {scope} AS scope, d.team_id AS team_id, d.owner_id AS owner_id, {CLASS_SQL} AS cls, \
             {dv} AS dv FROM deal_history h JOIN deals d ON d.id = h.deal_id {EVENT_JOINS} \
             WHERE h.kind IN {kinds} {filter}",
            day = cal.day,
            scope = cal.quarter_id.replace("{q}", &q),
            dv = event_dv_sql(&in_horizon, &won_since),
            kinds = super::history_state::VALUE_KINDS,
        )
    };
    format!("{} UNION ALL {}", arm(0), arm(1))
}

/// The rebuild from the value events, per backend: empty the table, then insert.
fn rebuild_sql(backend: sea_orm::DbBackend) -> [String; 2] {
    [
        "DELETE FROM progress_days".to_owned(),
        format!(
            "INSERT INTO progress_days (day, scope, team_id, owner_id, cls, fen) \
             SELECT day, scope, team_id, owner_id, cls, CAST(SUM(dv) AS BIGINT) FROM ({}) t \
             GROUP BY day, scope, team_id, owner_id, cls",
            parts_sql(backend, "")
        ),
    ]
}

/// One deal's parts, times `sign`, added to the table under the team and owner the deal has
/// now: −1 before its owner or team changes, +1 after, moves its progress to the new owner as
/// a rebuild would attribute it. (`WHERE 1 = 1` keeps SQLite from reading `ON CONFLICT` as a
/// join constraint.)
fn deal_parts_sql(backend: sea_orm::DbBackend, deal_id: i32, sign: i8) -> String {
    format!(
        "INSERT INTO progress_days (day, scope, team_id, owner_id, cls, fen) \
         SELECT day, scope, team_id, owner_id, cls, {sign} * CAST(SUM(dv) AS BIGINT) FROM ({}) t WHERE 1 = 1 \
         GROUP BY day, scope, team_id, owner_id, cls \
         ON CONFLICT (scope, day, team_id, owner_id, cls) DO UPDATE SET fen = progress_days.fen + excluded.fen",
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
