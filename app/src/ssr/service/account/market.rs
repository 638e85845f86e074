//! The target market as SQL, so the list can filter and the dashboard can group at 100k
//! accounts without loading them. The pure rule (`TargetMarket::fits`) stays the definition;
//! `app/tests/integration/market_capacity.rs` proves this condition agrees with it on a table
//! of accounts, on SQLite and PostgreSQL.
//!
//! Industries are free text matched through `industry_code` (normalised words, synonyms in
//! both languages), which SQL cannot reproduce. So the distinct industry texts are read
//! (an index answers it: `ix_accounts_industry`), each is decided by the pure function, and
//! the condition names the texts: `industry IN (texts that hit)`. The numbers are plain
//! comparisons; a fact the filter asks about and the account lacks is `IS NULL`.
use crate::domain::account::market::{AccountPolicyView, FitCount, FitKind};
use crate::domain::account::target::{industry_code, TargetMarket};
use crate::domain::error::AppError;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::account;
use crate::ssr::service::access::{account_visibility, require_admin};
use sea_orm::sea_query::{Alias, CaseStatement, Expr, ExprTrait};
use sea_orm::{ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

/// More distinct industry texts than this would not fit a statement's parameters (SQLite
/// takes 32,766); the condition is refused rather than cut short.
pub const INDUSTRY_TEXTS_MAX: usize = 20_000;

/// The filter as two conditions on `accounts`: a known fact misses (out), or, nothing
/// missing, a needed fact is absent (unknown). Neither is ever NULL, so `NOT` is safe.
#[derive(Clone, Debug)]
pub struct MarketSql {
    miss: sea_orm::Condition,
    unknown: sea_orm::Condition,
}

fn col(c: account::Column) -> Expr {
    Expr::col((account::Entity, c))
}

fn constant(holds: bool) -> sea_orm::Condition {
    sea_orm::Condition::all().add(Expr::val(1).eq(if holds { 1 } else { 0 }))
}

/// `value` outside `[min, max]` when known, and whether it is unknown; `None` when the filter
/// does not ask about it.
fn band<T: Into<sea_orm::Value> + Copy>(c: account::Column, min: Option<T>, max: Option<T>) -> Option<(sea_orm::Condition, Expr)> {
    if min.is_none() && max.is_none() {
        return None;
    }
    let mut outside = sea_orm::Condition::any();
    if let Some(lo) = min {
        outside = outside.add(col(c).lt(lo));
    }
    if let Some(hi) = max {
        outside = outside.add(col(c).gt(hi));
    }
    Some((sea_orm::Condition::all().add(col(c).is_not_null()).add(outside), col(c).is_null()))
}

impl MarketSql {
    /// The accounts of one standing.
    pub fn condition(&self, k: FitKind) -> sea_orm::Condition {
        match k {
            FitKind::Out => self.miss.clone(),
            FitKind::Unknown => sea_orm::Condition::all().add(self.miss.clone().not()).add(self.unknown.clone()),
            FitKind::In => sea_orm::Condition::all().add(self.miss.clone().not()).add(self.unknown.clone().not()),
        }
    }

    /// The standing as a number to group by: 0 in, 1 out, 2 unknown (see [`kind_of`]).
    pub fn case(&self) -> CaseStatement {
        CaseStatement::new().case(self.miss.clone(), 1).case(self.unknown.clone(), 2).finally(0)
    }
}

/// The number [`MarketSql::case`] gives back as a standing.
pub fn kind_of(n: i32) -> Option<FitKind> {
    match n {
        0 => Some(FitKind::In),
        1 => Some(FitKind::Out),
        2 => Some(FitKind::Unknown),
        _ => None,
    }
}

/// The filter as SQL against the industry texts the accounts hold now.
pub async fn market_sql<C: ConnectionTrait>(db: &C, market: &TargetMarket) -> Result<MarketSql, AppError> {
    let mut miss = sea_orm::Condition::any();
    let mut unknown = sea_orm::Condition::any();
    if !market.industries.is_empty() {
        let targets: Vec<String> = market.industries.iter().filter_map(|i| industry_code(i)).collect();
        let texts: Vec<String> = account::Entity::find()
            .select_only()
            .column(account::Column::Industry)
            .distinct()
            .limit(INDUSTRY_TEXTS_MAX as u64 + 1)
            .into_tuple()
            .all(db)
            .await
            .map_err(db_err)?;
        if texts.len() > INDUSTRY_TEXTS_MAX {
            tracing::error!("more than {INDUSTRY_TEXTS_MAX} distinct industry texts: the target market cannot be put as SQL");
            return Err(AppError::Internal);
        }
        let (mut blank, mut hit) = (Vec::new(), Vec::new());
        for t in texts {
            match industry_code(&t) {
                None => blank.push(t),
                Some(code) if targets.contains(&code) => hit.push(t),
                Some(_) => {}
            }
        }
        // Known and not targeted: any text neither blank nor a hit (a text written after the
        // read above counts as not targeted until the next read).
        let mut known_miss = constant(true);
        if !blank.is_empty() {
            known_miss = known_miss.add(col(account::Column::Industry).is_not_in(blank.clone()));
            unknown = unknown.add(col(account::Column::Industry).is_in(blank));
        }
        if !hit.is_empty() {
            known_miss = known_miss.add(col(account::Column::Industry).is_not_in(hit));
        }
        miss = miss.add(known_miss);
    }
    let bands = [
        band(account::Column::RevenueFen, market.revenue_min_fen, market.revenue_max_fen),
        band(account::Column::Headcount, market.headcount_min.map(i64::from), market.headcount_max.map(i64::from)),
        band(account::Column::ProfitFen, market.profit_floor_fen, None),
    ];
    for (outside, absent) in bands.into_iter().flatten() {
        miss = miss.add(outside);
        unknown = unknown.add(absent);
    }
    // An empty `any` would match every row: nothing asked means nothing misses.
    if miss.is_empty() {
        miss = constant(false);
    }
    if unknown.is_empty() {
        unknown = constant(false);
    }
    Ok(MarketSql { miss, unknown })
}

/// The accounts the viewer sees, per standing (the three, in order).
pub async fn counts<C: ConnectionTrait>(db: &C, ctx: &RequestContext, market: &TargetMarket) -> Result<Vec<FitCount>, AppError> {
    let sql = market_sql(db, market).await?;
    let rows: Vec<(i32, i64)> = account::Entity::find()
        .select_only()
        .expr_as(sql.case(), "fit")
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "n")
        .filter(account_visibility(ctx))
        .group_by(Expr::col(Alias::new("fit")))
        .into_tuple()
        .all(db)
        .await
        .map_err(db_err)?;
    Ok(FitKind::ALL
        .into_iter()
        .map(|fit| FitCount {
            fit,
            count: rows.iter().filter(|(k, _)| kind_of(*k) == Some(fit)).map(|(_, n)| u64::try_from(*n).unwrap_or(0)).sum(),
        })
        .collect())
}

/// What the admin's page shows: the three policies and where the accounts stand.
pub async fn policy_view(db: &Db, ctx: &RequestContext) -> Result<AccountPolicyView, AppError> {
    require_admin(ctx)?;
    let market = super::target::policy(db).await?;
    Ok(AccountPolicyView {
        counts: counts(db, ctx, &market).await?,
        market,
        cadence: super::cadence::policy(db).await?,
        plan: super::capacity::plan(db).await?,
    })
}
