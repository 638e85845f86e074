//! tower-sessions store on our own SeaORM pool, so sessions live in the same database
//! (SQLite or PostgreSQL) and survive restarts.
use super::entity::session;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, ExpiredDeletion, Result};
use tower_sessions::SessionStore;

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: DatabaseConnection,
}

impl DbSessionStore {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

fn to_chrono(t: time::OffsetDateTime) -> DateTime<Utc> {
    DateTime::from_timestamp(t.unix_timestamp(), t.nanosecond()).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

fn from_chrono(t: DateTime<Utc>) -> Result<time::OffsetDateTime> {
    time::OffsetDateTime::from_unix_timestamp(t.timestamp()).map_err(|e| Error::Decode(e.to_string()))
}

fn backend(e: sea_orm::DbErr) -> Error {
    Error::Backend(e.to_string())
}

#[async_trait]
impl SessionStore for DbSessionStore {
    /// Inserts without overwriting: on the (astronomically rare) id collision, draw a new id.
    async fn create(&self, record: &mut Record) -> Result<()> {
        let data = serde_json::to_string(&record.data).map_err(|e| Error::Encode(e.to_string()))?;
        for _ in 0..4 {
            let am = session::ActiveModel {
                id: Set(record.id.to_string()),
                data: Set(data.clone()),
                expiry_date: Set(to_chrono(record.expiry_date)),
            };
            match session::Entity::insert(am).on_conflict_do_nothing().exec(&self.db).await {
                Ok(sea_orm::TryInsertResult::Inserted(_)) => return Ok(()),
                Ok(_) => record.id = Id::default(),
                Err(e) => return Err(backend(e)),
            }
        }
        Err(Error::Backend("could not find a free session id".into()))
    }

    async fn save(&self, record: &Record) -> Result<()> {
        let data = serde_json::to_string(&record.data).map_err(|e| Error::Encode(e.to_string()))?;
        let am = session::ActiveModel { id: Set(record.id.to_string()), data: Set(data), expiry_date: Set(to_chrono(record.expiry_date)) };
        session::Entity::insert(am)
            .on_conflict(
                OnConflict::column(session::Column::Id).update_columns([session::Column::Data, session::Column::ExpiryDate]).to_owned(),
            )
            .exec(&self.db)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let row = session::Entity::find_by_id(id.to_string())
            .filter(session::Column::ExpiryDate.gt(Utc::now()))
            .one(&self.db)
            .await
            .map_err(backend)?;
        match row {
            None => Ok(None),
            Some(m) => Ok(Some(Record {
                id: *id,
                data: serde_json::from_str(&m.data).map_err(|e| Error::Decode(e.to_string()))?,
                expiry_date: from_chrono(m.expiry_date)?,
            })),
        }
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        session::Entity::delete_by_id(id.to_string()).exec(&self.db).await.map_err(backend)?;
        Ok(())
    }
}

#[async_trait]
impl ExpiredDeletion for DbSessionStore {
    async fn delete_expired(&self) -> Result<()> {
        session::Entity::delete_many().filter(session::Column::ExpiryDate.lte(Utc::now())).exec(&self.db).await.map_err(backend)?;
        Ok(())
    }
}

/// Ends every session and bearer token of a user at once (deactivation, a password reset or
/// change), except `keep` (the caller's own, when they change their password): rows whose
/// data names them are deleted. The data is JSON (`{"uid": 7}`); a `LIKE` narrows the rows
/// and each is parsed, so user 7 never ends user 77's sessions.
pub async fn end_sessions_of<C: sea_orm::ConnectionTrait>(
    db: &C,
    user_id: i32,
    keep: Option<&str>,
) -> std::result::Result<u64, sea_orm::DbErr> {
    use crate::ssr::context::SESSION_USER_KEY;
    let rows = session::Entity::find().filter(session::Column::Data.like(format!("%\"{SESSION_USER_KEY}\":{user_id}%"))).all(db).await?;
    let ids: Vec<String> = rows
        .into_iter()
        .filter(|r| {
            serde_json::from_str::<std::collections::HashMap<String, serde_json::Value>>(&r.data)
                .ok()
                .and_then(|d| d.get(SESSION_USER_KEY).and_then(serde_json::Value::as_i64))
                == Some(i64::from(user_id))
                && keep != Some(r.id.as_str())
        })
        .map(|r| r.id)
        .collect();
    if ids.is_empty() {
        return Ok(0);
    }
    Ok(session::Entity::delete_many().filter(session::Column::Id.is_in(ids)).exec(db).await?.rows_affected)
}
