//! Consistent backups while the server runs.
use crate::ssr::db::Db;
use sea_orm::{ConnectionTrait, DbBackend};
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} already exists; choose a new file name")]
    Exists(String),
    #[error("database error: {0}")]
    Db(#[from] sea_orm::DbErr),
    #[error("pg_dump failed: {0}")]
    PgDump(String),
}

/// SQLite: `VACUUM INTO` writes a transactionally consistent copy without stopping writers.
/// PostgreSQL: `pg_dump` (custom format) of the database in `url`.
pub async fn backup(db: &Db, url: &str, target: &Path) -> Result<(), BackupError> {
    if target.exists() {
        return Err(BackupError::Exists(target.display().to_string()));
    }
    match db.get_database_backend() {
        DbBackend::Postgres => {
            let out = tokio::process::Command::new("pg_dump")
                .arg("--format=custom")
                .arg("--file")
                .arg(target)
                .arg("--dbname")
                .arg(url)
                .output()
                .await
                .map_err(|e| BackupError::PgDump(e.to_string()))?;
            if out.status.success() {
                Ok(())
            } else {
                Err(BackupError::PgDump(String::from_utf8_lossy(&out.stderr).into_owned()))
            }
        }
        _ => {
            let quoted = target.display().to_string().replace('\'', "''");
            db.execute_unprepared(&format!("VACUUM INTO '{quoted}'")).await?;
            Ok(())
        }
    }
}
