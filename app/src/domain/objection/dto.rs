//! Objection wire types: what the deal tab, the server functions and REST exchange.
use super::{Category, ObjectionInput, Status};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectionRow {
    pub id: uuid::Uuid,
    pub deal_id: uuid::Uuid,
    pub raised_on: NaiveDate,
    pub category: Category,
    pub raised_by: Option<uuid::Uuid>,
    pub raised_by_name: Option<String>,
    pub said: String,
    pub demand: Option<String>,
    pub strategy: Option<String>,
    pub owner_id: uuid::Uuid,
    pub owner: String,
    pub due_on: Option<NaiveDate>,
    pub resolved_on: Option<NaiveDate>,
    pub feedback: Option<String>,
    pub status: Status,
    /// Unresolved past its due date (today in the company's time zone).
    pub overdue: bool,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

impl ObjectionRow {
    /// The row as the form edits it.
    pub fn input(&self) -> ObjectionInput {
        ObjectionInput {
            raised_on: self.raised_on,
            category: self.category,
            raised_by: self.raised_by,
            said: self.said.clone(),
            demand: self.demand.clone(),
            strategy: self.strategy.clone(),
            owner: Some(self.owner_id),
            due_on: self.due_on,
        }
    }
}

/// The deal's objections and whether the viewer may log and change them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DealObjections {
    pub rows: Vec<ObjectionRow>,
    pub can_edit: bool,
}

/// An overdue objection in "My tasks".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectionTask {
    pub id: uuid::Uuid,
    pub deal_id: uuid::Uuid,
    pub deal_name: String,
    pub category: Category,
    pub said: String,
    pub due_on: NaiveDate,
}
