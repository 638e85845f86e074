use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "products")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub uuid: Uuid,
    pub code: String,
    pub name_en: String,
    pub name_zh: String,
    /// `product::ProductKind` code
    pub kind: String,
    pub unit_en: String,
    pub unit_zh: String,
    pub currency: String,
    pub list_price_fen: i64,
    pub tax_bp: i32,
    pub cost_fen: i64,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
