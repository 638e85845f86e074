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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_friendly_csv() {
        let s = to_csv(&["名称", "金额"], &[vec!["华东, 一期".into(), yuan(123_456)], vec!["say \"hi\"".into(), yuan(-5)]]);
        assert!(s.starts_with('\u{feff}'));
        assert_eq!(s.trim_start_matches('\u{feff}'), "名称,金额\r\n\"华东, 一期\",1234.56\r\n\"say \"\"hi\"\"\",-0.05\r\n");
    }
}
