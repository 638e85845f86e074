//! Negotiation (商务谈判要点表) and the concession ladder. Seed 000: concede slowly, each
//! concession smaller than the one before, never give without getting something back, and
//! never cross the bottom line without the general manager. Pure rules: which warnings a
//! ladder raises, and the points the ladder chart draws.
pub mod dto;

use super::committee::ContactRole;
use super::error::AppError;
use super::locale::Locale;
use serde::{Deserialize, Serialize};

/// The clauses a negotiation moves on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Clause {
    Price,
    PaymentTerms,
    DeliveryDate,
    SupportSla,
    Training,
    ConsultantDays,
    Other,
}

impl Clause {
    pub const ALL: [Clause; 7] =
        [Self::Price, Self::PaymentTerms, Self::DeliveryDate, Self::SupportSla, Self::Training, Self::ConsultantDays, Self::Other];

    pub const fn code(self) -> &'static str {
        match self {
            Self::Price => "price",
            Self::PaymentTerms => "payment_terms",
            Self::DeliveryDate => "delivery_date",
            Self::SupportSla => "support_sla",
            Self::Training => "training",
            Self::ConsultantDays => "consultant_days",
            Self::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// What one concession gave: an amount (fen), a percentage (basis points), a number of days,
/// or words. Only like with like can be compared in size.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Given {
    AmountFen(i64),
    PercentBp(i32),
    Days(i32),
    Text(String),
}

impl Given {
    /// The size, and its unit, when it has one.
    fn size(&self) -> Option<(u8, i64)> {
        match self {
            Given::AmountFen(f) => Some((0, *f)),
            Given::PercentBp(b) => Some((1, i64::from(*b))),
            Given::Days(d) => Some((2, i64::from(*d))),
            Given::Text(_) => None,
        }
    }
}

/// One step of the ladder, in the order given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Concession {
    pub clause: Clause,
    pub given: Given,
    /// What we got in return; blank is "nothing".
    pub got: Option<String>,
    /// Our position on the clause after this step, where it is a number: the price in fen,
    /// the payment term in days.
    pub position_after: Option<i64>,
}

/// The lines the plan says we do not cross without the general manager.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BottomLines {
    pub lowest_price_fen: Option<i64>,
    pub longest_payment_days: Option<i32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "code")]
pub enum Warning {
    /// Larger than the previous concession on the same clause (same unit).
    LargerThanPrevious { previous: i64, this: i64 },
    /// Nothing was got in return.
    NothingInReturn,
    /// The price went under the lowest price, or the payment term past the longest: needs
    /// the general manager's approval.
    CrossesBottomLine { line: i64, position: i64 },
}

impl Warning {
    pub const fn code(&self) -> &'static str {
        match self {
            Warning::LargerThanPrevious { .. } => "larger_than_previous",
            Warning::NothingInReturn => "nothing_in_return",
            Warning::CrossesBottomLine { .. } => "crosses_bottom_line",
        }
    }
}

/// The warnings of each concession of a ladder (same order as `ladder`).
pub fn warnings(ladder: &[Concession], lines: &BottomLines) -> Vec<Vec<Warning>> {
    ladder
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut out = Vec::new();
            let unit = c.given.size().map(|(u, _)| u);
            let previous =
                ladder[..i].iter().rev().filter(|p| p.clause == c.clause).find_map(|p| p.given.size().filter(|(pu, _)| Some(*pu) == unit));
            if let (Some((_, pv)), Some((_, v))) = (previous, c.given.size()) {
                if v > pv {
                    out.push(Warning::LargerThanPrevious { previous: pv, this: v });
                }
            }
            if c.got.as_deref().is_none_or(|g| g.trim().is_empty()) {
                out.push(Warning::NothingInReturn);
            }
            match (c.clause, c.position_after) {
                (Clause::Price, Some(p)) => {
                    if let Some(line) = lines.lowest_price_fen.filter(|l| p < *l) {
                        out.push(Warning::CrossesBottomLine { line, position: p });
                    }
                }
                (Clause::PaymentTerms, Some(p)) => {
                    if let Some(line) = lines.longest_payment_days.map(i64::from).filter(|l| p > *l) {
                        out.push(Warning::CrossesBottomLine { line, position: p });
                    }
                }
                _ => {}
            }
            out
        })
        .collect()
}

/// Whether any concession of the ladder needs the general manager (crosses a bottom line).
pub fn needs_gm(ladder: &[Concession], lines: &BottomLines) -> bool {
    warnings(ladder, lines).iter().flatten().any(|w| matches!(w, Warning::CrossesBottomLine { .. }))
}

/// The ladder chart's points for one clause: (step number from 1, size) for every concession
/// with a size, so a manager sees at a glance whether the steps shrink.
pub fn chart(ladder: &[Concession], clause: Clause) -> Vec<(usize, i64)> {
    ladder
        .iter()
        .filter(|c| c.clause == clause)
        .filter_map(|c| c.given.size().map(|(_, v)| v))
        .enumerate()
        .map(|(i, v)| (i + 1, v))
        .collect()
}

/// Where the negotiation stands: planned and under way, its result with the sales manager
/// and legal, or confirmed (a contract may be drafted).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NegotiationStatus {
    Planning,
    Confirming,
    Confirmed,
}

impl NegotiationStatus {
    pub const ALL: [NegotiationStatus; 3] = [Self::Planning, Self::Confirming, Self::Confirmed];

    pub const fn code(self) -> &'static str {
        match self {
            Self::Planning => "planning",
            Self::Confirming => "confirming",
            Self::Confirmed => "confirmed",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// What a person in this role usually weighs at the table: the plan's starting point.
pub fn default_cares(role: ContactRole, l: Locale) -> &'static str {
    let (en, zh) = match role {
        ContactRole::DecisionMaker => ("Return on the investment, risk, reference customers", "投资回报、风险、同行成功案例"),
        ContactRole::EconomicBuyer => ("Total price, payment terms, budget year", "总价、付款条件、预算年度"),
        ContactRole::TechnicalEvaluator => ("Fit to the requirements, integration, SLA", "需求匹配度、系统集成、服务水平"),
        ContactRole::User => ("Ease of use, training, go-live support", "易用性、培训、上线支持"),
        ContactRole::Influencer => ("Being heard; the vendor's standing", "意见被重视、供应商实力"),
        ContactRole::Initiator => ("The problem solved on time", "问题按期解决"),
        ContactRole::Coach => ("Our success; what we can share in advance", "我方成功、可提前沟通的信息"),
        ContactRole::Blocker => ("Their preferred alternative; the risks they raise", "其倾向的替代方案、提出的风险"),
    };
    if l == Locale::ZhCn {
        zh
    } else {
        en
    }
}

/// A concession's size within bounds: an amount up to 10¹⁵ fen, a percentage up to 100 %,
/// up to ten years of days, or words up to 500 characters; never nothing.
pub fn check_given(g: &Given) -> Result<(), AppError> {
    let ok = match g {
        Given::AmountFen(f) => (1..=super::validate::MAX_FEN).contains(f),
        Given::PercentBp(b) => (1..=10_000).contains(b),
        Given::Days(d) => (1..=3650).contains(d),
        Given::Text(t) => !t.trim().is_empty() && t.chars().count() <= 500,
    };
    if ok {
        Ok(())
    } else {
        Err(AppError::validation("given", "more than nothing and within bounds (at most 100 %, 3650 days or 500 characters)"))
    }
}

#[cfg(test)]
mod tests;
