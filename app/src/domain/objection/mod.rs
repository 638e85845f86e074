//! The objection log (异议处理记录表): what a customer doubts, what they ask for, how we
//! answer, who owns it and until when. Pure rules: categories, the status a step leads to,
//! what a form must hold, overdue, and the team's view by category.
use super::error::AppError;
use super::validate;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub mod dto;
pub mod report;

/// Seed 000's list of the objections a project sale meets, prepared for in advance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    PriceTooHigh,
    WantsReferences,
    WantsSiteVisit,
    WantsTrial,
    WantsStandardsProof,
    PayAfterGoLive,
    WantsTurnkey,
    ConsultantDays,
    GuaranteeOrRefund,
    BadPastExperience,
    Other,
}

impl Category {
    pub const ALL: [Category; 11] = [
        Self::PriceTooHigh,
        Self::WantsReferences,
        Self::WantsSiteVisit,
        Self::WantsTrial,
        Self::WantsStandardsProof,
        Self::PayAfterGoLive,
        Self::WantsTurnkey,
        Self::ConsultantDays,
        Self::GuaranteeOrRefund,
        Self::BadPastExperience,
        Self::Other,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Self::PriceTooHigh => "price_too_high",
            Self::WantsReferences => "wants_references",
            Self::WantsSiteVisit => "wants_site_visit",
            Self::WantsTrial => "wants_trial",
            Self::WantsStandardsProof => "wants_standards_proof",
            Self::PayAfterGoLive => "pay_after_go_live",
            Self::WantsTurnkey => "wants_turnkey",
            Self::ConsultantDays => "consultant_days",
            Self::GuaranteeOrRefund => "guarantee_or_refund",
            Self::BadPastExperience => "bad_past_experience",
            Self::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    /// (English, Chinese) names, as the seed words them.
    pub const fn names(self) -> (&'static str, &'static str) {
        match self {
            Self::PriceTooHigh => ("Price too high", "价格太高"),
            Self::WantsReferences => ("Wants reference customers", "要求提供同行业成功案例"),
            Self::WantsSiteVisit => ("Wants a site visit", "要求参观样板客户"),
            Self::WantsTrial => ("Wants a trial", "要求试用"),
            Self::WantsStandardsProof => ("Wants ISO 9000 / standards proof", "要求 ISO9000 等标准证明"),
            Self::PayAfterGoLive => ("Wants to pay after go-live", "要求上线后付款"),
            Self::WantsTurnkey => ("Wants turnkey delivery", "要求交钥匙工程"),
            Self::ConsultantDays => ("Consultant days", "顾问人天"),
            Self::GuaranteeOrRefund => ("Guarantee or refund", "要求担保或退款承诺"),
            Self::BadPastExperience => ("Bad past experience", "以往失败经历"),
            Self::Other => ("Other", "其他"),
        }
    }
}

/// open → answered → resolved, or dropped; a resolved or dropped objection can be reopened
/// when the customer raises it again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Answered,
    Resolved,
    Dropped,
}

impl Status {
    pub const ALL: [Status; 4] = [Self::Open, Self::Answered, Self::Resolved, Self::Dropped];

    pub const fn code(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Answered => "answered",
            Self::Resolved => "resolved",
            Self::Dropped => "dropped",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Still in the way of the deal: open or answered without the customer's agreement.
    pub const fn unresolved(self) -> bool {
        matches!(self, Self::Open | Self::Answered)
    }
}

/// Whether `from` may go to `to`: answering, resolving or dropping an unresolved objection,
/// reopening a closed one. Staying put is not a step.
pub fn may_step(from: Status, to: Status) -> bool {
    use Status::*;
    matches!((from, to), (Open, Answered | Resolved | Dropped) | (Answered, Open | Resolved | Dropped) | (Resolved | Dropped, Open))
}

/// An objection as the form and REST send it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectionInput {
    pub raised_on: NaiveDate,
    pub category: Category,
    /// A person on the deal's committee map who raised it.
    #[serde(default)]
    pub raised_by: Option<uuid::Uuid>,
    /// What the customer said, in their words.
    pub said: String,
    /// What they ask for.
    #[serde(default)]
    pub demand: Option<String>,
    /// Our response strategy.
    #[serde(default)]
    pub strategy: Option<String>,
    /// A member of the deal team; None: the deal's owner.
    #[serde(default)]
    pub owner: Option<uuid::Uuid>,
    #[serde(default)]
    pub due_on: Option<NaiveDate>,
}

/// A status change with what it needs: answering needs the response strategy on record,
/// resolving the customer's feedback, dropping a reason (kept as feedback).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepInput {
    pub to: Status,
    #[serde(default)]
    pub feedback: Option<String>,
    /// The day it was resolved; None: today.
    #[serde(default)]
    pub resolved_on: Option<NaiveDate>,
}

pub const MAX_TEXT: usize = 4000;

/// Trims and bounds the form; errors name the field.
pub fn clean(o: ObjectionInput, today: NaiveDate) -> Result<ObjectionInput, AppError> {
    let raised_on = validate::date("raised_on", o.raised_on)?;
    if raised_on > today {
        return Err(AppError::validation("raised_on", "cannot be in the future"));
    }
    let due_on = o.due_on.map(|d| validate::date("due_on", d)).transpose()?;
    if due_on.is_some_and(|d| d < raised_on) {
        return Err(AppError::validation("due_on", "cannot be before the day it was raised"));
    }
    Ok(ObjectionInput {
        raised_on,
        category: o.category,
        raised_by: o.raised_by,
        said: validate::required("said", &o.said, MAX_TEXT)?,
        demand: validate::optional("demand", o.demand, MAX_TEXT)?,
        strategy: validate::optional("strategy", o.strategy, MAX_TEXT)?,
        owner: o.owner,
        due_on,
    })
}

/// Checks a step against the objection as stored (status, strategy, raised on) and returns
/// the feedback and resolution day to store.
pub fn check_step(
    from: Status,
    strategy: Option<&str>,
    raised_on: NaiveDate,
    step: StepInput,
    today: NaiveDate,
) -> Result<(Option<String>, Option<NaiveDate>), AppError> {
    if !may_step(from, step.to) {
        return Err(AppError::validation("status", format!("cannot go from {} to {}", from.code(), step.to.code())));
    }
    let feedback = validate::optional("feedback", step.feedback, MAX_TEXT)?;
    match step.to {
        Status::Answered if strategy.is_none_or(|s| s.trim().is_empty()) => {
            Err(AppError::validation("strategy", "record our response before marking it answered"))
        }
        Status::Resolved | Status::Dropped if feedback.is_none() => Err(AppError::validation(
            "feedback",
            if step.to == Status::Resolved { "what did the customer say to our answer?" } else { "say why it is dropped" },
        )),
        Status::Resolved => {
            let day = validate::date("resolved_on", step.resolved_on.unwrap_or(today))?;
            if day < raised_on || day > today {
                return Err(AppError::validation("resolved_on", "between the day it was raised and today"));
            }
            Ok((feedback, Some(day)))
        }
        // Reopening keeps what the customer said last time; the resolution day goes.
        Status::Open => Ok((feedback, None)),
        _ => Ok((feedback, None)),
    }
}

/// Overdue: unresolved with a due date before today.
pub fn is_overdue(status: Status, due_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    status.unresolved() && due_on.is_some_and(|d| d < today)
}

/// A history note of an objection ("<category code>: <what was said>", as the objection service
/// writes it) with the category in words; any other note as it is.
pub fn note_in_words(note: &str, zh: bool) -> String {
    match note.split_once(": ").and_then(|(code, said)| Category::parse(code).map(|c| (c, said))) {
        Some((c, said)) => {
            let (en, zh_name) = c.names();
            format!("{}: {said}", if zh { zh_name } else { en })
        }
        None => note.to_owned(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
