//! Seed 000's grading questionnaire (A B C D 等级客户的特性比较) in its two variants:
//!
//! ```text
//! 未信息化 (not computerised)
//!     客观的信息化必要性  主观的信息化必要性  信息化决心的强烈度  是否展开可行性评估  是否展开选型工作
//! A   Y                   Y                   高                  Y                   Y
//! B   Y                   Y                   高/中               Y/N                 N
//! C   Y                   Y                   中/低               Y/N                 N
//! D   Y                   N                   低/无               N                   N
//!
//! 已信息化 (computerised)
//!     客观的信息化必要性  主观的信息化必要性  对现行系统的不满意  换系统决心的强烈度  是否展开选型工作
//! A   Y                   Y                   高                  高                  Y
//! B   Y                   Y                   高/中               高/中               N
//! C   Y                   Y                   中/低               中/低               N
//! D   Y                   Y                   低/无               低/无               N
//! ```
//!
//! The table describes each grade; it neither covers every combination (resolve 中 with
//! selection started fits no row) nor keeps rows apart (中 fits B and C). So it is read
//! column by column: each answer caps the grade at the first row, from A down, that admits
//! it, and the suggestion is the latest of those caps. Where a row admits every answer this
//! is exactly the first such row; where none does, it is the grade the most doubtful answer
//! allows. An answer no row admits (no objective need; for a computerised account, no
//! subjective need) caps at D: seed 000 defines D as prospects with no need (未信息必要性).
//! The computerised table has no feasibility column: that answer is kept (domain.md asks it
//! of both variants) but does not grade a computerised account.
use super::Grade;
use crate::domain::error::AppError;
use serde::{Deserialize, Serialize};

/// A strength on the seed's four-step scale: 高 / 中 / 低 / 无.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    High,
    Medium,
    Low,
    None,
}

impl Level {
    pub const ALL: [Level; 4] = [Self::High, Self::Medium, Self::Low, Self::None];

    pub const fn code(self) -> &'static str {
        match self {
            Self::High => "high",
            Self::Medium => "medium",
            Self::Low => "low",
            Self::None => "none",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The first row admitting this level in both tables: 高 from A, 中 from B, 低 from C,
    /// 无 only in D.
    const fn cap(self) -> Grade {
        match self {
            Self::High => Grade::A,
            Self::Medium => Grade::B,
            Self::Low => Grade::C,
            Self::None => Grade::D,
        }
    }
}

/// Which table applies. Dissatisfaction is asked only of a computerised account, so it lives
/// in that variant: an answer sheet cannot carry one without the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Variant {
    /// 未信息化: no system yet.
    NotComputerised,
    /// 已信息化: has a system; 对现行系统的不满意, how unhappy they are with it.
    Computerised { dissatisfaction: Level },
}

/// One account's answers, in the seed's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Answers {
    pub variant: Variant,
    /// 客观的信息化必要性: do its industry, size and processes call for the system?
    pub objective_need: bool,
    /// 主观的信息化必要性: does the customer itself see the need?
    pub subjective_need: bool,
    /// 信息化决心的强烈度 (computerised: 换系统决心的强烈度): how strong the resolve to act is.
    pub resolve: Level,
    /// 是否展开可行性评估: a feasibility study has started. Grades only the not-computerised.
    pub feasibility_started: bool,
    /// 是否展开选型工作: vendor selection has started.
    pub selection_started: bool,
}

/// An answer that capped the grade, named with its value so the screen can say "B, because
/// the resolve is medium and selection has not started".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    ObjectiveNeed,
    NoObjectiveNeed,
    SubjectiveNeed,
    NoSubjectiveNeed,
    ResolveHigh,
    ResolveMedium,
    ResolveLow,
    ResolveNone,
    DissatisfactionHigh,
    DissatisfactionMedium,
    DissatisfactionLow,
    DissatisfactionNone,
    FeasibilityStarted,
    FeasibilityNotStarted,
    SelectionStarted,
    SelectionNotStarted,
}

impl Reason {
    pub const ALL: [Reason; 16] = [
        Self::ObjectiveNeed,
        Self::NoObjectiveNeed,
        Self::SubjectiveNeed,
        Self::NoSubjectiveNeed,
        Self::ResolveHigh,
        Self::ResolveMedium,
        Self::ResolveLow,
        Self::ResolveNone,
        Self::DissatisfactionHigh,
        Self::DissatisfactionMedium,
        Self::DissatisfactionLow,
        Self::DissatisfactionNone,
        Self::FeasibilityStarted,
        Self::FeasibilityNotStarted,
        Self::SelectionStarted,
        Self::SelectionNotStarted,
    ];

    pub const fn code(self) -> &'static str {
        match self {
            Self::ObjectiveNeed => "objective_need",
            Self::NoObjectiveNeed => "no_objective_need",
            Self::SubjectiveNeed => "subjective_need",
            Self::NoSubjectiveNeed => "no_subjective_need",
            Self::ResolveHigh => "resolve_high",
            Self::ResolveMedium => "resolve_medium",
            Self::ResolveLow => "resolve_low",
            Self::ResolveNone => "resolve_none",
            Self::DissatisfactionHigh => "dissatisfaction_high",
            Self::DissatisfactionMedium => "dissatisfaction_medium",
            Self::DissatisfactionLow => "dissatisfaction_low",
            Self::DissatisfactionNone => "dissatisfaction_none",
            Self::FeasibilityStarted => "feasibility_started",
            Self::FeasibilityNotStarted => "feasibility_not_started",
            Self::SelectionStarted => "selection_started",
            Self::SelectionNotStarted => "selection_not_started",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    const fn resolve(l: Level) -> Self {
        match l {
            Level::High => Self::ResolveHigh,
            Level::Medium => Self::ResolveMedium,
            Level::Low => Self::ResolveLow,
            Level::None => Self::ResolveNone,
        }
    }

    const fn dissatisfaction(l: Level) -> Self {
        match l {
            Level::High => Self::DissatisfactionHigh,
            Level::Medium => Self::DissatisfactionMedium,
            Level::Low => Self::DissatisfactionLow,
            Level::None => Self::DissatisfactionNone,
        }
    }
}

/// The suggested grade and the answers that decided it (those whose cap is the grade), in the
/// table's column order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub grade: Grade,
    pub decided_by: Vec<Reason>,
}

/// Each answer with its cap, in the table's column order.
fn caps(a: &Answers) -> Vec<(Reason, Grade)> {
    // A need: Y in every row; N only in the not-computerised D row, and in no row otherwise.
    let need = |yes: bool, r_yes: Reason, r_no: Reason| if yes { (r_yes, Grade::A) } else { (r_no, Grade::D) };
    // Started: Y only in row A; N from row B on (feasibility: Y/N in B and C, N in D).
    let started = |yes: bool, r_yes: Reason, r_no: Reason| if yes { (r_yes, Grade::A) } else { (r_no, Grade::B) };
    let mut out = vec![
        need(a.objective_need, Reason::ObjectiveNeed, Reason::NoObjectiveNeed),
        need(a.subjective_need, Reason::SubjectiveNeed, Reason::NoSubjectiveNeed),
    ];
    match a.variant {
        Variant::NotComputerised => {
            out.push((Reason::resolve(a.resolve), a.resolve.cap()));
            out.push(started(a.feasibility_started, Reason::FeasibilityStarted, Reason::FeasibilityNotStarted));
        }
        Variant::Computerised { dissatisfaction } => {
            out.push((Reason::dissatisfaction(dissatisfaction), dissatisfaction.cap()));
            out.push((Reason::resolve(a.resolve), a.resolve.cap()));
        }
    }
    out.push(started(a.selection_started, Reason::SelectionStarted, Reason::SelectionNotStarted));
    out
}

/// The grade seed 000's table suggests for these answers, and why.
pub fn suggest(a: &Answers) -> Suggestion {
    let caps = caps(a);
    let grade = caps.iter().map(|(_, g)| *g).max().unwrap_or(Grade::D);
    let decided_by = caps.into_iter().filter(|(_, g)| *g == grade).map(|(r, _)| r).collect();
    Suggestion { grade, decided_by }
}

/// The bounds of an override's reason, in characters after trimming.
pub const OVERRIDE_REASON_MIN: usize = 2;
pub const OVERRIDE_REASON_MAX: usize = 500;

/// A user may grade differently from the suggestion, but must say why (so a manager reading
/// the book sees judgement, not mood): 2 to 500 characters. Keeping the suggestion needs no
/// reason; one given anyway is still bounded.
pub fn check_override(suggested: Grade, chosen: Grade, reason: Option<&str>) -> Result<(), AppError> {
    let len = reason.map_or(0, |r| r.trim().chars().count());
    if len > OVERRIDE_REASON_MAX {
        return Err(AppError::validation("override_reason", format!("at most {OVERRIDE_REASON_MAX} characters")));
    }
    if suggested != chosen && len < OVERRIDE_REASON_MIN {
        return Err(AppError::validation(
            "override_reason",
            format!(
                "grading {} instead of the suggested {} needs a reason of at least {OVERRIDE_REASON_MIN} characters",
                chosen.code(),
                suggested.code()
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use Grade::{A, B, C, D};
    use Reason as R;

    /// Seed 000's two tables as printed, cell for cell (Y/N, 高/中/低/無, "/" = either).
    /// Columns, 未信息化: 客觀必要性, 主觀必要性, 決心強烈度, 可行性評估, 選型工作.
    const NOT_COMPUTERISED: [(Grade, &str); 4] = [(A, "Y Y 高 Y Y"), (B, "Y Y 高/中 Y/N N"), (C, "Y Y 中/低 Y/N N"), (D, "Y N 低/無 N N")];
    /// 已信息化: 客觀必要性, 主觀必要性, 對現行系統的不滿意, 換系統決心強烈度, 選型工作.
    const COMPUTERISED: [(Grade, &str); 4] =
        [(A, "Y Y 高 高 Y"), (B, "Y Y 高/中 高/中 N"), (C, "Y Y 中/低 中/低 N"), (D, "Y Y 低/無 低/無 N")];

    fn yn(b: bool) -> &'static str {
        if b {
            "Y"
        } else {
            "N"
        }
    }

    fn zh(l: Level) -> &'static str {
        match l {
            Level::High => "高",
            Level::Medium => "中",
            Level::Low => "低",
            Level::None => "無",
        }
    }

    /// The answers as the seed writes them, in its table's columns.
    fn as_seed_row(a: &Answers) -> ([(Grade, &'static str); 4], [&'static str; 5]) {
        match a.variant {
            Variant::NotComputerised => (
                NOT_COMPUTERISED,
                [yn(a.objective_need), yn(a.subjective_need), zh(a.resolve), yn(a.feasibility_started), yn(a.selection_started)],
            ),
            Variant::Computerised { dissatisfaction } => {
                (COMPUTERISED, [yn(a.objective_need), yn(a.subjective_need), zh(dissatisfaction), zh(a.resolve), yn(a.selection_started)])
            }
        }
    }

    fn admits(cell: &str, answer: &str) -> bool {
        cell.split('/').any(|c| c == answer)
    }

    /// The grade read off the seed's table: the first row, A down to D, whose every cell
    /// admits the answers. `None` where no row does.
    fn by_row(a: &Answers) -> Option<Grade> {
        let (table, answers) = as_seed_row(a);
        table.iter().find(|(_, row)| row.split_whitespace().zip(answers).all(|(cell, x)| admits(cell, x))).map(|(g, _)| *g)
    }

    /// Where no row admits all answers: each answer's first admitting row (none: D), the
    /// latest of them.
    fn by_column(a: &Answers) -> Grade {
        let (table, answers) = as_seed_row(a);
        let first_row =
            |col: usize, x: &str| table.iter().find(|(_, row)| admits(row.split_whitespace().nth(col).unwrap(), x)).map_or(D, |(g, _)| *g);
        answers.iter().enumerate().map(|(col, x)| first_row(col, x)).max().unwrap()
    }

    fn every_answer_sheet() -> Vec<Answers> {
        let bools = [true, false];
        let mut variants = vec![Variant::NotComputerised];
        variants.extend(Level::ALL.map(|dissatisfaction| Variant::Computerised { dissatisfaction }));
        let mut out = Vec::new();
        for variant in variants {
            for objective_need in bools {
                for subjective_need in bools {
                    for resolve in Level::ALL {
                        for feasibility_started in bools {
                            for selection_started in bools {
                                out.push(Answers {
                                    variant,
                                    objective_need,
                                    subjective_need,
                                    resolve,
                                    feasibility_started,
                                    selection_started,
                                });
                            }
                        }
                    }
                }
            }
        }
        out
    }

    /// Which reasons an answer sheet can give at all.
    fn given(a: &Answers) -> Vec<Reason> {
        caps(a).into_iter().map(|(r, _)| r).collect()
    }

    #[test]
    fn every_combination_matches_the_seed_table() {
        let sheets = every_answer_sheet();
        assert_eq!(sheets.len(), 64 + 4 * 64);
        let (mut on_a_row, mut first_rows) = (0, Vec::new());
        for a in &sheets {
            let got = suggest(a);
            let want = match by_row(a) {
                Some(g) => {
                    on_a_row += 1;
                    first_rows.push((matches!(a.variant, Variant::Computerised { .. }), g));
                    g
                }
                None => by_column(a),
            };
            assert_eq!(got.grade, want, "{a:?}");
            assert!(!got.decided_by.is_empty(), "{a:?}");
            assert!(got.decided_by.iter().all(|r| given(a).contains(r)), "{a:?} {got:?}");
            // The computerised table has no feasibility column.
            if let Variant::Computerised { .. } = a.variant {
                let flipped = Answers { feasibility_started: !a.feasibility_started, ..*a };
                assert_eq!(suggest(&flipped), got, "{a:?}");
            }
        }
        // Rows hit: not computerised 1 (A) + 4 (B) + 2 (C at 低) + 2 (D); computerised
        // 1 (A) + 4 (B) + 3 (C) + 3 (D), each twice for the ignored feasibility answer.
        assert_eq!(on_a_row, 9 + 2 * 11);
        for computerised in [false, true] {
            for g in Grade::ALL {
                assert!(first_rows.contains(&(computerised, g)), "row {g:?} of computerised={computerised} never chosen");
            }
        }
    }

    #[test]
    fn hand_picked_rows_say_why() {
        let nc = |o, s, r, f, sel| Answers {
            variant: Variant::NotComputerised,
            objective_need: o,
            subjective_need: s,
            resolve: r,
            feasibility_started: f,
            selection_started: sel,
        };
        let co = |d, r, sel| Answers {
            variant: Variant::Computerised { dissatisfaction: d },
            objective_need: true,
            subjective_need: true,
            resolve: r,
            feasibility_started: false,
            selection_started: sel,
        };
        use Level::{High, Low, Medium};
        let cases: &[(Answers, Grade, &[Reason])] = &[
            // Row A, not computerised: every answer at A.
            (
                nc(true, true, High, true, true),
                A,
                &[R::ObjectiveNeed, R::SubjectiveNeed, R::ResolveHigh, R::FeasibilityStarted, R::SelectionStarted],
            ),
            // Row B (and C at 中): medium resolve, study under way, no selection yet.
            (nc(true, true, Medium, true, false), B, &[R::ResolveMedium, R::SelectionNotStarted]),
            // Row B with high resolve: only selection holds it back.
            (nc(true, true, High, false, false), B, &[R::FeasibilityNotStarted, R::SelectionNotStarted]),
            // Row C: low resolve.
            (nc(true, true, Low, true, false), C, &[R::ResolveLow]),
            // Row D: the customer sees no need.
            (nc(true, false, Level::None, false, false), D, &[R::NoSubjectiveNeed, R::ResolveNone]),
            // No row: no objective need at all is D (seed: 未信息必要性的潜在客户).
            (nc(false, true, High, true, true), D, &[R::NoObjectiveNeed]),
            // No row: selection started but resolve only medium; the resolve caps at B.
            (nc(true, true, Medium, true, true), B, &[R::ResolveMedium]),
            // Row A, computerised: the feasibility answer is not among the reasons.
            (co(High, High, true), A, &[R::ObjectiveNeed, R::SubjectiveNeed, R::DissatisfactionHigh, R::ResolveHigh, R::SelectionStarted]),
            // Unhappy with the system but little resolve to change it: C.
            (co(High, Low, false), C, &[R::ResolveLow]),
            (co(Low, High, false), C, &[R::DissatisfactionLow]),
            // Satisfied, no resolve: D (seed: 目前软件使用状况满意).
            (co(Level::None, Level::None, false), D, &[R::DissatisfactionNone, R::ResolveNone]),
        ];
        for (a, grade, why) in cases {
            let s = suggest(a);
            assert_eq!((s.grade, s.decided_by.as_slice()), (*grade, *why), "{a:?}");
        }
    }

    #[test]
    fn an_override_needs_a_reason() {
        let field = |r: Result<(), AppError>| match r {
            Err(AppError::Validation { field, .. }) => Some(field),
            _ => None,
        };
        let long = "好".repeat(OVERRIDE_REASON_MAX);
        let too_long = "好".repeat(OVERRIDE_REASON_MAX + 1);
        let cases: &[(Grade, Grade, Option<&str>, bool)] = &[
            (B, B, None, true),
            (B, B, Some(""), true),
            (B, B, Some(too_long.as_str()), false),
            (B, A, None, false),
            (B, A, Some("   "), false),
            (B, A, Some(" 急 "), false),
            (B, A, Some("老板"), true),
            (D, C, Some(long.as_str()), true),
            (D, C, Some(too_long.as_str()), false),
        ];
        for (suggested, chosen, reason, ok) in cases {
            let r = check_override(*suggested, *chosen, *reason);
            assert_eq!(r.is_ok(), *ok, "{suggested:?} → {chosen:?} {reason:?}");
            if !ok {
                assert_eq!(field(r).as_deref(), Some("override_reason"));
            }
        }
    }

    #[test]
    fn codes_round_trip() {
        for l in Level::ALL {
            assert_eq!(Level::parse(l.code()), Some(l));
        }
        for r in Reason::ALL {
            assert_eq!(Reason::parse(r.code()), Some(r));
            assert_eq!(serde_json::to_string(&r).unwrap(), format!("\"{}\"", r.code()));
        }
        let a = Answers {
            variant: Variant::Computerised { dissatisfaction: Level::Medium },
            objective_need: true,
            subjective_need: true,
            resolve: Level::None,
            feasibility_started: false,
            selection_started: false,
        };
        let json = serde_json::to_string(&a).unwrap();
        assert!(json.contains(r#""variant":{"kind":"computerised","dissatisfaction":"medium"}"#), "{json}");
        assert_eq!(serde_json::from_str::<Answers>(&json).unwrap(), a);
    }
}
