//! Summary cells of the forecast: open and won deals summed per (team, owner, pipeline, stage,
//! close month, won month, categories), so the dashboard's figures of the present read tens of
//! thousands of rows instead of a million deals. Derived data like `deal_totals`: every deal
//! write maintains it in the same transaction, and a test proves it equal to the deals.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ForecastCells {
    Table,
    TeamId,
    OwnerId,
    PipelineId,
    StageId,
    CloseMonth,
    WonMonth,
    OwnerCategory,
    ManagerCategory,
    N,
    AmountFen,
    WeightedFen,
}

/// The rebuild, per backend (month arithmetic differs). The organisation's calendar is UTC+8
/// (`service::forecast::offset`); a won deal's month is the local month it entered the won
/// stage. Seconds are truncated before shifting (SQLite would round nanoseconds to
/// milliseconds and could cross midnight); weighting rounds half away from zero per deal,
/// like `dto::weighted_fen`.
fn rebuild_sql(month_of_date: &str, local_month_of_time: &str) -> String {
    format!(
        "INSERT INTO forecast_cells (team_id, owner_id, pipeline_id, stage_id, close_month, won_month, owner_category, \
         manager_category, n, amount_fen, weighted_fen) \
         SELECT d.team_id, d.owner_id, d.pipeline_id, d.stage_id, {close}, \
         CASE WHEN s.kind = 'won' THEN {won} ELSE 0 END, COALESCE(d.forecast_category, ''), COALESCE(d.manager_category, ''), \
         COUNT(*), COALESCE(SUM(d.amount_fen), 0), \
         COALESCE(SUM(CASE WHEN s.kind = 'won' THEN d.amount_fen \
              WHEN d.amount_fen * s.win_rate_pct >= 0 THEN (d.amount_fen * s.win_rate_pct + 50) / 100 \
              ELSE (d.amount_fen * s.win_rate_pct - 50) / 100 END), 0) \
         FROM deals d JOIN stages s ON s.id = d.stage_id WHERE s.kind <> 'lost' \
         GROUP BY d.team_id, d.owner_id, d.pipeline_id, d.stage_id, {close}, CASE WHEN s.kind = 'won' THEN {won} ELSE 0 END, \
         COALESCE(d.forecast_category, ''), COALESCE(d.manager_category, '')",
        close = month_of_date.replace("{}", "d.close_date"),
        won = local_month_of_time.replace("{}", "d.stage_entered_at"),
    )
}

fn rebuild_sqlite() -> String {
    rebuild_sql("CAST(strftime('%Y%m', {}) AS INTEGER)", "CAST(strftime('%Y%m', substr({}, 1, 19), '+8 hours') AS INTEGER)")
}

fn rebuild_postgres() -> String {
    rebuild_sql(
        "CAST(to_char({}, 'YYYYMM') AS INTEGER)",
        "CAST(to_char(date_trunc('second', {} AT TIME ZONE 'UTC') + INTERVAL '8 hours', 'YYYYMM') AS INTEGER)",
    )
}

/// The rebuild statement for the connection's backend.
/// Frozen: what this migration ran (the app keeps its own copy in `app::ssr::sql`).
fn rebuild_for(backend: sea_orm::DbBackend) -> String {
    if backend == sea_orm::DbBackend::Postgres {
        rebuild_postgres()
    } else {
        rebuild_sqlite()
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ForecastCells::Table)
                .if_not_exists()
                .col(integer(ForecastCells::TeamId))
                .col(integer(ForecastCells::OwnerId))
                .col(integer(ForecastCells::PipelineId))
                .col(integer(ForecastCells::StageId))
                .col(integer(ForecastCells::CloseMonth))
                .col(integer(ForecastCells::WonMonth))
                .col(string(ForecastCells::OwnerCategory))
                .col(string(ForecastCells::ManagerCategory))
                .col(big_integer(ForecastCells::N).default(0))
                .col(big_integer(ForecastCells::AmountFen).default(0))
                .col(big_integer(ForecastCells::WeightedFen).default(0))
                .primary_key(
                    Index::create()
                        .col(ForecastCells::TeamId)
                        .col(ForecastCells::OwnerId)
                        .col(ForecastCells::PipelineId)
                        .col(ForecastCells::StageId)
                        .col(ForecastCells::CloseMonth)
                        .col(ForecastCells::WonMonth)
                        .col(ForecastCells::OwnerCategory)
                        .col(ForecastCells::ManagerCategory),
                )
                .to_owned(),
        )
        .await?;
        let conn = m.get_connection();
        conn.execute_unprepared(&rebuild_for(conn.get_database_backend())).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ForecastCells::Table).to_owned()).await
    }
}
