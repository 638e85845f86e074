//! The deal totals' rebuild from `deals` (bulk loads bypass the services). As migration
//! 000003 first ran it.
/// The rebuild statement.
pub const REBUILD_SQL: &str = "INSERT INTO deal_totals (pipeline_id, stage_id, team_id, owner_id, n, amount_fen) \
     SELECT pipeline_id, stage_id, team_id, owner_id, COUNT(*), COALESCE(SUM(amount_fen), 0) FROM deals \
     GROUP BY pipeline_id, stage_id, team_id, owner_id";
