use sea_orm::entity::prelude::*;

/// One administrative act (migration 000021). Written by `service::admin::audit` only.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "admin_audit")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub at: DateTimeUtc,
    pub actor_id: i32,
    /// `domain::admin::AuditAction` code.
    pub action: String,
    /// "user" or "team".
    pub subject_kind: String,
    pub subject_id: Option<Uuid>,
    /// The subject's name (and e-mail) when the act was done.
    pub subject_label: String,
    /// JSON of the subject before and after (never a password or its hash).
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
