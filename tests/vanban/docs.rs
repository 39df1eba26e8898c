//! The documents as printed: lines read back from the PDF with their positions (through
//! pdf-extract's character callback), so a test can count how a name broke, where the
//! closing landed and how a table's figures are aligned.

use super::*;

/// One line of text as printed. Typst writes each line of a paragraph or cell (each piece
/// of one style) as one text-showing operation; a `Line` is one of them.
#[derive(Debug, Clone)]
pub struct Line {
    /// Page number, from 1.
    pub page: usize,
    /// Baseline, in points from the page's top.
    pub y: f64,
    /// Where it starts, in points from the page's left edge. (pdf-extract reads no glyph
    /// widths from Typst's fonts, so where a line ends is not known.)
    pub x: f64,
    /// Font size, in points.
    pub size: f64,
    /// The text.
    pub text: String,
}

#[derive(Default)]
struct Glyphs {
    page: usize,
    height: f64,
    fresh: bool,
    last_x: f64,
    out: Vec<Line>,
    /// Filled shapes: page, colour, bounding box (x0, y0, x1, y1) in points from the
    /// page's top left.
    fills: Vec<(usize, Vec<f64>, [f64; 4])>,
}

impl pdf_extract::OutputDev for Glyphs {
    fn begin_page(
        &mut self,
        page: u32,
        media: &pdf_extract::MediaBox,
        _: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), pdf_extract::OutputError> {
        self.page = page as usize;
        self.height = media.ury - media.lly;
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &pdf_extract::Transform,
        _: f64,
        _: f64,
        font_size: f64,
        c: &str,
    ) -> Result<(), pdf_extract::OutputError> {
        if self.fresh || self.out.is_empty() {
            let size = font_size * (trm.m11 * trm.m22).abs().sqrt();
            let (x, y) = (trm.m31, self.height - trm.m32);
            self.fresh = false;
            // The strings of one TJ array come one by one, each a word space or a kerning
            // step from the last (pdf-extract does not advance by glyph widths): one line.
            let same = self.out.last().is_some_and(|l| {
                l.page == self.page
                    && (l.y - y).abs() < 0.5
                    && (self.last_x - x).abs() < 8.0
                    && l.size == size
            });
            self.last_x = x;
            if !same {
                self.out.push(Line { page: self.page, y, x, size, text: String::new() });
            }
        }
        self.out.last_mut().expect("a line").text.push_str(c);
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        self.fresh = true;
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn fill(
        &mut self,
        ctm: &pdf_extract::Transform,
        _: &pdf_extract::ColorSpace,
        color: &[f64],
        path: &pdf_extract::Path,
    ) -> Result<(), pdf_extract::OutputError> {
        // One box per subpath: a shape of many diamonds gives a box per diamond.
        let empty = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
        let mut bbox = empty;
        for op in &path.ops {
            if matches!(op, pdf_extract::PathOp::MoveTo(..)) && bbox != empty {
                self.fills.push((self.page, color.to_vec(), bbox));
                bbox = empty;
            }
            let points: Vec<(f64, f64)> = match *op {
                pdf_extract::PathOp::MoveTo(x, y) | pdf_extract::PathOp::LineTo(x, y) => vec![(x, y)],
                pdf_extract::PathOp::CurveTo(a, b, c, d, x, y) => vec![(a, b), (c, d), (x, y)],
                pdf_extract::PathOp::Rect(x, y, w, h) => vec![(x, y), (x + w, y + h)],
                pdf_extract::PathOp::Close => vec![],
            };
            for (x, y) in points {
                let (px, py) = (ctm.m11 * x + ctm.m21 * y + ctm.m31, ctm.m12 * x + ctm.m22 * y + ctm.m32);
                let py = self.height - py;
                bbox = [bbox[0].min(px), bbox[1].min(py), bbox[2].max(px), bbox[3].max(py)];
            }
        }
        if bbox != empty {
            self.fills.push((self.page, color.to_vec(), bbox));
        }
        Ok(())
    }
}

fn read_glyphs(pdf: &[u8]) -> Glyphs {
    let doc = pdf_extract::Document::load_mem(pdf).expect("the PDF loads");
    let mut glyphs = Glyphs::default();
    pdf_extract::output_doc(&doc, &mut glyphs).expect("the PDF's text reads");
    glyphs
}

/// The printed lines of a PDF, page by page, top to bottom, left to right, NFC, white space
/// collapsed; empty ones left out.
pub fn lines(pdf: &[u8]) -> Vec<Line> {
    let mut out = read_glyphs(pdf).out;
    out.retain(|l| !l.text.trim().is_empty());
    for l in &mut out {
        l.text = l.text.nfc().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ");
    }
    out.sort_by(|a, b| a.page.cmp(&b.page).then(a.y.total_cmp(&b.y)).then(a.x.total_cmp(&b.x)));
    out
}

/// The filled shapes of page `page` whose colour is `color`: their bounding boxes.
pub fn fills(pdf: &[u8], page: usize, color: &[f64]) -> Vec<[f64; 4]> {
    let near = |a: &[f64]| a.len() == color.len() && a.iter().zip(color).all(|(x, y)| (x - y).abs() < 0.01);
    read_glyphs(pdf).fills.into_iter().filter(|(p, c, _)| *p == page && near(c)).map(|f| f.2).collect()
}

/// The lines that, read in order from line `from` on, spell `text` exactly (white space
/// aside): how `text` was broken into lines.
pub fn lines_spelling<'a>(lines: &[&'a Line], text: &str) -> Option<Vec<&'a Line>> {
    let want = flat(text);
    for start in 0..lines.len() {
        if !want.starts_with(&flat(&lines[start].text)) {
            continue;
        }
        let mut got = String::new();
        let mut run = Vec::new();
        for &l in &lines[start..] {
            got.push_str(&flat(&l.text));
            run.push(l);
            if got == want {
                return Some(run);
            }
            if !want.starts_with(&got) {
                break;
            }
        }
    }
    None
}

const HCM: &str = "Thành phố Hồ Chí Minh";

/// The 2023 sample with the longest place and bodies' names, dated 25/12/2024, in `kind`.
fn long_names(kind: &str, superior: &str, issuer: &str, place: &str) -> Book {
    let mut book = sample_data::khanh_hoa_2023_one_decision();
    book.set_item("Thông tin", "Loại văn bản", s(kind));
    book.set_item("Thông tin", "Cơ quan cấp trên", s(superior));
    book.set_item("Thông tin", "Cơ quan ban hành", s(issuer));
    book.set_item("Thông tin", "Địa danh", s(place));
    book.set_item("Thông tin", "Ngày ban hành", V::D(2024, 12, 25));
    book.sheet_mut("Quyết định")[2][1] = V::D(2024, 12, 25);
    book
}

/// How a header printed: the place-and-date line, and the lines each body's name took in
/// the left column (left of the place-and-date line, above the document type).
fn header_of(pdf: &[u8], place_date: &str, names: &[&str]) -> (Line, Vec<Vec<Line>>) {
    let all = lines(pdf);
    let date = all
        .iter()
        .find(|l| l.page == 1 && flat(&l.text) == flat(place_date))
        .unwrap_or_else(|| panic!("{place_date:?} on one line: {:#?}", &all[..12.min(all.len())]))
        .clone();
    let left: Vec<&Line> =
        all.iter().filter(|l| l.page == 1 && l.x < date.x && l.y < date.y + 60.0).collect();
    let names = names
        .iter()
        .map(|name| {
            lines_spelling(&left, name)
                .unwrap_or_else(|| panic!("{name:?} in the left column: {left:#?}"))
                .into_iter()
                .cloned()
                .collect()
        })
        .collect();
    (date, names)
}

/// A name broken into lines: at most `max` of them, none a lone word, the shortest at least
/// half as long (in letters) as the longest.
fn assert_balanced(name: &str, got: &[Line], max: usize) {
    let texts: Vec<&str> = got.iter().map(|l| l.text.as_str()).collect();
    assert!(got.len() <= max, "{name:?} took {} lines: {texts:?}", got.len());
    if got.len() > 1 {
        assert!(texts.iter().all(|t| t.split_whitespace().count() > 1), "{name:?}: a word alone: {texts:?}");
        let widths: Vec<f64> = got.iter().map(|l| l.text.chars().count() as f64).collect();
        let (lo, hi) = widths.iter().fold((f64::MAX, 0f64), |(lo, hi), w| (lo.min(*w), hi.max(*w)));
        assert!(lo >= hi / 2.0, "{name:?} unbalanced: {texts:?} {widths:?}");
    }
}

#[test]
fn headers_keep_the_place_and_date_on_one_line_and_break_long_names_evenly() {
    let cases = [
        ("Đảng", "THÀNH ỦY THÀNH PHỐ HỒ CHÍ MINH", "BAN TUYÊN GIÁO VÀ DÂN VẬN", HCM, 2, 2),
        ("Đảng", "ĐẢNG ỦY CÁC CƠ QUAN ĐẢNG TỈNH", "BAN TUYÊN GIÁO VÀ DÂN VẬN", HCM, 2, 2),
        ("Nhà nước", "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", "BAN TUYÊN GIÁO VÀ DÂN VẬN", HCM, 2, 2),
        ("Đảng", "TỈNH ỦY KHÁNH HÒA", "BAN DÂN VẬN", "Diên Khánh", 1, 1),
    ];
    for (kind, superior, issuer, place, superior_lines, issuer_lines) in cases {
        let book = long_names(kind, superior, issuer, place);
        let place_date = format!("{place}, ngày 25 tháng 12 năm 2024");
        for template in ["bao-cao-tong-ket", "bao-cao-don-vi", "quyet-dinh-khen-thuong"] {
            let rendered = render_all(template, &book, &RenderOptions::default());
            let (date, names) = header_of(&rendered.documents[0].pdf, &place_date, &[superior, issuer]);
            assert_balanced(superior, &names[0], superior_lines);
            assert_balanced(issuer, &names[1], issuer_lines);
            // 14 pt, and 13 pt only where 14 pt would leave the names too little room.
            let want = if place == HCM { 13.0 } else { 14.0 };
            assert!((date.size - want).abs() < 0.2, "{template} {kind}: date at {} pt", date.size);
        }
        // The certificate's place and date, bottom right, on one line too.
        let rendered = render_all("giay-khen", &book, &RenderOptions::default());
        let all = lines(&rendered.documents[0].pdf);
        assert!(all.iter().any(|l| flat(&l.text) == flat(&place_date)), "certificate: {all:#?}");
    }
}

/// The lines of the page that holds "Nơi nhận:", above it, without the page number.
fn body_lines_with_the_closing(pdf: &[u8]) -> (usize, Vec<Line>) {
    let all = lines(pdf);
    let closing = all.iter().find(|l| l.text.starts_with("Nơi nhận")).expect("Nơi nhận:");
    // The recipients start at the left margin (30 mm), as the body does.
    assert!((closing.x - 30.0 / 25.4 * 72.0).abs() < 1.0, "Nơi nhận at x = {:.1} pt", closing.x);
    let body = all
        .iter()
        .filter(|l| l.page == closing.page && l.y < closing.y - 1.0)
        .filter(|l| !l.text.chars().all(|c| c.is_ascii_digit()))
        .cloned()
        .collect();
    (closing.page, body)
}

#[test]
fn the_closing_takes_the_last_lines_of_the_body_with_it() {
    // Paragraph by paragraph, the body's end moves across the page break: wherever it
    // falls, the closing's page holds at least the last two lines of the body.
    let paragraph = "Tiếp tục đổi mới nội dung, phương thức công tác dân vận của hệ thống chính trị; \
        phát huy vai trò của Nhân dân trong xây dựng Đảng, chính quyền vững mạnh; nắm chắc tình hình \
        Nhân dân, giải quyết kịp thời những vấn đề bức xúc ngay từ cơ sở.";
    let mut fewest = usize::MAX;
    for extra in 0..14 {
        let mut book = sample_data::khanh_hoa_2023();
        for i in 0..extra {
            book.sheet_mut("Nội dung").push(vec![s("Nhiệm vụ"), s(&format!("{}. {paragraph}", i + 4))]);
        }
        let doc = render(&book);
        let (page, body) = body_lines_with_the_closing(&doc.pdf);
        let texts: Vec<&str> = body.iter().map(|l| l.text.as_str()).collect();
        assert!(body.len() >= 2, "{extra} paragraphs: page {page} has the closing and {texts:?}");
        if extra > 0 {
            // The last paragraph's last words are on the closing's page.
            assert!(flat(&texts.join(" ")).contains(&flat("ngay từ cơ sở.")), "{extra}: {texts:?}");
        }
        fewest = fewest.min(body.len());
    }
    // Some ending fell right at a page break (or this test shows nothing).
    assert!(fewest <= 4, "the body always ended well before a page break ({fewest} lines)");
}

#[test]
fn names_in_sentences_follow_vietnamese_orthography_and_tables_keep_the_workbook_spelling() {
    let mut book = sample_data::khanh_hoa_2025();
    let rendered = render_all("bao-cao-don-vi", &book, &RenderOptions::default());
    let truong_sa =
        rendered.documents.iter().find(|d| d.file_name == "Đặc khu Trường Sa.pdf").expect("Trường Sa");
    let text = flat(&pages_text(&truong_sa.pdf).join("\n"));
    for wanted in [
        "Kết quả công tác dân vận năm 2025 của đặc khu Trường Sa",
        "Năm 2025, đặc khu Trường Sa đăng ký",
        "Bảng 1. Kết quả của đặc khu Trường Sa so với",
        "điểm thi đua công tác dân vận năm 2025 của đặc khu Trường Sa đạt",
    ] {
        assert!(text.contains(&flat(wanted)), "{wanted:?}");
    }
    assert!(!text.contains(&flat("của Đặc khu")), "the unit word is lower case in a sentence");
    // The province's report lists the units as the workbook spells them.
    let report = render(&book);
    assert_has(&pages_text(&report.pdf).join("\n"), "Đặc khu Trường Sa");

    // Every unit report had the province's own number: now each is left blank for the
    // records office, the symbol kept ...
    for doc in &rendered.documents {
        let text = flat(&pages_text(&doc.pdf)[0]);
        assert!(text.contains(&flat("Số -BC/BTGDVTU")) && !text.contains("42-BC"), "{}", doc.file_name);
    }
    // ... unless the unit sheet has a number column.
    let units = book.sheet_mut("Số liệu");
    let header = units.iter().position(|r| r.len() > 3).expect("header row");
    units[header].push(s("Số báo cáo"));
    for (i, row) in units.iter_mut().enumerate().skip(header + 1) {
        row.resize(13, V::Blank);
        row.push(s(&format!("{:02}-BC/BTGDVX", i)));
    }
    let rendered = render_all("bao-cao-don-vi", &book, &RenderOptions::default());
    let numbers: Vec<String> = rendered
        .documents
        .iter()
        .map(|d| {
            let t = flat(&pages_text(&d.pdf)[0]);
            let at = t.find(&flat("Số")).expect("Số");
            t[at..].chars().take(16).collect()
        })
        .collect();
    assert!(numbers[0].starts_with(&flat(&format!("Số {:02}-BC/BTGDVX", header + 1))), "{numbers:?}");
    let distinct: std::collections::BTreeSet<&String> = numbers.iter().collect();
    assert_eq!(distinct.len(), numbers.len(), "each unit has its own number: {numbers:?}");
}

#[test]
fn the_decision_says_what_the_cells_already_say_once_and_names_its_issuer_as_a_sentence_does() {
    let mut book = sample_data::khanh_hoa_2023_one_decision();
    book.set_item("Quyết định", "Xét đề nghị của", s("Xét đề nghị của Tổ Thi đua - Khen thưởng"));
    book.set_item("Quyết định", "Cơ quan thực hiện", s("Chánh Văn phòng Ban"));
    let rows = book.sheet_mut("Quyết định");
    let at = rows.iter().position(|r| r.first() == Some(&s("Cơ quan thực hiện"))).unwrap();
    rows[at + 1][1] = s("các tập thể, cá nhân có tên tại Điều 1");
    let rendered = render_all("quyet-dinh-khen-thuong", &book, &RenderOptions::default());
    let text = flat(&pages_text(&rendered.documents[0].pdf).join("\n"));
    let count = |t: &str| text.matches(&flat(t)).count();
    assert_eq!(count("Xét đề nghị của"), 1);
    assert!(text.contains(&flat("Xét đề nghị của Tổ Thi đua - Khen thưởng,")));
    assert_eq!(count("có tên tại Điều 1"), 1, "Điều 3 says it once");
    assert!(text.contains(&flat(
        "Điều 3. Chánh Văn phòng Ban, các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này. Quyết định có hiệu lực kể từ ngày ký."
    )));
    assert!(text.contains(&flat(
        "(Kèm theo Quyết định số 125-QĐ/BDVTU ngày 09/01/2024 của Ban Dân vận Tỉnh ủy Khánh Hòa)"
    )));
    // A whole sentence typed in the cell is printed as typed, nothing added.
    let rows = book.sheet_mut("Quyết định");
    rows[at][1] = s(
        "Chánh Văn phòng Ban và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.",
    );
    rows[at + 1][1] = s("Quyết định này có hiệu lực kể từ ngày ký.");
    let rendered = render_all("quyet-dinh-khen-thuong", &book, &RenderOptions::default());
    let text = flat(&pages_text(&rendered.documents[0].pdf).join("\n"));
    assert_eq!(text.matches(&flat("chịu trách nhiệm thi hành")).count(), 1);
    assert_eq!(text.matches(&flat("có hiệu lực kể từ ngày ký")).count(), 1);
}

#[test]
fn the_certificate_frame_is_symmetric_and_whole_on_a4_and_a3() {
    const GOLD: [f64; 3] = [201.0 / 255.0, 162.0 / 255.0, 39.0 / 255.0];
    const RED: [f64; 3] = [179.0 / 255.0, 0.0, 27.0 / 255.0];
    let book = sample_data::khanh_hoa_2023();
    for (paper, (w, h)) in [(None, (297.0, 210.0)), (Some("a3"), (420.0, 297.0))] {
        let rendered = render_all("giay-khen", &book, &RenderOptions { paper, ..RenderOptions::default() });
        let pdf = &rendered.documents[0].pdf;
        let (w, h) = (w / 25.4 * 72.0, h / 25.4 * 72.0);
        // The band's diamonds (the smallest gold shapes) lie as far from the right edge as
        // from the left, from the bottom as from the top; the corners' stars (the largest
        // red shapes) as far from the right as from the left (a star is not symmetric top
        // to bottom). Curved shapes are left out: their boxes hold control points.
        let size = |b: &[f64; 4]| ((b[2] - b[0]) * 10.0).round() as i64;
        for (color, smallest) in [(GOLD, true), (RED, false)] {
            let all = fills(pdf, 1, &color);
            let want = if smallest { all.iter().map(size).min() } else { all.iter().map(size).max() };
            let shapes: Vec<&[f64; 4]> = all.iter().filter(|b| Some(size(b)) == want).collect();
            assert!(shapes.len() >= 4, "{paper:?}: the frame's pieces are shapes ({})", shapes.len());
            let left = shapes.iter().map(|b| b[0]).fold(f64::MAX, f64::min);
            let right = w - shapes.iter().map(|b| b[2]).fold(f64::MIN, f64::max);
            let top = shapes.iter().map(|b| b[1]).fold(f64::MAX, f64::min);
            let bottom = h - shapes.iter().map(|b| b[3]).fold(f64::MIN, f64::max);
            assert!((left - right).abs() < 0.5 && left > 5.0, "{paper:?}: margins {left:.2} / {right:.2} pt");
            assert!(
                !smallest || (top - bottom).abs() < 0.5 && top > 5.0,
                "{paper:?}: margins {top:.2} / {bottom:.2} pt"
            );
        }
        // Every diamond whole: all the gold diamonds of the band are the same size, and each
        // side has as many as the side facing it.
        let gold = fills(pdf, 1, &GOLD);
        let diamond = gold.iter().map(size).min().unwrap();
        let diamonds: Vec<&[f64; 4]> = gold.iter().filter(|b| size(b) == diamond).collect();
        let row = |pick: &dyn Fn(&[f64; 4]) -> bool| diamonds.iter().filter(|b| pick(b)).count();
        let near = |a: f64, b: f64| (a - b).abs() < 30.0;
        let (top, bottom) = (row(&|b| near(b[1], 0.0 + 20.0)), row(&|b| near(b[3], h - 20.0)));
        let (left, right) = (row(&|b| near(b[0], 20.0)), row(&|b| near(b[2], w - 20.0)));
        assert!(
            top > 20 && top == bottom && left > 10 && left == right,
            "{paper:?}: {top} {bottom} {left} {right}"
        );
    }
}

/// Where a line of figures ends: Tinos (like Times New Roman) sets digits 0.5 em wide, "."
/// and "," 0.25 em, "%" 0.833 em.
fn figure_end(l: &Line) -> f64 {
    let em: f64 = l
        .text
        .chars()
        .map(|c| match c {
            '0'..='9' => 0.5,
            '.' | ',' => 0.25,
            '%' => 0.833,
            '-' => 0.333,
            _ => 0.5,
        })
        .sum();
    l.x + em * l.size
}

#[test]
fn appendix_figures_are_right_aligned_and_the_signers_have_room_to_sign() {
    let wb = workbook::read_bytes(super::office::price_list(3), "gia.xlsx").unwrap();
    let doc = super::office::appendix(&wb, None);
    let all = lines(&doc.pdf);
    let line = |t: &str| all.iter().find(|l| l.text == t).unwrap_or_else(|| panic!("{t:?} in {all:#?}"));
    // "Thành tiền": a row's amount and the total's end at the same x, the column's right
    // border; so do "Đơn giá" typed as text ("200,000") and "5.000" in the second table.
    let ends = |a: &str, b: &str| (figure_end(line(a)) - figure_end(line(b))).abs();
    assert!(ends("400.000", "123.456.000") < 1.0, "{} pt apart", ends("400.000", "123.456.000"));
    assert!(ends("200,000", "5.000") < 1.0, "{} pt apart", ends("200,000", "5.000"));
    assert!((line("400.000").x - line("123.456.000").x).abs() > 10.0, "not left-aligned");
    // Text stays left: a code starts where the next one does.
    assert!((line("01.0000").x - line("02.0001").x).abs() < 0.5);
    // The names stand under the titles with room for a signature and seal (20 mm or more).
    let room = line("Nguyễn Thị Thu").y - line("GIÁM ĐỐC").y;
    assert!(room > 20.0 / 25.4 * 72.0, "{room:.1} pt between title and name");
    assert!((line("Nguyễn Thị Thu").y - line("Trần Văn Lập").y).abs() < 0.5, "names on one line");
}

#[test]
fn a_typed_total_that_disagrees_with_its_rows_is_named_in_check_build_and_inspect() {
    let mut book = sample_data::khanh_hoa_2023_one_decision();
    let rows = book.sheet_mut("Khen thưởng");
    rows.truncate(3);
    rows[1][7] = n(1_500_000.0);
    rows[2][7] = n(2_000_000.0);
    let mut total = vec![V::Blank; 9];
    total[0] = s("Tổng cộng");
    total[7] = n(4_000_000.0);
    rows.push(total);
    let dir = tempfile::tempdir().unwrap();
    let wb = write_book(dir.path(), "kt.xlsx", &book);
    let wb = wb.to_str().unwrap();
    let warning = "Khen thưởng!H4 (\"Số tiền\"): the total typed here is 4.000.000, but the rows above add up to 3.500.000";
    let check = vanban(&["check", "quyet-dinh-khen-thuong", wb], dir.path());
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(check.stderr.contains(&format!("warning: {warning}")), "{}", check.stderr);
    let build = vanban(&["build", wb, "-o", "out"], dir.path());
    assert_eq!(build.code, 0, "{}", build.stderr);
    // Once, though two templates read the sheet.
    assert_eq!(build.stderr.matches(warning).count(), 1, "{}", build.stderr);
    let inspect = vanban(&["inspect", wb], dir.path());
    assert!(inspect.stdout.contains(&format!("  warning: {warning}")), "{}", inspect.stdout);
    let json = vanban(&["inspect", wb, "--json"], dir.path());
    assert!(
        json.stdout.contains("\"kind\": \"total_mismatch\"")
            || json.stdout.contains("\"kind\":\"total_mismatch\""),
        "{}",
        json.stdout
    );
    assert!(json.stdout.contains("4.000.000") && json.stdout.contains("3.500.000"));
    // The decision's total is the rows' own.
    let rendered = render_all("quyet-dinh-khen-thuong", &book, &RenderOptions::default());
    assert_has(&pages_text(&rendered.documents[0].pdf).join("\n"), "Tổng số tiền thưởng: 3.500.000 đồng");
}

#[test]
fn the_deciding_body_and_the_signers_title_break_evenly_too() {
    let body = "BAN TUYÊN GIÁO VÀ DÂN VẬN ĐẢNG ỦY CÁC CƠ QUAN ĐẢNG TỈNH";
    let title = "PHÓ TRƯỞNG BAN TUYÊN GIÁO VÀ DÂN VẬN";
    let mut book = long_names("Nhà nước", "ĐẢNG ỦY CÁC CƠ QUAN ĐẢNG TỈNH", "BAN TUYÊN GIÁO VÀ DÂN VẬN", HCM);
    book.set_item("Quyết định", "Chủ thể quyết định", s(body));
    book.set_item("Quyết định", "Thẩm quyền ký", s("K/T TRƯỞNG BAN"));
    book.set_item("Quyết định", "Chức vụ người ký", s(title));
    let rendered = render_all("quyet-dinh-khen-thuong", &book, &RenderOptions::default());
    let all = lines(&rendered.documents[0].pdf);
    let refs: Vec<&Line> = all.iter().collect();
    let body_lines: Vec<Line> =
        lines_spelling(&refs, body).expect("the deciding body").into_iter().cloned().collect();
    assert_balanced(body, &body_lines, 2);
    // The signature's column, right of the recipients.
    let right: Vec<&Line> = all.iter().filter(|l| l.x > 250.0).collect();
    let title_lines: Vec<Line> =
        lines_spelling(&right, title).expect("the title").into_iter().cloned().collect();
    assert_balanced(title, &title_lines, 2);
    let texts: Vec<&str> = title_lines.iter().map(|l| l.text.as_str()).collect();
    assert!(!texts.iter().any(|t| t.ends_with("TUYÊN")), "\"TUYÊN GIÁO\" cut: {texts:?}");
}
