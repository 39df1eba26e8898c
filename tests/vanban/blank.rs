//! Printing onto pre-printed blanks: where each field's words land in the PDF (read back by
//! poppler's `pdftotext -bbox`), that a print PDF draws nothing but text (its content
//! streams read with lopdf), previews with the scanned blank, the calibration sheet, and
//! profiles with mistakes. Without pdftotext the position tests say so on stderr and pass;
//! under CI (`VANBAN_BROWSER_TEST=1`, set by .ci/run, which installs poppler-utils) they fail.

use super::*;
use vanban::blank::{Blank, BlankProfile, FIELDS, Paper};
use vanban::output::Sink;
use vanban::{BatchOptions, Plan};

pub(crate) const PDFTOTEXT: &str = "/usr/bin/pdftotext";

/// Whether every one of `tools` is there; `test` says on stderr why it is skipped when not.
/// Under CI (`VANBAN_BROWSER_TEST`, set by .ci/run, which installs them) their absence fails.
pub(crate) fn have(tools: &[&str], test: &str) -> bool {
    let missing: Vec<&&str> = tools.iter().filter(|t| !Path::new(t).exists()).collect();
    if missing.is_empty() {
        return true;
    }
    assert!(
        std::env::var_os("VANBAN_BROWSER_TEST").is_none(),
        "VANBAN_BROWSER_TEST is set but {missing:?} missing"
    );
    eprintln!("{test} skipped: {missing:?} missing (apt-get install poppler-utils libnss3-tools)");
    false
}

/// One word of a PDF page and its box, in millimetres from the page's top-left corner.
#[derive(Debug)]
pub(crate) struct Word {
    pub(crate) text: String,
    pub(crate) x0: f64,
    pub(crate) y0: f64,
    pub(crate) x1: f64,
    pub(crate) y1: f64,
}

/// The words of the first page of `pdf`, from `pdftotext -bbox`.
fn words(pdf: &[u8]) -> Vec<Word> {
    words_on(pdf, 1)
}

/// The words of page `page` (from 1) of `pdf`, from `pdftotext -bbox`.
pub(crate) fn words_on(pdf: &[u8], page: usize) -> Vec<Word> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.pdf");
    std::fs::write(&file, pdf).unwrap();
    let page = page.to_string();
    let out = Command::new(PDFTOTEXT)
        .args(["-bbox", "-f", &page, "-l", &page])
        .arg(&file)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let html = String::from_utf8(out.stdout).unwrap();
    let attr = |tag: &str, name: &str| -> f64 {
        let at = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[at..].split('"').next().unwrap().parse::<f64>().unwrap() * 25.4 / 72.0
    };
    html.split("<word ")
        .skip(1)
        .map(|w| {
            let (tag, rest) = w.split_once('>').unwrap();
            let text = rest.split("</word>").next().unwrap();
            let text = text
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&");
            Word {
                text,
                x0: attr(tag, "xMin"),
                y0: attr(tag, "yMin"),
                x1: attr(tag, "xMax"),
                y1: attr(tag, "yMax"),
            }
        })
        .collect()
}

/// Awards with a short and a 120-character name (and a long achievement).
fn two_awardees() -> Book {
    let long = "Tập thể Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở và phong trào thi đua Dân vận khéo của phường Vĩnh Hòa";
    let long = format!("{long} {}", "X".repeat(120 - long.chars().count() - 1));
    assert_eq!(long.chars().count(), 120);
    let mut book = sample_data::khanh_hoa_2023_one_decision();
    let rows = book.sheet_mut("Khen thưởng");
    rows.truncate(3);
    rows[1][1] = s("Lê Thị Mai");
    rows[2][1] = s(&long);
    rows[2][6] = s(&"Đã có thành tích xuất sắc đặc biệt trong công tác dân vận của Đảng. ".repeat(4));
    book
}

/// The plan of `book`'s certificates printed onto `profile`.
fn blank_plan(book: &Book, profile: &BlankProfile, preview: bool) -> Plan {
    let wb = read_book(book);
    let options = RenderOptions { standard: vanban::typeset::Standard::None, ..RenderOptions::default() };
    let mut plan = ENGINE.plan(&["giay-khen"], &wb, &options, false, false, &Default::default()).unwrap();
    ENGINE.use_blank(&mut plan, Blank::new(profile.clone(), preview).unwrap()).unwrap();
    plan
}

/// Every certificate's PDF of `book` printed onto `profile`, in row order.
fn blank_pdfs(book: &Book, profile: &BlankProfile, preview: bool) -> Vec<Vec<u8>> {
    let plan = blank_plan(book, profile, preview);
    let options = BatchOptions { jobs: 1, ..BatchOptions::default() };
    let report = ENGINE.run(&plan, &options, Sink::Memory(Vec::new()), &|_, _| {}).unwrap();
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    report.files.into_iter().filter(|(name, _)| name.ends_with(".pdf")).map(|(_, pdf)| pdf).collect()
}

#[test]
fn each_field_prints_inside_its_box_shifted_by_the_offset_on_a4_and_a3() {
    if !have(&[PDFTOTEXT], "blank position test") {
        return;
    }
    let book = two_awardees();
    let long_name = match &book.sheets.iter().find(|(n, _)| n == "Khen thưởng").unwrap().1[2][1] {
        V::S(t) => t.clone(),
        _ => unreachable!(),
    };
    for (paper, offset) in [(Paper::A4, (3.5, -2.0)), (Paper::A3, (-1.5, 2.5))] {
        let mut seen = 0;
        for field in FIELDS {
            let mut profile = BlankProfile::builtin(paper);
            profile.offset = offset;
            for f in &mut profile.fields {
                f.show = f.name == field;
            }
            let b = profile.field(field).unwrap().clone();
            let (x0, y0) = (b.x + offset.0, b.y + offset.1);
            for (row, pdf) in blank_pdfs(&book, &profile, false).iter().enumerate() {
                let words = words(pdf);
                // Only the field is shown, so every word on the page is its text.
                if field == "tham_quyen" {
                    assert!(words.is_empty(), "the sample's head signs: no authority line");
                    continue;
                }
                assert!(!words.is_empty(), "{paper:?} {field} row {row}: nothing printed");
                for w in &words {
                    let inside = w.x0 >= x0 - 0.5
                        && w.y0 >= y0 - 0.5
                        && w.x1 <= x0 + b.w + 0.5
                        && w.y1 <= y0 + b.h + 0.5;
                    assert!(
                        inside,
                        "{paper:?} {field} row {row}: {w:?} is outside its box x {x0:.1}..{:.1}, y {y0:.1}..{:.1}",
                        x0 + b.w,
                        y0 + b.h
                    );
                }
                let text: String = words.iter().map(|w| w.text.as_str()).collect();
                if field == "ten" {
                    let want = if row == 0 { "Lê Thị Mai" } else { long_name.as_str() };
                    assert_eq!(flat(&text), flat(want), "{paper:?} row {row}");
                    seen += 1;
                }
                if field == "co_quan" {
                    assert_eq!(flat(&text), flat("BAN DÂN VẬN TỈNH ỦY KHÁNH HÒA"));
                }
                if field == "nguoi_ky" {
                    assert_eq!(flat(&text), flat("Nguyễn Văn Hòa"));
                }
            }
        }
        assert_eq!(seen, 2, "both names were checked");
    }
}

/// The painting operators of PDF content: strokes, fills, shadings, images and XObjects.
pub(crate) const PAINTING: [&str; 13] =
    ["S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "BI", "EI"];

/// Every operator of the first page's content streams.
fn page_operators(pdf: &[u8]) -> Vec<String> {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let page = *doc.get_pages().values().next().unwrap();
    let content = doc.get_page_content(page).unwrap();
    lopdf::content::Content::decode(&content).unwrap().operations.into_iter().map(|op| op.operator).collect()
}

#[test]
fn a_blank_certificate_draws_nothing_but_text_and_a_preview_shows_the_scan() {
    let book = two_awardees();
    let mut profile = BlankProfile::builtin(Paper::A4);
    for f in &mut profile.fields {
        f.show = true;
    }
    // The scanned blank: any PNG (here a page of a certificate, drawn by the engine).
    let dir = tempfile::tempdir().unwrap();
    let scan = ENGINE
        .preview("giay-khen", &read_book(&book), &Default::default(), &RenderOptions::default(), (0, 0), 0.5)
        .unwrap()
        .png;
    std::fs::write(dir.path().join("phoi.png"), &scan).unwrap();
    let text = format!("background = \"phoi.png\"\n{}", profile.to_toml());
    let profile = BlankProfile::from_toml(&text, "p.toml", dir.path()).unwrap();
    let prints = blank_pdfs(&book, &profile, false);
    assert_eq!(prints.len(), 2);
    assert_has(&pages_text(&prints[0]).join("\n"), "Lê Thị Mai");
    for pdf in prints {
        let ops = page_operators(&pdf);
        assert!(ops.iter().any(|o| o == "Tj" || o == "TJ"), "no text: {ops:?}");
        let painted: Vec<&String> = ops.iter().filter(|o| PAINTING.contains(&o.as_str())).collect();
        assert!(painted.is_empty(), "a blank certificate paints {painted:?}");
        // Paths only clip (a box never lets its text out): each ends in W n.
        for (i, op) in ops.iter().enumerate() {
            if op == "n" {
                assert!(i > 0 && (ops[i - 1] == "W" || ops[i - 1] == "W*"), "{ops:?}");
            }
        }
        let doc = lopdf::Document::load_mem(&pdf).unwrap();
        let images = doc.objects.values().filter(|o| {
            o.as_stream()
                .is_ok_and(|s| s.dict.get(b"Subtype").is_ok_and(|t| t.as_name().is_ok_and(|n| n == b"Image")))
        });
        assert_eq!(images.count(), 0, "the print PDF holds no image");
    }
    let previews = blank_pdfs(&book, &profile, true);
    assert_eq!(previews.len(), 2);
    assert_has(&pages_text(&previews[0]).join("\n"), "Lê Thị Mai");
    for pdf in previews {
        let doc = lopdf::Document::load_mem(&pdf).unwrap();
        let images = doc.objects.values().filter(|o| {
            o.as_stream()
                .is_ok_and(|s| s.dict.get(b"Subtype").is_ok_and(|t| t.as_name().is_ok_and(|n| n == b"Image")))
        });
        assert!(images.count() >= 1, "the preview shows the scanned blank");
    }
}

#[test]
fn the_calibration_sheet_has_the_grid_and_every_field_s_box() {
    let mut profile = BlankProfile::builtin(Paper::A3);
    profile.offset = (2.0, -1.0);
    let blank = Blank::new(profile, false).unwrap();
    let pdf = ENGINE.calibration(&blank, vanban::typeset::Standard::PdfA2b).unwrap();
    assert_eq!(super::page_size_mm(&pdf), (420, 297));
    let pages = pages_text(&pdf);
    assert_eq!(pages.len(), 1);
    let text = flat(&pages[0]);
    for f in FIELDS {
        assert!(text.contains(f), "no {f}");
    }
    assert!(text.contains("hinh_thuc(show=false)"), "{text}");
    assert!(text.contains("410") && text.contains("290"), "the grid's last labels");
    assert!(text.contains("dx=2mm,dy=-1mm"), "{text}");
    let ops = page_operators(&pdf);
    assert!(ops.iter().filter(|o| *o == "S").count() > 100, "the grid is drawn");
}

#[test]
fn cli_writes_the_built_in_profile_calibrates_and_prints_onto_blanks() {
    let dir = tempfile::tempdir().unwrap();
    let run = vanban(&["blank-profile", "--paper", "a3"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, BlankProfile::builtin(Paper::A3).to_toml());
    std::fs::write(dir.path().join("phoi.toml"), &run.stdout).unwrap();
    let run =
        vanban(&["render", "giay-khen", "--blank", "phoi.toml", "--calibrate", "-o", "out"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        format!("wrote {} (1 page)\n", Path::new("out").join("can-chinh-phoi.pdf").display())
    );
    let book = write_book(dir.path(), "khen.xlsx", &two_awardees());
    let run = vanban(
        &["render", "giay-khen", book.to_str().unwrap(), "--blank", "phoi.toml", "-o", "in"],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pdf = std::fs::read(dir.path().join("in").join("Lê Thị Mai.pdf")).unwrap();
    assert_eq!(super::page_size_mm(&pdf), (420, 297));
    assert!(!page_operators(&pdf).iter().any(|o| PAINTING.contains(&o.as_str())));
    // A template without a blank part says so and writes nothing.
    let run = vanban(
        &["render", "bao-cao-tong-ket", book.to_str().unwrap(), "--blank", "phoi.toml", "-o", "bc"],
        dir.path(),
    );
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.lines().last().unwrap(),
        "error: template \"bao-cao-tong-ket\" cannot print onto blanks: only certificates (giay-khen) do (a template does when its folder has a blank.typ.hbs)"
    );
    assert!(!dir.path().join("bc").exists());
}

#[test]
fn cli_a_bad_profile_names_its_lines_and_prints_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let book = write_book(dir.path(), "khen.xlsx", &two_awardees());
    let text = "paper = \"a4\"\nbackground = \"phoi.png\"\n\n[fields.ten]\nx = 30\ny = 200\nw = 237\nh = 16\n\n[fields.chuc_vu]\nx = 1\n";
    std::fs::write(dir.path().join("phoi.toml"), text).unwrap();
    let run = vanban(
        &["render", "giay-khen", book.to_str().unwrap(), "--blank", "phoi.toml", "-o", "out"],
        dir.path(),
    );
    assert_eq!(run.code, 2);
    let scan = Path::new("phoi.png");
    assert_eq!(
        run.stderr,
        format!(
            "error: phoi.toml:2: the background image {} does not exist
phoi.toml:4: the box of ten (x 30, y 200, w 237, h 16 mm) reaches outside the paper (297 × 210 mm)
phoi.toml:10: unknown field \"chuc_vu\"; did you mean \"chuc_vu_don_vi\"?; the fields are: co_quan, hinh_thuc, ten, chuc_vu_don_vi, thanh_tich, quyet_dinh, so_vang, dia_danh_ngay, tham_quyen, chuc_vu_ky, nguoi_ky\n",
            scan.display()
        )
    );
    assert!(!dir.path().join("out").exists(), "nothing is written");
    let run = vanban(
        &["--lang", "vi", "render", "giay-khen", book.to_str().unwrap(), "--blank", "phoi.toml", "-o", "out"],
        dir.path(),
    );
    assert!(run.stderr.starts_with("lỗi: phoi.toml:2: không có ảnh nền phoi.png\n"), "{}", run.stderr);
}

#[test]
fn the_name_on_a_blank_carries_the_person_s_title_and_a_collective_s_does_not() {
    let mut book = sample_data::khanh_hoa_2023_one_decision();
    let rows = book.sheet_mut("Khen thưởng");
    rows.truncate(3);
    for (i, row) in rows.iter_mut().enumerate() {
        row.push(s(if i == 0 { "Tên gọi" } else { "Bà" }));
    }
    rows[1][1] = s("Lê Thị Mai");
    rows[1][2] = s("Cá nhân");
    rows[2][1] = s("Chi bộ thôn Hòn Khói");
    rows[2][2] = s("Tập thể");
    let mut profile = BlankProfile::builtin(Paper::A4);
    for f in &mut profile.fields {
        f.show = f.name == "ten";
    }
    let pdfs = blank_pdfs(&book, &profile, false);
    let names: Vec<String> = pdfs.iter().map(|pdf| pages_text(pdf).concat().trim().to_string()).collect();
    assert_eq!(flat(&names[0]), flat("Bà Lê Thị Mai"));
    assert_eq!(flat(&names[1]), flat("Chi bộ thôn Hòn Khói"), "no title before a collective");
}
