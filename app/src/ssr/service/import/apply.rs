//! What one row becomes: `Book::plan` decides against the database (accounts the importer
//! sees, active users, the default pipeline's stages and gates, duplicates in the file and in
//! Dealgate) without writing; `write` writes a plan through the same services as the forms.
//! The check (dry run) and the import call the same `plan`, so they agree row by row.
//! Duplicate accounts are found against every account, not only the ones the importer sees:
//! another team's is refused as existing there, without naming it.
use crate::domain::account::Grade;
use crate::domain::dto::NewDeal;
use crate::domain::error::AppError;
use crate::domain::gate::{GateRules, MoveInput, Outcome};
use crate::domain::import::cells::{AccountRec, ContactRec, DealRec, Problem, Record, RowError};
use crate::domain::import::{norm_email, norm_name, norm_phone, Field, Kind};
use crate::ssr::context::RequestContext;
use crate::ssr::db_err;
use crate::ssr::entity::{account, account_grade, contact, deal, pipeline, stage, user};
use crate::ssr::service::access::{account_visibility, actor};
use crate::ssr::service::{account as account_svc, deal as deal_svc, movement};
use sea_orm::sea_query::Expr;
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::{HashMap, HashSet};

#[derive(Clone, Copy)]
struct Who {
    id: i32,
    uuid: uuid::Uuid,
    team_id: Option<i32>,
}

/// A row that passed: what `write` will do.
pub enum Plan {
    Account { rec: AccountRec, owner: i32, team: i32 },
    Contact { rec: ContactRec, account: i32 },
    Deal { rec: DealRec, account: uuid::Uuid, owner: uuid::Uuid, to: Option<stage::Model> },
}

/// Everything a job looks up once: built at its start, grown as rows pass.
pub struct Book {
    kind: Kind,
    /// Accounts the importer sees, by normalised name: (id, uuid, name as written).
    accounts: HashMap<String, (i32, uuid::Uuid, String)>,
    /// Normalised names of the accounts the importer cannot see (accounts imports only): a
    /// row naming one is a duplicate in another team, never a second account.
    hidden: HashSet<String>,
    by_email: HashMap<String, Who>,
    /// `None` when two active users share the name (then only the e-mail will do).
    by_name: HashMap<String, Option<Who>>,
    /// Normalised keys of earlier rows of this file, with their line.
    in_file: HashMap<String, u32>,
    /// Per account, the contact keys (e-mail, phone) or deal names already in Dealgate.
    existing: HashMap<i32, HashMap<String, String>>,
    rules: GateRules,
    stages: Vec<stage::Model>,
    pipeline: Option<uuid::Uuid>,
}

impl Book {
    pub async fn load<C: ConnectionTrait>(db: &C, ctx: &RequestContext, kind: Kind) -> Result<Self, AppError> {
        let visible: Vec<(i32, uuid::Uuid, String)> = account::Entity::find()
            .select_only()
            .columns([account::Column::Id, account::Column::Uuid, account::Column::Name])
            .filter(account_visibility(ctx))
            .into_tuple()
            .all(db)
            .await
            .map_err(db_err)?;
        let mut hidden = HashSet::new();
        // Only a new account can duplicate one the importer cannot see; someone who sees
        // everything has nothing hidden.
        if kind == Kind::Accounts && !ctx.visibility.all {
            let seen: HashSet<i32> = visible.iter().map(|(id, _, _)| *id).collect();
            let all: Vec<(i32, String)> = account::Entity::find()
                .select_only()
                .columns([account::Column::Id, account::Column::Name])
                .into_tuple()
                .all(db)
                .await
                .map_err(db_err)?;
            hidden = all.into_iter().filter(|(id, _)| !seen.contains(id)).map(|(_, name)| norm_name(&name)).collect();
        }
        let accounts = visible.into_iter().map(|(id, u, name)| (norm_name(&name), (id, u, name))).collect();
        let users = user::Entity::find().filter(user::Column::Active.eq(true)).all(db).await.map_err(db_err)?;
        let mut by_email = HashMap::new();
        let mut by_name: HashMap<String, Option<Who>> = HashMap::new();
        for u in users {
            let who = Who { id: u.id, uuid: u.uuid, team_id: u.team_id };
            by_email.insert(norm_email(&u.email), who);
            by_name.entry(u.name.trim().to_owned()).and_modify(|w| *w = None).or_insert(Some(who));
        }
        let p = pipeline::Entity::find()
            .order_by_desc(pipeline::Column::IsDefault)
            .order_by_asc(pipeline::Column::Position)
            .one(db)
            .await
            .map_err(db_err)?;
        let (rules, stages) = match &p {
            Some(p) if kind == Kind::Deals => movement::load_rules(db, p.id).await?,
            _ => (GateRules { stages: Vec::new(), overrides: Vec::new() }, Vec::new()),
        };
        Ok(Self {
            kind,
            accounts,
            hidden,
            by_email,
            by_name,
            in_file: HashMap::new(),
            existing: HashMap::new(),
            rules,
            stages,
            pipeline: p.map(|p| p.uuid),
        })
    }

    fn owner(&self, ctx: &RequestContext, written: Option<&str>) -> Result<Who, RowError> {
        let who = match written {
            None => Who { id: ctx.user_id, uuid: ctx.uuid, team_id: ctx.team_id },
            Some(s) if s.contains('@') => *self.by_email.get(&norm_email(s)).ok_or(RowError::at(Field::Owner, Problem::UnknownOwner))?,
            Some(s) => self.by_name.get(s.trim()).copied().flatten().ok_or(RowError::at(Field::Owner, Problem::UnknownOwner))?,
        };
        let team = who.team_id.ok_or(RowError::at(Field::Owner, Problem::NotAssignable))?;
        if !crate::domain::access::may_assign(&actor(ctx), who.id, team) {
            return Err(RowError::at(Field::Owner, Problem::NotAssignable));
        }
        Ok(who)
    }

    fn account(&self, name: &str) -> Result<(i32, uuid::Uuid), RowError> {
        self.accounts.get(&norm_name(name)).map(|(id, u, _)| (*id, *u)).ok_or(RowError::at(Field::Account, Problem::UnknownAccount))
    }

    /// The keys already in Dealgate for one account (contacts' e-mails and phones, or deal
    /// names), read the first time a row names the account.
    async fn existing<C: ConnectionTrait>(&mut self, db: &C, account_id: i32) -> Result<&HashMap<String, String>, AppError> {
        if !self.existing.contains_key(&account_id) {
            let mut keys = HashMap::new();
            match self.kind {
                Kind::Contacts => {
                    for c in contact::Entity::find().filter(contact::Column::AccountId.eq(account_id)).all(db).await.map_err(db_err)? {
                        for k in contact_keys(c.email.as_deref(), c.phone.as_deref()) {
                            keys.insert(k, c.name.clone());
                        }
                    }
                }
                _ => {
                    let names: Vec<String> = deal::Entity::find()
                        .select_only()
                        .column(deal::Column::Name)
                        .filter(deal::Column::AccountId.eq(account_id))
                        .into_tuple()
                        .all(db)
                        .await
                        .map_err(db_err)?;
                    for n in names {
                        keys.insert(norm_name(&n), n);
                    }
                }
            }
            self.existing.insert(account_id, keys);
        }
        Ok(self.existing.get(&account_id).unwrap_or_else(|| &*EMPTY))
    }

    /// Claims `keys` for `line`, or names the earlier line that holds one of them.
    fn claim(&mut self, keys: &[String], line: u32, field: Field) -> Result<(), RowError> {
        if let Some(first) = keys.iter().find_map(|k| self.in_file.get(k)) {
            return Err(RowError::at(field, Problem::DuplicateInFile { line: *first }));
        }
        for k in keys {
            self.in_file.insert(k.clone(), line);
        }
        Ok(())
    }

    /// Decides a parsed row; on success the row's keys count for later rows of the file.
    pub async fn plan<C: ConnectionTrait>(
        &mut self,
        db: &C,
        ctx: &RequestContext,
        line: u32,
        rec: Record,
    ) -> Result<Result<Plan, RowError>, AppError> {
        Ok(match rec {
            Record::Account(rec) => self.plan_account(ctx, line, *rec),
            Record::Contact(rec) => {
                let (account, _) = match self.account(&rec.account) {
                    Ok(a) => a,
                    Err(e) => return Ok(Err(e)),
                };
                let keys: Vec<String> = contact_keys(rec.email.as_deref(), rec.phone.as_deref()).collect();
                let existing = self.existing(db, account).await?;
                if let Some(name) = keys.iter().find_map(|k| existing.get(k)) {
                    return Ok(Err(RowError::at(field_of(&keys, rec.email.as_deref()), Problem::DuplicateExisting { name: name.clone() })));
                }
                let scoped: Vec<String> = keys.iter().map(|k| format!("{account}:{k}")).collect();
                self.claim(&scoped, line, field_of(&keys, rec.email.as_deref())).map(|()| Plan::Contact { rec, account })
            }
            Record::Deal(rec) => {
                let (account_id, account) = match self.account(&rec.account) {
                    Ok(a) => a,
                    Err(e) => return Ok(Err(e)),
                };
                let key = norm_name(&rec.name);
                if let Some(line) = self.in_file.get(&format!("{account_id}:{key}")) {
                    return Ok(Err(RowError::at(Field::DealName, Problem::DuplicateInFile { line: *line })));
                }
                if let Some(name) = self.existing(db, account_id).await?.get(&key) {
                    return Ok(Err(RowError::at(Field::DealName, Problem::DuplicateExisting { name: name.clone() })));
                }
                let planned = self.owner(ctx, rec.owner.as_deref()).and_then(|who| {
                    let to = self.stage_for(ctx, rec.stage.as_deref())?;
                    Ok((who, to))
                });
                match planned {
                    Ok((who, to)) => self.claim(&[format!("{account_id}:{key}")], line, Field::DealName).map(|()| Plan::Deal {
                        rec,
                        account,
                        owner: who.uuid,
                        to,
                    }),
                    Err(e) => Err(e),
                }
            }
        })
    }

    fn plan_account(&mut self, ctx: &RequestContext, line: u32, rec: AccountRec) -> Result<Plan, RowError> {
        let key = norm_name(&rec.name);
        // An earlier row of the file first: the import writes it before this row is planned,
        // and the refusal must read the same as in the check.
        if let Some(line) = self.in_file.get(&key) {
            return Err(RowError::at(Field::AccountName, Problem::DuplicateInFile { line: *line }));
        }
        if let Some((_, _, name)) = self.accounts.get(&key) {
            return Err(RowError::at(Field::AccountName, Problem::DuplicateExisting { name: name.clone() }));
        }
        if self.hidden.contains(&key) {
            return Err(RowError::at(Field::AccountName, Problem::DuplicateOtherTeam));
        }
        let who = self.owner(ctx, rec.owner.as_deref())?;
        let team = who.team_id.ok_or(RowError::at(Field::Owner, Problem::NotAssignable))?;
        self.claim(&[key], line, Field::AccountName)?;
        Ok(Plan::Account { rec, owner: who.id, team })
    }

    /// The stage a row asks for, if not the first: it must exist, and its gate must let a
    /// deal with nothing filled in through (imported deals are gated like any other).
    fn stage_for(&self, ctx: &RequestContext, name: Option<&str>) -> Result<Option<stage::Model>, RowError> {
        let Some(name) = name else { return Ok(None) };
        let n = name.trim().to_lowercase();
        let to = self
            .stages
            .iter()
            .find(|s| s.name_en.to_lowercase() == n || s.name_zh == name.trim())
            .ok_or(RowError::at(Field::Stage, Problem::UnknownStage))?;
        let first = self.stages.iter().filter(|s| s.kind == "open").min_by_key(|s| s.position);
        if first.is_some_and(|f| f.id == to.id) {
            return Ok(None);
        }
        let Some(first) = first else { return Err(RowError::at(Field::Stage, Problem::UnknownStage)) };
        let outcome = self.rules.check(&MoveInput {
            from_stage: first.id,
            to_stage: to.id,
            key_info: &Default::default(),
            map: &[],
            checklists: &[],
            quotes: Default::default(),
            open_objections: 0,
            today: chrono::Utc::now().date_naive(),
            reason: None,
            lost_reason: None,
            role: ctx.role,
            approved: false,
        });
        match outcome {
            Outcome::Moved => Ok(Some(to.clone())),
            Outcome::Blocked(missing) => {
                Err(RowError::at(Field::Stage, Problem::Gate { missing: missing.iter().map(|m| m.code()).collect() }))
            }
            Outcome::NeedsApproval => Err(RowError::at(Field::Stage, Problem::NeedsApproval)),
            Outcome::Forbidden(_) => Err(RowError::at(Field::Stage, Problem::NotAssignable)),
        }
    }

    /// Forgets the file's rows (not what was read from the database), so the import pass of
    /// an all-or-nothing run reuses the book its check pass loaded.
    pub fn rewind(&mut self) {
        self.in_file.clear();
    }

    /// A written account counts for later contacts and deals of the same job.
    pub fn remember_account(&mut self, a: &account::Model) {
        self.accounts.insert(norm_name(&a.name), (a.id, a.uuid, a.name.clone()));
    }

    pub fn pipeline(&self) -> Option<uuid::Uuid> {
        self.pipeline
    }

    pub fn stages(&self) -> &[stage::Model] {
        &self.stages
    }
}

static EMPTY: std::sync::LazyLock<HashMap<String, String>> = std::sync::LazyLock::new(HashMap::new);

fn contact_keys<'a>(email: Option<&'a str>, phone: Option<&'a str>) -> impl Iterator<Item = String> + 'a {
    let e = email.map(norm_email).filter(|e| !e.is_empty()).map(|e| format!("e:{e}"));
    let p = phone.map(norm_phone).filter(|p| p.len() >= 5).map(|p| format!("p:{p}"));
    e.into_iter().chain(p)
}

fn field_of(keys: &[String], email: Option<&str>) -> Field {
    if email.is_some() && keys.first().is_some_and(|k| k.starts_with("e:")) {
        Field::ContactEmail
    } else {
        Field::ContactPhone
    }
}

/// Writes one planned row inside the batch's transaction. Returns the new account (for later
/// rows) or the new deal (for the live event after commit).
pub async fn write<C: ConnectionTrait>(
    db: &C,
    ctx: &RequestContext,
    book: &Book,
    plan: Plan,
) -> Result<(Option<account::Model>, Option<deal::Model>), AppError> {
    let now = chrono::Utc::now();
    match plan {
        Plan::Account { rec, owner, team } => {
            let a = account_svc::insert_in(
                db,
                account_svc::AccountInsert {
                    name: rec.name,
                    industry: rec.industry.unwrap_or_default(),
                    city: rec.city,
                    headcount: rec.headcount,
                    revenue_fen: rec.revenue_fen,
                    profit_fen: rec.profit_fen,
                    profile: rec.profile,
                    owner_id: owner,
                    team_id: team,
                },
            )
            .await?;
            if let Some(g) = rec.grade {
                grade_imported(db, ctx, &a, g).await?;
            }
            if let Some(planned) = rec.next_contact {
                // A planned contact is the next one unless the cadence asks sooner.
                account::Entity::update_many()
                    .col_expr(account::Column::NextContactOn, Expr::value(planned))
                    .filter(account::Column::Id.eq(a.id))
                    .filter(
                        sea_orm::Condition::any()
                            .add(account::Column::NextContactOn.is_null())
                            .add(account::Column::NextContactOn.gt(planned)),
                    )
                    .exec(db)
                    .await
                    .map_err(db_err)?;
            }
            if let Some(c) = rec.contact {
                insert_contact(db, a.id, c, now).await?;
            }
            Ok((Some(a), None))
        }
        Plan::Contact { rec, account } => {
            // A contact added to an existing account is in its history, as from the forms
            // (one created with its account in the same row is part of the account's start).
            let note = crate::domain::account::contact::ContactNote::added(&crate::domain::dto::NewContact {
                name: rec.name.clone(),
                title: rec.title.clone(),
                department: rec.department.clone(),
                phone: rec.phone.clone(),
                email: rec.email.clone(),
            });
            account_svc::append_contact(db, account, ctx.user_id, crate::domain::account::profile::AccountEvent::ContactAdded, &note)
                .await?;
            insert_contact(db, account, rec, now).await?;
            Ok((None, None))
        }
        Plan::Deal { rec, account, owner, to } => {
            let d = deal_svc::create_in(
                db,
                ctx,
                NewDeal {
                    name: rec.name,
                    account,
                    pipeline: book.pipeline(),
                    owner: Some(owner),
                    amount_fen: rec.amount_fen,
                    currency: rec.currency,
                    close_date: rec.close_date,
                },
            )
            .await?;
            let d = match to {
                Some(to) => {
                    movement::move_with_history(db, &d, &to, book.stages(), None, ctx.user_id, None, None).await?;
                    deal::Entity::find_by_id(d.id).one(db).await.map_err(db_err)?.ok_or(AppError::Internal)?
                }
                None => d,
            };
            Ok((None, Some(d)))
        }
    }
}

async fn insert_contact<C: ConnectionTrait>(
    db: &C,
    account_id: i32,
    c: ContactRec,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    contact::Entity::insert(contact::ActiveModel {
        uuid: Set(uuid::Uuid::new_v4()),
        account_id: Set(account_id),
        name: Set(c.name),
        title: Set(c.title),
        department: Set(c.department),
        phone: Set(c.phone),
        email: Set(c.email),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await
    .map_err(db_err)?;
    Ok(())
}

/// The spreadsheet's A/B/C/D goes into the grade history as an override of no questionnaire,
/// so the account page says where the grade came from; the cadence follows it.
async fn grade_imported<C: ConnectionTrait>(db: &C, ctx: &RequestContext, a: &account::Model, g: Grade) -> Result<(), AppError> {
    let now = chrono::Utc::now();
    account::Entity::update_many()
        .col_expr(account::Column::Grade, Expr::value(g.code()))
        .col_expr(account::Column::GradeSince, Expr::value(now))
        .filter(account::Column::Id.eq(a.id))
        .exec(db)
        .await
        .map_err(db_err)?;
    account_grade::Entity::insert(account_grade::ActiveModel {
        account_id: Set(a.id),
        grade: Set(g.code().into()),
        suggested: Set(g.code().into()),
        answers: Set("null".into()),
        reasons: Set("[]".into()),
        override_reason: Set(Some("imported".into())),
        decided_by: Set(ctx.user_id),
        decided_at: Set(now),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await
    .map_err(db_err)?;
    account_svc::cadence::refresh(db, a.id).await
}
