//! Services own transactions; one per aggregate. They depend one way (see
//! `docs/architecture.md`): support (access, mapping, history, totals, convert) ← commands
//! (deal, movement, map, checklist, …) ← queries (board, forecast, timeline). The test at
//! the bottom reads the files and fails on a dependency circle or a backward arrow.
pub mod access;
pub mod account;
pub mod activity;
pub mod admin;
pub mod approval;
pub mod board;
pub mod checklist;
pub mod comment;
pub mod contract;
pub mod convert;
pub mod deal;
pub mod export;
pub mod forecast;
pub mod history;
pub mod import;
pub mod keyinfo;
pub mod map;
pub mod mapping;
pub mod member;
pub mod movement;
pub mod negotiation;
pub mod objection;
pub mod pipeline;
pub mod presence;
pub mod product;
pub mod quota;
pub mod quote;
pub mod timeline;
pub mod today;
pub mod totals;
pub mod user;

use super::entity::deal_member;
use crate::domain::error::AppError;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

pub use mapping::{account_names, user_names};

/// Deals the user is a member of, as ids: a short list SQLite looks up by primary key,
/// where an `IN (subquery)` next to a stage filter made it walk the whole stage.
pub async fn member_deal_ids<C: ConnectionTrait>(db: &C, user_id: i32) -> Result<Vec<i32>, AppError> {
    use sea_orm::QuerySelect;
    deal_member::Entity::find()
        .select_only()
        .column(deal_member::Column::DealId)
        .filter(deal_member::Column::UserId.eq(user_id))
        .into_tuple()
        .all(db)
        .await
        .map_err(super::db_err)
}

/// Clamp paging input to sane bounds (a page past 10⁷ would overflow the SQL offset).
pub fn paging(page: u64, per_page: u64) -> (u64, u64) {
    (Ord::clamp(page, 1, 10_000_000), Ord::clamp(per_page, 1, 200))
}

/// `%term%` for LIKE, with the wildcards in user input escaped away.
pub fn like_pattern(term: &str) -> String {
    let cleaned: String = term.trim().chars().filter(|c| !matches!(c, '%' | '_' | '\\')).collect();
    format!("%{cleaned}%")
}

/// The layers of the service graph, lowest first. A service may use its own layer and those
/// below; within a layer the arrows must not make a circle.
#[cfg(test)]
const LAYERS: [(&str, &[&str]); 3] = [
    ("support", &["access", "convert", "history", "mapping", "totals"]),
    (
        "commands",
        &[
            "account",
            "activity",
            "admin",
            "approval",
            "checklist",
            "comment",
            "contract",
            "deal",
            "import",
            "keyinfo",
            "map",
            "member",
            "movement",
            "negotiation",
            "objection",
            "pipeline",
            "presence",
            "product",
            "quota",
            "quote",
            "user",
        ],
    ),
    ("queries", &["board", "export", "forecast", "timeline", "today"]),
];

#[cfg(test)]
mod graph_tests {
    use super::LAYERS;
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    fn layer_of(m: &str) -> Option<usize> {
        LAYERS.iter().position(|(_, ms)| ms.contains(&m))
    }

    /// Names of sibling services `text` refers to; `up` is the path prefix that names the
    /// service directory from this file (`super::` or `super::super::`).
    fn refs(text: &str, up: &str, out: &mut BTreeSet<String>) {
        for prefix in [up, "crate::ssr::service::"] {
            for (i, _) in text.match_indices(prefix) {
                let rest = &text[i + prefix.len()..];
                let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                // `super::super::x` seen from `super::` is not a sibling named "super".
                if name != "super" && layer_of(&name).is_some() {
                    out.insert(name);
                }
                if let Some(group) = rest.strip_prefix('{') {
                    let inner: String = group.chars().take_while(|c| *c != '}').collect();
                    for part in inner.split(',') {
                        let name: String = part.trim().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                        if layer_of(&name).is_some() {
                            out.insert(name);
                        }
                    }
                }
            }
        }
    }

    /// service name → the services its files refer to.
    fn graph() -> BTreeMap<String, BTreeSet<String>> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ssr/service");
        let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir:?}: {e}")).flatten() {
            let path = entry.path();
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
            if stem == "mod" {
                continue;
            }
            let mut deps = BTreeSet::new();
            if path.is_dir() {
                for f in std::fs::read_dir(&path).unwrap_or_else(|e| panic!("{path:?}: {e}")).flatten() {
                    let fp = f.path();
                    let text = std::fs::read_to_string(&fp).unwrap_or_default();
                    let up = if fp.file_stem().is_some_and(|s| s == "mod") { "super::" } else { "super::super::" };
                    refs(&text, up, &mut deps);
                }
            } else {
                refs(&std::fs::read_to_string(&path).unwrap_or_default(), "super::", &mut deps);
            }
            deps.remove(&stem);
            g.insert(stem, deps);
        }
        g
    }

    #[test]
    fn every_service_has_a_layer_and_arrows_point_down() {
        let g = graph();
        assert!(g.len() >= 20, "read the service files: {g:?}");
        for (m, deps) in &g {
            let Some(l) = layer_of(m) else { panic!("service {m} is in no layer of LAYERS") };
            for d in deps {
                let dl = layer_of(d).unwrap_or(usize::MAX);
                assert!(dl <= l, "{m} ({}) uses {d} ({}), a higher layer", LAYERS[l].0, LAYERS[dl].0);
            }
        }
    }

    #[test]
    fn no_dependency_circle_among_services() {
        let g = graph();
        // Depth-first search with colours; a grey node reached again closes a circle.
        fn visit<'a>(n: &'a str, g: &'a BTreeMap<String, BTreeSet<String>>, colour: &mut BTreeMap<&'a str, u8>, path: &mut Vec<&'a str>) {
            match colour.get(n) {
                Some(2) => return,
                Some(1) => panic!("dependency circle: {} → {n}", path.join(" → ")),
                _ => {}
            }
            colour.insert(n, 1);
            path.push(n);
            for d in g.get(n).into_iter().flatten() {
                visit(d, g, colour, path);
            }
            path.pop();
            colour.insert(n, 2);
        }
        let mut colour = BTreeMap::new();
        for n in g.keys() {
            visit(n, &g, &mut colour, &mut Vec::new());
        }
    }
}
