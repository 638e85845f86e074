//! @mentions in comments. A mention is `@` followed by a user's e-mail local part
//! (`@rep3` for rep3@demo.local) or their display name written without spaces (`@孙丽`,
//! `@LiWei` for "Li Wei"), ended by a space or punctuation; matching ignores case. The token runs over letters, digits
//! (any script), `.`, `_` and `-`; a trailing `.` is punctuation, not part of it.

/// The tokens after each `@`, in order, deduplicated, lowercased.
pub fn tokens(body: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let chars: Vec<char> = body.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        // An `@` right after a Latin letter or digit is an e-mail address, not a mention;
        // Chinese text has no spaces, so `请@孙丽` is a mention.
        let starts = chars[i] == '@' && (i == 0 || !chars[i - 1].is_ascii_alphanumeric());
        i += 1;
        if !starts {
            continue;
        }
        let mut t = String::new();
        while i < chars.len() && (chars[i].is_alphanumeric() || matches!(chars[i], '.' | '_' | '-')) {
            t.push(chars[i]);
            i += 1;
        }
        let t = t.trim_end_matches('.').to_lowercase();
        if !t.is_empty() && !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// Whether `token` names the user with this e-mail and display name exactly.
pub fn matches(token: &str, email: &str, name: &str) -> bool {
    let local = email.split('@').next().unwrap_or_default().to_lowercase();
    token == local || token == squashed(name)
}

/// A display name as a mention writes it: no spaces, lower case.
pub fn squashed(name: &str) -> String {
    name.split_whitespace().collect::<String>().to_lowercase()
}

/// The users (indexes into `users`, as (e-mail, name)) the tokens name. Chinese runs on without
/// a space, so `@李伟请帮忙` names 李伟: a token no one matches exactly names the user whose
/// Chinese name is its longest prefix (李伟明 before 李伟).
pub fn resolve(tokens: &[String], users: &[(&str, &str)]) -> Vec<usize> {
    let mut out = Vec::new();
    for t in tokens {
        let exact: Vec<usize> = (0..users.len()).filter(|&i| matches(t, users[i].0, users[i].1)).collect();
        let found = if exact.is_empty() {
            (0..users.len())
                .filter(|&i| {
                    let n = squashed(users[i].1);
                    n.chars().last().is_some_and(is_cjk) && t.starts_with(&n)
                })
                .max_by_key(|&i| squashed(users[i].1).chars().count())
                .into_iter()
                .collect()
        } else {
            exact
        };
        for i in found {
            if !out.contains(&i) {
                out.push(i);
            }
        }
    }
    out
}

/// Han ideographs (the common and extension A blocks): the scripts written without spaces
/// between a name and the next word.
fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// The mention being typed: when the text before the caret ends with `@` and the start of a
/// token, the byte index of that `@` and what follows it (possibly nothing).
pub fn typing_at(before_caret: &str) -> Option<(usize, &str)> {
    let at = before_caret.rfind('@')?;
    let partial = &before_caret[at + 1..];
    let starts = before_caret[..at].chars().next_back().is_none_or(|c| !c.is_ascii_alphanumeric());
    let token_like = partial.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'));
    (starts && token_like).then_some((at, partial))
}

/// The people (as (handle, name)) whose handle or squashed name starts with `partial`, at most
/// `max`, in the order given; an empty partial offers the first `max`.
pub fn suggest(partial: &str, people: &[(&str, &str)], max: usize) -> Vec<usize> {
    let p = partial.to_lowercase();
    (0..people.len()).filter(|&i| people[i].0.to_lowercase().starts_with(&p) || squashed(people[i].1).starts_with(&p)).take(max).collect()
}

/// What a chosen person's mention writes: their name without spaces, as people read it — or
/// their handle when the name would not come back as that one person (another has the same
/// name or a handle spelled like it, or the name holds a character that ends a mention, such
/// as `'` in "O'Neil").
pub fn written(handle: &str, name: &str, people: &[(&str, &str)]) -> String {
    let short = squashed_keep_case(name);
    let token = short.to_lowercase();
    let whole = tokens(&format!("@{short}")) == [token.clone()];
    let unique = people.iter().filter(|(h, n)| squashed(n) == token || h.to_lowercase() == token).count() <= 1;
    if whole && unique && !token.is_empty() {
        short
    } else {
        handle.to_owned()
    }
}

/// The body with the mention typed at `at` (up to `caret`, byte indexes) replaced by
/// `@written ` (see [`written`]), and the caret's new byte index, right after the space.
pub fn complete(body: &str, at: usize, caret: usize, written: &str) -> (String, usize) {
    let inserted = format!("@{written} ");
    let rest = body.get(caret..).unwrap_or_default();
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    let head = body.get(..at).unwrap_or(body);
    (format!("{head}{inserted}{rest}"), head.len() + inserted.len())
}

fn squashed_keep_case(name: &str) -> String {
    name.split_whitespace().collect()
}

/// The mention tokens of `body` that name no one in `people` (as (handle, name)), leaving out
/// `typing` (the one still being typed): these will notify nobody.
pub fn unmatched(body: &str, people: &[(&str, &str)], typing: Option<&str>) -> Vec<String> {
    let typing = typing.map(str::to_lowercase);
    let keys: Vec<(String, &str)> = people.iter().map(|(h, n)| (format!("{h}@"), *n)).collect();
    let keys: Vec<(&str, &str)> = keys.iter().map(|(e, n)| (e.as_str(), *n)).collect();
    tokens(body).into_iter().filter(|t| Some(t) != typing.as_ref() && resolve(std::slice::from_ref(t), &keys).is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mention_writes_the_name_unless_it_would_not_come_back() {
        let people = [
            ("rep", "李伟"),
            ("rep2", "Li Wei"),
            ("rep3", "O'Neil"),
            ("twin1", "张磊"),
            ("twin2", "张磊"),
            ("lisa", "Anna"),
            ("anna", "Anna Bell"),
        ];
        let table = [
            ("rep", "李伟", "李伟"),
            ("rep2", "Li Wei", "LiWei"),
            // An apostrophe ends a mention: the handle names her.
            ("rep3", "O'Neil", "rep3"),
            // Two people with one name: each by handle.
            ("twin1", "张磊", "twin1"),
            ("twin2", "张磊", "twin2"),
            // "@anna" would also name the user whose handle is anna.
            ("lisa", "Anna", "lisa"),
            ("anna", "Anna Bell", "AnnaBell"),
            // A name spelled like someone's handle would name them instead.
            ("x", "Rep", "x"),
        ];
        for (h, n, want) in table {
            let mut ps = people.to_vec();
            if h == "x" {
                ps.push(("x", "Rep"));
            }
            assert_eq!(written(h, n, &ps), want, "{h} {n}");
        }
    }

    #[test]
    fn tokens_table() {
        for (body, want) in [
            ("@rep3 please check", vec!["rep3"]),
            ("请 @孙丽 准备演示。", vec!["孙丽"]),
            ("@孙丽，看一下", vec!["孙丽"]),
            ("请@孙丽 看", vec!["孙丽"]),
            ("cc @Rep3. and @rep3", vec!["rep3"]),
            ("mail me at a@b.com", vec![]),
            ("@ alone", vec![]),
            ("@li.wei @zhang_lei-2", vec!["li.wei", "zhang_lei-2"]),
        ] {
            assert_eq!(tokens(body), want, "{body}");
        }
    }

    #[test]
    fn matching() {
        assert!(matches("rep3", "rep3@demo.local", "郑雪"));
        assert!(matches("郑雪", "rep3@demo.local", "郑雪"));
        assert!(matches("liwei", "lw@x.cn", "Li Wei"));
        assert!(!matches("rep", "rep3@demo.local", "郑雪"));
    }

    #[test]
    fn resolving_chinese_names_without_a_space() {
        let users = [("manager@x.cn", "李伟"), ("lwm@x.cn", "李伟明"), ("rep3@x.cn", "郑雪"), ("lw@x.cn", "Li Wei")];
        for (body, want) in [
            ("@李伟请帮忙看一下报价", vec![0]),
            ("@李伟明请看", vec![1]),
            ("@李伟", vec![0]),
            ("@李伟明", vec![1]),
            ("请@郑雪和@李伟一起看", vec![2, 0]),
            // A Latin name needs its end: "@LiWeiplease" names no one.
            ("@LiWeiplease", vec![]),
            ("@liwei, please", vec![3]),
            ("@王五请看", vec![]),
            ("@manager请看", vec![]),
        ] {
            assert_eq!(resolve(&tokens(body), &users), want, "{body}");
        }
    }

    #[test]
    fn the_mention_being_typed_is_found_before_the_caret() {
        for (before, want) in [
            ("请@", Some((3, ""))),
            ("请@李", Some((3, "李"))),
            ("@re", Some((0, "re"))),
            ("hi @rep3", Some((3, "rep3"))),
            ("hi @rep3 ", None),
            ("mail a@b", None),
            ("no at", None),
            ("@孙丽，", None),
        ] {
            assert_eq!(typing_at(before), want, "{before}");
        }
    }

    #[test]
    fn suggestions_complete_and_unmatched_mentions() {
        let people = [("manager", "李伟"), ("rep3", "郑雪"), ("lw", "Li Wei"), ("lwm", "李伟明")];
        assert_eq!(suggest("李", &people, 6), [0, 3]);
        assert_eq!(suggest("li", &people, 6), [2]);
        assert_eq!(suggest("l", &people, 6), [2, 3]);
        assert_eq!(suggest("REP", &people, 6), [1]);
        assert_eq!(suggest("", &people, 2), [0, 1]);
        assert!(suggest("王", &people, 6).is_empty());
        // Completing replaces the typed part and what touches the caret's right, once.
        assert_eq!(complete("请@李看", "请".len(), "请@李".len(), "李伟"), ("请@李伟 看".to_owned(), "请@李伟 ".len()));
        assert_eq!(complete("cc @Li", 3, 6, "LiWei"), ("cc @LiWei ".to_owned(), 10));
        assert_eq!(complete("@x rest", 0, 2, "郑雪"), ("@郑雪 rest".to_owned(), "@郑雪 ".len()));
        // Unmatched: names no one can see; the token still being typed is not judged yet.
        assert_eq!(unmatched("@李伟请看 @王五 @rep3", &people, None), ["王五"]);
        assert_eq!(unmatched("@王", &people, Some("王")), Vec::<String>::new());
        assert_eq!(unmatched("@lw and @LiWei", &people, None), Vec::<String>::new());
    }
}
