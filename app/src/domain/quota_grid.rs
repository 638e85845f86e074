//! The quota editor's grid: reps × the four quarters of a year (the period the forecast and
//! the demo quotas use), with totals per rep and per quarter. Pure: the quota service reads
//! and writes the cells through its one upsert.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Years the editor opens; outside them the year is refused, naming the field.
pub const YEAR_MIN: i32 = 2000;
pub const YEAR_MAX: i32 = 2100;
/// Cells one save may carry (every rep of a large organisation × 4).
pub const MAX_CELLS: usize = 4_000;

/// Quarter `q` (0–3) of `year` as (first day, last day), both included.
pub fn quarter(year: i32, q: u8) -> Option<(NaiveDate, NaiveDate)> {
    if q > 3 {
        return None;
    }
    let m = u32::from(q) * 3 + 1;
    let start = NaiveDate::from_ymd_opt(year, m, 1)?;
    let next = if q == 3 { NaiveDate::from_ymd_opt(year + 1, 1, 1)? } else { NaiveDate::from_ymd_opt(year, m + 3, 1)? };
    Some((start, next.pred_opt()?))
}

/// Which quarter of its year a stored period is, when it is exactly one.
pub fn quarter_of(start: NaiveDate, end: NaiveDate) -> Option<u8> {
    use chrono::Datelike;
    (0..4u8).find(|q| quarter(start.year(), *q) == Some((start, end)))
}

/// One cell: the quota of that quarter, if set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaCell {
    pub amount_fen: Option<i64>,
    /// The stored quota's version (absent while the cell is empty): the editor sends it back
    /// so a save over someone else's newer figure is refused, not silently lost.
    #[serde(default)]
    pub version: Option<i32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaGridRow {
    pub user_id: uuid::Uuid,
    pub name: String,
    pub email: String,
    pub team: String,
    /// Whether the viewer may set this person's quotas.
    pub editable: bool,
    pub cells: [QuotaCell; 4],
}

impl QuotaGridRow {
    /// The year's quota of this person (unset quarters count 0).
    pub fn total(&self) -> i64 {
        self.cells.iter().filter_map(|c| c.amount_fen).fold(0i64, i64::saturating_add)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaGrid {
    pub year: i32,
    pub rows: Vec<QuotaGridRow>,
}

impl QuotaGrid {
    /// Per quarter, over every row shown.
    pub fn quarter_totals(&self) -> [i64; 4] {
        let mut t = [0i64; 4];
        for r in &self.rows {
            for (q, c) in r.cells.iter().enumerate() {
                t[q] = t[q].saturating_add(c.amount_fen.unwrap_or(0));
            }
        }
        t
    }

    pub fn total(&self) -> i64 {
        self.quarter_totals().iter().fold(0i64, |a, b| a.saturating_add(*b))
    }
}

/// A cell as the editor sends it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaCellEdit {
    pub user_id: uuid::Uuid,
    /// 0–3.
    pub quarter: u8,
    pub amount_fen: i64,
    /// The version the editor read: `Some(0)` for a cell that was empty, `None` to overwrite
    /// whatever is stored (a script that does not care).
    #[serde(default)]
    pub read_version: Option<i32>,
}

impl QuotaCellEdit {
    /// Whether the stored quota (its version, if any) is still what the editor read.
    pub fn still_current(&self, stored: Option<i32>) -> bool {
        self.read_version.is_none_or(|read| read == stored.unwrap_or(0))
    }
}

/// A refused cell and why, in the user's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaCellError {
    pub user_id: uuid::Uuid,
    pub quarter: u8,
    pub message: String,
}

/// What a save answers: the grid as stored now, or (when any cell is refused, and then
/// nothing is written) the refused cells.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuotaSave {
    pub grid: QuotaGrid,
    pub errors: Vec<QuotaCellError>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_cell_is_current_while_nobody_saved_over_what_the_editor_read() {
        let edit = |read_version| QuotaCellEdit { user_id: uuid::Uuid::nil(), quarter: 0, amount_fen: 1, read_version };
        // (read, stored now, current?)
        let table = [
            (None, None, true),
            (None, Some(4), true),
            (Some(0), None, true),
            (Some(0), Some(1), false),
            (Some(3), Some(3), true),
            (Some(3), Some(4), false),
            (Some(3), None, false),
        ];
        for (read, stored, want) in table {
            assert_eq!(edit(read).still_current(stored), want, "{read:?} {stored:?}");
        }
    }

    #[test]
    fn quarters_of_a_year() {
        let table = [
            (2026, 0, Some((d(2026, 1, 1), d(2026, 3, 31)))),
            (2026, 1, Some((d(2026, 4, 1), d(2026, 6, 30)))),
            (2026, 2, Some((d(2026, 7, 1), d(2026, 9, 30)))),
            (2026, 3, Some((d(2026, 10, 1), d(2026, 12, 31)))),
            (2028, 0, Some((d(2028, 1, 1), d(2028, 3, 31)))),
            (2026, 4, None),
        ];
        for (y, q, want) in table {
            assert_eq!(quarter(y, q), want, "{y} Q{q}");
        }
        assert_eq!(quarter_of(d(2026, 10, 1), d(2026, 12, 31)), Some(3));
        assert_eq!(quarter_of(d(2026, 1, 1), d(2026, 12, 31)), None);
        assert_eq!(quarter_of(d(2026, 1, 2), d(2026, 3, 31)), None);
    }

    #[test]
    fn totals_per_rep_and_quarter() {
        let row = |cells: [Option<i64>; 4]| QuotaGridRow {
            user_id: uuid::Uuid::nil(),
            name: String::new(),
            email: String::new(),
            team: String::new(),
            editable: true,
            cells: cells.map(|amount_fen| QuotaCell { amount_fen, version: None }),
        };
        let g = QuotaGrid { year: 2026, rows: vec![row([Some(100), None, Some(300), Some(0)]), row([Some(1), Some(2), None, None])] };
        assert_eq!(g.rows[0].total(), 400);
        assert_eq!(g.rows[1].total(), 3);
        assert_eq!(g.quarter_totals(), [101, 2, 300, 0]);
        assert_eq!(g.total(), 403);
        let huge = QuotaGrid { year: 2026, rows: vec![row([Some(i64::MAX), Some(i64::MAX), None, None])] };
        assert_eq!(huge.total(), i64::MAX);
    }
}
