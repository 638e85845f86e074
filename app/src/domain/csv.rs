//! CSV for Excel: UTF-8 with a byte-order mark (or Excel shows Chinese as mojibake), CRLF
//! line ends, and cells quoted when they hold a comma, quote or line break.
pub fn cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

pub fn to_csv(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::from("\u{feff}");
    let line = |cells: Vec<String>| cells.join(",") + "\r\n";
    out.push_str(&line(header.iter().map(|h| cell(h)).collect()));
    for r in rows {
        out.push_str(&line(r.iter().map(|c| cell(c)).collect()));
    }
    out
}

/// Fen as yuan with two decimals, the way a spreadsheet reads a number.
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let a = fen.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

/// One record of a CSV file and the line it starts on (1-based, for error messages).
pub type Record = (u32, Vec<String>);

/// Reads CSV as Excel and LibreOffice write it: an optional byte-order mark, CRLF or LF line
/// ends, cells in double quotes may hold commas, doubled quotes and line breaks. Cells are
/// trimmed; blank lines are skipped. An unclosed quote is an error naming its line.
pub fn parse(text: &str) -> Result<Vec<Record>, (u32, String)> {
    Records::new(text).collect()
}

/// The records of a CSV text one at a time, so a large import never holds them all.
pub struct Records<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    line: u32,
    done: bool,
}

impl<'a> Records<'a> {
    pub fn new(text: &'a str) -> Self {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        Self { chars: text.chars().peekable(), line: 1, done: false }
    }
}

impl Iterator for Records<'_> {
    type Item = Result<Record, (u32, String)>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let mut cells: Vec<String> = vec![String::new()];
            let start = self.line;
            let mut quoted = false;
            let mut ended = false;
            while let Some(c) = self.chars.next() {
                match (c, quoted) {
                    ('"', true) if self.chars.peek() == Some(&'"') => {
                        self.chars.next();
                        push(&mut cells, '"');
                    }
                    ('"', true) => quoted = false,
                    // A quote opens a quoted cell only at its start: 12" monitor is plain text.
                    ('"', false) if cells.last().is_some_and(|c| c.trim().is_empty()) => {
                        if let Some(cell) = cells.last_mut() {
                            cell.clear();
                        }
                        quoted = true;
                    }
                    ('"', false) => push(&mut cells, '"'),
                    (',', false) => cells.push(String::new()),
                    ('\r', false) if self.chars.peek() == Some(&'\n') => {}
                    ('\n' | '\r', false) => {
                        self.line += 1;
                        ended = true;
                        break;
                    }
                    (c, _) => {
                        if c == '\n' {
                            self.line += 1;
                        }
                        push(&mut cells, c);
                    }
                }
            }
            if !ended {
                self.done = true;
                if quoted {
                    return Some(Err((start, "a quoted cell is never closed".into())));
                }
            }
            let row: Vec<String> = cells.into_iter().map(|c| c.trim().to_owned()).collect();
            if row.iter().any(|c| !c.is_empty()) {
                return Some(Ok((start, row)));
            }
        }
        None
    }
}

fn push(cells: &mut [String], c: char) {
    if let Some(cell) = cells.last_mut() {
        cell.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_excel_writes() {
        let rec = |n: u32, cells: &[&str]| (n, cells.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>());
        let cases: &[(&str, Vec<Record>)] = &[
            ("", vec![]),
            ("a,b\r\n", vec![rec(1, &["a", "b"])]),
            ("\u{feff}名称,金额\n华东, 1.50\n", vec![rec(1, &["名称", "金额"]), rec(2, &["华东", "1.50"])]),
            ("\"1,200\",x", vec![rec(1, &["1,200", "x"])]),
            ("\"say \"\"hi\"\"\",", vec![rec(1, &["say \"hi\"", ""])]),
            ("a\r\n\r\n,\r\nb", vec![rec(1, &["a"]), rec(4, &["b"])]),
            ("\"two\nlines\",z\nnext", vec![rec(1, &["two\nlines", "z"]), rec(3, &["next"])]),
            ("x\ry", vec![rec(1, &["x"]), rec(2, &["y"])]),
            // Inch marks inside a plain cell stay text and do not swallow the next row.
            (
                "M-12,12\" monitor,1000\nM-24,24\" monitor,2000\n",
                vec![rec(1, &["M-12", "12\" monitor", "1000"]), rec(2, &["M-24", "24\" monitor", "2000"])],
            ),
            (" \"a,b\" ,c", vec![rec(1, &["a,b", "c"])]),
        ];
        for (text, want) in cases {
            assert_eq!(&parse(text).unwrap_or_default(), want, "{text:?}");
        }
        assert_eq!(parse("ok\n\"open,").unwrap_err().0, 2);
    }

    #[test]
    fn what_we_write_we_read_back() {
        let rows = vec![vec!["华东, 一期".to_owned(), "say \"hi\"".to_owned()], vec!["two\nlines".to_owned(), yuan(-5)]];
        let back = parse(&to_csv(&["a", "b"], &rows)).unwrap_or_default();
        assert_eq!(back.into_iter().skip(1).map(|r| r.1).collect::<Vec<_>>(), rows);
    }

    #[test]
    fn excel_friendly_csv() {
        let s = to_csv(&["名称", "金额"], &[vec!["华东, 一期".into(), yuan(123_456)], vec!["say \"hi\"".into(), yuan(-5)]]);
        assert!(s.starts_with('\u{feff}'));
        assert_eq!(s.trim_start_matches('\u{feff}'), "名称,金额\r\n\"华东, 一期\",1234.56\r\n\"say \"\"hi\"\"\",-0.05\r\n");
    }
}
