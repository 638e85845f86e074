use sea_orm::entity::prelude::*;

/// One row: the thresholds that route a quote's approval and the defaults of a new quote.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "quote_policy")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub manager_max_discount_bp: i32,
    pub margin_floor_bp: i32,
    pub goods_tax_bp: i32,
    pub services_tax_bp: i32,
    pub validity_days: i32,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
