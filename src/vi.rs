//! Vietnamese writing conventions: dates, numbers, money in words, Roman numerals, upper case,
//! alphabetical order and the loose matching used for header labels and names.
//!
//! Everything here follows `STANDARDS.md`, section "Writing conventions".

use chrono::{Datelike, NaiveDate};
use icu_collator::CollatorBorrowed;
use icu_collator::options::CollatorOptions;
use icu_locale_core::locale;
use std::cmp::Ordering;
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;

/// Normalises text as read from a cell: NFC, "Ð" (U+00D0, Icelandic eth) and "ð" typed for
/// "Đ"/"đ", and surrounding white space trimmed.
pub fn clean_text(s: &str) -> String {
    let s = s.trim();
    let repaired: String;
    let s = if s.contains(['\u{00D0}', '\u{00F0}']) {
        repaired = s.replace('\u{00D0}', "\u{0110}").replace('\u{00F0}', "\u{0111}");
        &repaired
    } else {
        s
    };
    // Most cells are already NFC: check quickly before rebuilding the string.
    match unicode_normalization::is_nfc_quick(s.chars()) {
        unicode_normalization::IsNormalized::Yes => s.to_string(),
        _ => s.nfc().collect(),
    }
}

/// The place-and-date line of a document: "Khánh Hòa, ngày 09 tháng 01 năm 2024".
pub fn date_line(place: &str, date: NaiveDate) -> String {
    if place.trim().is_empty() {
        day_month_year(date)
    } else {
        format!("{}, {}", place.trim(), day_month_year(date))
    }
}

/// "ngày 09 tháng 01 năm 2024": a leading zero for days below 10 and for months 1 and 2 only.
pub fn day_month_year(date: NaiveDate) -> String {
    let month = if date.month() <= 2 { format!("{:02}", date.month()) } else { date.month().to_string() };
    format!("ngày {:02} tháng {} năm {}", date.day(), month, date.year())
}

/// "09/01/2024", the short date used in references ("Quyết định số ... ngày 09/01/2024").
pub fn short_date(date: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", date.day(), date.month(), date.year())
}

/// Parses a date typed as text: "09/01/2024", "9-1-2024", "09.01.2024" or "2024-01-09".
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let parts: Vec<&str> = s.split(['/', '-', '.']).map(str::trim).collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    let n: Vec<i64> = parts.iter().map(|p| p.parse().unwrap_or(-1)).collect();
    let (y, m, d) = if parts[0].len() == 4 { (n[0], n[1], n[2]) } else { (n[2], n[1], n[0]) };
    if parts[if parts[0].len() == 4 { 0 } else { 2 }].len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, u32::try_from(m).ok()?, u32::try_from(d).ok()?)
}

/// A whole number with "." grouping thousands: 2425 → "2.425", -1500000 → "-1.500.000".
pub fn format_int(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// A decimal with "," before the decimals and "." grouping thousands: (74.776, 2) → "74,78".
/// With `digits` 0 it is rounded to a whole number.
pub fn format_decimal(x: f64, digits: usize) -> String {
    if !x.is_finite() {
        return String::new();
    }
    // Round half away from zero, as people do (format! rounds half to even).
    let factor = 10f64.powi(digits as i32);
    let s = format!("{:.*}", digits, (x.abs() * factor).round() / factor);
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let int: i64 = int.parse().unwrap_or(0);
    let sign = if x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{}", format_int(int))
    } else {
        format!("{sign}{},{frac}", format_int(int))
    }
}

/// A percentage given in points: (74.776, 2) → "74,78%" (no space before "%").
pub fn format_percent(points: f64, digits: usize) -> String {
    format!("{}%", format_decimal(points, digits))
}

/// Upper-case Roman numerals for section numbers: 4 → "IV". Zero gives an empty string.
pub fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, letters) in TABLE {
        while n >= value {
            out.push_str(letters);
            n -= value;
        }
    }
    out
}

/// Full-Unicode upper case, NFC: "đ" → "Đ", "ư" → "Ư", "ỷ" → "Ỷ".
pub fn upper(s: &str) -> String {
    s.to_uppercase().nfc().collect()
}

/// Vietnamese ordinal words for the parts of a report: 1 → "NHẤT", 2 → "HAI", 4 → "TƯ".
pub fn ordinal(n: u32) -> String {
    match n {
        1 => "NHẤT".to_string(),
        4 => "TƯ".to_string(),
        _ => upper(&number_words(u64::from(n))),
    }
}

const DIGITS: [&str; 10] = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"];

/// A whole number in Vietnamese words, lower case: 1001 → "một nghìn không trăm linh một",
/// 21 → "hai mươi mốt", 25 → "hai mươi lăm", 24 → "hai mươi tư", 1500000 → "một triệu năm
/// trăm nghìn". Groups of three digits that are all zero are left out ("một triệu").
pub fn number_words(n: u64) -> String {
    if n == 0 {
        return DIGITS[0].to_string();
    }
    // Beyond a thousand billion the "tỷ" group itself is read as a number of its own.
    let billions = n / 1_000_000_000;
    let rest = n % 1_000_000_000;
    let mut words: Vec<String> = Vec::new();
    if billions > 0 {
        words.push(number_words(billions));
        words.push("tỷ".to_string());
    }
    let groups = [(rest / 1_000_000, "triệu"), ((rest / 1000) % 1000, "nghìn"), (rest % 1000, "")];
    for (g, unit) in groups {
        if g == 0 {
            continue;
        }
        let leading = words.is_empty();
        words.push(three_digits(g, leading));
        if !unit.is_empty() {
            words.push(unit.to_string());
        }
    }
    words.join(" ")
}

/// Reads 1..=999. A group that is not the leading one always reads its hundreds
/// ("không trăm") and says "linh" before a lone unit digit.
fn three_digits(g: u64, leading: bool) -> String {
    let (h, t, u) = ((g / 100) as usize, ((g / 10) % 10) as usize, (g % 10) as usize);
    let mut w: Vec<&str> = Vec::new();
    let said_hundreds = !(leading && h == 0);
    if said_hundreds {
        w.push(DIGITS[h]);
        w.push("trăm");
    }
    match t {
        0 => {
            if u != 0 {
                if said_hundreds {
                    w.push("linh");
                }
                w.push(DIGITS[u]);
            }
        }
        1 => {
            w.push("mười");
            match u {
                0 => {}
                5 => w.push("lăm"),
                _ => w.push(DIGITS[u]),
            }
        }
        _ => {
            w.push(DIGITS[t]);
            w.push("mươi");
            match u {
                0 => {}
                1 => w.push("mốt"),
                4 => w.push("tư"),
                5 => w.push("lăm"),
                _ => w.push(DIGITS[u]),
            }
        }
    }
    w.join(" ")
}

/// Money in words with a capital first letter: 1500000 → "Một triệu năm trăm nghìn đồng".
pub fn money_words(amount: u64) -> String {
    capitalize(&format!("{} đồng", number_words(amount)))
}

/// Upper-cases the first letter only.
pub fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect::<String>().nfc().collect(),
        None => String::new(),
    }
}

const TONES: [char; 5] = ['\u{0300}', '\u{0309}', '\u{0303}', '\u{0301}', '\u{0323}'];
const ALPHABET: &str = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz";

/// Splits lower-case text into letters without tone marks and the tone of each letter
/// (0 none, then huyền, hỏi, ngã, sắc, nặng — the dictionary order).
fn letters_and_tones(s: &str) -> (Vec<char>, Vec<u8>) {
    let mut letters = Vec::new();
    let mut tones = Vec::new();
    let lower: String = clean_text(s).to_lowercase();
    for c in lower.nfd() {
        if let Some(i) = TONES.iter().position(|&t| t == c) {
            if let Some(last) = tones.last_mut() {
                *last = i as u8 + 1;
            }
            continue;
        }
        if matches!(c, '\u{0306}' | '\u{0302}' | '\u{031B}') {
            if let Some(last) = letters.last_mut() {
                let composed: String = [*last, c].iter().collect::<String>().nfc().collect();
                *last = composed.chars().next().unwrap_or(*last);
            }
            continue;
        }
        letters.push(c);
        tones.push(0);
    }
    (letters, tones)
}

fn letter_rank(c: char) -> u32 {
    if c.is_whitespace() {
        1
    } else if let Some(d) = c.to_digit(10) {
        10 + d
    } else if let Some(i) = ALPHABET.chars().position(|a| a == c) {
        100 + i as u32
    } else {
        1000 + c as u32
    }
}

/// The collator for Vietnamese: icu_collator's `vi` tailoring (CLDR: ă â after a, đ after d,
/// ê ô ơ ư after their base letters; tones as secondary differences in the order none,
/// huyền, hỏi, ngã, sắc, nặng), numbers by their value ("Tổ 2" before "Tổ 10"). None only
/// if the compiled data lacked `vi`, when [`compare_by_table`] is used instead.
static COLLATOR: LazyLock<Option<CollatorBorrowed<'static>>> =
    LazyLock::new(|| CollatorBorrowed::try_new(locale!("vi-u-kn").into(), CollatorOptions::default()).ok());

/// Compares two names in Vietnamese alphabetical order: the letters first
/// (a ă â b c d đ e ê g ... ư v x y, digits before letters, numbers by value), then the tones
/// (none, huyền, hỏi, ngã, sắc, nặng), then case; "Hòa" and "Hoà" weigh the same and are
/// told apart last, by their bytes, so that a sort is deterministic.
pub fn compare(a: &str, b: &str) -> Ordering {
    match &*COLLATOR {
        Some(collator) => collator.compare(&collation_text(a), &collation_text(b)).then_with(|| a.cmp(b)),
        None => compare_by_table(a, b),
    }
}

/// A key that orders as [`compare`] does (up to its last, byte-wise step), for sorting many
/// names with `sort_by_cached_key`: the collator's sort key of [`collation_text`].
pub fn sort_key(s: &str) -> Vec<u8> {
    let mut key = Vec::new();
    match &*COLLATOR {
        Some(collator) => {
            let Ok(()) = collator.write_sort_key_to(&collation_text(s), &mut key);
        }
        None => {
            let (letters, tones) = letters_and_tones(s);
            key.extend(letters.iter().flat_map(|&c| letter_rank(c).to_be_bytes()));
            key.push(0);
            key.extend(word_tones(&letters, &tones));
        }
    }
    key
}

/// `s` cleaned and decomposed, with each word's tone mark moved after its last letter. The
/// collator weighs marks in the order they come, so "Thủy" and "Thuỷ" would differ, and
/// "Ủy ban A" would follow "Uỷ ban Á"; with the tone at the end of its syllable every
/// spelling weighs the same and syllables compare tone by tone, as in a dictionary.
fn collation_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut tones = String::new();
    for c in clean_text(s).nfd() {
        if TONES.contains(&c) {
            tones.push(c);
            continue;
        }
        if !(c.is_alphanumeric() || ('\u{0300}'..='\u{036F}').contains(&c)) {
            out.push_str(&tones);
            tones.clear();
        }
        out.push(c);
    }
    out.push_str(&tones);
    out
}

/// The hand-written Vietnamese order that [`compare`] used before icu_collator, kept as its
/// reference (the tests check the two agree) and as its fallback: letters by the table
/// `a ă â b c d đ e ê … ư v x y` (white space first, then digits one by one, letters, then
/// anything else by code point), then each word's tone, then the bytes.
pub fn compare_by_table(a: &str, b: &str) -> Ordering {
    let (la, ta) = letters_and_tones(a);
    let (lb, tb) = letters_and_tones(b);
    let ra = la.iter().map(|&c| letter_rank(c));
    let rb = lb.iter().map(|&c| letter_rank(c));
    ra.cmp(rb).then_with(|| word_tones(&la, &ta).cmp(&word_tones(&lb, &tb))).then_with(|| a.cmp(b))
}

/// The tone of each word, wherever in the word its mark was placed.
fn word_tones(letters: &[char], tones: &[u8]) -> Vec<u8> {
    let mut out = vec![0];
    for (c, &t) in letters.iter().zip(tones) {
        if c.is_whitespace() {
            out.push(0);
        } else if t > 0 {
            *out.last_mut().unwrap_or(&mut 0) = t;
        }
    }
    out
}

/// The key under which header labels, sheet names and item names are matched: case, spacing,
/// "Ð"/"Đ", a trailing ":" and the placement of the tone mark in a syllable ("Hòa"/"Hoà",
/// "Thủy"/"Thuỷ") do not matter.
pub fn fold(s: &str) -> String {
    let mut out = String::new();
    for word in clean_text(s).to_lowercase().split_whitespace() {
        let word = word.trim_end_matches([':', '*']);
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        let (letters, tones) = letters_and_tones(word);
        out.extend(letters);
        // The syllable's tone, wherever it was placed, goes at its end.
        for t in tones.into_iter().filter(|&t| t > 0) {
            out.push(TONES[t as usize - 1]);
        }
    }
    out.nfc().collect()
}

/// [`fold`] with every diacritic removed and "đ" as "d": the key under which a label typed
/// without diacritics ("Nguoi ky") is recognised as one that has them ("Người ký"), for a
/// suggestion only, never for a match ("Hoa" and "Hòa" are different names).
pub fn strip_marks(s: &str) -> String {
    fold(s)
        .nfd()
        .filter(|c| !('\u{0300}'..='\u{036F}').contains(c))
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

/// Words that name a level of local government, as they stand before a place's name
/// (lower case, the longest first so "thị xã" is found before "xã").
const UNIT_WORDS: [&str; 10] =
    ["thành phố", "thị trấn", "đặc khu", "thị xã", "huyện", "quận", "phường", "tỉnh", "xã", "thủ đô"];

/// Names in which the unit word keeps its capital (Nghị định 30/2020, Phụ lục II).
const CAPITAL_UNITS: [&str; 2] = ["Thành phố Hồ Chí Minh", "Thủ đô Hà Nội"];

/// The unit word `s` starts with (folded), and the number of words it has.
fn leading_unit_word(s: &str) -> Option<usize> {
    let words: Vec<&str> = s.split_whitespace().collect();
    UNIT_WORDS.iter().find_map(|u| {
        let n = u.split(' ').count();
        (words.len() > n && fold(&words[..n].join(" ")) == fold(u)).then_some(n)
    })
}

/// A unit's name as it stands inside a sentence: the leading unit word in lower case, the
/// name as typed: "Huyện Trường Sa" → "huyện Trường Sa", "Đặc khu Trường Sa" → "đặc khu
/// Trường Sa". "Thành phố Hồ Chí Minh" keeps its capital; a name typed in capitals is first
/// written as an agency's name ("HUYỆN TRƯỜNG SA" → "huyện Trường Sa"); anything else
/// ("Ban Dân vận Huyện ủy") is left as it is.
pub fn in_sentence(unit: &str) -> String {
    let unit = unit.trim();
    let unit = if is_all_caps(unit) { agency_name(unit) } else { unit.to_string() };
    if CAPITAL_UNITS.iter().any(|c| fold(&unit).starts_with(&fold(c))) {
        return unit;
    }
    match leading_unit_word(&unit) {
        Some(n) => {
            let words: Vec<&str> = unit.split_whitespace().collect();
            format!("{} {}", words[..n].join(" ").to_lowercase(), words[n..].join(" "))
        }
        None => unit,
    }
}

/// Whether `s` has letters and none of them is lower case.
fn is_all_caps(s: &str) -> bool {
    s.chars().any(char::is_alphabetic) && !s.chars().any(char::is_lowercase)
}

/// Kinds of body whose name goes on with a field of work, which gets a capital ("Ban Dân
/// vận", "Sở Y tế", "Ủy ban Kiểm tra"), and titles of office ("Trưởng", "Chủ tịch"), folded.
const BODY_WORDS: [&str; 16] = [
    "ủy ban",
    "ban",
    "sở",
    "bộ",
    "phòng",
    "cục",
    "chi cục",
    "tổng cục",
    "vụ",
    "viện",
    "hội",
    "trường",
    "trung tâm",
    "văn phòng",
    "liên đoàn",
    "hội đồng",
];
/// Kinds of body whose whole name is the kind ("Ủy ban nhân dân", "Hội đồng nhân dân").
const WHOLE_BODIES: [&str; 2] = ["ủy ban nhân dân", "hội đồng nhân dân"];
/// Titles of office that may stand before a body's name.
const TITLES: [&str; 8] =
    ["phó trưởng", "trưởng", "phó chủ tịch", "chủ tịch", "phó giám đốc", "giám đốc", "phó bí thư", "bí thư"];
/// Party committees, written "Tỉnh ủy", "Đảng ủy"; the name after them is a proper name.
const COMMITTEES: [&str; 8] =
    ["tỉnh ủy", "thành ủy", "huyện ủy", "quận ủy", "thị ủy", "đảng ủy", "đảng bộ", "chi bộ"];
/// Names written one way wherever they stand, as written.
const PROPER: [&str; 6] = [
    "Thành phố Hồ Chí Minh",
    "Thủ đô Hà Nội",
    "Mặt trận Tổ quốc Việt Nam",
    "Hồ Chí Minh",
    "Việt Nam",
    "Trung ương",
];

/// An agency's name typed in capitals, as it stands in a sentence (Nghị định 30/2020,
/// Phụ lục II): "BAN DÂN VẬN TỈNH ỦY KHÁNH HÒA" → "Ban Dân vận Tỉnh ủy Khánh Hòa", "ỦY BAN
/// NHÂN DÂN TỈNH KHÁNH HÒA" → "Ủy ban nhân dân tỉnh Khánh Hòa", "SỞ Y TẾ" → "Sở Y tế". The
/// kind of body, a title before it and a Party committee get a capital first letter; a
/// field of work its first word (and the one after "và"); a unit word ("tỉnh", "huyện")
/// is lower case; the place's name after it and after a committee keeps a capital on every
/// word; "Đảng" always has one. A name that is not all capitals is returned as typed.
pub fn agency_name(upper_name: &str) -> String {
    let name = upper_name.trim();
    if !is_all_caps(name) {
        return name.to_string();
    }
    let words: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut i = 0;
    // What the words being read are: a field of work after a body, or a proper name.
    #[derive(PartialEq)]
    enum Reading {
        Field { first: bool },
        Proper,
        Plain,
    }
    let mut reading = Reading::Plain;
    let starts = |i: usize, phrases: &[&str]| -> Option<usize> {
        phrases.iter().find_map(|p| {
            let n = p.split(' ').count();
            (i + n <= words.len() && fold(&words[i..i + n].join(" ")) == fold(p)).then_some(n)
        })
    };
    while i < words.len() {
        let push_phrase = |out: &mut Vec<String>, n: usize, cap_first: bool| {
            for (k, w) in words[i..i + n].iter().enumerate() {
                out.push(if k == 0 && cap_first { capitalize(w) } else { w.clone() });
            }
        };
        if let Some(p) = PROPER.iter().find(|p| starts(i, &[p]).is_some()) {
            out.extend(p.split(' ').map(str::to_string));
            i += p.split(' ').count();
        } else if let Some(n) = starts(i, &COMMITTEES) {
            push_phrase(&mut out, n, true);
            i += n;
            reading = Reading::Proper;
        } else if let Some(n) = starts(i, &UNIT_WORDS).filter(|_| i > 0) {
            push_phrase(&mut out, n, false);
            i += n;
            reading = Reading::Proper;
        } else if reading == Reading::Proper && starts(i, &["các", "khối"]).is_some() {
            // "Đảng ủy Các cơ quan Đảng tỉnh": a committee of bodies, not of a place.
            out.push(capitalize(&words[i]));
            i += 1;
            reading = Reading::Field { first: false };
        } else if reading == Reading::Proper {
            out.push(capitalize(&words[i]));
            i += 1;
        } else if let Some(n) = starts(i, &WHOLE_BODIES).or_else(|| starts(i, &TITLES)) {
            let cap = out.is_empty() || reading != (Reading::Field { first: false });
            push_phrase(&mut out, n, cap);
            i += n;
            reading = Reading::Plain;
        } else if let Some(n) = starts(i, &BODY_WORDS).filter(|_| !matches!(reading, Reading::Field { .. })) {
            push_phrase(&mut out, n, true);
            i += n;
            reading = Reading::Field { first: true };
        } else {
            let w = &words[i];
            let cap =
                out.is_empty() || reading == (Reading::Field { first: true }) || fold(w) == fold("đảng");
            out.push(if cap { capitalize(w) } else { w.clone() });
            if let Reading::Field { .. } = reading {
                reading = Reading::Field { first: fold(w) == fold("và") };
            }
            i += 1;
        }
    }
    out.join(" ")
}

/// `s` without the first of `phrases` it starts with, matched loosely (case, spacing, tone
/// placement: `fold`), with the spaces and ":" after it: ("Xét đề nghị của Tổ Thi đua",
/// ["Xét đề nghị của"]) → "Tổ Thi đua". Text that starts with none is returned trimmed.
pub fn strip_leading<'a>(s: &'a str, phrases: &[&str]) -> &'a str {
    let s = s.trim();
    for phrase in phrases {
        let n = phrase.split_whitespace().count();
        // The byte offset where the (n+1)-th word of `s` starts.
        let mut ends = s.split_whitespace().map(|w| w.as_ptr() as usize - s.as_ptr() as usize + w.len());
        let Some(end) = (n > 0).then(|| ends.nth(n - 1)).flatten() else { continue };
        if fold(&s[..end]) == fold(phrase) {
            return s[end..].trim_start_matches([' ', ':', ',']).trim_start();
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn date_line_pads_day_and_only_first_two_months() {
        assert_eq!(date_line("Khánh Hòa", d(2024, 1, 9)), "Khánh Hòa, ngày 09 tháng 01 năm 2024");
        assert_eq!(day_month_year(d(2024, 2, 29)), "ngày 29 tháng 02 năm 2024");
        assert_eq!(day_month_year(d(2023, 3, 5)), "ngày 05 tháng 3 năm 2023");
        assert_eq!(day_month_year(d(2023, 12, 15)), "ngày 15 tháng 12 năm 2023");
        assert_eq!(date_line("", d(2023, 10, 10)), "ngày 10 tháng 10 năm 2023");
        assert_eq!(short_date(d(2024, 1, 9)), "09/01/2024");
    }

    #[test]
    fn parses_text_dates() {
        assert_eq!(parse_date("09/01/2024"), Some(d(2024, 1, 9)));
        assert_eq!(parse_date(" 9-1-2024 "), Some(d(2024, 1, 9)));
        assert_eq!(parse_date("2024-01-09"), Some(d(2024, 1, 9)));
        assert_eq!(parse_date("31/02/2024"), None);
        assert_eq!(parse_date("09/01/24"), None);
        assert_eq!(parse_date("mười"), None);
    }

    #[test]
    fn numbers_group_with_dots_and_decimals_with_commas() {
        assert_eq!(format_int(2425), "2.425");
        assert_eq!(format_int(936), "936");
        assert_eq!(format_int(1_500_000), "1.500.000");
        assert_eq!(format_int(-1000), "-1.000");
        assert_eq!(format_int(0), "0");
        assert_eq!(format_decimal(74.776, 2), "74,78");
        assert_eq!(format_decimal(1234.5, 1), "1.234,5");
        assert_eq!(format_decimal(-0.001, 2), "0,00");
        assert_eq!(format_decimal(2.5, 0), "3");
        assert_eq!(format_percent(74.78, 2), "74,78%");
        assert_eq!(format_percent(100.0, 1), "100,0%");
    }

    #[test]
    fn roman_numerals() {
        let got: Vec<String> = [1, 2, 3, 4, 9, 14, 40, 90, 400, 1994].map(roman).to_vec();
        assert_eq!(got, ["I", "II", "III", "IV", "IX", "XIV", "XL", "XC", "CD", "MCMXCIV"]);
        assert_eq!(roman(0), "");
    }

    #[test]
    fn upper_case_is_full_unicode() {
        assert_eq!(upper("tỉnh ủy khánh hòa"), "TỈNH ỦY KHÁNH HÒA");
        assert_eq!(upper("đường ưu tiên"), "ĐƯỜNG ƯU TIÊN");
        assert_eq!(ordinal(1), "NHẤT");
        assert_eq!(ordinal(2), "HAI");
        assert_eq!(capitalize("một triệu"), "Một triệu");
    }

    #[test]
    fn money_in_words() {
        let cases: [(u64, &str); 22] = [
            (0, "không"),
            (5, "năm"),
            (10, "mười"),
            (15, "mười lăm"),
            (21, "hai mươi mốt"),
            (24, "hai mươi tư"),
            (25, "hai mươi lăm"),
            (14, "mười bốn"),
            (105, "một trăm linh năm"),
            (110, "một trăm mười"),
            (1001, "một nghìn không trăm linh một"),
            (1010, "một nghìn không trăm mười"),
            (10005, "mười nghìn không trăm linh năm"),
            (1_000_000, "một triệu"),
            (1_500_000, "một triệu năm trăm nghìn"),
            (2_021_000, "hai triệu không trăm hai mươi mốt nghìn"),
            (1_000_005, "một triệu không trăm linh năm"),
            (300_000, "ba trăm nghìn"),
            (1_000_000_000, "một tỷ"),
            (2_000_500_000, "hai tỷ năm trăm nghìn"),
            (
                999_999_999_999,
                "chín trăm chín mươi chín tỷ chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín",
            ),
            (41, "bốn mươi mốt"),
        ];
        for (n, want) in cases {
            assert_eq!(number_words(n), want, "{n}");
        }
        assert_eq!(money_words(1_500_000), "Một triệu năm trăm nghìn đồng");
    }

    #[test]
    fn alphabetical_order_is_vietnamese() {
        // The hand-written table's test, kept for both orders.
        for compare in [compare, compare_by_table] {
            let mut names = vec![
                "Đà Lạt",
                "Diên Khánh",
                "Ân",
                "An",
                "Ă",
                "Bình",
                "Ơn",
                "Ô",
                "Hoà",
                "Hòa",
                "Hỏa",
                "Hoa",
                "Á",
                "A",
            ];
            names.sort_by(|a, b| compare(a, b));
            assert_eq!(
                names,
                [
                    "A",
                    "Á",
                    "An",
                    "Ă",
                    "Ân",
                    "Bình",
                    "Diên Khánh",
                    "Đà Lạt",
                    "Hoa",
                    "Hoà",
                    "Hòa",
                    "Hỏa",
                    "Ô",
                    "Ơn"
                ]
            );
            assert_eq!(compare("Cam Lâm", "Cam Ranh"), Ordering::Less);
            assert_eq!(compare("Ưng", "Vạn Ninh"), Ordering::Less);
        }
        assert!(COLLATOR.is_some(), "the compiled collation data has Vietnamese");
    }

    #[test]
    fn tones_come_in_dictionary_order_wherever_the_mark_was_placed() {
        for compare in [compare, compare_by_table] {
            let mut tones = vec!["Mạ", "Má", "Mã", "Mả", "Mà", "Ma", "Mác", "Mai"];
            tones.sort_by(|a, b| compare(a, b));
            assert_eq!(tones, ["Ma", "Mà", "Mả", "Mã", "Má", "Mạ", "Mác", "Mai"]);
            // The tone of the syllable counts, not the letter the mark was typed on.
            let mut units = vec!["Uỷ ban xã Á", "Ủy ban xã A", "Hoá", "Hòa", "Thuỷ", "Thủy Tiên"];
            units.sort_by(|a, b| compare(a, b));
            assert_eq!(units, ["Hòa", "Hoá", "Thuỷ", "Thủy Tiên", "Ủy ban xã A", "Uỷ ban xã Á"]);
            assert_eq!(compare("Dương", "Đào"), Ordering::Less);
            assert_eq!(compare("Hòa", "Hoà"), "Hòa".cmp("Hoà"));
        }
    }

    #[test]
    fn numbers_in_names_go_by_their_value() {
        let mut teams = vec!["Tổ 10", "Tổ 2", "Tổ 1", "Tổ dân phố"];
        teams.sort_by(|a, b| compare(a, b));
        assert_eq!(teams, ["Tổ 1", "Tổ 2", "Tổ 10", "Tổ dân phố"]);
        // The table compared digit by digit.
        assert_eq!(compare_by_table("Tổ 10", "Tổ 2"), Ordering::Less);
    }

    #[test]
    fn sort_keys_order_as_compare_does() {
        let names =
            ["Đặng Minh Đức", "Dương Văn An", "Tổ 10", "Tổ 2", "Hòa", "Hoà", "Hoá", "ANH", "anh", "Ánh"];
        for a in names {
            for b in names {
                let by_key = sort_key(a).cmp(&sort_key(b)).then_with(|| a.cmp(b));
                assert_eq!(by_key, compare(a, b), "{a} {b}");
            }
        }
    }

    #[test]
    fn fold_ignores_case_spacing_and_tone_placement() {
        assert_eq!(fold("Khánh  Hòa"), fold("khánh hoà"));
        assert_eq!(fold("Thủy"), fold("THUỶ"));
        assert_eq!(fold("Ðơn vị:"), fold("đơn vị"));
        assert_ne!(fold("Hòa"), fold("Hóa"));
        assert_ne!(fold("Mô hình"), fold("Mo hinh"));
    }

    #[test]
    fn clean_text_normalises() {
        assert_eq!(clean_text("  Ðà Nẵng "), "Đà Nẵng");
        let nfd: String = "Khánh Hòa".nfd().collect();
        assert_eq!(clean_text(&nfd), "Khánh Hòa");
    }

    #[test]
    fn strip_marks_removes_every_diacritic() {
        assert_eq!(strip_marks("Người  KÝ:"), "nguoi ky");
        assert_eq!(strip_marks("Đơn vị"), "don vi");
        assert_eq!(strip_marks("Nguoi ky"), strip_marks("Người ký"));
    }

    #[test]
    fn unit_names_in_sentences_lower_their_unit_word() {
        for (unit, want) in [
            ("Huyện Trường Sa", "huyện Trường Sa"),
            ("Đặc khu Trường Sa", "đặc khu Trường Sa"),
            ("Thành phố Nha Trang", "thành phố Nha Trang"),
            ("Thị xã Ninh Hòa", "thị xã Ninh Hòa"),
            ("Xã Diên Khánh", "xã Diên Khánh"),
            ("Phường Bắc Nha Trang", "phường Bắc Nha Trang"),
            ("Thị trấn Vạn Giã", "thị trấn Vạn Giã"),
            ("Quận 1", "quận 1"),
            ("Tỉnh Khánh Hoà", "tỉnh Khánh Hoà"),
            ("HUYỆN TRƯỜNG SA", "huyện Trường Sa"),
            ("Thành phố Hồ Chí Minh", "Thành phố Hồ Chí Minh"),
            ("Ban Dân vận Huyện ủy Diên Khánh", "Ban Dân vận Huyện ủy Diên Khánh"),
            ("Xã", "Xã"),
            ("  Xãhội ", "Xãhội"),
        ] {
            assert_eq!(in_sentence(unit), want, "{unit}");
        }
    }

    #[test]
    fn agency_names_follow_the_capitalisation_rules() {
        for (upper, want) in [
            ("BAN DÂN VẬN TỈNH ỦY KHÁNH HÒA", "Ban Dân vận Tỉnh ủy Khánh Hòa"),
            ("ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA", "Ủy ban nhân dân tỉnh Khánh Hòa"),
            ("SỞ Y TẾ", "Sở Y tế"),
            ("BAN TUYÊN GIÁO VÀ DÂN VẬN TỈNH ỦY", "Ban Tuyên giáo và Dân vận Tỉnh ủy"),
            ("BAN DÂN VẬN", "Ban Dân vận"),
            ("TỈNH ỦY KHÁNH HÒA", "Tỉnh ủy Khánh Hòa"),
            ("THÀNH ỦY THÀNH PHỐ HỒ CHÍ MINH", "Thành ủy Thành phố Hồ Chí Minh"),
            ("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", "Ủy ban nhân dân Thành phố Hồ Chí Minh"),
            ("ỦY BAN NHÂN DÂN HUYỆN DIÊN KHÁNH", "Ủy ban nhân dân huyện Diên Khánh"),
            ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Sở Giáo dục và Đào tạo"),
            ("SỞ NỘI VỤ TỈNH KHÁNH HOÀ", "Sở Nội vụ tỉnh Khánh Hoà"),
            ("ỦY BAN KIỂM TRA TỈNH ỦY", "Ủy ban Kiểm tra Tỉnh ủy"),
            ("TRƯỞNG BAN DÂN VẬN TỈNH ỦY", "Trưởng Ban Dân vận Tỉnh ủy"),
            ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA", "Chủ tịch Ủy ban nhân dân tỉnh Khánh Hòa"),
            ("BAN THƯỜNG VỤ TỈNH ỦY", "Ban Thường vụ Tỉnh ủy"),
            ("ĐẢNG ỦY CÁC CƠ QUAN ĐẢNG TỈNH", "Đảng ủy Các cơ quan Đảng tỉnh"),
            ("ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH", "Đảng ủy Khối các cơ quan tỉnh"),
            (
                "ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM TỈNH KHÁNH HÒA",
                "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Khánh Hòa",
            ),
            ("ĐẢNG ỦY XÃ DIÊN KHÁNH", "Đảng ủy xã Diên Khánh"),
            ("BAN DÂN VẬN HUYỆN ỦY DIÊN KHÁNH", "Ban Dân vận Huyện ủy Diên Khánh"),
            ("ỦY BAN NHÂN DÂN PHƯỜNG BẮC NHA TRANG", "Ủy ban nhân dân phường Bắc Nha Trang"),
            ("SỞ Y TẾ THÀNH PHỐ HỒ CHÍ MINH", "Sở Y tế Thành phố Hồ Chí Minh"),
            ("ỦY BAN NHÂN DÂN ĐẶC KHU TRƯỜNG SA", "Ủy ban nhân dân đặc khu Trường Sa"),
            ("Ban Dân vận Tỉnh ủy Khánh Hòa", "Ban Dân vận Tỉnh ủy Khánh Hòa"),
            ("", ""),
        ] {
            assert_eq!(agency_name(upper), want, "{upper}");
        }
    }

    #[test]
    fn a_leading_phrase_the_cell_repeats_is_stripped() {
        let p = ["Xét đề nghị của", "Theo đề nghị của"];
        assert_eq!(strip_leading("Xét đề nghị của Tổ Thi đua", &p), "Tổ Thi đua");
        assert_eq!(strip_leading(" xét  ĐỀ nghị của: Tổ Thi đua ", &p), "Tổ Thi đua");
        assert_eq!(strip_leading("Theo đề nghị của Chánh Văn phòng", &p), "Chánh Văn phòng");
        assert_eq!(strip_leading("Tổ Thi đua", &p), "Tổ Thi đua");
        assert_eq!(strip_leading("Xét đề nghị", &p), "Xét đề nghị");
        assert_eq!(strip_leading("Xét đề nghị củaTổ", &p), "Xét đề nghị củaTổ");
        assert_eq!(strip_leading("", &p), "");
    }
}
