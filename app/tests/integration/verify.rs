#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `verify`: the kept summaries against their rebuild, on SQLite and (with TEST_DATABASE_URL)
//! PostgreSQL. It must find nothing after service writes, name each corrupted row, and change
//! nothing itself.
use crate::common::{ctx_for, seeded};
use app::ssr::entity::{deal, progress_day, stage};
use app::ssr::service::deal as deals;
use app::ssr::verify::verify;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

#[tokio::test]
async fn verify_finds_nothing_after_service_writes_and_names_each_corrupted_row() {
    let t = seeded().await;
    let db = &t.db;
    let r = verify(db).await.unwrap();
    assert!(r.is_ok(), "{:?} {:?}", r.differences, r.integrity);
    for (table, n) in &r.rows {
        assert!(*n > 0, "the demo fills {table}");
    }

    // Service writes keep them equal (edits of amount and close date, with their history).
    let admin = ctx_for(db, "admin@demo.local").await;
    let ds = deal::Entity::find().order_by_asc(deal::Column::Id).all(db).await.unwrap();
    for d in ds.iter().take(10) {
        deals::update_facts(db, &admin, d.uuid, d.amount_fen + 777, d.close_date + chrono::Duration::days(40), d.version).await.unwrap();
    }
    let r = verify(db).await.unwrap();
    assert!(r.is_ok(), "{:?}", r.differences);

    // An open deal written behind the services' back: its board total and forecast cell differ.
    let open: Vec<i32> =
        stage::Entity::find().filter(stage::Column::Kind.eq("open")).all(db).await.unwrap().into_iter().map(|s| s.id).collect();
    let d = ds.iter().find(|d| open.contains(&d.stage_id)).expect("the demo has open deals");
    db.execute_unprepared(&format!("UPDATE deals SET amount_fen = amount_fen + 100 WHERE id = {}", d.id)).await.unwrap();
    // A progress day lost.
    let day = progress_day::Entity::find().filter(progress_day::Column::Fen.ne(0)).one(db).await.unwrap().unwrap();
    progress_day::Entity::delete_many()
        .filter(progress_day::Column::Scope.eq(day.scope))
        .filter(progress_day::Column::Day.eq(day.day))
        .filter(progress_day::Column::TeamId.eq(day.team_id))
        .filter(progress_day::Column::OwnerId.eq(day.owner_id))
        .filter(progress_day::Column::Cls.eq(day.cls.clone()))
        .exec(db)
        .await
        .unwrap();
    let r = verify(db).await.unwrap();
    let off_by_100 = |table: &str| r.differences.iter().filter(|x| x.table == table && x.rebuilt[1] - x.kept[1] == 100).count();
    assert_eq!((off_by_100("deal_totals"), off_by_100("forecast_cells")), (1, 1), "{:?}", r.differences);
    let day_diff = r.differences.iter().find(|x| x.table == "progress_days").expect("the lost day is named");
    assert_eq!((day_diff.kept.clone(), day_diff.rebuilt.clone()), (vec![0], vec![day.fen]));
    assert!(day_diff.key.contains(&format!("day {}", day.day)), "{}", day_diff.key);
    assert!(!r.is_ok());

    // Verifying changed nothing: the same differences again.
    let again = verify(db).await.unwrap();
    assert_eq!(again.differences, r.differences);
}
