//! Property tests (thousands of generated cases, in the ordinary suite): the workbook reader,
//! the header detector, the text repair and the Typst escape never panic and keep their
//! promises on any input. Coverage-guided fuzzing of the same entry points is in `fuzz/`.

use super::*;
use proptest::prelude::*;
use typst::syntax::{SyntaxKind, SyntaxNode};
use unicode_normalization::UnicodeNormalization;
use vanban::table;
use vanban::template::escape_markup;
use vanban::workbook::{Cell, Merge, Sheet, clean_cell};

static SAMPLE: LazyLock<Vec<u8>> = LazyLock::new(|| sample_data::khanh_hoa_2023().to_xlsx());

/// The text of escaped markup as Typst reads it back, or the first node that is not plain
/// text (which would mean the escape let markup through).
fn markup_text(node: &SyntaxNode, out: &mut String) -> Result<(), String> {
    match node.kind() {
        SyntaxKind::Markup => node.children().try_for_each(|c| markup_text(c, out)),
        SyntaxKind::Text | SyntaxKind::Space => {
            out.push_str(node.leaf_text());
            Ok(())
        }
        SyntaxKind::Escape => {
            out.push_str(&node.leaf_text()[1..]);
            Ok(())
        }
        SyntaxKind::Linebreak => Ok(()),
        other => Err(format!("{other:?} {:?}", node.full_text())),
    }
}

fn cell_strategy() -> impl Strategy<Value = Cell> {
    let words = prop::sample::select(vec![
        "STT",
        "Đơn vị",
        "Tên",
        "Tổng cộng",
        "Cộng",
        "Làm tròn",
        "I.",
        "II",
        "A",
        "B",
        "1",
        "(2)",
        "01",
        "Người lập biểu",
        "ngày 5 tháng 3 năm 2020",
        "Giá đề nghị",
        "250,000",
        "74,78%",
        "x",
        "-",
    ]);
    prop_oneof![
        3 => Just(Cell::Empty),
        4 => words.prop_map(|w| Cell::Text(w.to_string())),
        2 => (-1e6..1e6f64).prop_map(Cell::Number),
        1 => "[a-zA-Zà-ỹ ]{1,12}".prop_map(|s| Cell::Text(s.trim().to_string())),
        1 => Just(Cell::Error("#REF!".into())),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any text escaped for markup parses as plain text and reads back as itself (control
    /// characters dropped, tabs as spaces, U+2028 and U+2029 as newlines).
    #[test]
    fn escaped_text_is_plain_text(s in any::<String>()) {
        let escaped = escape_markup(&s);
        let root = typst::syntax::parse(&escaped);
        let mut back = String::new();
        prop_assert!(root.errors_and_warnings().0.is_empty(), "{:?}", escaped);
        markup_text(&root, &mut back).map_err(|e| TestCaseError::fail(format!("{e} in {escaped:?}")))?;
        let want: String = s.chars().filter(|c| !c.is_control() || matches!(c, '\n' | '\t')).map(|c| match c {
            '\t' => ' ',
            '\u{2028}' | '\u{2029}' => '\n',
            c => c,
        }).collect();
        prop_assert_eq!(back, want);
    }

    /// Cleaning is trimmed, NFC, without "Ð", and doing it twice changes nothing.
    #[test]
    fn cleaned_text_is_nfc_trimmed_and_stable(s in any::<String>()) {
        let mut repairs = Vec::new();
        let once = clean_cell(&s, 0, 0, &mut repairs);
        prop_assert_eq!(once.trim(), once.as_str());
        prop_assert!(once.nfc().eq(once.chars()));
        prop_assert!(!once.contains('\u{00D0}'), "{:?}", once);
        let twice = clean_cell(&once, 0, 0, &mut Vec::new());
        prop_assert_eq!(twice, once);
    }

    /// Any grid of cells and merges gets a layout: one kind per row, header rows inside the
    /// sheet, columns left to right; never a panic.
    #[test]
    fn any_grid_gets_a_consistent_layout(
        rows in prop::collection::vec(prop::collection::vec(cell_strategy(), 0..9), 0..40),
        merges in prop::collection::vec((0..40usize, 0..9usize, 0..3usize, 0..4usize), 0..6),
    ) {
        let merges = merges.into_iter().map(|(top, left, h, w)| Merge { top, left, bottom: top + h, right: left + w }).collect();
        let sheet = Sheet { name: "x".into(), rows, merges, ..Sheet::default() };
        let layout = table::detect(&sheet);
        prop_assert_eq!(layout.kinds.len(), sheet.rows.len());
        prop_assert!(layout.header.iter().all(|&h| h < sheet.rows.len()));
        prop_assert!(layout.columns.windows(2).all(|w| w[0].col < w[1].col));
        for (r, k) in layout.kinds.iter().enumerate() {
            let empty = sheet.rows[r].iter().all(Cell::is_empty);
            prop_assert!(empty == (*k == table::RowKind::Empty) || layout.header.contains(&r), "row {r}: {k:?}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    /// A real xlsx with bytes changed anywhere is read or refused with one sentence naming
    /// the file; never a panic.
    #[test]
    fn a_damaged_workbook_is_refused_in_one_sentence(flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let mut bytes = SAMPLE.clone();
        for (at, b) in flips {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        if let Err(e) = workbook::read_bytes(bytes, "hong.xlsx") {
            let message = e.to_string();
            prop_assert!(message.starts_with("hong.xlsx") && !message.contains('\n'), "{message}");
        }
    }

    /// Arbitrary bytes, with or without a workbook's magic number, never make the reader panic.
    #[test]
    fn arbitrary_bytes_never_panic(magic in 0..4usize, tail in prop::collection::vec(any::<u8>(), 0..2048)) {
        let head: &[u8] = match magic {
            0 => b"",
            1 => b"PK\x03\x04",
            2 => &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1],
            _ => b"%PDF-1.7",
        };
        let _ = workbook::read_bytes([head, &tail].concat(), "x.xlsx");
    }
}
