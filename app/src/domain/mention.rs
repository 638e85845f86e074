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

/// Whether `token` names the user with this e-mail and display name.
pub fn matches(token: &str, email: &str, name: &str) -> bool {
    let local = email.split('@').next().unwrap_or_default().to_lowercase();
    let squashed: String = name.split_whitespace().collect::<String>().to_lowercase();
    token == local || token == squashed
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
}
