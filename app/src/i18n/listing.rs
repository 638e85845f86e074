//! Words of the accounts list's filters, sort and new-account form, in their own table (as
//! `market.rs`): a row without both languages does not compile.
use crate::domain::locale::Locale;

macro_rules! listing_words {
    ($($key:ident => $en:literal, $zh:literal;)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum L {
            $($key,)*
        }

        fn pair(k: L) -> (&'static str, &'static str) {
            match k {
                $(L::$key => ($en, $zh),)*
            }
        }
    };
}

listing_words! {
    AnyGrade => "All grades", "全部等级";
    Ungraded => "Not graded", "未分级";
    GradeN => "Grade", "等级";
    AnyOwner => "All owners", "全部负责人";
    AnyTeam => "All teams", "全部团队";
    AnyIndustry => "All industries", "全部行业";
    Filters => "Filters", "筛选";
    ClearFilters => "Clear filters", "清除筛选";
    NoMatch => "No account matches these filters.", "没有符合筛选条件的客户。";
    SortedAsc => "sorted ascending", "升序";
    SortedDesc => "sorted descending", "降序";
    NewAccount => "New account", "新建客户";
    NewAccountTitle => "New account", "新建客户";
    Name => "Name", "客户名称";
    Industry => "Industry", "所属行业";
    City => "City", "城市";
    Headcount => "Headcount", "员工人数";
    Revenue => "Annual revenue (RMB)", "年营收（元）";
    Create => "Create account", "创建客户";
    Cancel => "Cancel", "取消";
    NameRequired => "Enter the account's name.", "请填写客户名称。";
    NotANumber => "Enter a whole number of 0 or more.", "请输入 0 或更大的整数。";
    NotAnAmount => "Enter an amount in yuan, e.g. 30000000.", "请输入以元为单位的金额，例如 30000000。";
}

pub fn lt(l: Locale, k: L) -> &'static str {
    let (en, zh) = pair(k);
    match l {
        Locale::En => en,
        Locale::ZhCn => zh,
    }
}

/// How long a grade has held, as the list shows it next to its date: days up to two months,
/// then months (30 days each, rounded down).
pub fn held(l: Locale, days: i64) -> String {
    let zh = l == Locale::ZhCn;
    match days {
        ..=0 => (if zh { "今天" } else { "today" }).to_owned(),
        1 if !zh => "1 day".to_owned(),
        d if d < 60 => {
            if zh {
                format!("{d} 天")
            } else {
                format!("{d} days")
            }
        }
        d => {
            if zh {
                format!("{} 个月", d / 30)
            } else {
                format!("{} months", d / 30)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grade_has_held_days_then_months() {
        let table = [
            (-3, "today", "今天"),
            (0, "today", "今天"),
            (1, "1 day", "1 天"),
            (2, "2 days", "2 天"),
            (59, "59 days", "59 天"),
            (60, "2 months", "2 个月"),
            (89, "2 months", "2 个月"),
            (400, "13 months", "13 个月"),
        ];
        for (days, en, zh) in table {
            assert_eq!((held(Locale::En, days).as_str(), held(Locale::ZhCn, days).as_str()), (en, zh), "{days}");
        }
    }
}
