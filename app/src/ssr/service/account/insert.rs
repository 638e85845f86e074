//! The one insert of an account row, for the form (`create`) and the import's batches.
use crate::domain::account::profile::Profile;
use crate::domain::error::AppError;
use crate::ssr::db_err;
use crate::ssr::entity::account;
use sea_orm::ActiveValue::Set;
use sea_orm::{ConnectionTrait, EntityTrait};

/// An account's first facts, already checked by the caller.
pub struct AccountInsert {
    pub name: String,
    pub industry: String,
    pub city: Option<String>,
    pub headcount: Option<i32>,
    pub revenue_fen: Option<i64>,
    pub profit_fen: Option<i64>,
    /// Seed 000's profile questions and the initial need, as far as known.
    pub profile: Profile,
    pub owner_id: i32,
    pub team_id: i32,
}

pub async fn insert_in<C: ConnectionTrait>(db: &C, a: AccountInsert) -> Result<account::Model, AppError> {
    let now = chrono::Utc::now();
    let p = a.profile;
    let m = account::ActiveModel {
        uuid: Set(uuid::Uuid::new_v4()),
        name: Set(a.name),
        industry: Set(a.industry),
        headcount: Set(a.headcount),
        revenue_fen: Set(a.revenue_fen),
        profit_fen: Set(a.profit_fen),
        city: Set(a.city),
        main_products: Set(p.main_products),
        iso9000: Set(p.iso9000.map(|x| x.code().to_owned())),
        bpr_under_way: Set(p.bpr_under_way),
        plant_move_planned: Set(p.plant_move_planned),
        big_investment_planned: Set(p.big_investment_planned),
        item_codes: Set(p.item_codes),
        computerised: Set(p.computerised),
        current_systems: Set(p.current_systems),
        lead_source: Set(p.lead_source.map(|x| x.code().to_owned())),
        territory: Set(p.territory),
        initial_need: Set(p.initial_need),
        owner_id: Set(a.owner_id),
        team_id: Set(a.team_id),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    };
    let id = account::Entity::insert(m).exec(db).await.map_err(db_err)?.last_insert_id;
    account::Entity::find_by_id(id).one(db).await.map_err(db_err)?.ok_or(AppError::Internal)
}
