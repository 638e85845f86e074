//! The target market (目标市场): a filter an admin edits that marks accounts in, out, or not
//! yet known. Seed 000's example is the default: manufacturers with a yearly revenue of RMB
//! 0.3–5 亿 and a profit of RMB 500 万 or more (以上, so inclusive) in electronics, electrical
//! machinery and appliances, machinery, hardware, tools and transport equipment.
//!
//! An account missing a fact the filter asks about is `Unknown`, not `Out`: most accounts
//! start with a name and a phone number, and calling them out of the market would hide the
//! ones worth asking. A fact that is known and misses does decide: such an account is out
//! whatever else is missing.
use crate::domain::error::AppError;
use crate::domain::validate::amount_fen;
use serde::{Deserialize, Serialize};

/// The filter. Every bound is inclusive and optional (`None`: not asked).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetMarket {
    /// Industries, as codes ("machinery") or words ("机械"), matched on [`industry_code`];
    /// empty: any industry.
    pub industries: Vec<String>,
    pub revenue_min_fen: Option<i64>,
    pub revenue_max_fen: Option<i64>,
    pub headcount_min: Option<i32>,
    pub headcount_max: Option<i32>,
    pub profit_floor_fen: Option<i64>,
}

/// 1 亿 yuan in fen.
const YI_FEN: i64 = 100_000_000 * 100;
/// 1 万 yuan in fen.
const WAN_FEN: i64 = 10_000 * 100;

impl Default for TargetMarket {
    fn default() -> Self {
        TargetMarket {
            industries: ["electronics", "electrical", "machinery", "hardware", "tools", "transport_equipment"]
                .into_iter()
                .map(str::to_owned)
                .collect(),
            revenue_min_fen: Some(3 * YI_FEN / 10),
            revenue_max_fen: Some(5 * YI_FEN),
            headcount_min: None,
            headcount_max: None,
            profit_floor_fen: Some(500 * WAN_FEN),
        }
    }
}

/// Bounds of the filter itself.
pub const INDUSTRIES_MAX: usize = 50;
pub const INDUSTRY_CHARS_MAX: usize = 100;
pub const HEADCOUNT_MAX: i32 = 10_000_000;

/// What is known of an account. `industry` is the account's free text ("" when not given).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountFacts {
    pub industry: String,
    pub revenue_fen: Option<i64>,
    pub headcount: Option<i32>,
    pub profit_fen: Option<i64>,
}

/// A fact the filter needs and the account lacks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Industry,
    Revenue,
    Headcount,
    Profit,
}

impl Field {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Industry => "industry",
            Self::Revenue => "revenue",
            Self::Headcount => "headcount",
            Self::Profit => "profit",
        }
    }
}

/// A known fact that falls outside the filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Miss {
    IndustryNotTargeted,
    RevenueBelow,
    RevenueAbove,
    HeadcountBelow,
    HeadcountAbove,
    ProfitBelow,
}

impl Miss {
    pub const fn code(self) -> &'static str {
        match self {
            Self::IndustryNotTargeted => "industry_not_targeted",
            Self::RevenueBelow => "revenue_below",
            Self::RevenueAbove => "revenue_above",
            Self::HeadcountBelow => "headcount_below",
            Self::HeadcountAbove => "headcount_above",
            Self::ProfitBelow => "profit_below",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "fit", content = "items")]
pub enum Fit {
    In,
    /// Out, for these reasons (in field order).
    Out(Vec<Miss>),
    /// Nothing known misses, but these facts are needed to say.
    Unknown(Vec<Field>),
}

/// Words that name the seed's target industries, simplified and traditional Chinese and
/// English, lower case; the first entry with a word found in the text gives the code. The
/// codes contain their own words, so a code normalises to itself.
const INDUSTRY_WORDS: &[(&str, &[&str])] = &[
    ("electronics", &["electronic", "电子", "電子"]),
    ("electrical", &["electrical", "electric motor", "appliance", "电机", "電機", "电器", "電器", "电气", "電氣"]),
    ("machinery", &["machinery", "machine", "机械", "機械", "机床", "機床"]),
    ("hardware", &["hardware", "五金"]),
    ("tools", &["tool", "工具"]),
    ("transport_equipment", &["transport", "automotive", "auto parts", "vehicle", "运输", "運輸", "汽车", "汽車", "车辆", "車輛"]),
];

/// The code an industry text is matched on: trimmed, runs of blanks as one space, lower case;
/// then a known industry's code if the text names one ("精密机械", "Machinery" → machinery),
/// else the text itself, so an industry outside the list matches only the same words.
/// `None` for a blank text.
pub fn industry_code(text: &str) -> Option<String> {
    let norm = text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    if norm.is_empty() {
        return None;
    }
    match INDUSTRY_WORDS.iter().find(|(_, words)| words.iter().any(|w| norm.contains(w))) {
        Some((code, _)) => Some((*code).to_owned()),
        None => Some(norm),
    }
}

enum Check {
    Pass,
    Below,
    Above,
    Unknown,
}

fn check<T: PartialOrd>(value: Option<T>, min: Option<T>, max: Option<T>) -> Check {
    if min.is_none() && max.is_none() {
        return Check::Pass;
    }
    let Some(v) = value else {
        return Check::Unknown;
    };
    if min.is_some_and(|m| v < m) {
        Check::Below
    } else if max.is_some_and(|m| v > m) {
        Check::Above
    } else {
        Check::Pass
    }
}

impl TargetMarket {
    /// Bounded: at most 50 industries of 1 to 100 characters, none twice once normalised;
    /// amounts 0 through 10¹⁵ fen; headcounts 0 through 10 million; each minimum at most its
    /// maximum.
    pub fn validate(&self) -> Result<(), AppError> {
        if self.industries.len() > INDUSTRIES_MAX {
            return Err(AppError::validation("industries", format!("at most {INDUSTRIES_MAX}")));
        }
        let mut seen = Vec::with_capacity(self.industries.len());
        for i in &self.industries {
            if i.trim().chars().count() > INDUSTRY_CHARS_MAX {
                return Err(AppError::validation("industries", format!("at most {INDUSTRY_CHARS_MAX} characters each")));
            }
            let Some(code) = industry_code(i) else {
                return Err(AppError::validation("industries", "an industry may not be blank"));
            };
            if seen.contains(&code) {
                return Err(AppError::validation("industries", format!("{} is listed twice (as {code})", i.trim())));
            }
            seen.push(code);
        }
        for (field, v) in
            [("revenue_min", self.revenue_min_fen), ("revenue_max", self.revenue_max_fen), ("profit_floor", self.profit_floor_fen)]
        {
            if let Some(v) = v {
                amount_fen(field, v)?;
            }
        }
        for (field, v) in [("headcount_min", self.headcount_min), ("headcount_max", self.headcount_max)] {
            if v.is_some_and(|n| !(0..=HEADCOUNT_MAX).contains(&n)) {
                return Err(AppError::validation(field, format!("0 to {HEADCOUNT_MAX}")));
            }
        }
        if let (Some(lo), Some(hi)) = (self.revenue_min_fen, self.revenue_max_fen) {
            if lo > hi {
                return Err(AppError::validation("revenue_max", "must be at least the minimum"));
            }
        }
        if let (Some(lo), Some(hi)) = (self.headcount_min, self.headcount_max) {
            if lo > hi {
                return Err(AppError::validation("headcount_max", "must be at least the minimum"));
            }
        }
        Ok(())
    }

    /// Whether an account is in the market: any known miss makes it `Out`; otherwise any
    /// needed fact missing makes it `Unknown`.
    pub fn fits(&self, facts: &AccountFacts) -> Fit {
        let mut misses = Vec::new();
        let mut unknown = Vec::new();
        if !self.industries.is_empty() {
            match industry_code(&facts.industry) {
                None => unknown.push(Field::Industry),
                Some(code) => {
                    if !self.industries.iter().filter_map(|i| industry_code(i)).any(|t| t == code) {
                        misses.push(Miss::IndustryNotTargeted);
                    }
                }
            }
        }
        let checks = [
            (check(facts.revenue_fen, self.revenue_min_fen, self.revenue_max_fen), Field::Revenue, Miss::RevenueBelow, Miss::RevenueAbove),
            (check(facts.headcount, self.headcount_min, self.headcount_max), Field::Headcount, Miss::HeadcountBelow, Miss::HeadcountAbove),
            (check(facts.profit_fen, self.profit_floor_fen, None), Field::Profit, Miss::ProfitBelow, Miss::ProfitBelow),
        ];
        for (result, field, below, above) in checks {
            match result {
                Check::Pass => {}
                Check::Below => misses.push(below),
                Check::Above => misses.push(above),
                Check::Unknown => unknown.push(field),
            }
        }
        if !misses.is_empty() {
            Fit::Out(misses)
        } else if !unknown.is_empty() {
            Fit::Unknown(unknown)
        } else {
            Fit::In
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::domain::validate::MAX_FEN;

    fn facts(industry: &str, revenue_fen: Option<i64>, headcount: Option<i32>, profit_fen: Option<i64>) -> AccountFacts {
        AccountFacts { industry: industry.to_owned(), revenue_fen, headcount, profit_fen }
    }

    #[test]
    fn the_default_is_seed_000() {
        let m = TargetMarket::default();
        assert_eq!(m.revenue_min_fen, Some(3_000_000_000)); // RMB 30,000,000.00
        assert_eq!(m.revenue_max_fen, Some(50_000_000_000)); // RMB 500,000,000.00
        assert_eq!(m.profit_floor_fen, Some(500_000_000)); // RMB 5,000,000.00
        assert_eq!((m.headcount_min, m.headcount_max), (None, None));
        assert!(m.validate().is_ok());
    }

    #[test]
    fn accounts_against_the_default_market() {
        use Field as F;
        use Miss as M;
        let m = TargetMarket::default();
        let yi = YI_FEN;
        let wan = WAN_FEN;
        let cases: &[(AccountFacts, Fit)] = &[
            (facts("电子科技", Some(yi), Some(800), Some(1000 * wan)), Fit::In),
            // Bounds are inclusive: 0.3 亿, 5 亿, 500 万 exactly.
            (facts("精密机械", Some(3 * yi / 10), None, Some(500 * wan)), Fit::In),
            (facts("五金制品", Some(5 * yi), None, Some(500 * wan)), Fit::In),
            (facts("五金制品", Some(5 * yi + 1), None, Some(500 * wan)), Fit::Out(vec![M::RevenueAbove])),
            (facts("电子科技", Some(3 * yi / 10 - 1), None, Some(500 * wan)), Fit::Out(vec![M::RevenueBelow])),
            (facts("电子科技", Some(yi), None, Some(500 * wan - 1)), Fit::Out(vec![M::ProfitBelow])),
            // Industry words: case, blanks, traditional characters, English.
            (facts("  ELECTRONICS ", Some(yi), None, Some(yi)), Fit::In),
            (facts("機械", Some(yi), None, Some(yi)), Fit::In),
            (facts("汽车零部件", Some(yi), None, Some(yi)), Fit::In),
            (facts("电气设备", Some(yi), None, Some(yi)), Fit::In),
            (facts("塑胶制品", Some(yi), None, Some(yi)), Fit::Out(vec![M::IndustryNotTargeted])),
            // Missing facts: unknown, not out. Headcount is not asked by default.
            (facts("电子科技", Some(yi), None, None), Fit::Unknown(vec![F::Profit])),
            (facts("", None, None, None), Fit::Unknown(vec![F::Industry, F::Revenue, F::Profit])),
            (facts("   ", Some(yi), Some(100), Some(yi)), Fit::Unknown(vec![F::Industry])),
            // A known miss decides, whatever is missing.
            (facts("餐饮", None, None, None), Fit::Out(vec![M::IndustryNotTargeted])),
            (facts("", Some(yi / 10), None, None), Fit::Out(vec![M::RevenueBelow])),
            (facts("塑胶", Some(yi / 10), None, Some(100 * wan)), Fit::Out(vec![M::IndustryNotTargeted, M::RevenueBelow, M::ProfitBelow])),
        ];
        for (f, want) in cases {
            assert_eq!(m.fits(f), *want, "{f:?}");
        }
    }

    #[test]
    fn headcount_and_an_open_market() {
        let by_size = TargetMarket {
            industries: vec![],
            revenue_min_fen: None,
            revenue_max_fen: None,
            headcount_min: Some(100),
            headcount_max: Some(1000),
            profit_floor_fen: None,
        };
        let cases: &[(Option<i32>, Fit)] = &[
            (Some(100), Fit::In),
            (Some(1000), Fit::In),
            (Some(99), Fit::Out(vec![Miss::HeadcountBelow])),
            (Some(1001), Fit::Out(vec![Miss::HeadcountAbove])),
            (None, Fit::Unknown(vec![Field::Headcount])),
        ];
        for (headcount, want) in cases {
            // No industry filter: a blank industry does not matter.
            assert_eq!(by_size.fits(&facts("", None, *headcount, None)), *want, "{headcount:?}");
        }
        let open = TargetMarket { headcount_min: None, headcount_max: None, ..by_size };
        assert_eq!(open.fits(&AccountFacts::default()), Fit::In);
        let mine = TargetMarket { industries: vec![" 塑胶制品 ".into()], ..open };
        assert_eq!(mine.fits(&facts("塑胶制品", None, None, None)), Fit::In);
        assert_eq!(mine.fits(&facts("塑胶模具", None, None, None)), Fit::Out(vec![Miss::IndustryNotTargeted]));
    }

    #[test]
    fn industry_codes() {
        let cases: &[(&str, Option<&str>)] = &[
            ("  Precision   MACHINERY ", Some("machinery")),
            ("精密机械", Some("machinery")),
            ("包装机械", Some("machinery")),
            ("電子", Some("electronics")),
            ("电子科技", Some("electronics")),
            ("Consumer Electronics", Some("electronics")),
            ("电机", Some("electrical")),
            ("電器", Some("electrical")),
            ("五金制品", Some("hardware")),
            ("工具", Some("tools")),
            ("Hand Tools", Some("tools")),
            ("運輸器材", Some("transport_equipment")),
            ("Plastics  Injection", Some("plastics injection")),
            ("光电", Some("光电")),
            ("", None),
            (" \t ", None),
        ];
        for (text, want) in cases {
            assert_eq!(industry_code(text).as_deref(), *want, "{text:?}");
        }
        for (code, _) in INDUSTRY_WORDS {
            assert_eq!(industry_code(code).as_deref(), Some(*code));
        }
    }

    #[test]
    fn a_market_is_bounded() {
        let field = |m: TargetMarket| match m.validate() {
            Err(AppError::Validation { field, .. }) => Some(field),
            _ => None,
        };
        let def = TargetMarket::default();
        let with = |f: fn(&mut TargetMarket)| {
            let mut m = def.clone();
            f(&mut m);
            m
        };
        let cases: Vec<(TargetMarket, Option<&str>)> = vec![
            (def.clone(), None),
            (with(|m| m.revenue_max_fen = m.revenue_min_fen), None),
            (with(|m| m.revenue_max_fen = Some(MAX_FEN)), None),
            (with(|m| m.industries.clear()), None),
            (with(|m| m.revenue_min_fen = Some(-1)), Some("revenue_min")),
            (with(|m| m.revenue_max_fen = Some(MAX_FEN + 1)), Some("revenue_max")),
            (with(|m| m.profit_floor_fen = Some(i64::MIN)), Some("profit_floor")),
            (with(|m| m.revenue_min_fen = Some(6 * YI_FEN)), Some("revenue_max")),
            (with(|m| m.headcount_min = Some(-1)), Some("headcount_min")),
            (with(|m| m.headcount_max = Some(HEADCOUNT_MAX + 1)), Some("headcount_max")),
            (with(|m| (m.headcount_min, m.headcount_max) = (Some(500), Some(100))), Some("headcount_max")),
            (with(|m| m.industries.push("  ".into())), Some("industries")),
            (with(|m| m.industries.push("机械".into())), Some("industries")), // machinery twice
            (with(|m| m.industries.push("x".repeat(INDUSTRY_CHARS_MAX + 1))), Some("industries")),
            (with(|m| m.industries = (0..=INDUSTRIES_MAX).map(|i| format!("i{i}")).collect()), Some("industries")),
        ];
        for (m, want) in cases {
            assert_eq!(field(m.clone()).as_deref(), want, "{m:?}");
        }
    }

    #[test]
    fn codes_and_serde() {
        assert_eq!(serde_json::to_string(&Fit::In).unwrap(), r#"{"fit":"in"}"#);
        assert_eq!(serde_json::to_string(&Fit::Out(vec![Miss::RevenueBelow])).unwrap(), r#"{"fit":"out","items":["revenue_below"]}"#);
        for m in [
            Miss::IndustryNotTargeted,
            Miss::RevenueBelow,
            Miss::RevenueAbove,
            Miss::HeadcountBelow,
            Miss::HeadcountAbove,
            Miss::ProfitBelow,
        ] {
            assert_eq!(serde_json::to_string(&m).unwrap(), format!("\"{}\"", m.code()));
        }
        for f in [Field::Industry, Field::Revenue, Field::Headcount, Field::Profit] {
            assert_eq!(serde_json::to_string(&f).unwrap(), format!("\"{}\"", f.code()));
        }
    }
}
