//! The stage gate: one pure function decides every move of a deal, whoever asks.
use super::keyinfo::{KeyField, KeyInfo};
use super::role::Role;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StageKind {
    Open,
    Won,
    Lost,
}

impl StageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            StageKind::Open => "open",
            StageKind::Won => "won",
            StageKind::Lost => "lost",
        }
    }

    pub fn parse(s: &str) -> Option<StageKind> {
        [StageKind::Open, StageKind::Won, StageKind::Lost].into_iter().find(|k| k.as_str() == s)
    }
}

/// What the transition table says about a pair (from, to). Seed 000: OK / NO / NO*.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Policy {
    Allow,
    Forbid,
    Approval,
}

impl Policy {
    pub fn as_str(self) -> &'static str {
        match self {
            Policy::Allow => "allow",
            Policy::Forbid => "forbid",
            Policy::Approval => "approval",
        }
    }

    pub fn parse(s: &str) -> Option<Policy> {
        [Policy::Allow, Policy::Forbid, Policy::Approval].into_iter().find(|p| p.as_str() == s)
    }
}

/// An entry requirement of a stage. Later issues add contact roles, checklists, quotes and
/// contracts; every kind is evaluated here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Requirement {
    KeyInfo(KeyField),
}

impl Requirement {
    pub fn code(self) -> String {
        match self {
            Requirement::KeyInfo(f) => format!("key_info.{}", f.code()),
        }
    }

    pub fn parse(code: &str) -> Option<Requirement> {
        code.strip_prefix("key_info.").and_then(KeyField::parse).map(Requirement::KeyInfo)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GateStage {
    pub id: i32,
    pub position: i32,
    pub kind: StageKind,
    pub requirements: Vec<Requirement>,
}

/// The rules of one pipeline: its stages (any order) and explicit policy overrides.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GateRules {
    pub stages: Vec<GateStage>,
    pub overrides: Vec<(i32, i32, Policy)>,
}

/// What is missing before a move can happen; each links to where it is filled in.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Missing {
    Requirement(Requirement),
    /// Moving backward needs a reason.
    Reason,
    /// Moving to Lost needs a lost reason.
    LostReason,
}

impl Missing {
    pub fn code(&self) -> String {
        match self {
            Missing::Requirement(r) => r.code(),
            Missing::Reason => "reason".into(),
            Missing::LostReason => "lost_reason".into(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ForbidReason {
    SameStage,
    UnknownStage,
    ReadOnlyRole,
    Policy,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    Moved,
    Blocked(Vec<Missing>),
    Forbidden(ForbidReason),
    NeedsApproval,
}

/// The facts of the deal and the request that the gate looks at.
#[derive(Clone, Copy, Debug)]
pub struct MoveInput<'a> {
    pub from_stage: i32,
    pub to_stage: i32,
    pub key_info: &'a KeyInfo,
    /// A reason given with this request (backward moves).
    pub reason: Option<&'a str>,
    /// The lost reason: given with the request or already on the deal.
    pub lost_reason: Option<&'a str>,
    pub role: Role,
    /// True when re-checked at the moment a manager approves the request.
    pub approved: bool,
}

fn given(s: Option<&str>) -> bool {
    s.is_some_and(|v| !v.trim().is_empty())
}

impl GateRules {
    fn stage(&self, id: i32) -> Option<&GateStage> {
        self.stages.iter().find(|s| s.id == id)
    }

    fn open_between(&self, lo: i32, hi: i32) -> usize {
        self.stages.iter().filter(|s| s.kind == StageKind::Open && s.position > lo && s.position < hi).count()
    }

    /// The default table (domain page): one step forward allow; skipping forward approval;
    /// backward allow (with a reason); to Lost allow (with a lost reason); out of Won or Lost
    /// approval.
    pub fn default_policy(&self, from: &GateStage, to: &GateStage) -> Policy {
        if from.kind != StageKind::Open {
            return Policy::Approval;
        }
        if to.kind == StageKind::Lost || to.position < from.position {
            return Policy::Allow;
        }
        if self.open_between(from.position, to.position) == 0 {
            Policy::Allow
        } else {
            Policy::Approval
        }
    }

    pub fn policy(&self, from: &GateStage, to: &GateStage) -> Policy {
        self.overrides
            .iter()
            .find(|(f, t, _)| *f == from.id && *t == to.id)
            .map(|(_, _, p)| *p)
            .unwrap_or_else(|| self.default_policy(from, to))
    }

    /// The requirements a move must meet: those of the target and of every stage skipped on
    /// the way forward. Reopening a won or lost deal checks every open stage up to the target.
    fn requirements_for(&self, from: &GateStage, to: &GateStage) -> Vec<Requirement> {
        if to.kind == StageKind::Lost {
            return vec![];
        }
        let lo = if from.kind == StageKind::Open { from.position } else { i32::MIN };
        if from.kind == StageKind::Open && to.position < from.position {
            return vec![];
        }
        let mut stages: Vec<&GateStage> =
            self.stages.iter().filter(|s| s.kind != StageKind::Lost && s.position > lo && s.position <= to.position).collect();
        stages.sort_by_key(|s| s.position);
        let mut out: Vec<Requirement> = Vec::new();
        for r in stages.into_iter().flat_map(|s| s.requirements.iter()) {
            if !out.contains(r) {
                out.push(*r);
            }
        }
        out
    }

    pub fn check(&self, m: &MoveInput<'_>) -> Outcome {
        if !m.role.can_edit_deals() {
            return Outcome::Forbidden(ForbidReason::ReadOnlyRole);
        }
        let (Some(from), Some(to)) = (self.stage(m.from_stage), self.stage(m.to_stage)) else {
            return Outcome::Forbidden(ForbidReason::UnknownStage);
        };
        if from.id == to.id {
            return Outcome::Forbidden(ForbidReason::SameStage);
        }
        let policy = self.policy(from, to);
        if policy == Policy::Forbid {
            return Outcome::Forbidden(ForbidReason::Policy);
        }
        let mut missing = Vec::new();
        if to.kind == StageKind::Lost && !given(m.lost_reason) {
            missing.push(Missing::LostReason);
        }
        if from.kind == StageKind::Open && to.kind != StageKind::Lost && to.position < from.position && !given(m.reason) {
            missing.push(Missing::Reason);
        }
        for r in self.requirements_for(from, to) {
            let met = match r {
                Requirement::KeyInfo(f) => m.key_info.has(f),
            };
            if !met {
                missing.push(Missing::Requirement(r));
            }
        }
        if !missing.is_empty() {
            return Outcome::Blocked(missing);
        }
        if policy == Policy::Approval && !m.approved {
            return Outcome::NeedsApproval;
        }
        Outcome::Moved
    }
}
