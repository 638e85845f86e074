//! Forecasting: the manager's category adjustment (kept beside the owner's choice), quotas
//! per rep and period, and target stage-to-stage conversion rates for the ideal funnel.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Deals {
    Table,
    ManagerCategory,
}

#[derive(DeriveIden)]
enum Stages {
    Table,
    TargetConversionPct,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Quotas {
    Table,
    Id,
    Uuid,
    UserId,
    PeriodStart,
    PeriodEnd,
    AmountFen,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Deals::Table).add_column(string_null(Deals::ManagerCategory)).to_owned()).await?;
        m.alter_table(Table::alter().table(Stages::Table).add_column(integer_null(Stages::TargetConversionPct)).to_owned()).await?;
        m.create_table(
            Table::create()
                .table(Quotas::Table)
                .if_not_exists()
                .col(pk_auto(Quotas::Id))
                .col(uuid_uniq(Quotas::Uuid))
                .col(integer(Quotas::UserId))
                .col(date(Quotas::PeriodStart))
                .col(date(Quotas::PeriodEnd))
                .col(big_integer(Quotas::AmountFen))
                .col(timestamp_with_time_zone(Quotas::CreatedAt))
                .col(timestamp_with_time_zone(Quotas::UpdatedAt))
                .col(integer(Quotas::Version).default(1))
                .foreign_key(
                    ForeignKey::create()
                        .from(Quotas::Table, Quotas::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_quotas_user_period")
                .table(Quotas::Table)
                .col(Quotas::UserId)
                .col(Quotas::PeriodStart)
                .col(Quotas::PeriodEnd)
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Quotas::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(Stages::Table).drop_column(Stages::TargetConversionPct).to_owned()).await?;
        m.alter_table(Table::alter().table(Deals::Table).drop_column(Deals::ManagerCategory).to_owned()).await
    }
}
