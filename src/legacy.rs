//! Legacy 8-bit Vietnamese encodings (TCVN3 and VNI) hidden in workbook cells.
//!
//! Before Unicode, Vietnamese offices typed with 8-bit fonts: the "ABC" fonts (`.VnTime`,
//! `.VnTimeH`) use TCVN3 (TCVN 5712:1993, level VN3) and the `VNI-Times` family uses VNI.
//! A workbook stores such text as if it were Latin-1 or Windows-1252, so a cell that prints
//! as "Nguyễn Thanh Hà" in `.VnTime` holds the characters "NguyÔn Thanh Hµ".
//!
//! * **TCVN3** gives every lowercase letter with a tone its own byte ("Ô" = ễ, "µ" = à,
//!   soft hyphen U+00AD = ư) and has own bytes for the capitals Ă Â Ê Ô Ơ Ư Đ. Capitals with
//!   tones have no bytes: the capital fonts (`.VnTimeH`, names ending in "H") print every
//!   letter as a capital, so "B¸O GI¸" in `.VnTimeH` is "BÁO GIÁ". Text in such a font, or,
//!   when the font is not known, a cell whose ASCII letters are all capitals, decodes to
//!   capitals ([`repair_in_fonts`]); other text keeps its case (a name's lowercase initial
//!   gets its capital back).
//! * **VNI** writes a base letter followed by a modifier byte ("aø" = à, "eã" = ễ, "AÙ" = Á)
//!   and has single codes for a few letters ("ñ" = đ, "ô" = ơ, "ö" = ư, "ò" = ị).
//!
//! The mappings live in `data/legacy/tcvn3.tsv` and `data/legacy/vni.tsv` (sources named in
//! their headers) and are parsed once. Neither table has a key in 0x80–0x9F, where
//! Windows-1252 and Latin-1 differ, so either reading of a cell decodes the same way, and
//! Windows-1252 punctuation there (’ “ ” – …) is left alone.
//!
//! # Detection rule
//!
//! [`detect`] never looks at fonts, only at the text of one cell:
//!
//! 1. A cell holding any Vietnamese letter outside Latin-1 (ă ơ ư đ ĩ ũ, ạ … ỹ, or a
//!    combining tone mark) is genuine Unicode and is never a candidate.
//! 2. Otherwise, for each encoding, the cell is split into words (runs of letters and of the
//!    encoding's key characters) and each word the encoding would change is decoded. A
//!    changed word is
//!    * *bad* if the result is not a Vietnamese syllable: an initial from the Vietnamese set,
//!      a known vowel group, a final from c ch k m n ng nh p t (k for minority place names
//!      such as Đăk), at most one tone, placed where Vietnamese puts it (on ă â ê ô ơ ư if
//!      present, else on the last vowel before a final, else the first of two vowels, either
//!      in oa oe uy), and c ch p t only with the sắc or nặng tone;
//!    * *strong* if the result is a syllable of two or more letters while the word as
//!      written is not one (even without the c ch p t tone rule, so French "tôt" stays
//!      plausible) or has a non-ASCII capital right after a lowercase letter ("TuÊn" =
//!      Tuấn): the word only makes sense decoded;
//!    * *weak* otherwise: both readings are plausible ("Mô" and "Mụ"), the result is one
//!      letter, or the word is "µ" plus untouched letters ("µm" is micrometres far more
//!      often than TCVN3 "àm").
//! 3. An encoding is accepted when it has at least one strong word, at most one bad word
//!    per two strong ones, and no more unchanged words holding a non-ASCII character it has
//!    no use for than changed words. If both are accepted, more strong words wins, then
//!    fewer bad words. A full tie (a lone "Thuû": TCVN3 Thuỷ or VNI Thủ) goes to the
//!    encoding most cells of the sheet are surely written in ([`majority`]), and to TCVN3,
//!    the more common of the two in office files, when nothing tells.
//!
//! Genuine Unicode text in Latin-1 letters only ("Mô hình", "café", "© 2023") is always
//! valid as written, so it can yield weak or bad words but never a strong one.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::decompose_canonical;

/// A legacy 8-bit Vietnamese encoding that cell text can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legacy {
    /// TCVN3 (TCVN 5712:1993 VN3), the encoding of the "ABC" fonts `.VnTime` and `.VnTimeH`.
    Tcvn3,
    /// VNI-Windows, the encoding of the `VNI-Times` font family.
    Vni,
}

impl Legacy {
    /// The usual short name of the encoding: "TCVN3" or "VNI".
    pub fn name(self) -> &'static str {
        match self {
            Legacy::Tcvn3 => "TCVN3",
            Legacy::Vni => "VNI",
        }
    }

    fn table(self) -> &'static Table {
        match self {
            Legacy::Tcvn3 => &TCVN3,
            Legacy::Vni => &VNI,
        }
    }
}

/// Decides whether one cell's text is written in a legacy encoding, and which.
///
/// Returns `None` for genuine Unicode and for ordinary text; see the module documentation
/// for the rule. Short cells with no telling word (a lone "Cã", which could be a typo of
/// "có" or TCVN3 for it) are left as `None` on purpose. A tie goes to TCVN3.
pub fn detect(s: &str) -> Option<Legacy> {
    match decide(s) {
        Decision::Unicode => None,
        Decision::Sure(enc) => Some(enc),
        Decision::Tie => Some(Legacy::Tcvn3),
    }
}

/// The encoding most `decisions` are sure of (ties not counted): VNI when more cells are
/// surely VNI than surely TCVN3, else TCVN3.
pub fn majority(decisions: impl IntoIterator<Item = Decision>) -> Legacy {
    let (mut tcvn3, mut vni) = (0usize, 0usize);
    for decision in decisions {
        match decision {
            Decision::Sure(Legacy::Tcvn3) => tcvn3 += 1,
            Decision::Sure(Legacy::Vni) => vni += 1,
            _ => {}
        }
    }
    if vni > tcvn3 { Legacy::Vni } else { Legacy::Tcvn3 }
}

/// How one cell's text reads (see the module documentation for the rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Unicode or ordinary text.
    Unicode,
    /// Written in this encoding: it reads better than the other.
    Sure(Legacy),
    /// Both encodings read equally well (a lone "Thuû": TCVN3 Thuỷ or VNI Thủ).
    Tie,
}

/// Decides how `s` reads: genuine text, surely one legacy encoding, or either.
pub fn decide(s: &str) -> Decision {
    if s.is_ascii() || s.chars().any(is_vietnamese_beyond_latin1) {
        return Decision::Unicode;
    }
    let tcvn3 = score(s, Legacy::Tcvn3);
    let vni = score(s, Legacy::Vni);
    match (tcvn3.accepted(), vni.accepted()) {
        // More strong words wins, then fewer bad ones.
        (true, true) => match (vni.strong, tcvn3.bad).cmp(&(tcvn3.strong, vni.bad)) {
            std::cmp::Ordering::Greater => Decision::Sure(Legacy::Vni),
            std::cmp::Ordering::Less => Decision::Sure(Legacy::Tcvn3),
            std::cmp::Ordering::Equal => Decision::Tie,
        },
        (true, false) => Decision::Sure(Legacy::Tcvn3),
        (false, true) => Decision::Sure(Legacy::Vni),
        (false, false) => Decision::Unicode,
    }
}

/// Decodes text written in `enc` (as read from the cell via Latin-1 or Windows-1252) into
/// Unicode in NFC.
///
/// Characters that are not part of the encoding's table pass through unchanged, so decoding
/// text that is not legacy-encoded garbles only its Latin-1 letters and symbols.
pub fn decode(s: &str, enc: Legacy) -> String {
    enc.table().apply(s).nfc().collect()
}

/// Detects and decodes in one call: `Some((encoding, unicode_text))` when [`detect`] finds
/// `s` legacy-encoded, `None` otherwise.
pub fn repair(s: &str) -> Option<(Legacy, String)> {
    repair_preferring(s, Legacy::Tcvn3)
}

/// [`repair`] with a tie going to `tie`: the encoding the rest of the sheet is written in.
pub fn repair_preferring(s: &str, tie: Legacy) -> Option<(Legacy, String)> {
    repair_decided(s, decide(s), tie)
}

/// [`repair`] of `s` already judged by [`decide`] as `decision`, a tie going to `tie`.
pub fn repair_decided(s: &str, decision: Decision, tie: Legacy) -> Option<(Legacy, String)> {
    repair_in_fonts(s, decision, tie, &[])
}

/// How a font shows the letters of TCVN3 text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Case {
    /// Not known: no font was seen, or one that is not a TCVN3 font.
    #[default]
    Unknown,
    /// A TCVN3 font that shows letters as typed (`.VnTime`, `.VnArial`).
    AsTyped,
    /// A TCVN3 font that shows every letter as a capital (`.VnTimeH`, `.VnArialH`,
    /// `.VnTifani HeavyH`): the byte for "á" prints "Á".
    Capitals,
}

impl Case {
    /// How the font named `name` shows TCVN3 text: the ABC fonts' names start with ".Vn", and
    /// those of the capital set end in "H".
    pub fn of_font(name: &str) -> Case {
        let name = name.trim();
        if !name.get(..3).is_some_and(|p| p.eq_ignore_ascii_case(".vn")) {
            Case::Unknown
        } else if name.len() > 3 && name.ends_with('H') {
            Case::Capitals
        } else {
            Case::AsTyped
        }
    }
}

/// [`repair_decided`] knowing the fonts of the cell's text: `runs` are (characters of `s`,
/// case) from its start, an empty slice when nothing is known. TCVN3 has no capitals with a
/// tone, so text in a capital font (`.VnTimeH`) comes out in capitals: "B¸O GI¸" →
/// "BÁO GIÁ". Where the font is not known, a cell whose ASCII letters (two or more) are all
/// capitals is taken to be in such a font; mixed-case text ("Tr\u{a7}n V\u{a8}n") is left
/// in its case.
pub fn repair_in_fonts(
    s: &str,
    decision: Decision,
    tie: Legacy,
    runs: &[(usize, Case)],
) -> Option<(Legacy, String)> {
    let enc = match decision {
        Decision::Unicode => return None,
        Decision::Sure(enc) => enc,
        Decision::Tie => tie,
    };
    let decoded = enc.table().apply(s);
    let mut fixed: String = decoded.nfc().collect();
    if enc == Legacy::Tcvn3 {
        fixed = capitalize_name(&fixed);
    }
    // A decoding that itself reads as legacy text ("b¤" → "bÔ" → "bễ") is no confident
    // reading: the cell is left as typed, so cleaning twice gives what cleaning once gave.
    if detect(&fixed).is_some() {
        return None;
    }
    if enc == Legacy::Tcvn3
        && let Some(capitals) = in_capitals(s, &decoded, runs)
        && detect(&capitals).is_none()
    {
        fixed = capitals;
    }
    Some((enc, fixed))
}

/// `decoded` (TCVN3 decodes one character to one, so it lines up with `s`) with the
/// characters shown by a capital font in capitals, NFC; None when there are none.
fn in_capitals(s: &str, decoded: &str, runs: &[(usize, Case)]) -> Option<String> {
    let ascii_letters = || s.chars().filter(char::is_ascii_alphabetic);
    let looks_capital = ascii_letters().count() >= 2 && ascii_letters().all(|c| c.is_ascii_uppercase());
    let unknown = if looks_capital { Case::Capitals } else { Case::AsTyped };
    let mut cases = runs.iter().flat_map(|&(n, case)| std::iter::repeat_n(case, n));
    let mut changed = false;
    let mut out = String::with_capacity(decoded.len());
    for c in decoded.chars() {
        let case = match cases.next().unwrap_or(Case::Unknown) {
            Case::Unknown => unknown,
            known => known,
        };
        if case == Case::Capitals && c.is_lowercase() {
            out.extend(c.to_uppercase());
            changed = true;
        } else {
            out.push(c);
        }
    }
    changed.then(|| capitalize_name(&out.nfc().collect::<String>()))
}

/// TCVN3 has no capitals with tones, so a typist wrote "¸nh" for the given name Ánh: in a
/// name whose every other word is capitalised ("Nguyễn Thị ánh Liên"), a word starting with a
/// lowercase letter beyond ASCII gets its capital back.
fn capitalize_name(s: &str) -> String {
    let words: Vec<&str> = s.split(' ').filter(|w| !w.is_empty()).collect();
    let starts = |w: &str, f: fn(&char) -> bool| w.chars().next().is_some_and(|c| f(&c));
    let lowered = |w: &str| starts(w, |c| c.is_lowercase() && !c.is_ascii());
    let capitals = words.iter().filter(|w| starts(w, |c| c.is_uppercase())).count();
    if capitals < 2 || !words.iter().all(|w| lowered(w) || starts(w, |c| c.is_uppercase())) {
        return s.to_string();
    }
    s.split(' ')
        .map(|w| {
            if lowered(w) {
                let mut chars = w.chars();
                chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

static TCVN3: LazyLock<Table> = LazyLock::new(|| Table::parse(include_str!("../data/legacy/tcvn3.tsv")));
static VNI: LazyLock<Table> = LazyLock::new(|| Table::parse(include_str!("../data/legacy/vni.tsv")));

/// One parsed mapping table: legacy sequence → Unicode.
struct Table {
    map: HashMap<&'static str, &'static str>,
    /// Longest key, in characters (1 for TCVN3, 2 for VNI).
    max_key: usize,
    /// Every non-ASCII character that occurs in some key; used to find words.
    key_chars: HashSet<char>,
    /// Characters the encoding keeps as they are (VNI's ì í Ì Í).
    identities: HashSet<char>,
}

impl Table {
    /// Parses `legacy<TAB>unicode` lines, skipping blank lines and `#` comments. Malformed
    /// lines are skipped rather than panicking; the unit tests check there are none.
    fn parse(text: &'static str) -> Table {
        let mut map = HashMap::new();
        let mut max_key = 1;
        let mut key_chars = HashSet::new();
        let mut identities = HashSet::new();
        for (key, value) in table_lines(text).into_iter().flatten() {
            if key == value {
                identities.extend(key.chars());
            }
            max_key = max_key.max(key.chars().count());
            key_chars.extend(key.chars().filter(|c| !c.is_ascii()));
            map.insert(key, value);
        }
        Table { map, max_key, key_chars, identities }
    }

    /// Replaces, left to right, the longest key starting at each position.
    fn apply(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len() + s.len() / 2);
        let mut rest = s;
        'outer: while let Some(first) = rest.chars().next() {
            // Byte lengths of the first 1, 2, … max_key characters; tried longest first.
            let lens: Vec<usize> = rest
                .char_indices()
                .map(|(i, _)| i)
                .skip(1)
                .chain(std::iter::once(rest.len()))
                .take(self.max_key)
                .collect();
            for &len in lens.iter().rev() {
                if let Some(value) = self.map.get(&rest[..len]) {
                    out.push_str(value);
                    rest = &rest[len..];
                    continue 'outer;
                }
            }
            out.push(first);
            rest = &rest[first.len_utf8()..];
        }
        out
    }

    fn is_word_char(&self, c: char) -> bool {
        c.is_alphabetic() || self.key_chars.contains(&c)
    }
}

/// Splits a table file into `Some((key, value))` per mapping line and `None` per malformed
/// line (anything but exactly two non-empty tab-separated fields).
fn table_lines(text: &'static str) -> Vec<Option<(&'static str, &'static str)>> {
    text.lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| {
            let mut fields = line.split('\t');
            match (fields.next(), fields.next(), fields.next()) {
                (Some(k), Some(v), None) if !k.is_empty() && !v.is_empty() => Some((k, v)),
                _ => None,
            }
        })
        .collect()
}

/// Letters that only genuine Unicode Vietnamese has: outside Latin-1, so no legacy cell read
/// as Latin-1 or Windows-1252 can contain them.
fn is_vietnamese_beyond_latin1(c: char) -> bool {
    matches!(c, 'ă' | 'Ă' | 'ơ' | 'Ơ' | 'ư' | 'Ư' | 'đ' | 'Đ' | 'ĩ' | 'Ĩ' | 'ũ' | 'Ũ')
        || ('\u{1EA0}'..='\u{1EF9}').contains(&c)
        || TONE_MARKS.contains(&c)
}

/// How the words of one cell fare under one encoding.
#[derive(Debug, Default)]
struct Score {
    strong: usize,
    weak: usize,
    bad: usize,
    changed: usize,
    /// Words left unchanged although they hold a non-ASCII character the encoding has no
    /// use for.
    foreign: usize,
}

impl Score {
    fn accepted(&self) -> bool {
        self.strong >= 1 && self.bad * 2 <= self.strong && self.foreign <= self.changed
    }
}

fn score(s: &str, enc: Legacy) -> Score {
    let table = enc.table();
    let mut score = Score::default();
    for word in s.split(|c| !table.is_word_char(c)).filter(|w| !w.is_empty()) {
        if word.is_ascii() {
            continue;
        }
        let decoded = table.apply(word);
        if decoded == word {
            if word.chars().any(|c| !c.is_ascii() && !table.identities.contains(&c)) {
                score.foreign += 1;
            }
            continue;
        }
        score.changed += 1;
        if !is_syllable(&decoded) {
            score.bad += 1;
        } else if (could_be_syllable(word) && !has_inner_capital(word))
            || decoded.chars().count() < 2
            || is_micro_unit(word, enc, table)
        {
            score.weak += 1;
        } else {
            score.strong += 1;
        }
    }
    score
}

/// "TuÊn", "ThÕ": a non-ASCII capital right after a lowercase letter. Genuine words do not
/// mix case like that, but TCVN3 stores lowercase ấ ế ề … as the Latin-1 capitals Ê Õ Ò ….
fn has_inner_capital(word: &str) -> bool {
    let chars: Vec<char> = word.chars().collect();
    chars.windows(2).any(|w| w[0].is_lowercase() && w[1].is_uppercase() && !w[1].is_ascii())
}

/// "µm", "µl": a micro sign starting a word whose other characters the table leaves alone.
fn is_micro_unit(word: &str, enc: Legacy, table: &Table) -> bool {
    enc == Legacy::Tcvn3
        && word.starts_with('µ')
        && word.chars().skip(1).all(|c| !table.key_chars.contains(&c))
}

const TONE_MARKS: [char; 5] = ['\u{0300}', '\u{0301}', '\u{0303}', '\u{0309}', '\u{0323}'];
const VOWELS: &str = "aăâeêioôơuưy";
const ALPHABET: &str = "aăâbcdđeêghiklmnoôơpqrstuưvxy";
const INITIALS: [&str; 28] = [
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "đ", "g", "h", "k",
    "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
];
// "k" ends minority place names spelt in Vietnamese letters (Đăk Lăk, Ngọk Linh).
const FINALS: [&str; 10] = ["", "c", "ch", "k", "m", "n", "ng", "nh", "p", "t"];
/// Vowel groups that may end a syllable or take a final consonant.
const OPEN_OR_CLOSED: [&str; 14] = ["a", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "oa", "oe", "uê", "uy"];
// "oo" (boong, xoong) is left out: it is rare, and VNI "oâ" (= ô) reads as TCVN3 "oõ".
/// Vowel groups that need a final consonant.
const CLOSED_ONLY: [&str; 9] = ["ă", "â", "oă", "uâ", "iê", "yê", "uô", "ươ", "uyê"];
/// Vowel groups that end the syllable (their last letter is already a glide, or "ia" "ua" "ưa").
const OPEN_ONLY: [&str; 29] = [
    "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi", "ui", "ưi", "ưu", "ua",
    "ưa", "uơ", "oai", "oay", "oao", "oeo", "uây", "uôi", "ươi", "ươu", "uya", "uyu",
];
const OPEN_ONLY_LONG: [&str; 2] = ["iêu", "yêu"];

/// Whether `word` has the shape of one Vietnamese syllable (any letter case), with its tone
/// where Vietnamese spelling puts it.
fn is_syllable(word: &str) -> bool {
    syllable_shape(word, true)
}

/// Like [`is_syllable`] but without the rule that c ch p t need the sắc or nặng tone, so
/// that a foreign word such as French "tôt" still counts as a plausible reading as written.
fn could_be_syllable(word: &str) -> bool {
    syllable_shape(word, false)
}

fn syllable_shape(word: &str, stop_tone_rule: bool) -> bool {
    let mut letters = String::with_capacity(word.len());
    let mut count = 0;
    // The tone mark and the index (in letters) of the letter carrying it.
    let mut tone: Option<(char, usize)> = None;
    let mut ok = true;
    for c in word.chars().flat_map(char::to_lowercase) {
        decompose_canonical(c, |d| {
            if TONE_MARKS.contains(&d) {
                ok &= count > 0 && tone.replace((d, count.max(1) - 1)).is_none();
            } else if matches!(d, '\u{0302}' | '\u{0306}' | '\u{031B}') {
                match letters.pop().and_then(|base| add_shape(base, d)) {
                    Some(shaped) => letters.push(shaped),
                    None => ok = false,
                }
            } else {
                ok &= ALPHABET.contains(d);
                letters.push(d);
                count += 1;
            }
        });
        if !ok {
            return false;
        }
    }
    let stop_tone_ok = !stop_tone_rule || matches!(tone, Some(('\u{0301}' | '\u{0323}', _)));
    INITIALS.iter().any(|initial| {
        let Some(rest) = letters.strip_prefix(initial) else { return false };
        let tone_at = match tone {
            None => None,
            Some((_, at)) => match at.checked_sub(initial.chars().count()) {
                Some(at) => Some(at),
                None => return false,
            },
        };
        is_rime(initial, rest, stop_tone_ok, tone_at)
    })
}

fn add_shape(base: char, mark: char) -> Option<char> {
    match (base, mark) {
        ('a', '\u{0302}') => Some('â'),
        ('a', '\u{0306}') => Some('ă'),
        ('e', '\u{0302}') => Some('ê'),
        ('o', '\u{0302}') => Some('ô'),
        ('o', '\u{031B}') => Some('ơ'),
        ('u', '\u{031B}') => Some('ư'),
        _ => None,
    }
}

/// Whether `rest` (after `initial`) is a vowel group plus an allowed final, with the tone (at
/// `tone_at` letters into `rest`) on the right vowel.
fn is_rime(initial: &str, rest: &str, stop_tone_ok: bool, tone_at: Option<usize>) -> bool {
    let split = rest.find(|c: char| !VOWELS.contains(c)).unwrap_or(rest.len());
    let (vowels, fin) = rest.split_at(split);
    if vowels.is_empty() || !FINALS.contains(&fin) {
        return false;
    }
    let has_final = !fin.is_empty();
    let group_ok = if has_final {
        OPEN_OR_CLOSED.contains(&vowels) || CLOSED_ONLY.contains(&vowels)
    } else {
        OPEN_OR_CLOSED.contains(&vowels) || OPEN_ONLY.contains(&vowels) || OPEN_ONLY_LONG.contains(&vowels)
    };
    if !group_ok {
        return false;
    }
    if matches!(fin, "c" | "ch" | "p" | "t") && !stop_tone_ok {
        return false;
    }
    let last = vowels.chars().last().unwrap_or('a');
    if matches!(fin, "ch" | "nh") && !matches!(last, 'a' | 'ê' | 'i' | 'y') {
        return false;
    }
    if matches!(fin, "c" | "ng") && matches!(vowels, "i" | "y" | "ê" | "uy") {
        return false;
    }
    if tone_at.is_some_and(|at| !tone_well_placed(vowels, has_final, at)) {
        return false;
    }
    let front = vowels.starts_with(['e', 'ê', 'i', 'y']);
    match initial {
        // "k" also starts place names before a o u (Bắc Kạn, Kon Tum).
        "gh" | "ngh" => front,
        "c" | "ng" => !front,
        // "qu" already holds the glide, so no second "u"/"o" glide may follow.
        "qu" => !vowels.starts_with(['u', 'o']),
        _ => true,
    }
}

/// Where the tone goes in a vowel group: on the last of ă â ê ô ơ ư if there is one; else on
/// the last vowel before a final consonant; else on the first of two vowels (either one in
/// "oa" "oe" "uy", which old and new spelling place differently) or the middle of three.
fn tone_well_placed(vowels: &str, has_final: bool, at: usize) -> bool {
    let len = vowels.chars().count();
    if at >= len {
        return false;
    }
    if let Some(shaped) =
        vowels.chars().enumerate().filter(|(_, c)| "ăâêôơư".contains(*c)).map(|(i, _)| i).last()
    {
        return at == shaped;
    }
    match (has_final, len) {
        (_, 1) => true,
        (true, _) => at == len - 1,
        (false, 2) => matches!(vowels, "oa" | "oe" | "uy") || at == 0,
        (false, _) => at == 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use unicode_normalization::is_nfc;

    /// Unicode → legacy through the inverse of a table (every value is one character and
    /// names one key, so the inverse is a plain map).
    fn encode(s: &str, enc: Legacy) -> String {
        let mut inverse: HashMap<char, &str> = HashMap::new();
        for (key, value) in table_lines(table_text(enc)).into_iter().flatten() {
            let mut chars = value.chars();
            if let (Some(c), None) = (chars.next(), chars.next()) {
                inverse.insert(c, key);
            }
        }
        s.chars().map(|c| inverse.get(&c).map_or_else(|| c.to_string(), |k| k.to_string())).collect()
    }

    fn table_text(enc: Legacy) -> &'static str {
        match enc {
            Legacy::Tcvn3 => include_str!("../data/legacy/tcvn3.tsv"),
            Legacy::Vni => include_str!("../data/legacy/vni.tsv"),
        }
    }

    const LEGACY_EXAMPLES: [(&str, Legacy, &str); 11] = [
        ("NguyÔn Thanh Hµ", Legacy::Tcvn3, "Nguyễn Thanh Hà"),
        ("M« h×nh", Legacy::Tcvn3, "Mô hình"),
        ("Uû ban nh©n d©n", Legacy::Tcvn3, "Uỷ ban nhân dân"),
        ("Tr\u{AD}êng", Legacy::Tcvn3, "Trường"),
        ("Uû ban nh©n d©n tØnh Kh¸nh Hßa", Legacy::Tcvn3, "Uỷ ban nhân dân tỉnh Khánh Hòa"),
        ("N÷", Legacy::Tcvn3, "Nữ"),
        ("Phan TuÊn Anh", Legacy::Tcvn3, "Phan Tuấn Anh"),
        ("§ç ThÞ Nh\u{AD} Quúnh", Legacy::Tcvn3, "Đỗ Thị Như Quỳnh"),
        ("Xin chaøo", Legacy::Vni, "Xin chào"),
        ("Nguyeãn", Legacy::Vni, "Nguyễn"),
        ("Nguyeãn Vaên A", Legacy::Vni, "Nguyễn Văn A"),
    ];

    #[test]
    fn a_name_gets_back_the_capital_tcvn3_cannot_write() {
        assert_eq!(repair("NguyÔn ThÞ ¸nh Liªn"), Some((Legacy::Tcvn3, "Nguyễn Thị Ánh Liên".to_string())));
        // Not in a sentence, where lowercase words are words.
        assert_eq!(repair("Tæ chøc ¸nh s¸ng"), Some((Legacy::Tcvn3, "Tổ chức ánh sáng".to_string())));
    }

    #[test]
    fn a_tie_goes_to_the_encoding_the_other_cells_are_in() {
        assert_eq!(repair("Thuû"), Some((Legacy::Tcvn3, "Thuỷ".to_string())));
        assert_eq!(repair_preferring("Thuû", Legacy::Vni), Some((Legacy::Vni, "Thủ".to_string())));
        // Sure cells decide; ties and Unicode do not count.
        assert_eq!(
            majority(["Nguyeãn Vaên A", "HAØ NOÄI", "NguyÔn Thanh Hµ", "Thuû", "Hà Nội"].map(decide)),
            Legacy::Vni
        );
        assert_eq!(majority(["Nguyeãn Vaên A", "NguyÔn Thanh Hµ", "Thuû"].map(decide)), Legacy::Tcvn3);
        assert_eq!(majority(["Thuû", "Hà Nội"].map(decide)), Legacy::Tcvn3);
    }

    #[test]
    fn legacy_examples_are_detected_and_decoded() {
        for (legacy, enc, unicode) in LEGACY_EXAMPLES {
            assert_eq!(detect(legacy), Some(enc), "{legacy}");
            assert_eq!(decode(legacy, enc), unicode, "{legacy}");
            assert_eq!(repair(legacy), Some((enc, unicode.to_string())), "{legacy}");
        }
    }

    #[test]
    fn ordinary_text_is_not_detected() {
        for s in [
            "Mô hình",
            "Nguyễn Thanh Hà",
            "Uỷ ban nhân dân tỉnh Khánh Hòa",
            "Trường",
            "Giá 5 µg",
            "Dây dài 5 µm",
            "µm",
            "µ",
            "© 2023 Sở Y tế",
            "© 2023 Công ty",
            "Hello, world",
            "The quick brown fox jumps over the lazy dog.",
            "café",
            "Un café crème à Noël, s'il vous plaît",
            "Ð",
            // Eth typed for Đ in genuine Unicode (workbook.rs repairs those separately).
            "Ðinh Thanh Hà",
            "Ðoàn",
            "½",
            "§ 3",
            "« Bonjour »",
            "3 × 4 ÷ 2",
            "1234",
            "12.345,67",
            "",
            " ",
            "nguyen.van.a@example.com",
            "Hoàng Minh Tú",
            "Toán",
            "Tôi",
            "José Müller",
            "España",
            "Göttingen",
            "tôt",
            "Nguyễn Văn A",
            "Xin chào",
            "a\u{301}",
        ] {
            assert_eq!(detect(s), None, "{s:?}");
            assert_eq!(repair(s), None, "{s:?}");
        }
    }

    #[test]
    fn tables_are_well_formed() {
        for enc in [Legacy::Tcvn3, Legacy::Vni] {
            let lines = table_lines(table_text(enc));
            assert!(lines.iter().all(Option::is_some), "{} has a malformed line", enc.name());
            let pairs: Vec<_> = lines.into_iter().flatten().collect();
            let keys: HashSet<_> = pairs.iter().map(|(k, _)| *k).collect();
            assert_eq!(keys.len(), pairs.len(), "{} has a duplicate key", enc.name());
            assert_eq!(enc.table().map.len(), pairs.len());
            for (key, value) in &pairs {
                assert!(is_nfc(value), "{key:?} -> {value:?} is not NFC");
                assert!(
                    value.chars().all(|c| is_vietnamese_letter(c) && !c.is_ascii()),
                    "{key:?} -> {value:?}"
                );
                assert!(key.chars().all(|c| (c as u32) < 0x100), "{key:?} is not Latin-1");
                assert!(key.chars().all(|c| !('\u{80}'..='\u{9F}').contains(&c)), "{key:?}");
                assert_eq!(decode(key, enc), *value, "{} {key:?}", enc.name());
                assert_eq!(encode(value, enc), *key, "{} {value:?}", enc.name());
                // Identities: VNI keeps ì í Ì Í, TCVN3 keeps ý.
                let kept = if enc == Legacy::Vni { "ìíÌÍ" } else { "ý" };
                assert!(key != value || kept.contains(*key), "{key:?}");
            }
        }
        assert_eq!(TCVN3.map.len(), 74);
        assert_eq!(VNI.map.len(), 134);
    }

    fn is_vietnamese_letter(c: char) -> bool {
        is_syllable(&c.to_string()) || ALPHABET.contains(c.to_lowercase().next().unwrap_or(c)) || {
            let mut base = String::new();
            decompose_canonical(c, |d| base.push(d));
            base.chars().next().is_some_and(|b| ALPHABET.contains(b.to_ascii_lowercase()))
        }
    }

    #[test]
    fn tcvn3_sentence() {
        let legacy = "Uû ban nh©n d©n tØnh Kh¸nh Hßa";
        assert_eq!(repair(legacy), Some((Legacy::Tcvn3, "Uỷ ban nhân dân tỉnh Khánh Hòa".to_string())));
        let unicode = "trường trung học cơ sở nguyễn trãi, năm học 2023–2024";
        let legacy = encode(unicode, Legacy::Tcvn3);
        assert_eq!(legacy, "tr\u{AD}êng trung häc c¬ së nguyÔn tr·i, n¨m häc 2023–2024");
        assert_eq!(repair(&legacy), Some((Legacy::Tcvn3, unicode.to_string())));
    }

    #[test]
    fn vni_sentence() {
        let unicode = "Ủy ban nhân dân tỉnh Khánh Hòa, Trường Tiểu học Lê Lợi, điện thoại 0258";
        let legacy = encode(unicode, Legacy::Vni);
        assert_eq!(
            legacy,
            "UÛy ban nhaân daân tænh Khaùnh Hoøa, Tröôøng Tieåu hoïc Leâ Lôïi, ñieän thoaïi 0258"
        );
        assert_eq!(detect(&legacy), Some(Legacy::Vni));
        assert_eq!(decode(&legacy, Legacy::Vni), unicode);
    }

    #[test]
    fn windows_1252_punctuation_is_kept() {
        let legacy = "Tr\u{AD}êng “NguyÔn Tr·i” – n¨m häc 2023…";
        let unicode = "Trường “Nguyễn Trãi” – năm học 2023…";
        assert_eq!(repair(legacy), Some((Legacy::Tcvn3, unicode.to_string())));
        // C1 controls (bytes 0x80-0x9F read as Latin-1) pass through too.
        assert_eq!(decode("\u{93}M« h×nh\u{94}", Legacy::Tcvn3), "\u{93}Mô hình\u{94}");
    }

    #[test]
    fn vni_capitals() {
        assert_eq!(repair("HAØ NOÄI"), Some((Legacy::Vni, "HÀ NỘI".to_string())));
        assert_eq!(repair("ÑOÀNG THAÙP"), Some((Legacy::Vni, "ĐỒNG THÁP".to_string())));
        assert_eq!(decode("ÑAÉK LAÉK", Legacy::Vni), "ĐẮK LẮK");
    }

    #[test]
    fn tcvn3_capitals_decode_to_capitals() {
        // .VnTimeH text seen without its font: its ASCII letters are all capitals.
        assert_eq!(repair("UBND TØNH KH¸NH HßA"), Some((Legacy::Tcvn3, "UBND TỈNH KHÁNH HÒA".to_string())));
        assert_eq!(repair("B¸O GI¸ THIÕT BÞ"), Some((Legacy::Tcvn3, "BÁO GIÁ THIẾT BỊ".to_string())));
        // Decoding alone keeps the codes' case; the capital codes are capitals anyway.
        assert_eq!(decode("B¸O GI¸", Legacy::Tcvn3), "BáO GIá");
        assert_eq!(decode("§¡K L¡K ¢N ¥N ¦U £N ¤N", Legacy::Tcvn3), "ĐĂK LĂK ÂN ƠN ƯU ÊN ÔN");
        // Mixed case is left in its case, names getting their initials.
        assert_eq!(repair("Tr\u{a7}n V\u{a8}n"), None, "no telling word: left as typed");
        assert_eq!(repair("TrÇn V¨n B×nh"), Some((Legacy::Tcvn3, "Trần Văn Bình".to_string())));
        assert_eq!(repair("NguyÔn ThÞ ¸nh"), Some((Legacy::Tcvn3, "Nguyễn Thị Ánh".to_string())));
        // One capital is no telling sign ("Tæ" is "Tổ" as often as "TỔ").
        assert_eq!(repair("Tæ 1"), Some((Legacy::Tcvn3, "Tổ 1".to_string())));
    }

    #[test]
    fn the_font_decides_the_case_of_tcvn3_text() {
        assert_eq!(Case::of_font(".VnTimeH"), Case::Capitals);
        assert_eq!(Case::of_font(".VnArialH"), Case::Capitals);
        assert_eq!(Case::of_font(".VnTifani HeavyH"), Case::Capitals);
        assert_eq!(Case::of_font(".VnTime"), Case::AsTyped);
        assert_eq!(Case::of_font(".vnarial"), Case::AsTyped);
        assert_eq!(Case::of_font("Times New Roman"), Case::Unknown);
        assert_eq!(Case::of_font("VNI-Times"), Case::Unknown);
        assert_eq!(Case::of_font("Arial Black"), Case::Unknown);
        let fix = |s: &str, runs: &[(usize, Case)]| {
            repair_in_fonts(s, decide(s), Legacy::Tcvn3, runs).map(|(_, text)| text)
        };
        let all = |case| [(usize::MAX, case)];
        assert_eq!(fix("B¸o gi¸ thiÕt bÞ", &all(Case::Capitals)).as_deref(), Some("BÁO GIÁ THIẾT BỊ"));
        assert_eq!(fix("B¸O GI¸ THIÕT BÞ", &all(Case::Capitals)).as_deref(), Some("BÁO GIÁ THIẾT BỊ"));
        // In a font that shows letters as typed, the typist saw "BáO": that is what it says.
        assert_eq!(fix("B¸O GI¸ THIÕT BÞ", &all(Case::AsTyped)).as_deref(), Some("BáO GIá THIếT Bị"));
        assert_eq!(fix("NguyÔn Thanh Hµ", &all(Case::AsTyped)).as_deref(), Some("Nguyễn Thanh Hà"));
        assert_eq!(fix("NguyÔn Thanh Hµ", &all(Case::Capitals)).as_deref(), Some("NGUYỄN THANH HÀ"));
        // Runs: "B¸o gi¸ " in .VnTimeH, the rest in .VnTime; a run of unknown font is judged
        // by the whole cell, which has lowercase letters.
        let runs = [(8, Case::Capitals), (9, Case::AsTyped)];
        assert_eq!(fix("B¸o gi¸ thiÕt bÞ", &runs).as_deref(), Some("BÁO GIÁ thiết bị"));
        let runs = [(8, Case::Capitals), (9, Case::Unknown)];
        assert_eq!(fix("B¸o gi¸ thiÕt bÞ", &runs).as_deref(), Some("BÁO GIÁ thiết bị"));
        // VNI writes its capitals: fonts change nothing.
        assert_eq!(fix("HAØ NOÄI", &all(Case::Capitals)).as_deref(), Some("HÀ NỘI"));
        assert_eq!(fix("Hà Nội", &all(Case::Capitals)), None);
    }

    #[test]
    fn syllable_shapes() {
        for w in [
            "Nguyễn",
            "trường",
            "nghiêng",
            "quốc",
            "gì",
            "giữa",
            "khuỷu",
            "Uỷ",
            "hòa",
            "hoà",
            "TRƯỜNG",
            "oanh",
            "ươm",
            "yêu",
            "việc",
            "thuở",
            "khuếch",
            "à",
            "ạ",
            "thuý",
            "thúy",
            "giá",
            "khuya",
            "ngoài",
            "người",
            "tàu",
        ] {
            assert!(is_syllable(w), "{w}");
        }
        for w in [
            "café",
            "cafộ",
            "àg",
            "â",
            "ăn\u{301}\u{300}",
            "hàt",
            "ghan",
            "cem",
            "xoõng",
            "Perỳ",
            "xyz",
            "đ",
            "µm",
            "taù",
            "tòan",
            "gí\u{301}",
            "qúy",
        ] {
            assert!(!is_syllable(w), "{w}");
        }
    }

    const WORDS: [&str; 52] = [
        "Nguyễn",
        "Trần",
        "Lê",
        "Phạm",
        "Hoàng",
        "Huỳnh",
        "Phan",
        "Vũ",
        "Võ",
        "Đặng",
        "Bùi",
        "Đỗ",
        "Hồ",
        "Ngô",
        "Dương",
        "Lý",
        "Thị",
        "Văn",
        "Hà",
        "Hòa",
        "Khánh",
        "Tuấn",
        "Quý",
        "Thúy",
        "Tâm",
        "Châu",
        "Kiên",
        "Quân",
        "Mô",
        "hình",
        "trường",
        "học",
        "giáo",
        "viên",
        "tỉnh",
        "huyện",
        "xã",
        "phường",
        "nhân",
        "dân",
        "ủy",
        "ban",
        "cộng",
        "hòa",
        "sở",
        "hội",
        "chủ",
        "nghĩa",
        "việt",
        "nam",
        "độc",
        "lập",
    ];

    /// Words whose legacy spelling gives them away: in TCVN3 one with a symbol byte ("®",
    /// "¬", soft hyphen …), in VNI one that, read as TCVN3, is no Vietnamese syllable.
    fn telling_words(enc: Legacy) -> Vec<&'static str> {
        let words: Vec<&'static str> = WORDS
            .iter()
            .copied()
            .filter(|w| {
                // TCVN3 sentences are lowercase, VNI ones keep their capitals.
                let word = if enc == Legacy::Tcvn3 { w.to_lowercase() } else { w.to_string() };
                let legacy = encode(&word, enc);
                match enc {
                    Legacy::Tcvn3 => legacy.chars().any(|c| !c.is_alphabetic()),
                    Legacy::Vni => legacy != word && !is_syllable(&Legacy::Tcvn3.table().apply(&legacy)),
                }
            })
            .collect();
        assert!(words.len() >= 10, "{words:?}");
        words
    }

    fn sentence(words: Vec<&str>) -> String {
        words.join(" ")
    }

    proptest! {
        #[test]
        fn genuine_vietnamese_is_never_detected(words in prop::collection::vec(prop::sample::select(&WORDS[..]), 1..10)) {
            let s = sentence(words);
            prop_assert_eq!(detect(&s), None);
        }

        #[test]
        fn tcvn3_sentences_round_trip(
            words in prop::collection::vec(prop::sample::select(&WORDS[..]), 0..10),
            telling in prop::sample::select(telling_words(Legacy::Tcvn3)),
            at in any::<prop::sample::Index>(),
        ) {
            // Only lowercase: TCVN3 has no capitals with tones.
            let mut words: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
            let unicode_all = sentence(words.iter().map(String::as_str).collect());
            let legacy_all = encode(&unicode_all, Legacy::Tcvn3);
            // Whatever repair decides on any sentence, it must never mis-decode it.
            if let Some((enc, text)) = repair(&legacy_all) {
                prop_assert_eq!((enc, text), (Legacy::Tcvn3, unicode_all));
            }
            // With one telling word (spelt with a TCVN3 symbol byte), it must be repaired.
            words.insert(at.index(words.len() + 1), telling.to_lowercase());
            let unicode = sentence(words.iter().map(String::as_str).collect());
            let legacy = encode(&unicode, Legacy::Tcvn3);
            prop_assert_eq!(repair(&legacy), Some((Legacy::Tcvn3, unicode)));
        }

        #[test]
        fn vni_sentences_round_trip(
            mut words in prop::collection::vec(prop::sample::select(&WORDS[..]), 0..10),
            telling in prop::sample::select(telling_words(Legacy::Vni)),
            at in any::<prop::sample::Index>(),
        ) {
            let unicode_all = sentence(words.clone());
            let legacy_all = encode(&unicode_all, Legacy::Vni);
            // Without a telling word a cell may stay undetected, or (a lone "chuû") be taken
            // for TCVN3, but VNI is never chosen wrongly.
            if let Some((Legacy::Vni, text)) = repair(&legacy_all) {
                prop_assert_eq!(text, unicode_all);
            }
            words.insert(at.index(words.len() + 1), telling);
            let unicode = sentence(words);
            let legacy = encode(&unicode, Legacy::Vni);
            prop_assert_eq!(repair(&legacy), Some((Legacy::Vni, unicode)));
        }

        #[test]
        fn genuine_latin1_vietnamese_is_never_detected(
            words in prop::collection::vec(prop::sample::select(&WORDS[..]), 1..10),
        ) {
            // Only the words a legacy cell could also contain, so step 1 of the rule cannot help.
            let words: Vec<&str> = words.into_iter().filter(|w| w.chars().all(|c| (c as u32) < 0x100)).collect();
            let s = sentence(words);
            prop_assert_eq!(detect(&s), None);
        }

        #[test]
        fn repair_never_panics(s in any::<String>()) {
            let _ = repair(&s);
            let _ = decode(&s, Legacy::Tcvn3);
            let _ = decode(&s, Legacy::Vni);
        }

        #[test]
        fn repair_never_panics_on_latin1(s in "[\\x20-\\x7E\\u{A0}-\\u{FF}]{0,40}") {
            let _ = repair(&s);
        }
    }
}
