use sea_orm::entity::prelude::*;

/// One person on a deal's buying-committee map; names live on the contact.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "deal_contacts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub deal_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub contact_id: i32,
    pub reports_to_contact_id: Option<i32>,
    /// `committee::ContactRole` code
    pub role: Option<String>,
    pub influence_pct: i32,
    /// `committee::Attitude` code
    pub attitude: String,
    pub relationship: i16,
    pub last_contact: Option<Date>,
    pub version: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
