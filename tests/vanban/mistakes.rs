//! Everyday mistakes (issue 10): a column typed with Alt+Enter, items on one sheet, Excel's
//! lock file, and the files an earlier run left in the folder. The exact messages are in the
//! error corpus; these tests check what happens to the documents and files.

use super::*;
use std::sync::atomic::{AtomicBool, Ordering};
use vanban::output::Sink;
use vanban::{BatchOptions, Error};

fn achievement_column() -> usize {
    sample_data::AWARD_LABELS.iter().position(|l| *l == "Thành tích").unwrap()
}

/// The 2023 sample with its "Thành tích" header typed as `header`.
fn with_achievement_header(header: &str) -> Book {
    let mut book = sample_data::khanh_hoa_2023_one_decision();
    book.sheet_mut("Khen thưởng")[0][achievement_column()] = s(header);
    book
}

#[test]
fn a_column_no_field_reads_is_named_with_the_field_it_may_be() {
    let dir = tempfile::tempdir().unwrap();
    // Typed without diacritics it binds nothing (only a suggestion); with them, see below.
    let path = write_book(dir.path(), "ds.xlsx", &with_achievement_header("Thanh tich\ndat duoc"));
    let run = vanban(&["check", "giay-khen", path.to_str().unwrap()], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr.lines().next(),
        Some(
            "note: Khen thưởng: no template here reads column G \"Thanh tich dat duoc\"; it may be \
             \"Thành tích\" (--map \"thanh_tich=G\")"
        )
    );
    // The whole workbook: the decision does not read the column either.
    let plan = ENGINE
        .plan(
            &["giay-khen", "quyet-dinh-khen-thuong"],
            &read_book(&with_achievement_header("Thanh tich\ndat duoc")),
            &RenderOptions::default(),
            false,
            true,
            &Default::default(),
        )
        .unwrap();
    assert_eq!(plan.notes.len(), 1, "{:?}", plan.notes);
    // Taken up by --map, the note goes and the certificates print the achievement.
    let run = vanban(&["check", "giay-khen", path.to_str().unwrap(), "--map", "thanh_tich=G"], dir.path());
    assert!(!run.stderr.contains("no template here reads"), "{}", run.stderr);
}

#[test]
fn a_header_that_holds_a_fields_label_binds_with_a_note() {
    let book = with_achievement_header("Thành tích\nđạt được");
    let rendered = render_all("giay-khen", &book, &RenderOptions::default());
    let notes: Vec<String> = rendered.notes.iter().map(ToString::to_string).collect();
    assert_eq!(
        notes,
        [
            "Khen thưởng: column G \"Thành tích đạt được\" is read as \"Thành tích\", since it contains \"Thành tích\""
        ]
    );
    let text = pages_text(&rendered.documents[5].pdf).join("\n");
    assert_has(&text, "Đã có thành tích xuất sắc trong công tác dân vận năm 2023");
}

#[test]
fn a_header_typed_over_two_lines_matches_its_label() {
    // "Nội dung thành tích" is an alias of the achievement; typed with Alt+Enter it still binds.
    let book = with_achievement_header("Nội dung\nthành tích");
    let rendered = render_all("giay-khen", &book, &RenderOptions::default());
    let text = pages_text(&rendered.documents[5].pdf).join("\n");
    assert_has(&text, "Đã có thành tích xuất sắc trong công tác dân vận năm 2023");
}

/// The 2023 sample with every item of "Thông tin" and "Quyết định" typed on one sheet
/// "Thông tin chung" (each label once).
fn items_on_one_sheet() -> Book {
    let mut book = sample_data::khanh_hoa_2023_one_decision();
    put_items_on_one_sheet(&mut book);
    book
}

/// Moves the items of "Quyết định" to "Thông tin" (those it lacks), renamed "Thông tin chung";
/// a workbook of several decisions is first made the one-decision sample.
pub fn put_items_on_one_sheet(book: &mut Book) {
    if !book.sheets.iter().any(|(n, _)| n == "Quyết định") {
        *book = sample_data::khanh_hoa_2023_one_decision();
    }
    let decision = book.sheets.iter().find(|(n, _)| n == "Quyết định").unwrap().1.clone();
    let info = book.sheet_mut("Thông tin");
    let labels: Vec<V> = info.iter().map(|r| r[0].clone()).collect();
    let mut skipping = false;
    for row in decision.into_iter().skip(1) {
        if row[0] != V::Blank {
            skipping = labels.contains(&row[0]);
        }
        if !skipping {
            info.push(row);
        }
    }
    book.sheets.retain(|(n, _)| n != "Quyết định");
    book.sheets.iter_mut().find(|(n, _)| n == "Thông tin").unwrap().0 = "Thông tin chung".into();
}

#[test]
fn items_are_found_on_any_key_value_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_book(dir.path(), "ds.xlsx", &items_on_one_sheet());
    let run = vanban(&["build", path.to_str().unwrap(), "-o", "out"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("skipped"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("note: no sheet \"Quyết định\": its items were read from sheet \"Thông tin chung\"\n"),
        "{}",
        run.stderr
    );
    let index = index_rows(&std::fs::read(dir.path().join("out/index.csv")).unwrap());
    assert_eq!(index.iter().filter(|r| r.starts_with("giay-khen,")).count(), 28);
    assert_eq!(index.iter().filter(|r| r.starts_with("quyet-dinh-khen-thuong,")).count(), 1);
    let first = std::fs::read(
        dir.path().join("out/giay-khen").join(
            index
                .iter()
                .find(|r| r.starts_with("giay-khen,"))
                .unwrap()
                .split(',')
                .nth(4)
                .unwrap()
                .trim_start_matches("giay-khen/"),
        ),
    )
    .unwrap();
    assert_has(&pages_text(&first).join("\n"), "Quyết định số 125-QĐ/BDVTU");
}

#[test]
fn build_names_the_items_it_lacks_when_it_skips_a_template() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = sample_data::khanh_hoa_2023_one_decision();
    book.sheets.retain(|(n, _)| n != "Quyết định");
    let path = write_book(dir.path(), "ds.xlsx", &book);
    let run = vanban(&["build", path.to_str().unwrap(), "-o", "out", "--pdf-standard", "none"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    // "Thông tin" holds the signer, but not the decision's number (who decides is made from
    // the issuing body).
    assert!(
        run.stderr
            .contains("skipped giay-khen: no sheet has the item \"Số quyết định\" (of \"Quyết định\")\n"),
        "{}",
        run.stderr
    );
}

/// The certificates of `book` rendered by the command line into `dir/out`.
fn certificates(dir: &Path, book: &Book) -> Run {
    let path = write_book(dir, "ds.xlsx", book);
    vanban(&["render", "giay-khen", path.to_str().unwrap(), "-o", "out", "--pdf-standard", "none"], dir)
}

#[test]
fn a_rebuild_removes_only_the_files_of_the_earlier_run_it_no_longer_makes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut book = sample_data::khanh_hoa_2023();
    let names: Vec<String> = book.sheet_mut("Khen thưởng")[1..]
        .iter()
        .map(|r| match &r[1] {
            V::S(t) => t.clone(),
            _ => unreachable!(),
        })
        .collect();
    assert_eq!(certificates(dir.path(), &book).code, 0);
    // A file of the user's own, and a certificate changed by hand since, are never removed.
    std::fs::write(out.join("ghi chú.pdf"), "mine").unwrap();
    std::fs::write(out.join(format!("{}.pdf", names[2])), "edited").unwrap();
    book.sheet_mut("Khen thưởng")[1][1] = s(&format!("{} (sửa)", names[0]));
    book.sheet_mut("Khen thưởng")[3][1] = s(&format!("{} (sửa)", names[2]));
    let run = certificates(dir.path(), &book);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let removed: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("removed ")).collect();
    assert_eq!(
        removed,
        [format!("removed out/{}.pdf (an earlier run wrote it; this run does not make it)", names[0])]
    );
    assert!(
        run.stderr.contains(&format!(
            "note: kept out/{}.pdf: an earlier run wrote it and this run does not make it, but it has changed since\n",
            names[2]
        )),
        "{}",
        run.stderr
    );
    assert!(!out.join(format!("{}.pdf", names[0])).exists());
    assert!(out.join(format!("{} (sửa).pdf", names[0])).exists());
    assert!(out.join("ghi chú.pdf").exists() && out.join(format!("{}.pdf", names[2])).exists());
    assert!(out.join(format!("{}.pdf", names[1])).exists(), "still made, so kept");
}

static STOP: AtomicBool = AtomicBool::new(false);

#[test]
fn an_interrupted_run_keeps_the_index_of_what_it_wrote_and_tells_each_file_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let book = sample_data::khanh_hoa_2023();
    let plan = ENGINE
        .plan(&["giay-khen"], &read_book(&book), &RenderOptions::default(), false, false, &Default::default())
        .unwrap();
    let options = BatchOptions { jobs: 1, cancel: Some(&STOP), ..BatchOptions::default() };
    let told = std::sync::Mutex::new(Vec::new());
    let written = |row: &vanban::output::IndexRow| {
        // The file is there when the caller hears of it.
        assert!(dir.path().join(&row.file).is_file());
        told.lock().unwrap().push(row.file.clone());
        STOP.store(true, Ordering::Relaxed);
    };
    let result = ENGINE.run_each(&plan, &options, Sink::dir(dir.path()).unwrap(), &|_, _| {}, &written);
    assert!(matches!(result, Err(Error::Interrupted)), "{result:?}");
    let told = told.into_inner().unwrap();
    let index = index_rows(&std::fs::read(dir.path().join("index.csv")).unwrap());
    assert!(!told.is_empty() && told.len() < 28, "{} of 28", told.len());
    let listed: Vec<&str> = index.iter().map(|r| r.split(',').nth(4).unwrap()).collect();
    assert_eq!(listed, told, "the index lists exactly the documents written");
}
