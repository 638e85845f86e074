//! Spreadsheet imports: `import_jobs` (one per uploaded file: kind, mapping, status and the
//! progress counters a reloaded page reads back), `import_files` (the upload itself, apart so
//! that polling the progress never reads it; in the database, so any app server on one
//! PostgreSQL can run the job) and `import_rejects` (each refused row with its cells and why,
//! for the preview and the result file).
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ImportJobs {
    Table,
    Id,
    Uuid,
    UserId,
    Kind,
    Format,
    FileName,
    Status,
    Mode,
    Headers,
    Mapping,
    TotalRows,
    Processed,
    Imported,
    Rejected,
    Error,
    CreatedAt,
    UpdatedAt,
    FinishedAt,
}

#[derive(DeriveIden)]
enum ImportFiles {
    Table,
    JobId,
    Bytes,
}

#[derive(DeriveIden)]
enum ImportRejects {
    Table,
    Id,
    JobId,
    Line,
    Cells,
    Field,
    Problem,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(ImportJobs::Table)
                .if_not_exists()
                .col(pk_auto(ImportJobs::Id))
                .col(uuid_uniq(ImportJobs::Uuid))
                .col(integer(ImportJobs::UserId))
                .col(string(ImportJobs::Kind))
                .col(string(ImportJobs::Format))
                .col(string(ImportJobs::FileName))
                .col(string(ImportJobs::Status))
                .col(string_null(ImportJobs::Mode))
                .col(text(ImportJobs::Headers))
                .col(text(ImportJobs::Mapping))
                .col(big_integer(ImportJobs::TotalRows).default(0))
                .col(big_integer(ImportJobs::Processed).default(0))
                .col(big_integer(ImportJobs::Imported).default(0))
                .col(big_integer(ImportJobs::Rejected).default(0))
                .col(text_null(ImportJobs::Error))
                .col(timestamp_with_time_zone(ImportJobs::CreatedAt))
                .col(timestamp_with_time_zone(ImportJobs::UpdatedAt))
                .col(timestamp_with_time_zone_null(ImportJobs::FinishedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_import_jobs_user").table(ImportJobs::Table).col(ImportJobs::UserId).col(ImportJobs::Id).to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ImportFiles::Table)
                .if_not_exists()
                .col(integer(ImportFiles::JobId).primary_key())
                .col(blob(ImportFiles::Bytes))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ImportRejects::Table)
                .if_not_exists()
                .col(pk_auto(ImportRejects::Id))
                .col(integer(ImportRejects::JobId))
                .col(integer(ImportRejects::Line))
                .col(text(ImportRejects::Cells))
                .col(string_null(ImportRejects::Field))
                .col(text(ImportRejects::Problem))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_import_rejects_job")
                .table(ImportRejects::Table)
                .col(ImportRejects::JobId)
                .col(ImportRejects::Line)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(ImportRejects::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(ImportFiles::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(ImportJobs::Table).to_owned()).await?;
        Ok(())
    }
}
