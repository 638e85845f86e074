//! Money is integer fen (1/100 yuan) plus a currency code; never a float on the way in.
use super::locale::Locale;
use chrono::{Datelike, NaiveDate};

fn group_thousands(mut n: u64) -> String {
    let mut parts = Vec::new();
    loop {
        if n < 1000 {
            parts.push(n.to_string());
            break;
        }
        parts.push(format!("{:03}", n % 1000));
        n /= 1000;
    }
    parts.reverse();
    parts.join(",")
}

/// A count with thousands separators: `17,275`.
pub fn format_count(n: u64) -> String {
    group_thousands(n)
}

fn symbol(currency: &str) -> &str {
    match currency {
        "CNY" => "¥",
        "USD" => "$",
        "EUR" => "€",
        _ => currency,
    }
}

/// The exact figure: `¥1,234,567.00` (same in both languages; used on hover and in forms).
pub fn format_exact(fen: i64, currency: &str) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    format!("{sign}{}{}.{:02}", symbol(currency), group_thousands(abs / 100), abs % 100)
}

/// Rounds fen to a whole number of `unit` fen, half away from zero.
fn round_div(abs_fen: u64, unit: u64) -> u64 {
    (abs_fen + unit / 2) / unit
}

/// The figure for tables and cards. zh: `¥123.46万`, `¥1.23亿`, small sums in yuan;
/// en: whole yuan with thousands separators, `¥1,234,567`.
pub fn format_compact(fen: i64, currency: &str, locale: Locale) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    let sym = symbol(currency);
    match locale {
        Locale::En => format!("{sign}{sym}{}", group_thousands(round_div(abs, 100))),
        Locale::ZhCn => {
            const WAN: u64 = 10_000 * 100;
            const YI: u64 = 100_000_000 * 100;
            if abs >= YI {
                let v = round_div(abs, YI / 100);
                format!("{sign}{sym}{}.{:02}亿", group_thousands(v / 100), v % 100)
            } else if abs >= WAN {
                let v = round_div(abs, WAN / 100);
                // 9,999.995万 rounds up into 亿 territory; show it as 1.00亿.
                if v >= 1_000_000 {
                    return format!("{sign}{sym}1.00亿");
                }
                format!("{sign}{sym}{}.{:02}万", group_thousands(v / 100), v % 100)
            } else {
                format!("{sign}{sym}{}", group_thousands(round_div(abs, 100)))
            }
        }
    }
}

/// A chart label that fits a phone: three significant figures at most. en: `¥850`, `¥85.3K`,
/// `¥71.9M`, `¥1.2B`; zh: `¥8,500`, `¥86.3万`, `¥7,185万`, `¥1.08亿`. Exact figures stay in
/// the tooltip.
pub fn format_short(fen: i64, locale: Locale) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let yuan = round_div(fen.unsigned_abs(), 100);
    // `v` in units of `unit`, one decimal below 100 units and none above.
    let scaled = |unit: u64, suffix: &str| {
        let tenths = round_div(yuan, unit / 10);
        if tenths >= 1000 {
            format!("{sign}¥{}{suffix}", group_thousands(round_div(yuan, unit)))
        } else if tenths.is_multiple_of(10) {
            format!("{sign}¥{}{suffix}", tenths / 10)
        } else {
            format!("{sign}¥{}.{}{suffix}", tenths / 10, tenths % 10)
        }
    };
    match locale {
        Locale::En if yuan < 1_000 => format!("{sign}¥{yuan}"),
        Locale::En if yuan < 999_500 => scaled(1_000, "K"),
        Locale::En if yuan < 999_500_000 => scaled(1_000_000, "M"),
        Locale::En => scaled(1_000_000_000, "B"),
        Locale::ZhCn if yuan < 10_000 => format!("{sign}¥{}", group_thousands(yuan)),
        Locale::ZhCn if yuan < 99_995_000 => scaled(10_000, "万"),
        Locale::ZhCn => {
            let hundredths = round_div(yuan, 1_000_000);
            format!("{sign}¥{}.{:02}亿", group_thousands(hundredths / 100), hundredths % 100)
        }
    }
}

const MONTHS_EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// `2026-03-31` (zh) / `31 Mar 2026` (en).
pub fn format_date(d: NaiveDate, locale: Locale) -> String {
    match locale {
        // Hand-formatted: chrono's strftime machinery would add weight to the WASM bundle.
        Locale::ZhCn => format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
        Locale::En => format!("{} {} {}", d.day(), MONTHS_EN[d.month0() as usize], d.year()),
    }
}

/// Parses a user-typed amount in yuan (`1,234.5`, `¥ 1234`) into fen, refusing anything
/// that is not an exact amount of at most two decimals.
pub fn parse_yuan(input: &str) -> Option<i64> {
    let s: String = input.chars().filter(|c| !matches!(c, ',' | ' ' | '¥' | '￥')).collect();
    if s.is_empty() {
        return None;
    }
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.as_str()),
    };
    let (whole, frac) = match s.split_once('.') {
        Some((w, f)) => (w, f),
        None => (s, ""),
    };
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 2 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let frac: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().ok()? };
    let fen = whole.checked_mul(100)?.checked_add(frac)?;
    Some(if neg { -fen } else { fen })
}

#[cfg(test)]
mod tests {
    #[test]
    fn short_figures_fit_a_phone() {
        let table: &[(i64, &str, &str)] = &[
            (0, "¥0", "¥0"),
            (85_000, "¥850", "¥850"),
            (99_949, "¥999", "¥999"),
            (100_000, "¥1K", "¥1,000"),
            (8_530_000, "¥85.3K", "¥8.5万"),
            (86_300_000, "¥863K", "¥86.3万"),
            (99_994_900_000, "¥1B", "¥10.00亿"),
            (7_185_300_000, "¥71.9M", "¥7,185万"),
            (199_999_900, "¥2M", "¥200万"),
            (99_990_000, "¥1M", "¥100万"),
            (10_800_000_000, "¥108M", "¥1.08亿"),
            (120_000_000_000, "¥1.2B", "¥12.00亿"),
            (-4_250_000, "-¥42.5K", "-¥4.3万"),
            (i64::MAX, "¥92,233,720B", "¥922,337,203.69亿"),
        ];
        for (fen, en, zh) in table {
            assert_eq!(format_short(*fen, Locale::En), *en, "{fen} en");
            assert_eq!(format_short(*fen, Locale::ZhCn), *zh, "{fen} zh");
        }
    }

    use super::*;

    #[test]
    fn counts_group_thousands() {
        for (n, want) in [(0, "0"), (999, "999"), (1_000, "1,000"), (17_275, "17,275"), (1_000_000, "1,000,000")] {
            assert_eq!(format_count(n), want);
        }
    }

    #[test]
    fn exact() {
        for (fen, want) in
            [(0, "¥0.00"), (5, "¥0.05"), (123_456_700, "¥1,234,567.00"), (-123_456, "-¥1,234.56"), (100_000_000_000, "¥1,000,000,000.00")]
        {
            assert_eq!(format_exact(fen, "CNY"), want);
        }
        assert_eq!(format_exact(1_000, "USD"), "$10.00");
    }

    #[test]
    fn compact_en() {
        for (fen, want) in [(0, "¥0"), (149, "¥1"), (150, "¥2"), (123_456_789, "¥1,234,568"), (-50_000, "-¥500")] {
            assert_eq!(format_compact(fen, "CNY", Locale::En), want, "{fen}");
        }
    }

    #[test]
    fn compact_zh_uses_wan_and_yi() {
        for (fen, want) in [
            (999_900, "¥9,999"),
            (1_000_000, "¥1.00万"),
            (123_456_700, "¥123.46万"),
            (100_000_000, "¥100.00万"),
            (99_999_999_900, "¥10.00亿"),
            (9_999_995_000, "¥1.00亿"),
            (9_999_940_000, "¥9,999.94万"),
            (123_456_789_000, "¥12.35亿"),
            (-25_000_000, "-¥25.00万"),
        ] {
            assert_eq!(format_compact(fen, "CNY", Locale::ZhCn), want, "{fen}");
        }
    }

    #[test]
    fn dates() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
        assert_eq!(format_date(d, Locale::ZhCn), "2026-03-31");
        assert_eq!(format_date(d, Locale::En), "31 Mar 2026");
        let d = NaiveDate::from_ymd_opt(2027, 1, 5).unwrap();
        assert_eq!(format_date(d, Locale::En), "5 Jan 2027");
    }

    #[test]
    fn parse_amounts() {
        for (input, want) in [
            ("1234", Some(123_400)),
            ("1,234.5", Some(123_450)),
            ("¥ 1,234.56", Some(123_456)),
            ("0.07", Some(7)),
            ("-3", Some(-300)),
            ("1.234", None),
            ("abc", None),
            ("", None),
            (".5", None),
            ("99999999999999999999", None),
        ] {
            assert_eq!(parse_yuan(input), want, "{input}");
        }
    }
}
