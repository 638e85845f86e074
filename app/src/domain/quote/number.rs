//! Quote numbers: `Q-2026-00042` for a yearly sequence, `Q-2026-00042-2` for its second version.
//! Every number has one spelling (at least five sequence digits, no other leading zeros, no `-1`
//! suffix), so parsing and formatting round-trip and a number can serve as a lookup key.

/// `Q-{year}-{seq}`, the sequence zero-padded to five digits and growing beyond 99999.
pub fn format_number(year: i32, seq: i64) -> String {
    format!("Q-{year}-{seq:05}")
}

/// The number of a version: version 1 is the base number itself, later ones add `-{version}`.
pub fn revision_number(base: &str, version: i32) -> String {
    if version <= 1 {
        base.to_owned()
    } else {
        format!("{base}-{version}")
    }
}

/// `(year, seq, version)` of a number in canonical form, or `None`.
pub fn parse_number(s: &str) -> Option<(i32, i64, i32)> {
    let mut parts = s.strip_prefix("Q-")?.split('-');
    let (year, seq, version) = (parts.next()?, parts.next()?, parts.next());
    if parts.next().is_some() {
        return None;
    }
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if year.len() != 4 || !digits(year) || year.starts_with('0') {
        return None;
    }
    if !digits(seq) || seq.len() < 5 || (seq.len() > 5 && seq.starts_with('0')) {
        return None;
    }
    let seq_n: i64 = seq.parse().ok().filter(|n| *n >= 1)?;
    let version_n = match version {
        None => 1,
        Some(v) if digits(v) && !v.starts_with('0') => v.parse().ok().filter(|n| *n >= 2)?,
        Some(_) => return None,
    };
    Some((year.parse().ok()?, seq_n, version_n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting() {
        for (year, seq, version, want) in [
            (2026, 42, 1, "Q-2026-00042"),
            (2026, 42, 2, "Q-2026-00042-2"),
            (2026, 1, 1, "Q-2026-00001"),
            (2026, 99_999, 1, "Q-2026-99999"),
            (2026, 100_000, 1, "Q-2026-100000"),
            (2027, 1_234_567, 12, "Q-2027-1234567-12"),
            (2026, 42, 0, "Q-2026-00042"), // no version 0: treated as the first
            (2026, 42, -3, "Q-2026-00042"),
        ] {
            assert_eq!(revision_number(&format_number(year, seq), version), want);
        }
    }

    #[test]
    fn parsing() {
        for (input, want) in [
            ("Q-2026-00042", Some((2026, 42, 1))),
            ("Q-2026-00042-2", Some((2026, 42, 2))),
            ("Q-2026-99999", Some((2026, 99_999, 1))),
            ("Q-2026-100000", Some((2026, 100_000, 1))),
            ("Q-2026-00001-10", Some((2026, 1, 10))),
            ("Q-1999-00007-999", Some((1999, 7, 999))),
            ("Q-2026-00042-1", None), // version 1 has no suffix
            ("Q-2026-00042-0", None),
            ("Q-2026-00042-02", None),
            ("Q-2026-00042--2", None),
            ("Q-2026-00042-", None),
            ("Q-2026-00042-2-3", None),
            ("Q-2026-0042", None),   // fewer than five digits
            ("Q-2026-000042", None), // padded beyond five
            ("Q-2026-00000", None),  // sequences start at 1
            ("Q-26-00042", None),
            ("Q-02026-00042", None),
            ("Q-0026-00042", None),
            ("q-2026-00042", None),
            ("Q2026-00042", None),
            ("Q-2026-00042 ", None),
            ("Q-2026-+0042", None),
            ("Q-2026-4200a", None),
            ("Q-2026-99999999999999999999", None), // beyond i64
            ("Q-2026-00042-99999999999", None),    // beyond i32
            ("Q-2026", None),
            ("Q-", None),
            ("", None),
        ] {
            assert_eq!(parse_number(input), want, "{input:?}");
        }
    }

    #[test]
    fn round_trip() {
        for year in [1000, 2026, 9999] {
            for seq in [1, 9, 42, 99_999, 100_000, 123_456_789, i64::MAX] {
                for version in [1, 2, 10, i32::MAX] {
                    let n = revision_number(&format_number(year, seq), version);
                    assert_eq!(parse_number(&n), Some((year, seq, version)), "{n}");
                }
            }
        }
    }
}
