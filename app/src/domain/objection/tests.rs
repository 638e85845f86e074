use super::report::{by_category, DealOutcome, Fact};
use super::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn input() -> ObjectionInput {
    ObjectionInput {
        raised_on: d("2026-11-02"),
        category: Category::PriceTooHigh,
        raised_by: None,
        said: "  太贵了，比竞品高 20%  ".into(),
        demand: Some("降价 15%".into()),
        strategy: None,
        owner: None,
        due_on: Some(d("2026-11-10")),
    }
}

#[test]
fn categories_and_statuses_round_trip() {
    for c in Category::ALL {
        assert_eq!(Category::parse(c.code()), Some(c));
        assert!(!c.names().0.is_empty() && !c.names().1.is_empty());
    }
    for s in Status::ALL {
        assert_eq!(Status::parse(s.code()), Some(s));
    }
    assert_eq!(Category::parse("too_expensive"), None);
}

#[test]
fn steps_follow_the_table() {
    use Status::*;
    // Rows: from; columns: to = Open, Answered, Resolved, Dropped.
    let table: [(Status, [bool; 4]); 4] = [
        (Open, [false, true, true, true]),
        (Answered, [true, false, true, true]),
        (Resolved, [true, false, false, false]),
        (Dropped, [true, false, false, false]),
    ];
    for (from, row) in table {
        for (to, want) in Status::ALL.into_iter().zip(row) {
            assert_eq!(may_step(from, to), want, "{from:?} → {to:?}");
        }
    }
    assert!(Open.unresolved() && Answered.unresolved() && !Resolved.unresolved() && !Dropped.unresolved());
}

#[test]
fn a_form_is_trimmed_and_bad_fields_are_named() {
    let today = d("2026-12-06");
    let c = clean(input(), today).unwrap();
    assert_eq!(c.said, "太贵了，比竞品高 20%");
    type Edit = fn(&mut ObjectionInput);
    let cases: &[(Edit, &str)] = &[
        (|o| o.said = "   ".into(), "said"),
        (|o| o.said = "x".repeat(MAX_TEXT + 1), "said"),
        (|o| o.demand = Some("x".repeat(MAX_TEXT + 1)), "demand"),
        (|o| o.due_on = Some(d("2026-11-01")), "due_on"),
        (|o| o.raised_on = d("1899-12-31"), "raised_on"),
        (|o| o.due_on = Some(d("9999-12-31")), "due_on"),
        (|o| o.raised_on = d("2026-12-07"), "raised_on"),
    ];
    for (edit, field) in cases {
        let mut o = input();
        edit(&mut o);
        match clean(o, today) {
            Err(AppError::Validation { field: f, .. }) => assert_eq!(&f, field),
            other => panic!("{field}: {other:?}"),
        }
    }
}

#[test]
fn a_step_needs_what_it_records() {
    let today = d("2026-12-06");
    let raised = d("2026-11-02");
    let step = |to, feedback: Option<&str>, resolved_on: Option<&str>| StepInput {
        to,
        feedback: feedback.map(str::to_owned),
        resolved_on: resolved_on.map(d),
    };
    let field = |r: Result<(Option<String>, Option<NaiveDate>), AppError>| match r {
        Err(AppError::Validation { field, .. }) => field,
        Ok(v) => format!("ok {v:?}"),
        Err(e) => format!("{e:?}"),
    };
    use Status::*;
    let cases: Vec<(Status, Option<&str>, StepInput, String)> = vec![
        (Open, None, step(Answered, None, None), "strategy".into()),
        (Open, Some("  "), step(Answered, None, None), "strategy".into()),
        (Open, Some("案例+参观"), step(Answered, None, None), "ok (None, None)".into()),
        (Answered, Some("s"), step(Resolved, None, None), "feedback".into()),
        (Answered, Some("s"), step(Resolved, Some("满意"), None), format!("ok ({:?}, Some({today:?}))", Some("满意"))),
        (Answered, Some("s"), step(Resolved, Some("ok"), Some("2026-11-01")), "resolved_on".into()),
        (Answered, Some("s"), step(Resolved, Some("ok"), Some("2026-12-07")), "resolved_on".into()),
        (Open, None, step(Dropped, None, None), "feedback".into()),
        (Resolved, None, step(Answered, None, None), "status".into()),
        (Open, None, step(Open, None, None), "status".into()),
        (Resolved, None, step(Open, None, None), "ok (None, None)".into()),
    ];
    for (i, (from, strategy, s, want)) in cases.into_iter().enumerate() {
        assert_eq!(field(check_step(from, strategy, raised, s, today)), want, "case {i}");
    }
}

#[test]
fn overdue_is_unresolved_past_due() {
    let today = d("2026-12-06");
    let cases = [
        (Status::Open, Some("2026-12-05"), true),
        (Status::Answered, Some("2026-12-01"), true),
        (Status::Open, Some("2026-12-06"), false),
        (Status::Open, None, false),
        (Status::Resolved, Some("2026-12-01"), false),
        (Status::Dropped, Some("2026-12-01"), false),
    ];
    for (s, due, want) in cases {
        assert_eq!(is_overdue(s, due.map(d), today), want, "{s:?} {due:?}");
    }
}

#[test]
fn the_team_view_counts_each_deal_once_and_puts_the_costliest_first() {
    let deal = |n: u128| uuid::Uuid::from_u128(n);
    let f = |n: u128, category, status, amount, outcome, resolved: Option<&str>| Fact {
        deal: deal(n),
        category,
        status,
        raised_on: d("2026-10-01"),
        resolved_on: resolved.map(d),
        deal_amount_fen: amount,
        outcome,
    };
    use Category::*;
    use DealOutcome::*;
    let facts = [
        // Price: raised twice on a lost deal (counted once), resolved on a won one.
        f(1, PriceTooHigh, Status::Open, 500, Lost, None),
        f(1, PriceTooHigh, Status::Dropped, 500, Lost, None),
        f(2, PriceTooHigh, Status::Resolved, 300, Won, Some("2026-10-11")),
        // References: unresolved on two open deals, resolved on a third.
        f(3, WantsReferences, Status::Open, 800, Open, None),
        f(4, WantsReferences, Status::Answered, 200, Open, None),
        f(5, WantsReferences, Status::Resolved, 100, Open, Some("2026-10-04")),
        f(5, WantsReferences, Status::Resolved, 100, Open, Some("2026-10-09")),
        // A trial: once, resolved.
        f(6, WantsTrial, Status::Resolved, 50, Won, Some("2026-10-02")),
    ];
    let r = by_category(&facts);
    let shape: Vec<_> = r.iter().map(|s| (s.category, s.raised, s.unresolved, s.resolved, s.dropped, s.deals, s.lost_deals)).collect();
    assert_eq!(shape, [(PriceTooHigh, 3, 1, 1, 1, 2, 1), (WantsReferences, 4, 2, 2, 0, 3, 0), (WantsTrial, 1, 0, 1, 0, 1, 0),]);
    assert_eq!((r[0].lost_fen, r[0].at_stake_fen, r[0].mean_days_to_resolve), (500, 0, Some(10)));
    // Days 3 and 8: the mean 5.5 rounds half up.
    assert_eq!((r[1].lost_fen, r[1].at_stake_fen, r[1].mean_days_to_resolve), (0, 1000, Some(6)));
    assert!(by_category(&[]).is_empty());
}

#[test]
fn objection_notes_name_their_category_in_words() {
    for (note, zh, want) in [
        ("price_too_high: 超出预算。", true, "价格太高: 超出预算。"),
        ("bad_past_experience: the last vendor failed", false, "Bad past experience: the last vendor failed"),
        ("not_a_code: kept", false, "not_a_code: kept"),
        ("客户预算冻结", true, "客户预算冻结"),
    ] {
        assert_eq!(note_in_words(note, zh), want, "{note}");
    }
}
