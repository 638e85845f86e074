use super::*;

fn c(clause: Clause, given: Given, got: Option<&str>, after: Option<i64>) -> Concession {
    Concession { clause, given, got: got.map(str::to_owned), position_after: after }
}

fn codes(w: &[Vec<Warning>]) -> Vec<Vec<&'static str>> {
    w.iter().map(|ws| ws.iter().map(Warning::code).collect()).collect()
}

#[test]
fn clauses_round_trip() {
    for c in Clause::ALL {
        assert_eq!(Clause::parse(c.code()), Some(c));
    }
    assert_eq!(Clause::parse("discount"), None);
}

#[test]
fn each_concession_smaller_than_the_last_and_never_for_nothing() {
    use Clause::*;
    use Given::*;
    let lines = BottomLines { lowest_price_fen: Some(250_000_000), longest_payment_days: Some(90) };
    type Case = (Vec<Concession>, Vec<Vec<&'static str>>);
    let cases: Vec<Case> = vec![
        // A shrinking price ladder, each step traded: clean.
        (
            vec![
                c(Price, AmountFen(10_000_000), Some("三年维保"), Some(290_000_000)),
                c(Price, AmountFen(5_000_000), Some("提前签约"), Some(285_000_000)),
                c(Price, AmountFen(2_000_000), Some("案例授权"), Some(283_000_000)),
            ],
            vec![vec![], vec![], vec![]],
        ),
        // The second step is larger: warned; the third gave for nothing.
        (
            vec![
                c(Price, AmountFen(5_000_000), Some("x"), Some(295_000_000)),
                c(Price, AmountFen(8_000_000), Some("y"), Some(287_000_000)),
                c(Price, AmountFen(1_000_000), Some("  "), Some(286_000_000)),
            ],
            vec![vec![], vec!["larger_than_previous"], vec!["nothing_in_return"]],
        ),
        // Sizes compare per clause and per unit only.
        (
            vec![
                c(Price, PercentBp(300), Some("x"), None),
                c(Training, Days(2), Some("y"), None),
                c(Price, AmountFen(9_000_000), Some("z"), None),
                c(Training, Days(5), Some("w"), None),
                c(Price, PercentBp(200), Some("v"), None),
            ],
            vec![vec![], vec![], vec![], vec!["larger_than_previous"], vec![]],
        ),
        // Across a step in another unit or in words, the last step in the same unit counts.
        (
            vec![
                c(Price, PercentBp(300), Some("x"), None),
                c(Price, AmountFen(9_000_000), Some("y"), None),
                c(Price, Text("free shipping".into()), Some("z"), None),
                c(Price, PercentBp(500), Some("w"), None),
            ],
            vec![vec![], vec![], vec![], vec!["larger_than_previous"]],
        ),
        // Words have no size: never "larger".
        (
            vec![c(SupportSla, Text("4 h".into()), Some("x"), None), c(SupportSla, Text("2 h, 7×24".into()), Some("y"), None)],
            vec![vec![], vec![]],
        ),
        // Under the lowest price and past the longest payment term: the GM's line.
        (
            vec![
                c(Price, AmountFen(40_000_000), None, Some(240_000_000)),
                c(PaymentTerms, Days(30), Some("x"), Some(120)),
                c(PaymentTerms, Days(30), Some("x"), Some(90)),
                c(Price, AmountFen(0), Some("x"), Some(250_000_000)),
            ],
            vec![vec!["nothing_in_return", "crosses_bottom_line"], vec!["crosses_bottom_line"], vec![], vec![]],
        ),
    ];
    for (i, (ladder, want)) in cases.iter().enumerate() {
        assert_eq!(codes(&warnings(ladder, &lines)), *want, "case {i}");
        assert_eq!(needs_gm(ladder, &lines), want.iter().flatten().any(|w| *w == "crosses_bottom_line"), "case {i}");
    }
    // Without bottom lines nothing crosses.
    let free = vec![c(Price, AmountFen(1), Some("x"), Some(1))];
    assert!(!needs_gm(&free, &BottomLines::default()));
}

#[test]
fn the_chart_numbers_the_steps_of_one_clause() {
    use Clause::*;
    use Given::*;
    let ladder = vec![
        c(Price, AmountFen(500), Some("x"), None),
        c(Training, Days(2), Some("y"), None),
        c(Price, Text("free shipping".into()), Some("z"), None),
        c(Price, AmountFen(300), Some("w"), None),
    ];
    assert_eq!(chart(&ladder, Price), [(1, 500), (2, 300)]);
    assert_eq!(chart(&ladder, Training), [(1, 2)]);
    assert!(chart(&ladder, Other).is_empty());
}

#[test]
fn statuses_round_trip() {
    for s in NegotiationStatus::ALL {
        assert_eq!(NegotiationStatus::parse(s.code()), Some(s));
    }
    assert_eq!(NegotiationStatus::parse("won"), None);
}

/// Every size of concession at and just past its bounds.
#[test]
fn a_concession_gives_something_within_bounds() {
    let max = crate::domain::validate::MAX_FEN;
    let cases: Vec<(Given, bool)> = vec![
        (Given::AmountFen(0), false),
        (Given::AmountFen(1), true),
        (Given::AmountFen(max), true),
        (Given::AmountFen(max + 1), false),
        (Given::AmountFen(-5), false),
        (Given::PercentBp(0), false),
        (Given::PercentBp(10_000), true),
        (Given::PercentBp(10_001), false),
        (Given::Days(0), false),
        (Given::Days(3650), true),
        (Given::Days(3651), false),
        (Given::Text("   ".into()), false),
        (Given::Text("two more training days".into()), true),
        (Given::Text("长".repeat(500)), true),
        (Given::Text("长".repeat(501)), false),
    ];
    for (g, ok) in cases {
        assert_eq!(check_given(&g).is_ok(), ok, "{g:?}");
    }
}

/// Every role gets a starting point in both languages, and the languages differ.
#[test]
fn every_role_has_default_interests() {
    use crate::domain::committee::ContactRole;
    use crate::domain::locale::Locale;
    for r in ContactRole::ALL {
        let (en, zh) = (default_cares(r, Locale::En), default_cares(r, Locale::ZhCn));
        assert!(!en.is_empty() && !zh.is_empty() && en != zh, "{r:?}");
    }
}
