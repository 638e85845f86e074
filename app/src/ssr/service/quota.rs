//! Quotas per rep and period: managers set them for their teams, admins for everyone;
//! a CSV import goes through the same upsert row by row and reports every bad line.
use crate::domain::error::AppError;
use crate::domain::quota_grid::{QuotaCellEdit, QuotaGrid, QuotaSave};
use crate::domain::role::Role;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{quota, team, user};
use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuotaRow {
    pub id: uuid::Uuid,
    pub user_id: uuid::Uuid,
    pub user_name: String,
    pub email: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub amount_fen: i64,
    pub version: i32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuotaInput {
    /// The rep, by id or e-mail (the CSV uses e-mail).
    pub user: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub amount_fen: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    pub imported: u32,
    /// (line number, message) for every line not imported.
    pub errors: Vec<(u32, String)>,
}

/// Whose quotas the user may see and set (`domain::access`): admins and general managers all,
/// managers their teams,
/// reps their own (read-only).
fn may_edit(ctx: &RequestContext, target: &user::Model) -> bool {
    crate::domain::access::may_edit_quota(&super::access::actor(ctx), target.team_id, &ctx.managed_team_ids, ctx.team_id)
}

fn may_see(ctx: &RequestContext, target: &user::Model) -> bool {
    crate::domain::access::may_see_quota(&super::access::actor(ctx), target.id, may_edit(ctx, target))
}

async fn find_user<C: ConnectionTrait>(db: &C, who: &str) -> Result<Option<user::Model>, AppError> {
    let q = user::Entity::find();
    let q = match who.trim().parse::<uuid::Uuid>() {
        Ok(u) => q.filter(user::Column::Uuid.eq(u)),
        Err(_) => q.filter(user::Column::Email.eq(who.trim().to_lowercase())),
    };
    q.one(db).await.map_err(db_err)
}

pub async fn list(db: &Db, ctx: &RequestContext, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<Vec<QuotaRow>, AppError> {
    let mut q = quota::Entity::find().order_by_asc(quota::Column::PeriodStart).order_by_asc(quota::Column::UserId);
    if let Some(t) = to {
        q = q.filter(quota::Column::PeriodStart.lte(t));
    }
    if let Some(f) = from {
        q = q.filter(quota::Column::PeriodEnd.gte(f));
    }
    let rows = q.all(db).await.map_err(db_err)?;
    let users: std::collections::HashMap<i32, user::Model> =
        user::Entity::find().all(db).await.map_err(db_err)?.into_iter().map(|u| (u.id, u)).collect();
    Ok(rows
        .into_iter()
        .filter_map(|q| {
            let u = users.get(&q.user_id)?;
            may_see(ctx, u).then(|| QuotaRow {
                id: q.uuid,
                user_id: u.uuid,
                user_name: u.name.clone(),
                email: u.email.clone(),
                period_start: q.period_start,
                period_end: q.period_end,
                amount_fen: q.amount_fen,
                version: q.version,
            })
        })
        .collect())
}

/// Creates or replaces the quota of (user, period).
pub async fn upsert<C: ConnectionTrait>(db: &C, ctx: &RequestContext, input: &QuotaInput) -> Result<(), AppError> {
    if input.period_end < input.period_start {
        return Err(AppError::validation("period_end", "is before the period start"));
    }
    crate::domain::validate::amount_fen("amount", input.amount_fen)?;
    crate::domain::validate::date("period_start", input.period_start)?;
    crate::domain::validate::date("period_end", input.period_end)?;
    let u = find_user(db, &input.user).await?.ok_or_else(|| AppError::validation("user", "no such user"))?;
    if !may_edit(ctx, &u) {
        return Err(AppError::Forbidden);
    }
    let now = chrono::Utc::now();
    quota::Entity::insert(quota::ActiveModel {
        uuid: Set(uuid::Uuid::new_v4()),
        user_id: Set(u.id),
        period_start: Set(input.period_start),
        period_end: Set(input.period_end),
        amount_fen: Set(input.amount_fen),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([quota::Column::UserId, quota::Column::PeriodStart, quota::Column::PeriodEnd])
            .update_columns([quota::Column::AmountFen, quota::Column::UpdatedAt])
            .value(quota::Column::Version, Expr::col((quota::Entity, quota::Column::Version)).add(1))
            .to_owned(),
    )
    .exec_without_returning(db)
    .await
    .map_err(db_err)?;
    Ok(())
}

pub async fn delete(db: &Db, ctx: &RequestContext, id: uuid::Uuid) -> Result<(), AppError> {
    let q = quota::Entity::find().filter(quota::Column::Uuid.eq(id)).one(db).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    let u = user::Entity::find_by_id(q.user_id).one(db).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    if !may_see(ctx, &u) {
        return Err(AppError::NotFound);
    }
    if !may_edit(ctx, &u) {
        return Err(AppError::Forbidden);
    }
    quota::Entity::delete_by_id(q.id).exec(db).await.map_err(db_err)?;
    Ok(())
}

/// The quota editor: every active seller (rep or manager) whose quotas the viewer may set
/// (managers: their teams'; admins and general managers: everyone), by team then name, with
/// the quotas of the year's four quarters.
pub async fn grid(db: &Db, ctx: &RequestContext, year: i32) -> Result<QuotaGrid, AppError> {
    use crate::domain::quota_grid::{quarter, quarter_of, QuotaCell, QuotaGridRow, YEAR_MAX, YEAR_MIN};
    if !(YEAR_MIN..=YEAR_MAX).contains(&year) {
        return Err(AppError::validation("year", format!("must be between {YEAR_MIN} and {YEAR_MAX}")));
    }
    let (Some((from, _)), Some((_, to))) = (quarter(year, 0), quarter(year, 3)) else {
        return Err(AppError::validation("year", "no such year"));
    };
    let sellers: Vec<user::Model> = user::Entity::find()
        .filter(user::Column::Active.eq(true))
        .filter(user::Column::Role.is_in([Role::Rep.as_str(), Role::Manager.as_str()]))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .filter(|u| may_edit(ctx, u))
        .collect();
    if sellers.is_empty() && !may_edit_any(ctx) {
        return Err(AppError::Forbidden);
    }
    let ids: Vec<i32> = sellers.iter().map(|u| u.id).collect();
    let quotas = quota::Entity::find()
        .filter(quota::Column::UserId.is_in(ids))
        .filter(quota::Column::PeriodStart.gte(from))
        .filter(quota::Column::PeriodEnd.lte(to))
        .all(db)
        .await
        .map_err(db_err)?;
    let teams: std::collections::HashMap<i32, String> =
        team::Entity::find().all(db).await.map_err(db_err)?.into_iter().map(|t| (t.id, t.name)).collect();
    let mut rows: Vec<QuotaGridRow> = sellers
        .iter()
        .map(|u| {
            let mut cells = [QuotaCell::default(); 4];
            for q in quotas.iter().filter(|q| q.user_id == u.id) {
                if let Some(i) = quarter_of(q.period_start, q.period_end) {
                    cells[usize::from(i)] = QuotaCell { amount_fen: Some(q.amount_fen), version: Some(q.version) };
                }
            }
            QuotaGridRow {
                user_id: u.uuid,
                name: u.name.clone(),
                email: u.email.clone(),
                team: u.team_id.and_then(|t| teams.get(&t).cloned()).unwrap_or_default(),
                editable: true,
                cells,
            }
        })
        .collect();
    rows.sort_by(|a, b| (&a.team, &a.name).cmp(&(&b.team, &b.name)));
    Ok(QuotaGrid { year, rows })
}

/// Whether the viewer sets anyone's quotas at all (a manager of an empty team still may).
fn may_edit_any(ctx: &RequestContext) -> bool {
    matches!(ctx.role, Role::Admin | Role::Gm) || (ctx.role == Role::Manager && (ctx.team_id.is_some() || !ctx.managed_team_ids.is_empty()))
}

/// Saves edited cells of the grid in one transaction through [`upsert`]. Every refused cell
/// is reported with its reason (in the user's language) and then nothing is written.
pub async fn save_grid(db: &Db, ctx: &RequestContext, year: i32, cells: Vec<QuotaCellEdit>) -> Result<QuotaSave, AppError> {
    use crate::domain::quota_grid::{quarter, QuotaCellError, MAX_CELLS};
    if cells.len() > MAX_CELLS {
        return Err(AppError::validation("cells", format!("at most {MAX_CELLS} cells at once")));
    }
    // The year is checked (and the grid's rows decided) by reading the grid first.
    let before = grid(db, ctx, year).await?;
    let l = ctx.locale.unwrap_or_default();
    let mut errors = Vec::new();
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    for c in &cells {
        let refuse = |e: AppError| QuotaCellError { user_id: c.user_id, quarter: c.quarter, message: crate::i18n::error_message(l, &e) };
        let Some((period_start, period_end)) = quarter(year, c.quarter) else {
            errors.push(refuse(AppError::validation("quarter", "must be 0–3")));
            continue;
        };
        if !before.rows.iter().any(|r| r.user_id == c.user_id) {
            // Someone not on the viewer's grid: not theirs to set (or not a seller).
            errors.push(refuse(AppError::Forbidden));
            continue;
        }
        if c.read_version.is_some() && !c.still_current(stored_version(&w.txn, c.user_id, period_start, period_end).await?) {
            errors.push(refuse(AppError::Conflict));
            continue;
        }
        let input = QuotaInput { user: c.user_id.to_string(), period_start, period_end, amount_fen: c.amount_fen };
        if let Err(e) = upsert(&w.txn, ctx, &input).await {
            errors.push(refuse(e));
        }
    }
    if !errors.is_empty() {
        // Dropping the transaction rolls every cell back; the grid is read again so that a
        // cell someone else changed shows their figure under the one typed here.
        drop(w);
        return Ok(QuotaSave { grid: grid(db, ctx, year).await?, errors });
    }
    w.commit().await.map_err(db_err)?;
    Ok(QuotaSave { grid: grid(db, ctx, year).await?, errors })
}

/// The version of the quota stored for (user, quarter), inside the save's transaction.
async fn stored_version<C: ConnectionTrait>(db: &C, user: uuid::Uuid, start: NaiveDate, end: NaiveDate) -> Result<Option<i32>, AppError> {
    let Some(u) = user::Entity::find().filter(user::Column::Uuid.eq(user)).one(db).await.map_err(db_err)? else {
        return Ok(None);
    };
    Ok(quota::Entity::find()
        .filter(quota::Column::UserId.eq(u.id))
        .filter(quota::Column::PeriodStart.eq(start))
        .filter(quota::Column::PeriodEnd.eq(end))
        .one(db)
        .await
        .map_err(db_err)?
        .map(|q| q.version))
}

/// Parses one CSV line `email,period_start,period_end,amount_yuan`.
pub fn parse_line(line: &str) -> Result<QuotaInput, String> {
    // One line is one record here ("1,200,000" in quotes is one cell).
    let cells = crate::domain::csv::parse(line).ok().and_then(|r| r.into_iter().next()).map(|r| r.1).unwrap_or_default();
    let [user, start, end, amount] = cells.as_slice() else {
        return Err("expected 4 columns: email, period_start, period_end, amount".into());
    };
    let d = |s: &str| s.parse::<NaiveDate>().map_err(|_| format!("{s:?} is not a date (YYYY-MM-DD)"));
    let amount_fen = crate::domain::money::parse_yuan(amount).ok_or_else(|| format!("{amount:?} is not an amount"))?;
    Ok(QuotaInput { user: user.clone(), period_start: d(start)?, period_end: d(end)?, amount_fen })
}

/// Imports quotas from CSV (UTF-8, optional BOM and header). Good lines are saved in one
/// transaction; bad ones are reported with their line number and nothing is half-written.
pub async fn import_csv(db: &Db, ctx: &RequestContext, text: &str) -> Result<ImportReport, AppError> {
    let text = text.trim_start_matches('\u{feff}');
    let mut good = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if line.trim().is_empty() || (i == 0 && line.to_lowercase().contains("email")) {
            continue;
        }
        match parse_line(line) {
            Ok(q) => good.push((n, q)),
            Err(e) => errors.push((n, e)),
        }
    }
    if !errors.is_empty() {
        return Ok(ImportReport { imported: 0, errors });
    }
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    for (n, q) in &good {
        if let Err(e) = upsert(&w.txn, ctx, q).await {
            errors.push((*n, crate::i18n::error_message(crate::domain::locale::Locale::En, &e)));
        }
    }
    if !errors.is_empty() {
        return Ok(ImportReport { imported: 0, errors });
    }
    w.commit().await.map_err(db_err)?;
    Ok(ImportReport { imported: u32::try_from(good.len()).unwrap_or(u32::MAX), errors })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::parse_line;

    #[test]
    fn csv_lines_parse_or_say_why() {
        let q = parse_line("rep@demo.local, 2026-10-01, 2026-12-31, \"1,200,000\"").unwrap();
        assert_eq!((q.user.as_str(), q.amount_fen), ("rep@demo.local", 120_000_000));
        assert!(parse_line("rep@demo.local,2026-10-01").unwrap_err().contains("4 columns"));
        let q = parse_line("rep@demo.local,2026-10-01,2026-12-31,1200000").unwrap();
        assert_eq!(q.amount_fen, 120_000_000);
        assert!(parse_line("rep@demo.local,2026-13-01,2026-12-31,1").unwrap_err().contains("not a date"));
        assert!(parse_line("rep@demo.local,2026-10-01,2026-12-31,abc").unwrap_err().contains("not an amount"));
    }
}
