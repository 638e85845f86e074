//! Importing accounts, contacts and deals from a spreadsheet: what each kind of row may carry
//! (`Field`), how a header is recognised in Chinese or English (`auto_map`), and how one row's
//! cells become a typed record or a refusal naming its column (`cells`). No I/O: the service
//! streams rows through these.
pub mod cells;

use crate::domain::locale::Locale;
use serde::{Deserialize, Serialize};

/// What a file imports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Accounts,
    Contacts,
    Deals,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Self::Accounts, Self::Contacts, Self::Deals];

    pub const fn code(self) -> &'static str {
        match self {
            Self::Accounts => "accounts",
            Self::Contacts => "contacts",
            Self::Deals => "deals",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The columns of this kind, in template order (seed 003 table 1 for accounts).
    pub fn fields(self) -> &'static [Field] {
        use Field::*;
        match self {
            Self::Accounts => &[
                AccountName,
                Industry,
                Size,
                Headcount,
                Revenue,
                Profit,
                City,
                ContactName,
                ContactTitle,
                ContactPhone,
                ContactEmail,
                InitialNeed,
                LeadSource,
                Owner,
                Grade,
                NextContact,
                // Seed 000's profile, all optional.
                MainProducts,
                Iso9000,
                BprUnderWay,
                PlantMovePlanned,
                BigInvestmentPlanned,
                ItemCodes,
                Computerised,
                CurrentSystems,
                Territory,
            ],
            Self::Contacts => &[Account, ContactName, ContactTitle, Department, ContactPhone, ContactEmail],
            Self::Deals => &[DealName, Account, Amount, CloseDate, Stage, Owner, Currency],
        }
    }
}

/// The file's format, from its name or its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "csv" => Some(Self::Csv),
            "xlsx" => Some(Self::Xlsx),
            _ => None,
        }
    }

    /// An XLSX file is a zip archive ("PK\x03\x04"); anything else is read as CSV text.
    pub fn sniff(bytes: &[u8]) -> Self {
        if bytes.starts_with(b"PK\x03\x04") {
            Self::Xlsx
        } else {
            Self::Csv
        }
    }
}

/// What happens to a file with refused rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Any refused row and nothing is imported (the default: nothing half-written).
    AllOrNothing,
    /// The good rows go in; the refused ones come back in the result file.
    GoodRows,
}

impl Mode {
    pub const fn code(self) -> &'static str {
        match self {
            Self::AllOrNothing => "all_or_nothing",
            Self::GoodRows => "good_rows",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "all_or_nothing" => Some(Self::AllOrNothing),
            "good_rows" => Some(Self::GoodRows),
            _ => None,
        }
    }
}

/// Where an import stands; the row keeps it so a reloaded page finds its progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Uploaded; columns mapped automatically, waiting for a check.
    Uploaded,
    /// Checked (dry run): counts and refusals known, nothing written.
    Checked,
    Running,
    Done,
    /// Stopped by an error that is not a row's (the message says which).
    Failed,
}

impl Status {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Uploaded => "uploaded",
            Self::Checked => "checked",
            Self::Running => "running",
            Self::Done => "done",
            Self::Failed => "failed",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        [Self::Uploaded, Self::Checked, Self::Running, Self::Done, Self::Failed].into_iter().find(|s| s.code() == code)
    }
}

/// A column an import understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    AccountName,
    Industry,
    /// "200人/1亿" — headcount and revenue in one cell, as seed 003's table 1 writes them.
    Size,
    Headcount,
    Revenue,
    Profit,
    City,
    ContactName,
    ContactTitle,
    Department,
    ContactPhone,
    ContactEmail,
    /// The rep who follows the account or owns the deal: e-mail or name.
    Owner,
    Grade,
    NextContact,
    /// Seed 003's 初步需求描述: the need the lead first voiced.
    InitialNeed,
    /// Seed 003's 信息来源 (seed 000's 名单来源): events, telemarketing, …
    LeadSource,
    MainProducts,
    Iso9000,
    BprUnderWay,
    PlantMovePlanned,
    BigInvestmentPlanned,
    ItemCodes,
    Computerised,
    CurrentSystems,
    Territory,
    /// The account a contact or deal belongs to, by name.
    Account,
    DealName,
    Amount,
    CloseDate,
    Stage,
    Currency,
}

impl Field {
    pub const fn code(self) -> &'static str {
        match self {
            Self::AccountName => "account_name",
            Self::Industry => "industry",
            Self::Size => "size",
            Self::Headcount => "headcount",
            Self::Revenue => "revenue",
            Self::Profit => "profit",
            Self::City => "city",
            Self::ContactName => "contact_name",
            Self::ContactTitle => "contact_title",
            Self::Department => "department",
            Self::ContactPhone => "contact_phone",
            Self::ContactEmail => "contact_email",
            Self::Owner => "owner",
            Self::Grade => "grade",
            Self::NextContact => "next_contact",
            Self::InitialNeed => "initial_need",
            Self::LeadSource => "lead_source",
            Self::MainProducts => "main_products",
            Self::Iso9000 => "iso9000",
            Self::BprUnderWay => "bpr_under_way",
            Self::PlantMovePlanned => "plant_move_planned",
            Self::BigInvestmentPlanned => "big_investment_planned",
            Self::ItemCodes => "item_codes",
            Self::Computerised => "computerised",
            Self::CurrentSystems => "current_systems",
            Self::Territory => "territory",
            Self::Account => "account",
            Self::DealName => "deal_name",
            Self::Amount => "amount",
            Self::CloseDate => "close_date",
            Self::Stage => "stage",
            Self::Currency => "currency",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Kind::ALL.iter().flat_map(|k| k.fields()).copied().find(|f| f.code() == code)
    }

    /// The columns a row of this kind cannot do without.
    pub fn required(self, kind: Kind) -> bool {
        matches!(
            (kind, self),
            (Kind::Accounts, Self::AccountName)
                | (Kind::Contacts, Self::Account | Self::ContactName)
                | (Kind::Deals, Self::DealName | Self::Account | Self::Amount | Self::CloseDate)
        )
    }

    /// The template's header (Chinese first, as seed 003 writes it; English after).
    pub const fn header(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Self::AccountName, true) => "客户名称",
            (Self::AccountName, false) => "Account name",
            (Self::Industry, true) => "所属行业",
            (Self::Industry, false) => "Industry",
            (Self::Size, true) => "企业规模(员工人数/年营收)",
            (Self::Size, false) => "Size (headcount/revenue)",
            (Self::Headcount, true) => "员工人数",
            (Self::Headcount, false) => "Headcount",
            (Self::Revenue, true) => "年营收(元)",
            (Self::Revenue, false) => "Revenue (CNY)",
            (Self::Profit, true) => "年利润(元)",
            (Self::Profit, false) => "Profit (CNY)",
            (Self::City, true) => "城市",
            (Self::City, false) => "City",
            (Self::ContactName, true) => "联系人",
            (Self::ContactName, false) => "Contact",
            (Self::ContactTitle, true) => "职务",
            (Self::ContactTitle, false) => "Title",
            (Self::Department, true) => "部门",
            (Self::Department, false) => "Department",
            (Self::ContactPhone, true) => "联系电话",
            (Self::ContactPhone, false) => "Phone",
            (Self::ContactEmail, true) => "电子邮箱",
            (Self::ContactEmail, false) => "Email",
            (Self::Owner, true) => "跟进人",
            (Self::Owner, false) => "Owner",
            (Self::Grade, true) => "跟进状态",
            (Self::Grade, false) => "Grade",
            (Self::NextContact, true) => "下次跟进时间",
            (Self::NextContact, false) => "Next contact",
            (Self::InitialNeed, true) => "初步需求描述",
            (Self::InitialNeed, false) => "Initial need",
            (Self::LeadSource, true) => "信息来源",
            (Self::LeadSource, false) => "Lead source",
            (Self::MainProducts, true) => "主要产品",
            (Self::MainProducts, false) => "Main products",
            (Self::Iso9000, true) => "ISO9000认证",
            (Self::Iso9000, false) => "ISO9000",
            (Self::BprUnderWay, true) => "流程再造(BPR)",
            (Self::BprUnderWay, false) => "BPR under way",
            (Self::PlantMovePlanned, true) => "计划搬厂或扩厂",
            (Self::PlantMovePlanned, false) => "Plant move or expansion",
            (Self::BigInvestmentPlanned, true) => "计划重大投资",
            (Self::BigInvestmentPlanned, false) => "Big investment planned",
            (Self::ItemCodes, true) => "料号数",
            (Self::ItemCodes, false) => "Item codes",
            (Self::Computerised, true) => "已信息化",
            (Self::Computerised, false) => "Computerised",
            (Self::CurrentSystems, true) => "现有系统",
            (Self::CurrentSystems, false) => "Current systems",
            (Self::Territory, true) => "责任区域",
            (Self::Territory, false) => "Territory",
            (Self::Account, true) => "客户名称",
            (Self::Account, false) => "Account",
            (Self::DealName, true) => "商机名称",
            (Self::DealName, false) => "Deal name",
            (Self::Amount, true) => "金额(元)",
            (Self::Amount, false) => "Amount (CNY)",
            (Self::CloseDate, true) => "预计签约日期",
            (Self::CloseDate, false) => "Close date",
            (Self::Stage, true) => "阶段",
            (Self::Stage, false) => "Stage",
            (Self::Currency, true) => "币种",
            (Self::Currency, false) => "Currency",
        }
    }

    /// Other spellings a spreadsheet uses for this column, normalised (see [`norm_header`]).
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            Self::AccountName => {
                &["客户", "客户名", "名称", "公司", "公司名称", "企业名称", "name", "account", "accountname", "company", "customer"]
            }
            Self::Account => &["客户", "客户名", "公司", "公司名称", "企业名称", "account", "accountname", "company", "customer"],
            Self::Industry => &["行业", "industry"],
            Self::Size => &["企业规模", "规模", "size"],
            Self::Headcount => &["人数", "员工数", "headcount", "employees"],
            Self::Revenue => &["年营收", "营收", "营业收入", "revenue", "annualrevenue"],
            Self::Profit => &["利润", "年利润", "profit"],
            Self::City => &["城市", "地区", "city"],
            Self::ContactName => &["联系人", "姓名", "contact", "contactname", "name"],
            Self::ContactTitle => &["职务", "职位", "title", "jobtitle"],
            Self::Department => &["部门", "department"],
            Self::ContactPhone => &["联系方式", "电话", "手机", "phone", "mobile", "tel"],
            Self::ContactEmail => &["邮箱", "email", "e-mail", "mail"],
            Self::Owner => &["跟进人", "负责人", "销售", "owner", "rep"],
            Self::Grade => &["跟进状态", "客户等级", "等级", "grade"],
            Self::NextContact => &["下次跟进时间", "下次跟进", "下次回访时间", "nextcontact", "nextvisit"],
            Self::InitialNeed => {
                &["初步需求", "需求描述", "需求", "客户需求", "need", "needs", "initialneeds", "requirement", "requirements"]
            }
            Self::LeadSource => &["来源", "客户来源", "名单来源", "线索来源", "source", "leadsource", "leadsources"],
            Self::MainProducts => &["产品", "主营产品", "主要产品", "products", "mainproduct"],
            Self::Iso9000 => &["iso9000", "iso9001", "iso", "iso认证"],
            Self::BprUnderWay => &["流程再造", "bpr", "bprunderway", "正在进行流程再造"],
            Self::PlantMovePlanned => &["搬厂", "扩厂", "搬厂扩厂", "搬厂或扩厂", "plantmove", "plantmoveorexpansionplanned"],
            Self::BigInvestmentPlanned => &["重大投资", "大额投资", "biginvestment", "biginvestmentsplanned"],
            Self::ItemCodes => &["料号", "料号数量", "物料数", "itemcode", "itemcodes"],
            Self::Computerised => &["信息化", "是否信息化", "computerized"],
            Self::CurrentSystems => &["现用系统", "现有系统", "currentsystem", "systems"],
            Self::Territory => &["区域", "责任区", "销售区域", "territory", "region"],
            Self::DealName => &["商机", "商机名称", "项目名称", "deal", "dealname", "opportunity", "name"],
            Self::Amount => &["金额", "预计金额", "amount", "value"],
            Self::CloseDate => &["预计签约日期", "预计成交日期", "签约日期", "closedate", "expectedclose"],
            Self::Stage => &["阶段", "销售阶段", "stage"],
            Self::Currency => &["币种", "货币", "currency"],
        }
    }
}

/// A header as compared: lower case, without spaces, punctuation, or a unit in brackets.
pub fn norm_header(h: &str) -> String {
    let cut = h.find(['(', '（']).map_or(h, |i| &h[..i]);
    cut.chars().filter(|c| c.is_alphanumeric() || *c == '-').flat_map(char::to_lowercase).collect()
}

/// Matches each header to a column of `kind`, each column at most once (the first header to
/// claim it wins); unmatched headers stay `None` (not imported).
pub fn auto_map(kind: Kind, headers: &[String]) -> Vec<Option<Field>> {
    let mut taken: Vec<Field> = Vec::new();
    headers
        .iter()
        .map(|h| {
            let n = norm_header(h);
            if n.is_empty() {
                return None;
            }
            let hit = kind.fields().iter().copied().find(|f| {
                !taken.contains(f)
                    && (norm_header(f.header(true)) == n || norm_header(f.header(false)) == n || f.synonyms().contains(&n.as_str()))
            });
            if let Some(f) = hit {
                taken.push(f);
            }
            hit
        })
        .collect()
}

/// A mapping the user sent: every column of the file once at most, required columns present.
pub fn check_mapping(kind: Kind, mapping: &[Option<Field>]) -> Result<(), MappingError> {
    let mut seen: Vec<Field> = Vec::new();
    for f in mapping.iter().flatten() {
        if !kind.fields().contains(f) {
            return Err(MappingError::NotOfKind(*f));
        }
        if seen.contains(f) {
            return Err(MappingError::Twice(*f));
        }
        seen.push(*f);
    }
    let missing = missing_required(kind, mapping);
    if missing.is_empty() {
        Ok(())
    } else {
        Err(MappingError::Missing(missing))
    }
}

/// The required fields of `kind` that no column is mapped to, in template order (the mapping
/// page lists them before the check; the check's 422 names them).
pub fn missing_required(kind: Kind, mapping: &[Option<Field>]) -> Vec<Field> {
    kind.fields().iter().copied().filter(|f| f.required(kind) && !mapping.contains(&Some(*f))).collect()
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MappingError {
    /// Every required field without a column.
    Missing(Vec<Field>),
    Twice(Field),
    NotOfKind(Field),
}

impl MappingError {
    pub fn message(&self, locale: Locale) -> String {
        let zh = locale == Locale::ZhCn;
        match self {
            Self::Missing(fs) => {
                let names: Vec<String> = fs.iter().map(|f| format!("{}（{}）", f.header(zh), f.code())).collect();
                if zh {
                    format!("以下必填字段没有对应的列：{}。请为每个字段选择一列。", names.join("、"))
                } else {
                    let names: Vec<String> = fs.iter().map(|f| format!("{} ({})", f.header(false), f.code())).collect();
                    format!("No column is chosen for the required field(s): {}. Choose a column for each.", names.join(", "))
                }
            }
            Self::Twice(f) if zh => format!("“{}”被选给了两列。", f.header(true)),
            Self::Twice(f) => format!("“{}” ({}) is chosen for two columns.", f.header(false), f.code()),
            Self::NotOfKind(f) if zh => format!("“{}”不是此类导入的字段。", f.header(true)),
            Self::NotOfKind(f) => format!("“{}” ({}) is not a field of this import.", f.header(false), f.code()),
        }
    }
}

/// A company name as duplicates are found: no spaces, punctuation, or legal-form suffix
/// ("有限公司", "Co., Ltd."), lower case, full-width folded.
pub fn norm_name(s: &str) -> String {
    let folded: String = s
        .chars()
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            _ => c,
        })
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    let mut n = folded.as_str();
    loop {
        let before = n.len();
        for suffix in
            ["股份有限公司", "有限责任公司", "有限公司", "集团", "公司", "coltd", "ltd", "limited", "inc", "corp", "co", "gmbh", "llc"]
        {
            if n.len() > suffix.len() {
                n = n.strip_suffix(suffix).unwrap_or(n);
            }
        }
        if n.len() == before {
            break;
        }
    }
    n.to_owned()
}

/// A phone number as duplicates are found: digits only, without a +86 / 0086 prefix.
pub fn norm_phone(s: &str) -> String {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let d = digits.strip_prefix("0086").or_else(|| if s.trim_start().starts_with('+') { digits.strip_prefix("86") } else { None });
    d.unwrap_or(&digits).to_owned()
}

pub fn norm_email(s: &str) -> String {
    s.trim().to_lowercase()
}

/// An import as its page shows it: where it stands, how far, and the first refusals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JobView {
    pub id: uuid::Uuid,
    pub kind: Kind,
    pub format: Format,
    pub file_name: String,
    pub status: Status,
    pub mode: Option<Mode>,
    pub headers: Vec<String>,
    pub mapping: Vec<Option<Field>>,
    /// The first rows under the header, as read (uploaded and checked jobs only).
    pub sample: Vec<Vec<String>>,
    pub total_rows: u64,
    pub processed: u64,
    pub imported: u64,
    pub rejected: u64,
    /// The first refused rows (all of them are in the result file).
    pub rejects: Vec<RejectView>,
    pub error: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub finished_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectView {
    pub line: u32,
    pub cells: Vec<String>,
    pub field: Option<Field>,
    pub problem: cells::Problem,
}

/// Limits of one upload: a 100k-row sheet is ~15 MB of CSV.
pub const MAX_FILE_BYTES: usize = 32 * 1024 * 1024;
pub const MAX_ROWS: u64 = 200_000;
pub const MAX_COLUMNS: usize = 100;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn h(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn seed_003_table_1_headers_map_in_chinese_and_english() {
        use Field::*;
        let zh = h(&[
            "客户名称",
            "所属行业",
            "企业规模（员工人数/年营收）",
            "联系人",
            "职务",
            "联系方式",
            "初步需求描述",
            "信息来源",
            "跟进人",
            "跟进状态",
            "下次跟进时间",
        ]);
        assert_eq!(
            auto_map(Kind::Accounts, &zh),
            vec![
                Some(AccountName),
                Some(Industry),
                Some(Size),
                Some(ContactName),
                Some(ContactTitle),
                Some(ContactPhone),
                Some(InitialNeed),
                Some(LeadSource),
                Some(Owner),
                Some(Grade),
                Some(NextContact)
            ]
        );
        let en = h(&["Account name", "INDUSTRY", "Revenue (CNY)", "e-mail", "Owner", "?"]);
        assert_eq!(
            auto_map(Kind::Accounts, &en),
            vec![Some(AccountName), Some(Industry), Some(Revenue), Some(ContactEmail), Some(Owner), None]
        );
        // Seed 000's profile, in either language and in common spellings.
        let profile = h(&[
            "主要产品",
            "ISO9000",
            "流程再造（BPR）",
            "搬厂/扩厂",
            "重大投资",
            "料号数",
            "是否信息化",
            "现用系统",
            "责任区域",
            "初步需求",
            "客户来源",
        ]);
        assert_eq!(
            auto_map(Kind::Accounts, &profile),
            vec![
                Some(MainProducts),
                Some(Iso9000),
                Some(BprUnderWay),
                Some(PlantMovePlanned),
                Some(BigInvestmentPlanned),
                Some(ItemCodes),
                Some(Computerised),
                Some(CurrentSystems),
                Some(Territory),
                Some(InitialNeed),
                Some(LeadSource)
            ]
        );
        let profile_en = h(&[
            "Main products",
            "ISO 9000",
            "BPR under way",
            "Item codes",
            "Computerized",
            "Current systems",
            "Territory",
            "Initial need",
            "Lead source",
            "Source",
        ]);
        assert_eq!(
            auto_map(Kind::Accounts, &profile_en),
            vec![
                Some(MainProducts),
                Some(Iso9000),
                Some(BprUnderWay),
                Some(ItemCodes),
                Some(Computerised),
                Some(CurrentSystems),
                Some(Territory),
                Some(InitialNeed),
                Some(LeadSource),
                None
            ]
        );
        // Every template header maps back to its own field.
        for k in Kind::ALL {
            for zh in [true, false] {
                let hs: Vec<String> = k.fields().iter().map(|f| f.header(zh).to_owned()).collect();
                let want: Vec<Option<Field>> = k.fields().iter().copied().map(Some).collect();
                assert_eq!(auto_map(k, &hs), want, "{k:?} zh={zh}");
            }
        }
        // A column is claimed once: the second "Name" stays unmapped.
        assert_eq!(
            auto_map(Kind::Deals, &h(&["Name", "Name", "Account", "金额", "Close date"])),
            vec![Some(DealName), None, Some(Account), Some(Amount), Some(CloseDate)]
        );
    }

    #[test]
    fn mappings_are_checked() {
        use Field::*;
        type Case = (Kind, Vec<Option<Field>>, Result<(), MappingError>);
        let cases: &[Case] = &[
            (Kind::Accounts, vec![Some(AccountName), None], Ok(())),
            (Kind::Accounts, vec![Some(City)], Err(MappingError::Missing(vec![AccountName]))),
            (Kind::Accounts, vec![Some(AccountName), Some(AccountName)], Err(MappingError::Twice(AccountName))),
            (Kind::Accounts, vec![Some(AccountName), Some(Amount)], Err(MappingError::NotOfKind(Amount))),
            (Kind::Contacts, vec![Some(ContactName)], Err(MappingError::Missing(vec![Account]))),
            (Kind::Deals, vec![Some(DealName), Some(Account), Some(Amount)], Err(MappingError::Missing(vec![CloseDate]))),
            (Kind::Deals, vec![Some(Stage), None], Err(MappingError::Missing(vec![DealName, Account, Amount, CloseDate]))),
            (Kind::Deals, vec![Some(CloseDate), Some(DealName), Some(Amount), Some(Account)], Ok(())),
        ];
        for (kind, m, want) in cases {
            assert_eq!(&check_mapping(*kind, m), want, "{kind:?} {m:?}");
        }
    }

    #[test]
    fn missing_required_fields_are_named_in_words() {
        use Field::*;
        assert_eq!(missing_required(Kind::Deals, &[Some(Amount), None]), vec![DealName, Account, CloseDate]);
        assert_eq!(missing_required(Kind::Accounts, &[Some(AccountName)]), Vec::<Field>::new());
        let e = MappingError::Missing(vec![DealName, CloseDate]);
        assert_eq!(
            e.message(Locale::En),
            "No column is chosen for the required field(s): Deal name (deal_name), Close date (close_date). Choose a column for each."
        );
        assert_eq!(
            e.message(Locale::ZhCn),
            "以下必填字段没有对应的列：商机名称（deal_name）、预计签约日期（close_date）。请为每个字段选择一列。"
        );
        for e in [MappingError::Twice(Amount), MappingError::NotOfKind(Amount)] {
            assert_ne!(e.message(Locale::En), e.message(Locale::ZhCn));
        }
    }

    #[test]
    fn names_phones_and_emails_normalise_for_duplicates() {
        for (a, b) in [
            ("华东精密机械有限公司", "华东精密机械"),
            ("华东 精密机械 股份有限公司", "华东精密机械"),
            ("Acme Co., Ltd.", "acme"),
            ("ＡＣＭＥ Inc", "acme"),
            ("Acme Limited", "ACME"),
        ] {
            assert_eq!(norm_name(a), norm_name(b), "{a} ~ {b}");
        }
        assert_ne!(norm_name("华东精密"), norm_name("华南精密"));
        // A name that is only a legal form is kept, not emptied.
        assert_eq!(norm_name("公司"), "公司");
        for (a, b) in [("+86 138-0013-8000", "13800138000"), ("0086 13800138000", "138 0013 8000"), ("(021) 6543-2100", "02165432100")] {
            assert_eq!(norm_phone(a), norm_phone(b), "{a} ~ {b}");
        }
        assert_eq!(norm_email(" Li.Wei@Example.COM "), "li.wei@example.com");
    }

    #[test]
    fn formats_sniff_and_codes_round_trip() {
        assert_eq!(Format::sniff(b"PK\x03\x04rest"), Format::Xlsx);
        assert_eq!(Format::sniff("客户名称,行业".as_bytes()), Format::Csv);
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.code()), Some(k));
            for f in k.fields() {
                assert_eq!(Field::parse(f.code()), Some(*f));
            }
        }
        for m in [Mode::AllOrNothing, Mode::GoodRows] {
            assert_eq!(Mode::parse(m.code()), Some(m));
        }
    }
}
