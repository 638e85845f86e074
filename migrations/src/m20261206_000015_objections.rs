//! The objection log: per deal, what the customer doubts and asks for, our response, the
//! owner and due date, the outcome. Indexed for a deal's log and for "overdue" (owner, status).
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Deals {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Objections {
    Table,
    Id,
    Uuid,
    DealId,
    RaisedOn,
    Category,
    RaisedByContactId,
    Said,
    Demand,
    Strategy,
    OwnerId,
    DueOn,
    ResolvedOn,
    Feedback,
    Status,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Objections::Table)
                .if_not_exists()
                .col(pk_auto(Objections::Id))
                .col(uuid_uniq(Objections::Uuid))
                .col(integer(Objections::DealId))
                .col(date(Objections::RaisedOn))
                .col(string(Objections::Category))
                .col(integer_null(Objections::RaisedByContactId))
                .col(text(Objections::Said))
                .col(text_null(Objections::Demand))
                .col(text_null(Objections::Strategy))
                .col(integer(Objections::OwnerId))
                .col(date_null(Objections::DueOn))
                .col(date_null(Objections::ResolvedOn))
                .col(text_null(Objections::Feedback))
                .col(string(Objections::Status))
                .col(integer(Objections::CreatedBy))
                .col(timestamp_with_time_zone(Objections::CreatedAt))
                .col(timestamp_with_time_zone(Objections::UpdatedAt))
                .col(integer(Objections::Version).default(1))
                .foreign_key(
                    ForeignKey::create()
                        .from(Objections::Table, Objections::DealId)
                        .to(Deals::Table, Deals::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_objections_deal").table(Objections::Table).col(Objections::DealId).col(Objections::Status).to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_objections_owner")
                .table(Objections::Table)
                .col(Objections::OwnerId)
                .col(Objections::Status)
                .col(Objections::DueOn)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Objections::Table).to_owned()).await
    }
}
