//! Quantities and percentages as the user types and reads them. Both are exact decimals with at
//! most two places (`2.5` units = 250 hundredths, `12.5` % = 1250 bp), parsed without floats.
//! Accepted form: digits, optionally `.` and one or two digits (`2`, `2.5`, `0.75`); no sign, no
//! thousands separators (a `,` might be someone's decimal comma), surrounding spaces ignored.
use super::maths::MAX_QTY_CENTI;
use crate::domain::error::AppError;

const NUMBER_MSG: &str = "must be a number with at most two decimals";

enum Bad {
    Junk,
    Decimals,
    Negative,
    TooLarge,
}

/// The value in hundredths of `D+(.D{1,2})?`.
fn hundredths(s: &str) -> Result<i64, Bad> {
    let s = s.trim();
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(frac) || (s.contains('.') && frac.is_empty()) {
        return Err(Bad::Junk);
    }
    if neg {
        return Err(Bad::Negative);
    }
    if frac.len() > 2 {
        return Err(Bad::Decimals);
    }
    // Leading zeros are harmless; beyond 15 significant digits nothing we accept is that large.
    let whole = whole.trim_start_matches('0');
    if whole.len() > 15 {
        return Err(Bad::TooLarge);
    }
    let w: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| Bad::Junk)? };
    let f: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().map_err(|_| Bad::Junk)? * 10,
        _ => frac.parse().map_err(|_| Bad::Junk)?,
    };
    Ok(w * 100 + f)
}

/// A quantity in hundredths: greater than 0, at most 100,000,000 units, two decimals at most.
pub fn parse_qty(field: &str, s: &str) -> Result<i64, AppError> {
    match hundredths(s) {
        Ok(0) | Err(Bad::Negative) => Err(AppError::validation(field, "must be greater than 0")),
        Ok(q) if q > MAX_QTY_CENTI => Err(AppError::validation(field, "at most 100,000,000")),
        Err(Bad::TooLarge) => Err(AppError::validation(field, "at most 100,000,000")),
        Ok(q) => Ok(q),
        Err(Bad::Decimals) => Err(AppError::validation(field, "at most two decimals")),
        Err(Bad::Junk) => Err(AppError::validation(field, NUMBER_MSG)),
    }
}

/// A percentage in basis points, 0 through 100 %; a trailing `%` is allowed (`12.5%` → 1250).
pub fn parse_percent_bp(field: &str, s: &str) -> Result<i32, AppError> {
    let s = s.trim();
    let s = s.strip_suffix('%').or_else(|| s.strip_suffix('％')).unwrap_or(s);
    let range = || AppError::validation(field, "must be between 0 and 100 %");
    match hundredths(s) {
        Ok(bp) => i32::try_from(bp).ok().filter(|bp| *bp <= 10_000).ok_or_else(range),
        Err(Bad::Negative | Bad::TooLarge) => Err(range()),
        Err(Bad::Decimals) => Err(AppError::validation(field, "at most two decimals")),
        Err(Bad::Junk) => Err(AppError::validation(field, NUMBER_MSG)),
    }
}

/// A quantity for display, without trailing zeros: `2.5`, `3`, `0.75`.
pub fn format_qty(qty_centi: i64) -> String {
    let sign = if qty_centi < 0 { "-" } else { "" };
    let a = qty_centi.unsigned_abs();
    let (whole, frac) = (a / 100, a % 100);
    if frac == 0 {
        format!("{sign}{whole}")
    } else if frac % 10 == 0 {
        format!("{sign}{whole}.{}", frac / 10)
    } else {
        format!("{sign}{whole}.{frac:02}")
    }
}

/// Basis points for display, without trailing zeros: `12.5` for 1250 (no `%` sign).
pub fn format_percent(bp: i64) -> String {
    format_qty(bp)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn message(r: Result<impl std::fmt::Debug, AppError>) -> String {
        match r {
            Err(AppError::Validation { field, message }) => {
                assert_eq!(field, "f");
                message
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn quantities() {
        for (input, want) in [
            ("1", Ok(100)),
            ("2.5", Ok(250)),
            ("0.75", Ok(75)),
            ("0.01", Ok(1)),
            ("3.10", Ok(310)),
            (" 12 ", Ok(1_200)),
            ("007", Ok(700)),
            ("100000000", Ok(MAX_QTY_CENTI)),
            ("100000000.00", Ok(MAX_QTY_CENTI)),
            ("0", Err("must be greater than 0")),
            ("0.00", Err("must be greater than 0")),
            ("-1", Err("must be greater than 0")),
            ("-0.5", Err("must be greater than 0")),
            ("100000000.01", Err("at most 100,000,000")),
            ("99999999999999999999999", Err("at most 100,000,000")),
            ("1.234", Err("at most two decimals")),
            ("0.001", Err("at most two decimals")),
            ("", Err(NUMBER_MSG)),
            ("abc", Err(NUMBER_MSG)),
            (".5", Err(NUMBER_MSG)),
            ("2.", Err(NUMBER_MSG)),
            ("1,5", Err(NUMBER_MSG)),
            ("1,000", Err(NUMBER_MSG)),
            ("+1", Err(NUMBER_MSG)),
            ("1e3", Err(NUMBER_MSG)),
            ("1.2.3", Err(NUMBER_MSG)),
            ("--1", Err(NUMBER_MSG)),
            ("-", Err(NUMBER_MSG)),
            ("１", Err(NUMBER_MSG)), // full-width digit
        ] {
            match want {
                Ok(v) => assert_eq!(parse_qty("f", input).unwrap(), v, "{input:?}"),
                Err(m) => assert_eq!(message(parse_qty("f", input)), m, "{input:?}"),
            }
        }
    }

    #[test]
    fn percentages() {
        for (input, want) in [
            ("12", Ok(1_200)),
            ("12.5", Ok(1_250)),
            ("0.01", Ok(1)),
            ("0", Ok(0)),
            ("100", Ok(10_000)),
            ("100.00", Ok(10_000)),
            ("13%", Ok(1_300)),
            (" 6 ％", Ok(600)),
            ("100.01", Err("must be between 0 and 100 %")),
            ("101", Err("must be between 0 and 100 %")),
            ("-1", Err("must be between 0 and 100 %")),
            ("99999999999999999999", Err("must be between 0 and 100 %")),
            ("12.345", Err("at most two decimals")),
            ("", Err(NUMBER_MSG)),
            ("%", Err(NUMBER_MSG)),
            ("ten", Err(NUMBER_MSG)),
            ("12,5", Err(NUMBER_MSG)),
        ] {
            match want {
                Ok(v) => assert_eq!(parse_percent_bp("f", input).unwrap(), v, "{input:?}"),
                Err(m) => assert_eq!(message(parse_percent_bp("f", input)), m, "{input:?}"),
            }
        }
    }

    #[test]
    fn formatting_round_trips() {
        for (q, want) in [(250, "2.5"), (300, "3"), (75, "0.75"), (1, "0.01"), (10, "0.1"), (0, "0"), (1_205, "12.05"), (-150, "-1.5")] {
            assert_eq!(format_qty(q), want);
        }
        assert_eq!(format_percent(1_250), "12.5");
        for q in (1..2_000).chain([MAX_QTY_CENTI - 1, MAX_QTY_CENTI]) {
            assert_eq!(parse_qty("f", &format_qty(q)).unwrap(), q);
        }
        for bp in 0..=10_000 {
            assert_eq!(parse_percent_bp("f", &format_percent(bp)).unwrap(), bp as i32);
        }
    }
}
