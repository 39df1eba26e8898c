//! Award proposals as other systems export them (issue 12): a data sheet no alias names,
//! header labels longer than the template's ("Tên tập thể/cá nhân/hộ gia đình"), kinds typed
//! in a sentence ("Khen thưởng tập thể"), households beside collectives and individuals, a
//! title column ("Ông", "Bà") and the cached #N/A of lookup formulas copied down under the
//! data. Only the decision's own facts are given, with --set.

use super::*;
use rust_xlsxwriter::{Format, Formula, Workbook as XlsxWorkbook};

/// The export's data sheet, named as the provincial awards system names it.
pub const SHEET: &str = "DS de nghi KT 2023";

/// The export's header, row 6 of the sheet.
pub const HEADER: [&str; 7] = [
    "STT",
    "Tên gọi (Ông/Bà/Chức danh)",
    "Tên tập thể/cá nhân/hộ gia đình",
    "Chức vụ, đơn vị",
    "Phân loại khen thưởng",
    "Hình thức khen thưởng",
    "Thành tích",
];

/// The items the certificates need that the export does not hold: the decision's own facts
/// (and the issuing body's, which the export's title rows only show as text).
pub const SETS: [&str; 8] = [
    "Loại văn bản=Nhà nước",
    "Cơ quan ban hành=ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA",
    "Địa danh=Khánh Hòa",
    "Số quyết định=3125/QĐ-UBND",
    "Ngày quyết định=25/12/2023",
    "Chủ thể quyết định=CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA",
    "Chức vụ người ký=CHỦ TỊCH",
    "Người ký=Nguyễn Tấn Tuân",
];

/// One awardee of the export: title, name, position and unit, kind as typed, award.
pub type Proposal = (String, String, String, &'static str, &'static str);

const FAMILY: [&str; 10] = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ"];
const MEN: [&str; 10] = ["Hùng", "Dũng", "Quang", "Tuấn", "Khải", "Đức", "Thắng", "Lộc", "Nghĩa", "Vỹ"];
const WOMEN: [&str; 10] = ["Lan", "Hương", "Thảo", "Ngọc", "Hằng", "Yến", "Trâm", "Diệu", "Ánh", "Thủy"];
const COMMUNES: [&str; 6] =
    ["xã Cam Hải Tây", "xã Ninh Xuân", "xã Suối Tiên", "phường Vĩnh Phước", "xã Vạn Thắng", "xã Sơn Bình"];
const POSITIONS: [&str; 5] = [
    "Chủ tịch Hội Nông dân",
    "Bí thư Chi bộ thôn Tân Xương",
    "Trưởng ban Dân vận",
    "Công chức",
    "Phó Chủ tịch UBND",
];

/// The `i`-th awardee (from 0): one in six a collective, one in fourteen a
/// household, the others people; the kind is typed as the export types it.
pub fn proposal(i: usize) -> Proposal {
    let commune = COMMUNES[i % COMMUNES.len()];
    let award =
        if i.is_multiple_of(3) { "Bằng khen của Chủ tịch UBND tỉnh" } else { "Giấy khen" };
    if i.is_multiple_of(6) {
        let body =
            ["Hội Nông dân", "Đoàn Thanh niên", "Hội Liên hiệp Phụ nữ", "Ban Dân vận", "Mặt trận Tổ quốc"];
        let commune = COMMUNES[(i / 6) % COMMUNES.len()];
        let name = format!("{} {commune} (đợt {})", body[(i / 6) % body.len()], i / 30 + 1);
        return (String::new(), name, String::new(), "Khen thưởng tập thể", award);
    }
    let family = FAMILY[i % 10];
    if i % 14 == 1 {
        let name = format!("Hộ gia đình ông {family} Văn {}", MEN[(i / 10) % 10]);
        return (
            String::new(),
            name,
            format!("thôn Tân Xương 1, {commune}"),
            "Khen thưởng hộ gia đình",
            award,
        );
    }
    let woman = i.is_multiple_of(2);
    let (title, middle, given) =
        if woman { ("Bà", "Thị", WOMEN[(i / 10) % 10]) } else { ("Ông", "Văn", MEN[(i / 10) % 10]) };
    let name = format!("{family} {middle} {given} {}", ["Anh", "Bảo", "Minh", "Xuân"][(i / 100) % 4]);
    let position = format!("{} {commune}", POSITIONS[i % POSITIONS.len()]);
    (title.to_string(), name, position, "Khen thưởng cá nhân", award)
}

/// The achievement every row states.
pub const ACHIEVEMENT: &str = "Đã có thành tích xuất sắc trong phong trào thi đua \"Dân vận khéo\" năm 2023";

/// The export: title rows, the header in row 6, `data` awardees, then `errors` rows whose
/// every cell is a lookup formula with the cached result #N/A; no decision sheet.
pub fn export(data: usize, errors: usize) -> Vec<u8> {
    let mut wb = XlsxWorkbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(SHEET).unwrap();
    let bold = Format::new().set_bold();
    ws.write_string_with_format(0, 0, "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA", &bold).unwrap();
    ws.write_string_with_format(0, 4, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", &bold).unwrap();
    ws.write_string(1, 0, "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG").unwrap();
    ws.write_string(1, 4, "Độc lập - Tự do - Hạnh phúc").unwrap();
    ws.merge_range(3, 0, 3, 6, "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG TẬP THỂ, CÁ NHÂN, HỘ GIA ĐÌNH NĂM 2023", &bold)
        .unwrap();
    ws.write_string(4, 0, "(Kèm theo Tờ trình số 45/TTr-HĐTĐKT ngày 10/12/2023)").unwrap();
    for (c, label) in HEADER.iter().enumerate() {
        ws.write_string_with_format(5, c as u16, *label, &bold).unwrap();
    }
    for i in 0..data {
        let r = 6 + i as u32;
        let (title, name, position, kind, award) = proposal(i);
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        if !title.is_empty() {
            ws.write_string(r, 1, &title).unwrap();
        }
        ws.write_string(r, 2, &name).unwrap();
        if !position.is_empty() {
            ws.write_string(r, 3, &position).unwrap();
        }
        ws.write_string(r, 4, kind).unwrap();
        ws.write_string(r, 5, award).unwrap();
        ws.write_string(r, 6, ACHIEVEMENT).unwrap();
    }
    for i in 0..errors {
        let r = 6 + (data + i) as u32;
        for c in 0..HEADER.len() as u16 {
            let lookup = format!("=VLOOKUP($A{},'Nguon'!$A:$G,{},FALSE)", r + 1, c + 1);
            ws.write_formula(r, c, Formula::new(lookup).set_result("#N/A")).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

/// The command line's arguments for `command` on `file`, with every --set of [`SETS`].
fn with_sets<'a>(command: &[&'a str]) -> Vec<&'a str> {
    let mut args = command.to_vec();
    for set in SETS {
        args.extend(["--set", set]);
    }
    args
}

#[test]
fn an_exported_proposal_becomes_a_certificate_per_awardee_with_the_decision_given_by_set() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("de-nghi.xlsx"), export(386, 166)).unwrap();
    let args = with_sets(&["render", "giay-khen", "de-nghi.xlsx", "-o", "out", "--pdf-standard", "none"]);
    let run = vanban(&args, dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let notes: Vec<&str> = run.stderr.lines().filter(|l| !l.contains(" set aside: ")).collect();
    assert_eq!(
        notes,
        [
            "note: no sheet \"Khen thưởng\": sheet \"DS de nghi KT 2023\" was read as it, \
             since its header (row 6) fits the template's columns best (read: \"STT\" from A, \"Tên gọi \
             (Ông/Bà/Chức danh)\" from B, \"Tên\" from C, \"Chức vụ\" from D, \"Loại\" from E, \"Hình thức \
             khen thưởng\" from F, \"Thành tích\" from G); choose another with --sheet NAME",
            "note: DS de nghi KT 2023: column C \"Tên tập thể/cá nhân/hộ gia đình\" is read as \"Tên\", since \
             it contains \"Tên tập thể/cá nhân\"",
            "note: DS de nghi KT 2023: column E \"Phân loại khen thưởng\" is read as \"Loại\", since it \
             contains \"Loại khen thưởng\"",
        ],
        "{}",
        run.stderr
    );
    let index = index_rows(&std::fs::read(dir.path().join("out/index.csv")).unwrap());
    assert_eq!(index.len(), 386);
    // The rows of formula errors are set aside as empty, each once, and nothing else is.
    let csv = String::from_utf8(std::fs::read(dir.path().join("out/set-aside.csv")).unwrap()).unwrap();
    let reason = "only formula errors (#N/A) and no data: taken as an empty row";
    let errors: Vec<String> = (393..=558).map(|r| format!("{SHEET},{r},{reason}")).collect();
    let listed: Vec<&str> = csv.lines().filter(|l| l.contains("formula errors")).collect();
    assert_eq!(listed, errors.iter().map(String::as_str).collect::<Vec<_>>());
    let noted = run.stderr.lines().filter(|l| l.ends_with(&format!("set aside: {reason}"))).count();
    assert_eq!(noted, 166);
    assert!(!run.stderr.contains("required"), "{}", run.stderr);
    // A household: no "Ông" before it; a person: the title before the name.
    let certificate = |name: &str| {
        let row = index.iter().find(|r| r.contains(&format!(",{name},"))).unwrap_or_else(|| panic!("{name}"));
        let file = row.split(',').nth(4).unwrap();
        let pdf = std::fs::read(dir.path().join("out").join(file)).unwrap();
        let pages = pages_text(&pdf);
        assert_eq!(pages.len(), 1, "{name}");
        pages[0].clone()
    };
    let (_, household, place, _, _) = proposal(1);
    assert_eq!(household, "Hộ gia đình ông Trần Văn Hùng");
    let text = certificate(&household);
    let wanted = [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA",
        "TẶNG",
        "GIẤY KHEN",
        "Hộ gia đình ông Trần Văn Hùng",
        &place,
        ACHIEVEMENT,
        "Quyết định số 3125/QĐ-UBND",
        "ngày 25/12/2023",
        "Khánh Hòa, ngày 25 tháng 12 năm 2023",
        "CHỦ TỊCH",
        "Nguyễn Tấn Tuân",
    ];
    assert_eq!(flat(&text), flat(&wanted.concat()), "{text}");
    let (title, person, ..) = proposal(2);
    assert_eq!((title.as_str(), person.as_str()), ("Bà", "Lê Thị Lan Anh"));
    assert_has(&certificate(&person), "Bà Lê Thị Lan Anh");
    let (_, collective, ..) = proposal(0);
    assert!(!flat(&certificate(&collective)).contains("Ông"));
}

#[test]
fn the_decisions_list_groups_collectives_individuals_and_households_with_titles_before_peoples_names() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("de-nghi.xlsx"), export(386, 166)).unwrap();
    // The decision has more to say than a certificate: its subject, bases and executors.
    let mut args = with_sets(&[
        "render",
        "quyet-dinh-khen-thuong",
        "de-nghi.xlsx",
        "-o",
        "out",
        "--pdf-standard",
        "none",
    ]);
    for set in [
        "Cơ quan cấp trên=TỈNH KHÁNH HÒA",
        "Trích yếu=Về việc khen thưởng phong trào thi đua Dân vận khéo năm 2023",
        "Căn cứ=Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Xét đề nghị của=Hội đồng Thi đua - Khen thưởng tỉnh",
        "Cơ quan thực hiện=Chánh Văn phòng Ủy ban nhân dân tỉnh",
        "Nơi nhận=- Lưu: VT.",
    ] {
        args.extend(["--set", set]);
    }
    let run = vanban(&args, dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let pdf = std::fs::read(dir.path().join("out/quyet-dinh-3125-QĐ-UBND.pdf")).unwrap();
    let text = flat(&pages_text(&pdf).join("\n"));
    assert!(
        text.contains(&flat("Điều 1. Khen thưởng 65 tập thể, 293 cá nhân và 28 hộ gia đình có tên")),
        "{text}"
    );
    let at = |wanted: &str| text.find(&flat(wanted)).unwrap_or_else(|| panic!("no {wanted:?}"));
    let groups = [at("I. TẬP THỂ (65)"), at("II. CÁ NHÂN (293)"), at("III. HỘ GIA ĐÌNH (28)")];
    assert!(groups.is_sorted(), "{groups:?}");
    // A person with the title, in the people's group; a household without one, in its own.
    let person = at("Bà Lê Thị Lan Anh");
    assert!(groups[1] < person && person < groups[2]);
    let household = at("Hộ gia đình ông Trần Văn Hùng");
    assert!(groups[2] < household);
    assert!(!text.contains(&flat("Ông Hộ gia đình")) && !text.contains(&flat("Ông Hội Nông dân")));
}
