//! The board pages a team's column by close date: (team_id, stage_id, close_date, id) lets
//! a manager's first 50 cards come straight off the index instead of a sort.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Deals {
    Table,
    TeamId,
    StageId,
    CloseDate,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_deals_team").table(Deals::Table).to_owned()).await?;
        m.create_index(
            Index::create()
                .name("ix_deals_team_stage_close")
                .table(Deals::Table)
                .col(Deals::TeamId)
                .col(Deals::StageId)
                .col(Deals::CloseDate)
                .col(Deals::Id)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_deals_team_stage_close").table(Deals::Table).to_owned()).await?;
        m.create_index(Index::create().name("ix_deals_team").table(Deals::Table).col(Deals::TeamId).col(Deals::StageId).to_owned()).await
    }
}
