//! The price list as a spreadsheet: the columns an export writes and an import reads (by
//! header name, so a user may reorder or drop optional columns), and the import's preview.
use super::{ProductInput, ProductKind};
use crate::domain::csv::{parse, yuan};
use crate::domain::error::AppError;
use crate::domain::quote::dto::ProductRow;
use crate::domain::quote::{format_percent, parse_percent_bp};
use serde::{Deserialize, Serialize};

/// Header names, stable across languages so a file round-trips between zh and en users.
pub const COLUMNS: [&str; 10] = ["code", "name_en", "name_zh", "kind", "unit_en", "unit_zh", "list_price", "tax_rate", "cost", "active"];
/// Columns a file may leave out: the tax rate falls back to the kind's default, cost to 0,
/// active to yes.
const OPTIONAL: [&str; 3] = ["tax_rate", "cost", "active"];
/// More rows than any price list we have seen; bounds the work one upload can cause.
pub const MAX_ROWS: usize = 5_000;

pub fn to_cells(p: &ProductRow) -> Vec<String> {
    vec![
        p.code.clone(),
        p.name_en.clone(),
        p.name_zh.clone(),
        p.kind.as_str().into(),
        p.unit_en.clone(),
        p.unit_zh.clone(),
        yuan(p.list_price_fen),
        format_percent(i64::from(p.tax_bp)),
        yuan(p.cost_fen),
        if p.active { "yes" } else { "no" }.into(),
    ]
}

/// One data row: its line in the file and the product it describes, or why not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub line: u32,
    pub code: String,
    pub product: Result<ProductInput, AppError>,
}

fn flag(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "" | "yes" | "y" | "true" | "1" | "是" => Some(true),
        "no" | "n" | "false" | "0" | "否" => Some(false),
        _ => None,
    }
}

fn money(field: &str, s: &str) -> Result<i64, AppError> {
    crate::domain::money::parse_yuan(s).ok_or_else(|| AppError::validation(field, format!("{s:?} is not an amount in yuan")))
}

/// Reads a file into rows. A file-level problem (no header, an unknown or missing column, an
/// unclosed quote, too many rows) is an error naming it; a bad row is reported in its row.
pub fn read(text: &str) -> Result<Vec<Row>, AppError> {
    if text.contains('\u{fffd}') {
        return Err(AppError::validation("file", "is not UTF-8 text; in Excel use Save as → CSV UTF-8"));
    }
    let records = parse(text).map_err(|(line, why)| AppError::validation("file", format!("line {line}: {why}")))?;
    let mut records = records.into_iter();
    let Some((_, header)) = records.next() else {
        return Err(AppError::validation("file", "is empty"));
    };
    let header: Vec<String> = header.iter().map(|h| h.to_lowercase()).collect();
    if let Some(h) = header.iter().find(|h| !COLUMNS.contains(&h.as_str())) {
        return Err(AppError::validation("file", format!("unknown column {h:?}; the columns are {}", COLUMNS.join(", "))));
    }
    if let Some(h) = header.iter().enumerate().find(|(i, h)| header[..*i].contains(h)).map(|(_, h)| h) {
        return Err(AppError::validation("file", format!("the column {h:?} appears twice")));
    }
    if let Some(c) = COLUMNS.iter().find(|c| !OPTIONAL.contains(c) && !header.iter().any(|h| h == *c)) {
        return Err(AppError::validation("file", format!("the column {c:?} is missing")));
    }
    let rows: Vec<_> = records.collect();
    if rows.len() > MAX_ROWS {
        return Err(AppError::validation("file", format!("has {} rows; at most {MAX_ROWS} at a time", rows.len())));
    }
    Ok(rows
        .into_iter()
        .map(|(line, cells)| {
            let cols = Cols { header: &header, cells: &cells };
            let product = if cells.len() > header.len() {
                Err(AppError::validation("file", format!("{} cells for {} columns", cells.len(), header.len())))
            } else {
                row(&cols)
            };
            Row { line, code: cols.get("code").to_uppercase(), product }
        })
        .collect())
}

struct Cols<'a> {
    header: &'a [String],
    cells: &'a [String],
}

impl Cols<'_> {
    fn get(&self, column: &str) -> &str {
        self.header.iter().position(|h| h == column).and_then(|i| self.cells.get(i)).map_or("", String::as_str)
    }
}

fn row(c: &Cols) -> Result<ProductInput, AppError> {
    let get = |column: &str| c.get(column);
    let kind = ProductKind::parse(&get("kind").to_lowercase())
        .ok_or_else(|| AppError::validation("kind", "use licence, subscription, service_days, hardware, maintenance or other"))?;
    let tax = get("tax_rate");
    let cost = get("cost");
    super::clean(ProductInput {
        code: get("code").into(),
        name_en: get("name_en").into(),
        name_zh: get("name_zh").into(),
        kind,
        unit_en: get("unit_en").into(),
        unit_zh: get("unit_zh").into(),
        list_price_fen: money("list_price", get("list_price"))?,
        tax_bp: if tax.is_empty() { None } else { Some(parse_percent_bp("tax_rate", tax)?) },
        cost_fen: if cost.is_empty() { 0 } else { money("cost", cost)? },
        active: flag(get("active")).ok_or_else(|| AppError::validation("active", "use yes or no"))?,
    })
}

/// What an import will do (dry run) or did, row by row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportAction {
    Create,
    Update,
    Unchanged,
    Error,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportLine {
    pub line: u32,
    pub code: String,
    pub action: ImportAction,
    /// For an update: the columns that change.
    pub changes: Vec<String>,
    pub error: Option<AppError>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub lines: Vec<ImportLine>,
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
    pub errors: u32,
    /// False for a dry run, and whenever a row has an error (then nothing was written).
    pub applied: bool,
}

impl ImportReport {
    pub fn count(&mut self) {
        let n = |a: ImportAction| u32::try_from(self.lines.iter().filter(|l| l.action == a).count()).unwrap_or(u32::MAX);
        (self.created, self.updated, self.unchanged, self.errors) =
            (n(ImportAction::Create), n(ImportAction::Update), n(ImportAction::Unchanged), n(ImportAction::Error));
    }
}

/// The columns whose value differs between the price list and a row (tax as stored: a row
/// without a rate takes `default_tax_bp`).
pub fn changes(old: &ProductRow, new: &ProductInput, default_tax_bp: i32) -> Vec<String> {
    let pairs = [
        ("name_en", old.name_en != new.name_en),
        ("name_zh", old.name_zh != new.name_zh),
        ("kind", old.kind != new.kind),
        ("unit_en", old.unit_en != new.unit_en),
        ("unit_zh", old.unit_zh != new.unit_zh),
        ("list_price", old.list_price_fen != new.list_price_fen),
        ("tax_rate", old.tax_bp != new.tax_bp.unwrap_or(default_tax_bp)),
        ("cost", old.cost_fen != new.cost_fen),
        ("active", old.active != new.active),
    ];
    pairs.into_iter().filter(|(_, d)| *d).map(|(c, _)| c.to_owned()).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const HEAD: &str = "code,name_en,name_zh,kind,unit_en,unit_zh,list_price,tax_rate,cost,active\r\n";

    fn field(r: &Result<ProductInput, AppError>) -> String {
        match r {
            Err(AppError::Validation { field, .. }) => field.clone(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn rows_read_or_name_their_bad_field() {
        let cases: &[(&str, &str)] = &[
            ("erp-fin,Finance,财务,licence,user,用户,\"12,000.00\",13,1000,yes", ""),
            ("ERP-FIN,Finance,财务,Licence,user,用户,12000,,,", ""),
            ("a b,Finance,财务,licence,user,用户,1,13,0,yes", "code"),
            ("X,Finance,财务,software,user,用户,1,13,0,yes", "kind"),
            ("X,Finance,财务,licence,user,用户,abc,13,0,yes", "list_price"),
            ("X,Finance,财务,licence,user,用户,-1,13,0,yes", "list_price"),
            ("X,Finance,财务,licence,user,用户,1,130,0,yes", "tax_rate"),
            ("X,Finance,财务,licence,user,用户,1,13,x,yes", "cost"),
            ("X,Finance,财务,licence,user,用户,1,13,0,maybe", "active"),
            ("X,,财务,licence,user,用户,1,13,0,yes", "name_en"),
            ("X,Finance", "kind"),
        ];
        for (line, want) in cases {
            let rows = read(&format!("{HEAD}{line}\r\n")).unwrap();
            assert_eq!(rows.len(), 1);
            assert_eq!(rows[0].line, 2);
            if want.is_empty() {
                let p = rows[0].product.as_ref().unwrap();
                assert_eq!((p.code.as_str(), p.list_price_fen, p.kind), ("ERP-FIN", 1_200_000, ProductKind::Licence), "{line}");
            } else {
                assert_eq!(field(&rows[0].product), *want, "{line}");
            }
        }
        let p = read(&format!("{HEAD}ERP-FIN,Finance,财务,licence,user,用户,12000,,,no\n")).unwrap();
        let p = p[0].product.as_ref().unwrap();
        assert_eq!((p.tax_bp, p.cost_fen, p.active), (None, 0, false));
    }

    #[test]
    fn file_problems_are_named() {
        let msg = |t: &str| match read(t) {
            Err(AppError::Validation { field, message }) => format!("{field}: {message}"),
            other => format!("{other:?}"),
        };
        assert!(msg("").contains("empty"));
        assert!(msg("code,name_en,price\n").contains("unknown column \"price\""));
        assert!(msg("code,name_en,name_zh,kind,unit_en,unit_zh\n").contains("\"list_price\" is missing"));
        assert!(msg("code,name_en,name_zh,kind,unit_en,unit_zh,list_price\n\"x,").contains("never closed"));
        assert!(msg("code,\u{fffd}\n").contains("UTF-8"));
        assert!(msg("code,name_en,name_zh,kind,unit_en,unit_zh,list_price,list_price\n").contains("appears twice"));
        let extra = read(&format!("{HEAD}X,a,b,other,u,u,1,,,,surplus\n")).unwrap();
        assert_eq!(field(&extra[0].product), "file");
        let many = format!("{HEAD}{}", "X,a,b,other,u,u,1,,,\n".repeat(MAX_ROWS + 1));
        assert!(msg(&many).contains("at most"));
        // Optional columns may be left out and the order is free.
        let rows = read("list_price,code,kind,name_zh,name_en,unit_zh,unit_en\n5,s1,service_days,实施,Consulting,人天,day\n").unwrap();
        assert_eq!(rows[0].product.as_ref().unwrap().list_price_fen, 500);
    }

    #[test]
    fn an_export_reads_back_unchanged() {
        let p = ProductRow {
            id: uuid::Uuid::nil(),
            code: "SVC-1".into(),
            name_en: "Consulting, on site".into(),
            name_zh: "实施\"顾问\"".into(),
            kind: ProductKind::ServiceDays,
            unit_en: "day".into(),
            unit_zh: "人天".into(),
            currency: "CNY".into(),
            list_price_fen: 250_050,
            tax_bp: 600,
            cost_fen: 120_000,
            active: false,
            version: 3,
        };
        let text = crate::domain::csv::to_csv(&COLUMNS, &[to_cells(&p)]);
        let rows = read(&text).unwrap();
        let input = rows[0].product.as_ref().unwrap();
        assert!(changes(&p, input, 1300).is_empty(), "{:?}", changes(&p, input, 1300));
        let mut cheaper = input.clone();
        cheaper.list_price_fen -= 1;
        cheaper.tax_bp = None;
        assert_eq!(changes(&p, &cheaper, 1300), ["list_price", "tax_rate"]);
    }
}
