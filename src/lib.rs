//! vanban turns Excel workbooks of unit statistics into the official PDFs that Vietnamese
//! Party and state offices issue.
//!
//! The pipeline has five stages with plain values between them (see docs/ARCHITECTURE.md):
//! [`workbook`] reads cells, [`bind`] checks them against a template's [`manifest`],
//! [`template`] renders Typst source, [`typeset`] makes the PDF and [`output`] writes files.
//! [`Engine`] holds what lasts for a run (templates, fonts, the Typst world) and drives the
//! stages; it never prints or exits.

pub mod bind;
pub mod manifest;
pub mod output;
pub mod template;
pub mod typeset;
pub mod vi;
pub mod workbook;

use bind::{Problem, SetAside};
use chrono::NaiveDate;
use serde_json::Value;
use std::path::{Path, PathBuf};
use template::{Renderer, TemplateError, Templates};
use typeset::{Standard, TypesetError, Typesetter};
use workbook::{ReadError, Workbook};

/// Any error of the library; each carries where it happened.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The workbook could not be read.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// Templates could not be loaded or rendered.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// Fonts could not be loaded, or typesetting failed outside a document.
    #[error(transparent)]
    Typeset(#[from] TypesetError),
    /// The workbook does not fit the template; every problem is listed.
    #[error("the workbook does not fit template \"{template}\": {} problem{}", problems.len(), if problems.len() == 1 { "" } else { "s" })]
    Problems {
        /// The template.
        template: String,
        /// Every problem found, in sheet and row order.
        problems: Vec<Problem>,
    },
    /// Some documents could not be made; none was written.
    #[error("{} of {total} document{} could not be made", failures.len(), if *total == 1 { "" } else { "s" })]
    Documents {
        /// How many documents there were.
        total: usize,
        /// Each failure.
        failures: Vec<DocFailure>,
    },
    /// An output file could not be written.
    #[error("cannot write {path}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
}

/// One document that could not be made, and why.
#[derive(Debug, thiserror::Error)]
#[error("{what}: {source}")]
pub struct DocFailure {
    /// Which document: its file name, and its workbook row when it has one.
    pub what: String,
    /// What went wrong.
    #[source]
    pub source: DocError,
}

/// Why one document failed.
#[derive(Debug, thiserror::Error)]
pub enum DocError {
    /// The template could not be rendered with this document's data.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// Typst could not typeset it.
    #[error(transparent)]
    Typeset(#[from] TypesetError),
}

/// What an [`Engine`] is built from.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A folder of templates that adds to or overrides the built-in ones.
    pub templates_dir: Option<PathBuf>,
    /// Extra font files or folders (the bundled fonts are always there).
    pub font_paths: Vec<PathBuf>,
}

/// How documents are rendered.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// The PDF standard to conform to.
    pub standard: Standard,
    /// The paper size, overriding the manifest's ("a4", "a3").
    pub paper: Option<&'static str>,
}

/// One finished document.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file name, safe and unique within the run ("bao-cao-tong-ket-2023.pdf").
    pub file_name: String,
    /// The PDF.
    pub pdf: Vec<u8>,
    /// Its page count.
    pub pages: usize,
    /// The workbook sheet and row (from 1) it was made from, for one-per templates.
    pub source: Option<(String, usize)>,
    /// The generated Typst source, for inspection.
    pub typst: String,
    /// Typst's warnings.
    pub warnings: Vec<String>,
}

/// The result of rendering one template with one workbook.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The template's name.
    pub template: String,
    /// The documents, in workbook order.
    pub documents: Vec<Document>,
    /// Workbook rows that were not used, with the reason.
    pub set_aside: Vec<SetAside>,
}

/// Everything that lasts for a run: templates, the Handlebars registry, fonts and the Typst
/// world. Build it once and render many workbooks with it.
pub struct Engine {
    templates: Templates,
    renderer: Renderer,
    typesetter: Typesetter,
}

impl Engine {
    /// Loads the built-in templates (plus `options.templates_dir`) and the fonts.
    pub fn new(options: &Options) -> Result<Self, Error> {
        let mut templates = Templates::builtin()?;
        if let Some(dir) = &options.templates_dir {
            templates.load_dir(dir)?;
        }
        let renderer = Renderer::new(&templates)?;
        let fonts: Vec<&Path> = options.font_paths.iter().map(PathBuf::as_path).collect();
        let typesetter = Typesetter::new(&templates, &fonts)?;
        Ok(Engine { templates, renderer, typesetter })
    }

    /// The templates of this run, by name.
    pub fn templates(&self) -> &Templates {
        &self.templates
    }

    /// Checks `wb` against template `name`: the bound data, or every problem.
    pub fn check(&self, name: &str, wb: &Workbook) -> Result<bind::Bound, Error> {
        let t = self.templates.get(name)?;
        bind::bind(wb, &t.manifest)
            .map_err(|problems| Error::Problems { template: name.to_string(), problems })
    }

    /// Renders one context of template `name` into Typst source.
    pub fn typst_source(&self, name: &str, context: &Value) -> Result<String, Error> {
        Ok(self.renderer.render(name, context)?)
    }

    /// Renders every document of template `name` for `wb`. Nothing is returned unless every
    /// document succeeded; otherwise each failure is listed. `progress` is called with
    /// (done, total) after each document.
    pub fn render(
        &self,
        name: &str,
        wb: &Workbook,
        options: &RenderOptions,
        progress: &dyn Fn(usize, usize),
    ) -> Result<Rendered, Error> {
        let t = self.templates.get(name)?;
        let mut bound = self.check(name, wb)?;
        let paper = options.paper.unwrap_or(t.manifest.paper.as_str());
        for d in &mut bound.documents {
            d.context["doc"] = serde_json::json!({ "paper": paper });
        }
        let total = bound.documents.len();
        let mut names = output::UniqueNames::default();
        let mut documents = Vec::with_capacity(total);
        let mut failures = Vec::new();
        for (i, data) in bound.documents.iter().enumerate() {
            let what = match &data.source {
                Some((sheet, row)) => format!("{sheet} row {row}"),
                None => format!("document {}", i + 1),
            };
            match self.make(t, &data.context, options, &mut names) {
                Ok((file_name, typst, done)) => documents.push(Document {
                    file_name,
                    pdf: done.pdf,
                    pages: done.pages,
                    source: data.source.clone(),
                    typst,
                    warnings: done.warnings,
                }),
                Err(source) => failures.push(DocFailure { what, source }),
            }
            progress(i + 1, total);
        }
        if !failures.is_empty() {
            return Err(Error::Documents { total, failures });
        }
        Ok(Rendered { template: name.to_string(), documents, set_aside: bound.set_aside })
    }

    fn make(
        &self,
        t: &template::Template,
        context: &Value,
        options: &RenderOptions,
        names: &mut output::UniqueNames,
    ) -> Result<(String, String, typeset::Typeset), DocError> {
        let typst = self.renderer.render(&t.name, context)?;
        let stem = self.renderer.output_name(&t.name, context)?;
        let date = document_date(t.manifest.date.as_deref(), context);
        let done = self.typesetter.typeset(&t.name, &typst, date, options.standard)?;
        Ok((names.take(&stem, "pdf"), typst, done))
    }
}

/// The document's date: the manifest's date field, else SOURCE_DATE_EPOCH, else 1970-01-01;
/// never the clock, so the same input gives the same bytes.
fn document_date(path: Option<&str>, context: &Value) -> NaiveDate {
    let from_data = path.and_then(|p| {
        let (sheet, field) = p.split_once('.')?;
        NaiveDate::parse_from_str(context.get(sheet)?.get(field)?.as_str()?, "%Y-%m-%d").ok()
    });
    from_data
        .or_else(|| {
            let secs: i64 = std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()?;
            chrono::DateTime::from_timestamp(secs, 0).map(|d| d.date_naive())
        })
        .unwrap_or_default()
}

/// Writes the documents into `dir` (created if needed), each atomically.
pub fn write_documents(dir: &Path, documents: &[Document]) -> Result<Vec<PathBuf>, Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Write { path: dir.to_path_buf(), source })?;
    let mut written = Vec::with_capacity(documents.len());
    for d in documents {
        let path = dir.join(&d.file_name);
        output::write_atomic(&path, &d.pdf).map_err(|source| Error::Write { path: path.clone(), source })?;
        written.push(path);
    }
    Ok(written)
}
