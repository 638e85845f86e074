//! The deal room: the buying-committee map, presales checklists (templates and copies on
//! deals), activities with follow-up tasks, comments and the notifications they raise.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Deals {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Contacts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum DealContacts {
    Table,
    DealId,
    ContactId,
    ReportsToContactId,
    Role,
    InfluencePct,
    Attitude,
    Relationship,
    LastContact,
    Version,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ChecklistTemplates {
    Table,
    Id,
    Code,
    Kind,
    NameEn,
    NameZh,
    Version,
}

#[derive(DeriveIden)]
enum ChecklistTemplateItems {
    Table,
    Id,
    TemplateId,
    Position,
    Code,
    TextEn,
    TextZh,
    HintEn,
    HintZh,
    Minutes,
}

#[derive(DeriveIden)]
enum DealChecklists {
    Table,
    Id,
    Uuid,
    DealId,
    TemplateId,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum DealChecklistItems {
    Table,
    Id,
    ChecklistId,
    Position,
    TextEn,
    TextZh,
    Done,
    DoneBy,
    DoneAt,
    OwnerId,
    Due,
    Note,
    Link,
    Version,
}

#[derive(DeriveIden)]
enum Activities {
    Table,
    Id,
    Uuid,
    DealId,
    Kind,
    At,
    AllDay,
    RecordedAt,
    AuthorId,
    Channel,
    People,
    Summary,
    Satisfaction,
    NewNeeds,
    NextAction,
    NextOwnerId,
    NextDue,
    NextDone,
    Late,
    Version,
}

#[derive(DeriveIden)]
enum Comments {
    Table,
    Id,
    Uuid,
    DealId,
    AuthorId,
    Body,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    UserId,
    DealId,
    CommentId,
    Kind,
    Text,
    CreatedAt,
    ReadAt,
}

fn fk_deal(from: (impl IntoIden, impl IntoIden)) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from.0, from.1).to(Deals::Table, Deals::Id).on_delete(ForeignKeyAction::Cascade).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(DealContacts::Table)
                .if_not_exists()
                .col(integer(DealContacts::DealId))
                .col(integer(DealContacts::ContactId))
                // No FK to contacts for reports_to: the whole map is replaced in one write and
                // the domain validates references before anything is stored.
                .col(integer_null(DealContacts::ReportsToContactId))
                .col(string_null(DealContacts::Role))
                .col(integer(DealContacts::InfluencePct).default(0))
                .col(string(DealContacts::Attitude).default("neutral"))
                .col(small_integer(DealContacts::Relationship).default(3))
                .col(date_null(DealContacts::LastContact))
                .col(integer(DealContacts::Version).default(1))
                .col(timestamp_with_time_zone(DealContacts::UpdatedAt))
                .primary_key(Index::create().col(DealContacts::DealId).col(DealContacts::ContactId))
                .foreign_key(&mut fk_deal((DealContacts::Table, DealContacts::DealId)))
                .foreign_key(
                    ForeignKey::create()
                        .from(DealContacts::Table, DealContacts::ContactId)
                        .to(Contacts::Table, Contacts::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ChecklistTemplates::Table)
                .if_not_exists()
                .col(pk_auto(ChecklistTemplates::Id))
                .col(string_uniq(ChecklistTemplates::Code))
                .col(string(ChecklistTemplates::Kind))
                .col(string(ChecklistTemplates::NameEn))
                .col(string(ChecklistTemplates::NameZh))
                .col(integer(ChecklistTemplates::Version).default(1))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ChecklistTemplateItems::Table)
                .if_not_exists()
                .col(pk_auto(ChecklistTemplateItems::Id))
                .col(integer(ChecklistTemplateItems::TemplateId))
                .col(integer(ChecklistTemplateItems::Position))
                .col(string(ChecklistTemplateItems::Code))
                .col(string(ChecklistTemplateItems::TextEn))
                .col(string(ChecklistTemplateItems::TextZh))
                .col(string(ChecklistTemplateItems::HintEn))
                .col(string(ChecklistTemplateItems::HintZh))
                .col(integer_null(ChecklistTemplateItems::Minutes))
                .foreign_key(
                    ForeignKey::create()
                        .from(ChecklistTemplateItems::Table, ChecklistTemplateItems::TemplateId)
                        .to(ChecklistTemplates::Table, ChecklistTemplates::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(DealChecklists::Table)
                .if_not_exists()
                .col(pk_auto(DealChecklists::Id))
                .col(uuid_uniq(DealChecklists::Uuid))
                .col(integer(DealChecklists::DealId))
                .col(integer(DealChecklists::TemplateId))
                .col(integer(DealChecklists::CreatedBy))
                .col(timestamp_with_time_zone(DealChecklists::CreatedAt))
                .foreign_key(&mut fk_deal((DealChecklists::Table, DealChecklists::DealId)))
                .foreign_key(
                    ForeignKey::create()
                        .from(DealChecklists::Table, DealChecklists::TemplateId)
                        .to(ChecklistTemplates::Table, ChecklistTemplates::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_deal_checklists_deal").table(DealChecklists::Table).col(DealChecklists::DealId).to_owned())
            .await?;
        m.create_table(
            Table::create()
                .table(DealChecklistItems::Table)
                .if_not_exists()
                .col(pk_auto(DealChecklistItems::Id))
                .col(integer(DealChecklistItems::ChecklistId))
                .col(integer(DealChecklistItems::Position))
                .col(string(DealChecklistItems::TextEn))
                .col(string(DealChecklistItems::TextZh))
                .col(boolean(DealChecklistItems::Done).default(false))
                .col(integer_null(DealChecklistItems::DoneBy))
                .col(timestamp_with_time_zone_null(DealChecklistItems::DoneAt))
                .col(integer_null(DealChecklistItems::OwnerId))
                .col(date_null(DealChecklistItems::Due))
                .col(text_null(DealChecklistItems::Note))
                .col(string_null(DealChecklistItems::Link))
                .col(integer(DealChecklistItems::Version).default(1))
                .foreign_key(
                    ForeignKey::create()
                        .from(DealChecklistItems::Table, DealChecklistItems::ChecklistId)
                        .to(DealChecklists::Table, DealChecklists::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_checklist_items_list")
                .table(DealChecklistItems::Table)
                .col(DealChecklistItems::ChecklistId)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_checklist_items_owner").table(DealChecklistItems::Table).col(DealChecklistItems::OwnerId).to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Activities::Table)
                .if_not_exists()
                .col(pk_auto(Activities::Id))
                .col(uuid_uniq(Activities::Uuid))
                .col(integer(Activities::DealId))
                .col(string(Activities::Kind))
                .col(timestamp_with_time_zone(Activities::At))
                // Only the (local) day is known; `at` is then that day's local midnight.
                .col(boolean(Activities::AllDay).default(false))
                .col(timestamp_with_time_zone(Activities::RecordedAt))
                .col(integer(Activities::AuthorId))
                .col(string_null(Activities::Channel))
                .col(string_null(Activities::People))
                .col(text(Activities::Summary))
                .col(small_integer_null(Activities::Satisfaction))
                .col(text_null(Activities::NewNeeds))
                .col(text_null(Activities::NextAction))
                .col(integer_null(Activities::NextOwnerId))
                .col(date_null(Activities::NextDue))
                .col(boolean(Activities::NextDone).default(false))
                .col(boolean(Activities::Late).default(false))
                .col(integer(Activities::Version).default(1))
                .foreign_key(&mut fk_deal((Activities::Table, Activities::DealId)))
                .foreign_key(ForeignKey::create().from(Activities::Table, Activities::AuthorId).to(Users::Table, Users::Id))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_activities_deal").table(Activities::Table).col(Activities::DealId).to_owned()).await?;
        m.create_index(Index::create().name("ix_activities_next_owner").table(Activities::Table).col(Activities::NextOwnerId).to_owned())
            .await?;

        m.create_table(
            Table::create()
                .table(Comments::Table)
                .if_not_exists()
                .col(pk_auto(Comments::Id))
                .col(uuid_uniq(Comments::Uuid))
                .col(integer(Comments::DealId))
                .col(integer(Comments::AuthorId))
                .col(text(Comments::Body))
                .col(timestamp_with_time_zone(Comments::CreatedAt))
                .foreign_key(&mut fk_deal((Comments::Table, Comments::DealId)))
                .foreign_key(ForeignKey::create().from(Comments::Table, Comments::AuthorId).to(Users::Table, Users::Id))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_comments_deal").table(Comments::Table).col(Comments::DealId).to_owned()).await?;

        m.create_table(
            Table::create()
                .table(Notifications::Table)
                .if_not_exists()
                .col(pk_auto(Notifications::Id))
                .col(integer(Notifications::UserId))
                .col(integer(Notifications::DealId))
                .col(integer_null(Notifications::CommentId))
                .col(string(Notifications::Kind))
                .col(text(Notifications::Text))
                .col(timestamp_with_time_zone(Notifications::CreatedAt))
                .col(timestamp_with_time_zone_null(Notifications::ReadAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Notifications::Table, Notifications::UserId)
                        .to(Users::Table, Users::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(&mut fk_deal((Notifications::Table, Notifications::DealId)))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_notifications_user").table(Notifications::Table).col(Notifications::UserId).to_owned())
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Notifications::Table.into_iden(),
            Comments::Table.into_iden(),
            Activities::Table.into_iden(),
            DealChecklistItems::Table.into_iden(),
            DealChecklists::Table.into_iden(),
            ChecklistTemplateItems::Table.into_iden(),
            ChecklistTemplates::Table.into_iden(),
            DealContacts::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
