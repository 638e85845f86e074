//! Relationship maintenance (客户关系维护): when each account was last contacted and when it
//! is next due (on the account, so "overdue" and "due this week" are index range scans at
//! 100k accounts), the revisit records (客户回访记录表, seed 003 table 7), the follow-ups a
//! won deal's delivery owes, the cadence per grade and the target market (one policy row,
//! edited by an admin), and the account's yearly profit the target market asks about.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    OwnerId,
    TeamId,
    LastContactOn,
    NextContactOn,
    ProfitFen,
}

#[derive(DeriveIden)]
enum AccountRevisits {
    Table,
    Id,
    Uuid,
    AccountId,
    VisitedOn,
    Channel,
    VisitorId,
    ContactName,
    Feedback,
    Satisfaction,
    NewNeeds,
    FollowUp,
    FollowUpOwnerId,
    FollowUpDue,
    NextVisitOn,
    FollowUpOf,
    Accepted,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AccountFollowUps {
    Table,
    Id,
    Uuid,
    AccountId,
    DealId,
    OwnerId,
    DueOn,
    DoneOn,
    RevisitId,
    Accepted,
    CreatedAt,
    Version,
}

#[derive(DeriveIden)]
enum AccountPolicy {
    Table,
    Id,
    Cadence,
    TargetMarket,
    UpdatedAt,
    Version,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Accounts::Table).add_column(date_null(Accounts::LastContactOn)).to_owned()).await?;
        m.alter_table(Table::alter().table(Accounts::Table).add_column(date_null(Accounts::NextContactOn)).to_owned()).await?;
        m.alter_table(Table::alter().table(Accounts::Table).add_column(big_integer_null(Accounts::ProfitFen)).to_owned()).await?;
        m.create_index(
            Index::create()
                .name("ix_accounts_owner_next")
                .table(Accounts::Table)
                .col(Accounts::OwnerId)
                .col(Accounts::NextContactOn)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_accounts_team_next")
                .table(Accounts::Table)
                .col(Accounts::TeamId)
                .col(Accounts::NextContactOn)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AccountRevisits::Table)
                .if_not_exists()
                .col(pk_auto(AccountRevisits::Id))
                .col(uuid_uniq(AccountRevisits::Uuid))
                .col(integer(AccountRevisits::AccountId))
                .col(date(AccountRevisits::VisitedOn))
                .col(string(AccountRevisits::Channel))
                .col(integer(AccountRevisits::VisitorId))
                .col(string_null(AccountRevisits::ContactName))
                .col(text(AccountRevisits::Feedback))
                .col(small_integer(AccountRevisits::Satisfaction))
                .col(text_null(AccountRevisits::NewNeeds))
                .col(text_null(AccountRevisits::FollowUp))
                .col(integer_null(AccountRevisits::FollowUpOwnerId))
                .col(date_null(AccountRevisits::FollowUpDue))
                .col(date_null(AccountRevisits::NextVisitOn))
                .col(integer_null(AccountRevisits::FollowUpOf))
                .col(boolean_null(AccountRevisits::Accepted))
                .col(timestamp_with_time_zone(AccountRevisits::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(AccountRevisits::Table, AccountRevisits::AccountId)
                        .to(Accounts::Table, Accounts::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_account_revisits_account")
                .table(AccountRevisits::Table)
                .col(AccountRevisits::AccountId)
                .col(AccountRevisits::VisitedOn)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AccountFollowUps::Table)
                .if_not_exists()
                .col(pk_auto(AccountFollowUps::Id))
                .col(uuid_uniq(AccountFollowUps::Uuid))
                .col(integer(AccountFollowUps::AccountId))
                .col(integer(AccountFollowUps::DealId))
                .col(integer(AccountFollowUps::OwnerId))
                .col(date(AccountFollowUps::DueOn))
                .col(date_null(AccountFollowUps::DoneOn))
                .col(integer_null(AccountFollowUps::RevisitId))
                .col(boolean_null(AccountFollowUps::Accepted))
                .col(timestamp_with_time_zone(AccountFollowUps::CreatedAt))
                .col(integer(AccountFollowUps::Version).default(1))
                .foreign_key(
                    ForeignKey::create()
                        .from(AccountFollowUps::Table, AccountFollowUps::AccountId)
                        .to(Accounts::Table, Accounts::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_account_follow_ups_owner")
                .table(AccountFollowUps::Table)
                .col(AccountFollowUps::OwnerId)
                .col(AccountFollowUps::DoneOn)
                .to_owned(),
        )
        .await?;
        // One delivery follow-up per deal: winning a deal again (after a reopen) keeps the first.
        m.create_index(
            Index::create()
                .name("ux_account_follow_ups_deal")
                .table(AccountFollowUps::Table)
                .col(AccountFollowUps::DealId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AccountPolicy::Table)
                .if_not_exists()
                .col(integer(AccountPolicy::Id).primary_key())
                .col(text(AccountPolicy::Cadence))
                .col(text_null(AccountPolicy::TargetMarket))
                .col(timestamp_with_time_zone(AccountPolicy::UpdatedAt))
                .col(integer(AccountPolicy::Version).default(1))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [AccountPolicy::Table.into_iden(), AccountFollowUps::Table.into_iden(), AccountRevisits::Table.into_iden()] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        for ix in ["ix_accounts_team_next", "ix_accounts_owner_next"] {
            m.drop_index(Index::drop().name(ix).table(Accounts::Table).to_owned()).await?;
        }
        for c in [Accounts::ProfitFen, Accounts::NextContactOn, Accounts::LastContactOn] {
            m.alter_table(Table::alter().table(Accounts::Table).drop_column(c).to_owned()).await?;
        }
        Ok(())
    }
}
