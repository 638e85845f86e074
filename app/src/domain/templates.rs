//! The three pipeline templates of the domain page, as data. New databases get copies;
//! admins edit the copies. Gate tests run on these without a database.
use super::checklist::ChecklistKind;
use super::committee::ContactRole;
use super::gate::{GateRules, GateStage, Policy, Requirement, StageKind};
use super::keyinfo::KeyField::*;

pub struct StageTpl {
    pub en: &'static str,
    pub zh: &'static str,
    pub pct: i32,
    pub kind: StageKind,
    pub stuck_days: i32,
    pub requires: &'static [Requirement],
    pub playbook_en: &'static str,
    pub playbook_zh: &'static str,
}

pub struct PipelineTpl {
    pub code: &'static str,
    pub en: &'static str,
    pub zh: &'static str,
    pub is_default: bool,
    pub stages: &'static [StageTpl],
    /// (from position, to position, policy) where the default table does not apply.
    pub overrides: &'static [(i32, i32, Policy)],
}

use Requirement::KeyInfo as K;
use StageKind::{Lost, Open, Won};

#[allow(clippy::too_many_arguments)]
const fn st(
    en: &'static str,
    zh: &'static str,
    pct: i32,
    kind: StageKind,
    stuck_days: i32,
    requires: &'static [Requirement],
    playbook_en: &'static str,
    playbook_zh: &'static str,
) -> StageTpl {
    StageTpl { en, zh, pct, kind, stuck_days, requires, playbook_en, playbook_zh }
}

pub const TEMPLATES: &[PipelineTpl] = &[
    PipelineTpl {
        code: "solution",
        en: "Solution sale",
        zh: "解决方案销售",
        is_default: true,
        stages: &[
            st(
                "Opportunity found",
                "发掘潜在商机",
                10,
                Open,
                30,
                &[],
                "Profile the account: industry, size, revenue, IT landscape, competitors, a first need.",
                "完善客户档案：行业、规模、营收、信息化现状、竞争对手、初步需求。",
            ),
            st(
                "Intent confirmed",
                "确认客户意向",
                25,
                Open,
                30,
                &[K(Motivation), K(Competitors)],
                "Confirm interest and that they will buy, not build; record the first requirement.",
                "确认客户意向及外购而非自建的倾向，记录首个需求。",
            ),
            st(
                "Project initiated",
                "引导客户立项",
                40,
                Open,
                45,
                &[K(BudgetKnown), K(DecisionMakers), K(VendorPickDate), Requirement::ContactRole(ContactRole::DecisionMaker)],
                "Get a budget, the selection team and its leader, a timeline and the decision maker.",
                "明确预算、选型小组及负责人、时间表与决策人。",
            ),
            st(
                "Customer approval",
                "赢得客户认可",
                60,
                Open,
                45,
                &[K(FunctionalScope), K(EvaluationItems), Requirement::ChecklistComplete(ChecklistKind::Demo)],
                "Run the targeted demo, submit a preliminary quote, get on the shortlist.",
                "完成针对性演示，提交初步报价，进入短名单。",
            ),
            st(
                "Negotiation",
                "进行商务谈判",
                80,
                Open,
                30,
                &[K(SigningDate), K(Leader), Requirement::QuoteApproved],
                "Approved formal quote; dates for bid, negotiation and signing. Concede slowly.",
                "正式报价已批准；确定投标、谈判与签约日期。让步要慢。",
            ),
            st(
                "Won",
                "完成销售成交",
                100,
                Won,
                0,
                &[Requirement::ContractSigned],
                "Contract approved and signed; amount and payment terms recorded.",
                "合同已审批并签署，金额与付款条件已登记。",
            ),
            st("Lost", "失败", 0, Lost, 0, &[], "Record the lost reason and, where known, the winner.", "记录失败原因及赢单厂商。"),
        ],
        // Entering "Project initiated" is the internal project approval (立项) by a manager.
        overrides: &[(2, 3, Policy::Approval)],
    },
    PipelineTpl {
        code: "erp",
        en: "ERP process",
        zh: "ERP 销售流程",
        is_default: false,
        stages: &[
            st("Prospect list", "潜在客户名单", 5, Open, 60, &[], "Qualify against the target market.", "按目标市场筛选客户。"),
            st(
                "Initial visit",
                "初访",
                10,
                Open,
                30,
                &[],
                "Meet the initiator; learn motivation and landscape.",
                "拜访发起人，了解动机与现状。",
            ),
            st(
                "Exchange",
                "交流",
                20,
                Open,
                30,
                &[K(Motivation)],
                "Hold the exchange meeting with the agenda template.",
                "按议程模板召开交流会。",
            ),
            st(
                "Targeted demo",
                "有针对性的系统演示",
                40,
                Open,
                30,
                &[K(EvaluationItems)],
                "Demo what the key evaluation items ask for.",
                "围绕关键评估项做演示。",
            ),
            st(
                "Formal quote",
                "正式书面报价",
                60,
                Open,
                30,
                &[K(BudgetKnown), Requirement::QuoteApproved],
                "Only after the exchange; an approved quote only.",
                "必须在交流之后，且仅发送已批准的报价。",
            ),
            st(
                "Objection handling",
                "客户的疑虑排除",
                70,
                Open,
                30,
                &[Requirement::QuoteSent],
                "Log each objection with a response and an owner.",
                "逐条登记异议、应对策略与负责人。",
            ),
            st(
                "Negotiation",
                "商务谈判",
                80,
                Open,
                30,
                &[K(DecisionMakers), Requirement::NoOpenObjection],
                "Each concession smaller than the last; get something back.",
                "每次让步小于上一次，并换取回报。",
            ),
            st("Signed", "签约", 100, Won, 0, &[Requirement::ContractSigned], "Contract signed.", "合同已签署。"),
            st("Lost", "失败", 0, Lost, 0, &[], "Record the lost reason.", "记录失败原因。"),
        ],
        // Seed 000: a formal quote (or anything after it) may never come before the exchange.
        overrides: &[
            (1, 5, Policy::Forbid),
            (1, 6, Policy::Forbid),
            (1, 7, Policy::Forbid),
            (1, 8, Policy::Forbid),
            (2, 5, Policy::Forbid),
            (2, 6, Policy::Forbid),
            (2, 7, Policy::Forbid),
            (2, 8, Policy::Forbid),
        ],
    },
    PipelineTpl {
        code: "product",
        en: "Product sale",
        zh: "产品销售",
        is_default: false,
        stages: &[
            st("Initial contact", "初步接触", 10, Open, 21, &[], "Reach the buyer, qualify the need.", "接触采购方，确认需求。"),
            st(
                "Needs confirmed",
                "需求确认",
                30,
                Open,
                21,
                &[K(FunctionalScope)],
                "Confirm specification and quantity.",
                "确认规格与数量。",
            ),
            st("Solution", "方案", 50, Open, 21, &[], "Offer the configuration.", "提交配置方案。"),
            st("Quote & negotiation", "报价与谈判", 70, Open, 21, &[K(BudgetKnown)], "Quote and agree terms.", "报价并谈妥条款。"),
            st(
                "Won",
                "成交",
                100,
                Won,
                0,
                &[Requirement::ContractSigned],
                "Order received against a signed contract.",
                "已签署合同并下单。",
            ),
            st("Lost", "失败", 0, Lost, 0, &[], "Record the lost reason.", "记录失败原因。"),
        ],
        overrides: &[],
    },
];

impl PipelineTpl {
    /// The template's rules with stage ids equal to positions (for tests and previews).
    pub fn rules(&self) -> GateRules {
        GateRules {
            stages: self
                .stages
                .iter()
                .enumerate()
                .map(|(i, s)| GateStage { id: i as i32 + 1, position: i as i32 + 1, kind: s.kind, requirements: s.requires.to_vec() })
                .collect(),
            overrides: self.overrides.to_vec(),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::domain::checklist::ChecklistKind;
    use crate::domain::committee::{Attitude, ContactRole, MapNode};
    use crate::domain::gate::{ForbidReason, Missing, MoveInput, Outcome, QuoteFacts};
    use crate::domain::keyinfo::{KeyField, KeyInfo};
    use crate::domain::role::Role;
    use chrono::NaiveDate;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, 1, 15).unwrap()
    }

    /// A map that meets every map requirement: a decision maker seen this week, weights 100.
    fn map_ok() -> Vec<MapNode> {
        vec![MapNode {
            contact_id: 1,
            reports_to: None,
            role: Some(ContactRole::DecisionMaker),
            influence_pct: 100,
            attitude: Attitude::Supporter,
            relationship: 4,
            last_contact: NaiveDate::from_ymd_opt(2027, 1, 12),
        }]
    }

    const ALL_DONE: &[(ChecklistKind, bool)] = &[(ChecklistKind::Demo, true), (ChecklistKind::Proposal, true)];

    fn full() -> KeyInfo {
        let mut k = KeyInfo {
            vendor_pick: "2027-01-01".parse().ok(),
            signing: "2027-02-01".parse().ok(),
            budgeted: Some(true),
            budget_fen: Some(1),
            ..Default::default()
        };
        for f in [
            &mut k.motivation,
            &mut k.problems,
            &mut k.functional_scope,
            &mut k.decision_makers,
            &mut k.decision_process,
            &mut k.competitors,
            &mut k.leader,
            &mut k.evaluation_items,
        ] {
            *f = Some("x".into());
        }
        k
    }

    /// A move whose map and checklists meet every requirement, so only key information varies.
    fn outcome(t: &PipelineTpl, from: i32, to: i32, k: &KeyInfo, reason: Option<&str>, lost: Option<&str>, approved: bool) -> Outcome {
        let map = map_ok();
        t.rules().check(&MoveInput {
            from_stage: from,
            to_stage: to,
            key_info: k,
            map: &map,
            checklists: ALL_DONE,
            quotes: QuoteFacts { approved: true, sent: true, contract_approved: true, contract_signed: true },
            open_objections: 0,
            today: today(),
            reason,
            lost_reason: lost,
            role: Role::Rep,
            approved,
        })
    }

    /// Every (from, to) pair of every template with complete facts: M moved, A needs
    /// approval, F forbidden by policy, - same stage. Rows are "from", columns "to".
    fn matrix(t: &PipelineTpl, want: &[&str]) {
        let k = full();
        let n = t.stages.len();
        assert_eq!(want.len(), n, "{}", t.code);
        for (fi, row) in want.iter().enumerate() {
            let row: Vec<char> = row.chars().filter(|c| !c.is_whitespace()).collect();
            assert_eq!(row.len(), n, "{} row {}", t.code, fi + 1);
            for (ti, c) in row.iter().enumerate() {
                let (from, to) = (fi as i32 + 1, ti as i32 + 1);
                let got = outcome(t, from, to, &k, Some("customer paused"), Some("price"), false);
                let expect = match c {
                    'M' => Outcome::Moved,
                    'A' => Outcome::NeedsApproval,
                    'F' => Outcome::Forbidden(ForbidReason::Policy),
                    '-' => Outcome::Forbidden(ForbidReason::SameStage),
                    _ => unreachable!(),
                };
                assert_eq!(got, expect, "{} {} -> {}", t.code, from, to);
                // An approval re-check turns every A into a move, and nothing else changes.
                let again = outcome(t, from, to, &k, Some("customer paused"), Some("price"), true);
                let expect_again = if *c == 'A' { Outcome::Moved } else { expect };
                assert_eq!(again, expect_again, "{} {} -> {} approved", t.code, from, to);
            }
        }
    }

    #[test]
    fn solution_policy_matrix() {
        // to:        1 2 3 4 5 W L
        matrix(
            &TEMPLATES[0],
            &[
                "- M A A A A M", // 1 Opportunity found
                "M - A A A A M", // 2 Intent confirmed (→3 is the project approval)
                "M M - M A A M", // 3 Project initiated
                "M M M - M A M", // 4 Customer approval
                "M M M M - M M", // 5 Negotiation
                "A A A A A - A", // Won: leaving it needs approval
                "A A A A A A -", // Lost
            ],
        );
    }

    #[test]
    fn erp_policy_matrix() {
        // to:        1 2 3 4 5 6 7 S L
        matrix(
            &TEMPLATES[1],
            &[
                "- M A A F F F F M", // Prospect list
                "M - M A F F F F M", // Initial visit: no quote before the exchange
                "M M - M A A A A M", // Exchange
                "M M M - M A A A M", // Targeted demo
                "M M M M - M A A M", // Formal quote
                "M M M M M - M A M", // Objection handling
                "M M M M M M - M M", // Negotiation
                "A A A A A A A - A", // Signed
                "A A A A A A A A -", // Lost
            ],
        );
    }

    #[test]
    fn product_policy_matrix() {
        // to:        1 2 3 4 W L
        matrix(
            &TEMPLATES[2],
            &[
                "- M A A A M", //
                "M - M A A M",
                "M M - M A M",
                "M M M - M M",
                "A A A A - A",
                "A A A A A -",
            ],
        );
    }

    #[test]
    fn one_step_forward_checks_the_target_requirements() {
        let t = &TEMPLATES[0];
        let none = KeyInfo::default();
        assert_eq!(
            outcome(t, 1, 2, &none, None, None, false),
            Outcome::Blocked(vec![
                Missing::Requirement(Requirement::KeyInfo(KeyField::Motivation)),
                Missing::Requirement(Requirement::KeyInfo(KeyField::Competitors))
            ])
        );
        let mut k = KeyInfo { motivation: Some("old ERP".into()), ..Default::default() };
        assert_eq!(
            outcome(t, 1, 2, &k, None, None, false),
            Outcome::Blocked(vec![Missing::Requirement(Requirement::KeyInfo(KeyField::Competitors))])
        );
        k.competitors = Some("SAP".into());
        assert_eq!(outcome(t, 1, 2, &k, None, None, false), Outcome::Moved);
    }

    #[test]
    fn a_skip_checks_every_stage_skipped_before_asking_for_approval() {
        let t = &TEMPLATES[0];
        let k = KeyInfo { motivation: Some("m".into()), competitors: Some("c".into()), ..Default::default() };
        match outcome(t, 1, 4, &k, None, None, false) {
            Outcome::Blocked(m) => {
                let codes: Vec<String> = m.iter().map(Missing::code).collect();
                assert_eq!(
                    codes,
                    [
                        "key_info.budget",
                        "key_info.decision_makers",
                        "key_info.vendor_pick",
                        "key_info.functional_scope",
                        "key_info.evaluation_items"
                    ]
                );
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(outcome(t, 1, 4, &full(), None, None, false), Outcome::NeedsApproval);
    }

    #[test]
    fn backward_needs_a_reason_and_no_requirements() {
        let t = &TEMPLATES[0];
        let none = KeyInfo::default();
        assert_eq!(outcome(t, 4, 2, &none, None, None, false), Outcome::Blocked(vec![Missing::Reason]));
        assert_eq!(outcome(t, 4, 2, &none, Some("  "), None, false), Outcome::Blocked(vec![Missing::Reason]));
        assert_eq!(outcome(t, 4, 2, &none, Some("budget frozen"), None, false), Outcome::Moved);
    }

    #[test]
    fn lost_needs_a_lost_reason_from_anywhere_open() {
        let t = &TEMPLATES[0];
        let none = KeyInfo::default();
        for from in 1..=5 {
            assert_eq!(outcome(t, from, 7, &none, None, None, false), Outcome::Blocked(vec![Missing::LostReason]), "from {from}");
            assert_eq!(outcome(t, from, 7, &none, None, Some("price"), false), Outcome::Moved, "from {from}");
        }
    }

    #[test]
    fn reopening_checks_everything_up_to_the_target() {
        let t = &TEMPLATES[0];
        let none = KeyInfo::default();
        assert!(matches!(outcome(t, 7, 3, &none, None, None, true), Outcome::Blocked(m) if m.len() == 5));
        assert_eq!(outcome(t, 7, 1, &none, None, None, false), Outcome::NeedsApproval);
        assert_eq!(outcome(t, 7, 1, &none, None, None, true), Outcome::Moved);
    }

    #[test]
    fn blocked_comes_before_approval_and_forbid_before_both() {
        let t = &TEMPLATES[1];
        let none = KeyInfo::default();
        assert_eq!(outcome(t, 1, 5, &none, None, None, true), Outcome::Forbidden(ForbidReason::Policy));
        assert!(matches!(outcome(t, 1, 4, &none, None, None, false), Outcome::Blocked(_)));
    }

    /// Seed 000: the 80 % stage of the solution sale and the ERP formal quote need an approved
    /// quote; objection handling needs one the customer has. Table: (template, from, to,
    /// quotes, missing quote requirement).
    #[test]
    fn quote_stages_need_an_approved_or_sent_quote() {
        let k = full();
        let map = map_ok();
        let none = QuoteFacts::default();
        let approved = QuoteFacts { approved: true, sent: false, ..Default::default() };
        let sent = QuoteFacts { approved: true, sent: true, ..Default::default() };
        let cases: &[(usize, i32, i32, QuoteFacts, Option<Requirement>)] = &[
            (0, 4, 5, none, Some(Requirement::QuoteApproved)),
            (0, 4, 5, approved, None),
            (1, 4, 5, none, Some(Requirement::QuoteApproved)),
            (1, 4, 5, approved, None),
            (1, 5, 6, approved, Some(Requirement::QuoteSent)),
            (1, 5, 6, sent, None),
            (0, 3, 4, none, None),
        ];
        for (i, (t, from, to, quotes, want)) in cases.iter().enumerate() {
            // Only moves whose requirements include a quote requirement read the quotes.
            let reads = TEMPLATES[*t].rules().needs_quotes(*from, *to);
            assert_eq!(reads, *to >= 5, "case {i}");
            let out = TEMPLATES[*t].rules().check(&MoveInput {
                from_stage: *from,
                to_stage: *to,
                key_info: &k,
                map: &map,
                checklists: ALL_DONE,
                quotes: *quotes,
                open_objections: 0,
                today: today(),
                reason: None,
                lost_reason: None,
                role: Role::Rep,
                approved: true,
            });
            match want {
                Some(r) => assert_eq!(out, Outcome::Blocked(vec![Missing::Requirement(*r)]), "case {i}"),
                None => assert_eq!(out, Outcome::Moved, "case {i}"),
            }
        }
    }

    /// The ERP negotiation (stage 7) is entered with no objection left open; no other shipped
    /// move reads the log. Table: (template, from, to, open objections, blocked).
    #[test]
    fn erp_negotiation_needs_every_objection_settled() {
        let k = full();
        let map = map_ok();
        let sent = QuoteFacts { approved: true, sent: true, contract_approved: true, contract_signed: true };
        let cases: &[(usize, i32, i32, u32, bool)] =
            &[(1, 6, 7, 0, false), (1, 6, 7, 1, true), (1, 6, 7, 3, true), (1, 5, 6, 2, false), (0, 5, 6, 2, false)];
        for (i, (t, from, to, open, blocked)) in cases.iter().enumerate() {
            let rules = TEMPLATES[*t].rules();
            assert_eq!(rules.needs_objections(*from, *to), *t == 1 && *to == 7, "case {i}");
            let out = rules.check(&MoveInput {
                from_stage: *from,
                to_stage: *to,
                key_info: &k,
                map: &map,
                checklists: ALL_DONE,
                quotes: sent,
                open_objections: *open,
                today: today(),
                reason: None,
                lost_reason: None,
                role: Role::Rep,
                approved: true,
            });
            let want = if *blocked { Outcome::Blocked(vec![Missing::Requirement(Requirement::NoOpenObjection)]) } else { Outcome::Moved };
            assert_eq!(out, want, "case {i}");
        }
    }

    #[test]
    fn executives_and_unknown_stages_are_refused() {
        let t = &TEMPLATES[0];
        let k = full();
        let exec = MoveInput {
            from_stage: 1,
            to_stage: 2,
            key_info: &k,
            map: &[],
            checklists: &[],
            quotes: QuoteFacts::default(),
            open_objections: 0,
            today: today(),
            reason: None,
            lost_reason: None,
            role: Role::Executive,
            approved: false,
        };
        assert_eq!(t.rules().check(&exec), Outcome::Forbidden(ForbidReason::ReadOnlyRole));
        let bad = MoveInput { to_stage: 99, role: Role::Rep, ..exec };
        assert_eq!(t.rules().check(&bad), Outcome::Forbidden(ForbidReason::UnknownStage));
    }

    #[test]
    fn solution_needs_a_decision_maker_for_stage_3_and_the_demo_for_stage_4() {
        let t = &TEMPLATES[0];
        let k = full();
        let check = |from: i32, to: i32, map: &[MapNode], lists: &[(ChecklistKind, bool)], approved: bool| {
            t.rules().check(&MoveInput {
                from_stage: from,
                to_stage: to,
                key_info: &k,
                map,
                checklists: lists,
                quotes: QuoteFacts { approved: true, sent: true, ..Default::default() },
                open_objections: 0,
                today: today(),
                reason: None,
                lost_reason: None,
                role: Role::Rep,
                approved,
            })
        };
        let dm = Missing::Requirement(Requirement::ContactRole(ContactRole::DecisionMaker));
        let demo = Missing::Requirement(Requirement::ChecklistComplete(ChecklistKind::Demo));
        // Blocked before approval is even asked, and again at the approval re-check.
        assert_eq!(check(2, 3, &[], ALL_DONE, false), Outcome::Blocked(vec![dm.clone()]));
        assert_eq!(check(2, 3, &[], ALL_DONE, true), Outcome::Blocked(vec![dm]));
        assert_eq!(check(2, 3, &map_ok(), &[], true), Outcome::Moved);
        assert_eq!(
            check(3, 4, &map_ok(), &[(ChecklistKind::Demo, false), (ChecklistKind::Proposal, true)], false),
            Outcome::Blocked(vec![demo])
        );
        assert_eq!(check(3, 4, &map_ok(), &[(ChecklistKind::Demo, false), (ChecklistKind::Demo, true)], false), Outcome::Moved);
    }

    /// Won needs a signed contract in every shipped funnel: a draft, an approved-only
    /// contract and none at all are blocked by name; a signed one moves.
    #[test]
    fn won_needs_a_signed_contract() {
        let k = full();
        let map = map_ok();
        for t in TEMPLATES {
            let last_open = t.stages.iter().filter(|s| s.kind == Open).count() as i32;
            let won = last_open + 1;
            for (approved, signed, moved) in [(false, false, false), (true, false, false), (true, true, true)] {
                let got = t.rules().check(&MoveInput {
                    from_stage: last_open,
                    to_stage: won,
                    key_info: &k,
                    map: &map,
                    checklists: ALL_DONE,
                    quotes: QuoteFacts { approved: true, sent: true, contract_approved: approved, contract_signed: signed },
                    open_objections: 0,
                    today: today(),
                    reason: None,
                    lost_reason: None,
                    role: Role::Rep,
                    approved: false,
                });
                let want = if moved { Outcome::Moved } else { Outcome::Blocked(vec![Missing::Requirement(Requirement::ContractSigned)]) };
                assert_eq!(got, want, "{} approved={approved} signed={signed}", t.code);
            }
        }
    }

    #[test]
    fn other_templates_need_no_map_or_checklist() {
        for t in &TEMPLATES[1..] {
            for s in t.stages {
                let quote = |r: &Requirement| {
                    matches!(
                        r,
                        Requirement::QuoteApproved | Requirement::QuoteSent | Requirement::NoOpenObjection | Requirement::ContractSigned
                    )
                };
                assert!(s.requires.iter().all(|r| r.key_field().is_some() || quote(r)), "{} {}", t.code, s.en);
            }
        }
    }

    #[test]
    fn templates_are_well_formed() {
        for t in TEMPLATES {
            assert_eq!(t.stages.iter().filter(|s| s.kind == Won).count(), 1, "{}", t.code);
            // The paper trail: no shipped funnel counts a deal won without a signed contract.
            assert!(t.stages.iter().any(|s| s.kind == Won && s.requires.contains(&Requirement::ContractSigned)), "{}", t.code);
            assert_eq!(t.stages.iter().filter(|s| s.kind == Lost).count(), 1, "{}", t.code);
            let rates: Vec<i32> = t.stages.iter().filter(|s| s.kind == Open).map(|s| s.pct).collect();
            assert!(rates.windows(2).all(|w| w[0] < w[1]), "{}: open win rates rise along the funnel", t.code);
            assert!(t.stages.iter().all(|s| (0..=100).contains(&s.pct)));
        }
        assert_eq!(TEMPLATES.iter().filter(|t| t.is_default).count(), 1);
        assert_eq!(Requirement::parse("key_info.budget"), Some(Requirement::KeyInfo(KeyField::BudgetKnown)));
        assert_eq!(Requirement::parse("nope"), None);
        for t in TEMPLATES {
            for s in t.stages {
                assert!(s.requires.iter().all(|r| Requirement::parse(&r.code()) == Some(*r)), "{} {}", t.code, s.en);
            }
        }
    }
}
