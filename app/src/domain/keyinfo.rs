//! The six sections of key information (关键信息) and when each counts as complete.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyInfo {
    // 1. Schedule (时间表)
    pub selection_start: Option<NaiveDate>,
    pub selection_end: Option<NaiveDate>,
    pub vendor_pick: Option<NaiveDate>,
    pub signing: Option<NaiveDate>,
    pub implementation_start: Option<NaiveDate>,
    pub go_live: Option<NaiveDate>,
    // 2. Budget (预算)
    pub budgeted: Option<bool>,
    pub budget_fen: Option<i64>,
    pub budget_covers: Option<String>,
    pub affordable_fen: Option<i64>,
    // 3. Requirement (需求)
    pub motivation: Option<String>,
    pub problems: Option<String>,
    pub functional_scope: Option<String>,
    pub geographic_scope: Option<String>,
    pub language_scope: Option<String>,
    pub modules: Option<String>,
    pub services: Option<String>,
    pub explicit_needs: Option<String>,
    pub implicit_needs: Option<String>,
    pub confirmation_sent_on: Option<NaiveDate>,
    // 4. Decision (决策)
    pub initiator: Option<String>,
    pub decision_makers: Option<String>,
    pub decision_process: Option<String>,
    pub selection_criteria: Option<String>,
    pub hq_role: Option<String>,
    // 5. Competition (竞争)
    pub competitors: Option<String>,
    pub leader: Option<String>,
    pub leader_strengths: Option<String>,
    pub laggard_weaknesses: Option<String>,
    // 6. Key evaluation items (关键评估项)
    pub evaluation_items: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Section {
    Schedule,
    Budget,
    Requirement,
    Decision,
    Competition,
    Evaluation,
}

impl Section {
    pub const ALL: [Section; 6] =
        [Section::Schedule, Section::Budget, Section::Requirement, Section::Decision, Section::Competition, Section::Evaluation];
}

/// A single field a stage may require; the code is stable (used in the API and in links).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum KeyField {
    VendorPickDate,
    SigningDate,
    BudgetKnown,
    Motivation,
    Problems,
    FunctionalScope,
    DecisionMakers,
    DecisionProcess,
    Competitors,
    Leader,
    EvaluationItems,
}

impl KeyField {
    pub const ALL: [KeyField; 11] = [
        KeyField::VendorPickDate,
        KeyField::SigningDate,
        KeyField::BudgetKnown,
        KeyField::Motivation,
        KeyField::Problems,
        KeyField::FunctionalScope,
        KeyField::DecisionMakers,
        KeyField::DecisionProcess,
        KeyField::Competitors,
        KeyField::Leader,
        KeyField::EvaluationItems,
    ];

    pub fn code(self) -> &'static str {
        match self {
            KeyField::VendorPickDate => "vendor_pick",
            KeyField::SigningDate => "signing",
            KeyField::BudgetKnown => "budget",
            KeyField::Motivation => "motivation",
            KeyField::Problems => "problems",
            KeyField::FunctionalScope => "functional_scope",
            KeyField::DecisionMakers => "decision_makers",
            KeyField::DecisionProcess => "decision_process",
            KeyField::Competitors => "competitors",
            KeyField::Leader => "leader",
            KeyField::EvaluationItems => "evaluation_items",
        }
    }

    pub fn parse(code: &str) -> Option<KeyField> {
        KeyField::ALL.into_iter().find(|f| f.code() == code)
    }

    pub fn section(self) -> Section {
        match self {
            KeyField::VendorPickDate | KeyField::SigningDate => Section::Schedule,
            KeyField::BudgetKnown => Section::Budget,
            KeyField::Motivation | KeyField::Problems | KeyField::FunctionalScope => Section::Requirement,
            KeyField::DecisionMakers | KeyField::DecisionProcess => Section::Decision,
            KeyField::Competitors | KeyField::Leader => Section::Competition,
            KeyField::EvaluationItems => Section::Evaluation,
        }
    }
}

fn filled(s: &Option<String>) -> bool {
    s.as_deref().is_some_and(|v| !v.trim().is_empty())
}

impl KeyInfo {
    pub fn has(&self, f: KeyField) -> bool {
        match f {
            KeyField::VendorPickDate => self.vendor_pick.is_some(),
            KeyField::SigningDate => self.signing.is_some(),
            // Budgeted with an amount, or not budgeted with what they can afford: either is known.
            KeyField::BudgetKnown => match self.budgeted {
                Some(true) => self.budget_fen.is_some_and(|b| b > 0),
                Some(false) => self.affordable_fen.is_some_and(|a| a > 0),
                None => false,
            },
            KeyField::Motivation => filled(&self.motivation),
            KeyField::Problems => filled(&self.problems),
            KeyField::FunctionalScope => filled(&self.functional_scope),
            KeyField::DecisionMakers => filled(&self.decision_makers),
            KeyField::DecisionProcess => filled(&self.decision_process),
            KeyField::Competitors => filled(&self.competitors),
            KeyField::Leader => filled(&self.leader),
            KeyField::EvaluationItems => filled(&self.evaluation_items),
        }
    }

    /// A section is complete when every field of it that any stage can require is filled.
    pub fn section_complete(&self, s: Section) -> bool {
        KeyField::ALL.into_iter().filter(|f| f.section() == s).all(|f| self.has(f))
    }

    /// (complete sections, 6) — shown as "4/6" on the card.
    pub fn completeness(&self) -> (u8, u8) {
        (Section::ALL.into_iter().filter(|s| self.section_complete(*s)).count() as u8, 6)
    }

    /// Rejects values no one could mean, with the field to fix.
    pub fn validate(&self) -> Result<(), (&'static str, &'static str)> {
        if self.budget_fen.is_some_and(|b| b < 0) {
            return Err(("budget_fen", "must not be negative"));
        }
        if self.affordable_fen.is_some_and(|b| b < 0) {
            return Err(("affordable_fen", "must not be negative"));
        }
        if let (Some(a), Some(b)) = (self.selection_start, self.selection_end) {
            if b < a {
                return Err(("selection_end", "is before the selection start"));
            }
        }
        if let (Some(a), Some(b)) = (self.implementation_start, self.go_live) {
            if b < a {
                return Err(("go_live", "is before the implementation start"));
            }
        }
        Ok(())
    }
}

/// Applies a JSON merge-patch to key information: only the fields present change, `null`
/// clears one, an unknown field or a wrong type is an error naming it.
pub fn merge_patch(current: &KeyInfo, patch: &serde_json::Value) -> Result<KeyInfo, String> {
    let serde_json::Value::Object(changes) = patch else {
        return Err("must be a JSON object of key-information fields".into());
    };
    let mut doc = serde_json::to_value(current).map_err(|e| e.to_string())?;
    let serde_json::Value::Object(fields) = &mut doc else {
        return Err("key information is not an object".into());
    };
    for (k, v) in changes {
        match fields.get_mut(k) {
            Some(slot) => *slot = v.clone(),
            None => return Err(format!("unknown field {k}")),
        }
    }
    serde_json::from_value(doc).map_err(|e| format!("invalid value: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<NaiveDate> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn empty_is_zero_of_six() {
        assert_eq!(KeyInfo::default().completeness(), (0, 6));
    }

    #[test]
    fn sections_complete_one_by_one() {
        let mut k = KeyInfo { vendor_pick: d("2027-01-10"), ..Default::default() };
        assert!(!k.section_complete(Section::Schedule), "signing date still missing");
        k.signing = d("2027-02-01");
        assert_eq!(k.completeness(), (1, 6));
        k.budgeted = Some(true);
        assert!(!k.has(KeyField::BudgetKnown), "budgeted but no amount");
        k.budget_fen = Some(80_000_000);
        assert_eq!(k.completeness(), (2, 6));
        k.motivation = Some("ERP too old".into());
        k.problems = Some("  ".into());
        k.functional_scope = Some("finance, MRP".into());
        assert!(!k.section_complete(Section::Requirement), "blank text does not count");
        k.problems = Some("stock accuracy".into());
        k.decision_makers = Some("GM".into());
        k.decision_process = Some("committee".into());
        k.competitors = Some("A, B".into());
        k.leader = Some("A".into());
        k.evaluation_items = Some("MES integration".into());
        assert_eq!(k.completeness(), (6, 6));
    }

    #[test]
    fn not_budgeted_needs_what_they_can_afford() {
        let mut k = KeyInfo { budgeted: Some(false), ..Default::default() };
        assert!(!k.has(KeyField::BudgetKnown));
        k.affordable_fen = Some(30_000_000);
        assert!(k.has(KeyField::BudgetKnown));
    }

    #[test]
    fn codes_round_trip() {
        for f in KeyField::ALL {
            assert_eq!(KeyField::parse(f.code()), Some(f));
        }
    }

    #[test]
    fn validation() {
        assert!(KeyInfo::default().validate().is_ok());
        let k = KeyInfo { budget_fen: Some(-1), ..Default::default() };
        assert_eq!(k.validate().unwrap_err().0, "budget_fen");
        let k = KeyInfo { selection_start: d("2027-02-01"), selection_end: d("2027-01-01"), ..Default::default() };
        assert_eq!(k.validate().unwrap_err().0, "selection_end");
    }

    #[test]
    fn merge_patch_changes_only_what_is_sent() {
        let cur = KeyInfo { motivation: Some("growth".into()), budget_fen: Some(5), ..Default::default() };
        let out = merge_patch(&cur, &serde_json::json!({"competitors": "SAP", "budget_fen": null})).unwrap();
        assert_eq!(out.motivation.as_deref(), Some("growth"));
        assert_eq!(out.competitors.as_deref(), Some("SAP"));
        assert_eq!(out.budget_fen, None);
        assert!(merge_patch(&cur, &serde_json::json!({"nope": 1})).unwrap_err().contains("nope"));
        assert!(merge_patch(&cur, &serde_json::json!({"budget_fen": "lots"})).is_err());
        assert!(merge_patch(&cur, &serde_json::json!([1])).is_err());
        assert!(merge_patch(&cur, &serde_json::json!({"vendor_pick": "2027-01-31"})).unwrap().vendor_pick.is_some());
    }
}
