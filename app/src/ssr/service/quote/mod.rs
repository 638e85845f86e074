//! Quotes on a deal: drafted by whoever does the deal's room work, priced by
//! `domain::quote::price`, numbered per year without gaps, approved through the approvals
//! inbox by the owner's manager or the general manager (`domain::quote::required_approver`),
//! then sent and answered; a revision supersedes the revision before it. Every change is in
//! the deal's history and announced live.
mod flow;
mod read;
mod write;

pub use flow::{close, decide_in, revise, send, submit};
pub use read::{briefs, get, list_for_deal};
pub use write::{create, save};

use crate::domain::error::AppError;
use crate::domain::quote::{effective, QuoteStatus, Totals};
use crate::ssr::db_err;
use crate::ssr::entity::quote;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// The organisation's calendar day: validity is a local date.
fn today() -> chrono::NaiveDate {
    chrono::Utc::now().with_timezone(&crate::domain::forecast::offset()).date_naive()
}

/// The status a user sees: stored, or expired once the validity date has passed.
fn status_of(q: &quote::Model) -> QuoteStatus {
    effective(QuoteStatus::parse(&q.status).unwrap_or(QuoteStatus::Draft), q.valid_until, today())
}

async fn by_uuid<C: ConnectionTrait>(db: &C, id: uuid::Uuid) -> Result<quote::Model, AppError> {
    quote::Entity::find().filter(quote::Column::Uuid.eq(id)).one(db).await.map_err(db_err)?.ok_or(AppError::NotFound)
}

/// The totals stored on a quote row (computed by `domain::quote::price` at every save).
fn totals_of(q: &quote::Model) -> Totals {
    Totals {
        list_fen: q.list_fen,
        lines_net_fen: q.lines_net_fen,
        header_discount_fen: q.header_discount_fen,
        net_fen: q.net_fen,
        tax_fen: q.tax_fen,
        gross_fen: q.gross_fen,
        cost_fen: q.cost_fen,
        margin_fen: q.margin_fen,
        margin_bp: q.margin_bp,
        discount_bp: q.discount_bp,
    }
}
