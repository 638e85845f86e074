//! zh-CN and en UI text. `K` strings live in `catalogue.rs`, one row per key with both
//! languages; words for codes (fields, buckets, roles, errors, …) are below, each English
//! next to its Chinese.
//! A key or code without both translations does not compile.
use crate::domain::{error::AppError, locale::Locale, role::Role};
use leptos::prelude::*;

pub mod audit;
mod catalogue;
pub mod listing;
pub mod market;

pub use catalogue::K;

pub fn t(l: Locale, k: K) -> &'static str {
    let (en, zh) = catalogue::pair(k);
    match l {
        Locale::En => en,
        Locale::ZhCn => zh,
    }
}

/// Labels of key-information fields, by the code used in requirements and the form.
pub fn field_label(l: Locale, code: &str) -> &'static str {
    let (en, zh) = match code {
        "selection_start" => ("Selection starts", "开始选型"),
        "selection_end" => ("Selection ends", "结束选型"),
        "vendor_pick" => ("Vendor decision", "确定供应商"),
        "signing" => ("Contract signing", "签约"),
        "implementation_start" => ("Implementation starts", "开始实施"),
        "go_live" => ("Go-live", "上线"),
        "budget" => ("Budget known", "预算已明确"),
        "budgeted" => ("Budgeted", "已列入预算"),
        "budget_fen" => ("Budget amount (¥)", "预算金额（¥）"),
        "budget_covers" => ("Budget covers", "预算范围"),
        "affordable_fen" => ("Can afford (¥)", "可承受金额（¥）"),
        "motivation" => ("Motivation", "项目动机"),
        "problems" => ("Problems to solve", "待解决问题"),
        "functional_scope" => ("Functional scope", "功能范围"),
        "geographic_scope" => ("Geographic scope", "地域范围"),
        "language_scope" => ("Languages", "语言范围"),
        "modules" => ("Modules", "模块"),
        "services" => ("Services", "服务"),
        "explicit_needs" => ("Explicit needs", "显性需求"),
        "implicit_needs" => ("Implicit needs", "隐性需求"),
        "confirmation_sent_on" => ("Requirement confirmation sent", "需求确认书发送日期"),
        "initiator" => ("Initiator", "发起人"),
        "decision_makers" => ("Decision makers", "决策人"),
        "decision_process" => ("Decision process", "决策流程"),
        "selection_criteria" => ("Selection criteria", "选型标准"),
        "hq_role" => ("Role of group HQ", "集团总部的作用"),
        "competitors" => ("Competitors", "竞争对手"),
        "leader" => ("Who leads", "领先者"),
        "leader_strengths" => ("Leader's strengths", "领先者优势"),
        "laggard_weaknesses" => ("Laggards' weaknesses", "落后者劣势"),
        "evaluation_items" => ("What the customer values most", "客户最看重的评估项"),
        "reason" => ("A reason for moving back", "回退原因"),
        "lost_reason" => ("A lost reason", "失败原因"),
        _ => ("", ""),
    };
    match l {
        Locale::En => en,
        Locale::ZhCn => zh,
    }
}

/// A close-time bucket code in words.
pub fn bucket_name(l: Locale, code: &str) -> &'static str {
    let (en, zh) = match code {
        "won" => ("Won", "已赢单"),
        "m3" => ("≤ 3 months", "3 个月内"),
        "m6" => ("3–6 months", "3–6 个月"),
        "m9" => ("6–9 months", "6–9 个月"),
        "m12" => ("9–12 months", "9–12 个月"),
        "later" => ("Later", "12 个月以后"),
        _ => ("—", "—"),
    };
    match l {
        Locale::En => en,
        Locale::ZhCn => zh,
    }
}

/// A ramp phase code in words (seed 001 success roadmap).
pub fn ramp_phase_name(l: Locale, code: &str) -> &'static str {
    let (en, zh) = match code {
        "training" => ("training", "培训期"),
        "m0_3" => ("months 0–3", "0–3 个月"),
        "m3_6" => ("months 3–6", "3–6 个月"),
        "m6_9" => ("months 6–9", "6–9 个月"),
        _ => ("months 9–12", "9–12 个月"),
    };
    match l {
        Locale::En => en,
        Locale::ZhCn => zh,
    }
}

/// A ramp check in words; `reached_N` counts deals at stage position N or beyond.
pub fn ramp_metric_name(l: Locale, code: &str) -> String {
    if let Some(pos) = code.strip_prefix("reached_") {
        return match l {
            Locale::En => format!("Deals at stage {pos} or beyond"),
            Locale::ZhCn => format!("到达第 {pos} 阶段及以后的商机"),
        };
    }
    let (en, zh) = match code {
        "accounts_researched" => ("Accounts researched", "已研究客户"),
        "opportunities_found" => ("Opportunities found", "发现的商机"),
        "wins" => ("Wins", "赢单数"),
        "largest_win" => ("Largest win", "最大单笔赢单"),
        "pipeline_pct" => ("Pipeline vs annual quota", "可实现定额占年度指标"),
        "phase_quota_pct" => ("Phase quota attained", "阶段指标完成率"),
        "year_quota_pct" => ("Annual quota attained", "年度指标完成率"),
        _ => ("—", "—"),
    };
    match l {
        Locale::En => en.to_owned(),
        Locale::ZhCn => zh.to_owned(),
    }
}

/// A forecast category code in words.
pub fn category_name(l: Locale, code: &str) -> &'static str {
    let (en, zh) = match code {
        "won" => ("Won", "已赢单"),
        "commit" => ("Commit", "本季度保证实现"),
        "best_case" => ("Best case", "本季度有希望实现"),
        "next_quarter" => ("Next quarter", "下季度"),
        "pipeline" => ("Pipeline", "储备"),
        "lost" => ("Lost", "已丢单"),
        _ => ("—", "—"),
    };
    match l {
        Locale::En => en,
        Locale::ZhCn => zh,
    }
}

/// Any gate requirement in words, by its code (`key_info.budget`, `contact_role.coach`, …);
/// other missing items (`reason`, `lost_reason`) by their field label; anything else as is.
pub fn requirement_label(l: Locale, code: &str) -> String {
    use crate::domain::gate::Requirement;
    match Requirement::parse(code) {
        Some(Requirement::KeyInfo(f)) => field_label(l, f.code()).to_owned(),
        Some(Requirement::ContactRole(r)) => format!("{}{}", t(l, K::ReqRolePrefix), r.label(l)),
        Some(Requirement::WeightsSum100) => t(l, K::ReqWeights100).to_owned(),
        Some(Requirement::NoUncontactedDecisionMaker) => t(l, K::ReqDmContacted).to_owned(),
        Some(Requirement::ChecklistComplete(k)) => format!("{}{}", t(l, K::ReqChecklistPrefix), k.template().label(l)),
        Some(Requirement::QuoteApproved) => t(l, K::ReqQuoteApproved).to_owned(),
        Some(Requirement::QuoteSent) => t(l, K::ReqQuoteSent).to_owned(),
        Some(Requirement::NoOpenObjection) => t(l, K::ReqNoOpenObjection).to_owned(),
        Some(Requirement::ContractApproved) => t(l, K::ReqContractApproved).to_owned(),
        Some(Requirement::ContractSigned) => t(l, K::ReqContractSigned).to_owned(),
        None => match field_label(l, code) {
            "" => code.to_owned(),
            label => label.to_owned(),
        },
    }
}

/// Why an imported row was refused, with a gate's requirements in words.
pub fn import_problem(l: Locale, p: &crate::domain::import::cells::Problem) -> String {
    use crate::domain::import::cells::Problem;
    match p {
        Problem::Gate { missing } => Problem::Gate { missing: missing.iter().map(|c| requirement_label(l, c)).collect() }.message(l),
        other => other.message(l),
    }
}

/// The sentence for a refused editor value (`domain::pipeline_edit`).
pub fn rule_key(field: &str, rule: crate::domain::pipeline_edit::Rule) -> K {
    use crate::domain::pipeline_edit::Rule;
    match rule {
        Rule::Empty => K::RuleEmpty,
        Rule::TooLong if field.starts_with("playbook") => K::RulePlaybookTooLong,
        Rule::TooLong => K::RuleNameTooLong,
        Rule::NotANumber => K::RuleNotANumber,
        Rule::OpenRate => K::RuleOpenRate,
        Rule::WonRate => K::RuleWonRate,
        Rule::LostRate => K::RuleLostRate,
        Rule::StuckDays => K::RuleStuckDays,
        Rule::NotAPermutation => K::RuleNotAPermutation,
        Rule::UnknownRequirement => K::RuleUnknownRequirement,
        Rule::LostHasNoRequirements => K::RuleLostHasNoRequirements,
        Rule::SameStage => K::RuleSameStage,
    }
}

/// What a history entry records, in words.
pub fn history_kind(l: Locale, kind: &str) -> &'static str {
    let (en, zh) = match kind {
        "created" => ("Created", "创建"),
        "moved" => ("Moved", "阶段推进"),
        "blocked" => ("Move blocked", "推进被拦截"),
        "forbidden" => ("Move refused", "推进被拒绝"),
        "approval_requested" => ("Approval requested", "提交审批"),
        "approval_approved" => ("Approved", "审批通过"),
        "approval_rejected" => ("Rejected", "审批驳回"),
        "amount_changed" => ("Amount changed", "金额变更"),
        "close_date_changed" => ("Close date changed", "预计成交日期变更"),
        "category_changed" => ("Forecast category changed", "预测分类变更"),
        "category_adjusted" => ("Category adjusted by the manager", "经理调整预测分类"),
        "key_info_changed" => ("Key information changed", "关键信息变更"),
        "quote_created" => ("Quote created", "创建报价"),
        "quote_submitted" => ("Quote submitted for approval", "报价提交审批"),
        "quote_approved" => ("Quote approved", "报价审批通过"),
        "quote_rejected" => ("Quote rejected", "报价审批驳回"),
        "quote_sent" => ("Quote sent to the customer", "报价已发送客户"),
        "quote_accepted" => ("Quote accepted by the customer", "客户接受报价"),
        "quote_declined" => ("Quote declined by the customer", "客户拒绝报价"),
        "quote_revised" => ("Quote revised", "报价修订"),
        "objection_raised" => ("Objection logged", "登记异议"),
        "objection_answered" => ("Objection answered", "异议已答复"),
        "objection_resolved" => ("Objection resolved", "异议已解决"),
        "objection_dropped" => ("Objection dropped", "异议已撤销"),
        "objection_reopened" => ("Objection reopened", "异议重新打开"),
        "owner_changed" => ("Owner changed", "负责人变更"),
        "team_changed" => ("Moved to the owner's new team", "随负责人转入新团队"),
        "account_merged" => ("Account merged into another", "所属客户已合并"),
        "contract_created" => ("Contract drafted", "起草合同"),
        "contract_submitted" => ("Contract submitted for approval", "合同提交审批"),
        "contract_step_approved" => ("Contract step approved", "合同审批环节通过"),
        "contract_approved" => ("Contract approved", "合同审批通过"),
        "contract_rejected" => ("Contract rejected", "合同审批驳回"),
        "contract_withdrawn" => ("Contract withdrawn from review", "合同撤回审批"),
        "contract_amended" => ("Contract amendment started", "合同变更（补充协议）起草"),
        "contract_signed" => ("Contract signed", "合同已签署"),
        "payment_received" => ("Payment received", "收到回款"),
        "negotiation_planned" => ("Negotiation planned", "制定谈判计划"),
        "negotiation_session" => ("Negotiation session logged", "记录谈判"),
        "concession_made" => ("Concession made", "做出让步"),
        "concession_approved" => ("Concession past the bottom line approved", "突破底线的让步获批"),
        "concession_rejected" => ("Concession past the bottom line refused", "突破底线的让步未获批"),
        "negotiation_submitted" => ("Negotiation result sent for confirmation", "谈判结果提交确认"),
        "negotiation_step_approved" => ("Negotiation result confirmed by the manager", "销售经理确认谈判结果"),
        "negotiation_confirmed" => ("Negotiation result confirmed", "谈判结果已确认"),
        "negotiation_returned" => ("Negotiation result returned", "谈判结果被退回"),
        _ => ("Changed", "变更"),
    };
    match l {
        Locale::En => en,
        Locale::ZhCn => zh,
    }
}

pub fn contract_status(l: Locale, s: crate::domain::contract::ContractStatus) -> &'static str {
    use crate::domain::contract::ContractStatus as S;
    t(
        l,
        match s {
            S::Draft => K::CsDraft,
            S::InReview => K::CsInReview,
            S::Approved => K::CsApproved,
            S::Signed => K::CsSigned,
            S::Superseded => K::CsSuperseded,
        },
    )
}

pub fn contract_type(l: Locale, c: crate::domain::contract::ContractType) -> &'static str {
    use crate::domain::contract::ContractType as C;
    t(
        l,
        match c {
            C::SoftwareLicence => K::CtSoftware,
            C::Service => K::CtService,
            C::Hardware => K::CtHardware,
            C::Maintenance => K::CtMaintenance,
            C::Mixed => K::CtMixed,
        },
    )
}

pub fn contract_approver(l: Locale, a: crate::domain::contract::Approver) -> &'static str {
    use crate::domain::contract::Approver as A;
    t(
        l,
        match a {
            A::SalesManager => K::ApproverSalesManager,
            A::Legal => K::ApproverLegal,
            A::Finance => K::ApproverFinance,
            A::GeneralManager => K::ApproverGm,
        },
    )
}

pub fn milestone_kind(l: Locale, m: crate::domain::contract::MilestoneKind) -> &'static str {
    use crate::domain::contract::MilestoneKind as M;
    t(
        l,
        match m {
            M::DownPayment => K::MkDown,
            M::OnDelivery => K::MkDelivery,
            M::OnAcceptance => K::MkAcceptance,
            M::Retention => K::MkRetention,
            M::Other => K::MkOther,
        },
    )
}

pub fn quote_status(l: Locale, s: crate::domain::quote::QuoteStatus) -> &'static str {
    use crate::domain::quote::QuoteStatus as S;
    let (en, zh) = match s {
        S::Draft => ("Draft", "草稿"),
        S::Submitted => ("Awaiting approval", "待审批"),
        S::Approved => ("Approved", "已批准"),
        S::Rejected => ("Rejected", "已驳回"),
        S::Sent => ("Sent", "已发送"),
        S::Accepted => ("Accepted", "已接受"),
        S::Declined => ("Declined", "已拒绝"),
        S::Expired => ("Expired", "已过期"),
        S::Superseded => ("Superseded", "已被修订"),
    };
    match l {
        Locale::En => en,
        Locale::ZhCn => zh,
    }
}

/// Why a quote needs its approver, in words.
pub fn quote_reason(l: Locale, r: &crate::domain::quote::Reason) -> String {
    use crate::domain::quote::{format_percent, Reason};
    let zh = l == Locale::ZhCn;
    match r {
        Reason::WithinManagerLimit { limit_bp } => {
            if zh {
                format!("折扣在经理权限 {} % 以内", format_percent(i64::from(*limit_bp)))
            } else {
                format!("discount within the manager's {} %", format_percent(i64::from(*limit_bp)))
            }
        }
        Reason::DiscountAbove { discount_bp, limit_bp } => {
            if zh {
                format!("折扣 {} % 超过经理权限 {} %", format_percent(*discount_bp), format_percent(i64::from(*limit_bp)))
            } else {
                format!("discount {} % above the manager's {} %", format_percent(*discount_bp), format_percent(i64::from(*limit_bp)))
            }
        }
        Reason::MarginBelow { margin_bp, floor_bp } => {
            if zh {
                format!("毛利率 {} % 低于底线 {} %", format_percent(*margin_bp), format_percent(i64::from(*floor_bp)))
            } else {
                format!("margin {} % below the {} % floor", format_percent(*margin_bp), format_percent(i64::from(*floor_bp)))
            }
        }
    }
}

pub fn role_name(l: Locale, r: Role) -> &'static str {
    let (en, zh) = match r {
        Role::Rep => ("Sales rep", "客户经理"),
        Role::Presales => ("Presales", "售前顾问"),
        Role::Manager => ("Sales manager", "销售主管"),
        Role::Legal => ("Legal", "法务"),
        Role::Gm => ("General manager", "总经理"),
        Role::Executive => ("Executive", "高层"),
        Role::Admin => ("Administrator", "系统管理员"),
    };
    match l {
        Locale::En => en,
        Locale::ZhCn => zh,
    }
}

/// The sentence a user sees for an error: what happened and what to do.
pub fn error_message(l: Locale, e: &AppError) -> String {
    match (l, e) {
        (Locale::En, AppError::Unauthorized) => "Your session has ended. Please sign in again.".into(),
        (Locale::ZhCn, AppError::Unauthorized) => "登录已失效，请重新登录。".into(),
        (Locale::En, AppError::BadCredentials) => "Wrong email or password. Check both and try again.".into(),
        (Locale::ZhCn, AppError::BadCredentials) => "邮箱或密码错误，请检查后重试。".into(),
        // Waits are short (seconds at first, at most minutes): say which.
        (Locale::En, AppError::RateLimited { retry_after_secs: s @ 0..=59 }) => {
            format!("Too many failed sign-ins from here. Try again in {} second(s).", s.max(&1))
        }
        (Locale::En, AppError::RateLimited { retry_after_secs }) => {
            format!("Too many failed sign-ins from here. Try again in {} minute(s).", retry_after_secs.div_ceil(60))
        }
        (Locale::ZhCn, AppError::RateLimited { retry_after_secs: s @ 0..=59 }) => {
            format!("此处登录失败次数过多，请 {} 秒后再试。", s.max(&1))
        }
        (Locale::ZhCn, AppError::RateLimited { retry_after_secs }) => {
            format!("此处登录失败次数过多，请 {} 分钟后再试。", retry_after_secs.div_ceil(60))
        }
        (Locale::En, AppError::Forbidden) => "You are not allowed to do this. Ask your manager or an administrator.".into(),
        (Locale::ZhCn, AppError::Forbidden) => "您没有执行此操作的权限，请联系主管或管理员。".into(),
        (Locale::En, AppError::NotFound) => "Not found, or not visible to you.".into(),
        (Locale::ZhCn, AppError::NotFound) => "未找到，或您无权查看。".into(),
        (Locale::En, AppError::Validation { field, message }) => format!("Please correct {field}: {message}"),
        (Locale::ZhCn, AppError::Validation { field, message }) => format!("请修改 {field}：{message}"),
        (Locale::En, AppError::Conflict) => "Someone else changed this meanwhile. We reloaded it; please check and try again.".into(),
        (Locale::ZhCn, AppError::Conflict) => "他人刚刚修改了此内容，已为您重新加载，请核对后重试。".into(),
        (Locale::En, AppError::DealChanged { version, last, by, at }) => {
            let what = last.map(|k| k.as_str().replace('_', " ")).unwrap_or_else(|| "a change".into());
            let by = by.as_deref().map(|b| format!(" by {b}")).unwrap_or_default();
            let at = at.map(|t| format!(" at {}", t.format("%Y-%m-%d %H:%M:%S UTC"))).unwrap_or_default();
            format!("Someone else changed this deal meanwhile: it is now at version {version} (last: {what}{by}{at}). We reloaded it; please check and try again.")
        }
        (Locale::ZhCn, AppError::DealChanged { version, last, by, at }) => {
            let what = last.map(|k| k.as_str().replace('_', " ")).unwrap_or_else(|| "修改".into());
            let by = by.as_deref().map(|b| format!("，{b}")).unwrap_or_default();
            let at = at.map(|t| format!("，{}", t.format("%Y-%m-%d %H:%M:%S UTC"))).unwrap_or_default();
            format!("他人刚刚修改了此商机，现为第 {version} 版（最近：{what}{by}{at}），已为您重新加载，请核对后重试。")
        }
        (Locale::En, AppError::InUse { deals }) => {
            format!("Still on {deals} deal(s) (buying committee, quote or objection). Take them off there first.")
        }
        (Locale::ZhCn, AppError::InUse { deals }) => format!("仍在 {deals} 个商机中使用（决策链、报价或异议），请先在那里移除。"),
        (Locale::En, AppError::Internal) => "Something failed on our side. Your input is kept; please try again.".into(),
        (Locale::ZhCn, AppError::Internal) => "服务器出错，您的输入已保留，请重试。".into(),
        (Locale::En, AppError::Transport(_)) => "The server could not be reached. Check your connection and try again.".into(),
        (Locale::ZhCn, AppError::Transport(_)) => "无法连接服务器，请检查网络后重试。".into(),
    }
}

/// "Showing 1–50 of 120"
pub fn showing(l: Locale, from: u64, to: u64, total: u64) -> String {
    match l {
        Locale::En => format!("Showing {from}–{to} of {total}"),
        Locale::ZhCn => format!("第 {from}–{to} 条，共 {total} 条"),
    }
}

/// The reactive language of the page, provided once at the root.
#[derive(Clone, Copy)]
pub struct I18n(pub RwSignal<Locale>);

impl I18n {
    pub fn locale(self) -> Locale {
        self.0.get()
    }

    pub fn t(self, k: K) -> &'static str {
        t(self.0.get(), k)
    }
}

pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(|| I18n(RwSignal::new(Locale::En)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_catalogue_is_chinese() {
        // Brand names stay; everything a user reads must be translated.
        for k in [K::NavBoard, K::SignIn, K::DealsEmpty, K::SignOut, K::ApprovalsEmpty, K::PipelinesTitle, K::PoliciesLead, K::RuleOpenRate]
        {
            assert_ne!(t(Locale::En, k), t(Locale::ZhCn, k), "{k:?}");
            assert!(!t(Locale::ZhCn, k).is_ascii(), "{k:?}");
        }
    }

    #[test]
    fn every_requirement_has_a_label_in_both_languages() {
        for r in crate::domain::gate::Requirement::all() {
            for l in [Locale::En, Locale::ZhCn] {
                let label = requirement_label(l, &r.code());
                assert!(!label.is_empty() && label != r.code(), "{r:?} {l:?}");
            }
            assert_ne!(requirement_label(Locale::En, &r.code()), requirement_label(Locale::ZhCn, &r.code()), "{r:?}");
        }
        assert_eq!(requirement_label(Locale::ZhCn, "lost_reason"), "失败原因");
        assert_eq!(requirement_label(Locale::En, "no.such"), "no.such");
    }

    #[test]
    fn rate_limit_message_rounds_up_minutes() {
        let e = AppError::RateLimited { retry_after_secs: 61 };
        assert!(error_message(Locale::En, &e).contains("2 minute"));
        assert!(error_message(Locale::ZhCn, &e).contains("2 分钟"));
        let e = AppError::RateLimited { retry_after_secs: 7 };
        assert!(error_message(Locale::En, &e).contains("7 second"));
        assert!(error_message(Locale::ZhCn, &e).contains("7 秒"));
    }
}
