//! The dashboard's pipeline inside vs outside the target market: the viewer's open deals (the
//! dashboard's scope) joined to their accounts and grouped by the market's SQL condition, one
//! aggregate. Kept out of `dashboard()`: the page asks for it on its own, so the 1M-deal
//! dashboard path is unchanged. Expected plan: for a manager or rep, deals by
//! `ix_deals_team…`/owner then each account by its primary key; for an executive every open
//! deal is read once (a hash join to accounts on PostgreSQL, primary-key lookups on SQLite).
use super::scope_condition;
use crate::domain::account::market::{PipelineSplit, SplitRow};
use crate::domain::error::AppError;
use crate::domain::gate::StageKind;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{account, deal, stage};
use crate::ssr::service::account::{market, target};
use crate::ssr::sql;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait};

/// Per deal, amount × rate rounded half away from zero, as `dto::weighted_fen` (integer
/// division truncates toward zero on both databases); an amount outside the bounds (old
/// data) in floating point, which no product overflows. Summed with `sql::sum_real`.
const WEIGHTED_SQL: &str = "CASE WHEN deals.amount_fen < 0 OR deals.amount_fen > 1000000000000000 \
     THEN CAST(deals.amount_fen AS DOUBLE PRECISION) * stages.win_rate_pct / 100 \
     ELSE (deals.amount_fen * stages.win_rate_pct + 50) / 100 END";

pub async fn pipeline_split(db: &Db, ctx: &RequestContext) -> Result<PipelineSplit, AppError> {
    let m = target::policy(db).await?;
    let sql = market::market_sql(db, &m).await?;
    let open_stages =
        stage::Entity::find().select_only().column(stage::Column::Id).filter(stage::Column::Kind.eq(StageKind::Open.as_str())).into_query();
    let q = Query::select()
        .expr_as(sql.case(), Alias::new("fit"))
        .expr_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), Alias::new("n"))
        .expr_as(Expr::cust(sql::sum_real("deals.amount_fen")), Alias::new("amount"))
        .expr_as(Expr::cust(sql::sum_real(WEIGHTED_SQL)), Alias::new("weighted"))
        .from(deal::Entity)
        .inner_join(account::Entity, Expr::col((account::Entity, account::Column::Id)).equals((deal::Entity, deal::Column::AccountId)))
        .inner_join(stage::Entity, Expr::col((stage::Entity, stage::Column::Id)).equals((deal::Entity, deal::Column::StageId)))
        .and_where(deal::Column::StageId.in_subquery(open_stages))
        .cond_where(scope_condition(ctx))
        .group_by_col(Alias::new("fit"))
        .to_owned();
    let rows = db.query_all(&q).await.map_err(db_err)?;
    let mut found = Vec::with_capacity(rows.len());
    for r in rows {
        let fit: i32 = r.try_get("", "fit").map_err(db_err)?;
        let Some(fit) = market::kind_of(fit) else { continue };
        let n: i64 = r.try_get("", "n").map_err(db_err)?;
        found.push(SplitRow {
            fit,
            count: u64::try_from(n).unwrap_or(0),
            amount_fen: sql::saturate(r.try_get::<f64>("", "amount").map_err(db_err)?),
            weighted_fen: sql::saturate(r.try_get::<f64>("", "weighted").map_err(db_err)?.round()),
        });
    }
    Ok(PipelineSplit::from_rows(&found))
}
