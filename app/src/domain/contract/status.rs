//! The contract lifecycle:
//!
//! ```text
//! draft ─submit→ in_review ─(every step approves)→ approved ─sign→ signed ─(its amendment signed)→ superseded
//!   ↑                 │                               │
//!   └─reject/withdraw─┴───────────withdraw──────────┘
//! ```
//!
//! A rejection at any step, or the drafter withdrawing, returns the contract to draft; the
//! next submission starts the chain again from its first step. The signed contract is
//! locked: it changes only by an amendment, a new version that takes the whole way from
//! draft to signed and then supersedes it.
use crate::domain::error::AppError;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContractStatus {
    Draft,
    InReview,
    Approved,
    Signed,
    /// Replaced by its signed amendment; its receipts moved there.
    Superseded,
}

impl ContractStatus {
    pub const ALL: [ContractStatus; 5] = [Self::Draft, Self::InReview, Self::Approved, Self::Signed, Self::Superseded];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::InReview => "in_review",
            Self::Approved => "approved",
            Self::Signed => "signed",
            Self::Superseded => "superseded",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == code)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContractAction {
    Edit,
    Submit,
    Withdraw,
    /// A step approves; the chain decides whether the contract is approved yet.
    Approve {
        last: bool,
    },
    Reject,
    Sign,
    Receive,
    /// Start an amendment of a signed contract (the contract itself stays signed).
    Amend,
    /// Its amendment was signed.
    Supersede,
}

/// The status after `action`, or a conflict naming what the status allows.
pub fn next(from: ContractStatus, action: ContractAction) -> Result<ContractStatus, AppError> {
    use ContractAction as A;
    use ContractStatus as S;
    let to = match (from, action) {
        (S::Draft, A::Edit) => S::Draft,
        (S::Draft, A::Submit) => S::InReview,
        (S::InReview, A::Withdraw | A::Reject) => S::Draft,
        // An approved contract not signed yet can be taken back to change it (then the whole chain again).
        (S::Approved, A::Withdraw) => S::Draft,
        (S::InReview, A::Approve { last: false }) => S::InReview,
        (S::InReview, A::Approve { last: true }) => S::Approved,
        (S::Approved, A::Sign) => S::Signed,
        (S::Signed, A::Receive | A::Amend) => S::Signed,
        (S::Signed, A::Supersede) => S::Superseded,
        (from, action) => {
            let what = match action {
                A::Edit => "only a draft can be edited",
                A::Submit => "only a draft can be submitted",
                A::Withdraw => "only a contract in review or approved and unsigned can be withdrawn",
                A::Approve { .. } | A::Reject => "the contract is not in review",
                A::Sign => "only an approved contract can be signed",
                A::Receive => "receipts are recorded against a signed contract",
                A::Amend => "only a signed contract is amended; change a draft directly",
                A::Supersede => "only a signed contract is superseded",
            };
            return Err(AppError::validation("status", format!("{what} (it is {})", from.as_str())));
        }
    };
    Ok(to)
}

/// What a milestone pays for (seed 003: 首付款, 到货款, 验收款, 质保金).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MilestoneKind {
    DownPayment,
    OnDelivery,
    OnAcceptance,
    Retention,
    Other,
}

impl MilestoneKind {
    pub const ALL: [MilestoneKind; 5] = [Self::DownPayment, Self::OnDelivery, Self::OnAcceptance, Self::Retention, Self::Other];

    pub const fn code(self) -> &'static str {
        match self {
            Self::DownPayment => "down_payment",
            Self::OnDelivery => "on_delivery",
            Self::OnAcceptance => "on_acceptance",
            Self::Retention => "retention",
            Self::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// How the contract was signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignMethod {
    Paper,
    ESeal,
}

impl SignMethod {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Paper => "paper",
            Self::ESeal => "e_seal",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Paper, Self::ESeal].into_iter().find(|m| m.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ContractAction as A;
    use ContractStatus as S;

    /// Every status × action: the table of the lifecycle drawing above.
    #[test]
    fn every_status_and_action() {
        let actions = [
            A::Edit,
            A::Submit,
            A::Withdraw,
            A::Approve { last: false },
            A::Approve { last: true },
            A::Reject,
            A::Sign,
            A::Receive,
            A::Amend,
            A::Supersede,
        ];
        let table: [(S, [Option<S>; 10]); 5] = [
            (S::Draft, [Some(S::Draft), Some(S::InReview), None, None, None, None, None, None, None, None]),
            (S::InReview, [None, None, Some(S::Draft), Some(S::InReview), Some(S::Approved), Some(S::Draft), None, None, None, None]),
            (S::Approved, [None, None, Some(S::Draft), None, None, None, Some(S::Signed), None, None, None]),
            (S::Signed, [None, None, None, None, None, None, None, Some(S::Signed), Some(S::Signed), Some(S::Superseded)]),
            (S::Superseded, [None; 10]),
        ];
        for (from, want) in table {
            for (a, w) in actions.iter().zip(want) {
                assert_eq!(next(from, *a).ok(), w, "{from:?} {a:?}");
            }
        }
    }

    #[test]
    fn codes_round_trip() {
        for s in ContractStatus::ALL {
            assert_eq!(ContractStatus::parse(s.as_str()), Some(s));
        }
        for k in MilestoneKind::ALL {
            assert_eq!(MilestoneKind::parse(k.code()), Some(k));
        }
        assert_eq!(SignMethod::parse("e_seal"), Some(SignMethod::ESeal));
        assert_eq!(ContractStatus::parse("nope"), None);
    }
}
