//! The account profile of seed 000 (products, ISO9000, BPR, plant moves, big investments,
//! item codes, computerised and with what, lead source, territory) as typed columns (codes
//! parsed into enums by the app), and the account's history: every edit with the fields it
//! changed from what to what, and every merge with what moved.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    MainProducts,
    Iso9000,
    BprUnderWay,
    PlantMovePlanned,
    BigInvestmentPlanned,
    ItemCodes,
    Computerised,
    CurrentSystems,
    LeadSource,
    Territory,
}

#[derive(DeriveIden)]
enum AccountHistory {
    Table,
    Id,
    AccountId,
    Event,
    Changes,
    Merged,
    ActorId,
    At,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        for col in [
            text_null(Accounts::MainProducts),
            string_len_null(Accounts::Iso9000, 20),
            boolean_null(Accounts::BprUnderWay),
            boolean_null(Accounts::PlantMovePlanned),
            boolean_null(Accounts::BigInvestmentPlanned),
            integer_null(Accounts::ItemCodes),
            boolean_null(Accounts::Computerised),
            text_null(Accounts::CurrentSystems),
            string_len_null(Accounts::LeadSource, 30),
            string_len_null(Accounts::Territory, 100),
        ] {
            let mut col = col;
            m.alter_table(Table::alter().table(Accounts::Table).add_column(&mut col).to_owned()).await?;
        }
        m.create_table(
            Table::create()
                .table(AccountHistory::Table)
                .if_not_exists()
                .col(pk_auto(AccountHistory::Id))
                .col(integer(AccountHistory::AccountId))
                .col(string_len(AccountHistory::Event, 20))
                .col(text(AccountHistory::Changes))
                .col(text_null(AccountHistory::Merged))
                .col(integer(AccountHistory::ActorId))
                .col(timestamp_with_time_zone(AccountHistory::At))
                .foreign_key(
                    ForeignKey::create()
                        .from(AccountHistory::Table, AccountHistory::AccountId)
                        .to(Accounts::Table, Accounts::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_account_history_account")
                .table(AccountHistory::Table)
                .col(AccountHistory::AccountId)
                .col(AccountHistory::Id)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(AccountHistory::Table).to_owned()).await?;
        for c in [
            Accounts::Territory,
            Accounts::LeadSource,
            Accounts::CurrentSystems,
            Accounts::Computerised,
            Accounts::ItemCodes,
            Accounts::BigInvestmentPlanned,
            Accounts::PlantMovePlanned,
            Accounts::BprUnderWay,
            Accounts::Iso9000,
            Accounts::MainProducts,
        ] {
            m.alter_table(Table::alter().table(Accounts::Table).drop_column(c).to_owned()).await?;
        }
        Ok(())
    }
}
