//! What an admin may set on a pipeline and its stages. Pure, so the editor flags a bad value
//! as it is typed and the service refuses the same value with the same rule.
use super::gate::StageKind;

pub const NAME_MAX: usize = 60;
pub const PLAYBOOK_MAX: usize = 2000;
pub const STUCK_DAYS_MAX: i32 = 365;

/// Why a value is refused; `i18n` turns each into a sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    Empty,
    TooLong,
    NotANumber,
    /// An open stage is neither certain nor hopeless: 1..=99 %.
    OpenRate,
    WonRate,
    LostRate,
    StuckDays,
    /// The new order is not exactly the pipeline's open stages.
    NotAPermutation,
    UnknownRequirement,
    /// Lost stages are never gated: a requirement there would never be checked.
    LostHasNoRequirements,
    SameStage,
}

/// One refused field: the field name (as in the wire types) and the rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Invalid {
    pub field: &'static str,
    pub rule: Rule,
}

fn name(field: &'static str, v: &str, out: &mut Vec<Invalid>) {
    let n = v.trim().chars().count();
    if n == 0 {
        out.push(Invalid { field, rule: Rule::Empty });
    } else if n > NAME_MAX {
        out.push(Invalid { field, rule: Rule::TooLong });
    }
}

pub fn check_names(name_en: &str, name_zh: &str) -> Vec<Invalid> {
    let mut out = Vec::new();
    name("name_en", name_en, &mut out);
    name("name_zh", name_zh, &mut out);
    out
}

/// The rate a stage of this kind must have, or the range it must fall in.
pub fn rate_ok(kind: StageKind, pct: i32) -> Result<(), Rule> {
    match kind {
        StageKind::Open if (1..=99).contains(&pct) => Ok(()),
        StageKind::Open => Err(Rule::OpenRate),
        StageKind::Won if pct == 100 => Ok(()),
        StageKind::Won => Err(Rule::WonRate),
        StageKind::Lost if pct == 0 => Ok(()),
        StageKind::Lost => Err(Rule::LostRate),
    }
}

/// Every rule on a stage's own fields.
pub fn check_stage(
    kind: StageKind,
    name_en: &str,
    name_zh: &str,
    win_rate_pct: i32,
    stuck_days: i32,
    playbook_en: &str,
    playbook_zh: &str,
) -> Vec<Invalid> {
    let mut out = check_names(name_en, name_zh);
    if let Err(rule) = rate_ok(kind, win_rate_pct) {
        out.push(Invalid { field: "win_rate_pct", rule });
    }
    if !(0..=STUCK_DAYS_MAX).contains(&stuck_days) {
        out.push(Invalid { field: "stuck_days", rule: Rule::StuckDays });
    }
    for (field, text) in [("playbook_en", playbook_en), ("playbook_zh", playbook_zh)] {
        if text.chars().count() > PLAYBOOK_MAX {
            out.push(Invalid { field, rule: Rule::TooLong });
        }
    }
    out
}

/// New positions for a reorder: the open stages in `order` (which must list each exactly
/// once), then Won and Lost keep the last places in their current order. Input and output
/// are (id, kind, position); only stages whose position changes are returned.
pub fn reorder<Id: Copy + PartialEq>(stages: &[(Id, StageKind, i32)], order: &[Id]) -> Result<Vec<(Id, i32)>, Rule> {
    let open: Vec<Id> = stages.iter().filter(|s| s.1 == StageKind::Open).map(|s| s.0).collect();
    let is_perm = order.len() == open.len()
        && order.iter().all(|id| open.contains(id))
        && order.iter().enumerate().all(|(i, id)| !order[..i].contains(id));
    if !is_perm {
        return Err(Rule::NotAPermutation);
    }
    let mut closed: Vec<&(Id, StageKind, i32)> = stages.iter().filter(|s| s.1 != StageKind::Open).collect();
    // Won before Lost, as the templates have them.
    closed.sort_by_key(|s| (s.1, s.2));
    let wanted = order.iter().copied().chain(closed.iter().map(|s| s.0));
    let mut out = Vec::new();
    for (i, id) in wanted.enumerate() {
        let pos = i as i32 + 1;
        if stages.iter().any(|s| s.0 == id && s.2 != pos) {
            out.push((id, pos));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use StageKind::{Lost, Open, Won};

    #[test]
    fn rates_by_kind() {
        for (kind, pct, ok) in [
            (Open, 0, false),
            (Open, 1, true),
            (Open, 99, true),
            (Open, 100, false),
            (Won, 100, true),
            (Won, 99, false),
            (Lost, 0, true),
            (Lost, 5, false),
        ] {
            assert_eq!(rate_ok(kind, pct).is_ok(), ok, "{kind:?} {pct}");
        }
    }

    #[test]
    fn stage_fields() {
        assert!(check_stage(Open, "A", "甲", 40, 30, "", "").is_empty());
        let long = "x".repeat(PLAYBOOK_MAX + 1);
        let bad = check_stage(Open, " ", &"名".repeat(NAME_MAX + 1), 0, 366, &long, &"字".repeat(PLAYBOOK_MAX));
        let fields: Vec<(&str, Rule)> = bad.iter().map(|i| (i.field, i.rule)).collect();
        assert_eq!(
            fields,
            vec![
                ("name_en", Rule::Empty),
                ("name_zh", Rule::TooLong),
                ("win_rate_pct", Rule::OpenRate),
                ("stuck_days", Rule::StuckDays),
                ("playbook_en", Rule::TooLong),
            ]
        );
        // Limits count characters, not bytes: 2000 Chinese characters are allowed.
        assert!(check_stage(Won, "Won", "赢单", 100, 0, "", &"字".repeat(PLAYBOOK_MAX)).is_empty());
    }

    #[test]
    fn reorder_keeps_won_and_lost_last() {
        let st = [(1, Open, 1), (2, Open, 2), (3, Open, 3), (4, Won, 4), (5, Lost, 5)];
        assert_eq!(reorder(&st, &[2, 1, 3]), Ok(vec![(2, 1), (1, 2)]));
        assert_eq!(reorder(&st, &[1, 2, 3]), Ok(vec![]));
        assert_eq!(reorder(&st, &[3, 2, 1]), Ok(vec![(3, 1), (1, 3)]));
        // Closed stages out of place are put back at the end.
        let messy = [(1, Lost, 1), (2, Open, 2), (3, Won, 3)];
        assert_eq!(reorder(&messy, &[2]), Ok(vec![(2, 1), (3, 2), (1, 3)]));
        for bad in [&[1, 2][..], &[1, 2, 3, 4], &[1, 1, 2], &[1, 2, 9], &[]] {
            assert_eq!(reorder(&st, bad), Err(Rule::NotAPermutation), "{bad:?}");
        }
    }
}
