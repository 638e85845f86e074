//! Contract amendments: a signed contract is changed by a new version of it that goes
//! through the chain again; signing the amendment supersedes the contract it amends.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Contracts {
    Table,
    Revision,
    SupersedesId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Contracts::Table).add_column(integer(Contracts::Revision).default(0)).to_owned()).await?;
        m.alter_table(Table::alter().table(Contracts::Table).add_column(integer_null(Contracts::SupersedesId)).to_owned()).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for c in [Contracts::SupersedesId, Contracts::Revision] {
            m.alter_table(Table::alter().table(Contracts::Table).drop_column(c).to_owned()).await?;
        }
        Ok(())
    }
}
