//! Imports (accounts, contacts, deals from CSV or XLSX): upload → automatic column mapping →
//! check (a dry run: every row through the same `apply::Book::plan` as the import, nothing
//! written) → import in the background, batch by batch, with the progress kept on the job row
//! so a reloaded page finds it. Refused rows are kept with their cells and reason for the
//! preview and the result file. One path: the REST upload, the page and the tests all call
//! these.
mod apply;
pub mod read;

use crate::domain::error::AppError;
use crate::domain::import::cells::{parse_row, Problem, RowError};
use crate::domain::import::{auto_map, check_mapping, Field, Format, JobView, Kind, MappingError, Mode, RejectView, Status};
use crate::domain::import::{MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROWS};
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{import_file, import_job, import_reject};
use sea_orm::sea_query::Expr;
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait};
use std::ops::ControlFlow;
use std::sync::Arc;

/// Rows per transaction: long enough to amortise the commit, short enough that other
/// writers wait at most a fraction of a second for SQLite's one write lock.
const BATCH: usize = 250;
/// A running job whose row has not moved for this long was cut off (the server stopped).
const STALE_SECS: i64 = 120;

fn require_importer(ctx: &RequestContext) -> Result<(), AppError> {
    crate::ssr::service::access::require_account_editor(ctx)
}

/// 422 on `mapping`, saying in words which fields (every required one without a column).
fn mapping_error(ctx: &RequestContext, e: MappingError) -> AppError {
    AppError::validation("mapping", e.message(ctx.locale.unwrap_or_default()))
}

/// Stores an upload, reads its header row and maps the columns it recognises.
pub async fn upload(db: &Db, ctx: &RequestContext, kind: Kind, file_name: &str, bytes: Vec<u8>) -> Result<JobView, AppError> {
    require_importer(ctx)?;
    if bytes.is_empty() {
        return Err(AppError::validation("file", "the file is empty"));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(AppError::validation("file", format!("at most {} MB", MAX_FILE_BYTES / 1024 / 1024)));
    }
    let file_name = crate::domain::validate::required("file_name", file_name, 200)?;
    let format = Format::sniff(&bytes);
    if format == Format::Csv && file_name.to_lowercase().ends_with(".xls") {
        return Err(AppError::validation("file", "old .xls workbooks cannot be read: save as .xlsx or .csv"));
    }
    let mut header: Option<Vec<String>> = None;
    read::for_each_row(&bytes, format, |(_, cells)| {
        header = Some(cells);
        ControlFlow::Break(())
    })
    .map_err(|e| AppError::validation("file", e.to_string()))?;
    let headers = header.ok_or_else(|| AppError::validation("file", "the file has no rows"))?;
    if headers.len() > MAX_COLUMNS {
        return Err(AppError::validation("file", format!("at most {MAX_COLUMNS} columns")));
    }
    let mapping = auto_map(kind, &headers);
    let now = chrono::Utc::now();
    let uuid = uuid::Uuid::new_v4();
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let id = import_job::Entity::insert(import_job::ActiveModel {
        uuid: Set(uuid),
        user_id: Set(ctx.user_id),
        kind: Set(kind.code().into()),
        format: Set(format.code().into()),
        file_name: Set(file_name),
        status: Set(Status::Uploaded.code().into()),
        mode: Set(None),
        headers: Set(json(&headers)?),
        mapping: Set(json(&mapping)?),
        total_rows: Set(0),
        processed: Set(0),
        imported: Set(0),
        rejected: Set(0),
        error: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        finished_at: Set(None),
        ..Default::default()
    })
    .exec(&*w)
    .await
    .map_err(db_err)?
    .last_insert_id;
    import_file::Entity::insert(import_file::ActiveModel { job_id: Set(id), bytes: Set(bytes) })
        .exec_without_returning(&*w)
        .await
        .map_err(db_err)?;
    w.commit().await.map_err(db_err)?;
    get(db, ctx, uuid).await
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, AppError> {
    serde_json::to_string(v).map_err(|_| AppError::Internal)
}

/// The caller's own job (anyone else's is not found).
async fn own<C: ConnectionTrait>(db: &C, ctx: &RequestContext, id: uuid::Uuid) -> Result<import_job::Model, AppError> {
    import_job::Entity::find()
        .filter(import_job::Column::Uuid.eq(id))
        .filter(import_job::Column::UserId.eq(ctx.user_id))
        .one(db)
        .await
        .map_err(db_err)?
        .ok_or(AppError::NotFound)
}

fn kind_of(j: &import_job::Model) -> Result<Kind, AppError> {
    Kind::parse(&j.kind).ok_or(AppError::Internal)
}

fn mapping_of(j: &import_job::Model) -> Vec<Option<Field>> {
    serde_json::from_str(&j.mapping).unwrap_or_default()
}

/// A running job whose row has not moved for `STALE_SECS` was cut off.
fn is_stale(j: &import_job::Model) -> bool {
    j.status == Status::Running.code() && j.updated_at < chrono::Utc::now() - chrono::Duration::seconds(STALE_SECS)
}

/// The job as a page shows it, without sample rows or refusals (the caller adds those).
fn view_of(j: import_job::Model) -> Result<JobView, AppError> {
    let (status, error) = if is_stale(&j) {
        (Status::Failed, Some("interrupted".to_owned()))
    } else {
        (Status::parse(&j.status).ok_or(AppError::Internal)?, j.error.clone())
    };
    Ok(JobView {
        id: j.uuid,
        kind: kind_of(&j)?,
        format: Format::parse(&j.format).ok_or(AppError::Internal)?,
        headers: serde_json::from_str(&j.headers).unwrap_or_default(),
        mapping: mapping_of(&j),
        file_name: j.file_name,
        status,
        mode: j.mode.as_deref().and_then(Mode::parse),
        sample: Vec::new(),
        total_rows: j.total_rows.max(0) as u64,
        processed: j.processed.max(0) as u64,
        imported: j.imported.max(0) as u64,
        rejected: j.rejected.max(0) as u64,
        rejects: Vec::new(),
        error,
        created_at: j.created_at,
        finished_at: j.finished_at,
    })
}

pub async fn get(db: &Db, ctx: &RequestContext, id: uuid::Uuid) -> Result<JobView, AppError> {
    let j = own(db, ctx, id).await?;
    if is_stale(&j) {
        import_job::Entity::update_many()
            .col_expr(import_job::Column::Status, Expr::value(Status::Failed.code()))
            .col_expr(import_job::Column::Error, Expr::value("interrupted"))
            .filter(import_job::Column::Id.eq(j.id))
            .filter(import_job::Column::Status.eq(Status::Running.code()))
            .exec(db)
            .await
            .map_err(db_err)?;
    }
    let job_id = j.id;
    let mut v = view_of(j)?;
    if matches!(v.status, Status::Uploaded | Status::Checked) {
        v.sample = sample(db, job_id, Some(v.format)).await?;
    }
    v.rejects = import_reject::Entity::find()
        .filter(import_reject::Column::JobId.eq(job_id))
        .order_by_asc(import_reject::Column::Line)
        .limit(100)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(reject_view)
        .collect();
    Ok(v)
}

fn reject_view(r: import_reject::Model) -> RejectView {
    RejectView {
        line: r.line.max(0) as u32,
        cells: serde_json::from_str(&r.cells).unwrap_or_default(),
        field: r.field.as_deref().and_then(Field::parse),
        problem: serde_json::from_str(&r.problem).unwrap_or(Problem::Write { detail: r.problem.clone() }),
    }
}

async fn bytes_of<C: ConnectionTrait>(db: &C, job_id: i32) -> Result<Vec<u8>, AppError> {
    Ok(import_file::Entity::find_by_id(job_id).one(db).await.map_err(db_err)?.ok_or(AppError::NotFound)?.bytes)
}

async fn sample(db: &Db, job_id: i32, format: Option<Format>) -> Result<Vec<Vec<String>>, AppError> {
    let bytes = bytes_of(db, job_id).await?;
    let mut out = Vec::new();
    let _ = read::for_each_row(&bytes, format.unwrap_or(Format::sniff(&bytes)), |(_, cells)| {
        out.push(cells);
        if out.len() > 5 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    Ok(out.into_iter().skip(1).collect())
}

/// The user's recent imports, newest first: one query over the job rows (no file bytes, no
/// refusals); a cut-off job reads as failed here and is marked so when opened.
pub async fn recent(db: &Db, ctx: &RequestContext) -> Result<Vec<JobView>, AppError> {
    import_job::Entity::find()
        .filter(import_job::Column::UserId.eq(ctx.user_id))
        .order_by_desc(import_job::Column::Id)
        .limit(10)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(view_of)
        .collect()
}

/// Sets the mapping (if sent) and runs the dry run: counts and refusals, nothing written.
pub async fn check(db: &Db, ctx: &RequestContext, id: uuid::Uuid, mapping: Option<Vec<Option<Field>>>) -> Result<JobView, AppError> {
    require_importer(ctx)?;
    let j = own(db, ctx, id).await?;
    if matches!(Status::parse(&j.status), Some(Status::Running | Status::Done)) {
        return Err(AppError::Conflict);
    }
    let kind = kind_of(&j)?;
    let headers: Vec<String> = serde_json::from_str(&j.headers).unwrap_or_default();
    let mapping = mapping.unwrap_or_else(|| mapping_of(&j));
    if mapping.len() != headers.len() {
        return Err(AppError::validation("mapping", format!("one entry per column: {} expected", headers.len())));
    }
    check_mapping(kind, &mapping).map_err(|e| mapping_error(ctx, e))?;
    import_job::Entity::update_many()
        .col_expr(import_job::Column::Mapping, Expr::value(json(&mapping)?))
        .filter(import_job::Column::Id.eq(j.id))
        .exec(db)
        .await
        .map_err(db_err)?;
    let mut book = apply::Book::load(db.conn(), ctx, kind).await?;
    let counts = pass(db, ctx, j.id, kind, &mapping, &mut book, false).await?;
    finish(db, j.id, Status::Checked, &counts, None).await?;
    get(db, ctx, id).await
}

/// Starts the import in the background. All-or-nothing refuses a file whose check refused
/// rows; the run checks again first, so rows refused meanwhile still stop it.
pub async fn start(db: &Db, ctx: &RequestContext, id: uuid::Uuid, mode: Mode) -> Result<JobView, AppError> {
    require_importer(ctx)?;
    let j = own(db, ctx, id).await?;
    let status = Status::parse(&j.status).ok_or(AppError::Internal)?;
    if status != Status::Checked {
        return Err(AppError::validation("status", "check the file first"));
    }
    if mode == Mode::AllOrNothing && j.rejected > 0 {
        return Err(AppError::validation("mode", format!("{} rows are refused: fix them, or import the good rows only", j.rejected)));
    }
    // Claim the job: a second start (another tab, a double click) finds it running.
    let res = import_job::Entity::update_many()
        .col_expr(import_job::Column::Status, Expr::value(Status::Running.code()))
        .col_expr(import_job::Column::Mode, Expr::value(mode.code()))
        .col_expr(import_job::Column::Processed, Expr::value(0i64))
        .col_expr(import_job::Column::Imported, Expr::value(0i64))
        .col_expr(import_job::Column::UpdatedAt, Expr::value(chrono::Utc::now()))
        .filter(import_job::Column::Id.eq(j.id))
        .filter(import_job::Column::Status.eq(Status::Checked.code()))
        .exec(db)
        .await
        .map_err(db_err)?;
    if res.rows_affected != 1 {
        return Err(AppError::Conflict);
    }
    let (db2, ctx2) = (db.clone(), ctx.clone());
    tokio::spawn(async move {
        if let Err(e) = run(&db2, &ctx2, j.id, mode).await {
            tracing::error!(job = j.id, error = %e, "import failed");
            let _ = finish(&db2, j.id, Status::Failed, &Counts::default(), Some(e.to_string())).await;
        }
    });
    get(db, ctx, id).await
}

/// The import itself (what `start` runs in the background; tests await it).
pub async fn run(db: &Db, ctx: &RequestContext, job_id: i32, mode: Mode) -> Result<Counts, AppError> {
    let j = import_job::Entity::find_by_id(job_id).one(db).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    let kind = kind_of(&j)?;
    let mapping = mapping_of(&j);
    // One book for both passes of an all-or-nothing run: the accounts and people it holds
    // were read a moment before; the file's own rows are forgotten in between.
    let mut book = apply::Book::load(db.conn(), ctx, kind).await?;
    if mode == Mode::AllOrNothing {
        let again = pass(db, ctx, job_id, kind, &mapping, &mut book, false).await?;
        if again.rejected > 0 {
            finish(db, job_id, Status::Checked, &again, Some("rows_refused".into())).await?;
            return Ok(Counts { imported: 0, ..again });
        }
        book.rewind();
    }
    let counts = pass(db, ctx, job_id, kind, &mapping, &mut book, true).await?;
    finish(db, job_id, Status::Done, &counts, None).await?;
    Ok(counts)
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub total: u64,
    pub imported: u64,
    pub rejected: u64,
}

async fn finish(db: &Db, job_id: i32, status: Status, c: &Counts, error: Option<String>) -> Result<(), AppError> {
    let now = chrono::Utc::now();
    import_job::Entity::update_many()
        .col_expr(import_job::Column::Status, Expr::value(status.code()))
        .col_expr(import_job::Column::TotalRows, Expr::value(c.total as i64))
        .col_expr(import_job::Column::Processed, Expr::value(c.total as i64))
        .col_expr(import_job::Column::Imported, Expr::value(c.imported as i64))
        .col_expr(import_job::Column::Rejected, Expr::value(c.rejected as i64))
        .col_expr(import_job::Column::Error, Expr::value(error))
        .col_expr(import_job::Column::UpdatedAt, Expr::value(now))
        .col_expr(import_job::Column::FinishedAt, Expr::value(if status == Status::Done { Some(now) } else { None }))
        .filter(import_job::Column::Id.eq(job_id))
        .exec(db)
        .await
        .map_err(db_err)?;
    Ok(())
}

type Batch = Result<Vec<read::Row>, read::ReadError>;

/// One pass over the file: a blocking thread reads rows in batches into a channel of two, so
/// at most three batches are ever in memory; each batch is planned row by row and, when
/// writing, written in one transaction with a savepoint per row (a row that fails rolls back
/// alone and becomes a refusal).
async fn pass(
    db: &Db,
    ctx: &RequestContext,
    job_id: i32,
    kind: Kind,
    mapping: &[Option<Field>],
    book: &mut apply::Book,
    write: bool,
) -> Result<Counts, AppError> {
    let bytes = Arc::new(bytes_of(db, job_id).await?);
    let format = Format::sniff(&bytes);
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Batch>(2);
    let reader = {
        let bytes = Arc::clone(&bytes);
        tokio::task::spawn_blocking(move || {
            let mut batch = Vec::with_capacity(BATCH);
            let mut header = true;
            let mut rows = 0u64;
            let res = read::for_each_row(&bytes, format, |row| {
                if std::mem::take(&mut header) {
                    return ControlFlow::Continue(());
                }
                rows += 1;
                if rows > MAX_ROWS {
                    let _ = tx.blocking_send(Err(read::ReadError::Csv(row.0, format!("more than {MAX_ROWS} rows"))));
                    return ControlFlow::Break(());
                }
                batch.push(row);
                if batch.len() == BATCH && tx.blocking_send(Ok(std::mem::take(&mut batch))).is_err() {
                    return ControlFlow::Break(());
                }
                ControlFlow::Continue(())
            });
            match res {
                Ok(()) if !batch.is_empty() => {
                    let _ = tx.blocking_send(Ok(batch));
                }
                Ok(()) => {}
                Err(e) => {
                    let _ = tx.blocking_send(Err(e));
                }
            }
        })
    };
    import_reject::Entity::delete_many().filter(import_reject::Column::JobId.eq(job_id)).exec(db).await.map_err(db_err)?;
    let mut counts = Counts::default();
    while let Some(batch) = rx.recv().await {
        let batch = batch.map_err(|e| AppError::validation("file", e.to_string()))?;
        counts.total += batch.len() as u64;
        // A dry run plans outside the write lock; an import plans and writes under it.
        let held = if write { Some(crate::ssr::db::begin_write(db).await.map_err(db_err)?) } else { None };
        let mut rejects = Vec::new();
        let mut deals = Vec::new();
        // One account event per team and batch: lists reload once, not per row.
        let mut accounts = std::collections::BTreeMap::new();
        for (line, cells) in batch {
            let planned = match (parse_row(kind, mapping, &cells), &held) {
                (Ok(rec), Some(w)) => book.plan(&**w, ctx, line, rec).await?,
                (Ok(rec), None) => book.plan(db.conn(), ctx, line, rec).await?,
                (Err(e), _) => Err(e),
            };
            let plan = match planned {
                Ok(p) => p,
                Err(e) => {
                    rejects.push((line, cells, e));
                    continue;
                }
            };
            let Some(w) = &held else {
                counts.imported += 1;
                continue;
            };
            let sp = w.txn.begin().await.map_err(db_err)?;
            match apply::write(&sp, ctx, book, plan).await {
                Ok((account, deal)) => {
                    sp.commit().await.map_err(db_err)?;
                    if let Some(a) = account {
                        accounts.entry(a.team_id).or_insert(a.uuid);
                        book.remember_account(&a);
                    }
                    deals.extend(deal);
                    counts.imported += 1;
                }
                Err(e) => {
                    sp.rollback().await.map_err(db_err)?;
                    let detail = match &e {
                        AppError::Validation { field, message } => format!("{field}: {message}"),
                        other => other.to_string(),
                    };
                    rejects.push((line, cells, RowError { field: None, problem: Problem::Write { detail } }));
                }
            }
        }
        counts.rejected += rejects.len() as u64;
        let w = match held {
            Some(w) => w,
            None => crate::ssr::db::begin_write(db).await.map_err(db_err)?,
        };
        if !rejects.is_empty() {
            let rows = rejects
                .into_iter()
                .map(|(line, cells, e)| {
                    Ok(import_reject::ActiveModel {
                        job_id: Set(job_id),
                        line: Set(line as i32),
                        cells: Set(json(&cells)?),
                        field: Set(e.field.map(|f| f.code().to_owned())),
                        problem: Set(json(&e.problem)?),
                        ..Default::default()
                    })
                })
                .collect::<Result<Vec<_>, AppError>>()?;
            import_reject::Entity::insert_many(rows).exec_without_returning(&*w).await.map_err(db_err)?;
        }
        import_job::Entity::update_many()
            .col_expr(import_job::Column::Processed, Expr::value(counts.total as i64))
            .col_expr(import_job::Column::Imported, Expr::value(counts.imported as i64))
            .col_expr(import_job::Column::Rejected, Expr::value(counts.rejected as i64))
            .col_expr(import_job::Column::UpdatedAt, Expr::value(chrono::Utc::now()))
            .filter(import_job::Column::Id.eq(job_id))
            .exec(&*w)
            .await
            .map_err(db_err)?;
        w.commit().await.map_err(db_err)?;
        for d in &deals {
            crate::ssr::events::publish_deal(db, "deal_created", d, ctx.user_id).await;
        }
        for (team_id, account) in accounts {
            crate::ssr::events::publish_account_of(db, crate::ssr::events::AccountChange::Created, account, team_id, ctx.user_id).await;
        }
    }
    reader.await.map_err(|_| AppError::Internal)?;
    Ok(counts)
}

/// The refused rows as a CSV for Excel: the file's header and cells, then line and reason.
pub async fn rejects_csv(db: &Db, ctx: &RequestContext, id: uuid::Uuid, locale: crate::domain::locale::Locale) -> Result<String, AppError> {
    let j = own(db, ctx, id).await?;
    let mut header: Vec<String> = serde_json::from_str(&j.headers).unwrap_or_default();
    let zh = locale == crate::domain::locale::Locale::ZhCn;
    header.push(if zh { "行号" } else { "Line" }.into());
    header.push(if zh { "列" } else { "Column" }.into());
    header.push(if zh { "原因" } else { "Reason" }.into());
    let width = header.len() - 3;
    let rows: Vec<Vec<String>> = import_reject::Entity::find()
        .filter(import_reject::Column::JobId.eq(j.id))
        .order_by_asc(import_reject::Column::Line)
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|r| {
            let v = reject_view(r);
            let mut cells = v.cells;
            cells.resize(width, String::new());
            cells.push(v.line.to_string());
            cells.push(v.field.map(|f| f.header(zh).to_owned()).unwrap_or_default());
            cells.push(v.problem.message(locale));
            cells
        })
        .collect();
    let refs: Vec<&str> = header.iter().map(String::as_str).collect();
    Ok(crate::domain::csv::to_csv(&refs, &rows))
}

/// An accounts workbook in seed 003's layout for the end-to-end test and the benchmark:
/// `rows` rows, `bad` of them spread evenly without a name (refused), the rest distinct and
/// ungraded (so no contact falls due on anyone's home page), with an initial need and a lead
/// source as sales teams write them.
pub fn sample_accounts(rows: u64, bad: u64, prefix: &str) -> Result<Vec<u8>, AppError> {
    let err = |_| AppError::Internal;
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let fields = Kind::Accounts.fields();
    for (c, f) in fields.iter().enumerate() {
        ws.write_string(0, c as u16, f.header(true)).map_err(err)?;
    }
    let col = |f: Field| fields.iter().position(|x| *x == f).map(|c| c as u16).ok_or(AppError::Internal);
    let every = if bad == 0 { u64::MAX } else { (rows / (bad + 1)).max(1) };
    let mut left = bad;
    for i in 1..=rows {
        let r = i as u32;
        let refused = left > 0 && i % every == 0;
        if refused {
            left -= 1;
        } else {
            ws.write_string(r, col(Field::AccountName)?, format!("{prefix} {i:06} 精密机械有限公司")).map_err(err)?;
        }
        ws.write_string(r, col(Field::Industry)?, ["机械", "电子", "五金", "工具"][(i % 4) as usize]).map_err(err)?;
        ws.write_string(r, col(Field::Size)?, format!("{}人/{}万", 100 + i % 900, 3000 + i % 40_000)).map_err(err)?;
        ws.write_number(r, col(Field::Profit)?, 1.0e6 * (i % 7) as f64).map_err(err)?;
        ws.write_string(r, col(Field::City)?, ["苏州", "无锡", "宁波"][(i % 3) as usize]).map_err(err)?;
        ws.write_string(r, col(Field::ContactName)?, format!("联系人{i}")).map_err(err)?;
        ws.write_string(r, col(Field::ContactTitle)?, "采购经理").map_err(err)?;
        ws.write_string(r, col(Field::ContactPhone)?, format!("1380000{:04}", i % 10_000)).map_err(err)?;
        ws.write_string(r, col(Field::InitialNeed)?, ["MES 替换纸质报工", "ERP 选型", "仓库条码管理"][(i % 3) as usize]).map_err(err)?;
        ws.write_string(r, col(Field::LeadSource)?, ["行业展会", "客户转介绍", "电话营销", "来电"][(i % 4) as usize]).map_err(err)?;
    }
    wb.save_to_buffer().map_err(err)
}
