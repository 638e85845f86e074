//! Drafting: a contract starts from the deal's accepted quote with the next number of the
//! month; a draft is saved whole (terms and milestones, which must add up to the amount).
//! The chain table an admin edits lives here too.
use super::{by_uuid, status_of, today};
use crate::domain::access::DealAction;
use crate::domain::contract::dto::{ContractDraft, ContractView, MilestoneInput};
use crate::domain::contract::{
    amendment_number, check_carry, default_chain, milestone_amounts, next, number, validate_chain, Approver, ChainRule, ContractAction,
    ContractStatus, ContractType, MilestoneKind, Share,
};
use crate::domain::error::AppError;
use crate::domain::history::HistoryKind;
use crate::domain::money::format_exact;
use crate::domain::quote::QuoteStatus;
use crate::domain::validate;
use crate::ssr::context::RequestContext;
use crate::ssr::db::Db;
use crate::ssr::db_err;
use crate::ssr::entity::{account, contract, contract_chain_rule, contract_milestone, deal, quote};
use crate::ssr::service::{access, history};
use crate::ssr::sql::sequence::{self, Sequence};
use chrono::{Datelike, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// At most this many milestones on a contract.
pub const MAX_MILESTONES: usize = 24;

/// The shipped split (seed 003): 30 % down, 60 % on acceptance, 10 % retention.
fn default_milestones(today: chrono::NaiveDate, l: crate::domain::locale::Locale) -> Vec<MilestoneInput> {
    let zh = l == crate::domain::locale::Locale::ZhCn;
    let (acceptance, retention) = if zh { ("验收后", "验收满 12 个月") } else { ("on acceptance", "12 months after acceptance") };
    vec![
        MilestoneInput {
            kind: MilestoneKind::DownPayment,
            due_on: Some(today + chrono::Duration::days(30)),
            trigger: None,
            share: Share::PercentBp(3000),
        },
        MilestoneInput { kind: MilestoneKind::OnAcceptance, due_on: None, trigger: Some(acceptance.into()), share: Share::PercentBp(6000) },
        MilestoneInput { kind: MilestoneKind::Retention, due_on: None, trigger: Some(retention.into()), share: Share::PercentBp(1000) },
    ]
}

/// The draft checked: every field bounded and named, milestones priced and summed.
struct Checked {
    kind: ContractType,
    party_a: String,
    party_b: String,
    amount_fen: i64,
    payment_terms: Option<String>,
    delivery_terms: Option<String>,
    acceptance_terms: Option<String>,
    starts_on: Option<chrono::NaiveDate>,
    ends_on: Option<chrono::NaiveDate>,
    milestones: Vec<(MilestoneInput, i64)>,
}

fn check(d: ContractDraft, party_a: &str, party_b: &str, amount_fen: i64) -> Result<Checked, AppError> {
    let party_a = validate::required("party_a", d.party_a.as_deref().unwrap_or(party_a), 200)?;
    let party_b = validate::required("party_b", d.party_b.as_deref().unwrap_or(party_b), 200)?;
    let amount_fen = d.amount_fen.unwrap_or(amount_fen);
    if amount_fen <= 0 {
        return Err(AppError::validation("amount", "must be more than 0"));
    }
    validate::amount_fen("amount", amount_fen)?;
    let starts_on = d.starts_on.map(|x| validate::date("starts_on", x)).transpose()?;
    let ends_on = d.ends_on.map(|x| validate::date("ends_on", x)).transpose()?;
    if let (Some(s), Some(e)) = (starts_on, ends_on) {
        if e < s {
            return Err(AppError::validation("ends_on", "must not be before the start"));
        }
    }
    if d.milestones.len() > MAX_MILESTONES {
        return Err(AppError::validation("milestones", format!("at most {MAX_MILESTONES}")));
    }
    let mut ms = Vec::with_capacity(d.milestones.len());
    for (i, m) in d.milestones.into_iter().enumerate() {
        let due_on = m.due_on.map(|x| validate::date(&format!("milestones[{i}].due_on"), x)).transpose()?;
        let trigger = validate::optional(&format!("milestones[{i}].trigger"), m.trigger, 200)?;
        if due_on.is_none() && trigger.is_none() {
            return Err(AppError::validation(format!("milestones[{i}].due_on"), "give a due date or what triggers it"));
        }
        ms.push(MilestoneInput { due_on, trigger, ..m });
    }
    let shares: Vec<Share> = ms.iter().map(|m| m.share).collect();
    let amounts = milestone_amounts(amount_fen, &shares)?;
    Ok(Checked {
        kind: d.kind,
        party_a,
        party_b,
        amount_fen,
        payment_terms: validate::optional("payment_terms", d.payment_terms, 4000)?,
        delivery_terms: validate::optional("delivery_terms", d.delivery_terms, 4000)?,
        acceptance_terms: validate::optional("acceptance_terms", d.acceptance_terms, 4000)?,
        starts_on,
        ends_on,
        milestones: ms.into_iter().zip(amounts).collect(),
    })
}

async fn write_milestones<C: ConnectionTrait>(db: &C, contract_id: i32, ms: &[(MilestoneInput, i64)]) -> Result<(), AppError> {
    contract_milestone::Entity::delete_many()
        .filter(contract_milestone::Column::ContractId.eq(contract_id))
        .exec(db)
        .await
        .map_err(db_err)?;
    let rows: Vec<contract_milestone::ActiveModel> = ms
        .iter()
        .enumerate()
        .map(|(i, (m, amount))| {
            let (sk, sv) = match m.share {
                Share::AmountFen(f) => ("amount", f),
                Share::PercentBp(b) => ("percent", i64::from(b)),
            };
            contract_milestone::ActiveModel {
                contract_id: Set(contract_id),
                position: Set(i as i32 + 1),
                name: Set(m.kind.code().into()),
                due_on: Set(m.due_on),
                trigger_text: Set(m.trigger.clone()),
                share_kind: Set(sk.into()),
                share_value: Set(sv),
                amount_fen: Set(*amount),
                received_fen: Set(0),
                ..Default::default()
            }
        })
        .collect();
    if !rows.is_empty() {
        contract_milestone::Entity::insert_many(rows).exec(db).await.map_err(db_err)?;
    }
    Ok(())
}

/// `HT-202612001 · ¥1,200,000.00`: what the history says about a contract.
pub(super) fn summary(c: &contract::Model) -> String {
    format!("{} · {}", c.number, format_exact(c.amount_fen, &c.currency))
}

/// One contract at a time is being worked on per deal: a draft, one in review or an
/// approved one waiting for signature stops a new contract or amendment.
async fn refuse_open<C: ConnectionTrait>(db: &C, deal_id: i32) -> Result<(), AppError> {
    let open = contract::Entity::find()
        .filter(contract::Column::DealId.eq(deal_id))
        .filter(contract::Column::Status.is_not_in([ContractStatus::Signed.as_str(), ContractStatus::Superseded.as_str()]))
        .one(db)
        .await
        .map_err(db_err)?;
    match open {
        Some(o) => Err(AppError::validation("contract", format!("{} is still open on this deal", o.number))),
        None => Ok(()),
    }
}

/// The money already received on the contract an amendment supersedes, by milestone
/// position (empty for an original).
pub(super) async fn received_before<C: ConnectionTrait>(db: &C, k: &contract::Model) -> Result<Vec<(i32, i64)>, AppError> {
    let Some(old) = k.supersedes_id else { return Ok(Vec::new()) };
    Ok(contract_milestone::Entity::find()
        .filter(contract_milestone::Column::ContractId.eq(old))
        .all(db)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|m| (m.position, m.received_fen))
        .collect())
}

/// Starts an amendment of a signed contract: a draft copy of its terms and milestones, numbered
/// after it (HT-…-A1), that takes the whole chain again. The signed contract stays in force
/// (and takes receipts) until the amendment is signed.
pub async fn amend(db: &Db, ctx: &RequestContext, id: uuid::Uuid, version: i32) -> Result<ContractView, AppError> {
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let k = by_uuid(&*w, id).await?;
    let d = deal::Entity::find_by_id(k.deal_id).one(&*w).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    access::check(&*w, ctx, &d, DealAction::Quote).await?;
    if k.version != version {
        return Err(AppError::Conflict);
    }
    next(status_of(&k), ContractAction::Amend)?;
    refuse_open(&*w, d.id).await?;
    // Claims the original under its version, so two people amending at once get a conflict,
    // not two drafts with one number.
    let res = contract::Entity::update_many()
        .col_expr(contract::Column::Version, Expr::col(contract::Column::Version).add(1))
        .filter(contract::Column::Id.eq(k.id))
        .filter(contract::Column::Version.eq(version))
        .exec(&*w)
        .await
        .map_err(db_err)?;
    if res.rows_affected != 1 {
        return Err(AppError::Conflict);
    }
    let revision = k.revision + 1;
    let num = amendment_number(&k.number, revision);
    let now = Utc::now();
    let uuid = uuid::Uuid::new_v4();
    let new_id = contract::Entity::insert(contract::ActiveModel {
        uuid: Set(uuid),
        deal_id: Set(d.id),
        quote_id: Set(k.quote_id),
        period: Set(k.period),
        seq: Set(k.seq),
        number: Set(num.clone()),
        kind: Set(k.kind.clone()),
        party_a: Set(k.party_a.clone()),
        party_b: Set(k.party_b.clone()),
        amount_fen: Set(k.amount_fen),
        currency: Set(k.currency.clone()),
        payment_terms: Set(k.payment_terms.clone()),
        delivery_terms: Set(k.delivery_terms.clone()),
        acceptance_terms: Set(k.acceptance_terms.clone()),
        starts_on: Set(k.starts_on),
        ends_on: Set(k.ends_on),
        status: Set(ContractStatus::Draft.as_str().into()),
        steps: Set(None),
        round: Set(0),
        reject_reason: Set(None),
        signed_on: Set(None),
        signatory: Set(None),
        sign_method: Set(None),
        created_by: Set(ctx.user_id),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        revision: Set(revision),
        supersedes_id: Set(Some(k.id)),
        ..Default::default()
    })
    .exec(&*w)
    .await
    .map_err(db_err)?
    .last_insert_id;
    let copies: Vec<contract_milestone::ActiveModel> = contract_milestone::Entity::find()
        .filter(contract_milestone::Column::ContractId.eq(k.id))
        .order_by_asc(contract_milestone::Column::Position)
        .all(&*w)
        .await
        .map_err(db_err)?
        .into_iter()
        .map(|m| contract_milestone::ActiveModel {
            contract_id: Set(new_id),
            position: Set(m.position),
            name: Set(m.name),
            due_on: Set(m.due_on),
            trigger_text: Set(m.trigger_text),
            share_kind: Set(m.share_kind),
            share_value: Set(m.share_value),
            amount_fen: Set(m.amount_fen),
            received_fen: Set(0),
            ..Default::default()
        })
        .collect();
    if !copies.is_empty() {
        contract_milestone::Entity::insert_many(copies).exec(&*w).await.map_err(db_err)?;
    }
    let mut h = history::row(d.id, ctx.user_id, HistoryKind::ContractAmended);
    h.note = Set(Some(format!("{num} ← {}", summary(&k))));
    history::append(&*w, h).await?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "contract", &d, ctx.user_id).await;
    super::get(db, ctx, uuid).await
}

/// Starts the deal's contract from its accepted quote (amount, payment and delivery terms),
/// with the shipped milestones unless the draft brings its own. One contract at a time is
/// open on a deal; a signed one does not stop a second (a later phase).
pub async fn create(db: &Db, ctx: &RequestContext, deal_id: uuid::Uuid, draft: Option<ContractDraft>) -> Result<ContractView, AppError> {
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let d = access::deal_for(&*w, ctx, deal_id, DealAction::Quote).await?;
    refuse_open(&*w, d.id).await?;
    // A deal negotiated formally drafts its contract from the confirmed result only.
    let n = crate::ssr::entity::negotiation::Entity::find()
        .filter(crate::ssr::entity::negotiation::Column::DealId.eq(d.id))
        .one(&*w)
        .await
        .map_err(db_err)?;
    if n.is_some_and(|n| n.status != crate::domain::negotiation::NegotiationStatus::Confirmed.code()) {
        return Err(AppError::validation("negotiation", "the negotiation result is not confirmed by the sales manager and legal yet"));
    }
    let q = quote::Entity::find()
        .filter(quote::Column::DealId.eq(d.id))
        .filter(quote::Column::Status.eq(QuoteStatus::Accepted.as_str()))
        .order_by_desc(quote::Column::Id)
        .one(&*w)
        .await
        .map_err(db_err)?
        .ok_or_else(|| AppError::validation("quote", "the customer has not accepted a quote on this deal yet"))?;
    let acct = account::Entity::find_by_id(d.account_id).one(&*w).await.map_err(db_err)?.map(|a| a.name).unwrap_or_default();
    let company = crate::i18n::t(ctx.locale.unwrap_or_default(), crate::i18n::K::CompanyName);
    let today = today();
    let draft = draft.unwrap_or(ContractDraft {
        kind: ContractType::Mixed,
        party_a: None,
        party_b: None,
        amount_fen: None,
        payment_terms: q.payment_terms.clone(),
        delivery_terms: q.delivery_terms.clone(),
        acceptance_terms: None,
        starts_on: Some(today),
        ends_on: None,
        milestones: default_milestones(today, ctx.locale.unwrap_or_default()),
    });
    let c = check(draft, &acct, company, q.gross_fen)?;
    let period = today.year() * 100 + today.month() as i32;
    let seq = sequence::next(&*w, Sequence::ContractMonth, period).await.map_err(db_err)?;
    let num = number(today.year(), today.month(), seq);
    let now = Utc::now();
    let uuid = uuid::Uuid::new_v4();
    let id = contract::Entity::insert(contract::ActiveModel {
        uuid: Set(uuid),
        deal_id: Set(d.id),
        quote_id: Set(Some(q.id)),
        period: Set(period),
        seq: Set(seq),
        number: Set(num.clone()),
        kind: Set(c.kind.code().into()),
        party_a: Set(c.party_a),
        party_b: Set(c.party_b),
        amount_fen: Set(c.amount_fen),
        currency: Set(q.currency.clone()),
        payment_terms: Set(c.payment_terms),
        delivery_terms: Set(c.delivery_terms),
        acceptance_terms: Set(c.acceptance_terms),
        starts_on: Set(c.starts_on),
        ends_on: Set(c.ends_on),
        status: Set(ContractStatus::Draft.as_str().into()),
        steps: Set(None),
        round: Set(0),
        reject_reason: Set(None),
        signed_on: Set(None),
        signatory: Set(None),
        sign_method: Set(None),
        created_by: Set(ctx.user_id),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    })
    .exec(&*w)
    .await
    .map_err(db_err)?
    .last_insert_id;
    write_milestones(&*w, id, &c.milestones).await?;
    let mut h = history::row(d.id, ctx.user_id, HistoryKind::ContractCreated);
    h.note = Set(Some(format!("{num} · {}", format_exact(c.amount_fen, &q.currency))));
    history::append(&*w, h).await?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "contract", &d, ctx.user_id).await;
    super::get(db, ctx, uuid).await
}

/// Saves a draft whole under its version.
pub async fn save(db: &Db, ctx: &RequestContext, id: uuid::Uuid, draft: ContractDraft, version: i32) -> Result<ContractView, AppError> {
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    let k = by_uuid(&*w, id).await?;
    let d = deal::Entity::find_by_id(k.deal_id).one(&*w).await.map_err(db_err)?.ok_or(AppError::NotFound)?;
    access::check(&*w, ctx, &d, DealAction::Quote).await?;
    if k.version != version {
        return Err(AppError::Conflict);
    }
    next(status_of(&k), ContractAction::Edit)?;
    let c = check(draft, &k.party_a, &k.party_b, k.amount_fen)?;
    // An amendment must leave room for what the customer already paid on the contract it replaces.
    let due: Vec<(i32, i64)> = c.milestones.iter().enumerate().map(|(i, (_, fen))| (i as i32 + 1, *fen)).collect();
    check_carry(&received_before(&*w, &k).await?, &due)?;
    let res = contract::Entity::update_many()
        .col_expr(contract::Column::Kind, Expr::value(c.kind.code()))
        .col_expr(contract::Column::PartyA, Expr::value(c.party_a))
        .col_expr(contract::Column::PartyB, Expr::value(c.party_b))
        .col_expr(contract::Column::AmountFen, Expr::value(c.amount_fen))
        .col_expr(contract::Column::PaymentTerms, Expr::value(c.payment_terms))
        .col_expr(contract::Column::DeliveryTerms, Expr::value(c.delivery_terms))
        .col_expr(contract::Column::AcceptanceTerms, Expr::value(c.acceptance_terms))
        .col_expr(contract::Column::StartsOn, Expr::value(c.starts_on))
        .col_expr(contract::Column::EndsOn, Expr::value(c.ends_on))
        .col_expr(contract::Column::UpdatedAt, Expr::value(Utc::now()))
        .col_expr(contract::Column::Version, Expr::col(contract::Column::Version).add(1))
        .filter(contract::Column::Id.eq(k.id))
        .filter(contract::Column::Version.eq(version))
        .exec(&*w)
        .await
        .map_err(db_err)?;
    if res.rows_affected != 1 {
        return Err(AppError::Conflict);
    }
    write_milestones(&*w, k.id, &c.milestones).await?;
    w.commit().await.map_err(db_err)?;
    crate::ssr::events::publish_deal(db, "contract", &d, ctx.user_id).await;
    super::get(db, ctx, id).await
}

/// The chain table: the admin's rules, or the shipped chain when there are none.
pub async fn chain_rules<C: ConnectionTrait>(db: &C) -> Result<Vec<ChainRule>, AppError> {
    let rows = contract_chain_rule::Entity::find().order_by_asc(contract_chain_rule::Column::Id).all(db).await.map_err(db_err)?;
    if rows.is_empty() {
        return Ok(default_chain());
    }
    Ok(rows
        .into_iter()
        .map(|r| ChainRule {
            contract_type: r.contract_type.as_deref().and_then(ContractType::parse),
            min_amount_fen: r.min_amount_fen,
            steps: serde_json::from_str::<Vec<String>>(&r.steps).unwrap_or_default().iter().filter_map(|s| Approver::parse(s)).collect(),
        })
        .collect())
}

/// The chain table for its editor (administrators; reading it is open to all over REST, but
/// the editor page is an administrator's).
pub async fn chain_rules_to_edit(db: &Db, ctx: &RequestContext) -> Result<Vec<ChainRule>, AppError> {
    access::require_admin(ctx)?;
    chain_rules(db).await
}

/// Replaces the chain table (administrators); contracts already in review keep their chain.
pub async fn save_chain_rules(db: &Db, ctx: &RequestContext, rules: Vec<ChainRule>) -> Result<Vec<ChainRule>, AppError> {
    access::require_admin(ctx)?;
    if rules.is_empty() || rules.len() > 50 {
        return Err(AppError::validation("rules", "between 1 and 50 rules"));
    }
    validate_chain(&rules)?;
    let w = crate::ssr::db::begin_write(db).await.map_err(db_err)?;
    contract_chain_rule::Entity::delete_many().exec(&*w).await.map_err(db_err)?;
    let rows: Vec<contract_chain_rule::ActiveModel> = rules
        .iter()
        .map(|r| contract_chain_rule::ActiveModel {
            contract_type: Set(r.contract_type.map(|t| t.code().to_owned())),
            min_amount_fen: Set(r.min_amount_fen),
            steps: Set(serde_json::to_string(&r.steps.iter().map(|s| s.code()).collect::<Vec<_>>()).unwrap_or_else(|_| "[]".into())),
            ..Default::default()
        })
        .collect();
    contract_chain_rule::Entity::insert_many(rows).exec(&*w).await.map_err(db_err)?;
    w.commit().await.map_err(db_err)?;
    chain_rules(db).await
}
