//! Every text a person reads about a problem, in English or Vietnamese, made here from the
//! problem's data ([`crate::problem`]). The command line prints these; the web page shows
//! the Vietnamese ones without the command-line hints, since it offers the fix as an input.

use crate::manifest::FieldType;
use crate::problem::{Expected, Problem, ProblemKind, SheetFix, ValueError};

/// The language of the texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English (the command line's default).
    #[default]
    En,
    /// Vietnamese (the web page; the command line under a Vietnamese locale or `--lang vi`).
    Vi,
}

impl Lang {
    /// Vietnamese when `LC_ALL` or `LANG` (the first of them set) starts with "vi".
    pub fn from_env() -> Lang {
        let var = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find(|v| !v.is_empty())
            .unwrap_or_default();
        if var.to_ascii_lowercase().starts_with("vi") { Lang::Vi } else { Lang::En }
    }

    /// `en` or `vi` when `name` names one of them.
    pub fn parse(name: &str) -> Option<Lang> {
        match name.trim().to_ascii_lowercase().as_str() {
            "en" | "english" => Some(Lang::En),
            "vi" | "vn" | "vietnamese" | "tiếng việt" => Some(Lang::Vi),
            _ => None,
        }
    }

    /// `en` or `vi`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Vi => "vi",
        }
    }

    /// The English or the Vietnamese of a fixed text.
    pub fn pick(self, en: &'static str, vi: &'static str) -> &'static str {
        match self {
            Lang::En => en,
            Lang::Vi => vi,
        }
    }
}

/// The problem with its place first, as the command line prints it:
/// `Số liệu!C7 ("Mô hình đăng ký"): expected a whole number, found "mười"`.
pub fn problem(p: &Problem, lang: Lang) -> String {
    let body = problem_message(&p.kind, lang, true);
    match (&p.sheet, &p.cell, &p.label) {
        (Some(s), Some(c), Some(l)) => format!("{s}!{c} (\"{l}\"): {body}"),
        (Some(s), Some(c), None) => format!("{s}!{c}: {body}"),
        (Some(s), None, _) => format!("{s}: {body}"),
        _ => body,
    }
}

fn quote(s: &str) -> String {
    format!("\"{s}\"")
}

/// `"A", "B"`; an empty list of sheets reads "no sheets".
fn quote_list(items: &[String], lang: Lang) -> String {
    if items.is_empty() {
        return lang.pick("no sheets", "không có trang tính nào").to_string();
    }
    items.iter().map(|s| quote(s)).collect::<Vec<_>>().join(", ")
}

/// What is wrong, without its place. `hints` adds the command-line option that fixes it.
pub fn problem_message(kind: &ProblemKind, lang: Lang, hints: bool) -> String {
    use ProblemKind::*;
    let list = |items: &[String]| quote_list(items, lang);
    let hint = |en: String, vi: String| {
        if !hints {
            String::new()
        } else if lang == Lang::En {
            en
        } else {
            vi
        }
    };
    match (lang, kind) {
        (Lang::En, NoSheet { wanted, looked_for, sheets, fix }) => format!(
            "no sheet {} (looked for {}); the workbook has {}{}",
            quote(wanted),
            list(looked_for),
            list(sheets),
            hint(sheet_fix(*fix, lang).into(), String::new())
        ),
        (Lang::Vi, NoSheet { wanted, looked_for, sheets, fix }) => format!(
            "không có trang tính {} (đã tìm {}); sổ tính có {}{}",
            quote(wanted),
            list(looked_for),
            list(sheets),
            hint(String::new(), sheet_fix(*fix, lang).into())
        ),
        (_, NoSuchSheet { name, sheets }) => format!(
            "{}{} {}; {} {}",
            hint("--sheet: ".into(), "--sheet: ".into()),
            lang.pick("no sheet", "không có trang tính"),
            quote(name),
            lang.pick("the workbook has", "sổ tính có"),
            list(sheets)
        ),
        (Lang::En, NoTableSheet { sheets }) => {
            format!(
                "no sheet has a table with a header row; name one with --sheet (the workbook has {})",
                list(sheets)
            )
        }
        (Lang::Vi, NoTableSheet { sheets }) => format!(
            "không trang tính nào có bảng với dòng tiêu đề{} (sổ tính có {})",
            hint(String::new(), "; hãy chọn một trang bằng --sheet".into()),
            list(sheets)
        ),
        (Lang::En, NoTable { why }) => {
            format!(
                "no table found ({why}){}",
                hint("; give its header row with --header-row N".into(), String::new())
            )
        }
        (Lang::Vi, NoTable { .. }) => format!(
            "không tìm thấy bảng{}",
            hint(String::new(), "; hãy chỉ ra dòng tiêu đề bằng --header-row N".into())
        ),
        (_, HeaderRowZero) => format!(
            "--header-row 0: {}",
            lang.pick("rows are numbered from 1, as in Excel", "dòng được đánh số từ 1, như trong Excel")
        ),
        (Lang::En, HeaderRowBeyond { row, rows }) => format!("--header-row {row}: the sheet has {rows} rows"),
        (Lang::Vi, HeaderRowBeyond { row, rows }) => {
            format!("--header-row {row}: trang tính chỉ có {rows} dòng")
        }
        (_, BadValue(e)) => value_error(e, lang),
        (Lang::En, SecondValue { first }) => format!("a second value; the first is in {first}"),
        (Lang::Vi, SecondValue { first }) => format!("mục này có giá trị thứ hai; giá trị đầu ở ô {first}"),
        (_, Required) => lang.pick("a value is required", "ô này không được để trống").into(),
        (Lang::En, NoItem { item, looked_for, .. }) => format!(
            "no item {} (looked for {} in column A{})",
            quote(item),
            list(looked_for),
            hint(format!("; or give it with --set \"{item}=...\""), String::new())
        ),
        (Lang::Vi, NoItem { item, looked_for, .. }) => format!(
            "không có mục {} (đã tìm {} ở cột A{})",
            quote(item),
            list(looked_for),
            hint(String::new(), format!("; hoặc nhập bằng --set \"{item}=...\""))
        ),
        (_, BadSet { key, value, item, error }) => {
            format!("--set \"{key}={value}\" (\"{item}\"): {}", value_error(error, lang))
        }
        (Lang::En, NoHeader { wanted, searched }) => {
            format!("no header row found: none of the first {searched} rows has the labels {}", list(wanted))
        }
        (Lang::Vi, NoHeader { wanted, searched }) => format!(
            "không tìm thấy dòng tiêu đề: trong {searched} dòng đầu không dòng nào có các nhãn {}",
            list(wanted)
        ),
        (Lang::En, NoColumn { column, field, header_row, looked_for }) => format!(
            "no column {} in the header row {header_row} (looked for {}{})",
            quote(column),
            list(looked_for),
            hint(format!("; or name it with --map \"{field}=LABEL\""), String::new())
        ),
        (Lang::Vi, NoColumn { column, field, header_row, looked_for }) => format!(
            "không có cột {} ở dòng tiêu đề {header_row} (đã tìm {}{})",
            quote(column),
            list(looked_for),
            hint(String::new(), format!("; hoặc chỉ ra cột bằng --map \"{field}=NHÃN\""))
        ),
        (Lang::En, NoSectionChoice { row, column, choices }) => format!(
            "row {row}: no column {} and no section heading above the row says which ({})",
            quote(column),
            list(choices)
        ),
        (Lang::Vi, NoSectionChoice { row, column, choices }) => format!(
            "dòng {row}: không có cột {} và không đề mục nào phía trên dòng cho biết là loại nào ({})",
            quote(column),
            list(choices)
        ),
        (Lang::En, NoDataRows { header_row }) => format!("no data rows under the header row {header_row}"),
        (Lang::Vi, NoDataRows { header_row }) => {
            format!("không có dòng dữ liệu nào dưới dòng tiêu đề {header_row}")
        }
        (Lang::En, UnknownSet { key }) => {
            format!("--set \"{key}=...\": no template here reads an item \"{key}\"")
        }
        (Lang::Vi, UnknownSet { key }) => {
            format!("--set \"{key}=...\": không mẫu nào ở đây đọc mục \"{key}\"")
        }
        (Lang::En, UnknownMap { field }) => {
            format!("--map \"{field}=...\": no template here has a field \"{field}\"")
        }
        (Lang::Vi, UnknownMap { field }) => {
            format!("--map \"{field}=...\": không mẫu nào ở đây có trường \"{field}\"")
        }
        (_, MissingGlyphs { chars }) => {
            let list: Vec<String> =
                chars.iter().map(|ch| format!("\"{ch}\" (U+{:04X})", *ch as u32)).collect();
            match lang {
                Lang::En => {
                    let verb = if list.len() == 1 { "is" } else { "are" };
                    format!("{} {verb} missing from every font", list.join(", "))
                }
                Lang::Vi => format!("{} không có trong phông chữ nào", list.join(", ")),
            }
        }
        // The column is named in the place before the message.
        (Lang::En, TotalMismatch { typed, computed, .. }) => {
            format!("the total typed here is {typed}, but the rows above add up to {computed}")
        }
        (Lang::Vi, TotalMismatch { typed, computed, .. }) => {
            format!("tổng ghi ở đây là {typed}, nhưng các dòng phía trên cộng lại được {computed}")
        }
        (_, ControlChars { chars }) => {
            let list: Vec<String> = chars.iter().map(|ch| format!("U+{:04X}", *ch as u32)).collect();
            match lang {
                Lang::En => format!("control character {} will be dropped", list.join(", ")),
                Lang::Vi => format!("ký tự điều khiển {} sẽ bị bỏ", list.join(", ")),
            }
        }
    }
}

fn sheet_fix(fix: SheetFix, lang: Lang) -> &'static str {
    match fix {
        SheetFix::SetItems => lang.pick(
            "; or give its items with --set \"ITEM=VALUE\"",
            "; hoặc nhập từng mục bằng --set \"MỤC=GIÁ TRỊ\"",
        ),
        SheetFix::NameSheet => {
            lang.pick("; or name the sheet with --sheet NAME", "; hoặc chọn trang tính bằng --sheet TÊN")
        }
        SheetFix::None => "",
    }
}

/// Why a value does not fit: `expected a whole number, found "mười"`.
pub fn value_error(e: &ValueError, lang: Lang) -> String {
    match (lang, e) {
        (Lang::En, ValueError::FormulaError { error }) => format!("the cell holds the formula error {error}"),
        (Lang::Vi, ValueError::FormulaError { error }) => format!("ô chứa lỗi công thức {error}"),
        (Lang::En, ValueError::Mismatch { expected, found }) => {
            format!("expected {}, found \"{found}\"", expected_text(expected, lang))
        }
        (Lang::Vi, ValueError::Mismatch { expected, found }) => {
            format!("cần {}, nhưng ô ghi \"{found}\"", expected_text(expected, lang))
        }
        (Lang::En, ValueError::NoSuchDate { found, day, month }) => {
            format!("\"{found}\" is not a date: {} has no day {day}", month_name(*month))
        }
        (Lang::Vi, ValueError::NoSuchDate { found, day, month }) => {
            format!("\"{found}\" không phải là ngày có thật: tháng {month} không có ngày {day}")
        }
    }
}

fn month_name(month: u32) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES.get(month.saturating_sub(1) as usize).copied().unwrap_or("that month")
}

fn expected_text(e: &Expected, lang: Lang) -> String {
    match e {
        Expected::WholeNumber => lang.pick("a whole number", "một số nguyên").into(),
        Expected::Number => lang.pick("a number", "một số").into(),
        Expected::Percentage => lang.pick("a percentage", "một tỉ lệ phần trăm").into(),
        Expected::Date => lang.pick("a date (dd/mm/yyyy)", "một ngày (ngày/tháng/năm)").into(),
        Expected::YesNo => lang.pick("Có or Không", "Có hoặc Không").into(),
        Expected::OneOf { choices } => {
            format!("{} {}", lang.pick("one of", "một trong"), quote_list(choices, lang))
        }
    }
}

/// The name of a field type, for the web page's inputs.
pub fn field_type(ty: FieldType, lang: Lang) -> &'static str {
    match ty {
        FieldType::Text => lang.pick("text", "chữ"),
        FieldType::Integer => lang.pick("whole number", "số nguyên"),
        FieldType::Decimal => lang.pick("number", "số"),
        FieldType::Percent => lang.pick("percentage", "phần trăm"),
        FieldType::Date => lang.pick("date", "ngày"),
        FieldType::Boolean => lang.pick("yes/no", "có/không"),
        FieldType::Choice => lang.pick("choice", "lựa chọn"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_problem_in_both_languages() {
        let p = Problem {
            sheet: Some("Số liệu".into()),
            cell: Some("C7".into()),
            label: Some("Mô hình đăng ký".into()),
            kind: ProblemKind::BadValue(ValueError::Mismatch {
                expected: Expected::WholeNumber,
                found: "mười".into(),
            }),
        };
        assert_eq!(
            problem(&p, Lang::En),
            "Số liệu!C7 (\"Mô hình đăng ký\"): expected a whole number, found \"mười\""
        );
        assert_eq!(
            problem(&p, Lang::Vi),
            "Số liệu!C7 (\"Mô hình đăng ký\"): cần một số nguyên, nhưng ô ghi \"mười\""
        );
        let missing = ProblemKind::NoColumn {
            column: "Đơn vị".into(),
            field: "don_vi".into(),
            header_row: 3,
            looked_for: vec!["Đơn vị".into(), "Tên đơn vị".into()],
        };
        assert_eq!(
            problem_message(&missing, Lang::Vi, false),
            "không có cột \"Đơn vị\" ở dòng tiêu đề 3 (đã tìm \"Đơn vị\", \"Tên đơn vị\")"
        );
        assert!(
            problem_message(&missing, Lang::En, true).ends_with("; or name it with --map \"don_vi=LABEL\")")
        );
        let total = ProblemKind::TotalMismatch {
            column: "Số tiền".into(),
            typed: "4.000.000".into(),
            computed: "3.500.000".into(),
        };
        assert_eq!(
            problem_message(&total, Lang::Vi, false),
            "tổng ghi ở đây là 4.000.000, nhưng các dòng phía trên cộng lại được 3.500.000"
        );
        assert_eq!(
            problem_message(&total, Lang::En, false),
            "the total typed here is 4.000.000, but the rows above add up to 3.500.000"
        );
    }

    #[test]
    fn no_such_date_names_the_month() {
        let e = ValueError::NoSuchDate { found: "31/11/2025".into(), day: 31, month: 11 };
        assert_eq!(value_error(&e, Lang::En), "\"31/11/2025\" is not a date: November has no day 31");
        assert_eq!(
            value_error(&e, Lang::Vi),
            "\"31/11/2025\" không phải là ngày có thật: tháng 11 không có ngày 31"
        );
    }
}
