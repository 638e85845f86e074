//! Server-only code: database, sessions, the request context and the services.
pub mod auth;
pub mod backup;
pub mod client_addr;
pub mod context;
pub mod db;
pub mod entity;
pub mod events;
pub mod hub;
pub mod security;
pub mod seed;
pub mod service;
pub mod session_store;
pub mod sql;
pub mod state;
pub mod testdb;
pub mod verify;

use crate::domain::error::AppError;

/// Logs a database error with its detail and hands the user the opaque `Internal`.
pub fn db_err(e: sea_orm::DbErr) -> AppError {
    tracing::error!(error = %e, "database error");
    AppError::Internal
}
