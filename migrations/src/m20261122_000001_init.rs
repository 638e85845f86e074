use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Teams {
    Table,
    Id,
    Uuid,
    Name,
    ManagerId,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Uuid,
    Email,
    Name,
    PasswordHash,
    Role,
    TeamId,
    Locale,
    Active,
    StartedOn,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    Data,
    ExpiryDate,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    Uuid,
    Name,
    Industry,
    Headcount,
    RevenueFen,
    City,
    OwnerId,
    TeamId,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Contacts {
    Table,
    Id,
    Uuid,
    AccountId,
    Name,
    Title,
    Department,
    Phone,
    Email,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Pipelines {
    Table,
    Id,
    Uuid,
    Code,
    NameEn,
    NameZh,
    IsDefault,
    Position,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Stages {
    Table,
    Id,
    Uuid,
    PipelineId,
    Position,
    NameEn,
    NameZh,
    WinRatePct,
    Kind,
    PlaybookEn,
    PlaybookZh,
    StuckDays,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Deals {
    Table,
    Id,
    Uuid,
    Name,
    AccountId,
    OwnerId,
    TeamId,
    PipelineId,
    StageId,
    AmountFen,
    Currency,
    CloseDate,
    ForecastCategory,
    LostReason,
    Winner,
    StageEnteredAt,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum DealMembers {
    Table,
    DealId,
    UserId,
    Role,
    CreatedAt,
}

#[derive(DeriveIden)]
enum DealHistory {
    Table,
    Id,
    DealId,
    At,
    ActorId,
    Kind,
    FromStageId,
    ToStageId,
    OldAmountFen,
    NewAmountFen,
    OldCloseDate,
    NewCloseDate,
    Note,
}

fn stamps(t: &mut TableCreateStatement, c: impl IntoIden, u: impl IntoIden, v: impl IntoIden) {
    t.col(timestamp_with_time_zone(c)).col(timestamp_with_time_zone(u)).col(integer(v).default(1));
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // teams.manager_id has no FK: teams and users reference each other and SQLite
        // cannot add a constraint after the fact. The team service keeps it consistent.
        let mut t = Table::create();
        t.table(Teams::Table)
            .if_not_exists()
            .col(pk_auto(Teams::Id))
            .col(uuid_uniq(Teams::Uuid))
            .col(string_uniq(Teams::Name))
            .col(integer_null(Teams::ManagerId));
        stamps(&mut t, Teams::CreatedAt, Teams::UpdatedAt, Teams::Version);
        m.create_table(t).await?;

        let mut t = Table::create();
        t.table(Users::Table)
            .if_not_exists()
            .col(pk_auto(Users::Id))
            .col(uuid_uniq(Users::Uuid))
            .col(string_uniq(Users::Email))
            .col(string(Users::Name))
            .col(string(Users::PasswordHash))
            .col(string(Users::Role))
            .col(integer_null(Users::TeamId))
            .col(string_null(Users::Locale))
            .col(boolean(Users::Active).default(true))
            .col(date_null(Users::StartedOn))
            .foreign_key(ForeignKey::create().from(Users::Table, Users::TeamId).to(Teams::Table, Teams::Id));
        stamps(&mut t, Users::CreatedAt, Users::UpdatedAt, Users::Version);
        m.create_table(t).await?;

        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .if_not_exists()
                .col(string(Sessions::Id).primary_key())
                .col(text(Sessions::Data))
                .col(timestamp_with_time_zone(Sessions::ExpiryDate))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_sessions_expiry").table(Sessions::Table).col(Sessions::ExpiryDate).to_owned()).await?;

        let mut t = Table::create();
        t.table(Accounts::Table)
            .if_not_exists()
            .col(pk_auto(Accounts::Id))
            .col(uuid_uniq(Accounts::Uuid))
            .col(string(Accounts::Name))
            .col(string(Accounts::Industry))
            .col(integer_null(Accounts::Headcount))
            .col(big_integer_null(Accounts::RevenueFen))
            .col(string_null(Accounts::City))
            .col(integer(Accounts::OwnerId))
            .col(integer(Accounts::TeamId))
            .foreign_key(ForeignKey::create().from(Accounts::Table, Accounts::OwnerId).to(Users::Table, Users::Id))
            .foreign_key(ForeignKey::create().from(Accounts::Table, Accounts::TeamId).to(Teams::Table, Teams::Id));
        stamps(&mut t, Accounts::CreatedAt, Accounts::UpdatedAt, Accounts::Version);
        m.create_table(t).await?;
        m.create_index(
            Index::create().name("ix_accounts_team").table(Accounts::Table).col(Accounts::TeamId).col(Accounts::Name).to_owned(),
        )
        .await?;

        let mut t = Table::create();
        t.table(Contacts::Table)
            .if_not_exists()
            .col(pk_auto(Contacts::Id))
            .col(uuid_uniq(Contacts::Uuid))
            .col(integer(Contacts::AccountId))
            .col(string(Contacts::Name))
            .col(string_null(Contacts::Title))
            .col(string_null(Contacts::Department))
            .col(string_null(Contacts::Phone))
            .col(string_null(Contacts::Email))
            .foreign_key(
                ForeignKey::create()
                    .from(Contacts::Table, Contacts::AccountId)
                    .to(Accounts::Table, Accounts::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            );
        stamps(&mut t, Contacts::CreatedAt, Contacts::UpdatedAt, Contacts::Version);
        m.create_table(t).await?;
        m.create_index(Index::create().name("ix_contacts_account").table(Contacts::Table).col(Contacts::AccountId).to_owned()).await?;

        let mut t = Table::create();
        t.table(Pipelines::Table)
            .if_not_exists()
            .col(pk_auto(Pipelines::Id))
            .col(uuid_uniq(Pipelines::Uuid))
            .col(string_uniq(Pipelines::Code))
            .col(string(Pipelines::NameEn))
            .col(string(Pipelines::NameZh))
            .col(boolean(Pipelines::IsDefault).default(false))
            .col(integer(Pipelines::Position));
        stamps(&mut t, Pipelines::CreatedAt, Pipelines::UpdatedAt, Pipelines::Version);
        m.create_table(t).await?;

        let mut t = Table::create();
        t.table(Stages::Table)
            .if_not_exists()
            .col(pk_auto(Stages::Id))
            .col(uuid_uniq(Stages::Uuid))
            .col(integer(Stages::PipelineId))
            .col(integer(Stages::Position))
            .col(string(Stages::NameEn))
            .col(string(Stages::NameZh))
            .col(integer(Stages::WinRatePct))
            .col(string(Stages::Kind))
            .col(text(Stages::PlaybookEn))
            .col(text(Stages::PlaybookZh))
            .col(integer(Stages::StuckDays))
            .foreign_key(
                ForeignKey::create()
                    .from(Stages::Table, Stages::PipelineId)
                    .to(Pipelines::Table, Pipelines::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            );
        stamps(&mut t, Stages::CreatedAt, Stages::UpdatedAt, Stages::Version);
        m.create_table(t).await?;
        m.create_index(
            Index::create().name("ix_stages_pipeline").table(Stages::Table).col(Stages::PipelineId).col(Stages::Position).to_owned(),
        )
        .await?;

        let mut t = Table::create();
        t.table(Deals::Table)
            .if_not_exists()
            .col(pk_auto(Deals::Id))
            .col(uuid_uniq(Deals::Uuid))
            .col(string(Deals::Name))
            .col(integer(Deals::AccountId))
            .col(integer(Deals::OwnerId))
            .col(integer(Deals::TeamId))
            .col(integer(Deals::PipelineId))
            .col(integer(Deals::StageId))
            .col(big_integer(Deals::AmountFen))
            .col(string_len(Deals::Currency, 3).default("CNY"))
            .col(date(Deals::CloseDate))
            .col(string_null(Deals::ForecastCategory))
            .col(string_null(Deals::LostReason))
            .col(string_null(Deals::Winner))
            .col(timestamp_with_time_zone(Deals::StageEnteredAt))
            .foreign_key(ForeignKey::create().from(Deals::Table, Deals::AccountId).to(Accounts::Table, Accounts::Id))
            .foreign_key(ForeignKey::create().from(Deals::Table, Deals::OwnerId).to(Users::Table, Users::Id))
            .foreign_key(ForeignKey::create().from(Deals::Table, Deals::TeamId).to(Teams::Table, Teams::Id))
            .foreign_key(ForeignKey::create().from(Deals::Table, Deals::PipelineId).to(Pipelines::Table, Pipelines::Id))
            .foreign_key(ForeignKey::create().from(Deals::Table, Deals::StageId).to(Stages::Table, Stages::Id));
        stamps(&mut t, Deals::CreatedAt, Deals::UpdatedAt, Deals::Version);
        m.create_table(t).await?;
        // The board reads a column sorted by close date; visibility filters by team/owner.
        m.create_index(
            Index::create().name("ix_deals_stage_close").table(Deals::Table).col(Deals::StageId).col(Deals::CloseDate).to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_deals_team").table(Deals::Table).col(Deals::TeamId).col(Deals::StageId).to_owned()).await?;
        m.create_index(Index::create().name("ix_deals_owner").table(Deals::Table).col(Deals::OwnerId).to_owned()).await?;
        m.create_index(Index::create().name("ix_deals_account").table(Deals::Table).col(Deals::AccountId).to_owned()).await?;

        m.create_table(
            Table::create()
                .table(DealMembers::Table)
                .if_not_exists()
                .col(integer(DealMembers::DealId))
                .col(integer(DealMembers::UserId))
                .col(string(DealMembers::Role))
                .col(timestamp_with_time_zone(DealMembers::CreatedAt))
                .primary_key(Index::create().col(DealMembers::DealId).col(DealMembers::UserId))
                .foreign_key(
                    ForeignKey::create()
                        .from(DealMembers::Table, DealMembers::DealId)
                        .to(Deals::Table, Deals::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(ForeignKey::create().from(DealMembers::Table, DealMembers::UserId).to(Users::Table, Users::Id))
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_deal_members_user").table(DealMembers::Table).col(DealMembers::UserId).to_owned()).await?;

        // Append-only: the pipeline at any past date is replayed from these rows.
        m.create_table(
            Table::create()
                .table(DealHistory::Table)
                .if_not_exists()
                .col(pk_auto(DealHistory::Id))
                .col(integer(DealHistory::DealId))
                .col(timestamp_with_time_zone(DealHistory::At))
                .col(integer_null(DealHistory::ActorId))
                .col(string(DealHistory::Kind))
                .col(integer_null(DealHistory::FromStageId))
                .col(integer_null(DealHistory::ToStageId))
                .col(big_integer_null(DealHistory::OldAmountFen))
                .col(big_integer_null(DealHistory::NewAmountFen))
                .col(date_null(DealHistory::OldCloseDate))
                .col(date_null(DealHistory::NewCloseDate))
                .col(text_null(DealHistory::Note))
                .foreign_key(
                    ForeignKey::create()
                        .from(DealHistory::Table, DealHistory::DealId)
                        .to(Deals::Table, Deals::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("ix_deal_history_deal").table(DealHistory::Table).col(DealHistory::DealId).col(DealHistory::At).to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_deal_history_at").table(DealHistory::Table).col(DealHistory::At).to_owned()).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            DealHistory::Table.into_iden(),
            DealMembers::Table.into_iden(),
            Deals::Table.into_iden(),
            Stages::Table.into_iden(),
            Pipelines::Table.into_iden(),
            Contacts::Table.into_iden(),
            Accounts::Table.into_iden(),
            Sessions::Table.into_iden(),
            Users::Table.into_iden(),
            Teams::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).if_exists().to_owned()).await?;
        }
        Ok(())
    }
}
