//! Items a manifest makes from other items when the workbook leaves them out (`derive` on a
//! field): whether a document is a Party or a state one, from the issuing body's name, and
//! the deciding body's line of a decision. Each value made is shown to the user as a note;
//! an item typed in the workbook or given with `--set` always wins.

use crate::vi::fold;

/// The rules and how many fields each reads (`from` in the manifest).
const RULES: [(&str, usize); 2] = [("document-kind", 2), ("deciding-body", 5)];

/// How many fields `rule` reads, or `None` when there is no such rule.
pub fn arity(rule: &str) -> Option<usize> {
    RULES.iter().find(|(name, _)| *name == rule).map(|(_, n)| *n)
}

/// The value `rule` makes from `args` (each field's text, "" when empty), or `None` when it
/// cannot make one.
///
/// - `document-kind` (issuing body, superior body): "Đảng" or "Nhà nước";
/// - `deciding-body` (document kind, issuing body, superior body, signing authority,
///   signer's title): the line naming who decides.
pub fn apply(rule: &str, args: &[&str]) -> Option<String> {
    match (rule, args) {
        ("document-kind", [issuer, superior]) => document_kind(issuer, superior).map(str::to_string),
        ("deciding-body", [kind, issuer, superior, authority, title]) => {
            let kind = match kind.trim() {
                "" => document_kind(issuer, superior)?,
                k => k,
            };
            deciding_body(kind, issuer, superior, authority, title)
        }
        _ => None,
    }
}

/// Words that make a body a state one when its name starts with them (folded).
const STATE_STARTS: [&str; 7] =
    ["ủy ban nhân dân", "ubnd", "hội đồng nhân dân", "hđnd", "sở", "chủ tịch", "văn phòng ủy ban nhân dân"];
/// Party committees and bodies (folded words); a name holding one is a Party body.
const PARTY_WORDS: [&str; 12] = [
    "tỉnh ủy",
    "thành ủy",
    "huyện ủy",
    "quận ủy",
    "thị ủy",
    "đảng ủy",
    "đảng bộ",
    "chi bộ",
    "ban chấp hành trung ương",
    "ban thường vụ",
    "ban bí thư",
    "bộ chính trị",
];

/// Whether the folded words of `name` hold the folded `phrase` as whole words.
fn has_words(name: &str, phrase: &str) -> bool {
    let (name, phrase) = (fold(name), fold(phrase));
    let words: Vec<&str> = name.split(' ').collect();
    let wanted: Vec<&str> = phrase.split(' ').collect();
    words.windows(wanted.len()).any(|w| w == wanted.as_slice())
}

fn starts_with_words(name: &str, phrase: &str) -> bool {
    let (name, phrase) = (fold(name), fold(phrase));
    name == phrase || name.starts_with(&format!("{phrase} "))
}

/// "Nhà nước" for a People's Committee or Council, a Sở; "Đảng" for a Party committee, or a
/// body under one ("BAN DÂN VẬN" under "TỈNH ỦY KHÁNH HÒA", a council under "BAN DÂN VẬN TỈNH
/// ỦY"); `None` when the names do not tell.
pub fn document_kind(issuer: &str, superior: &str) -> Option<&'static str> {
    let party = |name: &str| PARTY_WORDS.iter().any(|w| has_words(name, w));
    if STATE_STARTS.iter().any(|w| starts_with_words(issuer, w)) {
        return Some("Nhà nước");
    }
    if party(issuer) || party(superior) {
        return Some("Đảng");
    }
    if STATE_STARTS.iter().any(|w| starts_with_words(superior, w)) {
        return Some("Nhà nước");
    }
    None
}

/// Prefixes of a signing authority that say someone signs for the head ("KT. CHỦ TỊCH").
const FOR_THE_HEAD: [&str; 9] = ["kt.", "k/t", "tl.", "t/l", "tm.", "t/m", "tuq.", "q.", "ktl."];

/// The deciding body's line. A Party decision: the issuing body with its superior ("BAN DÂN
/// VẬN" + "TỈNH ỦY NINH THUẬN" → "BAN DÂN VẬN TỈNH ỦY NINH THUẬN"; under the Central
/// Committee, "BAN DÂN VẬN TRUNG ƯƠNG"). A state one: the head's title — the signing
/// authority without "KT."/"TL.", or the signer's own title when the head signs — and the
/// issuing body ("KT. CHỦ TỊCH" + "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA" → "CHỦ TỊCH ỦY BAN NHÂN
/// DÂN TỈNH KHÁNH HÒA"; "GIÁM ĐỐC" + "SỞ Y TẾ" → "GIÁM ĐỐC SỞ Y TẾ").
pub fn deciding_body(
    kind: &str,
    issuer: &str,
    superior: &str,
    authority: &str,
    title: &str,
) -> Option<String> {
    let issuer = issuer.trim();
    if issuer.is_empty() {
        return None;
    }
    let line = if fold(kind) == fold("Đảng") {
        match superior.trim() {
            "" => issuer.to_string(),
            s if fold(s) == fold("Ban Chấp hành Trung ương") => format!("{issuer} TRUNG ƯƠNG"),
            s => format!("{issuer} {s}"),
        }
    } else {
        let head = match without_prefix(authority) {
            "" => title.trim(),
            head => head,
        };
        // A collective's authority ("TM. ỦY BAN NHÂN DÂN") names the body itself.
        if head.is_empty() || fold(issuer).starts_with(&fold(head)) {
            issuer.to_string()
        } else {
            format!("{head} {issuer}")
        }
    };
    Some(line.to_uppercase())
}

/// `authority` without a leading "KT." or the like.
fn without_prefix(authority: &str) -> &str {
    let a = authority.trim();
    let lower = a.to_lowercase();
    FOR_THE_HEAD.iter().find(|p| lower.starts_with(*p)).map_or(a, |p| a[p.len()..].trim_start())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_party_from_state_by_the_names() {
        assert_eq!(document_kind("ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA", ""), Some("Nhà nước"));
        assert_eq!(document_kind("UBND huyện Cam Lâm", ""), Some("Nhà nước"));
        assert_eq!(document_kind("SỞ Y TẾ", "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA"), Some("Nhà nước"));
        assert_eq!(document_kind("BAN DÂN VẬN", "TỈNH ỦY KHÁNH HÒA"), Some("Đảng"));
        assert_eq!(document_kind("BAN DÂN VẬN", "BAN CHẤP HÀNH TRUNG ƯƠNG"), Some("Đảng"));
        assert_eq!(document_kind("TỈNH UỶ NINH THUẬN", ""), Some("Đảng"));
        assert_eq!(document_kind("ĐẢNG ỦY XÃ NINH SƠN", ""), Some("Đảng"));
        assert_eq!(document_kind("HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", "BAN DÂN VẬN TỈNH ỦY"), Some("Đảng"));
        assert_eq!(document_kind("HỘI NÔNG DÂN", ""), None);
        // "Sở" is a word, not a prefix of one.
        assert_eq!(document_kind("SỞN TÓC", ""), None);
    }

    #[test]
    fn makes_the_deciding_body_line() {
        let line = |k, i, s, a, t| deciding_body(k, i, s, a, t).unwrap_or_default();
        assert_eq!(
            line("Đảng", "BAN DÂN VẬN", "TỈNH ỦY NINH THUẬN", "", "TRƯỞNG BAN"),
            "BAN DÂN VẬN TỈNH ỦY NINH THUẬN"
        );
        assert_eq!(
            line("Đảng", "BAN DÂN VẬN", "BAN CHẤP HÀNH TRUNG ƯƠNG", "K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"),
            "BAN DÂN VẬN TRUNG ƯƠNG"
        );
        assert_eq!(line("Đảng", "BAN DÂN VẬN", "", "", ""), "BAN DÂN VẬN");
        assert_eq!(
            line("Nhà nước", "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA", "", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
            "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA"
        );
        assert_eq!(line("Nhà nước", "SỞ Y TẾ", "", "", "GIÁM ĐỐC"), "GIÁM ĐỐC SỞ Y TẾ");
        assert_eq!(line("Nhà nước", "Sở Y tế", "", "", "Giám đốc"), "GIÁM ĐỐC SỞ Y TẾ");
        assert_eq!(
            line("Nhà nước", "ỦY BAN NHÂN DÂN HUYỆN CAM LÂM", "", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
            "ỦY BAN NHÂN DÂN HUYỆN CAM LÂM"
        );
        assert_eq!(deciding_body("Nhà nước", "", "", "", "GIÁM ĐỐC"), None);
    }

    #[test]
    fn a_rule_infers_the_kind_when_it_is_not_given() {
        let args = ["", "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA", "", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"];
        assert_eq!(apply("deciding-body", &args).as_deref(), Some("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA"));
        assert_eq!(apply("document-kind", &["BAN DÂN VẬN", "TỈNH ỦY KHÁNH HÒA"]).as_deref(), Some("Đảng"));
        assert_eq!(apply("document-kind", &["x"]), None);
        assert_eq!(arity("deciding-body"), Some(5));
        assert_eq!(arity("nothing"), None);
    }
}
