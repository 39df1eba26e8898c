//! The engine: what lasts for a run (templates, the Handlebars registry, fonts and the Typst
//! world), and the steps that drive the stages — plan every document, then make and write
//! them in parallel, in order.

use crate::bind::{self, Bound, SetAside};
use crate::output::{IndexRow, Sink, UniqueNames};
use crate::print::{PrintFile, PrintTo};
use crate::problem::{Problem, ProblemKind};
use crate::profile::Profile;
use crate::template::{Renderer, TemplateError, Templates};
use crate::typeset::{Standard, TypesetError, Typesetter};
use crate::workbook::{ReadError, Workbook};
use crate::{manifest, output, workbook};
use chrono::NaiveDate;
use rayon::prelude::*;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

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
    /// The workbook does not fit the template(s); every problem is listed.
    #[error("the workbook does not fit template \"{template}\": {} problem{}", problems.len(), if problems.len() == 1 { "" } else { "s" })]
    Problems {
        /// The template(s), comma-separated.
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
    /// `check` made the first document of the template, and it could not be made.
    #[error("the workbook fits template \"{template}\", but its first document could not be made")]
    FirstDocument {
        /// The template.
        template: String,
        /// Why.
        failure: Box<DocFailure>,
    },
    /// The run was cancelled before it finished.
    #[error(
        "interrupted; the documents already written are complete (a folder's index.csv lists them), the rest were not made"
    )]
    Interrupted,
    /// A workbook named where the template's name goes (`vanban render ds.xlsx -o x`).
    #[error(
        "\"{file}\" is a workbook, not a template: name the template first, as in `vanban {command} TEMPLATE {file}`; the templates are: {templates}"
    )]
    WorkbookForTemplate {
        /// The command ("render", "check").
        command: String,
        /// The workbook given.
        file: String,
        /// The templates, comma-separated.
        templates: String,
    },
    /// A command that needs a workbook was given none.
    #[error("name the workbook: `vanban {command} {template} WORKBOOK`")]
    NoWorkbook {
        /// The command.
        command: String,
        /// The template given.
        template: String,
    },
    /// A `--shard` value is not "K/N" with 1 ≤ K ≤ N.
    #[error("invalid shard \"{0}\": expected K/N with 1 <= K <= N, e.g. 2/8")]
    Shard(String),
    /// The web page could not be served (the port is taken, say).
    #[error("cannot serve the web page on port {port}")]
    Serve {
        /// The port asked for.
        port: u16,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A profile file could not be used.
    #[error(transparent)]
    Profile(#[from] crate::profile::ProfileError),
    /// A blank profile could not be used (`--blank`).
    #[error(transparent)]
    Blank(#[from] crate::blank::BlankError),
    /// A document number past the plan's documents.
    #[error("there is no document {doc}; the template makes {total}")]
    NoSuchDocument {
        /// The number asked for (from 1).
        doc: usize,
        /// How many there are.
        total: usize,
    },
    /// A page number past the document's pages.
    #[error("there is no page {page}; the document has {pages}")]
    NoSuchPage {
        /// The page asked for (from 1).
        page: usize,
        /// How many there are.
        pages: usize,
    },
    /// One document could not be made.
    #[error(transparent)]
    Document(Box<DocError>),
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
    /// The template of the document.
    pub template: String,
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

/// How each document is rendered.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    /// The PDF standard to conform to (PDF/A-2b unless asked otherwise).
    pub standard: Standard,
    /// The paper size, overriding the manifest's ("a4", "a3").
    pub paper: Option<&'static str>,
    /// Treat text that cannot be printed as typed as an error instead of a warning.
    pub strict: bool,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions { standard: Standard::PdfA2b, paper: None, strict: false }
    }
}

/// The K-th of N equal slices of a run's documents (K from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which slice, from 1.
    pub index: usize,
    /// How many slices.
    pub count: usize,
}

impl std::str::FromStr for Shard {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        let bad = || Error::Shard(s.to_string());
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count): (usize, usize) =
            (k.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
        if index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// The range of document positions (of `total`) in this slice: contiguous, so that the
    /// slices keep the workbook's row order.
    pub fn range(&self, total: usize) -> std::ops::Range<usize> {
        // u128: `index * total` must not overflow for any pair of usize values.
        let at = |k: usize| (k as u128 * total as u128 / self.count as u128) as usize;
        at(self.index - 1)..at(self.index)
    }
}

/// How a batch runs.
#[derive(Debug, Clone, Copy, Default)]
pub struct BatchOptions<'a> {
    /// How each document is rendered.
    pub render: RenderOptions,
    /// Worker threads; 0 means one per core.
    pub jobs: usize,
    /// Stop at the first document that fails.
    pub fail_fast: bool,
    /// Render only this slice of the documents.
    pub shard: Option<Shard>,
    /// Also write each document's generated Typst source beside it (".typ").
    pub keep_typst: bool,
    /// Set from elsewhere (a Ctrl-C handler, the page's cancel button) to stop the run: no
    /// new document is started, the output is abandoned (a half-written ZIP is removed) and
    /// `Error::Interrupted` is returned.
    pub cancel: Option<&'a AtomicBool>,
    /// Also write every document, in run order, as one PDF for one print job
    /// ([`crate::print`]); the index then says which of its pages each row has.
    pub print: Option<PrintTo<'a>>,
}

/// One document of a plan: which template and record, and the file it becomes.
#[derive(Debug, Clone)]
pub struct Planned {
    /// The template.
    pub template: String,
    /// The path of the file inside the output ("giay-khen/Lê Thị Mai.pdf").
    pub file: String,
    /// The unit or awardee (one-per), or the document's name.
    pub name: String,
    /// The source sheet and row (from 1), for one-per documents.
    pub source: Option<(String, usize)>,
    bound: usize,
    record: usize,
}

/// A template the workbook does not have the data for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The template.
    pub template: String,
    /// Why: the sheets and items it needs that the workbook lacks (`messages::skipped`).
    pub missing: bind::Missing,
}

/// Everything a run will make, decided before anything is typeset: the bound data, every
/// document with its unique file name, the rows set aside and the templates skipped.
#[derive(Debug, Clone)]
pub struct Plan {
    bounds: Vec<(String, Bound)>,
    /// The documents, in template order, then workbook order.
    pub docs: Vec<Planned>,
    /// Rows that no template of the plan used, with the reason.
    pub set_aside: Vec<SetAside>,
    /// Templates left out by `build` because the workbook lacks their sheets.
    pub skipped: Vec<Skipped>,
    /// Cells whose text would not print as typed: a character no loaded font has (it would
    /// be an empty box, and Typst does not say so) or a control character (dropped); totals
    /// typed in the workbook that its rows do not add up to.
    pub warnings: Vec<Problem>,
    /// What the user should know that is not wrong: a column no template reads (with the
    /// field it may be), items read from another sheet than their own, the sheet an
    /// appendix printed.
    pub notes: Vec<Problem>,
    /// Print the templates that can onto pre-printed blanks: only the variable text, in the
    /// profile's boxes (set by [`Engine::use_blank`]).
    pub blank: Option<std::sync::Arc<crate::blank::Blank>>,
}

/// A finished document (from [`Engine::render`]).
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

/// The result of rendering one template with one workbook in memory.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The template's name.
    pub template: String,
    /// The documents, in workbook order.
    pub documents: Vec<Document>,
    /// Workbook rows that were not used, with the reason.
    pub set_aside: Vec<SetAside>,
    /// What the user should know that is not wrong (see [`Plan::notes`]).
    pub notes: Vec<Problem>,
}

/// What a batch did.
#[derive(Debug, Default)]
pub struct Report {
    /// One row per document written, in order (also written as `index.csv`).
    pub index: Vec<IndexRow>,
    /// The documents that could not be made; none of them was written.
    pub failures: Vec<DocFailure>,
    /// Typst's warnings, per file.
    pub warnings: Vec<(String, String)>,
    /// How many documents the run (or its shard) had.
    pub total: usize,
    /// Whether the run stopped at the first failure (`fail_fast`), leaving documents unmade.
    pub stopped: bool,
    /// The files a memory sink holds.
    pub files: Vec<(String, Vec<u8>)>,
    /// Files an earlier run wrote into the folder (its `index.csv` lists them) that this run
    /// does not make: removed, or kept when they changed since.
    pub stale: output::Stale,
    /// The print file's page count, when one was written (`BatchOptions::print`; none is
    /// written when no document was made).
    pub printed: Option<usize>,
}

/// A document made by a worker.
struct Made {
    /// Empty when only the print file is written.
    pdf: Vec<u8>,
    sha256: String,
    pages: usize,
    typst: String,
    warnings: Vec<String>,
    /// The laid-out pages, kept for the print file.
    layout: Vec<typst_layout::Page>,
    date: NaiveDate,
}

/// How many documents a worker pool gets at a time, per thread; between chunks Typst's memo
/// cache is emptied, so memory stays flat (16 per thread: ~125 MB peak for 10,000
/// certificates; 64 per thread: ~235 MB; no faster).
const CHUNK_PER_THREAD: usize = 16;

/// Everything that lasts for a run: templates, the Handlebars registry, fonts and the Typst
/// world. Build it once and render many documents with it.
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
        let fonts: Vec<&std::path::Path> = options.font_paths.iter().map(PathBuf::as_path).collect();
        let typesetter = Typesetter::new(&templates, &fonts)?;
        Ok(Engine { templates, renderer, typesetter })
    }

    /// The templates of this run, by name.
    pub fn templates(&self) -> &Templates {
        &self.templates
    }

    /// The typesetter, for measuring Typst on its own (the benchmark's baseline).
    pub fn typesetter(&self) -> &Typesetter {
        &self.typesetter
    }

    /// Checks `wb` against template `name` as rendering with `options` would: the plan
    /// (documents, rows set aside, warnings), or every problem. Only the first document is
    /// typeset (and dropped), so that a broken template fails here
    /// ([`Error::FirstDocument`]).
    pub fn check(
        &self,
        name: &str,
        wb: &Workbook,
        options: &RenderOptions,
        overrides: &Profile,
    ) -> Result<Plan, Error> {
        let plan = self.plan(&[name], wb, options, false, false, overrides)?;
        // A template that cannot make its first document cannot make any: say so here,
        // not after a batch of failures.
        if let Some(doc) = plan.docs.first()
            && let Err(source) =
                self.make(&plan, doc, &BatchOptions { render: *options, ..BatchOptions::default() })
        {
            let failure = DocFailure { template: doc.template.clone(), what: describe(doc), source };
            return Err(Error::FirstDocument { template: name.to_string(), failure: Box::new(failure) });
        }
        Ok(plan)
    }

    /// Renders one context of template `name` into Typst source.
    pub fn typst_source(&self, name: &str, context: &Value) -> Result<String, Error> {
        Ok(self.renderer.render(name, context)?)
    }

    /// Plans the documents of `templates` for `wb`. With `skip_unfit` (the `build` command), a
    /// template whose required sheets are absent is skipped with its reason, and a whole-sheet
    /// template (the appendix) is left out unless `--sheet` names the sheet; otherwise a
    /// missing sheet is a problem. Any other problem in any template is an error listing them
    /// all.
    /// With `nested`, each template's files go into a folder named after it.
    pub fn plan(
        &self,
        templates: &[&str],
        wb: &Workbook,
        options: &RenderOptions,
        skip_unfit: bool,
        nested: bool,
        overrides: &Profile,
    ) -> Result<Plan, Error> {
        let mut plan = Plan {
            bounds: Vec::new(),
            docs: Vec::new(),
            set_aside: Vec::new(),
            skipped: Vec::new(),
            warnings: Vec::new(),
            notes: Vec::new(),
            blank: None,
        };
        let mut failed: Vec<&str> = Vec::new();
        // (template, sheets it read, rows it set aside): a row counts as set aside only when
        // every template that read its sheet left it out.
        let mut reads: Vec<(Vec<String>, Vec<SetAside>)> = Vec::new();
        // Each template's notes, beside `reads`.
        let mut notes: Vec<Vec<Problem>> = Vec::new();
        let mut problems: Vec<Problem> = Vec::new();
        let mut shared_names = UniqueNames::default();
        for &name in templates {
            let t = self.templates.get(name)?;
            let whole_sheet = t.manifest.input == manifest::Input::Sheet;
            // A whole-sheet template (the appendix) prints the sheet `--sheet` names; a build
            // without one leaves it out, as not asked for rather than skipped.
            if skip_unfit && whole_sheet && overrides.sheet.is_none() {
                continue;
            }
            if skip_unfit {
                let missing = bind::missing(wb, &t.manifest, overrides);
                if !missing.is_empty() {
                    plan.skipped.push(Skipped { template: name.to_string(), missing });
                    continue;
                }
            }
            let bounds = if whole_sheet {
                bind::bind_sheet(wb, overrides).map(|b| vec![b])
            } else {
                crate::decisions::bind_all(wb, &t.manifest, overrides)
            };
            let mut bounds = match bounds {
                Ok(b) => b,
                Err(found) => {
                    failed.push(name);
                    // Templates reading the same sheet find the same problems: list them once.
                    problems.extend(found.into_iter().filter(|p| !problems.contains(p)).collect::<Vec<_>>());
                    continue;
                }
            };
            let paper = options.paper.unwrap_or(t.manifest.paper.as_str());
            for bound in &mut bounds {
                bound.shared["doc"] = serde_json::json!({ "paper": paper });
            }
            // Without per-template folders every file shares one folder, so one name list.
            let mut own_names = UniqueNames::default();
            let names = if nested { &mut own_names } else { &mut shared_names };
            let first = plan.bounds.len();
            plan.docs.extend(self.plan_documents(name, &t.manifest, &bounds, first, nested, names)?);
            let sheets = if whole_sheet {
                bounds.iter().flat_map(|b| &b.used).map(|(sheet, _)| sheet.clone()).collect()
            } else {
                bind::sheets_read(wb, &t.manifest, overrides)
            };
            reads.push((sheets, bounds.iter().flat_map(|b| b.set_aside.iter().cloned()).collect()));
            notes.push(bounds.iter().flat_map(|b| b.notes.iter().cloned()).collect());
            for bound in bounds {
                // Two templates reading one sheet warn of its totals once.
                for w in &bound.warnings {
                    if !plan.warnings.contains(w) {
                        plan.warnings.push(w.clone());
                    }
                }
                plan.bounds.push((name.to_string(), bound));
            }
        }
        // A --set or --map that no template uses is a typo, not something to ignore.
        problems.extend(self.unknown_overrides(templates, overrides));
        if !problems.is_empty() {
            if failed.is_empty() {
                failed = templates.to_vec();
            }
            return Err(Error::Problems { template: failed.join(", "), problems });
        }
        for (_, aside) in &reads {
            for s in aside {
                let unused_by_all = reads
                    .iter()
                    .filter(|(sheets, _)| sheets.contains(&s.sheet))
                    .all(|(_, other)| other.iter().any(|o| o.sheet == s.sheet && o.row == s.row));
                if unused_by_all && !plan.set_aside.iter().any(|o| o.sheet == s.sheet && o.row == s.row) {
                    plan.set_aside.push(s.clone());
                }
            }
        }
        plan.set_aside.sort_by(|a, b| (&a.sheet, a.row).cmp(&(&b.sheet, b.row)));
        plan.notes = plan_notes(&reads, &notes);
        // Only cells that reach a document are printed, so only they are checked; a cell
        // read by several templates is checked once.
        let mut cells: Vec<(usize, usize, usize)> = plan
            .bounds
            .iter()
            .flat_map(|(_, b)| &b.used)
            .filter_map(|(name, cells)| Some((wb.sheets.iter().position(|s| s.name == *name)?, cells)))
            .flat_map(|(sheet, cells)| cells.iter().map(move |&(r, c)| (sheet, r, c)))
            .collect();
        cells.sort_unstable();
        cells.dedup();
        // PDF/A refuses glyphs no font has; plain PDF would print empty boxes. Either way the
        // user hears of it before rendering, with the cell, and not from Typst.
        let pdf_a = options.standard == Standard::PdfA2b;
        let mut errors = Vec::new();
        for (problem, blocks_pdf_a) in cells.iter().filter_map(|&(sheet, r, c)| {
            let sheet = &wb.sheets[sheet];
            let workbook::Cell::Text(text) = sheet.cell(r, c) else { return None };
            self.unprintable(text).map(|kind| {
                let blocks = matches!(kind, ProblemKind::MissingGlyphs { .. });
                let problem = Problem {
                    sheet: Some(sheet.name.clone()),
                    cell: Some(workbook::cell_name(r, c)),
                    label: None,
                    kind,
                };
                (problem, blocks)
            })
        }) {
            if options.strict || (pdf_a && blocks_pdf_a) {
                errors.push(problem);
            } else {
                plan.warnings.push(problem);
            }
        }
        if !errors.is_empty() {
            let template = plan.bounds.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(", ");
            return Err(Error::Problems { template, problems: errors });
        }
        Ok(plan)
    }

    /// The documents of template `name` from its `bounds` (which will sit in the plan from
    /// index `first`), in workbook order — the rows of several decisions interleave as the
    /// list has them — each with its unique file name.
    fn plan_documents(
        &self,
        name: &str,
        manifest: &manifest::Manifest,
        bounds: &[Bound],
        first: usize,
        nested: bool,
        names: &mut UniqueNames,
    ) -> Result<Vec<Planned>, Error> {
        let label_field = manifest.one_per.as_deref().and_then(|one| {
            let spec = manifest.sheet(one)?;
            spec.fields.iter().find(|f| f.required && f.ty == manifest::FieldType::Text).map(|f| f.id.clone())
        });
        let mut order: Vec<(usize, usize)> =
            bounds.iter().enumerate().flat_map(|(b, bound)| (0..bound.len()).map(move |i| (b, i))).collect();
        order.sort_by_key(|&(b, i)| bounds[b].source(i).map(|(_, row)| row));
        let mut docs = Vec::with_capacity(order.len());
        for (b, i) in order {
            let bound = &bounds[b];
            let context = bound.context(i);
            let stem = self.renderer.output_name(name, &context)?;
            let file_name = names.take(&stem, "pdf");
            let label = label_field
                .as_ref()
                .filter(|_| bound.records.is_some())
                .and_then(|f| context["row"][f].as_str().map(str::to_string))
                .unwrap_or_else(|| stem.clone());
            docs.push(Planned {
                template: name.to_string(),
                file: if nested { format!("{name}/{file_name}") } else { file_name },
                name: label,
                source: bound.source(i),
                bound: first + b,
                record: i,
            });
        }
        Ok(docs)
    }

    /// The `--set` keys and `--map` fields of `profile` that none of `templates` reads, each
    /// with the closest label there is.
    pub fn unknown_overrides(&self, templates: &[&str], profile: &Profile) -> Vec<Problem> {
        let manifests = || templates.iter().filter_map(|n| self.templates.get(n).ok()).map(|t| &t.manifest);
        let fields = |keys_only: bool| {
            manifests()
                .flat_map(|m| &m.sheets)
                .filter(move |s| !keys_only || s.kind == manifest::SheetKind::Keys)
                .flat_map(|s| &s.fields)
        };
        let mut out: Vec<Problem> = Vec::new();
        for (key, _) in profile.set.iter().filter(|(k, _)| !manifests().any(|m| bind::reads(m, k, true))) {
            let maybe = bind::closest(
                [key.as_str()],
                fields(true).flat_map(|f| f.labels().map(|l| (l, l.to_string()))),
            );
            out.push(Problem::general(ProblemKind::UnknownSet { key: key.clone(), maybe }));
        }
        for (field, _) in profile.map.iter().filter(|(f, _)| !manifests().any(|m| bind::reads(m, f, false))) {
            let labels =
                fields(false).flat_map(|f| f.labels().chain([f.id.as_str()]).map(|l| (l, f.label.clone())));
            let maybe = bind::closest([field.as_str()], labels);
            out.push(Problem::general(ProblemKind::UnknownMap { field: field.clone(), maybe }));
        }
        out.dedup();
        out
    }

    /// What in `text` would not print as typed: characters no loaded font has (empty boxes
    /// in plain PDF, a failure in PDF/A), else control characters (dropped).
    fn unprintable(&self, text: &str) -> Option<ProblemKind> {
        let odd = |ch: &char| !ch.is_ascii_graphic() && *ch != ' ';
        let mut missing: Vec<char> =
            text.chars().filter(odd).filter(|&ch| !ch.is_control() && !self.typesetter.covers(ch)).collect();
        // Line breaks and tabs are handled by the escape; other controls are dropped.
        let mut controls: Vec<char> =
            text.chars().filter(|&ch| ch.is_control() && !matches!(ch, '\n' | '\t' | '\r')).collect();
        // Each character once, in the order it first appears.
        for list in [&mut missing, &mut controls] {
            let mut seen = Vec::new();
            list.retain(|ch| {
                !seen.contains(ch) && {
                    seen.push(*ch);
                    true
                }
            });
        }
        if !missing.is_empty() {
            return Some(ProblemKind::MissingGlyphs { chars: missing });
        }
        (!controls.is_empty()).then_some(ProblemKind::ControlChars { chars: controls })
    }

    /// The Typst source of a planned document and its date: everything before typesetting.
    /// The benchmark uses it to time Typst on its own with the very same markup.
    pub fn typst_for(&self, plan: &Plan, doc: &Planned) -> Result<(String, NaiveDate), DocError> {
        let (name, bound) = &plan.bounds[doc.bound];
        let t = self.templates.get(name)?;
        let context = bound.context(doc.record);
        let typst = match self.blank_of(plan, name) {
            Some(blank) => blank.source(&self.renderer.render_blank(name, &context)?),
            None => self.renderer.render(name, &context)?,
        };
        Ok((typst, document_date(t.manifest.date.as_deref(), &context)))
    }

    /// Makes the templates of `plan` that have a blank part (the certificates) print onto
    /// blanks with `blank`; the others print as usual. A plan none of whose templates has one
    /// is an error naming its first template.
    pub fn use_blank(&self, plan: &mut Plan, blank: crate::blank::Blank) -> Result<(), Error> {
        if !self.prints_on_blanks(plan) {
            let template = plan.bounds.first().map(|(name, _)| name.clone()).unwrap_or_default();
            return Err(crate::blank::BlankError::NoBlankPart { template }.into());
        }
        plan.blank = Some(std::sync::Arc::new(blank));
        Ok(())
    }

    /// [`Engine::use_blank`] for a run of several templates (`build`): a run in which no
    /// template can print onto blanks (a workbook without certificates) goes on as usual.
    /// Returns whether some template of it prints onto `blank`.
    pub fn use_blank_where_possible(&self, plan: &mut Plan, blank: crate::blank::Blank) -> bool {
        self.use_blank(plan, blank).is_ok()
    }

    fn prints_on_blanks(&self, plan: &Plan) -> bool {
        plan.bounds.iter().any(|(name, _)| self.renderer.has_blank(name))
    }

    /// The blank the documents of `template` print onto in `plan`, if any.
    fn blank_of<'p>(&self, plan: &'p Plan, template: &str) -> Option<&'p crate::blank::Blank> {
        plan.blank.as_deref().filter(|_| self.renderer.has_blank(template))
    }

    /// The calibration sheet of `blank` as a PDF: a millimetre grid and every field's box.
    pub fn calibration(&self, blank: &crate::blank::Blank, standard: Standard) -> Result<Vec<u8>, Error> {
        let source = blank.calibration_source();
        // Any template's world has the shared library the sheet needs.
        let template = self.templates.templates.keys().next().cloned().unwrap_or_default();
        let done = self.typesetter.typeset(
            &template,
            "calibration",
            &source,
            document_date(None, &Value::Null),
            standard,
        )?;
        Ok(done.pdf)
    }

    /// The files a document of `template` in `plan` brings besides its source.
    fn attachments<'p>(&self, plan: &'p Plan, template: &str) -> Vec<(&'p str, typst::foundations::Bytes)> {
        self.blank_of(plan, template).map(|b| b.attachments()).unwrap_or_default()
    }

    fn make(&self, plan: &Plan, doc: &Planned, options: &BatchOptions) -> Result<Made, DocError> {
        let (typst, date) = self.typst_for(plan, doc)?;
        let extra = self.attachments(plan, &doc.template);
        let located = |mut e: TypesetError| {
            if let TypesetError::Typst(diagnostics) = &mut e {
                self.locate(plan, doc, diagnostics);
            }
            e
        };
        let (laid, mut warnings) =
            self.typesetter.compile_with(&doc.template, &typst, date, &extra).map_err(located)?;
        let pdf = match options.print {
            Some(p) if p.only => Vec::new(),
            _ => self.typesetter.pdf(&laid, &doc.file, date, options.render.standard)?,
        };
        self.locate(plan, doc, &mut warnings);
        let warnings = warnings.iter().map(ToString::to_string).collect();
        let sha256 = if pdf.is_empty() { String::new() } else { hex(&Sha256::digest(&pdf)) };
        let layout = if options.print.is_some() { laid.pages().to_vec() } else { Vec::new() };
        Ok(Made { pdf, sha256, pages: laid.pages().len(), typst, warnings, layout, date })
    }

    /// Names, in each Typst error or warning of a document, the template line that made
    /// its line (rendering the document once more, with line markers).
    fn locate(&self, plan: &Plan, doc: &Planned, diagnostics: &mut Vec<crate::typeset::Diagnostic>) {
        let Ok(t) = self.templates.get(&doc.template) else { return };
        // A blank's source is not the template's: its lines map to nothing there.
        if diagnostics.is_empty() || self.blank_of(plan, &doc.template).is_some() {
            return;
        }
        let context = plan.bounds[doc.bound].1.context(doc.record);
        if let Some(map) = self.renderer.line_map(&doc.template, &context) {
            for d in diagnostics.iter_mut() {
                d.locate(&t.source_path(), &t.source, &map);
            }
            *diagnostics = crate::typeset::dedup(std::mem::take(diagnostics));
        }
    }

    /// Makes the plan's documents (or its shard's) on `options.jobs` threads and writes them,
    /// in plan order, to `sink`, then `index.csv` and `set-aside.csv`. A document that fails
    /// is reported and not written; the others go on unless `fail_fast`. `progress` gets
    /// (done, total) after each document.
    pub fn run(
        &self,
        plan: &Plan,
        options: &BatchOptions,
        sink: Sink,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<Report, Error> {
        self.run_each(plan, options, sink, progress, &|_| {})
    }

    /// [`Engine::run`], with `written` told of each document as soon as its file is written.
    /// In a folder, files of an earlier run that this run does not make are removed (see
    /// [`output::remove_stale`]); an interrupted run still writes the index of the documents
    /// it completed.
    pub fn run_each(
        &self,
        plan: &Plan,
        options: &BatchOptions,
        mut sink: Sink,
        progress: &(dyn Fn(usize, usize) + Sync),
        written: &(dyn Fn(&IndexRow) + Sync),
    ) -> Result<Report, Error> {
        let range = options.shard.map_or(0..plan.docs.len(), |s| s.range(plan.docs.len()));
        let docs = &plan.docs[range];
        let pool = match rayon::ThreadPoolBuilder::new().num_threads(options.jobs).build() {
            Ok(pool) => pool,
            Err(e) => {
                sink.abandon();
                return Err(Error::Typeset(TypesetError::Pdf(vec![e.to_string()])));
            }
        };
        let target = sink.location("");
        // A print file that cannot be written is said before the run, not after it.
        if let Some(parent) =
            options.print.and_then(|p| p.path.parent()).filter(|p| !p.as_os_str().is_empty())
            && let Err(e) = output::make_folder(parent)
        {
            sink.abandon();
            return Err(Error::Write { path: e.0, source: e.1 });
        }
        // Shards may share one folder: each keeps its own index there.
        let index = match options.shard {
            Some(s) => format!("index-{}-of-{}.csv", s.index, s.count),
            None => "index.csv".to_string(),
        };
        // What an earlier whole run wrote into this folder, read before this run's index
        // replaces it.
        let earlier = match (&sink, options.shard) {
            (Sink::Dir(root), None) => output::earlier_index(root, &index),
            _ => Vec::new(),
        };
        let chunk = CHUNK_PER_THREAD * pool.current_num_threads();
        let done = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        let cancelled = || options.cancel.is_some_and(|c| c.load(Ordering::Relaxed));
        // Workers typeset chunk N+1 while a writer thread stores chunk N, in order.
        let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Vec<Option<Result<Made, DocError>>>)>(2);
        let written = std::thread::scope(|scope| {
            let writer = scope.spawn(move || {
                let mut report = Report { total: docs.len(), ..Report::default() };
                let mut print = options.print.map(|_| PrintFile::default());
                for (first, made) in rx {
                    for (doc, result) in docs[first..].iter().zip(made) {
                        let Some(result) = result else { continue };
                        let m = match result {
                            Ok(m) => m,
                            Err(source) => {
                                let template = doc.template.clone();
                                report.failures.push(DocFailure { template, what: describe(doc), source });
                                continue;
                            }
                        };
                        let (row, warnings) = match store(&mut sink, &mut print, doc, m, options) {
                            Ok(stored) => stored,
                            Err(e) => return Err(Box::new((sink, e))),
                        };
                        report.warnings.extend(warnings.into_iter().map(|w| (doc.file.clone(), w)));
                        written(&row);
                        report.index.push(row);
                    }
                }
                Ok((sink, report, print))
            });
            let mut first = 0;
            for batch in docs.chunks(chunk.max(1)) {
                let make = |doc: &Planned| {
                    if stop.load(Ordering::Relaxed) || cancelled() {
                        return None;
                    }
                    let r = self.make(plan, doc, options);
                    if r.is_err() && options.fail_fast {
                        stop.store(true, Ordering::Relaxed);
                    }
                    progress(done.fetch_add(1, Ordering::Relaxed) + 1, docs.len());
                    Some(r)
                };
                // One thread works in row order, so --fail-fast stops exactly at the first failure.
                let made: Vec<_> = if pool.current_num_threads() == 1 {
                    batch.iter().map(make).collect()
                } else {
                    pool.install(|| batch.par_iter().map(make).collect())
                };
                // Typst memoises every document (measured: ~0.8 MB per certificate), so the
                // cache is emptied between chunks; keeping older entries (evict(1), evict(2))
                // cost more memory and saved no time. From this thread only, between chunks,
                // never inside the workers.
                comemo::evict(0);
                // A closed channel means the writer failed; it reports why.
                if tx.send((first, made)).is_err() || stop.load(Ordering::Relaxed) || cancelled() {
                    break;
                }
                first += batch.len();
            }
            drop(tx);
            writer.join().unwrap_or_else(|_| {
                let source = std::io::Error::other("the writer thread panicked");
                Err(Box::new((Sink::Memory(Vec::new()), Error::Write { path: target.clone(), source })))
            })
        });
        let (sink, report, print) = match written {
            Ok(done) => done,
            Err(failed) => {
                let (sink, e) = *failed;
                sink.abandon();
                return Err(e);
            }
        };
        let run = Finished { sink, report, print, index, earlier, target, docs: docs.len() };
        self.finish(plan, options, run)
    }

    /// The end of a run: the print file, the index and set-aside lists, the stale files of an
    /// earlier run, and the sink closed. The print file is exported before anything is
    /// written, so a run interrupted during the export writes none, and it is removed again
    /// when a later write fails.
    fn finish(&self, plan: &Plan, options: &BatchOptions, run: Finished) -> Result<Report, Error> {
        let Finished { mut sink, mut report, print, index, earlier, target, docs } = run;
        let cancelled = || options.cancel.is_some_and(|c| c.load(Ordering::Relaxed));
        let print = match (options.print, print) {
            (Some(to), Some(print)) if !print.is_empty() && !cancelled() => {
                let pages = print.len();
                match self.print_pdf(to, print, options.render.standard) {
                    Ok(pdf) => Some((to, pdf, pages)),
                    Err(e) => {
                        sink.abandon();
                        return Err(e);
                    }
                }
            }
            _ => None,
        };
        if print.is_none() {
            // No print file: the index names no pages of it.
            report.index.iter_mut().for_each(|r| r.print_pages = None);
        }
        let set_aside = output::csv(
            &["sheet", "row", "reason"],
            plan.set_aside.iter().map(|s| vec![s.sheet.clone(), s.row.to_string(), s.reason()]),
        );
        let lists = [(index.as_str(), output::index_csv(&report.index)), ("set-aside.csv", set_aside)];
        let finish_lists = |sink: &mut Sink| {
            lists.iter().try_for_each(|(name, bytes)| {
                sink.put(name, bytes).map_err(|source| Error::Write { path: sink.location(name), source })
            })
        };
        if cancelled() {
            // A folder keeps the index of the documents completed; a half ZIP is removed.
            if matches!(sink, Sink::Dir(_)) {
                let _ = finish_lists(&mut sink);
            } else {
                sink.abandon();
            }
            return Err(Error::Interrupted);
        }
        report.stopped = report.index.len() + report.failures.len() < docs;
        let written = match &print {
            Some((to, pdf, _)) => write_print(to, pdf, &lists),
            None => Ok(()),
        };
        let unprint = || print.iter().for_each(|(to, _, _)| remove_print(to));
        if let Err(e) = written.and_then(|()| finish_lists(&mut sink)) {
            sink.abandon();
            unprint();
            return Err(e);
        }
        if let Sink::Dir(root) = &sink {
            // Only the files of templates this run makes: `render` of one template into a
            // folder that `build` filled leaves the other templates' files alone.
            let made: Vec<&str> = plan.docs.iter().map(|d| d.file.as_str()).collect();
            let ours: Vec<output::Written> =
                earlier.into_iter().filter(|w| plan.bounds.iter().any(|(t, _)| *t == w.template)).collect();
            report.stale = output::remove_stale(root, &ours, &made);
        }
        report.files = sink.finish().map_err(|source| {
            unprint();
            Error::Write { path: target, source }
        })?;
        report.printed = print.map(|(_, _, pages)| pages);
        Ok(report)
    }

    /// The print file's PDF, named after its file.
    fn print_pdf(&self, to: PrintTo, print: PrintFile, standard: Standard) -> Result<Vec<u8>, Error> {
        let name = to.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let title = format!("Bản in: {name}");
        Ok(print.pdf(&self.typesetter, &title, &format!("print/{name}"), standard)?)
    }

    /// Renders every document of template `name` for `wb` in memory. Nothing is returned
    /// unless every document succeeded; otherwise each failure is listed.
    pub fn render(
        &self,
        name: &str,
        wb: &Workbook,
        options: &RenderOptions,
        overrides: &Profile,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<Rendered, Error> {
        let plan = self.plan(&[name], wb, options, false, false, overrides)?;
        let batch = BatchOptions { render: *options, jobs: 1, keep_typst: true, ..BatchOptions::default() };
        let report = self.run(&plan, &batch, Sink::Memory(Vec::new()), progress)?;
        if !report.failures.is_empty() {
            return Err(Error::Documents { total: report.total, failures: report.failures });
        }
        // The memory sink holds each PDF followed by its Typst source.
        let mut files = report.files.into_iter();
        let documents = plan
            .docs
            .iter()
            .zip(report.index)
            .map(|(doc, row)| {
                let pdf = files.next().map(|(_, b)| b).unwrap_or_default();
                let typst =
                    files.next().map(|(_, b)| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
                let warnings =
                    report.warnings.iter().filter(|(f, _)| *f == doc.file).map(|(_, w)| w.clone()).collect();
                Document {
                    file_name: doc.file.clone(),
                    pdf,
                    pages: row.pages,
                    source: doc.source.clone(),
                    typst,
                    warnings,
                }
            })
            .collect();
        Ok(Rendered { template: name.to_string(), documents, set_aside: plan.set_aside, notes: plan.notes })
    }
}

/// How a workbook fits one template: what the web page shows per template.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Fit {
    /// The template.
    pub name: String,
    /// Its one-line description.
    pub description: String,
    /// Whether its documents can be made now.
    pub fits: bool,
    /// The documents it would make, in run order.
    pub documents: Vec<DocSummary>,
    /// Every problem that stops it.
    pub problems: Vec<Problem>,
    /// Cells that would not print as typed, and typed totals that disagree with their rows.
    pub warnings: Vec<Problem>,
    /// What the user should know that is not wrong (a column no field reads, and the field
    /// it may be).
    pub notes: Vec<Problem>,
    /// A failure that is not the workbook's (a broken template), as text.
    pub error: Option<String>,
}

/// One document of a template, for choosing it in a preview.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DocSummary {
    /// The unit or awardee, or the document's name.
    pub name: String,
    /// Its file name.
    pub file: String,
    /// The sheet it comes from (one-per templates).
    pub sheet: Option<String>,
    /// Its row in that sheet (from 1).
    pub row: Option<usize>,
}

/// One page of one document, drawn.
#[derive(Debug, Clone)]
pub struct Preview {
    /// The page as PNG.
    pub png: Vec<u8>,
    /// How many pages the document has.
    pub pages: usize,
}

impl Engine {
    /// How `wb` with `profile` fits every template, each checked with only the parts of the
    /// profile it reads (an item typed for the decision is no problem of the report).
    pub fn assess(&self, wb: &Workbook, profile: &Profile, options: &RenderOptions) -> Vec<Fit> {
        self.templates
            .templates
            .values()
            .map(|t| {
                let mut fit = Fit {
                    name: t.name.clone(),
                    description: t.manifest.description.clone(),
                    fits: false,
                    documents: Vec::new(),
                    problems: Vec::new(),
                    warnings: Vec::new(),
                    notes: Vec::new(),
                    error: None,
                };
                match self.plan(
                    &[t.name.as_str()],
                    wb,
                    options,
                    false,
                    false,
                    &bind::profile_for(&t.manifest, profile),
                ) {
                    Ok(plan) => {
                        fit.fits = !plan.docs.is_empty();
                        fit.documents = plan
                            .docs
                            .iter()
                            .map(|d| DocSummary {
                                name: d.name.clone(),
                                file: d.file.clone(),
                                sheet: d.source.as_ref().map(|s| s.0.clone()),
                                row: d.source.as_ref().map(|s| s.1),
                            })
                            .collect();
                        fit.warnings = plan.warnings;
                        fit.notes = plan.notes;
                    }
                    Err(Error::Problems { problems, .. }) => fit.problems = problems,
                    Err(e) => fit.error = Some(e.to_string()),
                }
                fit
            })
            .collect()
    }

    /// The plan of one template for the page: `profile` cut to what the template reads.
    pub fn plan_one(
        &self,
        name: &str,
        wb: &Workbook,
        profile: &Profile,
        options: &RenderOptions,
    ) -> Result<Plan, Error> {
        let t = self.templates.get(name)?;
        self.plan(&[name], wb, options, false, false, &bind::profile_for(&t.manifest, profile))
    }

    /// Page `page` (from 0) of document `doc` (from 0, run order) of template `name`, drawn
    /// by the same typesetter as the PDF at `scale` pixels per point.
    pub fn preview(
        &self,
        name: &str,
        wb: &Workbook,
        profile: &Profile,
        options: &RenderOptions,
        (doc, page): (usize, usize),
        scale: f64,
    ) -> Result<Preview, Error> {
        let plan = self.plan_one(name, wb, profile, options)?;
        self.preview_plan(&plan, (doc, page), scale)
    }

    /// Page `page` (from 0) of document `doc` (from 0) of `plan` (from [`Engine::plan_one`],
    /// perhaps onto a blank) drawn at `scale` pixels per point.
    pub fn preview_plan(
        &self,
        plan: &Plan,
        (doc, page): (usize, usize),
        scale: f64,
    ) -> Result<Preview, Error> {
        let planned =
            plan.docs.get(doc).ok_or(Error::NoSuchDocument { doc: doc + 1, total: plan.docs.len() })?;
        let (typst, date) = self.typst_for(plan, planned).map_err(|e| Error::Document(Box::new(e)))?;
        let name = &planned.template;
        let (laid_out, _) =
            self.typesetter.compile_with(name, &typst, date, &self.attachments(plan, name))?;
        let pages = laid_out.pages().len();
        let png =
            self.typesetter.png(&laid_out, page, scale).ok_or(Error::NoSuchPage { page: page + 1, pages })?;
        Ok(Preview { png, pages })
    }

    /// The PDF of document `doc` (from 0) of template `name`, as the batch would write it.
    pub fn one_pdf(
        &self,
        name: &str,
        wb: &Workbook,
        profile: &Profile,
        options: &RenderOptions,
        doc: usize,
    ) -> Result<(String, Vec<u8>), Error> {
        let plan = self.plan_one(name, wb, profile, options)?;
        self.one_pdf_plan(&plan, options, doc)
    }

    /// The PDF of document `doc` (from 0) of `plan` (from [`Engine::plan_one`], perhaps onto
    /// a blank), as the batch would write it.
    pub fn one_pdf_plan(
        &self,
        plan: &Plan,
        options: &RenderOptions,
        doc: usize,
    ) -> Result<(String, Vec<u8>), Error> {
        let planned =
            plan.docs.get(doc).ok_or(Error::NoSuchDocument { doc: doc + 1, total: plan.docs.len() })?;
        let made = self
            .make(plan, planned, &BatchOptions { render: *options, ..BatchOptions::default() })
            .map_err(|e| Error::Document(Box::new(e)))?;
        Ok((planned.file.clone(), made.pdf))
    }
}

/// What a run has made when its documents are done, for [`Engine::finish`].
struct Finished {
    sink: Sink,
    report: Report,
    print: Option<PrintFile>,
    /// The index's file name in the sink.
    index: String,
    /// What an earlier run wrote into the folder.
    earlier: Vec<output::Written>,
    /// Where the run writes, for messages.
    target: PathBuf,
    /// How many documents the run (or its shard) had.
    docs: usize,
}

/// The files beside a print file that is all the run writes: its index and set-aside list
/// (`lists`, in that order, whatever the shard names the index in a folder).
const BESIDE: [&str; 2] = ["index.csv", "set-aside.csv"];

/// Writes the print file, and when it is all the run writes, `lists` (the index and the
/// set-aside rows) beside it, after it.
fn write_print(to: &PrintTo, pdf: &[u8], lists: &[(&str, Vec<u8>)]) -> Result<(), Error> {
    let write = |path: &std::path::Path, bytes: &[u8]| {
        output::write_atomic(path, bytes).map_err(|source| Error::Write { path: path.to_path_buf(), source })
    };
    write(to.path, pdf)?;
    if to.only {
        for (what, (_, bytes)) in BESIDE.iter().zip(lists) {
            write(&to.beside(what), bytes)?;
        }
    }
    Ok(())
}

/// Removes what [`write_print`] wrote, when a later step of the run failed.
fn remove_print(to: &PrintTo) {
    let _ = std::fs::remove_file(to.path);
    if to.only {
        for what in BESIDE {
            let _ = std::fs::remove_file(to.beside(what));
        }
    }
}

/// Writes one made document into `sink` (unless only the print file is made) with its
/// Typst source when asked, adds its pages to `print`, and returns its index row and
/// warnings.
fn store(
    sink: &mut Sink,
    print: &mut Option<PrintFile>,
    doc: &Planned,
    mut m: Made,
    options: &BatchOptions,
) -> Result<(IndexRow, Vec<String>), Error> {
    let mut put = |file: &str, bytes: &[u8]| {
        sink.put(file, bytes).map_err(|source| Error::Write { path: sink.location(file), source })
    };
    let only_print = options.print.is_some_and(|p| p.only);
    if !only_print {
        put(&doc.file, &m.pdf)?;
    }
    if options.keep_typst {
        put(&format!("{}.typ", doc.file.strip_suffix(".pdf").unwrap_or(&doc.file)), m.typst.as_bytes())?;
    }
    let print_pages = print.as_mut().map(|p| p.add(std::mem::take(&mut m.layout), m.date));
    let row = IndexRow {
        template: doc.template.clone(),
        source: doc.source.clone(),
        name: doc.name.clone(),
        file: if only_print { String::new() } else { doc.file.clone() },
        pages: m.pages,
        sha256: m.sha256,
        print_pages,
    };
    Ok((row, m.warnings))
}

/// The notes of a plan, each once. A column no template reads is noted only when every
/// template that read its sheet left it unread.
fn plan_notes(reads: &[(Vec<String>, Vec<SetAside>)], notes: &[Vec<Problem>]) -> Vec<Problem> {
    let mut out: Vec<Problem> = Vec::new();
    for note in notes.iter().flatten() {
        let everywhere = match (&note.kind, &note.sheet) {
            (ProblemKind::UnusedColumn { letter, .. }, Some(sheet)) => {
                reads.iter().zip(notes).filter(|((sheets, _), _)| sheets.contains(sheet)).all(|(_, other)| {
                    other.iter().any(|o| {
                        o.sheet == note.sheet
                            && matches!(&o.kind, ProblemKind::UnusedColumn { letter: l, .. } if l == letter)
                    })
                })
            }
            _ => true,
        };
        let same = |o: &Problem| match (&o.kind, &note.kind) {
            (ProblemKind::UnusedColumn { letter: a, .. }, ProblemKind::UnusedColumn { letter: b, .. }) => {
                a == b && o.sheet == note.sheet
            }
            _ => o == note,
        };
        if everywhere && !out.iter().any(same) {
            out.push(note.clone());
        }
    }
    out
}

/// Failures of one template with the same error (a broken template fails every document
/// the same way), from [`group_failures`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailureGroup {
    /// The template.
    pub template: String,
    /// The error, as said once for all of them.
    pub error: String,
    /// Which documents, in order (see [`DocFailure::what`]).
    pub documents: Vec<String>,
}

/// The failures grouped by template and error, in order of first appearance: the CLI says
/// a template error once with how many documents it hit, not once per document.
/// The error is said as for the group's first document.
pub fn group_failures(failures: &[DocFailure]) -> Vec<FailureGroup> {
    let mut groups: Vec<(String, FailureGroup)> = Vec::new();
    for f in failures {
        let key = same_error(&f.source);
        match groups.iter_mut().find(|(k, g)| g.template == f.template && *k == key) {
            Some((_, g)) => g.documents.push(f.what.clone()),
            None => groups.push((
                key,
                FailureGroup {
                    template: f.template.clone(),
                    error: f.source.to_string(),
                    documents: vec![f.what.clone()],
                },
            )),
        }
    }
    groups.into_iter().map(|(_, g)| g).collect()
}

/// What makes two documents' errors the same: a Typst error's template line and message
/// (its main.typ line moves with values that span lines), else the whole text.
fn same_error(e: &DocError) -> String {
    match e {
        DocError::Typeset(TypesetError::Typst(diagnostics)) => diagnostics
            .iter()
            .map(|d| match &d.template {
                Some((path, line, _)) => format!("{path}:{line}: {}", d.message),
                None => d.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.to_string(),
    }
}

fn describe(doc: &Planned) -> String {
    match &doc.source {
        Some((sheet, row)) => format!("{} ({sheet} row {row}, {})", doc.file, doc.name),
        None => doc.file.clone(),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_evenly_and_cover_everything() {
        let total = 10;
        let mut all = Vec::new();
        for k in 1..=3 {
            let s: Shard = format!("{k}/3").parse().unwrap();
            all.extend(s.range(total));
        }
        assert_eq!(all, (0..total).collect::<Vec<_>>());
        assert_eq!("2/3".parse::<Shard>().unwrap().range(10), 3..6);
        for bad in ["0/3", "4/3", "x", "1/0", "1/"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn failures_of_one_template_line_are_grouped_whatever_their_main_line() {
        let failure = |what: &str, main_line: usize, hbs_line: usize| {
            let d = crate::typeset::Diagnostic {
                file: "main.typ".into(),
                line: main_line,
                text: "Chúc mừng".into(),
                message: "expected comma".into(),
                hints: vec![],
                called_from: None,
                warning: false,
                template: Some(("mau/giay-khen/template.typ.hbs".into(), hbs_line, "Chúc mừng".into())),
            };
            let source = DocError::Typeset(TypesetError::Typst(vec![d]));
            DocFailure { template: "giay-khen".into(), what: what.into(), source }
        };
        // A value over two lines moves the main.typ line of the second document.
        let groups =
            group_failures(&[failure("a.pdf", 37, 38), failure("b.pdf", 38, 38), failure("c.pdf", 37, 40)]);
        let summary: Vec<(usize, &str)> =
            groups.iter().map(|g| (g.documents.len(), g.documents[0].as_str())).collect();
        assert_eq!(summary, [(2, "a.pdf"), (1, "c.pdf")]);
        assert!(
            groups[0].error.contains("template.typ.hbs:38 (main.typ:37): expected comma"),
            "{}",
            groups[0].error
        );
    }
}
