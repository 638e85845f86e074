use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Stages {
    Table,
    Id,
}
#[derive(DeriveIden)]
enum Pipelines {
    Table,
    Id,
}
#[derive(DeriveIden)]
enum Deals {
    Table,
    Id,
}
#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum DealHistory {
    Table,
    ApprovalId,
}

#[derive(DeriveIden)]
enum StageRequirements {
    Table,
    StageId,
    Code,
}

#[derive(DeriveIden)]
enum StageTransitions {
    Table,
    PipelineId,
    FromStageId,
    ToStageId,
    Policy,
}

#[derive(DeriveIden)]
enum DealKeyInfo {
    Table,
    DealId,
    Data,
    Complete,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Approvals {
    Table,
    Id,
    Uuid,
    DealId,
    Kind,
    RequestedBy,
    ApproverId,
    FromStageId,
    ToStageId,
    Reason,
    Status,
    DecidedBy,
    DecidedAt,
    Comment,
    Result,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Entry requirements of a stage, by requirement code (`key_info.budget`, …).
        m.create_table(
            Table::create()
                .table(StageRequirements::Table)
                .if_not_exists()
                .col(integer(StageRequirements::StageId))
                .col(string(StageRequirements::Code))
                .primary_key(Index::create().col(StageRequirements::StageId).col(StageRequirements::Code))
                .foreign_key(
                    ForeignKey::create()
                        .from(StageRequirements::Table, StageRequirements::StageId)
                        .to(Stages::Table, Stages::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        // Explicit (from, to) policies; pairs not listed follow the default table.
        m.create_table(
            Table::create()
                .table(StageTransitions::Table)
                .if_not_exists()
                .col(integer(StageTransitions::PipelineId))
                .col(integer(StageTransitions::FromStageId))
                .col(integer(StageTransitions::ToStageId))
                .col(string(StageTransitions::Policy))
                .primary_key(Index::create().col(StageTransitions::FromStageId).col(StageTransitions::ToStageId))
                .foreign_key(
                    ForeignKey::create()
                        .from(StageTransitions::Table, StageTransitions::PipelineId)
                        .to(Pipelines::Table, Pipelines::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(StageTransitions::Table, StageTransitions::FromStageId)
                        .to(Stages::Table, Stages::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(StageTransitions::Table, StageTransitions::ToStageId)
                        .to(Stages::Table, Stages::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_stage_transitions_pipeline")
                .table(StageTransitions::Table)
                .col(StageTransitions::PipelineId)
                .to_owned(),
        )
        .await?;
        // The six key-information sections as one JSON document per deal, with the number of
        // complete sections kept beside it for cards and filters.
        m.create_table(
            Table::create()
                .table(DealKeyInfo::Table)
                .if_not_exists()
                .col(integer(DealKeyInfo::DealId).primary_key())
                .col(text(DealKeyInfo::Data))
                .col(small_integer(DealKeyInfo::Complete).default(0))
                .col(timestamp_with_time_zone(DealKeyInfo::UpdatedAt))
                .col(integer(DealKeyInfo::Version).default(1))
                .foreign_key(
                    ForeignKey::create()
                        .from(DealKeyInfo::Table, DealKeyInfo::DealId)
                        .to(Deals::Table, Deals::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Approvals::Table)
                .if_not_exists()
                .col(pk_auto(Approvals::Id))
                .col(uuid_uniq(Approvals::Uuid))
                .col(integer(Approvals::DealId))
                .col(string(Approvals::Kind))
                .col(integer(Approvals::RequestedBy))
                .col(integer_null(Approvals::ApproverId))
                .col(integer_null(Approvals::FromStageId))
                .col(integer_null(Approvals::ToStageId))
                .col(text_null(Approvals::Reason))
                .col(string(Approvals::Status))
                .col(integer_null(Approvals::DecidedBy))
                .col(timestamp_with_time_zone_null(Approvals::DecidedAt))
                .col(text_null(Approvals::Comment))
                .col(string_null(Approvals::Result))
                .col(timestamp_with_time_zone(Approvals::CreatedAt))
                .col(timestamp_with_time_zone(Approvals::UpdatedAt))
                .col(integer(Approvals::Version).default(1))
                .foreign_key(
                    ForeignKey::create()
                        .from(Approvals::Table, Approvals::DealId)
                        .to(Deals::Table, Deals::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(ForeignKey::create().from(Approvals::Table, Approvals::RequestedBy).to(Users::Table, Users::Id))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_approvals_approver")
                .table(Approvals::Table)
                .col(Approvals::ApproverId)
                .col(Approvals::Status)
                .to_owned(),
        )
        .await?;
        // Which approval allowed a move (history rows stay append-only; this is set at insert).
        m.alter_table(Table::alter().table(DealHistory::Table).add_column(integer_null(DealHistory::ApprovalId)).to_owned()).await?;
        m.create_index(
            Index::create().name("ix_approvals_deal").table(Approvals::Table).col(Approvals::DealId).col(Approvals::Status).to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(DealHistory::Table).drop_column(DealHistory::ApprovalId).to_owned()).await?;
        for t in [
            Approvals::Table.into_iden(),
            DealKeyInfo::Table.into_iden(),
            StageTransitions::Table.into_iden(),
            StageRequirements::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned()).await?;
        }
        Ok(())
    }
}
