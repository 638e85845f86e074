//! The account's profile (seed 000, 客户资料: products, size, ISO9000, BPR, plant moves, big
//! investments, item codes, computerised or not and with what, lead source, territory) and
//! its edits: what an edit may say, which fields it changed from what to what, and those
//! changes in words. Pure: the service stores, this decides.
use super::LeadSource;
use crate::domain::locale::Locale;
use crate::domain::money::format_exact;
use crate::domain::validate::MAX_FEN;
use serde::{Deserialize, Deserializer, Serialize};

/// Where the account stands with ISO9000 (seed 000 asks: a certified plant has written
/// processes, which shortens an ERP rollout).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Iso9000 {
    Yes,
    No,
    InProgress,
}

impl Iso9000 {
    pub const ALL: [Iso9000; 3] = [Self::Yes, Self::InProgress, Self::No];

    pub const fn code(self) -> &'static str {
        match self {
            Self::Yes => "yes",
            Self::No => "no",
            Self::InProgress => "in_progress",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub const fn name(self, l: Locale) -> &'static str {
        match (self, l) {
            (Self::Yes, Locale::En) => "Certified",
            (Self::No, Locale::En) => "Not certified",
            (Self::InProgress, Locale::En) => "Certification under way",
            (Self::Yes, Locale::ZhCn) => "已通过",
            (Self::No, Locale::ZhCn) => "未通过",
            (Self::InProgress, Locale::ZhCn) => "认证中",
        }
    }
}

impl LeadSource {
    pub const fn name(self, l: Locale) -> &'static str {
        match (self, l) {
            (Self::Events, Locale::En) => "Event",
            (Self::Telemarketing, Locale::En) => "Telemarketing",
            (Self::CallIn, Locale::En) => "Call-in",
            (Self::CustomerReferral, Locale::En) => "Customer referral",
            (Self::FriendReferral, Locale::En) => "Friend referral",
            (Self::Upgrade, Locale::En) => "Upgrade of an existing customer",
            (Self::Other, Locale::En) => "Other",
            (Self::Events, Locale::ZhCn) => "参加活动客户",
            (Self::Telemarketing, Locale::ZhCn) => "电话行销",
            (Self::CallIn, Locale::ZhCn) => "上门客户",
            (Self::CustomerReferral, Locale::ZhCn) => "旧客户介绍",
            (Self::FriendReferral, Locale::ZhCn) => "亲朋好友介绍",
            (Self::Upgrade, Locale::ZhCn) => "旧客户增购升级",
            (Self::Other, Locale::ZhCn) => "其他",
        }
    }
}

/// The profile questions of seed 000; `None` is "not known yet".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    #[serde(default)]
    pub main_products: Option<String>,
    #[serde(default)]
    pub iso9000: Option<Iso9000>,
    #[serde(default)]
    pub bpr_under_way: Option<bool>,
    #[serde(default)]
    pub plant_move_planned: Option<bool>,
    #[serde(default)]
    pub big_investment_planned: Option<bool>,
    #[serde(default)]
    pub item_codes: Option<i32>,
    #[serde(default)]
    pub computerised: Option<bool>,
    #[serde(default)]
    pub current_systems: Option<String>,
    #[serde(default)]
    pub lead_source: Option<LeadSource>,
    #[serde(default)]
    pub territory: Option<String>,
    /// Seed 003's 初步需求描述: the need the lead first voiced, in their words.
    #[serde(default)]
    pub initial_need: Option<String>,
}

/// What a person edits on an account, whole (the owner is the service's: it needs the people).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    pub name: String,
    pub industry: String,
    pub city: Option<String>,
    pub headcount: Option<i32>,
    pub revenue_fen: Option<i64>,
    pub profit_fen: Option<i64>,
    pub profile: Profile,
}

/// A nullable field of a patch: absent = unchanged, `null` = cleared, a value = set.
pub type Slot<T> = Option<Option<T>>;

/// Reads a present field (even `null`) as `Some`, so absent and `null` differ.
pub fn slot<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Slot<T>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// An edit: only the fields present change. The form sends every field; REST what it means.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub industry: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "slot")]
    pub city: Slot<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "slot")]
    pub headcount: Slot<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "slot")]
    pub revenue_fen: Slot<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "slot")]
    pub profit_fen: Slot<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "slot")]
    pub main_products: Slot<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "slot")]
    pub iso9000: Slot<Iso9000>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "slot")]
    pub bpr_under_way: Slot<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "slot")]
    pub plant_move_planned: Slot<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "slot")]
    pub big_investment_planned: Slot<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "slot")]
    pub item_codes: Slot<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "slot")]
    pub computerised: Slot<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "slot")]
    pub current_systems: Slot<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "slot")]
    pub lead_source: Slot<LeadSource>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "slot")]
    pub territory: Slot<String>,
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "slot")]
    pub initial_need: Slot<String>,
    /// A new owner (a manager within their teams, an admin anywhere).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<uuid::Uuid>,
}

/// An edited field, as history names it and as validation errors name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Name,
    Industry,
    City,
    Headcount,
    Revenue,
    Profit,
    MainProducts,
    Iso9000,
    BprUnderWay,
    PlantMovePlanned,
    BigInvestmentPlanned,
    ItemCodes,
    Computerised,
    CurrentSystems,
    LeadSource,
    Territory,
    InitialNeed,
    Owner,
}

impl Field {
    pub const ALL: [Field; 18] = [
        Self::Name,
        Self::Industry,
        Self::City,
        Self::Headcount,
        Self::Revenue,
        Self::Profit,
        Self::MainProducts,
        Self::Iso9000,
        Self::BprUnderWay,
        Self::PlantMovePlanned,
        Self::BigInvestmentPlanned,
        Self::ItemCodes,
        Self::Computerised,
        Self::CurrentSystems,
        Self::LeadSource,
        Self::Territory,
        Self::InitialNeed,
        Self::Owner,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Industry => "industry",
            Self::City => "city",
            Self::Headcount => "headcount",
            Self::Revenue => "revenue",
            Self::Profit => "profit",
            Self::MainProducts => "main_products",
            Self::Iso9000 => "iso9000",
            Self::BprUnderWay => "bpr_under_way",
            Self::PlantMovePlanned => "plant_move_planned",
            Self::BigInvestmentPlanned => "big_investment_planned",
            Self::ItemCodes => "item_codes",
            Self::Computerised => "computerised",
            Self::CurrentSystems => "current_systems",
            Self::LeadSource => "lead_source",
            Self::Territory => "territory",
            Self::InitialNeed => "initial_need",
            Self::Owner => "owner",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }

    pub const fn label(self, l: Locale) -> &'static str {
        let (en, zh) = match self {
            Self::Name => ("Name", "客户名称"),
            Self::Industry => ("Industry", "行业"),
            Self::City => ("City", "城市"),
            Self::Headcount => ("Headcount", "人数"),
            Self::Revenue => ("Revenue", "营业额"),
            Self::Profit => ("Profit", "利润"),
            Self::MainProducts => ("Main products", "主要产品"),
            Self::Iso9000 => ("ISO9000", "ISO9000"),
            Self::BprUnderWay => ("BPR under way", "正在进行流程再造（BPR）"),
            Self::PlantMovePlanned => ("Plant move or expansion planned", "计划搬厂或扩厂"),
            Self::BigInvestmentPlanned => ("Big investments planned", "计划重大投资"),
            Self::ItemCodes => ("Item codes", "料号数"),
            Self::Computerised => ("Computerised", "已信息化"),
            Self::CurrentSystems => ("Current systems", "现有系统"),
            Self::LeadSource => ("Lead source", "名单来源"),
            Self::Territory => ("Territory", "责任区域"),
            Self::InitialNeed => ("Initial need", "初步需求"),
            Self::Owner => ("Owner", "负责人"),
        };
        match l {
            Locale::En => en,
            Locale::ZhCn => zh,
        }
    }
}

pub const NAME_MAX: usize = 200;
pub const SHORT_MAX: usize = 100;
pub const LONG_MAX: usize = 1000;
/// More people than any customer of ours employs; beyond it is a typo.
pub const HEADCOUNT_MAX: i32 = 10_000_000;
/// More item codes than any plant's master data holds.
pub const ITEM_CODES_MAX: i32 = 100_000_000;

/// Why an edit cannot be saved; each names its field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProfileError {
    Required(Field),
    TooLong(Field, usize),
    Negative(Field),
    TooLarge(Field),
}

impl ProfileError {
    pub const fn field(self) -> Field {
        match self {
            Self::Required(f) | Self::TooLong(f, _) | Self::Negative(f) | Self::TooLarge(f) => f,
        }
    }

    pub fn message(self, l: Locale) -> String {
        let zh = l == Locale::ZhCn;
        match self {
            Self::Required(_) if zh => "必填。".into(),
            Self::Required(_) => "is required".into(),
            Self::TooLong(_, max) if zh => format!("最多 {max} 个字符。"),
            Self::TooLong(_, max) => format!("at most {max} characters"),
            Self::Negative(_) if zh => "不能为负数。".into(),
            Self::Negative(_) => "must not be negative".into(),
            Self::TooLarge(f) if zh => format!("数值过大（上限 {}）。", limit_text(f)),
            Self::TooLarge(f) => format!("too large (at most {})", limit_text(f)),
        }
    }
}

fn limit_text(f: Field) -> String {
    match f {
        Field::Headcount => HEADCOUNT_MAX.to_string(),
        Field::ItemCodes => ITEM_CODES_MAX.to_string(),
        _ => format_exact(MAX_FEN, "CNY"),
    }
}

fn text(field: Field, v: &str, max: usize) -> Result<String, ProfileError> {
    let v = v.trim();
    if v.chars().count() > max {
        return Err(ProfileError::TooLong(field, max));
    }
    Ok(v.to_owned())
}

fn opt_text(field: Field, v: &Option<String>, max: usize) -> Result<Option<String>, ProfileError> {
    Ok(match v {
        Some(s) => Some(text(field, s, max)?).filter(|s| !s.is_empty()),
        None => None,
    })
}

fn bounded<T: PartialOrd + Default + Copy>(field: Field, v: Option<T>, max: T) -> Result<Option<T>, ProfileError> {
    match v {
        Some(x) if x < T::default() => Err(ProfileError::Negative(field)),
        Some(x) if x > max => Err(ProfileError::TooLarge(field)),
        other => Ok(other),
    }
}

/// The account after `p`: each field sent is checked and trimmed (empty text is "not known").
pub fn apply(before: &Facts, p: &AccountPatch) -> Result<Facts, ProfileError> {
    let mut f = before.clone();
    if let Some(n) = &p.name {
        let n = text(Field::Name, n, NAME_MAX)?;
        if n.is_empty() {
            return Err(ProfileError::Required(Field::Name));
        }
        f.name = n;
    }
    if let Some(i) = &p.industry {
        f.industry = text(Field::Industry, i, SHORT_MAX)?;
    }
    if let Some(c) = &p.city {
        f.city = opt_text(Field::City, c, SHORT_MAX)?;
    }
    if let Some(h) = p.headcount {
        f.headcount = bounded(Field::Headcount, h, HEADCOUNT_MAX)?;
    }
    if let Some(r) = p.revenue_fen {
        f.revenue_fen = bounded(Field::Revenue, r, MAX_FEN)?;
    }
    if let Some(r) = p.profit_fen {
        // A loss is a fact worth recording: bounded on both sides, like revenue above.
        if r.is_some_and(|x| !(-MAX_FEN..=MAX_FEN).contains(&x)) {
            return Err(ProfileError::TooLarge(Field::Profit));
        }
        f.profit_fen = r;
    }
    let pr = &mut f.profile;
    if let Some(v) = &p.main_products {
        pr.main_products = opt_text(Field::MainProducts, v, LONG_MAX)?;
    }
    if let Some(v) = p.iso9000 {
        pr.iso9000 = v;
    }
    if let Some(v) = p.bpr_under_way {
        pr.bpr_under_way = v;
    }
    if let Some(v) = p.plant_move_planned {
        pr.plant_move_planned = v;
    }
    if let Some(v) = p.big_investment_planned {
        pr.big_investment_planned = v;
    }
    if let Some(v) = p.item_codes {
        pr.item_codes = bounded(Field::ItemCodes, v, ITEM_CODES_MAX)?;
    }
    if let Some(v) = p.computerised {
        pr.computerised = v;
    }
    if let Some(v) = &p.current_systems {
        pr.current_systems = opt_text(Field::CurrentSystems, v, LONG_MAX)?;
    }
    if let Some(v) = p.lead_source {
        pr.lead_source = v;
    }
    if let Some(v) = &p.territory {
        pr.territory = opt_text(Field::Territory, v, SHORT_MAX)?;
    }
    if let Some(v) = &p.initial_need {
        pr.initial_need = opt_text(Field::InitialNeed, v, LONG_MAX)?;
    }
    Ok(f)
}

/// One changed field: the values as stored text (codes for enums, `true`/`false`, amounts
/// in fen), `None` for "not known".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub field: Field,
    pub from: Option<String>,
    pub to: Option<String>,
}

fn stored<T: ToString>(v: &Option<T>) -> Option<String> {
    v.as_ref().map(ToString::to_string)
}

/// The fields `after` changed from `before`, in form order.
pub fn diff(before: &Facts, after: &Facts) -> Vec<Change> {
    let (b, a) = (&before.profile, &after.profile);
    let code = |v: Option<&'static str>| v.map(str::to_owned);
    let pairs: [(Field, Option<String>, Option<String>); 17] = [
        (Field::Name, Some(before.name.clone()), Some(after.name.clone())),
        (Field::Industry, Some(before.industry.clone()).filter(|s| !s.is_empty()), Some(after.industry.clone()).filter(|s| !s.is_empty())),
        (Field::City, before.city.clone(), after.city.clone()),
        (Field::Headcount, stored(&before.headcount), stored(&after.headcount)),
        (Field::Revenue, stored(&before.revenue_fen), stored(&after.revenue_fen)),
        (Field::Profit, stored(&before.profit_fen), stored(&after.profit_fen)),
        (Field::MainProducts, b.main_products.clone(), a.main_products.clone()),
        (Field::Iso9000, code(b.iso9000.map(Iso9000::code)), code(a.iso9000.map(Iso9000::code))),
        (Field::BprUnderWay, stored(&b.bpr_under_way), stored(&a.bpr_under_way)),
        (Field::PlantMovePlanned, stored(&b.plant_move_planned), stored(&a.plant_move_planned)),
        (Field::BigInvestmentPlanned, stored(&b.big_investment_planned), stored(&a.big_investment_planned)),
        (Field::ItemCodes, stored(&b.item_codes), stored(&a.item_codes)),
        (Field::Computerised, stored(&b.computerised), stored(&a.computerised)),
        (Field::CurrentSystems, b.current_systems.clone(), a.current_systems.clone()),
        (Field::LeadSource, code(b.lead_source.map(LeadSource::code)), code(a.lead_source.map(LeadSource::code))),
        (Field::Territory, b.territory.clone(), a.territory.clone()),
        (Field::InitialNeed, b.initial_need.clone(), a.initial_need.clone()),
    ];
    pairs.into_iter().filter(|(_, f, t)| f != t).map(|(field, from, to)| Change { field, from, to }).collect()
}

/// A stored value in words.
pub fn value_text(field: Field, v: Option<&str>, l: Locale) -> String {
    let Some(v) = v else { return "—".into() };
    let yes_no = |b: bool| match (b, l) {
        (true, Locale::En) => "Yes",
        (false, Locale::En) => "No",
        (true, Locale::ZhCn) => "是",
        (false, Locale::ZhCn) => "否",
    };
    match field {
        Field::Revenue | Field::Profit => v.parse::<i64>().map(|f| format_exact(f, "CNY")).unwrap_or_else(|_| v.to_owned()),
        Field::Iso9000 => Iso9000::parse(v).map_or(v, |x| x.name(l)).to_owned(),
        Field::LeadSource => LeadSource::parse(v).map_or(v, |x| x.name(l)).to_owned(),
        Field::BprUnderWay | Field::PlantMovePlanned | Field::BigInvestmentPlanned | Field::Computerised => match v {
            "true" => yes_no(true).to_owned(),
            "false" => yes_no(false).to_owned(),
            other => other.to_owned(),
        },
        _ => v.to_owned(),
    }
}

/// "Headcount: 300 → 450" / "人数：300 → 450".
pub fn change_text(c: &Change, l: Locale) -> String {
    let sep = if l == Locale::ZhCn { "：" } else { ": " };
    format!("{}{sep}{} → {}", c.field.label(l), value_text(c.field, c.from.as_deref(), l), value_text(c.field, c.to.as_deref(), l))
}

/// What a merge moved from the duplicate to the survivor (also the confirm step's counts).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MergeSummary {
    /// The duplicate's name, as it was.
    pub duplicate: String,
    pub deals: u64,
    /// Activities on those deals (they move with their deal).
    #[serde(default)]
    pub activities: u64,
    pub contacts: u64,
    pub revisits: u64,
    pub follow_ups: u64,
    pub grades: u64,
}

/// "Merged “X” into this account: 2 deals, 5 contacts, …" in words.
pub fn merge_text(m: &MergeSummary, l: Locale) -> String {
    let parts: Vec<String> = [
        (m.deals, "deal(s)", "个商机"),
        (m.activities, "activity(ies)", "条活动"),
        (m.contacts, "contact(s)", "位联系人"),
        (m.revisits, "revisit(s)", "次回访"),
        (m.follow_ups, "follow-up(s)", "个交付回访"),
        (m.grades, "grading(s)", "条分级记录"),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, en, zh)| match l {
        Locale::En => format!("{n} {en}"),
        Locale::ZhCn => format!("{n} {zh}"),
    })
    .collect();
    match l {
        Locale::En if parts.is_empty() => format!("Merged “{}” into this account (nothing to move)", m.duplicate),
        Locale::En => format!("Merged “{}” into this account: {}", m.duplicate, parts.join(", ")),
        Locale::ZhCn if parts.is_empty() => format!("已将“{}”合并到本客户（无可转移内容）", m.duplicate),
        Locale::ZhCn => format!("已将“{}”合并到本客户：{}", m.duplicate, parts.join("、")),
    }
}

/// What happened to an account, as its history records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountEvent {
    Edited,
    Merged,
    /// A contact of the account was added, edited or deleted (the row's `contact` says who
    /// and what changed).
    ContactAdded,
    ContactEdited,
    ContactDeleted,
}

impl AccountEvent {
    pub const ALL: [AccountEvent; 5] = [Self::Edited, Self::Merged, Self::ContactAdded, Self::ContactEdited, Self::ContactDeleted];

    pub const fn code(self) -> &'static str {
        match self {
            Self::Edited => "edited",
            Self::Merged => "merged",
            Self::ContactAdded => "contact_added",
            Self::ContactEdited => "contact_edited",
            Self::ContactDeleted => "contact_deleted",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
