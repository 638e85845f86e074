//! User administration: `users.must_change_password` (set when an admin resets a password;
//! the user may do nothing but choose a new one until it is cleared) and `admin_audit`, one row
//! per administrative act — who, what, when, and the subject before and after as JSON.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    MustChangePassword,
}

#[derive(DeriveIden)]
enum AdminAudit {
    Table,
    Id,
    At,
    ActorId,
    Action,
    SubjectKind,
    SubjectId,
    SubjectLabel,
    Before,
    After,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Users::Table).add_column(boolean(Users::MustChangePassword).default(false)).to_owned()).await?;
        m.create_table(
            Table::create()
                .table(AdminAudit::Table)
                .if_not_exists()
                .col(pk_auto(AdminAudit::Id))
                .col(timestamp_with_time_zone(AdminAudit::At))
                .col(integer(AdminAudit::ActorId))
                .col(string(AdminAudit::Action))
                .col(string(AdminAudit::SubjectKind))
                .col(uuid_null(AdminAudit::SubjectId))
                .col(string(AdminAudit::SubjectLabel))
                .col(text_null(AdminAudit::Before))
                .col(text_null(AdminAudit::After))
                .to_owned(),
        )
        .await?;
        // Newest first, paged by id: the primary key serves the list; the subject's index
        // serves "what happened to this user".
        m.create_index(
            Index::create()
                .name("ix_admin_audit_subject")
                .table(AdminAudit::Table)
                .col(AdminAudit::SubjectId)
                .col(AdminAudit::Id)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(AdminAudit::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(Users::Table).drop_column(Users::MustChangePassword).to_owned()).await?;
        Ok(())
    }
}
