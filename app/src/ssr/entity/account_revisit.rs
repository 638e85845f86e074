use sea_orm::entity::prelude::*;

/// One revisit of an account (客户回访记录, seed 003 table 7).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account_revisits")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub uuid: Uuid,
    pub account_id: i32,
    pub visited_on: Date,
    /// `revisit::Channel` code.
    pub channel: String,
    pub visitor_id: i32,
    pub contact_name: Option<String>,
    pub feedback: String,
    /// 1 (very dissatisfied) to 5 (very satisfied).
    pub satisfaction: i16,
    pub new_needs: Option<String>,
    pub follow_up: Option<String>,
    pub follow_up_owner_id: Option<i32>,
    pub follow_up_due: Option<Date>,
    pub next_visit_on: Option<Date>,
    /// The delivery follow-up this revisit closed, if any.
    pub follow_up_of: Option<i32>,
    /// For a delivery follow-up: whether the customer confirmed acceptance.
    pub accepted: Option<bool>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
