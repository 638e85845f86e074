//! Every list as a spreadsheet (accounts, contacts, deals, activities, quotas), with the
//! viewer's visibility and the list's filters, as CSV for Excel (BOM, CRLF) or XLSX with
//! typed cells (amounts are numbers in yuan, dates are dates). One read per list, capped at
//! `MAX_ROWS` so an export never holds more than that.
use super::access::{account_visibility, deal_visibility};
use super::like_pattern;
use crate::domain::account::listing::AccountFilter;
use crate::domain::error::AppError;
use crate::domain::locale::Locale;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{account, activity, contact, deal, stage, team, user};
use chrono::NaiveDate;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

pub const MAX_ROWS: u64 = 100_000;

#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    /// Fen, written as yuan.
    Money(i64),
    Int(i64),
    Date(NaiveDate),
    Empty,
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(v: Option<T>) -> Self {
        v.map_or(Cell::Empty, Into::into)
    }
}

impl From<NaiveDate> for Cell {
    fn from(d: NaiveDate) -> Self {
        Cell::Date(d)
    }
}

pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn csv(&self) -> String {
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| match c {
                        Cell::Text(s) => s.clone(),
                        Cell::Money(f) => crate::domain::csv::yuan(*f),
                        Cell::Int(i) => i.to_string(),
                        Cell::Date(d) => d.to_string(),
                        Cell::Empty => String::new(),
                    })
                    .collect()
            })
            .collect();
        let h: Vec<&str> = self.header.iter().map(String::as_str).collect();
        crate::domain::csv::to_csv(&h, &rows)
    }

    pub fn xlsx(&self) -> Result<Vec<u8>, AppError> {
        use rust_xlsxwriter::{Format, Workbook};
        let err = |e: rust_xlsxwriter::XlsxError| {
            tracing::error!(error = %e, "xlsx export");
            AppError::Internal
        };
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        let bold = Format::new().set_bold();
        let money = Format::new().set_num_format("#,##0.00");
        let day = Format::new().set_num_format("yyyy-mm-dd");
        for (c, h) in self.header.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &bold).map_err(err)?;
        }
        for (r, row) in self.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(s) => ws.write_string(r, c, s).map(|_| ()),
                    Cell::Money(f) => ws.write_number_with_format(r, c, *f as f64 / 100.0, &money).map(|_| ()),
                    Cell::Int(i) => ws.write_number(r, c, *i as f64).map(|_| ()),
                    Cell::Date(d) => match rust_xlsxwriter::ExcelDateTime::parse_from_str(&d.to_string()) {
                        Ok(dt) => ws.write_datetime_with_format(r, c, &dt, &day).map(|_| ()),
                        Err(_) => ws.write_string(r, c, d.to_string()).map(|_| ()),
                    },
                    Cell::Empty => Ok(()),
                }
                .map_err(err)?;
            }
        }
        ws.set_freeze_panes(1, 0).map_err(err)?;
        for c in 0..self.header.len() {
            ws.set_column_width(c as u16, 18).map_err(err)?;
        }
        wb.save_to_buffer().map_err(err)
    }
}

fn hdr(l: Locale, cols: &[(&str, &str)]) -> Vec<String> {
    cols.iter().map(|(en, zh)| if l == Locale::ZhCn { (*zh).to_owned() } else { (*en).to_owned() }).collect()
}

async fn names(db: &Db) -> Result<(HashMap<i32, String>, HashMap<i32, String>), AppError> {
    let users = user::Entity::find()
        .select_only()
        .columns([user::Column::Id, user::Column::Name])
        .into_tuple::<(i32, String)>()
        .all(db)
        .await
        .map_err(db_err)?;
    let teams = team::Entity::find()
        .select_only()
        .columns([team::Column::Id, team::Column::Name])
        .into_tuple::<(i32, String)>()
        .all(db)
        .await
        .map_err(db_err)?;
    Ok((users.into_iter().collect(), teams.into_iter().collect()))
}

/// The accounts list with the filters and order of `/accounts`.
pub async fn accounts(db: &Db, ctx: &RequestContext, l: Locale, filter: &AccountFilter) -> Result<Table, AppError> {
    let market = super::account::target::policy(db).await?;
    let q = account::Entity::find().filter(super::account::condition(db, ctx, filter, &market).await?);
    let rows = super::account::ordered(q, filter).limit(MAX_ROWS).all(db).await.map_err(db_err)?;
    let (users, teams) = names(db).await?;
    Ok(Table {
        header: hdr(
            l,
            &[
                ("Account", "客户名称"),
                ("Industry", "所属行业"),
                ("City", "城市"),
                ("Headcount", "员工人数"),
                ("Revenue (CNY)", "年营收(元)"),
                ("Profit (CNY)", "年利润(元)"),
                // The import's headers, so an exported file maps back on its own.
                ("Lead source", "信息来源"),
                ("Initial need", "初步需求描述"),
                ("Grade", "等级"),
                ("Last contact", "最近联系"),
                ("Next contact", "下次跟进时间"),
                ("Owner", "跟进人"),
                ("Team", "团队"),
            ],
        ),
        rows: rows
            .into_iter()
            .map(|a| {
                vec![
                    Cell::Text(a.name),
                    Cell::Text(a.industry),
                    a.city.into(),
                    a.headcount.map_or(Cell::Empty, |h| Cell::Int(h.into())),
                    a.revenue_fen.map_or(Cell::Empty, Cell::Money),
                    a.profit_fen.map_or(Cell::Empty, Cell::Money),
                    a.lead_source.as_deref().and_then(crate::domain::account::LeadSource::parse).map(|x| x.name(l).to_owned()).into(),
                    a.initial_need.into(),
                    a.grade.map(|g| g.to_uppercase()).into(),
                    a.last_contact_on.into(),
                    a.next_contact_on.into(),
                    users.get(&a.owner_id).cloned().into(),
                    teams.get(&a.team_id).cloned().into(),
                ]
            })
            .collect(),
    })
}

/// The contacts of the accounts the viewer sees; search on name, title, phone, e-mail.
pub async fn contacts(db: &Db, ctx: &RequestContext, l: Locale, q: Option<String>) -> Result<Table, AppError> {
    let visible = account::Entity::find().select_only().column(account::Column::Id).filter(account_visibility(ctx));
    let mut cond = Condition::all().add(contact::Column::AccountId.in_subquery(sea_orm::QueryTrait::into_query(visible)));
    if let Some(q) = q.as_deref().filter(|q| !q.trim().is_empty()) {
        let pat = like_pattern(q);
        cond = cond.add(
            Condition::any()
                .add(contact::Column::Name.like(pat.clone()))
                .add(contact::Column::Title.like(pat.clone()))
                .add(contact::Column::Phone.like(pat.clone()))
                .add(contact::Column::Email.like(pat)),
        );
    }
    let rows = contact::Entity::find()
        .filter(cond)
        .column_as(Expr::cust("(SELECT a.name FROM accounts a WHERE a.id = contacts.account_id)"), "account_name")
        .order_by_asc(contact::Column::Name)
        .limit(MAX_ROWS)
        .into_model::<ContactWithAccount>()
        .all(db)
        .await
        .map_err(db_err)?;
    Ok(Table {
        header: hdr(
            l,
            &[
                ("Name", "联系人"),
                ("Account", "客户名称"),
                ("Title", "职务"),
                ("Department", "部门"),
                ("Phone", "联系电话"),
                ("Email", "电子邮箱"),
            ],
        ),
        rows: rows
            .into_iter()
            .map(|c| vec![Cell::Text(c.name), c.account_name.into(), c.title.into(), c.department.into(), c.phone.into(), c.email.into()])
            .collect(),
    })
}

#[derive(Debug, sea_orm::FromQueryResult)]
struct ContactWithAccount {
    name: String,
    account_name: Option<String>,
    title: Option<String>,
    department: Option<String>,
    phone: Option<String>,
    email: Option<String>,
}

/// The deals the viewer sees; search on the deal's or its account's name, as `/deals`.
pub async fn deals(db: &Db, ctx: &RequestContext, l: Locale, q: Option<String>) -> Result<Table, AppError> {
    let mut cond = Condition::all().add(deal_visibility(&ctx.visibility));
    if let Some(q) = q.as_deref().filter(|q| !q.trim().is_empty()) {
        let pat = like_pattern(q);
        let ids = account::Entity::find().select_only().column(account::Column::Id).filter(account::Column::Name.like(pat.clone()));
        cond = cond.add(
            Condition::any()
                .add(deal::Column::Name.like(pat))
                .add(deal::Column::AccountId.in_subquery(sea_orm::QueryTrait::into_query(ids))),
        );
    }
    let rows = deal::Entity::find()
        .filter(cond)
        .order_by_asc(deal::Column::CloseDate)
        .order_by_asc(deal::Column::Id)
        .limit(MAX_ROWS)
        .all(db)
        .await
        .map_err(db_err)?;
    let (users, teams) = names(db).await?;
    let stages: HashMap<i32, stage::Model> = stage::Entity::find().all(db).await.map_err(db_err)?.into_iter().map(|s| (s.id, s)).collect();
    let accounts = chunked_account_names(db, rows.iter().map(|d| d.account_id).collect()).await?;
    let zh = l == Locale::ZhCn;
    Ok(Table {
        header: hdr(
            l,
            &[
                ("Deal", "商机名称"),
                ("Account", "客户名称"),
                ("Stage", "阶段"),
                ("Amount (CNY)", "金额(元)"),
                ("Currency", "币种"),
                ("Close date", "预计签约日期"),
                ("Forecast category", "预测类别"),
                ("Owner", "负责人"),
                ("Team", "团队"),
            ],
        ),
        rows: rows
            .into_iter()
            .map(|d| {
                let st = stages.get(&d.stage_id).map(|s| if zh { s.name_zh.clone() } else { s.name_en.clone() });
                vec![
                    Cell::Text(d.name),
                    accounts.get(&d.account_id).cloned().into(),
                    st.into(),
                    Cell::Money(d.amount_fen),
                    Cell::Text(d.currency),
                    Cell::Date(d.close_date),
                    d.forecast_category.map(|c| crate::i18n::category_name(l, &c).to_owned()).into(),
                    users.get(&d.owner_id).cloned().into(),
                    teams.get(&d.team_id).cloned().into(),
                ]
            })
            .collect(),
    })
}

/// Account names for many ids, 500 at a time (SQLite binds at most 32,766 variables).
async fn chunked_account_names(db: &Db, mut ids: Vec<i32>) -> Result<HashMap<i32, String>, AppError> {
    ids.sort_unstable();
    ids.dedup();
    let mut out = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let rows: Vec<(i32, String)> = account::Entity::find()
            .select_only()
            .columns([account::Column::Id, account::Column::Name])
            .filter(account::Column::Id.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await
            .map_err(db_err)?;
        out.extend(rows);
    }
    Ok(out)
}

/// Activities on the deals the viewer sees, newest first, optionally from a day on.
pub async fn activities(db: &Db, ctx: &RequestContext, l: Locale, from: Option<NaiveDate>) -> Result<Table, AppError> {
    let visible = deal::Entity::find().select_only().column(deal::Column::Id).filter(deal_visibility(&ctx.visibility));
    let mut q = activity::Entity::find().filter(activity::Column::DealId.in_subquery(sea_orm::QueryTrait::into_query(visible)));
    if let Some(f) = from {
        q = q.filter(activity::Column::At.gte(f.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()));
    }
    let rows = q.order_by_desc(activity::Column::At).limit(MAX_ROWS).all(db).await.map_err(db_err)?;
    let (users, _) = names(db).await?;
    let deal_ids: Vec<i32> = rows.iter().map(|a| a.deal_id).collect();
    let mut deals: HashMap<i32, String> = HashMap::new();
    let mut ids = deal_ids;
    ids.sort_unstable();
    ids.dedup();
    for chunk in ids.chunks(500) {
        let part: Vec<(i32, String)> = deal::Entity::find()
            .select_only()
            .columns([deal::Column::Id, deal::Column::Name])
            .filter(deal::Column::Id.is_in(chunk.to_vec()))
            .into_tuple()
            .all(db)
            .await
            .map_err(db_err)?;
        deals.extend(part);
    }
    Ok(Table {
        header: hdr(
            l,
            &[
                ("Date", "日期"),
                ("Kind", "类型"),
                ("Deal", "商机"),
                ("Summary", "摘要"),
                ("People", "参与人"),
                ("Author", "记录人"),
                ("Next action", "后续行动"),
                ("Due", "截止日期"),
            ],
        ),
        rows: rows
            .into_iter()
            .map(|a| {
                vec![
                    Cell::Date(a.at.date_naive()),
                    Cell::Text(crate::domain::activity::ActivityKind::parse(&a.kind).map_or(a.kind.clone(), |k| k.label(l).to_owned())),
                    deals.get(&a.deal_id).cloned().into(),
                    Cell::Text(a.summary),
                    a.people.into(),
                    users.get(&a.author_id).cloned().into(),
                    a.next_action.into(),
                    a.next_due.into(),
                ]
            })
            .collect(),
    })
}

/// Quotas the viewer may see (as `GET /api/v1/quotas`).
pub async fn quotas(db: &Db, ctx: &RequestContext, l: Locale, from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<Table, AppError> {
    let rows = super::quota::list(db, ctx, from, to).await?;
    Ok(Table {
        header: hdr(l, &[("Rep", "销售"), ("Email", "邮箱"), ("From", "开始"), ("To", "结束"), ("Quota (CNY)", "指标(元)")]),
        rows: rows
            .into_iter()
            .map(|q| {
                vec![
                    Cell::Text(q.user_name),
                    Cell::Text(q.email),
                    Cell::Date(q.period_start),
                    Cell::Date(q.period_end),
                    Cell::Money(q.amount_fen),
                ]
            })
            .collect(),
    })
}
