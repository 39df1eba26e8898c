//! Vietnamese alphabetical order: icu_collator's `vi` order (`vi::compare`) against the
//! hand-written table it replaced (`vi::compare_by_table`) and against the collator fed the
//! text as typed, on every name in the samples and on generated lists. Run with
//! `-- --nocapture` to see every pair the orders disagree on (docs/ARCHITECTURE.md lists them).

use super::*;
use std::cmp::Ordering;
use vanban::vi;

#[path = "../../samples/names.rs"]
mod names;

/// Every text of the samples: the awards' names and units, the sample books' text cells and
/// the sample workbooks' text cells.
fn sample_texts() -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for award in sample_data::AWARDS_2023 {
        out.extend([award.0, award.3].map(str::to_string));
    }
    for book in [sample_data::khanh_hoa_2023(), sample_data::khanh_hoa_2025()] {
        for (_, rows) in &book.sheets {
            out.extend(rows.iter().flatten().filter_map(|v| match v {
                V::S(s) => Some(s.clone()),
                _ => None,
            }));
        }
    }
    for file in ["khanh-hoa-2023.xlsx", "khanh-hoa-2025.xlsx"] {
        let wb =
            workbook::read_path(&Path::new(env!("CARGO_MANIFEST_DIR")).join("samples").join(file)).unwrap();
        for sheet in &wb.sheets {
            out.extend(sheet.rows.iter().flatten().filter_map(|c| match c {
                workbook::Cell::Text(s) => Some(s.clone()),
                _ => None,
            }));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The neighbours in `names` sorted by `by` that `other` puts the other way round.
fn disagreements(
    names: &[String],
    by: fn(&str, &str) -> Ordering,
    other: fn(&str, &str) -> Ordering,
) -> Vec<(String, String)> {
    let mut sorted = names.to_vec();
    sorted.sort_by(|a, b| by(a, b));
    sorted
        .windows(2)
        .filter(|w| other(&w[0], &w[1]) == Ordering::Greater)
        .map(|w| (w[0].clone(), w[1].clone()))
        .collect()
}

/// Why two names that the collator and the table order differently differ, or None when
/// there is no known reason.
fn reason(a: &str, b: &str) -> Option<&'static str> {
    let digits = |s: &str| s.chars().any(|c| c.is_ascii_digit());
    let symbols = |s: &str| s.chars().any(|c| !c.is_alphanumeric() && !c.is_whitespace());
    if vi::fold(a) == vi::fold(b) {
        Some("case or tone placement only")
    } else if digits(a) && digits(b) {
        Some("numbers by value")
    } else if symbols(a) || symbols(b) {
        Some("punctuation: the collator puts it before digits and letters, the table after")
    } else {
        None
    }
}

/// The collator of icu_collator for `vi`, given the text as typed.
fn icu_as_typed(a: &str, b: &str) -> Ordering {
    static COLLATOR: LazyLock<icu_collator::CollatorBorrowed<'static>> = LazyLock::new(|| {
        let vi = icu_locale_core::locale!("vi-u-kn");
        icu_collator::CollatorBorrowed::try_new(vi.into(), Default::default()).unwrap()
    });
    COLLATOR.compare(a, b).then_with(|| a.cmp(b))
}

fn report(what: &str, pairs: &[(String, String)]) {
    eprintln!("{what}: {} neighbours ordered the other way", pairs.len());
    for (a, b) in pairs {
        eprintln!("  {a:?} < {b:?}  ({})", reason(a, b).unwrap_or("?"));
    }
}

#[test]
fn the_collator_and_the_table_agree_but_for_numbers_punctuation_and_case() {
    let samples = sample_texts();
    assert!(samples.len() > 100, "{}", samples.len());
    let people: Vec<String> = names::people(3000).into_iter().map(|(key, _)| key).collect();
    let collectives = names::collectives(400);
    for (what, list) in [("samples", &samples), ("people", &people), ("collectives", &collectives)] {
        let pairs = disagreements(list, vi::compare, vi::compare_by_table);
        report(&format!("{what} ({} texts), collator vs table", list.len()), &pairs);
        let unexplained: Vec<_> = pairs.iter().filter(|(a, b)| reason(a, b).is_none()).collect();
        assert!(unexplained.is_empty(), "{what}: {unexplained:?}");
        // The collator fed the text as typed weighs a tone where it was typed.
        report(
            &format!("{what}, collator vs collator as typed"),
            &disagreements(list, vi::compare, icu_as_typed),
        );
    }
}

#[test]
fn dictionary_order_on_the_cases_that_differ() {
    // Each list is in dictionary order (STANDARDS.md: a ă â b c d đ e ê … u ư v x y, then
    // tones none, huyền, hỏi, ngã, sắc, nặng); numbers by value.
    let lists: [&[&str]; 7] = [
        &["An", "Ăn", "Ân", "Dư", "Đạt", "On", "Ôn", "Ơn", "Uyên", "Ưng"],
        &["Ma", "Mà", "Mả", "Mã", "Má", "Mạ", "Mai"],
        &["Hoa", "Hòa", "Hoá", "Hoạ"],
        &["Ủy ban nhân dân xã Ninh Hòa", "Uỷ ban nhân dân xã Ninh Hoá"],
        &["Thủy Tiên", "Thuỷ Tiến", "Thuỷ Triều"],
        &["Tổ 1", "Tổ 2", "Tổ 9", "Tổ 10", "Tổ 23"],
        &["Đặng Minh Đức", "Đinh Văn Hải", "Đoàn Thị Ánh"],
    ];
    for list in lists {
        let mut sorted = list.to_vec();
        sorted.reverse();
        sorted.sort_by(|a, b| vi::compare(a, b));
        assert_eq!(sorted, list);
        // The people of the award list, by given name as `arrange` sorts them.
        let mut by_key: Vec<&str> = list.to_vec();
        by_key.sort_by_cached_key(|s| vi::sort_key(s));
        assert_eq!(by_key, list);
    }
    // Where the others go wrong: the table compares digits one by one, the collator fed the
    // text as typed weighs the tone of "Ủy" against the letter "y" of "Uỷ".
    assert_eq!(vi::compare_by_table("Tổ 10", "Tổ 2"), Ordering::Less);
    assert_eq!(icu_as_typed("Hoá", "Hòa"), Ordering::Less);
    assert_eq!(icu_as_typed("Uỷ ban nhân dân xã Ninh Hoá", "Ủy ban nhân dân xã Ninh Hòa"), Ordering::Less);
}
