//! The one error type every service returns. It maps once to an HTTP status (here) and
//! once to a localized sentence (`i18n::error_message`).
use super::history::HistoryKind;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not signed in")]
    Unauthorized,
    #[error("wrong email or password")]
    BadCredentials,
    #[error("too many sign-in attempts; retry in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("invalid {field}: {message}")]
    Validation { field: String, message: String },
    #[error("changed by someone else meanwhile")]
    Conflict,
    /// A deal write with a version the deal has moved past: 409, saying the version it is at
    /// now and its newest history row, so the caller knows what to look at before retrying.
    #[error("changed by someone else meanwhile: now version {version}")]
    DealChanged { version: i32, last: Option<HistoryKind>, by: Option<String>, at: Option<chrono::DateTime<chrono::Utc>> },
    /// Refused because other records still use it (a contact on deals' buying committees,
    /// quotes or objections): 409, naming how many deals.
    #[error("still used by {deals} deal(s)")]
    InUse { deals: u64 },
    /// Details are logged on the server, never sent to the browser.
    #[error("internal error")]
    Internal,
    /// The request did not reach the server or its answer could not be read.
    #[error("request failed: {0}")]
    Transport(String),
}

impl AppError {
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthorized | AppError::BadCredentials => 401,
            AppError::RateLimited { .. } => 429,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Validation { .. } => 422,
            AppError::Conflict | AppError::DealChanged { .. } | AppError::InUse { .. } => 409,
            AppError::Internal => 500,
            AppError::Transport(_) => 502,
        }
    }

    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Validation { field: field.into(), message: message.into() }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // On the server these are the request's fault (arguments that do not decode, or
            // are missing): named as such, so they answer 422 rather than a 500.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::MissingArg(m) | ServerFnErrorErr::Deserialization(m) => {
                AppError::validation("arguments", m)
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        for (e, s) in [
            (AppError::Unauthorized, 401),
            (AppError::BadCredentials, 401),
            (AppError::RateLimited { retry_after_secs: 60 }, 429),
            (AppError::Forbidden, 403),
            (AppError::NotFound, 404),
            (AppError::validation("email", "empty"), 422),
            (AppError::Conflict, 409),
            (AppError::DealChanged { version: 3, last: None, by: None, at: None }, 409),
            (AppError::InUse { deals: 2 }, 409),
            (AppError::Internal, 500),
        ] {
            assert_eq!(e.status(), s, "{e:?}");
        }
    }
}
