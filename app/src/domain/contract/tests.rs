use super::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn numbers_follow_seed_003() {
    assert_eq!(number(2024, 3, 1), "HT-202403001");
    assert_eq!(number(2026, 12, 42), "HT-202612042");
    assert_eq!(number(2026, 1, 1000), "HT-2026011000");
    for t in ContractType::ALL {
        assert_eq!(ContractType::parse(t.code()), Some(t));
    }
    for a in Approver::ALL {
        assert_eq!(Approver::parse(a.code()), Some(a));
    }
}

#[test]
fn the_chain_is_the_most_specific_rule_for_the_amount() {
    use Approver::*;
    let rules = vec![
        ChainRule { contract_type: None, min_amount_fen: 0, steps: vec![SalesManager, Legal, GeneralManager] },
        ChainRule { contract_type: None, min_amount_fen: 500_000_000, steps: vec![SalesManager, Legal, Finance, GeneralManager] },
        ChainRule { contract_type: Some(ContractType::Maintenance), min_amount_fen: 0, steps: vec![SalesManager] },
    ];
    let cases: &[(ContractType, i64, &[Approver])] = &[
        (ContractType::SoftwareLicence, 100_000_000, &[SalesManager, Legal, GeneralManager]),
        (ContractType::SoftwareLicence, 500_000_000, &[SalesManager, Legal, Finance, GeneralManager]),
        (ContractType::Maintenance, 900_000_000, &[SalesManager]),
        (ContractType::Mixed, 0, &[SalesManager, Legal, GeneralManager]),
    ];
    for (kind, amount, want) in cases {
        assert_eq!(chain_for(&rules, *kind, *amount), *want, "{kind:?} {amount}");
    }
    assert_eq!(chain_for(&[], ContractType::Service, 1), [SalesManager, Legal, GeneralManager]);
    assert!(validate_chain(&rules).is_ok());
    assert!(validate_chain(&[ChainRule { contract_type: None, min_amount_fen: 0, steps: vec![] }]).is_err());
    assert!(validate_chain(&[ChainRule { contract_type: None, min_amount_fen: 0, steps: vec![Legal, Legal] }]).is_err());
}

#[test]
fn a_chain_moves_step_by_step_and_a_rejection_ends_it() {
    use Approver::*;
    let steps = [SalesManager, Legal, GeneralManager];
    let cases: &[(&[bool], ChainState)] = &[
        (&[], ChainState::Waiting(0)),
        (&[true], ChainState::Waiting(1)),
        (&[true, true], ChainState::Waiting(2)),
        (&[true, true, true], ChainState::Approved),
        (&[false], ChainState::Rejected(0)),
        (&[true, false], ChainState::Rejected(1)),
        (&[true, true, false], ChainState::Rejected(2)),
    ];
    for (decisions, want) in cases {
        assert_eq!(progress(&steps, decisions), *want, "{decisions:?}");
    }
}

#[test]
fn milestones_add_up_to_the_amount_to_the_fen() {
    use Share::*;
    let err = |r: Result<Vec<i64>, AppError>| match r {
        Err(AppError::Validation { field, message }) => format!("{field}: {message}"),
        Ok(v) => format!("{v:?}"),
        Err(e) => format!("{e:?}"),
    };
    // 30 / 60 / 10 of ¥1,000,000.01: the odd fen goes to the largest remainder.
    assert_eq!(
        milestone_amounts(100_000_001, &[PercentBp(3000), PercentBp(6000), PercentBp(1000)]).unwrap(),
        [30_000_000, 60_000_001, 10_000_000]
    );
    // A third each of ¥1.00.
    assert_eq!(milestone_amounts(100, &[PercentBp(3334), PercentBp(3333), PercentBp(3333)]).unwrap(), [34, 33, 33]);
    // Fixed down payment, the rest in shares.
    assert_eq!(milestone_amounts(1_000_000, &[AmountFen(200_000), PercentBp(8000)]).unwrap(), [200_000, 800_000]);
    assert_eq!(milestone_amounts(500, &[AmountFen(500)]).unwrap(), [500]);
    assert!(err(milestone_amounts(1_000_000, &[PercentBp(3000), PercentBp(6000)])).contains("short of the contract amount by 1000.00"));
    assert!(err(milestone_amounts(1_000_000, &[AmountFen(600_000), PercentBp(5000)])).contains("over the contract amount by 1000.00"));
    assert!(err(milestone_amounts(1_000_000, &[])).starts_with("milestones"));
    assert!(err(milestone_amounts(-100, &[PercentBp(10_000)])).starts_with("amount"));
    assert!(err(milestone_amounts(0, &[PercentBp(10_000)])).starts_with("amount"));
    assert!(err(milestone_amounts(1_000_000, &[PercentBp(0), PercentBp(10_000)])).contains("milestone 1"));
    assert!(err(milestone_amounts(1_000_000, &[AmountFen(-5)])).contains("milestone 1"));
    // Generated: any split into percentages that sum to 100 % adds up exactly.
    let mut seed = 7u64;
    for _ in 0..2_000 {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let amount = i64::try_from(seed % 10_000_000_000).unwrap() + 1;
        let n = usize::try_from(seed >> 60).unwrap() % 5 + 1;
        let mut left = 10_000i32;
        let mut shares = Vec::new();
        for k in 0..n {
            let take = if k + 1 == n { left } else { (left / 2).max(1).min(left - i32::try_from(n - k - 1).unwrap()) };
            shares.push(PercentBp(take));
            left -= take;
        }
        let got = milestone_amounts(amount, &shares).unwrap();
        assert_eq!(got.iter().sum::<i64>(), amount, "{amount} {shares:?}");
    }
}

#[test]
fn a_receipt_cannot_pass_what_is_due() {
    assert!(check_receipt(1000, 0, 1000).is_ok());
    assert!(check_receipt(1000, 400, 600).is_ok());
    assert!(check_receipt(1000, 400, 601).is_err());
    assert!(check_receipt(1000, 0, 0).is_err());
}

#[test]
fn receivables_age_by_days_past_due() {
    let today = d("2026-12-06");
    let items = [
        (Some(d("2026-12-31")), 100, 0), // not yet due
        (Some(d("2026-12-06")), 50, 0),  // due today: not overdue
        (Some(d("2026-12-05")), 70, 20), // 1 day: 50 open
        (Some(d("2026-11-06")), 30, 0),  // 30 days
        (Some(d("2026-11-05")), 40, 0),  // 31 days
        (Some(d("2026-09-07")), 60, 0),  // 90 days
        (Some(d("2026-09-06")), 80, 0),  // 91 days
        (Some(d("2026-01-01")), 90, 90), // paid: nothing open
        (None, 500, 0),                  // a trigger not yet met
    ];
    let a = ageing(&items, today);
    assert_eq!(a, Ageing { not_due_fen: 650, d0_30_fen: 80, d31_90_fen: 100, over_90_fen: 80 });
    assert_eq!(a.overdue_fen(), 260);
}

#[test]
fn amendments_are_numbered_after_the_original() {
    let cases =
        [("HT-202403001", 1, "HT-202403001-A1"), ("HT-202403001-A1", 2, "HT-202403001-A2"), ("HT-2026011000", 12, "HT-2026011000-A12")];
    for (original, rev, want) in cases {
        assert_eq!(amendment_number(original, rev), want);
    }
}

#[test]
fn an_amendment_keeps_what_was_received() {
    let received = [(1, 300), (2, 0), (3, 50)];
    type Due<'a> = &'a [(i32, i64)];
    let cases: &[(Due, Option<&str>)] = &[
        (&[(1, 300), (2, 600), (3, 100)], None),
        (&[(1, 400), (2, 500), (3, 50)], None),
        (&[(1, 300), (3, 50)], None),
        (&[(1, 299), (2, 600), (3, 100)], Some("milestone 1")),
        (&[(1, 300), (2, 600)], Some("milestone 3")),
        (&[], Some("milestone 1")),
    ];
    for (due, want) in cases {
        let got = check_carry(&received, due);
        match want {
            None => assert!(got.is_ok(), "{due:?}"),
            Some(w) => match got {
                Err(AppError::Validation { field, message }) => {
                    assert_eq!(field, "milestones", "{due:?}");
                    assert!(message.contains(w), "{due:?}: {message}");
                }
                other => panic!("{due:?}: {other:?}"),
            },
        }
    }
    assert!(check_carry(&[], &[]).is_ok());
}
