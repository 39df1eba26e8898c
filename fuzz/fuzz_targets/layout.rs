//! Any grid of cells and merges gets a consistent layout. The bytes pick cells from words
//! real sheets use (headers, sections, totals, numbers in office styles), so the fuzzer
//! reaches the detector's branches quickly.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vanban::table::{self, RowKind};
use vanban::workbook::{Cell, Merge, Sheet};

const WORDS: &[&str] = &[
    "STT",
    "Đơn vị",
    "Tên",
    "Họ và tên",
    "Tổng cộng",
    "Cộng",
    "Làm tròn",
    "I.",
    "II",
    "A",
    "B",
    "1",
    "2",
    "3",
    "(1)",
    "(2)",
    "01",
    "Người lập biểu",
    "ngày 5 tháng 3 năm 2020",
    "Giá đề nghị",
    "Đơn giá",
    "250,000",
    "2.425",
    "74,78%",
    "x",
    "-",
    "TC",
    "Ghi chú",
    "PHỤ LỤC",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số lượng",
];

fuzz_target!(|data: &[u8]| {
    let mut rows: Vec<Vec<Cell>> = vec![Vec::new()];
    let mut merges = Vec::new();
    let mut bytes = data.iter().copied();
    while let Some(b) = bytes.next() {
        let row = rows.last_mut().expect("rows starts non-empty");
        match b {
            0xFF => rows.push(Vec::new()),
            0xFE => {
                let mut next = || bytes.next().unwrap_or(0) as usize;
                let (top, left, h, w) = (next() % 64, next() % 16, next() % 4, next() % 6);
                merges.push(Merge { top, left, bottom: top + h, right: left + w });
            }
            0xF0..=0xFD => row.push(Cell::Empty),
            0xE0..=0xEF => row.push(Cell::Number(f64::from(b - 0xE0) * 1.5)),
            0xD0..=0xDF => row.push(Cell::Error("#REF!".into())),
            _ => row.push(Cell::Text(WORDS[b as usize % WORDS.len()].to_string())),
        }
    }
    let sheet = Sheet { name: "x".into(), rows, merges, ..Sheet::default() };
    let layout = table::detect(&sheet);
    assert_eq!(layout.kinds.len(), sheet.rows.len());
    assert!(layout.header.iter().all(|&h| h < sheet.rows.len()));
    assert!(layout.columns.windows(2).all(|w| w[0].col < w[1].col));
    for (r, k) in layout.kinds.iter().enumerate() {
        let empty = sheet.rows[r].iter().all(Cell::is_empty);
        assert!(empty == (*k == RowKind::Empty) || layout.header.contains(&r), "row {r}: {k:?}");
    }
});
