#![recursion_limit = "512"]
//! The Dealgate server binary: serve (default), migrate, seed, backup, verify.
mod cli;
mod config;
mod input;
#[cfg(test)]
mod page_tests;
mod rest;
#[cfg(test)]
mod rest_tests;
#[cfg(test)]
mod security_tests;
mod server_fns;
mod web;

use app::ssr::{auth::LoginLimiter, db, seed, session_store::DbSessionStore, state::AppState};
use cli::Command;
use config::Config;
use leptos::prelude::*;
use std::process::ExitCode;
use std::sync::Arc;
use tower_sessions::session_store::ExpiredDeletion;

fn init_logging(cfg: &Config) {
    let filter = tracing_subscriber::EnvFilter::try_new(&cfg.log_filter).unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_target(false).with_ansi(ansi);
    if cfg.log_json {
        builder.json().init();
    } else {
        builder.compact().init();
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match cli::parse(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}\n\n{}", cli::USAGE);
            return ExitCode::from(2);
        }
    };
    if command == Command::Help {
        println!("{}", cli::USAGE);
        return ExitCode::SUCCESS;
    }
    let cfg = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    init_logging(&cfg);
    match run(cfg, command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn open_db(cfg: &Config) -> Result<app::ssr::db::Db, String> {
    if cfg.is_sqlite() {
        std::fs::create_dir_all(&cfg.data_dir).map_err(|e| format!("cannot create data directory {}: {e}", cfg.data_dir.display()))?;
    }
    let conn =
        db::connect(&cfg.database_url).await.map_err(|e| format!("cannot open the database ({}): {e}", redact(&cfg.database_url)))?;
    db::migrate(&conn)
        .await
        .map_err(|e| format!("database migration failed; the server will not start on a schema it does not understand: {e}"))?;
    seed::ensure_reference_data(&conn).await.map_err(|e| format!("cannot write the pipeline templates: {e}"))?;
    Ok(conn)
}

/// Hides the password of a database URL in messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => match url[s + 3..at].split_once(':') {
            Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
            None => url.to_owned(),
        },
        _ => url.to_owned(),
    }
}

fn print_demo_logins() {
    println!("Demo logins (password \"{}\"):", seed::DEMO_PASSWORD);
    for (email, name, role, team) in seed::DEMO_USERS {
        println!("  {email:<22} {role:<10} {:<6} {name}", team.unwrap_or("-"));
    }
}

async fn run(cfg: Config, command: Command) -> Result<(), String> {
    let conn = open_db(&cfg).await?;
    match command {
        Command::Help => Ok(()),
        Command::Migrate => {
            println!("migrations applied");
            Ok(())
        }
        Command::Backup { file } => {
            app::ssr::backup::backup(&conn, &cfg.database_url, std::path::Path::new(&file)).await.map_err(|e| e.to_string())?;
            println!("backup written to {file}");
            Ok(())
        }
        Command::Verify => {
            let r = app::ssr::verify::verify(&conn).await.map_err(|e| format!("cannot verify: {e}"))?;
            for d in &r.differences {
                println!("DIFFERENT {d}");
            }
            for line in &r.integrity {
                println!("INTEGRITY {line}");
            }
            let rows: Vec<String> = r.rows.iter().map(|(t, n)| format!("{t} {n}")).collect();
            println!(
                "verify: {} differences from the rebuild ({}); integrity {}",
                r.differences.len(),
                rows.join(", "),
                if cfg.is_sqlite() {
                    if r.integrity.is_empty() {
                        "ok"
                    } else {
                        "FAILED"
                    }
                } else {
                    "not checked (PostgreSQL)"
                }
            );
            if r.is_ok() {
                Ok(())
            } else {
                Err("the database does not verify".into())
            }
        }
        Command::SampleImport { file, rows, bad, prefix } => {
            let bytes = app::ssr::service::import::sample_accounts(rows, bad, &prefix).map_err(|e| e.to_string())?;
            std::fs::write(&file, bytes).map_err(|e| e.to_string())?;
            println!("{rows} rows ({bad} without a name) written to {file}");
            Ok(())
        }
        Command::Seed { demo: true, if_empty, .. } => match seed::seed_demo(&conn).await {
            Ok(s) => {
                println!(
                    "demo data seeded: {} users, {} accounts, {} contacts, {} deals, {} history rows",
                    s.users, s.accounts, s.contacts, s.deals, s.history
                );
                print_demo_logins();
                Ok(())
            }
            Err(seed::SeedError::HasData(what)) if if_empty => {
                println!("database already holds data ({what}); not seeding");
                Ok(())
            }
            Err(e) => Err(format!("{e}. Use an empty database, e.g. DATABASE_URL=sqlite://fresh.db?mode=rwc")),
        },
        Command::Seed { demo: false, deals, accounts, .. } => {
            let deals = deals.unwrap_or(0);
            let accounts = accounts.unwrap_or((deals / 10).max(1));
            let start = std::time::Instant::now();
            // About 50 deals per rep: 18 extra teams of 10 reps for a million deals.
            let extra_teams = ((deals / 500_000) as usize * 9).min(40);
            let mut last = std::time::Instant::now();
            let s = seed::generate(&conn, deals, accounts, extra_teams, 10, &mut |s| {
                if last.elapsed().as_secs() >= 5 {
                    println!(
                        "  … {} accounts, {} deals, {} history rows ({:.0} s)",
                        s.accounts,
                        s.deals,
                        s.history,
                        start.elapsed().as_secs_f64()
                    );
                    last = std::time::Instant::now();
                }
            })
            .await
            .map_err(|e| e.to_string())?;
            println!(
                "generated {} users, {} accounts, {} contacts, {} deals, {} history rows in {:.1} s",
                s.users,
                s.accounts,
                s.contacts,
                s.deals,
                s.history,
                start.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Serve => serve(cfg, conn).await,
    }
}

async fn serve(cfg: Config, conn: app::ssr::db::Db) -> Result<(), String> {
    if std::env::var("LEPTOS_OUTPUT_NAME").is_err() && option_env!("LEPTOS_OUTPUT_NAME").is_none() {
        // Built without cargo-leptos (plain cargo): the bundle name is still "dealgate".
        std::env::set_var("LEPTOS_OUTPUT_NAME", "dealgate");
    }
    let conf = get_configuration(None).map_err(|e| format!("Leptos configuration: {e}"))?;
    let mut leptos_options = conf.leptos_options;
    // A release build names the bundle's files by their content and writes the names to
    // hash.txt beside the binary; pages must then link those names.
    if std::env::current_exe().ok().and_then(|p| p.parent().map(|d| d.join(leptos_options.hash_file.as_ref()).exists())).unwrap_or(false) {
        leptos_options.hash_files = true;
    }
    let addr = leptos_options.site_addr;

    if !cfg.is_sqlite() {
        app::ssr::events::spawn_postgres_listener(&conn, cfg.database_url.clone());
    }
    let store = DbSessionStore::new(conn.conn().clone());
    tokio::spawn({
        let store = store.clone();
        async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
            loop {
                tick.tick().await;
                if let Err(e) = store.delete_expired().await {
                    tracing::warn!(error = %e, "could not purge expired sessions");
                }
            }
        }
    });
    let state = AppState { db: conn.clone(), limiter: Arc::new(LoginLimiter::default()), leptos_options };
    let app = web::app_router(
        state,
        store,
        &web::Settings {
            secure_cookies: cfg.secure_cookies,
            session_hours: cfg.session_hours,
            trusted_proxies: cfg.trusted_proxies.clone(),
        },
    );

    if seed::has_demo_users(&conn).await {
        print_demo_logins();
    }
    let listener = tokio::net::TcpListener::bind(&addr).await.map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    println!("Dealgate listening on http://{addr}");
    tracing::info!(%addr, database = %redact(&cfg.database_url), "serving");
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(|e| format!("server error: {e}"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn redacts_passwords() {
        assert_eq!(super::redact("postgres://u:secret@h:5432/db"), "postgres://u:***@h:5432/db");
        assert_eq!(super::redact("sqlite://data/x.db"), "sqlite://data/x.db");
    }
}
