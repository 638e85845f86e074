//! Throwaway databases for the integration tests of every crate: a temporary SQLite file,
//! or — when `TEST_DATABASE_URL` points at a PostgreSQL server — a new database on it.
//! Lives in the library (not a test file) so the server's REST tests share it.
use crate::ssr::db::Db;
use sea_orm::{ConnectionTrait, DbErr};

pub struct TestDb {
    pub db: Db,
    pub url: String,
    cleanup: Option<std::path::PathBuf>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(dir) = self.cleanup.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// A migrated database with the reference data (pipeline templates) and nothing else.
pub async fn fresh_db() -> Result<TestDb, DbErr> {
    let name = format!("dg_test_{}", uuid::Uuid::new_v4().simple());
    let (url, cleanup) = match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let admin = super::db::connect(&admin_url).await?;
            admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await?;
            let base = admin_url.rsplit_once('/').map(|(b, _)| b.to_owned()).ok_or_else(|| DbErr::Custom("URL has no database".into()))?;
            (format!("{base}/{name}"), None)
        }
        _ => {
            let dir = std::env::temp_dir().join(&name);
            std::fs::create_dir_all(&dir).map_err(|e| DbErr::Custom(e.to_string()))?;
            (format!("sqlite://{}/test.db?mode=rwc", dir.display()), Some(dir))
        }
    };
    let db = super::db::connect(&url).await?;
    super::db::migrate(&db).await?;
    super::seed::ensure_reference_data(&db).await?;
    Ok(TestDb { db, url, cleanup })
}

/// A fresh database with the demo company.
pub async fn seeded() -> Result<TestDb, String> {
    let t = fresh_db().await.map_err(|e| e.to_string())?;
    super::seed::seed_demo(&t.db).await.map_err(|e| e.to_string())?;
    Ok(t)
}

/// Removes the demo's contracts (their chain steps, milestones and receipts, and the number
/// sequence), for tests that count contracts, numbers or receivables from zero.
pub async fn clear_contracts(db: &Db) -> Result<(), DbErr> {
    use crate::ssr::entity::{approval, contract, contract_milestone, contract_receipt};
    use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Statement};
    contract_receipt::Entity::delete_many().exec(db).await?;
    contract_milestone::Entity::delete_many().exec(db).await?;
    approval::Entity::delete_many().filter(approval::Column::ContractId.is_not_null()).exec(db).await?;
    contract::Entity::delete_many().exec(db).await?;
    db.execute_raw(Statement::from_string(db.get_database_backend(), "DELETE FROM contract_seq")).await?;
    Ok(())
}
