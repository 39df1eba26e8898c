//! The award proposal memo (`to-trinh-khen-thuong`): its golden Typst source in the Party and
//! the state form, the PDF's text against the workbook, the defaults it takes without a
//! "Tờ trình" sheet, the messages for a missing required item, and where its closing lands.

use super::docs::{Line, lines, lines_spelling};
use super::*;

const MEMO: &str = "to-trinh-khen-thuong";

/// A key/value sheet: "Mục" | "Giá trị", a blank label continuing the item above.
fn items(pairs: &[(&str, V)]) -> Vec<Vec<V>> {
    let mut rows = vec![vec![s("Mục"), s("Giá trị")]];
    rows.extend(pairs.iter().map(|(k, v)| vec![if k.is_empty() { V::Blank } else { s(k) }, v.clone()]));
    rows
}

/// The 2023 sample without a "Tờ trình" sheet, whether or not the sample has one.
fn without_memo_sheet() -> Book {
    let mut book = sample_data::khanh_hoa_2023_one_decision();
    book.sheets.retain(|(name, _)| name != "Tờ trình");
    book
}

/// The 2023 sample with a "Tờ trình" sheet of its own: the Ban Dân vận proposes to the Ban Thường vụ,
/// a deputy signing (the decision is signed by the head).
fn party_memo() -> Book {
    let mut book = without_memo_sheet();
    book.sheets.push((
        "Tờ trình".into(),
        items(&[
            ("Số tờ trình", s("118-TTr/BDVTU")),
            ("Ngày tờ trình", V::D(2024, 1, 5)),
            ("Kính gửi", s("Ban Thường vụ Tỉnh ủy")),
            ("Cơ quan đề nghị", s("Ban Dân vận Tỉnh ủy")),
            ("Căn cứ", s("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;")),
            ("", s("Căn cứ kết quả chấm điểm thi đua công tác dân vận năm 2023 của các đơn vị;")),
            (
                "Nội dung",
                s("Năm 2023, phong trào thi đua \"Dân vận khéo\" tiếp tục lan tỏa: toàn tỉnh đăng ký 936 mô hình, \
                   được công nhận 909 mô hình; nhiều tập thể, cá nhân đã có thành tích xuất sắc."),
            ),
            ("Thẩm quyền ký", s("K/T TRƯỞNG BAN")),
            ("Chức vụ người ký", s("PHÓ TRƯỞNG BAN")),
            ("Người ký", s("Lê Thị Thanh Hương")),
            ("Nơi nhận", s("- Như trên;")),
            ("", s("- Thường trực Tỉnh ủy (b/c);")),
            ("", s("- Lưu: VT, BDVTU.")),
        ]),
    ));
    book
}

/// The 2023 list proposed by a state department to the province's people's committee.
fn state_memo() -> Book {
    let mut book = without_memo_sheet();
    book.set_item("Thông tin", "Loại văn bản", s("Nhà nước"));
    book.set_item("Thông tin", "Cơ quan cấp trên", s("ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA"));
    book.set_item("Thông tin", "Cơ quan ban hành", s("SỞ NỘI VỤ"));
    book.set_item("Thông tin", "Số văn bản", s("Số: 120/BC-SNV"));
    book.set_item("Quyết định", "Chủ thể quyết định", s("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA"));
    for row in book.sheet_mut("Khen thưởng").iter_mut().skip(1) {
        if row[5] == s("Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh") {
            row[5] = s("Bằng khen của Chủ tịch UBND tỉnh");
        }
    }
    book.sheets.push((
        "Tờ trình".into(),
        items(&[
            ("Số tờ trình", s("Số: 45/TTr-SNV")),
            ("Ngày tờ trình", s("05/01/2024")),
            ("Kính gửi", s("Ủy ban nhân dân tỉnh Khánh Hòa")),
            ("Cơ quan đề nghị", s("Sở Nội vụ")),
            ("Thẩm quyền ký", s("KT. GIÁM ĐỐC")),
            ("Chức vụ người ký", s("PHÓ GIÁM ĐỐC")),
            ("Người ký", s("Trần Minh Quân")),
            ("Nơi nhận", s("- Văn phòng UBND tỉnh;")),
            ("", s("- Lưu: VT, TĐKT.")),
        ]),
    ));
    book
}

fn memo(book: &Book) -> vanban::Document {
    let rendered = render_all(MEMO, book, &RenderOptions::default());
    assert_eq!(rendered.documents.len(), 1, "one memo for the whole list");
    rendered.documents.into_iter().next().unwrap()
}

/// Golden Typst source: review changes like code; regenerate with UPDATE_GOLDEN=1.
#[test]
fn the_memos_typst_source_matches_the_golden_files() {
    for (book, golden) in [
        (party_memo(), "to-trinh-khen-thuong-2023.typ"),
        (state_memo(), "to-trinh-khen-thuong-2023-nha-nuoc.typ"),
    ] {
        let wb = read_book(&book);
        let plan = ENGINE.check(MEMO, &wb, &RenderOptions::default(), &Default::default()).unwrap();
        let (source, _) = ENGINE.typst_for(&plan, &plan.docs[0]).unwrap();
        let golden = root().join("tests/golden").join(golden);
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&golden, &source).unwrap();
        }
        let want =
            std::fs::read_to_string(&golden).expect("golden file; run with UPDATE_GOLDEN=1 to create it");
        assert!(
            source == want,
            "{golden:?}: generated Typst changed; review it and rerun with UPDATE_GOLDEN=1"
        );
    }
}

/// The first page of the attached list (the one that says "DANH SÁCH"), from 0.
fn list_start(pages: &[String]) -> usize {
    pages.iter().position(|p| flat(p).contains(&flat("DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG"))).expect("list page")
}

/// Every awardee of the sample once in the list, after the memo's own pages.
fn assert_lists_every_awardee(pages: &[String]) {
    let start = list_start(pages);
    assert!(start >= 1, "the list starts on a new page");
    let list = flat(&pages[start..].join("\n"));
    for (name, ..) in sample_data::AWARDS_2023 {
        assert!(list.contains(&flat(name)), "{name} is listed");
    }
    // One row per awardee: every row's achievement starts "Đã có".
    assert_eq!(list.matches(&flat("Đã có")).count(), sample_data::AWARDS_2023.len());
}

#[test]
fn the_party_memo_says_what_the_workbook_says_and_lists_every_awardee() {
    let doc = memo(&party_memo());
    assert_eq!(doc.file_name, "to-trinh-118-TTr-BDVTU.pdf");
    let pages = pages_text(&doc.pdf);
    let text = pages.join("\n");
    let body = pages[..list_start(&pages)].join("\n");
    for wanted in [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "TỈNH ỦY KHÁNH HÒA",
        "BAN DÂN VẬN",
        "Số 118-TTr/BDVTU",
        "Khánh Hòa, ngày 05 tháng 01 năm 2024",
        "TỜ TRÌNH",
        "Về việc đề nghị khen thưởng các tập thể, cá nhân có thành tích xuất sắc trong công tác dân vận năm 2023",
        "Kính gửi: Ban Thường vụ Tỉnh ủy",
        "Căn cứ kết quả chấm điểm thi đua công tác dân vận năm 2023 của các đơn vị;",
        "toàn tỉnh đăng ký 936 mô hình, được công nhận 909 mô hình;",
        "Ban Dân vận Tỉnh ủy kính đề nghị Ban Thường vụ Tỉnh ủy xem xét, khen thưởng 14 tập thể, 14 cá nhân \
         đã có thành tích xuất sắc trong công tác dân vận năm 2023 (có danh sách kèm theo), cụ thể như sau:",
        "- Kỷ niệm chương “Vì sự nghiệp Dân vận”: 3 cá nhân;",
        "- Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh: 10 tập thể, 11 cá nhân;",
        "- Giấy khen của Ban Dân vận Tỉnh ủy: 4 tập thể.",
        "Tổng số tiền thưởng đề nghị: 60.120.000 đồng (Sáu mươi triệu một trăm hai mươi nghìn đồng).",
        "Kính đề nghị Ban Thường vụ Tỉnh ủy xem xét, quyết định.",
        "Nơi nhận:",
        "- Như trên;",
        "- Thường trực Tỉnh ủy (b/c);",
        "K/T TRƯỞNG BAN",
        "PHÓ TRƯỞNG BAN",
        "Lê Thị Thanh Hương",
    ] {
        assert_has(&body, wanted);
    }
    // The memo's own signer, not the decision's; "Như trên" once, as typed.
    assert!(!flat(&text).contains(&flat("Nguyễn Văn Hòa")));
    assert_eq!(flat(&body).matches(&flat("- Như trên;")).count(), 1);
    assert!(!flat(&body).contains(&flat("Căn cứ Quy chế làm việc")), "the memo's own legal bases");
    let list = pages[list_start(&pages)..].join("\n");
    assert_has(&list, "(Kèm theo Tờ trình số 118-TTr/BDVTU ngày 05/01/2024 của Ban Dân vận Tỉnh ủy)");
    assert_has(&list, "Tổng cộng: 14 tập thể, 14 cá nhân");
    assert_lists_every_awardee(&pages);
}

#[test]
fn the_state_memo_has_the_state_header_and_adds_nhu_tren() {
    let doc = memo(&state_memo());
    assert_eq!(doc.file_name, "to-trinh-45-TTr-SNV.pdf");
    let pages = pages_text(&doc.pdf);
    let body = pages[..list_start(&pages)].join("\n");
    for wanted in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA",
        "SỞ NỘI VỤ",
        "Số: 45/TTr-SNV",
        "Khánh Hòa, ngày 05 tháng 01 năm 2024",
        "Kính gửi: Ủy ban nhân dân tỉnh Khánh Hòa",
        // Without its own "Căn cứ", the memo takes the decision's.
        "Căn cứ Quy chế làm việc của Ban Dân vận Tỉnh ủy khóa XVIII, nhiệm kỳ 2020 - 2025;",
        "Sở Nội vụ kính đề nghị Ủy ban nhân dân tỉnh Khánh Hòa xem xét, khen thưởng 14 tập thể, 14 cá nhân",
        "- Bằng khen của Chủ tịch UBND tỉnh: 10 tập thể, 11 cá nhân;",
        "Nơi nhận:",
        "- Như trên;",
        "- Văn phòng UBND tỉnh;",
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Trần Minh Quân",
    ] {
        assert_has(&body, wanted);
    }
    assert!(!flat(&body).contains(&flat("ĐẢNG CỘNG SẢN")));
    assert!(!flat(&body).contains(&flat("Số: Số")));
    // "- Như trên;" comes first, before the recipients typed.
    let f = flat(&body);
    assert!(f.find(&flat("- Như trên;")).unwrap() < f.find(&flat("- Văn phòng UBND tỉnh;")).unwrap());
    assert_has(
        &pages[list_start(&pages)..].join("\n"),
        "(Kèm theo Tờ trình số 45/TTr-SNV ngày 05/01/2024 của Sở Nội vụ)",
    );
    assert_lists_every_awardee(&pages);
}

#[test]
fn without_a_to_trinh_sheet_the_memo_takes_the_decisions_items_and_leaves_number_and_date_blank() {
    let doc = memo(&without_memo_sheet());
    // Named after the decision it proposes.
    assert_eq!(doc.file_name, "to-trinh-de-nghi-125-QĐ-BDVTU.pdf");
    let pages = pages_text(&doc.pdf);
    let body = pages[..list_start(&pages)].join("\n");
    for wanted in [
        // The number and date are left for the records office, with the Ban's symbol.
        "Số -TTr/BDVTU",
        "Khánh Hòa, ngày tháng năm",
        "Về việc đề nghị khen thưởng các tập thể, cá nhân có thành tích xuất sắc trong công tác dân vận năm 2023",
        "Kính gửi: Ban Dân vận Tỉnh ủy Khánh Hòa",
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Hội đồng Thi đua - Khen thưởng Ban Dân vận Tỉnh ủy kính đề nghị Ban Dân vận Tỉnh ủy Khánh Hòa xem xét",
        "- Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh: 10 tập thể, 11 cá nhân;",
        "Kính đề nghị Ban Dân vận Tỉnh ủy Khánh Hòa xem xét, quyết định.",
        "- Như trên;",
        "- Lưu: VT.",
        "TRƯỞNG BAN",
        "Nguyễn Văn Hòa",
    ] {
        assert_has(&body, wanted);
    }
    assert_has(
        &pages[list_start(&pages)..].join("\n"),
        "(Kèm theo Tờ trình số -TTr/BDVTU ngày // của Hội đồng Thi đua - Khen thưởng Ban Dân vận Tỉnh ủy)",
    );
    assert_lists_every_awardee(&pages);
    // The decision's number is not the memo's.
    assert!(!flat(&body).contains(&flat("125-QĐ")));
}

#[test]
fn the_samples_memos_come_from_its_council_one_for_each_deciding_body() {
    let wb = workbook::read_path(&root().join("samples/khanh-hoa-2023.xlsx")).unwrap();
    let rendered =
        ENGINE.render(MEMO, &wb, &RenderOptions::default(), &Default::default(), &|_, _| {}).unwrap();
    let names: Vec<&str> = rendered.documents.iter().map(|d| d.file_name.as_str()).collect();
    assert_eq!(
        names,
        [
            "to-trinh-de-nghi-125-QĐ-BDVTU.pdf",
            "to-trinh-de-nghi-86-QĐ-UBND.pdf",
            "to-trinh-de-nghi-1052-QĐ-BDVTW.pdf"
        ]
    );
    let text = |i: usize| pages_text(&rendered.documents[i].pdf).join("\n");
    // Every memo is the council's, in the Party form, signed by its vice-chair.
    for i in 0..3 {
        for wanted in [
            "ĐẢNG CỘNG SẢN VIỆT NAM",
            "BAN DÂN VẬN TỈNH ỦY",
            "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG",
            "T/M HỘI ĐỒNG",
            "PHÓ CHỦ TỊCH THƯỜNG TRỰC",
            "Lê Thị Thanh Hương",
        ] {
            assert_has(&text(i), wanted);
        }
    }
    // Each to its own deciding body, with its own list.
    assert_has(&text(0), "Kính gửi: Ban Dân vận Tỉnh ủy Khánh Hòa");
    assert_has(&text(0), "- Giấy khen của Ban Dân vận Tỉnh ủy: 4 tập thể.");
    assert_has(&text(1), "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh Khánh Hòa");
    assert_has(&text(1), "- Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh: 10 tập thể, 11 cá nhân.");
    // "Trung ương" keeps its capital in a sentence.
    assert_has(&text(2), "Kính gửi: Ban Dân vận Trung ương");
    assert_has(&text(2), "- Kỷ niệm chương “Vì sự nghiệp Dân vận”: 3 cá nhân.");
    let doc = &rendered.documents[1];
    // "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG" breaks after the dash, never before it: a line that
    // started with it would read as a list item.
    let all = lines(&doc.pdf);
    let council = lines_spelling(
        &all.iter().filter(|l| l.page == 1).collect::<Vec<_>>(),
        "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG",
    )
    .expect("the council's name in the header");
    let texts: Vec<&str> = council.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(texts, ["HỘI ĐỒNG THI ĐUA -", "KHEN THƯỞNG"]);
}

#[test]
fn a_missing_required_item_is_named_exactly() {
    let dir = tempfile::tempdir().unwrap();
    // Who decides and who signs the decision are required: the memo goes to the one and,
    // unless "Tờ trình" names its own signer, is signed by the other. Who decides is made
    // from the issuing body when left out (noted); a blank signer is an error.
    let mut book = without_memo_sheet();
    book.sheet_mut("Quyết định").retain(|r| r.first() != Some(&s("Chủ thể quyết định")));
    book.set_item("Quyết định", "Người ký", V::Blank);
    let path = write_book(dir.path(), "thieu-chu-the.xlsx", &book);
    let run = vanban(&["check", MEMO, path.to_str().unwrap()], dir.path());
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: the workbook does not fit template \"to-trinh-khen-thuong\": 1 problem\n\
         \x20 Quyết định!B16 (\"Người ký\"): a value is required\n"
    );
    // No item of "Tờ trình" is required: an item given with --set that the decision shares
    // makes the sheet of that item alone, and the memo takes the rest from the decision.
    let sample = write_book(dir.path(), "khong-to-trinh.xlsx", &without_memo_sheet());
    let run = vanban(&["check", MEMO, sample.to_str().unwrap(), "--set", "Người ký=Lê Văn Bình"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rendered = ENGINE
        .render(
            MEMO,
            &read_book(&without_memo_sheet()),
            &RenderOptions::default(),
            &profile_setting("Người ký", "Lê Văn Bình"),
            &|_, _| {},
        )
        .expect("render");
    let text = pages_text(&rendered.documents[0].pdf).join("\n");
    assert_has(&text, "TRƯỞNG BAN");
    assert_has(&text, "Lê Văn Bình");
    assert!(!flat(&text).contains(&flat("Nguyễn Văn Hòa")));
    // The 2025 sample has no award list: the memo is skipped, as the decision is.
    let later = root().join("samples/khanh-hoa-2025.xlsx");
    let run = vanban(&["check", MEMO, later.to_str().unwrap()], dir.path());
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("no sheet \"Khen thưởng\""), "{}", run.stderr);
    // Who decides is made from "Thông tin"'s issuing body, so it is not a problem there.
    assert!(!run.stderr.contains("Chủ thể quyết định"), "{}", run.stderr);
}

/// A profile that sets one item, as `--set KEY=VALUE` does.
fn profile_setting(key: &str, value: &str) -> vanban::profile::Profile {
    vanban::profile::Profile { set: vec![(key.to_string(), value.to_string())], ..Default::default() }
}

/// The lines of page `page` above the line that starts with `before`.
fn lines_above<'a>(all: &'a [Line], page: usize, before: &Line) -> Vec<&'a Line> {
    all.iter()
        .filter(|l| l.page == page && l.y < before.y - 1.0 && !l.text.chars().all(|c| c.is_ascii_digit()))
        .collect()
}

#[test]
fn the_closing_takes_two_body_lines_with_it_and_long_names_break_evenly() {
    // Paragraph by paragraph, the memo's end moves across the page break: the closing's
    // page always holds the last two lines of the body, "Kính đề nghị ... quyết định." among them.
    let paragraph = "Các tập thể, cá nhân được đề nghị khen thưởng đã tích cực triển khai phong trào thi đua \
        \"Dân vận khéo\", có nhiều mô hình hay, cách làm sáng tạo, được Nhân dân đồng tình hưởng ứng.";
    let mut fewest = usize::MAX;
    for extra in 0..12 {
        let mut book = party_memo();
        for _ in 0..extra {
            book.sheet_mut("Tờ trình").push(vec![s("Nội dung"), s(paragraph)]);
        }
        // Without amounts the summary's last line, not the total, goes with the closing.
        if extra % 2 == 1 {
            book.sheet_mut("Khen thưởng").iter_mut().skip(1).for_each(|row| row[7] = V::Blank);
        }
        let doc = memo(&book);
        let all = lines(&doc.pdf);
        let closing = all.iter().find(|l| l.text.starts_with("Nơi nhận")).expect("Nơi nhận:");
        let body = lines_above(&all, closing.page, closing);
        let texts: Vec<&str> = body.iter().map(|l| l.text.as_str()).collect();
        assert!(body.len() >= 2, "{extra} paragraphs: page {} has the closing and {texts:?}", closing.page);
        assert!(flat(&texts.join(" ")).ends_with(&flat("xem xét, quyết định.")), "{extra}: {texts:?}");
        fewest = fewest.min(body.len());
    }
    assert!(fewest <= 4, "the body always ended well before a page break ({fewest} lines)");

    // A long proposing body and addressee: the header's names in balanced lines, the date on one.
    let mut book = party_memo();
    book.set_item("Thông tin", "Cơ quan cấp trên", s("ĐẢNG ỦY CÁC CƠ QUAN ĐẢNG TỈNH"));
    book.set_item("Thông tin", "Cơ quan ban hành", s("BAN TUYÊN GIÁO VÀ DÂN VẬN"));
    let all = lines(&memo(&book).pdf);
    let date =
        all.iter().find(|l| l.page == 1 && flat(&l.text) == flat("Khánh Hòa, ngày 05 tháng 01 năm 2024"));
    let date = date.expect("the place and date on one line");
    let left: Vec<&Line> =
        all.iter().filter(|l| l.page == 1 && l.x < date.x && l.y < date.y + 60.0).collect();
    for name in ["ĐẢNG ỦY CÁC CƠ QUAN ĐẢNG TỈNH", "BAN TUYÊN GIÁO VÀ DÂN VẬN"] {
        let got =
            lines_spelling(&left, name).unwrap_or_else(|| panic!("{name:?} in the left column: {left:#?}"));
        let texts: Vec<&str> = got.iter().map(|l| l.text.as_str()).collect();
        assert!(got.len() <= 2, "{name:?} took {} lines: {texts:?}", got.len());
        assert!(texts.iter().all(|t| t.split_whitespace().count() > 1), "{name:?}: a word alone: {texts:?}");
    }
}

#[test]
fn the_templates_command_shows_the_memos_items_and_their_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let run = vanban(&["templates"], dir.path());
    let line = run.stdout.lines().find(|l| l.starts_with(MEMO)).expect("the memo is listed");
    assert!(line.ends_with("Tờ trình đề nghị khen thưởng, kèm danh sách (đọc các trang Thông tin, Quyết định, Khen thưởng và Tờ trình nếu có)"), "{line}");
    let run = vanban(&["templates", MEMO], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    for wanted in [
        "sheet \"Tờ trình\" (optional; items: label in column A, value in column B; id tt)",
        "  Kính gửi (kinh_gui): text; optional; read on l",
        "  Số tờ trình (so): text; optional; read on lines",
        "      note: Để trống thì chừa chỗ cho văn thư ghi số",
        "  Chủ thể quyết định (chu_the): text; required; made from \"Loại văn bản\", \"Cơ quan ban hành\", \
         \"Cơ quan cấp trên\", \"Thẩm quyền ký\", \"Chức vụ người ký\" when left out; read on l",
    ] {
        assert!(run.stdout.contains(wanted), "{wanted:?} in:\n{}", run.stdout);
    }
    // The fill-in workbook's note on an item says its default too.
    let run = vanban(&["templates", MEMO, "--workbook", "to-trinh.xlsx"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let notes: String = zip_entries(&dir.path().join("to-trinh.xlsx"))
        .into_iter()
        .filter(|(name, _)| name.starts_with("xl/comments"))
        .map(|(_, bytes)| String::from_utf8(bytes).unwrap())
        .collect();
    assert!(
        notes.contains(
            "Không bắt buộc. Chữ. Cũng nhận tên: Gửi; Nơi trình; Trình. Cơ quan xem xét, quyết định"
        ),
        "{notes}"
    );
}
