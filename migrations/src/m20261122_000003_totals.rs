//! Per-(pipeline, stage, team, owner) running totals of deals, so the board's column sums do
//! not scan a million rows on every render. Derived data: the move transaction maintains it
//! and a test proves it equal to the raw aggregate.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DealTotals {
    Table,
    PipelineId,
    StageId,
    TeamId,
    OwnerId,
    N,
    AmountFen,
}

/// The rebuild statement.
/// Frozen: what this migration ran (the app keeps its own copy in `app::ssr::sql`).
const REBUILD_SQL: &str = "INSERT INTO deal_totals (pipeline_id, stage_id, team_id, owner_id, n, amount_fen) \
     SELECT pipeline_id, stage_id, team_id, owner_id, COUNT(*), COALESCE(SUM(amount_fen), 0) FROM deals \
     GROUP BY pipeline_id, stage_id, team_id, owner_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(DealTotals::Table)
                .if_not_exists()
                .col(integer(DealTotals::PipelineId))
                .col(integer(DealTotals::StageId))
                .col(integer(DealTotals::TeamId))
                .col(integer(DealTotals::OwnerId))
                .col(big_integer(DealTotals::N).default(0))
                .col(big_integer(DealTotals::AmountFen).default(0))
                .primary_key(
                    Index::create().col(DealTotals::PipelineId).col(DealTotals::StageId).col(DealTotals::TeamId).col(DealTotals::OwnerId),
                )
                .to_owned(),
        )
        .await?;
        m.get_connection().execute_unprepared(REBUILD_SQL).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(DealTotals::Table).to_owned()).await
    }
}
