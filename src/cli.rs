//! Turns command-line arguments into calls of the library, and prints what it returns.
//! The only place that prints or decides the exit code.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use vanban::typeset::Standard;
use vanban::workbook::{self, Workbook};
use vanban::{Engine, Error, Options, RenderOptions};

/// Exit code when the workbook does not fit or a document failed.
const EXIT_PROBLEMS: i32 = 1;
/// Exit code for usage, I/O and unreadable-file errors.
const EXIT_USAGE: i32 = 2;

#[derive(Parser)]
#[command(name = "vanban", version, about = "Turns Excel workbooks into official Vietnamese PDF documents")]
struct Cli {
    /// A folder of templates that adds to or overrides the built-in ones.
    #[arg(long, global = true, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// Also use the fonts in this file or folder (e.g. Times New Roman); repeatable.
    #[arg(long = "font-path", global = true, value_name = "PATH")]
    font_paths: Vec<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Render a template with a workbook into PDF documents.
    Render {
        /// The template's name (see `vanban templates`).
        template: String,
        /// The workbook (xlsx, xlsm, xlsb, xls or ods).
        workbook: PathBuf,
        /// The folder to write the documents into.
        #[arg(short, long, value_name = "DIR")]
        output: PathBuf,
        /// The PDF standard to conform to.
        #[arg(long, value_enum, default_value_t = PdfStandard::None)]
        pdf_standard: PdfStandard,
        /// Also write the generated Typst source next to each PDF.
        #[arg(long)]
        keep_typst: bool,
        /// Paper size, for templates that support several (certificates: a4 or a3);
        /// default: the template's own.
        #[arg(long, value_enum)]
        paper: Option<Paper>,
    },
    /// Check that a workbook fits a template, without rendering.
    Check {
        /// The template's name.
        template: String,
        /// The workbook.
        workbook: PathBuf,
    },
    /// List the templates with a one-line description.
    Templates,
}

#[derive(Clone, Copy, ValueEnum)]
enum Paper {
    /// A4 (210 × 297 mm).
    A4,
    /// A3 (297 × 420 mm).
    A3,
}

#[derive(Clone, Copy, ValueEnum)]
enum PdfStandard {
    /// Plain PDF 1.7.
    None,
    /// PDF/A-2b, for archiving.
    #[value(name = "a-2b")]
    A2b,
}

/// Runs the command line and returns the exit code.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_USAGE } else { 0 };
        }
    };
    match execute(cli) {
        Ok(code) => code,
        Err(e) => {
            report(&e);
            match e {
                Error::Problems { .. } | Error::Documents { .. } => EXIT_PROBLEMS,
                _ => EXIT_USAGE,
            }
        }
    }
}

fn execute(cli: Cli) -> Result<i32, Error> {
    let options = Options { templates_dir: cli.templates, font_paths: cli.font_paths };
    let engine = Engine::new(&options)?;
    match cli.command {
        Command::Templates => {
            for t in engine.templates().templates.values() {
                println!("{:<24} {}", t.name, t.manifest.description);
            }
            Ok(0)
        }
        Command::Check { template, workbook } => {
            let wb = read(&workbook)?;
            let bound = engine.check(&template, &wb)?;
            notes(&bound.set_aside);
            println!(
                "{}: fits template \"{template}\" ({} document{})",
                workbook.display(),
                bound.documents.len(),
                if bound.documents.len() == 1 { "" } else { "s" }
            );
            Ok(0)
        }
        Command::Render { template, workbook, output, pdf_standard, keep_typst, paper } => {
            let wb = read(&workbook)?;
            let standard = match pdf_standard {
                PdfStandard::None => Standard::None,
                PdfStandard::A2b => Standard::PdfA2b,
            };
            let paper = paper.map(|p| match p {
                Paper::A4 => "a4",
                Paper::A3 => "a3",
            });
            let rendered = engine.render(&template, &wb, &RenderOptions { standard, paper }, &|_, _| {})?;
            notes(&rendered.set_aside);
            let written = vanban::write_documents(&output, &rendered.documents)?;
            for (doc, path) in rendered.documents.iter().zip(&written) {
                for w in &doc.warnings {
                    eprintln!("warning: {}: {w}", doc.file_name);
                }
                if keep_typst {
                    let typ = path.with_extension("typ");
                    vanban::output::write_atomic(&typ, doc.typst.as_bytes())
                        .map_err(|source| Error::Write { path: typ.clone(), source })?;
                }
                println!(
                    "wrote {} ({} page{})",
                    path.display(),
                    doc.pages,
                    if doc.pages == 1 { "" } else { "s" }
                );
            }
            Ok(0)
        }
    }
}

fn read(path: &Path) -> Result<Workbook, Error> {
    Ok(workbook::read_path(path)?)
}

fn notes(set_aside: &[vanban::bind::SetAside]) {
    for s in set_aside {
        eprintln!("note: {} row {} set aside: {}", s.sheet, s.row, s.reason);
    }
}

/// Prints `error:` and the error, its listed problems or failures, then each cause.
fn report(e: &Error) {
    eprintln!("error: {e}");
    match e {
        Error::Problems { problems, .. } => {
            for p in problems {
                eprintln!("  {p}");
            }
        }
        Error::Documents { failures, .. } => {
            for f in failures {
                eprintln!("  {f}");
            }
        }
        _ => {}
    }
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        eprintln!("  cause: {cause}");
        source = cause.source();
    }
}
