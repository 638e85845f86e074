use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contract_chain_rules")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// `ContractType` code; None: every type.
    pub contract_type: Option<String>,
    pub min_amount_fen: i64,
    /// JSON list of `Approver` codes.
    pub steps: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
