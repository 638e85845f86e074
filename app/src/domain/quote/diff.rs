//! Two revisions of a quote side by side: which lines were added, removed or changed, and in
//! which fields. A line is the same line across revisions when it is the same price-list
//! product, or for a free-text line the same description (compared without case or spaces).
use super::dto::QuoteLineView;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Added,
    Removed,
    Changed,
    Same,
}

impl Change {
    pub const fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
            Change::Same => "same",
        }
    }
}

/// The fields a revision can change on a line, in the order a reader scans them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Description,
    Qty,
    Unit,
    UnitPrice,
    Discount,
    Tax,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineDiff {
    pub old: Option<QuoteLineView>,
    pub new: Option<QuoteLineView>,
    pub change: Change,
    pub fields: Vec<Field>,
}

fn same_line(a: &QuoteLineView, b: &QuoteLineView) -> bool {
    match (a.product_id, b.product_id) {
        (Some(x), Some(y)) => x == y,
        (None, None) => {
            let norm = |s: &str| s.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect::<String>();
            norm(&a.description) == norm(&b.description)
        }
        _ => false,
    }
}

fn fields(a: &QuoteLineView, b: &QuoteLineView) -> Vec<Field> {
    [
        (Field::Description, a.description != b.description),
        (Field::Qty, a.qty_centi != b.qty_centi),
        (Field::Unit, a.unit != b.unit),
        (Field::UnitPrice, a.unit_price_fen != b.unit_price_fen),
        (Field::Discount, a.discount_bp != b.discount_bp),
        (Field::Tax, a.tax_bp != b.tax_bp),
    ]
    .into_iter()
    .filter(|(_, d)| *d)
    .map(|(f, _)| f)
    .collect()
}

/// The new revision's lines in their order, each paired with its old line (the first unpaired
/// match, so a product quoted twice pairs in order), then the old lines no longer there. A
/// line whose own fields are equal but whose net moved (the header discount spread) is
/// `Changed` with no fields.
pub fn lines(old: &[QuoteLineView], new: &[QuoteLineView]) -> Vec<LineDiff> {
    let mut taken = vec![false; old.len()];
    let mut out: Vec<LineDiff> = new
        .iter()
        .map(|n| {
            let found = old.iter().enumerate().position(|(i, o)| !taken[i] && same_line(o, n));
            match found {
                Some(i) => {
                    taken[i] = true;
                    let o = &old[i];
                    let fields = fields(o, n);
                    let change = if fields.is_empty() && o.net_fen == n.net_fen { Change::Same } else { Change::Changed };
                    LineDiff { old: Some(o.clone()), new: Some(n.clone()), change, fields }
                }
                None => LineDiff { old: None, new: Some(n.clone()), change: Change::Added, fields: vec![] },
            }
        })
        .collect();
    out.extend(old.iter().zip(taken).filter(|(_, t)| !t).map(|(o, _)| LineDiff {
        old: Some(o.clone()),
        new: None,
        change: Change::Removed,
        fields: vec![],
    }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(product: Option<u128>, description: &str, qty: i64, price: i64, discount_bp: i32, net: i64) -> QuoteLineView {
        QuoteLineView {
            position: 0,
            product_id: product.map(uuid::Uuid::from_u128),
            code: None,
            description: description.into(),
            unit: "pc".into(),
            qty_centi: qty,
            unit_price_fen: price,
            list_price_fen: price,
            discount_bp,
            tax_bp: 1300,
            cost_fen: 0,
            net_fen: net,
            tax_fen: 0,
            gross_fen: net,
        }
    }

    fn shape(d: &[LineDiff]) -> Vec<(Change, Vec<Field>, Option<String>)> {
        d.iter().map(|l| (l.change, l.fields.clone(), l.new.as_ref().or(l.old.as_ref()).map(|x| x.description.clone()))).collect()
    }

    #[test]
    fn revisions_pair_by_product_or_description() {
        let a = line(Some(1), "Finance", 1000, 100, 0, 1000);
        let b = line(None, "On-site training", 100, 500, 0, 500);
        let c = line(Some(2), "Server", 100, 900, 0, 900);
        let s = |d: &str| Some(d.to_owned());
        type Case = (Vec<QuoteLineView>, Vec<QuoteLineView>, Vec<(Change, Vec<Field>, Option<String>)>);
        let cases: Vec<Case> = vec![
            (vec![a.clone()], vec![a.clone()], vec![(Change::Same, vec![], s("Finance"))]),
            (vec![], vec![a.clone()], vec![(Change::Added, vec![], s("Finance"))]),
            (
                vec![a.clone(), b.clone()],
                vec![b.clone()],
                vec![(Change::Same, vec![], s("On-site training")), (Change::Removed, vec![], s("Finance"))],
            ),
            // More seats at a deeper discount.
            (
                vec![a.clone()],
                vec![line(Some(1), "Finance", 1200, 100, 500, 1140)],
                vec![(Change::Changed, vec![Field::Qty, Field::Discount], s("Finance"))],
            ),
            // A free-text line is the same line whatever its spacing or case.
            (
                vec![b.clone()],
                vec![line(None, "on-site  Training", 100, 450, 0, 450)],
                vec![(Change::Changed, vec![Field::Description, Field::UnitPrice], s("on-site  Training"))],
            ),
            // Only the header discount's share moved.
            (vec![c.clone()], vec![line(Some(2), "Server", 100, 900, 0, 850)], vec![(Change::Changed, vec![], s("Server"))]),
            // Reordered lines pair up; the same product twice pairs in order.
            (
                vec![a.clone(), c.clone(), line(Some(1), "Finance", 500, 100, 0, 500)],
                vec![c.clone(), line(Some(1), "Finance", 1000, 100, 0, 1000), line(Some(1), "Finance", 600, 100, 0, 600)],
                vec![
                    (Change::Same, vec![], s("Server")),
                    (Change::Same, vec![], s("Finance")),
                    (Change::Changed, vec![Field::Qty], s("Finance")),
                ],
            ),
            // A product line replacing a free-text line of the same words is a new line.
            (
                vec![line(None, "Server", 100, 900, 0, 900)],
                vec![c.clone()],
                vec![(Change::Added, vec![], s("Server")), (Change::Removed, vec![], s("Server"))],
            ),
        ];
        for (i, (old, new, want)) in cases.iter().enumerate() {
            assert_eq!(&shape(&lines(old, new)), want, "case {i}");
        }
    }
}
