//! Printing onto pre-printed blanks ("phôi giấy khen"): a blank profile says where on the
//! sheet each field of a certificate goes, and the certificate is then printed as its
//! variable text alone, each field in its box, shifted by the printer's offset.
//!
//! ```toml
//! paper = "a4"                 # a4 | a3
//! orientation = "landscape"    # landscape | portrait
//! offset = { dx = 0.0, dy = 0.0 }   # mm, added to every box
//! background = "phoi-a4.png"   # optional: the scanned blank, for previews only
//! [fields.ten]                 # one table per field
//! x = 30.0
//! y = 92.0
//! w = 237.0
//! h = 16.0                     # mm from the sheet's top-left corner
//! size = 26
//! bold = true
//! align = "center"             # left | center | right
//! show = true
//! ```
//!
//! A profile is checked like a workbook: every problem is found, each with its line, and
//! nothing is printed until there is none. Their text is made in [`crate::messages`].

use crate::messages::{self, Lang};
use std::path::{Path, PathBuf};
use toml_edit::{ImDocument, Item, TableLike};
use typst::foundations::Bytes;

/// The fields a blank can hold, in the order they are printed.
pub const FIELDS: [&str; 11] = [
    "co_quan",
    "hinh_thuc",
    "ten",
    "chuc_vu_don_vi",
    "thanh_tich",
    "quyet_dinh",
    "so_vang",
    "dia_danh_ngay",
    "tham_quyen",
    "chuc_vu_ky",
    "nguoi_ky",
];

/// The keys a field's table may have.
const FIELD_KEYS: [&str; 12] =
    ["x", "y", "w", "h", "size", "min_size", "bold", "italic", "colour", "color", "align", "show"];

/// The keys of the profile itself.
const TOP_KEYS: [&str; 5] = ["paper", "orientation", "offset", "background", "fields"];

/// A background image larger than this is refused (a scan at 300 dpi is a few MB).
const MAX_IMAGE_BYTES: u64 = 20 * 1024 * 1024;

/// The paper of a blank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    /// 210 × 297 mm.
    A4,
    /// 297 × 420 mm.
    A3,
}

impl Paper {
    /// Its name in a profile ("a4").
    pub fn name(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::A3 => "a3",
        }
    }

    /// Width and height in millimetres, portrait.
    fn portrait_mm(self) -> (f64, f64) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::A3 => (297.0, 420.0),
        }
    }
}

/// How the sheet lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orientation {
    /// Wider than high (certificates).
    Landscape,
    /// Higher than wide.
    Portrait,
}

/// Where a field's text sits across its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Against the left edge.
    Left,
    /// Centred.
    Center,
    /// Against the right edge.
    Right,
}

impl Align {
    fn name(self) -> &'static str {
        match self {
            Align::Left => "left",
            Align::Center => "center",
            Align::Right => "right",
        }
    }
}

/// One field's box and look.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldBox {
    /// The field (one of [`FIELDS`]).
    pub name: &'static str,
    /// Millimetres from the sheet's left edge to the box's.
    pub x: f64,
    /// Millimetres from the sheet's top edge to the box's.
    pub y: f64,
    /// The box's width in millimetres.
    pub w: f64,
    /// The box's height in millimetres.
    pub h: f64,
    /// The text's size in points, before it shrinks to fit.
    pub size: f64,
    /// The smallest size it may shrink to, in points.
    pub min_size: f64,
    /// Bold.
    pub bold: bool,
    /// Italic.
    pub italic: bool,
    /// The text's colour, "#rrggbb".
    pub colour: String,
    /// Across the box.
    pub align: Align,
    /// Whether it prints at all (a blank may have the award word printed already).
    pub show: bool,
}

/// A blank profile: the paper, the printer's offset, the optional scanned blank and each
/// field's box.
#[derive(Debug, Clone, PartialEq)]
pub struct BlankProfile {
    /// The paper.
    pub paper: Paper,
    /// How it lies.
    pub orientation: Orientation,
    /// Millimetres added to every box across and down (the printer's offset).
    pub offset: (f64, f64),
    /// The scanned blank (PNG or JPEG), for previews only; relative to the profile's folder.
    pub background: Option<PathBuf>,
    /// The fields it has, in [`FIELDS`] order; a field it lacks is not printed.
    pub fields: Vec<FieldBox>,
}

/// What is wrong at one line of a profile.
#[derive(Debug, Clone, PartialEq)]
pub enum BlankProblem {
    /// The file is not TOML; the parser's message.
    Syntax(String),
    /// A key the profile (or a field's table, `field` set) does not have.
    UnknownKey {
        /// The field's table it is in, if any.
        field: Option<String>,
        /// The key.
        key: String,
        /// The known key it is closest to.
        maybe: Option<String>,
    },
    /// A field name that is not one of [`FIELDS`].
    UnknownField {
        /// The name.
        name: String,
        /// The known field it is closest to.
        maybe: Option<String>,
    },
    /// A key without which the profile or field cannot be used.
    MissingKey {
        /// The field, if the key belongs to one.
        field: Option<String>,
        /// The key.
        key: String,
    },
    /// A value of the wrong kind ("x" given as text).
    WrongType {
        /// The key (`fields.ten.x`).
        key: String,
        /// What it must be: "number", "true or false", "text", "table".
        expected: &'static str,
    },
    /// A value that is not one of its choices (`paper = "a5"`).
    BadChoice {
        /// The key.
        key: String,
        /// The value.
        value: String,
        /// The choices.
        choices: &'static [&'static str],
    },
    /// A width, height or size that is zero or negative.
    NotPositive {
        /// The key (`fields.ten.w`).
        key: String,
        /// Its value.
        value: f64,
    },
    /// A colour that is not "#rrggbb" or "#rgb".
    BadColour {
        /// The key.
        key: String,
        /// The value.
        value: String,
    },
    /// A field's box reaches outside the paper.
    OutsidePaper {
        /// The field.
        field: String,
        /// The box: x, y, w, h in mm.
        rect: (f64, f64, f64, f64),
        /// The profile's offset (dx, dy in mm), which shifts the box.
        offset: (f64, f64),
        /// The paper's width and height in mm, as it lies.
        paper: (f64, f64),
    },
    /// The background image cannot be read.
    MissingImage {
        /// The file, as resolved.
        path: PathBuf,
    },
    /// The background file is not a PNG or JPEG image (or is too large).
    NotAnImage {
        /// The file.
        path: PathBuf,
    },
}

/// One problem of a profile with its line (from 1).
#[derive(Debug, Clone, PartialEq)]
pub struct LineProblem {
    /// The line of the profile.
    pub line: usize,
    /// What is wrong there.
    pub problem: BlankProblem,
}

/// Why a blank profile cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum BlankError {
    /// The file could not be read.
    #[error("cannot read the blank profile {path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The profile has problems, each at its line.
    #[error("{}", messages::blank_error_lines(path, problems, Lang::En))]
    Invalid {
        /// The profile, as named to the user.
        path: String,
        /// Every problem, in line order.
        problems: Vec<LineProblem>,
    },
    /// The template has no blank part (`blank.typ.hbs`) to print onto blanks with.
    #[error(
        "template \"{template}\" cannot print onto blanks: only certificates (giay-khen) do (a template does when its folder has a blank.typ.hbs)"
    )]
    NoBlankPart {
        /// The template.
        template: String,
    },
}

/// The line (from 1) of byte `at` of `text`.
fn line_at(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].matches('\n').count() + 1
}

/// Reads a profile while gathering its problems.
struct Reader<'a> {
    text: &'a str,
    problems: Vec<LineProblem>,
}

impl Reader<'_> {
    fn push(&mut self, span: Option<std::ops::Range<usize>>, problem: BlankProblem) {
        let line = span.map_or(1, |s| line_at(self.text, s.start));
        self.problems.push(LineProblem { line, problem });
    }

    fn number(&mut self, key: &str, item: &Item) -> Option<f64> {
        let v = item.as_float().or_else(|| item.as_integer().map(|i| i as f64));
        if v.is_none() {
            self.push(item.span(), BlankProblem::WrongType { key: key.to_string(), expected: "number" });
        }
        v
    }

    fn boolean(&mut self, key: &str, item: &Item) -> Option<bool> {
        let v = item.as_bool();
        if v.is_none() {
            self.push(
                item.span(),
                BlankProblem::WrongType { key: key.to_string(), expected: "true or false" },
            );
        }
        v
    }

    fn string<'i>(&mut self, key: &str, item: &'i Item) -> Option<&'i str> {
        let v = item.as_str();
        if v.is_none() {
            self.push(item.span(), BlankProblem::WrongType { key: key.to_string(), expected: "text" });
        }
        v
    }

    fn choice<T: Copy>(
        &mut self,
        key: &str,
        item: &Item,
        choices: &'static [&'static str],
        values: &[T],
    ) -> Option<T> {
        let s = self.string(key, item)?;
        let found = choices.iter().position(|c| c.eq_ignore_ascii_case(s.trim()));
        if found.is_none() {
            let problem = BlankProblem::BadChoice { key: key.to_string(), value: s.to_string(), choices };
            self.push(item.span(), problem);
        }
        found.map(|i| values[i])
    }

    /// The keys of `table` that are not in `known`, as problems.
    fn unknown_keys(&mut self, table: &dyn TableLike, known: &[&str], field: Option<&str>) {
        for (key, _) in table.iter() {
            if known.contains(&key) {
                continue;
            }
            let span = table.get_key_value(key).and_then(|(k, _)| k.span());
            let maybe = crate::bind::closest([key], known.iter().map(|k| (*k, k.to_string())));
            let problem =
                BlankProblem::UnknownKey { field: field.map(str::to_string), key: key.to_string(), maybe };
            self.push(span, problem);
        }
    }
}

impl BlankProfile {
    /// Reads a profile from TOML text: `path` names it in errors, `dir` is the folder a
    /// relative background path is read from.
    pub fn from_toml(text: &str, path: &str, dir: &Path) -> Result<BlankProfile, BlankError> {
        BlankProfile::parse(text, path, Some(dir))
    }

    /// Reads a profile given as text from outside (the web page): the same checks as
    /// [`BlankProfile::from_toml`], except that `background` is kept as a file name only,
    /// never opened: whoever sent the text sends the image too
    /// ([`Blank::with_image`]), so a profile cannot make the server read its files.
    pub fn from_toml_text(text: &str, path: &str) -> Result<BlankProfile, BlankError> {
        let mut profile = BlankProfile::parse(text, path, None)?;
        profile.background = profile.background.as_deref().and_then(file_name).map(PathBuf::from);
        Ok(profile)
    }

    /// `dir` is the folder a background is read from; `None`: it is not read at all.
    fn parse(text: &str, path: &str, dir: Option<&Path>) -> Result<BlankProfile, BlankError> {
        let invalid = |problems| BlankError::Invalid { path: path.to_string(), problems };
        let doc = ImDocument::parse(text.to_string()).map_err(|e| {
            let line = e.span().map_or(1, |s| line_at(text, s.start));
            let message = e.message().trim().to_string();
            invalid(vec![LineProblem { line, problem: BlankProblem::Syntax(message) }])
        })?;
        let mut r = Reader { text, problems: Vec::new() };
        let root = doc.as_table();
        r.unknown_keys(root, &TOP_KEYS, None);
        let paper = match root.get("paper") {
            Some(item) => r.choice("paper", item, &["a4", "a3"], &[Paper::A4, Paper::A3]),
            None => {
                r.push(None, BlankProblem::MissingKey { field: None, key: "paper".into() });
                None
            }
        };
        let orientation = match root.get("orientation") {
            Some(item) => r.choice(
                "orientation",
                item,
                &["landscape", "portrait"],
                &[Orientation::Landscape, Orientation::Portrait],
            ),
            None => Some(Orientation::Landscape),
        };
        let offset = root.get("offset").map_or((0.0, 0.0), |item| read_offset(&mut r, item));
        let background = root.get("background").and_then(|item| {
            let name = r.string("background", item)?;
            let Some(dir) = dir else { return Some(PathBuf::from(name)) };
            let file = dir.join(name);
            if let Some(problem) = image_problem(&file) {
                r.push(item.span(), problem);
            }
            Some(file)
        });
        let mut fields = Vec::new();
        if let Some(item) = root.get("fields") {
            match item.as_table_like() {
                Some(table) => fields = read_fields(&mut r, table),
                None => {
                    r.push(item.span(), BlankProblem::WrongType { key: "fields".into(), expected: "table" })
                }
            }
        }
        if let (Some(paper), Some(orientation)) = (paper, orientation) {
            let size = sheet_mm(paper, orientation);
            // Where the box prints: shifted by the offset. A field not printed may be anywhere.
            let (dx, dy) = offset;
            for (f, span) in fields.iter().filter(|(f, _)| f.show) {
                let (x, y) = (f.x + dx, f.y + dy);
                let inside = x >= -1e-9 && y >= -1e-9 && x + f.w <= size.0 + 1e-9 && y + f.h <= size.1 + 1e-9;
                if !inside {
                    let problem = BlankProblem::OutsidePaper {
                        field: f.name.to_string(),
                        rect: (f.x, f.y, f.w, f.h),
                        offset,
                        paper: size,
                    };
                    r.push(span.clone(), problem);
                }
            }
        }
        let mut problems = r.problems;
        if !problems.is_empty() {
            problems.sort_by_key(|p| p.line);
            return Err(invalid(problems));
        }
        let (Some(paper), Some(orientation)) = (paper, orientation) else {
            return Err(invalid(Vec::new()));
        };
        let mut fields: Vec<FieldBox> = fields.into_iter().map(|(f, _)| f).collect();
        fields.sort_by_key(|f| FIELDS.iter().position(|n| *n == f.name));
        Ok(BlankProfile { paper, orientation, offset, background, fields })
    }

    /// Reads a profile file.
    pub fn read(path: &Path) -> Result<BlankProfile, BlankError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| BlankError::Io { path: path.to_path_buf(), source })?;
        let dir = path.parent().unwrap_or(Path::new("."));
        BlankProfile::from_toml(&text, &path.display().to_string(), dir)
    }

    /// The sheet's width and height in millimetres, as it lies.
    pub fn sheet_mm(&self) -> (f64, f64) {
        sheet_mm(self.paper, self.orientation)
    }

    /// The field's box, if the profile has it.
    pub fn field(&self, name: &str) -> Option<&FieldBox> {
        self.fields.iter().find(|f| f.name == name)
    }
}

fn sheet_mm(paper: Paper, orientation: Orientation) -> (f64, f64) {
    let (w, h) = paper.portrait_mm();
    match orientation {
        Orientation::Portrait => (w, h),
        Orientation::Landscape => (h, w),
    }
}

/// Why `file` cannot be a background, if it cannot.
fn image_problem(file: &Path) -> Option<BlankProblem> {
    let Ok(meta) = std::fs::metadata(file) else {
        return Some(BlankProblem::MissingImage { path: file.to_path_buf() });
    };
    let mut head = [0u8; 8];
    let read = std::fs::File::open(file).and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head));
    let known = head.starts_with(b"\x89PNG\r\n\x1a\n") || head.starts_with(&[0xFF, 0xD8, 0xFF]);
    match read {
        Err(_) if meta.is_file() => Some(BlankProblem::NotAnImage { path: file.to_path_buf() }),
        Err(_) => Some(BlankProblem::MissingImage { path: file.to_path_buf() }),
        Ok(()) if !known || meta.len() > MAX_IMAGE_BYTES => {
            Some(BlankProblem::NotAnImage { path: file.to_path_buf() })
        }
        Ok(()) => None,
    }
}

/// The last part of a path as given ("phoi.png" of "../anh/phoi.png"), if it has one.
pub fn file_name(path: &Path) -> Option<&str> {
    let name = path.to_str()?.rsplit(['/', '\\']).next()?;
    (!name.is_empty() && name != ".." && name != ".").then_some(name)
}

/// Why `bytes` (named `name`) cannot be a background, if they cannot: not a PNG or JPEG, or
/// larger than a scan needs.
pub fn image_bytes_problem(bytes: &[u8], name: &str) -> Option<BlankProblem> {
    let known = bytes.starts_with(b"\x89PNG\r\n\x1a\n") || bytes.starts_with(&[0xFF, 0xD8, 0xFF]);
    (!known || bytes.len() as u64 > MAX_IMAGE_BYTES).then(|| BlankProblem::NotAnImage { path: name.into() })
}

fn read_offset(r: &mut Reader, item: &Item) -> (f64, f64) {
    let Some(table) = item.as_table_like() else {
        r.push(item.span(), BlankProblem::WrongType { key: "offset".into(), expected: "table" });
        return (0.0, 0.0);
    };
    r.unknown_keys(table, &["dx", "dy"], Some("offset"));
    let mut get =
        |key: &str| table.get(key).and_then(|v| r.number(&format!("offset.{key}"), v)).unwrap_or(0.0);
    (get("dx"), get("dy"))
}

/// Every field of `table` that reads, with the span of its table (for a box outside the
/// paper); the problems of the others are gathered.
fn read_fields(r: &mut Reader, table: &dyn TableLike) -> Vec<(FieldBox, Option<std::ops::Range<usize>>)> {
    let mut out = Vec::new();
    for (name, item) in table.iter() {
        let key_span = table.get_key_value(name).and_then(|(k, _)| k.span());
        let Some(known) = FIELDS.iter().find(|f| **f == name) else {
            let maybe = crate::bind::closest([name], FIELDS.iter().map(|f| (*f, f.to_string())));
            r.push(key_span, BlankProblem::UnknownField { name: name.to_string(), maybe });
            continue;
        };
        let span = item.span().or(key_span);
        let Some(t) = item.as_table_like() else {
            r.push(span, BlankProblem::WrongType { key: format!("fields.{name}"), expected: "table" });
            continue;
        };
        if let Some(f) = read_field(r, known, t, span.clone()) {
            out.push((f, span));
        }
    }
    out
}

fn read_field(
    r: &mut Reader,
    name: &'static str,
    t: &dyn TableLike,
    span: Option<std::ops::Range<usize>>,
) -> Option<FieldBox> {
    r.unknown_keys(t, &FIELD_KEYS, Some(name));
    let before = r.problems.len();
    let key = |k: &str| format!("fields.{name}.{k}");
    let number = |r: &mut Reader, k: &str, default: Option<f64>, positive: bool| -> Option<f64> {
        let Some(item) = t.get(k) else {
            if default.is_none() {
                r.push(
                    span.clone(),
                    BlankProblem::MissingKey { field: Some(name.to_string()), key: k.to_string() },
                );
            }
            return default;
        };
        let v = r.number(&key(k), item)?;
        if positive && v <= 0.0 {
            r.push(item.span(), BlankProblem::NotPositive { key: key(k), value: v });
        }
        Some(v)
    };
    let x = number(r, "x", None, false);
    let y = number(r, "y", None, false);
    let w = number(r, "w", None, true);
    let h = number(r, "h", None, true);
    let size = number(r, "size", Some(14.0), true);
    let min_size = number(r, "min_size", Some(6.0), true);
    let flag = |r: &mut Reader, k: &str, default: bool| {
        t.get(k).and_then(|v| r.boolean(&key(k), v)).unwrap_or(default)
    };
    let bold = flag(r, "bold", false);
    let italic = flag(r, "italic", false);
    let show = flag(r, "show", true);
    let align = t
        .get("align")
        .and_then(|v| {
            r.choice(
                &key("align"),
                v,
                &["left", "center", "right"],
                &[Align::Left, Align::Center, Align::Right],
            )
        })
        .unwrap_or(Align::Center);
    let colour_key = if t.contains_key("colour") { "colour" } else { "color" };
    let colour = match t.get(colour_key) {
        Some(item) => r.string(&key(colour_key), item).and_then(|c| {
            let c = parse_colour(c);
            if c.is_none() {
                let value = item.as_str().unwrap_or_default().to_string();
                r.push(item.span(), BlankProblem::BadColour { key: key(colour_key), value });
            }
            c
        }),
        None => Some("#000000".to_string()),
    };
    if r.problems.len() > before {
        return None;
    }
    Some(FieldBox {
        name,
        x: x?,
        y: y?,
        w: w?,
        h: h?,
        size: size?,
        min_size: min_size?,
        bold,
        italic,
        colour: colour?,
        align,
        show,
    })
}

/// "#rrggbb" from "#rrggbb" or "#rgb".
fn parse_colour(s: &str) -> Option<String> {
    let hex = s.trim().strip_prefix('#')?;
    if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    match hex.len() {
        6 => Some(format!("#{}", hex.to_ascii_lowercase())),
        3 => Some(format!("#{}", hex.chars().flat_map(|c| [c, c]).collect::<String>().to_ascii_lowercase())),
        _ => None,
    }
}

/// What each field holds, for the comments of a written profile: (English, Vietnamese).
fn field_description(name: &str) -> (&'static str, &'static str) {
    match name {
        "co_quan" => ("the issuing body's line", "dòng cơ quan, người tặng"),
        "hinh_thuc" => (
            "the award word (GIẤY KHEN, BẰNG KHEN); off when the blank has it printed",
            "hình thức khen; tắt khi phôi đã in sẵn",
        ),
        "ten" => ("the awardee's name (with Ông/Bà where given)", "tên tập thể, cá nhân được khen"),
        "chuc_vu_don_vi" => ("position and unit", "chức vụ, đơn vị"),
        "thanh_tich" => ("the achievement", "thành tích"),
        "quyet_dinh" => ("the decision's number and date", "số và ngày quyết định"),
        "so_vang" => ("the register number", "số sổ vàng"),
        "dia_danh_ngay" => ("place and date", "địa danh, ngày tháng năm"),
        "tham_quyen" => ("the signer's authority (K/T ...)", "thẩm quyền ký"),
        "chuc_vu_ky" => ("the signer's title", "chức vụ người ký"),
        "nguoi_ky" => ("the signer's name", "họ tên người ký"),
        _ => ("", ""),
    }
}

/// A field's short name in Vietnamese, as the page labels its box ("Tên", "Người ký").
pub fn field_label(name: &str) -> &'static str {
    match name {
        "co_quan" => "Cơ quan",
        "hinh_thuc" => "Hình thức khen",
        "ten" => "Tên người được khen",
        "chuc_vu_don_vi" => "Chức vụ, đơn vị",
        "thanh_tich" => "Thành tích",
        "quyet_dinh" => "Số, ngày quyết định",
        "so_vang" => "Số sổ vàng",
        "dia_danh_ngay" => "Địa danh, ngày",
        "tham_quyen" => "Thẩm quyền ký",
        "chuc_vu_ky" => "Chức vụ người ký",
        "nguoi_ky" => "Người ký",
        _ => "",
    }
}

/// The built-in A4 landscape boxes, for a common blank whose emblem, national name and
/// title are printed at the top: (field, x, y, w, h, size, bold, italic, colour, align, show).
type Builtin = (&'static str, f64, f64, f64, f64, f64, bool, bool, &'static str, Align, bool);
const BUILTIN_A4: [Builtin; 11] = [
    ("co_quan", 30.0, 62.0, 237.0, 12.0, 16.0, true, false, "#000000", Align::Center, true),
    ("hinh_thuc", 30.0, 75.0, 237.0, 15.0, 36.0, true, false, "#b3001b", Align::Center, false),
    ("ten", 30.0, 92.0, 237.0, 16.0, 26.0, true, false, "#1a237e", Align::Center, true),
    ("chuc_vu_don_vi", 30.0, 109.0, 237.0, 10.0, 16.0, false, false, "#000000", Align::Center, true),
    ("thanh_tich", 30.0, 120.0, 237.0, 22.0, 16.0, false, true, "#000000", Align::Center, true),
    ("quyet_dinh", 30.0, 160.0, 110.0, 10.0, 12.0, false, false, "#000000", Align::Left, true),
    ("so_vang", 30.0, 171.0, 110.0, 7.0, 12.0, false, false, "#000000", Align::Left, true),
    ("dia_danh_ngay", 160.0, 146.0, 107.0, 8.0, 13.0, false, true, "#000000", Align::Center, true),
    ("tham_quyen", 160.0, 154.0, 107.0, 7.0, 13.0, true, false, "#000000", Align::Center, true),
    ("chuc_vu_ky", 160.0, 161.0, 107.0, 8.0, 13.0, true, false, "#000000", Align::Center, true),
    ("nguoi_ky", 160.0, 186.0, 107.0, 9.0, 14.0, true, false, "#000000", Align::Center, true),
];

impl BlankProfile {
    /// The built-in profile for `paper`, landscape: the A4 boxes, scaled for A3.
    pub fn builtin(paper: Paper) -> BlankProfile {
        let k = match paper {
            Paper::A4 => 1.0,
            Paper::A3 => 420.0 / 297.0,
        };
        // Half millimetres and half points: what one can measure and type.
        let half = |v: f64| (v * k * 2.0).round() / 2.0;
        let fields = BUILTIN_A4
            .iter()
            .map(|&(name, x, y, w, h, size, bold, italic, colour, align, show)| FieldBox {
                name,
                x: half(x),
                y: half(y),
                w: half(w),
                h: half(h),
                size: half(size),
                min_size: 6.0,
                bold,
                italic,
                colour: colour.to_string(),
                align,
                show,
            })
            .collect();
        BlankProfile {
            paper,
            orientation: Orientation::Landscape,
            offset: (0.0, 0.0),
            background: None,
            fields,
        }
    }

    /// The profile as JSON for the web page: the paper and its size in mm as it lies, the
    /// offset, the background's file name, and each field's box and look with its
    /// Vietnamese label and description.
    pub fn to_json(&self) -> serde_json::Value {
        let (w, h) = self.sheet_mm();
        let fields: Vec<serde_json::Value> = self
            .fields
            .iter()
            .map(|f| {
                serde_json::json!({
                    "name": f.name, "label": field_label(f.name), "description": field_description(f.name).1,
                    "x": f.x, "y": f.y, "w": f.w, "h": f.h, "size": f.size, "min_size": f.min_size,
                    "bold": f.bold, "italic": f.italic, "colour": f.colour, "align": f.align.name(),
                    "show": f.show,
                })
            })
            .collect();
        serde_json::json!({
            "paper": self.paper.name(),
            "orientation": match self.orientation {
                Orientation::Landscape => "landscape",
                Orientation::Portrait => "portrait",
            },
            "sheet": { "w": w, "h": h },
            "offset": { "dx": self.offset.0, "dy": self.offset.1 },
            "background": self.background.as_deref().and_then(file_name),
            "fields": fields,
        })
    }

    /// The profile as TOML, each field with a comment saying what it holds, in English and
    /// Vietnamese; [`BlankProfile::from_toml`] reads it back the same.
    pub fn to_toml(&self) -> String {
        let (w, h) = self.sheet_mm();
        let mut out = String::new();
        out.push_str(
            "# A blank profile for `vanban render giay-khen WORKBOOK --blank THIS.toml`: where each\n",
        );
        out.push_str(
            "# field of a certificate prints on a pre-printed blank, in millimetres from the sheet's\n",
        );
        out.push_str("# top-left corner (x across, y down; w, h the box), the text's size in points.\n");
        out.push_str(
            "# Hồ sơ phôi: vị trí từng trường trên phôi, tính bằng mm từ góc trên bên trái tờ giấy.\n",
        );
        out.push_str(&format!(
            "# The sheet is {w} × {h} mm. Print `--calibrate` to check it against a blank.\n\n"
        ));
        out.push_str(&format!("paper = \"{}\"                 # a4 | a3\n", self.paper.name()));
        let orientation = match self.orientation {
            Orientation::Landscape => "landscape",
            Orientation::Portrait => "portrait",
        };
        out.push_str(&format!("orientation = \"{orientation}\"    # landscape | portrait\n"));
        out.push_str(&format!(
            "offset = {{ dx = {:.1}, dy = {:.1} }}   # mm added to every box: the printer's offset (độ lệch máy in)\n",
            self.offset.0, self.offset.1
        ));
        match &self.background {
            Some(p) => {
                out.push_str(&format!("background = {}\n", toml_edit::Value::from(p.display().to_string())))
            }
            None => out.push_str(
                "# background = \"phoi.png\"   # the scanned blank (PNG, JPEG), for previews only\n",
            ),
        }
        for f in &self.fields {
            let (en, vi) = field_description(f.name);
            out.push_str(&format!("\n# {}: {en} ({vi})\n[fields.{}]\n", f.name, f.name));
            out.push_str(&format!("x = {:.1}\ny = {:.1}\nw = {:.1}\nh = {:.1}\n", f.x, f.y, f.w, f.h));
            out.push_str(&format!("size = {:.1}\n", f.size));
            if f.min_size != 6.0 {
                out.push_str(&format!("min_size = {:.1}\n", f.min_size));
            }
            out.push_str(&format!("bold = {}\nitalic = {}\n", f.bold, f.italic));
            out.push_str(&format!(
                "colour = \"{}\"\nalign = \"{}\"\nshow = {}\n",
                f.colour,
                f.align.name(),
                f.show
            ));
        }
        out
    }
}

/// A profile ready to print with: in preview mode, with its background image read.
#[derive(Debug, Clone)]
pub struct Blank {
    /// The profile.
    pub profile: BlankProfile,
    /// Whether the documents are previews (the scanned blank under the text) rather than
    /// for printing.
    pub preview: bool,
    background: Option<(String, Bytes)>,
}

impl Blank {
    /// Prepares `profile`; a preview reads its background image (if it names one).
    pub fn new(profile: BlankProfile, preview: bool) -> Result<Blank, BlankError> {
        let mut background = None;
        if let (true, Some(path)) = (preview, &profile.background) {
            let bytes =
                std::fs::read(path).map_err(|source| BlankError::Io { path: path.clone(), source })?;
            let ext = if bytes.starts_with(&[0xFF, 0xD8]) { "jpg" } else { "png" };
            background = Some((format!("/blank-background.{ext}"), Bytes::new(bytes)));
        }
        Ok(Blank { profile, preview, background })
    }

    /// Prepares `profile` with the scanned blank given as bytes (PNG or JPEG, checked by
    /// [`image_bytes_problem`]) rather than read from its `background` path, which is not
    /// opened: a preview shows `image`, a print shows none.
    pub fn with_image(profile: BlankProfile, preview: bool, image: Option<Vec<u8>>) -> Blank {
        let background = image.filter(|_| preview).map(|bytes| {
            let ext = if bytes.starts_with(&[0xFF, 0xD8]) { "jpg" } else { "png" };
            (format!("/blank-background.{ext}"), Bytes::new(bytes))
        });
        Blank { profile, preview, background }
    }

    /// The files a document of this blank brings besides its source (the background).
    pub fn attachments(&self) -> Vec<(&str, Bytes)> {
        self.background.iter().map(|(p, b)| (p.as_str(), b.clone())).collect()
    }

    /// The fields as Typst data, every field or only those shown.
    fn fields_literal(&self, all: bool) -> String {
        let mut out = String::from("(\n");
        for f in self.profile.fields.iter().filter(|f| all || f.show) {
            out.push_str(&format!(
                "    (name: \"{}\", x: {}mm, y: {}mm, w: {}mm, h: {}mm, size: {}pt, min: {}pt, weight: \"{}\", style: \"{}\", fill: rgb(\"{}\"), to: {}, shown: {}),\n",
                f.name,
                f.x,
                f.y,
                f.w,
                f.h,
                f.size,
                f.min_size,
                if f.bold { "bold" } else { "regular" },
                if f.italic { "italic" } else { "normal" },
                f.colour,
                f.align.name(),
                f.show,
            ));
        }
        out.push_str("  )");
        out
    }

    fn sheet_args(&self) -> String {
        let (w, h) = self.profile.sheet_mm();
        format!(
            "width: {w}mm, height: {h}mm, dx: {}mm, dy: {}mm",
            self.profile.offset.0, self.profile.offset.1
        )
    }

    /// The Typst source of one certificate: `texts` (the template's blank part, which
    /// defines `blank-texts`) and the sheet with each shown field in its box.
    pub fn source(&self, texts: &str) -> String {
        let background = match &self.background {
            Some((path, _)) => format!("\"{path}\""),
            None => "none".into(),
        };
        format!(
            "#import \"/lib/blank.typ\": *\n{texts}\n#blank-sheet(\n  {},\n  background: {background},\n  fields: {},\n  texts: blank-texts,\n)\n",
            self.sheet_args(),
            self.fields_literal(false)
        )
    }

    /// The Typst source of the calibration sheet: the grid, every field's box with crosses at
    /// its corners and its name, shifted by the offset.
    pub fn calibration_source(&self) -> String {
        let (w, h) = self.profile.sheet_mm();
        let (dx, dy) = self.profile.offset;
        let note = format!(
            "{} {} {w} × {h} mm · offset dx = {dx} mm, dy = {dy} mm · lưới 1 mm, nhãn mỗi 10 mm",
            self.profile.paper.name().to_uppercase(),
            match self.profile.orientation {
                Orientation::Landscape => "landscape",
                Orientation::Portrait => "portrait",
            },
        );
        format!(
            "#import \"/lib/blank.typ\": *\n#set document(title: \"Calibration\")\n#blank-calibration(\n  {},\n  fields: {},\n  note: {},\n)\n",
            self.sheet_args(),
            self.fields_literal(true),
            crate::template::string_literal(&note)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str, lang: Lang) -> String {
        let dir = std::env::temp_dir();
        match BlankProfile::from_toml(text, "phoi.toml", &dir) {
            Ok(p) => panic!("read: {p:?}"),
            Err(e) => messages::blank_error(&e, lang),
        }
    }

    #[test]
    fn the_built_in_profiles_read_back_the_same() {
        for paper in [Paper::A4, Paper::A3] {
            let p = BlankProfile::builtin(paper);
            let text = p.to_toml();
            let back = BlankProfile::from_toml(&text, "p.toml", Path::new(".")).unwrap();
            assert_eq!(back, p, "{text}");
            for f in FIELDS {
                assert!(text.contains(&format!("# {f}: ")), "{f} has no comment");
                assert!(p.field(f).is_some(), "{f}");
            }
        }
        let a3 = BlankProfile::builtin(Paper::A3);
        assert_eq!(a3.sheet_mm(), (420.0, 297.0));
        // The A4 name box, scaled by 420/297 and rounded to half millimetres.
        let ten = a3.field("ten").unwrap();
        assert_eq!((ten.x, ten.y, ten.w, ten.h, ten.size), (42.5, 130.0, 335.0, 22.5, 37.0));
    }

    #[test]
    fn the_issue_s_example_reads() {
        let text = "paper = \"a4\"\norientation = \"landscape\"\noffset = { dx = 1.5, dy = -2 }\n[fields.ten]\nx = 30.0\ny = 92.0\nw = 237.0\nh = 16.0\nsize = 26\nbold = true\nalign = \"center\"\nshow = true\n";
        let p = BlankProfile::from_toml(text, "p.toml", Path::new(".")).unwrap();
        assert_eq!(p.offset, (1.5, -2.0));
        assert_eq!(p.fields.len(), 1);
        let f = &p.fields[0];
        assert_eq!(
            (f.name, f.x, f.y, f.w, f.h, f.size, f.bold, f.italic),
            ("ten", 30.0, 92.0, 237.0, 16.0, 26.0, true, false)
        );
        assert_eq!((f.align, f.show, f.colour.as_str()), (Align::Center, true, "#000000"));
    }

    #[test]
    fn every_problem_of_a_profile_is_named_with_its_line() {
        let text = "\
paper = \"a5\"
orientation = \"landscape\"
background = \"khong-co.png\"
marign = 3
[fields.ten]
x = 30.0
y = 92.0
w = -237.0
h = 16.0
size = \"to\"
[fields.tenn]
x = 1
[fields.nguoi_ky]
x = 1
y = 1
w = 10
h = 5
sise = 12
colour = \"do\"
";
        let missing = std::env::temp_dir().join("khong-co.png");
        assert_eq!(
            errors(text, Lang::En),
            format!(
                "phoi.toml:1: paper = \"a5\": expected a4 or a3
phoi.toml:3: the background image {} does not exist
phoi.toml:4: unknown key \"marign\"
phoi.toml:8: fields.ten.w = -237: must be more than 0
phoi.toml:10: fields.ten.size must be number
phoi.toml:11: unknown field \"tenn\"; did you mean \"ten\"?; the fields are: co_quan, hinh_thuc, ten, chuc_vu_don_vi, thanh_tich, quyet_dinh, so_vang, dia_danh_ngay, tham_quyen, chuc_vu_ky, nguoi_ky
phoi.toml:18: unknown key \"sise\" in [fields.nguoi_ky]; did you mean \"size\"?
phoi.toml:19: fields.nguoi_ky.colour = \"do\": expected a colour such as \"#1a237e\"",
                missing.display()
            )
        );
        assert!(
            errors(text, Lang::Vi).starts_with("phoi.toml:1: paper = \"a5\": phải là a4 hoặc a3\n"),
            "{}",
            errors(text, Lang::Vi)
        );
    }

    #[test]
    fn a_profile_sent_as_text_keeps_its_background_as_a_name_only() {
        let built = BlankProfile::builtin(Paper::A4).to_toml();
        for (given, kept) in [
            ("/etc/passwd", Some("passwd")),
            ("../x.png", Some("x.png")),
            ("..", None),
            ("C:\\a\\phoi.jpg", Some("phoi.jpg")),
        ] {
            let text = format!("background = {}\n{built}", toml_edit::Value::from(given));
            // Read from a folder, the file would be opened and found wanting.
            assert!(BlankProfile::from_toml(&text, "p.toml", Path::new("/")).is_err(), "{given}");
            let p = BlankProfile::from_toml_text(&text, "p.toml").unwrap();
            assert_eq!(p.background.as_deref(), kept.map(Path::new), "{given}");
        }
        // Its other problems are the same as a file's, with their lines.
        let err = BlankProfile::from_toml_text("paper = \"a5\"\n", "p.toml").unwrap_err();
        assert_eq!(messages::blank_error(&err, Lang::En), "p.toml:1: paper = \"a5\": expected a4 or a3");
        assert!(image_bytes_problem(b"\x89PNG\r\n\x1a\n....", "a.png").is_none());
        assert!(image_bytes_problem(&[0xFF, 0xD8, 0xFF, 0xE0], "a.jpg").is_none());
        assert_eq!(
            image_bytes_problem(b"root:x:0:0", "passwd"),
            Some(BlankProblem::NotAnImage { path: "passwd".into() })
        );
        // The image given is the one shown, in a preview only.
        let profile = BlankProfile::builtin(Paper::A4);
        let png = b"\x89PNG\r\n\x1a\n".to_vec();
        assert_eq!(Blank::with_image(profile.clone(), true, Some(png.clone())).attachments().len(), 1);
        assert!(Blank::with_image(profile, false, Some(png)).attachments().is_empty());
    }

    #[test]
    fn the_offset_counts_where_a_box_prints_and_a_field_not_printed_is_not_checked() {
        // 40 mm to the right pushes the name's box (30 + 237 = 267 mm) past 297 mm.
        let text = "paper = \"a4\"\noffset = { dx = 40.0, dy = 0.0 }\n[fields.ten]\nx = 30\ny = 92\nw = 237\nh = 16\n";
        assert_eq!(
            errors(text, Lang::En),
            "phoi.toml:3: the box of ten (x 30, y 92, w 237, h 16 mm, shifted by the offset dx 40, dy 0) reaches outside the paper (297 × 210 mm)"
        );
        assert_eq!(
            errors(text, Lang::Vi),
            "phoi.toml:3: ô của ten (x 30, y 92, w 237, h 16 mm, khi dời theo độ lệch dx 40, dy 0) vượt ra ngoài tờ giấy (297 × 210 mm)"
        );
        let hidden = "paper = \"a4\"\n[fields.ten]\nx = 30\ny = 200\nw = 237\nh = 16\nshow = false\n";
        assert!(
            BlankProfile::from_toml(hidden, "phoi.toml", Path::new(".")).is_ok(),
            "not printed: not checked"
        );
    }

    #[test]
    fn a_box_outside_the_paper_names_its_field_s_line() {
        let text = "paper = \"a4\"\n\n[fields.ten]\nx = 30\ny = 200\nw = 237\nh = 16\n\n[fields.nguoi_ky]\nx = 160\ny = 186\nw = 107\nh = 9\n";
        assert_eq!(
            errors(text, Lang::En),
            "phoi.toml:3: the box of ten (x 30, y 200, w 237, h 16 mm) reaches outside the paper (297 × 210 mm)"
        );
        assert_eq!(
            errors(text, Lang::Vi),
            "phoi.toml:3: ô của ten (x 30, y 200, w 237, h 16 mm) vượt ra ngoài tờ giấy (297 × 210 mm)"
        );
        // Portrait: the same box is inside (210 wide is too narrow, so move it).
        let portrait =
            "paper = \"a4\"\norientation = \"portrait\"\n[fields.ten]\nx = 10\ny = 200\nw = 190\nh = 16\n";
        assert!(BlankProfile::from_toml(portrait, "p.toml", Path::new(".")).is_ok());
        let syntax = errors("paper = \"a4\"\n[fields.ten\n", Lang::En);
        assert!(syntax.starts_with("phoi.toml:2: not valid TOML: "), "{syntax}");
        assert_eq!(errors("orientation = \"portrait\"\n", Lang::En), "phoi.toml:1: \"paper\" is missing");
        assert_eq!(
            errors("paper = \"a3\"\n[fields.ten]\nx = 1\ny = 2\nw = 3\n", Lang::En),
            "phoi.toml:2: [fields.ten] has no \"h\""
        );
    }
}
