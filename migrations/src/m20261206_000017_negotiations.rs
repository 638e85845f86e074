//! Negotiation (商务谈判要点表): one plan per deal (bottom lines, what each key person
//! cares about, strategy and alternatives), its sessions with per-clause positions, and
//! the concession ladder. A concession past a bottom line waits for the general manager;
//! the agreed result goes to the sales manager and legal before a contract is drafted.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Deals {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Negotiations {
    Table,
    Id,
    Uuid,
    DealId,
    LowestPriceFen,
    LongestPaymentDays,
    NeverGive,
    Interests,
    Strategy,
    Alternatives,
    Status,
    Result,
    Round,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum NegotiationSessions {
    Table,
    Id,
    Uuid,
    NegotiationId,
    HeldOn,
    Channel,
    CustomerPeople,
    OurPeople,
    Positions,
    Notes,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Concessions {
    Table,
    Id,
    Uuid,
    NegotiationId,
    Position,
    MadeOn,
    Clause,
    GivenKind,
    GivenValue,
    GivenText,
    Got,
    PositionAfter,
    GmStatus,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Approvals {
    Table,
    NegotiationId,
    ConcessionId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Negotiations::Table)
                .if_not_exists()
                .col(pk_auto(Negotiations::Id))
                .col(uuid_uniq(Negotiations::Uuid))
                .col(integer_uniq(Negotiations::DealId))
                .col(big_integer_null(Negotiations::LowestPriceFen))
                .col(integer_null(Negotiations::LongestPaymentDays))
                .col(text_null(Negotiations::NeverGive))
                .col(text(Negotiations::Interests))
                .col(text_null(Negotiations::Strategy))
                .col(text_null(Negotiations::Alternatives))
                .col(string(Negotiations::Status))
                .col(text_null(Negotiations::Result))
                .col(integer(Negotiations::Round).default(0))
                .col(integer(Negotiations::CreatedBy))
                .col(timestamp_with_time_zone(Negotiations::CreatedAt))
                .col(timestamp_with_time_zone(Negotiations::UpdatedAt))
                .col(integer(Negotiations::Version).default(1))
                .foreign_key(
                    ForeignKey::create()
                        .from(Negotiations::Table, Negotiations::DealId)
                        .to(Deals::Table, Deals::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(NegotiationSessions::Table)
                .if_not_exists()
                .col(pk_auto(NegotiationSessions::Id))
                .col(uuid_uniq(NegotiationSessions::Uuid))
                .col(integer(NegotiationSessions::NegotiationId))
                .col(date(NegotiationSessions::HeldOn))
                .col(string(NegotiationSessions::Channel))
                .col(text(NegotiationSessions::CustomerPeople))
                .col(text(NegotiationSessions::OurPeople))
                .col(text(NegotiationSessions::Positions))
                .col(text_null(NegotiationSessions::Notes))
                .col(integer(NegotiationSessions::CreatedBy))
                .col(timestamp_with_time_zone(NegotiationSessions::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(NegotiationSessions::Table, NegotiationSessions::NegotiationId)
                        .to(Negotiations::Table, Negotiations::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_negotiation_sessions_negotiation")
                .table(NegotiationSessions::Table)
                .col(NegotiationSessions::NegotiationId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Concessions::Table)
                .if_not_exists()
                .col(pk_auto(Concessions::Id))
                .col(uuid_uniq(Concessions::Uuid))
                .col(integer(Concessions::NegotiationId))
                .col(integer(Concessions::Position))
                .col(date(Concessions::MadeOn))
                .col(string(Concessions::Clause))
                .col(string(Concessions::GivenKind))
                .col(big_integer_null(Concessions::GivenValue))
                .col(text_null(Concessions::GivenText))
                .col(text_null(Concessions::Got))
                .col(big_integer_null(Concessions::PositionAfter))
                .col(string(Concessions::GmStatus))
                .col(integer(Concessions::CreatedBy))
                .col(timestamp_with_time_zone(Concessions::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Concessions::Table, Concessions::NegotiationId)
                        .to(Negotiations::Table, Negotiations::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_concessions_negotiation")
                .table(Concessions::Table)
                .col(Concessions::NegotiationId)
                .col(Concessions::Position)
                .to_owned(),
        )
        .await?;
        m.alter_table(Table::alter().table(Approvals::Table).add_column(integer_null(Approvals::NegotiationId)).to_owned()).await?;
        m.alter_table(Table::alter().table(Approvals::Table).add_column(integer_null(Approvals::ConcessionId)).to_owned()).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for c in [Approvals::ConcessionId, Approvals::NegotiationId] {
            m.alter_table(Table::alter().table(Approvals::Table).drop_column(c).to_owned()).await?;
        }
        for t in ["concessions", "negotiation_sessions", "negotiations"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
