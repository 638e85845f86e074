//! Seed 003 table 1's 初步需求描述 (the need a lead first voiced) on the account, where the
//! profile shows it and the import fills it; and the contact an account-history row is about
//! (added, edited, deleted: JSON `contact::ContactNote`), so contact edits read in the same
//! history as the account's.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Accounts {
    Table,
    InitialNeed,
}

#[derive(DeriveIden)]
enum AccountHistory {
    Table,
    Contact,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Accounts::Table).add_column(text_null(Accounts::InitialNeed)).to_owned()).await?;
        m.alter_table(Table::alter().table(AccountHistory::Table).add_column(text_null(AccountHistory::Contact)).to_owned()).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(AccountHistory::Table).drop_column(AccountHistory::Contact).to_owned()).await?;
        m.alter_table(Table::alter().table(Accounts::Table).drop_column(Accounts::InitialNeed).to_owned()).await?;
        Ok(())
    }
}
