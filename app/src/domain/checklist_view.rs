//! How the checklists a page shows take in what the server says, without losing a tick.
//! A page holds its lists and updates them in place from save results and reloads, which
//! may arrive in any order: an item keeps what it shows while its own save is under way (the
//! person's tick), and a reply never replaces an item with an older version of it.
use crate::domain::dto::{ChecklistItemRow, DealChecklistView};

/// `fresh` as the page should now show it, given what it shows (`current`) and the items
/// whose save is under way.
pub fn refreshed(current: Option<&DealChecklistView>, mut fresh: DealChecklistView, saving: &[i32]) -> DealChecklistView {
    if let Some(current) = current {
        for item in &mut fresh.items {
            if let Some(shown) = current.items.iter().find(|i| i.id == item.id) {
                if saving.contains(&item.id) || shown.version > item.version {
                    *item = shown.clone();
                }
            }
        }
    }
    recount(&mut fresh);
    fresh
}

/// Every list of `fresh` (in its order) refreshed against what is shown.
pub fn refreshed_all(current: &[DealChecklistView], fresh: Vec<DealChecklistView>, saving: &[i32]) -> Vec<DealChecklistView> {
    fresh.into_iter().map(|f| refreshed(current.iter().find(|c| c.id == f.id), f, saving)).collect()
}

/// One list's reply (a save's result) put in its place; a list not shown is added.
pub fn replace_one(current: &mut Vec<DealChecklistView>, fresh: DealChecklistView, saving: &[i32]) {
    match current.iter().position(|c| c.id == fresh.id) {
        Some(at) => current[at] = refreshed(Some(&current[at]), fresh, saving),
        None => current.push(refreshed(None, fresh, saving)),
    }
}

/// The person ticked or unticked an item: shown at once, before the server answers.
pub fn tick(current: &mut [DealChecklistView], item: i32, done: bool) {
    for c in current.iter_mut() {
        if let Some(i) = c.items.iter_mut().find(|i| i.id == item) {
            i.done = done;
            // A done item is not overdue (the same rule as `checklist::overdue`).
            i.overdue = i.overdue && !done;
            recount(c);
        }
    }
}

/// The counts follow the items shown (`checklist::is_complete`: at least one item, all done).
fn recount(c: &mut DealChecklistView) {
    let open_overdue = |i: &&ChecklistItemRow| i.overdue && !i.done;
    c.total = c.items.len();
    c.done = c.items.iter().filter(|i| i.done).count();
    c.complete = c.total > 0 && c.done == c.total;
    c.overdue = c.items.iter().filter(open_overdue).count();
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn item(id: i32, done: bool, version: i32) -> ChecklistItemRow {
        ChecklistItemRow {
            id,
            position: id,
            text_en: format!("item {id}"),
            text_zh: format!("项 {id}"),
            done,
            done_by: None,
            done_at: None,
            owner_id: None,
            owner: None,
            due: None,
            note: None,
            link: None,
            version,
            overdue: false,
        }
    }

    fn list(items: Vec<ChecklistItemRow>) -> DealChecklistView {
        DealChecklistView {
            id: uuid::Uuid::nil(),
            deal_id: uuid::Uuid::nil(),
            deal_name: "d".into(),
            template_code: "demo".into(),
            kind: "demo".into(),
            name_en: "Demo".into(),
            name_zh: "演示".into(),
            done: 0,
            total: 0,
            complete: false,
            overdue: 0,
            items,
        }
    }

    fn shown(c: &DealChecklistView) -> Vec<(i32, bool, i32)> {
        c.items.iter().map(|i| (i.id, i.done, i.version)).collect()
    }

    #[test]
    fn a_reply_is_taken_in_item_by_item() {
        // (shown, reply, saving, expected, done/total)
        type Row = (Vec<(bool, i32)>, Vec<(bool, i32)>, Vec<i32>, Vec<(bool, i32)>, (usize, usize));
        let table: Vec<Row> = vec![
            // A newer reply wins.
            (vec![(false, 1), (false, 1)], vec![(true, 2), (false, 1)], vec![], vec![(true, 2), (false, 1)], (1, 2)),
            // A reply read before item 2's save committed keeps the tick shown (item 2 saving).
            (vec![(true, 2), (true, 1)], vec![(true, 2), (false, 1)], vec![2], vec![(true, 2), (true, 1)], (2, 2)),
            // An older reply arriving after a newer one changes nothing.
            (vec![(true, 2), (true, 2)], vec![(true, 2), (false, 1)], vec![], vec![(true, 2), (true, 2)], (2, 2)),
            // A refused save (conflict) is no longer saving: the server's state is shown again.
            (vec![(true, 1)], vec![(false, 1)], vec![], vec![(false, 1)], (0, 1)),
            // Someone else's newer untick wins.
            (vec![(true, 2)], vec![(false, 3)], vec![], vec![(false, 3)], (0, 1)),
            // An item the page did not show is taken as it is.
            (vec![(true, 2)], vec![(true, 2), (false, 1)], vec![], vec![(true, 2), (false, 1)], (1, 2)),
        ];
        for (n, (before, reply, saving, after, (done, total))) in table.into_iter().enumerate() {
            let mk = |v: Vec<(bool, i32)>| list(v.into_iter().enumerate().map(|(i, (d, ver))| item(i as i32 + 1, d, ver)).collect());
            let got = refreshed(Some(&mk(before)), mk(reply), &saving);
            let want: Vec<_> = after.into_iter().enumerate().map(|(i, (d, v))| (i as i32 + 1, d, v)).collect();
            assert_eq!(shown(&got), want, "row {n}");
            assert_eq!((got.done, got.total, got.complete), (done, total, done == total && total > 0), "row {n}");
        }
    }

    #[test]
    fn a_tick_shows_at_once_and_clears_overdue() {
        let mut ls = vec![list(vec![item(1, false, 1), ChecklistItemRow { overdue: true, ..item(2, false, 1) }])];
        ls[0] = refreshed(None, ls[0].clone(), &[]);
        assert_eq!((ls[0].done, ls[0].overdue, ls[0].complete), (0, 1, false));
        tick(&mut ls, 2, true);
        assert_eq!((ls[0].done, ls[0].overdue, ls[0].complete), (1, 0, false));
        tick(&mut ls, 1, true);
        assert_eq!((ls[0].done, ls[0].complete), (2, true));
        tick(&mut ls, 1, false);
        assert_eq!((ls[0].done, ls[0].complete), (1, false));
        // An empty list is never complete.
        assert!(!refreshed(None, list(vec![]), &[]).complete);
    }

    #[test]
    fn a_save_result_replaces_its_list_only() {
        let mut a = list(vec![item(1, false, 1)]);
        let mut b = list(vec![item(2, false, 1)]);
        b.id = uuid::Uuid::from_u128(2);
        a = refreshed(None, a, &[]);
        let mut ls = vec![a.clone(), b.clone()];
        let mut b2 = b.clone();
        b2.items[0] = item(2, true, 2);
        replace_one(&mut ls, b2, &[]);
        assert_eq!(shown(&ls[0]), vec![(1, false, 1)]);
        assert_eq!(shown(&ls[1]), vec![(2, true, 2)]);
        let mut c = list(vec![item(3, false, 1)]);
        c.id = uuid::Uuid::from_u128(3);
        replace_one(&mut ls, c, &[]);
        assert_eq!(ls.len(), 3);
        let again = refreshed_all(&ls, vec![b, a], &[]);
        assert_eq!(again.len(), 2, "a reload drops what the server no longer lists");
        assert_eq!(shown(&again[0]), vec![(2, true, 2)], "an older reply of b keeps its newer item");
    }
}
