//! Bounds at the edge: text, money and dates a user can send, each with a stated range; a
//! value outside it is a validation error naming the field (422), never a panic or an
//! overflow further in.
use super::error::AppError;
use chrono::NaiveDate;

/// The largest amount a deal, quota or line may carry: 10¹⁵ fen (10 trillion yuan), far
/// above any real project; the sum of 9,000 such amounts still fits in an `i64` (9.2 × 10¹⁸).
pub const MAX_FEN: i64 = 1_000_000_000_000_000;

/// Dates a user may send: 1900-01-01 through 2200-12-31 (date arithmetic a year around them
/// stays far from chrono's limits).
pub fn date_range() -> (NaiveDate, NaiveDate) {
    (NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN), NaiveDate::from_ymd_opt(2200, 12, 31).unwrap_or(NaiveDate::MAX))
}

/// Trimmed text, required and bounded, or a validation error naming the field.
pub fn required(field: &str, v: &str, max: usize) -> Result<String, AppError> {
    let v = v.trim();
    if v.is_empty() {
        return Err(AppError::validation(field, "is required"));
    }
    if v.chars().count() > max {
        return Err(AppError::validation(field, format!("at most {max} characters")));
    }
    Ok(v.to_owned())
}

/// Trimmed text or nothing; bounded.
pub fn optional(field: &str, v: Option<String>, max: usize) -> Result<Option<String>, AppError> {
    match v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()) {
        Some(s) if s.chars().count() > max => Err(AppError::validation(field, format!("at most {max} characters"))),
        other => Ok(other),
    }
}

/// An amount in fen: 0 through [`MAX_FEN`].
pub fn amount_fen(field: &str, v: i64) -> Result<i64, AppError> {
    if v < 0 {
        return Err(AppError::validation(field, "must not be negative"));
    }
    if v > MAX_FEN {
        return Err(AppError::validation(field, "at most 10,000,000,000,000.00"));
    }
    Ok(v)
}

/// A list of at most `max` items: lists a user sends are bounded before anything looks
/// their items up (SQLite refuses a statement with more than 32,766 variables: a 500).
pub fn list_len<T>(field: &str, items: &[T], max: usize) -> Result<(), AppError> {
    if items.len() > max {
        return Err(AppError::validation(field, format!("at most {max} items")));
    }
    Ok(())
}

/// A date within [`date_range`].
pub fn date(field: &str, d: NaiveDate) -> Result<NaiveDate, AppError> {
    let (lo, hi) = date_range();
    if d < lo || d > hi {
        return Err(AppError::validation(field, "must be between 1900-01-01 and 2200-12-31"));
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(r: Result<impl std::fmt::Debug, AppError>) -> Option<String> {
        match r {
            Err(AppError::Validation { field, .. }) => Some(field),
            _ => None,
        }
    }

    #[test]
    fn amounts() {
        for (v, ok) in [(0, true), (1, true), (MAX_FEN, true), (MAX_FEN + 1, false), (-1, false), (i64::MAX, false), (i64::MIN, false)] {
            let r = amount_fen("amount", v);
            assert_eq!(r.is_ok(), ok, "{v}");
            if !ok {
                assert_eq!(field_of(r).as_deref(), Some("amount"));
            }
        }
        // Nine thousand maximal amounts still sum without overflow.
        assert!(MAX_FEN.checked_mul(9_000).is_some());
    }

    #[test]
    fn dates() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap_or(NaiveDate::MIN);
        for (v, ok) in [
            (d(1900, 1, 1), true),
            (d(2026, 12, 6), true),
            (d(2200, 12, 31), true),
            (d(1899, 12, 31), false),
            (d(2201, 1, 1), false),
            (NaiveDate::MAX, false),
            (NaiveDate::MIN, false),
        ] {
            let r = date("close_date", v);
            assert_eq!(r.is_ok(), ok, "{v}");
            if !ok {
                assert_eq!(field_of(r).as_deref(), Some("close_date"));
            }
        }
    }

    #[test]
    fn lists() {
        assert!(list_len("ids", &[1, 2, 3], 3).is_ok());
        assert!(list_len::<i32>("ids", &[], 0).is_ok());
        assert_eq!(field_of(list_len("ids", &[1, 2, 3], 2)).as_deref(), Some("ids"));
    }

    #[test]
    fn text() {
        assert_eq!(required("name", "  a  ", 3).ok().as_deref(), Some("a"));
        assert_eq!(field_of(required("name", "   ", 3)).as_deref(), Some("name"));
        assert_eq!(field_of(required("name", "abcd", 3)).as_deref(), Some("name"));
        assert_eq!(optional("note", Some("  ".into()), 3).ok(), Some(None));
        assert_eq!(field_of(optional("note", Some("四个汉字".into()), 3)).as_deref(), Some("note"));
    }
}
