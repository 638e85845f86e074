//! The price list: what a quote line can be picked from.
use super::error::AppError;
use super::validate;
use serde::{Deserialize, Serialize};

pub mod csv;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductKind {
    Licence,
    Subscription,
    ServiceDays,
    Hardware,
    Maintenance,
    Other,
}

impl ProductKind {
    pub const ALL: [ProductKind; 6] =
        [Self::Licence, Self::Subscription, Self::ServiceDays, Self::Hardware, Self::Maintenance, Self::Other];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Licence => "licence",
            Self::Subscription => "subscription",
            Self::ServiceDays => "service_days",
            Self::Hardware => "hardware",
            Self::Maintenance => "maintenance",
            Self::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == code)
    }

    /// Services are taxed at the services rate (6 % by default), goods at the goods rate
    /// (13 %): subscriptions, consulting days and maintenance are services in China's VAT.
    pub const fn is_service(self) -> bool {
        matches!(self, Self::Subscription | Self::ServiceDays | Self::Maintenance)
    }
}

/// A product as an admin enters it (form, REST, CSV row).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductInput {
    pub code: String,
    pub name_en: String,
    pub name_zh: String,
    pub kind: ProductKind,
    pub unit_en: String,
    pub unit_zh: String,
    pub list_price_fen: i64,
    /// None: the policy's default for the kind.
    #[serde(default)]
    pub tax_bp: Option<i32>,
    #[serde(default)]
    pub cost_fen: i64,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// Trims and bounds every field; the code is upper-cased letters, digits, `-`, `_`, `.`.
pub fn clean(p: ProductInput) -> Result<ProductInput, AppError> {
    let code = validate::required("code", &p.code, 40)?.to_uppercase();
    if !code.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
        return Err(AppError::validation("code", "letters, digits, - _ . only"));
    }
    if let Some(t) = p.tax_bp {
        if !(0..=10_000).contains(&t) {
            return Err(AppError::validation("tax_rate", "must be between 0 and 100 %"));
        }
    }
    Ok(ProductInput {
        code,
        name_en: validate::required("name_en", &p.name_en, 200)?,
        name_zh: validate::required("name_zh", &p.name_zh, 200)?,
        kind: p.kind,
        unit_en: validate::required("unit_en", &p.unit_en, 20)?,
        unit_zh: validate::required("unit_zh", &p.unit_zh, 20)?,
        list_price_fen: validate::amount_fen("list_price", p.list_price_fen)?,
        tax_bp: p.tax_bp,
        cost_fen: validate::amount_fen("cost", p.cost_fen)?,
        active: p.active,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn input() -> ProductInput {
        ProductInput {
            code: " erp-fin ".into(),
            name_en: "Finance module".into(),
            name_zh: "财务模块".into(),
            kind: ProductKind::Licence,
            unit_en: "user".into(),
            unit_zh: "用户".into(),
            list_price_fen: 1_200_000,
            tax_bp: None,
            cost_fen: 100_000,
            active: true,
        }
    }

    #[test]
    fn kinds_round_trip_and_services_are_the_service_kinds() {
        for k in ProductKind::ALL {
            assert_eq!(ProductKind::parse(k.as_str()), Some(k));
        }
        let services: Vec<_> = ProductKind::ALL.into_iter().filter(|k| k.is_service()).collect();
        assert_eq!(services, [ProductKind::Subscription, ProductKind::ServiceDays, ProductKind::Maintenance]);
    }

    #[test]
    fn clean_trims_upper_cases_and_names_the_bad_field() {
        assert_eq!(clean(input()).unwrap().code, "ERP-FIN");
        type Edit = fn(&mut ProductInput);
        let cases: &[(Edit, &str)] = &[
            (|p| p.code = "a b".into(), "code"),
            (|p| p.code = "  ".into(), "code"),
            (|p| p.name_zh = String::new(), "name_zh"),
            (|p| p.unit_en = "x".repeat(21), "unit_en"),
            (|p| p.list_price_fen = -1, "list_price"),
            (|p| p.cost_fen = crate::domain::validate::MAX_FEN + 1, "cost"),
            (|p| p.tax_bp = Some(10_001), "tax_rate"),
        ];
        for (edit, field) in cases {
            let mut p = input();
            edit(&mut p);
            match clean(p) {
                Err(AppError::Validation { field: f, .. }) => assert_eq!(&f, field),
                other => panic!("{field}: {other:?}"),
            }
        }
    }
}
