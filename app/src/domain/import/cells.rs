//! One row's cells as a typed record, or the first refusal with the column it is about.
//! The service adds the refusals only the database can decide (unknown account, duplicate,
//! gate) with the same `Problem`, so every message lives here in both languages.
use super::{Field, Kind};
use crate::domain::account::contact::{check as check_contact, ContactError};
use crate::domain::account::profile::{Iso9000, Profile, ITEM_CODES_MAX, LONG_MAX, SHORT_MAX};
use crate::domain::account::{Grade, LeadSource};
use crate::domain::dto::NewContact;
use crate::domain::locale::Locale;
use crate::domain::validate::{date_range, MAX_FEN};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub field: Option<Field>,
    pub problem: Problem,
}

impl RowError {
    pub fn at(field: Field, problem: Problem) -> Self {
        Self { field: Some(field), problem }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "code")]
pub enum Problem {
    Required,
    TooLong {
        max: usize,
    },
    NotAnAmount,
    NotACount,
    NotADate,
    DateOutOfRange,
    NotAnEmail,
    NotAPhone,
    NotAGrade,
    NotASize,
    NotACurrency,
    /// Not one of the lead sources (the message lists them).
    NotALeadSource,
    NotYesNo,
    NotIso9000,
    NotItemCodes,
    // Decided against the database by the service:
    UnknownAccount,
    UnknownOwner,
    /// The importer may not give this owner accounts or deals.
    NotAssignable,
    UnknownStage,
    /// Same normalised name (or phone, e-mail) as an earlier row of the file.
    DuplicateInFile {
        line: u32,
    },
    /// Same as a record already in Dealgate.
    DuplicateExisting {
        name: String,
    },
    /// Same as an account of a team the importer cannot see: said, never named.
    DuplicateOtherTeam,
    /// The stage's gate needs what an imported deal cannot have yet.
    Gate {
        missing: Vec<String>,
    },
    /// A move into that stage needs a manager's approval.
    NeedsApproval,
    /// The write failed for a reason of the row (e.g. a duplicate created meanwhile).
    Write {
        detail: String,
    },
}

impl Problem {
    pub fn message(&self, locale: Locale) -> String {
        let zh = locale == Locale::ZhCn;
        match self {
            Self::Required if zh => "必填。".into(),
            Self::Required => "Required.".into(),
            Self::TooLong { max } if zh => format!("最多 {max} 个字符。"),
            Self::TooLong { max } => format!("At most {max} characters."),
            Self::NotAnAmount if zh => "不是有效金额（元，最多两位小数，可写“万”“亿”，不能为负，上限 10 万亿）。".into(),
            Self::NotAnAmount => "Not an amount (yuan, at most two decimals, 万/亿 allowed, not negative, at most 10 trillion).".into(),
            Self::NotACount if zh => "不是有效人数（0 到 10,000,000 的整数）。".into(),
            Self::NotACount => "Not a headcount (a whole number from 0 to 10,000,000).".into(),
            Self::NotADate if zh => "不是日期（如 2026-03-15）。".into(),
            Self::NotADate => "Not a date (e.g. 2026-03-15).".into(),
            Self::DateOutOfRange if zh => "日期须在 1900-01-01 到 2200-12-31 之间。".into(),
            Self::DateOutOfRange => "The date must be between 1900-01-01 and 2200-12-31.".into(),
            Self::NotAnEmail if zh => "不是电子邮箱地址。".into(),
            Self::NotAnEmail => "Not an e-mail address.".into(),
            Self::NotAPhone if zh => "电话只能包含数字、空格和 + - ( )。".into(),
            Self::NotAPhone => "A phone holds digits, spaces and + - ( ) only.".into(),
            Self::NotAGrade if zh => "等级须为 A、B、C 或 D（如“A类”）。".into(),
            Self::NotAGrade => "The grade must be A, B, C or D.".into(),
            Self::NotASize if zh => "规模写作“人数/年营收”，如 200人/1亿。".into(),
            Self::NotASize => "Write the size as headcount/revenue, e.g. 200/100000000 or 200人/1亿.".into(),
            Self::NotACurrency if zh => "币种须为三位字母代码，如 CNY。".into(),
            Self::NotACurrency => "A three-letter currency code such as CNY.".into(),
            Self::NotALeadSource if zh => format!("信息来源须为以下之一：{}。", lead_source_names(Locale::ZhCn)),
            Self::NotALeadSource => format!("The lead source must be one of: {}.", lead_source_names(Locale::En)),
            Self::NotYesNo if zh => "须为“是”或“否”（也可写 有/无、Y/N）。".into(),
            Self::NotYesNo => "Yes or no (also Y/N, true/false, 1/0).".into(),
            Self::NotIso9000 if zh => "ISO9000 须为“已通过”“认证中”或“未通过”（也可写 是/否）。".into(),
            Self::NotIso9000 => "ISO9000 must be certified (yes), in progress, or not certified (no).".into(),
            Self::NotItemCodes if zh => format!("料号数须为 0 到 {ITEM_CODES_MAX} 的整数。"),
            Self::NotItemCodes => format!("Item codes: a whole number from 0 to {ITEM_CODES_MAX}."),
            Self::UnknownAccount if zh => "找不到此客户（或您无权查看）。请先导入客户。".into(),
            Self::UnknownAccount => "No such account that you can see; import the account first.".into(),
            Self::UnknownOwner if zh => "找不到此用户（按邮箱或姓名），或该用户已停用。".into(),
            Self::UnknownOwner => "No active user with this e-mail or name.".into(),
            Self::NotAssignable if zh => "您不能把客户或商机分配给此用户。".into(),
            Self::NotAssignable => "You may not assign accounts or deals to this user.".into(),
            Self::UnknownStage if zh => "管道中没有此阶段。".into(),
            Self::UnknownStage => "No such stage in the pipeline.".into(),
            Self::DuplicateInFile { line } if zh => format!("与文件第 {line} 行重复。"),
            Self::DuplicateInFile { line } => format!("Duplicate of line {line} of this file."),
            Self::DuplicateExisting { name } if zh => format!("已存在：{name}。"),
            Self::DuplicateExisting { name } => format!("Already in Dealgate: {name}."),
            Self::DuplicateOtherTeam if zh => "此客户已存在于其他团队（您无权查看），不能重复建立。".into(),
            Self::DuplicateOtherTeam => "This account already exists in another team (not visible to you); it is not created twice.".into(),
            Self::Gate { missing } if zh => format!("进入此阶段需先满足：{}。可从首个阶段导入，再在看板上推进。", missing.join("、")),
            Self::Gate { missing } => {
                format!("The stage's gate needs: {}. Import it at the first stage and move it on the board.", missing.join(", "))
            }
            Self::NeedsApproval if zh => "进入此阶段需经理审批；请从较早阶段导入后在看板上申请。".into(),
            Self::NeedsApproval => "Moving into this stage needs a manager's approval; import it earlier and ask on the board.".into(),
            Self::Write { detail } if zh => format!("写入失败：{detail}"),
            Self::Write { detail } => format!("Could not be written: {detail}"),
        }
    }
}

/// A contact as a row carries it (an account file's contact columns, or a contacts file).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContactRec {
    /// The account's name (contacts files only).
    pub account: String,
    pub name: String,
    pub title: Option<String>,
    pub department: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountRec {
    pub name: String,
    pub industry: Option<String>,
    pub headcount: Option<i32>,
    pub revenue_fen: Option<i64>,
    pub profit_fen: Option<i64>,
    pub city: Option<String>,
    /// Seed 000's profile and seed 003's initial need and lead source.
    pub profile: Profile,
    pub contact: Option<ContactRec>,
    pub owner: Option<String>,
    pub grade: Option<Grade>,
    pub next_contact: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DealRec {
    pub name: String,
    pub account: String,
    pub amount_fen: i64,
    pub close_date: NaiveDate,
    pub stage: Option<String>,
    pub owner: Option<String>,
    pub currency: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Record {
    /// Boxed: the profile makes an account row several times a deal's size.
    Account(Box<AccountRec>),
    Contact(ContactRec),
    Deal(DealRec),
}

/// The cell mapped to `field`, trimmed; empty is `None`.
fn cell<'a>(mapping: &[Option<Field>], cells: &'a [String], field: Field) -> Option<&'a str> {
    let i = mapping.iter().position(|m| *m == Some(field))?;
    cells.get(i).map(|s| s.trim()).filter(|s| !s.is_empty())
}

fn text(v: Option<&str>, field: Field, max: usize) -> Result<Option<String>, RowError> {
    match v {
        Some(s) if s.chars().count() > max => Err(RowError::at(field, Problem::TooLong { max })),
        Some(s) => Ok(Some(s.to_owned())),
        None => Ok(None),
    }
}

fn required(v: Option<&str>, field: Field, max: usize) -> Result<String, RowError> {
    text(v, field, max)?.ok_or(RowError::at(field, Problem::Required))
}

/// Yuan as spreadsheets write them: `1,234.5`, `¥1234`, `1234元`, `5000万`, `1.2亿`.
pub fn amount(s: &str) -> Option<i64> {
    let s = s.trim().trim_end_matches('元');
    let (s, scale) = if let Some(x) = s.strip_suffix('亿') {
        (x, 100_000_000i64)
    } else if let Some(x) = s.strip_suffix('万') {
        (x, 10_000)
    } else {
        (s, 1)
    };
    let fen = if scale == 1 {
        crate::domain::money::parse_yuan(s)?
    } else {
        // 万/亿 may carry up to 4 decimals more (1.2345万 = 12,345 yuan exactly).
        let clean: String = s.chars().filter(|c| !matches!(c, ',' | ' ')).collect();
        let (whole, frac) = clean.split_once('.').unwrap_or((&clean, ""));
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 6 {
            return None;
        }
        let unit_fen = scale.checked_mul(100)?;
        let w = whole.parse::<i64>().ok()?.checked_mul(unit_fen)?;
        let f = if frac.is_empty() {
            0
        } else {
            let num: i64 = frac.parse().ok()?;
            let den = 10i64.checked_pow(frac.len() as u32)?;
            let scaled = num.checked_mul(unit_fen)?;
            if scaled % den != 0 {
                return None;
            }
            scaled / den
        };
        w.checked_add(f)?
    };
    (0..=MAX_FEN).contains(&fen).then_some(fen)
}

fn money(v: Option<&str>, field: Field) -> Result<Option<i64>, RowError> {
    v.map(|s| amount(s).ok_or(RowError::at(field, Problem::NotAnAmount))).transpose()
}

/// A headcount: `200`, `200人`, `1,200`.
pub fn count(s: &str) -> Option<i32> {
    let s: String = s.trim().trim_end_matches('人').chars().filter(|c| *c != ',').collect();
    let n: i64 = s.trim().parse().ok()?;
    (0..=10_000_000).contains(&n).then_some(n as i32)
}

/// `2026-03-15`, `2026/3/15`, `2026.3.15`, `2026年3月15日` (XLSX dates arrive as ISO).
pub fn date(s: &str) -> Result<NaiveDate, Problem> {
    let s = s.trim();
    let s = s.split([' ', 'T']).next().unwrap_or(s);
    let norm: String = s.trim_end_matches('日').chars().map(|c| if matches!(c, '/' | '.' | '年' | '月') { '-' } else { c }).collect();
    let parts: Vec<&str> = norm.split('-').collect();
    let [y, m, d] = parts.as_slice() else { return Err(Problem::NotADate) };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i32>(), m.parse::<u32>(), d.parse::<u32>()) else { return Err(Problem::NotADate) };
    let day = NaiveDate::from_ymd_opt(y, m, d).ok_or(Problem::NotADate)?;
    let (lo, hi) = date_range();
    if day < lo || day > hi {
        return Err(Problem::DateOutOfRange);
    }
    Ok(day)
}

fn day(v: Option<&str>, field: Field) -> Result<Option<NaiveDate>, RowError> {
    v.map(|s| date(s).map_err(|p| RowError::at(field, p))).transpose()
}

pub fn grade(s: &str) -> Option<Grade> {
    let s = s.trim().trim_end_matches('类').trim_end_matches("级").trim();
    match s.to_ascii_lowercase().as_str() {
        "a" => Some(Grade::A),
        "b" => Some(Grade::B),
        "c" => Some(Grade::C),
        "d" => Some(Grade::D),
        _ => None,
    }
}

/// "200人/1亿": headcount and revenue in one cell; either side may be empty.
pub fn size(s: &str) -> Option<(Option<i32>, Option<i64>)> {
    let (h, r) = s.split_once(['/', '／']).unwrap_or((s, ""));
    let h = h.trim();
    let r = r.trim();
    let head = if h.is_empty() { None } else { Some(count(h)?) };
    let rev = if r.is_empty() { None } else { Some(amount(r)?) };
    Some((head, rev))
}

/// The contact rule's refusal (`account::contact::check`, the one rule of the forms, REST
/// and the map) as the import's column and problem.
fn contact_refusal(e: ContactError) -> RowError {
    let field = match e.field() {
        "title" => Field::ContactTitle,
        "department" => Field::Department,
        "phone" => Field::ContactPhone,
        "email" => Field::ContactEmail,
        _ => Field::ContactName,
    };
    let problem = match e {
        ContactError::NameMissing => Problem::Required,
        ContactError::TooLong { max, .. } => Problem::TooLong { max },
        ContactError::Email => Problem::NotAnEmail,
        ContactError::Phone => Problem::NotAPhone,
    };
    RowError::at(field, problem)
}

fn contact(mapping: &[Option<Field>], cells: &[String], name_required: bool) -> Result<Option<ContactRec>, RowError> {
    let c = |f| cell(mapping, cells, f).map(str::to_owned);
    let name = c(Field::ContactName);
    let mut phone = c(Field::ContactPhone);
    let mut email = c(Field::ContactEmail);
    // Seed 003's "联系方式" holds a phone or an e-mail: an address there is the e-mail.
    if email.is_none() && phone.as_deref().is_some_and(|p| p.contains('@')) {
        email = phone.take();
    }
    let (title, department) = (c(Field::ContactTitle), c(Field::Department));
    if name.is_none() && !name_required && phone.is_none() && email.is_none() && title.is_none() {
        return Ok(None);
    }
    // Contact details without a name are refused (by the rule) rather than silently dropped.
    let new = NewContact { name: name.unwrap_or_default(), title, department, phone, email };
    let ok = check_contact(&new).map_err(contact_refusal)?;
    Ok(Some(ContactRec {
        account: String::new(),
        name: ok.name,
        title: ok.title,
        department: ok.department,
        phone: ok.phone,
        email: ok.email,
    }))
}

/// Seed 003's 信息来源 as sales teams write it: the codes, the zh and en names, and common
/// spellings (行业展会 → events, 客户转介绍 → customer referral, 电话营销 → telemarketing,
/// 来电 → call-in).
pub fn lead_source(s: &str) -> Option<LeadSource> {
    let n: String =
        s.trim().chars().filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_' | '/' | '、')).flat_map(char::to_lowercase).collect();
    let by_name = LeadSource::ALL.into_iter().find(|x| {
        [x.code(), x.name(Locale::En), x.name(Locale::ZhCn)].iter().any(|v| {
            v.chars().filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_')).flat_map(char::to_lowercase).collect::<String>() == n
        })
    });
    if by_name.is_some() {
        return by_name;
    }
    use LeadSource::*;
    let spellings: &[(&str, LeadSource)] = &[
        ("event", Events),
        ("活动", Events),
        ("展会", Events),
        ("行业展会", Events),
        ("展览会", Events),
        ("研讨会", Events),
        ("会议营销", Events),
        ("tradeshow", Events),
        ("exhibition", Events),
        ("seminar", Events),
        ("电话营销", Telemarketing),
        ("电销", Telemarketing),
        ("coldcall", Telemarketing),
        ("来电", CallIn),
        ("来访", CallIn),
        ("上门", CallIn),
        ("客户来电", CallIn),
        ("主动咨询", CallIn),
        ("inbound", CallIn),
        ("walkin", CallIn),
        ("客户转介绍", CustomerReferral),
        ("客户介绍", CustomerReferral),
        ("老客户介绍", CustomerReferral),
        ("转介绍", CustomerReferral),
        ("referral", CustomerReferral),
        ("朋友介绍", FriendReferral),
        ("亲友介绍", FriendReferral),
        ("熟人介绍", FriendReferral),
        ("增购", Upgrade),
        ("升级", Upgrade),
        ("老客户增购", Upgrade),
        ("老客户升级", Upgrade),
        ("增购升级", Upgrade),
        ("其它", Other),
    ];
    spellings.iter().find(|(k, _)| *k == n).map(|(_, v)| *v)
}

/// The accepted lead sources in words, for the refusal.
fn lead_source_names(l: Locale) -> String {
    let names: Vec<&str> = LeadSource::ALL.into_iter().map(|x| x.name(l)).collect();
    names.join(if l == Locale::ZhCn { "、" } else { ", " })
}

/// Yes or no as spreadsheets write it.
pub fn yes_no(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "是" | "有" | "已" | "y" | "yes" | "true" | "1" | "√" | "✓" => Some(true),
        "否" | "无" | "没有" | "未" | "n" | "no" | "false" | "0" | "×" => Some(false),
        _ => None,
    }
}

/// ISO9000: certified, under way, or not (是/否 read as certified / not).
pub fn iso9000(s: &str) -> Option<Iso9000> {
    let n: String = s.trim().chars().filter(|c| !c.is_whitespace() && !matches!(c, '-' | '_')).flat_map(char::to_lowercase).collect();
    if let Some(x) = Iso9000::ALL
        .into_iter()
        .find(|x| [x.code(), x.name(Locale::En), x.name(Locale::ZhCn)].iter().any(|v| v.replace([' ', '_', '-'], "").to_lowercase() == n))
    {
        return Some(x);
    }
    match n.as_str() {
        "已认证" | "通过" | "certified" => Some(Iso9000::Yes),
        "认证中" | "申请中" | "进行中" | "inprogress" | "underway" => Some(Iso9000::InProgress),
        "未认证" | "notcertified" => Some(Iso9000::No),
        _ => yes_no(s).map(|b| if b { Iso9000::Yes } else { Iso9000::No }),
    }
}

fn flag(v: Option<&str>, field: Field) -> Result<Option<bool>, RowError> {
    v.map(|s| yes_no(s).ok_or(RowError::at(field, Problem::NotYesNo))).transpose()
}

/// The profile columns of an accounts row (all optional; bounds as the profile form's).
fn profile(c: &dyn Fn(Field) -> Option<String>) -> Result<Profile, RowError> {
    Ok(Profile {
        main_products: text(c(Field::MainProducts).as_deref(), Field::MainProducts, LONG_MAX)?,
        iso9000: c(Field::Iso9000).map(|s| iso9000(&s).ok_or(RowError::at(Field::Iso9000, Problem::NotIso9000))).transpose()?,
        bpr_under_way: flag(c(Field::BprUnderWay).as_deref(), Field::BprUnderWay)?,
        plant_move_planned: flag(c(Field::PlantMovePlanned).as_deref(), Field::PlantMovePlanned)?,
        big_investment_planned: flag(c(Field::BigInvestmentPlanned).as_deref(), Field::BigInvestmentPlanned)?,
        item_codes: c(Field::ItemCodes)
            .map(|s| {
                let n: String = s.chars().filter(|ch| *ch != ',').collect();
                n.trim()
                    .parse::<i32>()
                    .ok()
                    .filter(|n| (0..=ITEM_CODES_MAX).contains(n))
                    .ok_or(RowError::at(Field::ItemCodes, Problem::NotItemCodes))
            })
            .transpose()?,
        computerised: flag(c(Field::Computerised).as_deref(), Field::Computerised)?,
        current_systems: text(c(Field::CurrentSystems).as_deref(), Field::CurrentSystems, LONG_MAX)?,
        lead_source: c(Field::LeadSource)
            .map(|s| lead_source(&s).ok_or(RowError::at(Field::LeadSource, Problem::NotALeadSource)))
            .transpose()?,
        territory: text(c(Field::Territory).as_deref(), Field::Territory, SHORT_MAX)?,
        initial_need: text(c(Field::InitialNeed).as_deref(), Field::InitialNeed, LONG_MAX)?,
    })
}

/// One row under the user's mapping: the record, or the first refusal.
pub fn parse_row(kind: Kind, mapping: &[Option<Field>], cells: &[String]) -> Result<Record, RowError> {
    let c = |f| cell(mapping, cells, f);
    match kind {
        Kind::Accounts => {
            let name = required(c(Field::AccountName), Field::AccountName, 200)?;
            let (mut headcount, mut revenue_fen) = match c(Field::Size) {
                Some(s) => size(s).ok_or(RowError::at(Field::Size, Problem::NotASize))?,
                None => (None, None),
            };
            if let Some(h) = c(Field::Headcount) {
                headcount = Some(count(h).ok_or(RowError::at(Field::Headcount, Problem::NotACount))?);
            }
            if let Some(r) = money(c(Field::Revenue), Field::Revenue)? {
                revenue_fen = Some(r);
            }
            Ok(Record::Account(Box::new(AccountRec {
                name,
                industry: text(c(Field::Industry), Field::Industry, 100)?,
                headcount,
                revenue_fen,
                profit_fen: money(c(Field::Profit), Field::Profit)?,
                city: text(c(Field::City), Field::City, 100)?,
                contact: contact(mapping, cells, false)?,
                profile: profile(&|f| c(f).map(str::to_owned))?,
                owner: text(c(Field::Owner), Field::Owner, 200)?,
                grade: c(Field::Grade).map(|g| grade(g).ok_or(RowError::at(Field::Grade, Problem::NotAGrade))).transpose()?,
                next_contact: day(c(Field::NextContact), Field::NextContact)?,
            })))
        }
        Kind::Contacts => {
            let account = required(c(Field::Account), Field::Account, 200)?;
            let mut rec = contact(mapping, cells, true)?.ok_or(RowError::at(Field::ContactName, Problem::Required))?;
            rec.account = account;
            Ok(Record::Contact(rec))
        }
        Kind::Deals => {
            let name = required(c(Field::DealName), Field::DealName, 200)?;
            let account = required(c(Field::Account), Field::Account, 200)?;
            let amount_fen = money(c(Field::Amount), Field::Amount)?.ok_or(RowError::at(Field::Amount, Problem::Required))?;
            let close_date = day(c(Field::CloseDate), Field::CloseDate)?.ok_or(RowError::at(Field::CloseDate, Problem::Required))?;
            let currency = text(c(Field::Currency), Field::Currency, 3)
                .map_err(|_| RowError::at(Field::Currency, Problem::NotACurrency))?
                .map(|s| s.to_ascii_uppercase());
            if currency.as_deref().is_some_and(|s| s.len() != 3 || !s.chars().all(|c| c.is_ascii_alphabetic())) {
                return Err(RowError::at(Field::Currency, Problem::NotACurrency));
            }
            Ok(Record::Deal(DealRec {
                name,
                account,
                amount_fen,
                close_date,
                stage: text(c(Field::Stage), Field::Stage, 100)?,
                owner: text(c(Field::Owner), Field::Owner, 200)?,
                currency,
            }))
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn amounts() {
        for (s, want) in [
            ("1,234.5", Some(123_450)),
            ("¥1234", Some(123_400)),
            ("1234元", Some(123_400)),
            ("5000万", Some(5_000_000_000)),
            ("1.2亿", Some(12_000_000_000)),
            ("1.2345万", Some(1_234_500)),
            ("0.000001万", Some(1)),
            ("0.0000001万", None),
            ("-5", None),
            ("abc", None),
            ("1e20", None),
            ("10000000000000.00", Some(MAX_FEN)),
            ("10000000000000.01", None),
            ("99999999999999999999亿", None),
            ("", None),
        ] {
            assert_eq!(amount(s), want, "{s}");
        }
    }

    #[test]
    fn dates_counts_grades_sizes() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        for (s, want) in [
            ("2024-03-15", Ok(d(2024, 3, 15))),
            ("2024/3/5", Ok(d(2024, 3, 5))),
            ("2024.03.05", Ok(d(2024, 3, 5))),
            ("2024年3月5日", Ok(d(2024, 3, 5))),
            ("2024-03-15 00:00:00", Ok(d(2024, 3, 15))),
            ("2024-02-30", Err(Problem::NotADate)),
            ("15/03/2024x", Err(Problem::NotADate)),
            ("99999-12-31", Err(Problem::DateOutOfRange)),
            ("1899-12-31", Err(Problem::DateOutOfRange)),
        ] {
            assert_eq!(date(s), want, "{s}");
        }
        for (s, want) in [("200", Some(200)), ("200人", Some(200)), ("1,200", Some(1200)), ("-1", None), ("10000001", None), ("x", None)] {
            assert_eq!(count(s), want, "{s}");
        }
        for (s, want) in
            [("A", Some(Grade::A)), ("b类", Some(Grade::B)), ("C级", Some(Grade::C)), (" d ", Some(Grade::D)), ("E", None), ("AB", None)]
        {
            assert_eq!(grade(s), want, "{s}");
        }
        for (s, want) in [
            ("200人/1亿", Some((Some(200), Some(10_000_000_000)))),
            ("500人／5亿", Some((Some(500), Some(50_000_000_000)))),
            ("200", Some((Some(200), None))),
            ("/3000万", Some((None, Some(3_000_000_000)))),
            ("many/lots", None),
        ] {
            assert_eq!(size(s), want, "{s}");
        }
    }

    fn row(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn account_rows() {
        use Field::*;
        let m = vec![
            Some(AccountName),
            Some(Industry),
            Some(Size),
            Some(ContactName),
            Some(ContactTitle),
            Some(ContactPhone),
            Some(Owner),
            Some(Grade),
            Some(NextContact),
        ];
        let ok = parse_row(
            Kind::Accounts,
            &m,
            &row(&["制造有限公司", "制造业", "500人/5亿", "王*", "采购总监", "139 0000 0000", "李伟", "A类", "2024-03-10"]),
        )
        .unwrap();
        let Record::Account(a) = ok else { panic!("an account") };
        assert_eq!((a.headcount, a.revenue_fen, a.grade), (Some(500), Some(50_000_000_000), Some(crate::domain::account::Grade::A)));
        assert_eq!(a.contact.as_ref().map(|c| c.phone.clone()), Some(Some("139 0000 0000".into())));
        // An address in the phone column is the e-mail.
        let Ok(Record::Account(a)) = parse_row(Kind::Accounts, &m, &row(&["X", "", "", "张", "", "zhang@x.cn", "", "", ""])) else {
            panic!()
        };
        assert_eq!(a.contact.map(|c| (c.phone, c.email)), Some((None, Some("zhang@x.cn".into()))));
        let refused: &[(&[&str], Field, Problem)] = &[
            (&["", "制造业"], AccountName, Problem::Required),
            (&["X", "", "lots"], Size, Problem::NotASize),
            (&["X", "", "", "", "总监"], ContactName, Problem::Required),
            (&["X", "", "", "王", "", "12ab"], ContactPhone, Problem::NotAPhone),
            (&["X", "", "", "", "", "", "", "E类"], Grade, Problem::NotAGrade),
            (&["X", "", "", "", "", "", "", "", "2024-13-01"], NextContact, Problem::NotADate),
        ];
        for (cells, field, problem) in refused {
            assert_eq!(parse_row(Kind::Accounts, &m, &row(cells)), Err(RowError::at(*field, problem.clone())), "{cells:?}");
        }
        let long = "名".repeat(201);
        assert_eq!(parse_row(Kind::Accounts, &m, &row(&[&long])), Err(RowError::at(AccountName, Problem::TooLong { max: 200 })));
    }

    #[test]
    fn contact_and_deal_rows() {
        use Field::*;
        let m = vec![Some(Account), Some(ContactName), Some(ContactEmail)];
        assert!(matches!(parse_row(Kind::Contacts, &m, &row(&["华东", "李", "li@x.cn"])), Ok(Record::Contact(c)) if c.account == "华东"));
        assert_eq!(parse_row(Kind::Contacts, &m, &row(&["华东", "", ""])), Err(RowError::at(ContactName, Problem::Required)));
        assert_eq!(parse_row(Kind::Contacts, &m, &row(&["华东", "李", "li at x"])), Err(RowError::at(ContactEmail, Problem::NotAnEmail)));
        let m = vec![Some(DealName), Some(Account), Some(Amount), Some(CloseDate), Some(Currency)];
        let Ok(Record::Deal(d)) = parse_row(Kind::Deals, &m, &row(&["MES 一期", "华东", "220000", "2027-03-01", "cny"])) else {
            panic!()
        };
        assert_eq!((d.amount_fen, d.currency.as_deref()), (22_000_000, Some("CNY")));
        for (cells, field, problem) in [
            (["MES", "华东", "-5", "2027-03-01", ""], Amount, Problem::NotAnAmount),
            (["MES", "华东", "", "2027-03-01", ""], Amount, Problem::Required),
            (["MES", "华东", "5", "", ""], CloseDate, Problem::Required),
            (["MES", "华东", "5", "2027-03-01", "RMBX"], Currency, Problem::NotACurrency),
            (["MES", "华东", "5", "2027-03-01", "1$"], Currency, Problem::NotACurrency),
            (["MES", "", "5", "2027-03-01", ""], Account, Problem::Required),
        ] {
            assert_eq!(parse_row(Kind::Deals, &m, &row(&cells)), Err(RowError::at(field, problem)), "{cells:?}");
        }
    }

    #[test]
    fn lead_sources_in_both_languages_and_common_spellings() {
        use LeadSource::*;
        for (s, want) in [
            ("行业展会", Some(Events)),
            ("展会", Some(Events)),
            ("参加活动客户", Some(Events)),
            ("Event", Some(Events)),
            ("trade show", Some(Events)),
            ("客户转介绍", Some(CustomerReferral)),
            ("旧客户介绍", Some(CustomerReferral)),
            ("Customer referral", Some(CustomerReferral)),
            ("customer_referral", Some(CustomerReferral)),
            ("电话营销", Some(Telemarketing)),
            ("电话行销", Some(Telemarketing)),
            ("TELEMARKETING", Some(Telemarketing)),
            ("来电", Some(CallIn)),
            ("上门客户", Some(CallIn)),
            ("call-in", Some(CallIn)),
            ("Call in", Some(CallIn)),
            ("朋友介绍", Some(FriendReferral)),
            ("Friend referral", Some(FriendReferral)),
            ("老客户增购", Some(Upgrade)),
            ("upgrade", Some(Upgrade)),
            ("其他", Some(Other)),
            ("其它", Some(Other)),
            ("百度推广", None),
            ("referral by a partner", None),
        ] {
            assert_eq!(lead_source(s), want, "{s}");
        }
        // The refusal lists every accepted source, in the reader's language.
        let (en, zh) = (Problem::NotALeadSource.message(Locale::En), Problem::NotALeadSource.message(Locale::ZhCn));
        for x in LeadSource::ALL {
            assert!(en.contains(x.name(Locale::En)) && zh.contains(x.name(Locale::ZhCn)), "{x:?}");
        }
    }

    #[test]
    fn yes_no_and_iso9000() {
        for (s, want) in [
            ("是", Some(true)),
            ("有", Some(true)),
            ("Y", Some(true)),
            ("yes", Some(true)),
            ("否", Some(false)),
            ("无", Some(false)),
            ("N", Some(false)),
            ("0", Some(false)),
            ("maybe", None),
        ] {
            assert_eq!(yes_no(s), want, "{s}");
        }
        for (s, want) in [
            ("已通过", Some(Iso9000::Yes)),
            ("Certified", Some(Iso9000::Yes)),
            ("是", Some(Iso9000::Yes)),
            ("认证中", Some(Iso9000::InProgress)),
            ("in progress", Some(Iso9000::InProgress)),
            ("未通过", Some(Iso9000::No)),
            ("否", Some(Iso9000::No)),
            ("ISO14001", None),
        ] {
            assert_eq!(iso9000(s), want, "{s}");
        }
    }

    #[test]
    fn profile_columns_of_an_account_row() {
        use Field::*;
        let m = vec![
            Some(AccountName),
            Some(InitialNeed),
            Some(LeadSource),
            Some(MainProducts),
            Some(Iso9000),
            Some(BprUnderWay),
            Some(ItemCodes),
            Some(Computerised),
            Some(CurrentSystems),
            Some(Territory),
        ];
        let Ok(Record::Account(a)) = parse_row(
            Kind::Accounts,
            &m,
            &row(&["华东精密", "MES 替换纸质报工", "行业展会", "数控机床", "认证中", "否", "12,000", "是", "用友 U8", "华东"]),
        ) else {
            panic!("an account")
        };
        let p = a.profile;
        assert_eq!(p.initial_need.as_deref(), Some("MES 替换纸质报工"));
        assert_eq!(p.lead_source, Some(crate::domain::account::LeadSource::Events));
        assert_eq!(
            (p.iso9000, p.bpr_under_way, p.item_codes, p.computerised),
            (Some(crate::domain::account::profile::Iso9000::InProgress), Some(false), Some(12_000), Some(true))
        );
        assert_eq!(
            (p.main_products.as_deref(), p.current_systems.as_deref(), p.territory.as_deref()),
            (Some("数控机床"), Some("用友 U8"), Some("华东"))
        );
        // Empty profile cells are "not known".
        let Ok(Record::Account(a)) = parse_row(Kind::Accounts, &m, &row(&["华东精密"])) else { panic!() };
        assert_eq!(a.profile, Profile::default());
        let long_territory = "区".repeat(101);
        let refused: &[(&[&str], Field, Problem)] = &[
            (&["X", "", "百度推广"], LeadSource, Problem::NotALeadSource),
            (&["X", "", "", "", "ISO14001"], Iso9000, Problem::NotIso9000),
            (&["X", "", "", "", "", "也许"], BprUnderWay, Problem::NotYesNo),
            (&["X", "", "", "", "", "", "-3"], ItemCodes, Problem::NotItemCodes),
            (&["X", "", "", "", "", "", "100000001"], ItemCodes, Problem::NotItemCodes),
            (&["X", "", "", "", "", "", "", "", "", long_territory.as_str()], Territory, Problem::TooLong { max: 100 }),
        ];
        for (cells, field, problem) in refused {
            assert_eq!(parse_row(Kind::Accounts, &m, &row(cells)), Err(RowError::at(*field, problem.clone())), "{cells:?}");
        }
        let long = "需".repeat(1001);
        assert_eq!(parse_row(Kind::Accounts, &m, &row(&["X", &long])), Err(RowError::at(InitialNeed, Problem::TooLong { max: 1000 })));
    }

    #[test]
    fn the_contact_goes_through_the_one_contact_rule() {
        use crate::domain::account::contact::check;
        use Field::*;
        let m = vec![Some(Account), Some(ContactName), Some(ContactTitle), Some(ContactPhone), Some(ContactEmail)];
        let (long_title, long_name) = ("x".repeat(101), "李".repeat(101));
        // What the rule refuses, the import refuses on the same column.
        for (cells, field) in [
            (["华东", "李", "", "138-0000-0000 ext. 5", ""], ContactPhone),
            (["华东", "李", "", "", "a@b@c"], ContactEmail),
            (["华东", "李", long_title.as_str(), "", ""], ContactTitle),
            (["华东", long_name.as_str(), "", "", ""], ContactName),
        ] {
            let new = NewContact {
                name: cells[1].to_owned(),
                title: Some(cells[2].to_owned()),
                department: None,
                phone: Some(cells[3].to_owned()),
                email: Some(cells[4].to_owned()),
            };
            assert!(check(&new).is_err(), "{cells:?}");
            assert_eq!(parse_row(Kind::Contacts, &m, &row(&cells)).map_err(|e| e.field), Err(Some(field)), "{cells:?}");
        }
        // And stores what it stores (trimmed, blanks as nothing).
        let Ok(Record::Contact(c)) = parse_row(Kind::Contacts, &m, &row(&["华东", " 李工 ", " ", "+86 (21) 5555-0101", ""])) else {
            panic!()
        };
        assert_eq!((c.name.as_str(), c.title, c.phone.as_deref()), ("李工", None, Some("+86 (21) 5555-0101")));
    }

    #[test]
    fn every_problem_speaks_both_languages() {
        let all = [
            Problem::Required,
            Problem::TooLong { max: 5 },
            Problem::NotAnAmount,
            Problem::NotACount,
            Problem::NotADate,
            Problem::DateOutOfRange,
            Problem::NotAnEmail,
            Problem::NotAPhone,
            Problem::NotAGrade,
            Problem::NotASize,
            Problem::NotACurrency,
            Problem::NotALeadSource,
            Problem::NotYesNo,
            Problem::NotIso9000,
            Problem::NotItemCodes,
            Problem::DuplicateOtherTeam,
            Problem::UnknownAccount,
            Problem::UnknownOwner,
            Problem::NotAssignable,
            Problem::UnknownStage,
            Problem::DuplicateInFile { line: 3 },
            Problem::DuplicateExisting { name: "X".into() },
            Problem::Gate { missing: vec!["a".into()] },
            Problem::NeedsApproval,
            Problem::Write { detail: "d".into() },
        ];
        for p in all {
            let (en, zh) = (p.message(Locale::En), p.message(Locale::ZhCn));
            assert!(!en.is_empty() && !zh.is_empty() && en != zh, "{p:?}");
            assert!(zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{p:?}");
        }
    }
}
