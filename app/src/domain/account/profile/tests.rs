//! Tables: what an edit may say (every bound, each error naming its field in both languages),
//! what the diff records, the changes and merges in words.
use super::*;

fn facts() -> Facts {
    Facts { name: "华东机械".into(), industry: "机械".into(), headcount: Some(300), ..Facts::default() }
}

#[test]
fn codes_round_trip_and_match_serde() {
    for s in Iso9000::ALL {
        assert_eq!(Iso9000::parse(s.code()), Some(s));
        assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.code()));
    }
    for f in Field::ALL {
        assert_eq!(Field::parse(f.code()), Some(f));
        assert_eq!(serde_json::to_string(&f).unwrap(), format!("\"{}\"", f.code()));
        assert!(!f.label(Locale::En).is_empty() && !f.label(Locale::ZhCn).is_empty());
    }
    for e in AccountEvent::ALL {
        assert_eq!(AccountEvent::parse(e.code()), Some(e));
    }
    for s in LeadSource::ALL {
        assert_ne!(s.name(Locale::En), s.name(Locale::ZhCn));
    }
    assert_eq!(Iso9000::parse("certified"), None);
}

#[test]
fn bounds_of_an_edit_name_the_field() {
    let long = |n: usize| "字".repeat(n);
    let cases: Vec<(AccountPatch, Result<(), ProfileError>)> = vec![
        (AccountPatch { name: Some("  新名称  ".into()), ..Default::default() }, Ok(())),
        (AccountPatch { name: Some("   ".into()), ..Default::default() }, Err(ProfileError::Required(Field::Name))),
        (AccountPatch { name: Some(long(NAME_MAX)), ..Default::default() }, Ok(())),
        (AccountPatch { name: Some(long(NAME_MAX + 1)), ..Default::default() }, Err(ProfileError::TooLong(Field::Name, NAME_MAX))),
        (
            AccountPatch { industry: Some(long(SHORT_MAX + 1)), ..Default::default() },
            Err(ProfileError::TooLong(Field::Industry, SHORT_MAX)),
        ),
        (AccountPatch { city: Some(Some(long(SHORT_MAX + 1))), ..Default::default() }, Err(ProfileError::TooLong(Field::City, SHORT_MAX))),
        (AccountPatch { headcount: Some(Some(-1)), ..Default::default() }, Err(ProfileError::Negative(Field::Headcount))),
        (AccountPatch { headcount: Some(Some(HEADCOUNT_MAX)), ..Default::default() }, Ok(())),
        (AccountPatch { headcount: Some(Some(HEADCOUNT_MAX + 1)), ..Default::default() }, Err(ProfileError::TooLarge(Field::Headcount))),
        (AccountPatch { revenue_fen: Some(Some(-1)), ..Default::default() }, Err(ProfileError::Negative(Field::Revenue))),
        (AccountPatch { revenue_fen: Some(Some(MAX_FEN + 1)), ..Default::default() }, Err(ProfileError::TooLarge(Field::Revenue))),
        (AccountPatch { revenue_fen: Some(Some(i64::MAX)), ..Default::default() }, Err(ProfileError::TooLarge(Field::Revenue))),
        (AccountPatch { profit_fen: Some(Some(-5_000_000)), ..Default::default() }, Ok(())),
        (AccountPatch { profit_fen: Some(Some(i64::MIN)), ..Default::default() }, Err(ProfileError::TooLarge(Field::Profit))),
        (AccountPatch { profit_fen: Some(Some(MAX_FEN + 1)), ..Default::default() }, Err(ProfileError::TooLarge(Field::Profit))),
        (AccountPatch { item_codes: Some(Some(-3)), ..Default::default() }, Err(ProfileError::Negative(Field::ItemCodes))),
        (AccountPatch { item_codes: Some(Some(ITEM_CODES_MAX + 1)), ..Default::default() }, Err(ProfileError::TooLarge(Field::ItemCodes))),
        (AccountPatch { item_codes: Some(Some(12_000)), ..Default::default() }, Ok(())),
        (
            AccountPatch { main_products: Some(Some(long(LONG_MAX + 1))), ..Default::default() },
            Err(ProfileError::TooLong(Field::MainProducts, LONG_MAX)),
        ),
        (
            AccountPatch { current_systems: Some(Some(long(LONG_MAX + 1))), ..Default::default() },
            Err(ProfileError::TooLong(Field::CurrentSystems, LONG_MAX)),
        ),
        (
            AccountPatch { territory: Some(Some(long(SHORT_MAX + 1))), ..Default::default() },
            Err(ProfileError::TooLong(Field::Territory, SHORT_MAX)),
        ),
    ];
    for (i, (p, want)) in cases.into_iter().enumerate() {
        let got = apply(&facts(), &p).map(|_| ());
        assert_eq!(got, want, "case {i}");
        if let Err(e) = got {
            for l in [Locale::En, Locale::ZhCn] {
                assert!(!e.message(l).is_empty(), "case {i}");
            }
            assert_ne!(e.message(Locale::En), e.message(Locale::ZhCn), "case {i}");
        }
    }
}

#[test]
fn absent_fields_stay_null_clears_text_is_trimmed() {
    let mut before = facts();
    before.city = Some("苏州".into());
    before.profile.territory = Some("华东".into());
    let p = AccountPatch {
        city: Some(None),
        territory: Some(Some("  ".into())),
        main_products: Some(Some(" 数控机床 ".into())),
        ..Default::default()
    };
    let after = apply(&before, &p).unwrap();
    assert_eq!(after.city, None);
    assert_eq!(after.profile.territory, None, "blank text is 'not known'");
    assert_eq!(after.profile.main_products.as_deref(), Some("数控机床"));
    assert_eq!((after.name.as_str(), after.headcount), ("华东机械", Some(300)), "absent fields unchanged");
    // JSON: absent vs null.
    let p: AccountPatch = serde_json::from_str(r#"{"city": null, "headcount": 450}"#).unwrap();
    assert_eq!((p.city, p.headcount, p.name), (Some(None), Some(Some(450)), None));
    let back: AccountPatch =
        serde_json::from_str(&serde_json::to_string(&AccountPatch { city: Some(None), ..Default::default() }).unwrap()).unwrap();
    assert_eq!(back.city, Some(None));
    assert_eq!(back.industry, None);
}

#[test]
fn the_diff_names_each_changed_field_from_what_to_what() {
    let before = facts();
    let p = AccountPatch {
        headcount: Some(Some(450)),
        iso9000: Some(Some(Iso9000::InProgress)),
        computerised: Some(Some(false)),
        lead_source: Some(Some(LeadSource::CallIn)),
        revenue_fen: Some(Some(12_345_600)),
        name: Some("华东机械".into()),
        ..Default::default()
    };
    let after = apply(&before, &p).unwrap();
    let d = diff(&before, &after);
    let fields: Vec<Field> = d.iter().map(|c| c.field).collect();
    assert_eq!(
        fields,
        [Field::Headcount, Field::Revenue, Field::Iso9000, Field::Computerised, Field::LeadSource],
        "same name is no change"
    );
    assert_eq!(d[0], Change { field: Field::Headcount, from: Some("300".into()), to: Some("450".into()) });
    assert!(diff(&after, &after).is_empty());
    let words: Vec<(String, String)> = d.iter().map(|c| (change_text(c, Locale::En), change_text(c, Locale::ZhCn))).collect();
    assert_eq!(words[0], ("Headcount: 300 → 450".into(), "人数：300 → 450".into()));
    assert_eq!(words[1].0, "Revenue: — → ¥123,456.00");
    assert_eq!(words[2], ("ISO9000: — → Certification under way".into(), "ISO9000：— → 认证中".into()));
    assert_eq!(words[3], ("Computerised: — → No".into(), "已信息化：— → 否".into()));
    assert_eq!(words[4].1, "名单来源：— → 上门客户");
}

#[test]
fn a_merge_in_words() {
    let m = MergeSummary { duplicate: "华东机械（重复）".into(), deals: 2, contacts: 3, ..Default::default() };
    assert_eq!(merge_text(&m, Locale::En), "Merged “华东机械（重复）” into this account: 2 deal(s), 3 contact(s)");
    assert_eq!(merge_text(&m, Locale::ZhCn), "已将“华东机械（重复）”合并到本客户：2 个商机、3 位联系人");
    let empty = MergeSummary { duplicate: "X".into(), ..Default::default() };
    assert!(merge_text(&empty, Locale::En).contains("nothing to move"));
}
