//! The value events of `deal_history` as SQL: what each changed in the forecast, for progress and trend sums.
use super::scope_condition;
use crate::domain::forecast as f;
use crate::ssr::context::RequestContext;
use crate::ssr::entity::{deal, deal_history, stage};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Query};

/// A custom expression with `?` placeholders: sea-query numbers them `$1…` per expression on
/// PostgreSQL and leaves `?` elsewhere.
pub(super) fn cust<I: IntoIterator<Item = sea_orm::sea_query::Value>>(backend: sea_orm::DbBackend, sql: &str, values: I) -> Expr {
    let sql = if backend == sea_orm::DbBackend::Postgres {
        let mut out = String::with_capacity(sql.len() + 16);
        let mut n = 0;
        for ch in sql.chars() {
            if ch == '?' {
                n += 1;
                out.push_str(&format!("${n}"));
            } else {
                out.push(ch);
            }
        }
        out
    } else {
        sql.to_owned()
    };
    Expr::cust_with_values(sql, values)
}

/// The value events after `a` in the viewer's scope, one row each: `grp` 1 if after `b`,
/// `deal_id`, `cls` (the contribution kind) and `dv`, what it changed in the value for `scope`.
/// With `only`, the events of those deals instead of the viewer's.
pub(super) fn value_events(
    backend: sea_orm::DbBackend,
    ctx: &RequestContext,
    a: DateTime<Utc>,
    b: DateTime<Utc>,
    scope: f::Scope,
    only: Option<Vec<i32>>,
) -> sea_orm::sea_query::SelectStatement {
    use sea_orm::sea_query::{Alias, ExprTrait, Value};
    let mut values: Vec<Value> = Vec::new();
    for _ in 0..2 {
        if let Some(h) = scope.horizon_end {
            values.push(h.into());
        }
        values.push(scope.period_start.into());
    }
    let in_horizon = |c: &str| if scope.horizon_end.is_some() { format!("{c} <= ?") } else { "1 = 1".to_owned() };
    let won_since = |e: &str| format!("{e} >= ?");
    let dv = crate::ssr::sql::event_dv_sql(&in_horizon, &won_since);
    let mut inner = value_rows_after(backend, a);
    inner
        .expr_as(cust(backend, "CASE WHEN h.at > ? THEN 1 ELSE 0 END", [Value::from(b)]), Alias::new("grp"))
        .expr_as(Expr::cust("h.deal_id"), Alias::new("deal_id"))
        .expr_as(Expr::cust(crate::ssr::sql::EVENT_CLASS_SQL), Alias::new("cls"))
        .expr_as(cust(backend, &dv, values), Alias::new("dv"));
    if let Some(ids) = only {
        inner.and_where(Expr::col((Alias::new("h"), deal_history::Column::DealId)).is_in(ids));
        return inner;
    }
    viewers_history(&mut inner, ctx);
    inner
}

/// The value rows of `deal_history` after `after` as `h`, with their stage after (`sa`) and
/// before (`sb`): what [`crate::ssr::sql::event_dv_sql`] and its kin read.
pub(super) fn value_rows_after(backend: sea_orm::DbBackend, after: DateTime<Utc>) -> sea_orm::sea_query::SelectStatement {
    use sea_orm::sea_query::{Alias, JoinType, Value};
    let mut q = Query::select();
    q.from_as(deal_history::Entity, Alias::new("h"))
        .join_as(JoinType::LeftJoin, stage::Entity, Alias::new("sa"), Expr::cust("sa.id = h.after_stage_id"))
        .join_as(
            JoinType::LeftJoin,
            stage::Entity,
            Alias::new("sb"),
            Expr::cust("sb.id = (CASE WHEN h.kind = 'moved' THEN h.from_stage_id ELSE h.after_stage_id END)"),
        )
        .and_where(cust(backend, "h.at > ?", [Value::from(after)]))
        .and_where(Expr::cust(format!("h.kind IN {}", crate::ssr::sql::HISTORY_VALUE_KINDS)));
    q
}

/// Keeps the rows of `h` (history) to the deals in the viewer's scope.
pub(super) fn viewers_history(q: &mut sea_orm::sea_query::SelectStatement, ctx: &RequestContext) {
    use sea_orm::sea_query::{Alias, ExprTrait};
    if !ctx.visibility.all || crate::domain::access::figures_owner(ctx.role, ctx.user_id).is_some() {
        let ids = Query::select().column(deal::Column::Id).from(deal::Entity).cond_where(scope_condition(ctx)).to_owned();
        q.and_where(Expr::col((Alias::new("h"), deal_history::Column::DealId)).in_subquery(ids));
    }
}
