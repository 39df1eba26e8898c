//! Stage 3, render: templates are found (built in, or from `--templates DIR`), registered once
//! in one strict Handlebars registry whose default escape is a Typst-markup escape, and
//! rendered into Typst source with Vietnamese formatting helpers.

use crate::manifest::{self, Manifest};
use crate::vi;
use chrono::NaiveDate;
use handlebars::{
    Context, Handlebars, Helper, HelperResult, JsonRender, Output, RenderContext, RenderErrorReason,
    handlebars_helper,
};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The built-in templates folder, embedded in the binary (path relative to `templates/`).
const BUILTIN: &[(&str, &[u8])] = &[
    ("lib/vanban.typ", include_bytes!("../templates/lib/vanban.typ")),
    ("bang-bieu/manifest.toml", include_bytes!("../templates/bang-bieu/manifest.toml")),
    ("bang-bieu/template.typ.hbs", include_bytes!("../templates/bang-bieu/template.typ.hbs")),
    ("bao-cao-don-vi/manifest.toml", include_bytes!("../templates/bao-cao-don-vi/manifest.toml")),
    ("bao-cao-don-vi/template.typ.hbs", include_bytes!("../templates/bao-cao-don-vi/template.typ.hbs")),
    ("bao-cao-tong-ket/manifest.toml", include_bytes!("../templates/bao-cao-tong-ket/manifest.toml")),
    ("bao-cao-tong-ket/template.typ.hbs", include_bytes!("../templates/bao-cao-tong-ket/template.typ.hbs")),
    ("giay-khen/manifest.toml", include_bytes!("../templates/giay-khen/manifest.toml")),
    ("giay-khen/template.typ.hbs", include_bytes!("../templates/giay-khen/template.typ.hbs")),
    (
        "quyet-dinh-khen-thuong/manifest.toml",
        include_bytes!("../templates/quyet-dinh-khen-thuong/manifest.toml"),
    ),
    (
        "quyet-dinh-khen-thuong/template.typ.hbs",
        include_bytes!("../templates/quyet-dinh-khen-thuong/template.typ.hbs"),
    ),
];

/// The value of a list-order item that keeps the workbook's order instead of sorting.
pub const KEEP_ORDER: &str = "Như trong bảng";

/// The Handlebars source file of a template folder.
pub const TEMPLATE_FILE: &str = "template.typ.hbs";
/// The manifest file of a template folder.
pub const MANIFEST_FILE: &str = "manifest.toml";
/// The folder of Typst files shared by all templates.
pub const LIB_DIR: &str = "lib";
/// Files larger than this in a template folder are not loaded.
const MAX_ASSET_BYTES: u64 = 20 * 1024 * 1024;

/// One template: its manifest, its Handlebars source and the other files of its folder.
#[derive(Debug, Clone)]
pub struct Template {
    /// The template's name, its folder name ("bao-cao-tong-ket").
    pub name: String,
    /// The parsed manifest.
    pub manifest: Manifest,
    /// The Handlebars source that emits Typst markup.
    pub source: String,
    /// Other files of the folder (images, Typst modules), by path relative to the folder.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Where it came from: "built-in" or the folder's path.
    pub origin: String,
}

/// All templates of a run and the shared Typst library.
#[derive(Debug, Clone, Default)]
pub struct Templates {
    /// Templates by name.
    pub templates: BTreeMap<String, Template>,
    /// The shared Typst files (`lib/*.typ`), by file name.
    pub lib: BTreeMap<String, Vec<u8>>,
}

/// Why templates could not be loaded or rendered.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// A template folder or file could not be read.
    #[error("cannot read {path}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A template folder has no manifest or no Handlebars source, or a file is not UTF-8.
    #[error("{path}: {message}")]
    Folder {
        /// The folder.
        path: String,
        /// What is missing.
        message: String,
    },
    /// A manifest is invalid.
    #[error("{path}: invalid manifest: {message}")]
    Manifest {
        /// The manifest file.
        path: String,
        /// The parser's message.
        message: String,
    },
    /// The Handlebars source does not parse.
    #[error("{path}:{line}:{column}: {message}")]
    Syntax {
        /// The template file.
        path: String,
        /// Line (from 1).
        line: usize,
        /// Column (from 1).
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// Rendering failed (a missing field in strict mode, a helper given the wrong type).
    #[error("{path}:{line}: {message}")]
    Render {
        /// The template file.
        path: String,
        /// Line (from 1), 0 when unknown.
        line: usize,
        /// What went wrong.
        message: String,
    },
    /// No template of that name.
    #[error("no template \"{name}\"; the templates are: {available}")]
    Unknown {
        /// The name asked for.
        name: String,
        /// The names there are.
        available: String,
    },
}

impl Templates {
    /// The templates built into the binary.
    pub fn builtin() -> Result<Self, TemplateError> {
        let mut folders: BTreeMap<String, BTreeMap<String, Vec<u8>>> = BTreeMap::new();
        for (path, bytes) in BUILTIN {
            let (folder, file) = path.split_once('/').unwrap_or(("", path));
            folders.entry(folder.to_string()).or_default().insert(file.to_string(), bytes.to_vec());
        }
        let mut out = Templates::default();
        for (folder, files) in folders {
            out.add_folder(&folder, files, "built-in")?;
        }
        Ok(out)
    }

    /// Adds or overrides templates from a folder laid out like `templates/`: one sub-folder
    /// per template, and optionally `lib/` overriding shared Typst files.
    pub fn load_dir(&mut self, dir: &Path) -> Result<(), TemplateError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| TemplateError::Io { path, source }
        };
        let mut entries: Vec<PathBuf> =
            std::fs::read_dir(dir).map_err(io(dir))?.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for sub in entries.into_iter().filter(|p| p.is_dir()) {
            let name = sub.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            if name.starts_with('.') {
                continue;
            }
            let mut files = BTreeMap::new();
            read_tree(&sub, &sub, &mut files)?;
            if name != LIB_DIR && !files.contains_key(MANIFEST_FILE) {
                continue;
            }
            self.add_folder(&name, files, &sub.display().to_string())?;
        }
        Ok(())
    }

    fn add_folder(
        &mut self,
        name: &str,
        mut files: BTreeMap<String, Vec<u8>>,
        origin: &str,
    ) -> Result<(), TemplateError> {
        if name == LIB_DIR {
            self.lib.extend(files);
            return Ok(());
        }
        let path = |file: &str| {
            if origin == "built-in" { format!("{name}/{file}") } else { format!("{origin}/{file}") }
        };
        let text = |files: &mut BTreeMap<String, Vec<u8>>, file: &str| {
            let bytes = files.remove(file).ok_or_else(|| TemplateError::Folder {
                path: path(""),
                message: format!("no {file} in the template folder"),
            })?;
            String::from_utf8(bytes)
                .map_err(|_| TemplateError::Folder { path: path(file), message: "not UTF-8 text".into() })
        };
        let manifest_text = text(&mut files, MANIFEST_FILE)?;
        let manifest = manifest::parse(&manifest_text)
            .map_err(|message| TemplateError::Manifest { path: path(MANIFEST_FILE), message })?;
        let source = text(&mut files, TEMPLATE_FILE)?;
        self.templates.insert(
            name.to_string(),
            Template { name: name.to_string(), manifest, source, files, origin: origin.to_string() },
        );
        Ok(())
    }

    /// The template of that name, or an error listing the names there are.
    pub fn get(&self, name: &str) -> Result<&Template, TemplateError> {
        self.templates.get(name).ok_or_else(|| TemplateError::Unknown {
            name: name.to_string(),
            available: self.templates.keys().cloned().collect::<Vec<_>>().join(", "),
        })
    }
}

fn read_tree(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) -> Result<(), TemplateError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| TemplateError::Io { path, source }
    };
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let path = entry.map_err(io(dir))?.path();
        if path.is_dir() {
            read_tree(root, &path, out)?;
        } else if path.metadata().map_err(io(&path))?.len() <= MAX_ASSET_BYTES {
            let rel = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            out.insert(rel, std::fs::read(&path).map_err(io(&path))?);
        }
    }
    Ok(())
}

/// Escapes text for Typst markup so that it prints as itself: a backslash before every
/// character that means something in markup, line breaks (also the Unicode line and
/// paragraph separators, which Typst reads as newlines) kept as forced line breaks, and
/// other control characters dropped.
pub fn escape_markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '\\' | '#' | '$' | '*' | '_' | '`' | '<' | '>' | '@' | '[' | ']' | '~' | '=' | '-' | '+'
            | '/' | '\'' | '"' | ':' | '.' => {
                out.push('\\');
                out.push(c);
            }
            // Two newlines in a row would make a paragraph break: each is a forced line break.
            '\n' | '\u{2028}' | '\u{2029}' => out.push_str("\\\n"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes `s` as a Typst string literal, for code context: `"Nha Trang"`.
pub fn string_literal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A JSON value as a Typst value literal: numbers, strings, `none`, booleans, arrays and
/// dictionaries.
pub fn value_literal(v: &Value) -> String {
    match v {
        Value::Null => "none".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 => format!("{f:.1}"),
            _ => n.to_string(),
        },
        Value::String(s) => string_literal(s),
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(value_literal).collect();
            format!("({}{})", inner.join(", "), if items.len() == 1 { "," } else { "" })
        }
        Value::Object(map) => {
            if map.is_empty() {
                return "(:)".into();
            }
            let inner: Vec<String> =
                map.iter().map(|(k, v)| format!("{}: {}", string_literal(k), value_literal(v))).collect();
            format!("({})", inner.join(", "))
        }
    }
}

fn date_of(v: &Value) -> Option<NaiveDate> {
    v.as_str().and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
}

fn text_of(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        v => v.render(),
    }
}

fn number_text(v: &Value, digits: Option<usize>) -> String {
    match (v.as_i64(), v.as_f64(), digits) {
        (Some(i), _, None) => vi::format_int(i),
        (_, Some(f), None) => {
            // Up to two decimals, without trailing zeros: 95.5 → "95,5", 74.776 → "74,78".
            let s = vi::format_decimal(f, 2);
            s.trim_end_matches('0').trim_end_matches(',').to_string()
        }
        (_, Some(f), Some(d)) => vi::format_decimal(f, d),
        _ => text_of(v),
    }
}

/// A document number without the "Số" a workbook may have typed before it (templates print
/// "Số" themselves; a workbook that already wrote it must not get two).
fn strip_so(t: &str) -> &str {
    let t = t.trim();
    let rest =
        t.strip_prefix("Số").or_else(|| t.strip_prefix("SỐ")).or_else(|| t.strip_prefix("số")).unwrap_or(t);
    rest.trim_start_matches([':', ' '])
}

fn sort_key_cmp(a: &Value, b: &Value) -> std::cmp::Ordering {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        _ => vi::compare(&text_of(a), &text_of(b)),
    }
}

/// Value helpers: their results go through the escape function like any `{{value}}`.
mod helpers {
    use super::*;

    /// A group being built by `group_by`: its folded key, its head fields, its rows.
    type Group = (Vec<String>, serde_json::Map<String, Value>, Vec<Value>);

    handlebars_helper!(date_line: |place: Json, date: Json| match date_of(date) {
        Some(d) => vi::date_line(&text_of(place), d),
        None => text_of(date),
    });
    handlebars_helper!(date_words: |date: Json| date_of(date).map(vi::day_month_year).unwrap_or_default());
    handlebars_helper!(date_short: |date: Json| date_of(date).map(vi::short_date).unwrap_or_default());
    handlebars_helper!(num: |v: Json| number_text(v, None));
    handlebars_helper!(dec: |v: Json, digits: u64| number_text(v, Some(digits as usize)));
    handlebars_helper!(pct: |v: Json, {digits: u64 = 2}| v.as_f64().map(|f| vi::format_percent(f, digits as usize)).unwrap_or_default());
    handlebars_helper!(share: |part: Json, whole: Json, {digits: u64 = 2}| {
        match (part.as_f64(), whole.as_f64()) {
            (Some(p), Some(w)) if w != 0.0 => vi::format_percent(p * 100.0 / w, digits as usize),
            _ => String::new(),
        }
    });
    handlebars_helper!(doc_no: |s: Json| strip_so(&text_of(s)).to_string());
    handlebars_helper!(doc_no_blank: |s: Json| {
        // A number left for the records office to write: "15-BC/BDVTU" → "-BC/BDVTU".
        let t = text_of(s);
        let t = strip_so(&t);
        t.trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ').to_string()
    });
    handlebars_helper!(in_sentence: |s: Json| vi::in_sentence(&text_of(s)));
    handlebars_helper!(agency_name: |s: Json| vi::agency_name(&text_of(s)));
    handlebars_helper!(strip_lead: |*args| {
        // The cell (first argument) without the first of the phrases after it it repeats.
        let text = args.first().map(|v| text_of(v)).unwrap_or_default();
        let phrases: Vec<String> = args.iter().skip(1).map(|v| text_of(v)).collect();
        let phrases: Vec<&str> = phrases.iter().map(String::as_str).collect();
        vi::strip_leading(&text, &phrases).to_string()
    });
    handlebars_helper!(roman: |n: u64| vi::roman(n as u32));
    handlebars_helper!(ordinal: |n: u64| vi::ordinal(n as u32));
    handlebars_helper!(upper: |s: Json| vi::upper(&text_of(s)));
    handlebars_helper!(money_words: |n: Json| n.as_u64().map(vi::money_words).unwrap_or_default());
    handlebars_helper!(inc: |n: u64| n + 1);
    handlebars_helper!(add: |a: Json, b: Json| {
        match (a.as_i64(), b.as_i64()) {
            (Some(x), Some(y)) => Value::from(x + y),
            _ => Value::from(a.as_f64().unwrap_or(0.0) + b.as_f64().unwrap_or(0.0)),
        }
    });
    handlebars_helper!(sort_by: |items: array, field: str, {order: str = "asc"}| {
        let mut v = items.clone();
        // Stable either way: rows that tie keep the workbook's order.
        if order == "desc" {
            v.sort_by(|a, b| sort_key_cmp(&b[field], &a[field]));
        } else {
            v.sort_by(|a, b| sort_key_cmp(&a[field], &b[field]));
        }
        Value::Array(v)
    });
    handlebars_helper!(where_eq: |items: array, field: str, value: Json| {
        let want = vi::fold(&text_of(value));
        Value::Array(items.iter().filter(|r| vi::fold(&text_of(&r[field])) == want).cloned().collect())
    });
    handlebars_helper!(group_by: |items: array, *args| {
        // Groups rows by the named fields, in order of first appearance. Each group has the
        // fields' values, `count` and `rows`.
        let fields: Vec<&str> = args.iter().skip(1).filter_map(|v| v.as_str()).collect();
        let mut groups: Vec<Group> = Vec::new();
        for row in items {
            let key: Vec<String> = fields.iter().map(|f| vi::fold(&text_of(&row[*f]))).collect();
            match groups.iter_mut().find(|g| g.0 == key) {
                Some(g) => g.2.push(row.clone()),
                None => {
                    let head = fields.iter().map(|f| (f.to_string(), row[*f].clone())).collect();
                    groups.push((key, head, vec![row.clone()]));
                }
            }
        }
        Value::Array(
            groups
                .into_iter()
                .map(|(_, mut head, rows)| {
                    head.insert("count".into(), Value::from(rows.len()));
                    head.insert("rows".into(), Value::Array(rows));
                    Value::Object(head)
                })
                .collect(),
        )
    });
    handlebars_helper!(sum: |items: array, field: str| {
        let ints: Option<i64> = items.iter().map(|r| r[field].as_i64().or(r[field].is_null().then_some(0))).sum();
        match ints {
            Some(i) => Value::from(i),
            None => Value::from(items.iter().filter_map(|r| r[field].as_f64()).sum::<f64>()),
        }
    });
    handlebars_helper!(count: |items: array| items.len());
    handlebars_helper!(join: |items: Json, sep: str| match items {
        Value::Array(v) => v.iter().map(text_of).filter(|t| !t.is_empty()).collect::<Vec<_>>().join(sep),
        other => text_of(other),
    });
    handlebars_helper!(trim_punct: |s: Json| text_of(s).trim().trim_end_matches([',', ';', '.', ':']).to_string());
    handlebars_helper!(has_item: |items: array, text: str| {
        let want = vi::fold(text);
        items.iter().any(|v| vi::fold(&text_of(v)).contains(&want))
    });
    handlebars_helper!(lower: |s: Json| text_of(s).to_lowercase());
    handlebars_helper!(awardee_count: |items: array, field: str| {
        // "10 tập thể và 11 cá nhân", from the rows' collective/individual column.
        let n = |kind: &str| items.iter().filter(|r| vi::fold(&text_of(&r[field])) == vi::fold(kind)).count();
        let parts: Vec<String> = [("Tập thể", "tập thể"), ("Cá nhân", "cá nhân")]
            .iter()
            .filter(|(k, _)| n(k) > 0)
            .map(|(k, word)| format!("{} {word}", vi::format_int(n(k) as i64)))
            .collect();
        parts.join(" và ")
    });
    handlebars_helper!(arrange: |items: array, field: str, order: Json, {by: str = "whole"}| {
        // Vietnamese alphabetical order, unless the workbook asks to keep its own order.
        let mut v = items.clone();
        if vi::fold(&text_of(order)) != vi::fold(KEEP_ORDER) {
            let key = |r: &Value| {
                let name = text_of(&r[field]);
                let given = if by == "given" || vi::fold(by) == vi::fold("Cá nhân") { name.split_whitespace().last().unwrap_or("").to_string() } else { String::new() };
                format!("{given} {name}")
            };
            v.sort_by(|a, b| vi::compare(&key(a), &key(b)));
        }
        Value::Array(v)
    });
    handlebars_helper!(award_word: |form: Json| {
        // The word printed large on a certificate: the kind of award, without who gives it.
        let form = text_of(form);
        let folded = vi::fold(&form);
        ["Bằng khen", "Giấy khen", "Kỷ niệm chương", "Chiến sĩ thi đua", "Cờ thi đua", "Giấy chứng nhận"]
            .iter()
            .find(|w| folded.starts_with(&vi::fold(w)))
            .map(|w| vi::upper(w))
            .unwrap_or_else(|| vi::upper(&form))
    });
    handlebars_helper!(rank_by: |items: array, field: str, row: Json| {
        // Competition ranking: 1 + how many rows score strictly higher.
        let mine = row[field].as_f64();
        mine.map(|m| 1 + items.iter().filter(|r| r[field].as_f64().is_some_and(|x| x > m)).count())
            .map(Value::from)
            .unwrap_or(Value::Null)
    });
}

/// A helper that writes its argument as Typst code, unescaped (for code context): its name
/// and how it turns the value into code.
struct Literal(&'static str, fn(&Value) -> String);

impl handlebars::HelperDef for Literal {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let v = h.param(0).ok_or(RenderErrorReason::ParamNotFoundForIndex(self.0, 0))?;
        out.write(&(self.1)(v.value()))?;
        Ok(())
    }
}

/// A date as a Typst `datetime(...)`, or `none`.
fn date_literal(v: &Value) -> String {
    match date_of(v) {
        Some(d) => format!(
            "datetime(year: {}, month: {}, day: {})",
            chrono::Datelike::year(&d),
            chrono::Datelike::month(&d),
            chrono::Datelike::day(&d)
        ),
        None => "none".into(),
    }
}

/// A registered helper.
type HelperBox = Box<dyn handlebars::HelperDef + Send + Sync>;

/// The names of the helpers templates can call; a manifest may not name a field after one,
/// since Handlebars would call the helper instead of reading the field.
pub fn helper_names() -> Vec<&'static str> {
    helper_defs().into_iter().map(|(name, _)| name).collect()
}

/// Every helper, by name, freshly boxed (each registry owns its own).
fn helper_defs() -> Vec<(&'static str, HelperBox)> {
    vec![
        ("lower", Box::new(helpers::lower)),
        ("awardee_count", Box::new(helpers::awardee_count)),
        ("arrange", Box::new(helpers::arrange)),
        ("where_eq", Box::new(helpers::where_eq)),
        ("group_by", Box::new(helpers::group_by)),
        ("sum", Box::new(helpers::sum)),
        ("count", Box::new(helpers::count)),
        ("join", Box::new(helpers::join)),
        ("trim_punct", Box::new(helpers::trim_punct)),
        ("has_item", Box::new(helpers::has_item)),
        ("award_word", Box::new(helpers::award_word)),
        ("doc_no", Box::new(helpers::doc_no)),
        ("doc_no_blank", Box::new(helpers::doc_no_blank)),
        ("in_sentence", Box::new(helpers::in_sentence)),
        ("agency_name", Box::new(helpers::agency_name)),
        ("strip_lead", Box::new(helpers::strip_lead)),
        ("date_line", Box::new(helpers::date_line)),
        ("date_words", Box::new(helpers::date_words)),
        ("date_short", Box::new(helpers::date_short)),
        ("num", Box::new(helpers::num)),
        ("dec", Box::new(helpers::dec)),
        ("pct", Box::new(helpers::pct)),
        ("share", Box::new(helpers::share)),
        ("roman", Box::new(helpers::roman)),
        ("ordinal", Box::new(helpers::ordinal)),
        ("upper", Box::new(helpers::upper)),
        ("money_words", Box::new(helpers::money_words)),
        ("inc", Box::new(helpers::inc)),
        ("add", Box::new(helpers::add)),
        ("sort_by", Box::new(helpers::sort_by)),
        ("rank_by", Box::new(helpers::rank_by)),
        ("val", Box::new(Literal("val", value_literal))),
        ("str", Box::new(Literal("str", |v| string_literal(&text_of(v))))),
        ("date_val", Box::new(Literal("date_val", date_literal))),
    ]
}

/// One Handlebars registry for the run: every template registered once.
pub struct Renderer {
    hb: Handlebars<'static>,
    names: Handlebars<'static>,
    paths: BTreeMap<String, String>,
}

/// The registry key of a template's output-name pattern.
fn name_key(template: &str) -> String {
    format!("{template}#output")
}

impl Renderer {
    /// Registers every template of `templates`.
    pub fn new(templates: &Templates) -> Result<Self, TemplateError> {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        hb.register_escape_fn(escape_markup);
        for (name, helper) in helper_defs() {
            hb.register_helper(name, helper);
        }
        // Output-name patterns may use the same helpers ("quyet-dinh-{{doc_no qd.so_qd}}").
        let mut names = Handlebars::new();
        names.set_strict_mode(true);
        names.register_escape_fn(handlebars::no_escape);
        for (name, helper) in helper_defs() {
            names.register_helper(name, helper);
        }
        let mut paths = BTreeMap::new();
        for t in templates.templates.values() {
            let path = if t.origin == "built-in" {
                format!("templates/{}/{TEMPLATE_FILE}", t.name)
            } else {
                format!("{}/{TEMPLATE_FILE}", t.origin)
            };
            hb.register_template_string(&t.name, &t.source).map_err(|e| TemplateError::Syntax {
                path: path.clone(),
                line: e.pos().map_or(0, |p| p.0),
                column: e.pos().map_or(0, |p| p.1),
                message: e.reason().to_string(),
            })?;
            names.register_template_string(&name_key(&t.name), &t.manifest.output).map_err(|e| {
                TemplateError::Manifest {
                    path: format!("{}/{MANIFEST_FILE}", t.origin),
                    message: e.reason().to_string(),
                }
            })?;
            paths.insert(t.name.clone(), path);
        }
        Ok(Renderer { hb, names, paths })
    }

    /// Renders template `name` with `context` into Typst source.
    pub fn render(&self, name: &str, context: &Value) -> Result<String, TemplateError> {
        self.hb.render(name, context).map_err(|e| TemplateError::Render {
            path: self.paths.get(name).cloned().unwrap_or_else(|| name.to_string()),
            line: e.line_no.unwrap_or(0),
            message: e.reason().to_string(),
        })
    }

    /// The output file stem for a document of template `name` (not yet made safe).
    pub fn output_name(&self, name: &str, context: &Value) -> Result<String, TemplateError> {
        self.names.render(&name_key(name), context).map_err(|e| TemplateError::Render {
            path: format!("{name}/{MANIFEST_FILE} (output)"),
            line: 0,
            message: e.reason().to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escape_covers_every_markup_character() {
        assert_eq!(escape_markup("#read(\"/etc/passwd\")"), "\\#read(\\\"\\/etc\\/passwd\\\")");
        assert_eq!(escape_markup("$x$ *b* _i_ @r <l>"), "\\$x\\$ \\*b\\* \\_i\\_ \\@r \\<l\\>");
        assert_eq!(escape_markup("= H\n- item"), "\\= H\\\n\\- item");
        assert_eq!(escape_markup("Khánh Hòa 2.425"), "Khánh Hòa 2\\.425");
        assert_eq!(escape_markup("a\u{7}b\tc\r"), "ab c");
        // Found by the escape fuzz target: Typst reads U+2028 as a newline, so "\n\u{2028}"
        // made a paragraph break.
        let escaped = escape_markup("9\n\0\u{2028}x");
        assert_eq!(escaped, "9\\\n\\\nx");
        let root = typst::syntax::parse(&escaped);
        assert!(root.children().all(|c| c.kind() != typst::syntax::SyntaxKind::Parbreak), "{root:?}");
    }

    #[test]
    fn literals_for_code_context() {
        assert_eq!(string_literal("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
        assert_eq!(value_literal(&json!([1, 2.5, "x", null])), "(1, 2.5, \"x\", none)");
        assert_eq!(value_literal(&json!([3.0])), "(3.0,)");
        assert_eq!(value_literal(&json!({"a": true})), "(\"a\": true)");
    }

    #[test]
    fn builtin_templates_load_and_every_file_is_embedded() {
        let t = Templates::builtin().unwrap();
        assert!(t.get("bao-cao-tong-ket").is_ok());
        assert!(t.lib.contains_key("vanban.typ"));
        let mut on_disk = BTreeMap::new();
        read_tree(Path::new("templates"), Path::new("templates"), &mut on_disk).unwrap();
        let mut embedded: Vec<&str> = BUILTIN.iter().map(|(p, _)| *p).collect();
        embedded.sort();
        let on_disk: Vec<&str> = on_disk.keys().map(String::as_str).collect();
        assert_eq!(embedded, on_disk, "list every file of templates/ in BUILTIN");
    }

    #[test]
    fn helpers_format_the_vietnamese_way() {
        let mut t = Templates::default();
        t.add_folder(
            "x",
            BTreeMap::from([
                (MANIFEST_FILE.to_string(), b"description = \"x\"\noutput = \"{{info.so}}/x\"\nsheets = []\n".to_vec()),
                (
                    TEMPLATE_FILE.to_string(),
                    b"{{date_line p d}}|{{num n}}|{{dec f 2}}|{{pct f}}|{{share 1 3 digits=1}}|{{roman 4}}|{{upper s}}|{{s}}|{{str s}}|{{#each (sort_by u \"t\")}}{{t}},{{/each}}|{{rank_by u \"k\" u.[0]}}".to_vec(),
                ),
            ]),
            "built-in",
        )
        .unwrap();
        let r = Renderer::new(&t).unwrap();
        let ctx = json!({"p": "Khánh Hòa", "d": "2024-01-09", "n": 2425, "f": 74.776, "s": "đ*",
            "u": [{"t": "Đà", "k": 5}, {"t": "Dạ", "k": 9}], "info": {"so": "15/BC"}});
        assert_eq!(
            r.render("x", &ctx).unwrap(),
            "Khánh Hòa, ngày 09 tháng 01 năm 2024|2\\.425|74,78|74,78%|33,3%|IV|Đ\\*|đ\\*|\"đ*\"|Dạ,Đà,|2"
        );
        assert_eq!(r.output_name("x", &ctx).unwrap(), "15/BC/x");
        let err = r.render("x", &json!({})).unwrap_err().to_string();
        assert!(err.starts_with("templates/x/template.typ.hbs:1: "), "{err}");
    }

    fn render_one(source: &str, ctx: &Value) -> String {
        let mut t = Templates::default();
        t.add_folder(
            "x",
            BTreeMap::from([
                (MANIFEST_FILE.to_string(), b"description = \"x\"\noutput = \"x\"\nsheets = []\n".to_vec()),
                (TEMPLATE_FILE.to_string(), source.as_bytes().to_vec()),
            ]),
            "built-in",
        )
        .unwrap();
        Renderer::new(&t).unwrap().render("x", ctx).unwrap()
    }

    #[test]
    fn award_helpers_group_count_and_order() {
        let rows = json!([
            {"ten": "Trần Văn Bình", "loai": "Cá nhân", "ht": "Bằng khen của UBND tỉnh", "tien": 1800000},
            {"ten": "Hội Nông dân", "loai": "Tập thể", "ht": "Bằng khen của UBND tỉnh", "tien": 3600000},
            {"ten": "Lê Thị An", "loai": "cá nhân", "ht": "Giấy khen", "tien": null},
            {"ten": "Đoàn Thanh niên", "loai": "Tập thể", "ht": "Bằng khen của UBND tỉnh", "tien": 3600000},
        ]);
        let ctx =
            json!({"r": rows, "keep": "Như trong bảng", "abc": "Theo vần ABC", "nn": ["- Như Điều 3;"]});
        assert_eq!(
            render_one(
                "{{#each (group_by r \"ht\")}}{{award_word ht}}={{awardee_count rows \"loai\"}};{{/each}}",
                &ctx
            ),
            "BẰNG KHEN=2 tập thể và 1 cá nhân;GIẤY KHEN=1 cá nhân;"
        );
        assert_eq!(
            render_one("{{sum r \"tien\"}}|{{count r}}|{{join nn \", \"}}", &ctx),
            "9000000|4|\\- Như Điều 3;"
        );
        assert_eq!(
            render_one("{{#each (arrange r \"ten\" abc by=\"given\")}}{{ten}},{{/each}}", &ctx),
            "Lê Thị An,Trần Văn Bình,Hội Nông dân,Đoàn Thanh niên,"
        );
        assert_eq!(
            render_one("{{#each (arrange r \"ten\" keep)}}{{ten}},{{/each}}", &ctx),
            "Trần Văn Bình,Hội Nông dân,Lê Thị An,Đoàn Thanh niên,"
        );
        assert_eq!(render_one("{{has_item nn \"như điều 3\"}}|{{trim_punct \"a, b;\"}}", &ctx), "true|a, b");
    }

    #[test]
    fn sentence_helpers_write_names_as_sentences_do() {
        let ctx = json!({"u": "Huyện Trường Sa", "a": "BAN DÂN VẬN TỈNH ỦY KHÁNH HÒA",
            "d": "Xét đề nghị của Tổ Thi đua", "so": "Số 15-BC/BDVTU", "qd": "Số: 12/QĐ-UBND"});
        assert_eq!(
            render_one(
                "của {{in_sentence u}}|{{agency_name a}}|{{strip_lead d \"Theo đề nghị của\" \"xét đề nghị của\"}}|{{doc_no_blank so}}|{{doc_no_blank qd}}",
                &ctx
            ),
            "của huyện Trường Sa|Ban Dân vận Tỉnh ủy Khánh Hòa|Tổ Thi đua|\\-BC\\/BDVTU|\\/QĐ\\-UBND"
        );
    }
}
