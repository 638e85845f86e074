//! One module per page.
pub mod account;
pub mod account_edit;
pub mod account_merge;
pub mod account_policy_admin;
pub mod account_revisits;
pub mod accounts;
pub mod admin;
pub mod admin_audit;
pub mod admin_users;
pub mod approvals;
pub mod board;
pub mod capacity;
pub mod change_password;
pub mod checklist_admin;
pub mod contacts;
pub mod contract;
pub mod contract_chain_admin;
pub mod contracts;
pub mod dashboard;
pub mod deal;
pub mod deals;
pub mod forecast;
pub mod import;
pub mod login;
pub mod my_checklists;
pub mod my_tasks;
pub mod new_deal;
pub mod not_found;
pub mod objections;
pub mod pipeline_admin;
pub mod product_admin;
pub mod quotas;
pub mod quote;
pub mod quote_print;

use crate::domain::dto::StageRef;
use crate::domain::locale::Locale;

pub fn stage_name(s: &StageRef, l: Locale) -> String {
    match l {
        Locale::En => s.name_en.clone(),
        Locale::ZhCn => s.name_zh.clone(),
    }
}
