//! The one integration test binary: PDFs checked with an independent text extractor
//! (pdf-extract) and PDF parser (lopdf), golden Typst source, and the command line's exact
//! output for good and bad workbooks.

#[path = "../samples/sample_data.rs"]
mod sample_data;

use sample_data::{Book, V, n, s};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::LazyLock;
use unicode_normalization::UnicodeNormalization;
use vanban::workbook::{self, Workbook};
use vanban::{Engine, Options, RenderOptions};

static ENGINE: LazyLock<Engine> = LazyLock::new(|| Engine::new(&Options::default()).expect("engine"));

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read_book(book: &Book) -> Workbook {
    workbook::read_bytes(book.to_xlsx(), "test.xlsx").expect("read generated workbook")
}

/// Renders `book` with the report template and returns the single PDF.
fn render(book: &Book) -> vanban::Document {
    let rendered = ENGINE
        .render(
            "bao-cao-tong-ket",
            &read_book(book),
            &RenderOptions::default(),
            &Default::default(),
            &|_, _| {},
        )
        .expect("render");
    assert_eq!(rendered.documents.len(), 1);
    rendered.documents.into_iter().next().unwrap()
}

/// NFC with all white space removed: how text is compared across line and cell breaks.
fn flat(s: &str) -> String {
    // U+200B is the break opportunity the appendix puts inside long words.
    s.nfc().filter(|c| !c.is_whitespace() && *c != '\u{200B}').collect()
}

fn pages_text(pdf: &[u8]) -> Vec<String> {
    pdf_extract::extract_text_from_mem_by_pages(pdf).expect("pdf-extract reads the PDF")
}

fn assert_has(text: &str, wanted: &str) {
    assert!(flat(text).contains(&flat(wanted)), "PDF text lacks {wanted:?}");
}

/// Every text value of a workbook: column B of key/value sheets, the rows under the header
/// of tables.
fn all_text_values(book: &Book, sheets: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for (name, rows) in &book.sheets {
        if !sheets.contains(&name.as_str()) {
            continue;
        }
        let keys = rows[0].len() == 2;
        for row in &rows[1..] {
            for v in if keys { &row[1..] } else { &row[..] } {
                if let V::S(t) = v {
                    out.push(t.clone());
                }
            }
        }
    }
    out
}

#[test]
fn committed_samples_match_the_program_that_writes_them() {
    for (file, book) in [
        ("khanh-hoa-2023.xlsx", sample_data::khanh_hoa_2023()),
        ("khanh-hoa-2025.xlsx", sample_data::khanh_hoa_2025()),
    ] {
        let committed = workbook::read_path(&root().join("samples").join(file)).expect("sample reads");
        let fresh = workbook::read_bytes(book.to_xlsx(), &committed.source).unwrap();
        assert_eq!(
            committed.sheets, fresh.sheets,
            "run `cargo run --example make-samples` to refresh {file}"
        );
    }
}

#[test]
fn sample_report_has_every_element_and_the_exact_vietnamese() {
    let book = sample_data::khanh_hoa_2023();
    let doc = render(&book);
    let pages = pages_text(&doc.pdf);
    assert!(pages.len() >= 2, "the report runs over several pages");
    let text = pages.join("\n");
    for wanted in [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "TỈNH ỦY KHÁNH HÒA",
        "BAN DÂN VẬN",
        "Số 15-BC/BDVTU",
        "Khánh Hòa, ngày 09 tháng 01 năm 2024",
        "BÁO CÁO",
        "Tổng kết công tác dân vận năm 2023",
        "PHẦN THỨ NHẤT",
        "PHẦN THỨ HAI",
        "PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2024",
        "I. TÌNH HÌNH CHUNG",
        "II. KẾT QUẢ CÔNG TÁC DÂN VẬN CỦA HỆ THỐNG CHÍNH TRỊ",
        "III. HOẠT ĐỘNG CỦA BAN DÂN VẬN",
        "IV. ĐÁNH GIÁ CHUNG",
        "Tổng cộng9369092.425",
        "đăng ký xây dựng 936 mô hình",
        "lũy kế đến nay có 2.425 mô hình",
        "đạt 97,12%",
        "Biểu đồ 1.",
        "Nơi nhận:",
        "TRƯỞNG BAN",
        "Nguyễn Văn Hòa",
    ] {
        assert_has(&text, wanted);
    }
    // Every text the workbook holds (narrative, units, recipients) is in the PDF, exactly.
    for value in all_text_values(&book, &["Thông tin", "Số liệu", "Nội dung"]) {
        if value != "Đảng" {
            assert_has(&text, &value); // "Đảng" chooses the header form; it is not printed
        }
    }
    // Page numbers: none on page 1, centred at the top from page 2.
    assert!(!flat(&pages[0]).starts_with('1'));
    for (i, page) in pages.iter().enumerate().skip(1) {
        assert!(flat(page).starts_with(&(i + 1).to_string()), "page {} starts with its number", i + 1);
    }
    // The ranking lists units by score, ties in workbook order.
    let flat_text = flat(&text);
    let ranking = &flat_text[flat_text.find("Thứhạng").expect("ranking table")..];
    let order: Vec<usize> =
        ["Nha Trang", "Ninh Hòa", "Cam Ranh", "Diên Khánh", "Vạn Ninh", "Cam Lâm", "Khánh Sơn"]
            .iter()
            .map(|u| ranking.find(&flat(u)).expect("unit ranked"))
            .collect();
    assert!(order[..6].windows(2).all(|w| w[0] < w[1]), "ranked by score: {order:?}");
    assert!(order[5] < order[6]);
}

fn font_descriptors(pdf: &[u8]) -> Vec<(String, bool)> {
    let doc = lopdf::Document::load_mem(pdf).expect("lopdf reads the PDF");
    doc.objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"Type").ok().and_then(|t| t.as_name().ok()) == Some(b"FontDescriptor"))
        .map(|d| {
            let name = d.get(b"FontName").ok().and_then(|n| n.as_name().ok()).unwrap_or_default();
            let embedded = [&b"FontFile"[..], b"FontFile2", b"FontFile3"].iter().any(|k| d.has(k));
            (String::from_utf8_lossy(name).into_owned(), embedded)
        })
        .collect()
}

#[test]
fn every_font_is_embedded_and_only_bundled_fonts_are_used() {
    let doc = render(&sample_data::khanh_hoa_2023());
    let fonts = font_descriptors(&doc.pdf);
    assert!(!fonts.is_empty());
    for (name, embedded) in &fonts {
        assert!(embedded, "{name} is not embedded");
        assert!(name.contains("Tinos"), "{name} is not a bundled font");
    }
}

#[test]
fn same_workbook_gives_the_same_bytes() {
    let book = sample_data::khanh_hoa_2023();
    let a = render(&book);
    let b = render(&book);
    assert!(a.pdf == b.pdf, "two renders differ");
    // The PDF's date is the document's, not the clock's.
    let doc = lopdf::Document::load_mem(&a.pdf).unwrap();
    let info =
        doc.trailer.get(b"Info").and_then(|i| doc.dereference(i)).unwrap().1.as_dict().unwrap().clone();
    let date = info.get(b"CreationDate").unwrap().as_str().unwrap();
    assert!(String::from_utf8_lossy(date).starts_with("D:20240109"), "{:?}", String::from_utf8_lossy(date));
}

#[test]
fn after_2025_commune_units_merged_commission_and_a_deputy_signing() {
    let book = sample_data::khanh_hoa_2025();
    let wb = read_book(&book);
    let rendered = ENGINE
        .render("bao-cao-tong-ket", &wb, &RenderOptions::default(), &Default::default(), &|_, _| {})
        .unwrap();
    let text = pages_text(&rendered.documents[0].pdf).join("\n");
    for wanted in [
        "BAN TUYÊN GIÁO VÀ DÂN VẬN",
        "Số 42-BC/BTGDVTU",
        "Khánh Hòa, ngày 20 tháng 12 năm 2025",
        "Đặc khu Trường Sa",
        "Phường Bắc Nha Trang",
        "12 đơn vị đã đăng ký",
        "III. HOẠT ĐỘNG CỦA BAN TUYÊN GIÁO VÀ DÂN VẬN",
        "K/T TRƯỞNG BAN",
        "PHÓ TRƯỞNG BAN",
        "Trần Thị Thu Hằng",
    ] {
        assert_has(&text, wanted);
    }
    // The title row above the header is listed as set aside, not lost.
    assert_eq!(rendered.set_aside.len(), 1);
    assert_eq!(rendered.set_aside[0].row, 1);
    assert_eq!(rendered.documents[0].file_name, "bao-cao-tong-ket-2025.pdf");
}

#[test]
fn state_documents_get_the_state_header() {
    let mut book = sample_data::khanh_hoa_2023();
    book.set_item("Thông tin", "Loại văn bản", s("Nhà nước"));
    book.set_item("Thông tin", "Cơ quan cấp trên", s("UBND TỈNH KHÁNH HÒA"));
    book.set_item("Thông tin", "Cơ quan ban hành", s("SỞ NỘI VỤ"));
    book.set_item("Thông tin", "Số văn bản", s("Số: 120/BC-SNV"));
    let text = pages_text(&render(&book).pdf).join("\n");
    for wanted in
        ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "SỞ NỘI VỤ", "Số: 120/BC-SNV"]
    {
        assert_has(&text, wanted);
    }
    assert!(!flat(&text).contains(&flat("ĐẢNG CỘNG SẢN")));
    assert!(!flat(&text).contains(&flat("Số: Số")));
}

#[test]
fn markup_in_cells_prints_as_itself() {
    let nasty = [
        "#read(\"/etc/passwd\")",
        "$x$ và $y$",
        "*đậm* _nghiêng_",
        "@ref <lbl> // chú thích",
        "= Tiêu đề",
        "- gạch đầu dòng",
        "+ 1. `mã` ~ \\ [x] 'a' \"b\" http://x.vn -- ...",
    ];
    let mut book = sample_data::khanh_hoa_2023();
    let text_sheet = book.sheet_mut("Nội dung");
    text_sheet.push(vec![s("Hạn chế"), s(nasty[0])]);
    for t in &nasty[1..] {
        text_sheet.push(vec![V::Blank, s(t)]);
    }
    book.sheet_mut("Số liệu")[1][1] = s("*Nha Trang* #x");
    book.set_item("Thông tin", "Người ký", s("_Nguyễn_ = @A"));
    let doc = render(&book);
    let text = pages_text(&doc.pdf).join("\n");
    for t in nasty.iter().chain(&["*Nha Trang* #x", "_Nguyễn_ = @A"]) {
        assert_has(&text, t);
    }
    assert!(!text.contains("root:"), "a cell must never read files");
}

#[test]
fn a_template_cannot_read_files_outside_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("doc-lieu");
    std::fs::create_dir_all(&t).unwrap();
    std::fs::write(t.join("manifest.toml"), "description = \"x\"\noutput = \"x\"\nsheets = []\n").unwrap();
    std::fs::write(
        t.join("template.typ.hbs"),
        "#read(\"/etc/hostname\") #read(\"../../../../etc/hostname\")",
    )
    .unwrap();
    std::fs::write(t.join("ok.typ.hbs"), "").unwrap();
    let engine =
        Engine::new(&Options { templates_dir: Some(dir.path().into()), ..Options::default() }).unwrap();
    let wb = read_book(&sample_data::khanh_hoa_2023());
    let err = engine
        .render("doc-lieu", &wb, &RenderOptions::default(), &Default::default(), &|_, _| {})
        .unwrap_err();
    let message = format!("{err}: {:?}", err);
    assert!(message.contains("file not found"), "{message}");
}

#[test]
fn header_labels_bind_through_case_spacing_tone_placement_and_aliases() {
    let mut book = sample_data::khanh_hoa_2023();
    let header = &mut book.sheet_mut("Số liệu")[0];
    header[1] = s("Đơn vị (huyện, thị, thành)");
    header[2] = s("MÔ HÌNH  ĐĂNG KÝ");
    header[4] = s("Luỹ kế mô hình");
    header[6] = s("Văn hoá - xã hội");
    header.push(s("Ghi chú"));
    book.sheet_mut("Số liệu")[1].extend([V::Blank, V::Blank, s("cột thừa")]);
    let text = pages_text(&render(&book).pdf).join("\n");
    assert_has(&text, "Tổng cộng9369092.425");
    assert!(!text.contains("cột thừa"), "unknown columns are ignored");
    let mut book = sample_data::khanh_hoa_2023();
    book.sheet_mut("Số liệu")[0][1] = s("Tên đơn vị");
    assert_has(&pages_text(&render(&book).pdf).join("\n"), "Huyện Khánh Sơn");
}

#[test]
fn a_long_table_repeats_its_header_on_every_page() {
    let mut book = sample_data::khanh_hoa_2023();
    let names: Vec<String> = (1..=70).map(|i| format!("Xã thứ {i}")).collect();
    let units = book.sheet_mut("Số liệu");
    units.truncate(1);
    for (i, name) in names.iter().enumerate() {
        let mut row = vec![n((i + 1) as f64), s(name)];
        row.extend([10.0, 9.0, 30.0, 3.0, 2.0, 2.0, 2.0, 4.0, 7.0, 90.0].map(n));
        row.push(s("Tốt"));
        units.push(row);
    }
    let pages = pages_text(&render(&book).pdf);
    let with_header = pages.iter().filter(|p| flat(p).contains(&flat("Chia theo lĩnh vực"))).count();
    let table_pages = pages.iter().filter(|p| flat(p).contains(&flat("Xã thứ"))).count();
    assert!(with_header >= 2, "the table spans pages and its header repeats ({with_header} pages)");
    let all = flat(&pages.join("\n"));
    for name in &names {
        assert!(all.contains(&flat(&format!("{name}1090"))) || all.contains(&flat(name)), "{name} missing");
    }
    assert!(table_pages >= 2);
}

/// Golden Typst source: review changes like code; regenerate with UPDATE_GOLDEN=1.
#[test]
fn generated_typst_source_matches_the_golden_files() {
    let wb = workbook::read_path(&root().join("samples/khanh-hoa-2023.xlsx")).unwrap();
    // (template, document in run order, golden): the Party decision of the Ban, the UBND's
    // state decision, a Party and a state certificate (rows 2 and 5: a medal, a Bằng khen).
    for (template, doc, golden) in [
        ("bao-cao-tong-ket", 0, "bao-cao-tong-ket-2023.typ"),
        ("quyet-dinh-khen-thuong", 0, "quyet-dinh-khen-thuong-2023.typ"),
        ("quyet-dinh-khen-thuong", 1, "quyet-dinh-khen-thuong-2023-nha-nuoc.typ"),
        ("giay-khen", 0, "giay-khen-2023-first.typ"),
        ("giay-khen", 3, "giay-khen-2023-nha-nuoc.typ"),
    ] {
        let plan = ENGINE.check(template, &wb, &RenderOptions::default(), &Default::default()).unwrap();
        let (source, _) = ENGINE.typst_for(&plan, &plan.docs[doc]).unwrap();
        let golden = root().join("tests/golden").join(golden);
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
            std::fs::write(&golden, &source).unwrap();
        }
        let want =
            std::fs::read_to_string(&golden).expect("golden file; run with UPDATE_GOLDEN=1 to create it");
        assert!(
            source == want,
            "{template}: generated Typst changed; review it and rerun with UPDATE_GOLDEN=1"
        );
    }
}

// ---------------------------------------------------------------- command line

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn vanban(args: &[&str], dir: &Path) -> Run {
    let out =
        Command::new(env!("CARGO_BIN_EXE_vanban")).args(args).current_dir(dir).output().expect("run vanban");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn write_book(dir: &Path, name: &str, book: &Book) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, book.to_xlsx()).unwrap();
    path
}

#[test]
fn cli_renders_the_sample_into_the_output_folder() {
    let dir = tempfile::tempdir().unwrap();
    let sample = root().join("samples/khanh-hoa-2023.xlsx");
    let run = vanban(&["render", "bao-cao-tong-ket", sample.to_str().unwrap(), "-o", "out"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("wrote out/bao-cao-tong-ket-2023.pdf ("), "{}", run.stdout);
    let mut files: Vec<String> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["bao-cao-tong-ket-2023.pdf", "index.csv", "set-aside.csv"], "no temporary files");
}

#[test]
fn cli_lists_templates_and_checks_workbooks() {
    let dir = tempfile::tempdir().unwrap();
    let run = vanban(&["templates"], dir.path());
    assert_eq!(run.code, 0);
    let names: Vec<&str> = run.stdout.lines().map(|l| l.split_whitespace().next().unwrap()).collect();
    assert_eq!(
        names,
        [
            "bang-bieu",
            "bao-cao-don-vi",
            "bao-cao-tong-ket",
            "giay-khen",
            "quyet-dinh-khen-thuong",
            "to-trinh-khen-thuong"
        ]
    );
    let sample = root().join("samples/khanh-hoa-2025.xlsx");
    let run = vanban(&["check", "bao-cao-tong-ket", sample.to_str().unwrap()], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "note: Số liệu row 1 set aside: above the header row (title)\n");
    assert!(run.stdout.ends_with("fits template \"bao-cao-tong-ket\" (1 document)\n"));
}

#[test]
fn cli_reports_every_problem_with_its_cell_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = sample_data::khanh_hoa_2023();
    book.sheet_mut("Số liệu")[6][2] = s("mười");
    book.sheet_mut("Số liệu")[3][11] = s("chín mươi");
    book.sheet_mut("Thông tin").retain(|r| r.first() != Some(&s("Người ký")));
    book.set_item("Thông tin", "Ngày ban hành", s("09/13/2024"));
    let path = write_book(dir.path(), "sai.xlsx", &book);
    let run = vanban(&["render", "bao-cao-tong-ket", path.to_str().unwrap(), "-o", "out"], dir.path());
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: the workbook does not fit template \"bao-cao-tong-ket\": 4 problems\n\
         \x20 Thông tin!B7 (\"Ngày ban hành\"): expected a date (dd/mm/yyyy), found \"09/13/2024\"\n\
         \x20 Thông tin: no item \"Người ký\" (looked for \"Người ký\", \"Họ tên người ký\", \"Họ và tên người ký\" in column A; or give it with --set \"Người ký=...\")\n\
         \x20 Số liệu!L4 (\"Điểm thi đua\"): expected a number, found \"chín mươi\"\n\
         \x20 Số liệu!C7 (\"Mô hình đăng ký\"): expected a whole number, found \"mười\"\n"
    );
    assert!(!dir.path().join("out").exists(), "no partial output");
    let run = vanban(&["check", "bao-cao-tong-ket", path.to_str().unwrap()], dir.path());
    assert_eq!(run.code, 1);
}

#[test]
fn cli_names_the_missing_column_and_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = sample_data::khanh_hoa_2023_one_decision();
    // Typed without diacritics: no label holds it, so it is only suggested.
    book.sheet_mut("Số liệu")[0][3] = s("Cong nhan moi");
    book.sheets.retain(|(name, _)| name != "Thông tin");
    let path = write_book(dir.path(), "thieu.xlsx", &book);
    let run = vanban(&["check", "bao-cao-tong-ket", path.to_str().unwrap()], dir.path());
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: the workbook does not fit template \"bao-cao-tong-ket\": 2 problems\n\
         \x20 no sheet \"Thông tin\" (looked for \"Thông tin\", \"Thông tin chung\", \"Thong tin\"); the workbook has \"Số liệu\", \"Nội dung\", \"Quyết định\", \"Khen thưởng\", \"Tờ trình\"; or give its items with --set \"ITEM=VALUE\"\n\
         \x20 Số liệu: no column \"Mô hình được công nhận\" in the header row 1 (looked for \"Mô hình được công nhận\", \"Số mô hình được công nhận\", \"Được công nhận\", \"Công nhận\"; the header has \"Cong nhan moi\": did you mean \"Mô hình được công nhận\"?; or name it with --map \"cong_nhan=LABEL\")\n"
    );
}

#[test]
fn cli_usage_and_unreadable_files_exit_2_with_one_sentence() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ghi-chu.xlsx"), "không phải bảng tính").unwrap();
    let run = vanban(&["check", "bao-cao-tong-ket", "ghi-chu.xlsx"], dir.path());
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (2, "error: ghi-chu.xlsx is not a workbook (plain text); expected xlsx, xlsm, xlsb, xls or ods\n")
    );
    let run = vanban(&["check", "bao-cao-tong-ket", "khong-co.xlsx"], dir.path());
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: cannot read khong-co.xlsx\n  cause: "), "{}", run.stderr);
    let run = vanban(&["check", "khong-co-mau", "khong-co.xlsx"], dir.path());
    assert_eq!(run.code, 2);
    let run = vanban(&["templates", "--font-path", "khong-co-font"], dir.path());
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: cannot read fonts from khong-co-font: "), "{}", run.stderr);
    let run = vanban(&["render"], dir.path());
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("Usage"), "{}", run.stderr);
    let sample = root().join("samples/khanh-hoa-2023.xlsx");
    let run = vanban(&["check", "khong-co-mau", sample.to_str().unwrap()], dir.path());
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            2,
            "error: no template \"khong-co-mau\"; the templates are: bang-bieu, bao-cao-don-vi, bao-cao-tong-ket, giay-khen, quyet-dinh-khen-thuong, to-trinh-khen-thuong\n"
        )
    );
}

#[test]
fn cli_speaks_vietnamese_under_lang_vi() {
    let dir = tempfile::tempdir().unwrap();
    let sample = root().join("samples/khanh-hoa-2023.xlsx");
    let sample = sample.to_str().unwrap();
    let run = vanban(&["--lang", "vi", "check", "bao-cao-tong-ket", sample], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, format!("{sample}: khớp mẫu \"bao-cao-tong-ket\" (1 văn bản)\n"));
    let run = vanban(&["--lang", "vi", "render", "bao-cao-tong-ket", sample, "-o", "out"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("đã ghi out/bao-cao-tong-ket-2023.pdf (") && run.stdout.ends_with(" trang)\n")
    );
    let run = vanban(&["--lang", "vi", "build", sample, "--zip", "ds.zip"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("đã ghi ds.zip (44 văn bản, "), "{}", run.stdout);
    assert!(run.stderr.lines().all(|l| l.starts_with("ghi chú: ")), "{}", run.stderr);
    let run = vanban(&["--lang", "vi", "check", "bao-cao-tong-ket", "khong-co.xlsx"], dir.path());
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (2, "lỗi: không đọc được tệp khong-co.xlsx\n  nguyên nhân: không có tệp hoặc thư mục này\n")
    );
    let run = vanban(&["--lang", "vi", "chek", "bao-cao-tong-ket", sample], dir.path());
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (2, "lỗi: không có lệnh 'chek'; có phải là 'check'?\n\nGõ thêm --help để xem hướng dẫn.\n")
    );
    let run = vanban(&["--lang", "vi", "build", sample, "-o", "x", "--map", "don_vi"], dir.path());
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (
            2,
            "lỗi: giá trị 'don_vi' của --map <FIELD=LABEL> không hợp lệ: cần TÊN=GIÁ_TRỊ, nhưng đã ghi \"don_vi\"\n\n\
             Gõ thêm --help để xem hướng dẫn.\n"
        )
    );
    let run = vanban(&["--lang", "vi", "render", "bao-cao-tong-ket", "-o", "out"], dir.path());
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (2, "lỗi: hãy ghi tên sổ tính: `vanban render bao-cao-tong-ket SỔ_TÍNH`\n")
    );
    let run = vanban(&["--lang", "vi", "render", "giay-khen", sample, "--print"], dir.path());
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (2, "lỗi: --print <FILE.pdf> cần một giá trị\n\nGõ thêm --help để xem hướng dẫn.\n")
    );
}

/// Copies built-in template `name` into `dir/mau/name` with its source edited by `edit`.
fn override_template(dir: &Path, name: &str, edit: impl Fn(String) -> String) {
    let t = dir.join("mau").join(name);
    std::fs::create_dir_all(&t).unwrap();
    let builtin = root().join("templates").join(name);
    std::fs::copy(builtin.join("manifest.toml"), t.join("manifest.toml")).unwrap();
    let source = std::fs::read_to_string(builtin.join("template.typ.hbs")).unwrap();
    std::fs::write(t.join("template.typ.hbs"), edit(source)).unwrap();
}

#[test]
fn cli_templates_folder_overrides_wording_without_rebuilding() {
    let dir = tempfile::tempdir().unwrap();
    override_template(dir.path(), "bao-cao-tong-ket", |source| {
        source.replace("Tình hình chung", "Bối cảnh năm qua")
    });
    let sample = root().join("samples/khanh-hoa-2023.xlsx");
    let run = vanban(
        &["render", "bao-cao-tong-ket", sample.to_str().unwrap(), "-o", "out", "--templates", "mau"],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text =
        pages_text(&std::fs::read(dir.path().join("out/bao-cao-tong-ket-2023.pdf")).unwrap()).join("\n");
    assert_has(&text, "I. BỐI CẢNH NĂM QUA");
}

#[test]
fn cli_templates_name_shows_what_it_reads_and_writes_a_fill_in_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let run = vanban(&["templates", "giay-khen"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    for line in [
        "giay-khen: Giấy khen / Bằng khen cho từng tập thể, cá nhân (A4 hoặc A3 ngang)",
        "  one document per row of \"Khen thưởng\"; file name: {{row.ten}}",
        "sheet \"Khen thưởng\" (required; table: a header row, then one row per record; id khen_thuong)",
        "  Tên (ten): text; required; read on lines 6, 42 and the file name",
        "  Loại (loai): one of \"Tập thể\", \"Cá nhân\", \"Hộ gia đình\"; optional; read on line 42",
        "  Tên gọi (Ông/Bà/Chức danh) (danh_xung): text; optional; read on line 42",
        "  Ngày quyết định (ngay_qd): date (dd/mm/yyyy); required; read on lines 9, 52, 59 and the document date",
        "      also: \"Họ và tên\", \"Họ tên\", \"Tên tập thể\", \"Tên tập thể/cá nhân\", \"Tên tập thể, cá nhân\", \"Tên cá nhân, tập thể\", \"Tập thể, cá nhân\"",
    ] {
        assert!(run.stdout.lines().any(|l| l == line), "no line {line:?} in\n{}", run.stdout);
    }
    let run = vanban(&["templates", "giay-khen", "--workbook", "mau.xlsx"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "wrote mau.xlsx: the sheets and columns \"giay-khen\" reads, to fill in\n");
    let wb = workbook::read_path(&dir.path().join("mau.xlsx")).unwrap();
    let names: Vec<&str> = wb.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Thông tin", "Quyết định", "Khen thưởng"]);
    let row = |sheet: usize, r: usize| -> Vec<String> {
        wb.sheets[sheet].rows[r].iter().map(|c| c.display()).collect()
    };
    assert_eq!(
        row(2, 0),
        [
            "Tên gọi (Ông/Bà/Chức danh)",
            "Tên",
            "Loại",
            "Chức vụ",
            "Đơn vị",
            "Hình thức khen thưởng",
            // Read by no line but by the rule that gives each row its decision.
            "Số quyết định",
            "Thành tích",
            "Số sổ vàng"
        ]
    );
    let items: Vec<String> = (1..wb.sheets[0].rows.len()).map(|r| row(0, r)[0].clone()).collect();
    // "Cơ quan cấp trên" is printed by no line of the certificate, but the deciding body is made from it.
    assert_eq!(items, ["Loại văn bản", "Cơ quan cấp trên", "Cơ quan ban hành", "Địa danh"]);
    assert_eq!(row(1, 0), ["Mục", "Giá trị"]);
    // Each column carries its note (an Excel comment).
    let comments: String = zip_entries(&dir.path().join("mau.xlsx"))
        .into_iter()
        .filter(|(n, _)| n.starts_with("xl/comments"))
        .map(|(_, b)| String::from_utf8(b).unwrap())
        .collect();
    assert!(
        comments.contains("Bắt buộc. Một trong: Đảng; Nhà nước. Cũng nhận tên: Loại; Hình thức văn bản."),
        "{comments}"
    );
    assert!(comments.contains("Không bắt buộc. Chữ."), "{comments}");
    // Empty, it has the right shape: only values are missing, no sheet, item or column.
    let run = vanban(&["check", "giay-khen", "mau.xlsx"], dir.path());
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("Thông tin!B2 (\"Loại văn bản\"): a value is required"), "{}", run.stderr);
    for wrong in ["no sheet", "no column", "no item"] {
        assert!(!run.stderr.contains(wrong), "{}", run.stderr);
    }
    let run = vanban(&["templates", "--workbook", "x.xlsx"], dir.path());
    assert_eq!(run.code, 2, "--workbook needs a template name");
}

#[test]
fn cli_exported_templates_make_the_same_pdfs_and_can_be_edited() {
    let dir = tempfile::tempdir().unwrap();
    let run = vanban(&["templates", "--export", "mau"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "wrote 15 files into mau; use them with --templates mau\n");
    let sample = root().join("samples/khanh-hoa-2023.xlsx");
    let sample = sample.to_str().unwrap();
    let run = vanban(&["render", "quyet-dinh-khen-thuong", sample, "-o", "a"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run =
        vanban(&["render", "quyet-dinh-khen-thuong", sample, "-o", "b", "--templates", "mau"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pdf = |d: &str| std::fs::read(dir.path().join(d).join("quyet-dinh-125-QĐ-BDVTU.pdf")).unwrap();
    assert_eq!(pdf("a"), pdf("b"), "the exported templates are the built-in ones");
    // Edited wording shows, in the template and in the shared library.
    let t = dir.path().join("mau/quyet-dinh-khen-thuong/template.typ.hbs");
    let source = std::fs::read_to_string(&t).unwrap();
    assert!(source.contains("Điều 1."), "{source}");
    std::fs::write(&t, source.replace("Điều 1.", "Khoản 1.")).unwrap();
    let run =
        vanban(&["render", "quyet-dinh-khen-thuong", sample, "-o", "c", "--templates", "mau"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_has(&pages_text(&pdf("c")).join("\n"), "Khoản 1.");
}

#[test]
fn certificates_render_from_a_list_without_a_kind_column() {
    let mut book = sample_data::khanh_hoa_2023();
    book.sheet_mut("Khen thưởng").iter_mut().for_each(|r| drop(r.remove(2)));
    let rendered = render_all("giay-khen", &book, &RenderOptions::default());
    assert_eq!(rendered.documents.len(), 28);
    let text = pages_text(&rendered.documents[0].pdf).join("\n");
    assert_has(&text, "Trịnh Thị Lan");
    let wb = read_book(&book);
    let err = ENGINE.check("quyet-dinh-khen-thuong", &wb, &RenderOptions::default(), &Default::default());
    assert!(err.unwrap_err().to_string().contains("does not fit"), "the decision prints the kind");
}

#[test]
fn cli_a_broken_template_names_its_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("mau").join("hong");
    std::fs::create_dir_all(&t).unwrap();
    std::fs::write(t.join("manifest.toml"), "description = \"x\"\noutput = \"x\"\nsheets = []\n").unwrap();
    std::fs::write(t.join("template.typ.hbs"), "dòng một\n#khong-co-ham()\n").unwrap();
    let sample = root().join("samples/khanh-hoa-2023.xlsx");
    let run =
        vanban(&["render", "hong", sample.to_str().unwrap(), "-o", "out", "--templates", "mau"], dir.path());
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: 1 of 1 document could not be made\n\
         \x20 x.pdf: typst could not typeset the document:\n\
         \x20   mau/hong/template.typ.hbs:2 (main.typ:2): unknown variable: khong-co-ham (hint: if you meant to use subtraction, \
         try adding spaces around the minus signs: `khong - co - ham`)\n        #khong-co-ham()\n"
    );
    std::fs::write(t.join("template.typ.hbs"), "{{#if}}").unwrap();
    let run = vanban(&["templates", "--templates", "mau"], dir.path());
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("error: mau/hong/template.typ.hbs:1:"), "{}", run.stderr);
}

// ---------------------------------------------------------------- awards

fn render_all(template: &str, book: &Book, options: &RenderOptions) -> vanban::Rendered {
    ENGINE.render(template, &read_book(book), options, &Default::default(), &|_, _| {}).expect("render")
}

#[test]
fn the_decision_and_its_list_carry_every_awardee() {
    let book = sample_data::khanh_hoa_2023_one_decision();
    let rendered = render_all("quyet-dinh-khen-thuong", &book, &RenderOptions::default());
    assert_eq!(rendered.documents.len(), 1);
    let doc = &rendered.documents[0];
    assert_eq!(doc.file_name, "quyet-dinh-125-QĐ-BDVTU.pdf");
    let pages = pages_text(&doc.pdf);
    let text = pages.join("\n");
    for wanted in [
        "QUYẾT ĐỊNH",
        "Về việc khen thưởng các tập thể, cá nhân có thành tích xuất sắc trong công tác dân vận năm 2023",
        "BAN DÂN VẬN TỈNH ỦY KHÁNH HÒA",
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Xét đề nghị của Hội đồng Thi đua - Khen thưởng Ban Dân vận Tỉnh ủy,",
        "QUYẾT ĐỊNH:",
        "Điều 1. Khen thưởng 14 tập thể và 14 cá nhân có tên trong danh sách kèm theo",
        "Kỷ niệm chương “Vì sự nghiệp Dân vận”: 3 cá nhân;",
        "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh: 10 tập thể và 11 cá nhân;",
        "mỗi tập thể được thưởng 3.600.000 đồng (Ba triệu sáu trăm nghìn đồng);",
        "mỗi tập thể được thưởng 1.080.000 đồng (Một triệu không trăm tám mươi nghìn đồng);",
        "Tổng số tiền thưởng: 60.120.000 đồng (Sáu mươi triệu một trăm hai mươi nghìn đồng)",
        "Điều 3. Văn phòng Ban Dân vận Tỉnh ủy, các phòng chuyên môn thuộc Ban",
        "- Như Điều 3;",
        "Quyết định số 125-QĐ/BDVTU ngày 09/01/2024",
        "I. TẬP THỂ (14)",
        "II. CÁ NHÂN (14)",
        "Tổng cộng: 14 tập thể và 14 cá nhân",
    ] {
        assert_has(&text, wanted);
    }
    // The list starts on a new page, and every awardee row of the workbook is in it.
    let list_start = pages.iter().position(|p| flat(p).contains(&flat("DANH SÁCH"))).expect("list page");
    assert!(list_start >= 1);
    let list = flat(&pages[list_start..].join("\n"));
    for (name, ..) in sample_data::AWARDS_2023 {
        assert!(list.contains(&flat(name)), "{name} is listed");
    }
    // One row per awardee: every row's achievement starts "Đã có".
    assert_eq!(list.matches(&flat("Đã có")).count(), sample_data::AWARDS_2023.len());
    // Vietnamese order within a group: collectives by whole name, people by given name.
    let pos = |name: &str| list.find(&flat(name)).unwrap();
    assert!(pos("Ban Dân vận Đảng ủy Khối") < pos("Ban Dân vận Huyện ủy Cam Lâm"));
    assert!(pos("Ban Dân vận Thị ủy Ninh Hòa") < pos("Công an xã Cam Hải Tây"));
    assert!(pos("Nguyễn Văn Bình") < pos("Đặng Minh Đức"), "Bình before Đức");
    assert!(pos("Đặng Minh Đức") < pos("Phạm Thị Thu Hà"), "Đức before Hà");
}

#[test]
fn the_list_keeps_the_workbook_order_when_asked() {
    let mut book = sample_data::khanh_hoa_2023_one_decision();
    book.set_item("Quyết định", "Thứ tự danh sách", s("Như trong bảng"));
    let doc = &render_all("quyet-dinh-khen-thuong", &book, &RenderOptions::default()).documents[0];
    let list = flat(&pages_text(&doc.pdf).join("\n"));
    let pos = |name: &str| list.rfind(&flat(name)).unwrap();
    assert!(pos("Ban Dân vận Thành ủy Nha Trang") < pos("Ban Dân vận Huyện ủy Cam Lâm"));
    assert!(pos("Lê Thị Mai") < pos("Nguyễn Văn Bình"));
}

#[test]
fn one_single_page_certificate_per_awardee_with_unique_safe_names() {
    let mut book = sample_data::khanh_hoa_2023_one_decision();
    // Two people with the same name, and a name with characters Windows forbids.
    book.sheet_mut("Khen thưởng")[15][1] = s("Lê Thị Mai");
    book.sheet_mut("Khen thưởng")[16][1] = s("Tổ \"Tự quản\": khu 3/4");
    let rendered = render_all("giay-khen", &book, &RenderOptions::default());
    assert_eq!(rendered.documents.len(), sample_data::AWARDS_2023.len());
    let names: Vec<&str> = rendered.documents.iter().map(|d| d.file_name.as_str()).collect();
    assert!(names.contains(&"Lê Thị Mai.pdf") && names.contains(&"Lê Thị Mai (2).pdf"), "{names:?}");
    assert!(names.contains(&"Tổ -Tự quản-- khu 3-4.pdf"), "{names:?}");
    for doc in &rendered.documents {
        assert_eq!(doc.pages, 1, "{}", doc.file_name);
        let (sheet, row) = doc.source.clone().unwrap();
        assert_eq!(sheet, "Khen thưởng");
        let cells = &book.sheet_mut("Khen thưởng")[row - 1].clone();
        let text = pages_text(&doc.pdf).join("\n");
        assert_eq!(pages_text(&doc.pdf).len(), 1);
        let V::S(name) = &cells[1] else { panic!() };
        assert_has(&text, name);
        let V::S(form) = &cells[5] else { panic!() };
        let word = ["BẰNG KHEN", "GIẤY KHEN", "KỶ NIỆM CHƯƠNG"]
            .into_iter()
            .find(|w| flat(&form.to_uppercase()).starts_with(&flat(w)))
            .unwrap();
        assert_has(&text, word);
        for wanted in ["TẶNG", "BAN DÂN VẬN TỈNH ỦY KHÁNH HÒA", "Quyết định số 125-QĐ/BDVTU", "Số sổ vàng:"]
        {
            assert_has(&text, wanted);
        }
    }
}

fn page_size_mm(pdf: &[u8]) -> (i64, i64) {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let page = doc.get_pages().into_values().next().unwrap();
    let media = doc.get_dictionary(page).unwrap().get(b"MediaBox").unwrap().as_array().unwrap().clone();
    let pt =
        |o: &lopdf::Object| o.as_float().map(f64::from).or_else(|_| o.as_i64().map(|i| i as f64)).unwrap();
    (
        ((pt(&media[2]) - pt(&media[0])) / 72.0 * 25.4).round() as i64,
        ((pt(&media[3]) - pt(&media[1])) / 72.0 * 25.4).round() as i64,
    )
}

#[test]
fn long_names_shrink_to_stay_on_one_page_on_a4_and_a3() {
    let long = "Tập thể Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở và phong trào thi đua Dân vận khéo của phường Vĩnh Hòa";
    let long = format!("{long} {}", "X".repeat(120 - long.chars().count() - 1));
    assert_eq!(long.chars().count(), 120);
    let mut book = sample_data::khanh_hoa_2023();
    let rows = book.sheet_mut("Khen thưởng");
    rows.truncate(2);
    rows[1][1] = s(&long);
    rows[1][6] = s(&"Đã có thành tích xuất sắc đặc biệt trong công tác dân vận. ".repeat(6));
    // A third awardee with neither position nor unit still gets its certificate.
    let mut bare = rows[1].clone();
    bare[1] = s("Nguyễn Văn Bình");
    bare[3] = V::Blank;
    bare[4] = V::Blank;
    rows.push(bare);
    let rendered = render_all("giay-khen", &book, &RenderOptions::default());
    assert_eq!(rendered.documents[1].pages, 1);
    assert_has(&pages_text(&rendered.documents[1].pdf).join("\n"), "Nguyễn Văn Bình");
    for (paper, size) in [(None, (297, 210)), (Some("a3"), (420, 297))] {
        let rendered = render_all("giay-khen", &book, &RenderOptions { paper, ..RenderOptions::default() });
        let doc = &rendered.documents[0];
        assert_eq!(doc.pages, 1);
        assert_eq!(page_size_mm(&doc.pdf), size);
        assert_has(&pages_text(&doc.pdf).join("\n"), &long);
    }
}

#[test]
fn a_bad_awardee_row_stops_everything_before_rendering() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = sample_data::khanh_hoa_2023();
    book.sheet_mut("Khen thưởng")[4][1] = V::Blank;
    book.sheet_mut("Khen thưởng")[5][7] = s("abc");
    book.sheet_mut("Khen thưởng")[6][2] = s("Đơn vị");
    let path = write_book(dir.path(), "khen.xlsx", &book);
    for template in ["quyet-dinh-khen-thuong", "giay-khen"] {
        let run = vanban(&["render", template, path.to_str().unwrap(), "-o", "out"], dir.path());
        assert_eq!(run.code, 1);
        assert_eq!(
            run.stderr,
            format!(
                "error: the workbook does not fit template \"{template}\": 3 problems\n\
                 \x20 Khen thưởng!B5 (\"Tên\"): a value is required\n\
                 \x20 Khen thưởng!H6 (\"Số tiền\"): expected a whole number, found \"abc\"\n\
                 \x20 Khen thưởng!C7 (\"Loại\"): expected one of \"Tập thể\", \"Cá nhân\", \"Hộ gia đình\", found \"Đơn vị\"\n"
            )
        );
        assert!(!dir.path().join("out").exists(), "nothing rendered");
    }
}

// ---------------------------------------------------------------- batches

fn zip_entries(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut bytes).unwrap();
            (f.name().unwrap().to_string(), bytes)
        })
        .collect()
}

fn sha256_file(path: &Path) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(std::fs::read(path).unwrap()).iter().map(|b| format!("{b:02x}")).collect()
}

fn index_rows(csv: &[u8]) -> Vec<String> {
    let text = String::from_utf8(csv.to_vec()).unwrap();
    text.trim_start_matches('\u{FEFF}').lines().skip(1).map(str::to_string).collect()
}

#[test]
fn build_renders_every_template_the_workbook_has_data_for() {
    let dir = tempfile::tempdir().unwrap();
    let sample = root().join("samples/khanh-hoa-2023.xlsx");
    let run = vanban(&["build", sample.to_str().unwrap(), "-o", "out"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Every row of the sample is used by some template; the one note is the deciding body
    // the UBND's decision leaves to the default.
    assert_eq!(
        run.stderr,
        "note: Quyết định UBND: \"Chủ thể quyết định\" not given: made from \"Loại văn bản\", \"Cơ quan ban hành\", \
         \"Cơ quan cấp trên\", \"Thẩm quyền ký\", \"Chức vụ người ký\" as \"CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA\"\n"
    );
    let index = index_rows(&std::fs::read(dir.path().join("out/index.csv")).unwrap());
    // 9 unit reports, the province report, 28 certificates, the three decisions and their
    // three memos.
    assert_eq!(index.len(), 9 + 1 + 28 + 3 + 3);
    for row in &index {
        let file = row.split(',').nth(4).unwrap();
        assert!(dir.path().join("out").join(file).is_file(), "{file}");
    }
    assert!(
        index[0].starts_with(
            "bao-cao-don-vi,Số liệu,2,Thành phố Nha Trang,bao-cao-don-vi/Thành phố Nha Trang.pdf,"
        )
    );
    let later = root().join("samples/khanh-hoa-2025.xlsx");
    let run = vanban(&["build", later.to_str().unwrap(), "-o", "out2"], dir.path());
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stderr,
        "skipped giay-khen: the workbook has no sheet \"Khen thưởng\"; no sheet has the item \
         \"Số quyết định\" (of \"Quyết định\")\n\
         skipped quyet-dinh-khen-thuong: the workbook has no sheet \"Quyết định\", \"Khen thưởng\"; no sheet has the \
         items \"Số quyết định\", \"Trích yếu\", \"Căn cứ\", \"Xét đề nghị của\", \
         \"Cơ quan thực hiện\" (of \"Quyết định\")\n\
         skipped to-trinh-khen-thuong: the workbook has no sheet \"Khen thưởng\"\n\
         note: Số liệu row 1 set aside: above the header row (title)\n"
    );
}

#[test]
fn a_unit_report_for_every_unit() {
    let book = sample_data::khanh_hoa_2023();
    let rendered = render_all("bao-cao-don-vi", &book, &RenderOptions::default());
    assert_eq!(rendered.documents.len(), 9);
    let nha_trang = &rendered.documents[0];
    assert_eq!(nha_trang.file_name, "Thành phố Nha Trang.pdf");
    let text = pages_text(&nha_trang.pdf).join("\n");
    for wanted in [
        "Kết quả công tác dân vận năm 2023 của thành phố Nha Trang",
        "đăng ký xây dựng 168 mô hình",
        "(17,95% tổng số mô hình đăng ký của 9 đơn vị)",
        "Lũy kế mô hình4522.42518,64%",
        "đạt 96,5 điểm, xếp thứ 1/9 đơn vị; xếp loại: Xuất sắc",
        "Biểu đồ 1.",
    ] {
        assert_has(&text, wanted);
    }
    // Ties share a rank: Diên Khánh and Vạn Ninh both score 92,5.
    for unit in [&rendered.documents[4], &rendered.documents[7]] {
        assert_has(&pages_text(&unit.pdf).join("\n"), "xếp thứ 4/9 đơn vị");
    }
}

#[test]
fn pdfs_are_pdf_a_2b_with_metadata_from_the_workbook() {
    let book = sample_data::khanh_hoa_2023();
    for template in ["bao-cao-tong-ket", "giay-khen"] {
        let doc = &render_all(template, &book, &RenderOptions::default()).documents[0];
        let raw = String::from_utf8_lossy(&doc.pdf);
        assert!(raw.contains("<pdfaid:part>2</pdfaid:part>"), "{template}: PDF/A part");
        assert!(raw.contains("<pdfaid:conformance>B</pdfaid:conformance>"), "{template}: conformance");
        let pdf = lopdf::Document::load_mem(&doc.pdf).unwrap();
        let info =
            pdf.trailer.get(b"Info").and_then(|i| pdf.dereference(i)).unwrap().1.as_dict().unwrap().clone();
        let text = |key: &[u8]| lopdf::decode_text_string(info.get(key).unwrap()).unwrap();
        assert_eq!(text(b"Author"), "BAN DÂN VẬN");
        assert!(!text(b"Subject").is_empty() && !text(b"Title").is_empty());
        let catalog = pdf.catalog().unwrap();
        assert_eq!(lopdf::decode_text_string(catalog.get(b"Lang").unwrap()).unwrap(), "vi");
        for (name, embedded) in font_descriptors(&doc.pdf) {
            assert!(embedded, "{template}: {name} embedded");
        }
    }
    let report = &render_all("bao-cao-tong-ket", &book, &RenderOptions::default()).documents[0];
    let pdf = lopdf::Document::load_mem(&report.pdf).unwrap();
    let info =
        pdf.trailer.get(b"Info").and_then(|i| pdf.dereference(i)).unwrap().1.as_dict().unwrap().clone();
    assert_eq!(
        lopdf::decode_text_string(info.get(b"Title").unwrap()).unwrap(),
        "BÁO CÁO TỔNG KẾT CÔNG TÁC DÂN VẬN NĂM 2023"
    );
    assert_eq!(
        lopdf::decode_text_string(info.get(b"Subject").unwrap()).unwrap(),
        "Tổng kết công tác dân vận năm 2023"
    );
    let plain = render_all(
        "bao-cao-tong-ket",
        &book,
        &RenderOptions { standard: vanban::typeset::Standard::None, ..RenderOptions::default() },
    );
    assert!(!String::from_utf8_lossy(&plain.documents[0].pdf).contains("pdfaid:part"));
}

#[test]
fn zips_are_identical_across_runs_and_thread_counts_and_shards_add_up() {
    let dir = tempfile::tempdir().unwrap();
    let sample = root().join("samples/khanh-hoa-2023.xlsx");
    let sample = sample.to_str().unwrap();
    let mut hashes = Vec::new();
    for (jobs, name) in [("1", "a.zip"), ("2", "b.zip"), ("2", "c.zip")] {
        let run = vanban(&["build", sample, "--zip", name, "--jobs", jobs], dir.path());
        assert_eq!(run.code, 0, "{}", run.stderr);
        hashes.push(sha256_file(&dir.path().join(name)));
    }
    assert!(hashes.windows(2).all(|w| w[0] == w[1]), "{hashes:?}");
    let entries = zip_entries(&dir.path().join("a.zip"));
    let names: Vec<&str> = entries.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names.len(), 44 + 2);
    assert_eq!(&names[names.len() - 2..], ["index.csv", "set-aside.csv"]);
    let index = index_rows(&entries[entries.len() - 2].1);
    // Each index row's file is in the ZIP with the SHA-256 the index gives.
    for row in &index {
        let fields: Vec<&str> = row.rsplitn(3, ',').collect();
        let (sha, file) = (fields[0], row.split(',').nth(4).unwrap());
        let bytes = &entries.iter().find(|(n, _)| n == file).expect("listed file is in the ZIP").1;
        use sha2::Digest;
        let got: String = sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(got, sha);
    }
    // Three shards together list exactly the documents of the whole run, whether each writes
    // its own ZIP or all write into one folder (each shard's index has its own name there).
    let mut union = Vec::new();
    for k in 1..=3 {
        let zip = format!("shard-{k}.zip");
        let run = vanban(&["build", sample, "--zip", &zip, "--shard", &format!("{k}/3")], dir.path());
        assert_eq!(run.code, 0, "{}", run.stderr);
        let entries = zip_entries(&dir.path().join(&zip));
        let name = format!("index-{k}-of-3.csv");
        union.extend(index_rows(&entries.iter().find(|(n, _)| *n == name).unwrap().1));
        let run = vanban(&["build", sample, "-o", "shared", "--shard", &format!("{k}/3")], dir.path());
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    assert_eq!(union, index);
    let mut in_folder = Vec::new();
    for k in 1..=3 {
        in_folder.extend(index_rows(
            &std::fs::read(dir.path().join(format!("shared/index-{k}-of-3.csv"))).unwrap(),
        ));
    }
    assert_eq!(in_folder, index);
    let run = vanban(&["build", sample, "--zip", "x.zip", "--shard", "4/3"], dir.path());
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("invalid shard \"4/3\": expected K/N with 1 <= K <= N"), "{}", run.stderr);
}

#[test]
fn a_failing_document_does_not_stop_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    override_template(dir.path(), "bao-cao-don-vi", |source| {
        format!(
            "{{{{#if (eq row.ten \"Huyện Khánh Sơn\")}}}}#panic(\"không dàn trang được\"){{{{/if}}}}\n{source}"
        )
    });
    let sample = root().join("samples/khanh-hoa-2023.xlsx");
    let args = ["render", "bao-cao-don-vi", sample.to_str().unwrap(), "-o", "out", "--templates", "mau"];
    let run = vanban(&args, dir.path());
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with(
            "error: 1 of 9 documents could not be made\n\
             \x20 Huyện Khánh Sơn.pdf (Số liệu row 8, Huyện Khánh Sơn): typst could not typeset the document:\n\
             \x20   mau/bao-cao-don-vi/template.typ.hbs:1 (main.typ:1): panicked with: không dàn trang được\n"
        ),
        "{}",
        run.stderr
    );
    let index = index_rows(&std::fs::read(dir.path().join("out/index.csv")).unwrap());
    assert_eq!(index.len(), 8);
    assert!(!dir.path().join("out/Huyện Khánh Sơn.pdf").exists(), "no file for the failed document");
    assert!(dir.path().join("out/Huyện Vạn Ninh.pdf").exists(), "the rows after it were made");
    let run = vanban(
        &[&args[..3], &["-o", "ff", "--templates", "mau", "--fail-fast", "--jobs", "1"]].concat(),
        dir.path(),
    );
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("stopped at the first failure (--fail-fast)"), "{}", run.stderr);
    let index = index_rows(&std::fs::read(dir.path().join("ff/index.csv")).unwrap());
    assert_eq!(index.len(), 6, "the six units before the failing one");
}

#[test]
fn a_cancelled_run_leaves_no_zip_behind() {
    static CANCEL: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(true);
    let dir = tempfile::tempdir().unwrap();
    let wb = read_book(&sample_data::khanh_hoa_2023());
    let plan = ENGINE
        .plan(&["giay-khen"], &wb, &RenderOptions::default(), false, false, &Default::default())
        .unwrap();
    let zip = dir.path().join("out.zip");
    let options = vanban::BatchOptions { cancel: Some(&CANCEL), ..vanban::BatchOptions::default() };
    let result = ENGINE.run(&plan, &options, vanban::output::Sink::zip(&zip).unwrap(), &|_, _| {});
    assert!(matches!(result, Err(vanban::Error::Interrupted)));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "neither the ZIP nor its temporary file");
}

#[test]
fn characters_no_font_has_are_named_with_their_cell() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = sample_data::khanh_hoa_2023();
    book.sheet_mut("Số liệu")[3][1] = s("Thị xã Ninh Hòa 漢字 🎉");
    book.sheet_mut("Số liệu")[4][1] = s("Huyện Cam\u{7}Lâm");
    book.set_item("Thông tin", "Người ký", s("Nguyễn Văn Hòa\nký thay"));
    let path = write_book(dir.path(), "chu-la.xlsx", &book);
    let path = path.to_str().unwrap();
    let boxes = "Số liệu!B4: \"漢\" (U+6F22), \"字\" (U+5B57), \"🎉\" (U+1F389) are missing from every font";
    let control = "Số liệu!B5: control character U+0007 will be dropped";
    // PDF/A (the default) cannot hold them at all: refused before rendering, with the cell.
    let run = vanban(&["render", "bao-cao-tong-ket", path, "-o", "out"], dir.path());
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        format!("error: the workbook does not fit template \"bao-cao-tong-ket\": 1 problem\n  {boxes}\n")
    );
    assert!(!dir.path().join("out").exists());
    // Plain PDF prints empty boxes: a warning per cell, the document is made.
    let run =
        vanban(&["render", "bao-cao-tong-ket", path, "-o", "plain", "--pdf-standard", "none"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, format!("warning: {boxes}\nwarning: {control}\n"));
    let strict = ["render", "bao-cao-tong-ket", path, "-o", "s", "--pdf-standard", "none", "--strict"];
    let run = vanban(&strict, dir.path());
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        format!(
            "error: the workbook does not fit template \"bao-cao-tong-ket\": 2 problems\n  {boxes}\n  {control}\n"
        )
    );
}

/// The real office workbooks in ../shared/realworld (not in the repository), or `None` after
/// saying that the test skips because the folder is absent.
fn realworld_files() -> Option<Vec<PathBuf>> {
    let dir = root().join("../shared/realworld");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        // Straight to the stream, not eprintln!: the test harness would hide that from a
        // passing test, and a skip must be seen.
        let _ = writeln!(std::io::stderr(), "skipped: no real-world corpus at {}", dir.display());
        return None;
    };
    let mut files: Vec<PathBuf> =
        entries.map(|e| e.unwrap().path()).filter(|p| !p.ends_with("README.txt")).collect();
    files.sort();
    assert!(!files.is_empty());
    Some(files)
}

/// Runs the reader over the real office workbooks when they are there.
#[test]
fn real_office_workbooks_read_without_panics() {
    let Some(files) = realworld_files() else { return };
    for path in files {
        match workbook::read_path(&path) {
            Ok(wb) => {
                assert!(!wb.sheets.is_empty(), "{}", path.display());
                for sheet in &wb.sheets {
                    for cell in sheet.rows.iter().flatten() {
                        if let workbook::Cell::Text(t) = cell {
                            assert!(
                                t.nfc().eq(t.chars()) && !t.contains('\u{00D0}'),
                                "{}: {t:?}",
                                path.display()
                            );
                            assert_eq!(t.trim(), t);
                        }
                    }
                }
                // Binding a template it does not fit names what is missing; it never panics.
                let err = ENGINE
                    .check("bao-cao-tong-ket", &wb, &RenderOptions::default(), &Default::default())
                    .unwrap_err()
                    .to_string();
                assert!(err.starts_with("the workbook does not fit"), "{err}");
            }
            Err(e) => {
                let message = e.to_string();
                assert!(
                    !message.contains('\n') && message.contains(&path.display().to_string()),
                    "{message}"
                );
            }
        }
    }
}

#[path = "vanban/office.rs"]
mod office;

#[path = "vanban/corpus.rs"]
mod corpus;

#[path = "vanban/props.rs"]
mod props;

#[path = "vanban/collation.rs"]
mod collation;

#[path = "vanban/serve.rs"]
mod serve;

#[path = "vanban/browser.rs"]
mod browser;

#[path = "vanban/docs.rs"]
mod docs;
#[path = "vanban/mistakes.rs"]
mod mistakes;
#[path = "vanban/proposals.rs"]
mod proposals;

#[path = "vanban/decisions.rs"]
mod decisions;
#[path = "vanban/release.rs"]
mod release;

#[path = "vanban/blank.rs"]
mod blank;
#[path = "vanban/memo.rs"]
mod memo;
#[path = "vanban/print.rs"]
mod print;
#[path = "vanban/sign.rs"]
mod sign;
