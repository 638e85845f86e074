//! Editing a pipeline: names, stage order, win rates, stuck limits, playbooks, entry
//! requirements and the policy table. Admins only; every write is one transaction guarded
//! by the pipeline's or the stage's `version`.
//!
//! Weighted amounts are never stored: the board and the forecast multiply amounts by
//! `stages.win_rate_pct` when they read, so changing a rate here re-weights every open deal
//! of the stage at once without touching a deal row.
use super::mapping::pipeline_ref;
use super::movement::load_rules;
use crate::domain::dto::{PipelineEditor, PolicyCell, RequirementChoice, StageEdit, StageUpdate};
use crate::domain::error::AppError;
use crate::domain::gate::{Policy, Requirement, StageKind};
use crate::domain::locale::Locale;
use crate::domain::pipeline_edit::{self, Invalid, Rule};
use crate::i18n::{requirement_label, rule_key, t};
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{pipeline, stage, stage_requirement, stage_transition};
use crate::ssr::events::{self, Event};
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// The first refused value as the typed error (the editor shows the same rule inline).
fn refuse(invalid: &[Invalid]) -> Result<(), AppError> {
    match invalid.first() {
        Some(i) => Err(refused(i.field, i.rule)),
        None => Ok(()),
    }
}

fn refused(field: &str, rule: Rule) -> AppError {
    AppError::validation(field, t(Locale::En, rule_key(field, rule)))
}

async fn find_pipeline<C: ConnectionTrait>(db: &C, id: uuid::Uuid) -> Result<pipeline::Model, AppError> {
    pipeline::Entity::find().filter(pipeline::Column::Uuid.eq(id)).one(db).await.map_err(db_err)?.ok_or(AppError::NotFound)
}

async fn find_stage<C: ConnectionTrait>(db: &C, id: uuid::Uuid) -> Result<stage::Model, AppError> {
    stage::Entity::find().filter(stage::Column::Uuid.eq(id)).one(db).await.map_err(db_err)?.ok_or(AppError::NotFound)
}

/// Bumps the pipeline's version if it is still `version`; a stale one is a Conflict.
async fn bump_pipeline<C: ConnectionTrait>(db: &C, id: i32, version: i32) -> Result<(), AppError> {
    let res = pipeline::Entity::update_many()
        .col_expr(pipeline::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(pipeline::Column::Version, Expr::col(pipeline::Column::Version).add(1))
        .filter(pipeline::Column::Id.eq(id))
        .filter(pipeline::Column::Version.eq(version))
        .exec(db)
        .await
        .map_err(db_err)?;
    if res.rows_affected == 1 {
        Ok(())
    } else {
        Err(AppError::Conflict)
    }
}

async fn bump_stage<C: ConnectionTrait>(db: &C, id: i32, version: i32) -> Result<(), AppError> {
    let res = stage::Entity::update_many()
        .col_expr(stage::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(stage::Column::Version, Expr::col(stage::Column::Version).add(1))
        .filter(stage::Column::Id.eq(id))
        .filter(stage::Column::Version.eq(version))
        .exec(db)
        .await
        .map_err(db_err)?;
    if res.rows_affected == 1 {
        Ok(())
    } else {
        Err(AppError::Conflict)
    }
}

/// Tells every open board (all teams: a pipeline belongs to no team) to reload.
async fn changed(db: &Db, ctx: &RequestContext) {
    events::publish(
        db,
        Event { kind: "pipeline_changed".into(), deal: uuid::Uuid::nil(), account: None, team_id: events::EVERYONE, actor: ctx.user_id },
    )
    .await;
}

fn kind_of(s: &stage::Model) -> StageKind {
    StageKind::parse(&s.kind).unwrap_or(StageKind::Open)
}

async fn stage_edit<C: ConnectionTrait>(db: &C, s: stage::Model) -> Result<StageEdit, AppError> {
    let reqs = stage_requirement::Entity::find().filter(stage_requirement::Column::StageId.eq(s.id)).all(db).await.map_err(db_err)?;
    Ok(to_edit(s, reqs.into_iter().map(|r| r.code).collect()))
}

fn to_edit(s: stage::Model, mut requirements: Vec<String>) -> StageEdit {
    // In the order the picker lists them, so the same set always reads the same.
    let all: Vec<String> = Requirement::all().into_iter().map(|r| r.code()).collect();
    requirements.sort_by_key(|c| all.iter().position(|a| a == c).unwrap_or(usize::MAX));
    StageEdit {
        id: s.uuid,
        name_en: s.name_en,
        name_zh: s.name_zh,
        position: s.position,
        win_rate_pct: s.win_rate_pct,
        kind: s.kind,
        stuck_days: s.stuck_days,
        playbook_en: s.playbook_en,
        playbook_zh: s.playbook_zh,
        requirements,
        version: s.version,
    }
}

pub fn requirement_choices() -> Vec<RequirementChoice> {
    Requirement::all()
        .into_iter()
        .map(|r| {
            let code = r.code();
            RequirementChoice {
                group: code.split('.').next().unwrap_or_default().to_owned(),
                label_en: requirement_label(Locale::En, &code),
                label_zh: requirement_label(Locale::ZhCn, &code),
                code,
            }
        })
        .collect()
}

/// Everything the editor shows for one pipeline (the default one when `id` is None).
pub async fn editor<C: ConnectionTrait>(db: &C, ctx: &RequestContext, id: Option<uuid::Uuid>) -> Result<PipelineEditor, AppError> {
    super::access::require_admin(ctx)?;
    let pipelines = pipeline::Entity::find()
        .order_by_desc(pipeline::Column::IsDefault)
        .order_by_asc(pipeline::Column::Position)
        .all(db)
        .await
        .map_err(db_err)?;
    let p = match id {
        Some(u) => pipelines.iter().find(|p| p.uuid == u),
        None => pipelines.first(),
    }
    .cloned()
    .ok_or(AppError::NotFound)?;
    let (rules, mut stages) = load_rules(db, p.id).await?;
    stages.sort_by_key(|s| (s.position, s.id));
    let mut policies = Vec::with_capacity(stages.len() * stages.len());
    for from in &stages {
        for to in stages.iter().filter(|s| s.id != from.id) {
            let (Some(gf), Some(gt)) = (rules.stages.iter().find(|g| g.id == from.id), rules.stages.iter().find(|g| g.id == to.id)) else {
                continue;
            };
            policies.push(PolicyCell {
                from: from.uuid,
                to: to.uuid,
                policy: rules.policy(gf, gt),
                default: rules.default_policy(gf, gt),
                overridden: rules.overrides.iter().any(|(f, t, _)| *f == from.id && *t == to.id),
            });
        }
    }
    let stage_edits = stages
        .into_iter()
        .map(|s| {
            let codes = rules.stages.iter().find(|g| g.id == s.id).map(|g| g.requirements.iter().map(|r| r.code()).collect());
            to_edit(s, codes.unwrap_or_default())
        })
        .collect();
    // The picker lists pipelines in board order.
    let mut picker: Vec<_> = pipelines.iter().collect();
    picker.sort_by_key(|p| (p.position, p.id));
    Ok(PipelineEditor {
        pipeline: pipeline_ref(&p),
        version: p.version,
        pipelines: picker.into_iter().map(pipeline_ref).collect(),
        stages: stage_edits,
        policies,
        requirements: requirement_choices(),
    })
}

/// Renames a pipeline; returns its new version.
pub async fn rename_pipeline(
    db: &Db,
    ctx: &RequestContext,
    id: uuid::Uuid,
    name_en: &str,
    name_zh: &str,
    version: i32,
) -> Result<i32, AppError> {
    super::access::require_admin(ctx)?;
    refuse(&pipeline_edit::check_names(name_en, name_zh))?;
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let p = find_pipeline(&w.txn, id).await?;
    pipeline::Entity::update_many()
        .col_expr(pipeline::Column::NameEn, Expr::value(name_en.trim()))
        .col_expr(pipeline::Column::NameZh, Expr::value(name_zh.trim()))
        .filter(pipeline::Column::Id.eq(p.id))
        .exec(&w.txn)
        .await
        .map_err(db_err)?;
    bump_pipeline(&w.txn, p.id, version).await?;
    w.commit().await.map_err(db_err)?;
    changed(db, ctx).await;
    Ok(version + 1)
}

/// Updates a stage's names, win rate, stuck limit and playbooks.
pub async fn update_stage(db: &Db, ctx: &RequestContext, id: uuid::Uuid, u: &StageUpdate) -> Result<StageEdit, AppError> {
    super::access::require_admin(ctx)?;
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let s = find_stage(&w.txn, id).await?;
    refuse(&pipeline_edit::check_stage(kind_of(&s), &u.name_en, &u.name_zh, u.win_rate_pct, u.stuck_days, &u.playbook_en, &u.playbook_zh))?;
    stage::Entity::update_many()
        .col_expr(stage::Column::NameEn, Expr::value(u.name_en.trim()))
        .col_expr(stage::Column::NameZh, Expr::value(u.name_zh.trim()))
        .col_expr(stage::Column::WinRatePct, Expr::value(u.win_rate_pct))
        .col_expr(stage::Column::StuckDays, Expr::value(u.stuck_days))
        .col_expr(stage::Column::PlaybookEn, Expr::value(u.playbook_en.trim()))
        .col_expr(stage::Column::PlaybookZh, Expr::value(u.playbook_zh.trim()))
        .filter(stage::Column::Id.eq(s.id))
        .exec(&w.txn)
        .await
        .map_err(db_err)?;
    bump_stage(&w.txn, s.id, u.version).await?;
    if s.win_rate_pct != u.win_rate_pct {
        // The forecast cells hold weighted sums at the old rate.
        super::totals::rebuild_cells(&w.txn).await.map_err(db_err)?;
        super::totals::forget_points(&w.txn).await?;
    }
    let fresh = stage::Entity::find_by_id(s.id).one(&w.txn).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    let out = stage_edit(&w.txn, fresh).await?;
    w.commit().await.map_err(db_err)?;
    changed(db, ctx).await;
    Ok(out)
}

/// Puts the open stages in `order`; Won and Lost stay last. The pipeline's version guards
/// the order (a stage's own version guards its own fields, which a reorder leaves alone).
pub async fn reorder_stages(
    db: &Db,
    ctx: &RequestContext,
    pipeline_id: uuid::Uuid,
    order: &[uuid::Uuid],
    version: i32,
) -> Result<PipelineEditor, AppError> {
    super::access::require_admin(ctx)?;
    crate::domain::validate::list_len("order", order, 100)?;
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let p = find_pipeline(&w.txn, pipeline_id).await?;
    if p.version != version {
        return Err(AppError::Conflict);
    }
    let stages = stage::Entity::find().filter(stage::Column::PipelineId.eq(p.id)).all(&w.txn).await.map_err(db_err)?;
    let shape: Vec<(uuid::Uuid, StageKind, i32)> = stages.iter().map(|s| (s.uuid, kind_of(s), s.position)).collect();
    let moves = pipeline_edit::reorder(&shape, order).map_err(|r| refused("stages", r))?;
    let now = Utc::now();
    for (uuid, pos) in moves {
        stage::Entity::update_many()
            .col_expr(stage::Column::Position, Expr::value(pos))
            .col_expr(stage::Column::UpdatedAt, Expr::value(now))
            .filter(stage::Column::Uuid.eq(uuid))
            .filter(stage::Column::PipelineId.eq(p.id))
            .exec(&w.txn)
            .await
            .map_err(db_err)?;
    }
    bump_pipeline(&w.txn, p.id, version).await?;
    let out = editor(&w.txn, ctx, Some(pipeline_id)).await?;
    w.commit().await.map_err(db_err)?;
    changed(db, ctx).await;
    Ok(out)
}

/// Sets the policy of the move `from` → `to`, or with `None` returns it to the default table.
pub async fn set_policy(
    db: &Db,
    ctx: &RequestContext,
    pipeline_id: uuid::Uuid,
    from: uuid::Uuid,
    to: uuid::Uuid,
    policy: Option<Policy>,
    version: i32,
) -> Result<PipelineEditor, AppError> {
    super::access::require_admin(ctx)?;
    if from == to {
        return Err(refused("to", Rule::SameStage));
    }
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let p = find_pipeline(&w.txn, pipeline_id).await?;
    let (f, t) = (find_stage(&w.txn, from).await?, find_stage(&w.txn, to).await?);
    if f.pipeline_id != p.id || t.pipeline_id != p.id {
        return Err(AppError::NotFound);
    }
    stage_transition::Entity::delete_many()
        .filter(stage_transition::Column::FromStageId.eq(f.id))
        .filter(stage_transition::Column::ToStageId.eq(t.id))
        .exec(&w.txn)
        .await
        .map_err(db_err)?;
    if let Some(pol) = policy {
        // Kept even when it equals today's default: the admin pinned it, and the default
        // may change with the next reorder.
        stage_transition::Entity::insert(stage_transition::ActiveModel {
            pipeline_id: Set(p.id),
            from_stage_id: Set(f.id),
            to_stage_id: Set(t.id),
            policy: Set(pol.as_str().into()),
        })
        .exec_without_returning(&w.txn)
        .await
        .map_err(db_err)?;
    }
    bump_pipeline(&w.txn, p.id, version).await?;
    let out = editor(&w.txn, ctx, Some(pipeline_id)).await?;
    w.commit().await.map_err(db_err)?;
    changed(db, ctx).await;
    Ok(out)
}

/// Replaces a stage's entry requirements.
pub async fn set_requirements(
    db: &Db,
    ctx: &RequestContext,
    id: uuid::Uuid,
    codes: &[String],
    version: i32,
) -> Result<StageEdit, AppError> {
    super::access::require_admin(ctx)?;
    let mut parsed: Vec<Requirement> = Vec::with_capacity(codes.len());
    for c in codes {
        let r = Requirement::parse(c.trim()).ok_or_else(|| refused("requirements", Rule::UnknownRequirement))?;
        if !parsed.contains(&r) {
            parsed.push(r);
        }
    }
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let s = find_stage(&w.txn, id).await?;
    if kind_of(&s) == StageKind::Lost && !parsed.is_empty() {
        return Err(refused("requirements", Rule::LostHasNoRequirements));
    }
    stage_requirement::Entity::delete_many().filter(stage_requirement::Column::StageId.eq(s.id)).exec(&w.txn).await.map_err(db_err)?;
    if !parsed.is_empty() {
        let rows = parsed.iter().map(|r| stage_requirement::ActiveModel { stage_id: Set(s.id), code: Set(r.code()) });
        stage_requirement::Entity::insert_many(rows).exec_without_returning(&w.txn).await.map_err(db_err)?;
    }
    bump_stage(&w.txn, s.id, version).await?;
    let fresh = stage::Entity::find_by_id(s.id).one(&w.txn).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    let out = stage_edit(&w.txn, fresh).await?;
    w.commit().await.map_err(db_err)?;
    changed(db, ctx).await;
    Ok(out)
}
