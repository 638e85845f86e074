//! Reference data every database gets (pipeline templates), the demo company, and the
//! bulk generator for benchmarks. Demo and bulk share one generator so the benchmark data
//! looks like the demo, only bigger.
mod accounts;
mod contracts;

use super::auth::hash_password;
use super::entity::{
    account, checklist_template, contact, deal, deal_checklist, deal_checklist_item, deal_contact, deal_history, deal_key_info,
    deal_member, pipeline, stage, stage_requirement, stage_transition, team, user,
};
use crate::domain::checklist::ChecklistKind;
use crate::domain::committee::{Attitude, ContactRole};
use crate::domain::gate::{Requirement, StageKind};
use crate::domain::keyinfo::{KeyField, KeyInfo};
use crate::domain::product::ProductKind;
use crate::domain::rng::SplitMix64;
use crate::ssr::db::Db;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("the database already holds data ({0}); seeding only fills an empty database")]
    HasData(String),
    #[error("database error: {0}")]
    Db(#[from] DbErr),
    #[error("could not hash the demo password")]
    Hash,
}

pub use crate::domain::templates::{PipelineTpl, StageTpl, TEMPLATES};

fn uuid_from(rng: &mut SplitMix64) -> uuid::Uuid {
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&rng.next_u64().to_le_bytes());
    b[8..].copy_from_slice(&rng.next_u64().to_le_bytes());
    uuid::Builder::from_random_bytes(b).into_uuid()
}

/// Inserts the pipeline templates when the database has no pipeline yet. Idempotent;
/// runs at every start-up, independent of the migrations.
pub async fn ensure_reference_data(db: &Db) -> Result<(), DbErr> {
    // Checklist templates are checked on their own, so databases made before the deal room
    // get them too.
    crate::ssr::service::checklist::ensure_templates(db).await?;
    crate::ssr::service::product::ensure_policy(db).await?;
    if pipeline::Entity::find().count(db).await? > 0 {
        return Ok(());
    }
    let txn = db.begin().await?;
    let now = Utc::now();
    for (pos, p) in TEMPLATES.iter().enumerate() {
        let pid = pipeline::Entity::insert(pipeline::ActiveModel {
            uuid: Set(uuid::Uuid::new_v4()),
            code: Set(p.code.into()),
            name_en: Set(p.en.into()),
            name_zh: Set(p.zh.into()),
            is_default: Set(p.is_default),
            position: Set(pos as i32 + 1),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        })
        .exec(&txn)
        .await?
        .last_insert_id;
        let rows: Vec<stage::ActiveModel> = p
            .stages
            .iter()
            .enumerate()
            .map(|(i, s)| stage::ActiveModel {
                uuid: Set(uuid::Uuid::new_v4()),
                pipeline_id: Set(pid),
                position: Set(i as i32 + 1),
                name_en: Set(s.en.into()),
                name_zh: Set(s.zh.into()),
                win_rate_pct: Set(s.pct),
                kind: Set(s.kind.as_str().into()),
                playbook_en: Set(s.playbook_en.into()),
                playbook_zh: Set(s.playbook_zh.into()),
                stuck_days: Set(s.stuck_days),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            })
            .collect();
        stage::Entity::insert_many(rows).exec(&txn).await?;
        let ids: Vec<i32> = stage::Entity::find()
            .filter(stage::Column::PipelineId.eq(pid))
            .order_by_asc(stage::Column::Position)
            .all(&txn)
            .await?
            .into_iter()
            .map(|s| s.id)
            .collect();
        let reqs: Vec<stage_requirement::ActiveModel> = p
            .stages
            .iter()
            .zip(&ids)
            .flat_map(|(s, id)| s.requires.iter().map(move |r| stage_requirement::ActiveModel { stage_id: Set(*id), code: Set(r.code()) }))
            .collect();
        if !reqs.is_empty() {
            stage_requirement::Entity::insert_many(reqs).exec(&txn).await?;
        }
        let overrides: Vec<stage_transition::ActiveModel> = p
            .overrides
            .iter()
            .filter_map(|(f, t, pol)| {
                Some(stage_transition::ActiveModel {
                    pipeline_id: Set(pid),
                    from_stage_id: Set(*ids.get((*f - 1) as usize)?),
                    to_stage_id: Set(*ids.get((*t - 1) as usize)?),
                    policy: Set(pol.as_str().into()),
                })
            })
            .collect();
        if !overrides.is_empty() {
            stage_transition::Entity::insert_many(overrides).exec(&txn).await?;
        }
    }
    txn.commit().await
}

/// Plausible values for a key-information field, so seeded deals meet the gates they passed.
fn fill_key_field(k: &mut KeyInfo, f: KeyField, rng: &mut SplitMix64, today: NaiveDate) {
    let pick = |rng: &mut SplitMix64, xs: &[&str]| Some((*rng.pick(xs)).to_owned());
    match f {
        KeyField::VendorPickDate => k.vendor_pick = Some(today + Duration::days(rng.range(10, 120))),
        KeyField::SigningDate => k.signing = Some(today + Duration::days(rng.range(20, 150))),
        KeyField::BudgetKnown => {
            if rng.chance(70) {
                k.budgeted = Some(true);
                k.budget_fen = Some(rng.range(30, 400) * 1_000_000);
                k.budget_covers = pick(rng, &["软件+实施", "软件、实施与首年运维", "仅软件许可"]);
            } else {
                k.budgeted = Some(false);
                k.affordable_fen = Some(rng.range(20, 200) * 1_000_000);
            }
        }
        KeyField::Motivation => {
            k.motivation =
                pick(rng, &["现有系统无法支撑多工厂管理", "集团要求统一财务口径", "库存准确率低，交期不稳定", "新厂区投产需要上线系统"])
        }
        KeyField::Problems => k.problems = pick(rng, &["库存账实不符", "成本核算滞后一个月", "订单交付周期长", "质量问题无法追溯"]),
        KeyField::FunctionalScope => {
            k.functional_scope = pick(rng, &["财务、供应链、生产", "MES 车间执行与设备联网", "采购协同与供应商门户", "PLM 与 BOM 管理"])
        }
        KeyField::DecisionMakers => k.decision_makers = pick(rng, &["总经理、财务总监", "董事长、信息中心主任", "生产副总、总经理"]),
        KeyField::DecisionProcess => {
            k.decision_process = pick(rng, &["选型小组评分后报总经理审批", "集团信息部统一招标", "三家比选，董事会决议"])
        }
        KeyField::Competitors => k.competitors = pick(rng, &["用友、金蝶", "SAP、鼎捷", "金蝶、浪潮", "本地软件商"]),
        KeyField::Leader => k.leader = pick(rng, &["我方", "金蝶", "用友", "SAP"]),
        KeyField::EvaluationItems => {
            k.evaluation_items = pick(rng, &["实施周期与顾问经验", "与现有 MES 的集成", "多组织多账套", "移动审批与报表"])
        }
    }
}

/// What makes a database "not empty" for seeding purposes.
pub async fn existing_data(db: &Db) -> Result<Option<String>, DbErr> {
    let users = user::Entity::find().count(db).await?;
    let accounts = account::Entity::find().count(db).await?;
    let deals = deal::Entity::find().count(db).await?;
    if users + accounts + deals == 0 {
        Ok(None)
    } else {
        Ok(Some(format!("{users} users, {accounts} accounts, {deals} deals")))
    }
}

/// The demo logins: (email, name, role, team). Password `dealgate` for all.
pub const DEMO_USERS: &[(&str, &str, &str, Option<&str>)] = &[
    ("admin@demo.local", "赵敏", "admin", None),
    ("exec@demo.local", "陈建国", "executive", None),
    ("gm@demo.local", "王志强", "gm", None),
    ("legal@demo.local", "刘婷", "legal", None),
    ("manager@demo.local", "李伟", "manager", Some("East")),
    ("rep@demo.local", "张磊", "rep", Some("East")),
    ("presales@demo.local", "孙丽", "presales", Some("East")),
    ("rep3@demo.local", "郑雪", "rep", Some("East")),
    ("rep5@demo.local", "林芳", "rep", Some("East")),
    ("manager2@demo.local", "周杰", "manager", Some("West")),
    ("rep2@demo.local", "吴昊", "rep", Some("West")),
    ("rep4@demo.local", "何斌", "rep", Some("West")),
    ("presales2@demo.local", "黄涛", "presales", Some("West")),
];
pub const DEMO_PASSWORD: &str = "dealgate";
const DEMO_SEED: u64 = 20_261_122;

struct TeamInfo {
    id: i32,
    reps: Vec<i32>,
    presales: Vec<i32>,
    cities: &'static [&'static str],
}

const EAST_CITIES: &[&str] = &["苏州", "无锡", "常州", "南通", "宁波", "嘉兴", "绍兴", "温州", "合肥", "厦门", "青岛", "天津"];
const WEST_CITIES: &[&str] = &["成都", "重庆", "西安", "武汉", "长沙", "郑州", "昆明", "贵阳", "兰州", "绵阳"];
const BRANDS: &[&str] = &[
    "恒达", "华瑞", "中联", "天工", "金科", "宏图", "远航", "精诚", "鼎盛", "新锐", "博远", "汇通", "永兴", "瑞丰", "凯达", "东晟", "盛世",
    "昊天", "铭泰", "启明", "华腾", "三峰", "立信", "德尔", "海川", "嘉禾", "正源", "北辰", "万钧", "力拓",
];
const INDUSTRIES: &[(&str, &str)] = &[
    ("精密机械", "Machinery"),
    ("电子科技", "Electronics"),
    ("五金制品", "Hardware"),
    ("汽车零部件", "Auto parts"),
    ("模具", "Moulds & dies"),
    ("塑胶制品", "Plastics"),
    ("电气设备", "Electrical equipment"),
    ("工具", "Tools"),
    ("新材料", "Advanced materials"),
    ("环保设备", "Environmental equipment"),
    ("阀门", "Valves"),
    ("轴承", "Bearings"),
    ("包装机械", "Packaging machinery"),
    ("光电", "Optoelectronics"),
];
const PROJECTS: &[&str] = &[
    "ERP实施项目",
    "MES一期",
    "WMS仓储升级",
    "PLM项目",
    "SRM采购协同",
    "设备联网改造",
    "CRM二期",
    "质量追溯系统",
    "财务共享中心",
    "APS排产优化",
    "ERP升级",
    "数字化工厂规划",
];
const SURNAMES: &[&str] =
    &["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"];
const GIVEN: &[&str] =
    &["建华", "海燕", "志明", "秀英", "国强", "晓东", "丽娟", "文博", "振宇", "雪梅", "永刚", "佳怡", "子健", "春雷", "慧敏", "德胜"];
const TITLES: &[(&str, &str)] = &[
    ("总经理", "总经办"),
    ("财务总监", "财务部"),
    ("信息中心主任", "信息中心"),
    ("生产副总", "生产部"),
    ("采购经理", "采购部"),
    ("IT经理", "信息中心"),
    ("车间主任", "制造一部"),
    ("质量经理", "质量部"),
];
const LOST_REASONS: &[(&str, Option<&str>)] =
    &[("价格高于竞争对手", Some("用友")), ("客户项目暂停", None), ("选择了集团统一平台", Some("SAP")), ("关键功能不满足", Some("金蝶"))];

/// Counts of what a seeding run wrote.
#[derive(Debug, Default, Clone, Copy)]
pub struct SeedSummary {
    pub users: u64,
    pub accounts: u64,
    pub contacts: u64,
    pub deals: u64,
    pub history: u64,
}

async fn create_org(db: &Db, extra_teams: usize, reps_per_extra_team: usize) -> Result<(Vec<TeamInfo>, u64), SeedError> {
    let now = Utc::now();
    let hash = hash_password(DEMO_PASSWORD).map_err(|_| SeedError::Hash)?;
    let txn = db.begin().await?;
    let mut team_ids = std::collections::HashMap::new();
    let mut names: Vec<(String, &'static [&'static str])> = vec![("East".into(), EAST_CITIES), ("West".into(), WEST_CITIES)];
    for i in 0..extra_teams {
        names.push((format!("Region {:02}", i + 3), if i % 2 == 0 { EAST_CITIES } else { WEST_CITIES }));
    }
    let mut teams = Vec::new();
    for (name, cities) in &names {
        let id = team::Entity::insert(team::ActiveModel {
            uuid: Set(uuid::Uuid::new_v4()),
            name: Set(name.clone()),
            manager_id: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        })
        .exec(&txn)
        .await?
        .last_insert_id;
        team_ids.insert(name.clone(), id);
        teams.push(TeamInfo { id, reps: vec![], presales: vec![], cities });
    }
    let mut users: Vec<(String, String, String, Option<String>)> =
        DEMO_USERS.iter().map(|(e, n, r, t)| ((*e).to_owned(), (*n).to_owned(), (*r).to_owned(), t.map(str::to_owned))).collect();
    for i in 0..extra_teams {
        let team = format!("Region {:02}", i + 3);
        users.push((format!("manager{:02}@bulk.local", i + 3), format!("Manager {:02}", i + 3), "manager".into(), Some(team.clone())));
        for r in 0..reps_per_extra_team {
            users.push((format!("rep{:02}-{r}@bulk.local", i + 3), format!("Rep {:02}-{r}", i + 3), "rep".into(), Some(team.clone())));
        }
    }
    let today = now.date_naive();
    for (idx, (email, name, role, team_name)) in users.iter().enumerate() {
        let team_id = team_name.as_ref().and_then(|t| team_ids.get(t).copied());
        // rep5 joined recently, so the new-rep ramp has someone to show.
        let started = if email == "rep5@demo.local" { today - Duration::days(75) } else { today - Duration::days(400 + idx as i64 * 30) };
        let id = user::Entity::insert(user::ActiveModel {
            uuid: Set(uuid::Uuid::new_v4()),
            email: Set(email.clone()),
            name: Set(name.clone()),
            password_hash: Set(hash.clone()),
            role: Set(role.clone()),
            team_id: Set(team_id),
            locale: Set(None),
            active: Set(true),
            started_on: Set(Some(started)),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        })
        .exec(&txn)
        .await?
        .last_insert_id;
        if let Some(t) = teams.iter_mut().find(|t| Some(t.id) == team_id) {
            match role.as_str() {
                "rep" => t.reps.push(id),
                "presales" => t.presales.push(id),
                "manager" => {
                    team::Entity::update_many()
                        .col_expr(team::Column::ManagerId, sea_orm::sea_query::Expr::value(id))
                        .filter(team::Column::Id.eq(t.id))
                        .exec(&txn)
                        .await?;
                }
                _ => {}
            }
        }
    }
    txn.commit().await?;
    Ok((teams, users.len() as u64))
}

struct StageIds {
    pipeline_id: i32,
    open: Vec<i32>,
    won: i32,
    lost: i32,
    /// Key fields required by each open stage, in stage order (plus the won stage last).
    required: Vec<Vec<KeyField>>,
    /// Map roles and complete checklists required by the same stages.
    roles: Vec<Vec<ContactRole>>,
    lists: Vec<Vec<ChecklistKind>>,
}

async fn load_stage_ids(db: &Db) -> Result<Vec<StageIds>, DbErr> {
    let mut out = Vec::new();
    for p in pipeline::Entity::find().order_by_asc(pipeline::Column::Position).all(db).await? {
        let stages = stage::Entity::find().filter(stage::Column::PipelineId.eq(p.id)).order_by_asc(stage::Column::Position).all(db).await?;
        let open = stages.iter().filter(|s| StageKind::Open.matches(&s.kind)).map(|s| s.id).collect();
        let won = stages.iter().find(|s| StageKind::Won.matches(&s.kind)).map(|s| s.id);
        let lost = stages.iter().find(|s| StageKind::Lost.matches(&s.kind)).map(|s| s.id);
        let ids: Vec<i32> = stages.iter().map(|s| s.id).collect();
        let reqs = stage_requirement::Entity::find().filter(stage_requirement::Column::StageId.is_in(ids)).all(db).await?;
        let per_stage: Vec<Vec<Requirement>> = stages
            .iter()
            .filter(|s| !StageKind::Lost.matches(&s.kind))
            .map(|s| reqs.iter().filter(|r| r.stage_id == s.id).filter_map(|r| Requirement::parse(&r.code)).collect())
            .collect();
        let required = per_stage.iter().map(|rs| rs.iter().filter_map(|r| r.key_field()).collect()).collect();
        let roles = per_stage
            .iter()
            .map(|rs| rs.iter().filter_map(|r| if let Requirement::ContactRole(c) = r { Some(*c) } else { None }).collect())
            .collect();
        let lists = per_stage
            .iter()
            .map(|rs| rs.iter().filter_map(|r| if let Requirement::ChecklistComplete(k) = r { Some(*k) } else { None }).collect())
            .collect();
        if let (Some(won), Some(lost)) = (won, lost) {
            out.push(StageIds { pipeline_id: p.id, open, won, lost, required, roles, lists });
        }
    }
    Ok(out)
}

/// Seeds the demo company into an empty database.
pub async fn seed_demo(db: &Db) -> Result<SeedSummary, SeedError> {
    let s = generate(db, 120, 60, 0, 0, &mut |_| {}).await?;
    seed_price_list(db).await.map_err(|e| SeedError::Db(sea_orm::DbErr::Custom(e.to_string())))?;
    seed_quotes(db).await.map_err(|e| SeedError::Db(sea_orm::DbErr::Custom(e.to_string())))?;
    seed_objections(db).await.map_err(|e| SeedError::Db(sea_orm::DbErr::Custom(e.to_string())))?;
    contracts::seed_contracts(db).await.map_err(|e| SeedError::Db(sea_orm::DbErr::Custom(e.to_string())))?;
    contracts::seed_negotiation(db).await.map_err(|e| SeedError::Db(sea_orm::DbErr::Custom(e.to_string())))?;
    accounts::seed_grades(db).await.map_err(|e| SeedError::Db(sea_orm::DbErr::Custom(e.to_string())))?;
    accounts::seed_revisits(db).await.map_err(|e| SeedError::Db(sea_orm::DbErr::Custom(e.to_string())))?;
    Ok(s)
}

/// Demo objections through the service, as a team logs them: on deals at the 80 % stage one
/// open (past due), one answered, one resolved; on lost deals the price objection dropped
/// and a bad past experience never answered, so the team view has a cost to show.
async fn seed_objections(db: &Db) -> Result<(), crate::domain::error::AppError> {
    use crate::domain::error::AppError;
    use crate::domain::objection::{Category, ObjectionInput, Status, StepInput};
    use crate::ssr::context::RequestContext;
    use crate::ssr::service::objection;
    use sea_orm::QuerySelect;
    let err = crate::ssr::db_err;
    let today = chrono::Utc::now().with_timezone(&crate::domain::forecast::offset()).date_naive();
    let ago = |days: i64| today - chrono::Duration::days(days);
    let input = |category, said: &str, demand: &str, strategy: Option<&str>, raised: i64, due: i64| ObjectionInput {
        raised_on: ago(raised),
        category,
        raised_by: None,
        said: said.into(),
        demand: Some(demand.into()),
        strategy: strategy.map(str::to_owned),
        owner: None,
        due_on: Some(ago(due)),
    };
    let solution =
        pipeline::Entity::find().filter(pipeline::Column::Code.eq("solution")).one(db).await.map_err(err)?.ok_or(AppError::Internal)?;
    let stages = stage::Entity::find()
        .filter(stage::Column::PipelineId.eq(solution.id))
        .order_by_asc(stage::Column::Position)
        .all(db)
        .await
        .map_err(err)?;
    let (Some(negotiation), Some(lost)) = (stages.get(4), stages.iter().find(|s| s.kind == "lost")) else { return Ok(()) };
    let deals_in = |stage_id: i32, n: u64| {
        deal::Entity::find().filter(deal::Column::StageId.eq(stage_id)).order_by_asc(deal::Column::Id).limit(n).all(db)
    };
    for (i, d) in deals_in(negotiation.id, 3).await.map_err(err)?.into_iter().enumerate() {
        let owner = RequestContext::load(db, d.owner_id).await?.ok_or(AppError::Internal)?;
        let step = |to, feedback: Option<&str>| StepInput { to, feedback: feedback.map(str::to_owned), resolved_on: None };
        match i {
            0 => {
                objection::create(
                    db,
                    &owner,
                    d.uuid,
                    input(Category::PriceTooHigh, "你们的报价比 A 公司高 20%，预算批不下来。", "总价降到 180 万以内", None, 12, 3),
                )
                .await?;
            }
            1 => {
                let o = objection::create(
                    db,
                    &owner,
                    d.uuid,
                    input(
                        Category::WantsReferences,
                        "有没有同行业、同规模的成功案例？",
                        "提供两家同行业客户并安排参观",
                        Some("提供华东两家注塑企业案例，下周安排参观"),
                        20,
                        -5,
                    ),
                )
                .await?;
                objection::step(db, &owner, o.id, step(Status::Answered, None), o.version).await?;
            }
            _ => {
                let o = objection::create(
                    db,
                    &owner,
                    d.uuid,
                    input(
                        Category::WantsTrial,
                        "能不能先免费试用三个月？",
                        "试用 3 个月",
                        Some("两周概念验证（POC），范围限定在财务模块"),
                        30,
                        15,
                    ),
                )
                .await?;
                let o = objection::step(db, &owner, o.id, step(Status::Answered, None), o.version).await?;
                objection::step(db, &owner, o.id, step(Status::Resolved, Some("客户同意两周 POC，结果满意")), o.version).await?;
            }
        }
    }
    for d in deals_in(lost.id, 2).await.map_err(err)? {
        let owner = RequestContext::load(db, d.owner_id).await?.ok_or(AppError::Internal)?;
        let o = objection::create(
            db,
            &owner,
            d.uuid,
            input(Category::PriceTooHigh, "价格太高，超出预算。", "降价 25%", Some("分期付款，首付 30%"), 60, 45),
        )
        .await?;
        objection::step(
            db,
            &owner,
            o.id,
            StepInput { to: Status::Dropped, feedback: Some("客户选择了低价方案".into()), resolved_on: None },
            o.version,
        )
        .await?;
        objection::create(
            db,
            &owner,
            d.uuid,
            input(Category::BadPastExperience, "上一家供应商实施失败，我们不敢再冒险。", "实施失败可退款", None, 70, 50),
        )
        .await?;
    }
    Ok(())
}

/// Demo quotes in several states, made through the quote service as a team would: drafts on
/// early deals, approved and sent quotes on deals at the 80 % stage (so the funnel there is
/// honest), and an accepted one on a won deal. None is left waiting for a decision, so the
/// approvers' inboxes start empty.
async fn seed_quotes(db: &Db) -> Result<(), crate::domain::error::AppError> {
    use crate::domain::error::AppError;
    use crate::domain::quote::dto::{QuoteDraft, QuoteLineInput, QuoteOutcome};
    use crate::domain::quote::HeaderDiscount;
    use crate::ssr::context::RequestContext;
    use crate::ssr::entity::{approval, product};
    use crate::ssr::service::{approval as approvals, quote};
    let err = crate::ssr::db_err;
    use sea_orm::QuerySelect;
    let products: std::collections::HashMap<String, uuid::Uuid> =
        product::Entity::find().all(db).await.map_err(err)?.into_iter().map(|p| (p.code, p.uuid)).collect();
    let line = |code: &str, qty: i64, disc: i32| QuoteLineInput {
        product_id: products.get(code).copied(),
        qty_centi: qty * 100,
        discount_bp: disc,
        ..Default::default()
    };
    let draft = |users: i64, days: i64, disc: i32| QuoteDraft {
        payment_terms: Some("30 % on signing, 60 % on go-live, 10 % after acceptance / 签约付 30%，上线付 60%，验收后付 10%".into()),
        delivery_terms: Some("Go-live within 6 months of signing / 签约后 6 个月内上线".into()),
        header_discount: HeaderDiscount::Percent(disc),
        lines: vec![
            line("ERP-FIN", users, 0),
            line("ERP-SCM", users / 2 + 1, 0),
            line("SVC-IMPL", days, 500),
            line("SVC-TRAIN", 5, 0),
            line("MNT-STD", 1, 0),
        ],
        ..Default::default()
    };
    let solution =
        pipeline::Entity::find().filter(pipeline::Column::Code.eq("solution")).one(db).await.map_err(err)?.ok_or(AppError::Internal)?;
    let stages = stage::Entity::find()
        .filter(stage::Column::PipelineId.eq(solution.id))
        .order_by_asc(stage::Column::Position)
        .all(db)
        .await
        .map_err(err)?;
    let (Some(early), Some(negotiation), Some(won)) = (stages.first(), stages.get(4), stages.iter().find(|s| s.kind == "won")) else {
        return Ok(());
    };
    let approve = |q: crate::domain::quote::dto::QuoteView| async move {
        let a = approval::Entity::find()
            .filter(approval::Column::Uuid.eq(q.approval_id.ok_or(AppError::Internal)?))
            .one(db)
            .await
            .map_err(err)?;
        let a = a.ok_or(AppError::Internal)?;
        let approver = RequestContext::load(db, a.approver_id.ok_or(AppError::Internal)?).await?.ok_or(AppError::Internal)?;
        approvals::decide(db, &approver, a.uuid, true, Some("OK".into())).await?;
        quote::get(db, &approver, q.id).await
    };
    let deals_in =
        |stage_id: i32| deal::Entity::find().filter(deal::Column::StageId.eq(stage_id)).order_by_asc(deal::Column::Id).limit(6).all(db);
    for (i, d) in deals_in(negotiation.id).await.map_err(err)?.into_iter().enumerate() {
        let owner = RequestContext::load(db, d.owner_id).await?.ok_or(AppError::Internal)?;
        let q =
            quote::create(db, &owner, d.uuid, draft(20 + 4 * i as i64, 40 + 10 * i as i64, if i % 3 == 2 { 1200 } else { 300 })).await?;
        let q = quote::submit(db, &owner, q.id, q.version).await?;
        let q = approve(q).await?;
        if i % 2 == 0 {
            quote::send(db, &owner, q.id, q.version).await?;
        }
    }
    for d in deals_in(early.id).await.map_err(err)?.into_iter().take(3) {
        let owner = RequestContext::load(db, d.owner_id).await?.ok_or(AppError::Internal)?;
        quote::create(db, &owner, d.uuid, draft(10, 20, 0)).await?;
    }
    if let Some(d) = deals_in(won.id).await.map_err(err)?.into_iter().next() {
        let owner = RequestContext::load(db, d.owner_id).await?.ok_or(AppError::Internal)?;
        let q = quote::create(db, &owner, d.uuid, draft(30, 60, 500)).await?;
        let q = quote::submit(db, &owner, q.id, q.version).await?;
        let q = approve(q).await?;
        let q = quote::send(db, &owner, q.id, q.version).await?;
        quote::close(db, &owner, q.id, QuoteOutcome::Accepted, false, q.version).await?;
    }
    Ok(())
}

/// The demo company's price list, entered through the same service an admin uses:
/// (code, en, zh, kind, unit en, unit zh, list price ¥, cost ¥, active).
type PriceRow = (&'static str, &'static str, &'static str, ProductKind, &'static str, &'static str, i64, i64, bool);
const PRICE_LIST: &[PriceRow] = &[
    ("ERP-FIN", "Finance module licence", "财务模块许可", ProductKind::Licence, "user", "用户", 12_000, 1_500, true),
    ("ERP-SCM", "Supply chain module licence", "供应链模块许可", ProductKind::Licence, "user", "用户", 15_000, 2_000, true),
    ("ERP-MFG", "Manufacturing (MRP) module licence", "生产制造(MRP)模块许可", ProductKind::Licence, "user", "用户", 18_000, 2_500, true),
    ("SVC-IMPL", "Implementation consulting", "实施顾问服务", ProductKind::ServiceDays, "person-day", "人天", 3_000, 1_800, true),
    ("SVC-TRAIN", "Key-user training", "关键用户培训", ProductKind::ServiceDays, "day", "天", 2_500, 1_200, true),
    ("MNT-STD", "Annual maintenance and support", "年度维护与支持服务", ProductKind::Maintenance, "year", "年", 50_000, 15_000, true),
    ("SUB-CLOUD", "Cloud hosting", "云托管订阅", ProductKind::Subscription, "month", "月", 8_000, 4_000, true),
    ("HW-SRV", "Application server", "应用服务器", ProductKind::Hardware, "unit", "台", 68_000, 52_000, true),
    ("HW-PDA", "Handheld barcode scanner", "手持条码扫描终端", ProductKind::Hardware, "unit", "台", 4_200, 3_100, true),
    ("ERP-V8", "Legacy V8 licence", "旧版 V8 许可", ProductKind::Licence, "user", "用户", 9_000, 1_000, false),
];

async fn seed_price_list(db: &Db) -> Result<(), crate::domain::error::AppError> {
    use crate::domain::error::AppError;
    let admin =
        user::Entity::find().filter(user::Column::Role.eq("admin")).one(db).await.map_err(crate::ssr::db_err)?.ok_or(AppError::Internal)?;
    let ctx = crate::ssr::context::RequestContext::load(db, admin.id).await?.ok_or(AppError::Internal)?;
    for (code, en, zh, kind, unit_en, unit_zh, price, cost, active) in PRICE_LIST {
        let input = crate::domain::product::ProductInput {
            code: (*code).into(),
            name_en: (*en).into(),
            name_zh: (*zh).into(),
            kind: *kind,
            unit_en: (*unit_en).into(),
            unit_zh: (*unit_zh).into(),
            list_price_fen: price * 100,
            tax_bp: None,
            cost_fen: cost * 100,
            active: *active,
        };
        crate::ssr::service::product::create(db, &ctx, input).await?;
    }
    Ok(())
}

/// The generator behind both the demo and the benchmark data sets. Refuses a database
/// that already holds data. Rows get explicit ids so one batch can reference another
/// without reading ids back; sequences are reset afterwards on PostgreSQL.
/// A field's revisions between `from` and `until`, as (at, old, new): from `first`, a few
/// values `next` draws, then to where the deal stands — `last` at its own instant when the
/// deal's draw changed the field, else back to `first`. No-op steps are left out.
fn revisions<T: Copy + PartialEq>(
    rev: &mut SplitMix64,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    first: T,
    last: Option<(DateTime<Utc>, T)>,
    mut next: impl FnMut(&mut SplitMix64, T) -> T,
) -> Vec<(DateTime<Utc>, T, T)> {
    let extra = rev.range(0, 4);
    // The revisions in between come before the deal's own change (or the close).
    let end = last.map_or(until, |(at, _)| at.min(until));
    let minutes = (end - from).num_minutes();
    let mut times: Vec<DateTime<Utc>> = if minutes > extra + 2 {
        (0..extra + i64::from(last.is_none() && extra > 0)).map(|_| from + Duration::minutes(rev.range(1, minutes - 1))).collect()
    } else {
        Vec::new()
    };
    times.sort_unstable();
    times.dedup();
    let (final_at, final_value) = match (last, times.pop()) {
        (Some(l), popped) => {
            times.extend(popped);
            l
        }
        (None, Some(t)) => (t, first),
        (None, None) => return Vec::new(),
    };
    let mut out = Vec::with_capacity(times.len() + 1);
    let mut cur = first;
    for at in times {
        let v = next(rev, cur);
        if v != cur {
            out.push((at, cur, v));
            cur = v;
        }
    }
    if final_value != cur {
        out.push((final_at, cur, final_value));
    }
    out
}

pub async fn generate(
    db: &Db,
    n_deals: u64,
    n_accounts: u64,
    extra_teams: usize,
    reps_per_extra_team: usize,
    progress: &mut dyn FnMut(&SeedSummary),
) -> Result<SeedSummary, SeedError> {
    if let Some(what) = existing_data(db).await? {
        return Err(SeedError::HasData(what));
    }
    ensure_reference_data(db).await?;
    let (teams, n_users) = create_org(db, extra_teams, reps_per_extra_team).await?;
    let pipelines = load_stage_ids(db).await?;
    let mut rng = SplitMix64::new(DEMO_SEED);
    let now = Utc::now();
    let today = now.date_naive();
    let mut sum = SeedSummary { users: n_users, ..Default::default() };
    let n_accounts = n_accounts.max(1);

    // Accounts and contacts. Each account's owner is a rep of its team.
    // (owner, team, brand) by account id - 1
    let mut account_owner: Vec<(i32, i32, &'static str)> = Vec::with_capacity(n_accounts as usize);
    // (first contact id, count) by account id - 1
    let mut account_contacts: Vec<(i32, i32)> = Vec::with_capacity(n_accounts as usize);
    let mut contact_id = 0i32;
    const BATCH: u64 = 1000;
    let mut start = 0u64;
    while start < n_accounts {
        let end = (start + BATCH).min(n_accounts);
        let mut accts = Vec::new();
        let mut contacts = Vec::new();
        for i in start..end {
            let id = i as i32 + 1;
            let t = &teams[(rng.next_u64() % teams.len() as u64) as usize];
            let owner = if t.reps.is_empty() { teams[0].reps[0] } else { *rng.pick(&t.reps) };
            let city = *rng.pick(t.cities);
            let (ind_zh, _) = *rng.pick(INDUSTRIES);
            let brand = *rng.pick(BRANDS);
            account_owner.push((owner, t.id, brand));
            let name = if n_accounts <= 1000 {
                format!("{city}{brand}{ind_zh}有限公司")
            } else {
                format!("{city}{brand}{ind_zh}有限公司 #{id}")
            };
            // Drawn in the order the demo always drew them, so every value stays as it was.
            let uuid = uuid_from(&mut rng);
            let headcount = rng.range(80, 3000) as i32;
            let revenue_fen = rng.range(30, 500) * 1_000_000 * 100;
            accts.push(account::ActiveModel {
                id: Set(id),
                uuid: Set(uuid),
                name: Set(name),
                industry: Set(ind_zh.to_owned()),
                headcount: Set(Some(headcount)),
                revenue_fen: Set(Some(revenue_fen)),
                city: Set(Some(city.to_owned())),
                owner_id: Set(owner),
                team_id: Set(t.id),
                created_at: Set(now - Duration::days(rng.range(200, 900))),
                updated_at: Set(now),
                version: Set(1),
                grade: Set(None),
                grade_since: Set(None),
                last_contact_on: Set(None),
                next_contact_on: Set(None),
                // A margin of 3–14 % of revenue by id, not drawn from the generator, so the
                // rest of the demo stays as it was.
                profit_fen: Set(Some(revenue_fen / 100 * (3 + i64::from(id) % 12))),
                // Seed 000's profile, by id as well (no draws).
                ..accounts::demo_profile(id)
            });
            let n_contacts = rng.range(2, 5);
            account_contacts.push((contact_id + 1, n_contacts as i32));
            for _ in 0..n_contacts {
                contact_id += 1;
                let (title, dept) = *rng.pick(TITLES);
                contacts.push(contact::ActiveModel {
                    id: Set(contact_id),
                    uuid: Set(uuid_from(&mut rng)),
                    account_id: Set(id),
                    name: Set(format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN))),
                    title: Set(Some(title.to_owned())),
                    department: Set(Some(dept.to_owned())),
                    phone: Set(Some(format!("1{}{:09}", rng.range(3, 9), rng.range(0, 999_999_999)))),
                    email: Set(Some(format!("c{contact_id}@customer{id}.cn"))),
                    created_at: Set(now),
                    updated_at: Set(now),
                    version: Set(1),
                });
            }
        }
        sum.accounts += accts.len() as u64;
        sum.contacts += contacts.len() as u64;
        let txn = db.begin().await?;
        account::Entity::insert_many(accts).exec(&txn).await?;
        for chunk in contacts.chunks(1000) {
            contact::Entity::insert_many(chunk.to_vec()).exec(&txn).await?;
        }
        txn.commit().await?;
        progress(&sum);
        start = end;
    }

    // Deal-room data draws from its own generator so the deals themselves stay as they were.
    let mut room = Room::new(db).await?;
    let mut rev = SplitMix64::new(DEMO_SEED ^ 0x7e51_0a5e);
    // Deals with their history, replayable from the first row.
    let mut history_id = 0i32;
    let mut start = 0u64;
    while start < n_deals {
        let end = (start + BATCH).min(n_deals);
        let mut deals = Vec::new();
        let mut hist = Vec::new();
        let mut members = Vec::new();
        let mut key_infos = Vec::new();
        for i in start..end {
            let id = i as i32 + 1;
            let acct = (rng.next_u64() % n_accounts) as usize;
            let (acct_owner, team_id, brand) = account_owner[acct];
            let team = teams.iter().find(|t| t.id == team_id);
            let owner = match team {
                Some(t) if !t.reps.is_empty() && rng.chance(30) => *rng.pick(&t.reps),
                _ => acct_owner,
            };
            let roll = rng.range(0, 99);
            let p = &pipelines[if roll < 75 || pipelines.len() < 3 {
                0
            } else if roll < 90 {
                1
            } else {
                2
            }];
            let n_open = p.open.len() as i64;
            // Funnel-shaped: more deals early, ~12% won, ~10% lost.
            let outcome = rng.range(0, 99);
            let (final_stage, reached) = if outcome < 12 {
                (p.won, n_open)
            } else if outcome < 22 {
                (p.lost, rng.range(1, n_open))
            } else {
                let pos = (rng.range(0, n_open - 1) * rng.range(0, n_open - 1)) / (n_open - 1).max(1);
                (p.open[pos as usize], pos + 1)
            };
            let mut created = now - Duration::days(rng.range(14, 280)) - Duration::minutes(rng.range(0, 600));
            // A few deals are signed days after they were entered: "signed but never in the
            // funnel" on the dashboard has real cases (no random draw, so the rest is unchanged).
            if final_stage == p.won && id % 9 == 0 {
                created = now - Duration::days(3 + i64::from(id % 7));
            }
            let mut amount = rng.range(20, 500) * 10_000 * 100 + rng.range(0, 9) * 1_000 * 100;
            let mut close = (created + Duration::days(rng.range(90, 300))).date_naive();
            let project = rng.pick(PROJECTS);
            hist.push(deal_history::ActiveModel {
                id: Set({
                    history_id += 1;
                    history_id
                }),
                deal_id: Set(id),
                at: Set(created),
                actor_id: Set(Some(owner)),
                kind: Set("created".into()),
                from_stage_id: Set(None),
                to_stage_id: Set(Some(p.open[0])),
                old_amount_fen: Set(None),
                new_amount_fen: Set(Some(amount)),
                old_close_date: Set(None),
                new_close_date: Set(Some(close)),
                note: Set(None),
                approval_id: Set(None),
                ..Default::default()
            });
            // Walk the stages in order between creation and (nearly) now.
            let span = (now - created).num_minutes().max(60);
            let steps = if final_stage == p.won || final_stage == p.lost { reached } else { reached - 1 };
            let mut t = created;
            let mut cur = p.open[0];
            let mut entered = created;
            for step in 0..steps {
                let next = if step + 1 < reached { p.open[(step + 1) as usize] } else { final_stage };
                if next == cur {
                    continue;
                }
                t += Duration::minutes(rng.range(span / (steps + 2) / 2, span / (steps + 1)).max(1));
                if t > now {
                    t = now - Duration::minutes(1);
                }
                history_id += 1;
                hist.push(deal_history::ActiveModel {
                    id: Set(history_id),
                    deal_id: Set(id),
                    at: Set(t),
                    actor_id: Set(Some(owner)),
                    kind: Set("moved".into()),
                    from_stage_id: Set(Some(cur)),
                    to_stage_id: Set(Some(next)),
                    old_amount_fen: Set(None),
                    new_amount_fen: Set(None),
                    old_close_date: Set(None),
                    new_close_date: Set(None),
                    note: Set(None),
                    approval_id: Set(None),
                    ..Default::default()
                });
                cur = next;
                entered = t;
            }
            // Deals are revised along the way: amounts negotiated, close dates slipped (a
            // project's history is mostly these). The revisions in between draw from their own
            // generator, so the deals themselves stay as they were.
            let won_or_lost = final_stage == p.won || final_stage == p.lost;
            let until = if won_or_lost { entered } else { now - Duration::minutes(1) };
            let amount_change = rng.chance(25).then(|| {
                let at = created + Duration::minutes(rng.range(1, span.max(2) - 1));
                (at, (amount * rng.range(70, 130) / 100) / 100_000 * 100_000)
            });
            let revised = revisions(&mut rev, created, until, amount, amount_change, |r, v| {
                ((v * r.range(85, 120) / 100) / 100_000 * 100_000).max(100_000)
            });
            for (at, old, new) in revised {
                history_id += 1;
                hist.push(deal_history::ActiveModel {
                    id: Set(history_id),
                    deal_id: Set(id),
                    at: Set(at),
                    actor_id: Set(Some(owner)),
                    kind: Set("amount_changed".into()),
                    from_stage_id: Set(None),
                    to_stage_id: Set(None),
                    old_amount_fen: Set(Some(old)),
                    new_amount_fen: Set(Some(new)),
                    old_close_date: Set(None),
                    new_close_date: Set(None),
                    note: Set(None),
                    approval_id: Set(None),
                    ..Default::default()
                });
                amount = new;
            }
            let target_close: NaiveDate = if won_or_lost { entered.date_naive() } else { today + Duration::days(rng.range(-25, 330)) };
            let close_change = (target_close != close).then(|| {
                let at: DateTime<Utc> = if won_or_lost { entered } else { created + Duration::minutes(rng.range(1, span.max(2) - 1)) };
                (at, target_close)
            });
            let revised = revisions(&mut rev, created, until, close, close_change, |r, c| {
                let by = r.range(-20, 60);
                c + Duration::days(if by == 0 { 30 } else { by })
            });
            for (at, old, new) in revised {
                history_id += 1;
                hist.push(deal_history::ActiveModel {
                    id: Set(history_id),
                    deal_id: Set(id),
                    at: Set(at),
                    actor_id: Set(Some(owner)),
                    kind: Set("close_date_changed".into()),
                    from_stage_id: Set(None),
                    to_stage_id: Set(None),
                    old_amount_fen: Set(None),
                    new_amount_fen: Set(None),
                    old_close_date: Set(Some(old)),
                    new_close_date: Set(Some(new)),
                    note: Set(None),
                    approval_id: Set(None),
                    ..Default::default()
                });
                close = new;
            }
            let (lost_reason, winner) = if final_stage == p.lost {
                let (r, w) = *rng.pick(LOST_REASONS);
                (Some(r.to_owned()), w.map(str::to_owned))
            } else {
                (None, None)
            };
            deals.push(deal::ActiveModel {
                id: Set(id),
                uuid: Set(uuid_from(&mut rng)),
                name: Set(format!("{brand}{project}")),
                account_id: Set(acct as i32 + 1),
                owner_id: Set(owner),
                team_id: Set(team_id),
                pipeline_id: Set(p.pipeline_id),
                stage_id: Set(cur),
                amount_fen: Set(amount),
                currency: Set("CNY".into()),
                close_date: Set(close),
                forecast_category: Set(None),
                manager_category: Set(None),
                lost_reason: Set(lost_reason),
                winner: Set(winner),
                stage_entered_at: Set(entered),
                created_at: Set(created),
                updated_at: Set(entered),
                version: Set(1),
            });
            // Deals carry what the gates they passed asked for, and sometimes a little more.
            let mut k = KeyInfo::default();
            let passed = if final_stage == p.won { p.required.len() } else { reached as usize };
            for fields in p.required.iter().take(passed) {
                for f in fields {
                    fill_key_field(&mut k, *f, &mut rng, today);
                }
            }
            for f in KeyField::ALL {
                if !k.has(f) && rng.chance(15) {
                    fill_key_field(&mut k, f, &mut rng, today);
                }
            }
            if k != KeyInfo::default() {
                key_infos.push(deal_key_info::ActiveModel {
                    deal_id: Set(id),
                    data: Set(serde_json::to_string(&k).unwrap_or_default()),
                    complete: Set(k.completeness().0 as i16),
                    updated_at: Set(entered),
                    version: Set(1),
                });
            }
            members.push(deal_member::ActiveModel {
                deal_id: Set(id),
                user_id: Set(owner),
                role: Set("owner".into()),
                created_at: Set(created),
            });
            let mut presales = None;
            if let Some(t) = team {
                if !t.presales.is_empty() && rng.chance(35) {
                    let who = *rng.pick(&t.presales);
                    presales = Some(who);
                    members.push(deal_member::ActiveModel {
                        deal_id: Set(id),
                        user_id: Set(who),
                        role: Set("presales".into()),
                        created_at: Set(created),
                    });
                }
            }
            let roles: Vec<ContactRole> = p.roles.iter().take(passed).flatten().copied().collect();
            let lists: Vec<ChecklistKind> = p.lists.iter().take(passed).flatten().copied().collect();
            let open = final_stage != p.won && final_stage != p.lost;
            let facts = RoomDeal {
                id,
                account: account_contacts[acct],
                account_id: acct as i32 + 1,
                owner,
                presales,
                entered,
                open,
                solution: p.pipeline_id == pipelines[0].pipeline_id,
            };
            room.deal(&facts, &roles, &lists, &mut contact_id, today);
        }
        sum.deals += deals.len() as u64;
        sum.history += hist.len() as u64;
        let txn = db.begin().await?;
        deal::Entity::insert_many(deals).exec(&txn).await?;
        for chunk in hist.chunks(1500) {
            deal_history::Entity::insert_many(chunk.to_vec()).exec(&txn).await?;
        }
        deal_member::Entity::insert_many(members).exec(&txn).await?;
        for chunk in key_infos.chunks(1000) {
            deal_key_info::Entity::insert_many(chunk.to_vec()).exec(&txn).await?;
        }
        room.flush(&txn).await?;
        txn.commit().await?;
        progress(&sum);
        start = end;
    }
    reset_sequences(db).await?;
    // The generated rows leave the deal's state to the same fill the migration runs.
    crate::ssr::sql::fill_history_state(db).await?;
    crate::ssr::service::totals::rebuild(db).await?;
    seed_forecast_settings(db, &mut rng, today).await?;
    Ok(sum)
}

/// Quarterly quotas for every rep and manager (this year and next quarter) and target
/// conversion rates, so the forecast dashboard has coverage and an ideal funnel to show.
async fn seed_forecast_settings(db: &Db, rng: &mut SplitMix64, today: NaiveDate) -> Result<(), DbErr> {
    use crate::ssr::entity::quota;
    use chrono::Datelike;
    let open = stage::Entity::find().filter(stage::Column::Kind.eq(StageKind::Open.as_str())).all(db).await?;
    for s in open {
        let pct = (45 + 5 * s.position).min(80);
        stage::Entity::update_many()
            .col_expr(stage::Column::TargetConversionPct, sea_orm::sea_query::Expr::value(pct))
            .filter(stage::Column::Id.eq(s.id))
            .exec(db)
            .await?;
    }
    let sellers = user::Entity::find().filter(user::Column::Role.is_in(["rep", "manager"])).all(db).await?;
    let now = Utc::now();
    let mut rows = Vec::new();
    for u in sellers {
        let per_quarter = rng.range(150, 450) * 10_000 * 100;
        for q in 0..5u32 {
            let (year, quarter) = if q < 4 { (today.year(), q) } else { (today.year() + 1, 0) };
            let (Some(start), Some(end)) = (
                NaiveDate::from_ymd_opt(year, quarter * 3 + 1, 1),
                NaiveDate::from_ymd_opt(if quarter == 3 { year + 1 } else { year }, if quarter == 3 { 1 } else { quarter * 3 + 4 }, 1)
                    .and_then(|d| d.pred_opt()),
            ) else {
                continue;
            };
            rows.push(quota::ActiveModel {
                uuid: Set(uuid_from(rng)),
                user_id: Set(u.id),
                period_start: Set(start),
                period_end: Set(end),
                amount_fen: Set(per_quarter),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            });
        }
    }
    if !rows.is_empty() {
        quota::Entity::insert_many(rows).exec(db).await?;
    }
    Ok(())
}

/// After explicit-id inserts PostgreSQL's sequences lag behind; move them past the data.
async fn reset_sequences(db: &Db) -> Result<(), DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    for table in ["accounts", "contacts", "deals", "deal_history", "deal_checklists", "deal_checklist_items"] {
        db.execute_unprepared(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        ))
        .await?;
    }
    Ok(())
}

/// True when the demo logins exist (so start-up can print them).
pub async fn has_demo_users(db: &Db) -> bool {
    user::Entity::find().filter(user::Column::Email.eq("rep@demo.local")).count(db).await.is_ok_and(|n| n > 0)
}

/// What the deal-room seeding needs to know about one generated deal.
struct RoomDeal {
    id: i32,
    /// (first contact id, count) of the deal's account
    account: (i32, i32),
    account_id: i32,
    owner: i32,
    presales: Option<i32>,
    entered: DateTime<Utc>,
    open: bool,
    solution: bool,
}

/// Buying-committee maps and checklists for generated deals, batched like the rest of
/// `generate`: every deal carries what its passed gates asked for (a decision maker on the
/// map, a complete demo checklist); among the first deals, some open solution deals get a
/// full 5–7 person map and an open checklist with owners and due dates.
struct Room {
    rng: SplitMix64,
    templates: Vec<(ChecklistKind, i32)>,
    contacts: Vec<contact::ActiveModel>,
    nodes: Vec<deal_contact::ActiveModel>,
    lists: Vec<deal_checklist::ActiveModel>,
    items: Vec<deal_checklist_item::ActiveModel>,
    list_id: i32,
    item_id: i32,
}

/// Only deals up to this id may get a full map or an open checklist: the demo shows them,
/// the bulk generator stays fast.
const ROOM_SHOWCASE: i32 = 2_000;

impl Room {
    async fn new(db: &Db) -> Result<Room, DbErr> {
        let templates = checklist_template::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .filter_map(|t| Some((ChecklistKind::parse(&t.kind)?, t.id)))
            .collect();
        Ok(Room {
            rng: SplitMix64::new(DEMO_SEED ^ 0x00de_a1d0_0a11),
            templates,
            contacts: vec![],
            nodes: vec![],
            lists: vec![],
            items: vec![],
            list_id: 0,
            item_id: 0,
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn node(
        &mut self,
        deal: i32,
        contact: i32,
        up: Option<i32>,
        role: ContactRole,
        pct: i32,
        attitude: Attitude,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) {
        self.nodes.push(deal_contact::ActiveModel {
            deal_id: Set(deal),
            contact_id: Set(contact),
            reports_to_contact_id: Set(up),
            role: Set(Some(role.code().into())),
            influence_pct: Set(pct),
            attitude: Set(attitude.code().into()),
            relationship: Set(self.rng.range(1, 5) as i16),
            // Mostly recent, now and then stale, so the map's warnings have something to say.
            last_contact: Set(Some(today - Duration::days(self.rng.range(0, 40)))),
            version: Set(1),
            updated_at: Set(now),
        });
    }

    fn deal(&mut self, d: &RoomDeal, roles: &[ContactRole], lists: &[ChecklistKind], contact_id: &mut i32, today: NaiveDate) {
        let now = d.entered;
        let full = d.solution && d.open && d.id <= ROOM_SHOWCASE && self.rng.chance(12);
        if full {
            const ROLES: [ContactRole; 7] = [
                ContactRole::DecisionMaker,
                ContactRole::EconomicBuyer,
                ContactRole::TechnicalEvaluator,
                ContactRole::Coach,
                ContactRole::User,
                ContactRole::Influencer,
                ContactRole::Blocker,
            ];
            let n = self.rng.range(5, 7) as usize;
            let weights: &[i32] = match n {
                5 => &[40, 25, 15, 10, 10],
                6 => &[35, 25, 15, 10, 10, 5],
                _ => &[35, 20, 15, 10, 10, 5, 5],
            };
            // The account's contacts first, then new people until the committee is complete.
            let mut ids: Vec<i32> = (d.account.0..d.account.0 + d.account.1).collect();
            while ids.len() < n {
                *contact_id += 1;
                let (title, dept) = *self.rng.pick(TITLES);
                self.contacts.push(contact::ActiveModel {
                    id: Set(*contact_id),
                    uuid: Set(uuid_from(&mut self.rng)),
                    account_id: Set(d.account_id),
                    name: Set(format!("{}{}", self.rng.pick(SURNAMES), self.rng.pick(GIVEN))),
                    title: Set(Some(title.to_owned())),
                    department: Set(Some(dept.to_owned())),
                    phone: Set(None),
                    email: Set(None),
                    created_at: Set(now),
                    updated_at: Set(now),
                    version: Set(1),
                });
                ids.push(*contact_id);
            }
            // 0 at the top; 1 and 2 under 0; the rest alternate under 1 and 2.
            for i in 0..n {
                let up = match i {
                    0 => None,
                    1 | 2 => Some(ids[0]),
                    _ => Some(ids[1 + (i % 2)]),
                };
                let attitude = match (ROLES[i], self.rng.range(0, 9)) {
                    (ContactRole::Blocker, _) => Attitude::Opponent,
                    (ContactRole::Coach, _) => Attitude::Supporter,
                    (_, 0..=4) => Attitude::Supporter,
                    (_, 5..=7) => Attitude::Neutral,
                    _ => Attitude::Opponent,
                };
                self.node(d.id, ids[i], up, ROLES[i], weights[i], attitude, today, now);
            }
        } else if !roles.is_empty() {
            // What the passed gates asked for, each role on its own contact where the account has enough.
            let mut roles = roles.to_vec();
            roles.dedup();
            let n = roles.len().min(d.account.1.max(1) as usize);
            for (i, role) in roles.iter().take(n).enumerate() {
                let c = d.account.0 + i as i32;
                let (up, pct) = if i == 0 { (None, 100 - 10 * (n as i32 - 1)) } else { (Some(d.account.0), 10) };
                self.node(d.id, c, up, *role, pct, Attitude::Supporter, today, now);
            }
        }
        for kind in lists {
            self.checklist(d, *kind, None, today);
        }
        if d.open && d.id <= ROOM_SHOWCASE && self.rng.chance(15) {
            let kind = if lists.contains(&ChecklistKind::Demo) { ChecklistKind::Proposal } else { ChecklistKind::Demo };
            let done = self.rng.range(1, 4) as usize;
            self.checklist(d, kind, Some(done), today);
        }
    }

    /// A checklist of `kind`: complete (`open_done: None`) or with that many items ticked and
    /// the rest assigned, some overdue.
    fn checklist(&mut self, d: &RoomDeal, kind: ChecklistKind, open_done: Option<usize>, today: NaiveDate) {
        let Some(template_id) = self.templates.iter().find(|(k, _)| *k == kind).map(|(_, id)| *id) else { return };
        self.list_id += 1;
        self.lists.push(deal_checklist::ActiveModel {
            id: Set(self.list_id),
            uuid: Set(uuid_from(&mut self.rng)),
            deal_id: Set(d.id),
            template_id: Set(template_id),
            created_by: Set(d.presales.unwrap_or(d.owner)),
            created_at: Set(d.entered),
        });
        let worker = d.presales.unwrap_or(d.owner);
        for (i, it) in kind.template().items.iter().enumerate() {
            let done = open_done.is_none_or(|n| i < n);
            self.item_id += 1;
            let due = if done { None } else { Some(today + Duration::days(self.rng.range(-6, 20))) };
            self.items.push(deal_checklist_item::ActiveModel {
                id: Set(self.item_id),
                checklist_id: Set(self.list_id),
                position: Set(i as i32 + 1),
                text_en: Set(it.en.into()),
                text_zh: Set(it.zh.into()),
                done: Set(done),
                done_by: Set(done.then_some(worker)),
                done_at: Set(done.then_some(d.entered)),
                owner_id: Set(Some(worker)),
                due: Set(due),
                note: Set(None),
                link: Set(None),
                version: Set(1),
            });
        }
    }

    /// Writes what the current batch produced (contacts before the map that names them).
    async fn flush(&mut self, txn: &sea_orm::DatabaseTransaction) -> Result<(), DbErr> {
        for chunk in std::mem::take(&mut self.contacts).chunks(1000) {
            contact::Entity::insert_many(chunk.to_vec()).exec_without_returning(txn).await?;
        }
        for chunk in std::mem::take(&mut self.nodes).chunks(1000) {
            deal_contact::Entity::insert_many(chunk.to_vec()).exec_without_returning(txn).await?;
        }
        for chunk in std::mem::take(&mut self.lists).chunks(1000) {
            deal_checklist::Entity::insert_many(chunk.to_vec()).exec_without_returning(txn).await?;
        }
        for chunk in std::mem::take(&mut self.items).chunks(1000) {
            deal_checklist_item::Entity::insert_many(chunk.to_vec()).exec_without_returning(txn).await?;
        }
        Ok(())
    }
}
