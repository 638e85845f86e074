//! Schema only — never seed data (reference data is seeded by the app at start-up).
pub use sea_orm_migration::prelude::*;

mod m20261122_000001_init;
mod m20261122_000002_gate;
mod m20261122_000003_totals;
mod m20261122_000004_presence;
mod m20261122_000005_forecast;
mod m20261122_000006_room;
mod m20261122_000007_board_index;
mod m20261201_000008_forecast_cells;
mod m20261201_000009_forecast_points;
mod m20261202_000010_history_state;
mod m20261202_000011_progress_days;
mod m20261202_000012_team_stage_entered;
mod m20261202_000013_progress_terms;
mod m20261206_000014_quotes;
mod m20261206_000015_objections;
mod m20261206_000016_contracts;
mod m20261206_000017_negotiations;
mod m20261206_000018_contract_amendments;
mod m20261206_000019_account_grades;
mod m20261206_000020_account_contact;
mod m20261206_000021_admin_audit;
mod m20261207_000022_account_profile;
mod m20261207_000023_capacity_plan;
mod m20261207_000025_imports;
mod m20261208_000026_account_need_contact_history;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_init::Migration),
            Box::new(m20261122_000002_gate::Migration),
            Box::new(m20261122_000003_totals::Migration),
            Box::new(m20261122_000004_presence::Migration),
            Box::new(m20261122_000005_forecast::Migration),
            Box::new(m20261122_000006_room::Migration),
            Box::new(m20261122_000007_board_index::Migration),
            Box::new(m20261201_000008_forecast_cells::Migration),
            Box::new(m20261201_000009_forecast_points::Migration),
            Box::new(m20261202_000010_history_state::Migration),
            Box::new(m20261202_000011_progress_days::Migration),
            Box::new(m20261202_000012_team_stage_entered::Migration),
            Box::new(m20261202_000013_progress_terms::Migration),
            Box::new(m20261206_000014_quotes::Migration),
            Box::new(m20261206_000015_objections::Migration),
            Box::new(m20261206_000016_contracts::Migration),
            Box::new(m20261206_000017_negotiations::Migration),
            Box::new(m20261206_000018_contract_amendments::Migration),
            Box::new(m20261206_000019_account_grades::Migration),
            Box::new(m20261206_000020_account_contact::Migration),
            Box::new(m20261206_000021_admin_audit::Migration),
            Box::new(m20261207_000022_account_profile::Migration),
            Box::new(m20261207_000023_capacity_plan::Migration),
            Box::new(m20261207_000025_imports::Migration),
            Box::new(m20261208_000026_account_need_contact_history::Migration),
        ]
    }
}
