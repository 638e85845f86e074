//! The buying committee (决策树) of a deal: who reports to whom, each person's role, weight and
//! attitude, the warnings a rep should act on, and a layout for drawing the map. Pure: the
//! services load and save the map, the components draw it.
use super::locale::Locale;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A decision maker or coach not contacted for this many days (or never) is flagged.
pub const STALE_DAYS: i64 = 30;
/// An opponent with at least this influence weight is flagged.
pub const OPPONENT_PCT: i32 = 20;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ContactRole {
    DecisionMaker,
    EconomicBuyer,
    TechnicalEvaluator,
    User,
    Influencer,
    Initiator,
    /// Our champion inside the customer (教练 / 内线).
    Coach,
    Blocker,
}

impl ContactRole {
    pub const ALL: [ContactRole; 8] = [
        ContactRole::DecisionMaker,
        ContactRole::EconomicBuyer,
        ContactRole::TechnicalEvaluator,
        ContactRole::User,
        ContactRole::Influencer,
        ContactRole::Initiator,
        ContactRole::Coach,
        ContactRole::Blocker,
    ];

    /// Stable: stored in the database and in gate requirement codes.
    pub fn code(self) -> &'static str {
        match self {
            ContactRole::DecisionMaker => "decision_maker",
            ContactRole::EconomicBuyer => "economic_buyer",
            ContactRole::TechnicalEvaluator => "technical_evaluator",
            ContactRole::User => "user",
            ContactRole::Influencer => "influencer",
            ContactRole::Initiator => "initiator",
            ContactRole::Coach => "coach",
            ContactRole::Blocker => "blocker",
        }
    }

    pub fn parse(code: &str) -> Option<ContactRole> {
        ContactRole::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label(self, l: Locale) -> &'static str {
        match (self, l) {
            (ContactRole::DecisionMaker, Locale::En) => "Decision maker",
            (ContactRole::DecisionMaker, Locale::ZhCn) => "决策者",
            (ContactRole::EconomicBuyer, Locale::En) => "Economic buyer",
            (ContactRole::EconomicBuyer, Locale::ZhCn) => "经济决策者",
            (ContactRole::TechnicalEvaluator, Locale::En) => "Technical evaluator",
            (ContactRole::TechnicalEvaluator, Locale::ZhCn) => "技术评估者",
            (ContactRole::User, Locale::En) => "User",
            (ContactRole::User, Locale::ZhCn) => "使用者",
            (ContactRole::Influencer, Locale::En) => "Influencer",
            (ContactRole::Influencer, Locale::ZhCn) => "影响者",
            (ContactRole::Initiator, Locale::En) => "Initiator",
            (ContactRole::Initiator, Locale::ZhCn) => "发起人",
            (ContactRole::Coach, Locale::En) => "Coach / champion",
            (ContactRole::Coach, Locale::ZhCn) => "教练（内线）",
            (ContactRole::Blocker, Locale::En) => "Blocker",
            (ContactRole::Blocker, Locale::ZhCn) => "阻碍者",
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Attitude {
    Supporter,
    #[default]
    Neutral,
    Opponent,
}

impl Attitude {
    pub const ALL: [Attitude; 3] = [Attitude::Supporter, Attitude::Neutral, Attitude::Opponent];

    pub fn code(self) -> &'static str {
        match self {
            Attitude::Supporter => "supporter",
            Attitude::Neutral => "neutral",
            Attitude::Opponent => "opponent",
        }
    }

    pub fn parse(code: &str) -> Option<Attitude> {
        Attitude::ALL.into_iter().find(|a| a.code() == code)
    }

    pub fn label(self, l: Locale) -> &'static str {
        match (self, l) {
            (Attitude::Supporter, Locale::En) => "Supporter",
            (Attitude::Supporter, Locale::ZhCn) => "支持",
            (Attitude::Neutral, Locale::En) => "Neutral",
            (Attitude::Neutral, Locale::ZhCn) => "中立",
            (Attitude::Opponent, Locale::En) => "Opponent",
            (Attitude::Opponent, Locale::ZhCn) => "反对",
        }
    }
}

/// One contact on a deal's map. Names and titles live on the contact; the map holds only
/// what is specific to this deal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapNode {
    pub contact_id: i32,
    pub reports_to: Option<i32>,
    pub role: Option<ContactRole>,
    /// Share of the decision, in percent; the weights of a deal should sum to 100.
    pub influence_pct: i32,
    pub attitude: Attitude,
    /// Our relationship strength, 1 (cold) to 5 (close).
    pub relationship: u8,
    pub last_contact: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MapError {
    UnknownContact(i32),
    SelfReport(i32),
    /// The contacts of the loop in reports-to order: each reports to the next, the last to the first.
    Cycle(Vec<i32>),
    DuplicateContact(i32),
    WeightOutOfRange {
        contact_id: i32,
        pct: i32,
    },
    RelationshipOutOfRange {
        contact_id: i32,
        value: u8,
    },
}

impl MapError {
    pub fn code(&self) -> &'static str {
        match self {
            MapError::UnknownContact(_) => "unknown_contact",
            MapError::SelfReport(_) => "self_report",
            MapError::Cycle(_) => "cycle",
            MapError::DuplicateContact(_) => "duplicate_contact",
            MapError::WeightOutOfRange { .. } => "weight_out_of_range",
            MapError::RelationshipOutOfRange { .. } => "relationship_out_of_range",
        }
    }

    /// A sentence for the user; `name` turns a contact id into the person's name.
    pub fn message(&self, l: Locale, name: impl Fn(i32) -> String) -> String {
        let zh = l == Locale::ZhCn;
        match self {
            MapError::UnknownContact(id) if zh => format!("联系人 #{id} 不在此商机的决策树中。"),
            MapError::UnknownContact(id) => format!("Contact #{id} is not on this deal's map."),
            MapError::SelfReport(id) if zh => format!("{} 不能向自己汇报。", name(*id)),
            MapError::SelfReport(id) => format!("{} cannot report to themself.", name(*id)),
            MapError::Cycle(ids) => {
                let mut chain: Vec<String> = ids.iter().map(|i| name(*i)).collect();
                chain.extend(ids.first().map(|i| name(*i)));
                let chain = chain.join(" → ");
                if zh {
                    format!("汇报关系不能成环：{chain}。一个人不能向自己的下属汇报。")
                } else {
                    format!("That would make a reporting loop: {chain}. Nobody can report to someone below them.")
                }
            }
            MapError::DuplicateContact(id) if zh => format!("{} 在决策树中出现了两次。", name(*id)),
            MapError::DuplicateContact(id) => format!("{} appears twice on the map.", name(*id)),
            MapError::WeightOutOfRange { contact_id, pct } if zh => {
                format!("{} 的影响力权重须在 0–100% 之间（现为 {pct}%）。", name(*contact_id))
            }
            MapError::WeightOutOfRange { contact_id, pct } => {
                format!("{}'s influence weight must be 0–100 %, not {pct} %.", name(*contact_id))
            }
            MapError::RelationshipOutOfRange { contact_id, value } if zh => {
                format!("{} 的关系强度须为 1–5（现为 {value}）。", name(*contact_id))
            }
            MapError::RelationshipOutOfRange { contact_id, value } => {
                format!("{}'s relationship strength must be 1–5, not {value}.", name(*contact_id))
            }
        }
    }
}

fn find(nodes: &[MapNode], id: i32) -> Option<&MapNode> {
    nodes.iter().find(|n| n.contact_id == id)
}

/// The loop that `child` reporting to `new_parent` would close, in reports-to order starting
/// at `child`; `None` when there is none. Bounded so a map that already holds a loop elsewhere
/// cannot make it spin.
fn loop_via(nodes: &[MapNode], child: i32, new_parent: i32) -> Option<Vec<i32>> {
    let mut chain = vec![child];
    let mut cur = new_parent;
    for _ in 0..=nodes.len() {
        if cur == child {
            return Some(chain);
        }
        chain.push(cur);
        cur = find(nodes, cur)?.reports_to?;
    }
    None
}

/// True when `child` reporting to `new_parent` would make a loop: `new_parent` is `child`
/// itself or someone below it.
pub fn would_cycle(nodes: &[MapNode], child: i32, new_parent: i32) -> bool {
    loop_via(nodes, child, new_parent).is_some()
}

/// The drag-and-drop move: `child` now reports to `new_parent` (`None`: to nobody). Refused,
/// leaving the map unchanged, when either contact is unknown or the move would make a loop.
pub fn set_reports_to(nodes: &mut [MapNode], child: i32, new_parent: Option<i32>) -> Result<(), MapError> {
    if find(nodes, child).is_none() {
        return Err(MapError::UnknownContact(child));
    }
    if let Some(p) = new_parent {
        if p == child {
            return Err(MapError::SelfReport(child));
        }
        if find(nodes, p).is_none() {
            return Err(MapError::UnknownContact(p));
        }
        if let Some(chain) = loop_via(nodes, child, p) {
            return Err(MapError::Cycle(chain));
        }
    }
    for n in nodes.iter_mut().filter(|n| n.contact_id == child) {
        n.reports_to = new_parent;
    }
    Ok(())
}

/// Checks a whole map sent at once (a PUT). The first problem found is returned, scanning
/// per-node values first, then references, then loops, so the answer is deterministic.
pub fn validate(nodes: &[MapNode]) -> Result<(), MapError> {
    for (i, n) in nodes.iter().enumerate() {
        if nodes[..i].iter().any(|m| m.contact_id == n.contact_id) {
            return Err(MapError::DuplicateContact(n.contact_id));
        }
        if !(0..=100).contains(&n.influence_pct) {
            return Err(MapError::WeightOutOfRange { contact_id: n.contact_id, pct: n.influence_pct });
        }
        if !(1..=5).contains(&n.relationship) {
            return Err(MapError::RelationshipOutOfRange { contact_id: n.contact_id, value: n.relationship });
        }
    }
    for n in nodes {
        match n.reports_to {
            Some(p) if p == n.contact_id => return Err(MapError::SelfReport(p)),
            Some(p) if find(nodes, p).is_none() => return Err(MapError::UnknownContact(p)),
            _ => {}
        }
    }
    // Walk up from each contact; meeting the walk's own path again means a loop. Maps are
    // tens of people, so the quadratic walk is fine.
    for n in nodes {
        let mut path = vec![n.contact_id];
        let mut cur = n.reports_to;
        while let Some(p) = cur {
            if let Some(at) = path.iter().position(|x| *x == p) {
                return Err(MapError::Cycle(path.split_off(at)));
            }
            path.push(p);
            cur = find(nodes, p).and_then(|m| m.reports_to);
        }
    }
    Ok(())
}

/// Never contacted, or not for `STALE_DAYS` days or more.
pub fn is_uncontacted(n: &MapNode, today: NaiveDate) -> bool {
    n.last_contact.is_none_or(|d| (today - d).num_days() >= STALE_DAYS)
}

pub fn has_role(nodes: &[MapNode], role: ContactRole) -> bool {
    nodes.iter().any(|n| n.role == Some(role))
}

/// Saturating, so garbage weights cannot overflow before validation rejects them.
pub fn weight_sum(nodes: &[MapNode]) -> i32 {
    nodes.iter().fold(0i32, |acc, n| acc.saturating_add(n.influence_pct))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MapWarning {
    NoDecisionMaker,
    WeightsNot100 {
        sum: i32,
    },
    InfluentialOpponent {
        contact_id: i32,
        pct: i32,
    },
    /// A decision maker or coach; `days: None` means never contacted.
    NotContacted {
        contact_id: i32,
        role: ContactRole,
        days: Option<i64>,
    },
    NoCoach,
}

impl MapWarning {
    pub fn code(self) -> &'static str {
        match self {
            MapWarning::NoDecisionMaker => "no_decision_maker",
            MapWarning::WeightsNot100 { .. } => "weights_not_100",
            MapWarning::InfluentialOpponent { .. } => "influential_opponent",
            MapWarning::NotContacted { .. } => "not_contacted",
            MapWarning::NoCoach => "no_coach",
        }
    }

    /// The node the map marks with this warning, if it is about one person.
    pub fn contact_id(self) -> Option<i32> {
        match self {
            MapWarning::InfluentialOpponent { contact_id, .. } | MapWarning::NotContacted { contact_id, .. } => Some(contact_id),
            _ => None,
        }
    }

    pub fn message(self, l: Locale, name: impl Fn(i32) -> String) -> String {
        let zh = l == Locale::ZhCn;
        match self {
            MapWarning::NoDecisionMaker if zh => "尚未识别决策者。".into(),
            MapWarning::NoDecisionMaker => "No decision maker identified.".into(),
            MapWarning::WeightsNot100 { sum } if zh => format!("影响力权重合计为 {sum}%，应为 100%。"),
            MapWarning::WeightsNot100 { sum } => format!("Influence weights sum to {sum} %, not 100 %."),
            MapWarning::InfluentialOpponent { contact_id, pct } if zh => format!("{} 持反对态度，影响力 {pct}%。", name(contact_id)),
            MapWarning::InfluentialOpponent { contact_id, pct } => format!("{} is an opponent with {pct} % influence.", name(contact_id)),
            MapWarning::NotContacted { contact_id, role, days } => match (days, zh) {
                (None, true) => format!("{}（{}）从未联系。", name(contact_id), role.label(l)),
                (None, false) => format!("{} ({}) has never been contacted.", name(contact_id), role.label(l)),
                (Some(d), true) => format!("{}（{}）已 {d} 天未联系。", name(contact_id), role.label(l)),
                (Some(d), false) => format!("{} ({}) not contacted for {d} days.", name(contact_id), role.label(l)),
            },
            MapWarning::NoCoach if zh => "没有教练（内线）。".into(),
            MapWarning::NoCoach => "No coach / champion.".into(),
        }
    }
}

/// What the map and the card warn about, in a fixed order: no decision maker, weights,
/// opponents, uncontacted key people (map order), no coach. An empty map warns only about
/// the missing decision maker and coach: with no one on it, weights say nothing yet.
pub fn warnings(nodes: &[MapNode], today: NaiveDate) -> Vec<MapWarning> {
    let mut out = Vec::new();
    if !has_role(nodes, ContactRole::DecisionMaker) {
        out.push(MapWarning::NoDecisionMaker);
    }
    let sum = weight_sum(nodes);
    if !nodes.is_empty() && sum != 100 {
        out.push(MapWarning::WeightsNot100 { sum });
    }
    out.extend(
        nodes
            .iter()
            .filter(|n| n.attitude == Attitude::Opponent && n.influence_pct >= OPPONENT_PCT)
            .map(|n| MapWarning::InfluentialOpponent { contact_id: n.contact_id, pct: n.influence_pct }),
    );
    for n in nodes {
        if let Some(role @ (ContactRole::DecisionMaker | ContactRole::Coach)) = n.role {
            if is_uncontacted(n, today) {
                let days = n.last_contact.map(|d| (today - d).num_days());
                out.push(MapWarning::NotContacted { contact_id: n.contact_id, role, days });
            }
        }
    }
    if !has_role(nodes, ContactRole::Coach) {
        out.push(MapWarning::NoCoach);
    }
    out
}

/// Least distance between two nodes at the same depth, in columns. Columns are half-slots
/// so that a parent can sit exactly midway between its first and last child.
const SEP: i64 = 2;

/// A tidy tree layout of the map: `(contact_id, depth, column)` for each contact, in map
/// order. Roots (nobody above them on the map) go left to right in map order, children in
/// map order under their parent; each parent is centred over its first and last child,
/// subtrees are packed as close as their outlines allow (at least `SEP` columns apart at
/// every depth), and the leftmost node is at column 0. Columns are half-slots: draw at
/// x = column × (node pitch / 2). Total on bad input: an unknown or self `reports_to` makes a
/// root, a loop is cut at its first member in map order, a repeated contact is placed once.
pub fn layout(nodes: &[MapNode]) -> Vec<(i32, u32, u32)> {
    // Unique contacts, first occurrence wins.
    let mut ids: Vec<i32> = Vec::with_capacity(nodes.len());
    let mut parent_id: Vec<Option<i32>> = Vec::with_capacity(nodes.len());
    for n in nodes {
        if !ids.contains(&n.contact_id) {
            ids.push(n.contact_id);
            parent_id.push(n.reports_to);
        }
    }
    let count = ids.len();
    let mut parent: Vec<Option<usize>> =
        parent_id.iter().enumerate().map(|(i, p)| p.and_then(|p| ids.iter().position(|x| *x == p)).filter(|p| *p != i)).collect();

    // Cut loops: whatever no root reaches is on (or hangs below) a loop; promote its first
    // unreached member in map order to a root and look again.
    loop {
        let reached = reachable(&parent);
        match (0..count).find(|i| !reached[*i]) {
            Some(i) => parent[i] = None,
            None => break,
        }
    }
    let children: Vec<Vec<usize>> = (0..count).map(|i| (0..count).filter(|c| parent[*c] == Some(i)).collect()).collect();
    let roots: Vec<usize> = (0..count).filter(|i| parent[*i].is_none()).collect();

    // Parents after children: reverse of a pre-order walk. Iterative so a long chain cannot
    // exhaust the stack.
    let mut pre = Vec::with_capacity(count);
    let mut stack: Vec<usize> = roots.iter().rev().copied().collect();
    while let Some(i) = stack.pop() {
        pre.push(i);
        stack.extend(children[i].iter().rev());
    }

    // For each subtree: its outline per depth below its root (min, max column relative to the
    // root), and each child's column relative to its parent.
    let mut outline: Vec<Vec<(i64, i64)>> = vec![Vec::new(); count];
    let mut rel: Vec<i64> = vec![0; count];
    for &i in pre.iter().rev() {
        if children[i].is_empty() {
            outline[i] = vec![(0, 0)];
            continue;
        }
        let (offsets, merged) = pack(children[i].iter().map(|c| &outline[*c]), true);
        // Offsets start at 0 and the last one is even, so the midpoint is a whole column.
        let mid = offsets.last().copied().unwrap_or(0) / 2;
        for (c, off) in children[i].iter().zip(&offsets) {
            rel[*c] = off - mid;
        }
        let mut o = vec![(0, 0)];
        o.extend(merged.into_iter().map(|(lo, hi)| (lo - mid, hi - mid)));
        outline[i] = o;
    }

    let (root_x, _) = pack(roots.iter().map(|r| &outline[*r]), false);
    let mut x: Vec<i64> = vec![0; count];
    let mut depth: Vec<u32> = vec![0; count];
    for (r, rx) in roots.iter().zip(&root_x) {
        x[*r] = *rx;
    }
    for &i in &pre {
        if let Some(p) = parent[i] {
            x[i] = x[p] + rel[i];
            depth[i] = depth[p] + 1;
        }
    }
    let min = x.iter().copied().min().unwrap_or(0);
    (0..count).map(|i| (ids[i], depth[i], u32::try_from(x[i] - min).unwrap_or(u32::MAX))).collect()
}

/// Which contacts a root reaches by following children.
fn reachable(parent: &[Option<usize>]) -> Vec<bool> {
    let n = parent.len();
    let mut reached: Vec<bool> = parent.iter().map(Option::is_none).collect();
    // Each pass settles at least one more level; n passes settle every chain.
    for _ in 0..n {
        let mut changed = false;
        for i in 0..n {
            if let Some(p) = parent[i] {
                if reached[p] && !reached[i] {
                    reached[i] = true;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    reached
}

/// Places subtree outlines left to right, each as far left as the ones before allow.
/// Returns each subtree's root offset (the first at 0) and the merged outline. With
/// `even_last`, the last offset is nudged right to an even number so the parent can be
/// centred on a whole column; moving the last subtree right never makes an overlap.
fn pack<'a>(outlines: impl Iterator<Item = &'a Vec<(i64, i64)>>, even_last: bool) -> (Vec<i64>, Vec<(i64, i64)>) {
    let outlines: Vec<&Vec<(i64, i64)>> = outlines.collect();
    let mut offsets = Vec::with_capacity(outlines.len());
    let mut merged: Vec<(i64, i64)> = Vec::new();
    for (k, o) in outlines.iter().enumerate() {
        let mut shift = if k == 0 { 0 } else { merged.iter().zip(o.iter()).map(|(m, c)| m.1 - c.0 + SEP).max().unwrap_or(0) };
        if even_last && k + 1 == outlines.len() && shift % 2 != 0 {
            shift += 1;
        }
        offsets.push(shift);
        for (d, (lo, hi)) in o.iter().enumerate() {
            match merged.get_mut(d) {
                Some(m) => *m = (m.0.min(lo + shift), m.1.max(hi + shift)),
                None => merged.push((lo + shift, hi + shift)),
            }
        }
    }
    (offsets, merged)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use ContactRole::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    const TODAY: &str = "2027-03-31";

    /// A contact with sane defaults: neutral, relationship 3, contacted today.
    fn n(id: i32, up: Option<i32>, role: Option<ContactRole>, pct: i32) -> MapNode {
        MapNode {
            contact_id: id,
            reports_to: up,
            role,
            influence_pct: pct,
            attitude: Attitude::Neutral,
            relationship: 3,
            last_contact: Some(day(TODAY)),
        }
    }

    /// Seed 003 table 2: GM decides 60 %, purchasing director 30 %, sales lead 10 %; plus a coach.
    fn seed_map() -> Vec<MapNode> {
        vec![
            n(1, None, Some(DecisionMaker), 60),
            n(2, Some(1), Some(Influencer), 30),
            n(3, Some(1), Some(User), 10),
            n(4, Some(3), Some(Coach), 0),
        ]
    }

    #[test]
    fn codes_round_trip() {
        for r in ContactRole::ALL {
            assert_eq!(ContactRole::parse(r.code()), Some(r));
            assert!(!r.label(Locale::En).is_empty() && !r.label(Locale::ZhCn).is_empty());
        }
        for a in Attitude::ALL {
            assert_eq!(Attitude::parse(a.code()), Some(a));
        }
        assert_eq!(ContactRole::parse("champion"), None);
        assert_eq!(ContactRole::parse("Decision_Maker"), None);
        assert_eq!(Attitude::parse(""), None);
    }

    #[test]
    fn would_cycle_table() {
        // 1 ← 2 ← 5, 1 ← 3 ← 4; 6 alone.
        let m = vec![
            n(1, None, None, 0),
            n(2, Some(1), None, 0),
            n(3, Some(1), None, 0),
            n(4, Some(3), None, 0),
            n(5, Some(2), None, 0),
            n(6, None, None, 0),
        ];
        for (child, parent, want) in [
            (1, 1, true),   // self
            (1, 2, true),   // under a direct report
            (1, 4, true),   // under someone two levels down
            (3, 4, true),   // under its own report
            (2, 5, true),   //
            (4, 2, false),  // across branches
            (2, 3, false),  // sideways
            (5, 1, false),  // up to the top
            (6, 4, false),  // a loner joins
            (1, 6, false),  // a root goes under a loner
            (4, 99, false), // unknown parent: no loop (set_reports_to refuses it separately)
        ] {
            assert_eq!(would_cycle(&m, child, parent), want, "{child} under {parent}");
        }
    }

    #[test]
    fn would_cycle_survives_a_map_that_already_loops() {
        // 2 and 3 report to each other (bad data); 1 joining under them closes no new loop.
        let m = vec![n(1, None, None, 0), n(2, Some(3), None, 0), n(3, Some(2), None, 0)];
        assert!(!would_cycle(&m, 1, 2));
        assert!(would_cycle(&m, 2, 3));
    }

    #[test]
    fn set_reports_to_table() {
        type Case = (i32, Option<i32>, Result<(), MapError>);
        let cases: &[Case] = &[
            (4, Some(2), Ok(())),
            (4, None, Ok(())),
            (1, Some(4), Err(MapError::Cycle(vec![1, 4, 3]))),
            (3, Some(4), Err(MapError::Cycle(vec![3, 4]))),
            (2, Some(2), Err(MapError::SelfReport(2))),
            (9, Some(1), Err(MapError::UnknownContact(9))),
            (2, Some(9), Err(MapError::UnknownContact(9))),
        ];
        for (child, parent, want) in cases {
            let mut m = seed_map();
            let before = m.clone();
            assert_eq!(set_reports_to(&mut m, *child, *parent), *want, "{child} under {parent:?}");
            if want.is_ok() {
                assert_eq!(find(&m, *child).unwrap().reports_to, *parent);
                assert!(validate(&m).is_ok());
            } else {
                assert_eq!(m, before, "a refused move changes nothing");
            }
        }
    }

    #[test]
    fn cycle_message_names_the_loop() {
        let e = MapError::Cycle(vec![1, 4, 3]);
        let name = |i: i32| ["", "Zhang", "Wang", "Li", "Chen"][i as usize].to_string();
        assert_eq!(
            e.message(Locale::En, name),
            "That would make a reporting loop: Zhang → Chen → Li → Zhang. Nobody can report to someone below them."
        );
        assert!(e.message(Locale::ZhCn, name).contains("Zhang → Chen → Li → Zhang"));
        assert_eq!(MapError::UnknownContact(7).message(Locale::En, name), "Contact #7 is not on this deal's map.");
    }

    #[test]
    fn validate_table() {
        let ok = seed_map();
        let with = |i: usize, f: &dyn Fn(&mut MapNode)| {
            let mut m = ok.clone();
            f(&mut m[i]);
            m
        };
        let mut dup = ok.clone();
        dup.push(n(2, None, None, 0));
        let cases: Vec<(&str, Vec<MapNode>, Result<(), MapError>)> = vec![
            ("seed map", ok.clone(), Ok(())),
            ("empty", vec![], Ok(())),
            ("weights need not sum to 100 to be saved", with(0, &|x| x.influence_pct = 0), Ok(())),
            ("weight 100", with(0, &|x| x.influence_pct = 100), Ok(())),
            ("weight 101", with(0, &|x| x.influence_pct = 101), Err(MapError::WeightOutOfRange { contact_id: 1, pct: 101 })),
            ("weight -1", with(2, &|x| x.influence_pct = -1), Err(MapError::WeightOutOfRange { contact_id: 3, pct: -1 })),
            ("relationship 0", with(1, &|x| x.relationship = 0), Err(MapError::RelationshipOutOfRange { contact_id: 2, value: 0 })),
            ("relationship 6", with(1, &|x| x.relationship = 6), Err(MapError::RelationshipOutOfRange { contact_id: 2, value: 6 })),
            ("relationship 1", with(1, &|x| x.relationship = 1), Ok(())),
            ("relationship 5", with(1, &|x| x.relationship = 5), Ok(())),
            ("duplicate", dup, Err(MapError::DuplicateContact(2))),
            ("self", with(2, &|x| x.reports_to = Some(3)), Err(MapError::SelfReport(3))),
            ("unknown parent", with(2, &|x| x.reports_to = Some(42)), Err(MapError::UnknownContact(42))),
            ("two-loop", with(0, &|x| x.reports_to = Some(2)), Err(MapError::Cycle(vec![1, 2]))),
            ("three-loop", with(0, &|x| x.reports_to = Some(4)), Err(MapError::Cycle(vec![1, 4, 3]))),
        ];
        for (what, m, want) in cases {
            assert_eq!(validate(&m), want, "{what}");
        }
    }

    #[test]
    fn validate_reports_a_loop_hanging_below_a_tail() {
        // 5 → 6 → 7 → 6: the loop is 6, 7, not the tail 5.
        let m = vec![n(5, Some(6), None, 0), n(6, Some(7), None, 0), n(7, Some(6), None, 0)];
        assert_eq!(validate(&m), Err(MapError::Cycle(vec![6, 7])));
    }

    #[test]
    fn warnings_table() {
        use MapWarning as W;
        let today = day(TODAY);
        let with = |f: &dyn Fn(&mut Vec<MapNode>)| {
            let mut m = seed_map();
            f(&mut m);
            m
        };
        let cases: Vec<(&str, Vec<MapNode>, Vec<MapWarning>)> = vec![
            ("healthy map", seed_map(), vec![]),
            ("empty map", vec![], vec![W::NoDecisionMaker, W::NoCoach]),
            ("no decision maker", with(&|m| m[0].role = Some(EconomicBuyer)), vec![W::NoDecisionMaker]),
            ("weights 90", with(&|m| m[0].influence_pct = 50), vec![W::WeightsNot100 { sum: 90 }]),
            ("weights 110", with(&|m| m[3].influence_pct = 10), vec![W::WeightsNot100 { sum: 110 }]),
            (
                "opponent at 20 % is influential",
                with(&|m| {
                    m[1].attitude = Attitude::Opponent;
                    m[1].influence_pct = 20;
                    m[2].influence_pct = 20;
                }),
                vec![W::InfluentialOpponent { contact_id: 2, pct: 20 }],
            ),
            (
                "opponent at 19 % is not",
                with(&|m| {
                    m[1].attitude = Attitude::Opponent;
                    m[1].influence_pct = 19;
                    m[2].influence_pct = 21;
                }),
                vec![],
            ),
            ("a supporter at 60 % is fine", with(&|m| m[0].attitude = Attitude::Supporter), vec![]),
            ("decision maker 29 days", with(&|m| m[0].last_contact = Some(day("2027-03-02"))), vec![]),
            (
                "decision maker 30 days",
                with(&|m| m[0].last_contact = Some(day("2027-03-01"))),
                vec![W::NotContacted { contact_id: 1, role: DecisionMaker, days: Some(30) }],
            ),
            (
                "coach never contacted",
                with(&|m| m[3].last_contact = None),
                vec![W::NotContacted { contact_id: 4, role: Coach, days: None }],
            ),
            ("a user never contacted is not a key person", with(&|m| m[2].last_contact = None), vec![]),
            ("contact dated in the future is not stale", with(&|m| m[0].last_contact = Some(day("2027-04-09"))), vec![]),
            ("no coach", with(&|m| m[3].role = Some(Blocker)), vec![W::NoCoach]),
            (
                "everything at once, in the fixed order",
                vec![
                    MapNode { attitude: Attitude::Opponent, last_contact: None, ..n(1, None, Some(Blocker), 40) },
                    MapNode { last_contact: Some(day("2026-12-31")), ..n(2, Some(1), Some(Coach), 0) },
                    MapNode { attitude: Attitude::Opponent, ..n(3, Some(1), None, 25) },
                ],
                vec![
                    W::NoDecisionMaker,
                    W::WeightsNot100 { sum: 65 },
                    W::InfluentialOpponent { contact_id: 1, pct: 40 },
                    W::InfluentialOpponent { contact_id: 3, pct: 25 },
                    W::NotContacted { contact_id: 2, role: Coach, days: Some(90) },
                ],
            ),
        ];
        for (what, m, want) in cases {
            assert_eq!(warnings(&m, today), want, "{what}");
        }
    }

    #[test]
    fn warning_codes_contacts_and_messages() {
        let name = |_: i32| "Zhang".to_string();
        for (w, code, contact, en) in [
            (MapWarning::NoDecisionMaker, "no_decision_maker", None, "No decision maker identified."),
            (MapWarning::WeightsNot100 { sum: 90 }, "weights_not_100", None, "Influence weights sum to 90 %, not 100 %."),
            (
                MapWarning::InfluentialOpponent { contact_id: 7, pct: 30 },
                "influential_opponent",
                Some(7),
                "Zhang is an opponent with 30 % influence.",
            ),
            (
                MapWarning::NotContacted { contact_id: 8, role: DecisionMaker, days: Some(45) },
                "not_contacted",
                Some(8),
                "Zhang (Decision maker) not contacted for 45 days.",
            ),
            (
                MapWarning::NotContacted { contact_id: 8, role: Coach, days: None },
                "not_contacted",
                Some(8),
                "Zhang (Coach / champion) has never been contacted.",
            ),
            (MapWarning::NoCoach, "no_coach", None, "No coach / champion."),
        ] {
            assert_eq!(w.code(), code);
            assert_eq!(w.contact_id(), contact);
            assert_eq!(w.message(Locale::En, name), en);
            assert!(!w.message(Locale::ZhCn, name).is_empty());
        }
    }

    #[test]
    fn gate_helpers() {
        let today = day(TODAY);
        let m = seed_map();
        assert!(has_role(&m, DecisionMaker) && has_role(&m, Coach) && !has_role(&m, Blocker));
        assert_eq!(weight_sum(&m), 100);
        assert_eq!(weight_sum(&[n(1, None, None, i32::MAX), n(2, None, None, 5)]), i32::MAX);
        assert!(!is_uncontacted(&m[0], today));
        assert!(is_uncontacted(&MapNode { last_contact: None, ..m[0].clone() }, today));
    }

    #[test]
    fn layout_table() {
        type Case = (&'static str, Vec<MapNode>, Vec<(i32, u32, u32)>);
        let r = |id: i32, up: Option<i32>| n(id, up, None, 0);
        let cases: Vec<Case> = vec![
            ("empty", vec![], vec![]),
            ("one", vec![r(1, None)], vec![(1, 0, 0)]),
            ("only child sits under its parent", vec![r(1, None), r(2, Some(1))], vec![(1, 0, 0), (2, 1, 0)]),
            ("two children, parent between", vec![r(1, None), r(2, Some(1)), r(3, Some(1))], vec![(1, 0, 1), (2, 1, 0), (3, 1, 2)]),
            (
                "three children, parent over the middle one",
                vec![r(1, None), r(2, Some(1)), r(3, Some(1)), r(4, Some(1))],
                vec![(1, 0, 2), (2, 1, 0), (3, 1, 2), (4, 1, 4)],
            ),
            (
                // 1 has children 2 (with 4, 5) and 3: 3 packs right next to 2, then 1 centres.
                "uneven subtrees",
                vec![r(1, None), r(2, Some(1)), r(3, Some(1)), r(4, Some(2)), r(5, Some(2))],
                vec![(1, 0, 2), (2, 1, 1), (3, 1, 3), (4, 2, 0), (5, 2, 2)],
            ),
            (
                // A leaf first and a wide subtree second: nothing of the leaf's is at depth 2,
                // so only depth 1 decides and grandchild 4 may reach in below the leaf.
                "leaf then wide subtree",
                vec![r(1, None), r(2, Some(1)), r(3, Some(1)), r(4, Some(3)), r(5, Some(3))],
                vec![(1, 0, 1), (2, 1, 0), (3, 1, 2), (4, 2, 1), (5, 2, 3)],
            ),
            (
                // Outlines meet at depth 2 five columns apart; the gap is evened to 6 so the
                // parent lands on a whole column.
                "odd gap is evened",
                vec![r(1, None), r(2, Some(1)), r(3, Some(1)), r(4, Some(2)), r(5, Some(2)), r(6, Some(3)), r(7, Some(3)), r(8, Some(3))],
                vec![(1, 0, 4), (2, 1, 1), (3, 1, 7), (4, 2, 0), (5, 2, 2), (6, 2, 5), (7, 2, 7), (8, 2, 9)],
            ),
            ("forest: roots left to right", vec![r(1, None), r(2, None), r(3, Some(2))], vec![(1, 0, 0), (2, 0, 2), (3, 1, 2)]),
            (
                // Root 1's subtree reaches left of the root; the whole picture shifts to 0.
                "forest packs by outline",
                vec![r(1, None), r(2, Some(1)), r(3, Some(1)), r(9, None)],
                vec![(1, 0, 1), (2, 1, 0), (3, 1, 2), (9, 0, 3)],
            ),
            ("unknown boss makes a root", vec![r(1, Some(77)), r(2, None)], vec![(1, 0, 0), (2, 0, 2)]),
            ("self boss makes a root", vec![r(1, Some(1))], vec![(1, 0, 0)]),
            ("loop is cut at its first member", vec![r(1, Some(2)), r(2, Some(1))], vec![(1, 0, 0), (2, 1, 0)]),
            ("duplicate placed once", vec![r(1, None), r(1, None)], vec![(1, 0, 0)]),
        ];
        for (what, m, want) in cases {
            assert_eq!(layout(&m), want, "{what}");
        }
    }

    /// Properties on a bigger map: every node placed once, neighbours at a depth at least
    /// `SEP` apart, parents exactly centred over first and last child, sibling subtrees not
    /// interleaved, leftmost at 0.
    #[test]
    fn layout_properties_on_a_deep_forest() {
        let mut m = vec![n(1, None, None, 0)];
        // A lopsided tree under 1, a second root 100 with a long chain, and a third root.
        for (id, up) in [(2, 1), (3, 1), (4, 1), (5, 2), (6, 2), (7, 2), (8, 4), (9, 8), (10, 8), (11, 10), (12, 3)] {
            m.push(n(id, Some(up), None, 0));
        }
        m.push(n(100, None, None, 0));
        for id in 101..110 {
            m.push(n(id, Some(id - 1), None, 0));
        }
        m.push(n(200, None, None, 0));
        let got = layout(&m);
        assert_eq!(got.len(), m.len());
        let at = |id: i32| got.iter().find(|g| g.0 == id).copied().unwrap();
        assert_eq!(got.iter().map(|g| g.2).min(), Some(0));
        for a in &got {
            for b in &got {
                if a.0 != b.0 && a.1 == b.1 {
                    assert!(a.2.abs_diff(b.2) >= SEP as u32, "{a:?} {b:?}");
                }
            }
        }
        for p in &m {
            let kids: Vec<_> = m.iter().filter(|c| c.reports_to == Some(p.contact_id)).map(|c| at(c.contact_id)).collect();
            if let (Some(first), Some(last)) = (kids.first(), kids.last()) {
                assert_eq!(at(p.contact_id).2 * 2, first.2 + last.2, "parent {} centred", p.contact_id);
                assert!(kids.iter().all(|k| k.1 == at(p.contact_id).1 + 1));
                assert!(kids.windows(2).all(|w| w[0].2 < w[1].2), "children keep map order");
            }
        }
        // Roots left to right, and the chain stays straight under its root.
        assert!(at(1).2 < at(100).2 && at(100).2 < at(200).2);
        assert!((101..110).all(|id| at(id).2 == at(100).2 && at(id).1 == (id - 100) as u32));
        // Subtree of 2 lies wholly left of subtree of 3 at depth 2.
        assert!(at(7).2 < at(12).2);
    }
}
