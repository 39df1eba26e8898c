//! The print file (`--print FILE.pdf`): every document of a run in run order as one PDF, each
//! font embedded once, and the index saying which of its pages each row has.

use super::*;
use std::collections::HashMap;
use std::sync::atomic::AtomicBool;
use vanban::Error;
use vanban::profile::Profile;

/// The index's rows as maps from column to value (the byte-order mark dropped).
fn index_rows(path: &Path) -> Vec<HashMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.trim_start_matches('\u{FEFF}').lines();
    let header: Vec<String> = lines.next().unwrap().split(',').map(str::to_string).collect();
    lines
        .map(|l| header.iter().cloned().zip(l.split(',').map(str::to_string)).collect::<HashMap<_, _>>())
        .collect()
}

/// "5" or "5-6" as (5, 5) or (5, 6).
fn page_range(s: &str) -> (usize, usize) {
    match s.split_once('-') {
        Some((a, b)) => (a.parse().unwrap(), b.parse().unwrap()),
        None => (s.parse().unwrap(), s.parse().unwrap()),
    }
}

/// How many embedded font programs a PDF holds.
fn embedded_fonts(pdf: &[u8]) -> usize {
    font_descriptors(pdf).iter().filter(|(_, embedded)| *embedded).count()
}

fn sample(dir: &Path) -> PathBuf {
    let path = dir.join("ds.xlsx");
    std::fs::copy(root().join("samples/khanh-hoa-2023.xlsx"), &path).unwrap();
    path
}

#[test]
fn the_print_file_holds_every_certificate_in_row_order_with_fonts_once() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path());
    let run =
        vanban(&["render", "giay-khen", "ds.xlsx", "-o", "out", "--print", "in/giay-khen.pdf"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("wrote in/giay-khen.pdf (28 documents, 28 pages, for printing)"),
        "{}",
        run.stdout
    );
    let print = std::fs::read(dir.path().join("in/giay-khen.pdf")).unwrap();
    let pages = pages_text(&print);
    let rows = index_rows(&dir.path().join("out/index.csv"));
    assert_eq!((rows.len(), pages.len()), (28, 28));
    let mut separate = 0;
    let mut fonts = 0;
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(page_range(&row["print_pages"]), (i + 1, i + 1), "row order: {row:?}");
        let own = std::fs::read(dir.path().join("out").join(&row["file"])).unwrap();
        // The page of the print file is the document's own page, diacritics included.
        let text = pdf_extract::extract_text_from_mem(&own).unwrap();
        assert_eq!(flat(&pages[i]), flat(&text), "page {} is {}", i + 1, row["name"]);
        assert!(flat(&pages[i]).contains(&flat(&row["name"])), "{}", row["name"]);
        separate += own.len();
        fonts += embedded_fonts(&own);
    }
    let once = embedded_fonts(&print);
    assert!((1..=4).contains(&once) && fonts >= 28 * once, "fonts: print {once}, separate files {fonts}");
    assert!(print.len() * 2 < separate, "print file {} bytes, the separate files {separate}", print.len());
    let text = String::from_utf8_lossy(&print);
    assert!(text.contains("pdfaid:part>2<"), "PDF/A-2b like the others");
    assert!(text.contains("<rdf:li>vi</rdf:li>"), "in Vietnamese, like the documents it holds");
}

#[test]
fn alone_the_print_file_is_all_that_is_written_with_its_lists_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path());
    let run = vanban(&["--lang", "vi", "build", "ds.xlsx", "--print", "in.pdf"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("đã ghi in.pdf (44 văn bản, 54 trang, để in; trang nào của ai: in-index.csv)"),
        "{}",
        run.stdout
    );
    let mut files: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        ["ds.xlsx", "in-index.csv", "in-set-aside.csv", "in.pdf"],
        "nothing else, no temporary file"
    );
    let rows = index_rows(&dir.path().join("in-index.csv"));
    let print = std::fs::read(dir.path().join("in.pdf")).unwrap();
    let pages = pages_text(&print);
    // Templates in order, rows in order within each, and each document's pages one after another.
    let mut next = 1;
    let mut templates: Vec<&str> = Vec::new();
    for row in &rows {
        let (first, last) = page_range(&row["print_pages"]);
        assert_eq!((first, last - first + 1), (next, row["pages"].parse().unwrap()), "{row:?}");
        assert!(row["file"].is_empty() && row["sha256"].is_empty(), "no file of its own: {row:?}");
        if templates.last() != Some(&row["template"].as_str()) {
            templates.push(&row["template"]);
        }
        next = last + 1;
    }
    assert_eq!(next - 1, pages.len());
    // For paper: the decisions' signature fields are in their own files, not here.
    assert!(!String::from_utf8_lossy(&print).contains("/FT/Sig"), "no signature field in the print file");
    let mut sorted = templates.clone();
    sorted.sort();
    assert_eq!(templates, sorted, "each template's documents together, templates in order");
    // The three-page report numbers its own pages from 1 again: its second page says "2".
    let report = rows.iter().find(|r| r["template"] == "bao-cao-tong-ket").unwrap();
    let (first, _) = page_range(&report["print_pages"]);
    assert!(pages[first - 1].contains("BÁO CÁO"), "{}", pages[first - 1]);
    assert_eq!(pages[first].split_whitespace().next(), Some("2"), "{}", pages[first]);
}

#[test]
fn a_print_file_that_cannot_be_written_stops_the_run_before_it_starts() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path());
    std::fs::write(dir.path().join("taken"), "a file, not a folder").unwrap();
    let run = vanban(&["render", "giay-khen", "ds.xlsx", "-o", "out", "--print", "taken/in.pdf"], dir.path());
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("error: cannot write taken"), "{}", run.stderr);
    assert!(!dir.path().join("out/index.csv").exists(), "no documents were made");
}

#[test]
fn a_cancelled_run_writes_no_print_file() {
    static STOP: AtomicBool = AtomicBool::new(true);
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::new(&Options::default()).unwrap();
    let wb = workbook::read_path(&root().join("samples/khanh-hoa-2023.xlsx")).unwrap();
    let plan = engine
        .plan(&["giay-khen"], &wb, &RenderOptions::default(), false, false, &Profile::default())
        .unwrap();
    let path = dir.path().join("in.pdf");
    let options = vanban::BatchOptions {
        cancel: Some(&STOP),
        print: Some(vanban::print::PrintTo { path: &path, only: true }),
        ..vanban::BatchOptions::default()
    };
    let result = engine.run(&plan, &options, vanban::output::Sink::Memory(Vec::new()), &|_, _| {});
    assert!(matches!(result, Err(Error::Interrupted)), "{result:?}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no print file, no lists");
    // Into a folder: its index lists what was made, and names no pages of a print file
    // that was not written.
    let out = dir.path().join("out");
    let options =
        vanban::BatchOptions { print: Some(vanban::print::PrintTo { path: &path, only: false }), ..options };
    let sink = vanban::output::Sink::dir(&out).unwrap();
    assert!(matches!(engine.run(&plan, &options, sink, &|_, _| {}), Err(Error::Interrupted)));
    assert!(!path.exists());
    let index = std::fs::read_to_string(out.join("index.csv")).unwrap();
    assert!(!index.contains("print_pages"), "{index}");
}

/// The operators of page `n` (from 1) of a PDF.
fn operators_of_page(doc: &lopdf::Document, n: usize) -> Vec<String> {
    let page = doc.get_pages()[&(n as u32)];
    let content = doc.get_page_content(page).unwrap();
    lopdf::content::Content::decode(&content).unwrap().operations.into_iter().map(|op| op.operator).collect()
}

#[test]
fn build_prints_the_certificates_onto_blanks_and_the_rest_as_usual() {
    let dir = tempfile::tempdir().unwrap();
    sample(dir.path());
    let run = vanban(&["blank-profile", "--paper", "a4"], dir.path());
    std::fs::write(dir.path().join("phoi.toml"), &run.stdout).unwrap();
    let run = vanban(&["build", "ds.xlsx", "--blank", "phoi.toml", "--print", "in.pdf"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows = index_rows(&dir.path().join("in-index.csv"));
    let doc = lopdf::Document::load_mem(&std::fs::read(dir.path().join("in.pdf")).unwrap()).unwrap();
    let painting = |page: usize| {
        operators_of_page(&doc, page)
            .into_iter()
            .filter(|o| super::blank::PAINTING.contains(&o.as_str()))
            .count()
    };
    let (mut certificates, mut others) = (0, 0);
    for row in &rows {
        let (first, _) = page_range(&row["print_pages"]);
        if row["template"] == "giay-khen" {
            assert_eq!(painting(first), 0, "a certificate on a blank paints nothing: {row:?}");
            certificates += 1;
        } else if row["template"] == "bao-cao-don-vi" {
            assert!(painting(first) > 0, "a report draws its table: {row:?}");
            others += 1;
        }
    }
    assert_eq!((certificates, others), (28, 9));
}
