use sea_orm::entity::prelude::*;

/// One grading of an account: what was answered, what the rule suggested, what was chosen.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account_grades")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub account_id: i32,
    /// The grade chosen (`account::Grade` code).
    pub grade: String,
    /// The rule's suggestion.
    pub suggested: String,
    /// The questionnaire as JSON (`grading::Answers`).
    pub answers: String,
    /// The answers that decided the suggestion: a JSON list of `grading::Reason` codes.
    pub reasons: String,
    /// Why the chosen grade differs from the suggestion.
    pub override_reason: Option<String>,
    pub decided_by: i32,
    pub decided_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
