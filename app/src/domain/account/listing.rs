//! The accounts list's filters and sort as one value: parsed from a URL's query or a REST
//! query, written back into links (the pager, the export buttons, the filter chips), and
//! turned into SQL by the account service. One spelling for the page, REST and the exports.
use super::market::FitKind;
use super::Grade;
use serde::{Deserialize, Serialize};

/// A grade to filter by, or the accounts nobody has graded yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GradeFilter {
    Is(Grade),
    Ungraded,
}

impl GradeFilter {
    pub const ALL: [GradeFilter; 5] = [Self::Is(Grade::A), Self::Is(Grade::B), Self::Is(Grade::C), Self::Is(Grade::D), Self::Ungraded];

    pub const fn code(self) -> &'static str {
        match self {
            Self::Is(g) => g.code(),
            Self::Ungraded => "none",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.code() == code)
    }
}

/// What the list is ordered by. Ties go by name, so paging is stable.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountSort {
    #[default]
    Name,
    Grade,
    NextContact,
    Revenue,
    Headcount,
    Updated,
}

impl AccountSort {
    pub const ALL: [AccountSort; 6] = [Self::Name, Self::Grade, Self::NextContact, Self::Revenue, Self::Headcount, Self::Updated];

    pub const fn code(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Grade => "grade",
            Self::NextContact => "next_contact",
            Self::Revenue => "revenue",
            Self::Headcount => "headcount",
            Self::Updated => "updated",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The direction a first click sorts in: the biggest and most recent first, names and
    /// grades and due dates from the top (A, the most overdue).
    pub const fn descending_first(self) -> bool {
        matches!(self, Self::Revenue | Self::Headcount | Self::Updated)
    }
}

/// Longest industry text a filter accepts (the column holds 100).
pub const INDUSTRY_MAX: usize = 100;

/// The accounts list's filters (all optional) and order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountFilter {
    pub search: Option<String>,
    pub overdue: bool,
    pub target: Option<FitKind>,
    #[serde(default)]
    pub grade: Option<GradeFilter>,
    #[serde(default)]
    pub owner: Option<uuid::Uuid>,
    #[serde(default)]
    pub team: Option<uuid::Uuid>,
    #[serde(default)]
    pub industry: Option<String>,
    #[serde(default)]
    pub sort: AccountSort,
    #[serde(default)]
    pub desc: bool,
}

/// A query parameter the list refuses, and why (the caller names it in a 422).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadParam {
    pub field: &'static str,
    pub message: &'static str,
}

impl AccountFilter {
    /// From query parameters (`q`, `due=overdue` or `overdue=true`, `target`, `grade`, `owner`,
    /// `team`, `industry`, `sort`, `dir`); empty values count as absent.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self, BadParam> {
        let mut f = Self::default();
        let bad = |field, message| BadParam { field, message };
        for (k, v) in pairs {
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            match k {
                "q" => f.search = Some(v.to_owned()),
                "due" => f.overdue = v == "overdue",
                "overdue" => f.overdue = v == "true",
                "target" => f.target = Some(FitKind::parse(v).ok_or_else(|| bad("target", "in, out or unknown"))?),
                "grade" => f.grade = Some(GradeFilter::parse(v).ok_or_else(|| bad("grade", "a, b, c, d or none"))?),
                "owner" => f.owner = Some(v.parse().map_err(|_| bad("owner", "must be a user id"))?),
                "team" => f.team = Some(v.parse().map_err(|_| bad("team", "must be a team id"))?),
                "industry" if v.chars().count() > INDUSTRY_MAX => return Err(bad("industry", "at most 100 characters")),
                "industry" => f.industry = Some(v.to_owned()),
                "sort" => {
                    f.sort = AccountSort::parse(v).ok_or_else(|| bad("sort", "name, grade, next_contact, revenue, headcount or updated"))?
                }
                "dir" => {
                    f.desc = match v {
                        "asc" => false,
                        "desc" => true,
                        _ => return Err(bad("dir", "asc or desc")),
                    }
                }
                _ => {}
            }
        }
        Ok(f)
    }

    /// The filters and order as query parameters, in a fixed order, without the search and the
    /// page (the pager and the search box add those).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut p = Vec::new();
        if self.overdue {
            p.push(("due", "overdue".to_owned()));
        }
        if let Some(t) = self.target {
            p.push(("target", t.code().to_owned()));
        }
        if let Some(g) = self.grade {
            p.push(("grade", g.code().to_owned()));
        }
        if let Some(o) = self.owner {
            p.push(("owner", o.to_string()));
        }
        if let Some(t) = self.team {
            p.push(("team", t.to_string()));
        }
        if let Some(i) = &self.industry {
            p.push(("industry", i.clone()));
        }
        if self.sort != AccountSort::Name || self.desc {
            p.push(("sort", self.sort.code().to_owned()));
            p.push(("dir", if self.desc { "desc" } else { "asc" }.to_owned()));
        }
        p
    }

    /// The same list ordered by `sort`: a second click on the current column turns it round.
    pub fn sorted_by(&self, sort: AccountSort) -> Self {
        let desc = if self.sort == sort { !self.desc } else { sort.descending_first() };
        Self { sort, desc, ..self.clone() }
    }

    /// Whether anything narrows the list (an empty result then says "no account matches").
    pub fn narrows(&self) -> bool {
        self.search.is_some()
            || self.overdue
            || self.target.is_some()
            || self.grade.is_some()
            || self.owner.is_some()
            || self.team.is_some()
            || self.industry.is_some()
    }
}

/// What the filter menus offer the viewer: the people and teams whose accounts they see, and
/// the industries of those accounts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountFilterChoices {
    pub owners: Vec<crate::domain::dto::Choice>,
    pub teams: Vec<crate::domain::dto::Choice>,
    pub industries: Vec<String>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn query_parameters_parse_and_write_back_the_same_filter() {
        let owner = uuid::Uuid::from_u128(7);
        let q = format!("grade=none&owner={owner}&industry=机械&target=in&due=overdue&sort=revenue&dir=desc&q=博远&page=3");
        let pairs: Vec<(&str, &str)> = q.split('&').filter_map(|p| p.split_once('=')).collect();
        let f = AccountFilter::from_pairs(pairs).unwrap();
        assert_eq!(
            f,
            AccountFilter {
                search: Some("博远".into()),
                overdue: true,
                target: Some(FitKind::In),
                grade: Some(GradeFilter::Ungraded),
                owner: Some(owner),
                team: None,
                industry: Some("机械".into()),
                sort: AccountSort::Revenue,
                desc: true,
            }
        );
        let back = f.pairs();
        let again = AccountFilter::from_pairs(back.iter().map(|(k, v)| (*k, v.as_str()))).unwrap();
        assert_eq!(again, AccountFilter { search: None, ..f });
        // The default order writes nothing.
        assert!(AccountFilter::default().pairs().is_empty());
        assert!(!AccountFilter::default().narrows());
    }

    #[test]
    fn bad_parameters_name_their_field() {
        let long = "x".repeat(101);
        let table: [(&str, &str, &str); 7] = [
            ("grade", "e", "grade"),
            ("owner", "someone", "owner"),
            ("team", "42", "team"),
            ("target", "inside", "target"),
            ("sort", "profit", "sort"),
            ("dir", "up", "dir"),
            ("industry", long.as_str(), "industry"),
        ];
        for (k, v, field) in table {
            assert_eq!(AccountFilter::from_pairs([(k, v)]).unwrap_err().field, field, "{k}={v}");
        }
        // Empty values and unknown parameters are ignored, as a browser form sends them.
        assert_eq!(AccountFilter::from_pairs([("grade", ""), ("owner", " "), ("x", "y")]).unwrap(), AccountFilter::default());
    }

    #[test]
    fn a_column_sorts_in_its_natural_direction_first_then_turns_round() {
        // (current sort, current desc, clicked, expected desc)
        let table = [
            (AccountSort::Name, false, AccountSort::Name, true),
            (AccountSort::Name, true, AccountSort::Name, false),
            (AccountSort::Name, false, AccountSort::Revenue, true),
            (AccountSort::Revenue, true, AccountSort::Revenue, false),
            (AccountSort::Revenue, true, AccountSort::Grade, false),
            (AccountSort::Grade, false, AccountSort::NextContact, false),
            (AccountSort::NextContact, false, AccountSort::Updated, true),
        ];
        for (sort, desc, click, want) in table {
            let f = AccountFilter { sort, desc, grade: Some(GradeFilter::Is(Grade::B)), ..Default::default() }.sorted_by(click);
            assert_eq!((f.sort, f.desc, f.grade), (click, want, Some(GradeFilter::Is(Grade::B))), "{sort:?} {desc} → {click:?}");
        }
    }
}
