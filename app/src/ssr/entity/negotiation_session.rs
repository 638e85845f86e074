use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "negotiation_sessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub uuid: Uuid,
    pub negotiation_id: i32,
    pub held_on: Date,
    /// Place or channel, in words.
    pub channel: String,
    /// JSON list of contact uuids (people on the committee map).
    pub customer_people: String,
    /// JSON list of user uuids (the deal team).
    pub our_people: String,
    /// JSON list of `negotiation::ClausePosition`.
    pub positions: String,
    pub notes: Option<String>,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
