//! Stage 3, render: templates are found (built in, or from `--templates DIR`), registered once
//! in one strict Handlebars registry whose default escape is a Typst-markup escape, and
//! rendered into Typst source with Vietnamese formatting helpers.

use crate::manifest::{self, Manifest};
use crate::vi;
use chrono::NaiveDate;
use handlebars::template::{Parameter, TemplateElement};
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
    ("lib/blank.typ", include_bytes!("../templates/lib/blank.typ")),
    ("bang-bieu/manifest.toml", include_bytes!("../templates/bang-bieu/manifest.toml")),
    ("bang-bieu/template.typ.hbs", include_bytes!("../templates/bang-bieu/template.typ.hbs")),
    ("bao-cao-don-vi/manifest.toml", include_bytes!("../templates/bao-cao-don-vi/manifest.toml")),
    ("bao-cao-don-vi/template.typ.hbs", include_bytes!("../templates/bao-cao-don-vi/template.typ.hbs")),
    ("bao-cao-tong-ket/manifest.toml", include_bytes!("../templates/bao-cao-tong-ket/manifest.toml")),
    ("bao-cao-tong-ket/template.typ.hbs", include_bytes!("../templates/bao-cao-tong-ket/template.typ.hbs")),
    ("giay-khen/manifest.toml", include_bytes!("../templates/giay-khen/manifest.toml")),
    ("giay-khen/template.typ.hbs", include_bytes!("../templates/giay-khen/template.typ.hbs")),
    ("giay-khen/blank.typ.hbs", include_bytes!("../templates/giay-khen/blank.typ.hbs")),
    (
        "quyet-dinh-khen-thuong/manifest.toml",
        include_bytes!("../templates/quyet-dinh-khen-thuong/manifest.toml"),
    ),
    (
        "quyet-dinh-khen-thuong/template.typ.hbs",
        include_bytes!("../templates/quyet-dinh-khen-thuong/template.typ.hbs"),
    ),
    ("to-trinh-khen-thuong/manifest.toml", include_bytes!("../templates/to-trinh-khen-thuong/manifest.toml")),
    (
        "to-trinh-khen-thuong/template.typ.hbs",
        include_bytes!("../templates/to-trinh-khen-thuong/template.typ.hbs"),
    ),
];

/// The value of a list-order item that keeps the workbook's order instead of sorting.
pub const KEEP_ORDER: &str = "Như trong bảng";

/// The Handlebars source file of a template folder.
pub const TEMPLATE_FILE: &str = "template.typ.hbs";
/// The Handlebars source of a template's text for pre-printed blanks (optional; see
/// [`crate::blank`]).
pub const BLANK_FILE: &str = "blank.typ.hbs";
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
    /// Where the source (or the output-name pattern) names each field of the manifest.
    pub uses: manifest::Uses,
    /// The (sheet, field) ids the manifest marks required that the template never names:
    /// they are optional for this template; (sheet, "") for a sheet it reads nothing of.
    pub relaxed: Vec<(String, String)>,
}

impl Template {
    /// The path of its Handlebars source as messages name it:
    /// "templates/giay-khen/template.typ.hbs", or the file under `--templates DIR`.
    pub fn source_path(&self) -> String {
        if self.origin == "built-in" {
            format!("templates/{}/{TEMPLATE_FILE}", self.name)
        } else {
            format!("{}/{TEMPLATE_FILE}", self.origin)
        }
    }
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
    /// Files that would be overwritten; nothing was written.
    #[error("{} already exist{}; nothing was written (remove {} or choose another place)", list_paths(.0), if .0.len() == 1 { "s" } else { "" }, if .0.len() == 1 { "it" } else { "them" })]
    Exists(Vec<PathBuf>),
    /// A file could not be written.
    #[error("cannot write {path}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
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

fn list_paths(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}

/// Writes `bytes` to a new file `path`: through a temporary file in the same folder, so the
/// file appears only complete, and never over a file that exists.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<(), TemplateError> {
    let write = |source| TemplateError::Write { path: path.to_path_buf(), source };
    if path.exists() {
        return Err(TemplateError::Exists(vec![path.to_path_buf()]));
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, bytes).map_err(write)?;
    // A hard link fails if the target appeared meanwhile; where links are not supported
    // (some USB sticks), a rename after the check above.
    let placed = match std::fs::hard_link(&tmp, path) {
        Ok(()) => std::fs::remove_file(&tmp),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let _ = std::fs::remove_file(&tmp);
            return Err(TemplateError::Exists(vec![path.to_path_buf()]));
        }
        Err(_) => std::fs::rename(&tmp, path),
    };
    placed.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        write(e)
    })
}

/// Writes every built-in template and the shared Typst library into `dir` (laid out as
/// `--templates DIR` reads it) and returns the files written. Refuses, writing nothing,
/// when any of them exists.
pub fn export_builtin(dir: &Path) -> Result<Vec<PathBuf>, TemplateError> {
    let files: Vec<PathBuf> = BUILTIN.iter().map(|(rel, _)| dir.join(rel)).collect();
    let existing: Vec<PathBuf> = files.iter().filter(|p| p.exists()).cloned().collect();
    if !existing.is_empty() {
        return Err(TemplateError::Exists(existing));
    }
    for (path, (_, bytes)) in files.iter().zip(BUILTIN) {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|source| TemplateError::Write { path: parent.to_path_buf(), source })?;
        }
        write_new(path, bytes)?;
    }
    Ok(files)
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
            // Notepad may save with a byte-order mark; it is not part of the text.
            let bytes = bytes.strip_prefix("\u{FEFF}".as_bytes()).map(<[u8]>::to_vec).unwrap_or(bytes);
            String::from_utf8(bytes).map_err(|_| TemplateError::Folder {
                path: path(file),
                message: "not UTF-8 text (save it as UTF-8)".into(),
            })
        };
        let manifest_text = text(&mut files, MANIFEST_FILE)?;
        let mut manifest = manifest::parse(&manifest_text)
            .map_err(|message| TemplateError::Manifest { path: path(MANIFEST_FILE), message })?;
        let source = text(&mut files, TEMPLATE_FILE)?;
        // A source that does not parse keeps its manifest as written; the registry reports it.
        let (uses, relaxed) =
            match (handlebars::Template::compile(&source), handlebars::Template::compile(&manifest.output)) {
                (Ok(body), Ok(output)) => {
                    let mut names = Vec::new();
                    names_in(&body, None, &mut names);
                    if let Some((line, message)) = unknown_field(&manifest, &names) {
                        return Err(TemplateError::Render { path: path(TEMPLATE_FILE), line, message });
                    }
                    names_in(&output, Some(manifest::Use::OutputName), &mut names);
                    manifest.apply_uses(&names)
                }
                _ => Default::default(),
            };
        self.templates.insert(
            name.to_string(),
            Template {
                name: name.to_string(),
                manifest,
                source,
                files,
                origin: origin.to_string(),
                uses,
                relaxed,
            },
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

/// The first path of the source that names a field its sheet does not have
/// (`{{str row.ho_ten}}`): a helper's argument is not checked by strict mode and would print
/// nothing. Its line and what to say.
fn unknown_field(m: &Manifest, names: &[manifest::NameRef]) -> Option<(usize, String)> {
    names.iter().filter(|n| !n.literal).find_map(|n| {
        let (first, field) = (n.segs.first()?, n.segs.get(1)?);
        let sheet = match first.as_str() {
            "row" => m.sheet(m.one_per.as_deref()?)?,
            id => m.sheet(id)?,
        };
        let engine: &[&str] = if sheet.kind == manifest::SheetKind::Table { &["rank", "source_row"] } else { &[] };
        if sheet.fields.iter().any(|f| f.id == *field) || engine.contains(&field.as_str()) {
            return None;
        }
        let ids: Vec<&str> = sheet.fields.iter().map(|f| f.id.as_str()).chain(engine.iter().copied()).collect();
        let line = match n.at {
            manifest::Use::Line(l) => l,
            _ => 0,
        };
        Some((
            line,
            format!(
                "no field \"{field}\" in \"{first}\" (in {{{{{}}}}}); {first} has: {} (sheet \"{}\" of {MANIFEST_FILE})",
                n.segs.join("."),
                ids.join(", "),
                sheet.id
            ),
        ))
    })
}

/// Every name a compiled template uses (paths and string arguments), with its line, or with
/// `at` for every name (the output-name pattern).
fn names_in(t: &handlebars::Template, at: Option<manifest::Use>, out: &mut Vec<manifest::NameRef>) {
    for (i, e) in t.elements.iter().enumerate() {
        let at = at.unwrap_or(manifest::Use::Line(t.mapping.get(i).map_or(0, |m| m.0)));
        element_names(e, at, out);
    }
}

fn element_names(e: &TemplateElement, at: manifest::Use, out: &mut Vec<manifest::NameRef>) {
    let fixed = |u: manifest::Use| if matches!(u, manifest::Use::Line(_)) { None } else { Some(u) };
    match e {
        TemplateElement::Expression(h)
        | TemplateElement::HtmlExpression(h)
        | TemplateElement::HelperBlock(h) => {
            let helper = match &h.name {
                Parameter::Name(n) => n.as_str(),
                _ => "",
            };
            param_names(&h.name, at, false, out);
            for p in h.params.iter().chain(h.hash.values()) {
                param_names(p, at, helper == "val", out);
            }
            for t in [&h.template, &h.inverse].into_iter().flatten() {
                names_in(t, fixed(at), out);
            }
        }
        TemplateElement::DecoratorExpression(d)
        | TemplateElement::DecoratorBlock(d)
        | TemplateElement::PartialExpression(d)
        | TemplateElement::PartialBlock(d) => {
            for p in d.params.iter().chain(d.hash.values()) {
                param_names(p, at, true, out);
            }
            if let Some(t) = &d.template {
                names_in(t, fixed(at), out);
            }
        }
        // Raw text, comments and whatever later versions add name no data.
        _ => {}
    }
}

fn param_names(p: &Parameter, at: manifest::Use, whole: bool, out: &mut Vec<manifest::NameRef>) {
    let path = |raw: &str| {
        raw.split(['.', '/'])
            .map(|s| s.trim_start_matches('[').trim_end_matches(']'))
            .filter(|s| !s.is_empty() && !matches!(*s, "this" | ".." | "@root"))
            .map(str::to_string)
            .collect()
    };
    let segs = match p {
        Parameter::Name(n) => path(n),
        Parameter::Path(handlebars::Path::Relative((_, raw))) => path(raw),
        Parameter::Path(_) => return,
        Parameter::Literal(Value::String(s)) => {
            out.push(manifest::NameRef { segs: vec![s.clone()], literal: true, whole: false, at });
            return;
        }
        Parameter::Subexpression(sub) => return element_names(&sub.element, at, out),
        _ => return,
    };
    out.push(manifest::NameRef { segs, literal: false, whole, at });
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

/// The symbol of a document number with its type abbreviation replaced by `kind`, for a
/// number the records office writes in later: ("15-BC/BDVTU", "TTr") → "-TTr/BDVTU" (Party
/// form, number-TYPE/BODY), ("12/QĐ-UBND", "TTr") → "/TTr-UBND" (state form,
/// number/TYPE-BODY); "" when the number has no such shape.
fn doc_symbol(number: &str, kind: &str) -> String {
    let rest = strip_so(number).trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ');
    let (lead, after) = match rest.chars().next() {
        Some('-') => ('-', '/'),
        Some('/') => ('/', '-'),
        _ => return String::new(),
    };
    match rest[1..].find(after) {
        Some(at) => format!("{lead}{kind}{}", &rest[1 + at..]),
        None => String::new(),
    }
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
    handlebars_helper!(doc_symbol: |s: Json, kind: str| super::doc_symbol(&text_of(s), kind));
    handlebars_helper!(in_sentence: |s: Json| vi::in_sentence(&text_of(s)));
    handlebars_helper!(agency_name: |s: Json| vi::agency_name(&text_of(s)));
    // "Đảng" or "Nhà nước" as the issuing body and its superior tell (crate::derive), else
    // the third argument: a memo's own form, its issuer being given.
    handlebars_helper!(document_kind: |issuer: Json, superior: Json, otherwise: Json| {
        crate::derive::document_kind(&text_of(issuer), &text_of(superior))
            .filter(|_| !text_of(issuer).is_empty())
            .map_or_else(|| text_of(otherwise), str::to_string)
    });
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
    handlebars_helper!(awardee_count: |items: array, field: str, {sep: str = ""}| {
        // "10 tập thể, 11 cá nhân và 2 hộ gia đình" from the rows' kind column; with sep=", "
        // every part joined by it ("10 tập thể, 11 cá nhân").
        let n = |kind: &str| items.iter().filter(|r| vi::fold(&text_of(&r[field])) == vi::fold(kind)).count();
        let parts: Vec<String> = [("Tập thể", "tập thể"), ("Cá nhân", "cá nhân"), ("Hộ gia đình", "hộ gia đình")]
            .iter()
            .filter(|(k, _)| n(k) > 0)
            .map(|(k, word)| format!("{} {word}", vi::format_int(n(k) as i64)))
            .collect();
        match parts.split_last() {
            _ if !sep.is_empty() => parts.join(sep),
            Some((last, rest)) if !rest.is_empty() => format!("{} và {last}", rest.join(", ")),
            _ => parts.join(""),
        }
    });
    handlebars_helper!(in_order: |items: array, *args| {
        // The rows with `field` in the order of the values given after it ("Tập thể",
        // "Cá nhân", "Hộ gia đình"); other values last; ties keep the workbook's order.
        let field = args.get(1).and_then(|v| v.as_str()).unwrap_or_default();
        let order: Vec<String> = args.iter().skip(2).map(|v| vi::fold(&text_of(v))).collect();
        let rank = |r: &Value| {
            let key = vi::fold(&text_of(&r[field]));
            order.iter().position(|o| *o == key).unwrap_or(order.len())
        };
        let mut v = items.clone();
        v.sort_by_key(rank);
        Value::Array(v)
    });
    handlebars_helper!(with_title: |title: Json, name: Json| {
        // "Ông" and "Nguyễn Văn A" → "Ông Nguyễn Văn A"; a name that starts with its title
        // already, or no title, is the name alone.
        let (title, name) = (text_of(title), text_of(name));
        let title = title.trim();
        let starts = vi::fold(&name).starts_with(&format!("{} ", vi::fold(title)));
        if title.is_empty() || starts {
            name
        } else {
            let mut chars = title.chars();
            let first: String = chars.next().map(|c| c.to_uppercase().collect()).unwrap_or_default();
            format!("{first}{} {name}", chars.as_str())
        }
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
        ("in_order", Box::new(helpers::in_order)),
        ("with_title", Box::new(helpers::with_title)),
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
        ("doc_symbol", Box::new(helpers::doc_symbol)),
        ("in_sentence", Box::new(helpers::in_sentence)),
        ("agency_name", Box::new(helpers::agency_name)),
        ("document_kind", Box::new(helpers::document_kind)),
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
    /// The same templates with a marker before each line end of their text, rendered only
    /// to find which template line made a line of the output ([`Renderer::line_map`]).
    traced: Handlebars<'static>,
    names: Handlebars<'static>,
    paths: BTreeMap<String, String>,
    /// How many lines each template's source has.
    lines: BTreeMap<String, usize>,
}

/// The registry key of a template's part for pre-printed blanks.
fn blank_key(template: &str) -> String {
    format!("{template}#blank")
}

/// The registry key of a template's output-name pattern.
fn name_key(template: &str) -> String {
    format!("{template}#output")
}

/// Opens a line marker of the traced templates (Unicode noncharacters, which no text holds).
const MARK_OPEN: char = '\u{FDD0}';
/// Closes a line marker.
const MARK_CLOSE: char = '\u{FDD1}';

/// A registry with every helper, strict, with `escape` as its escape function.
fn registry(escape: fn(&str) -> String) -> Handlebars<'static> {
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    hb.register_escape_fn(escape);
    for (name, helper) in helper_defs() {
        hb.register_helper(name, helper);
    }
    hb
}

/// The byte ranges of a Handlebars source outside its tags (`{{...}}`, `{{{...}}}`,
/// comments), in order. `\{{` is text.
fn raw_segments(src: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut at) = (0, 0);
    while let Some(found) = src[at..].find("{{") {
        let open = at + found;
        if open > 0 && src.as_bytes()[open - 1] == b'\\' {
            at = open + 2;
            continue;
        }
        let rest = &src[open..];
        let close = if rest.starts_with("{{!--") {
            "--}}"
        } else if rest.starts_with("{{{{") {
            "}}}}"
        } else if rest.starts_with("{{{") {
            "}}}"
        } else {
            "}}"
        };
        let Some(len) = rest[2..].find(close) else { break };
        out.push(start..open);
        start = open + 2 + len + close.len();
        at = start;
    }
    out.push(start..src.len());
    out
}

/// Marks the text of a compiled template (and of its blocks, in source order): a marker
/// naming its source line before each line end. Each piece of text is found in the next
/// stretch of source between tags that holds it (Handlebars keeps no reliable position for
/// text, and may have trimmed white space off its ends).
fn trace_lines(t: &mut handlebars::Template, src: &str, segs: &[std::ops::Range<usize>], next: &mut usize) {
    for e in &mut t.elements {
        match e {
            TemplateElement::RawString(text) if !text.is_empty() => {
                let Some((i, at)) = segs[*next..]
                    .iter()
                    .enumerate()
                    .find_map(|(i, r)| src[r.clone()].find(text.as_str()).map(|at| (i, r.start + at)))
                else {
                    continue;
                };
                *next += i + 1;
                let mut line = src[..at].matches('\n').count() + 1;
                let mut marked = String::with_capacity(text.len() + 16);
                for c in text.chars() {
                    if c == '\n' {
                        marked.push(MARK_OPEN);
                        marked.push_str(&line.to_string());
                        marked.push(MARK_CLOSE);
                        line += 1;
                    }
                    marked.push(c);
                }
                *text = marked;
            }
            TemplateElement::HelperBlock(h) => {
                for t in [&mut h.template, &mut h.inverse].into_iter().flatten() {
                    trace_lines(t, src, segs, next);
                }
            }
            TemplateElement::DecoratorBlock(d) | TemplateElement::PartialBlock(d) => {
                if let Some(t) = &mut d.template {
                    trace_lines(t, src, segs, next);
                }
            }
            _ => {}
        }
    }
}

/// For each line of the output, the template line that made it: the line of the first
/// marker at or after its start (a line broken inside a value belongs to the template line
/// that printed the value). Returns the output without markers too.
fn split_markers(traced: &str, last_line: usize) -> (String, Vec<usize>) {
    let mut clean = String::with_capacity(traced.len());
    let mut map: Vec<usize> = Vec::new();
    let mut open = 0; // output lines, from the first, still without a template line
    let mut chars = traced.chars();
    while let Some(c) = chars.next() {
        if c == MARK_OPEN {
            let digits: String = chars.by_ref().take_while(|&c| c != MARK_CLOSE).collect();
            let line = digits.parse().unwrap_or(0);
            map.extend(std::iter::repeat_n(line, open + 1 - map.len().min(open + 1)));
            continue;
        }
        if c == '\n' {
            open += 1;
        }
        clean.push(c);
    }
    map.resize(open + 1, last_line);
    (clean, map)
}

impl Renderer {
    /// Registers every template of `templates`.
    pub fn new(templates: &Templates) -> Result<Self, TemplateError> {
        let mut hb = registry(escape_markup);
        let mut traced = registry(escape_markup);
        // Output-name patterns may use the same helpers ("quyet-dinh-{{doc_no qd.so_qd}}").
        let mut names = registry(handlebars::no_escape);
        let (mut paths, mut lines) = (BTreeMap::new(), BTreeMap::new());
        for t in templates.templates.values() {
            let path = t.source_path();
            hb.register_template_string(&t.name, &t.source).map_err(|e| TemplateError::Syntax {
                path: path.clone(),
                line: e.pos().map_or(0, |p| p.0),
                column: e.pos().map_or(0, |p| p.1),
                message: e.reason().to_string(),
            })?;
            if let Ok(mut compiled) = handlebars::Template::compile(&t.source) {
                trace_lines(&mut compiled, &t.source, &raw_segments(&t.source), &mut 0);
                traced.register_template(&t.name, compiled);
            }
            names.register_template_string(&name_key(&t.name), &t.manifest.output).map_err(|e| {
                TemplateError::Manifest {
                    path: format!("{}/{MANIFEST_FILE}", t.origin),
                    message: e.reason().to_string(),
                }
            })?;
            if let Some(bytes) = t.files.get(BLANK_FILE) {
                let blank_path = format!("{}/{BLANK_FILE}", path.rsplit_once('/').map_or("", |(dir, _)| dir));
                let source = String::from_utf8_lossy(bytes);
                hb.register_template_string(&blank_key(&t.name), source.trim_start_matches('\u{FEFF}'))
                    .map_err(|e| TemplateError::Syntax {
                        path: blank_path.clone(),
                        line: e.pos().map_or(0, |p| p.0),
                        column: e.pos().map_or(0, |p| p.1),
                        message: e.reason().to_string(),
                    })?;
                paths.insert(blank_key(&t.name), blank_path);
            }
            paths.insert(t.name.clone(), path);
            lines.insert(t.name.clone(), t.source.lines().count().max(1));
        }
        Ok(Renderer { hb, traced, names, paths, lines })
    }

    fn path(&self, name: &str) -> String {
        self.paths.get(name).cloned().unwrap_or_else(|| name.to_string())
    }

    /// Renders template `name` with `context` into Typst source.
    pub fn render(&self, name: &str, context: &Value) -> Result<String, TemplateError> {
        self.hb.render(name, context).map_err(|e| TemplateError::Render {
            path: self.path(name),
            line: e.line_no.unwrap_or(0),
            message: render_message(e.reason(), context),
        })
    }

    /// Whether template `name` can print onto blanks (its folder has a [`BLANK_FILE`]).
    pub fn has_blank(&self, name: &str) -> bool {
        self.hb.has_template(&blank_key(name))
    }

    /// Renders the blank part of template `name` with `context`: the Typst code that
    /// defines `blank-texts`, one string per blank field.
    pub fn render_blank(&self, name: &str, context: &Value) -> Result<String, TemplateError> {
        let key = blank_key(name);
        self.hb.render(&key, context).map_err(|e| TemplateError::Render {
            path: self.path(&key),
            line: e.line_no.unwrap_or(0),
            message: render_message(e.reason(), context),
        })
    }

    /// For each line of the Typst source that template `name` makes from `context`, the
    /// line of its Handlebars source that made it (from 1; index 0 is the first line).
    pub fn line_map(&self, name: &str, context: &Value) -> Option<Vec<usize>> {
        let traced = self.traced.render(name, context).ok()?;
        let last = self.lines.get(name).copied().unwrap_or(1);
        Some(split_markers(&traced, last).1)
    }

    /// The output file stem for a document of template `name` (not yet made safe).
    pub fn output_name(&self, name: &str, context: &Value) -> Result<String, TemplateError> {
        self.names.render(&name_key(name), context).map_err(|e| TemplateError::Render {
            path: format!("{name}/{MANIFEST_FILE} (output)"),
            line: 0,
            message: render_message(e.reason(), context),
        })
    }
}

/// The text of a rendering error; a name strict mode could not find is said with the
/// names there are.
fn render_message(reason: &RenderErrorReason, context: &Value) -> String {
    match reason {
        RenderErrorReason::MissingVariable(Some(path)) => unknown_name(path, context),
        other => other.to_string(),
    }
}

/// "no field \"row.ho_ten\"; row has: stt, ten, loai ...": the keys where the path leaves
/// the data, or for a name of unknown scope the top-level names and each table's fields.
fn unknown_name(path: &str, context: &Value) -> String {
    let segs: Vec<&str> =
        path.split(['.', '/']).filter(|s| !s.is_empty() && !matches!(*s, "this" | ".." | "@root")).collect();
    let keys = |v: &Value| match v {
        Value::Object(m) => m.keys().cloned().collect::<Vec<_>>().join(", "),
        _ => String::new(),
    };
    // Follow the path from the top as far as it goes.
    let mut at = context;
    for (i, seg) in segs.iter().enumerate() {
        match at.get(seg) {
            Some(next) => at = next,
            None if i > 0 && at.is_object() => {
                let parent = segs[..i].join(".");
                return format!(
                    "no field \"{seg}\" in \"{parent}\" (in {{{{{path}}}}}); {parent} has: {}",
                    keys(at)
                );
            }
            None => break,
        }
    }
    let mut out = format!("no field \"{path}\"; at the top level there are: {}", keys(context));
    if let Value::Object(m) = context {
        for (sheet, rows) in m {
            if let Some(first) = rows.as_array().and_then(|r| r.first()).filter(|r| r.is_object()) {
                out.push_str(&format!("; inside {{{{#each {sheet}}}}}: {}", keys(first)));
            }
        }
    }
    out
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

    fn one_template(manifest: &str, source: &str) -> (Templates, Renderer) {
        let mut t = Templates::default();
        t.add_folder(
            "x",
            BTreeMap::from([
                (MANIFEST_FILE.to_string(), manifest.as_bytes().to_vec()),
                (TEMPLATE_FILE.to_string(), source.as_bytes().to_vec()),
            ]),
            "built-in",
        )
        .unwrap();
        let r = Renderer::new(&t).unwrap();
        (t, r)
    }

    #[test]
    fn files_saved_by_notepad_load_byte_order_mark_and_line_ends_included() {
        let manifest = "\u{FEFF}description = \"x\"\r\noutput = \"x\"\r\nsheets = []\r\n";
        let (_, r) = one_template(manifest, "\u{FEFF}A\r\n{{a}}\r\nB");
        let ctx = json!({"a": 1});
        assert_eq!(r.render("x", &ctx).unwrap(), "A\r\n1\r\nB");
        assert_eq!(r.line_map("x", &ctx).unwrap(), [1, 2, 3]);
    }

    #[test]
    fn each_output_line_maps_to_the_template_line_that_made_it() {
        let source = "{{!-- a comment\nover two lines --}}\nA {{a}}\n{{#if a}}\nB\n{{/if}}\n{{#each r}}\nC {{this}}\n{{/each}}\n  {{~a~}}  \nD";
        let (_, r) = one_template("description = \"x\"\noutput = \"x\"\nsheets = []\n", source);
        let ctx = json!({"a": "một\nhai", "r": [1, 2]});
        let out = r.render("x", &ctx).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines, ["A một\\", "hai", "B", "C 1", "C 2", "một\\", "haiD"]);
        // Output line 2 ("hai") is the value printed on template line 3.
        assert_eq!(r.line_map("x", &ctx).unwrap(), [3, 3, 5, 8, 8, 11, 11]);
        let (clean, _) = split_markers(&r.traced.render("x", &ctx).unwrap(), 11);
        assert_eq!(clean, out, "the traced registry makes the same text");
        assert_eq!(raw_segments("a{{b}}\\{{c}}{{!-- }} --}}d{{{e}}}"), [0..1, 6..12, 25..26, 33..33]);
    }

    #[test]
    fn a_name_strict_mode_cannot_find_is_said_with_the_names_there_are() {
        let m = "description = \"x\"\noutput = \"x\"\nsheets = []\n";
        let ctx = json!({"row": {"ten": "A", "loai": "Cá nhân"}, "ds": [{"ten": "A", "stt": 1}], "doc": {}});
        let (_, r) = one_template(m, "x\n{{row.ho_ten}}");
        assert_eq!(
            r.render("x", &ctx).unwrap_err().to_string(),
            "templates/x/template.typ.hbs:2: no field \"ho_ten\" in \"row\" (in {{row.ho_ten}}); row has: loai, ten"
        );
        let (_, r) = one_template(m, "{{#each ds}}{{ho_ten}}{{/each}}");
        assert_eq!(
            r.render("x", &ctx).unwrap_err().to_string(),
            "templates/x/template.typ.hbs:1: no field \"ho_ten\"; at the top level there are: doc, ds, row; \
             inside {{#each ds}}: stt, ten"
        );
    }

    #[test]
    fn a_required_field_the_template_never_names_is_optional() {
        let manifest = r#"
description = "x"
output = "{{row.ten}}"
one-per = "ds"
[[sheets]]
id = "info"
kind = "keys"
names = ["Thông tin"]
[[sheets.fields]]
id = "loai"
label = "Loại văn bản"
required = true
[[sheets.fields]]
id = "cap_tren"
label = "Cơ quan cấp trên"
required = true
[[sheets]]
id = "ds"
kind = "table"
names = ["DS"]
[[sheets.fields]]
id = "ten"
label = "Tên"
required = true
[[sheets.fields]]
id = "loai"
label = "Loại"
required = true
[[sheets.fields]]
id = "tien"
label = "Số tiền"
type = "integer"
required = true
[[sheets.fields]]
id = "chuc_vu"
label = "Chức vụ"
required = true
"#;
        let relaxed = |source: &str| {
            let (t, _) = one_template(manifest, source);
            let t = t.get("x").unwrap();
            t.relaxed.iter().map(|(s, f)| format!("{s}.{f}")).collect::<Vec<_>>()
        };
        // `info.loai` is the keys item, not the table's column; the output pattern reads `ten`.
        assert_eq!(relaxed("{{info.loai}}"), ["info.cap_tren", "ds.loai", "ds.tien", "ds.chuc_vu"]);
        // Bare names inside a block and strings given to helpers count wherever they match.
        assert_eq!(
            relaxed("{{#each ds}}{{chuc_vu}}{{/each}}{{sum ds \"tien\"}}{{awardee_count ds \"loai\"}}"),
            ["info.cap_tren"]
        );
        // A sheet the template reads nothing of is not needed ("info."); the documents' is.
        assert_eq!(relaxed("{{val row}}{{row.rank.tien}}"), ["info.loai", "info.cap_tren", "info."]);
        assert_eq!(relaxed("{{#each ds}}{{val this}}{{/each}}"), Vec::<String>::new());
        // Comments are not uses.
        assert_eq!(
            relaxed("{{!-- {{row.loai}} --}}{{row.tien}}{{row.chuc_vu}}"),
            ["info.loai", "info.cap_tren", "info.", "ds.loai"]
        );
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

    #[test]
    fn a_blank_number_takes_the_symbol_of_another_with_its_own_type() {
        assert_eq!(doc_symbol("15-BC/BDVTU", "TTr"), "-TTr/BDVTU");
        assert_eq!(doc_symbol("Số: 12/QĐ-UBND", "TTr"), "/TTr-UBND");
        assert_eq!(doc_symbol("Số 125-QĐ/BTGDVTU", "TTr"), "-TTr/BTGDVTU");
        assert_eq!(doc_symbol("125", "TTr"), "");
        assert_eq!(doc_symbol("", "TTr"), "");
        let rows = json!([{"l": "Tập thể"}, {"l": "Cá nhân"}, {"l": "Tập thể"}]);
        assert_eq!(
            render_one(
                "{{awardee_count r \"l\" sep=\", \"}}|{{awardee_count r \"l\"}}|{{doc_symbol n \"TTr\"}}",
                &json!({"r": rows, "n": "4/QĐ-UBND"})
            ),
            "2 tập thể, 1 cá nhân|2 tập thể và 1 cá nhân|\\/TTr\\-UBND"
        );
    }
}
