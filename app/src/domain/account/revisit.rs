//! Revisits (客户回访记录表, seed 003 table 7): what a revisit must say, and when the account
//! is next due once it is recorded. Pure: the service stores, this decides.
use super::cadence::{next_due, Cadence};
use super::Grade;
use crate::domain::locale::Locale;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How the customer was reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Visit,
    Phone,
    Video,
    Email,
    Other,
}

impl Channel {
    pub const ALL: [Channel; 5] = [Self::Visit, Self::Phone, Self::Video, Self::Email, Self::Other];

    pub const fn code(self) -> &'static str {
        match self {
            Self::Visit => "visit",
            Self::Phone => "phone",
            Self::Video => "video",
            Self::Email => "email",
            Self::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    pub const fn name(self, locale: Locale) -> &'static str {
        match (self, locale) {
            (Self::Visit, Locale::ZhCn) => "上门拜访",
            (Self::Phone, Locale::ZhCn) => "电话",
            (Self::Video, Locale::ZhCn) => "视频会议",
            (Self::Email, Locale::ZhCn) => "邮件",
            (Self::Other, Locale::ZhCn) => "其他",
            (Self::Visit, Locale::En) => "Visit",
            (Self::Phone, Locale::En) => "Phone",
            (Self::Video, Locale::En) => "Video call",
            (Self::Email, Locale::En) => "E-mail",
            (Self::Other, Locale::En) => "Other",
        }
    }
}

pub const FEEDBACK_MAX: usize = 4000;
pub const TEXT_MAX: usize = 2000;
pub const CONTACT_MAX: usize = 100;
/// A revisit may be recorded up to a year after it happened; older ones are history, not
/// relationship maintenance.
pub const BACKDATE_DAYS_MAX: i64 = 366;

/// A revisit as the form and REST send it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisitInput {
    pub visited_on: NaiveDate,
    pub channel: Channel,
    #[serde(default)]
    pub contact_name: Option<String>,
    pub feedback: String,
    pub satisfaction: u8,
    #[serde(default)]
    pub new_needs: Option<String>,
    #[serde(default)]
    pub follow_up: Option<String>,
    /// The follow-up's owner (a user id); the visitor when left out.
    #[serde(default)]
    pub follow_up_owner: Option<uuid::Uuid>,
    #[serde(default)]
    pub follow_up_due: Option<NaiveDate>,
    /// When the next visit is planned; the cadence's due date when left out.
    #[serde(default)]
    pub next_visit_on: Option<NaiveDate>,
    /// The delivery follow-up this revisit records, with whether acceptance was confirmed.
    #[serde(default)]
    pub follow_up_of: Option<uuid::Uuid>,
    #[serde(default)]
    pub accepted: Option<bool>,
}

/// Why a revisit cannot be recorded; each names its form field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RevisitError {
    InFuture,
    TooOld,
    FeedbackMissing,
    TooLong { field: &'static str, max: usize },
    Satisfaction(u8),
    FollowUpWithoutDue,
    DueWithoutFollowUp,
    FollowUpDueBeforeVisit,
    NextVisitNotAfter,
    NextVisitTooFar,
    AcceptanceMissing,
}

impl RevisitError {
    pub const fn field(&self) -> &'static str {
        match self {
            Self::InFuture | Self::TooOld => "visited_on",
            Self::FeedbackMissing => "feedback",
            Self::TooLong { field, .. } => field,
            Self::Satisfaction(_) => "satisfaction",
            Self::FollowUpWithoutDue | Self::FollowUpDueBeforeVisit => "follow_up_due",
            Self::DueWithoutFollowUp => "follow_up",
            Self::NextVisitNotAfter | Self::NextVisitTooFar => "next_visit_on",
            Self::AcceptanceMissing => "accepted",
        }
    }

    pub fn message(&self, locale: Locale) -> String {
        let zh = locale == Locale::ZhCn;
        match self {
            Self::InFuture if zh => "回访日期不能晚于今天。".into(),
            Self::InFuture => "A revisit cannot be dated after today.".into(),
            Self::TooOld if zh => format!("回访日期不能早于 {BACKDATE_DAYS_MAX} 天前。"),
            Self::TooOld => format!("A revisit can be recorded at most {BACKDATE_DAYS_MAX} days after it happened."),
            Self::FeedbackMissing if zh => "请填写客户反馈。".into(),
            Self::FeedbackMissing => "Say what the customer said.".into(),
            Self::TooLong { max, .. } if zh => format!("最多 {max} 个字符。"),
            Self::TooLong { max, .. } => format!("At most {max} characters."),
            Self::Satisfaction(v) if zh => format!("满意度须为 1–5 分（现为 {v}）。"),
            Self::Satisfaction(v) => format!("Satisfaction must be 1–5, not {v}."),
            Self::FollowUpWithoutDue if zh => "后续行动需要截止日期。".into(),
            Self::FollowUpWithoutDue => "A follow-up action needs a due date.".into(),
            Self::DueWithoutFollowUp if zh => "有截止日期时请写明后续行动。".into(),
            Self::DueWithoutFollowUp => "Say what the follow-up is, or clear its due date.".into(),
            Self::FollowUpDueBeforeVisit if zh => "后续行动的截止日期不能早于回访日期。".into(),
            Self::FollowUpDueBeforeVisit => "The follow-up cannot be due before the revisit.".into(),
            Self::NextVisitNotAfter if zh => "下次回访须晚于本次回访。".into(),
            Self::NextVisitNotAfter => "The next visit must come after this one.".into(),
            Self::NextVisitTooFar if zh => "下次回访最多安排在两年内。".into(),
            Self::NextVisitTooFar => "Plan the next visit within two years.".into(),
            Self::AcceptanceMissing if zh => "交付回访须记录客户是否确认验收。".into(),
            Self::AcceptanceMissing => "A delivery follow-up records whether the customer confirmed acceptance.".into(),
        }
    }
}

fn too_long(field: &'static str, text: Option<&str>, max: usize) -> Result<(), RevisitError> {
    if text.is_some_and(|t| t.trim().chars().count() > max) {
        return Err(RevisitError::TooLong { field, max });
    }
    Ok(())
}

/// Checks a revisit recorded on `today` (the organisation's day).
pub fn check(r: &RevisitInput, today: NaiveDate) -> Result<(), RevisitError> {
    if r.visited_on > today {
        return Err(RevisitError::InFuture);
    }
    if (today - r.visited_on).num_days() > BACKDATE_DAYS_MAX {
        return Err(RevisitError::TooOld);
    }
    if r.feedback.trim().is_empty() {
        return Err(RevisitError::FeedbackMissing);
    }
    too_long("feedback", Some(&r.feedback), FEEDBACK_MAX)?;
    too_long("contact_name", r.contact_name.as_deref(), CONTACT_MAX)?;
    too_long("new_needs", r.new_needs.as_deref(), TEXT_MAX)?;
    too_long("follow_up", r.follow_up.as_deref(), TEXT_MAX)?;
    if !(1..=5).contains(&r.satisfaction) {
        return Err(RevisitError::Satisfaction(r.satisfaction));
    }
    let follow_up = r.follow_up.as_deref().is_some_and(|f| !f.trim().is_empty());
    match (follow_up, r.follow_up_due) {
        (true, None) => return Err(RevisitError::FollowUpWithoutDue),
        (false, Some(_)) => return Err(RevisitError::DueWithoutFollowUp),
        (true, Some(d)) if d < r.visited_on => return Err(RevisitError::FollowUpDueBeforeVisit),
        _ => {}
    }
    if let Some(n) = r.next_visit_on {
        if n <= r.visited_on {
            return Err(RevisitError::NextVisitNotAfter);
        }
        if (n - r.visited_on).num_days() > 731 {
            return Err(RevisitError::NextVisitTooFar);
        }
    }
    if r.follow_up_of.is_some() && r.accepted.is_none() {
        return Err(RevisitError::AcceptanceMissing);
    }
    Ok(())
}

/// When the account is next due after its last contact: the cadence's date, or a planned
/// visit if that comes sooner. A visit planned later than the cadence allows does not push
/// the account out of "overdue" — the cadence is the team's promise, the plan only a wish.
pub fn next_contact(
    grade: Option<Grade>,
    last_contact: Option<NaiveDate>,
    created: NaiveDate,
    planned: Option<NaiveDate>,
    cadence: &Cadence,
) -> Option<NaiveDate> {
    let by_cadence = grade.and_then(|g| next_due(g, last_contact, created, cadence));
    // A plan made before the last contact has been overtaken by it.
    let planned = planned.filter(|p| last_contact.is_none_or(|l| *p > l));
    match (by_cadence, planned) {
        (Some(c), Some(p)) => Some(c.min(p)),
        (c, p) => c.or(p),
    }
}

/// The next visit the form proposes: the cadence's date after this revisit.
pub fn proposed_next_visit(grade: Option<Grade>, visited_on: NaiveDate, cadence: &Cadence) -> Option<NaiveDate> {
    grade.and_then(|g| next_due(g, Some(visited_on), visited_on, cadence))
}

/// A satisfaction trend in words: the mean of the last three revisits against the three
/// before them (oldest first in `scores`). `None` with fewer than four scores.
pub fn trend(scores: &[u8]) -> Option<std::cmp::Ordering> {
    if scores.len() < 4 {
        return None;
    }
    let n = scores.len();
    let recent = &scores[n.saturating_sub(3)..];
    let before = &scores[n.saturating_sub(6)..n - 3];
    // Compare sums scaled to the other side's length, so no division rounds the answer.
    let r: u32 = recent.iter().map(|&s| u32::from(s)).sum::<u32>() * before.len() as u32;
    let b: u32 = before.iter().map(|&s| u32::from(s)).sum::<u32>() * recent.len() as u32;
    Some(r.cmp(&b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Ordering;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn base() -> RevisitInput {
        RevisitInput {
            visited_on: d(2026, 12, 1),
            channel: Channel::Visit,
            contact_name: Some("王总".into()),
            feedback: "系统运行稳定".into(),
            satisfaction: 4,
            new_needs: None,
            follow_up: None,
            follow_up_owner: None,
            follow_up_due: None,
            next_visit_on: None,
            follow_up_of: None,
            accepted: None,
        }
    }

    #[test]
    fn what_a_revisit_must_say() {
        let today = d(2026, 12, 6);
        let with = |f: &dyn Fn(&mut RevisitInput)| {
            let mut r = base();
            f(&mut r);
            r
        };
        let cases: Vec<(&str, RevisitInput, Result<(), &str>)> = vec![
            ("complete", base(), Ok(())),
            ("today", with(&|r| r.visited_on = today), Ok(())),
            ("tomorrow", with(&|r| r.visited_on = d(2026, 12, 7)), Err("visited_on")),
            ("a year back", with(&|r| r.visited_on = d(2025, 12, 5)), Ok(())),
            ("too old", with(&|r| r.visited_on = d(2025, 12, 4)), Err("visited_on")),
            ("blank feedback", with(&|r| r.feedback = "  ".into()), Err("feedback")),
            ("long feedback", with(&|r| r.feedback = "字".repeat(FEEDBACK_MAX + 1)), Err("feedback")),
            ("feedback at the limit", with(&|r| r.feedback = "字".repeat(FEEDBACK_MAX)), Ok(())),
            ("long contact", with(&|r| r.contact_name = Some("x".repeat(CONTACT_MAX + 1))), Err("contact_name")),
            ("long need", with(&|r| r.new_needs = Some("x".repeat(TEXT_MAX + 1))), Err("new_needs")),
            ("satisfaction 0", with(&|r| r.satisfaction = 0), Err("satisfaction")),
            ("satisfaction 6", with(&|r| r.satisfaction = 6), Err("satisfaction")),
            ("satisfaction 1", with(&|r| r.satisfaction = 1), Ok(())),
            ("follow-up without due", with(&|r| r.follow_up = Some("寄方案".into())), Err("follow_up_due")),
            ("due without follow-up", with(&|r| r.follow_up_due = Some(d(2026, 12, 9))), Err("follow_up")),
            (
                "follow-up before visit",
                with(&|r| {
                    r.follow_up = Some("寄方案".into());
                    r.follow_up_due = Some(d(2026, 11, 30));
                }),
                Err("follow_up_due"),
            ),
            (
                "follow-up on the day",
                with(&|r| {
                    r.follow_up = Some("寄方案".into());
                    r.follow_up_due = Some(d(2026, 12, 1));
                }),
                Ok(()),
            ),
            ("blank follow-up is none", with(&|r| r.follow_up = Some(" ".into())), Ok(())),
            ("next visit same day", with(&|r| r.next_visit_on = Some(d(2026, 12, 1))), Err("next_visit_on")),
            ("next visit next day", with(&|r| r.next_visit_on = Some(d(2026, 12, 2))), Ok(())),
            ("next visit in three years", with(&|r| r.next_visit_on = Some(d(2029, 12, 1))), Err("next_visit_on")),
            ("delivery follow-up without acceptance", with(&|r| r.follow_up_of = Some(uuid::Uuid::nil())), Err("accepted")),
            (
                "delivery follow-up accepted",
                with(&|r| {
                    r.follow_up_of = Some(uuid::Uuid::nil());
                    r.accepted = Some(false);
                }),
                Ok(()),
            ),
        ];
        for (name, r, want) in cases {
            let got = check(&r, today).map_err(|e| e.field());
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    fn every_error_speaks_both_languages() {
        let all = [
            RevisitError::InFuture,
            RevisitError::TooOld,
            RevisitError::FeedbackMissing,
            RevisitError::TooLong { field: "feedback", max: 4 },
            RevisitError::Satisfaction(9),
            RevisitError::FollowUpWithoutDue,
            RevisitError::DueWithoutFollowUp,
            RevisitError::FollowUpDueBeforeVisit,
            RevisitError::NextVisitNotAfter,
            RevisitError::NextVisitTooFar,
            RevisitError::AcceptanceMissing,
        ];
        for e in all {
            let (zh, en) = (e.message(Locale::ZhCn), e.message(Locale::En));
            assert!(!zh.is_empty() && !en.is_empty() && zh != en, "{e:?}");
            assert!(!zh.is_ascii(), "{e:?} zh");
        }
    }

    #[test]
    fn next_contact_takes_the_sooner_of_cadence_and_plan() {
        let c = Cadence::default();
        let created = d(2026, 1, 10);
        let cases = [
            ("A, never contacted: a month after creation", Some(Grade::A), None, None, Some(d(2026, 2, 10))),
            ("A, contacted 31 Oct", Some(Grade::A), Some(d(2026, 10, 31)), None, Some(d(2026, 11, 30))),
            ("B, plan sooner than the quarter", Some(Grade::B), Some(d(2026, 10, 1)), Some(d(2026, 11, 15)), Some(d(2026, 11, 15))),
            ("B, plan later than the quarter", Some(Grade::B), Some(d(2026, 10, 1)), Some(d(2027, 3, 1)), Some(d(2027, 1, 1))),
            ("C, half a year", Some(Grade::C), Some(d(2026, 6, 30)), None, Some(d(2026, 12, 30))),
            ("D: campaigns only", Some(Grade::D), Some(d(2026, 6, 30)), None, None),
            ("D with a plan", Some(Grade::D), Some(d(2026, 6, 30)), Some(d(2026, 9, 1)), Some(d(2026, 9, 1))),
            ("ungraded, no plan", None, Some(d(2026, 6, 30)), None, None),
            ("ungraded with a plan", None, None, Some(d(2026, 9, 1)), Some(d(2026, 9, 1))),
            ("a plan overtaken by a later contact", Some(Grade::D), Some(d(2026, 9, 2)), Some(d(2026, 9, 1)), None),
        ];
        for (name, grade, last, planned, want) in cases {
            assert_eq!(next_contact(grade, last, created, planned, &c), want, "{name}");
        }
        assert_eq!(proposed_next_visit(Some(Grade::A), d(2027, 1, 31), &c), Some(d(2027, 2, 28)));
        assert_eq!(proposed_next_visit(Some(Grade::D), d(2027, 1, 31), &c), None);
        assert_eq!(proposed_next_visit(None, d(2027, 1, 31), &c), None);
    }

    #[test]
    fn satisfaction_trend() {
        let cases: [(&[u8], Option<Ordering>); 6] = [
            (&[], None),
            (&[5, 4, 3], None),
            (&[3, 4, 4, 5], Some(Ordering::Greater)),
            (&[5, 5, 5, 4, 4, 4], Some(Ordering::Less)),
            (&[1, 4, 4, 4, 4, 4, 4], Some(Ordering::Equal)),
            (&[2, 2, 2, 2, 3, 1], Some(Ordering::Equal)),
        ];
        for (scores, want) in cases {
            assert_eq!(trend(scores), want, "{scores:?}");
        }
    }
}
