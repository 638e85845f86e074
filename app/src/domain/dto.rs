//! Wire types shared by server functions, REST handlers and pages.
use super::{locale::Locale, role::Role};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: uuid::Uuid,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub team: Option<String>,
    pub locale: Locale,
}

impl CurrentUser {
    /// Up to two letters for the avatar: "Li Wei" → "LW", "王磊" → "王磊".
    pub fn initials(&self) -> String {
        initials(&self.name)
    }
}

pub fn initials(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.len() >= 2 {
        words.iter().take(2).filter_map(|w| w.chars().next()).flat_map(char::to_uppercase).collect()
    } else {
        let chars: Vec<char> = name.chars().collect();
        if chars.iter().any(|c| !c.is_ascii()) {
            // CJK names: the given name (last two characters) reads naturally on an avatar.
            chars.iter().rev().take(2).rev().collect()
        } else {
            chars.iter().take(2).flat_map(|c| c.to_uppercase()).collect()
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageRef {
    pub id: uuid::Uuid,
    pub name_en: String,
    pub name_zh: String,
    pub position: i32,
    pub win_rate_pct: i32,
    pub kind: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DealRow {
    pub id: uuid::Uuid,
    pub name: String,
    pub account: String,
    pub owner: String,
    pub team: String,
    pub stage: StageRef,
    pub amount_fen: i64,
    pub currency: String,
    pub close_date: NaiveDate,
}

impl DealRow {
    /// amount × win rate, rounded to the fen.
    pub fn weighted_fen(&self) -> i64 {
        weighted_fen(self.amount_fen, self.stage.win_rate_pct)
    }
}

/// amount × win rate (whole percent), rounded half away from zero to the fen.
pub fn weighted_fen(amount_fen: i64, win_rate_pct: i32) -> i64 {
    let p = i128::from(amount_fen) * i128::from(win_rate_pct);
    let r = if p >= 0 { (p + 50) / 100 } else { (p - 50) / 100 };
    r as i64
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DealPage {
    pub rows: Vec<DealRow>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    pub sum_amount_fen: i64,
    /// The server's date, so "overdue" means the same in SSR and in the browser.
    pub today: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountRow {
    pub id: uuid::Uuid,
    pub name: String,
    pub industry: String,
    pub city: Option<String>,
    pub headcount: Option<i32>,
    pub revenue_fen: Option<i64>,
    pub owner: String,
    pub team: String,
    pub contacts: u64,
    pub open_deals: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountPage {
    pub rows: Vec<AccountRow>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: uuid::Uuid,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub team: Option<String>,
    pub active: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeamRow {
    pub id: uuid::Uuid,
    pub name: String,
    pub manager: Option<String>,
    pub members: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AdminOverview {
    pub users: Vec<UserRow>,
    pub teams: Vec<TeamRow>,
}

/// One stage's totals for the pipeline summary (computed by the database).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageSummary {
    pub stage: StageRef,
    pub count: u64,
    pub amount_fen: i64,
    pub weighted_fen: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PipelineSummary {
    pub pipeline_name_en: String,
    pub pipeline_name_zh: String,
    pub stages: Vec<StageSummary>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_table() {
        for (name, want) in [("Li Wei", "LW"), ("王磊", "王磊"), ("欧阳娜娜", "娜娜"), ("admin", "AD"), ("", "")] {
            assert_eq!(initials(name), want, "{name}");
        }
    }

    #[test]
    fn weighted_amount_seed_001_example() {
        // Seed 001: a RMB 1,000,000 deal in a 25% stage counts RMB 250,000.
        assert_eq!(weighted_fen(100_000_000, 25), 25_000_000);
        assert_eq!(weighted_fen(1, 50), 1);
        assert_eq!(weighted_fen(333, 10), 33);
        assert_eq!(weighted_fen(0, 100), 0);
    }
}
