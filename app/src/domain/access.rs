//! Who may see and who may change what: every permission decision of the product, as pure
//! functions over (actor, object). Services ask here and nowhere else (`ssr::service::access`
//! loads the facts and turns a "no" into NotFound or Forbidden).
//!
//! The rule, stated once:
//! - seeing a deal: [`Visibility`] (a rep sees their team's deals and those they are on the
//!   deal team of; a manager their teams'; presales their deal-team deals; the rest all);
//! - changing a deal: a rep or presales user changes deals they own or are on the deal team
//!   of (presales only the room work unless they own it); a manager changes their teams'
//!   deals and those they are on the team of; admins change all; executives, general
//!   managers and legal read, and decide what is routed to them; legal and general managers
//!   comment on deals, executives do not.
use super::role::{Role, Visibility};
use serde::{Deserialize, Serialize};

/// A person's role on one deal's team (`deal_members.role`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TeamRole {
    Owner,
    Presales,
    Pm,
    Other,
}

impl TeamRole {
    pub const ALL: [TeamRole; 4] = [TeamRole::Owner, TeamRole::Presales, TeamRole::Pm, TeamRole::Other];

    pub const fn as_str(self) -> &'static str {
        match self {
            TeamRole::Owner => "owner",
            TeamRole::Presales => "presales",
            TeamRole::Pm => "pm",
            TeamRole::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<TeamRole> {
        TeamRole::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// What someone wants to do with a deal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DealAction {
    /// Open it, read its room, timeline and history.
    View,
    /// Comment on it (and mention people): anyone who sees it, except executives, whose role
    /// is read-only (legal and general managers comment on what is routed to them).
    Comment,
    /// Its facts: name, amount, close date, owner's category, key information, stage moves.
    Edit,
    /// The room work: committee map, checklists, activities.
    Work,
    /// Add or remove people on the deal team.
    ManageTeam,
    /// Set the manager's forecast category over the owner's.
    AdjustForecast,
    /// Draft, submit, send and revise its quotes: whoever does the room work (presales on the
    /// deal team price lines too).
    Quote,
}

impl DealAction {
    pub const ALL: [DealAction; 7] = [
        DealAction::View,
        DealAction::Comment,
        DealAction::Edit,
        DealAction::Work,
        DealAction::ManageTeam,
        DealAction::AdjustForecast,
        DealAction::Quote,
    ];
}

/// The person asking, as far as permissions go.
#[derive(Clone, Copy, Debug)]
pub struct Actor<'a> {
    pub user_id: i32,
    pub role: Role,
    /// The teams whose deals a manager runs (their own team and those they manage), or a
    /// rep's own team; from [`Visibility`].
    pub visibility: &'a Visibility,
}

/// The facts of one deal a decision needs.
#[derive(Clone, Copy, Debug)]
pub struct DealFacts<'a> {
    pub team_id: i32,
    pub owner_id: i32,
    /// (user id, role on the deal team) of every member, owner included.
    pub members: &'a [(i32, TeamRole)],
}

impl DealFacts<'_> {
    fn role_of(&self, user_id: i32) -> Option<TeamRole> {
        if self.owner_id == user_id {
            return Some(TeamRole::Owner);
        }
        self.members.iter().find(|(u, _)| *u == user_id).map(|(_, r)| *r)
    }
}

/// Roles that never change a deal (they read, and decide approvals routed to them).
pub fn reads_only(role: Role) -> bool {
    matches!(role, Role::Executive | Role::Gm | Role::Legal)
}

/// The one answer to "may this actor do this to this deal?".
pub fn may_deal(a: &Actor, action: DealAction, d: &DealFacts) -> bool {
    let member_ids: Vec<i32> = d.members.iter().map(|(u, _)| *u).chain([d.owner_id]).collect();
    if !a.visibility.allows(d.team_id, &member_ids) {
        return false;
    }
    let on_team = d.role_of(a.user_id);
    let runs_team = a.role == Role::Manager && a.visibility.team_ids.contains(&d.team_id);
    match action {
        DealAction::View => true,
        DealAction::Comment => a.role != Role::Executive,
        DealAction::Edit => match a.role {
            Role::Admin => true,
            Role::Manager => runs_team || on_team.is_some(),
            Role::Rep => on_team.is_some(),
            Role::Presales => on_team == Some(TeamRole::Owner),
            Role::Executive | Role::Gm | Role::Legal => false,
        },
        DealAction::Work | DealAction::Quote => match a.role {
            Role::Admin => true,
            Role::Manager => runs_team || on_team.is_some(),
            Role::Rep | Role::Presales => on_team.is_some(),
            Role::Executive | Role::Gm | Role::Legal => false,
        },
        DealAction::ManageTeam => match a.role {
            Role::Admin => true,
            Role::Manager => runs_team || on_team == Some(TeamRole::Owner),
            _ => on_team == Some(TeamRole::Owner),
        },
        DealAction::AdjustForecast => match a.role {
            Role::Admin | Role::Gm => true,
            Role::Manager => runs_team,
            _ => false,
        },
    }
}

/// Whether `actor` may make `owner` (in `owner_team`) the owner of a new deal: oneself,
/// a manager within their teams, an admin anywhere.
pub fn may_assign(a: &Actor, owner_id: i32, owner_team: i32) -> bool {
    if reads_only(a.role) {
        return false;
    }
    owner_id == a.user_id || a.role == Role::Admin || a.role == Role::Manager && a.visibility.team_ids.contains(&owner_team)
}

/// Whether a role may make someone else the owner of a deal (within the rule above).
pub fn may_assign_others(role: Role) -> bool {
    matches!(role, Role::Manager | Role::Admin)
}

/// Whose deals a viewer's forecast figures (dashboard, progress, drill-downs) cover when it
/// is narrower than what they see: a rep's figures are their own deals (seeing the team's
/// deals is for working on them, not for the team's numbers). None: everything they see.
pub fn figures_owner(role: Role, user_id: i32) -> Option<i32> {
    (role == Role::Rep).then_some(user_id)
}

/// Whether a live event about a deal of `event_team` reaches a viewer (`None`: a change
/// everyone hears of, like a pipeline edit). By team only: a member of another team's deal
/// hears of it at the next resync (events carry no member list).
pub fn hears_event(vis: &Visibility, event_team: Option<i32>) -> bool {
    event_team.is_none_or(|t| vis.all || vis.team_ids.contains(&t))
}

/// Whether the viewer's figures include their teams' people (a manager), beyond their own
/// (a rep, presales) or everyone's (visibility `all`).
pub fn sees_team_figures(role: Role) -> bool {
    role == Role::Manager
}

/// Creating and editing accounts and contacts: everyone who works deals.
pub fn may_edit_accounts(role: Role) -> bool {
    !reads_only(role)
}

/// Merging duplicate accounts (deals, contacts and revisits move, one account goes): managers
/// and admins, who answer for the book as a whole; a rep asks them.
pub fn may_merge_accounts(role: Role) -> bool {
    matches!(role, Role::Manager | Role::Admin)
}

/// Administration (pipelines, checklist templates, users): admins.
pub fn may_administer(role: Role) -> bool {
    role == Role::Admin
}

/// Deciding an approval: the person it is routed to, or an admin.
pub fn may_decide(a: &Actor, approver_id: Option<i32>) -> bool {
    approver_id == Some(a.user_id) || a.role == Role::Admin
}

/// Deciding a quote's approval: only the person it is routed to (the owner's manager or the
/// general manager), never the one who submitted it; admins administer, they do not approve
/// commercial terms.
pub fn may_decide_quote(a: &Actor, approver_id: Option<i32>, requested_by: i32) -> bool {
    approver_id == Some(a.user_id) && requested_by != a.user_id
}

/// Marking a follow-up done: its owner, the entry's author, or whoever changes the deal as
/// its manager or an admin (the deal must be visible; checked before).
pub fn may_complete_task(a: &Actor, author_id: i32, next_owner_id: Option<i32>) -> bool {
    next_owner_id == Some(a.user_id) || author_id == a.user_id || matches!(a.role, Role::Manager | Role::Admin)
}

/// Setting someone's quota: admins and general managers for everyone, a manager for their
/// own and managed teams.
pub fn may_edit_quota(a: &Actor, target_team: Option<i32>, managed: &[i32], own_team: Option<i32>) -> bool {
    match a.role {
        Role::Admin | Role::Gm => true,
        Role::Manager => target_team.is_some_and(|t| managed.contains(&t) || own_team == Some(t)),
        _ => false,
    }
}

/// Seeing someone's quota: whoever sees everything, the person themselves, whoever sets it.
pub fn may_see_quota(a: &Actor, target_id: i32, can_edit: bool) -> bool {
    a.visibility.all || target_id == a.user_id || can_edit
}

#[cfg(test)]
mod tests {
    use super::*;

    const ME: i32 = 10;
    const MATE: i32 = 11;
    const EAST: i32 = 1;
    const WEST: i32 = 2;

    /// Who the actor is to the deal.
    #[derive(Clone, Copy, Debug)]
    enum Rel {
        /// Owns it.
        Owner,
        /// A teammate's deal in the actor's own (or managed) team, actor not on its team.
        TeamDeal,
        /// A teammate's deal with the actor on its deal team as presales.
        Member,
        /// Another team's deal, actor not on its team.
        Foreign,
    }

    fn answer(role: Role, rel: Rel, action: DealAction) -> bool {
        let vis = Visibility::for_user(role, ME, Some(EAST), if role == Role::Manager { &[EAST] } else { &[] });
        let a = Actor { user_id: ME, role, visibility: &vis };
        let (team, owner, members): (i32, i32, Vec<(i32, TeamRole)>) = match rel {
            Rel::Owner => (EAST, ME, vec![(ME, TeamRole::Owner)]),
            Rel::TeamDeal => (EAST, MATE, vec![(MATE, TeamRole::Owner)]),
            Rel::Member => (WEST, MATE, vec![(MATE, TeamRole::Owner), (ME, TeamRole::Presales)]),
            Rel::Foreign => (WEST, MATE, vec![(MATE, TeamRole::Owner)]),
        };
        may_deal(&a, action, &DealFacts { team_id: team, owner_id: owner, members: &members })
    }

    /// Every (role × relation × action) and its answer; `V C E W T F` = view, comment, edit,
    /// work, team, forecast adjustment; `-` = no.
    #[test]
    fn the_deal_permission_table() {
        let table: &[(Role, Rel, &str)] = &[
            (Role::Rep, Rel::Owner, "VCEWT-"),
            (Role::Rep, Rel::TeamDeal, "VC----"),
            (Role::Rep, Rel::Member, "VCEW--"),
            (Role::Rep, Rel::Foreign, "------"),
            (Role::Presales, Rel::Owner, "VCEWT-"),
            (Role::Presales, Rel::TeamDeal, "------"),
            (Role::Presales, Rel::Member, "VC-W--"),
            (Role::Presales, Rel::Foreign, "------"),
            (Role::Manager, Rel::Owner, "VCEWTF"),
            (Role::Manager, Rel::TeamDeal, "VCEWTF"),
            (Role::Manager, Rel::Member, "VCEW--"),
            (Role::Manager, Rel::Foreign, "------"),
            (Role::Admin, Rel::Owner, "VCEWTF"),
            (Role::Admin, Rel::TeamDeal, "VCEWTF"),
            (Role::Admin, Rel::Member, "VCEWTF"),
            (Role::Admin, Rel::Foreign, "VCEWTF"),
            (Role::Gm, Rel::TeamDeal, "VC---F"),
            (Role::Gm, Rel::Foreign, "VC---F"),
            (Role::Executive, Rel::TeamDeal, "V-----"),
            (Role::Executive, Rel::Foreign, "V-----"),
            (Role::Legal, Rel::TeamDeal, "VC----"),
            (Role::Legal, Rel::Foreign, "VC----"),
        ];
        for (role, rel, want) in table {
            let got: String = DealAction::ALL
                .iter()
                .zip("VCEWTF".chars())
                .map(|(action, letter)| if answer(*role, *rel, *action) { letter } else { '-' })
                .collect();
            assert_eq!(&got, want, "{role:?} on {rel:?}");
        }
    }

    #[test]
    fn assigning_an_owner() {
        let mgr_vis = Visibility::for_user(Role::Manager, ME, None, &[EAST]);
        let rep_vis = Visibility::for_user(Role::Rep, ME, Some(EAST), &[]);
        let all = Visibility::for_user(Role::Admin, ME, None, &[]);
        let exec = Visibility::for_user(Role::Executive, ME, None, &[]);
        // (role, visibility, owner, owner's team, allowed)
        let cases: &[(Role, &Visibility, i32, i32, bool)] = &[
            (Role::Rep, &rep_vis, ME, EAST, true),
            (Role::Rep, &rep_vis, MATE, EAST, false),
            (Role::Manager, &mgr_vis, MATE, EAST, true),
            (Role::Manager, &mgr_vis, MATE, WEST, false),
            (Role::Admin, &all, MATE, WEST, true),
            (Role::Executive, &exec, ME, EAST, false),
        ];
        for (role, vis, owner, team, want) in cases {
            let a = Actor { user_id: ME, role: *role, visibility: vis };
            assert_eq!(may_assign(&a, *owner, *team), *want, "{role:?} assigns {owner} in {team}");
        }
    }

    #[test]
    fn quotas_tasks_approvals_and_administration() {
        let all = Visibility::for_user(Role::Admin, ME, None, &[]);
        let rep_vis = Visibility::for_user(Role::Rep, ME, Some(EAST), &[]);
        let admin = Actor { user_id: ME, role: Role::Admin, visibility: &all };
        let rep = Actor { user_id: ME, role: Role::Rep, visibility: &rep_vis };
        let mgr = Actor { user_id: ME, role: Role::Manager, visibility: &rep_vis };
        assert!(may_edit_quota(&admin, Some(WEST), &[], None));
        assert!(may_edit_quota(&mgr, Some(EAST), &[EAST], None));
        assert!(!may_edit_quota(&mgr, Some(WEST), &[EAST], None));
        assert!(!may_edit_quota(&rep, Some(EAST), &[], Some(EAST)));
        assert!(may_see_quota(&rep, ME, false));
        assert!(!may_see_quota(&rep, MATE, false));
        assert!(may_complete_task(&rep, MATE, Some(ME)));
        assert!(!may_complete_task(&rep, MATE, Some(MATE)));
        assert!(may_decide(&rep, Some(ME)));
        assert!(!may_decide(&rep, Some(MATE)));
        assert!(may_decide(&admin, Some(MATE)));
        for role in Role::ALL {
            assert_eq!(figures_owner(role, ME), (role == Role::Rep).then_some(ME), "{role:?}");
            assert_eq!(sees_team_figures(role), role == Role::Manager, "{role:?}");
            assert_eq!(may_assign_others(role), matches!(role, Role::Manager | Role::Admin), "{role:?}");
            assert_eq!(may_administer(role), role == Role::Admin, "{role:?}");
            assert_eq!(may_edit_accounts(role), !matches!(role, Role::Executive | Role::Gm | Role::Legal), "{role:?}");
        }
    }
}
