//! Dates typed by a person, in the form the app shows them: `2027-01-20` (zh) or `20 Jan 2027`
//! (en). Both forms are read in either language, and so are the common variants (`2027/1/20`,
//! `2027年1月20日`, `Jan 20, 2027`, `20 January 2027`, `20270120`). A day and month written
//! as two small numbers (`03/04/2027`) is refused as ambiguous rather than guessed: a
//! British and an American colleague would read it as different months.

use chrono::NaiveDate;

use crate::domain::validate::date_range;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateEntryError {
    /// Not a date in any form we read (or a day the calendar does not have).
    NotADate,
    /// `03/04/2027`: day and month could be either way round.
    Ambiguous,
    /// Outside 1900–2200, the bounds every date field of the server keeps.
    OutOfRange,
}

const MONTHS: [&str; 12] =
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

/// The month a word names: its full English name or any prefix of three letters or more
/// (`Sep`, `Sept`), any case, with a trailing dot allowed.
fn month_word(w: &str) -> Option<u32> {
    let w = w.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 || !w.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    MONTHS.iter().position(|m| m.starts_with(&w)).map(|i| i as u32 + 1)
}

fn number(s: &str) -> Option<u32> {
    (!s.is_empty() && s.len() <= 6 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

fn ymd(y: u32, m: u32, d: u32) -> Result<NaiveDate, DateEntryError> {
    let day = i32::try_from(y).ok().and_then(|y| NaiveDate::from_ymd_opt(y, m, d)).ok_or(DateEntryError::NotADate)?;
    let (lo, hi) = date_range();
    if day < lo || day > hi {
        return Err(DateEntryError::OutOfRange);
    }
    Ok(day)
}

/// Reads a typed date. Empty text is not a date (the caller decides whether empty is allowed).
pub fn parse(text: &str) -> Result<NaiveDate, DateEntryError> {
    // Full-width digits and separators from a Chinese input method read as their ASCII twins.
    let s: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '／' => '/',
            '－' => '-',
            '．' => '.',
            _ => c,
        })
        .collect();
    // A leading sign would otherwise vanish with the separators.
    if s.is_empty() || s.starts_with(['-', '+']) {
        return Err(DateEntryError::NotADate);
    }
    // 20270120
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        let (y, m, d) = (number(&s[..4]), number(&s[4..6]), number(&s[6..]));
        return match (y, m, d) {
            (Some(y), Some(m), Some(d)) => ymd(y, m, d),
            _ => Err(DateEntryError::NotADate),
        };
    }
    let parts: Vec<&str> = s.trim_end_matches('日').split(['-', '/', '.', ',', ' ', '年', '月']).filter(|p| !p.is_empty()).collect();
    let [a, b, c] = parts.as_slice() else { return Err(DateEntryError::NotADate) };
    match (number(a), number(b), number(c)) {
        // Year first: 2027-01-20, 2027/1/20, 2027年1月20日.
        (Some(y), Some(m), Some(d)) if a.len() >= 3 => ymd(y, m, d),
        // Year last with two numbers before it: only when they cannot be read both ways.
        (Some(x), Some(z), Some(y)) if c.len() >= 3 => {
            if x == z || x > 12 {
                ymd(y, z, x)
            } else if z > 12 {
                ymd(y, x, z)
            } else {
                Err(DateEntryError::Ambiguous)
            }
        }
        // 20 Jan 2027
        (Some(d), None, Some(y)) if c.len() >= 3 => month_word(b).map_or(Err(DateEntryError::NotADate), |m| ymd(y, m, d)),
        // Jan 20, 2027
        (None, Some(d), Some(y)) if c.len() >= 3 => month_word(a).map_or(Err(DateEntryError::NotADate), |m| ymd(y, m, d)),
        _ => Err(DateEntryError::NotADate),
    }
}

/// What a date field holds for the form: `YYYY-MM-DD` when the text is a date, empty when
/// the text is, and otherwise the text itself, which no ISO parse accepts — so a form that
/// checks its value refuses it, and nothing is silently dropped.
pub fn to_value(text: &str) -> String {
    if text.trim().is_empty() {
        return String::new();
    }
    parse(text).map_or_else(|_| text.to_string(), |d| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use DateEntryError::*;

    fn d(y: i32, m: u32, day: u32) -> Result<NaiveDate, DateEntryError> {
        NaiveDate::from_ymd_opt(y, m, day).ok_or(NotADate)
    }

    #[test]
    fn reads_the_forms_people_type() {
        let table: &[(&str, Result<NaiveDate, DateEntryError>)] = &[
            // What the app shows.
            ("2027-01-20", d(2027, 1, 20)),
            ("20 Jan 2027", d(2027, 1, 20)),
            // Chinese variants.
            ("2027/1/20", d(2027, 1, 20)),
            ("2027.01.20", d(2027, 1, 20)),
            ("2027年1月20日", d(2027, 1, 20)),
            ("2027年01月20", d(2027, 1, 20)),
            ("２０２７－０１－２０", d(2027, 1, 20)),
            ("２０２７／１／２０", d(2027, 1, 20)),
            ("20270120", d(2027, 1, 20)),
            // English variants.
            ("20 January 2027", d(2027, 1, 20)),
            ("20 jan 2027", d(2027, 1, 20)),
            ("20-Jan-2027", d(2027, 1, 20)),
            ("Jan 20, 2027", d(2027, 1, 20)),
            ("January 20 2027", d(2027, 1, 20)),
            ("20 Sept 2027", d(2027, 9, 20)),
            ("1 Mar. 2027", d(2027, 3, 1)),
            ("  20 Jan 2027  ", d(2027, 1, 20)),
            // Numbers with the year last, when only one reading exists.
            ("20/01/2027", d(2027, 1, 20)),
            ("01/20/2027", d(2027, 1, 20)),
            ("20.1.2027", d(2027, 1, 20)),
            ("05/05/2027", d(2027, 5, 5)),
            // ... and refused when both readings exist.
            ("03/04/2027", Err(Ambiguous)),
            ("1/2/2027", Err(Ambiguous)),
            // Days the calendar does not have.
            ("2027-02-29", Err(NotADate)),
            ("2028-02-29", d(2028, 2, 29)),
            ("31 Apr 2027", Err(NotADate)),
            ("2027-13-01", Err(NotADate)),
            ("2027-00-10", Err(NotADate)),
            ("32/01/2027", Err(NotADate)),
            // The server's bounds.
            ("1899-12-31", Err(OutOfRange)),
            ("1900-01-01", d(1900, 1, 1)),
            ("2200-12-31", d(2200, 12, 31)),
            ("2201-01-01", Err(OutOfRange)),
            ("99999-12-31", Err(OutOfRange)),
            ("31/12/99999", Err(OutOfRange)),
            // Not dates.
            ("", Err(NotADate)),
            ("   ", Err(NotADate)),
            ("tomorrow", Err(NotADate)),
            ("20 Jax 2027", Err(NotADate)),
            ("20 Ja 2027", Err(NotADate)),
            ("2027-01", Err(NotADate)),
            ("2027-01-20-05", Err(NotADate)),
            ("27-01-20", Err(NotADate)),
            ("2027-1a-20", Err(NotADate)),
            ("9999999-01-01", Err(NotADate)),
            ("-2027-01-20", Err(NotADate)),
        ];
        for (text, want) in table {
            assert_eq!(parse(text), *want, "{text:?}");
        }
    }

    #[test]
    fn the_value_is_iso_empty_or_the_text() {
        let table = [
            ("20 Jan 2027", "2027-01-20"),
            ("2027/1/20", "2027-01-20"),
            ("", ""),
            ("  ", ""),
            ("03/04/2027", "03/04/2027"),
            ("soon", "soon"),
        ];
        for (text, want) in table {
            assert_eq!(to_value(text), want, "{text:?}");
        }
    }
}
