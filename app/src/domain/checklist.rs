//! Presales checklists and meeting templates: the seeded templates as data (zh + en), and
//! the rules for a checklist attached to a deal (completion, overdue items).
use super::locale::Locale;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Which template a checklist was made from. Stable codes: stored on the checklist and used
/// in gate requirement codes ("checklist.demo").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ChecklistKind {
    Demo,
    Proposal,
    ExchangeMeeting,
}

impl ChecklistKind {
    pub const ALL: [ChecklistKind; 3] = [ChecklistKind::Demo, ChecklistKind::Proposal, ChecklistKind::ExchangeMeeting];

    pub fn code(self) -> &'static str {
        match self {
            ChecklistKind::Demo => "demo",
            ChecklistKind::Proposal => "proposal",
            ChecklistKind::ExchangeMeeting => "exchange_meeting",
        }
    }

    pub fn parse(code: &str) -> Option<ChecklistKind> {
        ChecklistKind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn template(self) -> &'static ChecklistTemplate {
        match self {
            ChecklistKind::Demo => &DEMO,
            ChecklistKind::Proposal => &PROPOSAL,
            ChecklistKind::ExchangeMeeting => &EXCHANGE_MEETING,
        }
    }
}

/// One line of a template. `code` is stable within its template, so a deal's items can be
/// traced back to the template line they were copied from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TemplateItem {
    pub code: &'static str,
    pub en: &'static str,
    pub zh: &'static str,
    /// What "done" means for this line.
    pub hint_en: &'static str,
    pub hint_zh: &'static str,
    /// Time slot, for agenda lines.
    pub minutes: Option<u16>,
}

impl TemplateItem {
    pub fn label(&self, l: Locale) -> &'static str {
        match l {
            Locale::En => self.en,
            Locale::ZhCn => self.zh,
        }
    }

    pub fn hint(&self, l: Locale) -> &'static str {
        match l {
            Locale::En => self.hint_en,
            Locale::ZhCn => self.hint_zh,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChecklistTemplate {
    pub kind: ChecklistKind,
    pub en: &'static str,
    pub zh: &'static str,
    /// A meeting agenda rather than a to-do list (it carries time slots).
    pub is_agenda: bool,
    pub items: &'static [TemplateItem],
}

impl ChecklistTemplate {
    pub fn label(&self, l: Locale) -> &'static str {
        match l {
            Locale::En => self.en,
            Locale::ZhCn => self.zh,
        }
    }

    /// Planned length of an agenda, in minutes.
    pub fn total_minutes(&self) -> u32 {
        self.items.iter().filter_map(|i| i.minutes).map(u32::from).sum()
    }
}

const fn item(code: &'static str, en: &'static str, zh: &'static str, hint_en: &'static str, hint_zh: &'static str) -> TemplateItem {
    TemplateItem { code, en, zh, hint_en, hint_zh, minutes: None }
}

const fn slot(
    code: &'static str,
    minutes: u16,
    en: &'static str,
    zh: &'static str,
    hint_en: &'static str,
    hint_zh: &'static str,
) -> TemplateItem {
    TemplateItem { code, en, zh, hint_en, hint_zh, minutes: Some(minutes) }
}

/// The targeted demo (有针对性的系统演示), from seed 000's purpose and cautions for the demo,
/// with the 24-hour follow-up rule of seed 003.
pub const DEMO: ChecklistTemplate = ChecklistTemplate {
    kind: ChecklistKind::Demo,
    en: "Targeted demo checklist",
    zh: "针对性系统演示清单",
    is_agenda: false,
    items: &[
        item(
            "key_items",
            "Script built on the key evaluation items",
            "围绕关键评估项编写演示脚本",
            "Show what the customer cares about most, to win points.",
            "针对客户关心的部分发挥，力求加分。",
        ),
        item(
            "audience",
            "Demo style fitted to the audience",
            "依客户程度区分演示形态",
            "Executives, key users and IT each see the depth they can follow.",
            "高层、关键用户、IT 各看其能理解的深度。",
        ),
        item(
            "environment",
            "Environment and data set up for the customer's scenario",
            "按客户业务场景准备演示环境与数据",
            "Their products, their process, their terms.",
            "使用客户的产品、流程与术语。",
        ),
        item(
            "attendees",
            "Decision makers and key people confirmed to attend",
            "确认决策高层及关键人员出席",
            "The people who decide see it with their own eyes.",
            "让决策者眼见为凭。",
        ),
        item(
            "rehearsal",
            "Rehearsed; weak spots left out",
            "内部演练，不自暴其短",
            "Run it once internally; show strengths, do not volunteer weaknesses.",
            "内部预演一遍；展示长处，无须自暴其短。",
        ),
        item("timebox", "Timeboxed: stop while ahead", "控制时间，见好就收", "Do not add legs to the snake.", "见好就收，不要画蛇添足。"),
        item(
            "questions",
            "Questions answered without debate",
            "答疑不争论、不恋战",
            "It is not a debating contest.",
            "不是辩论比赛，不可争论恋战。",
        ),
        item(
            "follow_up",
            "Feedback recorded and follow-up sent within 24 h",
            "24 小时内记录反馈并发送跟进",
            "New needs and objections go into the deal the same day.",
            "新需求与异议当天录入商机。",
        ),
    ],
};

/// The proposal design checklist (方案设计清单), seed 003 table 3.
pub const PROPOSAL: ChecklistTemplate = ChecklistTemplate {
    kind: ChecklistKind::Proposal,
    en: "Proposal checklist",
    zh: "方案设计清单",
    is_agenda: false,
    items: &[
        item(
            "pain_analysis",
            "Pain analysis",
            "客户痛点分析",
            "From the customer's industry data, the three core pains of today's business.",
            "结合客户行业数据，说明现有业务场景的 3 个核心痛点。",
        ),
        item(
            "solution_overview",
            "Solution overview",
            "解决方案概述",
            "Overall architecture and core value (e.g. follow-up efficiency up 30 %).",
            "方案整体架构及核心价值（如提升客户跟进效率 30%）。",
        ),
        item(
            "core_features",
            "Core features",
            "核心功能详情",
            "Features module by module (customer records, follow-up reminders, analytics, …).",
            "分模块说明功能点（客户信息管理、跟进提醒、数据分析等）。",
        ),
        item(
            "value_quantification",
            "Value quantification",
            "价值量化",
            "Against today, the expected cost savings and efficiency gains in figures.",
            "对比现状，方案实施后预期成本降低、效率提升的具体数据。",
        ),
        item(
            "implementation_plan",
            "Implementation plan",
            "实施计划",
            "Phased timetable: requirements → build → training → go-live.",
            "分阶段实施时间表（需求确认 → 系统搭建 → 人员培训 → 正式上线）。",
        ),
        item(
            "reference_cases",
            "Reference cases",
            "成功案例",
            "Two or three customers in the same industry: name, results, their words.",
            "同行业 2–3 个客户案例（客户名称、实施效果、客户评价）。",
        ),
    ],
};

/// The exchange meeting (交流) agenda, seed 000's suggested example: about two hours, top
/// decision makers present, the overall picture rather than detail.
pub const EXCHANGE_MEETING: ChecklistTemplate = ChecklistTemplate {
    kind: ChecklistKind::ExchangeMeeting,
    en: "Exchange meeting agenda",
    zh: "交流会议程",
    is_agenda: true,
    items: &[
        item(
            "attendees",
            "Decision makers invited",
            "邀请决策高层参加",
            "The boss and the key people; keep it to about two hours.",
            "老板及关键人员；时间不要太长（约 2 小时）。",
        ),
        slot(
            "company_intro",
            15,
            "Our company",
            "公司简介",
            "Basic facts, history, awards, mission; the full product line; after-sales service; customers and references.",
            "公司基本资料、历史、殊荣、使命理念；完整产品线；售后服务机制；客户群及代表性客户。",
        ),
        slot("why_erp", 40, "Why ERP, and how to implement it", "为何需要 ERP，如何实施 ERP", "As the audience needs it.", "酌情安排。"),
        slot(
            "product_overview",
            30,
            "Product: IT and management functions",
            "产品 IT 及管理功能简介",
            "The overall picture and strengths, not every screen.",
            "以整体轮廓、特色优点面呈现。",
        ),
        slot("why_us", 5, "Why choose us", "选择我们的理由", "The reasons, stated plainly.", "强调客户选择我们的理由。"),
        slot(
            "customer_intro",
            20,
            "The customer presents its situation and needs",
            "客户介绍公司状况及信息化需求",
            "Listen: learn their production process and main needs.",
            "要说也要听：了解客户的生产作业流程及主要需求。",
        ),
        slot("qa", 30, "Questions and answers", "问答", "Note every question as a need or an objection.", "逐条记录问题，归入需求或异议。"),
        item(
            "plant_visit",
            "Visit the plant and production flow",
            "参观工厂及生产流程",
            "After the meeting, if possible; time as it fits.",
            "交流结束后，如有可能；时间视状况而定。",
        ),
    ],
};

pub const TEMPLATES: [&ChecklistTemplate; 3] = [&DEMO, &PROPOSAL, &EXCHANGE_MEETING];

/// One item of a checklist on a deal. Text, notes and links are stored beside it; the
/// rules only need these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    pub id: i32,
    pub done: bool,
    pub owner_id: Option<i32>,
    pub due: Option<NaiveDate>,
}

/// (done, total) — shown as "4/6".
pub fn completion(items: &[ChecklistItem]) -> (usize, usize) {
    (items.iter().filter(|i| i.done).count(), items.len())
}

/// Every item done. An empty checklist is not complete: deleting the items must not
/// satisfy a gate.
pub fn is_complete(items: &[ChecklistItem]) -> bool {
    !items.is_empty() && items.iter().all(|i| i.done)
}

/// Open items whose due date has passed (due today is not yet overdue), in list order.
pub fn overdue(items: &[ChecklistItem], today: NaiveDate) -> Vec<i32> {
    items.iter().filter(|i| !i.done && i.due.is_some_and(|d| d < today)).map(|i| i.id).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn it(id: i32, done: bool, due: Option<&str>) -> ChecklistItem {
        ChecklistItem { id, done, owner_id: Some(7), due: due.map(day) }
    }

    #[test]
    fn codes_round_trip_and_templates_match_their_kind() {
        for k in ChecklistKind::ALL {
            assert_eq!(ChecklistKind::parse(k.code()), Some(k));
            assert_eq!(k.template().kind, k);
        }
        assert_eq!(ChecklistKind::parse("Demo"), None);
        assert_eq!(TEMPLATES.map(|t| t.kind), ChecklistKind::ALL);
    }

    #[test]
    fn templates_are_well_formed() {
        for t in TEMPLATES {
            assert!(!t.items.is_empty(), "{}", t.en);
            assert!(!t.label(Locale::En).is_empty() && !t.label(Locale::ZhCn).is_empty());
            for (i, a) in t.items.iter().enumerate() {
                assert!(t.items[..i].iter().all(|b| b.code != a.code), "{}: duplicate {}", t.en, a.code);
                assert!(a.code.bytes().all(|c| c.is_ascii_lowercase() || c == b'_'), "{}", a.code);
                for s in [a.en, a.zh, a.hint_en, a.hint_zh] {
                    assert!(!s.trim().is_empty(), "{}: {}", t.en, a.code);
                }
                assert!(!a.zh.is_ascii() && !a.hint_zh.is_ascii(), "{}: zh text is Chinese", a.code);
            }
            // Only agendas carry time slots.
            assert_eq!(t.is_agenda, t.items.iter().any(|i| i.minutes.is_some()), "{}", t.en);
        }
    }

    #[test]
    fn proposal_is_seed_003_table_3_in_order() {
        let codes: Vec<&str> = PROPOSAL.items.iter().map(|i| i.code).collect();
        assert_eq!(
            codes,
            ["pain_analysis", "solution_overview", "core_features", "value_quantification", "implementation_plan", "reference_cases"]
        );
        assert_eq!(PROPOSAL.items[0].label(Locale::ZhCn), "客户痛点分析");
        assert_eq!(PROPOSAL.items[5].label(Locale::En), "Reference cases");
    }

    #[test]
    fn exchange_agenda_is_seed_000_with_its_time_slots() {
        let slots: Vec<(&str, Option<u16>)> = EXCHANGE_MEETING.items.iter().map(|i| (i.code, i.minutes)).collect();
        assert_eq!(
            slots,
            [
                ("attendees", None),
                ("company_intro", Some(15)),
                ("why_erp", Some(40)),
                ("product_overview", Some(30)),
                ("why_us", Some(5)),
                ("customer_intro", Some(20)),
                ("qa", Some(30)),
                ("plant_visit", None),
            ]
        );
        assert_eq!(EXCHANGE_MEETING.total_minutes(), 140);
        assert_eq!(DEMO.total_minutes(), 0);
    }

    #[test]
    fn completion_table() {
        type Case = (&'static str, Vec<ChecklistItem>, (usize, usize), bool);
        let cases: Vec<Case> = vec![
            ("empty is not complete", vec![], (0, 0), false),
            ("one open", vec![it(1, false, None)], (0, 1), false),
            ("one done", vec![it(1, true, None)], (1, 1), true),
            ("four of six", (1..=6).map(|i| it(i, i <= 4, None)).collect(), (4, 6), false),
            ("six of six", (1..=6).map(|i| it(i, true, None)).collect(), (6, 6), true),
        ];
        for (what, items, want, complete) in cases {
            assert_eq!(completion(&items), want, "{what}");
            assert_eq!(is_complete(&items), complete, "{what}");
        }
    }

    #[test]
    fn overdue_table() {
        let today = day("2027-05-10");
        let items = vec![
            it(1, false, Some("2027-05-09")), // yesterday, open: overdue
            it(2, true, Some("2027-05-01")),  // done long ago: not overdue
            it(3, false, Some("2027-05-10")), // due today: not yet
            it(4, false, Some("2027-05-11")), // tomorrow
            it(5, false, None),               // no due date
            it(6, false, Some("2026-12-31")), // long overdue
        ];
        assert_eq!(overdue(&items, today), [1, 6]);
        assert_eq!(overdue(&[], today), Vec::<i32>::new());
    }
}

/// Longest name or line text an admin may give a template (characters).
pub const TEMPLATE_TEXT_MAX: usize = 300;
/// Most lines one template may have.
pub const TEMPLATE_LINES_MAX: usize = 60;

/// What is wrong with an edited template, for the field it names: `name_en`, `name_zh`,
/// `lines`, or `lines.N.text_en` / `lines.N.text_zh` (N from 0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateProblem {
    pub field: String,
    pub message: &'static str,
}

fn text_problem(field: String, text: &str) -> Option<TemplateProblem> {
    let t = text.trim();
    if t.is_empty() {
        Some(TemplateProblem { field, message: "required (both languages)" })
    } else if t.chars().count() > TEMPLATE_TEXT_MAX {
        Some(TemplateProblem { field, message: "at most 300 characters" })
    } else {
        None
    }
}

/// The first problem of an edited template in reading order, or None when it can be saved:
/// both names and every line's text in both languages, 1 to 60 lines, minutes 0–600.
pub fn template_problem(name_en: &str, name_zh: &str, lines: &[(&str, &str, Option<i32>)]) -> Option<TemplateProblem> {
    if let Some(p) = text_problem("name_en".into(), name_en).or_else(|| text_problem("name_zh".into(), name_zh)) {
        return Some(p);
    }
    if lines.is_empty() {
        return Some(TemplateProblem { field: "lines".into(), message: "a checklist needs at least one line" });
    }
    if lines.len() > TEMPLATE_LINES_MAX {
        return Some(TemplateProblem { field: "lines".into(), message: "at most 60 lines" });
    }
    for (i, (en, zh, minutes)) in lines.iter().enumerate() {
        if let Some(p) = text_problem(format!("lines.{i}.text_en"), en).or_else(|| text_problem(format!("lines.{i}.text_zh"), zh)) {
            return Some(p);
        }
        if minutes.is_some_and(|m| !(0..=600).contains(&m)) {
            return Some(TemplateProblem { field: format!("lines.{i}.minutes"), message: "0 to 600 minutes" });
        }
    }
    None
}

#[cfg(test)]
mod template_tests {
    use super::*;

    #[test]
    fn template_edits_table() {
        let long = "x".repeat(301);
        let ok = [("Pain points", "痛点", None)];
        // (name_en, name_zh, lines, the field that is wrong)
        type Case<'a> = (&'a str, &'a str, Vec<(&'a str, &'a str, Option<i32>)>, Option<&'a str>);
        let cases: Vec<Case> = vec![
            ("Demo", "演示", ok.to_vec(), None),
            ("  ", "演示", ok.to_vec(), Some("name_en")),
            ("Demo", "", ok.to_vec(), Some("name_zh")),
            (&long, "演示", ok.to_vec(), Some("name_en")),
            ("Demo", "演示", vec![], Some("lines")),
            ("Demo", "演示", vec![("a", "甲", None); 61], Some("lines")),
            ("Demo", "演示", vec![("a", "甲", None); 60], None),
            ("Demo", "演示", vec![("a", "甲", None), (" ", "乙", None)], Some("lines.1.text_en")),
            ("Demo", "演示", vec![("a", "", None)], Some("lines.0.text_zh")),
            ("Demo", "演示", vec![("a", "甲", Some(-1))], Some("lines.0.minutes")),
            ("Demo", "演示", vec![("a", "甲", Some(601))], Some("lines.0.minutes")),
            ("Demo", "演示", vec![("a", "甲", Some(600))], None),
        ];
        for (en, zh, lines, want) in cases {
            let got = template_problem(en, zh, &lines);
            assert_eq!(got.as_ref().map(|p| p.field.as_str()), want, "{en:?} {zh:?} {} lines", lines.len());
        }
    }
}
