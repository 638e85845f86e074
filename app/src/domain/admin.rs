//! User and team administration: the wire types, the audit log's kinds of act, and the
//! bounds every input is checked against (pure, so the browser can check as the user types).
use super::error::AppError;
use super::locale::Locale;
use super::role::{Role, Visibility};
use serde::{Deserialize, Serialize};

/// A person's name: 1–100 characters after trimming.
pub const NAME_MAX: usize = 100;
/// A team's name: 1–60 characters after trimming.
pub const TEAM_NAME_MAX: usize = 60;
/// E-mail addresses: at most 254 characters (RFC 5321), the part before `@` at most 64.
pub const EMAIL_MAX: usize = 254;
/// Passwords: 8–128 characters (argon2 takes any length; the ceiling bounds the work).
pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 128;
/// Deals a single bulk reassignment moves; the answer says how many are left for another run.
pub const REASSIGN_MAX: u64 = 2_000;
/// Audit rows per page.
pub const AUDIT_PAGE_MAX: u64 = 200;

/// What an administrator did. Stored as its code in `admin_audit.action`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AuditAction {
    UserCreated,
    UserUpdated,
    PasswordReset,
    UserDeactivated,
    UserReactivated,
    DealsReassigned,
    TeamCreated,
    TeamUpdated,
    /// A user changed their own password (their other sessions and tokens ended).
    PasswordChanged,
    /// A sign-in with a wrong password, an unknown e-mail or a deactivated account.
    LoginFailed,
    /// Sign-in failures started slowing down an account from one address, or an address.
    LoginThrottled,
}

impl AuditAction {
    pub const ALL: [AuditAction; 11] = [
        AuditAction::UserCreated,
        AuditAction::UserUpdated,
        AuditAction::PasswordReset,
        AuditAction::UserDeactivated,
        AuditAction::UserReactivated,
        AuditAction::DealsReassigned,
        AuditAction::TeamCreated,
        AuditAction::TeamUpdated,
        AuditAction::PasswordChanged,
        AuditAction::LoginFailed,
        AuditAction::LoginThrottled,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            AuditAction::UserCreated => "user.created",
            AuditAction::UserUpdated => "user.updated",
            AuditAction::PasswordReset => "user.password_reset",
            AuditAction::UserDeactivated => "user.deactivated",
            AuditAction::UserReactivated => "user.reactivated",
            AuditAction::DealsReassigned => "user.deals_reassigned",
            AuditAction::TeamCreated => "team.created",
            AuditAction::TeamUpdated => "team.updated",
            AuditAction::PasswordChanged => "user.password_changed",
            AuditAction::LoginFailed => "user.login_failed",
            AuditAction::LoginThrottled => "user.login_throttled",
        }
    }

    pub fn parse(s: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// "user" or "team".
    pub fn subject_kind(self) -> &'static str {
        match self {
            AuditAction::TeamCreated | AuditAction::TeamUpdated => "team",
            _ => "user",
        }
    }
}

/// A user as the admin page lists them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUser {
    pub id: uuid::Uuid,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub team_id: Option<uuid::Uuid>,
    pub team: Option<String>,
    pub locale: Option<Locale>,
    pub active: bool,
    pub must_change_password: bool,
    /// Open deals they own (what a reassignment would move).
    pub open_deals: u64,
    /// Approvals waiting on their decision (deactivating them names a delegate for these).
    #[serde(default)]
    pub pending_approvals: u64,
    pub version: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminTeam {
    pub id: uuid::Uuid,
    pub name: String,
    pub manager_id: Option<uuid::Uuid>,
    pub manager: Option<String>,
    pub members: u64,
    pub version: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminDirectory {
    pub users: Vec<AdminUser>,
    pub teams: Vec<AdminTeam>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewUser {
    pub name: String,
    pub email: String,
    pub role: Role,
    pub team: Option<uuid::Uuid>,
    pub locale: Option<Locale>,
    /// The initial password; the user must change it at first sign-in.
    pub password: String,
}

/// The whole editable record of a user, under its version (the form sends all of it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserEdit {
    pub name: String,
    pub role: Role,
    pub team: Option<uuid::Uuid>,
    pub locale: Option<Locale>,
    pub version: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamEdit {
    pub name: String,
    /// An active user of role manager, or none.
    pub manager: Option<uuid::Uuid>,
    /// The version read; ignored when creating.
    pub version: i32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReassignOutcome {
    pub moved: u64,
    /// Open deals the user still owns (more than one run's bound, or none).
    pub remaining: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    /// Opaque, increasing: the cursor of the next page.
    pub id: i32,
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor: String,
    pub action: AuditAction,
    pub subject_kind: String,
    pub subject: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    /// Pass as `before` for the next (older) page; None on the last page.
    pub next: Option<i32>,
}

/// The roles that may take over approvals routed to someone of role `leaver` who is being
/// deactivated. Routing (`service::movement::{route_approval, route_to}`) sends a request to
/// the deal team's manager, or to the general manager when the team has none (stage moves,
/// the sales-manager step of quotes, contracts and negotiations); to legal for the legal step;
/// to the general manager for the general manager's and finance's steps and concessions past
/// a bottom line; and a stage move to an administrator when there is no general manager. So
/// the delegate has the leaver's role, or is the general manager routing falls back to. Roles
/// routing never picks (they kept requests from an earlier role) hand them to a manager or the
/// general manager.
pub fn delegate_roles(leaver: Role) -> &'static [Role] {
    match leaver {
        Role::Manager => &[Role::Manager, Role::Gm],
        Role::Admin => &[Role::Admin, Role::Gm],
        Role::Gm => &[Role::Gm],
        Role::Legal => &[Role::Legal],
        Role::Rep | Role::Presales | Role::Executive => &[Role::Manager, Role::Gm],
    }
}

/// The person named to decide a leaver's waiting approvals.
#[derive(Clone, Copy, Debug)]
pub struct Delegate<'a> {
    pub id: i32,
    pub role: Role,
    pub active: bool,
    /// What they see (their own team and the teams they manage, or everything).
    pub sees: &'a Visibility,
}

/// One approval waiting on the leaver: the team of its deal and who asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Waiting {
    pub deal_team: i32,
    pub requested_by: i32,
}

/// Whether `d` may take over `waiting` from a leaver of role `leaver`: active, of a role
/// routing would have sent these to ([`delegate_roles`]), seeing every deal concerned (a
/// manager of another team would decide on deals they cannot open), and asked for none of
/// them (nobody decides their own request). A refusal is a 422 naming `delegate`.
pub fn check_delegate(leaver: Role, d: &Delegate, waiting: &[Waiting]) -> Result<(), AppError> {
    let refuse = |m: String| Err(AppError::validation("delegate", m));
    if !d.active {
        return refuse("is deactivated".into());
    }
    let roles = delegate_roles(leaver);
    if !roles.contains(&d.role) {
        let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        return refuse(format!("must have the role {}: the approvals waiting were routed to a {}", names.join(" or "), leaver.as_str()));
    }
    let unseen = waiting.iter().filter(|w| !d.sees.allows(w.deal_team, &[])).count();
    if unseen > 0 {
        return refuse(format!(
            "cannot see {unseen} of the {} deals waiting (another team's): choose that team's manager or a general manager",
            waiting.len()
        ));
    }
    let own = waiting.iter().filter(|w| w.requested_by == d.id).count();
    if own > 0 {
        return refuse(format!("asked for {own} of the {} approvals waiting; nobody decides their own request", waiting.len()));
    }
    Ok(())
}

/// A person's name, trimmed.
pub fn name(field: &str, v: &str) -> Result<String, AppError> {
    super::validate::required(field, v, NAME_MAX)
}

/// A team's name, trimmed.
pub fn team_name(v: &str) -> Result<String, AppError> {
    super::validate::required("name", v, TEAM_NAME_MAX)
}

/// An e-mail address, trimmed and lower-cased (as sign-in compares it): one `@`, something
/// before it, a dotted domain after it, no spaces or control characters.
pub fn email(v: &str) -> Result<String, AppError> {
    let e = v.trim().to_lowercase();
    if e.is_empty() {
        return Err(AppError::validation("email", "is required"));
    }
    if e.chars().count() > EMAIL_MAX {
        return Err(AppError::validation("email", format!("at most {EMAIL_MAX} characters")));
    }
    let bad = || AppError::validation("email", "not an e-mail address (name@example.com)");
    let (local, domain) = e.split_once('@').ok_or_else(bad)?;
    let labels_ok = domain.split('.').count() >= 2 && domain.split('.').all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'));
    let chars_ok = !e.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '(' | ')' | ',' | ';' | '"' | '\\'));
    if local.is_empty() || local.chars().count() > 64 || domain.contains('@') || !labels_ok || !chars_ok {
        return Err(bad());
    }
    Ok(e)
}

/// A new password: 8–128 characters, not all blank.
pub fn password(field: &str, v: &str) -> Result<(), AppError> {
    let n = v.chars().count();
    if n < PASSWORD_MIN || v.trim().is_empty() {
        return Err(AppError::validation(field, format!("at least {PASSWORD_MIN} characters")));
    }
    if n > PASSWORD_MAX {
        return Err(AppError::validation(field, format!("at most {PASSWORD_MAX} characters")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(r: Result<impl std::fmt::Debug, AppError>) -> Option<String> {
        match r {
            Err(AppError::Validation { field, .. }) => Some(field),
            _ => None,
        }
    }

    #[test]
    fn actions_round_trip_and_are_distinct() {
        let mut seen = std::collections::HashSet::new();
        for a in AuditAction::ALL {
            assert_eq!(AuditAction::parse(a.as_str()), Some(a));
            assert!(seen.insert(a.as_str()));
            assert!(a.as_str().starts_with(a.subject_kind()));
        }
        assert_eq!(AuditAction::parse("user.deleted"), None);
    }

    #[test]
    fn emails() {
        for (v, want) in [
            ("  New.Rep@Demo.Local ", Some("new.rep@demo.local")),
            ("a@b.cn", Some("a@b.cn")),
            ("", None),
            ("no-at.example.com", None),
            ("@example.com", None),
            ("a@", None),
            ("a@localhost", None),
            ("a@b@c.com", None),
            ("a b@c.com", None),
            ("a@.com", None),
            ("a@-x.com", None),
            ("a@x..com", None),
        ] {
            assert_eq!(email(v).ok().as_deref(), want, "{v:?}");
            if want.is_none() {
                assert_eq!(field(email(v)).as_deref(), Some("email"));
            }
        }
        let long = format!("{}@example.com", "a".repeat(65));
        assert!(email(&long).is_err());
        let longest = format!("{}@{}.com", "a".repeat(64), "b".repeat(185));
        assert_eq!(longest.len(), 254);
        assert!(email(&longest).is_ok());
        assert!(email(&format!("{longest}x")).is_err());
    }

    #[test]
    fn delegates_follow_the_routing() {
        use Role::*;
        // (leaver, delegate role, fits)
        for (leaver, delegate, fits) in [
            (Manager, Manager, true),
            (Manager, Gm, true),
            (Manager, Admin, false),
            (Manager, Rep, false),
            (Manager, Legal, false),
            (Gm, Gm, true),
            (Gm, Manager, false),
            (Gm, Admin, false),
            (Legal, Legal, true),
            (Legal, Gm, false),
            (Admin, Admin, true),
            (Admin, Gm, true),
            (Admin, Manager, false),
            (Rep, Manager, true),
            (Rep, Gm, true),
            (Rep, Rep, false),
            (Executive, Executive, false),
            (Presales, Presales, false),
        ] {
            assert_eq!(delegate_roles(leaver).contains(&delegate), fits, "{leaver:?} → {delegate:?}");
        }
        for r in Role::ALL {
            assert!(!delegate_roles(r).is_empty() && !delegate_roles(r).contains(&Role::Executive), "{r:?}");
        }

        let (east, west) = (1, 2);
        let all = Visibility::for_user(Gm, 9, None, &[]);
        let runs_east = Visibility::for_user(Manager, 7, Some(east), &[]);
        let waiting = [Waiting { deal_team: east, requested_by: 3 }, Waiting { deal_team: east, requested_by: 4 }];
        let d = |id, role, active, sees| Delegate { id, role, active, sees };
        assert!(check_delegate(Manager, &d(7, Manager, true, &runs_east), &waiting).is_ok());
        assert!(check_delegate(Manager, &d(9, Gm, true, &all), &waiting).is_ok());
        let message = |r: Result<(), AppError>| match r {
            Err(AppError::Validation { field, message }) if field == "delegate" => message,
            other => panic!("expected a refusal naming delegate, got {other:?}"),
        };
        assert!(message(check_delegate(Manager, &d(7, Manager, false, &runs_east), &waiting)).contains("deactivated"));
        assert!(message(check_delegate(Gm, &d(7, Manager, true, &runs_east), &waiting)).contains("gm"));
        // A manager of the other team would decide on deals they cannot open.
        let mixed = [waiting[0], Waiting { deal_team: west, requested_by: 3 }];
        assert!(message(check_delegate(Manager, &d(7, Manager, true, &runs_east), &mixed)).contains("1 of the 2"));
        // Nobody decides their own request.
        let theirs = [waiting[0], Waiting { deal_team: east, requested_by: 9 }];
        assert!(message(check_delegate(Manager, &d(9, Gm, true, &all), &theirs)).contains("1 of the 2"));
        // Nothing waiting: any active delegate of the right role will do.
        assert!(check_delegate(Legal, &d(5, Legal, true, &all), &[]).is_ok());
    }

    #[test]
    fn passwords_and_names() {
        for (v, ok) in [("1234567", false), ("12345678", true), ("        ", false), ("密码密码密码密码", true)] {
            assert_eq!(password("password", v).is_ok(), ok, "{v:?}");
        }
        assert!(password("password", &"x".repeat(PASSWORD_MAX)).is_ok());
        assert_eq!(field(password("password", &"x".repeat(PASSWORD_MAX + 1))).as_deref(), Some("password"));
        assert_eq!(name("name", "  王 小明 ").unwrap(), "王 小明");
        assert_eq!(field(name("name", " ")).as_deref(), Some("name"));
        assert!(name("name", &"名".repeat(NAME_MAX)).is_ok());
        assert!(name("name", &"名".repeat(NAME_MAX + 1)).is_err());
        assert!(team_name(&"t".repeat(TEAM_NAME_MAX + 1)).is_err());
        assert_eq!(field(team_name("")).as_deref(), Some("name"));
    }
}
