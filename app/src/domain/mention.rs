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

fn squashed(name: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
