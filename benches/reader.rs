//! Reader benchmark: `cargo bench --bench reader` (add `-- --rows 20000` for a quick run).
//!
//! Writes a 100,000-row sheet as offices keep commune lists (title rows, a two-row header,
//! text codes with leading zeros, Vietnamese names, numbers as text "1.234,5", a section row
//! every 500 rows, one TCVN3 name in 50), then times from the file on disk: reading
//! (unzipping, parsing, cleaning every cell), finding the table's layout, and `inspect`.
//! Each step runs three times; the best time is reported, with peak memory.

mod support;

use rust_xlsxwriter::Workbook as XlsxBook;
use std::time::Instant;
use support::{cpu_model, peak_rss_mb};
use vanban::{inspect, table, vi, workbook};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rows: usize = args
        .iter()
        .position(|a| a == "--rows")
        .map(|i| args[i + 1].parse().expect("--rows N"))
        .unwrap_or(100_000);
    let path = std::env::temp_dir().join(format!("vanban-reader-bench-{}.xlsx", std::process::id()));
    let t = Instant::now();
    std::fs::write(&path, commune_list(rows)).expect("write workbook");
    let size = std::fs::metadata(&path).map_or(0, |m| m.len());
    println!("machine: {}", cpu_model());
    println!(
        "workbook: {rows} rows x 8 columns, {:.1} MB, written in {:.1} s",
        size as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    let best = |what: &str, f: &mut dyn FnMut()| {
        let mut times = Vec::new();
        for _ in 0..3 {
            let t = Instant::now();
            f();
            times.push(t.elapsed().as_secs_f64());
        }
        let best = times.iter().copied().fold(f64::INFINITY, f64::min);
        println!(
            "{what:<32} {best:>7.3} s  (runs: {})",
            times.iter().map(|t| format!("{t:.3}")).collect::<Vec<_>>().join(", ")
        );
    };
    let mut wb = None;
    best("read (calamine + cleaning)", &mut || wb = Some(workbook::read_path(&path).expect("read")));
    let wb = wb.expect("read once");
    let sheet = &wb.sheets[0];
    let mut layout = None;
    best("table::detect", &mut || layout = Some(table::detect(sheet)));
    let layout = layout.expect("detected");
    best("inspect (detect + every column)", &mut || {
        inspect::inspect(&wb);
    });
    let data = layout.kinds.iter().filter(|k| **k == table::RowKind::Data).count();
    let repairs = sheet.repairs.len();
    let sections = layout.kinds.iter().filter(|k| **k == table::RowKind::Section).count();
    assert_eq!((data, sections), (rows, rows.div_ceil(500)), "every data row and section found");
    assert_eq!(repairs, rows.div_ceil(50), "one TCVN3 name in 50 converted");
    println!(
        "found: header rows {:?}, {data} data rows, {repairs} repairs",
        layout.header.iter().map(|h| h + 1).collect::<Vec<_>>()
    );
    println!("peak memory: {:.0} MB", peak_rss_mb());
    let _ = std::fs::remove_file(&path);
}

/// The commune list: two title rows, a two-row header (a merged group over the codes),
/// sections, and `rows` data rows.
fn commune_list(rows: usize) -> Vec<u8> {
    let mut book = XlsxBook::new();
    let ws = book.add_worksheet().set_name("Danh sách").expect("sheet name");
    let bold = rust_xlsxwriter::Format::new().set_bold();
    ws.merge_range(0, 0, 0, 7, "DANH SÁCH ĐƠN VỊ HÀNH CHÍNH CẤP XÃ", &bold).expect("title");
    ws.write(1, 0, "(Kèm theo Quyết định số 19/2025/QĐ-TTg)").expect("title");
    for (c, label) in ["STT", "Tên xã", "Tên huyện", "Tên tỉnh"].iter().enumerate() {
        ws.merge_range(3, c as u16, 4, c as u16, label, &bold).expect("header");
    }
    ws.merge_range(3, 4, 3, 6, "Mã đơn vị hành chính", &bold).expect("header");
    for (c, label) in ["Mã xã", "Mã huyện", "Mã tỉnh"].iter().enumerate() {
        ws.write(4, 4 + c as u16, *label).expect("header");
    }
    ws.merge_range(3, 7, 4, 7, "Diện tích (km²)", &bold).expect("header");
    let names = ["Cam Hải Tây", "Cam Thành Bắc", "Vạn Thắng", "Ninh Hòa", "Diên Khánh", "Khánh Vĩnh"];
    let mut r = 5u32;
    for i in 0..rows {
        if i % 500 == 0 {
            ws.write(r, 0, format!("{}.", vi::roman((i / 500 + 1) as u32))).expect("section");
            ws.write(r, 1, format!("Tỉnh số {}", i / 500 + 1)).expect("section");
            r += 1;
        }
        ws.write(r, 0, (i + 1) as f64).expect("cell");
        let name = if i % 50 == 7 {
            "Xu©n Hµ".to_string()
        } else {
            format!("Xã {} {}", names[i % names.len()], i)
        };
        ws.write(r, 1, name).expect("cell");
        ws.write(r, 2, format!("Huyện {}", names[(i / 7) % names.len()])).expect("cell");
        ws.write(r, 3, "Khánh Hòa").expect("cell");
        ws.write(r, 4, format!("{:05}", i % 100_000)).expect("cell");
        ws.write(r, 5, format!("{:03}", i % 1000)).expect("cell");
        ws.write(r, 6, "56").expect("cell");
        ws.write(r, 7, format!("{},{}", 10 + i % 300, i % 10)).expect("cell");
        r += 1;
    }
    book.save_to_buffer().expect("xlsx")
}
