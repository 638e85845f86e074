#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The target market as SQL and the capacity plan, through the services (SQLite and
//! PostgreSQL): the SQL condition agrees with the pure rule (`TargetMarket::fits`) on every
//! account for a table of markets — the test that keeps the two from drifting; the list's
//! filter and the counts follow it; the dashboard's split equals a brute-force sum over the
//! viewer's deals; the capacity view counts each rep's book and shows only what the viewer may
//! see; a refused plan writes nothing.
use crate::common::{ctx_for, seeded};
use app::domain::account::cadence::{CapacityPlan, CapacityRow, Tier};
use app::domain::account::listing::AccountFilter;
use app::domain::account::market::{FitKind, SplitRow};
use app::domain::account::target::TargetMarket;
use app::domain::account::Grade;
use app::domain::dto::weighted_fen;
use app::domain::error::AppError;
use app::ssr::entity::{account, account_policy, deal, deal_member, stage, team, user};
use app::ssr::service::account::{self as accounts, capacity, market, target};
use app::ssr::service::forecast;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect};
use std::collections::HashMap;

const YI: i64 = 100_000_000 * 100;
const WAN: i64 = 10_000 * 100;

/// Accounts whose facts sit on, inside and outside every kind of bound, with industry texts
/// the pure rule normalises (case, blanks, synonyms, traditional characters) and blanks.
async fn add_table(db: &app::ssr::db::Db, owner: &user::Model) {
    let industries = ["电子科技", "精密机械", "  Machinery ", "塑胶制品", "", "   ", "機械", "Plastics  Injection", "ELECTRONICS", "光电"];
    let revenues = [None, Some(YI / 10), Some(3 * YI / 10), Some(5 * YI), Some(5 * YI + 1)];
    let profits = [None, Some(500 * WAN - 1), Some(500 * WAN)];
    let headcounts = [None, Some(99), Some(100), Some(1000), Some(1001)];
    let now = chrono::Utc::now();
    let mut rows = Vec::new();
    let mut n = 0;
    for ind in industries {
        for rev in revenues {
            for profit in profits {
                for hc in headcounts {
                    n += 1;
                    rows.push(account::ActiveModel {
                        uuid: Set(uuid::Uuid::new_v4()),
                        name: Set(format!("目标市场表 {n}")),
                        industry: Set(ind.to_owned()),
                        headcount: Set(hc),
                        revenue_fen: Set(rev),
                        profit_fen: Set(profit),
                        owner_id: Set(owner.id),
                        team_id: Set(owner.team_id.unwrap()),
                        created_at: Set(now),
                        updated_at: Set(now),
                        version: Set(1),
                        ..Default::default()
                    });
                }
            }
        }
    }
    for chunk in rows.chunks(100) {
        account::Entity::insert_many(chunk.to_vec()).exec(&**db).await.unwrap();
    }
}

fn markets() -> Vec<TargetMarket> {
    let open = TargetMarket {
        industries: vec![],
        revenue_min_fen: None,
        revenue_max_fen: None,
        headcount_min: None,
        headcount_max: None,
        profit_floor_fen: None,
    };
    vec![
        TargetMarket::default(),
        open.clone(),
        TargetMarket { headcount_min: Some(100), headcount_max: Some(1000), ..open.clone() },
        TargetMarket {
            industries: vec!["plastics injection".into(), "光电".into(), "机械".into()],
            revenue_min_fen: Some(3 * YI / 10),
            profit_floor_fen: Some(500 * WAN),
            ..open.clone()
        },
        TargetMarket { industries: vec![" 塑胶制品 ".into()], revenue_max_fen: Some(5 * YI), headcount_max: Some(1000), ..open },
    ]
}

#[tokio::test]
async fn the_sql_condition_agrees_with_the_pure_rule() {
    let t = seeded().await;
    let db = &t.db;
    let admin = ctx_for(db, "admin@demo.local").await;
    let rep = ctx_for(db, "rep@demo.local").await;
    let owner = user::Entity::find().filter(user::Column::Email.eq("rep@demo.local")).one(&**db).await.unwrap().unwrap();
    add_table(db, &owner).await;
    let all = account::Entity::find().all(&**db).await.unwrap();
    assert!(all.len() >= 750);
    for m in markets() {
        assert!(m.validate().is_ok(), "{m:?}");
        target::save(db, &admin, m.clone()).await.unwrap();
        let sql = market::market_sql(&**db, &m).await.unwrap();
        let by_sql: HashMap<i32, i32> = account::Entity::find()
            .select_only()
            .column(account::Column::Id)
            .expr_as(sql.case(), "fit")
            .into_tuple()
            .all(&**db)
            .await
            .unwrap()
            .into_iter()
            .collect();
        let mut want: HashMap<FitKind, u64> = HashMap::new();
        for a in &all {
            let pure = FitKind::from(&target::fit(&m, a));
            assert_eq!(market::kind_of(by_sql[&a.id]), Some(pure), "{m:?}\n{a:?}");
            *want.entry(pure).or_default() += 1;
        }
        // Each standing's WHERE condition selects the same accounts as the CASE.
        for k in FitKind::ALL {
            let n = account::Entity::find().filter(sql.condition(k)).count(&**db).await.unwrap();
            assert_eq!(n, want.get(&k).copied().unwrap_or(0), "{k:?} under {m:?}");
        }
        // The admin's counts and the list's filter (an admin sees every account).
        let counts = market::counts(&**db, &admin, &m).await.unwrap();
        for c in &counts {
            assert_eq!(c.count, want.get(&c.fit).copied().unwrap_or(0), "{m:?}");
            let f = AccountFilter { target: Some(c.fit), ..AccountFilter::default() };
            let page = accounts::list_filtered(db, &admin, f, 1, 200).await.unwrap();
            assert_eq!(page.total, c.count, "{:?} under {m:?}", c.fit);
            assert!(page.rows.iter().all(|r| r.target.as_ref().map(FitKind::from) == Some(c.fit)));
        }
        // A rep's list keeps its visibility under the filter.
        let f = AccountFilter { target: Some(FitKind::In), ..AccountFilter::default() };
        let mine = accounts::list_filtered(db, &rep, f.clone(), 1, 200).await.unwrap();
        let everyone = accounts::list_filtered(db, &admin, f, 1, 200).await.unwrap();
        assert!(mine.total <= everyone.total);
    }
    // The open market: every account is in.
    let open = &markets()[1];
    let counts = market::counts(&**db, &admin, open).await.unwrap();
    assert_eq!(
        counts.iter().map(|c| (c.fit, c.count)).collect::<Vec<_>>(),
        vec![(FitKind::In, all.len() as u64), (FitKind::Out, 0), (FitKind::Unknown, 0)]
    );
}

#[tokio::test]
async fn the_dashboard_split_equals_a_brute_force_sum() {
    let t = seeded().await;
    let db = &t.db;
    let admin = ctx_for(db, "admin@demo.local").await;
    let owner = user::Entity::find().filter(user::Column::Email.eq("rep@demo.local")).one(&**db).await.unwrap().unwrap();
    add_table(db, &owner).await;
    // Spread the demo's deals over the table's accounts, so every standing has deals.
    let table: Vec<i32> = account::Entity::find()
        .filter(account::Column::Name.starts_with("目标市场表"))
        .select_only()
        .column(account::Column::Id)
        .into_tuple()
        .all(&**db)
        .await
        .unwrap();
    let deals = deal::Entity::find().all(&**db).await.unwrap();
    for (i, d) in deals.iter().enumerate().filter(|(i, _)| i % 3 == 0) {
        let mut m: deal::ActiveModel = d.clone().into();
        m.account_id = Set(table[(i * 7) % table.len()]);
        deal::Entity::update(m).exec(&**db).await.unwrap();
    }
    let stages: HashMap<i32, stage::Model> = stage::Entity::find().all(&**db).await.unwrap().into_iter().map(|s| (s.id, s)).collect();
    let accounts: HashMap<i32, account::Model> = account::Entity::find().all(&**db).await.unwrap().into_iter().map(|a| (a.id, a)).collect();
    let mut members: HashMap<i32, Vec<i32>> = HashMap::new();
    for m in deal_member::Entity::find().all(&**db).await.unwrap() {
        members.entry(m.deal_id).or_default().push(m.user_id);
    }
    let deals = deal::Entity::find().all(&**db).await.unwrap();
    for m in [TargetMarket::default(), markets()[3].clone()] {
        target::save(db, &admin, m.clone()).await.unwrap();
        for email in
            ["admin@demo.local", "exec@demo.local", "manager@demo.local", "manager2@demo.local", "rep@demo.local", "presales@demo.local"]
        {
            let ctx = ctx_for(db, email).await;
            let got = forecast::pipeline_split(db, &ctx).await.unwrap();
            let mut want: Vec<SplitRow> =
                FitKind::ALL.into_iter().map(|fit| SplitRow { fit, count: 0, amount_fen: 0, weighted_fen: 0 }).collect();
            for d in &deals {
                let s = &stages[&d.stage_id];
                let sees = ctx.visibility.allows(d.team_id, members.get(&d.id).map_or(&[][..], Vec::as_slice));
                let own_only = app::domain::access::figures_owner(ctx.role, ctx.user_id);
                if s.kind != "open" || !sees || own_only.is_some_and(|u| u != d.owner_id) {
                    continue;
                }
                let fit = FitKind::from(&target::fit(&m, &accounts[&d.account_id]));
                let row = want.iter_mut().find(|r| r.fit == fit).unwrap();
                row.count += 1;
                row.amount_fen += d.amount_fen;
                row.weighted_fen += weighted_fen(d.amount_fen, s.win_rate_pct);
            }
            assert_eq!(got.rows, want, "{email} under {m:?}");
            if email == "admin@demo.local" {
                assert!(want.iter().filter(|r| r.count > 0).count() >= 2, "the table spreads deals: {want:?}");
            }
        }
    }
}

#[tokio::test]
async fn capacity_counts_each_reps_book_for_whoever_may_see_it() {
    let t = seeded().await;
    let db = &t.db;
    let admin = ctx_for(db, "admin@demo.local").await;
    let manager = ctx_for(db, "manager@demo.local").await;
    let rep = ctx_for(db, "rep@demo.local").await;
    let teams: HashMap<String, team::Model> =
        team::Entity::find().all(&**db).await.unwrap().into_iter().map(|t| (t.name.clone(), t)).collect();
    let (east, west) = (&teams["East"], &teams["West"]);
    let users: HashMap<i32, user::Model> = user::Entity::find().all(&**db).await.unwrap().into_iter().map(|u| (u.id, u)).collect();
    let accounts = account::Entity::find().all(&**db).await.unwrap();
    let book = |user_id: uuid::Uuid| {
        let id = users.values().find(|u| u.uuid == user_id).unwrap().id;
        let mut by: HashMap<Tier, u32> = HashMap::new();
        for a in accounts.iter().filter(|a| a.owner_id == id) {
            *by.entry(a.grade.as_deref().and_then(Grade::parse).map_or(Tier::New, Tier::from)).or_default() += 1;
        }
        by
    };

    // The manager: their team's reps (and themselves), never the other team's.
    let v = capacity::view(db, &manager, None).await.unwrap();
    assert!(!v.reps.is_empty());
    assert!(v.reps.iter().all(|r| r.team == "East"), "{:?}", v.reps.iter().map(|r| &r.team).collect::<Vec<_>>());
    assert!(v.reps.iter().any(|r| r.name == "张磊"));
    assert_eq!(v.teams.len(), 1);
    assert!((20..=23).contains(&v.working_days));
    for r in &v.reps {
        let want = book(r.user_id);
        for l in &r.lines {
            assert_eq!(l.accounts, want.get(&l.tier).copied().unwrap_or(0), "{} {:?}", r.name, l.tier);
        }
        assert_eq!(r.d_accounts, want.get(&Tier::D).copied().unwrap_or(0));
    }
    assert_eq!(capacity::view(db, &manager, Some(west.uuid)).await.unwrap_err(), AppError::NotFound);
    assert_eq!(capacity::view(db, &manager, Some(east.uuid)).await.unwrap().reps.len(), v.reps.len());

    // A rep: their own book only, whatever team they ask for that they see.
    let mine = capacity::view(db, &rep, None).await.unwrap();
    assert_eq!(mine.reps.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), vec!["张磊"]);
    assert_eq!(capacity::view(db, &rep, Some(west.uuid)).await.unwrap_err(), AppError::NotFound);

    // The admin: all teams, or one.
    let all = capacity::view(db, &admin, None).await.unwrap();
    assert!(all.reps.iter().any(|r| r.team == "East") && all.reps.iter().any(|r| r.team == "West"));
    let w = capacity::view(db, &admin, Some(west.uuid)).await.unwrap();
    assert!(!w.reps.is_empty() && w.reps.iter().all(|r| r.team == "West"));
    assert_eq!(capacity::view(db, &admin, Some(uuid::Uuid::new_v4())).await.unwrap_err(), AppError::NotFound);

    // The plan: admins only; a refused one writes nothing; a saved one is what the view uses.
    let plan = CapacityPlan { per_tier: vec![CapacityRow { tier: Tier::A, accounts: 1, days_per_month: 5 }] };
    assert_eq!(capacity::save_plan(db, &manager, plan.clone()).await.unwrap_err(), AppError::Forbidden);
    let bad = CapacityPlan { per_tier: vec![CapacityRow { tier: Tier::A, accounts: 0, days_per_month: 5 }] };
    assert!(matches!(capacity::save_plan(db, &admin, bad).await.unwrap_err(), AppError::Validation { field, .. } if field == "accounts"));
    let row = account_policy::Entity::find_by_id(1).one(&**db).await.unwrap();
    assert!(row.and_then(|r| r.capacity_plan).is_none(), "nothing written");
    assert_eq!(capacity::plan(&**db).await.unwrap(), CapacityPlan::default());
    capacity::save_plan(db, &admin, plan.clone()).await.unwrap();
    assert_eq!(capacity::plan(&**db).await.unwrap(), plan);
    let v = capacity::view(db, &manager, None).await.unwrap();
    assert_eq!(v.plan, plan);
    let zhang = v.reps.iter().find(|r| r.name == "张磊").unwrap();
    assert_eq!(zhang.lines.len(), 1);
    let a = book(zhang.user_id).get(&Tier::A).copied().unwrap_or(0);
    assert_eq!(zhang.days_needed_tenths, u64::from(a) * 50);
    assert_eq!(zhang.over, u64::from(a) * 50 > u64::from(v.working_days) * 10);
    // The cadence and the market in the same row are untouched.
    assert_eq!(accounts::cadence::policy(&**db).await.unwrap(), app::domain::account::cadence::Cadence::default());
    assert_eq!(target::policy(&**db).await.unwrap(), TargetMarket::default());
}
