//! Contracts on a deal (合同审批表): drafted from the accepted quote, numbered per month
//! without gaps, approved along a chain (sales manager → legal → general manager unless an
//! admin's table says otherwise), each step an approval request in its approver's inbox;
//! a rejection returns the contract to draft with the reason. Only an approved contract can
//! be signed, and signing sets the deal's amount; receipts are recorded against its payment
//! milestones. Every change is in the deal's history and announced live.
mod flow;
mod read;
mod receivables;
mod write;

pub use crate::ssr::service::movement::route_to as route_approver;
pub use flow::{decide_in, receive, sign, submit, withdraw};
pub use read::{briefs, get, list, list_for_deal};
pub use receivables::{receivable_rows, receivables};
pub use write::{amend, chain_rules, chain_rules_to_edit, create, save, save_chain_rules};

use crate::domain::contract::{Approver, ContractStatus, ContractType};
use crate::domain::error::AppError;
use crate::ssr::db_err;
use crate::ssr::entity::contract;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// The organisation's calendar day.
fn today() -> chrono::NaiveDate {
    chrono::Utc::now().with_timezone(&crate::domain::forecast::offset()).date_naive()
}

async fn by_uuid<C: ConnectionTrait>(db: &C, id: uuid::Uuid) -> Result<contract::Model, AppError> {
    contract::Entity::find().filter(contract::Column::Uuid.eq(id)).one(db).await.map_err(db_err)?.ok_or(AppError::NotFound)
}

fn status_of(c: &contract::Model) -> ContractStatus {
    ContractStatus::parse(&c.status).unwrap_or(ContractStatus::Draft)
}

fn kind_of(c: &contract::Model) -> ContractType {
    ContractType::parse(&c.kind).unwrap_or(ContractType::Mixed)
}

/// The chain fixed when the contract was submitted.
fn steps_of(c: &contract::Model) -> Vec<Approver> {
    c.steps
        .as_deref()
        .and_then(|s| serde_json::from_str::<Vec<String>>(s).ok())
        .unwrap_or_default()
        .iter()
        .filter_map(|a| Approver::parse(a))
        .collect()
}
