use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stage_transitions")]
pub struct Model {
    pub pipeline_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub from_stage_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub to_stage_id: i32,
    /// allow | forbid | approval
    pub policy: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
