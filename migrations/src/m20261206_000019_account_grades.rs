//! Account grading (客户分级): the grade an account holds and since when on the account (the
//! list shows both without a join), and every grading with its questionnaire, the rule's
//! suggestion and the reason for an override in `account_grades` (the grade's history).
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    Grade,
    GradeSince,
}

#[derive(DeriveIden)]
enum AccountGrades {
    Table,
    Id,
    AccountId,
    Grade,
    Suggested,
    Answers,
    Reasons,
    OverrideReason,
    DecidedBy,
    DecidedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Accounts::Table).add_column(string_null(Accounts::Grade)).to_owned()).await?;
        m.alter_table(Table::alter().table(Accounts::Table).add_column(timestamp_with_time_zone_null(Accounts::GradeSince)).to_owned())
            .await?;
        m.create_index(Index::create().name("ix_accounts_grade").table(Accounts::Table).col(Accounts::Grade).to_owned()).await?;
        m.create_table(
            Table::create()
                .table(AccountGrades::Table)
                .if_not_exists()
                .col(pk_auto(AccountGrades::Id))
                .col(integer(AccountGrades::AccountId))
                .col(string(AccountGrades::Grade))
                .col(string(AccountGrades::Suggested))
                .col(text(AccountGrades::Answers))
                .col(text(AccountGrades::Reasons))
                .col(text_null(AccountGrades::OverrideReason))
                .col(integer(AccountGrades::DecidedBy))
                .col(timestamp_with_time_zone(AccountGrades::DecidedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(AccountGrades::Table, AccountGrades::AccountId)
                        .to(Accounts::Table, Accounts::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_account_grades_account")
                .table(AccountGrades::Table)
                .col(AccountGrades::AccountId)
                .col(AccountGrades::Id)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(AccountGrades::Table).to_owned()).await?;
        m.drop_index(Index::drop().name("ix_accounts_grade").table(Accounts::Table).to_owned()).await?;
        for c in [Accounts::GradeSince, Accounts::Grade] {
            m.alter_table(Table::alter().table(Accounts::Table).drop_column(c).to_owned()).await?;
        }
        Ok(())
    }
}
