//! The kinds of row in a deal's append-only history (`deal_history.kind`), converted to and
//! from text here only.
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum HistoryKind {
    Created,
    Moved,
    /// A move the gate refused for missing facts (note: the missing codes).
    Blocked,
    /// A move the gate refused outright (note: the reason code).
    Forbidden,
    ApprovalRequested,
    ApprovalApproved,
    ApprovalRejected,
    AmountChanged,
    CloseDateChanged,
    /// The owner's forecast category (note: `old → new`).
    CategoryChanged,
    /// The manager's adjustment (note: `old → new`).
    CategoryAdjusted,
    KeyInfoChanged,
    /// The deal changed hands (note: `old owner → new owner`, names as they were).
    OwnerChanged,
    /// The deal followed its owner to another team (note: `old team → new team`, names as
    /// they were).
    TeamChanged,
    /// Quote events (note: the quote number, and the totals where they matter).
    QuoteCreated,
    QuoteSubmitted,
    QuoteApproved,
    QuoteRejected,
    QuoteSent,
    QuoteAccepted,
    QuoteDeclined,
    QuoteRevised,
    /// Objection events (note: the category code and what the customer said, shortened).
    ObjectionRaised,
    ObjectionAnswered,
    ObjectionResolved,
    ObjectionDropped,
    ObjectionReopened,
    /// Contract events (note: the number, the amount and, for decisions, the step and opinion).
    ContractCreated,
    ContractSubmitted,
    ContractStepApproved,
    ContractApproved,
    ContractRejected,
    ContractWithdrawn,
    ContractSigned,
    /// An amendment of a signed contract started (note: the new number ← the old).
    ContractAmended,
    PaymentReceived,
    /// Negotiation events (note: the clause and warnings of a concession, the result, a reason).
    NegotiationPlanned,
    NegotiationSession,
    ConcessionMade,
    ConcessionApproved,
    ConcessionRejected,
    NegotiationSubmitted,
    NegotiationStepApproved,
    NegotiationConfirmed,
    NegotiationReturned,
    /// The deal's account was merged into another (note: `duplicate → survivor`, names as they were).
    AccountMerged,
}

impl HistoryKind {
    pub const ALL: [HistoryKind; 46] = [
        HistoryKind::Created,
        HistoryKind::Moved,
        HistoryKind::Blocked,
        HistoryKind::Forbidden,
        HistoryKind::ApprovalRequested,
        HistoryKind::ApprovalApproved,
        HistoryKind::ApprovalRejected,
        HistoryKind::AmountChanged,
        HistoryKind::CloseDateChanged,
        HistoryKind::CategoryChanged,
        HistoryKind::CategoryAdjusted,
        HistoryKind::KeyInfoChanged,
        HistoryKind::OwnerChanged,
        HistoryKind::TeamChanged,
        HistoryKind::QuoteCreated,
        HistoryKind::QuoteSubmitted,
        HistoryKind::QuoteApproved,
        HistoryKind::QuoteRejected,
        HistoryKind::QuoteSent,
        HistoryKind::QuoteAccepted,
        HistoryKind::QuoteDeclined,
        HistoryKind::QuoteRevised,
        HistoryKind::ObjectionRaised,
        HistoryKind::ObjectionAnswered,
        HistoryKind::ObjectionResolved,
        HistoryKind::ObjectionDropped,
        HistoryKind::ObjectionReopened,
        HistoryKind::ContractCreated,
        HistoryKind::ContractSubmitted,
        HistoryKind::ContractStepApproved,
        HistoryKind::ContractApproved,
        HistoryKind::ContractRejected,
        HistoryKind::ContractWithdrawn,
        HistoryKind::ContractSigned,
        HistoryKind::ContractAmended,
        HistoryKind::PaymentReceived,
        HistoryKind::NegotiationPlanned,
        HistoryKind::NegotiationSession,
        HistoryKind::ConcessionMade,
        HistoryKind::ConcessionApproved,
        HistoryKind::ConcessionRejected,
        HistoryKind::NegotiationSubmitted,
        HistoryKind::NegotiationStepApproved,
        HistoryKind::NegotiationConfirmed,
        HistoryKind::NegotiationReturned,
        HistoryKind::AccountMerged,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            HistoryKind::Created => "created",
            HistoryKind::Moved => "moved",
            HistoryKind::Blocked => "blocked",
            HistoryKind::Forbidden => "forbidden",
            HistoryKind::ApprovalRequested => "approval_requested",
            HistoryKind::ApprovalApproved => "approval_approved",
            HistoryKind::ApprovalRejected => "approval_rejected",
            HistoryKind::AmountChanged => "amount_changed",
            HistoryKind::CloseDateChanged => "close_date_changed",
            HistoryKind::CategoryChanged => "category_changed",
            HistoryKind::CategoryAdjusted => "category_adjusted",
            HistoryKind::KeyInfoChanged => "key_info_changed",
            HistoryKind::OwnerChanged => "owner_changed",
            HistoryKind::TeamChanged => "team_changed",
            HistoryKind::QuoteCreated => "quote_created",
            HistoryKind::QuoteSubmitted => "quote_submitted",
            HistoryKind::QuoteApproved => "quote_approved",
            HistoryKind::QuoteRejected => "quote_rejected",
            HistoryKind::QuoteSent => "quote_sent",
            HistoryKind::QuoteAccepted => "quote_accepted",
            HistoryKind::QuoteDeclined => "quote_declined",
            HistoryKind::QuoteRevised => "quote_revised",
            HistoryKind::ObjectionRaised => "objection_raised",
            HistoryKind::ObjectionAnswered => "objection_answered",
            HistoryKind::ObjectionResolved => "objection_resolved",
            HistoryKind::ObjectionDropped => "objection_dropped",
            HistoryKind::ObjectionReopened => "objection_reopened",
            HistoryKind::ContractCreated => "contract_created",
            HistoryKind::ContractSubmitted => "contract_submitted",
            HistoryKind::ContractStepApproved => "contract_step_approved",
            HistoryKind::ContractApproved => "contract_approved",
            HistoryKind::ContractRejected => "contract_rejected",
            HistoryKind::ContractWithdrawn => "contract_withdrawn",
            HistoryKind::ContractSigned => "contract_signed",
            HistoryKind::ContractAmended => "contract_amended",
            HistoryKind::PaymentReceived => "payment_received",
            HistoryKind::NegotiationPlanned => "negotiation_planned",
            HistoryKind::NegotiationSession => "negotiation_session",
            HistoryKind::ConcessionMade => "concession_made",
            HistoryKind::ConcessionApproved => "concession_approved",
            HistoryKind::ConcessionRejected => "concession_rejected",
            HistoryKind::NegotiationSubmitted => "negotiation_submitted",
            HistoryKind::NegotiationStepApproved => "negotiation_step_approved",
            HistoryKind::NegotiationConfirmed => "negotiation_confirmed",
            HistoryKind::NegotiationReturned => "negotiation_returned",
            HistoryKind::AccountMerged => "account_merged",
        }
    }

    pub fn parse(s: &str) -> Option<HistoryKind> {
        HistoryKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_are_distinct() {
        let mut seen = std::collections::HashSet::new();
        for k in HistoryKind::ALL {
            assert_eq!(HistoryKind::parse(k.as_str()), Some(k));
            assert!(seen.insert(k.as_str()), "{k:?} repeats a name");
        }
        assert_eq!(HistoryKind::parse("renamed"), None);
    }
}
