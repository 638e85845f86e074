use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deal_key_info")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub deal_id: i32,
    /// `domain::keyinfo::KeyInfo` as JSON.
    pub data: String,
    /// Complete sections, 0–6.
    pub complete: i16,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
