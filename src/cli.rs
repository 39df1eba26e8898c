//! Turns command-line arguments into calls of the library, and prints what it returns.
//! The only place that prints or decides the exit code.

use clap::{Args, Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use vanban::blank::{Blank, BlankProfile};
use vanban::messages::{self, Lang};
use vanban::output::Sink;
use vanban::print::PrintTo;
use vanban::profile::Profile;
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

/// The language of messages, decided once from `--lang` or the environment.
static LANG: std::sync::OnceLock<Lang> = std::sync::OnceLock::new();

/// The port `vanban serve` listens on by default.
const DEFAULT_PORT: u16 = 8686;

fn lang() -> Lang {
    LANG.get().copied().unwrap_or_default()
}

/// Whether vanban was started with no arguments and not from a terminal: double-clicked in
/// Explorer (which sets no `PROMPT`, unlike a command prompt) or from a desktop launcher.
fn started_without_terminal() -> bool {
    if std::env::args_os().len() > 1 {
        return false;
    }
    if cfg!(windows) { std::env::var_os("PROMPT").is_none() } else { !std::io::stdin().is_terminal() }
}

/// What `vanban serve` was asked for.
struct ServeArgs {
    port: u16,
    host: Option<std::net::IpAddr>,
    open: bool,
    max_upload_mb: usize,
    any_port: bool,
}

/// `vanban serve`: the address to open is the first line on stdout; Ctrl-C stops it.
/// `VANBAN_NO_BROWSER` set keeps the browser closed (for scripts and tests).
fn serve(engine: Engine, args: ServeArgs, read_limits: workbook::ReadLimits) -> Result<i32, Error> {
    let mut options = vanban::serve::ServeOptions {
        read_limits,
        port: args.port,
        any_port_if_taken: args.any_port,
        open: args.open && std::env::var_os("VANBAN_NO_BROWSER").is_none(),
        max_upload: args.max_upload_mb.saturating_mul(1024 * 1024),
        ..Default::default()
    };
    if let Some(host) = args.host {
        if !host.is_loopback() {
            eprintln!(
                "{}",
                lang().pick(
                    "warning: --host: the page is reachable from other computers on the network; anyone who has the address with its token can read the workbooks sent to it",
                    "cảnh báo: --host: các máy khác trong mạng cũng vào được trang này; ai có địa chỉ kèm mã truy cập đều xem được sổ tính gửi lên",
                )
            );
        }
        options.host = host;
    }
    vanban::serve::run(engine, options, |url| {
        println!("{url}");
        eprintln!(
            "{}",
            lang().pick(
                "vanban is serving the page above on this computer only; press Ctrl-C to stop.",
                "vanban đang mở trang ở địa chỉ trên, chỉ trên máy này; bấm Ctrl-C để dừng.",
            )
        );
        use std::io::Write;
        let _ = std::io::stdout().flush();
    })
    .map_err(|source| Error::Serve { port: args.port, source })?;
    Ok(0)
}

#[derive(Parser)]
#[command(name = "vanban", version, about = "Turns Excel workbooks into official Vietnamese PDF documents")]
struct Cli {
    /// A folder of templates that adds to or overrides the built-in ones.
    #[arg(long, global = true, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// Also use the fonts in this file or folder (e.g. Times New Roman); repeatable.
    #[arg(long = "font-path", global = true, value_name = "PATH")]
    font_paths: Vec<PathBuf>,
    /// The language of messages: en or vi (default: vi when LANG or LC_ALL starts with "vi").
    #[arg(long, global = true, value_name = "LANG", value_parser = parse_lang)]
    lang: Option<Lang>,
    /// Refuse a workbook with more cells than this, counting each row up to its last cell.
    #[arg(long, global = true, value_name = "N", default_value_t = workbook::ReadLimits::default().max_cells)]
    max_cells: u64,
    /// Refuse a workbook that unpacks to more than this many MiB (or whose cells hold more text).
    #[arg(long = "max-unpacked-mb", global = true, value_name = "N",
          default_value_t = workbook::ReadLimits::default().max_unpacked_bytes / (1024 * 1024))]
    max_unpacked_mb: u64,
    #[command(subcommand)]
    command: Option<Command>,
}

/// `--lang L` or `--lang=L` among the arguments, before clap has parsed them (the help
/// text depends on it).
fn lang_of_args() -> Option<Lang> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().enumerate().find_map(|(i, a)| match a.strip_prefix("--lang") {
        Some("") => args.get(i + 1).and_then(|v| Lang::parse(v)),
        Some(rest) => rest.strip_prefix('=').and_then(Lang::parse),
        None => None,
    })
}

/// The Vietnamese of the help texts: (subcommand or "" for the top, argument or "" for the
/// command itself, text). clap's derive writes English; under Vietnamese these replace it.
const HELP_VI: &[(&str, &str, &str)] = &[
    ("", "", "Biến sổ tính Excel thành văn bản PDF chính thức của cơ quan Đảng, Nhà nước"),
    ("", "templates", "Thư mục mẫu văn bản bổ sung hoặc thay mẫu có sẵn"),
    (
        "",
        "font_paths",
        "Dùng thêm phông chữ trong tệp hoặc thư mục này (ví dụ Times New Roman); được nhắc lại",
    ),
    (
        "",
        "lang",
        "Ngôn ngữ của thông báo: en hoặc vi (mặc định: vi khi LANG hoặc LC_ALL bắt đầu bằng \"vi\")",
    ),
    ("render", "", "Làm văn bản theo một mẫu: một văn bản, hoặc mỗi dòng một văn bản"),
    ("build", "", "Làm văn bản theo mọi mẫu mà sổ tính có đủ dữ liệu, mỗi mẫu một thư mục"),
    ("check", "", "Kiểm tra sổ tính có khớp mẫu không, không làm văn bản"),
    (
        "inspect",
        "",
        "Cho xem vanban đọc sổ tính thế nào: từng trang tính, tên cột, kiểu dữ liệu, dòng dữ liệu và dòng để riêng",
    ),
    ("templates", "", "Liệt kê các mẫu văn bản"),
    ("serve", "", "Mở trang làm việc trên máy này (http://127.0.0.1:8686) trong trình duyệt"),
    ("serve", "port", "Cổng; 0 là một cổng trống bất kỳ"),
    ("serve", "host", "Nghe ở địa chỉ này thay cho 127.0.0.1 (các máy khác vào được trang)"),
    ("serve", "no_open", "Không mở trình duyệt"),
    ("serve", "max_upload", "Sổ tính lớn nhất được nhận, tính bằng MB"),
    ("*", "template", "Tên mẫu văn bản (xem vanban templates)"),
    ("*", "workbook", "Sổ tính (xlsx, xlsm, xlsb, xls hoặc ods)"),
    (
        "*",
        "map",
        "Đọc trường FIELD (mã hoặc nhãn) từ cột có nhãn LABEL (hoặc chữ cái của cột); được nhắc lại",
    ),
    ("*", "sheet", "Đọc bảng của mẫu từ trang tính này"),
    ("*", "header_row", "Dòng tên cột của bảng (tính từ 1)"),
    ("*", "set", "Nhập hoặc thay một mục (cơ quan, ngày, người ký ...); được nhắc lại"),
    (
        "*",
        "profile",
        "Đọc các lựa chọn trên từ tệp hồ sơ (TOML, như trang web lưu); lựa chọn ở dòng lệnh được áp lên trên",
    ),
    ("*", "output", "Thư mục ghi văn bản"),
    ("*", "zip", "Ghi một tệp ZIP (kèm index.csv) thay cho thư mục"),
    (
        "*",
        "print",
        "Ghi thêm mọi văn bản, theo thứ tự, thành một tệp PDF này để in một lần (phông nhúng một lần); index.csv ghi trang nào của ai. Dùng riêng (không có -o, --zip) thì chỉ ghi tệp này, kèm TỆP-index.csv và TỆP-set-aside.csv bên cạnh",
    ),
    ("*", "pdf_standard", "Chuẩn PDF"),
    ("*", "paper", "Khổ giấy cho mẫu có nhiều khổ (giấy khen: a4 hoặc a3)"),
    ("*", "jobs", "Số luồng làm việc (mặc định: mỗi lõi một luồng)"),
    ("*", "fail_fast", "Dừng ở văn bản lỗi đầu tiên"),
    ("*", "shard", "Chỉ làm phần thứ K trong N phần bằng nhau, ví dụ 2/8"),
    ("*", "keep_typst", "Ghi cả mã Typst bên cạnh mỗi tệp PDF"),
    ("*", "strict", "Từ chối chữ không in được đúng như gõ thay vì chỉ cảnh báo"),
    ("*", "json", "In ra JSON thay cho văn bản"),
    ("", "max_cells", "Từ chối sổ tính có nhiều ô hơn số này, mỗi dòng tính đến ô cuối cùng của nó"),
    (
        "",
        "max_unpacked_mb",
        "Từ chối sổ tính khi giải nén lớn hơn số MiB này (hoặc chữ trong các ô nhiều hơn)",
    ),
    ("templates", "name", "Mẫu cần xem"),
    // After the "*" entries: the fill-in workbook is written, not read.
    (
        "templates",
        "workbook",
        "Ghi một sổ tính để điền cho mẫu NAME: đúng các trang tính và cột mẫu đọc, mỗi cột kèm ghi chú (không ghi đè tệp có sẵn)",
    ),
    (
        "templates",
        "export",
        "Ghi mọi mẫu có sẵn và thư viện Typst dùng chung vào DIR, để sửa rồi dùng với --templates DIR (không ghi đè tệp)",
    ),
    ("blank-profile", "", "Ghi hồ sơ phôi có sẵn cho một khổ giấy (để sửa rồi dùng với --blank)"),
    ("blank-profile", "paper", "Khổ giấy của phôi"),
    (
        "*",
        "blank",
        "Giấy khen: chỉ in phần chữ thay đổi, mỗi trường vào ô của nó theo hồ sơ phôi này (TOML); văn bản khác in như thường",
    ),
    ("*", "calibrate", "Ghi một trang căn chỉnh (lưới milimét và ô của từng trường) thay cho văn bản"),
    ("*", "blank_preview", "Bản xem trước: ảnh quét của phôi nằm dưới chữ (không dùng để in)"),
];

/// The command line's definition, its help in `lang`.
fn command(lang: Lang) -> clap::Command {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    if lang == Lang::En {
        return cmd;
    }
    let template = |with_commands: bool| {
        let commands = if with_commands { "Lệnh:\n{subcommands}\n\n" } else { "" };
        format!(
            "{{about}}\n\nCách dùng: {{usage}}\n\n{commands}Đối số:\n{{positionals}}\n\nTùy chọn:\n{{options}}\n"
        )
    };
    // clap's own --help and --version, with Vietnamese help.
    cmd = cmd
        .help_template(template(true))
        .disable_help_flag(true)
        .disable_version_flag(true)
        .arg(
            clap::Arg::new("help")
                .short('h')
                .long("help")
                .global(true)
                .action(clap::ArgAction::Help)
                .help("In hướng dẫn"),
        )
        .arg(
            clap::Arg::new("version")
                .short('V')
                .long("version")
                .action(clap::ArgAction::Version)
                .help("In số phiên bản"),
        );
    let names: Vec<String> = cmd.get_subcommands().map(|c| c.get_name().to_string()).collect();
    for &(sub, arg, text) in HELP_VI {
        match (sub, arg) {
            ("", "") => cmd = cmd.about(text),
            ("", arg) => cmd = cmd.mut_arg(arg, |a| a.help(text)),
            ("*", arg) => {
                for name in &names {
                    let has = cmd
                        .find_subcommand(name)
                        .is_some_and(|c| c.get_arguments().any(|a| a.get_id() == arg));
                    if has {
                        cmd = cmd.mut_subcommand(name, |c| c.mut_arg(arg, |a| a.help(text)));
                    }
                }
            }
            (sub, "") => cmd = cmd.mut_subcommand(sub, |c| c.about(text).help_template(template(false))),
            (sub, arg) => cmd = cmd.mut_subcommand(sub, |c| c.mut_arg(arg, |a| a.help(text))),
        }
    }
    cmd
}

/// A usage error (an unknown option, a value that does not parse) in Vietnamese, for the
/// kinds a user meets; `None` leaves the error, help and version to clap.
fn usage_error_vi(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind as C, ErrorKind as K};
    let get = |kind| e.get(kind).map(ToString::to_string).unwrap_or_default();
    let suggested = match e.get(C::SuggestedArg).or(e.get(C::SuggestedSubcommand)) {
        Some(s) => format!("; có phải là '{s}'?"),
        None => String::new(),
    };
    let (arg, value) = (get(C::InvalidArg), get(C::InvalidValue));
    let text = match e.kind() {
        K::ValueValidation => {
            let why = match std::error::Error::source(e) {
                Some(s) if s.is::<std::num::ParseIntError>() => ": cần một số nguyên".to_string(),
                Some(s) if s.is::<std::net::AddrParseError>() => ": cần một địa chỉ IP".to_string(),
                Some(s) => format!(": {s}"),
                None => String::new(),
            };
            format!("giá trị '{value}' của {arg} không hợp lệ{why}")
        }
        // Clap says a missing value this way ("a value is required for '--print'").
        K::InvalidValue if value.is_empty() => format!("{arg} cần một giá trị"),
        K::InvalidValue => format!(
            "giá trị '{value}' của {arg} không hợp lệ; các giá trị được nhận: {}{suggested}",
            get(C::ValidValue)
        ),
        K::UnknownArgument => format!("không có tùy chọn '{arg}'{suggested}"),
        K::InvalidSubcommand => format!("không có lệnh '{}'{suggested}", get(C::InvalidSubcommand)),
        K::MissingRequiredArgument => format!("thiếu {arg}"),
        K::ArgumentConflict => format!("{arg} không dùng được cùng với {}", get(C::PriorArg)),
        K::NoEquals | K::TooManyValues | K::TooFewValues | K::WrongNumberOfValues => {
            format!("{arg}: số giá trị không đúng")
        }
        _ => return None,
    };
    Some(format!("lỗi: {text}\n\nGõ thêm --help để xem hướng dẫn."))
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| match Lang::from_env() {
        Lang::En => format!("expected en or vi, found \"{s}\""),
        Lang::Vi => format!("cần en hoặc vi, nhưng đã ghi \"{s}\""),
    })
}

#[derive(Subcommand)]
enum Command {
    /// Render one template with a workbook: one document, or one per row for per-row templates.
    Render {
        /// The template's name (see `vanban templates`).
        template: String,
        /// The workbook (xlsx, xlsm, xlsb, xls or ods).
        workbook: Option<PathBuf>,
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        out: OutputArgs,
        #[command(flatten)]
        blank: BlankArgs,
    },
    /// Write the built-in blank profile for a paper size (to edit, then use with
    /// `render giay-khen --blank FILE`).
    BlankProfile {
        /// The paper of the blank.
        #[arg(long, value_enum, default_value_t = Paper::A4)]
        paper: Paper,
    },
    /// Render every template whose data the workbook has, each into its own folder.
    Build {
        /// The workbook.
        workbook: PathBuf,
        #[command(flatten)]
        input: InputArgs,
        #[command(flatten)]
        out: OutputArgs,
        #[command(flatten)]
        blank: BlankArgs,
    },
    /// Check that a workbook fits a template, without rendering.
    Check {
        /// The template's name.
        template: String,
        /// The workbook.
        workbook: Option<PathBuf>,
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
    /// List the templates; with NAME, show what it reads (sheets, columns, types, which are
    /// required and why).
    Templates {
        /// The template to describe.
        name: Option<String>,
        /// Write a fill-in workbook for NAME: exactly the sheets and columns it reads, a note
        /// on each (never over an existing file).
        #[arg(long, value_name = "FILE.xlsx", requires = "name")]
        workbook: Option<PathBuf>,
        /// Write every built-in template and the shared Typst library into DIR, to edit and
        /// use with --templates DIR (refuses to overwrite files).
        #[arg(long, value_name = "DIR", conflicts_with_all = ["name", "workbook"])]
        export: Option<PathBuf>,
    },
    /// Start the web page on this computer (http://127.0.0.1:8686) and open it in the browser.
    Serve {
        /// The port to listen on; 0 for any free port.
        #[arg(long, default_value_t = 8686)]
        port: u16,
        /// Listen on this address instead of 127.0.0.1 (other computers can then reach the page).
        #[arg(long, value_name = "ADDRESS")]
        host: Option<std::net::IpAddr>,
        /// Do not open the browser.
        #[arg(long)]
        no_open: bool,
        /// Largest workbook accepted, in megabytes.
        #[arg(long, value_name = "MB", default_value_t = 50)]
        max_upload: usize,
    },
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
    /// Read these overrides from a profile file (TOML, as the web page saves it); the
    /// options above go on top of it.
    #[arg(long, value_name = "FILE")]
    profile: Option<PathBuf>,
}

impl InputArgs {
    /// The profile file (if any) with the command line's options on top.
    fn overrides(&self) -> Result<Profile, Error> {
        let flags = Profile {
            map: self.map.clone(),
            sheet: self.sheet.clone(),
            header_row: self.header_row,
            set: self.set.clone(),
        };
        let base = match &self.profile {
            Some(path) => Profile::read(path).map_err(Error::Profile)?,
            None => Profile::default(),
        };
        Ok(base.overlay(&flags))
    }
}

/// Printing certificates onto pre-printed blanks.
#[derive(Args)]
struct BlankArgs {
    /// Certificates: print only the variable text, each field in its box of this blank profile
    /// (TOML; see `vanban blank-profile`); other documents print as usual.
    #[arg(long, value_name = "PROFILE.toml", conflicts_with = "paper")]
    blank: Option<PathBuf>,
    /// Write one calibration sheet (a millimetre grid and every field's box) instead of the
    /// documents; no workbook is needed.
    #[arg(long, requires = "blank")]
    calibrate: bool,
    /// Previews: the profile's scanned blank under the text (never for printing).
    #[arg(long, requires = "blank")]
    blank_preview: bool,
}

/// The file the calibration sheet is written to.
const CALIBRATION_FILE: &str = "can-chinh-phoi.pdf";

impl BlankArgs {
    /// The blank of `--blank`, checked; none without it.
    fn read(&self) -> Result<Option<Blank>, Error> {
        let Some(path) = &self.blank else { return Ok(None) };
        let profile = BlankProfile::read(path)?;
        if self.blank_preview && profile.background.is_none() {
            eprintln!(
                "{}",
                lang().pick(
                    "note: --blank-preview: the profile names no scanned blank (`background`), so the previews are the text alone",
                    "ghi chú: --blank-preview: hồ sơ phôi không có ảnh phôi đã quét (`background`), nên bản xem trước chỉ có phần chữ",
                )
            );
        }
        Ok(Some(Blank::new(profile, self.blank_preview)?))
    }
}

/// `--blank PROFILE --calibrate`: the calibration sheet, into the folder or ZIP.
fn calibrate(engine: &Engine, blank: &Blank, out: &OutputArgs) -> Result<i32, Error> {
    let pdf = engine.calibration(blank, standard(out.pdf_standard))?;
    let (mut sink, target, print_only) = output_sink(out)?;
    let shown = if print_only {
        vanban::output::write_atomic(&target, &pdf)
            .map_err(|source| Error::Write { path: target.clone(), source })?;
        target
    } else {
        if let Err(source) = sink.put(CALIBRATION_FILE, &pdf) {
            let path = sink.location(CALIBRATION_FILE);
            sink.abandon();
            return Err(Error::Write { path, source });
        }
        sink.finish().map_err(|source| Error::Write { path: target.clone(), source })?;
        if out.zip.is_some() { target } else { target.join(CALIBRATION_FILE) }
    };
    match lang() {
        Lang::En => println!("wrote {} (1 page)", shown.display()),
        Lang::Vi => println!("đã ghi {} (1 trang)", shown.display()),
    }
    Ok(0)
}

/// Where a run writes: the folder of -o or the ZIP of --zip (in memory when only --print is
/// given), the path to name in messages, and whether only the print file is written.
fn output_sink(out: &OutputArgs) -> Result<(Sink, PathBuf, bool), Error> {
    let (sink, target) = match (&out.zip, &out.output, &out.print) {
        (Some(zip), _, _) => (Sink::zip(zip), zip.clone()),
        (None, Some(dir), _) => (Sink::dir(dir), dir.clone()),
        (None, None, Some(print)) => (Ok(Sink::Memory(Vec::new())), print.clone()),
        (None, None, None) => unreachable!("clap requires --output, --zip or --print"),
    };
    let sink = sink.map_err(|source| Error::Write { path: target.clone(), source })?;
    Ok((sink, target, out.zip.is_none() && out.output.is_none()))
}

fn parse_pair(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.trim().to_string())),
        _ => Err(match lang_of_args().unwrap_or_else(Lang::from_env) {
            Lang::En => format!("expected NAME=VALUE, found \"{s}\""),
            Lang::Vi => format!("cần TÊN=GIÁ_TRỊ, nhưng đã ghi \"{s}\""),
        }),
    }
}

#[derive(Args)]
struct OutputArgs {
    /// The folder to write the documents into.
    #[arg(short, long, value_name = "DIR", required_unless_present_any = ["zip", "print"], group = "place")]
    output: Option<PathBuf>,
    /// Write one ZIP file (with index.csv inside) instead of a folder.
    #[arg(long, value_name = "FILE", group = "place")]
    zip: Option<PathBuf>,
    /// Also write every document, in order, as this one PDF to print in one job (fonts
    /// embedded once); index.csv says which pages are whose. Alone (without -o or --zip),
    /// only this file is written, with FILE-index.csv and FILE-set-aside.csv beside it.
    #[arg(long, value_name = "FILE.pdf")]
    print: Option<PathBuf>,
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
    #[arg(long, requires = "place")]
    keep_typst: bool,
    /// Refuse text that cannot be printed as typed (characters missing from every font,
    /// control characters) instead of warning about it.
    #[arg(long)]
    strict: bool,
}

fn parse_shard(s: &str) -> Result<Shard, String> {
    // Clap parses before the language is settled: it is read from the arguments here.
    s.parse().map_err(|e: Error| messages::error(&e, lang_of_args().unwrap_or_else(Lang::from_env)))
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
    let lang = lang_of_args().unwrap_or_else(Lang::from_env);
    let parsed =
        command(lang).try_get_matches().and_then(|m| <Cli as clap::FromArgMatches>::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            match usage_error_vi(&e).filter(|_| lang == Lang::Vi) {
                Some(text) => eprintln!("{text}"),
                None => {
                    let _ = e.print();
                }
            }
            return if e.use_stderr() { EXIT_USAGE } else { 0 };
        }
    };
    let _ = LANG.set(cli.lang.unwrap_or(lang));
    match execute(cli) {
        Ok(code) => code,
        Err(e) => {
            report_error(&e);
            match e {
                Error::Problems { .. } | Error::Documents { .. } | Error::FirstDocument { .. } => {
                    EXIT_PROBLEMS
                }
                Error::Interrupted => EXIT_INTERRUPTED,
                _ => EXIT_USAGE,
            }
        }
    }
}

fn execute(cli: Cli) -> Result<i32, Error> {
    let limits = workbook::ReadLimits {
        max_cells: cli.max_cells,
        max_unpacked_bytes: cli.max_unpacked_mb.saturating_mul(1024 * 1024),
    };
    let options = Options { templates_dir: cli.templates, font_paths: cli.font_paths };
    let command = match cli.command {
        Some(command) => command,
        // Double-clicked (no arguments, no terminal): the web page is the way in.
        None if started_without_terminal() => {
            let engine = Engine::new(&options)?;
            return serve(
                engine,
                ServeArgs { port: DEFAULT_PORT, host: None, open: true, max_upload_mb: 50, any_port: true },
                limits,
            );
        }
        None => {
            let _ = command(lang()).print_help();
            return Ok(EXIT_USAGE);
        }
    };
    let engine = Engine::new(&options)?;
    match command {
        Command::Serve { port, host, no_open, max_upload } => serve(
            engine,
            ServeArgs { port, host, open: !no_open, max_upload_mb: max_upload, any_port: false },
            limits,
        ),
        Command::Templates { name, workbook, export } => {
            templates_command(&engine, name.as_deref(), workbook.as_deref(), export.as_deref())
        }
        Command::Inspect { workbook, json } => {
            let wb = read(&workbook, &limits)?;
            let report = vanban::inspect::inspect(&wb);
            if json {
                let text = serde_json::to_string_pretty(&report).map_err(|e| Error::Write {
                    path: "standard output".into(),
                    source: std::io::Error::other(e),
                })?;
                emit(&format!("{text}\n"))?;
            } else {
                emit(&report.text(lang()))?;
            }
            Ok(0)
        }
        Command::Check { template, workbook, input, pdf_standard, strict } => {
            let workbook = template_and_workbook(&engine, "check", &template, workbook)?;
            let wb = read(&workbook, &limits)?;
            let options = RenderOptions { standard: standard(pdf_standard), paper: None, strict };
            let plan = engine.check(&template, &wb, &options, &input.overrides()?)?;
            notes(&plan);
            for w in &plan.warnings {
                eprintln!("{} {}", lang().pick("warning:", "cảnh báo:"), messages::problem(w, lang()));
            }
            let n = plan.docs.len();
            match lang() {
                Lang::En => {
                    println!(
                        "{}: fits template \"{template}\" ({n} document{})",
                        workbook.display(),
                        plural(n)
                    )
                }
                Lang::Vi => println!("{}: khớp mẫu \"{template}\" ({n} văn bản)", workbook.display()),
            }
            Ok(0)
        }
        Command::BlankProfile { paper } => {
            let paper = match paper {
                Paper::A4 => vanban::blank::Paper::A4,
                Paper::A3 => vanban::blank::Paper::A3,
            };
            emit(&BlankProfile::builtin(paper).to_toml())?;
            Ok(0)
        }
        Command::Render { template, workbook, input, out, blank: args } => {
            let blank = args.read()?;
            if let (Some(b), true) = (&blank, args.calibrate) {
                return calibrate(&engine, b, &out);
            }
            let workbook = template_and_workbook(&engine, "render", &template, workbook)?;
            let wb = read(&workbook, &limits)?;
            let mut plan = engine.plan(
                &[template.as_str()],
                &wb,
                &render_options(&out),
                false,
                false,
                &input.overrides()?,
            )?;
            if let Some(b) = blank {
                engine.use_blank(&mut plan, b)?;
            }
            batch(&engine, &plan, &out)
        }
        Command::Build { workbook, input, out, blank: args } => {
            let blank = args.read()?;
            if let (Some(b), true) = (&blank, args.calibrate) {
                return calibrate(&engine, b, &out);
            }
            let wb = read(&workbook, &limits)?;
            let names: Vec<&str> = engine.templates().templates.keys().map(String::as_str).collect();
            let mut plan =
                engine.plan(&names, &wb, &render_options(&out), true, true, &input.overrides()?)?;
            for s in &plan.skipped {
                eprintln!("{}", messages::skipped(s, lang()));
            }
            if let Some(b) = blank
                && !engine.use_blank_where_possible(&mut plan, b)
            {
                eprintln!(
                    "{}",
                    lang().pick(
                        "note: --blank: this run makes no certificates (giay-khen), so nothing prints onto blanks",
                        "ghi chú: --blank: lần chạy này không làm giấy khen (giay-khen), nên không có gì in lên phôi",
                    )
                );
            }
            batch(&engine, &plan, &out)
        }
    }
}

/// The workbook of `render`/`check`, or why not: a workbook given as the template
/// (`vanban render ds.xlsx -o x`) is named as one, with the templates to choose from.
fn template_and_workbook(
    engine: &Engine,
    command: &str,
    template: &str,
    workbook: Option<PathBuf>,
) -> Result<PathBuf, Error> {
    let looks_like_file = Path::new(template).is_file()
        || Path::new(template).extension().and_then(|e| e.to_str()).is_some_and(|e| {
            ["xlsx", "xlsm", "xlsb", "xls", "ods"].contains(&e.to_ascii_lowercase().as_str())
        });
    if engine.templates().get(template).is_err() && looks_like_file {
        let names: Vec<&str> = engine.templates().templates.keys().map(String::as_str).collect();
        return Err(Error::WorkbookForTemplate {
            command: command.to_string(),
            file: template.to_string(),
            templates: names.join(", "),
        });
    }
    workbook.ok_or_else(|| Error::NoWorkbook { command: command.to_string(), template: template.to_string() })
}

/// `vanban templates [NAME] [--workbook FILE] [--export DIR]`.
fn templates_command(
    engine: &Engine,
    name: Option<&str>,
    workbook: Option<&Path>,
    export: Option<&Path>,
) -> Result<i32, Error> {
    if let Some(dir) = export {
        let files = vanban::template::export_builtin(dir)?;
        let (n, dir) = (files.len(), dir.display());
        match lang() {
            Lang::En => println!("wrote {n} files into {dir}; use them with --templates {dir}"),
            Lang::Vi => println!("đã ghi {n} tệp vào {dir}; dùng chúng với --templates {dir}"),
        }
        return Ok(0);
    }
    let Some(name) = name else {
        for t in engine.templates().templates.values() {
            println!("{:<24} {}", t.name, t.manifest.description);
        }
        return Ok(0);
    };
    let t = engine.templates().get(name)?;
    match workbook {
        Some(path) => {
            vanban::fillin::write_workbook(t, path)?;
            let path = path.display();
            match lang() {
                Lang::En => println!("wrote {path}: the sheets and columns \"{name}\" reads, to fill in"),
                Lang::Vi => {
                    println!("đã ghi {path}: các trang tính và cột mà mẫu \"{name}\" đọc, để điền vào")
                }
            }
        }
        None => emit(&vanban::fillin::describe(t))?,
    }
    Ok(0)
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
    notes(plan);
    for w in &plan.warnings {
        eprintln!("{} {}", lang().pick("warning:", "cảnh báo:"), messages::problem(w, lang()));
    }
    let (sink, target, print_only) = output_sink(out)?;
    let print_path = out.print.as_deref().map(|p| vanban::print::shard_path(p, out.shard));
    let options = BatchOptions {
        render: render_options(out),
        jobs: out.jobs,
        fail_fast: out.fail_fast,
        shard: out.shard,
        keep_typst: out.keep_typst,
        cancel: Some(&CANCEL),
        print: print_path.as_deref().map(|path| PrintTo { path, only: print_only }),
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
            ProgressStyle::with_template(lang().pick(
                "{bar:40} {pos}/{len} documents  {per_sec}  {eta} left",
                "{bar:40} {pos}/{len} văn bản  {per_sec}  còn {eta}",
            ))
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
    // Each file is named as soon as it is written, so a redirected log keeps up with the run.
    let folder = (out.zip.is_none() && !print_only).then_some(&target);
    let written = |row: &vanban::output::IndexRow| {
        if let Some(dir) = folder {
            let (file, pages) = (dir.join(&row.file), row.pages);
            let line = match lang() {
                Lang::En => format!("wrote {} ({pages} page{})\n", file.display(), plural(pages)),
                Lang::Vi => format!("đã ghi {} ({pages} trang)\n", file.display()),
            };
            match &bar {
                Some(bar) => bar.suspend(|| emit(&line)),
                None => emit(&line),
            }
            .ok();
        }
    };
    let report = engine.run_each(plan, &options, sink, &progress, &written)?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if let Some(to) = options.print {
        printed(&report, to);
    }
    summarise(&report, &target, out.zip.is_some())
}

/// "wrote in.pdf (28 documents, 28 pages, for printing)", and where its index is when it is
/// all the run wrote; or that there is none, when no document was made.
fn printed(report: &Report, to: PrintTo) {
    let Some(pages) = report.printed else {
        let path = to.path.display();
        match lang() {
            Lang::En => eprintln!("note: {path} was not written: no document was made"),
            Lang::Vi => eprintln!("ghi chú: không ghi {path}: không văn bản nào làm được"),
        }
        return;
    };
    let (n, path, index) = (report.index.len(), to.path.display(), to.beside("index.csv"));
    let index = index.display();
    let line = match (lang(), to.only) {
        (Lang::En, false) => format!("wrote {path} ({n} document{}, {pages} pages, for printing)", plural(n)),
        (Lang::Vi, false) => format!("đã ghi {path} ({n} văn bản, {pages} trang, để in)"),
        (Lang::En, true) => format!(
            "wrote {path} ({n} document{}, {pages} pages, for printing; which pages are whose: {index})",
            plural(n)
        ),
        (Lang::Vi, true) => {
            format!("đã ghi {path} ({n} văn bản, {pages} trang, để in; trang nào của ai: {index})")
        }
    };
    let _ = emit(&format!("{line}\n"));
}

fn summarise(report: &Report, target: &Path, zip: bool) -> Result<i32, Error> {
    // A warning the template causes comes from every document: once, with how many.
    let mut warnings: Vec<(&str, Vec<&str>)> = Vec::new();
    for (file, w) in &report.warnings {
        match warnings.iter_mut().find(|(text, _)| text == w) {
            Some((_, files)) => files.push(file),
            None => warnings.push((w, vec![file])),
        }
    }
    let vi = lang() == Lang::Vi;
    let warning = lang().pick("warning:", "cảnh báo:");
    for (w, files) in warnings {
        match (files.as_slice(), vi) {
            ([file], _) => eprintln!("{warning} {file}: {w}"),
            (many, false) => eprintln!("{warning} {} documents ({}, ...): {w}", many.len(), many[0]),
            (many, true) => eprintln!("{warning} {} văn bản ({}, ...): {w}", many.len(), many[0]),
        }
    }
    let pages: usize = report.index.iter().map(|r| r.pages).sum();
    let written = report.index.len();
    match (zip, vi) {
        (false, _) => {}
        (true, false) => println!(
            "wrote {} ({written} document{}, {pages} pages, with index.csv)",
            target.display(),
            plural(written)
        ),
        (true, true) => {
            println!("đã ghi {} ({written} văn bản, {pages} trang, kèm index.csv)", target.display())
        }
    }
    for file in &report.stale.removed {
        let file = target.join(file);
        let _ = emit(&match lang() {
            Lang::En => {
                format!("removed {} (an earlier run wrote it; this run does not make it)\n", file.display())
            }
            Lang::Vi => {
                format!("đã xóa {} (lần chạy trước ghi tệp này; lần này không làm nó)\n", file.display())
            }
        });
    }
    for file in &report.stale.changed {
        let file = target.join(file);
        match lang() {
            Lang::En => eprintln!(
                "note: kept {}: an earlier run wrote it and this run does not make it, but it has changed since",
                file.display()
            ),
            Lang::Vi => eprintln!(
                "ghi chú: giữ lại {}: lần chạy trước ghi tệp này và lần này không làm nó, nhưng tệp đã được sửa từ đó",
                file.display()
            ),
        }
    }
    if report.failures.is_empty() {
        return Ok(0);
    }
    let (failed, total) = (report.failures.len(), report.total);
    match lang() {
        Lang::En => eprintln!("error: {failed} of {total} document{} could not be made", plural(total)),
        Lang::Vi => eprintln!("lỗi: {failed} trong {total} văn bản không làm được"),
    }
    print_failures(&report.failures);
    if report.stopped {
        eprintln!(
            "{}",
            lang().pick(
                "stopped at the first failure (--fail-fast); the documents after it were not made",
                "đã dừng ở văn bản lỗi đầu tiên (--fail-fast); các văn bản sau nó chưa được làm",
            )
        );
    }
    Ok(EXIT_PROBLEMS)
}

/// Writes to standard output; a reader that stopped early (`| head`) is not an error.
fn emit(text: &str) -> Result<(), Error> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::Write { path: "standard output".into(), source: e })
        }
        _ => Ok(()),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn read(path: &Path, limits: &workbook::ReadLimits) -> Result<Workbook, Error> {
    Ok(workbook::read_path_with(path, limits)?)
}

fn notes(plan: &Plan) {
    for n in &plan.notes {
        eprintln!("{} {}", lang().pick("note:", "ghi chú:"), messages::problem(n, lang()));
    }
    for s in &plan.set_aside {
        eprintln!("{} {}", lang().pick("note:", "ghi chú:"), messages::set_aside(s, lang()));
    }
}

/// Prints failures, a template error once with how many documents it hit.
fn print_failures(failures: &[vanban::DocFailure]) {
    for g in vanban::group_failures(failures) {
        // The error's own lines (Typst's, one per problem) go under the document, indented.
        let error = g.error.replace('\n', "\n    ");
        match g.documents.as_slice() {
            [one] => eprintln!("  {one}: {error}"),
            many => {
                match lang() {
                    Lang::En => eprintln!("  {}: {} documents failed: {error}", g.template, many.len()),
                    Lang::Vi => eprintln!("  {}: {} văn bản lỗi: {error}", g.template, many.len()),
                }
                let more = many.len().saturating_sub(3);
                let and = match lang() {
                    _ if more == 0 => String::new(),
                    Lang::En => format!(" and {more} more"),
                    Lang::Vi => format!(" và {more} văn bản khác"),
                };
                eprintln!("    ({}{and})", many[..many.len().min(3)].join("; "));
            }
        }
    }
}

/// Prints `error:` and the error, its listed problems or failures, then each cause.
fn report_error(e: &Error) {
    let lang = lang();
    match e {
        Error::Problems { template, problems } => {
            let n = problems.len();
            match lang {
                Lang::En => eprintln!("error: {e}"),
                Lang::Vi => eprintln!("lỗi: sổ tính chưa khớp mẫu \"{template}\": {n} vấn đề"),
            }
            for p in problems {
                eprintln!("  {}", messages::problem(p, lang));
            }
        }
        _ if lang == Lang::Vi => eprintln!("lỗi: {}", messages::error(e, lang)),
        _ => eprintln!("error: {e}"),
    }
    match e {
        Error::Problems { .. } => {}
        Error::Documents { failures, .. } => print_failures(failures),
        Error::FirstDocument { failure, .. } => {
            eprintln!("  {}: {}", failure.what, failure.source.to_string().replace('\n', "\n    "))
        }
        _ => {}
    }
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        let text = match cause.downcast_ref::<std::io::Error>() {
            Some(io) => messages::io_error(io, lang),
            None => cause.to_string(),
        };
        eprintln!("  {} {text}", lang.pick("cause:", "nguyên nhân:"));
        source = cause.source();
    }
}
