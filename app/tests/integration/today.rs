#![allow(clippy::unwrap_used, clippy::expect_used)]
//! "My day" on the home page through its service: one's own deals that need attention (close
//! date passed, closing this month, stuck), follow-ups due, unread mentions. SQLite, or
//! PostgreSQL with TEST_DATABASE_URL.
use crate::common::{ctx_for, seeded};
use app::domain::activity::ActivityAt;
use app::domain::dto::NewActivity;
use app::domain::forecast::offset;
use app::domain::today::Attention;
use app::ssr::entity::{deal, stage};
use app::ssr::service::{activity, comment, today};
use chrono::{Datelike, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

#[tokio::test]
async fn my_day_lists_my_deals_that_need_attention_my_tasks_due_and_my_mentions() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let manager = ctx_for(db, "manager@demo.local").await;
    let now = Utc::now();
    let today_local = now.with_timezone(&offset()).date_naive();
    let open: Vec<i32> = stage::Entity::find().filter(stage::Column::Kind.eq("open")).all(db).await.unwrap().iter().map(|s| s.id).collect();
    let mine = deal::Entity::find()
        .filter(deal::Column::OwnerId.eq(rep.user_id))
        .filter(deal::Column::StageId.is_in(open))
        .order_by_asc(deal::Column::Id)
        .all(db)
        .await
        .unwrap();
    assert!(mine.len() >= 3, "the demo gives rep@ open deals");
    // Every own open deal calm (closing next year, just entered its stage), then three made urgent.
    let calm = today_local.with_day(1).unwrap() + Duration::days(400);
    deal::Entity::update_many()
        .col_expr(deal::Column::CloseDate, Expr::value(calm))
        .col_expr(deal::Column::StageEnteredAt, Expr::value(now))
        .filter(deal::Column::OwnerId.eq(rep.user_id))
        .exec(db)
        .await
        .unwrap();
    let set = |id: i32, close: chrono::NaiveDate, entered: chrono::DateTime<Utc>| async move {
        deal::Entity::update_many()
            .col_expr(deal::Column::CloseDate, Expr::value(close))
            .col_expr(deal::Column::StageEnteredAt, Expr::value(entered))
            .filter(deal::Column::Id.eq(id))
            .exec(db)
            .await
            .unwrap();
    };
    let month_end = (today_local.with_day(1).unwrap() + Duration::days(32)).with_day(1).unwrap() - Duration::days(1);
    set(mine[0].id, today_local - Duration::days(10), now).await;
    set(mine[1].id, month_end, now).await;
    set(mine[2].id, calm, now - Duration::days(400)).await;

    let day = today::my_day(db, &rep).await.unwrap();
    let why = |d: &deal::Model| day.deals.iter().find(|x| x.card.id == d.uuid).map(|x| x.attention.clone());
    assert_eq!(why(&mine[0]), Some(vec![Attention::ClosePassed]));
    assert_eq!(why(&mine[1]), Some(vec![Attention::ClosingThisMonth]));
    assert_eq!(why(&mine[2]), Some(vec![Attention::Stuck]), "every demo stage has a stuck limit under 400 days");
    assert_eq!(day.deals_total, 3, "the calm deals are not listed");
    assert_eq!(day.deals[0].card.id, mine[0].uuid, "earliest close first");
    // Nobody else's deals: the manager's day does not list the rep's.
    assert!(today::my_day(db, &manager).await.unwrap().deals.iter().all(|x| mine.iter().all(|m| m.uuid != x.card.id)));

    // A follow-up due today, owned by the rep.
    let before = day.today_tasks;
    activity::log(
        db,
        &rep,
        mine[0].uuid,
        NewActivity {
            kind: "call".into(),
            at: ActivityAt::Time(now - Duration::hours(1)),
            channel: None,
            people: Some("钱总".into()),
            summary: "确认了演示时间".into(),
            satisfaction: None,
            new_needs: None,
            next_action: Some("发演示议程".into()),
            next_owner: Some(rep.uuid),
            next_due: Some(today_local),
        },
    )
    .await
    .unwrap();
    // A mention by the manager.
    let mentions_before = day.unread_mentions;
    comment::add(db, &manager, mine[1].uuid, "@张磊请今天回复客户").await.unwrap();

    let day = today::my_day(db, &rep).await.unwrap();
    assert_eq!(day.today_tasks, before + 1);
    assert!(day.tasks.iter().any(|t| t.action == "发演示议程" && t.bucket == "today"));
    assert_eq!(day.unread_mentions, mentions_before + 1);
    assert_eq!(day.mentions[0].deal_id, mine[1].uuid);
    assert!(day.tasks.len() <= 6 && day.deals.len() <= 6 && day.mentions.len() <= 3);
}
