//! Connecting to SQLite (embedded default) or PostgreSQL, and running the migrations.
use super::hub::Hub;
use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, ExecResult, QueryResult, Statement};
use std::sync::Arc;
use std::time::Duration;

/// The pool and the process state shared beside it ([`Hub`]). Every service takes it; it is
/// a connection wherever SeaORM wants one.
#[derive(Clone)]
pub struct Db {
    conn: DatabaseConnection,
    hub: Arc<Hub>,
}

impl Db {
    pub fn new(conn: DatabaseConnection) -> Self {
        Db { conn, hub: Arc::new(Hub::default()) }
    }
    pub fn conn(&self) -> &DatabaseConnection {
        &self.conn
    }
    pub(crate) fn hub(&self) -> &Hub {
        &self.hub
    }
}

impl std::ops::Deref for Db {
    type Target = DatabaseConnection;
    fn deref(&self) -> &DatabaseConnection {
        &self.conn
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for Db {
    fn get_database_backend(&self) -> DbBackend {
        self.conn.get_database_backend()
    }
    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        self.conn.execute_raw(stmt).await
    }
    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.conn.execute_unprepared(sql).await
    }
    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.conn.query_one_raw(stmt).await
    }
    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.conn.query_all_raw(stmt).await
    }
    fn support_returning(&self) -> bool {
        self.conn.support_returning()
    }
}

pub async fn connect(url: &str) -> Result<Db, DbErr> {
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
    Database::connect(opt).await.map(Db::new)
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
/// do not spin on each other (the queue is the [`Hub`]'s); PostgreSQL needs neither.
pub struct WriteTxn {
    pub txn: sea_orm::DatabaseTransaction,
    _guard: Option<tokio::sync::OwnedMutexGuard<()>>,
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

pub async fn begin_write(db: &Db) -> Result<WriteTxn, DbErr> {
    use sea_orm::{SqliteTransactionMode, TransactionOptions, TransactionTrait};
    if !is_sqlite(db) {
        return Ok(WriteTxn { txn: db.begin().await?, _guard: None });
    }
    let guard = db.hub.writer.clone().lock_owned().await;
    let options = TransactionOptions { sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate), ..Default::default() };
    Ok(WriteTxn { txn: db.begin_with_options(options).await?, _guard: Some(guard) })
}
