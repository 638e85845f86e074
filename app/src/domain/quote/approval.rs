//! Who must approve a submitted quote. Every quote needs at least the owner's manager; a discount
//! above the manager's limit or a margin below the floor needs the general manager. The
//! thresholds are data an admin edits ([`ApprovalPolicy`]), and the reasons are kept with the
//! approval request (as JSON) so either language can explain it later.
use super::maths::Totals;
use crate::domain::error::AppError;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalPolicy {
    /// Largest effective discount (vs list price) a manager may approve, in bp.
    pub manager_max_discount_bp: i32,
    /// Smallest margin (on net) a manager may approve, in bp.
    pub margin_floor_bp: i32,
}

impl Default for ApprovalPolicy {
    fn default() -> Self {
        Self { manager_max_discount_bp: 1_000, margin_floor_bp: 2_000 }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Approver {
    Manager,
    GeneralManager,
}

impl Approver {
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Manager => "manager",
            Self::GeneralManager => "general_manager",
        }
    }
}

/// Why a quote goes to its approver; figures are carried so the message needs no lookup.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    WithinManagerLimit { limit_bp: i32 },
    DiscountAbove { discount_bp: i64, limit_bp: i32 },
    MarginBelow { margin_bp: i64, floor_bp: i32 },
}

/// The approver a quote with these totals needs, with every reason that applies. Exactly at the
/// limit or at the floor is still the manager's call.
pub fn required_approver(policy: &ApprovalPolicy, totals: &Totals) -> (Approver, Vec<Reason>) {
    let mut reasons = Vec::new();
    if totals.discount_bp > i64::from(policy.manager_max_discount_bp) {
        reasons.push(Reason::DiscountAbove { discount_bp: totals.discount_bp, limit_bp: policy.manager_max_discount_bp });
    }
    if totals.margin_bp < i64::from(policy.margin_floor_bp) {
        reasons.push(Reason::MarginBelow { margin_bp: totals.margin_bp, floor_bp: policy.margin_floor_bp });
    }
    if reasons.is_empty() {
        (Approver::Manager, vec![Reason::WithinManagerLimit { limit_bp: policy.manager_max_discount_bp }])
    } else {
        (Approver::GeneralManager, reasons)
    }
}

/// Whether the actor may approve a quote needing `needed`. The general manager covers manager-level
/// quotes too. Being an admin grants nothing: admins administer the system, commercial terms are
/// approved by the sales line (the flag is taken so call sites state it and this stays the one rule).
pub fn may_approve(needed: Approver, actor_is_manager_of_owner: bool, actor_is_gm: bool, actor_is_admin: bool) -> bool {
    let _ = actor_is_admin;
    match needed {
        Approver::Manager => actor_is_manager_of_owner || actor_is_gm,
        Approver::GeneralManager => actor_is_gm,
    }
}

/// Both thresholds are percentages, 0 through 100 %.
pub fn validate_policy(policy: &ApprovalPolicy) -> Result<(), AppError> {
    for (field, bp) in [("manager_max_discount", policy.manager_max_discount_bp), ("margin_floor", policy.margin_floor_bp)] {
        if !(0..=10_000).contains(&bp) {
            return Err(AppError::validation(field, "must be between 0 and 100 %"));
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use Approver::*;

    fn totals(discount_bp: i64, margin_bp: i64) -> Totals {
        Totals { discount_bp, margin_bp, ..Totals::default() }
    }

    #[test]
    fn approver_and_reasons() {
        let p = ApprovalPolicy::default();
        let within = Reason::WithinManagerLimit { limit_bp: 1_000 };
        let disc = |d| Reason::DiscountAbove { discount_bp: d, limit_bp: 1_000 };
        let margin = |m| Reason::MarginBelow { margin_bp: m, floor_bp: 2_000 };
        for (discount, margin_bp, want) in [
            (0, 5_000, (Manager, vec![within])),
            (1_000, 2_000, (Manager, vec![within])), // at the limit, at the floor
            (-500, 3_000, (Manager, vec![within])),  // sold above list
            (1_001, 2_000, (GeneralManager, vec![disc(1_001)])),
            (1_000, 1_999, (GeneralManager, vec![margin(1_999)])),
            (2_500, 1_500, (GeneralManager, vec![disc(2_500), margin(1_500)])),
            (500, -3_000, (GeneralManager, vec![margin(-3_000)])),        // below cost
            (10_000, 0, (GeneralManager, vec![disc(10_000), margin(0)])), // given away
        ] {
            assert_eq!(required_approver(&p, &totals(discount, margin_bp)), want, "{discount} {margin_bp}");
        }
        // Thresholds are data: a stricter policy escalates what the default lets through.
        let strict = ApprovalPolicy { manager_max_discount_bp: 0, margin_floor_bp: 10_000 };
        let (who, reasons) = required_approver(&strict, &totals(1, 9_999));
        assert_eq!(who, GeneralManager);
        assert_eq!(reasons.len(), 2);
        let lax = ApprovalPolicy { manager_max_discount_bp: 10_000, margin_floor_bp: 0 };
        assert_eq!(required_approver(&lax, &totals(10_000, 0)).0, Manager);
    }

    #[test]
    fn who_may_approve() {
        // (needed, manager of owner, gm, admin) → may approve
        for (needed, mgr, gm, admin, want) in [
            (Manager, true, false, false, true),
            (Manager, false, true, false, true),
            (Manager, true, true, false, true),
            (Manager, false, false, false, false),
            (Manager, false, false, true, false),
            (Manager, true, false, true, true),
            (GeneralManager, true, false, false, false),
            (GeneralManager, false, true, false, true),
            (GeneralManager, true, true, true, true),
            (GeneralManager, false, false, true, false),
            (GeneralManager, true, false, true, false),
            (GeneralManager, false, false, false, false),
        ] {
            assert_eq!(may_approve(needed, mgr, gm, admin), want, "{needed:?} mgr={mgr} gm={gm} admin={admin}");
        }
    }

    #[test]
    fn policy_bounds() {
        for (d, m, want) in [
            (1_000, 2_000, None),
            (0, 0, None),
            (10_000, 10_000, None),
            (-1, 2_000, Some("manager_max_discount")),
            (10_001, 2_000, Some("manager_max_discount")),
            (1_000, -1, Some("margin_floor")),
            (1_000, 10_001, Some("margin_floor")),
            (i32::MIN, i32::MAX, Some("manager_max_discount")),
        ] {
            let got = validate_policy(&ApprovalPolicy { manager_max_discount_bp: d, margin_floor_bp: m });
            match (got, want) {
                (Ok(()), None) => {}
                (Err(AppError::Validation { field, .. }), Some(f)) => assert_eq!(field, f),
                (got, want) => panic!("{d} {m}: got {got:?}, want {want:?}"),
            }
        }
        assert!(validate_policy(&ApprovalPolicy::default()).is_ok());
    }

    #[test]
    fn names_and_json() {
        assert_eq!(Manager.as_str(), "manager");
        assert_eq!(GeneralManager.as_str(), "general_manager");
        assert_eq!(serde_json::to_string(&GeneralManager).unwrap(), "\"general_manager\"");
        let r = Reason::DiscountAbove { discount_bp: 1_500, limit_bp: 1_000 };
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(json, r#"{"kind":"discount_above","discount_bp":1500,"limit_bp":1000}"#);
        assert_eq!(serde_json::from_str::<Reason>(&json).unwrap(), r);
    }
}
