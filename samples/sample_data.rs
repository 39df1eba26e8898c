//! The sample workbooks, as data, and a writer that turns them into xlsx bytes.
//!
//! Used by `cargo run --example make-samples` (which writes `samples/*.xlsx`) and by the
//! integration tests (which build variants of them). The figures of Khánh Hòa 2023 add up to
//! the province's published totals (936 models registered, 909 recognised, 2,425 cumulative);
//! how they split between units, and everything in the 2025 sample, is invented for
//! demonstration.
#![allow(dead_code)]

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook};

/// A cell value of a sample workbook.
#[derive(Debug, Clone, PartialEq)]
pub enum V {
    /// Text.
    S(String),
    /// A number.
    N(f64),
    /// A date cell (year, month, day).
    D(u16, u8, u8),
    /// Nothing.
    Blank,
}

/// Text cell.
pub fn s(text: &str) -> V {
    V::S(text.to_string())
}

/// Number cell.
pub fn n(x: f64) -> V {
    V::N(x)
}

/// A workbook as sheets of rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Book {
    /// Sheets by name, in order.
    pub sheets: Vec<(String, Vec<Vec<V>>)>,
}

impl Book {
    /// The rows of a sheet, to change them.
    pub fn sheet_mut(&mut self, name: &str) -> &mut Vec<Vec<V>> {
        &mut self.sheets.iter_mut().find(|(n, _)| n == name).expect("sample sheet").1
    }

    /// Sets the value of a key/value item (first row whose column A is `key`).
    pub fn set_item(&mut self, sheet: &str, key: &str, value: V) {
        let rows = self.sheet_mut(sheet);
        let row = rows.iter_mut().find(|r| r.first() == Some(&s(key))).expect("sample item");
        row[1] = value;
    }

    /// Writes the workbook as xlsx bytes; the file's own dates are fixed so the bytes are
    /// the same on every run.
    pub fn to_xlsx(&self) -> Vec<u8> {
        let mut wb = Workbook::new();
        let created = ExcelDateTime::from_ymd(2024, 1, 9).expect("date");
        wb.set_properties(&DocProperties::new().set_creation_datetime(&created).set_author("vanban samples"));
        let header = Format::new()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_border(FormatBorder::Thin);
        let date = Format::new().set_num_format("dd/mm/yyyy");
        for (name, rows) in &self.sheets {
            let ws = wb.add_worksheet();
            ws.set_name(name).expect("sheet name");
            let table = rows.first().is_some_and(|r| r.len() > 2);
            for (r, row) in rows.iter().enumerate() {
                for (c, v) in row.iter().enumerate() {
                    let (r, c) = (r as u32, c as u16);
                    let result = match v {
                        V::S(t) if table && r == 0 => {
                            ws.write_string_with_format(r, c, t, &header).map(|_| ())
                        }
                        V::S(t) => ws.write_string(r, c, t).map(|_| ()),
                        V::N(x) => ws.write_number(r, c, *x).map(|_| ()),
                        V::D(y, m, d) => ws
                            .write_datetime_with_format(
                                r,
                                c,
                                ExcelDateTime::from_ymd(*y, *m, *d).expect("date"),
                                &date,
                            )
                            .map(|_| ()),
                        V::Blank => Ok(()),
                    };
                    result.expect("write cell");
                }
            }
            let widths: &[f64] = if table { &[6.0, 28.0] } else { &[26.0, 90.0] };
            for (c, w) in widths.iter().enumerate() {
                ws.set_column_width(c as u16, *w).expect("width");
            }
        }
        wb.save_to_buffer().expect("xlsx")
    }
}

/// The header labels of the "Số liệu" sheet, as the issue defines them.
pub const UNIT_LABELS: [&str; 13] = [
    "STT",
    "Đơn vị",
    "Mô hình đăng ký",
    "Mô hình được công nhận",
    "Lũy kế mô hình",
    "Kinh tế",
    "Văn hóa - xã hội",
    "Quốc phòng - an ninh",
    "Xây dựng hệ thống chính trị",
    "Số cuộc đối thoại",
    "Vụ việc hòa giải thành",
    "Điểm thi đua",
    "Xếp loại",
];

/// One unit's figures: name, registered, recognised, cumulative, by field (economy,
/// culture–society, defence–security, political system), dialogues, mediated, score, rank.
pub type Unit = (&'static str, [u32; 9], f64, &'static str);

/// Khánh Hòa's nine district-level units in 2023.
pub const KHANH_HOA_2023: [Unit; 9] = [
    ("Thành phố Nha Trang", [168, 164, 452, 52, 48, 26, 38, 46, 312], 96.5, "Xuất sắc"),
    ("Thành phố Cam Ranh", [118, 115, 306, 37, 33, 19, 26, 28, 178], 93.0, "Xuất sắc"),
    ("Thị xã Ninh Hòa", [152, 148, 398, 50, 42, 22, 34, 35, 241], 94.5, "Xuất sắc"),
    ("Huyện Cam Lâm", [104, 101, 268, 34, 29, 15, 23, 24, 156], 91.0, "Tốt"),
    ("Huyện Diên Khánh", [126, 123, 330, 41, 36, 18, 28, 30, 198], 92.5, "Tốt"),
    ("Huyện Khánh Vĩnh", [84, 81, 211, 30, 24, 10, 17, 18, 64], 89.0, "Tốt"),
    ("Huyện Khánh Sơn", [62, 59, 154, 22, 18, 7, 12, 15, 41], 88.5, "Tốt"),
    ("Huyện Vạn Ninh", [110, 107, 284, 36, 31, 16, 24, 27, 187], 92.5, "Tốt"),
    ("Huyện Trường Sa", [12, 11, 22, 2, 3, 4, 2, 6, 9], 90.0, "Tốt"),
];

/// Twelve commune-level units after the 2025 reform (illustrative figures).
pub const KHANH_HOA_2025: [Unit; 12] = [
    ("Phường Nha Trang", [24, 24, 61, 8, 7, 4, 5, 9, 35], 95.0, "Xuất sắc"),
    ("Phường Bắc Nha Trang", [18, 17, 44, 6, 5, 3, 3, 7, 22], 92.0, "Tốt"),
    ("Phường Tây Nha Trang", [16, 16, 39, 5, 5, 2, 4, 6, 19], 91.5, "Tốt"),
    ("Phường Nam Nha Trang", [17, 16, 42, 5, 5, 3, 3, 6, 24], 93.5, "Xuất sắc"),
    ("Phường Bắc Cam Ranh", [12, 12, 30, 4, 4, 2, 2, 5, 14], 90.0, "Tốt"),
    ("Phường Cam Ranh", [15, 14, 37, 5, 4, 2, 3, 6, 18], 91.0, "Tốt"),
    ("Phường Ninh Hòa", [16, 15, 40, 5, 5, 2, 3, 6, 21], 92.5, "Tốt"),
    ("Phường Phan Rang", [20, 19, 48, 6, 6, 3, 4, 8, 27], 94.0, "Xuất sắc"),
    ("Xã Diên Khánh", [14, 14, 35, 5, 4, 2, 3, 5, 16], 90.5, "Tốt"),
    ("Xã Khánh Vĩnh", [10, 9, 24, 4, 2, 1, 2, 4, 8], 87.0, "Khá"),
    ("Xã Vạn Ninh", [13, 12, 33, 4, 4, 2, 2, 5, 15], 89.5, "Tốt"),
    ("Đặc khu Trường Sa", [4, 4, 9, 1, 1, 1, 1, 2, 3], 90.0, "Tốt"),
];

/// The "Số liệu" sheet for a list of units, with `labels` as the header row.
pub fn unit_sheet(labels: &[&str], units: &[Unit]) -> Vec<Vec<V>> {
    let mut rows = vec![labels.iter().map(|l| s(l)).collect()];
    for (i, (name, f, score, rank)) in units.iter().enumerate() {
        let mut row = vec![n((i + 1) as f64), s(name)];
        row.extend(f.iter().map(|x| n(f64::from(*x))));
        row.push(n(*score));
        row.push(s(rank));
        rows.push(row);
    }
    rows
}

fn items(pairs: &[(&str, V)]) -> Vec<Vec<V>> {
    let mut rows = vec![vec![s("Mục"), s("Giá trị")]];
    rows.extend(pairs.iter().map(|(k, v)| vec![if k.is_empty() { V::Blank } else { s(k) }, v.clone()]));
    rows
}

/// The Khánh Hòa 2023 report: Party form, district-level units, narrative included.
pub fn khanh_hoa_2023() -> Book {
    let info = items(&[
        ("Loại văn bản", s("Đảng")),
        ("Cơ quan cấp trên", s("TỈNH ỦY KHÁNH HÒA")),
        ("Cơ quan ban hành", s("BAN DÂN VẬN")),
        ("Số văn bản", s("15-BC/BDVTU")),
        ("Địa danh", s("Khánh Hòa")),
        ("Ngày ban hành", V::D(2024, 1, 9)),
        ("Năm báo cáo", n(2023.0)),
        ("Thẩm quyền ký", V::Blank),
        ("Chức vụ người ký", s("TRƯỞNG BAN")),
        ("Người ký", s("Nguyễn Văn Hòa")),
        ("Nơi nhận", s("- Ban Dân vận Trung ương (b/c);")),
        ("", s("- Thường trực Tỉnh ủy (b/c);")),
        ("", s("- Các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy;")),
        ("", s("- Ban Dân vận các huyện ủy, thị ủy, thành ủy;")),
        ("", s("- Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh;")),
        ("", s("- Lưu: VT, BDVTU.")),
    ]);
    let text = items(&[
        (
            "Tình hình chung",
            s(
                "Năm 2023, tình hình kinh tế - xã hội của tỉnh tiếp tục phục hồi và phát triển; quốc phòng, an ninh được giữ vững; đời sống vật chất, tinh thần của Nhân dân từng bước được nâng lên. Tuy nhiên, một số vụ việc khiếu nại liên quan đến đất đai, bồi thường, giải phóng mặt bằng vẫn còn diễn biến phức tạp, ảnh hưởng đến tâm trạng của một bộ phận Nhân dân.",
            ),
        ),
        (
            "Cấp ủy, tổ chức đảng",
            s(
                "Các cấp ủy, tổ chức đảng tiếp tục quán triệt, triển khai Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Ban Chấp hành Trung ương Đảng (khóa XI) về tăng cường và đổi mới sự lãnh đạo của Đảng đối với công tác dân vận trong tình hình mới; ban hành kế hoạch thực hiện công tác dân vận năm 2023 sát với tình hình thực tế của địa phương, đơn vị.",
            ),
        ),
        (
            "",
            s(
                "Việc thực hiện Quy chế dân chủ ở cơ sở và Quy định số 124-QĐ/TW ngày 04/10/2023 của Ban Bí thư về tiếp xúc, đối thoại của người đứng đầu cấp ủy được quan tâm; người đứng đầu cấp ủy các cấp đã chủ động tiếp xúc, đối thoại, lắng nghe và giải quyết kịp thời những kiến nghị chính đáng của Nhân dân.",
            ),
        ),
        (
            "Chính quyền",
            s(
                "Công tác dân vận chính quyền có chuyển biến tích cực; cải cách hành chính, chuyển đổi số được đẩy mạnh; tinh thần, thái độ phục vụ Nhân dân của đội ngũ cán bộ, công chức được nâng lên.",
            ),
        ),
        (
            "Mặt trận và đoàn thể",
            s(
                "Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội đổi mới nội dung, phương thức hoạt động, hướng mạnh về cơ sở; triển khai hiệu quả Cuộc vận động \"Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh\" và các phong trào thi đua yêu nước.",
            ),
        ),
        (
            "Dân tộc, tôn giáo",
            s(
                "Các chính sách đối với đồng bào dân tộc thiểu số ở các huyện Khánh Vĩnh, Khánh Sơn được triển khai kịp thời; các tổ chức tôn giáo hoạt động theo đúng quy định của pháp luật, đồng hành cùng dân tộc.",
            ),
        ),
        (
            "Dân vận khéo",
            s(
                "Nhiều mô hình \"Dân vận khéo\" trên lĩnh vực kinh tế gắn với xây dựng nông thôn mới, phát triển du lịch cộng đồng được Nhân dân đồng tình hưởng ứng, mang lại hiệu quả thiết thực.",
            ),
        ),
        (
            "Hoạt động của Ban",
            s(
                "Ban Dân vận Tỉnh ủy đã tham mưu Ban Thường vụ Tỉnh ủy ban hành các văn bản lãnh đạo, chỉ đạo về công tác dân vận; phối hợp kiểm tra, giám sát việc thực hiện Quy chế dân chủ ở cơ sở; tổ chức chấm điểm thi đua công tác dân vận đối với các đơn vị.",
            ),
        ),
        (
            "Ưu điểm",
            s(
                "Công tác dân vận của hệ thống chính trị có nhiều chuyển biến; phong trào thi đua \"Dân vận khéo\" tiếp tục lan tỏa; các vụ việc phức tạp ở cơ sở cơ bản được giải quyết kịp thời.",
            ),
        ),
        (
            "Hạn chế",
            s(
                "Một số cấp ủy chưa thật sự quan tâm đến công tác dân vận; việc nhân rộng mô hình \"Dân vận khéo\" ở một số nơi còn hạn chế.",
            ),
        ),
        (
            "Bài học kinh nghiệm",
            s(
                "Phải phát huy vai trò của người đứng đầu; thường xuyên tiếp xúc, đối thoại, lắng nghe ý kiến của Nhân dân.",
            ),
        ),
        (
            "Phương hướng",
            s(
                "Năm 2024, tiếp tục nâng cao chất lượng, hiệu quả công tác dân vận của hệ thống chính trị, củng cố niềm tin của Nhân dân đối với Đảng, góp phần thực hiện thắng lợi nhiệm vụ chính trị của tỉnh.",
            ),
        ),
        (
            "Nhiệm vụ",
            s(
                "1. Tiếp tục quán triệt, thực hiện Nghị quyết số 25-NQ/TW và các văn bản của Trung ương, của Tỉnh ủy về công tác dân vận.",
            ),
        ),
        (
            "",
            s(
                "2. Đẩy mạnh phong trào thi đua \"Dân vận khéo\" gắn với thực hiện nhiệm vụ chính trị của địa phương, đơn vị.",
            ),
        ),
        (
            "",
            s(
                "3. Thực hiện tốt Quy chế dân chủ ở cơ sở; nắm chắc tình hình Nhân dân, giải quyết kịp thời các vụ việc phức tạp ngay từ cơ sở.",
            ),
        ),
    ]);
    Book {
        sheets: vec![
            ("Thông tin".into(), info),
            ("Số liệu".into(), unit_sheet(&UNIT_LABELS, &KHANH_HOA_2023)),
            ("Nội dung".into(), text),
            // Three bodies decide the 2023 awards, each in a decision of its own.
            ("Quyết định BDV".into(), decision_2023()),
            ("Quyết định UBND".into(), decision_2023_ubnd()),
            ("Quyết định BDVTW".into(), decision_2023_central()),
            ("Khen thưởng".into(), award_sheet(&AWARDS_2023)),
            ("Tờ trình".into(), memo_2023()),
        ],
    }
}

/// The header labels of the "Khen thưởng" sheet.
pub const AWARD_LABELS: [&str; 9] = [
    "STT",
    "Tên",
    "Loại",
    "Chức vụ",
    "Đơn vị",
    "Hình thức khen thưởng",
    "Thành tích",
    "Số tiền",
    "Số sổ vàng",
];

const KNC: &str = "Kỷ niệm chương “Vì sự nghiệp Dân vận”";
const BK: &str = "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh";
const GK: &str = "Giấy khen của Ban Dân vận Tỉnh ủy";
const GOOD: &str = "Đã có thành tích xuất sắc trong công tác dân vận năm 2023";

/// One awardee: name, collective or individual, position, unit, award, amount (0 = none).
pub type Award = (&'static str, &'static str, &'static str, &'static str, &'static str, u32);

/// Khánh Hòa's 2023 awards: the Ban Dân vận Trung ương's medal for 3 people, the UBND tỉnh's
/// Bằng khen for 10 collectives and 11 individuals, the Ban Dân vận Tỉnh ủy's Giấy khen for
/// 4 collectives (names illustrative).
pub const AWARDS_2023: [Award; 28] = [
    ("Trịnh Thị Lan", "Cá nhân", "Trưởng phòng", "Sở Nội vụ tỉnh Khánh Hòa", KNC, 0),
    ("Lương Văn Phúc", "Cá nhân", "Chủ tịch Hội Cựu chiến binh", "Huyện Khánh Sơn", KNC, 0),
    ("Mai Xuân Hòa", "Cá nhân", "Phó Bí thư Thường trực Huyện ủy", "Huyện Vạn Ninh", KNC, 0),
    ("Ban Dân vận Thành ủy Nha Trang", "Tập thể", "", "Thành phố Nha Trang", BK, 3_600_000),
    ("Ban Dân vận Thị ủy Ninh Hòa", "Tập thể", "", "Thị xã Ninh Hòa", BK, 3_600_000),
    ("Ban Dân vận Huyện ủy Cam Lâm", "Tập thể", "", "Huyện Cam Lâm", BK, 3_600_000),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam huyện Diên Khánh", "Tập thể", "", "Huyện Diên Khánh", BK, 3_600_000),
    ("Hội Liên hiệp Phụ nữ huyện Khánh Vĩnh", "Tập thể", "", "Huyện Khánh Vĩnh", BK, 3_600_000),
    ("Hội Nông dân huyện Vạn Ninh", "Tập thể", "", "Huyện Vạn Ninh", BK, 3_600_000),
    ("Thành đoàn Cam Ranh", "Tập thể", "", "Thành phố Cam Ranh", BK, 3_600_000),
    ("Ủy ban nhân dân xã Sơn Bình", "Tập thể", "", "Huyện Khánh Sơn", BK, 3_600_000),
    ("Công an xã Cam Hải Tây", "Tập thể", "", "Huyện Cam Lâm", BK, 3_600_000),
    (
        "Ban Dân vận Đảng ủy Khối các cơ quan và doanh nghiệp tỉnh",
        "Tập thể",
        "",
        "Tỉnh Khánh Hòa",
        BK,
        3_600_000,
    ),
    ("Lê Thị Mai", "Cá nhân", "Phó Trưởng ban Dân vận", "Thành ủy Nha Trang", BK, 1_800_000),
    ("Nguyễn Văn Bình", "Cá nhân", "Chuyên viên", "Ban Dân vận Tỉnh ủy", BK, 1_800_000),
    ("Trần Quốc Tuấn", "Cá nhân", "Bí thư Đảng ủy", "Xã Ninh Phụng, thị xã Ninh Hòa", BK, 1_800_000),
    ("Phạm Thị Thu Hà", "Cá nhân", "Chủ tịch Hội Liên hiệp Phụ nữ", "Huyện Vạn Ninh", BK, 1_800_000),
    ("Cao Văn Sáu", "Cá nhân", "Già làng", "Xã Khánh Phú, huyện Khánh Vĩnh", BK, 1_800_000),
    ("Bo Bo Thị Nhân", "Cá nhân", "Trưởng thôn", "Xã Sơn Hiệp, huyện Khánh Sơn", BK, 1_800_000),
    ("Đặng Minh Đức", "Cá nhân", "Trưởng Công an xã", "Xã Cam Thành Bắc, huyện Cam Lâm", BK, 1_800_000),
    (
        "Võ Thị Ánh Tuyết",
        "Cá nhân",
        "Phó Chủ tịch Ủy ban nhân dân",
        "Phường Cam Lộc, thành phố Cam Ranh",
        BK,
        1_800_000,
    ),
    (
        "Huỳnh Văn Lực",
        "Cá nhân",
        "Tổ trưởng tổ dân phố",
        "Thị trấn Diên Khánh, huyện Diên Khánh",
        BK,
        1_800_000,
    ),
    ("Ngô Thị Hồng", "Cá nhân", "Chuyên viên", "Ban Dân vận Huyện ủy Cam Lâm", BK, 1_800_000),
    ("Đinh Văn Hải", "Cá nhân", "Bí thư Chi bộ", "Thị trấn Trường Sa, huyện Trường Sa", BK, 1_800_000),
    ("Ban Dân vận Đảng ủy xã Ninh Sơn", "Tập thể", "", "Thị xã Ninh Hòa", GK, 1_080_000),
    ("Khối Dân vận xã Suối Tân", "Tập thể", "", "Huyện Cam Lâm", GK, 1_080_000),
    ("Chi bộ thôn Hòn Khói", "Tập thể", "", "Xã Ninh Hải, thị xã Ninh Hòa", GK, 1_080_000),
    ("Tổ dân phố Phước Tiến", "Tập thể", "", "Phường Tân Lập, thành phố Nha Trang", GK, 1_080_000),
];

/// The "Khen thưởng" sheet for a list of awards; register numbers per award kind.
pub fn award_sheet(awards: &[Award]) -> Vec<Vec<V>> {
    let mut rows = vec![AWARD_LABELS.iter().map(|l| s(l)).collect()];
    let mut counters = [0; 3];
    for (i, (name, kind, position, unit, form, amount)) in awards.iter().enumerate() {
        let k = [KNC, BK, GK].iter().position(|f| f == form).unwrap_or(0);
        counters[k] += 1;
        let register = format!("{}-2023/{:02}", ["KNC", "BK", "GK"][k], counters[k]);
        rows.push(vec![
            n((i + 1) as f64),
            s(name),
            s(kind),
            if position.is_empty() { V::Blank } else { s(position) },
            s(unit),
            s(form),
            s(if *form == KNC {
                "Đã có nhiều đóng góp cho sự nghiệp dân vận của Đảng"
            } else {
                GOOD
            }),
            if *amount == 0 { V::Blank } else { n(f64::from(*amount)) },
            s(&register),
        ]);
    }
    rows
}

/// The 2023 sample as a workbook of one decision (the shape before several decisions): one
/// "Quyết định" sheet of the Ban Dân vận Tỉnh ủy that gives every award of the list, with its
/// deciding body typed.
pub fn khanh_hoa_2023_one_decision() -> Book {
    let mut book = khanh_hoa_2023();
    let at = book.sheets.iter().position(|(n, _)| n.starts_with("Quyết định")).unwrap_or(book.sheets.len());
    book.sheets.retain(|(n, _)| !n.starts_with("Quyết định"));
    let mut decision = decision_2023();
    decision.retain(|row| !matches!(row.first(), Some(V::S(k)) if k == "Hình thức khen thưởng"));
    decision[3][1] =
        s("Về việc khen thưởng các tập thể, cá nhân có thành tích xuất sắc trong công tác dân vận năm 2023");
    book.sheets.insert(at.min(book.sheets.len()), ("Quyết định".into(), decision));
    book
}

/// The decision of the Ban Dân vận Tỉnh ủy (a Party decision under the "Thông tin" header):
/// Giấy khen for 4 collectives.
pub fn decision_2023() -> Vec<Vec<V>> {
    items(&[
        ("Số quyết định", s("125-QĐ/BDVTU")),
        ("Ngày quyết định", V::D(2024, 1, 9)),
        (
            "Trích yếu",
            s(
                "Về việc tặng Giấy khen cho các tập thể có thành tích xuất sắc trong công tác dân vận năm 2023",
            ),
        ),
        ("Chủ thể quyết định", s("BAN DÂN VẬN TỈNH ỦY KHÁNH HÒA")),
        ("Hình thức khen thưởng", s(GK)),
        ("Căn cứ", s("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;")),
        ("Căn cứ", s("Căn cứ Quy chế làm việc của Ban Dân vận Tỉnh ủy khóa XVIII, nhiệm kỳ 2020 - 2025;")),
        ("Căn cứ", s("Căn cứ kết quả chấm điểm thi đua công tác dân vận năm 2023;")),
        ("Xét đề nghị của", s("Hội đồng Thi đua - Khen thưởng Ban Dân vận Tỉnh ủy")),
        ("Thành tích khen thưởng", s("đã có thành tích xuất sắc trong công tác dân vận năm 2023")),
        ("Cơ quan thực hiện", s("Văn phòng Ban Dân vận Tỉnh ủy")),
        ("", s("các phòng chuyên môn thuộc Ban")),
        (
            "Nguồn kinh phí",
            s("trích từ nguồn kinh phí thi đua, khen thưởng năm 2023 của Ban Dân vận Tỉnh ủy"),
        ),
        ("Thứ tự danh sách", s("Theo vần ABC")),
        ("Thẩm quyền ký", V::Blank),
        ("Chức vụ người ký", s("TRƯỞNG BAN")),
        ("Người ký", s("Nguyễn Văn Hòa")),
        ("Nơi nhận", s("- Thường trực Tỉnh ủy (b/c);")),
        ("", s("- Ban Dân vận Trung ương (b/c);")),
        ("", s("- Lưu: VT, BDVTU.")),
    ])
}

/// The decision of the Chủ tịch UBND tỉnh (a state decision: its own header items, no
/// superior body, a deputy signing): Bằng khen for 10 collectives and 11 individuals. Its
/// deciding body is not typed: it is made from the signing authority and the issuing body.
pub fn decision_2023_ubnd() -> Vec<Vec<V>> {
    items(&[
        ("Loại văn bản", s("Nhà nước")),
        ("Cơ quan cấp trên", V::Blank),
        ("Cơ quan ban hành", s("ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA")),
        ("Số quyết định", s("86/QĐ-UBND")),
        ("Ngày quyết định", V::D(2024, 1, 8)),
        (
            "Trích yếu",
            s(
                "Về việc tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho các tập thể, cá nhân có thành tích xuất sắc trong công tác dân vận năm 2023",
            ),
        ),
        ("Hình thức khen thưởng", s(BK)),
        ("Căn cứ", s("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;")),
        ("Căn cứ", s("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;")),
        (
            "Căn cứ",
            s(
                "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng;",
            ),
        ),
        ("Xét đề nghị của", s("Trưởng Ban Dân vận Tỉnh ủy và Giám đốc Sở Nội vụ")),
        ("Thành tích khen thưởng", s("đã có thành tích xuất sắc trong công tác dân vận năm 2023")),
        ("Cơ quan thực hiện", s("Chánh Văn phòng Ủy ban nhân dân tỉnh")),
        ("", s("Giám đốc Sở Nội vụ")),
        ("", s("Trưởng Ban Dân vận Tỉnh ủy")),
        ("Nguồn kinh phí", s("trích từ Quỹ thi đua, khen thưởng của tỉnh năm 2024")),
        ("Thứ tự danh sách", s("Theo vần ABC")),
        ("Thẩm quyền ký", s("KT. CHỦ TỊCH")),
        ("Chức vụ người ký", s("PHÓ CHỦ TỊCH")),
        ("Người ký", s("Trần Minh Tâm")),
        ("Nơi nhận", s("- Như Điều 3;")),
        ("", s("- Thường trực Tỉnh ủy (b/c);")),
        ("", s("- Chủ tịch, các PCT UBND tỉnh;")),
        ("", s("- Lưu: VT, NV.")),
    ])
}

/// The decision of the Ban Dân vận Trung ương (a Party decision of another body, in Hà Nội):
/// the Kỷ niệm chương for 3 people.
pub fn decision_2023_central() -> Vec<Vec<V>> {
    items(&[
        ("Cơ quan cấp trên", s("BAN CHẤP HÀNH TRUNG ƯƠNG")),
        ("Cơ quan ban hành", s("BAN DÂN VẬN")),
        ("Địa danh", s("Hà Nội")),
        ("Số quyết định", s("1052-QĐ/BDVTW")),
        ("Ngày quyết định", V::D(2023, 12, 20)),
        ("Trích yếu", s("Về việc tặng Kỷ niệm chương “Vì sự nghiệp Dân vận”")),
        ("Chủ thể quyết định", s("BAN DÂN VẬN TRUNG ƯƠNG")),
        ("Hình thức khen thưởng", s(KNC)),
        (
            "Căn cứ",
            s("Căn cứ Quy chế xét tặng Kỷ niệm chương “Vì sự nghiệp Dân vận” của Ban Dân vận Trung ương;"),
        ),
        ("Xét đề nghị của", s("Ban Dân vận Tỉnh ủy Khánh Hòa")),
        ("Thành tích khen thưởng", s("đã có nhiều đóng góp cho sự nghiệp dân vận của Đảng")),
        ("Cơ quan thực hiện", s("Văn phòng Ban Dân vận Trung ương")),
        ("", s("Ban Dân vận Tỉnh ủy Khánh Hòa")),
        ("Thứ tự danh sách", s("Theo vần ABC")),
        ("Thẩm quyền ký", s("K/T TRƯỞNG BAN")),
        ("Chức vụ người ký", s("PHÓ TRƯỞNG BAN")),
        ("Người ký", s("Phạm Quang Vinh")),
        ("Nơi nhận", s("- Như Điều 3;")),
        ("", s("- Ban Dân vận Tỉnh ủy Khánh Hòa;")),
        ("", s("- Lưu: VT, Vụ TH.")),
    ])
}

/// The "Tờ trình" sheet of the memos that proposed the 2023 decisions: the Ban's emulation and
/// awards council, signed by its vice-chair. One memo per decision, each addressed to its
/// deciding body; their numbers and dates are left for the records office.
pub fn memo_2023() -> Vec<Vec<V>> {
    items(&[
        ("Cơ quan cấp trên", s("BAN DÂN VẬN TỈNH ỦY")),
        ("Cơ quan trình", s("HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG")),
        (
            "Nội dung",
            s(
                "Năm 2023, phong trào thi đua \"Dân vận khéo\" tiếp tục lan tỏa: toàn tỉnh đăng ký 936 mô hình, được công nhận 909 mô hình. Căn cứ kết quả chấm điểm thi đua, Hội đồng đã họp, bình xét các tập thể, cá nhân có thành tích xuất sắc.",
            ),
        ),
        ("Thẩm quyền ký", s("T/M HỘI ĐỒNG")),
        ("Chức vụ người ký", s("PHÓ CHỦ TỊCH THƯỜNG TRỰC")),
        ("Người ký", s("Lê Thị Thanh Hương")),
        ("Nơi nhận", s("- Như trên;")),
        ("", s("- Lưu: VT, HĐTĐKT.")),
    ])
}

/// A 2025 report after the reform: commune and ward units, the merged commission, a deputy
/// signing, the date typed as text, and other header labels that the manifest's aliases bind.
pub fn khanh_hoa_2025() -> Book {
    let info = items(&[
        ("Loại văn bản", s("Đảng")),
        ("Cơ quan cấp trên", s("TỈNH ỦY KHÁNH HÒA")),
        ("Cơ quan ban hành", s("BAN TUYÊN GIÁO VÀ DÂN VẬN")),
        ("Số văn bản", s("42-BC/BTGDVTU")),
        ("Địa danh", s("Khánh Hòa")),
        ("Ngày ban hành", s("20/12/2025")),
        ("Năm báo cáo", n(2025.0)),
        ("Thẩm quyền ký", s("K/T TRƯỞNG BAN")),
        ("Chức vụ người ký", s("PHÓ TRƯỞNG BAN")),
        ("Người ký", s("Trần Thị Thu Hằng")),
        ("Nơi nhận", s("- Ban Tuyên giáo và Dân vận Trung ương (b/c);")),
        ("Nơi nhận", s("- Thường trực Tỉnh ủy (b/c);")),
        ("Nơi nhận", s("- Đảng ủy các xã, phường, đặc khu;")),
        ("Nơi nhận", s("- Lưu: VT, BTGDVTU.")),
    ]);
    let mut labels = UNIT_LABELS;
    labels[1] = "Xã, phường, đặc khu";
    labels[4] = "Luỹ kế";
    labels[6] = "Văn hoá – xã hội";
    let mut units = unit_sheet(&labels, &KHANH_HOA_2025);
    units.insert(0, vec![s("KẾT QUẢ CÔNG TÁC DÂN VẬN NĂM 2025 THEO ĐƠN VỊ HÀNH CHÍNH CẤP XÃ")]);
    let text = items(&[
        (
            "Tình hình chung",
            s(
                "Năm 2025 là năm đầu tiên vận hành chính quyền địa phương hai cấp; các xã, phường, đặc khu mới sau sắp xếp đã nhanh chóng ổn định tổ chức, bảo đảm hoạt động thông suốt, phục vụ Nhân dân không gián đoạn.",
            ),
        ),
        (
            "Hoạt động của Ban",
            s(
                "Ban Tuyên giáo và Dân vận Tỉnh ủy đã kịp thời hướng dẫn công tác dân vận, công tác tuyên giáo sau hợp nhất; nắm bắt tình hình tư tưởng của cán bộ, đảng viên và Nhân dân trong quá trình sắp xếp đơn vị hành chính.",
            ),
        ),
        (
            "Nhiệm vụ",
            s(
                "Tiếp tục nâng cao hiệu quả công tác dân vận ở cấp xã; phát huy vai trò của Mặt trận Tổ quốc và các đoàn thể trong tổ chức bộ máy mới.",
            ),
        ),
    ]);
    Book {
        sheets: vec![("Thông tin".into(), info), ("Số liệu".into(), units), ("Nội dung".into(), text)]
    }
}
