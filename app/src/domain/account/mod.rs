//! Accounts (客户): grading by how soon they can close, the contact cadence that follows
//! from the grade, a rep's monthly capacity, and the target-market filter (seeds 000, 003).
//! Pure rules, no I/O: services store the answers and dates, these decide.
//!
//! - [`grading`]: seed 000's A/B/C/D questionnaire, the suggested grade and why, overrides.
//! - [`cadence`]: when an account is next due for contact, delivery follow-up, capacity plan.
//! - [`target`]: whether an account is in the target market, out, or not yet known.
//! - [`market`]: the standings as a filter and a grouping, a rep's load in a month.
//! - [`listing`]: the accounts list's filters and order, as URLs and REST spell them.
pub mod cadence;
pub mod contact;
pub mod dto;
pub mod grading;
pub mod listing;
pub mod market;
pub mod profile;
pub mod revisit;
pub mod target;

use serde::{Deserialize, Serialize};

/// How soon an account can close (seed 000, 客户分级): A within 3 months, B in 4–6, C in
/// 7–12, D not within 12. Ordered A < B < C < D, so "later" is "greater": the grading takes
/// the latest grade any answer allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    A,
    B,
    C,
    D,
}

impl Grade {
    pub const ALL: [Grade; 4] = [Self::A, Self::B, Self::C, Self::D];

    pub const fn code(self) -> &'static str {
        match self {
            Self::A => "a",
            Self::B => "b",
            Self::C => "c",
            Self::D => "d",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.code() == code)
    }

    /// The close horizon in months as seed 000 defines the grade: (from, to), `to` None for
    /// D (beyond a year). For labels and for checking a deal's close date against its account.
    pub const fn months(self) -> (u32, Option<u32>) {
        match self {
            Self::A => (0, Some(3)),
            Self::B => (4, Some(6)),
            Self::C => (7, Some(12)),
            Self::D => (13, None),
        }
    }
}

/// Where the account came from (seed 000, 名单来源: 参加活动客户, 电话行销, 上门客户,
/// 旧客户介绍, 亲朋好友介绍, 旧客户增购升级, …). Kept as an enum so the lead-source report
/// groups the same way for every rep; anything else is `Other`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeadSource {
    /// Came to one of our events (seminar, trade show).
    Events,
    /// Found by outbound calling.
    Telemarketing,
    /// Called or walked in on their own.
    CallIn,
    /// Referred by an existing customer.
    CustomerReferral,
    /// Referred by a friend or relative of the rep.
    FriendReferral,
    /// An existing customer buying more or upgrading.
    Upgrade,
    Other,
}

impl LeadSource {
    pub const ALL: [LeadSource; 7] =
        [Self::Events, Self::Telemarketing, Self::CallIn, Self::CustomerReferral, Self::FriendReferral, Self::Upgrade, Self::Other];

    pub const fn code(self) -> &'static str {
        match self {
            Self::Events => "events",
            Self::Telemarketing => "telemarketing",
            Self::CallIn => "call_in",
            Self::CustomerReferral => "customer_referral",
            Self::FriendReferral => "friend_referral",
            Self::Upgrade => "upgrade",
            Self::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_match_serde() {
        for g in Grade::ALL {
            assert_eq!(Grade::parse(g.code()), Some(g));
            assert_eq!(serde_json::to_string(&g).unwrap(), format!("\"{}\"", g.code()));
        }
        for s in LeadSource::ALL {
            assert_eq!(LeadSource::parse(s.code()), Some(s));
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.code()));
        }
        assert_eq!(Grade::parse("A"), None);
        assert_eq!(LeadSource::parse("referral"), None);
    }

    #[test]
    fn grades_order_by_how_late_they_close() {
        assert!(Grade::A < Grade::B && Grade::B < Grade::C && Grade::C < Grade::D);
        // The horizons follow one another without gap or overlap.
        for w in Grade::ALL.windows(2) {
            assert_eq!(w[0].months().1.map(|to| to + 1), Some(w[1].months().0), "{:?}", w);
        }
        assert_eq!(Grade::D.months().1, None);
    }
}
