//! Rows out of an uploaded file, one at a time: CSV (UTF-8, or GBK as Excel in China saves
//! it) through the domain's record reader, XLSX (the first sheet) through calamine's cell
//! stream. Neither holds the rows: only the file's bytes are in memory.
use crate::domain::import::Format;
use std::ops::ControlFlow;

/// A row and its line in the file (1-based; the header is the first non-blank row).
pub type Row = (u32, Vec<String>);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ReadError {
    #[error("line {0}: {1}")]
    Csv(u32, String),
    #[error("not a readable XLSX workbook: {0}")]
    Xlsx(String),
    #[error("the file has no rows")]
    Empty,
}

/// The text of a CSV file: UTF-8 (with or without BOM) or, failing that, GBK.
pub fn csv_text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => encoding_rs::GBK.decode(bytes).0,
    }
}

/// Feeds every non-blank row to `f` in file order until it breaks.
pub fn for_each_row(bytes: &[u8], format: Format, mut f: impl FnMut(Row) -> ControlFlow<()>) -> Result<(), ReadError> {
    match format {
        Format::Csv => {
            let text = csv_text(bytes);
            for rec in crate::domain::csv::Records::new(&text) {
                let row = rec.map_err(|(line, m)| ReadError::Csv(line, m))?;
                if f(row).is_break() {
                    break;
                }
            }
            Ok(())
        }
        Format::Xlsx => xlsx_rows(bytes, f),
    }
}

fn xlsx_rows(bytes: &[u8], mut f: impl FnMut(Row) -> ControlFlow<()>) -> Result<(), ReadError> {
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| ReadError::Xlsx(e.to_string()))?;
    let first = book.sheet_names().into_iter().next().ok_or(ReadError::Empty)?;
    let mut cells = book.worksheet_cells_reader(&first).map_err(|e| ReadError::Xlsx(e.to_string()))?;
    let mut current: Option<(u32, Vec<String>)> = None;
    let emit = |row: Option<(u32, Vec<String>)>, f: &mut dyn FnMut(Row) -> ControlFlow<()>| match row {
        Some((r, cells)) if cells.iter().any(|c| !c.is_empty()) => f((r + 1, cells)),
        _ => ControlFlow::Continue(()),
    };
    while let Some(cell) = cells.next_cell().map_err(|e| ReadError::Xlsx(e.to_string()))? {
        let (r, c) = cell.get_position();
        // Sheets wider than any import are cut: a stray cell in column XFD must not allocate.
        if c >= 200 {
            continue;
        }
        if current.as_ref().is_some_and(|(cr, _)| *cr != r) && emit(current.take(), &mut f).is_break() {
            return Ok(());
        }
        let row = current.get_or_insert_with(|| (r, Vec::new()));
        let v = value(cell.get_value());
        if !v.is_empty() {
            if row.1.len() <= c as usize {
                row.1.resize(c as usize + 1, String::new());
            }
            row.1[c as usize] = v;
        }
    }
    let _ = emit(current, &mut f);
    Ok(())
}

/// A cell as the text a user typed: integers without ".0", dates as ISO days.
fn value(v: &calamine::DataRef<'_>) -> String {
    use calamine::DataRef;
    match v {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{}", *x as i64),
        DataRef::Float(x) => x.to_string(),
        DataRef::String(s) => s.trim().to_owned(),
        DataRef::SharedString(s) => s.trim().to_owned(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => d.as_datetime().map(|t| t.date().to_string()).unwrap_or_default(),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(_) | DataRef::Empty => String::new(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn all(bytes: &[u8], format: Format) -> Vec<Row> {
        let mut out = Vec::new();
        for_each_row(bytes, format, |r| {
            out.push(r);
            ControlFlow::Continue(())
        })
        .unwrap();
        out
    }

    #[test]
    fn csv_in_utf8_and_gbk() {
        let utf8 = "\u{feff}客户名称,行业\r\n华东精密,机械\r\n";
        assert_eq!(
            all(utf8.as_bytes(), Format::Csv),
            vec![(1, vec!["客户名称".into(), "行业".into()]), (2, vec!["华东精密".into(), "机械".into()])]
        );
        let (gbk, _, _) = encoding_rs::GBK.encode("客户名称,行业\n华东精密,机械\n");
        assert_eq!(all(&gbk, Format::Csv)[1].1, vec!["华东精密".to_owned(), "机械".to_owned()]);
    }

    #[test]
    fn xlsx_rows_dates_numbers_and_gaps() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "客户名称").unwrap();
        ws.write_string(0, 2, "金额").unwrap();
        ws.write_string(1, 0, "华东").unwrap();
        ws.write_number(1, 1, 200.0).unwrap();
        ws.write_number(1, 2, 1234.5).unwrap();
        let day = rust_xlsxwriter::ExcelDateTime::from_ymd(2027, 3, 1).unwrap();
        ws.write_datetime_with_format(3, 1, &day, &rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd")).unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        assert_eq!(
            all(&bytes, Format::Xlsx),
            vec![
                (1, vec!["客户名称".to_owned(), String::new(), "金额".to_owned()]),
                (2, vec!["华东".to_owned(), "200".to_owned(), "1234.5".to_owned()]),
                (4, vec![String::new(), "2027-03-01".to_owned()]),
            ]
        );
        assert!(matches!(for_each_row(b"PK\x03\x04junk", Format::Xlsx, |_| ControlFlow::Continue(())), Err(ReadError::Xlsx(_))));
    }
}
