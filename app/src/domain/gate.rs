//! The stage gate: one pure function decides every move of a deal, whoever asks.
use super::checklist::ChecklistKind;
use super::committee::{self, ContactRole, MapNode};
use super::keyinfo::{KeyField, KeyInfo};
use super::role::Role;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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

    /// Whether a stored kind (`stages.kind`, or a DTO carrying it) is this kind; unknown text
    /// is none of them, so callers need not parse first.
    pub fn matches(self, stored: &str) -> bool {
        self.as_str() == stored
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

/// An entry requirement of a stage. Later issues add quotes and contracts; every kind is
/// evaluated here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Requirement {
    KeyInfo(KeyField),
    /// Someone on the deal's contact map has this role.
    ContactRole(ContactRole),
    /// The influence weights on the map sum to exactly 100 %.
    WeightsSum100,
    /// No decision maker on the map is uncontacted for 30 days or more (or never). Met by a
    /// map without decision makers: pair it with `ContactRole(DecisionMaker)` to need one.
    NoUncontactedDecisionMaker,
    /// At least one checklist of this kind on the deal is complete.
    ChecklistComplete(ChecklistKind),
    /// A live quote on the deal is approved (or sent or accepted since) and not expired.
    QuoteApproved,
    /// A live quote on the deal was sent to the customer (or accepted) and has not expired.
    QuoteSent,
    /// No objection on the deal's log is open or answered without the customer's agreement.
    NoOpenObjection,
    /// A contract on the deal has passed its whole approval chain (or been signed since).
    ContractApproved,
    /// A contract on the deal is signed.
    ContractSigned,
}

/// What the deal's documents show the gate: its quotes (live revisions only, expiry
/// applied) and its contracts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QuoteFacts {
    pub approved: bool,
    pub sent: bool,
    pub contract_approved: bool,
    pub contract_signed: bool,
}

impl Requirement {
    /// Every requirement an admin can pick, in a stable order.
    pub fn all() -> Vec<Requirement> {
        let mut out: Vec<Requirement> = KeyField::ALL.into_iter().map(Requirement::KeyInfo).collect();
        out.extend(ContactRole::ALL.into_iter().map(Requirement::ContactRole));
        out.extend([Requirement::WeightsSum100, Requirement::NoUncontactedDecisionMaker]);
        out.extend(ChecklistKind::ALL.into_iter().map(Requirement::ChecklistComplete));
        out.extend([
            Requirement::QuoteApproved,
            Requirement::QuoteSent,
            Requirement::NoOpenObjection,
            Requirement::ContractApproved,
            Requirement::ContractSigned,
        ]);
        out
    }

    pub fn code(self) -> String {
        match self {
            Requirement::KeyInfo(f) => format!("key_info.{}", f.code()),
            Requirement::ContactRole(r) => format!("contact_role.{}", r.code()),
            Requirement::WeightsSum100 => "map.weights_100".into(),
            Requirement::NoUncontactedDecisionMaker => "map.no_uncontacted_dm".into(),
            Requirement::ChecklistComplete(k) => format!("checklist.{}", k.code()),
            Requirement::QuoteApproved => "quote.approved".into(),
            Requirement::QuoteSent => "quote.sent".into(),
            Requirement::NoOpenObjection => "objection.none_open".into(),
            Requirement::ContractApproved => "contract.approved".into(),
            Requirement::ContractSigned => "contract.signed".into(),
        }
    }

    pub fn parse(code: &str) -> Option<Requirement> {
        if let Some(f) = code.strip_prefix("key_info.") {
            return KeyField::parse(f).map(Requirement::KeyInfo);
        }
        if let Some(r) = code.strip_prefix("contact_role.") {
            return ContactRole::parse(r).map(Requirement::ContactRole);
        }
        if let Some(k) = code.strip_prefix("checklist.") {
            return ChecklistKind::parse(k).map(Requirement::ChecklistComplete);
        }
        match code {
            "map.weights_100" => Some(Requirement::WeightsSum100),
            "map.no_uncontacted_dm" => Some(Requirement::NoUncontactedDecisionMaker),
            "quote.approved" => Some(Requirement::QuoteApproved),
            "quote.sent" => Some(Requirement::QuoteSent),
            "objection.none_open" => Some(Requirement::NoOpenObjection),
            "contract.approved" => Some(Requirement::ContractApproved),
            "contract.signed" => Some(Requirement::ContractSigned),
            _ => None,
        }
    }

    /// The key-information field, for callers that only deal with key information.
    pub fn key_field(self) -> Option<KeyField> {
        match self {
            Requirement::KeyInfo(f) => Some(f),
            _ => None,
        }
    }

    /// Whether the deal's facts meet this requirement.
    pub fn met(self, m: &MoveInput<'_>) -> bool {
        match self {
            Requirement::KeyInfo(f) => m.key_info.has(f),
            Requirement::ContactRole(r) => committee::has_role(m.map, r),
            Requirement::WeightsSum100 => committee::weight_sum(m.map) == 100,
            Requirement::NoUncontactedDecisionMaker => {
                !m.map.iter().any(|n| n.role == Some(ContactRole::DecisionMaker) && committee::is_uncontacted(n, m.today))
            }
            Requirement::ChecklistComplete(k) => m.checklists.iter().any(|(kind, complete)| *kind == k && *complete),
            Requirement::QuoteApproved => m.quotes.approved,
            Requirement::QuoteSent => m.quotes.sent,
            Requirement::NoOpenObjection => m.open_objections == 0,
            Requirement::ContractApproved => m.quotes.contract_approved,
            Requirement::ContractSigned => m.quotes.contract_signed,
        }
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
    /// The deal's buying-committee map.
    pub map: &'a [MapNode],
    /// Each checklist on the deal with whether it is complete (`checklist::is_complete`).
    pub checklists: &'a [(ChecklistKind, bool)],
    pub quotes: QuoteFacts,
    /// Unresolved objections on the deal (read only when a requirement asks).
    pub open_objections: u32,
    /// The day of the check, for "not contacted for 30 days".
    pub today: NaiveDate,
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

    /// Whether a move from `from` to `to` (stage ids) can be held up by the deal's quotes, so a
    /// move that cannot does not read them.
    pub fn needs_quotes(&self, from: i32, to: i32) -> bool {
        let (Some(from), Some(to)) = (self.stage(from), self.stage(to)) else { return false };
        self.requirements_for(from, to).iter().any(|r| {
            matches!(r, Requirement::QuoteApproved | Requirement::QuoteSent | Requirement::ContractApproved | Requirement::ContractSigned)
        })
    }

    /// Whether a move from `from` to `to` can be held up by open objections.
    pub fn needs_objections(&self, from: i32, to: i32) -> bool {
        let (Some(from), Some(to)) = (self.stage(from), self.stage(to)) else { return false };
        self.requirements_for(from, to).contains(&Requirement::NoOpenObjection)
    }

    pub fn check(&self, m: &MoveInput<'_>) -> Outcome {
        if super::access::reads_only(m.role) {
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
            if !r.met(m) {
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::domain::committee::Attitude;

    const TODAY: &str = "2027-03-31";

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn kind_matches_its_stored_string_only() {
        assert!(StageKind::Open.matches("open"));
        assert!(!StageKind::Open.matches("won"));
        assert!(!StageKind::Lost.matches("Lost"));
        assert!(!StageKind::Won.matches(""));
    }

    fn node(id: i32, role: Option<ContactRole>, pct: i32, last: Option<&str>) -> MapNode {
        MapNode {
            contact_id: id,
            reports_to: None,
            role,
            influence_pct: pct,
            attitude: Attitude::Neutral,
            relationship: 3,
            last_contact: last.map(day),
        }
    }

    /// Two open stages, Won and Lost; entering stage 2 needs `reqs`.
    fn rules(reqs: &[Requirement]) -> GateRules {
        let st = |id: i32, kind: StageKind, requirements: Vec<Requirement>| GateStage { id, position: id, kind, requirements };
        GateRules {
            stages: vec![
                st(1, StageKind::Open, vec![]),
                st(2, StageKind::Open, reqs.to_vec()),
                st(3, StageKind::Won, vec![]),
                st(4, StageKind::Lost, vec![]),
            ],
            overrides: vec![],
        }
    }

    fn check(reqs: &[Requirement], map: &[MapNode], checklists: &[(ChecklistKind, bool)]) -> Outcome {
        let k = KeyInfo::default();
        rules(reqs).check(&MoveInput {
            from_stage: 1,
            to_stage: 2,
            key_info: &k,
            map,
            checklists,
            quotes: QuoteFacts::default(),
            open_objections: 0,
            today: day(TODAY),
            reason: None,
            lost_reason: None,
            role: Role::Rep,
            approved: false,
        })
    }

    #[test]
    fn each_new_kind_blocks_then_allows() {
        use ChecklistKind::{Demo, Proposal};
        use ContactRole::{Coach, DecisionMaker};
        let dm = |last: Option<&str>| node(1, Some(DecisionMaker), 60, last);
        type Case = (&'static str, Requirement, Vec<MapNode>, Vec<(ChecklistKind, bool)>, bool);
        let cases: Vec<Case> = vec![
            ("no one on the map", Requirement::ContactRole(DecisionMaker), vec![], vec![], false),
            ("only a coach", Requirement::ContactRole(DecisionMaker), vec![node(2, Some(Coach), 0, None)], vec![], false),
            ("a decision maker", Requirement::ContactRole(DecisionMaker), vec![node(2, Some(Coach), 0, None), dm(None)], vec![], true),
            ("no coach", Requirement::ContactRole(Coach), vec![dm(None)], vec![], false),
            ("a coach", Requirement::ContactRole(Coach), vec![node(2, Some(Coach), 0, None)], vec![], true),
            ("weights of an empty map", Requirement::WeightsSum100, vec![], vec![], false),
            ("weights 90", Requirement::WeightsSum100, vec![dm(None), node(2, None, 30, None)], vec![], false),
            ("weights 110", Requirement::WeightsSum100, vec![dm(None), node(2, None, 50, None)], vec![], false),
            ("weights 100", Requirement::WeightsSum100, vec![dm(None), node(2, None, 30, None), node(3, None, 10, None)], vec![], true),
            ("decision maker never contacted", Requirement::NoUncontactedDecisionMaker, vec![dm(None)], vec![], false),
            ("decision maker 30 days", Requirement::NoUncontactedDecisionMaker, vec![dm(Some("2027-03-01"))], vec![], false),
            ("decision maker 29 days", Requirement::NoUncontactedDecisionMaker, vec![dm(Some("2027-03-02"))], vec![], true),
            (
                "one of two decision makers stale",
                Requirement::NoUncontactedDecisionMaker,
                vec![dm(Some("2027-03-30")), node(2, Some(DecisionMaker), 0, Some("2027-01-01"))],
                vec![],
                false,
            ),
            (
                "a stale coach is not a decision maker",
                Requirement::NoUncontactedDecisionMaker,
                vec![node(2, Some(Coach), 0, None)],
                vec![],
                true,
            ),
            ("no checklist", Requirement::ChecklistComplete(Demo), vec![], vec![], false),
            ("demo checklist open", Requirement::ChecklistComplete(Demo), vec![], vec![(Demo, false)], false),
            ("another kind complete", Requirement::ChecklistComplete(Demo), vec![], vec![(Proposal, true)], false),
            ("one of two demo checklists complete", Requirement::ChecklistComplete(Demo), vec![], vec![(Demo, false), (Demo, true)], true),
        ];
        for (what, r, map, lists, pass) in cases {
            let want = if pass { Outcome::Moved } else { Outcome::Blocked(vec![Missing::Requirement(r)]) };
            assert_eq!(check(&[r], &map, &lists), want, "{what}");
        }
    }

    #[test]
    fn blocked_lists_every_missing_kind_in_stage_order() {
        let reqs = [
            Requirement::KeyInfo(KeyField::Motivation),
            Requirement::ContactRole(ContactRole::DecisionMaker),
            Requirement::WeightsSum100,
            Requirement::NoUncontactedDecisionMaker,
            Requirement::ChecklistComplete(ChecklistKind::Demo),
        ];
        // The stale decision maker meets the role but not the contact rule; weights are 60.
        let map = [node(1, Some(ContactRole::DecisionMaker), 60, Some("2026-12-01"))];
        match check(&reqs, &map, &[]) {
            Outcome::Blocked(m) => {
                let codes: Vec<String> = m.iter().map(Missing::code).collect();
                assert_eq!(codes, ["key_info.motivation", "map.weights_100", "map.no_uncontacted_dm", "checklist.demo"]);
            }
            other => panic!("{other:?}"),
        }
        // Going backward or to Lost checks none of them.
        let k = KeyInfo::default();
        let back = MoveInput {
            from_stage: 2,
            to_stage: 1,
            key_info: &k,
            map: &[],
            checklists: &[],
            quotes: QuoteFacts::default(),
            open_objections: 0,
            today: day(TODAY),
            reason: Some("re-qualify"),
            lost_reason: None,
            role: Role::Rep,
            approved: false,
        };
        assert_eq!(rules(&reqs).check(&back), Outcome::Moved);
        assert_eq!(rules(&reqs).check(&MoveInput { to_stage: 4, lost_reason: Some("price"), ..back }), Outcome::Moved);
    }

    #[test]
    fn requirement_codes_round_trip() {
        let all = Requirement::all();
        assert_eq!(all.len(), KeyField::ALL.len() + ContactRole::ALL.len() + 2 + ChecklistKind::ALL.len() + 5);
        for r in &all {
            assert_eq!(Requirement::parse(&r.code()), Some(*r), "{}", r.code());
        }
        for (code, want) in [
            ("key_info.budget", Some(Requirement::KeyInfo(KeyField::BudgetKnown))),
            ("contact_role.decision_maker", Some(Requirement::ContactRole(ContactRole::DecisionMaker))),
            ("contact_role.coach", Some(Requirement::ContactRole(ContactRole::Coach))),
            ("map.weights_100", Some(Requirement::WeightsSum100)),
            ("map.no_uncontacted_dm", Some(Requirement::NoUncontactedDecisionMaker)),
            ("checklist.demo", Some(Requirement::ChecklistComplete(ChecklistKind::Demo))),
            ("checklist.exchange_meeting", Some(Requirement::ChecklistComplete(ChecklistKind::ExchangeMeeting))),
            ("contact_role.boss", None),
            ("checklist.", None),
            ("map.weights", None),
            ("decision_maker", None),
        ] {
            assert_eq!(Requirement::parse(code), want, "{code}");
        }
        assert_eq!(Requirement::KeyInfo(KeyField::Leader).key_field(), Some(KeyField::Leader));
        assert_eq!(Requirement::WeightsSum100.key_field(), None);
    }
}
