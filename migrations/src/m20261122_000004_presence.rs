//! Who has a deal open: a heartbeat row per (deal, user). In the database rather than in
//! memory so two app servers behind one PostgreSQL see the same viewers.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DealPresence {
    Table,
    DealId,
    UserId,
    SeenAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(DealPresence::Table)
                .if_not_exists()
                .col(integer(DealPresence::DealId))
                .col(integer(DealPresence::UserId))
                .col(timestamp_with_time_zone(DealPresence::SeenAt))
                .primary_key(Index::create().col(DealPresence::DealId).col(DealPresence::UserId))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(DealPresence::Table).to_owned()).await
    }
}
