//! Contracts (合同审批表): numbered per month without gaps, drafted from an accepted quote,
//! approved along a chain of steps (each step an approval request in the inbox), signed,
//! then paid along milestones with receipts. The chain table is data an admin edits; an
//! empty table means the built-in chain.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Deals {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ContractSeq {
    Table,
    Period,
    Last,
}

#[derive(DeriveIden)]
enum Contracts {
    Table,
    Id,
    Uuid,
    DealId,
    QuoteId,
    Period,
    Seq,
    Number,
    Kind,
    PartyA,
    PartyB,
    AmountFen,
    Currency,
    PaymentTerms,
    DeliveryTerms,
    AcceptanceTerms,
    StartsOn,
    EndsOn,
    Status,
    Steps,
    Round,
    RejectReason,
    SignedOn,
    Signatory,
    SignMethod,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum ContractMilestones {
    Table,
    Id,
    ContractId,
    Position,
    Name,
    DueOn,
    TriggerText,
    ShareKind,
    ShareValue,
    AmountFen,
    ReceivedFen,
}

#[derive(DeriveIden)]
enum ContractReceipts {
    Table,
    Id,
    Uuid,
    ContractId,
    MilestoneId,
    ReceivedOn,
    AmountFen,
    Reference,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ContractChainRules {
    Table,
    Id,
    ContractType,
    MinAmountFen,
    Steps,
}

#[derive(DeriveIden)]
enum Approvals {
    Table,
    ContractId,
    Step,
    Round,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ContractSeq::Table)
                .if_not_exists()
                .col(integer(ContractSeq::Period).primary_key())
                .col(big_integer(ContractSeq::Last))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Contracts::Table)
                .if_not_exists()
                .col(pk_auto(Contracts::Id))
                .col(uuid_uniq(Contracts::Uuid))
                .col(integer(Contracts::DealId))
                .col(integer_null(Contracts::QuoteId))
                .col(integer(Contracts::Period))
                .col(big_integer(Contracts::Seq))
                .col(string_uniq(Contracts::Number))
                .col(string(Contracts::Kind))
                .col(string(Contracts::PartyA))
                .col(string(Contracts::PartyB))
                .col(big_integer(Contracts::AmountFen))
                .col(string(Contracts::Currency))
                .col(text_null(Contracts::PaymentTerms))
                .col(text_null(Contracts::DeliveryTerms))
                .col(text_null(Contracts::AcceptanceTerms))
                .col(date_null(Contracts::StartsOn))
                .col(date_null(Contracts::EndsOn))
                .col(string(Contracts::Status))
                .col(text_null(Contracts::Steps))
                .col(integer(Contracts::Round).default(0))
                .col(text_null(Contracts::RejectReason))
                .col(date_null(Contracts::SignedOn))
                .col(string_null(Contracts::Signatory))
                .col(string_null(Contracts::SignMethod))
                .col(integer(Contracts::CreatedBy))
                .col(timestamp_with_time_zone(Contracts::CreatedAt))
                .col(timestamp_with_time_zone(Contracts::UpdatedAt))
                .col(integer(Contracts::Version).default(1))
                .foreign_key(
                    ForeignKey::create()
                        .from(Contracts::Table, Contracts::DealId)
                        .to(Deals::Table, Deals::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_contracts_deal").table(Contracts::Table).col(Contracts::DealId).to_owned()).await?;
        m.create_index(Index::create().name("ix_contracts_status").table(Contracts::Table).col(Contracts::Status).to_owned()).await?;
        m.create_table(
            Table::create()
                .table(ContractMilestones::Table)
                .if_not_exists()
                .col(pk_auto(ContractMilestones::Id))
                .col(integer(ContractMilestones::ContractId))
                .col(integer(ContractMilestones::Position))
                .col(string(ContractMilestones::Name))
                .col(date_null(ContractMilestones::DueOn))
                .col(text_null(ContractMilestones::TriggerText))
                .col(string(ContractMilestones::ShareKind))
                .col(big_integer(ContractMilestones::ShareValue))
                .col(big_integer(ContractMilestones::AmountFen))
                .col(big_integer(ContractMilestones::ReceivedFen).default(0))
                .foreign_key(
                    ForeignKey::create()
                        .from(ContractMilestones::Table, ContractMilestones::ContractId)
                        .to(Contracts::Table, Contracts::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_contract_milestones_contract")
                .table(ContractMilestones::Table)
                .col(ContractMilestones::ContractId)
                .col(ContractMilestones::Position)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ContractReceipts::Table)
                .if_not_exists()
                .col(pk_auto(ContractReceipts::Id))
                .col(uuid_uniq(ContractReceipts::Uuid))
                .col(integer(ContractReceipts::ContractId))
                .col(integer(ContractReceipts::MilestoneId))
                .col(date(ContractReceipts::ReceivedOn))
                .col(big_integer(ContractReceipts::AmountFen))
                .col(text_null(ContractReceipts::Reference))
                .col(integer(ContractReceipts::CreatedBy))
                .col(timestamp_with_time_zone(ContractReceipts::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(ContractReceipts::Table, ContractReceipts::MilestoneId)
                        .to(ContractMilestones::Table, ContractMilestones::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_contract_receipts_contract")
                .table(ContractReceipts::Table)
                .col(ContractReceipts::ContractId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ContractChainRules::Table)
                .if_not_exists()
                .col(pk_auto(ContractChainRules::Id))
                .col(string_null(ContractChainRules::ContractType))
                .col(big_integer(ContractChainRules::MinAmountFen))
                .col(text(ContractChainRules::Steps))
                .to_owned(),
        )
        .await?;
        m.alter_table(Table::alter().table(Approvals::Table).add_column(integer_null(Approvals::ContractId)).to_owned()).await?;
        m.alter_table(Table::alter().table(Approvals::Table).add_column(integer_null(Approvals::Step)).to_owned()).await?;
        m.alter_table(Table::alter().table(Approvals::Table).add_column(integer_null(Approvals::Round)).to_owned()).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for c in [Approvals::Round, Approvals::Step, Approvals::ContractId] {
            m.alter_table(Table::alter().table(Approvals::Table).drop_column(c).to_owned()).await?;
        }
        for t in ["contract_chain_rules", "contract_receipts", "contract_milestones", "contracts", "contract_seq"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
