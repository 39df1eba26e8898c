//! Several decisions in one workbook (issue 12): the 2023 sample's three deciding bodies,
//! each decision with its own list and each certificate with its own issuer and signer; the
//! rows' assignment by award form or by decision number; and the items made when left out.
//! The exact problem texts are in the error corpus.

use super::*;

/// The documents of `template` for `book`, with their page texts.
fn texts(template: &str, book: &Book) -> Vec<(String, String)> {
    let rendered = render_all(template, book, &RenderOptions::default());
    rendered.documents.iter().map(|d| (d.file_name.clone(), pages_text(&d.pdf).join("\n"))).collect()
}

fn lacks(text: &str, unwanted: &str) {
    assert!(!flat(text).contains(&flat(unwanted)), "PDF text has {unwanted:?}");
}

#[test]
fn three_bodies_decide_in_one_workbook_each_with_its_own_list() {
    let docs = texts("quyet-dinh-khen-thuong", &sample_data::khanh_hoa_2023());
    let names: Vec<&str> = docs.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["quyet-dinh-125-QĐ-BDVTU.pdf", "quyet-dinh-86-QĐ-UBND.pdf", "quyet-dinh-1052-QĐ-BDVTW.pdf"]
    );
    let (party, state, central) = (&docs[0].1, &docs[1].1, &docs[2].1);
    for wanted in [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "BAN DÂN VẬN TỈNH ỦY KHÁNH HÒA",
        "Điều 1. Khen thưởng 4 tập thể có tên trong danh sách kèm theo",
        "Giấy khen của Ban Dân vận Tỉnh ủy: 4 tập thể;",
        "Tổng cộng: 4 tập thể",
        "Nguyễn Văn Hòa",
    ] {
        assert_has(party, wanted);
    }
    lacks(party, "Bằng khen");
    for wanted in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA",
        "Số: 86/QĐ-UBND",
        "Khánh Hòa, ngày 08 tháng 01 năm 2024",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA",
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
        "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh: 10 tập thể và 11 cá nhân;",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Trần Minh Tâm",
        "(Kèm theo Quyết định số 86/QĐ-UBND ngày 08/01/2024 của Chủ tịch Ủy ban nhân dân tỉnh Khánh Hòa)",
        "Tổng cộng: 10 tập thể và 11 cá nhân",
    ] {
        assert_has(state, wanted);
    }
    // The decision's own header items: no Party line, and no superior body (the blank item
    // in the decision sheet is none, not "Thông tin"'s "TỈNH ỦY KHÁNH HÒA").
    lacks(state, "ĐẢNG CỘNG SẢN VIỆT NAM");
    lacks(state, "TỈNH ỦY KHÁNH HÒA");
    for wanted in [
        "BAN CHẤP HÀNH TRUNG ƯƠNG",
        "Số 1052-QĐ/BDVTW",
        "Hà Nội, ngày 20 tháng 12 năm 2023",
        "BAN DÂN VẬN TRUNG ƯƠNG",
        "Kỷ niệm chương “Vì sự nghiệp Dân vận”: 3 cá nhân;",
        "K/T TRƯỞNG BAN",
        "PHÓ TRƯỞNG BAN",
        "Phạm Quang Vinh",
    ] {
        assert_has(central, wanted);
    }
    // Every awardee is in exactly one decision's list.
    for (name, ..) in sample_data::AWARDS_2023 {
        let lists = docs.iter().filter(|(_, t)| flat(t).contains(&flat(name))).count();
        assert_eq!(lists, 1, "{name}");
    }
}

#[test]
fn each_certificate_carries_its_own_decision() {
    let book = sample_data::khanh_hoa_2023();
    let rendered = render_all("giay-khen", &book, &RenderOptions::default());
    assert_eq!(rendered.documents.len(), sample_data::AWARDS_2023.len());
    // In the list's order, whichever decision each row belongs to.
    let rows: Vec<usize> = rendered.documents.iter().map(|d| d.source.as_ref().unwrap().1).collect();
    assert_eq!(rows, (2..2 + sample_data::AWARDS_2023.len()).collect::<Vec<_>>());
    let text = |name: &str| {
        let doc = rendered.documents.iter().find(|d| d.file_name == format!("{name}.pdf")).expect(name);
        pages_text(&doc.pdf).join("\n")
    };
    let state = text("Lê Thị Mai");
    for wanted in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA",
        "BẰNG KHEN",
        "Quyết định số 86/QĐ-UBND",
        "ngày 08/01/2024",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Trần Minh Tâm",
    ] {
        assert_has(&state, wanted);
    }
    lacks(&state, "ĐẢNG CỘNG SẢN VIỆT NAM");
    let party = text("Chi bộ thôn Hòn Khói");
    for wanted in [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "BAN DÂN VẬN TỈNH ỦY KHÁNH HÒA",
        "GIẤY KHEN",
        "125-QĐ/BDVTU",
        "Nguyễn Văn Hòa",
    ] {
        assert_has(&party, wanted);
    }
    let central = text("Trịnh Thị Lan");
    for wanted in
        ["BAN DÂN VẬN TRUNG ƯƠNG", "1052-QĐ/BDVTW", "Hà Nội, ngày 20 tháng 12 năm 2023", "Phạm Quang Vinh"]
    {
        assert_has(&central, wanted);
    }
}

/// The sample with a "Số quyết định" column in its list, `number` typed on the row of
/// `name` only.
fn with_number(name: &str, number: &str) -> Book {
    let mut book = sample_data::khanh_hoa_2023();
    let list = book.sheet_mut("Khen thưởng");
    for (i, row) in list.iter_mut().enumerate() {
        let cell = match i {
            0 => s("Số quyết định"),
            _ if row[1] == s(name) => s(number),
            _ => V::Blank,
        };
        row.push(cell);
    }
    book
}

#[test]
fn a_decision_number_on_the_row_decides_before_the_award_form() {
    // A collective whose form is the Ban's Giấy khen, but which the UBND's decision lists.
    let docs = texts("quyet-dinh-khen-thuong", &with_number("Chi bộ thôn Hòn Khói", "86/QĐ-UBND"));
    assert_has(&docs[0].1, "Tổng cộng: 3 tập thể");
    assert_has(&docs[1].1, "Tổng cộng: 11 tập thể và 11 cá nhân");
    assert_has(&docs[1].1, "Chi bộ thôn Hòn Khói");
    lacks(&docs[0].1, "Chi bộ thôn Hòn Khói");
}

#[test]
fn a_row_no_decision_gives_is_named_by_its_cell_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = sample_data::khanh_hoa_2023();
    book.sheet_mut("Khen thưởng")[5][5] = s("Bằng khen của Thủ tướng Chính phủ");
    let path = write_book(dir.path(), "ds.xlsx", &book);
    let run = vanban(&["render", "giay-khen", path.to_str().unwrap(), "-o", "out"], dir.path());
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: the workbook does not fit template \"giay-khen\": 1 problem\n\
         \x20 Khen thưởng!F6 (\"Hình thức khen thưởng\"): no decision sheet gives \"Bằng khen của Thủ tướng Chính phủ\": \
         \"Quyết định BDV\" \"Giấy khen của Ban Dân vận Tỉnh ủy\"; \"Quyết định UBND\" \"Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh\"; \
         \"Quyết định BDVTW\" \"Kỷ niệm chương “Vì sự nghiệp Dân vận”\"; add it to the item \"Hình thức khen thưởng\" of its \
         decision, or give the list a column \"Số quyết định\"\n"
    );
    assert!(!dir.path().join("out").exists());
}

#[test]
fn one_decision_sheet_renders_with_the_items_it_leaves_out_made_and_noted() {
    let dir = tempfile::tempdir().unwrap();
    let mut book = sample_data::khanh_hoa_2023_one_decision();
    book.sheet_mut("Quyết định").retain(|r| r.first() != Some(&s("Chủ thể quyết định")));
    book.sheet_mut("Thông tin").retain(|r| r.first() != Some(&s("Loại văn bản")));
    let path = write_book(dir.path(), "qd.xlsx", &book);
    let wb = path.to_str().unwrap();
    let run = vanban(&["render", "quyet-dinh-khen-thuong", wb, "-o", "out"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The notes of the items made come first; the rows of "Thông tin" a decision does not
    // read follow.
    assert_eq!(
        run.stderr.lines().take(2).collect::<Vec<_>>().join("\n") + "\n",
        "note: \"Loại văn bản\" not given: made from \"Cơ quan ban hành\", \"Cơ quan cấp trên\" as \"Đảng\"\n\
         note: \"Chủ thể quyết định\" not given: made from \"Loại văn bản\", \"Cơ quan ban hành\", \"Cơ quan cấp trên\", \
         \"Thẩm quyền ký\", \"Chức vụ người ký\" as \"BAN DÂN VẬN TỈNH ỦY KHÁNH HÒA\"\n"
    );
    let pdf = std::fs::read(dir.path().join("out/quyet-dinh-125-QĐ-BDVTU.pdf")).unwrap();
    let text = pages_text(&pdf).join("\n");
    assert_has(&text, "ĐẢNG CỘNG SẢN VIỆT NAM");
    assert_has(&text, "BAN DÂN VẬN TỈNH ỦY KHÁNH HÒA");
    assert_has(&text, "Tổng cộng: 14 tập thể và 14 cá nhân");
    // What the user types wins, and then nothing is noted.
    let run = vanban(
        &[
            "check",
            "quyet-dinh-khen-thuong",
            wb,
            "--set",
            "Chủ thể quyết định=THƯỜNG TRỰC BAN DÂN VẬN TỈNH ỦY",
        ],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("Chủ thể quyết định"), "{}", run.stderr);
}
