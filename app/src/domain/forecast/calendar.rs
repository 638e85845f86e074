//! Calendar arithmetic: months, quarters and local days of the organisation.
use chrono::{DateTime, Datelike, Duration, FixedOffset, Months, NaiveDate, NaiveTime, Offset, Utc};

/// The sales organisation's calendar (China Standard Time): weeks, quarters and "today".
pub fn offset() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| FixedOffset::east_opt(0).unwrap_or(Utc.fix()))
}

/// `YYYYMMDD` of a local date (the `progress_days.day` column).
pub fn day_key(d: NaiveDate) -> i32 {
    d.year() * 10_000 + d.month() as i32 * 100 + d.day() as i32
}

/// Calendar month addition, clamped to the month's end; saturates at the calendar's end.
pub fn add_months(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_add_months(Months::new(n)).unwrap_or(NaiveDate::MAX)
}

pub fn quarter_start(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year(), d.month0() / 3 * 3 + 1, 1).unwrap_or(d)
}

/// Last day of the calendar quarter of `d`.
pub fn quarter_end(d: NaiveDate) -> NaiveDate {
    add_months(quarter_start(d), 3).pred_opt().unwrap_or(NaiveDate::MAX)
}

/// The UTC instant of 00:00 local time on `d` at `offset` (e.g. +08:00).
pub fn local_midnight(d: NaiveDate, offset: FixedOffset) -> DateTime<Utc> {
    let local = d.and_time(NaiveTime::MIN);
    local.checked_sub_signed(Duration::seconds(i64::from(offset.local_minus_utc()))).unwrap_or(local).and_utc()
}

/// The local calendar date of an instant.
pub fn local_date(t: DateTime<Utc>, offset: FixedOffset) -> NaiveDate {
    t.with_timezone(&offset).date_naive()
}

/// `n` instants a week apart ending at `last`, oldest first (e.g. the last 13 week ends). Only
/// tests use it: the service's trend picks its own instants.
#[cfg(test)]
pub fn week_ends(last: DateTime<Utc>, n: u32) -> Vec<DateTime<Utc>> {
    (0..n).rev().filter_map(|k| last.checked_sub_signed(Duration::weeks(i64::from(k)))).collect()
}

/// Calendar months from `today`'s month to `d`'s (negative when `d` is in an earlier month).
pub fn month_offset(d: NaiveDate, today: NaiveDate) -> i32 {
    (d.year() - today.year()) * 12 + d.month() as i32 - today.month() as i32
}

/// `YYYYMM` of a date: the month key of the summaries.
pub fn month_key(d: NaiveDate) -> i32 {
    d.year() * 100 + d.month() as i32
}

/// The first day of a `YYYYMM` month key.
pub fn month_first(key: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(key.div_euclid(100), u32::try_from(key.rem_euclid(100)).ok()?, 1)
}

/// A calendar quarter as one number, `year × 4 + quarter index (0-3)`: consecutive quarters
/// are consecutive numbers (the `progress_days.scope` column).
pub fn quarter_id(d: NaiveDate) -> i32 {
    d.year() * 4 + (d.month0() / 3) as i32
}

/// The first day of the quarter [`quarter_id`] numbers.
pub fn quarter_of_id(id: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(id.div_euclid(4), (id.rem_euclid(4) * 3 + 1) as u32, 1)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::domain::forecast::test_support::*;
    use crate::domain::forecast::*;
    use chrono::{Duration, NaiveDate};

    #[test]
    fn quarter_ids_are_consecutive_and_name_their_first_day() {
        for (d, id, first) in [
            ((2026, 1, 1), 2026 * 4, (2026, 1, 1)),
            ((2026, 3, 31), 2026 * 4, (2026, 1, 1)),
            ((2026, 4, 1), 2026 * 4 + 1, (2026, 4, 1)),
            ((2026, 12, 31), 2026 * 4 + 3, (2026, 10, 1)),
            ((2027, 1, 1), 2027 * 4, (2027, 1, 1)),
        ] {
            let day = NaiveDate::from_ymd_opt(d.0, d.1, d.2).unwrap();
            assert_eq!(quarter_id(day), id, "{day}");
            assert_eq!(quarter_of_id(id), NaiveDate::from_ymd_opt(first.0, first.1, first.2));
        }
        assert_eq!(
            quarter_id(NaiveDate::from_ymd_opt(2026, 10, 1).unwrap()) - 1,
            quarter_id(NaiveDate::from_ymd_opt(2026, 9, 30).unwrap())
        );
    }

    #[test]
    fn the_organisation_calendar_is_utc_plus_8_with_day_keys() {
        assert_eq!(offset().local_minus_utc(), 8 * 3600);
        assert_eq!(day_key(d("2026-11-05")), 20261105);
        assert_eq!(day_key(d("2027-01-31")), 20270131);
    }

    #[test]
    fn calendar_helpers() {
        let quarters = [
            ("2027-01-01", "2027-01-01", "2027-03-31"),
            ("2027-02-28", "2027-01-01", "2027-03-31"),
            ("2027-04-01", "2027-04-01", "2027-06-30"),
            ("2027-09-30", "2027-07-01", "2027-09-30"),
            ("2027-12-31", "2027-10-01", "2027-12-31"),
        ];
        for (day, start, end) in quarters {
            assert_eq!((quarter_start(d(day)), quarter_end(d(day))), (d(start), d(end)), "{day}");
        }
        assert_eq!(add_months(d("2026-11-30"), 3), d("2027-02-28"));
        assert_eq!(add_months(d("2027-01-31"), 1), d("2027-02-28"));
        assert_eq!(add_months(NaiveDate::MAX, 1), NaiveDate::MAX);
        assert_eq!(local_midnight(d("2027-04-01"), cst()), t("2027-03-31T16:00:00Z"));
        assert_eq!(local_midnight(d("2027-04-01"), utc()), t("2027-04-01"));
        assert_eq!(local_date(t("2027-03-31T16:00:00Z"), cst()), d("2027-04-01"));
        assert_eq!(local_date(t("2027-03-31T15:59:59Z"), cst()), d("2027-03-31"));
        let weeks = week_ends(t("2027-03-29"), 13);
        assert_eq!(weeks.len(), 13);
        assert_eq!(weeks[0], t("2027-01-04"));
        assert_eq!(weeks[12], t("2027-03-29"));
        assert!(weeks.windows(2).all(|w| w[1] - w[0] == Duration::weeks(1)));
        let periods = [
            (Period::Month { year: 2027, month: 2 }, "2027-02-01", "2027-02-28"),
            (Period::Quarter { year: 2027, quarter: 4 }, "2027-10-01", "2027-12-31"),
            (Period::Year { year: 2028 }, "2028-01-01", "2028-12-31"),
        ];
        for (p, first, last) in periods {
            assert_eq!((p.first_day(), p.last_day()), (Some(d(first)), Some(d(last))), "{p:?}");
        }
        assert_eq!(Period::Quarter { year: 2027, quarter: 0 }.first_day(), None);
        assert_eq!(Period::Month { year: 2027, month: 13 }.last_day(), None);
    }
}
