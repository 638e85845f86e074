//! Demo grades through the grading service, as the account owners would have answered the
//! questionnaire: a mix of A to D in both variants, one overridden with its reason.
use crate::domain::account::dto::GradeInput;
use crate::domain::account::grading::{Answers, Level, Variant};
use crate::domain::account::Grade;
use crate::domain::error::AppError;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::entity::account;
use crate::ssr::service::account as accounts;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

/// Seed 000's profile questions answered for a demo account, derived from its id alone: the
/// generator's draws stay in the order they always were, so every other demo value (and every
/// test that reads one) is unchanged.
pub(super) fn demo_profile(id: i32) -> account::ActiveModel {
    use crate::domain::account::profile::Iso9000;
    use crate::domain::account::LeadSource;
    const PRODUCTS: [&str; 6] = ["数控机床", "精密五金件", "电子元器件", "电动工具", "注塑模具", "工业阀门"];
    const SYSTEMS: [&str; 4] = ["用友 U8（财务）", "金蝶 K/3", "自建 Access 进销存", "Excel + 手工账"];
    const TERRITORIES: [&str; 4] = ["苏南", "浙北", "珠三角", "环渤海"];
    let n = id.unsigned_abs() as usize;
    let computerised = !n.is_multiple_of(3);
    account::ActiveModel {
        main_products: Set(Some(PRODUCTS[n % PRODUCTS.len()].to_owned())),
        iso9000: Set(Some(Iso9000::ALL[n % Iso9000::ALL.len()].code().to_owned())),
        bpr_under_way: Set(Some(n % 4 == 1)),
        plant_move_planned: Set(Some(n % 5 == 2)),
        big_investment_planned: Set(Some(n % 6 == 3)),
        item_codes: Set(Some(800 + (id.rem_euclid(40)) * 450)),
        computerised: Set(Some(computerised)),
        current_systems: Set(computerised.then(|| SYSTEMS[n % SYSTEMS.len()].to_owned())),
        lead_source: Set(Some(LeadSource::ALL[n % LeadSource::ALL.len()].code().to_owned())),
        territory: Set(Some(TERRITORIES[(n / 3) % TERRITORIES.len()].to_owned())),
        ..Default::default()
    }
}

/// The questionnaires, in turn: A, B, C, D not computerised; then computerised ones.
fn sheet(i: usize) -> (Answers, Option<(Grade, &'static str)>) {
    let nc = Variant::NotComputerised;
    let yes = |variant, resolve, feasibility, selection| Answers {
        variant,
        objective_need: true,
        subjective_need: true,
        resolve,
        feasibility_started: feasibility,
        selection_started: selection,
    };
    match i % 7 {
        0 => (yes(nc, Level::High, true, true), None),
        1 => (yes(nc, Level::Medium, true, false), None),
        2 => (yes(nc, Level::Low, false, false), None),
        3 => (Answers { subjective_need: false, ..yes(nc, Level::None, false, false) }, None),
        4 => (yes(Variant::Computerised { dissatisfaction: Level::High }, Level::High, true, true), None),
        5 => (yes(Variant::Computerised { dissatisfaction: Level::Medium }, Level::Medium, false, false), None),
        _ => (
            yes(nc, Level::Medium, true, false),
            Some((Grade::A, "集团已批预算，下月启动选型 / Group budget approved, selection starts next month")),
        ),
    }
}

pub(super) async fn seed_grades(db: &Db) -> Result<(), AppError> {
    let err = crate::ssr::db_err;
    let rows = account::Entity::find().order_by_asc(account::Column::Id).limit(21).all(db).await.map_err(err)?;
    for (i, a) in rows.into_iter().enumerate() {
        let owner = RequestContext::load(db, a.owner_id).await?.ok_or(AppError::Internal)?;
        let (answers, chosen) = sheet(i);
        let input = GradeInput { answers, chosen: chosen.map(|c| c.0), reason: chosen.map(|c| c.1.to_owned()) };
        accounts::grade(db, &owner, a.uuid, input, a.version).await?;
        // A demo company did not grade everything this morning: spread the grading days over
        // the past months (deterministic), so the list's "held for" reads like a real book.
        let at = chrono::Utc::now() - chrono::Duration::days(5 + (i as i64 * 17) % 160);
        account::Entity::update_many()
            .col_expr(account::Column::GradeSince, sea_orm::sea_query::Expr::value(at))
            .filter(account::Column::Id.eq(a.id))
            .exec(db)
            .await
            .map_err(err)?;
        crate::ssr::entity::account_grade::Entity::update_many()
            .col_expr(crate::ssr::entity::account_grade::Column::DecidedAt, sea_orm::sea_query::Expr::value(at))
            .filter(crate::ssr::entity::account_grade::Column::AccountId.eq(a.id))
            .exec(db)
            .await
            .map_err(err)?;
    }
    Ok(())
}

/// Demo revisits through the revisit service, as the owners would have recorded them: each
/// owner's first graded account (not D) last contacted longer ago than its cadence allows
/// (overdue on their home page), the rest with a rising satisfaction history or a visit
/// planned this week.
pub(super) async fn seed_revisits(db: &Db) -> Result<(), AppError> {
    use crate::domain::account::revisit::{Channel, RevisitInput};
    use chrono::Days;
    let err = crate::ssr::db_err;
    let today = accounts::cadence::today();
    let ago = |n: u64| today.checked_sub_days(Days::new(n)).unwrap_or(today);
    let rows = account::Entity::find().order_by_asc(account::Column::Id).limit(21).all(db).await.map_err(err)?;
    let mut overdue_owners = std::collections::HashSet::new();
    for (i, a) in rows.into_iter().enumerate() {
        let Some(grade) = a.grade.as_deref().and_then(Grade::parse) else { continue };
        let owner = RequestContext::load(db, a.owner_id).await?.ok_or(AppError::Internal)?;
        let visit = |on, channel, satisfaction: u8, feedback: &str, needs: Option<&str>| RevisitInput {
            visited_on: on,
            channel,
            contact_name: Some(["王总", "财务李经理", "IT 部赵主管"][i % 3].into()),
            feedback: feedback.into(),
            satisfaction,
            new_needs: needs.map(str::to_owned),
            follow_up: None,
            follow_up_owner: None,
            follow_up_due: None,
            next_visit_on: None,
            follow_up_of: None,
            accepted: None,
        };
        let list = if grade != Grade::D && overdue_owners.insert(a.owner_id) {
            let days = match grade {
                Grade::A => 45,
                Grade::B => 120,
                _ => 200,
            };
            vec![visit(
                ago(days),
                Channel::Visit,
                3,
                "上线后运行基本稳定，仓库盘点效率仍有抱怨 / Stable since go-live; stock-take still slow",
                None,
            )]
        } else if i % 2 == 0 {
            vec![
                visit(ago(160), Channel::Phone, 3, "对实施进度有意见 / Unhappy with the rollout pace", None),
                visit(ago(100), Channel::Visit, 4, "问题已解决，关键用户满意 / Issues fixed, key users content", None),
                visit(
                    ago(20),
                    Channel::Visit,
                    5,
                    "财务总监主动提出扩展 / The CFO asked to extend the system",
                    Some("合并报表与预算模块 / Consolidation and budgeting modules"),
                ),
            ]
        } else {
            let mut v = visit(ago(8), Channel::Video, 4, "季度回顾，运行正常 / Quarterly review, all well", None);
            v.next_visit_on = today.checked_add_days(Days::new(3));
            vec![v]
        };
        for r in list {
            accounts::record_revisit(db, &owner, a.uuid, r).await?;
        }
    }
    // A deal of the East rep's won last week still owes its delivery call.
    use crate::ssr::entity::{deal, stage, user};
    use sea_orm::{ColumnTrait, QueryFilter};
    let rep = user::Entity::find().filter(user::Column::Email.eq("rep@demo.local")).one(db).await.map_err(err)?;
    let won: Vec<i32> =
        stage::Entity::find().filter(stage::Column::Kind.eq("won")).all(db).await.map_err(err)?.into_iter().map(|s| s.id).collect();
    if let Some(rep) = rep {
        let d = deal::Entity::find()
            .filter(deal::Column::OwnerId.eq(rep.id))
            .filter(deal::Column::StageId.is_in(won))
            .order_by_desc(deal::Column::StageEnteredAt)
            .one(db)
            .await
            .map_err(err)?;
        if let Some(d) = d {
            accounts::cadence::on_won(db, &d).await?;
        }
    }
    Ok(())
}
