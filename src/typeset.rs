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
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
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
    /// Typst reported errors; each names the line of the generated source.
    #[error("typst could not typeset the document:\n{}", .0.join("\n"))]
    Typst(Vec<String>),
    /// The PDF could not be written.
    #[error("cannot write the PDF: {}", .0.join("; "))]
    Pdf(Vec<String>),
    /// A font file given with `--font-path` could not be read.
    #[error("cannot read fonts from {path}: {message}")]
    Font {
        /// The path.
        path: String,
        /// What went wrong.
        message: String,
    },
}

/// A typeset document.
#[derive(Debug, Clone)]
pub struct Typeset {
    /// The PDF file's bytes.
    pub pdf: Vec<u8>,
    /// Its number of pages.
    pub pages: usize,
    /// Typst's warnings, each with its line in the generated source.
    pub warnings: Vec<String>,
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
        let main_id =
            file_id("/main.typ").ok_or_else(|| TypesetError::Typst(vec!["bad main path".into()]))?;
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
    ) -> Result<(PagedDocument, Vec<String>), TypesetError> {
        let world = self.world(template, source, date);
        let warned = typst::compile::<PagedDocument>(&world);
        let warnings = warned.warnings.iter().map(|d| world.describe(d)).collect();
        let doc = warned
            .output
            .map_err(|errs| TypesetError::Typst(errs.iter().map(|d| world.describe(d)).collect()))?;
        Ok((doc, warnings))
    }

    /// The PDF of a laid-out document.
    pub fn pdf(
        &self,
        doc: &PagedDocument,
        ident: &str,
        date: NaiveDate,
        standard: Standard,
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
}

impl DocWorld<'_> {
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
        self.files.get(&id).map(|f| f.bytes.clone()).ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.ts.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        self.today
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_with_slash().into())
}
