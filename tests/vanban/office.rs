//! Real office workbooks: fixtures written by code that reproduce each quirk of the files in
//! ../shared/realworld (title rows, two-row merged headers, column numbers, sections,
//! totals, signature blocks, stacked tables, numbers as text), the `bang-bieu` appendix, and
//! the options that rescue a workbook whose labels or layout nobody foresaw.

use super::*;
use rust_xlsxwriter::{Format, Workbook as XlsxBook};
use vanban::profile::Profile;
use vanban::table;
use vanban::typeset::Standard;

/// A price list as offices keep it: national motto and title above the table, a two-row
/// header with merged cells, a row of column numbers, Roman-numbered sections, text numbers,
/// codes with leading zeros, a total and a rounding row, a second table stacked under the
/// first with its header repeated, and a signature block. `items` data rows per section.
pub(super) fn price_list(items: usize) -> Vec<u8> {
    let mut wb = XlsxBook::new();
    let ws = wb.add_worksheet().set_name("Bảng giá").unwrap();
    let bold = Format::new().set_bold();
    ws.merge_range(0, 0, 0, 2, "UBND TỈNH KHÁNH HÒA", &bold).unwrap();
    ws.merge_range(0, 4, 0, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", &bold).unwrap();
    ws.merge_range(1, 4, 1, 6, "Độc lập - Tự do - Hạnh phúc", &bold).unwrap();
    ws.merge_range(3, 0, 3, 6, "BẢNG GIÁ HÀNG HÓA ĐỀ NGHỊ NĂM 2020", &bold).unwrap();
    let header = |ws: &mut rust_xlsxwriter::Worksheet, r: u32| {
        ws.merge_range(r, 0, r + 1, 0, "STT", &bold).unwrap();
        ws.merge_range(r, 1, r + 1, 1, "Mã hàng", &bold).unwrap();
        ws.merge_range(r, 2, r + 1, 2, "Tên hàng hóa, dịch vụ", &bold).unwrap();
        ws.merge_range(r, 3, r, 4, "Giá đề nghị", &bold).unwrap();
        ws.write(r + 1, 3, "Đơn giá").unwrap();
        ws.write(r + 1, 4, "Thành tiền").unwrap();
        ws.merge_range(r, 5, r + 1, 5, "Tỷ lệ", &bold).unwrap();
        ws.merge_range(r, 6, r + 1, 6, "Ghi chú", &bold).unwrap();
    };
    header(ws, 5);
    for (c, v) in ["A", "B", "1", "2", "3", "4", "5"].iter().enumerate() {
        ws.write(7, c as u16, *v).unwrap();
    }
    let mut r = 8;
    let section = |ws: &mut rust_xlsxwriter::Worksheet, r: &mut u32, mark: &str, name: &str, start: usize| {
        ws.write(*r, 0, mark).unwrap();
        ws.write(*r, 1, name).unwrap();
        *r += 1;
        for i in 0..items {
            let k = start + i;
            ws.write(*r, 0, (i + 1) as f64).unwrap();
            ws.write(*r, 1, format!("{:02}.{:04}", k % 7 + 1, k)).unwrap();
            ws.write(*r, 2, format!("Mặt hàng số {k} loại đặc biệt")).unwrap();
            ws.write(*r, 3, format!("{},000", 200 + k)).unwrap();
            ws.write(*r, 4, ((200 + k) * 2000) as f64).unwrap();
            ws.write(*r, 5, format!("{},5%", k % 50)).unwrap();
            if k.is_multiple_of(3) {
                ws.write(*r, 6, "Giá tạm tính").unwrap();
            }
            *r += 1;
        }
    };
    section(ws, &mut r, "I.", "Nông sản", 0);
    section(ws, &mut r, "II", "Thủy sản", items);
    ws.write(r, 0, "Tổng cộng").unwrap();
    ws.write(r, 4, 123_456_000.0).unwrap();
    ws.write(r + 1, 0, "Làm tròn").unwrap();
    ws.write(r + 1, 4, 123_000_000.0).unwrap();
    r += 3;
    ws.merge_range(r, 0, r, 6, "BẢNG 2: DỊCH VỤ", &bold).unwrap();
    header(ws, r + 1);
    r += 3;
    ws.write(r, 0, 1.0).unwrap();
    ws.write(r, 1, "09.0001").unwrap();
    ws.write(r, 2, "Dịch vụ trông giữ xe").unwrap();
    ws.write(r, 3, "5.000").unwrap();
    ws.write(r, 4, 5000.0).unwrap();
    r += 2;
    ws.write(r, 1, "Người lập biểu").unwrap();
    ws.write(r, 5, "Khánh Hòa, ngày 05 tháng 3 năm 2020").unwrap();
    ws.write(r + 1, 5, "GIÁM ĐỐC").unwrap();
    ws.write(r + 4, 1, "Trần Văn Lập").unwrap();
    ws.write(r + 4, 5, "Nguyễn Thị Thu").unwrap();
    wb.save_to_buffer().unwrap()
}

/// Every non-empty cell of the table (from the header down) must be in the PDF text, in
/// order; a cursor keeps the search linear on sheets of thousands of rows.
fn assert_every_cell_printed(sheet: &workbook::Sheet, pdf: &[u8], what: &str) {
    let text = flat(&pages_text(pdf).join("\n"));
    let layout = table::detect(sheet);
    let first = layout.header.first().copied().unwrap_or(0);
    let mut cursor: usize = 0;
    let mut missing = Vec::new();
    for r in first..sheet.rows.len() {
        for (c, cell) in sheet.rows[r].iter().enumerate() {
            let want = flat(&table::print_cell(cell));
            if want.is_empty() || matches!(cell, workbook::Cell::Error(_)) {
                continue;
            }
            let from = cursor.saturating_sub(4000).min(text.len());
            let from = (0..=from).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            match text[from..].find(&want) {
                Some(at) => cursor = cursor.max(from + at),
                None if text.contains(&want) => {}
                None => missing.push(format!("{}: {want}", workbook::cell_name(r, c))),
            }
        }
    }
    assert!(
        missing.is_empty(),
        "{what}: {} cells not in the PDF, first: {:?}",
        missing.len(),
        &missing[..missing.len().min(5)]
    );
}

pub(super) fn appendix(wb: &Workbook, sheet: Option<&str>) -> vanban::Document {
    let overrides = Profile { sheet: sheet.map(str::to_string), ..Profile::default() };
    let options = RenderOptions { standard: Standard::None, ..RenderOptions::default() };
    let rendered = ENGINE.render("bang-bieu", wb, &options, &overrides, &|_, _| {}).expect("appendix");
    rendered.documents.into_iter().next().unwrap()
}

#[test]
fn the_layout_of_a_messy_price_list_is_read_row_by_row() {
    let wb = workbook::read_bytes(price_list(3), "gia.xlsx").unwrap();
    let sheet = &wb.sheets[0];
    let layout = table::detect(sheet);
    assert_eq!(layout.header, [5, 6], "{}", layout.why);
    let labels: Vec<&str> = layout.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "STT",
            "Mã hàng",
            "Tên hàng hóa, dịch vụ",
            "Giá đề nghị / Đơn giá",
            "Giá đề nghị / Thành tiền",
            "Tỷ lệ",
            "Ghi chú"
        ]
    );
    use table::RowKind::*;
    let kinds: Vec<_> = layout.kinds.iter().copied().filter(|k| *k != Empty).collect();
    assert_eq!(
        kinds,
        [
            Title,
            Title,
            Title,
            Header,
            Header,
            ColumnNumbers,
            Section,
            Data,
            Data,
            Data,
            Section,
            Data,
            Data,
            Data,
            Total,
            Rounding,
            Section,
            RepeatedHeader,
            RepeatedHeader,
            Data,
            Signature,
            Signature,
            Signature
        ]
    );
}

#[test]
fn an_appendix_prints_every_cell_with_merged_header_repeated_on_every_page() {
    let wb = workbook::read_bytes(price_list(40), "gia.xlsx").unwrap();
    let doc = appendix(&wb, Some("bảng giá"));
    let pages = pages_text(&doc.pdf);
    assert!(pages.len() >= 2, "{} pages", pages.len());
    for (i, page) in pages.iter().enumerate() {
        for label in ["Giá đề nghị", "Đơn giá", "Thành tiền", "Tên hàng hóa, dịch vụ"] {
            assert!(flat(page).contains(&flat(label)), "page {} lacks the header {label}", i + 1);
        }
    }
    assert_has(&pages[0], "PHỤ LỤC");
    assert_has(&pages[0], "BẢNG GIÁ HÀNG HÓA ĐỀ NGHỊ NĂM 2020");
    assert_every_cell_printed(&wb.sheets[0], &doc.pdf, "price list");
    // Codes keep their leading zeros; numbers print Vietnamese style.
    assert_has(&pages[0], "01.0000");
    assert_has(&pages.join("\n"), "123.456.000");
    assert!(doc.file_name == "phu-luc-Bảng giá.pdf", "{}", doc.file_name);
}

/// The appendix of every real office workbook in ../shared/realworld (when present) carries
/// every non-empty cell of its table, checked with an independent PDF text extractor.
#[test]
fn every_real_workbook_prints_as_an_appendix_with_every_cell() {
    let Some(files) = realworld_files() else { return };
    for path in files {
        let Ok(wb) = workbook::read_path(&path) else { continue };
        let Some(sheet) =
            wb.sheets.iter().filter(|s| !s.hidden).find(|s| !table::detect(s).header.is_empty())
        else {
            continue;
        };
        let doc = appendix(&wb, Some(&sheet.name));
        assert_every_cell_printed(sheet, &doc.pdf, &path.display().to_string());
    }
}

#[test]
fn a_bare_award_list_renders_with_map_sheet_and_set() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = XlsxBook::new();
    let ws = wb.add_worksheet().set_name("DS đề nghị").unwrap();
    ws.write(0, 0, "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG").unwrap();
    for (c, label) in [
        "TT",
        "Tên tập thể/cá nhân",
        "Đối tượng",
        "Đơn vị công tác",
        "Danh hiệu thi đua/Hình thức khen thưởng",
        "Thành tích đạt được",
    ]
    .iter()
    .enumerate()
    {
        ws.write(2, c as u16, *label).unwrap();
    }
    let rows = [
        ("Nguyễn Văn An", "Cá nhân", "Xã Cam Hải Tây", "Giấy khen", "Hoàn thành xuất sắc nhiệm vụ"),
        ("Hội Nông dân xã Cam Thành Bắc", "Tập thể", "Huyện Cam Lâm", "Giấy khen", "Dân vận khéo"),
    ];
    for (i, (name, kind, unit, form, merit)) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        ws.write(r, 0, (i + 1) as f64).unwrap();
        for (c, v) in [name, kind, unit, form, merit].iter().enumerate() {
            ws.write(r, c as u16 + 1, **v).unwrap();
        }
    }
    std::fs::write(dir.path().join("ds.xlsx"), wb.save_to_buffer().unwrap()).unwrap();
    let base = ["render", "giay-khen", "ds.xlsx", "-o", "out", "--sheet", "DS đề nghị"];
    // Without the items of the decision, every missing one is named with how to give it.
    let run = vanban(&base, dir.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("no sheet \"Thông tin\""), "{}", run.stderr);
    let sets = [
        "Loại văn bản=Đảng",
        "Cơ quan cấp trên=TỈNH ỦY KHÁNH HÒA",
        "Cơ quan ban hành=BAN DÂN VẬN",
        "Địa danh=Khánh Hòa",
        "Số quyết định=12-QĐ/BDVTU",
        "Ngày quyết định=15/01/2024",
        "Chủ thể quyết định=Ban Dân vận Tỉnh ủy",
        "Chức vụ người ký=TRƯỞNG BAN",
        "Người ký=Lê Văn Bình",
    ];
    let mut args: Vec<&str> = base.to_vec();
    for s in &sets {
        args.extend(["--set", s]);
    }
    args.extend(["--map", "Thành tích=Thành tích đạt được", "--pdf-standard", "none"]);
    let run = vanban(&args, dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pdf = std::fs::read(dir.path().join("out/Nguyễn Văn An.pdf")).unwrap();
    let text = pages_text(&pdf).join("\n");
    for wanted in ["GIẤY KHEN", "Nguyễn Văn An", "Hoàn thành xuất sắc nhiệm vụ", "12-QĐ/BDVTU", "Lê Văn Bình"]
    {
        assert_has(&text, wanted);
    }
    // A mistyped --set key or --map field is named, not ignored.
    let mut bad = args.clone();
    bad.extend(["--set", "Ngươi ky=X", "--map", "thanh_tichh=B"]);
    let run = vanban(&bad, dir.path());
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("--set \"Ngươi ky=...\": no template here reads an item \"Ngươi ky\""),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--map \"thanh_tichh=...\": no template here has a field \"thanh_tichh\""),
        "{}",
        run.stderr
    );
    // --header-row points at the header when detection cannot.
    let mut at = args.clone();
    at.extend(["--header-row", "3"]);
    assert_eq!(vanban(&at, dir.path()).code, 0);
    let mut wrong = args.clone();
    wrong.extend(["--header-row", "99"]);
    let run = vanban(&wrong, dir.path());
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("DS đề nghị: --header-row 99: the sheet has 5 rows"), "{}", run.stderr);
}

/// An award proposal as offices write it: no "Loại" column but "I. TẬP THỂ" / "II. CÁ NHÂN"
/// headings, one "Chức vụ, đơn vị công tác" column whose text runs on to a row of its own,
/// and a "Tổng cộng" line. Every awardee gets a certificate with the whole position.
#[test]
fn an_award_list_divided_by_sections_becomes_certificates() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = XlsxBook::new();
    let ws = wb.add_worksheet().set_name("DS").unwrap();
    ws.write(0, 0, "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2025").unwrap();
    let header = ["STT", "Họ và tên", "Chức vụ, đơn vị công tác", "Hình thức khen thưởng", "Thành tích"];
    for (c, label) in header.iter().enumerate() {
        ws.write(2, c as u16, *label).unwrap();
    }
    let rows: [&[&str]; 6] = [
        &["I.", "TẬP THỂ"],
        &["1", "Phòng Dân vận", "Huyện Vạn Ninh", "Giấy khen", "Dân vận khéo"],
        &["II.", "CÁ NHÂN"],
        &["1", "Trần Thị Bình", "Phó trưởng phòng, Sở Nội vụ", "Giấy khen", "Hoàn thành xuất sắc nhiệm vụ"],
        &["", "", "tỉnh Khánh Hòa"],
        &["Tổng cộng: 2"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
            match v.parse::<f64>() {
                Ok(n) => ws.write(3 + r as u32, c as u16, n).unwrap(),
                Err(_) => ws.write(3 + r as u32, c as u16, *v).unwrap(),
            };
        }
    }
    std::fs::write(dir.path().join("ds.xlsx"), wb.save_to_buffer().unwrap()).unwrap();
    let mut args =
        vec!["render", "giay-khen", "ds.xlsx", "-o", "out", "--sheet", "DS", "--pdf-standard", "none"];
    for set in [
        "Loại văn bản=Đảng",
        "Cơ quan cấp trên=TỈNH ỦY KHÁNH HÒA",
        "Cơ quan ban hành=BAN DÂN VẬN",
        "Địa danh=Khánh Hòa",
        "Số quyết định=12-QĐ/BDVTU",
        "Ngày quyết định=15/01/2026",
        "Chủ thể quyết định=Ban Dân vận Tỉnh ủy",
        "Chức vụ người ký=TRƯỞNG BAN",
        "Người ký=Lê Văn Bình",
    ] {
        args.extend(["--set", set]);
    }
    let run = vanban(&args, dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pdf = std::fs::read(dir.path().join("out/Trần Thị Bình.pdf")).unwrap();
    let text = pages_text(&pdf).join("\n");
    for wanted in
        ["Trần Thị Bình", "Phó trưởng phòng, Sở Nội vụ", "tỉnh Khánh Hòa", "Hoàn thành xuất sắc nhiệm vụ"]
    {
        assert_has(&text, wanted);
    }
    assert!(dir.path().join("out/Phòng Dân vận.pdf").exists());
    // The headings and the total are set aside; the line that continues a record is not.
    let aside = std::fs::read_to_string(dir.path().join("out/set-aside.csv")).unwrap();
    let rows: Vec<&str> = aside.lines().skip(1).map(|l| l.split(',').nth(1).unwrap_or_default()).collect();
    assert_eq!(rows, ["1", "4", "6", "9"], "{aside}");
}

/// A roster as file 10 of the real-world corpus has it: no label over the row numbers, a
/// second header row of short codes without merges, names typed in TCVN3, "-" for nothing,
/// a total row with no label, a note column without a header; and, as file 06 has it, a
/// description that runs on over rows of its own under its record.
fn roster() -> Vec<u8> {
    let mut wb = XlsxBook::new();
    let ws = wb.add_worksheet().set_name("Phân công").unwrap();
    let header = ["HỌ TÊN", "CHỨC VỤ", "TC TOÁN", "TC VĂN", "THƯ VIỆN", "Nhiệm vụ"];
    for (c, label) in header.iter().enumerate() {
        ws.write(0, c as u16 + 1, *label).unwrap();
    }
    for (c, code) in ["TC", "TC-BT", "TV"].iter().enumerate() {
        ws.write(1, c as u16 + 3, *code).unwrap();
    }
    // TCVN3 bytes as a legacy font shows them: "NguyÔn Thanh Hµ" is Nguyễn Thanh Hà.
    let people = [
        ("NguyÔn Thanh Hµ", "GV", 10.0, 5.0),
        ("TrÇn Thanh ViÖt", "HP", 5.0, 0.0),
        ("Lª Thu Trang", "CTV", 0.0, 5.0),
    ];
    let mut r = 2;
    for (i, (name, role, toan, tv)) in people.iter().enumerate() {
        ws.write(r, 0, (i + 1) as f64).unwrap();
        ws.write(r, 1, *name).unwrap();
        ws.write(r, 2, *role).unwrap();
        for (c, v) in [(3, *toan), (4, 5.0), (5, *tv)] {
            if v == 0.0 {
                ws.write(r, c, "-").unwrap();
            } else {
                ws.write(r, c, v).unwrap();
            }
        }
        ws.write(r, 6, "Dạy lớp 6A").unwrap();
        if i == 0 {
            ws.write(r, 7, "4 tiết/tuần").unwrap();
            ws.write(r + 1, 6, "Chủ nhiệm lớp 6A").unwrap();
            ws.write(r + 2, 6, "Phụ trách thư viện").unwrap();
            r += 2;
        }
        r += 1;
    }
    ws.write(r, 3, 15.0).unwrap();
    ws.write(r, 4, 15.0).unwrap();
    ws.write(r, 5, 10.0).unwrap();
    wb.save_to_buffer().unwrap()
}

#[test]
fn inspect_reads_sub_labels_an_unlabelled_total_and_continuation_lines() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("roster.xlsx"), roster()).unwrap();
    let run = vanban(&["inspect", "roster.xlsx"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    for line in [
        "  header: rows 1 and 2 (row 1 is the first with 6 of the sheet's most 6 text labels in a row; row 2 holds sub-labels under its labels)",
        "  data: 3 rows (3, 6-7)",
        "    rows 4-5: continues the data row above",
        "    row 8: total row (totals are computed from the data rows)",
        "    TCVN3 text converted to Unicode: 3 cells (B3, B6, B7)",
    ] {
        assert!(run.stdout.lines().any(|l| l == line), "no line {line:?} in\n{}", run.stdout);
    }
    assert!(run.stdout.contains("TC TOÁN / TC"), "{}", run.stdout);
    let wb = workbook::read_bytes(roster(), "roster.xlsx").unwrap();
    assert_eq!(wb.sheets[0].rows[2][1], workbook::Cell::Text("Nguyễn Thanh Hà".into()));
    let doc = appendix(&wb, None);
    assert_every_cell_printed(&wb.sheets[0], &doc.pdf, "roster");
}

#[test]
fn inspect_speaks_vietnamese_under_lang_vi_or_a_vietnamese_locale() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("roster.xlsx"), roster()).unwrap();
    let run = vanban(&["--lang", "vi", "inspect", "roster.xlsx"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let want = [
        "roster.xlsx: 1 trang tính",
        "Trang tính \"Phân công\" — 8 dòng × 8 cột, 0 vùng gộp ô",
        "  Dòng tên cột: dòng 1 và 2 (dòng 1 là dòng đầu tiên có đủ ô chữ để làm tên cột: 6 ô, dòng nhiều nhất có 6 ô; dòng 2 bên dưới ghi tên cột con)",
        "  Các cột:",
        "    A  (không có tên)  số nguyên              3 ô có dữ liệu  1 | 2 | 3",
        "    B  HỌ TÊN          chữ                    3 ô có dữ liệu  Nguyễn Thanh Hà | Trần Thanh Việt | Lê Thu Trang",
        "    C  CHỨC VỤ         chữ                    3 ô có dữ liệu  GV | HP | CTV",
        "    D  TC TOÁN / TC    lẫn lộn (1 chữ, 2 số)  3 ô có dữ liệu  10 | 5 | -",
        "    E  TC VĂN / TC-BT  số nguyên              3 ô có dữ liệu  5",
        "    F  THƯ VIỆN / TV   lẫn lộn (1 chữ, 2 số)  3 ô có dữ liệu  5 | -",
        "    G  Nhiệm vụ        chữ                    3 ô có dữ liệu  Dạy lớp 6A",
        "    H  (không có tên)  chữ                    1 ô có dữ liệu  4 tiết/tuần",
        "  Dữ liệu: 3 dòng (3, 6-7)",
        "  Để riêng: 3 dòng",
        "    dòng 4-5: dòng viết tiếp dòng bên trên",
        "    dòng 8: dòng tổng cộng (tổng được tính lại từ các dòng)",
        "  Đã sửa: 3 ô",
        "    chữ gõ bằng mã TCVN3 (ABC) đã chuyển sang Unicode: 3 ô (B3, B6, B7)",
    ];
    assert_eq!(run.stdout.lines().collect::<Vec<_>>(), want);
    // A Vietnamese locale says the same without --lang; any other keeps English.
    let with_locale = |lang: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_vanban"))
            .args(["inspect", "roster.xlsx"])
            .current_dir(dir.path())
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", lang)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(with_locale("vi_VN.UTF-8"), run.stdout);
    let english = with_locale("C.UTF-8");
    assert!(
        english.starts_with("roster.xlsx: 1 sheet\nSheet \"Phân công\" — 8 rows × 8 columns"),
        "{english}"
    );
    // A sheet without a header: the reason, in Vietnamese, where a table was wanted.
    let mut wb = XlsxBook::new();
    let ws = wb.add_worksheet().set_name("Số").unwrap();
    for r in 0..3 {
        ws.write(r, 0, r as f64).unwrap();
        ws.write(r, 1, "x").unwrap();
    }
    std::fs::write(dir.path().join("so.xlsx"), wb.save_to_buffer().unwrap()).unwrap();
    let run = vanban(&["--lang", "vi", "check", "bang-bieu", "so.xlsx", "--sheet", "Số"], dir.path());
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "lỗi: sổ tính chưa khớp mẫu \"bang-bieu\": 1 vấn đề\n\
         \x20 Số: không tìm thấy bảng (trong 3 dòng đầu không dòng nào có từ hai ô chữ trở lên để làm tên cột); \
         hãy chỉ ra dòng tiêu đề bằng --header-row N\n"
    );
}
