//! The audit log's before/after in words ("Role: Sales rep → Sales manager", "Team: East →
//! North", "Sessions ended: 2"), in the reader's language. Pure: `service::admin` stores the
//! subject as JSON (REST hands that on as it is); the page shows these lines.
use super::role_name;
use crate::domain::locale::Locale;
use crate::domain::role::Role;
use serde_json::{Map, Value};

/// The keys the admin services write, in the order a reader wants them; others follow by name.
const ORDER: [&str; 19] = [
    "name",
    "email",
    "role",
    "owner",
    "team",
    "manager",
    "locale",
    "active",
    "must_change_password",
    "open_deals",
    "moved",
    "remaining",
    "deals_moved",
    "sessions_ended",
    "approvals_delegated",
    "delegate",
    "deals",
    "address",
    "scope",
];

/// Keys kept for machines only: `deals` lists the ids a reassignment moved (its count is `moved`).
const HIDDEN: [&str; 1] = ["deals"];

fn label(key: &str, l: Locale) -> String {
    let (en, zh) = match key {
        "name" => ("Name", "名称"),
        "email" => ("E-mail", "邮箱"),
        "role" => ("Role", "角色"),
        "team" => ("Team", "团队"),
        "manager" => ("Manager", "主管"),
        "locale" => ("Language", "语言"),
        "active" => ("Status", "状态"),
        "must_change_password" => ("Must change password", "须修改密码"),
        "owner" => ("Owner", "负责人"),
        "open_deals" => ("Open deals", "进行中商机"),
        "moved" => ("Deals handed over", "已移交商机"),
        "remaining" => ("Still theirs", "仍待移交"),
        "deals_moved" => ("Open deals moved with them", "随之转入新团队的商机"),
        "sessions_ended" => ("Sessions ended", "已结束的登录"),
        "approvals_delegated" => ("Approvals handed over", "已转交的审批"),
        "delegate" => ("Now decided by", "转交审批人"),
        "deals" => ("Deals", "商机"),
        "address" => ("From address", "来源地址"),
        "scope" => ("Slowed down", "限速范围"),
        // A key this table does not know yet: its words, not its code ("foo_bar" → "Foo bar").
        other => {
            let mut words = other.replace(['_', '.'], " ");
            if let Some(first) = words.get(..1) {
                words.replace_range(..1, &first.to_uppercase());
            }
            return words;
        }
    };
    match l {
        Locale::En => en.to_owned(),
        Locale::ZhCn => zh.to_owned(),
    }
}

fn pick(l: Locale, en: &str, zh: &str) -> String {
    match l {
        Locale::En => en.to_owned(),
        Locale::ZhCn => zh.to_owned(),
    }
}

/// One value in words: codes named (roles, languages, states), nothing as JSON.
fn value(key: &str, v: &Value, l: Locale) -> String {
    match (key, v) {
        ("team", Value::Null) => pick(l, "No team", "无团队"),
        ("manager", Value::Null) => pick(l, "No manager", "无主管"),
        ("locale", Value::Null) => pick(l, "The browser's language", "跟随浏览器"),
        ("scope", Value::String(s)) if s == "account" => pick(l, "This account from this address", "该账号（同一来源地址）"),
        ("scope", Value::String(s)) if s == "address" => pick(l, "Every account from this address", "该来源地址的所有账号"),
        ("locale", Value::String(s)) if s == "en" => "English".into(),
        ("locale", Value::String(s)) if s == "zh-CN" => "中文".into(),
        ("role", Value::String(s)) => Role::parse(s).map_or_else(|| s.clone(), |r| role_name(l, r).to_owned()),
        ("active", Value::Bool(b)) => {
            if *b {
                pick(l, "Active", "启用")
            } else {
                pick(l, "Deactivated", "停用")
            }
        }
        (_, Value::Null) => "—".into(),
        (_, Value::Bool(b)) => {
            if *b {
                pick(l, "Yes", "是")
            } else {
                pick(l, "No", "否")
            }
        }
        (_, Value::Number(n)) => n.to_string(),
        (_, Value::String(s)) => s.clone(),
        (_, Value::Array(items)) if items.len() > 5 => match l {
            Locale::En => format!("{} items", items.len()),
            Locale::ZhCn => format!("{} 项", items.len()),
        },
        (_, Value::Array(items)) => {
            let sep = if l == Locale::ZhCn { "、" } else { ", " };
            items.iter().map(|x| value("", x, l)).collect::<Vec<_>>().join(sep)
        }
        (_, Value::Object(m)) => {
            let sep = if l == Locale::ZhCn { "；" } else { "; " };
            m.iter().map(|(k, x)| pair(k, x, l)).collect::<Vec<_>>().join(sep)
        }
    }
}

fn colon(l: Locale) -> &'static str {
    if l == Locale::ZhCn {
        "："
    } else {
        ": "
    }
}

fn pair(key: &str, v: &Value, l: Locale) -> String {
    format!("{}{}{}", label(key, l), colon(l), value(key, v, l))
}

/// A stored side as an object: JSON objects as they are, anything else under no key (shown as
/// its words on one line).
fn side(s: Option<&str>) -> Option<Result<Map<String, Value>, String>> {
    let s = s?;
    Some(match serde_json::from_str::<Value>(s) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(other) => Err(value("", &other, Locale::En)),
        // Not JSON at all: already words.
        Err(_) => Err(s.to_owned()),
    })
}

/// The lines of a change: a field both sides have and that differs as "Label: before →
/// after"; a field one side has (a count the act produced, a record made) as "Label: value";
/// unchanged fields and `null`s of one side only are left out.
pub fn change_lines(before: Option<&str>, after: Option<&str>, l: Locale) -> Vec<String> {
    let (b, a) = (side(before), side(after));
    if matches!(b, Some(Err(_))) || matches!(a, Some(Err(_))) {
        // A side that is no object: each side's words, as "before → after".
        let words = |s: Option<Result<Map<String, Value>, String>>| match s {
            None => "—".to_owned(),
            Some(Err(t)) => t,
            Some(Ok(m)) => value("", &Value::Object(m), l),
        };
        return vec![format!("{} → {}", words(b), words(a))];
    }
    let (bm, am) = (b.and_then(Result::ok).unwrap_or_default(), a.and_then(Result::ok).unwrap_or_default());
    let mut keys: Vec<&str> = ORDER.iter().copied().filter(|k| bm.contains_key(*k) || am.contains_key(*k)).collect();
    let mut rest: Vec<&str> = bm.keys().chain(am.keys()).map(String::as_str).filter(|k| !ORDER.contains(k)).collect();
    rest.sort_unstable();
    rest.dedup();
    keys.extend(rest);
    let mut lines = Vec::new();
    for k in keys.into_iter().filter(|k| !HIDDEN.contains(k)) {
        match (bm.get(k), am.get(k)) {
            (Some(x), Some(y)) if x == y => {}
            (Some(x), Some(y)) => lines.push(format!("{}{}{} → {}", label(k, l), colon(l), value(k, x, l), value(k, y, l))),
            (Some(Value::Null), None) | (None, Some(Value::Null)) | (None, None) => {}
            (Some(x), None) | (None, Some(x)) => lines.push(pair(k, x, l)),
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use Locale::{En, ZhCn};

    #[test]
    fn changes_read_as_words_in_both_languages() {
        let user = r#"{"name":"王伟","email":"rep@demo.local","role":"rep","team":"East","locale":null,"active":true,"must_change_password":false}"#;
        let moved = r#"{"name":"王伟","email":"rep@demo.local","role":"manager","team":"North","locale":"zh-CN","active":true,"must_change_password":false,"deals_moved":3}"#;
        // (before, after, language, the lines)
        type Row<'a> = (Option<&'a str>, Option<&'a str>, Locale, Vec<&'a str>);
        let table: Vec<Row> = vec![
            (
                Some(user),
                Some(moved),
                En,
                vec![
                    "Role: Sales rep → Sales manager",
                    "Team: East → North",
                    "Language: The browser's language → 中文",
                    "Open deals moved with them: 3",
                ],
            ),
            (
                Some(user),
                Some(moved),
                ZhCn,
                vec!["角色：客户经理 → 销售主管", "团队：East → North", "语言：跟随浏览器 → 中文", "随之转入新团队的商机：3"],
            ),
            // A deactivation that handed approvals over.
            (
                Some(r#"{"active":true}"#),
                Some(r#"{"active":false,"sessions_ended":2,"approvals_delegated":4,"delegate":"周敏 <manager2@demo.local>"}"#),
                En,
                vec![
                    "Status: Active → Deactivated",
                    "Sessions ended: 2",
                    "Approvals handed over: 4",
                    "Now decided by: 周敏 <manager2@demo.local>",
                ],
            ),
            (
                Some(r#"{"active":true}"#),
                Some(r#"{"active":false,"sessions_ended":0}"#),
                ZhCn,
                vec!["状态：启用 → 停用", "已结束的登录：0"],
            ),
            // A reset: never a password, only the flag and the sessions.
            (
                Some(r#"{"must_change_password":false}"#),
                Some(r#"{"must_change_password":true,"sessions_ended":1}"#),
                En,
                vec!["Must change password: No → Yes", "Sessions ended: 1"],
            ),
            (
                Some(r#"{"must_change_password":false}"#),
                Some(r#"{"must_change_password":true,"sessions_ended":1}"#),
                ZhCn,
                vec!["须修改密码：否 → 是", "已结束的登录：1"],
            ),
            // A creation: what was made, without the empty fields.
            (
                None,
                Some(
                    r#"{"name":"New Rep","email":"n@x.cn","role":"presales","team":null,"locale":"en","active":true,"must_change_password":true}"#,
                ),
                En,
                vec![
                    "Name: New Rep",
                    "E-mail: n@x.cn",
                    "Role: Presales",
                    "Language: English",
                    "Status: Active",
                    "Must change password: Yes",
                ],
            ),
            // A reassignment: the ids stay in the JSON, the words give the counts.
            (
                Some(r#"{"owner":"A <a@x.cn>","open_deals":5}"#),
                Some(r#"{"owner":"B <b@x.cn>","team":"West","moved":5,"deals":["1","2"],"remaining":0}"#),
                ZhCn,
                vec!["负责人：A <a@x.cn> → B <b@x.cn>", "团队：West", "进行中商机：5", "已移交商机：5", "仍待移交：0"],
            ),
            // Teams: a manager given and taken away.
            (
                Some(r#"{"name":"North","manager":null}"#),
                Some(r#"{"name":"North-East","manager":"周敏 <m@x.cn>"}"#),
                En,
                vec!["Name: North → North-East", "Manager: No manager → 周敏 <m@x.cn>"],
            ),
            (
                Some(r#"{"name":"N","manager":"周敏 <m@x.cn>"}"#),
                Some(r#"{"name":"N","manager":null}"#),
                ZhCn,
                vec!["主管：周敏 <m@x.cn> → 无主管"],
            ),
            // Keys this table does not know: their words, values readable, never JSON.
            (
                Some(r#"{"quota_year":2035}"#),
                Some(r#"{"quota_year":2036,"extra":{"a_b":true,"n":[1,2]},"tags":["x","y"]}"#),
                En,
                vec!["Extra: A b: Yes; N: 1, 2", "Quota year: 2035 → 2036", "Tags: x, y"],
            ),
            (None, Some(r#"{"ids":[1,2,3,4,5,6,7]}"#), ZhCn, vec!["Ids：7 项"]),
            // Sides that are not objects, or not JSON at all.
            (Some("legacy text"), Some("[1,2]"), En, vec!["legacy text → 1, 2"]),
            (None, None, En, vec![]),
        ];
        for (before, after, l, want) in table {
            let got = change_lines(before, after, l);
            assert_eq!(got, want, "{before:?} → {after:?} in {l:?}");
            for line in &got {
                assert!(!line.contains('{') && !line.contains('"') && !line.contains("null"), "raw JSON in {line:?}");
            }
        }
    }

    #[test]
    fn every_known_key_has_words_in_both_languages() {
        for k in ORDER {
            assert_ne!(label(k, En), label(k, ZhCn), "{k}");
            assert!(!label(k, ZhCn).is_ascii(), "{k}");
            assert_ne!(label(k, En), k, "{k}");
        }
        assert_eq!(label("x_y.z", ZhCn), "X y z");
        assert_eq!(label("", En), "");
    }
}
