#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Imports through the service (SQLite and PostgreSQL): the dry run refuses exactly the rows
//! the import refuses and writes nothing; all-or-nothing writes nothing while a row is
//! refused; duplicates are found in the file and against Dealgate; imported deals start gated
//! (a stage past a gate is refused with the gate's requirements); another team cannot see the
//! job nor import onto accounts it cannot see; read-only roles cannot import.
use crate::common::{ctx_for, seeded};
use app::domain::error::AppError;
use app::domain::import::cells::Problem;
use app::domain::import::{Field, JobView, Kind, Mode, Status};
use app::ssr::context::RequestContext;
use app::ssr::db::Db;
use app::ssr::entity::{account, contact, deal, deal_history, pipeline, stage};
use app::ssr::service::import;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

fn xlsx(rows: &[Vec<&str>]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

async fn until_finished(db: &Db, ctx: &RequestContext, id: uuid::Uuid) -> JobView {
    for _ in 0..600 {
        let v = import::get(db, ctx, id).await.unwrap();
        if v.status != Status::Running {
            return v;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the import did not finish in 30 s");
}

fn lines(v: &JobView) -> Vec<(u32, Option<Field>)> {
    v.rejects.iter().map(|r| (r.line, r.field)).collect()
}

#[tokio::test]
async fn accounts_dry_run_equals_the_import_and_all_or_nothing_writes_nothing() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let existing = account::Entity::find().filter(account::Column::OwnerId.eq(rep.user_id)).one(db).await.unwrap().unwrap();
    let header = vec![
        "客户名称",
        "所属行业",
        "企业规模(员工人数/年营收)",
        "联系人",
        "职务",
        "联系方式",
        "初步需求描述",
        "跟进人",
        "跟进状态",
        "下次跟进时间",
    ];
    let mut rows = vec![header];
    let names: Vec<String> = (0..10).map(|i| format!("导入测试制造{i}有限公司")).collect();
    for (i, n) in names.iter().enumerate() {
        rows.push(vec![
            n.as_str(),
            "机械",
            "500人/5亿",
            "王工",
            "采购总监",
            if i == 0 { "wang@import.test" } else { "139 0000 0000" },
            "MES",
            "张磊",
            if i == 0 { "A类" } else { "B类" },
            "2030-01-15",
        ]);
    }
    rows.push(vec!["", "机械"]); // line 12: no name
    rows.push(vec!["尺寸不明公司", "机械", "lots"]); // line 13: size
    rows.push(vec!["导入测试制造3", "机械"]); // line 14: same as line 5 once normalised
    rows.push(vec![existing.name.as_str(), "机械"]); // line 15: already in Dealgate
    let before = account::Entity::find().count(db).await.unwrap();
    let up = import::upload(db, &rep, Kind::Accounts, "客户.xlsx", xlsx(&rows)).await.unwrap();
    assert_eq!(up.status, Status::Uploaded);
    assert_eq!(up.mapping[0], Some(Field::AccountName));
    assert_eq!(up.mapping[6], Some(Field::InitialNeed), "seed 003's need description");
    let checked = import::check(db, &rep, up.id, None).await.unwrap();
    assert_eq!((checked.total_rows, checked.rejected), (14, 4));
    assert_eq!(
        lines(&checked),
        vec![(12, Some(Field::AccountName)), (13, Some(Field::Size)), (14, Some(Field::AccountName)), (15, Some(Field::AccountName))]
    );
    assert_eq!(checked.rejects[2].problem, Problem::DuplicateInFile { line: 5 });
    assert!(matches!(checked.rejects[3].problem, Problem::DuplicateExisting { .. }));
    assert_eq!(account::Entity::find().count(db).await.unwrap(), before, "a check writes nothing");
    // All or nothing is refused while rows are refused.
    let err = import::start(db, &rep, up.id, Mode::AllOrNothing).await.unwrap_err();
    assert!(matches!(err, AppError::Validation { ref field, .. } if field == "mode"), "{err:?}");
    assert_eq!(account::Entity::find().count(db).await.unwrap(), before);
    // The good rows: exactly what the check said.
    import::start(db, &rep, up.id, Mode::GoodRows).await.unwrap();
    let done = until_finished(db, &rep, up.id).await;
    assert_eq!(done.status, Status::Done, "{:?}", done.error);
    assert_eq!((done.imported, done.rejected), (10, 4));
    assert_eq!(lines(&done), lines(&checked));
    assert_eq!(account::Entity::find().count(db).await.unwrap(), before + 10);
    let first = account::Entity::find().filter(account::Column::Name.eq(names[0].as_str())).one(db).await.unwrap().unwrap();
    assert_eq!(
        (first.owner_id, first.headcount, first.revenue_fen, first.grade.as_deref()),
        (rep.user_id, Some(500), Some(50_000_000_000), Some("a"))
    );
    assert_eq!(first.initial_need.as_deref(), Some("MES"));
    assert!(first.next_contact_on.is_some_and(|d| d <= chrono::NaiveDate::from_ymd_opt(2030, 1, 15).unwrap()));
    let c = contact::Entity::find().filter(contact::Column::AccountId.eq(first.id)).one(db).await.unwrap().unwrap();
    assert_eq!((c.name.as_str(), c.email.as_deref(), c.phone.as_deref()), ("王工", Some("wang@import.test"), None));
    // Started twice: the second finds it done.
    assert!(import::start(db, &rep, up.id, Mode::GoodRows).await.is_err());
    // The result file lists the refused rows with their reason.
    let csv = import::rejects_csv(db, &rep, up.id, app::domain::locale::Locale::En).await.unwrap();
    assert_eq!(csv.lines().count(), 5, "{csv}");
    assert!(csv.contains("Duplicate of line 5"), "{csv}");

    // A clean file all or nothing: everything in.
    let clean = vec![
        vec!["Account name", "Industry", "City"],
        vec!["Clean Import Co., Ltd.", "Tools", "Suzhou"],
        vec!["Clean Import Two", "Tools", "Wuxi"],
    ];
    let up = import::upload(db, &rep, Kind::Accounts, "clean.xlsx", xlsx(&clean)).await.unwrap();
    import::check(db, &rep, up.id, None).await.unwrap();
    import::start(db, &rep, up.id, Mode::AllOrNothing).await.unwrap();
    let done = until_finished(db, &rep, up.id).await;
    assert_eq!((done.status, done.imported, done.rejected), (Status::Done, 2, 0));
}

#[tokio::test]
async fn contacts_and_deals_are_gated_visible_and_deduplicated() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let rep2 = ctx_for(db, "rep2@demo.local").await;
    let acct = account::Entity::find()
        .filter(account::Column::OwnerId.eq(rep.user_id))
        .order_by_asc(account::Column::Id)
        .one(db)
        .await
        .unwrap()
        .unwrap();
    let p = pipeline::Entity::find().filter(pipeline::Column::IsDefault.eq(true)).one(db).await.unwrap().unwrap();
    let stages =
        stage::Entity::find().filter(stage::Column::PipelineId.eq(p.id)).order_by_asc(stage::Column::Position).all(db).await.unwrap();
    let (first, second) = (&stages[0], &stages[1]);
    let csv = format!(
        "商机名称,客户名称,金额(元),预计签约日期,阶段,负责人\n\
         导入商机一,{a},220000,2027-03-01,{s1},\n\
         导入商机二,{a},5000万,2027/4/1,,rep@demo.local\n\
         导入商机三,{a},-5,2027-03-01,,\n\
         导入商机四,{a},100,2027-03-01,{s2},\n\
         导入商机五,{a},100,2027-03-01,,rep2@demo.local\n\
         导入商机一,{a},100,2027-03-01,,\n\
         导入商机六,没有这个客户,100,2027-03-01,,\n",
        a = acct.name,
        s1 = first.name_zh,
        s2 = second.name_en
    );
    let up = import::upload(db, &rep, Kind::Deals, "deals.csv", csv.into_bytes()).await.unwrap();
    // Another team's rep does not see the job.
    assert!(matches!(import::get(db, &rep2, up.id).await, Err(AppError::NotFound)));
    assert!(matches!(import::check(db, &rep2, up.id, None).await, Err(AppError::NotFound)));
    let checked = import::check(db, &rep, up.id, None).await.unwrap();
    assert_eq!((checked.total_rows, checked.rejected), (7, 5), "{:?}", checked.rejects);
    let by_line: std::collections::HashMap<u32, Problem> = checked.rejects.iter().map(|r| (r.line, r.problem.clone())).collect();
    assert_eq!(by_line[&4], Problem::NotAnAmount);
    assert!(matches!(&by_line[&5], Problem::Gate { missing } if !missing.is_empty()), "{:?}", by_line[&5]);
    assert_eq!(by_line[&6], Problem::NotAssignable);
    assert_eq!(by_line[&7], Problem::DuplicateInFile { line: 2 });
    assert_eq!(by_line[&8], Problem::UnknownAccount);
    let deals_before = deal::Entity::find().count(db).await.unwrap();
    import::start(db, &rep, up.id, Mode::GoodRows).await.unwrap();
    let done = until_finished(db, &rep, up.id).await;
    assert_eq!((done.status, done.imported, done.rejected), (Status::Done, 2, 5));
    assert_eq!(deal::Entity::find().count(db).await.unwrap(), deals_before + 2);
    let d = deal::Entity::find().filter(deal::Column::Name.eq("导入商机二")).one(db).await.unwrap().unwrap();
    assert_eq!((d.amount_fen, d.stage_id, d.owner_id), (5_000_000_000, first.id, rep.user_id));
    let created = deal_history::Entity::find().filter(deal_history::Column::DealId.eq(d.id)).count(db).await.unwrap();
    assert!(created >= 1, "the one create path writes the deal's history");

    // Contacts: duplicates by e-mail or phone within an account, in the file and already there.
    let csv = format!(
        "Account,Name,Title,Email,Phone\n\
         {a},Li Wei,CFO,li.wei@import.test,\n\
         {a},Li Wei 2,CIO,LI.WEI@import.test,\n\
         {a},Zhao,PM,,+86 138 0000 1111\n\
         {a},Zhao Again,PM,,13800001111\n\
         other team account,Wu,PM,,\n",
        a = acct.name
    );
    let up = import::upload(db, &rep, Kind::Contacts, "contacts.csv", csv.into_bytes()).await.unwrap();
    let done = import::check(db, &rep, up.id, None).await.unwrap();
    assert_eq!(lines(&done), vec![(3, Some(Field::ContactEmail)), (5, Some(Field::ContactPhone)), (6, Some(Field::Account))]);
    import::start(db, &rep, up.id, Mode::GoodRows).await.unwrap();
    assert_eq!(until_finished(db, &rep, up.id).await.imported, 2);
    let again = import::upload(
        db,
        &rep,
        Kind::Contacts,
        "again.csv",
        format!("Account,Name,Email\n{},Li,li.wei@import.test\n", acct.name).into_bytes(),
    )
    .await
    .unwrap();
    let again = import::check(db, &rep, again.id, None).await.unwrap();
    assert!(matches!(&again.rejects[0].problem, Problem::DuplicateExisting { name } if name == "Li Wei"));

    // A mapping without a required column is refused naming "mapping"; executives cannot import.
    let bad = import::check(db, &rep, up.id, Some(vec![None, Some(Field::ContactName), None, None, None])).await;
    assert!(matches!(bad, Err(AppError::Conflict)), "a finished job is not checked again");
    let up = import::upload(db, &rep, Kind::Contacts, "m.csv", b"Account,Name\nX,Y\n".to_vec()).await.unwrap();
    let bad = import::check(db, &rep, up.id, Some(vec![None, Some(Field::ContactName)])).await.unwrap_err();
    assert!(matches!(bad, AppError::Validation { ref field, .. } if field == "mapping"));
    let exec = ctx_for(db, "exec@demo.local").await;
    assert!(matches!(import::upload(db, &exec, Kind::Accounts, "x.csv", b"Account name\nX\n".to_vec()).await, Err(AppError::Forbidden)));
    // An empty or unreadable file says so.
    assert!(matches!(import::upload(db, &rep, Kind::Accounts, "x.csv", Vec::new()).await, Err(AppError::Validation { .. })));
    assert!(matches!(
        import::upload(db, &rep, Kind::Accounts, "x.xlsx", b"PK\x03\x04garbage".to_vec()).await,
        Err(AppError::Validation { .. })
    ));
}

#[tokio::test]
async fn seed_003_and_the_profile_columns_are_imported() {
    use app::domain::account::profile::Field as PF;
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let header = vec![
        "客户名称",
        "所属行业",
        "企业规模（员工人数/年营收）",
        "联系人",
        "职务",
        "联系方式",
        "初步需求描述",
        "信息来源",
        "跟进人",
        "跟进状态",
        "下次跟进时间",
        "主要产品",
        "ISO9000",
        "是否信息化",
        "现用系统",
        "料号数",
        "责任区域",
    ];
    let rows = vec![
        header,
        vec![
            "档案导入精工有限公司",
            "机械",
            "300人/2亿",
            "钱工",
            "IT 经理",
            "139 1111 2222",
            "车间报工靠纸，想上 MES",
            "行业展会",
            "",
            "",
            "",
            "数控机床",
            "认证中",
            "是",
            "用友 U8",
            "12,000",
            "华东",
        ],
        vec!["档案导入二号", "机械", "", "", "", "", "", "客户转介绍"],
        vec!["档案导入三号", "机械", "", "", "", "", "", "百度推广"],
        vec!["档案导入四号", "机械", "", "", "", "", "", "来电", "", "", "", "", "ISO14001"],
    ];
    let up = import::upload(db, &rep, Kind::Accounts, "档案.xlsx", xlsx(&rows)).await.unwrap();
    let want = [
        Field::AccountName,
        Field::Industry,
        Field::Size,
        Field::ContactName,
        Field::ContactTitle,
        Field::ContactPhone,
        Field::InitialNeed,
        Field::LeadSource,
        Field::Owner,
        Field::Grade,
        Field::NextContact,
        Field::MainProducts,
        Field::Iso9000,
        Field::Computerised,
        Field::CurrentSystems,
        Field::ItemCodes,
        Field::Territory,
    ];
    assert_eq!(up.mapping, want.iter().copied().map(Some).collect::<Vec<_>>());
    let checked = import::check(db, &rep, up.id, None).await.unwrap();
    assert_eq!(lines(&checked), vec![(4, Some(Field::LeadSource)), (5, Some(Field::Iso9000))]);
    assert_eq!(checked.rejects[0].problem, Problem::NotALeadSource);
    // The refusal says which values are accepted.
    assert!(checked.rejects[0].problem.message(app::domain::locale::Locale::ZhCn).contains("旧客户介绍"));
    import::start(db, &rep, up.id, Mode::GoodRows).await.unwrap();
    let done = until_finished(db, &rep, up.id).await;
    assert_eq!((done.status, done.imported, done.rejected), (Status::Done, 2, 2));
    assert_eq!(lines(&done), lines(&checked));
    let a = account::Entity::find().filter(account::Column::Name.eq("档案导入精工有限公司")).one(db).await.unwrap().unwrap();
    assert_eq!(a.initial_need.as_deref(), Some("车间报工靠纸，想上 MES"));
    assert_eq!(
        (a.lead_source.as_deref(), a.iso9000.as_deref(), a.computerised, a.item_codes),
        (Some("events"), Some("in_progress"), Some(true), Some(12_000))
    );
    assert_eq!(
        (a.main_products.as_deref(), a.current_systems.as_deref(), a.territory.as_deref()),
        (Some("数控机床"), Some("用友 U8"), Some("华东"))
    );
    // The account page shows it in its profile, and the need edits like any profile field.
    let view = app::ssr::service::account::get(db, &rep, a.uuid).await.unwrap();
    assert_eq!(view.profile.initial_need.as_deref(), Some("车间报工靠纸，想上 MES"));
    let patch = app::domain::account::profile::AccountPatch {
        initial_need: Some(Some("MES 一期：报工与追溯".into())),
        ..Default::default()
    };
    let edited = app::ssr::service::account::edit(db, &rep, a.uuid, patch, view.version).await.unwrap();
    assert_eq!(edited.profile.initial_need.as_deref(), Some("MES 一期：报工与追溯"));
    assert_eq!(edited.history[0].changes.iter().map(|c| c.field).collect::<Vec<_>>(), vec![PF::InitialNeed]);
    let b = account::Entity::find().filter(account::Column::Name.eq("档案导入二号")).one(db).await.unwrap().unwrap();
    assert_eq!(b.lead_source.as_deref(), Some("customer_referral"));
}

#[tokio::test]
async fn another_teams_account_is_a_duplicate_in_the_check_and_the_import_alike() {
    use app::ssr::service::access::account_visibility;
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    // An account of the West team, which the East rep cannot see.
    let west = account::Entity::find()
        .filter(account_visibility(&rep).not())
        .order_by_asc(account::Column::Id)
        .one(db)
        .await
        .unwrap()
        .expect("an account the rep cannot see");
    let spelled = format!(" {}股份有限公司 ", west.name.trim_end_matches("有限公司"));
    let rows = vec![vec!["客户名称", "所属行业"], vec![spelled.as_str(), "机械"], vec!["跨团队查重新客户", "机械"]];
    let before = account::Entity::find().count(db).await.unwrap();
    let up = import::upload(db, &rep, Kind::Accounts, "x.xlsx", xlsx(&rows)).await.unwrap();
    let checked = import::check(db, &rep, up.id, None).await.unwrap();
    assert_eq!(lines(&checked), vec![(2, Some(Field::AccountName))]);
    assert_eq!(checked.rejects[0].problem, Problem::DuplicateOtherTeam);
    // The refusal says that it exists elsewhere, never what it is.
    for l in [app::domain::locale::Locale::En, app::domain::locale::Locale::ZhCn] {
        let m = checked.rejects[0].problem.message(l);
        assert!(!m.contains(west.name.trim_end_matches("有限公司")), "{m}");
    }
    // All or nothing refuses the file, as the check said; the good rows leave it out.
    assert!(import::start(db, &rep, up.id, Mode::AllOrNothing).await.is_err());
    import::start(db, &rep, up.id, Mode::GoodRows).await.unwrap();
    let done = until_finished(db, &rep, up.id).await;
    assert_eq!((done.imported, done.rejected), (1, 1));
    assert_eq!(lines(&done), lines(&checked));
    assert_eq!(done.rejects[0].problem, Problem::DuplicateOtherTeam);
    assert_eq!(account::Entity::find().count(db).await.unwrap(), before + 1);

    // An import that runs all or nothing checks again and writes nothing.
    let up = import::upload(db, &rep, Kind::Accounts, "y.xlsx", xlsx(&[vec!["客户名称"], vec!["跨团队全有全无"]])).await.unwrap();
    import::check(db, &rep, up.id, None).await.unwrap();
    let j = app::ssr::entity::import_job::Entity::find()
        .filter(app::ssr::entity::import_job::Column::Uuid.eq(up.id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    // Meanwhile the other team creates the same account.
    let west_rep = ctx_for(db, "rep2@demo.local").await;
    let new = app::domain::dto::NewAccount {
        name: "跨团队全有全无".into(),
        industry: "机械".into(),
        city: None,
        headcount: None,
        revenue_fen: None,
    };
    app::ssr::service::account::create(db, &west_rep, new).await.unwrap();
    let counts = import::run(db, &rep, j.id, Mode::AllOrNothing).await.unwrap();
    assert_eq!((counts.imported, counts.rejected), (0, 1));
    assert_eq!(account::Entity::find().filter(account::Column::Name.eq("跨团队全有全无")).count(db).await.unwrap(), 1);

    // Whoever sees the other account (its team's manager, an admin) is told which it is.
    for who in ["manager2@demo.local", "admin@demo.local"] {
        let ctx = ctx_for(db, who).await;
        let up = import::upload(db, &ctx, Kind::Accounts, "z.xlsx", xlsx(&rows[..2])).await.unwrap();
        let checked = import::check(db, &ctx, up.id, None).await.unwrap();
        assert!(
            matches!(&checked.rejects[0].problem, Problem::DuplicateExisting { name } if *name == west.name),
            "{who}: {:?}",
            checked.rejects
        );
    }
}

#[tokio::test]
async fn a_mapping_without_required_fields_names_them_all() {
    let t = seeded().await;
    let db = &t.db;
    let rep = ctx_for(db, "rep@demo.local").await;
    let up = import::upload(
        db,
        &rep,
        Kind::Deals,
        "d.csv",
        b"Stage,Note
X,Y
"
        .to_vec(),
    )
    .await
    .unwrap();
    let err = import::check(db, &rep, up.id, None).await.unwrap_err();
    let AppError::Validation { field, message } = err else { panic!("422") };
    assert_eq!(field, "mapping");
    for code in ["deal_name", "account", "amount", "close_date"] {
        assert!(message.contains(code), "{message}");
    }
    // The recent list reads the jobs without their files.
    let recent = import::recent(db, &rep).await.unwrap();
    assert_eq!(recent[0].id, up.id);
    assert!(recent[0].sample.is_empty() && recent[0].rejects.is_empty());
    assert_eq!(recent[0].status, Status::Uploaded);
}
