//! Stage 4, typeset: Typst source becomes PDF bytes, in process.
//!
//! The fonts, the standard library and the templates' files are loaded once into a
//! [`Typesetter`]; each document only brings its main source, always at the same virtual path
//! (`/main.typ`), because Typst's file ids are global and never freed. Nothing outside the
//! template's own files and the shared `lib/` folder can be read from a template.

use crate::template::{LIB_DIR, Template, Templates};
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;
use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Dict, Smart, Value};
use typst::model::DocumentInfo;
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook, Lang, Locale};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::{Page, PagedDocument};
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

/// The fonts embedded in the binary (Tinos: metric-compatible with Times New Roman).
const BUNDLED_FONTS: [&[u8]; 4] = [
    include_bytes!("../fonts/Tinos-Regular.ttf"),
    include_bytes!("../fonts/Tinos-Bold.ttf"),
    include_bytes!("../fonts/Tinos-Italic.ttf"),
    include_bytes!("../fonts/Tinos-BoldItalic.ttf"),
];

/// Why a document could not be typeset.
#[derive(Debug, thiserror::Error)]
pub enum TypesetError {
    /// Typst reported errors; each names its line in the generated source (and, once
    /// located, in the template).
    #[error("typst could not typeset the document:\n{}", lines(.0))]
    Typst(Vec<Diagnostic>),
    /// The PDF could not be written.
    #[error("cannot write the PDF: {}", .0.join("; "))]
    Pdf(Vec<String>),
    /// The empty signature field could not be added to the PDF. (Not a `source`: the
    /// message already says why, and the CLI prints sources again as causes.)
    #[error("cannot add the signature field: {0}")]
    Sign(crate::sign::SignError),
    /// A font file given with `--font-path` could not be read.
    #[error("cannot read fonts from {path}: {message}")]
    Font {
        /// The path.
        path: String,
        /// What went wrong.
        message: String,
    },
}

/// One error or warning from Typst, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file: "main.typ" (the generated source) or a library file ("lib/vanban.typ").
    pub file: String,
    /// Its line in that file (from 1), 0 when Typst gave none.
    pub line: usize,
    /// The text of that line, trimmed.
    pub text: String,
    /// Typst's message.
    pub message: String,
    /// Typst's hints, and ours.
    pub hints: Vec<String>,
    /// For an error inside a library file, the line of main.typ whose call led there.
    pub called_from: Option<usize>,
    /// A warning, not an error.
    pub warning: bool,
    /// The template line that made the main.typ line (or the call): its path, line number
    /// and text. Set by the engine, which knows the template ([`Diagnostic::locate`]).
    pub template: Option<(String, usize, String)>,
}

impl Diagnostic {
    /// The line of main.typ this diagnostic is about: its own, or the call that led into
    /// a library file.
    pub fn main_line(&self) -> Option<usize> {
        if self.file == "main.typ" { Some(self.line).filter(|&l| l > 0) } else { self.called_from }
    }

    /// Names the template line that made the main.typ line: `map[i]` is the template line
    /// of main.typ line i + 1, `source` the template's text, `path` how to name it.
    pub fn locate(&mut self, path: &str, source: &str, map: &[usize]) {
        if let Some(line) = self.main_line().and_then(|l| map.get(l - 1)).copied().filter(|&l| l > 0) {
            let text = source.lines().nth(line - 1).unwrap_or("").trim().to_string();
            self.template = Some((path.to_string(), line, text));
        }
    }
}

impl std::fmt::Display for Diagnostic {
    /// "templates/giay-khen/template.typ.hbs:31 (main.typ:40): unknown variable: Chúc (hint:
    /// ...)" and the template's line, or only the main.typ line when the template line is not
    /// known (main.typ is what `--keep-typst` writes).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hints: String = self.hints.iter().map(|h| format!(" (hint: {h})")).collect();
        let kind = if self.warning { "warning: " } else { "" };
        let message = format!("{kind}{}", self.message);
        let here = if self.line > 0 { format!("{}:{}: ", self.file, self.line) } else { String::new() };
        match (&self.template, self.file == "main.typ") {
            (Some((path, line, text)), true) => {
                write!(f, "{path}:{line} (main.typ:{}): {message}{hints}\n    {text}", self.line)
            }
            (Some((path, line, text)), false) => {
                write!(
                    f,
                    "{here}{message}{hints}\n    {}\n  called from {path}:{line}\n    {text}",
                    self.text
                )
            }
            (None, _) => write!(f, "{here}{message}{hints}\n    {}", self.text),
        }
    }
}

/// The diagnostics without repeats (Typst says "expected comma" once per word of a
/// sentence), in order.
pub fn dedup(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::with_capacity(diagnostics.len());
    for d in diagnostics {
        if !out.iter().any(|o| o.to_string() == d.to_string()) {
            out.push(d);
        }
    }
    out
}

fn lines(diagnostics: &[Diagnostic]) -> String {
    diagnostics.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
}

/// A typeset document.
#[derive(Debug, Clone)]
pub struct Typeset {
    /// The PDF file's bytes.
    pub pdf: Vec<u8>,
    /// Its number of pages.
    pub pages: usize,
    /// Typst's warnings, each with its line in the generated source.
    pub warnings: Vec<Diagnostic>,
}

/// What the PDF should conform to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Standard {
    /// Plain PDF.
    #[default]
    None,
    /// PDF/A-2b, for archiving.
    PdfA2b,
}

/// A file the world can hand to Typst: its bytes, and the parsed source when it is Typst.
struct VirtualFile {
    bytes: Bytes,
    source: OnceLock<FileResult<Source>>,
}

/// The parts of a Typst world that last for the whole run.
pub struct Typesetter {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    /// Files by template name, then by id: the shared lib and that template's folder.
    files: HashMap<String, HashMap<FileId, VirtualFile>>,
    main_id: FileId,
}

fn file_id(path: &str) -> Option<FileId> {
    Some(RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).ok()?).intern())
}

impl Typesetter {
    /// Loads the bundled fonts (and any under `font_paths`), the standard library and the
    /// files of every template.
    pub fn new(templates: &Templates, font_paths: &[&Path]) -> Result<Self, TypesetError> {
        let mut fonts: Vec<Font> = Vec::new();
        for data in BUNDLED_FONTS {
            fonts.extend(Font::iter(Bytes::new(data)));
        }
        for path in font_paths {
            load_fonts(path, &mut fonts)?;
        }
        let book = FontBook::from_fonts(&fonts);
        // A Times New Roman the user supplied wins over the bundled look-alike.
        let mut inputs = Dict::new();
        if book.contains_family("times new roman") {
            inputs.insert("font".into(), Value::Str("Times New Roman".into()));
        }
        let library = Library::builder().with_inputs(inputs).build();
        let mut files = HashMap::new();
        for t in templates.templates.values() {
            files.insert(t.name.clone(), template_files(templates, t));
        }
        let main_id = file_id("/main.typ").ok_or_else(|| TypesetError::Pdf(vec!["bad main path".into()]))?;
        Ok(Typesetter { library: LazyHash::new(library), book: LazyHash::new(book), fonts, files, main_id })
    }

    /// Whether some font covers `c` (so it will not print as an empty box).
    pub fn covers(&self, c: char) -> bool {
        self.fonts.iter().any(|f| f.info().coverage.contains(c as u32))
    }

    /// Typesets `source` (the main file of template `template`) into a PDF. `ident` names
    /// the document stably across runs (its output file); `date` is the document's date,
    /// written into the PDF instead of the clock's.
    pub fn typeset(
        &self,
        template: &str,
        ident: &str,
        source: &str,
        date: NaiveDate,
        standard: Standard,
    ) -> Result<Typeset, TypesetError> {
        let (doc, warnings) = self.compile(template, source, date)?;
        let pdf = self.pdf(&doc, ident, date, standard)?;
        Ok(Typeset { pdf, pages: doc.pages().len(), warnings })
    }

    /// Lays out `source` into pages, with Typst's warnings.
    pub fn compile(
        &self,
        template: &str,
        source: &str,
        date: NaiveDate,
    ) -> Result<(PagedDocument, Vec<Diagnostic>), TypesetError> {
        self.compile_with(template, source, date, &[])
    }

    /// [`Typesetter::compile`] with files the document brings besides its source (a blank's
    /// scanned background), by their path in the document's world.
    pub fn compile_with(
        &self,
        template: &str,
        source: &str,
        date: NaiveDate,
        extra: &[(&str, Bytes)],
    ) -> Result<(PagedDocument, Vec<Diagnostic>), TypesetError> {
        let mut world = self.world(template, source, date);
        world.extra =
            extra.iter().filter_map(|(path, bytes)| Some((file_id(path)?, bytes.clone()))).collect();
        let warned = typst::compile::<PagedDocument>(&world);
        let warnings = dedup(warned.warnings.iter().map(|d| world.diagnostic(d)).collect());
        let doc = warned
            .output
            .map_err(|errs| TypesetError::Typst(dedup(errs.iter().map(|d| world.diagnostic(d)).collect())))?;
        Ok((doc, warnings))
    }

    /// The PDF of a laid-out document, with an empty signature field over each space a
    /// signature block keeps for the signature and seal ([`crate::sign`]).
    pub fn pdf(
        &self,
        doc: &PagedDocument,
        ident: &str,
        date: NaiveDate,
        standard: Standard,
    ) -> Result<Vec<u8>, TypesetError> {
        let pdf = self.export(doc, ident, date, standard, true)?;
        // The spaces the signature blocks keep get empty signature fields (an incremental
        // update: typst-pdf's bytes stay as they are).
        let areas = crate::sign::areas(doc);
        if areas.is_empty() {
            return Ok(pdf);
        }
        crate::sign::add_fields(&pdf, &areas).map_err(TypesetError::Sign)
    }

    /// The PDF of pages laid out separately (documents of a run, for one print job), as one
    /// document: each font is embedded once for all of them. It has no signature fields: it
    /// is for paper.
    pub fn pdf_of_pages(
        &self,
        pages: Vec<Page>,
        title: &str,
        ident: &str,
        date: NaiveDate,
        standard: Standard,
    ) -> Result<Vec<u8>, TypesetError> {
        // Named and in Vietnamese like the documents it holds (the default would say English).
        let info = DocumentInfo {
            title: Some(title.into()),
            locale: Smart::Custom(Locale::new(Lang::VIETNAMESE, None)),
            ..DocumentInfo::default()
        };
        let doc = PagedDocument::new(pages.into_iter().collect(), info);
        // Not tagged: the pages come from separate compilations, whose element locations
        // repeat from one document to the next, so there is no one structure tree of them.
        // PDF/A-2b does not ask for one.
        self.export(&doc, ident, date, standard, false)
    }

    fn export(
        &self,
        doc: &PagedDocument,
        ident: &str,
        date: NaiveDate,
        standard: Standard,
        tagged: bool,
    ) -> Result<Vec<u8>, TypesetError> {
        let standards = match standard {
            Standard::None => PdfStandards::default(),
            Standard::PdfA2b => PdfStandards::new(&[PdfStandard::A_2b])
                .map_err(|e| TypesetError::Pdf(vec![e.message().to_string()]))?,
        };
        let options = PdfOptions {
            ident: Smart::Custom(format!("vanban/{ident}")),
            timestamp: typst_date(date).map(Timestamp::new_utc),
            standards,
            tagged,
            ..PdfOptions::default()
        };
        typst_pdf::pdf(doc, &options).map_err(|errs| {
            let world = self.world("", "", date);
            TypesetError::Pdf(errs.iter().map(|d| world.describe(d)).collect())
        })
    }

    /// Page `page` (from 0) of a laid-out document as a PNG, `scale` pixels per point.
    pub fn png(&self, doc: &PagedDocument, page: usize, scale: f64) -> Option<Vec<u8>> {
        let page = doc.pages().get(page)?;
        let options = typst_render::RenderOptions {
            pixel_per_pt: typst::utils::Scalar::new(scale),
            render_bleed: false,
        };
        typst_render::render(page, &options).encode_png().ok()
    }

    fn world<'a>(&'a self, template: &str, source: &str, date: NaiveDate) -> DocWorld<'a> {
        static EMPTY: OnceLock<HashMap<FileId, VirtualFile>> = OnceLock::new();
        DocWorld {
            ts: self,
            files: self.files.get(template).unwrap_or_else(|| EMPTY.get_or_init(HashMap::new)),
            main: Source::new(self.main_id, source.to_string()),
            today: typst_date(date),
            extra: Vec::new(),
        }
    }
}

fn typst_date(date: NaiveDate) -> Option<Datetime> {
    Datetime::from_ymd(date.year(), date.month() as u8, date.day() as u8)
}

fn template_files(templates: &Templates, t: &Template) -> HashMap<FileId, VirtualFile> {
    let lib = templates.lib.iter().map(|(name, bytes)| (format!("/{LIB_DIR}/{name}"), bytes));
    let own = t.files.iter().map(|(name, bytes)| (format!("/{name}"), bytes));
    lib.chain(own)
        .filter_map(|(path, bytes)| {
            Some((file_id(&path)?, VirtualFile { bytes: Bytes::new(bytes.clone()), source: OnceLock::new() }))
        })
        .collect()
}

fn load_fonts(path: &Path, fonts: &mut Vec<Font>) -> Result<(), TypesetError> {
    let err =
        |e: std::io::Error| TypesetError::Font { path: path.display().to_string(), message: e.to_string() };
    // A mistyped --font-path must not pass silently: the document would use another font.
    std::fs::metadata(path).map_err(err)?;
    if path.is_dir() {
        let mut entries: Vec<_> =
            std::fs::read_dir(path).map_err(err)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for p in entries {
            load_fonts(&p, fonts)?;
        }
    } else {
        let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
        if matches!(ext.as_str(), "ttf" | "otf" | "ttc" | "otc") {
            fonts.extend(Font::iter(Bytes::new(std::fs::read(path).map_err(err)?)));
        }
    }
    Ok(())
}

struct DocWorld<'a> {
    ts: &'a Typesetter,
    files: &'a HashMap<FileId, VirtualFile>,
    main: Source,
    today: Option<Datetime>,
    /// Files of this document only (a blank's background image).
    extra: Vec<(FileId, Bytes)>,
}

impl DocWorld<'_> {
    /// Where a diagnostic is, in which file and line, and what the line says.
    fn place(&self, span: typst::syntax::DiagSpan) -> Option<(String, usize, String)> {
        let id = span.id()?;
        let range = self.range(span)?;
        let source = self.source(id).ok()?;
        let line = source.lines().byte_to_line(range.start).unwrap_or(0);
        let text = source.text().lines().nth(line).unwrap_or("").trim().to_string();
        Some((id.vpath().get_without_slash().to_string(), line + 1, text))
    }

    /// A Typst error as a [`Diagnostic`], with a hint where the usual mistake is plain.
    fn diagnostic(&self, d: &SourceDiagnostic) -> Diagnostic {
        let (file, line, text) = self.place(d.span).unwrap_or_default();
        let called_from = d
            .trace
            .iter()
            .filter_map(|t| self.place(t.span.into()))
            .find(|(f, _, _)| f == "main.typ")
            .map(|(_, l, _)| l);
        let mut hints: Vec<String> = d.hints.iter().map(|h| h.v.to_string()).collect();
        hints.extend(code_hint(&d.message, &text));
        let warning = d.severity == Severity::Warning;
        let message = d.message.to_string();
        Diagnostic { file, line, text, message, hints, called_from, warning, template: None }
    }

    /// "main.typ:12: unknown variable: x" (with the offending source line).
    fn describe(&self, d: &SourceDiagnostic) -> String {
        let kind = if d.severity == Severity::Warning { "warning: " } else { "" };
        if let (Some(id), Some(range)) = (d.span.id(), self.range(d.span))
            && let Ok(source) = self.source(id)
        {
            let line = source.lines().byte_to_line(range.start).unwrap_or(0);
            let text = source.text().lines().nth(line).unwrap_or("").trim();
            let place = format!("{}:{}: ", id.vpath().get_without_slash(), line + 1);
            let hints: String = d.hints.iter().map(|h| format!(" (hint: {})", h.v)).collect();
            return format!("{place}{kind}{}{hints}\n    {text}", d.message);
        }
        format!("{kind}{}", d.message)
    }
}

impl World for DocWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.ts.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.ts.book
    }

    fn main(&self) -> FileId {
        self.ts.main_id
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.ts.main_id {
            return Ok(self.main.clone());
        }
        let file = self.files.get(&id).ok_or_else(|| not_found(id))?;
        file.source
            .get_or_init(|| {
                let text = std::str::from_utf8(&file.bytes).map_err(|_| FileError::InvalidUtf8)?;
                Ok(Source::new(id, text.to_string()))
            })
            .clone()
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.ts.main_id {
            return Ok(Bytes::from_string(self.main.clone()));
        }
        if let Some((_, bytes)) = self.extra.iter().find(|(x, _)| *x == id) {
            return Ok(bytes.clone());
        }
        self.files.get(&id).map(|f| f.bytes.clone()).ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.ts.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        self.today
    }
}

/// Our hint for an error that plain text inside code gives: the words are read as names or
/// as code that does not parse, and only `[ ]` makes them text again.
fn code_hint(message: &str, line: &str) -> Option<String> {
    let words = line.split_whitespace().filter(|w| w.chars().all(char::is_alphabetic)).count();
    let plain = words >= 2 && !line.contains(['(', ')', '[', '#', '=']);
    let code_error =
        ["unknown variable", "expected semicolon or line break", "expected expression", "expected comma"]
            .iter()
            .any(|m| message.starts_with(m));
    (plain && code_error).then(|| {
        let text = line.trim_end_matches(',');
        format!("this is plain text inside code (`{{ ... }}` or a function's arguments); text there goes in square brackets: [{text}]")
    })
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_with_slash().into())
}
