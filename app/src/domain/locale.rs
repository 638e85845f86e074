//! The two languages Dealgate speaks, and how a request picks one.
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Locale {
    #[default]
    En,
    ZhCn,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::ZhCn];

    /// BCP 47 tag, as used in `<html lang>` and stored on the user.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::ZhCn => "zh-CN",
        }
    }

    /// Accepts `en`, `en-GB`, `zh`, `zh-CN`, `zh-Hans` … case-insensitively.
    pub fn parse(s: &str) -> Option<Locale> {
        let s = s.trim().to_ascii_lowercase();
        let primary = s.split(['-', '_']).next().unwrap_or("");
        match primary {
            "en" => Some(Locale::En),
            "zh" => Some(Locale::ZhCn),
            _ => None,
        }
    }

    /// Picks the best supported language from an `Accept-Language` header, honouring q-values.
    pub fn from_accept_language(header: &str) -> Option<Locale> {
        let mut best: Option<(Locale, f32)> = None;
        for part in header.split(',') {
            let mut it = part.split(';');
            let tag = it.next().unwrap_or("").trim();
            let q = it.find_map(|p| p.trim().strip_prefix("q=")).and_then(|q| q.trim().parse::<f32>().ok()).unwrap_or(1.0);
            if let Some(l) = Locale::parse(tag) {
                if q > 0.0 && best.is_none_or(|(_, bq)| q > bq) {
                    best = Some((l, q));
                }
            }
        }
        best.map(|(l, _)| l)
    }

    /// The user's own setting wins, then the browser's preference, then English.
    pub fn resolve(user_setting: Option<&str>, cookie: Option<&str>, accept_language: Option<&str>) -> Locale {
        user_setting
            .and_then(Locale::parse)
            .or_else(|| cookie.and_then(Locale::parse))
            .or_else(|| accept_language.and_then(Locale::from_accept_language))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_tags() {
        for (input, want) in [
            ("en", Some(Locale::En)),
            ("en-GB", Some(Locale::En)),
            ("zh", Some(Locale::ZhCn)),
            ("zh-CN", Some(Locale::ZhCn)),
            ("ZH_hans", Some(Locale::ZhCn)),
            ("fr", None),
            ("", None),
        ] {
            assert_eq!(Locale::parse(input), want, "{input}");
        }
    }

    #[test]
    fn accept_language_respects_quality() {
        for (header, want) in [
            ("zh-CN,zh;q=0.9,en;q=0.8", Some(Locale::ZhCn)),
            ("en-US,en;q=0.9", Some(Locale::En)),
            ("fr-FR,en;q=0.5,zh;q=0.7", Some(Locale::ZhCn)),
            ("fr-FR,de;q=0.5", None),
            ("zh;q=0,en;q=0.1", Some(Locale::En)),
        ] {
            assert_eq!(Locale::from_accept_language(header), want, "{header}");
        }
    }

    #[test]
    fn user_setting_beats_browser() {
        assert_eq!(Locale::resolve(Some("en"), Some("zh-CN"), Some("zh-CN")), Locale::En);
        assert_eq!(Locale::resolve(None, Some("zh-CN"), Some("en")), Locale::ZhCn);
        assert_eq!(Locale::resolve(None, None, Some("zh-CN,en;q=0.5")), Locale::ZhCn);
        assert_eq!(Locale::resolve(None, None, None), Locale::En);
    }
}
