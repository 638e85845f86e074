//! The dashboard's stuck counts for a manager or rep: deals of their teams in one stage that
//! entered it before a cut-off. With only (stage_id, stage_entered_at), SQLite walked every
//! deal of the stage and looked each row up for its team (1.3-1.9 s per dashboard at 1M).
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Deals {
    Table,
    TeamId,
    StageId,
    StageEnteredAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_index(
            Index::create()
                .name("ix_deals_team_stage_entered")
                .table(Deals::Table)
                .col(Deals::TeamId)
                .col(Deals::StageId)
                .col(Deals::StageEnteredAt)
                .if_not_exists()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_deals_team_stage_entered").table(Deals::Table).to_owned()).await
    }
}
