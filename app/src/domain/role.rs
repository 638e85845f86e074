//! Roles and which deals each sees. What each may change is `domain::access`.
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    Rep,
    Presales,
    Manager,
    Legal,
    Gm,
    Executive,
    Admin,
}

impl Role {
    pub const ALL: [Role; 7] = [Role::Rep, Role::Presales, Role::Manager, Role::Legal, Role::Gm, Role::Executive, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Rep => "rep",
            Role::Presales => "presales",
            Role::Manager => "manager",
            Role::Legal => "legal",
            Role::Gm => "gm",
            Role::Executive => "executive",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Pages shown in the navigation for this role.
    pub fn sees_admin(self) -> bool {
        super::access::may_administer(self)
    }
}

/// Which deals (and their accounts) a user may see. A deal is visible when any arm matches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visibility {
    pub all: bool,
    pub team_ids: Vec<i32>,
    /// Deals on which this user is a team member (owner, presales, PM, …).
    pub member_user_id: Option<i32>,
}

impl Visibility {
    /// `team_id`: the user's own team; `managed`: teams the user manages.
    pub fn for_user(role: Role, user_id: i32, team_id: Option<i32>, managed: &[i32]) -> Visibility {
        match role {
            Role::Executive | Role::Admin | Role::Gm | Role::Legal => Visibility { all: true, team_ids: vec![], member_user_id: None },
            Role::Manager => {
                let mut team_ids: Vec<i32> = managed.to_vec();
                team_ids.extend(team_id);
                team_ids.sort_unstable();
                team_ids.dedup();
                Visibility { all: false, team_ids, member_user_id: Some(user_id) }
            }
            Role::Rep => Visibility { all: false, team_ids: team_id.into_iter().collect(), member_user_id: Some(user_id) },
            Role::Presales => Visibility { all: false, team_ids: vec![], member_user_id: Some(user_id) },
        }
    }

    /// The same rule for one deal whose facts are known (used after loading by id).
    pub fn allows(&self, deal_team_id: i32, member_ids: &[i32]) -> bool {
        self.all || self.team_ids.contains(&deal_team_id) || self.member_user_id.is_some_and(|u| member_ids.contains(&u))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("owner"), None);
    }

    #[test]
    fn visibility_table() {
        const EAST: i32 = 1;
        const WEST: i32 = 2;
        let (east, west) = (EAST, WEST);
        // (role, own team, managed teams, deal team, deal members, visible?)
        type Case = (Role, Option<i32>, &'static [i32], i32, &'static [i32], bool);
        let cases: &[Case] = &[
            (Role::Rep, Some(east), &[], east, &[], true),
            (Role::Rep, Some(east), &[], west, &[], false),
            (Role::Rep, Some(east), &[], west, &[10], true),
            (Role::Presales, Some(east), &[], east, &[], false),
            (Role::Presales, Some(east), &[], west, &[10], true),
            (Role::Manager, None, &[EAST], east, &[], true),
            (Role::Manager, None, &[EAST], west, &[], false),
            (Role::Manager, Some(west), &[EAST], west, &[], true),
            (Role::Executive, None, &[], west, &[], true),
            (Role::Admin, None, &[], east, &[], true),
            (Role::Gm, None, &[], east, &[], true),
            (Role::Legal, None, &[], west, &[], true),
        ];
        for (role, team, managed, deal_team, members, want) in cases {
            let v = Visibility::for_user(*role, 10, *team, managed);
            assert_eq!(v.allows(*deal_team, members), *want, "{role:?} team={team:?} managed={managed:?} deal_team={deal_team}");
        }
    }
}
