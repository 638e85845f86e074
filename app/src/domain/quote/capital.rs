//! The amount in Chinese financial capitals (大写金额) printed on zh quotes, so the figure cannot be
//! altered by adding a stroke. Conventions, after the bank rules (《支付结算办法》附一):
//!
//! - numerals 零壹贰叁肆伍陆柒捌玖, units 拾佰仟, sections 万 and 亿, read recursively so that
//!   10¹² yuan is 壹万亿 and 10¹³ yuan (the largest valid amount) is 壹拾万亿; 10 is 壹拾, never 拾;
//! - one 零 for each run of zeros inside the number, also when the run crosses a 万/亿 boundary
//!   (10,001 → 壹万零壹; 100,000,010 → 壹亿零壹拾); no 零 when only the 万 digit is zero and the
//!   千 digit that follows is not (101,000 → 壹拾万壹仟; the rules allow either form);
//! - whole yuan end in 元整; 角 without 分 end in 角整 (伍角整); with 分 there is no 整;
//! - 角 zero and 分 non-zero: 元零伍分; below one yuan there is no 元 part (伍角叁分, 伍分);
//! - zero is 零元整; a negative amount (a credit) reads 人民币负….
const DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const UNITS: [&str; 4] = ["", "拾", "佰", "仟"];

/// 人民币 + the amount in capitals, e.g. 22,000,000 fen → 人民币贰拾贰万元整.
pub fn capital_cny(fen: i64) -> String {
    let abs = fen.unsigned_abs();
    let (yuan, jiao, fen_digit) = (abs / 100, (abs / 10 % 10) as usize, (abs % 10) as usize);
    let mut s = String::from("人民币");
    if fen < 0 {
        s.push('负');
    }
    if yuan > 0 {
        s.push_str(&integer(yuan));
        s.push('元');
    }
    match (jiao, fen_digit) {
        (0, 0) if yuan == 0 => s.push_str("零元整"),
        (0, 0) => s.push('整'),
        (0, f) => {
            // Between 元 and 分 the missing 角 is written 零; with no 元 there is nothing to bridge.
            if yuan > 0 {
                s.push('零');
            }
            s.push(DIGITS[f]);
            s.push('分');
        }
        (j, 0) => {
            s.push(DIGITS[j]);
            s.push_str("角整");
        }
        (j, f) => {
            s.push(DIGITS[j]);
            s.push('角');
            s.push(DIGITS[f]);
            s.push('分');
        }
    }
    s
}

/// A positive integer in capitals. Splitting at 亿 first, then 万, makes the larger sections
/// compose (万亿, 亿亿) without a table of names.
fn integer(n: u64) -> String {
    for (size, name) in [(100_000_000u64, '亿'), (10_000, '万')] {
        if n >= size {
            let (hi, lo) = (n / size, n % size);
            let mut s = integer(hi);
            s.push(name);
            if lo > 0 {
                // A zero run between the section and the rest: lo lacks its leading digit.
                if lo < size / 10 {
                    s.push('零');
                }
                s.push_str(&integer(lo));
            }
            return s;
        }
    }
    below_ten_thousand(n)
}

/// 1..=9999 in capitals: one 零 per inner zero run, none at the end.
fn below_ten_thousand(n: u64) -> String {
    let mut s = String::new();
    let mut pending_zero = false;
    for pos in (0..4).rev() {
        let d = (n / 10u64.pow(pos) % 10) as usize;
        if d == 0 {
            // Only a zero after a written digit counts; leading zeros are not read.
            pending_zero |= !s.is_empty();
            continue;
        }
        if pending_zero {
            s.push('零');
            pending_zero = false;
        }
        s.push(DIGITS[d]);
        s.push_str(UNITS[pos as usize]);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const Y: i64 = 100; // fen per yuan

    #[test]
    fn capitals() {
        for (fen, want) in [
            (0, "零元整"),
            (1, "壹分"),
            (10, "壹角整"),
            (53, "伍角叁分"),
            (5, "伍分"),
            (Y, "壹元整"),
            (Y + 5, "壹元零伍分"),
            (Y + 50, "壹元伍角整"),
            (Y + 55, "壹元伍角伍分"),
            (10 * Y, "壹拾元整"),
            (10 * Y + 50, "壹拾元伍角整"),
            (15 * Y, "壹拾伍元整"),
            (101 * Y, "壹佰零壹元整"),
            (110 * Y, "壹佰壹拾元整"),
            (1_001 * Y, "壹仟零壹元整"),
            (1_010 * Y, "壹仟零壹拾元整"),
            (100_005, "壹仟元零伍分"),
            (1_680 * Y + 32, "壹仟陆佰捌拾元叁角贰分"),
            (1_409 * Y + 50, "壹仟肆佰零玖元伍角整"),
            (6_007 * Y + 14, "陆仟零柒元壹角肆分"),
            (16_409 * Y + 2, "壹万陆仟肆佰零玖元零贰分"),
            (325 * Y + 4, "叁佰贰拾伍元零肆分"),
            (10_000 * Y, "壹万元整"),
            (10_001 * Y, "壹万零壹元整"),
            (10_010 * Y, "壹万零壹拾元整"),
            (10_100 * Y, "壹万零壹佰元整"),
            (11_000 * Y, "壹万壹仟元整"),
            (101_000 * Y, "壹拾万壹仟元整"),
            (107_000 * Y + 53, "壹拾万柒仟元伍角叁分"),
            (220_000 * Y, "贰拾贰万元整"),
            (1_000_100 * Y, "壹佰万零壹佰元整"),
            (10_100_000 * Y, "壹仟零壹拾万元整"),
            (10_105_000 * Y, "壹仟零壹拾万伍仟元整"),
            (99_999_999 * Y + 99, "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
            (100_000_000 * Y, "壹亿元整"),
            (100_000_001 * Y, "壹亿零壹元整"),
            (100_000_010 * Y, "壹亿零壹拾元整"),
            (100_010_000 * Y, "壹亿零壹万元整"),
            (101_000_000 * Y, "壹亿零壹佰万元整"),
            (101_000_001 * Y, "壹亿零壹佰万零壹元整"),
            (110_000_000 * Y, "壹亿壹仟万元整"),
            (1_000_000_001 * Y, "壹拾亿零壹元整"),
            (1_234_567_890 * Y + 12, "壹拾贰亿叁仟肆佰伍拾陆万柒仟捌佰玖拾元壹角贰分"),
            (1_000_000_000_000 * Y, "壹万亿元整"),
            (1_000_100_000_000 * Y, "壹万零壹亿元整"),
            (1_500_000_000_000 * Y, "壹万伍仟亿元整"),
            (1_000_000_010_000 * Y, "壹万亿零壹万元整"),
            (1_000_000_000_001 * Y, "壹万亿零壹元整"),
            (crate::domain::validate::MAX_FEN, "壹拾万亿元整"),
            (-(Y + 50), "负壹元伍角整"),
            (-5, "负伍分"),
            // Beyond any valid amount, still coherent: 922,337,203 亿 + 68,547,758.
            (i64::MAX, "玖亿贰仟贰佰叁拾叁万柒仟贰佰零叁亿陆仟捌佰伍拾肆万柒仟柒佰伍拾捌元零柒分"),
            (i64::MIN, "负玖亿贰仟贰佰叁拾叁万柒仟贰佰零叁亿陆仟捌佰伍拾肆万柒仟柒佰伍拾捌元零捌分"),
            (10_000_000_000_000_000 * Y, "壹亿亿元整"), // 10¹⁶ yuan
        ] {
            assert_eq!(capital_cny(fen), format!("人民币{want}"), "{fen}");
        }
    }

    #[test]
    fn never_a_stray_zero() {
        // Whatever the digits: no 零 twice in a row, none right before 元/万/亿, none at the start.
        let mut x: u64 = 7;
        for _ in 0..20_000 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            // Sparse digits make zero runs likely.
            let digits: String = (0..15).map(|i| if (x >> (i * 3)) & 3 == 0 { char::from(b'1' + (i % 9) as u8) } else { '0' }).collect();
            let fen: i64 = digits.parse().unwrap_or(0);
            let s = capital_cny(fen);
            for bad in ["零零", "零元", "零万", "零亿", "人民币零壹", "零角", "零整"] {
                assert!(!s.contains(bad) || (fen == 0 && bad == "零元"), "{fen}: {s}");
            }
        }
    }
}
