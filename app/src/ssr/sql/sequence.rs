//! Gap-free document numbers: one row per period holds the last number given.

/// Which sequence: its table and the column that keys the period.
#[derive(Clone, Copy, Debug)]
pub enum Sequence {
    /// `quote_seq(year, last)`
    QuoteYear,
    /// `contract_seq(period, last)`, period = yyyymm
    ContractMonth,
}

/// The period's next number, inside the caller's write transaction: the row stays locked
/// until commit (PostgreSQL) or the writer holds the database (SQLite), and a rollback takes
/// the number back, so numbers have neither gaps nor duplicates.
pub async fn next<C: sea_orm::ConnectionTrait>(db: &C, seq: Sequence, period: i32) -> Result<i64, sea_orm::DbErr> {
    let (table, key) = match seq {
        Sequence::QuoteYear => ("quote_seq", "year"),
        Sequence::ContractMonth => ("contract_seq", "period"),
    };
    let backend = db.get_database_backend();
    let param = if backend == sea_orm::DbBackend::Postgres { "$1" } else { "?" };
    let sql = format!(
        "INSERT INTO {table} ({key}, last) VALUES ({param}, 1) ON CONFLICT ({key}) DO UPDATE SET last = {table}.last + 1 RETURNING last"
    );
    let row = db
        .query_one_raw(sea_orm::Statement::from_sql_and_values(backend, sql, [period.into()]))
        .await?
        .ok_or_else(|| sea_orm::DbErr::RecordNotFound(table.to_owned()))?;
    row.try_get_by_index::<i64>(0)
}
