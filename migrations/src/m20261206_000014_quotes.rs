//! Quotes: the price list (products), the quote policy (approval thresholds, default tax
//! rates), a per-year number sequence, quotes with their lines (each a snapshot of the
//! product it came from, so a changed price list never changes a quote) and the link from an
//! approval request to the quote it decides.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Deals {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
    Uuid,
    Code,
    NameEn,
    NameZh,
    Kind,
    UnitEn,
    UnitZh,
    Currency,
    ListPriceFen,
    TaxBp,
    CostFen,
    Active,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum QuotePolicy {
    Table,
    Id,
    ManagerMaxDiscountBp,
    MarginFloorBp,
    GoodsTaxBp,
    ServicesTaxBp,
    ValidityDays,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum QuoteSeq {
    Table,
    Year,
    Last,
}

#[derive(DeriveIden)]
enum Quotes {
    Table,
    Id,
    Uuid,
    DealId,
    Year,
    Seq,
    Revision,
    Number,
    BaseNumber,
    Status,
    ContactId,
    Currency,
    ValidUntil,
    PaymentTerms,
    DeliveryTerms,
    Notes,
    HeaderDiscountKind,
    HeaderDiscountValue,
    ListFen,
    LinesNetFen,
    HeaderDiscountFen,
    NetFen,
    TaxFen,
    GrossFen,
    CostFen,
    MarginFen,
    MarginBp,
    DiscountBp,
    Approver,
    Reasons,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    SubmittedAt,
    DecidedAt,
    SentAt,
    ClosedAt,
    Version,
}

#[derive(DeriveIden)]
enum QuoteLines {
    Table,
    Id,
    QuoteId,
    Position,
    ProductId,
    Code,
    Description,
    Unit,
    QtyCenti,
    UnitPriceFen,
    ListPriceFen,
    DiscountBp,
    TaxBp,
    CostFen,
    NetFen,
    TaxFen,
    GrossFen,
}

#[derive(DeriveIden)]
enum Approvals {
    Table,
    QuoteId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Products::Table)
                .if_not_exists()
                .col(pk_auto(Products::Id))
                .col(uuid_uniq(Products::Uuid))
                .col(string_uniq(Products::Code))
                .col(string(Products::NameEn))
                .col(string(Products::NameZh))
                .col(string(Products::Kind))
                .col(string(Products::UnitEn))
                .col(string(Products::UnitZh))
                .col(string(Products::Currency).default("CNY"))
                .col(big_integer(Products::ListPriceFen))
                .col(integer(Products::TaxBp))
                .col(big_integer(Products::CostFen).default(0))
                .col(boolean(Products::Active).default(true))
                .col(timestamp_with_time_zone(Products::CreatedAt))
                .col(timestamp_with_time_zone(Products::UpdatedAt))
                .col(integer(Products::Version).default(1))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(QuotePolicy::Table)
                .if_not_exists()
                .col(pk_auto(QuotePolicy::Id))
                .col(integer(QuotePolicy::ManagerMaxDiscountBp))
                .col(integer(QuotePolicy::MarginFloorBp))
                .col(integer(QuotePolicy::GoodsTaxBp))
                .col(integer(QuotePolicy::ServicesTaxBp))
                .col(integer(QuotePolicy::ValidityDays))
                .col(timestamp_with_time_zone(QuotePolicy::UpdatedAt))
                .col(integer(QuotePolicy::Version).default(1))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(QuoteSeq::Table)
                .if_not_exists()
                .col(integer(QuoteSeq::Year).primary_key())
                .col(big_integer(QuoteSeq::Last))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Quotes::Table)
                .if_not_exists()
                .col(pk_auto(Quotes::Id))
                .col(uuid_uniq(Quotes::Uuid))
                .col(integer(Quotes::DealId))
                .col(integer(Quotes::Year))
                .col(big_integer(Quotes::Seq))
                .col(integer(Quotes::Revision))
                .col(string_uniq(Quotes::Number))
                .col(string(Quotes::BaseNumber))
                .col(string(Quotes::Status))
                .col(integer_null(Quotes::ContactId))
                .col(string(Quotes::Currency).default("CNY"))
                .col(date(Quotes::ValidUntil))
                .col(text_null(Quotes::PaymentTerms))
                .col(text_null(Quotes::DeliveryTerms))
                .col(text_null(Quotes::Notes))
                .col(string(Quotes::HeaderDiscountKind).default("none"))
                .col(big_integer(Quotes::HeaderDiscountValue).default(0))
                .col(big_integer(Quotes::ListFen).default(0))
                .col(big_integer(Quotes::LinesNetFen).default(0))
                .col(big_integer(Quotes::HeaderDiscountFen).default(0))
                .col(big_integer(Quotes::NetFen).default(0))
                .col(big_integer(Quotes::TaxFen).default(0))
                .col(big_integer(Quotes::GrossFen).default(0))
                .col(big_integer(Quotes::CostFen).default(0))
                .col(big_integer(Quotes::MarginFen).default(0))
                .col(big_integer(Quotes::MarginBp).default(0))
                .col(big_integer(Quotes::DiscountBp).default(0))
                .col(string_null(Quotes::Approver))
                .col(text_null(Quotes::Reasons))
                .col(integer(Quotes::CreatedBy))
                .col(timestamp_with_time_zone(Quotes::CreatedAt))
                .col(timestamp_with_time_zone(Quotes::UpdatedAt))
                .col(timestamp_with_time_zone_null(Quotes::SubmittedAt))
                .col(timestamp_with_time_zone_null(Quotes::DecidedAt))
                .col(timestamp_with_time_zone_null(Quotes::SentAt))
                .col(timestamp_with_time_zone_null(Quotes::ClosedAt))
                .col(integer(Quotes::Version).default(1))
                .foreign_key(
                    ForeignKey::create()
                        .from(Quotes::Table, Quotes::DealId)
                        .to(Deals::Table, Deals::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(Index::create().name("ix_quotes_deal").table(Quotes::Table).col(Quotes::DealId).col(Quotes::Id).to_owned()).await?;
        // One live revision per quote: every older revision is superseded.
        m.get_connection()
            .execute_unprepared("CREATE UNIQUE INDEX ux_quotes_live ON quotes (base_number) WHERE status <> 'superseded'")
            .await?;
        m.create_table(
            Table::create()
                .table(QuoteLines::Table)
                .if_not_exists()
                .col(pk_auto(QuoteLines::Id))
                .col(integer(QuoteLines::QuoteId))
                .col(integer(QuoteLines::Position))
                .col(integer_null(QuoteLines::ProductId))
                .col(string_null(QuoteLines::Code))
                .col(text(QuoteLines::Description))
                .col(string(QuoteLines::Unit))
                .col(big_integer(QuoteLines::QtyCenti))
                .col(big_integer(QuoteLines::UnitPriceFen))
                .col(big_integer(QuoteLines::ListPriceFen))
                .col(integer(QuoteLines::DiscountBp))
                .col(integer(QuoteLines::TaxBp))
                .col(big_integer(QuoteLines::CostFen))
                .col(big_integer(QuoteLines::NetFen))
                .col(big_integer(QuoteLines::TaxFen))
                .col(big_integer(QuoteLines::GrossFen))
                .foreign_key(
                    ForeignKey::create()
                        .from(QuoteLines::Table, QuoteLines::QuoteId)
                        .to(Quotes::Table, Quotes::Id)
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_quote_lines_quote")
                .table(QuoteLines::Table)
                .col(QuoteLines::QuoteId)
                .col(QuoteLines::Position)
                .to_owned(),
        )
        .await?;
        m.alter_table(Table::alter().table(Approvals::Table).add_column(integer_null(Approvals::QuoteId)).to_owned()).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Approvals::Table).drop_column(Approvals::QuoteId).to_owned()).await?;
        for t in ["quote_lines", "quotes", "quote_seq", "quote_policy", "products"] {
            m.drop_table(Table::drop().table(Alias::new(t)).to_owned()).await?;
        }
        Ok(())
    }
}
