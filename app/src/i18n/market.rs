//! Words of the target market, cadence and capacity pages, in their own table so the main
//! catalogue is not a merge point for every feature. Same shape as `catalogue.rs`: a row
//! without both languages does not compile.
use super::I18n;
use crate::domain::account::market::FitKind;
use crate::domain::error::AppError;
use crate::domain::locale::Locale;

macro_rules! market_words {
    ($($key:ident => $en:literal, $zh:literal;)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum M {
            $($key,)*
        }

        fn pair(k: M) -> (&'static str, &'static str) {
            match k {
                $(M::$key => ($en, $zh),)*
            }
        }
    };
}

market_words! {
    TargetFilter => "Target market", "目标市场";
    FitIn => "In target", "目标内";
    FitOut => "Outside", "目标外";
    FitUnknown => "Unknown", "待定";
    PolicyLink => "Target market & cadence", "目标市场与回访频率";
    PolicyTitle => "Target market, cadence and capacity plan", "目标市场、回访频率与容量计划";
    PolicyLead => "The rules every account is measured by. Saving re-marks and re-schedules all accounts at once.", "衡量每个客户的规则。保存后所有客户立即按新规则重新标记和排期。";
    MarketTitle => "Target market", "目标市场";
    Industries => "Industries", "行业";
    IndustriesHint => "Type an industry and press Enter or Add. None: any industry. Synonyms match (机械 = machinery).", "输入行业后按回车或“添加”。不填表示不限行业。同义词视为同一行业（机械 = machinery）。";
    AddIndustry => "Add", "添加";
    RemoveIndustry => "Remove", "移除";
    RevenueMin => "Revenue from (RMB)", "营业额下限（元）";
    RevenueMax => "Revenue up to (RMB)", "营业额上限（元）";
    HeadcountMin => "Headcount from", "人数下限";
    HeadcountMax => "Headcount up to", "人数上限";
    ProfitFloor => "Profit at least (RMB)", "利润下限（元）";
    BlankNotAsked => "Leave a bound empty to not ask about it.", "留空表示不考察该项。";
    SaveMarket => "Save target market", "保存目标市场";
    CountsTitle => "Accounts now", "当前客户分布";
    CadenceTitle => "Contact cadence", "回访频率";
    CadenceHint => "Months between contacts per grade. Campaigns only: no personal cadence (seed: D).", "各级客户两次联系之间的月数。仅活动维护：不安排个人回访（默认 D 级）。";
    Grade => "Grade", "级别";
    EveryMonths => "Every … months", "每隔几个月";
    CampaignsOnly => "Campaigns only", "仅活动维护";
    SaveCadence => "Save cadence", "保存回访频率";
    PlanTitle => "Capacity plan (one rep's month)", "容量计划（每位销售每月）";
    PlanHint => "How many accounts of each grade a rep can keep, and the days a month they take.", "每位销售能维护的各级客户数，以及每月所需天数。";
    PlanAccounts => "Accounts", "客户数";
    PlanDays => "Days a month", "每月天数";
    PlanTotal => "Days planned in all", "计划总天数";
    SavePlan => "Save capacity plan", "保存容量计划";
    NotANumber => "Not a number", "不是有效数字";
    CapacityTitle => "Capacity plan", "容量计划";
    CapacityLead => "Each rep's accounts per grade against the plan, and the days a month that takes.", "每位销售各级客户数与计划的对比，以及所需的每月天数。";
    AllTeams => "All teams", "全部团队";
    TierNew => "New (ungraded)", "新客户（未分级）";
    TierD => "D (campaigns)", "D（活动维护）";
    DaysNeeded => "Days needed", "所需天数";
    WorkingDays => "Working days this month", "本月工作日";
    Over => "Over capacity", "超出负荷";
    Within => "Within capacity", "负荷内";
    NoReps => "No reps to show.", "没有可显示的销售。";
    PlanOf => "plan", "计划";
    SplitTitle => "Open pipeline by target market", "目标市场内外的在途商机";
    SplitLead => "Open deals you see, by where their account stands.", "您可见的进行中商机，按客户是否属于目标市场划分。";
    Amount => "Amount", "金额";
    Weighted => "Weighted", "加权";
    Deals => "deals", "个商机";
    ErrIndustries => "At most 50 industries of up to 100 characters; none blank, none twice (synonyms count as one).", "最多 50 个行业，每个不超过 100 字；不得为空或重复（同义词算同一个）。";
    ErrAmount => "An amount of 0 or more (up to 10 trillion), and the maximum not below the minimum.", "金额须大于等于 0（不超过 10 万亿），且上限不小于下限。";
    ErrHeadcount => "0 to 10,000,000, and the maximum not below the minimum.", "须在 0 至 10,000,000 之间，且上限不小于下限。";
    ErrCadence => "Every 1 to 24 months, or campaigns only.", "每 1 至 24 个月，或仅活动维护。";
    ErrPlanAccounts => "1 to 1000 accounts a line.", "每行 1 至 1000 个客户。";
    ErrPlanDays => "At most 31 days a month in all.", "所有行合计每月不超过 31 天。";
    ErrPlanLines => "At least one line, each grade once.", "至少一行，每个级别只出现一次。";
}

pub fn mt(l: Locale, k: M) -> &'static str {
    let (en, zh) = pair(k);
    match l {
        Locale::En => en,
        Locale::ZhCn => zh,
    }
}

pub fn fit_name(i18n: I18n, k: FitKind) -> &'static str {
    mt(
        i18n.locale(),
        match k {
            FitKind::In => M::FitIn,
            FitKind::Out => M::FitOut,
            FitKind::Unknown => M::FitUnknown,
        },
    )
}

/// A validation error of these forms in the user's language, by the field the rule named;
/// other errors as everywhere else.
pub fn policy_error(l: Locale, e: &AppError) -> String {
    let k = match e {
        AppError::Validation { field, message } => match field.as_str() {
            "industries" => M::ErrIndustries,
            "revenue_min" | "revenue_max" | "profit_floor" if message == "not a number" => M::NotANumber,
            "headcount_min" | "headcount_max" if message == "not a number" => M::NotANumber,
            "accounts" | "days_per_month" if message == "not a number" => M::NotANumber,
            "revenue_min" | "revenue_max" | "profit_floor" => M::ErrAmount,
            "headcount_min" | "headcount_max" => M::ErrHeadcount,
            f if f.starts_with("cadence_") => M::ErrCadence,
            "accounts" => M::ErrPlanAccounts,
            "days_per_month" => M::ErrPlanDays,
            "per_tier" => M::ErrPlanLines,
            _ => return super::error_message(l, e),
        },
        _ => return super::error_message(l, e),
    };
    mt(l, k).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_field_has_words_in_both_languages() {
        for field in [
            "industries",
            "revenue_min",
            "revenue_max",
            "profit_floor",
            "headcount_min",
            "headcount_max",
            "cadence_a",
            "accounts",
            "days_per_month",
            "per_tier",
        ] {
            let e = AppError::validation(field, "x");
            let (en, zh) = (policy_error(Locale::En, &e), policy_error(Locale::ZhCn, &e));
            // Not the generic "Please correct {field}: …" with the server's English.
            assert!(!en.contains(": x") && !zh.contains("：x") && en != zh, "{field}: {en} / {zh}");
        }
    }
}
