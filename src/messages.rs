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
                "no table found ({}){}",
                header_why(why, lang),
                hint("; give its header row with --header-row N".into(), String::new())
            )
        }
        (Lang::Vi, NoTable { why }) => format!(
            "không tìm thấy bảng ({}){}",
            header_why(why, lang),
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
        (Lang::En, NoItem { item, looked_for, hint: found, .. }) => format!(
            "no item {} (looked for {} in column A{}{}){}",
            quote(item),
            list(looked_for),
            did_you_mean(found.maybe.as_deref(), item, "column A has", lang),
            hint(format!("; or give it with --set \"{item}=...\""), String::new()),
            found.instead_of.as_ref().map_or(String::new(), |s| format!(
                "; there is no sheet {}, so its items were looked for here",
                quote(s)
            ))
        ),
        (Lang::Vi, NoItem { item, looked_for, hint: found, .. }) => format!(
            "không có mục {} (đã tìm {} ở cột A{}{}){}",
            quote(item),
            list(looked_for),
            did_you_mean(found.maybe.as_deref(), item, "cột A có", lang),
            hint(String::new(), format!("; hoặc nhập bằng --set \"{item}=...\"")),
            found.instead_of.as_ref().map_or(String::new(), |s| format!(
                "; không có trang tính {} nên các mục của nó được tìm ở đây",
                quote(s)
            ))
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
        (Lang::En, NoColumn { column, field, header_row, looked_for, maybe }) => format!(
            "no column {} in the header row {header_row} (looked for {}{}{})",
            quote(column),
            list(looked_for),
            did_you_mean(maybe.as_deref(), column, "the header has", lang),
            hint(format!("; or name it with --map \"{field}=LABEL\""), String::new())
        ),
        (Lang::Vi, NoColumn { column, field, header_row, looked_for, maybe }) => format!(
            "không có cột {} ở dòng tiêu đề {header_row} (đã tìm {}{}{})",
            quote(column),
            list(looked_for),
            did_you_mean(maybe.as_deref(), column, "dòng tiêu đề có", lang),
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
        (Lang::En, UnknownSet { key, maybe }) => format!(
            "--set \"{key}=...\": no template here reads an item \"{key}\"{}",
            maybe_tail(maybe.as_deref(), lang)
        ),
        (Lang::Vi, UnknownSet { key, maybe }) => format!(
            "--set \"{key}=...\": không mẫu nào ở đây đọc mục \"{key}\"{}",
            maybe_tail(maybe.as_deref(), lang)
        ),
        (Lang::En, UnknownMap { field, maybe }) => format!(
            "--map \"{field}=...\": no template here has a field \"{field}\"{}",
            maybe_tail(maybe.as_deref(), lang)
        ),
        (Lang::Vi, UnknownMap { field, maybe }) => format!(
            "--map \"{field}=...\": không mẫu nào ở đây có trường \"{field}\"{}",
            maybe_tail(maybe.as_deref(), lang)
        ),
        (Lang::En, UnusedColumn { column, letter, maybe, field }) => match (maybe, field) {
            (Some(m), Some(f)) => format!(
                "no template here reads column {letter} {}; it may be {}{}",
                quote(column),
                quote(m),
                hint(format!(" (--map \"{f}={letter}\")"), String::new())
            ),
            _ => format!("no template here reads column {letter} {}, so it is not printed", quote(column)),
        },
        (Lang::Vi, UnusedColumn { column, letter, maybe, field }) => match (maybe, field) {
            (Some(m), Some(f)) => format!(
                "không mẫu nào ở đây đọc cột {letter} {}; có thể đó là cột {}{}",
                quote(column),
                quote(m),
                hint(String::new(), format!(" (--map \"{f}={letter}\")"))
            ),
            _ => format!("không mẫu nào ở đây đọc cột {letter} {} nên cột này không được in", quote(column)),
        },
        (Lang::En, ItemsElsewhere { wanted, sheet }) => {
            format!("no sheet {}: its items were read from sheet {}", quote(wanted), quote(sheet))
        }
        (Lang::Vi, ItemsElsewhere { wanted, sheet }) => format!(
            "không có trang tính {}: các mục của nó được đọc từ trang {}",
            quote(wanted),
            quote(sheet)
        ),
        (Lang::En, SheetPrinted { sheet, sheets }) => format!(
            "printed sheet {}, the first with a table (the workbook has {}{})",
            quote(sheet),
            list(sheets),
            hint("; choose another with --sheet NAME".into(), String::new())
        ),
        (Lang::Vi, SheetPrinted { sheet, sheets }) => format!(
            "đã in trang tính {}, trang đầu tiên có bảng (sổ tính có {}{})",
            quote(sheet),
            list(sheets),
            hint(String::new(), "; chọn trang khác bằng --sheet TÊN".into())
        ),
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
        (_, TableElsewhere { wanted, sheet, header_row, columns }) => {
            let read: Vec<String> = columns
                .iter()
                .map(|(field, letter)| match lang {
                    Lang::En => format!("{} from {letter}", quote(field)),
                    Lang::Vi => format!("{} từ cột {letter}", quote(field)),
                })
                .collect();
            match lang {
                Lang::En => format!(
                    "no sheet {}: sheet {} was read as it, since its header (row {header_row}) fits the \
                     template's columns best (read: {}){}",
                    quote(wanted),
                    quote(sheet),
                    read.join(", "),
                    hint("; choose another with --sheet NAME".into(), String::new())
                ),
                Lang::Vi => format!(
                    "không có trang tính {}: đã đọc trang {} thay thế, vì dòng tên cột của nó (dòng \
                     {header_row}) khớp nhất với các cột của mẫu (đọc {}){}",
                    quote(wanted),
                    quote(sheet),
                    read.join(", "),
                    hint(String::new(), "; chọn trang khác bằng --sheet TÊN".into())
                ),
            }
        }
        (Lang::En, ColumnContains { column, letter, field, matched }) => format!(
            "column {letter} {} is read as {}, since it contains {}",
            quote(column),
            quote(field),
            quote(matched)
        ),
        (Lang::Vi, ColumnContains { column, letter, field, matched }) => format!(
            "cột {letter} {} được đọc là cột {}, vì có chứa {}",
            quote(column),
            quote(field),
            quote(matched)
        ),
        (_, Derived { .. } | NoDecision { .. } | TwoDecisions { .. }) => decision_message(kind, lang),
    }
}

/// The texts of the problems of several decisions in one workbook and of derived items.
fn decision_message(kind: &ProblemKind, lang: Lang) -> String {
    use ProblemKind::*;
    let given = |decisions: &[(String, Vec<String>)]| {
        let each: Vec<String> = decisions
            .iter()
            .map(|(sheet, values)| match values.is_empty() {
                true => format!("{} {}", quote(sheet), lang.pick("(none)", "(không có)")),
                false => format!("{} {}", quote(sheet), quote_list(values, lang)),
            })
            .collect();
        each.join("; ")
    };
    match (lang, kind) {
        (Lang::En, Derived { item, value, from }) => {
            format!("{} not given: made from {} as {}", quote(item), quote_list(from, lang), quote(value))
        }
        (Lang::Vi, Derived { item, value, from }) => {
            format!("không ghi {}: lấy từ {} là {}", quote(item), quote_list(from, lang), quote(value))
        }
        (Lang::En, NoDecision { value, decisions }) => format!(
            "no decision sheet gives {}: {}; add it to the item \"Hình thức khen thưởng\" of its decision, or give the list a column \"Số quyết định\"",
            quote(value),
            given(decisions)
        ),
        (Lang::Vi, NoDecision { value, decisions }) => format!(
            "không trang quyết định nào có {}: {}; hãy thêm vào mục \"Hình thức khen thưởng\" của quyết định, hoặc thêm cột \"Số quyết định\" vào danh sách",
            quote(value),
            given(decisions)
        ),
        (Lang::En, TwoDecisions { value, decisions }) => format!(
            "{} is given by {} decision sheets: {}; keep it in one, or give the list a column \"Số quyết định\"",
            quote(value),
            decisions.len(),
            quote_list(decisions, lang)
        ),
        (Lang::Vi, TwoDecisions { value, decisions }) => format!(
            "{} có ở {} trang quyết định: {}; chỉ để ở một quyết định, hoặc thêm cột \"Số quyết định\" vào danh sách",
            quote(value),
            decisions.len(),
            quote_list(decisions, lang)
        ),
        // Every other kind has its text in problem_message.
        _ => format!("{kind:?}"),
    }
}

/// `; column A has "Nguoi ky": did you mean "Người ký"?` when a label that may be meant was
/// found (`has` says where).
fn did_you_mean(maybe: Option<&str>, wanted: &str, has: &str, lang: Lang) -> String {
    match maybe {
        Some(m) => {
            format!("; {has} {}: {} {}?", quote(m), lang.pick("did you mean", "có phải là"), quote(wanted))
        }
        None => String::new(),
    }
}

/// `; did you mean "Người ký"?` when a name that may be meant was found.
fn maybe_tail(maybe: Option<&str>, lang: Lang) -> String {
    maybe.map_or(String::new(), |m| format!("; {} {}?", lang.pick("did you mean", "có phải là"), quote(m)))
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
        (Lang::En, ValueError::SeveralChoices { found, named }) => {
            format!("\"{found}\" names more than one choice: {}; keep only one", quote_list(named, lang))
        }
        (Lang::Vi, ValueError::SeveralChoices { found, named }) => {
            format!("ô ghi \"{found}\" có nhiều hơn một lựa chọn: {}; chỉ giữ một", quote_list(named, lang))
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

/// An error of the library in `lang`. English is each error's own `Display`; Vietnamese
/// is written here for what a user of the page meets (the workbook cannot be read, it does
/// not fit, a document could not be made).
pub fn error(e: &crate::Error, lang: Lang) -> String {
    use crate::Error;
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        Error::Read(r) => read_error(r, lang),
        Error::Problems { template, problems } => {
            let list: Vec<String> = problems.iter().map(|p| problem(p, lang)).collect();
            format!("sổ tính chưa khớp mẫu \"{template}\": {} vấn đề: {}", problems.len(), list.join("; "))
        }
        Error::Documents { total, failures } => {
            format!("{} trong {total} văn bản không làm được", failures.len())
        }
        Error::Serve { port, source } if source.kind() == std::io::ErrorKind::AddrInUse => {
            format!("không mở được trang ở cổng {port}: cổng đang được dùng (thử --port 0)")
        }
        Error::Interrupted => "đã dừng; các tệp đã ghi đều trọn vẹn, phần còn lại chưa làm".into(),
        Error::NoSuchDocument { doc, total } => {
            format!("không có văn bản thứ {doc}; mẫu này làm {total} văn bản")
        }
        Error::NoSuchPage { page, pages } => format!("không có trang {page}; văn bản có {pages} trang"),
        Error::Blank(b) => blank_error(b, lang),
        Error::Template(crate::template::TemplateError::Unknown { name, available }) => {
            format!("không có mẫu \"{name}\"; các mẫu là: {available}")
        }
        Error::FirstDocument { template, .. } => {
            format!("sổ tính khớp mẫu \"{template}\", nhưng văn bản đầu tiên không làm được")
        }
        Error::WorkbookForTemplate { command, file, templates } => format!(
            "\"{file}\" là sổ tính, không phải mẫu: hãy ghi tên mẫu trước, như `vanban {command} MẪU {file}`; các mẫu là: {templates}"
        ),
        Error::NoWorkbook { command, template } => {
            format!("hãy ghi tên sổ tính: `vanban {command} {template} SỔ_TÍNH`")
        }
        Error::Shard(shard) => {
            format!("--shard \"{shard}\" không hợp lệ: cần K/N với 1 <= K <= N, ví dụ 2/8")
        }
        Error::Serve { port, .. } => format!("không mở được trang ở cổng {port}"),
        Error::Write { path, .. } => format!("không ghi được {}", path.display()),
        Error::Profile(crate::profile::ProfileError::Io { path, .. }) => {
            format!("không đọc được tệp hồ sơ {}", path.display())
        }
        Error::Profile(crate::profile::ProfileError::Invalid { path, line, message }) => {
            format!("tệp hồ sơ {path} sai ở dòng {line}: {message}")
        }
        Error::Template(other) => format!("mẫu bị lỗi: {other}"),
        Error::Typeset(crate::typeset::TypesetError::Font { path, message }) => {
            format!("không đọc được phông chữ ở {path}: {message}")
        }
        Error::Typeset(crate::typeset::TypesetError::Sign(e)) => {
            format!("không thêm được ô chữ ký số: {}", sign_error(e, lang))
        }
        other => format!("không làm được: {other}"),
    }
}

/// Why the empty signature field could not be added to a PDF, in `lang`.
pub fn sign_error(e: &crate::sign::SignError, lang: Lang) -> String {
    use crate::sign::SignError as S;
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        S::NoStartxref => "PDF không có startxref ở cuối tệp".into(),
        S::Syntax { object, at, expected } => {
            let object = object.map(|n| format!("đối tượng {n}, ")).unwrap_or_default();
            format!("{object}byte {at}: cần {}", sign_expected(*expected))
        }
        S::NoObject { num } => format!("đối tượng {num} không có trong bảng tham chiếu chéo"),
        S::NoTrailerKey { key } => format!("phần trailer không có /{key}"),
        S::NoPages { catalog } => format!("danh mục (đối tượng {catalog}) không có /Pages"),
        S::PageTreeCycle { num } => format!("cây trang quay lại đối tượng {num}"),
        S::HasForm => "PDF đã có biểu mẫu".into(),
        S::NoPage { page, pages } => format!("một chỗ ký nằm ở trang {page}, nhưng PDF chỉ có {pages} trang"),
        S::MediaBox { num } => format!("trang (đối tượng {num}) không có /MediaBox trực tiếp gồm bốn số"),
        S::Annots { num } => format!("/Annots của trang (đối tượng {num}) không phải mảng trực tiếp"),
        S::TooManyObjects => "PDF đã dùng hết số đối tượng, không thêm được đối tượng mới".into(),
    }
}

fn sign_expected(e: crate::sign::Expected) -> String {
    use crate::sign::Expected as X;
    match e {
        X::Startxref => "vị trí (số byte) sau startxref".into(),
        X::Xref => "bảng tham chiếu chéo dạng cổ điển (xref)".into(),
        X::Subsection => "số đối tượng đầu và số lượng của một phần bảng tham chiếu chéo".into(),
        X::Entry => "một mục bảng tham chiếu chéo (vị trí 10 chữ số, thế hệ 5 chữ số, n hoặc f)".into(),
        X::ObjectHeader { num, generation } => format!("đầu đối tượng \"{num} {generation} obj\""),
        X::Dictionary => "một từ điển (<<)".into(),
        X::Key => "một tên làm khóa của từ điển".into(),
        X::Value => "một giá trị trọn vẹn".into(),
        X::Shallower => format!("mảng và từ điển lồng nhau không quá {} tầng", crate::sign::MAX_DEPTH),
    }
}

/// Why a workbook could not be read, in `lang`.
pub fn read_error(e: &crate::workbook::ReadError, lang: Lang) -> String {
    use crate::workbook::ReadError as R;
    if lang == Lang::En {
        return e.to_string();
    }
    match e {
        R::Io { path, .. } => format!("không đọc được tệp {}", path.display()),
        R::Empty { source_name } => format!("{source_name} là tệp rỗng (0 byte), không phải sổ tính"),
        R::TooLarge { source_name, size, max } => {
            format!("{source_name} nặng {size} byte, quá mức {max} byte mà một sổ tính được phép")
        }
        R::NotAWorkbook { source_name, what } => {
            format!("{source_name} không phải sổ tính ({what}); cần tệp xlsx, xlsm, xlsb, xls hoặc ods")
        }
        R::ZipBomb { source_name, max } => format!(
            "{source_name} khi giải nén sẽ vượt {} MiB; tệp bị từ chối vì có thể là bom nén",
            max / (1024 * 1024)
        ),
        R::Damaged { source_name, format, .. } => {
            format!("{source_name} có vẻ là {format} nhưng bị hỏng, không đọc được")
        }
        R::LongText { source_name, entry, max } => format!(
            "{source_name}: phần {entry} có hơn {} MiB chữ liền một khối, nhiều hơn mọi ô có thể chứa",
            max / (1024 * 1024)
        ),
        R::TooManyCells { source_name, sheet, max } => format!(
            "{source_name}: trang tính \"{sheet}\" làm sổ tính vượt quá {} ô; sổ tính bị từ chối (nâng giới hạn bằng --max-cells N khi khởi động vanban)",
            crate::vi::format_int(*max as i64)
        ),
        R::TooMuchText { source_name, sheet, max } => format!(
            "{source_name}: chữ trong trang tính \"{sheet}\" làm sổ tính vượt quá {} MiB; sổ tính bị từ chối (nâng giới hạn bằng --max-unpacked-mb N)",
            max / (1024 * 1024)
        ),
        R::LockFile { source_name, workbook } => format!(
            "{source_name} là tệp khóa Excel tạo ra khi {workbook} đang mở, không phải sổ tính; hãy chọn {workbook}"
        ),
        R::Sheet { source_name, sheet, .. } => {
            format!("{source_name}: không đọc được trang tính \"{sheet}\"")
        }
    }
}

/// Why a row is not data, in `lang`.
pub fn row_kind(kind: crate::table::RowKind, lang: Lang) -> &'static str {
    use crate::table::RowKind as K;
    if lang == Lang::En {
        return kind.reason();
    }
    match kind {
        K::Empty => "dòng trống",
        K::Title => "dòng tiêu đề phía trên bảng",
        K::Header => "dòng tên cột",
        K::ColumnNumbers => "dòng đánh số cột",
        K::Data => "dữ liệu",
        K::Section => "dòng đề mục trong bảng",
        K::Total => "dòng tổng cộng (tổng được tính lại từ các dòng)",
        K::Rounding => "dòng làm tròn",
        K::Signature => "phần ký tên hoặc ghi chú dưới bảng",
        K::RepeatedHeader => "tên cột lặp lại (một bảng thứ hai xếp bên dưới)",
        K::Continuation => "dòng viết tiếp dòng bên trên",
    }
}

/// Why a row was set aside, in `lang`.
pub fn aside(why: &crate::bind::Aside, lang: Lang) -> String {
    use crate::bind::Aside as A;
    let vi = lang == Lang::Vi;
    match why {
        A::Row { kind } => row_kind(*kind, lang).to_string(),
        A::HeadingOrRest { above } if vi => format!(
            "dòng đề mục trong bảng, hoặc phần còn lại của dòng {above} gõ xuống dòng riêng (nếu vậy, hãy gộp hai dòng trong bảng tính)"
        ),
        A::HeadingOrRest { above } => format!(
            "section heading inside the table, or the rest of row {above} typed on a row of its own (if so, join the two in the workbook)"
        ),
        A::ContinuationUnread => lang
            .pick(
                "continues the data row above, in a column no text field reads",
                "viết tiếp dòng bên trên, nhưng ở cột không trường chữ nào đọc",
            )
            .into(),
        A::ItemUnused { item, maybe } => format!(
            "{} {} {}{}",
            lang.pick("item", "mục"),
            quote(item),
            lang.pick("is not used by this template", "không được mẫu này dùng"),
            maybe_tail(maybe.as_deref(), lang)
        ),
        A::ValueWithoutItem => {
            lang.pick("value without an item name in column A", "giá trị không có tên mục ở cột A").into()
        }
        A::BeyondColumnB => lang
            .pick(
                "cells beyond column B are not read in a key/value sheet",
                "ô ngoài cột B không được đọc trong trang tính mục – giá trị",
            )
            .into(),
        A::FormulaErrorsOnly { errors } if vi => {
            format!("chỉ có lỗi công thức ({}) mà không có dữ liệu: coi như dòng trống", errors.join(" "))
        }
        A::FormulaErrorsOnly { errors } => {
            format!("only formula errors ({}) and no data: taken as an empty row", errors.join(" "))
        }
    }
}

/// A set-aside row as one line: `"DS" row 5 set aside: …`.
pub fn set_aside(s: &crate::bind::SetAside, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{} row {} set aside: {}", s.sheet, s.row, aside(&s.why, lang)),
        Lang::Vi => format!("trang tính \"{}\" dòng {} để riêng: {}", s.sheet, s.row, aside(&s.why, lang)),
    }
}

/// Why `build` skipped a template: the sheets it lacks, and the items no sheet has.
pub fn skipped(s: &crate::Skipped, lang: Lang) -> String {
    let quoted = |items: &[String]| items.iter().map(|m| quote(m)).collect::<Vec<_>>().join(", ");
    let mut parts = Vec::new();
    if !s.missing.sheets.is_empty() {
        let has_none = lang.pick("the workbook has no sheet", "sổ tính không có trang tính");
        parts.push(format!("{has_none} {}", quoted(&s.missing.sheets)));
    }
    for (sheet, items) in &s.missing.items {
        parts.push(match lang {
            Lang::En => {
                let s = if items.len() == 1 { "" } else { "s" };
                format!("no sheet has the item{s} {} (of {})", quoted(items), quote(sheet))
            }
            Lang::Vi => format!("không trang tính nào có mục {} (của {})", quoted(items), quote(sheet)),
        });
    }
    let skipped = lang.pick("skipped", "bỏ qua");
    format!("{skipped} {}: {}", s.template, parts.join("; "))
}

/// An operating-system error (the cause of a read or write error), in `lang`.
pub fn io_error(e: &std::io::Error, lang: Lang) -> String {
    use std::io::ErrorKind as K;
    if lang == Lang::En {
        return e.to_string();
    }
    match e.kind() {
        K::NotFound => "không có tệp hoặc thư mục này".into(),
        K::PermissionDenied => "không có quyền đọc hoặc ghi ở đây".into(),
        K::AlreadyExists => "tệp đã có".into(),
        K::StorageFull => "ổ đĩa đã đầy".into(),
        K::ReadOnlyFilesystem => "ổ đĩa chỉ cho đọc".into(),
        K::IsADirectory => "đây là thư mục, không phải tệp".into(),
        K::NotADirectory => "một phần của đường dẫn không phải thư mục".into(),
        K::AddrInUse => "cổng đang được dùng".into(),
        _ => e.to_string(),
    }
}

/// Why a sheet's header is where it is, or why none was found, in `lang`.
pub fn header_why(why: &crate::table::HeaderWhy, lang: Lang) -> String {
    use crate::table::{HeaderWhy as W, SubRow};
    match (lang, why) {
        (Lang::En, W::NoLabels { top }) => {
            format!("no row among the first {top} has two or more text labels")
        }
        (Lang::Vi, W::NoLabels { top }) => {
            format!("trong {top} dòng đầu không dòng nào có từ hai ô chữ trở lên để làm tên cột")
        }
        (_, W::FirstWithLabels { row, labels, most, sub }) => {
            let mut out = match lang {
                Lang::En => {
                    format!(
                        "row {row} is the first with {labels} of the sheet's most {most} text labels in a row"
                    )
                }
                Lang::Vi => format!(
                    "dòng {row} là dòng đầu tiên có đủ ô chữ để làm tên cột: {labels} ô, dòng nhiều nhất có {most} ô"
                ),
            };
            out.push_str(&match (lang, sub) {
                (_, None) => String::new(),
                (Lang::En, Some(SubRow::Below { row })) => {
                    format!("; row {row} holds sub-labels under its labels")
                }
                (Lang::Vi, Some(SubRow::Below { row })) => format!("; dòng {row} bên dưới ghi tên cột con"),
                (Lang::En, Some(SubRow::GroupAbove { row })) => {
                    format!("; row {row} above it holds merged group labels")
                }
                (Lang::Vi, Some(SubRow::GroupAbove { row })) => {
                    format!("; dòng {row} bên trên ghi tên nhóm cột ở các ô gộp")
                }
            });
            out
        }
        (Lang::En, W::KeyValue { items }) => {
            format!("a key/value sheet: column A names {items} items, column B holds their values")
        }
        (Lang::Vi, W::KeyValue { items }) => {
            format!("bảng mục – giá trị: cột A ghi tên {items} mục, cột B ghi giá trị của từng mục")
        }
        (Lang::En, W::Given { row }) => format!("--header-row {row}"),
        (Lang::Vi, W::Given { row }) => format!("chỉ ra bằng --header-row {row}"),
        (_, W::TemplateLabels) => lang
            .pick("the row with the labels the template reads", "dòng có các tên cột mà mẫu cần đọc")
            .into(),
    }
}

/// The name of a column's type, in `lang`: "integer", "mixed (14 text, 6 numbers)".
pub fn column_type(ty: &crate::inspect::ColumnType, lang: Lang) -> String {
    use crate::inspect::ColumnType as T;
    let name = match ty {
        T::Empty => lang.pick("empty", "trống"),
        T::Integer => lang.pick("integer", "số nguyên"),
        T::Decimal => lang.pick("decimal", "số thập phân"),
        T::Percent => lang.pick("percent", "phần trăm"),
        T::Date => lang.pick("date", "ngày"),
        T::Text => lang.pick("text", "chữ"),
        T::Code => lang.pick("code", "mã số"),
        T::Boolean => lang.pick("boolean", "đúng/sai"),
        T::Mixed { text, numbers, dates, booleans } => {
            let parts: Vec<String> = [
                (*text, "text", "text", "chữ"),
                (*numbers, "number", "numbers", "số"),
                (*dates, "date", "dates", "ngày"),
                (*booleans, "boolean", "booleans", "đúng/sai"),
            ]
            .into_iter()
            .filter(|(n, ..)| *n > 0)
            .map(|(n, one, many, vi)| match lang {
                Lang::En => format!("{n} {}", if n == 1 { one } else { many }),
                Lang::Vi => format!("{n} {vi}"),
            })
            .collect();
            return format!("{} ({})", lang.pick("mixed", "lẫn lộn"), parts.join(", "));
        }
    };
    name.to_string()
}

/// A note on a column's values, in `lang`.
pub fn column_note(note: &crate::inspect::ColumnNote, lang: Lang) -> String {
    use crate::inspect::{ColumnNote as N, NotOfType};
    let example = |e: &str| format!(" (\"{e}\")");
    match (lang, note) {
        (Lang::En, N::StoredAsNumbers { count, lost_zeros: 0 }) => format!("{count} stored as numbers"),
        (Lang::En, N::StoredAsNumbers { count, lost_zeros }) => {
            format!("{count} stored as numbers ({lost_zeros} lost their leading zeros)")
        }
        (Lang::Vi, N::StoredAsNumbers { count, lost_zeros: 0 }) => format!("{count} ô lưu dạng số"),
        (Lang::Vi, N::StoredAsNumbers { count, lost_zeros }) => {
            format!("{count} ô lưu dạng số ({lost_zeros} ô đã mất số 0 ở đầu)")
        }
        (Lang::En, N::TypedAsText { count }) => format!("{count} typed as text"),
        (Lang::Vi, N::TypedAsText { count }) => format!("{count} ô gõ dạng chữ"),
        (Lang::En, N::TextNumbersParsed { count }) => {
            format!("{count} text number{} parsed", if *count == 1 { "" } else { "s" })
        }
        (Lang::Vi, N::TextNumbersParsed { count }) => {
            format!("{count} ô số gõ dạng chữ đã được đọc thành số")
        }
        (Lang::En, N::MixedStyles { english, english_example, vietnamese, vietnamese_example }) => format!(
            "mixed number styles: {english} English{}, {vietnamese} Vietnamese{}",
            example(english_example),
            example(vietnamese_example)
        ),
        (Lang::Vi, N::MixedStyles { english, english_example, vietnamese, vietnamese_example }) => format!(
            "lẫn hai cách viết số: {english} ô kiểu Anh{}, {vietnamese} ô kiểu Việt{}",
            example(english_example),
            example(vietnamese_example)
        ),
        (Lang::En, N::EnglishGrouping { example: e }) => format!("English grouping{}", example(e)),
        (Lang::Vi, N::EnglishGrouping { example: e }) => {
            format!("phân cách hàng nghìn bằng dấu phẩy kiểu Anh{}", example(e))
        }
        (Lang::En, N::EnglishPoint { example: e }) => format!("English decimal point{}", example(e)),
        (Lang::Vi, N::EnglishPoint { example: e }) => format!("dấu chấm thập phân kiểu Anh{}", example(e)),
        (_, N::NotOfType { count, what, example: e }) => {
            let what = match (lang, what, *count == 1) {
                (Lang::En, NotOfType::Number, true) => "a number",
                (Lang::En, NotOfType::Number, false) => "numbers",
                (Lang::En, NotOfType::Percentage, true) => "a percentage",
                (Lang::En, NotOfType::Percentage, false) => "percentages",
                (Lang::En, NotOfType::Date, true) => "a date",
                (Lang::En, NotOfType::Date, false) => "dates",
                (Lang::En, NotOfType::Code, true) => "a code",
                (Lang::En, NotOfType::Code, false) => "codes",
                (Lang::Vi, NotOfType::Number, _) => "số",
                (Lang::Vi, NotOfType::Percentage, _) => "tỉ lệ phần trăm",
                (Lang::Vi, NotOfType::Date, _) => "ngày",
                (Lang::Vi, NotOfType::Code, _) => "mã số",
            };
            let e = e.as_deref().map_or(String::new(), example);
            match lang {
                Lang::En => format!("{count} not {what}{e}"),
                Lang::Vi => format!("{count} ô không phải {what}{e}"),
            }
        }
    }
}

/// What a repair did to the cells, in `lang`: "TCVN3 text converted to Unicode".
pub fn repair(what: crate::inspect::Repaired, lang: Lang) -> String {
    use crate::inspect::Repaired;
    use crate::workbook::RepairKind as K;
    match (lang, what) {
        (Lang::En, Repaired::Cell(kind)) => kind.to_string(),
        (Lang::En, Repaired::TextNumber) => "text number parsed".into(),
        (Lang::Vi, Repaired::Cell(K::Legacy("TCVN3"))) => {
            "chữ gõ bằng mã TCVN3 (ABC) đã chuyển sang Unicode".into()
        }
        (Lang::Vi, Repaired::Cell(K::Legacy(encoding))) => {
            format!("chữ gõ bằng mã {encoding} đã chuyển sang Unicode")
        }
        (Lang::Vi, Repaired::Cell(K::Normalized)) => "chữ tổ hợp (NFD) đã chuẩn hóa".into(),
        (Lang::Vi, Repaired::Cell(K::Eth)) => "chữ \"Ð\" đã sửa thành \"Đ\"".into(),
        (Lang::Vi, Repaired::TextNumber) => "số gõ dạng chữ đã được đọc thành số".into(),
    }
}

/// What the reader found in one sheet, as short sentences in `lang` (the page's summary).
pub fn sheet_summary(r: &crate::inspect::SheetReport, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    let vi = lang == Lang::Vi;
    let hidden = if r.hidden { lang.pick(" (hidden)", " (ẩn)") } else { "" };
    out.push(if vi {
        format!("Trang tính \"{}\"{hidden}: {} dòng, {} cột.", r.name, r.row_count, r.column_count)
    } else {
        format!("Sheet \"{}\"{hidden}: {} rows, {} columns.", r.name, r.row_count, r.column_count)
    });
    if let Some(items) = &r.items {
        out.push(if vi {
            format!("Bảng mục – giá trị: {} mục.", items.len())
        } else {
            format!("Key/value sheet: {} items.", items.len())
        });
        return out;
    }
    let rows = |v: &[usize]| v.iter().map(ToString::to_string).collect::<Vec<_>>().join("–");
    match (r.header_rows.is_empty(), vi) {
        (true, true) => {
            out.push(format!("Không tìm thấy bảng có dòng tên cột ({}).", header_why(&r.header_why, lang)))
        }
        (true, false) => out.push("No table with a header row.".into()),
        (false, true) => out.push(format!(
            "Tên cột ở dòng {}; {} dòng dữ liệu ({}).",
            rows(&r.header_rows),
            r.data_rows.count,
            if r.data_rows.ranges.is_empty() {
                "không có".to_string()
            } else {
                format!("dòng {}", r.data_rows.ranges)
            }
        )),
        (false, false) => out.push(format!(
            "Header in row {}; {} data rows ({}).",
            rows(&r.header_rows),
            r.data_rows.count,
            r.data_rows.ranges
        )),
    }
    for s in &r.set_aside {
        out.push(if vi {
            format!("Để riêng {} dòng: {} (dòng {}).", s.rows.count, row_kind(s.kind, lang), s.rows.ranges)
        } else {
            format!("Set aside {} rows: {} (rows {}).", s.rows.count, s.reason, s.rows.ranges)
        });
    }
    for g in &r.repairs {
        let what = repair(g.what, lang);
        out.push(if vi {
            format!("Đã sửa {} ô: {what} (từ ô {}).", g.count, g.first_cells.join(", "))
        } else {
            format!("Repaired {} cells: {what} (from {}).", g.count, g.first_cells.join(", "))
        });
    }
    if !r.formula_errors_elsewhere.is_empty() {
        out.push(format!(
            "{}: {}.",
            lang.pick("Formula errors outside the table", "Lỗi công thức ngoài bảng"),
            r.formula_errors_elsewhere.join(", ")
        ));
    }
    out
}

// ---------------------------------------------------------------- blank profiles

/// Millimetres as a profile writes them: "30", "92.5".
/// ", shifted by the offset dx 40, dy 0 mm" when there is an offset.
fn shifted((dx, dy): (f64, f64), words: &str) -> String {
    if dx == 0.0 && dy == 0.0 { String::new() } else { format!(", {words} dx {}, dy {}", mm(dx), mm(dy)) }
}

fn mm(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// One problem of a blank profile, in `lang`.
pub fn blank_problem(p: &crate::blank::BlankProblem, lang: Lang) -> String {
    use crate::blank::BlankProblem as B;
    let vi = lang == Lang::Vi;
    let maybe = |m: &Option<String>| match (m, vi) {
        (Some(m), false) => format!("; did you mean \"{m}\"?"),
        (Some(m), true) => format!("; có phải \"{m}\"?"),
        (None, _) => String::new(),
    };
    match (p, vi) {
        (B::Syntax(message), false) => format!("not valid TOML: {message}"),
        (B::Syntax(message), true) => format!("không đúng cú pháp TOML: {message}"),
        (B::UnknownKey { field: None, key, maybe: m }, false) => format!("unknown key \"{key}\"{}", maybe(m)),
        (B::UnknownKey { field: None, key, maybe: m }, true) => {
            format!("khóa \"{key}\" không có trong hồ sơ phôi{}", maybe(m))
        }
        (B::UnknownKey { field: Some(f), key, maybe: m }, false) => {
            format!("unknown key \"{key}\" in [fields.{f}]{}", maybe(m))
        }
        (B::UnknownKey { field: Some(f), key, maybe: m }, true) => {
            format!("khóa \"{key}\" không có trong [fields.{f}]{}", maybe(m))
        }
        (B::UnknownField { name, maybe: m }, false) => format!(
            "unknown field \"{name}\"{}; the fields are: {}",
            maybe(m),
            crate::blank::FIELDS.join(", ")
        ),
        (B::UnknownField { name, maybe: m }, true) => format!(
            "không có trường \"{name}\"{}; các trường là: {}",
            maybe(m),
            crate::blank::FIELDS.join(", ")
        ),
        (B::MissingKey { field: None, key }, false) => format!("\"{key}\" is missing"),
        (B::MissingKey { field: None, key }, true) => format!("thiếu \"{key}\""),
        (B::MissingKey { field: Some(f), key }, false) => format!("[fields.{f}] has no \"{key}\""),
        (B::MissingKey { field: Some(f), key }, true) => format!("[fields.{f}] thiếu \"{key}\""),
        (B::WrongType { key, expected }, false) => format!("{key} must be {expected}"),
        (B::WrongType { key, expected }, true) => {
            let what = match *expected {
                "number" => "một số",
                "true or false" => "true hoặc false",
                "text" => "chữ trong ngoặc kép",
                _ => "một bảng",
            };
            format!("{key} phải là {what}")
        }
        (B::BadChoice { key, value, choices }, false) => {
            format!("{key} = \"{value}\": expected {}", choices.join(" or "))
        }
        (B::BadChoice { key, value, choices }, true) => {
            format!("{key} = \"{value}\": phải là {}", choices.join(" hoặc "))
        }
        (B::NotPositive { key, value }, false) => format!("{key} = {}: must be more than 0", mm(*value)),
        (B::NotPositive { key, value }, true) => format!("{key} = {}: phải lớn hơn 0", mm(*value)),
        (B::BadColour { key, value }, false) => {
            format!("{key} = \"{value}\": expected a colour such as \"#1a237e\"")
        }
        (B::BadColour { key, value }, true) => format!("{key} = \"{value}\": màu phải viết như \"#1a237e\""),
        (B::OutsidePaper { field, rect: (x, y, w, h), offset, paper: (pw, ph) }, false) => format!(
            "the box of {field} (x {}, y {}, w {}, h {} mm{}) reaches outside the paper ({} × {} mm)",
            mm(*x),
            mm(*y),
            mm(*w),
            mm(*h),
            shifted(*offset, "shifted by the offset"),
            mm(*pw),
            mm(*ph)
        ),
        (B::OutsidePaper { field, rect: (x, y, w, h), offset, paper: (pw, ph) }, true) => format!(
            "ô của {field} (x {}, y {}, w {}, h {} mm{}) vượt ra ngoài tờ giấy ({} × {} mm)",
            mm(*x),
            mm(*y),
            mm(*w),
            mm(*h),
            shifted(*offset, "khi dời theo độ lệch"),
            mm(*pw),
            mm(*ph)
        ),
        (B::MissingImage { path }, false) => {
            format!("the background image {} does not exist", path.display())
        }
        (B::MissingImage { path }, true) => format!("không có ảnh nền {}", path.display()),
        (B::NotAnImage { path }, false) => {
            format!("the background {} is not a PNG or JPEG image (of at most 20 MB)", path.display())
        }
        (B::NotAnImage { path }, true) => {
            format!("ảnh nền {} không phải ảnh PNG hay JPEG (tối đa 20 MB)", path.display())
        }
    }
}

/// The problems of a blank profile, one line each: "phoi.toml:7: unknown field ...".
pub fn blank_error_lines(path: &str, problems: &[crate::blank::LineProblem], lang: Lang) -> String {
    let lines: Vec<String> =
        problems.iter().map(|p| format!("{path}:{}: {}", p.line, blank_problem(&p.problem, lang))).collect();
    lines.join("\n")
}

/// Why a blank profile cannot be used, in `lang`.
pub fn blank_error(e: &crate::blank::BlankError, lang: Lang) -> String {
    use crate::blank::BlankError as B;
    match (e, lang) {
        (B::Invalid { path, problems }, _) => blank_error_lines(path, problems, lang),
        (_, Lang::En) => e.to_string(),
        (B::Io { path, .. }, Lang::Vi) => format!("không đọc được hồ sơ phôi {}", path.display()),
        (B::NoBlankPart { template }, Lang::Vi) => {
            format!(
                "mẫu \"{template}\" không in lên phôi được: chỉ giấy khen (giay-khen) in lên phôi (một mẫu in được khi thư mục của nó có blank.typ.hbs)"
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_aside_rows_and_skipped_templates_in_both_languages() {
        use crate::bind::{Aside, Missing, SetAside};
        let row = SetAside {
            sheet: "Thông tin".into(),
            row: 7,
            why: Aside::ItemUnused { item: "Nguoi ky".into(), maybe: Some("Người ký".into()) },
        };
        assert_eq!(
            set_aside(&row, Lang::En),
            "Thông tin row 7 set aside: item \"Nguoi ky\" is not used by this template; did you mean \"Người ký\"?"
        );
        assert_eq!(
            set_aside(&row, Lang::Vi),
            "trang tính \"Thông tin\" dòng 7 để riêng: mục \"Nguoi ky\" không được mẫu này dùng; có phải là \"Người ký\"?"
        );
        let total = Aside::Row { kind: crate::table::RowKind::Total };
        assert_eq!(aside(&total, Lang::Vi), "dòng tổng cộng (tổng được tính lại từ các dòng)");
        let skipped = crate::Skipped {
            template: "giay-khen".into(),
            missing: Missing {
                sheets: vec!["Khen thưởng".into()],
                items: vec![("Quyết định".into(), vec!["Số quyết định".into()])],
            },
        };
        assert_eq!(
            super::skipped(&skipped, Lang::En),
            "skipped giay-khen: the workbook has no sheet \"Khen thưởng\"; no sheet has the item \"Số quyết định\" (of \"Quyết định\")"
        );
        assert_eq!(
            super::skipped(&skipped, Lang::Vi),
            "bỏ qua giay-khen: sổ tính không có trang tính \"Khen thưởng\"; không trang tính nào có mục \"Số quyết định\" (của \"Quyết định\")"
        );
    }

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
            maybe: None,
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
    fn notes_and_suggestions_in_both_languages() {
        let unused = ProblemKind::UnusedColumn {
            column: "Thành tích đạt được".into(),
            letter: "G".into(),
            maybe: Some("Thành tích".into()),
            field: Some("thanh_tich".into()),
        };
        assert_eq!(
            problem_message(&unused, Lang::Vi, true),
            "không mẫu nào ở đây đọc cột G \"Thành tích đạt được\"; có thể đó là cột \"Thành tích\" (--map \"thanh_tich=G\")"
        );
        assert_eq!(
            problem_message(&unused, Lang::En, false),
            "no template here reads column G \"Thành tích đạt được\"; it may be \"Thành tích\""
        );
        let set = ProblemKind::UnknownSet { key: "Nguoi ky".into(), maybe: Some("Người ký".into()) };
        assert_eq!(
            problem_message(&set, Lang::Vi, true),
            "--set \"Nguoi ky=...\": không mẫu nào ở đây đọc mục \"Nguoi ky\"; có phải là \"Người ký\"?"
        );
        let elsewhere = ProblemKind::ItemsElsewhere {
            wanted: "Quyết định".into(),
            sheet: "Thông tin chung".into(),
        };
        assert_eq!(
            problem_message(&elsewhere, Lang::Vi, true),
            "không có trang tính \"Quyết định\": các mục của nó được đọc từ trang \"Thông tin chung\""
        );
    }

    #[test]
    fn what_inspect_found_in_both_languages() {
        use crate::inspect::{ColumnNote, NotOfType, Repaired};
        use crate::table::{HeaderWhy, SubRow};
        let why =
            HeaderWhy::FirstWithLabels { row: 4, labels: 5, most: 6, sub: Some(SubRow::Below { row: 5 }) };
        assert_eq!(
            header_why(&why, Lang::En),
            "row 4 is the first with 5 of the sheet's most 6 text labels in a row; row 5 holds sub-labels under its labels"
        );
        assert_eq!(
            header_why(&why, Lang::Vi),
            "dòng 4 là dòng đầu tiên có đủ ô chữ để làm tên cột: 5 ô, dòng nhiều nhất có 6 ô; dòng 5 bên dưới ghi tên cột con"
        );
        let none = ProblemKind::NoTable { why: HeaderWhy::NoLabels { top: 30 } };
        assert_eq!(
            problem_message(&none, Lang::En, true),
            "no table found (no row among the first 30 has two or more text labels); give its header row with --header-row N"
        );
        assert_eq!(
            problem_message(&none, Lang::Vi, true),
            "không tìm thấy bảng (trong 30 dòng đầu không dòng nào có từ hai ô chữ trở lên để làm tên cột); hãy chỉ ra dòng tiêu đề bằng --header-row N"
        );
        let odd =
            ColumnNote::NotOfType { count: 2, what: NotOfType::Date, example: Some("chưa rõ".into()) };
        assert_eq!(column_note(&odd, Lang::En), "2 not dates (\"chưa rõ\")");
        assert_eq!(column_note(&odd, Lang::Vi), "2 ô không phải ngày (\"chưa rõ\")");
        let zeros = ColumnNote::StoredAsNumbers { count: 10, lost_zeros: 5 };
        assert_eq!(column_note(&zeros, Lang::Vi), "10 ô lưu dạng số (5 ô đã mất số 0 ở đầu)");
        let mixed = crate::inspect::ColumnType::Mixed { text: 14, numbers: 6, dates: 0, booleans: 1 };
        assert_eq!(column_type(&mixed, Lang::En), "mixed (14 text, 6 numbers, 1 boolean)");
        assert_eq!(column_type(&mixed, Lang::Vi), "lẫn lộn (14 chữ, 6 số, 1 đúng/sai)");
        let vni = Repaired::Cell(crate::workbook::RepairKind::Legacy("VNI"));
        assert_eq!(repair(vni, Lang::En), "VNI text converted to Unicode");
        assert_eq!(repair(vni, Lang::Vi), "chữ gõ bằng mã VNI đã chuyển sang Unicode");
        assert_eq!(repair(Repaired::TextNumber, Lang::Vi), "số gõ dạng chữ đã được đọc thành số");
    }

    #[test]
    fn exported_proposals_notes_and_problems_in_both_languages() {
        let elsewhere = ProblemKind::TableElsewhere {
            wanted: "Khen thưởng".into(),
            sheet: "DS de nghi".into(),
            header_row: 6,
            columns: vec![("Tên".into(), "C".into()), ("Loại".into(), "E".into())],
        };
        assert_eq!(
            problem_message(&elsewhere, Lang::Vi, true),
            "không có trang tính \"Khen thưởng\": đã đọc trang \"DS de nghi\" thay thế, vì dòng tên cột của nó \
             (dòng 6) khớp nhất với các cột của mẫu (đọc \"Tên\" từ cột C, \"Loại\" từ cột E); chọn trang khác \
             bằng --sheet TÊN"
        );
        assert_eq!(
            problem_message(&elsewhere, Lang::En, false),
            "no sheet \"Khen thưởng\": sheet \"DS de nghi\" was read as it, since its header (row 6) fits the \
             template's columns best (read: \"Tên\" from C, \"Loại\" from E)"
        );
        let contains = ProblemKind::ColumnContains {
            column: "Phân loại khen thưởng".into(),
            letter: "E".into(),
            field: "Loại".into(),
            matched: "Loại khen thưởng".into(),
        };
        assert_eq!(
            problem_message(&contains, Lang::Vi, true),
            "cột E \"Phân loại khen thưởng\" được đọc là cột \"Loại\", vì có chứa \"Loại khen thưởng\""
        );
        let two = ValueError::SeveralChoices {
            found: "Tập thể, cá nhân".into(),
            named: ["Tập thể".into(), "Cá nhân".into()].into(),
        };
        assert_eq!(
            value_error(&two, Lang::Vi),
            "ô ghi \"Tập thể, cá nhân\" có nhiều hơn một lựa chọn: \"Tập thể\", \"Cá nhân\"; chỉ giữ một"
        );
        let errors = crate::bind::Aside::FormulaErrorsOnly { errors: vec!["#N/A".into(), "#REF!".into()] };
        assert_eq!(
            aside(&errors, Lang::En),
            "only formula errors (#N/A #REF!) and no data: taken as an empty row"
        );
        assert_eq!(
            aside(&errors, Lang::Vi),
            "chỉ có lỗi công thức (#N/A #REF!) mà không có dữ liệu: coi như dòng trống"
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
