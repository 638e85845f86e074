//! Quotes (报价单): a priced offer of products and free-text lines to a customer's deal, approved
//! inside the company before it is sent, and kept in numbered versions (`Q-2026-00042-2`).
//!
//! Lifecycle: draft → submitted → approved | rejected (edit reopens as draft) → sent → accepted |
//! declined; revise supersedes any sent-out or decided version; expired is derived from the
//! validity date.
//!
//! Where the rules are: [`maths`] prices lines and totals (integer fen, basis points, header
//! discount spread by largest remainder); [`input`] parses and formats quantities and percentages;
//! [`capital`] writes the amount in Chinese capitals for the zh print; [`status`] holds the
//! lifecycle; [`approval`] decides who approves; [`number`] formats and parses quote numbers.
pub mod approval;
pub mod capital;
pub mod diff;
pub mod dto;
pub mod input;
pub mod maths;
pub mod number;
pub mod status;

pub use approval::{may_approve, required_approver, validate_policy, ApprovalPolicy, Approver, Reason};
pub use capital::capital_cny;
pub use input::{format_percent, format_qty, parse_percent_bp, parse_qty};
pub use maths::{price, HeaderDiscount, LineFigures, LineInput, Priced, Totals, MAX_LINES, MAX_QTY_CENTI};
pub use number::{format_number, parse_number, revision_number};
pub use status::{effective, locked, next, QuoteAction, QuoteStatus};
