use sea_orm::entity::prelude::*;

/// A line as quoted: code, description, unit, prices and cost are copied from the product
/// when the line is written, so later price-list changes never reach it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "quote_lines")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub quote_id: i32,
    pub position: i32,
    pub product_id: Option<i32>,
    pub code: Option<String>,
    pub description: String,
    pub unit: String,
    pub qty_centi: i64,
    pub unit_price_fen: i64,
    pub list_price_fen: i64,
    pub discount_bp: i32,
    pub tax_bp: i32,
    pub cost_fen: i64,
    pub net_fen: i64,
    pub tax_fen: i64,
    pub gross_fen: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
