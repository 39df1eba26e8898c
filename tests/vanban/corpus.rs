//! The error corpus: bad and odd inputs, each with the exact exit code and messages the user
//! sees. One table; the expected output lives in `tests/golden/error-corpus.txt`, reviewed like
//! code and regenerated with UPDATE_GOLDEN=1.

use super::*;

/// A workbook file for one case: raw bytes, or the 2023 sample changed by a closure.
enum Input {
    Bytes(Vec<u8>),
    Sample(fn(&mut Book)),
    None,
}

struct Case {
    name: &'static str,
    file: &'static str,
    input: Input,
    /// Arguments; "WB" stands for the workbook file.
    args: &'static [&'static str],
    /// Writes templates or other files into the case's folder first (under `mau/`).
    setup: Option<fn(&Path)>,
}

fn sample_bytes() -> Vec<u8> {
    sample_data::khanh_hoa_2023().to_xlsx()
}

/// A zip whose directory declares an entry of 4 GiB: refused before unpacking.
fn zip_bomb() -> Vec<u8> {
    let mut bytes = sample_bytes();
    // Patch the first central-directory entry's uncompressed size to u32::MAX - 1.
    let at = bytes.windows(4).position(|w| w == [0x50, 0x4b, 0x01, 0x02]).unwrap();
    bytes[at + 24..at + 28].copy_from_slice(&(u32::MAX - 1).to_le_bytes());
    bytes
}

/// The award list with a "Tổng cộng" row typed 500.000 more than its rows add up to.
fn wrong_award_total(b: &mut Book) {
    let rows = b.sheet_mut("Khen thưởng");
    let sum: f64 =
        rows.iter().filter_map(|r| if let Some(V::N(x)) = r.get(7) { Some(*x) } else { None }).sum();
    let mut total = vec![V::Blank; 9];
    total[0] = s("Tổng cộng");
    total[7] = n(sum + 500_000.0);
    rows.push(total);
}

fn cases() -> Vec<Case> {
    use Input::*;
    let c = |name, file, input, args| Case { name, file, input, args, setup: Option::None };
    let check: &[&str] = &["check", "bao-cao-tong-ket", "WB"];
    let awards: &[&str] = &["check", "giay-khen", "WB"];
    vec![
        c("empty file", "rong.xlsx", Bytes(Vec::new()), check),
        c("plain text named xlsx", "ghi-chu.xlsx", Bytes(b"STT;Don vi\n1;Nha Trang\n".to_vec()), check),
        c("a PDF named xlsx", "bao-cao.xlsx", Bytes(b"%PDF-1.7\n%\xe2\xe3".to_vec()), check),
        c("an HTML page saved as xls", "tai-ve.xls", Bytes(b"<!DOCTYPE html><html><body>".to_vec()), check),
        c("a zip without a workbook", "nen.xlsx", Bytes(zip_of(&[("readme.txt", b"x")])), check),
        c("a Word document", "to-trinh.xlsx", Bytes(zip_of(&[("word/document.xml", b"<w/>")])), check),
        c("a truncated xlsx", "cut.xlsx", Bytes(sample_bytes()[..3000].to_vec()), check),
        c(
            "an OLE file with garbage",
            "hong.xls",
            Bytes([&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1][..], &[0; 600]].concat()),
            check,
        ),
        c("a zip bomb disguised as xlsx", "bom.xlsx", Bytes(zip_bomb()), check),
        c(
            "a cell reference past Excel's last column",
            "lon.xlsx",
            Bytes(huge_reference()),
            &["inspect", "WB"],
        ),
        c(
            "one far cell at XFD1048576 next to a small table (a sparse sheet still reads)",
            "xa.xlsx",
            Bytes(far_cell()),
            &["inspect", "WB"],
        ),
        c(
            "one far cell at XFD1048576 with --max-cells 1000000",
            "xa.xlsx",
            Bytes(far_cell()),
            &["check", "bao-cao-tong-ket", "WB", "--max-cells", "1000000"],
        ),
        c(
            "a sheet that inflates past --max-unpacked-mb 1",
            "phinh.xlsx",
            Bytes(inflating(2 << 20)),
            &["check", "bao-cao-tong-ket", "WB", "--max-unpacked-mb", "1"],
        ),
        c(
            "a sheet that inflates past the default 256 MiB",
            "phinh.xlsx",
            Bytes(inflating(257 << 20)),
            &["inspect", "WB"],
        ),
        c(
            "one cell of 5 MiB of text (a 5 KB file)",
            "dai.xlsx",
            Bytes(xlsx_of(
                &format!(
                    r#"<row r="1"><c r="A1" t="inlineStr"><is><t>{}</t></is></c></row>"#,
                    "a".repeat(5 << 20)
                ),
                zip::CompressionMethod::Deflated,
            )),
            &["inspect", "WB"],
        ),
        c("a file that does not exist", "khong-co.xlsx", None, check),
        c("an unknown template", "mau.xlsx", Bytes(sample_bytes()), &["check", "bao-cao-nam", "WB"]),
        c("no key/value sheet", "x.xlsx", Sample(|b| b.sheets.retain(|(n, _)| n != "Thông tin")), check),
        c("a missing column", "x.xlsx", Sample(|b| b.sheet_mut("Số liệu")[0][2] = s("Số mô hình")), check),
        c("words in a number column", "x.xlsx", Sample(|b| b.sheet_mut("Số liệu")[3][2] = s("mười")), check),
        c(
            "a decimal in a whole-number column",
            "x.xlsx",
            Sample(|b| b.sheet_mut("Số liệu")[3][2] = s("12,5")),
            check,
        ),
        c(
            "0.500 is not five hundred",
            "x.xlsx",
            Sample(|b| b.sheet_mut("Số liệu")[3][2] = s("0.500")),
            check,
        ),
        c(
            "a month 13 date",
            "x.xlsx",
            Sample(|b| b.set_item("Thông tin", "Ngày ban hành", s("09/13/2024"))),
            check,
        ),
        c(
            "a required item left empty",
            "x.xlsx",
            Sample(|b| b.set_item("Thông tin", "Người ký", V::Blank)),
            check,
        ),
        c(
            "a choice outside the list",
            "x.xlsx",
            Sample(|b| b.set_item("Thông tin", "Loại văn bản", s("UBND"))),
            check,
        ),
        c(
            "an item given twice",
            "x.xlsx",
            Sample(|b| b.sheet_mut("Thông tin").push(vec![s("Người ký"), s("Lê Văn C")])),
            check,
        ),
        c(
            "a header nobody can find",
            "x.xlsx",
            Sample(|b| b.sheet_mut("Số liệu")[0].iter_mut().for_each(|c| *c = s("?"))),
            check,
        ),
        c("a table with no rows", "x.xlsx", Sample(|b| b.sheet_mut("Số liệu").truncate(1)), check),
        c(
            "Chinese and an emoji (PDF/A)",
            "x.xlsx",
            Sample(|b| b.sheet_mut("Số liệu")[2][1] = s("Thị xã 漢字 🎉")),
            check,
        ),
        c(
            "Chinese with --pdf-standard none",
            "x.xlsx",
            Sample(|b| b.sheet_mut("Số liệu")[2][1] = s("Thị xã 漢字")),
            &["check", "bao-cao-tong-ket", "WB", "--pdf-standard", "none"],
        ),
        c(
            "a control character",
            "x.xlsx",
            Sample(|b| b.sheet_mut("Số liệu")[2][1] = s("Thị xã\u{7}Ninh Hòa")),
            check,
        ),
        c(
            "a control character with --strict",
            "x.xlsx",
            Sample(|b| b.sheet_mut("Số liệu")[2][1] = s("Thị xã\u{7}Ninh Hòa")),
            &["check", "bao-cao-tong-ket", "WB", "--strict"],
        ),
        c(
            "an awardee without a name",
            "x.xlsx",
            Sample(|b| b.sheet_mut("Khen thưởng")[4][1] = V::Blank),
            awards,
        ),
        c("an amount in words", "x.xlsx", Sample(|b| b.sheet_mut("Khen thưởng")[4][7] = s("abc")), awards),
        c("a typed total its rows do not add up to", "x.xlsx", Sample(wrong_award_total), awards),
        c(
            "neither collective nor individual",
            "x.xlsx",
            Sample(|b| b.sheet_mut("Khen thưởng")[4][2] = s("Gia đình")),
            awards,
        ),
        c(
            "--set with a bad date",
            "x.xlsx",
            Sample(|_| {}),
            &["check", "bao-cao-tong-ket", "WB", "--set", "Ngày ban hành=hôm qua"],
        ),
        c(
            "--set of an unknown item",
            "x.xlsx",
            Sample(|_| {}),
            &["check", "bao-cao-tong-ket", "WB", "--set", "Người duyệt=A"],
        ),
        c(
            "--set without =",
            "x.xlsx",
            Sample(|_| {}),
            &["check", "bao-cao-tong-ket", "WB", "--set", "Người ký"],
        ),
        c(
            "--map of an unknown field",
            "x.xlsx",
            Sample(|_| {}),
            &["check", "bao-cao-tong-ket", "WB", "--map", "tong=Tổng"],
        ),
        c(
            "--map to a label that is not there",
            "x.xlsx",
            Sample(|b| b.sheet_mut("Số liệu")[0][2] = s("ĐK")),
            &["check", "bao-cao-tong-ket", "WB", "--map", "dang_ky=Đăng ký"],
        ),
        c(
            "--map to a column letter",
            "x.xlsx",
            Sample(|b| b.sheet_mut("Số liệu")[0][2] = s("ĐK")),
            &["check", "bao-cao-tong-ket", "WB", "--map", "dang_ky=C"],
        ),
        c(
            "--sheet that does not exist",
            "x.xlsx",
            Sample(|_| {}),
            &["check", "giay-khen", "WB", "--sheet", "Danh sách"],
        ),
        c(
            "--header-row 0",
            "x.xlsx",
            Sample(|_| {}),
            &["check", "bao-cao-tong-ket", "WB", "--header-row", "0"],
        ),
        c(
            "--header-row past the end",
            "x.xlsx",
            Sample(|_| {}),
            &["check", "bao-cao-tong-ket", "WB", "--header-row", "500"],
        ),
        c(
            "--header-row on a data row",
            "x.xlsx",
            Sample(|_| {}),
            &["check", "bao-cao-tong-ket", "WB", "--header-row", "3"],
        ),
        c(
            "an appendix of a sheet with no table",
            "x.xlsx",
            Sample(|b| b.sheets.iter_mut().for_each(|(_, rows)| rows.iter_mut().for_each(|r| r.truncate(1)))),
            &["check", "bang-bieu", "WB"],
        ),
        c("a shard of 0", "x.xlsx", Sample(|_| {}), &["build", "WB", "-o", "out", "--shard", "0/3"]),
        c(
            "a shard that is not K/N",
            "x.xlsx",
            Sample(|_| {}),
            &["build", "WB", "-o", "out", "--shard", "hai"],
        ),
        c("an xlsx named .pdf is still read", "bao-cao.pdf", Sample(|_| {}), check),
        c(
            "a header typed with Alt+Enter that no field reads",
            "x.xlsx",
            Sample(|b| b.sheet_mut("Khen thưởng")[0][6] = s("Thanh tich\ndat duoc")),
            awards,
        ),
        c(
            "a header that holds a field's label",
            "x.xlsx",
            Sample(|b| b.sheet_mut("Khen thưởng")[0][6] = s("Thành tích\nđạt được")),
            awards,
        ),
        c(
            "an award list on a sheet no name finds",
            "x.xlsx",
            Sample(|b| {
                b.sheets
                    .iter_mut()
                    .filter(|(n, _)| n == "Khen thưởng")
                    .for_each(|(n, _)| *n = "DS đề nghị 2023".into())
            }),
            awards,
        ),
        c(
            "no sheet fits the award list",
            "x.xlsx",
            Sample(|b| b.sheets.retain(|(n, _)| n != "Khen thưởng")),
            awards,
        ),
        c(
            "a kind that names two choices",
            "x.xlsx",
            Sample(|b| b.sheet_mut("Khen thưởng")[4][2] = s("Tập thể, cá nhân")),
            awards,
        ),
        c(
            "an exported proposal with rows of #N/A under it",
            "de-nghi.xlsx",
            Bytes(super::proposals::export(3, 2)),
            &[
                "check",
                "giay-khen",
                "WB",
                "--set",
                "Loại văn bản=Nhà nước",
                "--set",
                "Cơ quan ban hành=ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA",
                "--set",
                "Địa danh=Khánh Hòa",
                "--set",
                "Số quyết định=3125/QĐ-UBND",
                "--set",
                "Ngày quyết định=25/12/2023",
                "--set",
                "Chủ thể quyết định=CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA",
                "--set",
                "Chức vụ người ký=CHỦ TỊCH",
                "--set",
                "Người ký=Nguyễn Tấn Tuân",
            ],
        ),
        c(
            "an item typed without diacritics",
            "x.xlsx",
            Sample(|b| {
                let rows = b.sheet_mut("Thông tin");
                let at = rows.iter().position(|r| r[0] == s("Người ký")).unwrap();
                rows[at][0] = s("Nguoi ky");
            }),
            check,
        ),
        c(
            "an optional item typed without diacritics",
            "x.xlsx",
            Sample(|b| {
                let rows = b.sheet_mut("Thông tin");
                let at = rows.iter().position(|r| r[0] == s("Thẩm quyền ký")).unwrap();
                rows[at][0] = s("Tham quyen ky");
            }),
            check,
        ),
        c(
            "a column typed without diacritics",
            "x.xlsx",
            Sample(|b| b.sheet_mut("Số liệu")[0][2] = s("Mo hinh dang ky")),
            check,
        ),
        c(
            "--set of an item typed without diacritics",
            "x.xlsx",
            Sample(|_| {}),
            &["check", "bao-cao-tong-ket", "WB", "--set", "Nguoi ky=Lê Văn C"],
        ),
        c(
            "--map of a field typed without diacritics",
            "x.xlsx",
            Sample(|_| {}),
            &["check", "bao-cao-tong-ket", "WB", "--map", "Don vi=B"],
        ),
        c(
            "all items typed on one sheet",
            "x.xlsx",
            Sample(super::mistakes::put_items_on_one_sheet),
            &["check", "quyet-dinh-khen-thuong", "WB"],
        ),
        c(
            "Excel's lock file instead of the workbook",
            "~$ds.xlsx",
            Bytes(b"\x0cNguyen Van A                                    ".to_vec()),
            &["check", "giay-khen", "~$ds.xlsx"],
        ),
        c(
            "-o naming an existing file",
            "x.xlsx",
            Sample(|_| {}),
            &["render", "bao-cao-tong-ket", "WB", "-o", "WB"],
        ),
        c("the template forgotten", "ds.xlsx", Sample(|_| {}), &["render", "WB", "-o", "out"]),
        c("the workbook forgotten", "x.xlsx", Sample(|_| {}), &["check", "giay-khen"]),
        c("an appendix without --sheet", "x.xlsx", Sample(|_| {}), &["check", "bang-bieu", "WB"]),
        c("a sheet name with odd spacing", "x.xlsx", Sample(|b| b.sheets[1].0 = " Số  liệu ".into()), check),
        c(
            "several decisions: a row whose award no decision gives",
            "x.xlsx",
            Sample(award_of_nobody),
            awards,
        ),
        c("several decisions: an award two decisions give", "x.xlsx", Sample(award_given_twice), awards),
        c(
            "one decision without its kind and deciding body: both made",
            "x.xlsx",
            Sample(one_decision_without_kind_and_body),
            &["check", "quyet-dinh-khen-thuong", "WB"],
        ),
        c(
            "a decision given only with --set, an item missing",
            "x.xlsx",
            Sample(|b| b.sheets.retain(|(n, _)| n == "Khen thưởng")),
            &[
                "check",
                "giay-khen",
                "WB",
                "--set",
                "Số quyết định=12/QĐ-UBND",
                "--set",
                "Loại văn bản=Nhà nước",
            ],
        ),
        c(
            "several decisions, one without its award forms",
            "x.xlsx",
            Sample(|b| {
                b.sheet_mut("Quyết định UBND").retain(|r| r.first() != Some(&s("Hình thức khen thưởng")))
            }),
            awards,
        ),
        c(
            "several decisions: one that leaves its deciding body out",
            "x.xlsx",
            Sample(|_| {}),
            &["check", "quyet-dinh-khen-thuong", "WB"],
        ),
        c(
            "a TCVN3 list: the title and header in .VnTimeH, names in .VnTime, a row with no TCVN3 font",
            "abc.xlsx",
            Bytes(tcvn3_fonts()),
            &["inspect", "WB"],
        ),
    ]
}

/// The 2023 sample with one awardee given an award none of its three decisions lists.
fn award_of_nobody(b: &mut Book) {
    b.sheet_mut("Khen thưởng")[5][5] = s("Bằng khen của Thủ tướng Chính phủ");
}

/// The 2023 sample whose UBND decision also lists the Ban's Giấy khen.
fn award_given_twice(b: &mut Book) {
    let rows = b.sheet_mut("Quyết định UBND");
    let at = rows.iter().position(|r| r.first() == Some(&s("Hình thức khen thưởng"))).unwrap();
    rows.insert(at + 1, vec![V::Blank, s("Giấy khen của Ban Dân vận Tỉnh ủy")]);
}

/// The one-decision form of the sample with neither "Loại văn bản" nor "Chủ thể quyết định".
fn one_decision_without_kind_and_body(b: &mut Book) {
    *b = sample_data::khanh_hoa_2023_one_decision();
    b.sheet_mut("Quyết định").retain(|r| r.first() != Some(&s("Chủ thể quyết định")));
    b.sheet_mut("Thông tin").retain(|r| r.first() != Some(&s("Loại văn bản")));
}

/// A list typed with the ABC fonts: capitals in `.VnTimeH` ("B¸O C¸O" prints "BÁO CÁO"), names
/// in `.VnTime`, and one name typed in capitals in Arial (no font to tell: its letters do).
fn tcvn3_fonts() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet().set_name("DS").unwrap();
    let font = |name: &str| rust_xlsxwriter::Format::new().set_font_name(name);
    let (capitals, as_typed, arial) = (font(".VnTimeH"), font(".VnTime"), font("Arial"));
    ws.write_with_format(0, 0, "Danh s¸ch c¸n bé ®\u{AD}îc khen th\u{AD}ëng", &capitals).unwrap();
    for (c, label) in ["STT", "Hä vµ tªn", "Chøc vô"].iter().enumerate() {
        ws.write_with_format(2, c as u16, *label, &capitals).unwrap();
    }
    let people = [("NguyÔn ThÞ ¸nh", "Tr\u{AD}ëng phßng"), ("TrÇn V¨n B×nh", "Chuyªn viªn")];
    for (i, (name, post)) in people.iter().enumerate() {
        let r = 3 + i as u32;
        ws.write(r, 0, (i + 1) as f64).unwrap();
        ws.write_with_format(r, 1, *name, &as_typed).unwrap();
        ws.write_with_format(r, 2, *post, &as_typed).unwrap();
    }
    ws.write(5, 0, 3.0).unwrap();
    ws.write_with_format(5, 1, "§INH V¡N H¶I", &arial).unwrap();
    ws.write_with_format(5, 2, "Phã tr\u{AD}ëng phßng", &arial).unwrap();
    book.save_to_buffer().unwrap()
}

/// Cases about changing a template: each edits a copy of a built-in one in `mau/`.
fn template_cases() -> Vec<Case> {
    use Input::*;
    let t = |name, setup: fn(&Path), args| Case {
        name,
        file: "x.xlsx",
        input: Sample(|_| {}),
        args,
        setup: Some(setup),
    };
    let sentence: fn(&Path) = |dir| {
        override_template(dir, "giay-khen", |s| {
            s.replace("[TẶNG]),\n", "[TẶNG]),\n    Chúc mừng các đồng chí\n")
        })
    };
    let no_loai: fn(&mut Book) = |b| b.sheet_mut("Khen thưởng").iter_mut().for_each(|r| drop(r.remove(2)));
    vec![
        t(
            "a plain sentence inside code, in a batch",
            sentence,
            &["render", "giay-khen", "WB", "-o", "out", "--templates", "mau"],
        ),
        t(
            "a plain sentence inside code, at check",
            sentence,
            &["check", "giay-khen", "WB", "--templates", "mau"],
        ),
        t(
            "a warning from the template, in a batch",
            |dir| {
                override_template(dir, "bao-cao-don-vi", |s| {
                    format!("{s}#text(font: \"Khong Co Font\")[x]\n")
                })
            },
            &["render", "bao-cao-don-vi", "WB", "--zip", "out", "--templates", "mau"],
        ),
        t(
            "plain text inside #{ }",
            |dir| override_template(dir, "bao-cao-tong-ket", |s| format!("{s}#{{\n  Xin chào các bạn\n}}\n")),
            &["check", "bao-cao-tong-ket", "WB", "--templates", "mau"],
        ),
        t(
            "an unknown function",
            |dir| {
                override_template(dir, "bao-cao-tong-ket", |s| {
                    s.replace("\n\n#header(", "\n#khong-co-ham(1)\n#header(")
                })
            },
            &["check", "bao-cao-tong-ket", "WB", "--templates", "mau"],
        ),
        t(
            "a field that does not exist (strict mode)",
            |dir| {
                override_template(dir, "bao-cao-tong-ket", |s| {
                    format!("{s}{{{{#each units}}}}{{{{ten_don_vi}}}}{{{{/each}}}}\n")
                })
            },
            &["check", "bao-cao-tong-ket", "WB", "--templates", "mau"],
        ),
        t(
            "a field that does not exist, in a path",
            |dir| {
                override_template(dir, "giay-khen", |s| {
                    s.replace("\" - \" + {{str row.ten}}", "\" - \" + {{str row.ho_ten}}")
                })
            },
            &["check", "giay-khen", "WB", "--templates", "mau"],
        ),
        Case {
            name: "certificates need no Loại column",
            file: "x.xlsx",
            input: Sample(no_loai),
            args: &["check", "giay-khen", "WB"],
            setup: Option::None,
        },
        Case {
            name: "the decision still needs it",
            file: "x.xlsx",
            input: Sample(no_loai),
            args: &["check", "quyet-dinh-khen-thuong", "WB"],
            setup: Option::None,
        },
        t(
            "export over files that exist",
            |dir| {
                std::fs::create_dir_all(dir.join("mau/giay-khen")).unwrap();
                std::fs::write(dir.join("mau/giay-khen/template.typ.hbs"), "của tôi").unwrap();
            },
            &["templates", "--export", "mau"],
        ),
        t(
            "a fill-in workbook over a file that exists",
            |_| {},
            &["templates", "giay-khen", "--workbook", "WB"],
        ),
    ]
}

/// A minimal xlsx whose one cell has a reference far beyond Excel's columns (calamine's
/// parser overflows on it): found by the property test of damaged workbooks.
fn huge_reference() -> Vec<u8> {
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="{}1" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>"#,
        "Z".repeat(40)
    );
    zip_of(&[
        ("[Content_Types].xml", br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#),
        ("_rels/.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
        ("xl/workbook.xml", br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
        ("xl/_rels/workbook.xml.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ])
}

/// A 1.5 KB xlsx: a small table at A1 and one stray cell at XFD1048576, Excel's last cell
/// (calamine's range of it would be 549 GB).
pub(super) fn far_cell() -> Vec<u8> {
    let rows = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>STT</t></is></c><c r="B1" t="inlineStr"><is><t>Đơn vị</t></is></c></row><row r="2"><c r="A2"><v>1</v></c><c r="B2" t="inlineStr"><is><t>Nha Trang</t></is></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>"#;
    let bytes = xlsx_of(rows, zip::CompressionMethod::Deflated);
    assert!(bytes.len() < 2000, "{} bytes", bytes.len());
    bytes
}

/// An xlsx whose sheet is `size` bytes of empty rows: highly compressible, so the file is a
/// thousandth of that.
pub(super) fn inflating(size: usize) -> Vec<u8> {
    let rows = "<row/>".repeat(size / 6);
    xlsx_of(&rows, zip::CompressionMethod::Deflated)
}

/// The parts of a one-sheet xlsx around `sheet_data`, compressed with `method`.
fn xlsx_of(sheet_data: &str, method: zip::CompressionMethod) -> Vec<u8> {
    use std::io::Write;
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_data}</sheetData></worksheet>"#
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(method).compression_level(Some(1));
    for (name, bytes) in workbook_parts() {
        zip.start_file(name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    zip.write_all(sheet.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

/// The parts of a one-sheet xlsx but the sheet.
fn workbook_parts() -> [(&'static str, &'static [u8]); 4] {
    [
        ("[Content_Types].xml", br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#),
        ("_rels/.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
        ("xl/workbook.xml", br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
        ("xl/_rels/workbook.xml.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#),
    ]
}

/// A zip archive holding `files`, stored.
fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in files {
        zip.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn every_bad_or_odd_input_gets_its_exact_message() {
    let mut cases = cases();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    cases.extend(template_cases());
    let mut out = String::new();
    for case in &cases {
        let dir = tempfile::tempdir().unwrap();
        match &case.input {
            Input::Bytes(b) => std::fs::write(dir.path().join(case.file), b).unwrap(),
            Input::Sample(edit) => {
                let mut book = sample_data::khanh_hoa_2023();
                edit(&mut book);
                std::fs::write(dir.path().join(case.file), book.to_xlsx()).unwrap();
            }
            Input::None => {}
        }
        if let Some(setup) = case.setup {
            setup(dir.path());
        }
        let args: Vec<&str> = case.args.iter().map(|a| if *a == "WB" { case.file } else { a }).collect();
        let run = vanban(&args, dir.path());
        // The OS error text differs between systems; the rest is exact.
        let stderr = run.stderr.replace("No such file or directory (os error 2)", "<not found>");
        out.push_str(&format!(
            "## {}\n$ vanban {}\nexit {}\n{}{}\n",
            case.name,
            args.join(" "),
            run.code,
            run.stdout,
            stderr
        ));
        assert!(!stderr.contains("panicked"), "{}: {stderr}", case.name);
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            // A batch writes index.csv even when every document failed.
            .filter(|n| n != "mau" && !(case.setup.is_some() && n == "out"))
            .collect();
        assert!(
            run.code == 0 || left.len() <= 1,
            "{}: a failed run leaves nothing behind, found {left:?}",
            case.name
        );
    }
    let golden = root().join("tests/golden/error-corpus.txt");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &out).unwrap();
    }
    let want = std::fs::read_to_string(&golden).expect("golden file; run with UPDATE_GOLDEN=1 to create it");
    if out != want {
        let first = out.lines().zip(want.lines()).position(|(a, b)| a != b).unwrap_or(0);
        panic!(
            "messages changed at line {}:\n  now:  {:?}\n  was:  {:?}\nreview and rerun with UPDATE_GOLDEN=1",
            first + 1,
            out.lines().nth(first),
            want.lines().nth(first)
        );
    }
}
