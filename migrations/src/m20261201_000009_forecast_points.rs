//! Past points of the forecast trend per viewer scope, and the index the dashboard's stuck
//! counts read.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Past points of the 13-week trend, per viewer scope: a point in the past never changes when
/// new history is appended (the derivation rewinds it), so it is computed once. Forgotten
/// when a win rate or a deal team changes (the derivation would give another number).
#[derive(DeriveIden)]
enum ForecastPoints {
    Table,
    ScopeKey,
    At,
    ForecastFen,
    WonFen,
    OpenCount,
    WonCount,
}

#[derive(DeriveIden)]
enum Deals {
    Table,
    StageId,
    StageEnteredAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ForecastPoints::Table)
                .if_not_exists()
                .col(string(ForecastPoints::ScopeKey))
                .col(timestamp_with_time_zone(ForecastPoints::At))
                .col(big_integer(ForecastPoints::ForecastFen))
                .col(big_integer(ForecastPoints::WonFen))
                .col(big_integer(ForecastPoints::OpenCount))
                .col(big_integer(ForecastPoints::WonCount))
                .primary_key(Index::create().col(ForecastPoints::ScopeKey).col(ForecastPoints::At))
                .to_owned(),
        )
        .await?;
        // The dashboard counts deals stuck in a stage (entered before a cut-off) per stage.
        m.create_index(
            Index::create()
                .name("ix_deals_stage_entered")
                .table(Deals::Table)
                .col(Deals::StageId)
                .col(Deals::StageEnteredAt)
                .if_not_exists()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_deals_stage_entered").table(Deals::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(ForecastPoints::Table).to_owned()).await
    }
}
