//! Connecting to SQLite (embedded default) or PostgreSQL, and running the migrations.
use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr};
use std::time::Duration;

pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut opt = ConnectOptions::new(url.to_owned());
    let sqlite = url.starts_with("sqlite:");
    opt.sqlx_logging(false)
        .max_connections(if sqlite { 8 } else { 16 })
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30));
    // WAL lets readers run beside the one writer; the busy timeout makes a second writer
    // wait instead of failing; foreign keys are off by default in SQLite.
    opt.map_sqlx_sqlite_opts(|o| {
        o.journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .create_if_missing(true)
    });
    Database::connect(opt).await
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// `SELECT 1`: the database answers.
pub async fn ping(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.execute_unprepared("SELECT 1").await.map(|_| ())
}

pub fn is_sqlite(db: &DatabaseConnection) -> bool {
    db.get_database_backend() == DbBackend::Sqlite
}

/// SQLite allows one writer. A deferred transaction that reads and then writes fails with
/// SQLITE_BUSY_SNAPSHOT (no busy wait) when another connection — the session store, say —
/// committed in between. Write transactions therefore begin IMMEDIATE (the write lock is
/// taken at BEGIN, under the busy timeout) and queue on one in-process lock first, so they
/// do not spin on each other; PostgreSQL needs neither.
static SQLITE_WRITER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub struct WriteTxn {
    pub txn: sea_orm::DatabaseTransaction,
    _guard: Option<tokio::sync::MutexGuard<'static, ()>>,
}

impl std::ops::Deref for WriteTxn {
    type Target = sea_orm::DatabaseTransaction;
    fn deref(&self) -> &Self::Target {
        &self.txn
    }
}

impl WriteTxn {
    pub async fn commit(self) -> Result<(), DbErr> {
        self.txn.commit().await
    }
}

pub async fn begin_write(db: &DatabaseConnection) -> Result<WriteTxn, DbErr> {
    use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
    if !is_sqlite(db) {
        return Ok(WriteTxn { txn: db.begin().await?, _guard: None });
    }
    let guard = SQLITE_WRITER.lock().await;
    let options = TransactionOptions { sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate), ..Default::default() };
    Ok(WriteTxn { txn: db.begin_with_options(options).await?, _guard: Some(guard) })
}
