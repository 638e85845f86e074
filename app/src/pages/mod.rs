//! One module per page.
pub mod accounts;
pub mod activities;
pub mod admin;
pub mod approvals;
pub mod board;
pub mod checklist_admin;
pub mod checklists;
pub mod comments;
pub mod committee;
pub mod dashboard;
pub mod deal;
pub mod deals;
pub mod forecast;
pub mod login;
pub mod new_deal;
pub mod not_found;
pub mod pipeline_admin;
pub mod team;

use crate::domain::dto::StageRef;
use crate::domain::locale::Locale;

pub fn stage_name(s: &StageRef, l: Locale) -> String {
    match l {
        Locale::En => s.name_en.clone(),
        Locale::ZhCn => s.name_zh.clone(),
    }
}
