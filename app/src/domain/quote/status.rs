//! The quote lifecycle:
//!
//! ```text
//! draft ─submit→ submitted ─approve→ approved ─send→ sent ─accept→ accepted
//!   ↑                 └─reject→ rejected          └─decline→ declined
//!   └──────edit─────────────────────┘
//! ```
//!
//! Revise (from submitted, approved, rejected, sent, declined or expired) supersedes the quote: the
//! old version becomes `superseded` and a new version starts as `draft`. Accepted and superseded
//! are final. Expired is derived from the validity date ([`effective`]), never stored, and
//! [`next`] expects the effective status, so an expired quote can only be revised.
use crate::domain::error::AppError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteStatus {
    Draft,
    Submitted,
    Approved,
    Rejected,
    Sent,
    Accepted,
    Declined,
    Expired,
    Superseded,
}

impl QuoteStatus {
    pub const ALL: [QuoteStatus; 9] = [
        Self::Draft,
        Self::Submitted,
        Self::Approved,
        Self::Rejected,
        Self::Sent,
        Self::Accepted,
        Self::Declined,
        Self::Expired,
        Self::Superseded,
    ];

    /// The stored code (same as the serde name).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Approved => "approved",
            Self::Rejected => "rejected",
            Self::Sent => "sent",
            Self::Accepted => "accepted",
            Self::Declined => "declined",
            Self::Expired => "expired",
            Self::Superseded => "superseded",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == code)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuoteAction {
    Edit,
    Submit,
    Approve,
    Reject,
    Send,
    Accept,
    Decline,
    Revise,
}

impl QuoteAction {
    pub const ALL: [QuoteAction; 8] =
        [Self::Edit, Self::Submit, Self::Approve, Self::Reject, Self::Send, Self::Accept, Self::Decline, Self::Revise];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Edit => "edit",
            Self::Submit => "submit",
            Self::Approve => "approve",
            Self::Reject => "reject",
            Self::Send => "send",
            Self::Accept => "accept",
            Self::Decline => "decline",
            Self::Revise => "revise",
        }
    }
}

/// The status after `action` on a quote whose *effective* status is `status`. For `Revise` it is
/// the old version's status (superseded); the new version starts as draft.
pub fn next(status: QuoteStatus, action: QuoteAction) -> Result<QuoteStatus, AppError> {
    use QuoteAction as A;
    use QuoteStatus as S;
    match (status, action) {
        (S::Draft, A::Edit) | (S::Rejected, A::Edit) => Ok(S::Draft),
        (S::Draft, A::Submit) => Ok(S::Submitted),
        (S::Submitted, A::Approve) => Ok(S::Approved),
        (S::Submitted, A::Reject) => Ok(S::Rejected),
        (S::Approved, A::Send) => Ok(S::Sent),
        (S::Sent, A::Accept) => Ok(S::Accepted),
        (S::Sent, A::Decline) => Ok(S::Declined),
        (S::Submitted | S::Approved | S::Rejected | S::Sent | S::Declined | S::Expired, A::Revise) => Ok(S::Superseded),
        _ => {
            let code = status.as_str();
            // "an approved quote", "a draft quote": the message is shown as is until translated.
            let article = if code.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
            Err(AppError::validation("status", format!("cannot {} {article} {code} quote", action.as_str())))
        }
    }
}

/// Whether lines and terms are frozen: everything but a draft or a rejected quote (which reopens
/// as a draft when edited). A change to a locked quote is made on a new revision.
pub fn locked(status: QuoteStatus) -> bool {
    !matches!(status, QuoteStatus::Draft | QuoteStatus::Rejected)
}

/// The status to show and act on: a quote still in flight (submitted, approved, sent) expires the
/// day after `valid_until`. Derived rather than stored so no daily job is needed to flip rows.
pub fn effective(stored: QuoteStatus, valid_until: NaiveDate, today: NaiveDate) -> QuoteStatus {
    match stored {
        QuoteStatus::Submitted | QuoteStatus::Approved | QuoteStatus::Sent if today > valid_until => QuoteStatus::Expired,
        other => other,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use QuoteAction::*;
    use QuoteStatus::*;

    #[test]
    fn codes_round_trip() {
        for s in QuoteStatus::ALL {
            assert_eq!(QuoteStatus::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.as_str()));
        }
        for a in QuoteAction::ALL {
            assert_eq!(serde_json::to_string(&a).unwrap(), format!("\"{}\"", a.as_str()));
        }
        for bad in ["", "Draft", "DRAFT", " draft", "pending"] {
            assert_eq!(QuoteStatus::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn every_transition() {
        // One row per status, one column per action, in `QuoteAction::ALL` order:
        //                Edit         Submit           Approve         Reject          Send        Accept          Decline         Revise
        #[rustfmt::skip]
        let table: [(QuoteStatus, [Option<QuoteStatus>; 8]); 9] = [
            (Draft,      [Some(Draft), Some(Submitted), None,           None,           None,       None,           None,           None]),
            (Submitted,  [None,        None,            Some(Approved), Some(Rejected), None,       None,           None,           Some(Superseded)]),
            (Approved,   [None,        None,            None,           None,           Some(Sent), None,           None,           Some(Superseded)]),
            (Rejected,   [Some(Draft), None,            None,           None,           None,       None,           None,           Some(Superseded)]),
            (Sent,       [None,        None,            None,           None,           None,       Some(Accepted), Some(Declined), Some(Superseded)]),
            (Accepted,   [None,        None,            None,           None,           None,       None,           None,           None]),
            (Declined,   [None,        None,            None,           None,           None,       None,           None,           Some(Superseded)]),
            (Expired,    [None,        None,            None,           None,           None,       None,           None,           Some(Superseded)]),
            (Superseded, [None,        None,            None,           None,           None,       None,           None,           None]),
        ];
        for (status, row) in table {
            for (action, want) in QuoteAction::ALL.into_iter().zip(row) {
                match (next(status, action), want) {
                    (Ok(got), Some(w)) => assert_eq!(got, w, "{status:?} {action:?}"),
                    (Err(AppError::Validation { field, .. }), None) => assert_eq!(field, "status"),
                    (got, w) => panic!("{status:?} {action:?}: got {got:?}, want {w:?}"),
                }
            }
        }
    }

    #[test]
    fn refusal_messages() {
        for (status, action, want) in [
            (Draft, Send, "cannot send a draft quote"),
            (Approved, Approve, "cannot approve an approved quote"),
            (Accepted, Revise, "cannot revise an accepted quote"),
            (Expired, Accept, "cannot accept an expired quote"),
            (Superseded, Edit, "cannot edit a superseded quote"),
        ] {
            assert_eq!(next(status, action), Err(AppError::validation("status", want)));
        }
    }

    #[test]
    fn locking() {
        for (status, want) in [
            (Draft, false),
            (Rejected, false),
            (Submitted, true),
            (Approved, true),
            (Sent, true),
            (Accepted, true),
            (Declined, true),
            (Expired, true),
            (Superseded, true),
        ] {
            assert_eq!(locked(status), want, "{status:?}");
        }
    }

    #[test]
    fn expiry_is_derived() {
        let d = |day| NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
        let until = d(15);
        for (stored, today, want) in [
            (Submitted, d(15), Submitted), // the last valid day
            (Submitted, d(16), Expired),
            (Approved, d(14), Approved),
            (Approved, d(16), Expired),
            (Sent, d(15), Sent),
            (Sent, d(31), Expired),
            (Draft, d(31), Draft), // a draft has no offer out yet
            (Rejected, d(31), Rejected),
            (Accepted, d(31), Accepted),
            (Declined, d(31), Declined),
            (Superseded, d(31), Superseded),
            (Expired, d(1), Expired),
        ] {
            assert_eq!(effective(stored, until, today), want, "{stored:?} on {today}");
        }
    }
}
