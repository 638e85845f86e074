//! Money maths of a quote, in integers only: money in fen (`i64`), quantities in hundredths of a
//! unit (`qty_centi`: 2.5 units = 250), discounts and tax rates in basis points (1200 = 12 %).
//! Every product is formed in `i128`, so no input within the validated bounds can overflow.
//!
//! # Rules (the printed quote depends on them)
//!
//! Per line, in this order, each rounded half away from zero to the fen:
//! - amount = qty × unit price; line net = qty × unit price × (1 − line discount);
//! - the header discount (a percent of Σ line nets, or a fixed amount ≤ Σ line nets) is spread
//!   over the lines **proportionally to their line net by the largest-remainder method**: line i
//!   gets ⌊H × netᵢ ÷ Σnet⌋, then the fen still missing go one each to the lines with the largest
//!   remainders (ties to the earlier line). The shares sum to H exactly and no share exceeds its
//!   line net;
//! - net = line net − header share; tax = net × tax rate (prices are tax-exclusive, tax is rounded
//!   per line); gross = net + tax; list = qty × list price; cost = qty × standard unit cost.
//!
//! Totals are the exact sums of the line figures, so the printed lines always add up to the printed
//! total. Margin = net − cost; margin % = margin ÷ net (0 when net is 0, negative below cost);
//! effective discount = (list − net) ÷ list (0 when list is 0, negative above list price).
use crate::domain::error::AppError;
use crate::domain::validate::{amount_fen, MAX_FEN};
use serde::{Deserialize, Serialize};

/// Lines one quote may hold; beyond this a quote is better split (and the print stays readable).
pub const MAX_LINES: usize = 500;
/// The largest quantity, in hundredths: 100,000,000 units.
pub const MAX_QTY_CENTI: i64 = 10_000_000_000;

const BP: i128 = 10_000;
const PERCENT_MSG: &str = "must be between 0 and 100 %";

/// One line as entered. For a free-text line `list_price_fen` is its unit price and `cost_fen` 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineInput {
    pub qty_centi: i64,
    pub unit_price_fen: i64,
    /// The price list's unit price, against which the effective discount is measured.
    pub list_price_fen: i64,
    pub discount_bp: i32,
    pub tax_bp: i32,
    /// Standard unit cost.
    pub cost_fen: i64,
}

/// A discount on the whole quote, applied after the line discounts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum HeaderDiscount {
    #[default]
    None,
    /// Basis points of Σ line nets.
    Percent(i32),
    /// Fen, at most Σ line nets.
    Amount(i64),
}

/// The figures printed for one line (all fen).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineFigures {
    /// qty × unit price, before any discount.
    pub amount_fen: i64,
    /// After the line's own discount, before the header discount.
    pub line_net_fen: i64,
    /// This line's share of the header discount.
    pub header_share_fen: i64,
    pub net_fen: i64,
    pub tax_fen: i64,
    pub gross_fen: i64,
    pub list_fen: i64,
    pub cost_fen: i64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub list_fen: i64,
    /// Σ line nets, before the header discount.
    pub lines_net_fen: i64,
    pub header_discount_fen: i64,
    pub net_fen: i64,
    pub tax_fen: i64,
    pub gross_fen: i64,
    pub cost_fen: i64,
    /// net − cost; negative when sold below cost.
    pub margin_fen: i64,
    /// margin ÷ net in basis points; 0 when net is 0.
    pub margin_bp: i64,
    /// (list − net) ÷ list in basis points; 0 when list is 0, negative above list price.
    pub discount_bp: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Priced {
    pub lines: Vec<LineFigures>,
    pub totals: Totals,
}

/// n ÷ d rounded half away from zero (d > 0); exact for odd d too.
fn div_round(n: i128, d: i128) -> i128 {
    let q = (2 * n.abs() + d) / (2 * d);
    if n < 0 {
        -q
    } else {
        q
    }
}

/// Validates and prices a quote. Field names of errors use 0-based line indexes, as the form
/// sends them: `lines[0].quantity` is the first line's quantity. Checked in order: line count,
/// each line (quantity, unit_price, list_price, discount, tax_rate, cost), then the header
/// discount and the totals against `MAX_FEN` (field `total`; a too-large Σ line nets is reported
/// before the header, as the header is measured against it). No lines is valid and prices to zero:
/// whether an empty quote may be submitted is the caller's rule.
pub fn price(lines: &[LineInput], header: HeaderDiscount) -> Result<Priced, AppError> {
    if lines.len() > MAX_LINES {
        return Err(AppError::validation("lines", format!("at most {MAX_LINES} lines")));
    }
    for (i, l) in lines.iter().enumerate() {
        validate_line(i, l)?;
    }
    let qty_times = |qty: i64, fen: i64| i128::from(qty) * i128::from(fen);
    let amounts: Vec<i128> = lines.iter().map(|l| div_round(qty_times(l.qty_centi, l.unit_price_fen), 100)).collect();
    let line_nets: Vec<i128> =
        lines.iter().map(|l| div_round(qty_times(l.qty_centi, l.unit_price_fen) * (BP - i128::from(l.discount_bp)), 100 * BP)).collect();
    let lines_net: i128 = line_nets.iter().sum();
    // Bounded before the header split, whose products (header × line net) must stay in i128.
    if lines_net > i128::from(MAX_FEN) {
        return Err(too_large());
    }
    let header_total = header_amount(header, lines_net)?;
    let shares = allocate(header_total, &line_nets);

    let mut wide = Vec::with_capacity(lines.len());
    for (i, l) in lines.iter().enumerate() {
        let net = line_nets[i] - shares[i];
        let tax = div_round(net * i128::from(l.tax_bp), BP);
        wide.push([
            amounts[i],
            line_nets[i],
            shares[i],
            net,
            tax,
            net + tax,
            div_round(qty_times(l.qty_centi, l.list_price_fen), 100),
            div_round(qty_times(l.qty_centi, l.cost_fen), 100),
        ]);
    }
    let mut sums = [0i128; 8];
    for w in &wide {
        for (s, v) in sums.iter_mut().zip(w) {
            *s += v;
        }
    }
    // All figures are non-negative, so bounding the sums bounds every line figure too.
    if sums.iter().any(|s| *s > i128::from(MAX_FEN)) {
        return Err(too_large());
    }
    let mut out = Vec::with_capacity(wide.len());
    for w in &wide {
        out.push(LineFigures {
            amount_fen: fen(w[0])?,
            line_net_fen: fen(w[1])?,
            header_share_fen: fen(w[2])?,
            net_fen: fen(w[3])?,
            tax_fen: fen(w[4])?,
            gross_fen: fen(w[5])?,
            list_fen: fen(w[6])?,
            cost_fen: fen(w[7])?,
        });
    }
    let (list, net, cost) = (sums[6], sums[3], sums[7]);
    let margin = net - cost;
    let totals = Totals {
        list_fen: fen(list)?,
        lines_net_fen: fen(sums[1])?,
        header_discount_fen: fen(sums[2])?,
        net_fen: fen(net)?,
        tax_fen: fen(sums[4])?,
        gross_fen: fen(sums[5])?,
        cost_fen: fen(cost)?,
        margin_fen: fen(margin)?,
        margin_bp: if net == 0 { 0 } else { saturate(div_round(margin * BP, net)) },
        discount_bp: if list == 0 { 0 } else { saturate(div_round((list - net) * BP, list)) },
    };
    Ok(Priced { lines: out, totals })
}

fn too_large() -> AppError {
    AppError::validation("total", "at most 10,000,000,000,000.00")
}

/// A bounded figure as `i64`; the bounds were checked, this only avoids a cast that could wrap.
fn fen(v: i128) -> Result<i64, AppError> {
    i64::try_from(v).map_err(|_| too_large())
}

/// Ratios of absurd inputs (¥0.01 net against ¥10 trillion cost) may leave `i64`; pin them.
fn saturate(v: i128) -> i64 {
    i64::try_from(v).unwrap_or(if v > 0 { i64::MAX } else { i64::MIN })
}

fn validate_line(i: usize, l: &LineInput) -> Result<(), AppError> {
    let field = |name: &str| format!("lines[{i}].{name}");
    if l.qty_centi <= 0 {
        return Err(AppError::validation(field("quantity"), "must be greater than 0"));
    }
    if l.qty_centi > MAX_QTY_CENTI {
        return Err(AppError::validation(field("quantity"), "at most 100,000,000"));
    }
    amount_fen(&field("unit_price"), l.unit_price_fen)?;
    amount_fen(&field("list_price"), l.list_price_fen)?;
    if !(0..=10_000).contains(&l.discount_bp) {
        return Err(AppError::validation(field("discount"), PERCENT_MSG));
    }
    if !(0..=10_000).contains(&l.tax_bp) {
        return Err(AppError::validation(field("tax_rate"), PERCENT_MSG));
    }
    amount_fen(&field("cost"), l.cost_fen)?;
    Ok(())
}

/// The header discount in fen, validated against Σ line nets.
fn header_amount(header: HeaderDiscount, lines_net: i128) -> Result<i128, AppError> {
    match header {
        HeaderDiscount::None => Ok(0),
        HeaderDiscount::Percent(bp) if (0..=10_000).contains(&bp) => Ok(div_round(lines_net * i128::from(bp), BP)),
        HeaderDiscount::Percent(_) => Err(AppError::validation("header_discount", PERCENT_MSG)),
        HeaderDiscount::Amount(a) if a < 0 => Err(AppError::validation("header_discount", "must not be negative")),
        HeaderDiscount::Amount(a) if i128::from(a) > lines_net => {
            Err(AppError::validation("header_discount", "must not exceed the lines' net total"))
        }
        HeaderDiscount::Amount(a) => Ok(i128::from(a)),
    }
}

/// Largest-remainder split of `total` (0 ≤ total ≤ Σ weights, weights ≥ 0) in proportion to
/// `weights`; see the module doc.
fn allocate(total: i128, weights: &[i128]) -> Vec<i128> {
    let sum: i128 = weights.iter().sum();
    if sum == 0 {
        return vec![0; weights.len()];
    }
    let mut shares: Vec<i128> = weights.iter().map(|w| total * w / sum).collect();
    let leftover = total - shares.iter().sum::<i128>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    // Stable sort: equal remainders keep line order, so the earlier line wins the tie.
    order.sort_by_key(|&i| std::cmp::Reverse(total * weights[i] % sum));
    for &i in order.iter().take(usize::try_from(leftover).unwrap_or(0)) {
        shares[i] += 1;
    }
    shares
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn line(qty_centi: i64, unit: i64, discount_bp: i32, tax_bp: i32) -> LineInput {
        LineInput { qty_centi, unit_price_fen: unit, list_price_fen: unit, discount_bp, tax_bp, cost_fen: 0 }
    }

    fn field_of<T: std::fmt::Debug>(r: Result<T, AppError>) -> String {
        match r {
            Err(AppError::Validation { field, .. }) => field,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn rounding_half_away_from_zero() {
        for (n, d, want) in
            [(5, 10, 1), (4, 10, 0), (15, 10, 2), (-5, 10, -1), (-4, 10, 0), (-15, 10, -2), (1, 3, 0), (2, 3, 1), (3, 2, 2), (0, 7, 0)]
        {
            assert_eq!(div_round(n, d), want, "{n}/{d}");
        }
    }

    #[test]
    fn single_lines() {
        // (qty, unit, line discount, tax) → (amount, line net, tax, gross)
        for (qty, unit, disc, tax, want) in [
            (100, 10_000, 0, 0, (10_000, 10_000, 0, 10_000)),
            (250, 3_333, 0, 0, (8_333, 8_333, 0, 8_333)),               // 8332.5 rounds up
            (100, 10_000, 1_250, 1_300, (10_000, 8_750, 1_138, 9_888)), // tax 1137.5 rounds up
            (75, 1, 0, 0, (1, 1, 0, 1)),                                // 0.75 fen
            (49, 1, 0, 0, (0, 0, 0, 0)),                                // 0.49 fen
            (50, 1, 0, 0, (1, 1, 0, 1)),                                // 0.5 fen
            (100, 10_000, 10_000, 1_300, (10_000, 0, 0, 0)),            // 100 % off
            (100, 0, 0, 1_300, (0, 0, 0, 0)),                           // free item
            (1, 333, 5_000, 600, (3, 2, 0, 2)),                         // 3.33 → 3; 1.665 → 2; tax 0.12 → 0
            (300, 999, 1, 10_000, (2_997, 2_997, 2_997, 5_994)),        // 2997 × 0.9999 = 2996.7 → 2997
            (MAX_QTY_CENTI, 10_000_000, 0, 0, (MAX_FEN, MAX_FEN, 0, MAX_FEN)),
        ] {
            let p = price(&[line(qty, unit, disc, tax)], HeaderDiscount::None).unwrap();
            let l = p.lines[0];
            assert_eq!((l.amount_fen, l.line_net_fen, l.tax_fen, l.gross_fen), want, "{qty} × {unit} −{disc} +{tax}");
            assert_eq!(l.header_share_fen, 0);
        }
    }

    #[test]
    fn header_discount_spread_by_largest_remainder() {
        // (line nets, header) → shares
        for (nets, header, want) in [
            (vec![100, 100, 100], HeaderDiscount::Amount(100), vec![34, 33, 33]), // tie → earliest
            (vec![1, 2, 3], HeaderDiscount::Amount(5), vec![1, 2, 2]),            // remainders 5, 4, 3
            (vec![333, 333, 333], HeaderDiscount::Percent(1_000), vec![34, 33, 33]), // 99.9 → 100
            (vec![500, 0, 500], HeaderDiscount::Amount(1), vec![1, 0, 0]),
            (vec![0, 0], HeaderDiscount::Percent(5_000), vec![0, 0]),
            (vec![0, 0], HeaderDiscount::Amount(0), vec![0, 0]),
            (vec![700, 300], HeaderDiscount::Amount(1_000), vec![700, 300]), // everything off
            (vec![700, 300], HeaderDiscount::Percent(10_000), vec![700, 300]),
            (vec![700, 300], HeaderDiscount::Percent(0), vec![0, 0]),
            (vec![700, 300], HeaderDiscount::None, vec![0, 0]),
            (vec![1, 1, 1, 1], HeaderDiscount::Amount(3), vec![1, 1, 1, 0]),
            (vec![10, 20, 30, 40], HeaderDiscount::Percent(1_250), vec![1, 3, 4, 5]), // 12.5 → 13
            (vec![999_999, 1], HeaderDiscount::Amount(1), vec![1, 0]),
        ] {
            let lines: Vec<LineInput> = nets.iter().map(|&n| line(100, n, 0, 0)).collect();
            let p = price(&lines, header).unwrap();
            let got: Vec<i64> = p.lines.iter().map(|l| l.header_share_fen).collect();
            assert_eq!(got, want, "{nets:?} {header:?}");
            assert_eq!(p.totals.header_discount_fen, want.iter().sum::<i64>());
        }
    }

    #[test]
    fn totals_margin_and_discount() {
        let lines = [
            LineInput { qty_centi: 200, unit_price_fen: 9_000, list_price_fen: 10_000, discount_bp: 0, tax_bp: 1_300, cost_fen: 6_000 },
            LineInput { qty_centi: 150, unit_price_fen: 4_000, list_price_fen: 4_000, discount_bp: 1_000, tax_bp: 600, cost_fen: 0 },
        ];
        let t = price(&lines, HeaderDiscount::Amount(2_340)).unwrap().totals;
        // line nets 18000 and 5400; shares 1800 and 540.
        let want = Totals {
            list_fen: 26_000,
            lines_net_fen: 23_400,
            header_discount_fen: 2_340,
            net_fen: 21_060,
            tax_fen: 2_106 + 292, // 16200 × 13 % and 4860 × 6 % = 291.6
            gross_fen: 21_060 + 2_398,
            cost_fen: 12_000,
            margin_fen: 9_060,
            margin_bp: 4_302,   // 0.430199…
            discount_bp: 1_900, // (26000 − 21060) / 26000 = 0.19
        };
        assert_eq!(t, want);

        // Below cost and above list; empty quote.
        let under =
            price(&[LineInput { cost_fen: 15_000, list_price_fen: 5_000, ..line(100, 10_000, 0, 0) }], HeaderDiscount::None).unwrap();
        assert_eq!((under.totals.margin_fen, under.totals.margin_bp, under.totals.discount_bp), (-5_000, -5_000, -10_000));
        assert_eq!(price(&[], HeaderDiscount::None).unwrap(), Priced::default());
        let free = price(&[line(100, 10_000, 10_000, 0)], HeaderDiscount::None).unwrap().totals;
        assert_eq!((free.net_fen, free.margin_bp, free.discount_bp), (0, 0, 10_000));
    }

    #[test]
    fn validation_names_the_field() {
        let ok = line(100, 100, 0, 0);
        for (lines, header, want) in [
            (vec![line(0, 100, 0, 0)], HeaderDiscount::None, "lines[0].quantity"),
            (vec![ok, line(-5, 100, 0, 0)], HeaderDiscount::None, "lines[1].quantity"),
            (vec![line(MAX_QTY_CENTI + 1, 100, 0, 0)], HeaderDiscount::None, "lines[0].quantity"),
            (vec![ok, ok, line(100, -1, 0, 0)], HeaderDiscount::None, "lines[2].unit_price"),
            (vec![line(100, MAX_FEN + 1, 0, 0)], HeaderDiscount::None, "lines[0].unit_price"),
            (vec![LineInput { list_price_fen: -1, ..ok }], HeaderDiscount::None, "lines[0].list_price"),
            (vec![line(100, 100, -1, 0)], HeaderDiscount::None, "lines[0].discount"),
            (vec![line(100, 100, 10_001, 0)], HeaderDiscount::None, "lines[0].discount"),
            (vec![line(100, 100, 0, -1)], HeaderDiscount::None, "lines[0].tax_rate"),
            (vec![line(100, 100, 0, 10_001)], HeaderDiscount::None, "lines[0].tax_rate"),
            (vec![LineInput { cost_fen: MAX_FEN + 1, ..ok }], HeaderDiscount::None, "lines[0].cost"),
            (vec![ok], HeaderDiscount::Percent(-1), "header_discount"),
            (vec![ok], HeaderDiscount::Percent(10_001), "header_discount"),
            (vec![ok], HeaderDiscount::Amount(-1), "header_discount"),
            (vec![ok], HeaderDiscount::Amount(101), "header_discount"),
            (vec![], HeaderDiscount::Amount(1), "header_discount"),
            (vec![ok; MAX_LINES + 1], HeaderDiscount::None, "lines"),
            (vec![line(MAX_QTY_CENTI, 10_000_001, 0, 0)], HeaderDiscount::None, "total"),
            (vec![line(100, MAX_FEN, 0, 0), line(1, 100, 0, 0)], HeaderDiscount::None, "total"),
            (vec![line(100, MAX_FEN, 0, 1)], HeaderDiscount::None, "total"), // gross over
            (vec![LineInput { list_price_fen: MAX_FEN, ..line(200, 1, 0, 0) }], HeaderDiscount::None, "total"),
            (vec![line(MAX_QTY_CENTI, MAX_FEN, 0, 10_000); MAX_LINES], HeaderDiscount::Percent(10_000), "total"),
        ] {
            assert_eq!(field_of(price(&lines, header)), want, "{lines:?} {header:?}");
        }
        assert!(price(&vec![ok; MAX_LINES], HeaderDiscount::Amount(MAX_LINES as i64 * 100)).is_ok());
        assert!(price(&[line(100, MAX_FEN, 0, 0)], HeaderDiscount::None).is_ok());
    }

    #[test]
    fn extreme_inputs_never_panic() {
        // Any mix of edge values, valid or not, gives figures or a validation error.
        let fens = [i64::MIN, -1, 0, 1, 99, MAX_FEN - 1, MAX_FEN, MAX_FEN + 1, i64::MAX];
        let qtys = [i64::MIN, -1, 0, 1, 50, MAX_QTY_CENTI, MAX_QTY_CENTI + 1, i64::MAX];
        let bps = [i32::MIN, -1, 0, 1, 5_000, 9_999, 10_000, 10_001, i32::MAX];
        let mut r = Lcg(7);
        for _ in 0..5_000 {
            let mut pick_line = || LineInput {
                qty_centi: qtys[r.below(qtys.len() as u64) as usize],
                unit_price_fen: fens[r.below(fens.len() as u64) as usize],
                list_price_fen: fens[r.below(fens.len() as u64) as usize],
                discount_bp: bps[r.below(bps.len() as u64) as usize],
                tax_bp: bps[r.below(bps.len() as u64) as usize],
                cost_fen: fens[r.below(fens.len() as u64) as usize],
            };
            let lines: Vec<LineInput> = (0..3).map(|_| pick_line()).collect();
            let header = match r.below(3) {
                0 => HeaderDiscount::None,
                1 => HeaderDiscount::Percent(bps[r.below(bps.len() as u64) as usize]),
                _ => HeaderDiscount::Amount(fens[r.below(fens.len() as u64) as usize]),
            };
            if let Ok(p) = price(&lines, header) {
                assert!(p.totals.gross_fen <= MAX_FEN && p.totals.list_fen <= MAX_FEN && p.totals.cost_fen <= MAX_FEN);
            }
        }
        // Saturated ratios: one fen of net against the largest cost.
        let t = price(&[LineInput { cost_fen: MAX_FEN, ..line(100, 1, 0, 0) }], HeaderDiscount::None).unwrap().totals;
        assert_eq!((t.net_fen, t.margin_bp), (1, i64::MIN));
    }

    /// Deterministic LCG (Knuth's MMIX constants): reproducible, no dependency.
    struct Lcg(u64);
    impl Lcg {
        fn below(&mut self, n: u64) -> i64 {
            self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            ((self.0 >> 33) % n) as i64
        }
    }

    #[test]
    fn lines_always_add_up_to_the_totals() {
        let mut r = Lcg(42);
        for case in 0..3_000 {
            let n = r.below(12) as usize;
            let big = case % 7 == 0; // some quotes with large figures
            let lines: Vec<LineInput> = (0..n)
                .map(|_| LineInput {
                    qty_centi: 1 + r.below(if big { 1_000_000 } else { 5_000 }),
                    unit_price_fen: r.below(if big { 8_000_000_000 } else { 200_000 }),
                    list_price_fen: r.below(300_000),
                    discount_bp: r.below(10_001) as i32 * (r.below(2) as i32),
                    tax_bp: [0, 600, 900, 1_300][r.below(4) as usize],
                    cost_fen: r.below(150_000),
                })
                .collect();
            let lines_net: i64 = price(&lines, HeaderDiscount::None).unwrap().totals.lines_net_fen;
            let header = match r.below(3) {
                0 => HeaderDiscount::None,
                1 => HeaderDiscount::Percent(r.below(10_001) as i32),
                _ => HeaderDiscount::Amount(r.below(lines_net as u64 + 1)),
            };
            let p = price(&lines, header).unwrap();
            let t = p.totals;
            let sum = |f: fn(&LineFigures) -> i64| p.lines.iter().map(f).sum::<i64>();
            assert_eq!(sum(|l| l.list_fen), t.list_fen);
            assert_eq!(sum(|l| l.line_net_fen), t.lines_net_fen);
            assert_eq!(sum(|l| l.header_share_fen), t.header_discount_fen);
            assert_eq!(sum(|l| l.net_fen), t.net_fen);
            assert_eq!(sum(|l| l.tax_fen), t.tax_fen);
            assert_eq!(sum(|l| l.gross_fen), t.gross_fen);
            assert_eq!(sum(|l| l.cost_fen), t.cost_fen);
            assert_eq!(t.net_fen + t.tax_fen, t.gross_fen);
            assert_eq!(t.lines_net_fen - t.header_discount_fen, t.net_fen);
            assert_eq!(t.net_fen - t.cost_fen, t.margin_fen);
            let want_header = match header {
                HeaderDiscount::None => 0,
                HeaderDiscount::Percent(bp) => div_round(i128::from(lines_net) * i128::from(bp), BP) as i64,
                HeaderDiscount::Amount(a) => a,
            };
            assert_eq!(t.header_discount_fen, want_header, "case {case}");
            for l in &p.lines {
                assert!(l.net_fen >= 0 && l.header_share_fen >= 0 && l.header_share_fen <= l.line_net_fen, "case {case}: {l:?}");
                assert_eq!(l.net_fen + l.tax_fen, l.gross_fen);
                // Each share is within one fen of its exact proportional part.
                let exact = i128::from(t.header_discount_fen) * i128::from(l.line_net_fen);
                let got = i128::from(l.header_share_fen) * i128::from(t.lines_net_fen);
                assert!((got - exact).abs() < i128::from(t.lines_net_fen.max(1)), "case {case}");
            }
        }
    }
}
