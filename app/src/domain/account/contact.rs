//! What a contact must say, for creating one and for editing one (the account page, the
//! `/contacts` list, the committee map and REST all come here). Pure: the services store
//! what this returns, trimmed; each refusal names its field in both languages.
use crate::domain::dto::NewContact;
use crate::domain::error::AppError;
use crate::domain::locale::Locale;
use serde::{Deserialize, Serialize};

pub const NAME_MAX: usize = 100;
pub const TITLE_MAX: usize = 100;
pub const DEPARTMENT_MAX: usize = 100;
pub const PHONE_MAX: usize = 50;
pub const EMAIL_MAX: usize = 200;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContactError {
    NameMissing,
    TooLong { field: &'static str, max: usize },
    Email,
    Phone,
}

impl ContactError {
    pub const fn field(&self) -> &'static str {
        match self {
            Self::NameMissing => "name",
            Self::TooLong { field, .. } => field,
            Self::Email => "email",
            Self::Phone => "phone",
        }
    }

    pub fn message(&self, locale: Locale) -> String {
        let zh = locale == Locale::ZhCn;
        match self {
            Self::NameMissing if zh => "请填写姓名。".into(),
            Self::NameMissing => "A contact needs a name.".into(),
            Self::TooLong { max, .. } if zh => format!("最多 {max} 个字符。"),
            Self::TooLong { max, .. } => format!("At most {max} characters."),
            Self::Email if zh => "不是有效的电子邮箱地址。".into(),
            Self::Email => "Not an e-mail address.".into(),
            Self::Phone if zh => "电话只能包含数字、空格和 + - ( )。".into(),
            Self::Phone => "Digits, spaces and + - ( ) only.".into(),
        }
    }

    /// The error the services return: 422 naming the field, in the user's language.
    pub fn to_app(self, locale: Locale) -> AppError {
        AppError::validation(self.field(), self.message(locale))
    }
}

fn bounded(field: &'static str, v: Option<&str>, max: usize) -> Result<Option<String>, ContactError> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) if s.chars().count() > max => Err(ContactError::TooLong { field, max }),
        other => Ok(other.map(str::to_owned)),
    }
}

/// The contact as it will be stored (trimmed, blanks as nothing), or the first refusal in
/// form order: name, title, department, phone, e-mail.
pub fn check(c: &NewContact) -> Result<NewContact, ContactError> {
    let name = bounded("name", Some(&c.name), NAME_MAX)?.ok_or(ContactError::NameMissing)?;
    let title = bounded("title", c.title.as_deref(), TITLE_MAX)?;
    let department = bounded("department", c.department.as_deref(), DEPARTMENT_MAX)?;
    let phone = bounded("phone", c.phone.as_deref(), PHONE_MAX)?;
    if phone.as_deref().is_some_and(|p| !p.chars().all(|ch| ch.is_ascii_digit() || " +-()".contains(ch))) {
        return Err(ContactError::Phone);
    }
    let email = bounded("email", c.email.as_deref(), EMAIL_MAX)?;
    if email.as_deref().is_some_and(|e| !plausible_email(e)) {
        return Err(ContactError::Email);
    }
    Ok(NewContact { name, title, department, phone, email })
}

/// One `@` with something on both sides and no spaces: a typo catcher, not RFC 5322.
fn plausible_email(e: &str) -> bool {
    match e.split_once('@') {
        Some((local, domain)) => !local.is_empty() && !domain.is_empty() && !domain.contains('@') && !e.contains(char::is_whitespace),
        None => false,
    }
}

/// An edit of a contact: a field left out (`None`) keeps its value; an empty text clears an
/// optional field. Applied under the version the editor read.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ContactPatch {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub department: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
}

impl ContactPatch {
    /// Every field as the form shows it (the UI always sends the whole contact).
    pub fn whole(c: &NewContact) -> Self {
        let text = |v: &Option<String>| Some(v.clone().unwrap_or_default());
        Self {
            name: Some(c.name.clone()),
            title: text(&c.title),
            department: text(&c.department),
            phone: text(&c.phone),
            email: text(&c.email),
        }
    }

    /// The contact after the edit, before [`check`].
    pub fn apply(self, current: NewContact) -> NewContact {
        NewContact {
            name: self.name.unwrap_or(current.name),
            title: self.title.or(current.title),
            department: self.department.or(current.department),
            phone: self.phone.or(current.phone),
            email: self.email.or(current.email),
        }
    }
}

/// A contact's field, as its history names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactField {
    Name,
    Title,
    Department,
    Phone,
    Email,
}

impl ContactField {
    pub const ALL: [ContactField; 5] = [Self::Name, Self::Title, Self::Department, Self::Phone, Self::Email];

    pub const fn code(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Title => "title",
            Self::Department => "department",
            Self::Phone => "phone",
            Self::Email => "email",
        }
    }

    pub const fn label(self, l: Locale) -> &'static str {
        match (self, l) {
            (Self::Name, Locale::En) => "Name",
            (Self::Title, Locale::En) => "Title",
            (Self::Department, Locale::En) => "Department",
            (Self::Phone, Locale::En) => "Phone",
            (Self::Email, Locale::En) => "E-mail",
            (Self::Name, Locale::ZhCn) => "姓名",
            (Self::Title, Locale::ZhCn) => "职务",
            (Self::Department, Locale::ZhCn) => "部门",
            (Self::Phone, Locale::ZhCn) => "电话",
            (Self::Email, Locale::ZhCn) => "邮箱",
        }
    }
}

/// One changed field of a contact (`None`: empty).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactChange {
    pub field: ContactField,
    pub from: Option<String>,
    pub to: Option<String>,
}

impl ContactChange {
    /// "Title: 总经理 → 董事长" / "职务：总经理 → 董事长".
    pub fn text(&self, l: Locale) -> String {
        let sep = if l == Locale::ZhCn { "：" } else { ": " };
        let v = |x: &Option<String>| x.clone().unwrap_or_else(|| "—".into());
        format!("{}{sep}{} → {}", self.field.label(l), v(&self.from), v(&self.to))
    }
}

/// What an account-history row says about a contact: who (their name as it was, or became)
/// and what changed (for an added contact, what they were created with).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactNote {
    pub name: String,
    #[serde(default)]
    pub changes: Vec<ContactChange>,
}

fn fields(c: &NewContact) -> [(ContactField, Option<String>); 5] {
    [
        (ContactField::Name, Some(c.name.clone())),
        (ContactField::Title, c.title.clone()),
        (ContactField::Department, c.department.clone()),
        (ContactField::Phone, c.phone.clone()),
        (ContactField::Email, c.email.clone()),
    ]
}

/// The fields `after` changed from `before`, in form order.
pub fn diff(before: &NewContact, after: &NewContact) -> Vec<ContactChange> {
    fields(before)
        .into_iter()
        .zip(fields(after))
        .filter(|((_, f), (_, t))| f != t)
        .map(|((field, from), (_, to))| ContactChange { field, from, to })
        .collect()
}

impl ContactNote {
    /// A new contact: every field it was created with.
    pub fn added(c: &NewContact) -> Self {
        let changes = fields(c).into_iter().filter_map(|(field, to)| Some(ContactChange { field, from: None, to: Some(to?) })).collect();
        Self { name: c.name.clone(), changes }
    }

    /// An edit: the name after it, and what changed.
    pub fn edited(before: &NewContact, after: &NewContact) -> Self {
        Self { name: after.name.clone(), changes: diff(before, after) }
    }

    pub fn deleted(c: &NewContact) -> Self {
        Self { name: c.name.clone(), changes: Vec::new() }
    }

    /// The row's headline in words; the changes follow it one per line.
    pub fn headline(&self, event: super::profile::AccountEvent, l: Locale) -> String {
        use super::profile::AccountEvent as E;
        let n = &self.name;
        match (event, l) {
            (E::ContactAdded, Locale::En) => format!("Contact “{n}” added"),
            (E::ContactAdded, Locale::ZhCn) => format!("新增联系人“{n}”"),
            (E::ContactDeleted, Locale::En) => format!("Contact “{n}” deleted"),
            (E::ContactDeleted, Locale::ZhCn) => format!("删除联系人“{n}”"),
            (_, Locale::En) => format!("Contact “{n}” edited"),
            (_, Locale::ZhCn) => format!("修改联系人“{n}”"),
        }
    }

    /// The headline and the changes, one line (REST, exports).
    pub fn text(&self, event: super::profile::AccountEvent, l: Locale) -> String {
        let mut out = self.headline(event, l);
        let changes: Vec<String> = self.changes.iter().map(|c| c.text(l)).collect();
        if !changes.is_empty() {
            out.push_str(if l == Locale::ZhCn { "：" } else { ": " });
            out.push_str(&changes.join(if l == Locale::ZhCn { "；" } else { "; " }));
        }
        out
    }
}

/// How the contact list is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactSort {
    #[default]
    Name,
    Account,
    Title,
    /// Most recently edited first.
    Updated,
}

impl ContactSort {
    pub const ALL: [ContactSort; 4] = [Self::Name, Self::Account, Self::Title, Self::Updated];

    pub const fn code(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Account => "account",
            Self::Title => "title",
            Self::Updated => "updated",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// One row of `/contacts`: the contact, their account, and how many deals' buying
/// committees they sit on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContactListRow {
    pub contact: crate::domain::dto::ContactRow,
    pub account_name: String,
    pub deals: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContactPage {
    pub rows: Vec<ContactListRow>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn c(name: &str, title: Option<&str>, dept: Option<&str>, phone: Option<&str>, email: Option<&str>) -> NewContact {
        NewContact {
            name: name.into(),
            title: title.map(Into::into),
            department: dept.map(Into::into),
            phone: phone.map(Into::into),
            email: email.map(Into::into),
        }
    }

    #[test]
    fn what_a_contact_must_say() {
        let long = |n: usize| "x".repeat(n);
        let long_zh = "张".repeat(101);
        let table: Vec<(NewContact, Result<(), &str>)> = vec![
            (c("王总", None, None, None, None), Ok(())),
            (c("  王总 ", Some("总经理"), Some("总经办"), Some("+86 (21) 5555-0101"), Some("wang@example.cn")), Ok(())),
            (c("", None, None, None, None), Err("name")),
            (c("   ", None, None, None, None), Err("name")),
            (c(&long(100), None, None, None, None), Ok(())),
            (c(&long(101), None, None, None, None), Err("name")),
            (c(&long_zh, None, None, None, None), Err("name")),
            (c("A", Some(&long(101)), None, None, None), Err("title")),
            (c("A", None, Some(&long(101)), None, None), Err("department")),
            (c("A", None, None, Some(&"1".repeat(51)), None), Err("phone")),
            (c("A", None, None, Some("138-0000-0000 ext. 5"), None), Err("phone")),
            (c("A", None, None, Some("13800000000"), None), Ok(())),
            (c("A", None, None, None, Some("no-at-sign")), Err("email")),
            (c("A", None, None, None, Some("a b@x.cn")), Err("email")),
            (c("A", None, None, None, Some("@x.cn")), Err("email")),
            (c("A", None, None, None, Some("a@")), Err("email")),
            (c("A", None, None, None, Some("a@b@c")), Err("email")),
            (c("A", None, None, None, Some(&format!("{}@x.cn", long(196)))), Err("email")),
            // Blanks are "nothing", never a bad value.
            (c("A", Some("  "), Some(""), Some(" "), Some("")), Ok(())),
            // Form order: the name is reported before a bad e-mail.
            (c("", None, None, None, Some("bad")), Err("name")),
        ];
        for (input, want) in table {
            let got = check(&input).map(|_| ()).map_err(|e| e.field());
            assert_eq!(got, want, "{input:?}");
        }
    }

    #[test]
    fn stored_values_are_trimmed_and_blanks_dropped() {
        let out = check(&c(" 李工 ", Some(" IT 经理 "), Some(" "), None, Some(" li@x.cn "))).unwrap();
        assert_eq!(out, c("李工", Some("IT 经理"), None, None, Some("li@x.cn")));
    }

    #[test]
    fn every_error_speaks_both_languages() {
        for e in [ContactError::NameMissing, ContactError::TooLong { field: "title", max: 100 }, ContactError::Email, ContactError::Phone] {
            let (zh, en) = (e.message(Locale::ZhCn), e.message(Locale::En));
            assert!(!zh.is_ascii() && en.is_ascii() && zh != en, "{e:?}");
            assert!(matches!(e.to_app(Locale::En), AppError::Validation { ref field, .. } if field == e.field()));
        }
    }

    #[test]
    fn a_patch_keeps_what_it_leaves_out_and_clears_with_blank() {
        let now = c("王总", Some("总经理"), Some("总经办"), Some("138"), None);
        let p = ContactPatch { title: Some("董事长".into()), phone: Some(String::new()), ..Default::default() };
        let out = check(&p.apply(now.clone())).unwrap();
        assert_eq!(out, c("王总", Some("董事长"), Some("总经办"), None, None));
        assert_eq!(check(&ContactPatch::whole(&now).apply(c("x", None, None, None, None))).unwrap(), now);
    }

    #[test]
    fn contact_changes_in_words() {
        use super::super::profile::AccountEvent;
        let before = c("王总", Some("总经理"), None, Some("138"), None);
        let after = c("王总", Some("董事长"), None, None, Some("wang@x.cn"));
        let n = ContactNote::edited(&before, &after);
        assert_eq!(
            n.changes.iter().map(|c| c.field).collect::<Vec<_>>(),
            vec![ContactField::Title, ContactField::Phone, ContactField::Email]
        );
        assert_eq!(
            n.text(AccountEvent::ContactEdited, Locale::En),
            "Contact “王总” edited: Title: 总经理 → 董事长; Phone: 138 → —; E-mail: — → wang@x.cn"
        );
        assert_eq!(
            n.text(AccountEvent::ContactEdited, Locale::ZhCn),
            "修改联系人“王总”：职务：总经理 → 董事长；电话：138 → —；邮箱：— → wang@x.cn"
        );
        let added = ContactNote::added(&before);
        assert_eq!(
            added.changes.iter().map(|c| c.field).collect::<Vec<_>>(),
            vec![ContactField::Name, ContactField::Title, ContactField::Phone]
        );
        assert_eq!(added.headline(AccountEvent::ContactAdded, Locale::ZhCn), "新增联系人“王总”");
        let gone = ContactNote::deleted(&before);
        assert_eq!(gone.text(AccountEvent::ContactDeleted, Locale::En), "Contact “王总” deleted");
        assert!(ContactNote::edited(&before, &before).changes.is_empty());
        for f in ContactField::ALL {
            assert_ne!(f.label(Locale::En), f.label(Locale::ZhCn), "{f:?}");
        }
    }

    #[test]
    fn sort_codes_round_trip() {
        for s in ContactSort::ALL {
            assert_eq!(ContactSort::parse(s.code()), Some(s));
        }
        assert_eq!(ContactSort::parse("nope"), None);
    }
}
