//! A deal's negotiation (商务谈判要点表): the plan (bottom lines, what each key person on
//! the committee map cares about, strategy, alternatives), its sessions, and the concession
//! ladder checked by `domain::negotiation`. A concession past a bottom line waits for the
//! general manager in the approvals inbox; the agreed result goes to the sales manager and
//! then legal before a contract can be drafted. History and live events like every change.
use crate::domain::access::{DealAction, TeamRole};
use crate::domain::contract::Approver;
use crate::domain::error::AppError;
use crate::domain::history::HistoryKind;
use crate::domain::negotiation::dto::{
    ClausePosition, ConcessionInput, ConcessionView, ConfirmStep, GmStatus, Interest, InterestView, NegotiationView, Participant,
    PlanInput, SessionInput, SessionView,
};
use crate::domain::negotiation::{check_given, default_cares, warnings, BottomLines, Concession, Given, NegotiationStatus, Warning};
use crate::domain::validate;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{approval, concession, contact, deal, deal_contact, negotiation, negotiation_session, user};
use crate::ssr::service::{access, contract, history, user_names};
use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// At most this many concessions and sessions on one negotiation.
const MAX_ROWS: usize = 200;

fn today() -> chrono::NaiveDate {
    Utc::now().with_timezone(&crate::domain::forecast::offset()).date_naive()
}

fn status_of(n: &negotiation::Model) -> NegotiationStatus {
    NegotiationStatus::parse(&n.status).unwrap_or(NegotiationStatus::Planning)
}

fn given_of(c: &concession::Model) -> Given {
    match c.given_kind.as_str() {
        "amount" => Given::AmountFen(c.given_value.unwrap_or(0)),
        "percent" => Given::PercentBp(i32::try_from(c.given_value.unwrap_or(0)).unwrap_or(0)),
        "days" => Given::Days(i32::try_from(c.given_value.unwrap_or(0)).unwrap_or(0)),
        _ => Given::Text(c.given_text.clone().unwrap_or_default()),
    }
}

fn ladder_of(rows: &[concession::Model]) -> Vec<Concession> {
    rows.iter()
        .map(|c| Concession {
            clause: crate::domain::negotiation::Clause::parse(&c.clause).unwrap_or(crate::domain::negotiation::Clause::Other),
            given: given_of(c),
            got: c.got.clone(),
            position_after: c.position_after,
        })
        .collect()
}

fn lines_of(n: &negotiation::Model) -> BottomLines {
    BottomLines { lowest_price_fen: n.lowest_price_fen, longest_payment_days: n.longest_payment_days }
}

async fn by_deal<C: ConnectionTrait>(db: &C, deal_id: i32) -> Result<Option<negotiation::Model>, AppError> {
    negotiation::Entity::find().filter(negotiation::Column::DealId.eq(deal_id)).one(db).await.map_err(db_err)
}

/// The people of one session as stored (JSON arrays of contact and user ids), parsed once.
struct Seated {
    customer: Vec<uuid::Uuid>,
    ours: Vec<uuid::Uuid>,
}

impl Seated {
    fn of(s: &negotiation_session::Model) -> Self {
        Self {
            customer: serde_json::from_str(&s.customer_people).unwrap_or_default(),
            ours: serde_json::from_str(&s.our_people).unwrap_or_default(),
        }
    }
}

async fn note<C: ConnectionTrait>(db: &C, d: &deal::Model, actor: i32, kind: HistoryKind, text: String) -> Result<(), AppError> {
    let mut h = history::row(d.id, actor, kind);
    h.note = Set(Some(text));
    history::append(db, h).await
}

/// The negotiation of a deal, or None before anyone planned it.
pub async fn get<C: ConnectionTrait>(db: &C, ctx: &RequestContext, deal_id: uuid::Uuid) -> Result<Option<NegotiationView>, AppError> {
    let d = deal::Entity::find().filter(deal::Column::Uuid.eq(deal_id)).one(db).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    let team = access::check_with_team(db, ctx, &d, DealAction::View).await?;
    let Some(n) = by_deal(db, d.id).await? else { return Ok(None) };
    let may_work = access::allows(ctx, DealAction::Quote, &d, &team);
    let sessions = negotiation_session::Entity::find()
        .filter(negotiation_session::Column::NegotiationId.eq(n.id))
        .order_by_asc(negotiation_session::Column::HeldOn)
        .order_by_asc(negotiation_session::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    let rows = concession::Entity::find()
        .filter(concession::Column::NegotiationId.eq(n.id))
        .order_by_asc(concession::Column::Position)
        .all(db)
        .await
        .map_err(db_err)?;
    let approvals = approval::Entity::find()
        .filter(approval::Column::NegotiationId.eq(n.id))
        .order_by_asc(approval::Column::Id)
        .all(db)
        .await
        .map_err(db_err)?;
    let stored: Vec<Interest> = serde_json::from_str(&n.interests).unwrap_or_default();
    // Each session's people, parsed once: contacts (on the map when recorded) and users.
    let seated: Vec<Seated> = sessions.iter().map(Seated::of).collect();
    let map = deal_contact::Entity::find().filter(deal_contact::Column::DealId.eq(d.id)).all(db).await.map_err(db_err)?;
    // One query for every contact shown: the map's, the plan's and the sessions'.
    let map_ids: Vec<i32> = map.iter().map(|m| m.contact_id).collect();
    let named: Vec<uuid::Uuid> =
        stored.iter().map(|i| i.contact_id).chain(seated.iter().flat_map(|s| s.customer.iter().copied())).collect();
    let contacts: Vec<contact::Model> = contact::Entity::find()
        .filter(Condition::any().add(contact::Column::Id.is_in(map_ids)).add(contact::Column::Uuid.is_in(named)))
        .all(db)
        .await
        .map_err(db_err)?;
    let by_id: HashMap<i32, &contact::Model> = contacts.iter().map(|c| (c.id, c)).collect();
    let people: HashMap<uuid::Uuid, &contact::Model> = contacts.iter().map(|c| (c.uuid, c)).collect();
    let roles: HashMap<i32, Option<String>> = map.iter().map(|m| (m.contact_id, m.role.clone())).collect();
    // Who may sit at the table: the map's people (most influential first) and the deal team.
    let mut on_map: Vec<(&deal_contact::Model, &contact::Model)> =
        map.iter().filter_map(|m| Some((m, *by_id.get(&m.contact_id)?))).collect();
    on_map.sort_by(|(a, x), (b, y)| b.influence_pct.cmp(&a.influence_pct).then_with(|| x.name.cmp(&y.name)));
    let mut members: Vec<(i32, TeamRole)> = team;
    if !members.iter().any(|(u, _)| *u == d.owner_id) {
        members.push((d.owner_id, TeamRole::Owner));
    }
    // One query for every user named as ours: the team now and whoever sat at a session.
    let member_ids: Vec<i32> = members.iter().map(|(u, _)| *u).collect();
    let sat: Vec<uuid::Uuid> = seated.iter().flat_map(|s| s.ours.iter().copied()).collect();
    let users: Vec<user::Model> = user::Entity::find()
        .filter(Condition::any().add(user::Column::Id.is_in(member_ids)).add(user::Column::Uuid.is_in(sat)))
        .all(db)
        .await
        .map_err(db_err)?;
    let our_names: HashMap<uuid::Uuid, &str> = users.iter().map(|u| (u.uuid, u.name.as_str())).collect();
    let user_by_id: HashMap<i32, &user::Model> = users.iter().map(|u| (u.id, u)).collect();
    let mut team_view: Vec<(TeamRole, Participant)> = members
        .iter()
        .filter_map(|(id, role)| {
            let u = user_by_id.get(id)?;
            Some((*role, Participant { id: u.uuid, name: u.name.clone(), title: None, role: Some(role.as_str().to_owned()) }))
        })
        .collect();
    team_view.sort_by(|a, b| {
        let rank = |r: TeamRole| TeamRole::ALL.iter().position(|x| *x == r).unwrap_or(TeamRole::ALL.len());
        rank(a.0).cmp(&rank(b.0)).then_with(|| a.1.name.cmp(&b.1.name))
    });
    let names = user_names(db, rows.iter().map(|c| c.created_by).chain(approvals.iter().filter_map(|a| a.approver_id)).collect()).await?;
    let ladder = ladder_of(&rows);
    let warns = warnings(&ladder, &lines_of(&n));
    let confirm: Vec<ConfirmStep> = (0..2)
        .map(|step| {
            let a = approvals
                .iter()
                .rev()
                .find(|a| a.concession_id.is_none() && a.round == Some(n.round) && a.step == Some(step) && a.status != "withdrawn");
            ConfirmStep {
                step,
                who: a.and_then(|a| a.approver_id).and_then(|u| names.get(&u).cloned()),
                state: a.map_or("waiting".into(), |a| a.status.clone()),
                comment: a.and_then(|a| a.comment.clone()),
            }
        })
        .collect();
    Ok(Some(NegotiationView {
        id: n.uuid,
        deal_id: d.uuid,
        lowest_price_fen: n.lowest_price_fen,
        longest_payment_days: n.longest_payment_days,
        never_give: n.never_give.clone(),
        interests: stored
            .iter()
            .filter_map(|i| {
                let c = people.get(&i.contact_id)?;
                Some(InterestView {
                    contact_id: c.uuid,
                    name: c.name.clone(),
                    title: c.title.clone(),
                    role: roles.get(&c.id).cloned().flatten(),
                    cares: i.cares.clone(),
                })
            })
            .collect(),
        strategy: n.strategy.clone(),
        alternatives: n.alternatives.clone(),
        status: status_of(&n),
        result: n.result.clone(),
        sessions: sessions
            .iter()
            .zip(&seated)
            .map(|(s, p)| SessionView {
                id: s.uuid,
                held_on: s.held_on,
                channel: s.channel.clone(),
                customer_people: p.customer.iter().filter_map(|c| people.get(c).map(|c| c.name.clone())).collect(),
                our_people: p.ours.iter().filter_map(|u| our_names.get(u).map(|n| (*n).to_owned())).collect(),
                positions: serde_json::from_str(&s.positions).unwrap_or_default(),
                notes: s.notes.clone(),
            })
            .collect(),
        ladder: rows
            .iter()
            .zip(ladder)
            .zip(warns)
            .map(|((r, c), w)| ConcessionView {
                id: r.uuid,
                position: r.position,
                made_on: r.made_on,
                clause: c.clause,
                given: c.given,
                got: c.got,
                position_after: c.position_after,
                warnings: w,
                gm: GmStatus::parse(&r.gm_status),
                by: names.get(&r.created_by).cloned().unwrap_or_default(),
            })
            .collect(),
        confirm,
        people: on_map
            .iter()
            .map(|(m, c)| Participant { id: c.uuid, name: c.name.clone(), title: c.title.clone(), role: m.role.clone() })
            .collect(),
        team: team_view.into_iter().map(|(_, p)| p).collect(),
        may_work,
        my_approvals: approvals
            .iter()
            .filter(|a| a.status == "pending" && a.approver_id == Some(ctx.user_id) && a.requested_by != ctx.user_id)
            .map(|a| a.uuid)
            .collect(),
        updated_at: n.updated_at,
        version: n.version,
    }))
}

/// The interests pre-filled from the map: every person with a role, with what that role
/// usually cares about.
async fn prefill<C: ConnectionTrait>(db: &C, d: &deal::Model, l: crate::domain::locale::Locale) -> Result<Vec<Interest>, AppError> {
    let map = deal_contact::Entity::find().filter(deal_contact::Column::DealId.eq(d.id)).all(db).await.map_err(db_err)?;
    let ids: Vec<i32> = map.iter().filter(|m| m.role.is_some()).map(|m| m.contact_id).collect();
    let people: HashMap<i32, uuid::Uuid> = contact::Entity::find()
        .filter(contact::Column::Id.is_in(ids))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|c| (c.id, c.uuid))
        .collect();
    Ok(map
        .iter()
        .filter_map(|m| {
            let role = crate::domain::committee::ContactRole::parse(m.role.as_deref()?)?;
            Some(Interest { contact_id: *people.get(&m.contact_id)?, cares: default_cares(role, l).to_owned() })
        })
        .collect())
}

/// Starts the plan (`version` None; interests pre-filled from the map when none are sent)
/// or saves it under its version. A result in confirmation is not edited; a confirmed one
/// reopens to planning.
pub async fn save_plan(
    db: &Db,
    ctx: &RequestContext,
    deal_id: uuid::Uuid,
    p: PlanInput,
    version: Option<i32>,
) -> Result<NegotiationView, AppError> {
    let lowest = p.lowest_price_fen.map(|v| validate::amount_fen("lowest_price", v)).transpose()?;
    if let Some(days) = p.longest_payment_days {
        if !(0..=3650).contains(&days) {
            return Err(AppError::validation("longest_payment_days", "between 0 and 3650 days"));
        }
    }
    let never_give = validate::optional("never_give", p.never_give, 2000)?;
    let strategy = validate::optional("strategy", p.strategy, 4000)?;
    let alternatives = validate::optional("alternatives", p.alternatives, 4000)?;
    if p.interests.len() > 50 {
        return Err(AppError::validation("interests", "at most 50 people"));
    }
    let mut interests = Vec::with_capacity(p.interests.len());
    for (i, it) in p.interests.into_iter().enumerate() {
        interests
            .push(Interest { contact_id: it.contact_id, cares: validate::required(&format!("interests[{i}].cares"), &it.cares, 500)? });
    }
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let d = access::deal_for(&*w, ctx, deal_id, DealAction::Quote).await?;
    // Interests name people on this deal's map only.
    let on_map: Vec<uuid::Uuid> = {
        let ids: Vec<i32> = deal_contact::Entity::find()
            .filter(deal_contact::Column::DealId.eq(d.id))
            .all(&*w)
            .await
            .map_err(db_err)?
            .into_iter()
            .map(|m| m.contact_id)
            .collect();
        contact::Entity::find().filter(contact::Column::Id.is_in(ids)).all(&*w).await.map_err(db_err)?.into_iter().map(|c| c.uuid).collect()
    };
    if let Some(i) = interests.iter().position(|i| !on_map.contains(&i.contact_id)) {
        return Err(AppError::validation(format!("interests[{i}].contact_id"), "not on this deal's committee map"));
    }
    let now = Utc::now();
    match (by_deal(&*w, d.id).await?, version) {
        (None, _) => {
            if interests.is_empty() {
                interests = prefill(&*w, &d, ctx.locale.unwrap_or_default()).await?;
            }
            negotiation::Entity::insert(negotiation::ActiveModel {
                uuid: Set(uuid::Uuid::new_v4()),
                deal_id: Set(d.id),
                lowest_price_fen: Set(lowest),
                longest_payment_days: Set(p.longest_payment_days),
                never_give: Set(never_give),
                interests: Set(serde_json::to_string(&interests).map_err(|_| AppError::Internal)?),
                strategy: Set(strategy),
                alternatives: Set(alternatives),
                status: Set(NegotiationStatus::Planning.code().into()),
                result: Set(None),
                round: Set(0),
                created_by: Set(ctx.user_id),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            })
            .exec(&*w)
            .await
            .map_err(db_err)?;
            note(&*w, &d, ctx.user_id, HistoryKind::NegotiationPlanned, String::new()).await?;
        }
        (Some(n), Some(v)) => {
            if n.version != v {
                return Err(AppError::Conflict);
            }
            if status_of(&n) == NegotiationStatus::Confirming {
                return Err(AppError::validation("status", "the result is being confirmed; wait for the decision or withdraw it"));
            }
            let res = negotiation::Entity::update_many()
                .col_expr(negotiation::Column::LowestPriceFen, Expr::value(lowest))
                .col_expr(negotiation::Column::LongestPaymentDays, Expr::value(p.longest_payment_days))
                .col_expr(negotiation::Column::NeverGive, Expr::value(never_give))
                .col_expr(negotiation::Column::Interests, Expr::value(serde_json::to_string(&interests).map_err(|_| AppError::Internal)?))
                .col_expr(negotiation::Column::Strategy, Expr::value(strategy))
                .col_expr(negotiation::Column::Alternatives, Expr::value(alternatives))
                .col_expr(negotiation::Column::Status, Expr::value(NegotiationStatus::Planning.code()))
                .col_expr(negotiation::Column::UpdatedAt, Expr::value(now))
                .col_expr(negotiation::Column::Version, Expr::col(negotiation::Column::Version).add(1))
                .filter(negotiation::Column::Id.eq(n.id))
                .filter(negotiation::Column::Version.eq(v))
                .exec(&*w)
                .await
                .map_err(db_err)?;
            if res.rows_affected != 1 {
                return Err(AppError::Conflict);
            }
        }
        (Some(_), None) => return Err(AppError::Conflict),
    }
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "negotiation", &d, ctx.user_id).await;
    get(db, ctx, deal_id).await?.ok_or(AppError::Internal)
}

async fn plan_for<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    deal_id: uuid::Uuid,
) -> Result<(deal::Model, negotiation::Model), AppError> {
    let d = access::deal_for(db, ctx, deal_id, DealAction::Quote).await?;
    let n = by_deal(db, d.id).await?.ok_or_else(|| AppError::validation("negotiation", "plan the negotiation first"))?;
    Ok((d, n))
}

/// Bumps the plan's version (a session or concession changes what the plan shows).
async fn touch<C: ConnectionTrait>(db: &C, n: &negotiation::Model) -> Result<(), AppError> {
    negotiation::Entity::update_many()
        .col_expr(negotiation::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(negotiation::Column::Version, Expr::col(negotiation::Column::Version).add(1))
        .filter(negotiation::Column::Id.eq(n.id))
        .exec(db)
        .await
        .map_err(db_err)?;
    Ok(())
}

/// Records a session: who sat at the table and where each clause stands.
pub async fn add_session(db: &Db, ctx: &RequestContext, deal_id: uuid::Uuid, s: SessionInput) -> Result<NegotiationView, AppError> {
    let held_on = validate::date("held_on", s.held_on)?;
    if held_on > today() + chrono::Duration::days(365) {
        return Err(AppError::validation("held_on", "at most a year ahead"));
    }
    let channel = validate::required("channel", &s.channel, 200)?;
    let notes = validate::optional("notes", s.notes, 4000)?;
    if s.positions.len() > 20 || s.customer_people.len() > 50 || s.our_people.len() > 50 {
        return Err(AppError::validation("positions", "at most 20 clauses and 50 people a side"));
    }
    let mut positions: Vec<ClausePosition> = Vec::with_capacity(s.positions.len());
    for (i, p) in s.positions.into_iter().enumerate() {
        let f = |x: &str| format!("positions[{i}].{x}");
        positions.push(ClausePosition {
            clause: p.clause,
            theirs: validate::optional(&f("theirs"), p.theirs, 1000)?,
            ours: validate::optional(&f("ours"), p.ours, 1000)?,
            agreed: validate::optional(&f("agreed"), p.agreed, 1000)?,
            open: p.open,
        });
    }
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let (d, n) = plan_for(&*w, ctx, deal_id).await?;
    let count = negotiation_session::Entity::find()
        .filter(negotiation_session::Column::NegotiationId.eq(n.id))
        .all(&*w)
        .await
        .map_err(db_err)?
        .len();
    if count >= MAX_ROWS {
        return Err(AppError::validation("sessions", format!("at most {MAX_ROWS}")));
    }
    let map_ids: Vec<i32> = deal_contact::Entity::find()
        .filter(deal_contact::Column::DealId.eq(d.id))
        .all(&*w)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|m| m.contact_id)
        .collect();
    let on_map: Vec<uuid::Uuid> = contact::Entity::find()
        .filter(contact::Column::Id.is_in(map_ids))
        .all(&*w)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|c| c.uuid)
        .collect();
    if let Some(i) = s.customer_people.iter().position(|c| !on_map.contains(c)) {
        return Err(AppError::validation(format!("customer_people[{i}]"), "not on this deal's committee map"));
    }
    let team: Vec<i32> = access::team_of(&*w, &d).await?.into_iter().map(|(u, _)| u).chain([d.owner_id]).collect();
    let team_uuids: Vec<uuid::Uuid> =
        user::Entity::find().filter(user::Column::Id.is_in(team)).all(&*w).await.map_err(db_err)?.into_iter().map(|u| u.uuid).collect();
    if let Some(i) = s.our_people.iter().position(|u| !team_uuids.contains(u)) {
        return Err(AppError::validation(format!("our_people[{i}]"), "not on this deal's team"));
    }
    negotiation_session::Entity::insert(negotiation_session::ActiveModel {
        uuid: Set(uuid::Uuid::new_v4()),
        negotiation_id: Set(n.id),
        held_on: Set(held_on),
        channel: Set(channel.clone()),
        customer_people: Set(serde_json::to_string(&s.customer_people).map_err(|_| AppError::Internal)?),
        our_people: Set(serde_json::to_string(&s.our_people).map_err(|_| AppError::Internal)?),
        positions: Set(serde_json::to_string(&positions).map_err(|_| AppError::Internal)?),
        notes: Set(notes),
        created_by: Set(ctx.user_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec(&*w)
    .await
    .map_err(db_err)?;
    touch(&*w, &n).await?;
    note(&*w, &d, ctx.user_id, HistoryKind::NegotiationSession, format!("{held_on} · {channel}")).await?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "negotiation", &d, ctx.user_id).await;
    get(db, ctx, deal_id).await?.ok_or(AppError::Internal)
}

/// Puts a concession on the ladder. The ladder's warnings are shown, not enforced — except
/// a crossed bottom line, which sends the concession to the general manager.
pub async fn add_concession(db: &Db, ctx: &RequestContext, deal_id: uuid::Uuid, c: ConcessionInput) -> Result<NegotiationView, AppError> {
    let made_on = validate::date("made_on", c.made_on)?;
    if made_on > today() {
        return Err(AppError::validation("made_on", "cannot be in the future"));
    }
    check_given(&c.given)?;
    let got = validate::optional("got", c.got, 1000)?;
    if let Some(p) = c.position_after {
        validate::amount_fen("position_after", p)?;
    }
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let (d, n) = plan_for(&*w, ctx, deal_id).await?;
    if status_of(&n) == NegotiationStatus::Confirming {
        return Err(AppError::validation("status", "the result is being confirmed; no concession can be added now"));
    }
    let rows = concession::Entity::find()
        .filter(concession::Column::NegotiationId.eq(n.id))
        .order_by_asc(concession::Column::Position)
        .all(&*w)
        .await
        .map_err(db_err)?;
    if rows.len() >= MAX_ROWS {
        return Err(AppError::validation("concessions", format!("at most {MAX_ROWS}")));
    }
    let mut ladder = ladder_of(&rows);
    ladder.push(Concession { clause: c.clause, given: c.given.clone(), got: got.clone(), position_after: c.position_after });
    let mine = warnings(&ladder, &lines_of(&n)).pop().unwrap_or_default();
    let crosses = mine.iter().any(|w| matches!(w, Warning::CrossesBottomLine { .. }));
    let (kind, value, text) = match &c.given {
        Given::AmountFen(f) => ("amount", Some(*f), None),
        Given::PercentBp(b) => ("percent", Some(i64::from(*b)), None),
        Given::Days(x) => ("days", Some(i64::from(*x)), None),
        Given::Text(t) => ("text", None, Some(t.trim().to_owned())),
    };
    let now = Utc::now();
    let id = concession::Entity::insert(concession::ActiveModel {
        uuid: Set(uuid::Uuid::new_v4()),
        negotiation_id: Set(n.id),
        position: Set(rows.len() as i32 + 1),
        made_on: Set(made_on),
        clause: Set(c.clause.code().into()),
        given_kind: Set(kind.into()),
        given_value: Set(value),
        given_text: Set(text),
        got: Set(got),
        position_after: Set(c.position_after),
        gm_status: Set(if crosses { GmStatus::Pending } else { GmStatus::None }.code().into()),
        created_by: Set(ctx.user_id),
        created_at: Set(now),
        ..Default::default()
    })
    .exec(&*w)
    .await
    .map_err(db_err)?
    .last_insert_id;
    if crosses {
        let gm = contract::route_approver(&*w, Approver::GeneralManager, d.owner_id, ctx.user_id).await?;
        approval::Entity::insert(approval::ActiveModel {
            uuid: Set(uuid::Uuid::new_v4()),
            deal_id: Set(d.id),
            kind: Set("concession".into()),
            requested_by: Set(ctx.user_id),
            approver_id: Set(Some(gm)),
            reason: Set(Some(format!("{} #{}", c.clause.code(), rows.len() + 1))),
            status: Set("pending".into()),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            negotiation_id: Set(Some(n.id)),
            concession_id: Set(Some(id)),
            ..Default::default()
        })
        .exec(&*w)
        .await
        .map_err(db_err)?;
    }
    touch(&*w, &n).await?;
    let codes: Vec<&str> = mine.iter().map(|w| w.code()).collect();
    note(&*w, &d, ctx.user_id, HistoryKind::ConcessionMade, format!("{} #{} {}", c.clause.code(), rows.len() + 1, codes.join(","))).await?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, if crosses { "approval_requested" } else { "negotiation" }, &d, ctx.user_id).await;
    get(db, ctx, deal_id).await?.ok_or(AppError::Internal)
}

/// Sends the agreed result to the sales manager, then legal. Nothing may wait for the
/// general manager, and every crossed line must have been approved.
pub async fn confirm(
    db: &Db,
    ctx: &RequestContext,
    deal_id: uuid::Uuid,
    result: String,
    version: i32,
) -> Result<NegotiationView, AppError> {
    let result = validate::required("result", &result, 4000)?;
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let (d, n) = plan_for(&*w, ctx, deal_id).await?;
    if n.version != version {
        return Err(AppError::Conflict);
    }
    if status_of(&n) == NegotiationStatus::Confirming {
        return Err(AppError::validation("status", "already being confirmed"));
    }
    let rows = concession::Entity::find().filter(concession::Column::NegotiationId.eq(n.id)).all(&*w).await.map_err(db_err)?;
    if rows.iter().any(|c| matches!(GmStatus::parse(&c.gm_status), GmStatus::Pending | GmStatus::Rejected)) {
        return Err(AppError::validation("concessions", "a concession past the bottom line has no general manager's approval"));
    }
    let round = n.round + 1;
    negotiation::Entity::update_many()
        .col_expr(negotiation::Column::Status, Expr::value(NegotiationStatus::Confirming.code()))
        .col_expr(negotiation::Column::Result, Expr::value(result.clone()))
        .col_expr(negotiation::Column::Round, Expr::value(round))
        .col_expr(negotiation::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(negotiation::Column::Version, Expr::col(negotiation::Column::Version).add(1))
        .filter(negotiation::Column::Id.eq(n.id))
        .exec(&*w)
        .await
        .map_err(db_err)?;
    let sent = negotiation::Model { result: Some(result.clone()), ..n };
    request_confirm(&*w, &d, &sent, 0, round, ctx.user_id).await?;
    note(&*w, &d, ctx.user_id, HistoryKind::NegotiationSubmitted, result).await?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "approval_requested", &d, ctx.user_id).await;
    get(db, ctx, deal_id).await?.ok_or(AppError::Internal)
}

async fn request_confirm<C: ConnectionTrait>(
    db: &C,
    d: &deal::Model,
    n: &negotiation::Model,
    step: i32,
    round: i32,
    submitter: i32,
) -> Result<(), AppError> {
    let who = contract::route_approver(db, if step == 0 { Approver::SalesManager } else { Approver::Legal }, d.owner_id, submitter).await?;
    let now = Utc::now();
    approval::Entity::insert(approval::ActiveModel {
        uuid: Set(uuid::Uuid::new_v4()),
        deal_id: Set(d.id),
        kind: Set("negotiation".into()),
        requested_by: Set(submitter),
        approver_id: Set(Some(who)),
        reason: Set(n.result.clone()),
        status: Set("pending".into()),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        negotiation_id: Set(Some(n.id)),
        step: Set(Some(step)),
        round: Set(Some(round)),
        ..Default::default()
    })
    .exec(db)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// A decision from the inbox on a concession (the general manager) or on a step of the
/// result's confirmation (sales manager, then legal). A rejection needs its reason.
pub async fn decide_in(
    txn: &DatabaseTransaction,
    ctx: &RequestContext,
    a: &approval::Model,
    approve: bool,
    comment: Option<&str>,
) -> Result<deal::Model, AppError> {
    let nid = a.negotiation_id.ok_or(AppError::Internal)?;
    let n = negotiation::Entity::find_by_id(nid).one(txn).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    let d = deal::Entity::find_by_id(n.deal_id).one(txn).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    let reason = if approve {
        comment.map(str::to_owned)
    } else {
        Some(
            validate::required("comment", comment.unwrap_or(""), 2000)
                .map_err(|_| AppError::validation("comment", "say why it is rejected"))?,
        )
    };
    if let Some(cid) = a.concession_id {
        let to = if approve { GmStatus::Approved } else { GmStatus::Rejected };
        concession::Entity::update_many()
            .col_expr(concession::Column::GmStatus, Expr::value(to.code()))
            .filter(concession::Column::Id.eq(cid))
            .exec(txn)
            .await
            .map_err(db_err)?;
        touch(txn, &n).await?;
        let kind = if approve { HistoryKind::ConcessionApproved } else { HistoryKind::ConcessionRejected };
        note(txn, &d, ctx.user_id, kind, reason.unwrap_or_default()).await?;
        return Ok(d);
    }
    if status_of(&n) != NegotiationStatus::Confirming || a.round != Some(n.round) {
        return Err(AppError::Conflict);
    }
    let step = a.step.unwrap_or(0);
    let next = if !approve {
        Some(NegotiationStatus::Planning)
    } else if step >= 1 {
        Some(NegotiationStatus::Confirmed)
    } else {
        None
    };
    if let Some(s) = next {
        negotiation::Entity::update_many()
            .col_expr(negotiation::Column::Status, Expr::value(s.code()))
            .col_expr(negotiation::Column::UpdatedAt, Expr::value(Utc::now()))
            .col_expr(negotiation::Column::Version, Expr::col(negotiation::Column::Version).add(1))
            .filter(negotiation::Column::Id.eq(n.id))
            .exec(txn)
            .await
            .map_err(db_err)?;
    } else {
        request_confirm(txn, &d, &n, 1, n.round, a.requested_by).await?;
        touch(txn, &n).await?;
    }
    let kind = match next {
        Some(NegotiationStatus::Planning) => HistoryKind::NegotiationReturned,
        Some(NegotiationStatus::Confirmed) => HistoryKind::NegotiationConfirmed,
        _ => HistoryKind::NegotiationStepApproved,
    };
    note(txn, &d, ctx.user_id, kind, reason.unwrap_or_default()).await?;
    Ok(d)
}
