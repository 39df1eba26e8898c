//! Turns command-line arguments into calls of the library, and prints what it returns.
//! The only place that prints or decides the exit code.

use clap::{Args, Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use vanban::bind::Overrides;
use vanban::output::Sink;
use vanban::typeset::Standard;
use vanban::workbook::{self, Workbook};
use vanban::{BatchOptions, Engine, Error, Options, Plan, RenderOptions, Report, Shard};

/// Exit code when the workbook does not fit or a document failed.
const EXIT_PROBLEMS: i32 = 1;
/// Exit code for usage, I/O and unreadable-file errors.
const EXIT_USAGE: i32 = 2;
/// Exit code after Ctrl-C or SIGTERM (128 + SIGINT, as shells report it).
const EXIT_INTERRUPTED: i32 = 130;

/// Set by the Ctrl-C / SIGTERM handler; the batch stops starting documents and cleans up.
static CANCEL: AtomicBool = AtomicBool::new(false);

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
    /// Render one template with a workbook: one document, or one per row for per-row templates.
    Render {
        /// The template's name (see `vanban templates`).
        template: String,
        /// The workbook (xlsx, xlsm, xlsb, xls or ods).
        workbook: PathBuf,
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Render every template whose data the workbook has, each into its own folder.
    Build {
        /// The workbook.
        workbook: PathBuf,
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Check that a workbook fits a template, without rendering.
    Check {
        /// The template's name.
        template: String,
        /// The workbook.
        workbook: PathBuf,
        #[command(flatten)]
        input: InputArgs,
        /// The PDF standard rendering would use (PDF/A refuses characters no font has).
        #[arg(long, value_enum, default_value_t = PdfStandard::A2b)]
        pdf_standard: PdfStandard,
        /// Treat text that cannot be printed as typed as a problem, not a warning.
        #[arg(long)]
        strict: bool,
    },
    /// Show how the workbook is read: per sheet its header, columns and their types, the rows
    /// taken as data and those set aside, and every repair made to its text.
    Inspect {
        /// The workbook.
        workbook: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// List the templates with a one-line description.
    Templates,
}

/// How to read a workbook whose labels or layout the templates do not expect.
#[derive(Args)]
struct InputArgs {
    /// Read template field FIELD (its id or label) from the column labelled LABEL (or with
    /// column letter LABEL); repeatable.
    #[arg(long, value_name = "FIELD=LABEL", value_parser = parse_pair)]
    map: Vec<(String, String)>,
    /// Read the template's table from this sheet.
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
    /// The table's header is at this row (from 1); the row under it is taken as sub-labels
    /// when it looks like them.
    #[arg(long, value_name = "N")]
    header_row: Option<usize>,
    /// Supply or override a key/value item (issuer, date, signer ...); repeatable; a list
    /// item (recipients) takes one value per --set.
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_pair)]
    set: Vec<(String, String)>,
}

impl InputArgs {
    fn overrides(&self) -> Overrides {
        Overrides {
            map: self.map.clone(),
            sheet: self.sheet.clone(),
            header_row: self.header_row,
            set: self.set.clone(),
        }
    }
}

fn parse_pair(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.trim().to_string())),
        _ => Err(format!("expected NAME=VALUE, found \"{s}\"")),
    }
}

#[derive(Args)]
struct OutputArgs {
    /// The folder to write the documents into.
    #[arg(short, long, value_name = "DIR", required_unless_present = "zip")]
    output: Option<PathBuf>,
    /// Write one ZIP file (with index.csv inside) instead of a folder.
    #[arg(long, value_name = "FILE")]
    zip: Option<PathBuf>,
    /// The PDF standard to conform to.
    #[arg(long, value_enum, default_value_t = PdfStandard::A2b)]
    pdf_standard: PdfStandard,
    /// Paper size for templates that support several (certificates: a4 or a3); default:
    /// the template's own.
    #[arg(long, value_enum)]
    paper: Option<Paper>,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    jobs: usize,
    /// Stop at the first document that fails.
    #[arg(long)]
    fail_fast: bool,
    /// Render only the K-th of N equal slices of the documents, e.g. 2/8.
    #[arg(long, value_name = "K/N", value_parser = parse_shard)]
    shard: Option<Shard>,
    /// Also write the generated Typst source next to each PDF.
    #[arg(long)]
    keep_typst: bool,
    /// Refuse text that cannot be printed as typed (characters missing from every font,
    /// control characters) instead of warning about it.
    #[arg(long)]
    strict: bool,
}

fn parse_shard(s: &str) -> Result<Shard, String> {
    s.parse().map_err(|e: Error| e.to_string())
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
    // The workbook reader catches a panic inside calamine on malformed bytes and reports the
    // file as damaged; the panic's own message would only confuse, so it is not printed.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !vanban::workbook::caught_by_reader(info) {
            default_hook(info);
        }
    }));
    if started_without_terminal() {
        return explain_and_wait();
    }
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
            report_error(&e);
            match e {
                Error::Problems { .. } | Error::Documents { .. } => EXIT_PROBLEMS,
                Error::Interrupted => EXIT_INTERRUPTED,
                _ => EXIT_USAGE,
            }
        }
    }
}

/// True when the program was started with no arguments by a double click rather than from a
/// shell: on Windows, Explorer gives it no `PROMPT` variable (cmd.exe always sets one); on
/// other systems its standard input is not a terminal.
fn started_without_terminal() -> bool {
    if std::env::args_os().len() > 1 {
        return false;
    }
    if cfg!(windows) { std::env::var_os("PROMPT").is_none() } else { !std::io::stdin().is_terminal() }
}

/// What a double click shows: how to use the program from a command prompt, then a wait for
/// Enter so that the window does not close at once.
fn explain_and_wait() -> i32 {
    println!(
        "vanban {} — làm văn bản PDF từ tệp Excel

Chương trình này chạy trong cửa sổ dòng lệnh (Command Prompt), không chạy bằng cách nhấp đúp.
Cách dùng:
  1. Mở thư mục chứa vanban.exe, bấm vào thanh địa chỉ, gõ cmd rồi nhấn Enter.
  2. Gõ lệnh, ví dụ:
       vanban build mau\\khanh-hoa-2023.xlsx -o ket-qua
     Các văn bản PDF sẽ nằm trong thư mục ket-qua.
  3. Kiểm tra một tệp trước khi làm văn bản:
       vanban check giay-khen tep-cua-ban.xlsx
  Xem thêm trong tệp HUONG-DAN.txt, hoặc gõ: vanban --help

Nhấn Enter để đóng cửa sổ này.",
        env!("CARGO_PKG_VERSION")
    );
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
    0
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
        Command::Inspect { workbook, json } => {
            let wb = read(&workbook)?;
            let report = vanban::inspect::inspect(&wb);
            if json {
                let text = serde_json::to_string_pretty(&report).map_err(|e| Error::Write {
                    path: "standard output".into(),
                    source: std::io::Error::other(e),
                })?;
                emit(&format!("{text}\n"))?;
            } else {
                emit(&report.to_string())?;
            }
            Ok(0)
        }
        Command::Check { template, workbook, input, pdf_standard, strict } => {
            let wb = read(&workbook)?;
            let options = RenderOptions { standard: standard(pdf_standard), paper: None, strict };
            let plan = engine.check(&template, &wb, &options, &input.overrides())?;
            notes(&plan.set_aside);
            for w in &plan.warnings {
                eprintln!("warning: {w}");
            }
            let n = plan.docs.len();
            println!("{}: fits template \"{template}\" ({n} document{})", workbook.display(), plural(n));
            Ok(0)
        }
        Command::Render { template, workbook, input, out } => {
            let wb = read(&workbook)?;
            let plan = engine.plan(
                &[template.as_str()],
                &wb,
                &render_options(&out),
                false,
                false,
                &input.overrides(),
            )?;
            batch(&engine, &plan, &out)
        }
        Command::Build { workbook, input, out } => {
            let wb = read(&workbook)?;
            let names: Vec<&str> = engine.templates().templates.keys().map(String::as_str).collect();
            let plan = engine.plan(&names, &wb, &render_options(&out), true, true, &input.overrides())?;
            for s in &plan.skipped {
                eprintln!("skipped {}: {}", s.template, s.reason);
            }
            batch(&engine, &plan, &out)
        }
    }
}

fn render_options(out: &OutputArgs) -> RenderOptions {
    RenderOptions {
        standard: standard(out.pdf_standard),
        paper: out.paper.map(|p| match p {
            Paper::A4 => "a4",
            Paper::A3 => "a3",
        }),
        strict: out.strict,
    }
}

fn standard(s: PdfStandard) -> Standard {
    match s {
        PdfStandard::None => Standard::None,
        PdfStandard::A2b => Standard::PdfA2b,
    }
}

/// Runs a plan into the folder or ZIP, with a progress bar when stderr is a terminal.
fn batch(engine: &Engine, plan: &Plan, out: &OutputArgs) -> Result<i32, Error> {
    notes(&plan.set_aside);
    for w in &plan.warnings {
        eprintln!("warning: {w}");
    }
    let (sink, target) = match (&out.zip, &out.output) {
        (Some(zip), _) => (Sink::zip(zip), zip.clone()),
        (None, Some(dir)) => (Sink::dir(dir), dir.clone()),
        (None, None) => unreachable!("clap requires --output or --zip"),
    };
    let sink = sink.map_err(|source| Error::Write { path: target.clone(), source })?;
    let options = BatchOptions {
        render: render_options(out),
        jobs: out.jobs,
        fail_fast: out.fail_fast,
        shard: out.shard,
        keep_typst: out.keep_typst,
        cancel: Some(&CANCEL),
    };
    // A second signal while cleaning up ends the process at once.
    let _ = ctrlc::set_handler(|| {
        if CANCEL.swap(true, std::sync::atomic::Ordering::Relaxed) {
            std::process::exit(EXIT_INTERRUPTED);
        }
    });
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} documents  {per_sec}  {eta} left")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    });
    let progress = |done: usize, total: usize| {
        if let Some(bar) = &bar {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    };
    let report = engine.run(plan, &options, sink, &progress)?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    summarise(&report, &target, out.zip.is_some())
}

fn summarise(report: &Report, target: &Path, zip: bool) -> Result<i32, Error> {
    for (file, w) in &report.warnings {
        eprintln!("warning: {file}: {w}");
    }
    let pages: usize = report.index.iter().map(|r| r.pages).sum();
    let written = report.index.len();
    if zip {
        println!(
            "wrote {} ({written} document{}, {pages} pages, with index.csv)",
            target.display(),
            plural(written)
        );
    } else {
        for row in &report.index {
            println!("wrote {} ({} page{})", target.join(&row.file).display(), row.pages, plural(row.pages));
        }
    }
    if report.failures.is_empty() {
        return Ok(0);
    }
    eprintln!(
        "error: {} of {} document{} could not be made",
        report.failures.len(),
        report.total,
        plural(report.total)
    );
    for f in &report.failures {
        eprintln!("  {f}");
    }
    if report.stopped {
        eprintln!("stopped at the first failure (--fail-fast); the documents after it were not made");
    }
    Ok(EXIT_PROBLEMS)
}

/// Writes to standard output; a reader that stopped early (`| head`) is not an error.
fn emit(text: &str) -> Result<(), Error> {
    use std::io::Write;
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::Write { path: "standard output".into(), source: e })
        }
        _ => Ok(()),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
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
fn report_error(e: &Error) {
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
