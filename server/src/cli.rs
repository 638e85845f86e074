//! `server [serve] | migrate | seed [--demo] [--if-empty] [--deals N] [--accounts N] | backup FILE | verify`
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Serve,
    Migrate,
    Seed {
        demo: bool,
        if_empty: bool,
        deals: Option<u64>,
        accounts: Option<u64>,
    },
    Backup {
        file: String,
    },
    /// Compares the running summaries with their rebuild (and SQLite's integrity check).
    Verify,
    /// An accounts XLSX for the import's end-to-end test and benchmark.
    SampleImport {
        file: String,
        rows: u64,
        bad: u64,
        prefix: String,
    },
    Help,
}

pub const USAGE: &str = "\
usage: server [COMMAND]
  (none) | serve                       run the web server (migrates first)
  migrate                              apply database migrations and exit
  seed --demo [--if-empty]             seed the demo company into an empty database
  seed --deals N --accounts M          generate a large data set (benchmarks)
  backup FILE                          write a consistent backup (SQLite: VACUUM INTO; PostgreSQL: pg_dump)
  verify                               compare the summaries with their rebuild (changes nothing); exit 1 on a difference
  sample-import FILE --rows N [--bad K] [--prefix P]
                                       write an accounts XLSX of N rows, K of them without a name
environment: DATABASE_URL, DEALGATE_DATA_DIR, DEALGATE_LOG, LEPTOS_SITE_ADDR, … (see README)";

fn number(flag: &str, v: Option<&String>) -> Result<u64, String> {
    let v = v.ok_or_else(|| format!("{flag} needs a number"))?;
    v.replace('_', "").parse::<u64>().map_err(|_| format!("{flag} needs a whole number, got {v:?}"))
}

pub fn parse(args: &[String]) -> Result<Command, String> {
    let Some(cmd) = args.first() else { return Ok(Command::Serve) };
    match cmd.as_str() {
        "serve" => Ok(Command::Serve),
        "migrate" => Ok(Command::Migrate),
        "verify" => Ok(Command::Verify),
        "help" | "--help" | "-h" => Ok(Command::Help),
        "backup" => match args.get(1) {
            Some(f) if !f.starts_with('-') => Ok(Command::Backup { file: f.clone() }),
            _ => Err("backup needs a target file name".into()),
        },
        "sample-import" => {
            let file = args.get(1).filter(|f| !f.starts_with('-')).ok_or("sample-import needs a target file name")?.clone();
            let (mut rows, mut bad, mut prefix) = (1_000, 0, "Sample".to_owned());
            let mut i = 2;
            while i < args.len() {
                match args[i].as_str() {
                    "--rows" => rows = number("--rows", args.get(i + 1))?,
                    "--bad" => bad = number("--bad", args.get(i + 1))?,
                    "--prefix" => prefix = args.get(i + 1).ok_or("--prefix needs a value")?.clone(),
                    other => return Err(format!("unknown sample-import option {other:?}")),
                }
                i += 2;
            }
            Ok(Command::SampleImport { file, rows, bad, prefix })
        }
        "seed" => {
            let (mut demo, mut if_empty, mut deals, mut accounts) = (false, false, None, None);
            let mut i = 1;
            while i < args.len() {
                match args[i].as_str() {
                    "--demo" => demo = true,
                    "--if-empty" => if_empty = true,
                    "--deals" => {
                        deals = Some(number("--deals", args.get(i + 1))?);
                        i += 1;
                    }
                    "--accounts" => {
                        accounts = Some(number("--accounts", args.get(i + 1))?);
                        i += 1;
                    }
                    other => return Err(format!("unknown seed option {other:?}")),
                }
                i += 1;
            }
            if demo == (deals.is_some() || accounts.is_some()) {
                return Err("seed needs either --demo or --deals N [--accounts M]".into());
            }
            Ok(Command::Seed { demo, if_empty, deals, accounts })
        }
        other => Err(format!("unknown command {other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Command, String> {
        parse(&s.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
    }

    #[test]
    fn commands() {
        assert_eq!(p(""), Ok(Command::Serve));
        assert_eq!(p("migrate"), Ok(Command::Migrate));
        assert_eq!(p("verify"), Ok(Command::Verify));
        assert_eq!(p("seed --demo"), Ok(Command::Seed { demo: true, if_empty: false, deals: None, accounts: None }));
        assert_eq!(p("seed --demo --if-empty"), Ok(Command::Seed { demo: true, if_empty: true, deals: None, accounts: None }));
        assert_eq!(
            p("seed --deals 1_000_000 --accounts 100000"),
            Ok(Command::Seed { demo: false, if_empty: false, deals: Some(1_000_000), accounts: Some(100_000) })
        );
        assert_eq!(p("backup /tmp/x.db"), Ok(Command::Backup { file: "/tmp/x.db".into() }));
        assert!(p("seed").is_err());
        assert!(p("seed --demo --deals 5").is_err());
        assert!(p("seed --deals many").is_err());
        assert!(p("backup").is_err());
        assert!(p("frobnicate").is_err());
    }
}
