//! Relationship maintenance (客户关系维护): how often each grade is contacted, when an account
//! is next due and whether that is overdue, the follow-up after a delivery, and a rep's
//! monthly capacity plan.
//!
//! Seed 003 sets the cadence in calendar terms (A 每月1次, B 每季度1次, C 每半年1次), so it is
//! kept in months, not days: "monthly" from 31 January is the end of February, not 2 March,
//! and a quarter is always three of them. D gets no personal cadence: seed 000 maintains D
//! accounts through campaigns (活动 DM 及 FAX、发表会、特价活动).
use super::Grade;
use crate::domain::error::AppError;
use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// How often an account of a grade is contacted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "months")]
pub enum Every {
    /// Once every so many calendar months.
    Months(u32),
    /// No personal cadence: reached by campaigns (mailings, seminars, offers) only.
    CampaignsOnly,
}

/// The longest cadence an admin may set: two years, beyond which "relationship" means little.
pub const MONTHS_MAX: u32 = 24;

/// The cadence per grade; an admin edits it. The default is seed 003's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Cadence {
    pub a: Every,
    pub b: Every,
    pub c: Every,
    pub d: Every,
}

impl Default for Cadence {
    fn default() -> Self {
        Cadence { a: Every::Months(1), b: Every::Months(3), c: Every::Months(6), d: Every::CampaignsOnly }
    }
}

impl Cadence {
    pub const fn every(&self, grade: Grade) -> Every {
        match grade {
            Grade::A => self.a,
            Grade::B => self.b,
            Grade::C => self.c,
            Grade::D => self.d,
        }
    }

    /// Every cadence in months is 1 through [`MONTHS_MAX`]; any grade may be campaigns only.
    pub fn validate(&self) -> Result<(), AppError> {
        for (field, every) in [("cadence_a", self.a), ("cadence_b", self.b), ("cadence_c", self.c), ("cadence_d", self.d)] {
            if let Every::Months(n) = every {
                if !(1..=MONTHS_MAX).contains(&n) {
                    return Err(AppError::validation(field, format!("every 1 to {MONTHS_MAX} months")));
                }
            }
        }
        Ok(())
    }
}

/// When the account is next due for contact: its cadence after the last contact, or after
/// it was created if it was never contacted. Month arithmetic keeps the day of the month
/// and falls back to the month's last day (31 January + 1 month = 28 or 29 February).
/// `None`: campaigns only. A date beyond the calendar's end saturates (never due).
pub fn next_due(grade: Grade, last_contact: Option<NaiveDate>, created: NaiveDate, cadence: &Cadence) -> Option<NaiveDate> {
    match cadence.every(grade) {
        Every::CampaignsOnly => None,
        Every::Months(n) => Some(last_contact.unwrap_or(created).checked_add_months(Months::new(n)).unwrap_or(NaiveDate::MAX)),
    }
}

/// Where an account's next contact stands today.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum ContactStatus {
    /// Due after this week.
    NotDue,
    /// Due today or later this week (the week is Monday to Sunday, as a Chinese calendar
    /// and a rep's weekly plan have it).
    DueThisWeek,
    /// The due date has passed, by `days` (1 = due yesterday).
    Overdue { days: i64 },
    /// No personal cadence for the grade.
    CampaignOnly,
}

impl ContactStatus {
    /// The status of an account without a due date (a serde default).
    pub const fn campaign_only() -> Self {
        Self::CampaignOnly
    }

    pub const fn code(&self) -> &'static str {
        match self {
            Self::NotDue => "not_due",
            Self::DueThisWeek => "due_this_week",
            Self::Overdue { .. } => "overdue",
            Self::CampaignOnly => "campaign_only",
        }
    }
}

/// The status of a due date (from [`next_due`]) on `today`.
pub fn status(due: Option<NaiveDate>, today: NaiveDate) -> ContactStatus {
    let Some(due) = due else {
        return ContactStatus::CampaignOnly;
    };
    if due < today {
        return ContactStatus::Overdue { days: (today - due).num_days() };
    }
    let to_sunday = 6 - today.weekday().num_days_from_monday();
    let sunday = today.checked_add_days(Days::new(u64::from(to_sunday))).unwrap_or(NaiveDate::MAX);
    if due <= sunday {
        ContactStatus::DueThisWeek
    } else {
        ContactStatus::NotDue
    }
}

/// Seed 003: after a delivery the customer is called within 3 working days.
pub const FOLLOW_UP_WORKING_DAYS: u32 = 3;

/// The last day of the delivery follow-up: the third working day after the delivery (the
/// delivery day itself does not count). Working days are Monday to Friday; there is no
/// holiday calendar yet, so a public holiday or a swapped weekend (调休) counts as what its
/// weekday is.
pub fn delivery_follow_up(delivered_on: NaiveDate) -> NaiveDate {
    let mut day = delivered_on;
    let mut left = FOLLOW_UP_WORKING_DAYS;
    while left > 0 {
        let Some(next) = day.succ_opt() else {
            return NaiveDate::MAX;
        };
        day = next;
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    day
}

/// A line of the capacity plan: a grade's book, or the new accounts a rep opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    A,
    B,
    C,
    D,
    /// Developing new accounts (开发新客户): the accounts opened in the month.
    New,
}

impl Tier {
    pub const ALL: [Tier; 5] = [Self::A, Self::B, Self::C, Self::D, Self::New];

    pub const fn code(self) -> &'static str {
        match self {
            Self::A => "a",
            Self::B => "b",
            Self::C => "c",
            Self::D => "d",
            Self::New => "new",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }
}

impl From<Grade> for Tier {
    fn from(g: Grade) -> Self {
        match g {
            Grade::A => Tier::A,
            Grade::B => Tier::B,
            Grade::C => Tier::C,
            Grade::D => Tier::D,
        }
    }
}

/// So many accounts of a tier take so many of a rep's days a month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CapacityRow {
    pub tier: Tier,
    pub accounts: u32,
    pub days_per_month: u32,
}

/// A rep's month (seed 000, 销售人员工作时间的分配): the book a manager checks a rep against.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CapacityPlan {
    pub per_tier: Vec<CapacityRow>,
}

/// Bounds of a plan: up to 1000 accounts a line, and no more days than a month has.
pub const PLAN_ACCOUNTS_MAX: u32 = 1000;
pub const PLAN_DAYS_MAX: u32 = 31;

impl Default for CapacityPlan {
    /// Seed 000: A 8 accounts in 10 days, B 12 in 4, C 24 in 4, new accounts 40 in 2 (20
    /// working days). D is not planned: campaigns reach it.
    fn default() -> Self {
        let row = |tier, accounts, days_per_month| CapacityRow { tier, accounts, days_per_month };
        CapacityPlan { per_tier: vec![row(Tier::A, 8, 10), row(Tier::B, 12, 4), row(Tier::C, 24, 4), row(Tier::New, 40, 2)] }
    }
}

impl CapacityPlan {
    /// The days the plan fills.
    pub fn days_per_month(&self) -> u32 {
        self.per_tier.iter().map(|r| r.days_per_month).sum()
    }

    /// At least one line, each tier once, 1 to 1000 accounts a line, and the days of all
    /// lines within a month.
    pub fn validate(&self) -> Result<(), AppError> {
        if self.per_tier.is_empty() {
            return Err(AppError::validation("per_tier", "at least one line"));
        }
        for (i, r) in self.per_tier.iter().enumerate() {
            if self.per_tier[..i].iter().any(|p| p.tier == r.tier) {
                return Err(AppError::validation("per_tier", format!("{} appears twice", r.tier.code())));
            }
            if !(1..=PLAN_ACCOUNTS_MAX).contains(&r.accounts) {
                return Err(AppError::validation("accounts", format!("1 to {PLAN_ACCOUNTS_MAX} accounts a line")));
            }
        }
        if self.per_tier.iter().map(|r| u64::from(r.days_per_month)).sum::<u64>() > u64::from(PLAN_DAYS_MAX) {
            return Err(AppError::validation("days_per_month", format!("at most {PLAN_DAYS_MAX} days a month in all")));
        }
        Ok(())
    }
}

/// One line of a rep's load against the plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CapacityLine {
    pub tier: Tier,
    /// Accounts the rep has in the tier.
    pub accounts: u32,
    /// Accounts the plan allots.
    pub planned: u32,
    pub days_planned: u32,
    /// Days the rep's accounts need at the plan's rate, in tenths of a day, rounded up
    /// (whole days would hide that 9 A accounts need 11.3 days, not 11).
    pub days_needed_tenths: u64,
    /// More accounts than planned: the rep cannot give them the planned attention (for
    /// `New`, the rep opened more than planned).
    pub over: bool,
}

/// A rep's book against the plan, one line per plan line in its order. `counts` are the
/// rep's accounts per tier (a tier counted twice adds up; one missing is 0); tiers the plan
/// has no line for (D, by default) are not shown.
pub fn load(plan: &CapacityPlan, counts: &[(Tier, u32)]) -> Vec<CapacityLine> {
    plan.per_tier
        .iter()
        .map(|r| {
            let accounts = counts.iter().filter(|(t, _)| *t == r.tier).fold(0u32, |sum, (_, n)| sum.saturating_add(*n));
            let per = u64::from(r.accounts.max(1));
            let days_needed_tenths = (u64::from(accounts) * u64::from(r.days_per_month) * 10).div_ceil(per);
            CapacityLine {
                tier: r.tier,
                accounts,
                planned: r.accounts,
                days_planned: r.days_per_month,
                days_needed_tenths,
                over: accounts > r.accounts,
            }
        })
        .collect()
}

/// The days a whole book needs, in tenths: compare with [`CapacityPlan::days_per_month`].
pub fn days_needed_tenths(lines: &[CapacityLine]) -> u64 {
    lines.iter().map(|l| l.days_needed_tenths).sum()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn next_due_counts_calendar_months() {
        let def = Cadence::default();
        let yearly_d = Cadence { d: Every::Months(12), ..def };
        let created = d("2023-06-15");
        let cases: &[(Grade, Option<&str>, &Cadence, Option<&str>)] = &[
            (Grade::A, Some("2024-03-10"), &def, Some("2024-04-10")),
            // Month ends: the day is kept, or the month's last day.
            (Grade::A, Some("2024-01-31"), &def, Some("2024-02-29")), // leap year
            (Grade::A, Some("2023-01-31"), &def, Some("2023-02-28")),
            (Grade::A, Some("2100-01-31"), &def, Some("2100-02-28")), // 2100 is no leap year
            (Grade::A, Some("2024-03-31"), &def, Some("2024-04-30")),
            (Grade::A, Some("2024-12-15"), &def, Some("2025-01-15")), // across the year
            (Grade::B, Some("2023-11-30"), &def, Some("2024-02-29")),
            (Grade::B, Some("2024-02-29"), &def, Some("2024-05-29")),
            (Grade::C, Some("2024-08-31"), &def, Some("2025-02-28")),
            (Grade::C, Some("2023-08-31"), &def, Some("2024-02-29")),
            // Never contacted: from the day it was created.
            (Grade::A, None, &def, Some("2023-07-15")),
            (Grade::C, None, &def, Some("2023-12-15")),
            // D: campaigns only, unless the admin gave it a cadence.
            (Grade::D, Some("2024-02-29"), &def, None),
            (Grade::D, None, &def, None),
            (Grade::D, Some("2024-02-29"), &yearly_d, Some("2025-02-28")),
        ];
        for (grade, last, cadence, want) in cases {
            assert_eq!(next_due(*grade, last.map(d), created, cadence), want.map(d), "{grade:?} {last:?}");
        }
        assert_eq!(next_due(Grade::A, Some(NaiveDate::MAX), created, &def), Some(NaiveDate::MAX));
    }

    #[test]
    fn status_by_the_week_of_today() {
        let wed = d("2026-12-09"); // Wednesday; its week is Mon 7 – Sun 13 December
        let cases: &[(&str, Option<&str>, ContactStatus)] = &[
            ("2026-12-09", None, ContactStatus::CampaignOnly),
            ("2026-12-09", Some("2026-12-09"), ContactStatus::DueThisWeek), // today is not overdue
            ("2026-12-09", Some("2026-12-13"), ContactStatus::DueThisWeek), // Sunday
            ("2026-12-09", Some("2026-12-14"), ContactStatus::NotDue),      // next Monday
            ("2026-12-09", Some("2026-12-08"), ContactStatus::Overdue { days: 1 }),
            ("2026-12-09", Some("2026-12-07"), ContactStatus::Overdue { days: 2 }), // this Monday, passed
            ("2026-12-09", Some("2026-11-30"), ContactStatus::Overdue { days: 9 }),
            ("2026-12-13", Some("2026-12-13"), ContactStatus::DueThisWeek), // Sunday, the week's last day
            ("2026-12-13", Some("2026-12-14"), ContactStatus::NotDue),
            ("2026-12-14", Some("2026-12-13"), ContactStatus::Overdue { days: 1 }), // Monday after
            ("2026-12-14", Some("2026-12-20"), ContactStatus::DueThisWeek),
            ("2026-12-31", Some("2027-01-03"), ContactStatus::DueThisWeek), // the week spans the year end
            ("2026-12-31", Some("2027-01-04"), ContactStatus::NotDue),
            ("2024-03-01", Some("2024-02-29"), ContactStatus::Overdue { days: 1 }), // leap day
        ];
        for (today, due, want) in cases {
            assert_eq!(status(due.map(d), d(today)), *want, "{today} {due:?}");
        }
        assert_eq!(status(Some(NaiveDate::MAX), NaiveDate::MAX), ContactStatus::DueThisWeek);
        // Put together: an A account last seen 31 October is overdue on 9 December.
        let due = next_due(Grade::A, Some(d("2026-10-31")), d("2026-01-01"), &Cadence::default());
        assert_eq!(due, Some(d("2026-11-30")));
        assert_eq!(status(due, wed), ContactStatus::Overdue { days: 9 });
    }

    #[test]
    fn delivery_follow_up_skips_weekends() {
        let cases: &[(&str, &str)] = &[
            ("2026-12-07", "2026-12-10"), // Mon → Thu
            ("2026-12-08", "2026-12-11"), // Tue → Fri
            ("2026-12-09", "2026-12-14"), // Wed → Mon
            ("2026-12-10", "2026-12-15"), // Thu → Tue
            ("2026-12-11", "2026-12-16"), // Fri → Wed
            ("2026-12-12", "2026-12-16"), // Sat → Wed
            ("2026-12-13", "2026-12-16"), // Sun → Wed
            ("2026-12-31", "2027-01-05"), // Thu, across the year end
            ("2024-02-28", "2024-03-04"), // Wed, across a leap day
        ];
        for (delivered, want) in cases {
            assert_eq!(delivery_follow_up(d(delivered)), d(want), "{delivered}");
        }
        assert_eq!(delivery_follow_up(NaiveDate::MAX), NaiveDate::MAX);
    }

    #[test]
    fn an_edited_cadence_stays_within_bounds() {
        let field = |c: Cadence| match c.validate() {
            Err(AppError::Validation { field, .. }) => Some(field),
            _ => None,
        };
        let def = Cadence::default();
        let cases: &[(Cadence, Option<&str>)] = &[
            (def, None),
            (Cadence { a: Every::Months(1), d: Every::Months(MONTHS_MAX), ..def }, None),
            (Cadence { c: Every::CampaignsOnly, ..def }, None),
            (Cadence { a: Every::Months(0), ..def }, Some("cadence_a")),
            (Cadence { b: Every::Months(MONTHS_MAX + 1), ..def }, Some("cadence_b")),
            (Cadence { d: Every::Months(u32::MAX), ..def }, Some("cadence_d")),
        ];
        for (c, want) in cases {
            assert_eq!(field(*c).as_deref(), *want, "{c:?}");
        }
        assert_eq!(serde_json::to_string(&Every::Months(3)).unwrap(), r#"{"kind":"months","months":3}"#);
        assert_eq!(serde_json::to_string(&Every::CampaignsOnly).unwrap(), r#"{"kind":"campaigns_only"}"#);
    }

    #[test]
    fn a_book_against_the_seed_plan() {
        let plan = CapacityPlan::default();
        assert!(plan.validate().is_ok());
        assert_eq!(plan.days_per_month(), 20);
        let line = |tier, accounts, planned, days_planned, days_needed_tenths, over| CapacityLine {
            tier,
            accounts,
            planned,
            days_planned,
            days_needed_tenths,
            over,
        };
        type Case<'a> = (&'a [(Tier, u32)], Vec<CapacityLine>, u64);
        let cases: Vec<Case> = vec![
            // Exactly the plan: 20 days.
            (
                &[(Tier::A, 8), (Tier::B, 12), (Tier::C, 24), (Tier::New, 40), (Tier::D, 300)],
                vec![
                    line(Tier::A, 8, 8, 10, 100, false),
                    line(Tier::B, 12, 12, 4, 40, false),
                    line(Tier::C, 24, 24, 4, 40, false),
                    line(Tier::New, 40, 40, 2, 20, false),
                ],
                200,
            ),
            // Too many A and B accounts; 9 A need 11¼ days, shown as 11.3.
            (
                &[(Tier::A, 9), (Tier::B, 15), (Tier::C, 10)],
                vec![
                    line(Tier::A, 9, 8, 10, 113, true),
                    line(Tier::B, 15, 12, 4, 50, true),
                    line(Tier::C, 10, 24, 4, 17, false),
                    line(Tier::New, 0, 40, 2, 0, false),
                ],
                180,
            ),
            // An empty book; a tier counted in two parts adds up.
            (
                &[(Tier::C, 20), (Tier::C, 5)],
                vec![
                    line(Tier::A, 0, 8, 10, 0, false),
                    line(Tier::B, 0, 12, 4, 0, false),
                    line(Tier::C, 25, 24, 4, 42, true),
                    line(Tier::New, 0, 40, 2, 0, false),
                ],
                42,
            ),
        ];
        for (counts, want, total) in cases {
            let got = load(&plan, counts);
            assert_eq!(got, want, "{counts:?}");
            assert_eq!(days_needed_tenths(&got), total, "{counts:?}");
        }
        assert_eq!(load(&plan, &[(Tier::A, u32::MAX), (Tier::A, 1)])[0].accounts, u32::MAX);
    }

    #[test]
    fn a_plan_stays_within_a_month() {
        let row = |tier, accounts, days_per_month| CapacityRow { tier, accounts, days_per_month };
        let field = |rows: Vec<CapacityRow>| match (CapacityPlan { per_tier: rows }).validate() {
            Err(AppError::Validation { field, .. }) => Some(field),
            _ => None,
        };
        let cases: Vec<(Vec<CapacityRow>, Option<&str>)> = vec![
            (vec![row(Tier::A, 8, 10), row(Tier::D, 100, 1)], None),
            (vec![row(Tier::A, 1, 31)], None),
            (vec![], Some("per_tier")),
            (vec![row(Tier::A, 8, 10), row(Tier::A, 4, 2)], Some("per_tier")),
            (vec![row(Tier::B, 0, 4)], Some("accounts")),
            (vec![row(Tier::B, PLAN_ACCOUNTS_MAX + 1, 4)], Some("accounts")),
            (vec![row(Tier::A, 8, 20), row(Tier::B, 12, 12)], Some("days_per_month")),
            (vec![row(Tier::A, 8, u32::MAX), row(Tier::B, 12, u32::MAX)], Some("days_per_month")),
        ];
        for (rows, want) in cases {
            assert_eq!(field(rows.clone()).as_deref(), want, "{rows:?}");
        }
    }

    #[test]
    fn codes_round_trip() {
        for t in Tier::ALL {
            assert_eq!(Tier::parse(t.code()), Some(t));
            assert_eq!(serde_json::to_string(&t).unwrap(), format!("\"{}\"", t.code()));
        }
        for g in Grade::ALL {
            assert_eq!(Tier::from(g).code(), g.code());
        }
        for s in [ContactStatus::NotDue, ContactStatus::DueThisWeek, ContactStatus::Overdue { days: 3 }, ContactStatus::CampaignOnly] {
            let json = serde_json::to_string(&s).unwrap();
            assert!(json.contains(&format!(r#""status":"{}""#, s.code())), "{json}");
        }
    }
}
