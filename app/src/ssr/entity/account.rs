use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "accounts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub uuid: Uuid,
    pub name: String,
    pub industry: String,
    pub headcount: Option<i32>,
    pub revenue_fen: Option<i64>,
    pub city: Option<String>,
    pub owner_id: i32,
    pub team_id: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    /// `account::Grade` code, once graded.
    pub grade: Option<String>,
    /// When the account took its current grade.
    pub grade_since: Option<DateTimeUtc>,
    /// The last visit, call or revisit (any deal of the account, or the account itself).
    pub last_contact_on: Option<Date>,
    /// When the next contact is due (`account::cadence`); `None` when the grade has no
    /// personal cadence and no visit is planned.
    pub next_contact_on: Option<Date>,
    /// Yearly profit in fen, when known (the target market's profit floor asks about it).
    pub profit_fen: Option<i64>,
    /// Seed 000's profile (migration 000022); codes parsed by `account::profile`.
    pub main_products: Option<String>,
    /// `profile::Iso9000` code.
    pub iso9000: Option<String>,
    pub bpr_under_way: Option<bool>,
    pub plant_move_planned: Option<bool>,
    pub big_investment_planned: Option<bool>,
    pub item_codes: Option<i32>,
    pub computerised: Option<bool>,
    pub current_systems: Option<String>,
    /// `account::LeadSource` code.
    pub lead_source: Option<String>,
    pub territory: Option<String>,
    /// Seed 003's 初步需求描述: the need the lead first voiced (migration 000026).
    pub initial_need: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
