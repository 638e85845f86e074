//! Contracts (合同审批表), their approval chain, payment milestones and receivables. Pure
//! rules: the contract number, the chain a contract takes (data an admin edits), where a
//! chain stands after its decisions, milestones that must add up to the amount, and the
//! ageing of what is overdue.
pub mod dto;
mod status;

pub use status::{next, ContractAction, ContractStatus, MilestoneKind, SignMethod};

use super::error::AppError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContractType {
    SoftwareLicence,
    Service,
    Hardware,
    Maintenance,
    Mixed,
}

impl ContractType {
    pub const ALL: [ContractType; 5] = [Self::SoftwareLicence, Self::Service, Self::Hardware, Self::Maintenance, Self::Mixed];

    pub const fn code(self) -> &'static str {
        match self {
            Self::SoftwareLicence => "software_licence",
            Self::Service => "service",
            Self::Hardware => "hardware",
            Self::Maintenance => "maintenance",
            Self::Mixed => "mixed",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }
}

/// Seed 003's numbering: `HT-` year, month, then the month's sequence in three digits
/// (HT-202403001); a month past 999 contracts simply grows a digit.
pub fn number(year: i32, month: u32, seq: i64) -> String {
    format!("HT-{year:04}{month:02}{seq:03}")
}

/// An amendment's number: the original's number and the revision (HT-202403001-A1).
pub fn amendment_number(original: &str, revision: i32) -> String {
    let base = original.split("-A").next().unwrap_or(original);
    format!("{base}-A{revision}")
}

/// Whether an amendment's milestones can take over the money already received on the
/// contract it supersedes: receipts move by milestone position, so every position with
/// money received must still exist and be due at least that much. `received` and `due` are
/// (position, fen).
pub fn check_carry(received: &[(i32, i64)], due: &[(i32, i64)]) -> Result<(), AppError> {
    for (pos, got) in received.iter().filter(|(_, got)| *got > 0) {
        match due.iter().find(|(p, _)| p == pos) {
            None => {
                return Err(AppError::validation(
                    "milestones",
                    format!("milestone {pos} already has {} received; keep it", super::csv::yuan(*got)),
                ))
            }
            Some((_, amount)) if amount < got => {
                return Err(AppError::validation(
                    "milestones",
                    format!("milestone {pos} already has {} received; it cannot be less", super::csv::yuan(*got)),
                ))
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// Who decides a step of the chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Approver {
    SalesManager,
    Legal,
    Finance,
    GeneralManager,
}

impl Approver {
    pub const ALL: [Approver; 4] = [Self::SalesManager, Self::Legal, Self::Finance, Self::GeneralManager];

    pub const fn code(self) -> &'static str {
        match self {
            Self::SalesManager => "sales_manager",
            Self::Legal => "legal",
            Self::Finance => "finance",
            Self::GeneralManager => "general_manager",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }
}

/// One rule of the chain table: for a type (None: any) from an amount up, these steps. The
/// most specific rule with the highest threshold at or below the amount wins.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainRule {
    pub contract_type: Option<ContractType>,
    pub min_amount_fen: i64,
    pub steps: Vec<Approver>,
}

/// The shipped table: sales manager → legal → general manager for every contract.
pub fn default_chain() -> Vec<ChainRule> {
    vec![ChainRule {
        contract_type: None,
        min_amount_fen: 0,
        steps: vec![Approver::SalesManager, Approver::Legal, Approver::GeneralManager],
    }]
}

/// The steps a contract of `kind` and `amount_fen` goes through.
pub fn chain_for(rules: &[ChainRule], kind: ContractType, amount_fen: i64) -> Vec<Approver> {
    rules
        .iter()
        .filter(|r| r.contract_type.is_none_or(|t| t == kind) && r.min_amount_fen <= amount_fen)
        .max_by_key(|r| (r.contract_type.is_some(), r.min_amount_fen))
        .map(|r| r.steps.clone())
        .unwrap_or_else(|| default_chain().remove(0).steps)
}

/// Checks an admin's chain table: every rule has at least one step and no step twice.
pub fn validate_chain(rules: &[ChainRule]) -> Result<(), AppError> {
    for r in rules {
        if r.steps.is_empty() {
            return Err(AppError::validation("steps", "a chain needs at least one approver"));
        }
        if r.steps.iter().enumerate().any(|(i, s)| r.steps[..i].contains(s)) {
            return Err(AppError::validation("steps", "an approver appears twice"));
        }
        if !(0..=super::validate::MAX_FEN).contains(&r.min_amount_fen) {
            return Err(AppError::validation("min_amount", "out of range"));
        }
    }
    Ok(())
}

/// Where a chain stands after the decisions of the current submission, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state", content = "step")]
pub enum ChainState {
    /// Waiting for step `n` (0-based).
    Waiting(usize),
    Approved,
    /// Step `n` rejected: the contract is back in draft.
    Rejected(usize),
}

pub fn progress(steps: &[Approver], decisions: &[bool]) -> ChainState {
    for (i, approve) in decisions.iter().enumerate().take(steps.len()) {
        if !approve {
            return ChainState::Rejected(i);
        }
    }
    if decisions.len() >= steps.len() {
        ChainState::Approved
    } else {
        ChainState::Waiting(decisions.len())
    }
}

/// A payment milestone as entered: a fixed amount or a share of the contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Share {
    AmountFen(i64),
    PercentBp(i32),
}

/// The milestones' amounts in fen. Percentages are of the contract amount, rounded so that
/// together they lose no fen (largest remainder); the whole must equal the contract amount,
/// or the error says by how much.
pub fn milestone_amounts(contract_fen: i64, shares: &[Share]) -> Result<Vec<i64>, AppError> {
    if !(1..=super::validate::MAX_FEN).contains(&contract_fen) {
        return Err(AppError::validation("amount", "must be more than 0 and at most 10¹⁵ fen"));
    }
    if shares.is_empty() {
        return Err(AppError::validation("milestones", "at least one milestone"));
    }
    let mut out = vec![0i64; shares.len()];
    let mut parts: Vec<(usize, i128, i128)> = Vec::new();
    let mut bp_total = 0i64;
    for (i, s) in shares.iter().enumerate() {
        match *s {
            Share::AmountFen(f) if f > 0 && f <= super::validate::MAX_FEN => out[i] = f,
            Share::PercentBp(b) if b > 0 && b <= 10_000 => {
                bp_total += i64::from(b);
                let exact = i128::from(contract_fen) * i128::from(b);
                parts.push((i, exact / 10_000, exact % 10_000));
            }
            _ => return Err(AppError::validation("milestones", format!("milestone {} must be more than 0 and at most the whole", i + 1))),
        }
    }
    for (i, floor, _) in &parts {
        out[*i] = i64::try_from(*floor).unwrap_or(i64::MAX);
    }
    // Percentages that add up to 100 % of what they cover get the rounding fen back.
    let pct_sum: i128 = parts.iter().map(|p| p.1).sum();
    let pct_exact = i128::from(contract_fen) * i128::from(bp_total);
    let mut spare = (pct_exact / 10_000 - pct_sum).max(0);
    let mut order: Vec<&(usize, i128, i128)> = parts.iter().collect();
    order.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    for (i, _, _) in order {
        if spare == 0 {
            break;
        }
        out[*i] += 1;
        spare -= 1;
    }
    let total: i128 = out.iter().map(|v| i128::from(*v)).sum();
    let diff = total - i128::from(contract_fen);
    if diff != 0 {
        let (word, by) = if diff > 0 { ("over", diff) } else { ("short of", -diff) };
        return Err(AppError::validation(
            "milestones",
            format!("add up to {word} the contract amount by {}", super::csv::yuan(i64::try_from(by).unwrap_or(i64::MAX))),
        ));
    }
    Ok(out)
}

/// A receipt may not take a milestone past what is due.
pub fn check_receipt(due_fen: i64, received_fen: i64, amount_fen: i64) -> Result<(), AppError> {
    if amount_fen <= 0 {
        return Err(AppError::validation("amount", "must be more than 0"));
    }
    if received_fen.saturating_add(amount_fen) > due_fen {
        return Err(AppError::validation("amount", format!("only {} is still due", super::csv::yuan(due_fen - received_fen))));
    }
    Ok(())
}

/// What is still owed on the milestones, by how long past due: not yet due, 0–30, 31–90 and
/// more than 90 days.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ageing {
    pub not_due_fen: i64,
    pub d0_30_fen: i64,
    pub d31_90_fen: i64,
    pub over_90_fen: i64,
}

impl Ageing {
    pub fn overdue_fen(&self) -> i64 {
        self.d0_30_fen.saturating_add(self.d31_90_fen).saturating_add(self.over_90_fen)
    }
}

/// (due date, due, received) per milestone; a milestone without a date (a trigger not yet
/// met) is not due.
pub fn ageing(items: &[(Option<NaiveDate>, i64, i64)], today: NaiveDate) -> Ageing {
    let mut a = Ageing::default();
    for (due_on, due, received) in items {
        let open = (due - received).max(0);
        let slot = match due_on.map(|d| (today - d).num_days()) {
            None => &mut a.not_due_fen,
            Some(days) if days <= 0 => &mut a.not_due_fen,
            Some(days) if days <= 30 => &mut a.d0_30_fen,
            Some(days) if days <= 90 => &mut a.d31_90_fen,
            Some(_) => &mut a.over_90_fen,
        };
        *slot = slot.saturating_add(open);
    }
    a
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
