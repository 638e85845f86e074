//! Activities on a deal (calls, visits, the exchange meeting, demos, revisits — seed 003
//! table 7), the late-entry rule, and follow-up task buckets for "My tasks".
//!
//! Calendar rules need the team's UTC offset: a date without a time is a local day, and
//! "today" is a local date. Callers pass it; nothing here reads a clock.
use super::locale::Locale;
use chrono::{DateTime, Days, FixedOffset, NaiveDate, NaiveTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Seed 003: records are entered within 24 hours.
pub const LATE_AFTER_HOURS: i64 = 24;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ActivityKind {
    Call,
    Visit,
    ExchangeMeeting,
    Demo,
    Revisit,
    Email,
    Other,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 7] = [
        ActivityKind::Call,
        ActivityKind::Visit,
        ActivityKind::ExchangeMeeting,
        ActivityKind::Demo,
        ActivityKind::Revisit,
        ActivityKind::Email,
        ActivityKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ActivityKind::Call => "call",
            ActivityKind::Visit => "visit",
            ActivityKind::ExchangeMeeting => "exchange_meeting",
            ActivityKind::Demo => "demo",
            ActivityKind::Revisit => "revisit",
            ActivityKind::Email => "email",
            ActivityKind::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<ActivityKind> {
        ActivityKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self, l: Locale) -> &'static str {
        match (self, l) {
            (ActivityKind::Call, Locale::En) => "Call",
            (ActivityKind::Call, Locale::ZhCn) => "电话",
            (ActivityKind::Visit, Locale::En) => "Visit",
            (ActivityKind::Visit, Locale::ZhCn) => "拜访",
            (ActivityKind::ExchangeMeeting, Locale::En) => "Exchange meeting",
            (ActivityKind::ExchangeMeeting, Locale::ZhCn) => "交流会",
            (ActivityKind::Demo, Locale::En) => "Demo",
            (ActivityKind::Demo, Locale::ZhCn) => "系统演示",
            (ActivityKind::Revisit, Locale::En) => "Revisit",
            (ActivityKind::Revisit, Locale::ZhCn) => "回访",
            (ActivityKind::Email, Locale::En) => "Email",
            (ActivityKind::Email, Locale::ZhCn) => "邮件",
            (ActivityKind::Other, Locale::En) => "Other",
            (ActivityKind::Other, Locale::ZhCn) => "其他",
        }
    }
}

/// When an activity happened: an exact instant, or only the (local) day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ActivityAt {
    Time(DateTime<Utc>),
    Day(NaiveDate),
}

/// Local midnight at the start of `day`, as an instant.
fn local_midnight(day: NaiveDate, offset: FixedOffset) -> Option<DateTime<Utc>> {
    day.and_time(NaiveTime::MIN).checked_sub_offset(offset).map(|t| t.and_utc())
}

impl ActivityAt {
    pub fn local_date(self, offset: FixedOffset) -> NaiveDate {
        match self {
            ActivityAt::Time(t) => t.with_timezone(&offset).date_naive(),
            ActivityAt::Day(d) => d,
        }
    }

    /// The last instant the entry is on time. With a time: 24 h after it. With only a day:
    /// 24 h after that local day ends, because the activity may have been at 23:59 and the
    /// rep must not be marked late for our not knowing.
    pub fn entry_deadline(self, offset: FixedOffset) -> DateTime<Utc> {
        let deadline = match self {
            ActivityAt::Time(t) => t.checked_add_signed(TimeDelta::hours(LATE_AFTER_HOURS)),
            ActivityAt::Day(d) => d
                .checked_add_days(Days::new(1))
                .and_then(|end| local_midnight(end, offset))
                .and_then(|end| end.checked_add_signed(TimeDelta::hours(LATE_AFTER_HOURS))),
        };
        // Only the very end of the calendar overflows; nothing can be late for it.
        deadline.unwrap_or(DateTime::<Utc>::MAX_UTC)
    }
}

/// Recorded more than 24 h after the activity (exactly 24 h is on time).
pub fn is_late(at: ActivityAt, recorded_at: DateTime<Utc>, offset: FixedOffset) -> bool {
    recorded_at > at.entry_deadline(offset)
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LateCount {
    pub rep_id: i32,
    pub late: usize,
    pub total: usize,
}

/// Late entries per rep, from (rep id, when it happened, when it was recorded); by rep id.
pub fn late_by_rep(entries: impl IntoIterator<Item = (i32, ActivityAt, DateTime<Utc>)>, offset: FixedOffset) -> Vec<LateCount> {
    let mut by: BTreeMap<i32, LateCount> = BTreeMap::new();
    for (rep_id, at, recorded_at) in entries {
        let c = by.entry(rep_id).or_insert(LateCount { rep_id, ..Default::default() });
        c.total += 1;
        c.late += usize::from(is_late(at, recorded_at, offset));
    }
    by.into_values().collect()
}

/// What the rules look at in an activity entry; people, feedback and new needs are free
/// text stored beside it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub kind: ActivityKind,
    pub at: ActivityAt,
    pub recorded_at: DateTime<Utc>,
    /// What happened / the customer's feedback.
    pub summary: String,
    /// Seed 003 table 7: 1–5.
    pub satisfaction: Option<u8>,
    /// The follow-up: a task with an owner and a due date, or nothing.
    pub next_action: Option<String>,
    pub next_owner_id: Option<i32>,
    pub next_due: Option<NaiveDate>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ActivityError {
    BlankSummary,
    SatisfactionOutOfRange(u8),
    /// An owner or due date without saying what is to be done.
    NextActionMissing,
    NextOwnerMissing,
    NextDueMissing,
    NextDueBeforeActivity,
    /// Records are of what happened; planned work is a task.
    InFuture,
}

impl ActivityError {
    /// The form field to mark.
    pub fn field(self) -> &'static str {
        match self {
            ActivityError::BlankSummary => "summary",
            ActivityError::SatisfactionOutOfRange(_) => "satisfaction",
            ActivityError::NextActionMissing => "next_action",
            ActivityError::NextOwnerMissing => "next_owner_id",
            ActivityError::NextDueMissing | ActivityError::NextDueBeforeActivity => "next_due",
            ActivityError::InFuture => "at",
        }
    }

    pub fn message(self, l: Locale) -> String {
        let zh = l == Locale::ZhCn;
        match self {
            ActivityError::BlankSummary if zh => "请填写活动内容或客户反馈。".into(),
            ActivityError::BlankSummary => "Say what happened or what the customer said.".into(),
            ActivityError::SatisfactionOutOfRange(v) if zh => format!("满意度须为 1–5 分（现为 {v}）。"),
            ActivityError::SatisfactionOutOfRange(v) => format!("Satisfaction must be 1–5, not {v}."),
            ActivityError::NextActionMissing if zh => "已指定负责人或日期，请填写后续行动。".into(),
            ActivityError::NextActionMissing => "An owner or date is set: say what the next action is.".into(),
            ActivityError::NextOwnerMissing if zh => "后续行动需要负责人。".into(),
            ActivityError::NextOwnerMissing => "The next action needs an owner.".into(),
            ActivityError::NextDueMissing if zh => "后续行动需要日期。".into(),
            ActivityError::NextDueMissing => "The next action needs a date.".into(),
            ActivityError::NextDueBeforeActivity if zh => "后续行动日期早于本次活动。".into(),
            ActivityError::NextDueBeforeActivity => "The next action is dated before this activity.".into(),
            ActivityError::InFuture if zh => "活动日期在未来；计划中的工作请建为任务。".into(),
            ActivityError::InFuture => "The activity is dated in the future; plan future work as a task.".into(),
        }
    }
}

fn blank(s: Option<&str>) -> bool {
    s.is_none_or(|v| v.trim().is_empty())
}

/// Checks an entry as submitted; the first problem wins, in form order.
pub fn validate(a: &Activity, offset: FixedOffset) -> Result<(), ActivityError> {
    let happened = match a.at {
        ActivityAt::Time(t) => t <= a.recorded_at,
        ActivityAt::Day(d) => d <= a.recorded_at.with_timezone(&offset).date_naive(),
    };
    if !happened {
        return Err(ActivityError::InFuture);
    }
    if a.summary.trim().is_empty() {
        return Err(ActivityError::BlankSummary);
    }
    if let Some(v) = a.satisfaction.filter(|v| !(1..=5).contains(v)) {
        return Err(ActivityError::SatisfactionOutOfRange(v));
    }
    if blank(a.next_action.as_deref()) {
        if a.next_owner_id.is_some() || a.next_due.is_some() {
            return Err(ActivityError::NextActionMissing);
        }
        return Ok(());
    }
    if a.next_owner_id.is_none() {
        return Err(ActivityError::NextOwnerMissing);
    }
    match a.next_due {
        None => Err(ActivityError::NextDueMissing),
        Some(d) if d < a.at.local_date(offset) => Err(ActivityError::NextDueBeforeActivity),
        Some(_) => Ok(()),
    }
}

/// Where an open follow-up task is listed on "My tasks".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TaskBucket {
    Overdue,
    Today,
    Upcoming,
    /// Open with no due date.
    Unscheduled,
}

impl TaskBucket {
    pub fn code(self) -> &'static str {
        match self {
            TaskBucket::Overdue => "overdue",
            TaskBucket::Today => "today",
            TaskBucket::Upcoming => "upcoming",
            TaskBucket::Unscheduled => "unscheduled",
        }
    }
}

/// `None` for a done task: it leaves the list whatever its date.
pub fn task_bucket(due: Option<NaiveDate>, done: bool, today: NaiveDate) -> Option<TaskBucket> {
    if done {
        return None;
    }
    Some(match due {
        None => TaskBucket::Unscheduled,
        Some(d) if d < today => TaskBucket::Overdue,
        Some(d) if d == today => TaskBucket::Today,
        Some(_) => TaskBucket::Upcoming,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// RFC 3339 instant, e.g. "2027-05-10T09:00:00+08:00".
    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn beijing() -> FixedOffset {
        FixedOffset::east_opt(8 * 3600).unwrap()
    }

    #[test]
    fn kind_codes_round_trip() {
        for k in ActivityKind::ALL {
            assert_eq!(ActivityKind::parse(k.code()), Some(k));
            assert!(!k.label(Locale::En).is_empty() && !k.label(Locale::ZhCn).is_empty());
        }
        assert_eq!(ActivityKind::parse("meeting"), None);
    }

    #[test]
    fn late_rule_table() {
        let bj = beijing();
        let utc = FixedOffset::east_opt(0).unwrap();
        type Case = (&'static str, ActivityAt, &'static str, FixedOffset, bool);
        let cases: &[Case] = &[
            // With a time: late once more than 24 h have passed.
            ("same day", ActivityAt::Time(t("2027-05-10T09:00:00+08:00")), "2027-05-10T18:00:00+08:00", bj, false),
            ("exactly 24 h", ActivityAt::Time(t("2027-05-10T09:00:00+08:00")), "2027-05-11T09:00:00+08:00", bj, false),
            ("24 h and a second", ActivityAt::Time(t("2027-05-10T09:00:00+08:00")), "2027-05-11T09:00:01+08:00", bj, true),
            ("next evening", ActivityAt::Time(t("2027-05-10T09:00:00+08:00")), "2027-05-11T20:00:00+08:00", bj, true),
            ("recorded before it happened", ActivityAt::Time(t("2027-05-10T09:00:00+08:00")), "2027-05-09T09:00:00+08:00", bj, false),
            // The offset plays no part for an instant.
            ("instant, other offset", ActivityAt::Time(t("2027-05-10T09:00:00+08:00")), "2027-05-11T09:00:01+08:00", utc, true),
            // Only a day: 24 h from the end of that local day, i.e. until the next day's midnight.
            ("day, next morning", ActivityAt::Day(day("2027-05-10")), "2027-05-11T09:00:00+08:00", bj, false),
            ("day, end of next day", ActivityAt::Day(day("2027-05-10")), "2027-05-12T00:00:00+08:00", bj, false),
            ("day, a second later", ActivityAt::Day(day("2027-05-10")), "2027-05-12T00:00:01+08:00", bj, true),
            ("day, two days on", ActivityAt::Day(day("2027-05-10")), "2027-05-12T10:00:00+08:00", bj, true),
            // 2027-05-12 00:30 in Beijing is still 05-11 in UTC: the team's offset decides.
            ("day, Beijing midnight passed", ActivityAt::Day(day("2027-05-10")), "2027-05-11T16:30:00Z", bj, true),
            ("day, same instant in a UTC team", ActivityAt::Day(day("2027-05-10")), "2027-05-11T16:30:00Z", utc, false),
        ];
        for (what, at, rec, offset, want) in cases {
            assert_eq!(is_late(*at, t(rec), *offset), *want, "{what}");
        }
    }

    #[test]
    fn deadlines() {
        let bj = beijing();
        assert_eq!(ActivityAt::Day(day("2027-05-10")).entry_deadline(bj), t("2027-05-12T00:00:00+08:00"));
        assert_eq!(ActivityAt::Time(t("2027-05-10T23:59:00+08:00")).entry_deadline(bj), t("2027-05-11T23:59:00+08:00"));
        assert_eq!(ActivityAt::Day(NaiveDate::MAX).entry_deadline(bj), DateTime::<Utc>::MAX_UTC);
        assert_eq!(ActivityAt::Time(t("2027-05-10T23:30:00Z")).local_date(bj), day("2027-05-11"));
    }

    #[test]
    fn late_counted_per_rep() {
        let bj = beijing();
        let at = ActivityAt::Time(t("2027-05-10T09:00:00+08:00"));
        let on_time = t("2027-05-10T12:00:00+08:00");
        let late = t("2027-05-13T12:00:00+08:00");
        let got = late_by_rep(
            [(7, at, on_time), (3, at, late), (7, at, late), (7, at, on_time), (3, ActivityAt::Day(day("2027-05-10")), on_time)],
            bj,
        );
        assert_eq!(got, [LateCount { rep_id: 3, late: 1, total: 2 }, LateCount { rep_id: 7, late: 1, total: 3 }]);
        assert!(late_by_rep([], bj).is_empty());
    }

    fn ok() -> Activity {
        Activity {
            kind: ActivityKind::Revisit,
            at: ActivityAt::Day(day("2027-03-20")),
            recorded_at: t("2027-03-20T17:00:00+08:00"),
            summary: "Runs stable; wants data export".into(),
            satisfaction: Some(4),
            next_action: Some("Product team to assess export".into()),
            next_owner_id: Some(5),
            next_due: Some(day("2027-04-20")),
        }
    }

    #[test]
    fn validate_table() {
        let bj = beijing();
        let with = |f: &dyn Fn(&mut Activity)| {
            let mut a = ok();
            f(&mut a);
            a
        };
        use ActivityError as E;
        let cases: Vec<(&str, Activity, Result<(), ActivityError>)> = vec![
            ("seed 003 table 7 row", ok(), Ok(())),
            ("no satisfaction given", with(&|a| a.satisfaction = None), Ok(())),
            ("satisfaction 1", with(&|a| a.satisfaction = Some(1)), Ok(())),
            ("satisfaction 5", with(&|a| a.satisfaction = Some(5)), Ok(())),
            ("satisfaction 0", with(&|a| a.satisfaction = Some(0)), Err(E::SatisfactionOutOfRange(0))),
            ("satisfaction 6", with(&|a| a.satisfaction = Some(6)), Err(E::SatisfactionOutOfRange(6))),
            ("blank summary", with(&|a| a.summary = " \n".into()), Err(E::BlankSummary)),
            (
                "no follow-up at all",
                with(&|a| {
                    a.next_action = None;
                    a.next_owner_id = None;
                    a.next_due = None;
                }),
                Ok(()),
            ),
            ("owner without action", with(&|a| a.next_action = Some("  ".into())), Err(E::NextActionMissing)),
            ("action without owner", with(&|a| a.next_owner_id = None), Err(E::NextOwnerMissing)),
            ("action without date", with(&|a| a.next_due = None), Err(E::NextDueMissing)),
            ("follow-up due the same day", with(&|a| a.next_due = Some(day("2027-03-20"))), Ok(())),
            ("follow-up due before", with(&|a| a.next_due = Some(day("2027-03-19"))), Err(E::NextDueBeforeActivity)),
            ("dated tomorrow", with(&|a| a.at = ActivityAt::Day(day("2027-03-21"))), Err(E::InFuture)),
            ("timed an hour ahead", with(&|a| a.at = ActivityAt::Time(t("2027-03-20T18:00:00+08:00"))), Err(E::InFuture)),
            ("timed this morning", with(&|a| a.at = ActivityAt::Time(t("2027-03-20T09:00:00+08:00"))), Ok(())),
            ("recorded late is still valid", with(&|a| a.recorded_at = t("2027-04-01T09:00:00+08:00")), Ok(())),
        ];
        for (what, a, want) in cases {
            assert_eq!(validate(&a, bj), want, "{what}");
        }
    }

    #[test]
    fn error_fields_and_messages() {
        use ActivityError as E;
        for (e, field) in [
            (E::BlankSummary, "summary"),
            (E::SatisfactionOutOfRange(9), "satisfaction"),
            (E::NextActionMissing, "next_action"),
            (E::NextOwnerMissing, "next_owner_id"),
            (E::NextDueMissing, "next_due"),
            (E::NextDueBeforeActivity, "next_due"),
            (E::InFuture, "at"),
        ] {
            assert_eq!(e.field(), field);
            assert!(!e.message(Locale::En).is_empty() && !e.message(Locale::ZhCn).is_empty());
        }
        assert_eq!(E::SatisfactionOutOfRange(9).message(Locale::En), "Satisfaction must be 1–5, not 9.");
    }

    #[test]
    fn task_buckets() {
        let today = day("2027-05-10");
        for (due, done, want) in [
            (Some("2027-05-09"), false, Some(TaskBucket::Overdue)),
            (Some("2026-01-01"), false, Some(TaskBucket::Overdue)),
            (Some("2027-05-10"), false, Some(TaskBucket::Today)),
            (Some("2027-05-11"), false, Some(TaskBucket::Upcoming)),
            (None, false, Some(TaskBucket::Unscheduled)),
            (Some("2027-05-09"), true, None),
            (Some("2027-05-10"), true, None),
            (None, true, None),
        ] {
            assert_eq!(task_bucket(due.map(day), done, today), want, "{due:?} done={done}");
        }
        assert_eq!(TaskBucket::Overdue.code(), "overdue");
    }
}
