//! The capacity plan an admin edits (`account_policy.capacity_plan`, JSON; null: seed 000's
//! plan), and an index on `accounts.industry`: the target market's SQL condition reads the
//! distinct industry texts, which the index answers without reading the accounts.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AccountPolicy {
    Table,
    CapacityPlan,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Industry,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(AccountPolicy::Table).add_column(text_null(AccountPolicy::CapacityPlan)).to_owned()).await?;
        m.create_index(Index::create().name("ix_accounts_industry").table(Accounts::Table).col(Accounts::Industry).to_owned()).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("ix_accounts_industry").table(Accounts::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(AccountPolicy::Table).drop_column(AccountPolicy::CapacityPlan).to_owned()).await?;
        Ok(())
    }
}
