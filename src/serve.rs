//! The local web server: one page in Vietnamese (`web/`, embedded in the binary) and the
//! HTTP API it uses, over the same [`Engine`] calls as the command line. No rule of the
//! pipeline lives here: the server reads the upload, asks the engine, and answers JSON.
//!
//! Safety on a shared office computer: it listens on 127.0.0.1 unless told otherwise;
//! every request must name the printed address in its Host header (DNS rebinding) and
//! carry the launch's random token (a cookie set from `/?token=...`, or
//! `Authorization: Bearer`); state-changing requests from another Origin are refused;
//! uploads are bounded and held in memory; ZIPs are written to a temporary folder removed
//! on exit; templates are looked up by name in the registry, never as a path; a blank
//! profile sent to it never opens a file (its scanned blank is the uploaded image).

use crate::blank::{Blank, BlankError, BlankProfile, LineProblem, Paper};
use crate::engine::{BatchOptions, Engine, Error, Plan, RenderOptions};
use crate::messages::{self, Lang};
use crate::output::Sink;
use crate::problem::Problem;
use crate::profile::Profile;
use crate::workbook::{self, Workbook};
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use futures_util::stream::{Stream, StreamExt as _};
use serde_json::{Value, json};
use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::watch;

const INDEX_HTML: &str = include_str!("../web/index.html");
const APP_JS: &str = include_str!("../web/app.js");
const STYLE_CSS: &str = include_str!("../web/style.css");

/// Uploaded workbooks kept at once; the oldest is dropped first.
const MAX_WORKBOOKS: usize = 16;
/// Finished builds kept at once (with their ZIPs); the oldest is dropped first.
const MAX_BUILDS: usize = 16;
/// Most documents in a server build with its print file (10,000 certificates: ~634 MB).
pub const MAX_PRINT_DOCUMENTS: usize = 10_000;
/// Largest blank profile (TOML) accepted, in bytes: a real one is a few KB.
const MAX_BLANK_PROFILE: usize = 1024 * 1024;
/// How many evictions an unused memoised layout survives (`comemo::evict`): a long editing
/// session's previews would otherwise pile up in memory.
const MEMO_KEEP: usize = 10;
/// Preview resolution, pixels per point (about 108 dpi: a certificate fills a screen).
const PREVIEW_SCALE: f64 = 1.5;

/// How the server is started.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The address to listen on (127.0.0.1 unless the user says otherwise).
    pub host: IpAddr,
    /// The port; 0 for any free one.
    pub port: u16,
    /// When the port is taken, listen on any free one instead (a double-click while another
    /// vanban serves).
    pub any_port_if_taken: bool,
    /// Open the page in the default browser.
    pub open: bool,
    /// Largest upload accepted, in bytes.
    pub max_upload: usize,
    /// How documents are rendered (PDF standard, paper).
    pub render: RenderOptions,
    /// Limits that keep a hostile workbook from taking the memory.
    pub read_limits: workbook::ReadLimits,
    /// Most documents in a build with its print file (`"print": true`): the print file keeps
    /// every page in memory until it is written (about 60 KB a certificate page), so larger
    /// print jobs go through the command line, by parts.
    pub max_print_documents: usize,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 8686,
            any_port_if_taken: false,
            open: true,
            max_upload: 50 * 1024 * 1024,
            render: RenderOptions::default(),
            read_limits: workbook::ReadLimits::default(),
            max_print_documents: MAX_PRINT_DOCUMENTS,
        }
    }
}

/// A running server (from [`start`]).
pub struct Running {
    /// The address to open, with the token: `http://127.0.0.1:8686/?token=...`.
    pub url: String,
    /// The address it listens on.
    pub addr: SocketAddr,
    /// The launch's token.
    pub token: String,
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    dir: PathBuf,
}

impl Running {
    /// Stops the server: open event streams end, the temporary folder is removed.
    pub async fn stop(self) -> std::io::Result<()> {
        let _ = self.stop.send(true);
        let result = self.task.await.unwrap_or_else(|e| Err(std::io::Error::other(e)));
        let _ = std::fs::remove_dir_all(&self.dir);
        result
    }
}

/// Runs the server until Ctrl-C: prints nothing itself; `ready` gets the address to open
/// (the first line the command line prints).
pub fn run(engine: Engine, options: ServeOptions, ready: impl FnOnce(&str)) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let open = options.open;
        let running = start(engine, options).await?;
        ready(&running.url);
        if open {
            let url = running.url.clone();
            // Without a browser the address printed above is the way in.
            tokio::task::spawn_blocking(move || open::that_detached(url));
        }
        let _ = tokio::signal::ctrl_c().await;
        running.stop().await
    })
}

/// Starts the server in the current Tokio runtime and returns once it listens.
pub async fn start(engine: Engine, options: ServeOptions) -> std::io::Result<Running> {
    let listener = match tokio::net::TcpListener::bind((options.host, options.port)).await {
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && options.any_port_if_taken => {
            tokio::net::TcpListener::bind((options.host, 0)).await?
        }
        other => other?,
    };
    let addr = listener.local_addr()?;
    let token = random_id(16);
    let dir = std::env::temp_dir().join(format!("vanban-serve-{}-{}", std::process::id(), random_id(4)));
    std::fs::create_dir_all(&dir)?;
    let shown = if addr.ip().is_loopback() { "127.0.0.1".to_string() } else { addr.ip().to_string() };
    let port = addr.port();
    let (stop, stopped) = watch::channel(false);
    let state = Arc::new(AppState {
        engine,
        token: token.clone(),
        hosts: vec![format!("{shown}:{port}"), format!("localhost:{port}"), format!("127.0.0.1:{port}")],
        cookie: format!("vanban_{port}"),
        dir: dir.clone(),
        render: options.render,
        read_limits: options.read_limits,
        max_print_documents: options.max_print_documents,
        workbooks: Mutex::new(Vec::new()),
        builds: Mutex::new(Vec::new()),
        stopped: stopped.clone(),
    });
    let app = router(state, options.max_upload);
    let mut until = stopped;
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = until.wait_for(|s| *s).await;
            })
            .await
    });
    let url = format!("http://{shown}:{port}/?token={token}");
    Ok(Running { url, addr, token, stop, task, dir })
}

struct AppState {
    engine: Engine,
    token: String,
    /// Host headers accepted: the printed address (and its localhost spelling).
    hosts: Vec<String>,
    /// The cookie that carries the token (named after the port: cookies ignore ports).
    cookie: String,
    dir: PathBuf,
    render: RenderOptions,
    read_limits: workbook::ReadLimits,
    max_print_documents: usize,
    workbooks: Mutex<Vec<(String, Arc<Upload>)>>,
    builds: Mutex<Vec<(String, Arc<Job>)>>,
    stopped: watch::Receiver<bool>,
}

type Shared = Arc<AppState>;

/// An uploaded workbook and the profile the page has built for it.
struct Upload {
    name: String,
    workbook: Workbook,
    inspection: Value,
    profile: Mutex<Profile>,
    blank: Mutex<BlankState>,
}

/// The blank profile the page edits for an upload (the built-in A4 one until another is
/// sent), and the scanned blank sent with it: its file name and bytes. The image is only
/// ever what was uploaded; a profile's `background` is never opened on the server.
/// The bytes are shared (`Bytes`), so that reading the state does not copy a 20 MB scan.
#[derive(Clone)]
struct BlankState {
    profile: BlankProfile,
    image: Option<(String, axum::body::Bytes)>,
}

/// A build running or done.
struct Job {
    total: usize,
    done: AtomicUsize,
    started: Instant,
    cancel: AtomicBool,
    names: Vec<String>,
    zip: PathBuf,
    file_name: String,
    /// The print file asked for (`"print": true`): every document as one PDF.
    print: Option<PathBuf>,
    outcome: Mutex<Option<Outcome>>,
}

/// How a build ended.
enum Outcome {
    Done { failures: Vec<Value>, documents: usize },
    Failed(String),
    Cancelled,
}

fn router(state: Shared, max_upload: usize) -> Router {
    use axum::routing::{post, put};
    Router::new()
        .route("/", get(index))
        .route("/app.js", get(|| async { asset("text/javascript; charset=utf-8", APP_JS) }))
        .route("/style.css", get(|| async { asset("text/css; charset=utf-8", STYLE_CSS) }))
        .route("/api/templates", get(templates))
        .route("/api/workbooks", post(upload))
        .route("/api/workbooks/{id}", get(show_workbook))
        .route("/api/workbooks/{id}/overrides", put(overrides))
        .route("/api/workbooks/{id}/profile", get(profile_file))
        .route("/api/workbooks/{id}/preview", get(preview))
        .route("/api/workbooks/{id}/pdf", get(one_pdf))
        .route("/api/blank-profiles/{file}", get(builtin_blank))
        .route("/api/workbooks/{id}/blank", get(show_blank).put(put_blank))
        .route("/api/workbooks/{id}/blank/profile", get(blank_file))
        .route("/api/workbooks/{id}/blank/calibration", get(calibration))
        .route("/api/workbooks/{id}/builds", post(start_build))
        .route("/api/builds/{id}", get(build_status).delete(cancel_build))
        .route("/api/builds/{id}/events", get(build_events))
        .route("/api/builds/{id}/zip", get(build_zip))
        .route("/api/builds/{id}/print", get(build_print))
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "Không có địa chỉ này.") })
        .layer(DefaultBodyLimit::max(max_upload))
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .with_state(state)
}

/// An error answered as JSON `{"error": "..."}` with a 4xx status.
struct ApiError(StatusCode, String);

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError(status, message.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "error": self.1 }))).into_response()
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        let status = match e {
            Error::Template(crate::template::TemplateError::Unknown { .. }) => StatusCode::NOT_FOUND,
            Error::NoSuchDocument { .. } | Error::NoSuchPage { .. } => StatusCode::NOT_FOUND,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        ApiError(status, messages::error(&e, Lang::Vi))
    }
}

fn asset(kind: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, kind)], body).into_response()
}

/// Hex of `bytes` random bytes from the system.
fn random_id(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    if getrandom::fill(&mut buf).is_err() {
        // No system randomness: the clock and the process still differ per launch.
        let seed = Instant::now().elapsed().as_nanos() ^ u128::from(std::process::id());
        buf.iter_mut().enumerate().for_each(|(i, b)| *b = (seed >> (8 * (i % 16))) as u8);
    }
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// The cookie named `name`, from the Cookie header.
fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Host, Origin and token checks on every request, and the security headers on every answer.
async fn guard(State(st): State<Shared>, req: Request, next: Next) -> Response {
    let headers = req.headers();
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    let mut res = if !st.hosts.iter().any(|h| h == host) {
        ApiError::new(StatusCode::FORBIDDEN, "Địa chỉ không đúng: hãy mở đúng địa chỉ vanban đã in ra.")
            .into_response()
    } else if !matches!(*req.method(), Method::GET | Method::HEAD)
        && headers
            .get(header::ORIGIN)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|o| !st.hosts.iter().any(|h| o == format!("http://{h}")))
    {
        ApiError::new(StatusCode::FORBIDDEN, "Yêu cầu từ một trang khác bị từ chối.").into_response()
    } else if let Some(given) = login_token(&req) {
        if given == st.token {
            let cookie = format!("{}={}; HttpOnly; SameSite=Strict; Path=/", st.cookie, st.token);
            (StatusCode::SEE_OTHER, [(header::LOCATION, "/".to_string()), (header::SET_COOKIE, cookie)])
                .into_response()
        } else {
            unauthorized(true)
        }
    } else {
        let bearer = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        // A plain comparison: the server listens on this computer only, where timing is no
        // attack worth the complexity.
        if bearer.or_else(|| cookie(headers, &st.cookie)) == Some(st.token.as_str()) {
            next.run(req).await
        } else {
            unauthorized(req.uri().path() == "/")
        }
    };
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' blob: data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        ),
    );
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// The token of `/?token=...`, the address vanban prints.
fn login_token(req: &Request) -> Option<String> {
    if req.uri().path() != "/" {
        return None;
    }
    let query = req.uri().query()?;
    query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == "token")
        .map(|(_, v)| v.to_string())
}

fn unauthorized(page: bool) -> Response {
    let message = "Thiếu mã truy cập: hãy mở đúng địa chỉ mà vanban in ra khi khởi động (có ?token=...).";
    if page {
        let html = format!(
            "<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\"><title>vanban</title><p>{message}</p></html>"
        );
        (StatusCode::UNAUTHORIZED, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
    } else {
        ApiError::new(StatusCode::UNAUTHORIZED, message).into_response()
    }
}

async fn index() -> Response {
    asset("text/html; charset=utf-8", INDEX_HTML)
}

async fn templates(State(st): State<Shared>) -> Json<Value> {
    let list: Vec<Value> = st
        .engine
        .templates()
        .templates
        .values()
        .map(|t| json!({ "name": t.name, "description": t.manifest.description }))
        .collect();
    Json(json!({ "templates": list }))
}

/// Runs engine work off the async threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f).await.unwrap_or_else(|_| {
        Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Không làm được việc này (lỗi bên trong vanban).",
        ))
    })
}

async fn upload(State(st): State<Shared>, mut form: Multipart) -> Result<Json<Value>, Response> {
    let mut file = None;
    while let Some(field) = form.next_field().await.map_err(multipart_error)? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("so-tinh.xlsx").to_string();
            let bytes = field.bytes().await.map_err(multipart_error)?;
            file = Some((name, bytes.to_vec()));
        }
    }
    let Some((name, bytes)) = file else {
        return Err(ApiError::new(StatusCode::BAD_REQUEST, "Thiếu tệp: gửi sổ tính trong trường \"file\".")
            .into_response());
    };
    let id = random_id(8);
    let state = st.clone();
    let answer = blocking(move || {
        let wb = workbook::read_bytes_with(bytes, &name, &state.read_limits).map_err(|e| {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, messages::read_error(&e, Lang::Vi))
        })?;
        let inspection = inspection_json(&wb);
        let blank = Mutex::new(BlankState { profile: BlankProfile::builtin(Paper::A4), image: None });
        let up = Arc::new(Upload {
            name,
            workbook: wb,
            inspection,
            profile: Mutex::new(Profile::default()),
            blank,
        });
        let answer = describe(&state, &id, &up);
        keep(&state.workbooks, id, up, MAX_WORKBOOKS);
        Ok(answer)
    })
    .await
    .map_err(IntoResponse::into_response)?;
    Ok(Json(answer))
}

/// A multipart error as JSON, with its own status (413 past the size limit).
fn multipart_error(e: axum::extract::multipart::MultipartError) -> Response {
    let status = e.status();
    let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
        "Tệp quá lớn so với giới hạn tải lên (đổi bằng --max-upload khi khởi động vanban).".to_string()
    } else {
        format!("Không đọc được tệp gửi lên: {}", e.body_text())
    };
    ApiError::new(status, message).into_response()
}

/// Adds `item` under `id`, dropping the oldest past `max`.
fn keep<T>(list: &Mutex<Vec<(String, Arc<T>)>>, id: String, item: Arc<T>, max: usize) {
    let mut list = list.lock().unwrap_or_else(|e| e.into_inner());
    list.push((id, item));
    if list.len() > max {
        list.remove(0);
    }
}

fn find<T>(list: &Mutex<Vec<(String, Arc<T>)>>, id: &str) -> Option<Arc<T>> {
    let list = list.lock().unwrap_or_else(|e| e.into_inner());
    list.iter().find(|(i, _)| i == id).map(|(_, x)| x.clone())
}

fn upload_of(st: &AppState, id: &str) -> Result<Arc<Upload>, ApiError> {
    find(&st.workbooks, id).ok_or_else(|| {
        ApiError::new(StatusCode::NOT_FOUND, "Không có sổ tính này (có thể đã quá cũ): hãy chọn lại tệp.")
    })
}

fn profile_of(up: &Upload) -> Profile {
    up.profile.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// The inspection as JSON, with each sheet's facts in Vietnamese sentences (`summary`) and
/// its texts (why the header is there, notes on columns, set-aside rows, repairs) in
/// Vietnamese too; `inspect --json` has them in English.
fn inspection_json(wb: &Workbook) -> Value {
    let report = crate::inspect::inspect(wb);
    let mut value = serde_json::to_value(&report).unwrap_or(Value::Null);
    if let Some(sheets) = value["sheets"].as_array_mut() {
        for (sheet, r) in sheets.iter_mut().zip(&report.sheets) {
            sheet["summary"] = json!(messages::sheet_summary(r, Lang::Vi));
            sheet["header_why"] = json!(messages::header_why(&r.header_why, Lang::Vi));
            for (column, c) in sheet["columns"].as_array_mut().into_iter().flatten().zip(&r.columns) {
                column["note"] = json!(c.note(Lang::Vi));
            }
            for (group, g) in sheet["set_aside"].as_array_mut().into_iter().flatten().zip(&r.set_aside) {
                group["reason"] = json!(messages::row_kind(g.kind, Lang::Vi));
            }
            for (group, g) in sheet["repairs"].as_array_mut().into_iter().flatten().zip(&r.repairs) {
                group["description"] = json!(messages::repair(g.what, Lang::Vi));
            }
        }
    }
    value
}

fn problem_json(p: &Problem) -> Value {
    let mut v = serde_json::to_value(p).unwrap_or(Value::Null);
    v["message"] = json!(messages::problem_message(&p.kind, Lang::Vi, false));
    v["text"] = json!(messages::problem(p, Lang::Vi));
    v
}

/// What the page shows for an upload: the inspection, every template's fit, the profile and
/// the equivalent command line.
fn describe(st: &AppState, id: &str, up: &Upload) -> Value {
    let profile = profile_of(up);
    let fits = st.engine.assess(&up.workbook, &profile, &st.render);
    let names: Vec<&str> = fits.iter().map(|f| f.name.as_str()).collect();
    let unknown: Vec<Value> =
        st.engine.unknown_overrides(&names, &profile).iter().map(problem_json).collect();
    let templates: Vec<Value> = fits
        .iter()
        .map(|f| {
            json!({
                "name": f.name,
                "description": f.description,
                "fits": f.fits,
                "documents": f.documents.len(),
                "rows": f.documents,
                "problems": f.problems.iter().map(problem_json).collect::<Vec<_>>(),
                "warnings": f.warnings.iter().map(problem_json).collect::<Vec<_>>(),
                "notes": f.notes.iter().map(problem_json).collect::<Vec<_>>(),
                "error": f.error,
            })
        })
        .collect();
    let mut command = vec!["vanban".to_string(), "build".to_string(), format!("\"{}\"", up.name)];
    command.extend(profile.to_args());
    command.push("-o out".to_string());
    json!({
        "id": id,
        "name": up.name,
        "inspection": up.inspection,
        "templates": templates,
        "profile": profile,
        "profile_problems": unknown,
        "command": command.join(" "),
    })
}

async fn show_workbook(State(st): State<Shared>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let up = upload_of(&st, &id)?;
    blocking(move || Ok(Json(describe(&st, &id, &up)))).await
}

async fn overrides(
    State(st): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let up = upload_of(&st, &id)?;
    let kind = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "Hồ sơ không phải văn bản UTF-8."))?;
    let profile = if kind.contains("json") {
        serde_json::from_str::<Profile>(text)
            .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, format!("Hồ sơ không hợp lệ: {e}")))?
    } else {
        Profile::from_toml(text, "hồ sơ")
            .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.to_string()))?
    };
    *up.profile.lock().unwrap_or_else(|e| e.into_inner()) = profile;
    blocking(move || Ok(Json(describe(&st, &id, &up)))).await
}

async fn profile_file(State(st): State<Shared>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let up = upload_of(&st, &id)?;
    let text = format!(
        "# Hồ sơ vanban cho sổ tính \"{}\": dùng lại bằng vanban build SỔ_TÍNH --profile ho-so.toml\n{}",
        up.name,
        profile_of(&up).to_toml()
    );
    Ok((
        [
            (header::CONTENT_TYPE, "application/toml; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"ho-so.toml\"".to_string()),
        ],
        text,
    )
        .into_response())
}

/// `?template=T&doc=N&page=P[&blank=print|preview]`, numbers from 1.
#[derive(serde::Deserialize)]
struct DocQuery {
    template: String,
    #[serde(default = "one")]
    doc: usize,
    #[serde(default = "one")]
    page: usize,
    /// Onto the upload's blank profile: "print" (the text alone) or "preview" (over the
    /// scanned blank).
    #[serde(default)]
    blank: Option<String>,
}

/// Whether `blank=` asks for the blank's preview (`Some(true)`), its print, or no blank.
fn blank_mode(value: Option<&str>) -> Result<Option<bool>, ApiError> {
    match value {
        None | Some("") => Ok(None),
        Some("print") => Ok(Some(false)),
        Some("preview") => Ok(Some(true)),
        Some(other) => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            format!(
                "blank=\"{other}\" không hợp lệ: dùng blank=print (bản in) hoặc blank=preview (xem trên phôi)."
            ),
        )),
    }
}

fn blank_of(up: &Upload) -> BlankState {
    up.blank.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// The upload's blank ready to draw: with the scanned blank only for a preview (the one
/// copy of its bytes that `Blank` takes).
fn blank_for(up: &Upload, preview: bool) -> Blank {
    let b = blank_of(up);
    let image = b.image.filter(|_| preview).map(|(_, bytes)| bytes.to_vec());
    Blank::with_image(b.profile, preview, image)
}

/// `?lang=en` as a language; Vietnamese otherwise.
fn lang_of(q: &LangQuery) -> Lang {
    if q.lang.as_deref() == Some("en") { Lang::En } else { Lang::Vi }
}

/// The plan of one template for the page, onto the upload's blank when `blank` says so
/// (`Some(true)`: with the scanned blank under the text).
fn doc_plan(st: &AppState, up: &Upload, template: &str, blank: Option<bool>) -> Result<Plan, ApiError> {
    let mut plan = st.engine.plan_one(template, &up.workbook, &profile_of(up), &st.render)?;
    if let Some(preview) = blank {
        st.engine.use_blank(&mut plan, blank_for(up, preview))?;
    }
    Ok(plan)
}

fn one() -> usize {
    1
}

fn from_one(n: usize, what: &str) -> Result<usize, ApiError> {
    n.checked_sub(1)
        .ok_or_else(|| ApiError::new(StatusCode::BAD_REQUEST, format!("{what} được đánh số từ 1.")))
}

async fn preview(
    State(st): State<Shared>,
    Path(id): Path<String>,
    Query(q): Query<DocQuery>,
) -> Result<Response, ApiError> {
    let up = upload_of(&st, &id)?;
    let (doc, page) = (from_one(q.doc, "Văn bản")?, from_one(q.page, "Trang")?);
    let blank = blank_mode(q.blank.as_deref())?;
    let shown = blocking(move || {
        let plan = doc_plan(&st, &up, &q.template, blank)?;
        let shown = st.engine.preview_plan(&plan, (doc, page), PREVIEW_SCALE);
        comemo::evict(MEMO_KEEP);
        Ok(shown?)
    })
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/png".to_string()),
            (header::HeaderName::from_static("x-pages"), shown.pages.to_string()),
        ],
        shown.png,
    )
        .into_response())
}

async fn one_pdf(
    State(st): State<Shared>,
    Path(id): Path<String>,
    Query(q): Query<DocQuery>,
) -> Result<Response, ApiError> {
    let up = upload_of(&st, &id)?;
    let doc = from_one(q.doc, "Văn bản")?;
    let blank = blank_mode(q.blank.as_deref())?;
    let (file, pdf) = blocking(move || {
        let plan = doc_plan(&st, &up, &q.template, blank)?;
        let pdf = st.engine.one_pdf_plan(&plan, &st.render, doc);
        comemo::evict(MEMO_KEEP);
        Ok(pdf?)
    })
    .await?;
    let name = file.rsplit('/').next().unwrap_or(&file).to_string();
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_DISPOSITION, format!("inline; filename*=UTF-8''{}", percent(&name))),
        ],
        pdf,
    )
        .into_response())
}

/// `name` percent-encoded for a `filename*` parameter.
fn percent(name: &str) -> String {
    name.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The body of `POST /api/workbooks/{id}/builds`.
#[derive(serde::Deserialize, Default)]
struct BuildRequest {
    /// The templates to make; absent: every template the workbook fits, as `vanban build`.
    #[serde(default)]
    templates: Option<Vec<String>>,
    /// "print": onto the upload's blank profile, the text alone (`render --blank`); the
    /// only blank a build takes (a preview's scan would be in every PDF of the ZIP).
    #[serde(default)]
    blank: Option<String>,
    /// Also every document, in run order, as one PDF for one print job (`--print FILE`).
    #[serde(default)]
    print: bool,
}

/// The plan a build makes, the same as the command line's for the same choice: no list is
/// `vanban build` (every template that fits, each in its folder); one template is
/// `vanban render T`; several are rendered each in its folder.
fn build_plan(st: &AppState, up: &Upload, req: &BuildRequest, lang: Lang) -> Result<Plan, ApiError> {
    let onto_blank = match req.blank.as_deref() {
        None | Some("") => false,
        Some("print") => true,
        Some(other) => {
            return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, build_blank_message(other, lang)));
        }
    };
    let profile = profile_of(up);
    let all: Vec<&str> = st.engine.templates().templates.keys().map(String::as_str).collect();
    let mut plan = match &req.templates {
        None => st.engine.plan(&all, &up.workbook, &st.render, true, true, &profile)?,
        Some(list) => {
            let names: Vec<&str> = list.iter().map(String::as_str).collect();
            st.engine.plan(&names, &up.workbook, &st.render, false, names.len() > 1, &profile)?
        }
    };
    if onto_blank {
        st.engine.use_blank_where_possible(&mut plan, blank_for(up, false));
    }
    if req.print && plan.docs.len() > st.max_print_documents {
        let (n, max) = (plan.docs.len(), st.max_print_documents);
        let message = match lang {
            Lang::Vi => format!(
                "Tệp in gồm {n} văn bản, quá {max} văn bản một lượt trên trang này (tệp in giữ mọi trang trong bộ nhớ): hãy bỏ chọn tệp in, hoặc in bằng dòng lệnh theo từng phần (vanban build --print TỆP.pdf --shard 1/2, rồi 2/2)."
            ),
            Lang::En => format!(
                "The print file would have {n} documents, more than the {max} this page makes at once (the print file keeps every page in memory): leave the print file out, or print with the command line, by parts (vanban build --print FILE.pdf --shard 1/2, then 2/2)."
            ),
        };
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, message));
    }
    Ok(plan)
}

fn build_blank_message(other: &str, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!(
            "\"blank\": \"{other}\" không dùng được khi làm văn bản: chỉ có \"print\" (in lên phôi, phần chữ). Bản xem trên ảnh phôi chỉ để xem từng văn bản."
        ),
        Lang::En => format!(
            "\"blank\": \"{other}\" cannot be built: only \"print\" (the text alone, for printing onto blanks). The preview over the scan is for looking at one document."
        ),
    }
}

async fn start_build(
    State(st): State<Shared>,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let up = upload_of(&st, &id)?;
    let lang = lang_of(&q);
    let req: BuildRequest = if body.is_empty() {
        BuildRequest::default()
    } else {
        serde_json::from_slice(&body)
            .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, format!("Yêu cầu không hợp lệ: {e}")))?
    };
    let state = st.clone();
    let print = req.print;
    let plan = blocking(move || build_plan(&state, &up, &req, lang)).await?;
    let build_id = random_id(8);
    let stem = up_name_stem(&st, &id);
    let job = Arc::new(Job {
        total: plan.docs.len(),
        done: AtomicUsize::new(0),
        started: Instant::now(),
        cancel: AtomicBool::new(false),
        names: plan.docs.iter().map(|d| d.name.clone()).collect(),
        zip: st.dir.join(format!("{build_id}.zip")),
        file_name: format!("{stem}.zip"),
        print: print.then(|| st.dir.join(format!("{build_id}-in.pdf"))),
        outcome: Mutex::new(None),
    });
    keep(&st.builds, build_id.clone(), job.clone(), MAX_BUILDS);
    tokio::task::spawn_blocking(move || run_build(&st, &plan, &job));
    Ok((StatusCode::ACCEPTED, Json(json!({ "id": build_id }))).into_response())
}

fn up_name_stem(st: &AppState, id: &str) -> String {
    let name = find(&st.workbooks, id).map(|u| u.name.clone()).unwrap_or_default();
    let stem = name.rsplit(['/', '\\']).next().unwrap_or(&name);
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
    crate::output::safe_stem(&format!("{stem}-van-ban"))
}

fn run_build(st: &AppState, plan: &Plan, job: &Job) {
    let outcome = match Sink::zip(&job.zip) {
        Err(e) => Outcome::Failed(format!("Không ghi được tệp ZIP: {e}")),
        Ok(sink) => {
            let print = job.print.as_deref().map(|path| crate::print::PrintTo { path, only: false });
            let options = BatchOptions {
                render: st.render,
                cancel: Some(&job.cancel),
                print,
                ..BatchOptions::default()
            };
            let progress = |done: usize, _total: usize| job.done.store(done, Ordering::Relaxed);
            match st.engine.run(plan, &options, sink, &progress) {
                Ok(report) => Outcome::Done {
                    documents: report.index.len(),
                    failures: report
                        .failures
                        .iter()
                        .map(|f| json!({ "document": f.what, "reason": f.source.to_string() }))
                        .collect(),
                },
                Err(Error::Interrupted) => Outcome::Cancelled,
                Err(e) => Outcome::Failed(messages::error(&e, Lang::Vi)),
            }
        }
    };
    *job.outcome.lock().unwrap_or_else(|e| e.into_inner()) = Some(outcome);
}

fn job_of(st: &AppState, id: &str) -> Result<Arc<Job>, ApiError> {
    find(&st.builds, id).ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "Không có lượt làm văn bản này."))
}

/// `{"state", "done", "total", "current", "seconds_left", "failures"}`.
fn status(job: &Job) -> Value {
    let done = job.done.load(Ordering::Relaxed);
    let outcome = job.outcome.lock().unwrap_or_else(|e| e.into_inner());
    let elapsed = job.started.elapsed().as_secs_f64();
    let left = (done > 0).then(|| elapsed / done as f64 * (job.total - done.min(job.total)) as f64);
    let current = job.names.get(done.min(job.total.saturating_sub(1))).cloned();
    let (state, failures, error, documents) = match &*outcome {
        None if job.cancel.load(Ordering::Relaxed) => ("cancelling", Vec::new(), None, 0),
        None => ("running", Vec::new(), None, 0),
        Some(Outcome::Done { failures, documents }) => ("done", failures.clone(), None, *documents),
        Some(Outcome::Failed(e)) => ("failed", Vec::new(), Some(e.clone()), 0),
        Some(Outcome::Cancelled) => ("cancelled", Vec::new(), None, 0),
    };
    json!({
        "state": state,
        "done": if state == "done" { job.total } else { done },
        "total": job.total,
        "current": if state == "running" { current } else { None },
        "seconds_left": if state == "running" { left.map(|s| s.round()) } else { None },
        "documents": documents,
        "failures": failures,
        "error": error,
    })
}

async fn build_status(State(st): State<Shared>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let job = job_of(&st, &id)?;
    Ok(Json(status(&job)))
}

async fn cancel_build(State(st): State<Shared>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let job = job_of(&st, &id)?;
    job.cancel.store(true, Ordering::Relaxed);
    Ok(Json(status(&job)))
}

async fn build_events(
    State(st): State<Shared>,
    Path(id): Path<String>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let job = job_of(&st, &id)?;
    let mut stopped = st.stopped.clone();
    // One event every quarter second until the build ends (the last event says how); the
    // stream also ends when the server stops, so that Ctrl-C is not held up by a page.
    let ticks = futures_util::stream::unfold((job, false), |(job, finished)| async move {
        if finished {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
        let s = status(&job);
        let end = !matches!(s["state"].as_str(), Some("running" | "cancelling"));
        Some((Ok::<Event, Infallible>(Event::default().event("progress").data(s.to_string())), (job, end)))
    });
    let stream = ticks.take_until(async move {
        let _ = stopped.wait_for(|s| *s).await;
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

async fn build_zip(State(st): State<Shared>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let job = job_of(&st, &id)?;
    let done = matches!(&*job.outcome.lock().unwrap_or_else(|e| e.into_inner()), Some(Outcome::Done { .. }));
    if !done {
        return Err(ApiError::new(StatusCode::CONFLICT, "Tệp ZIP chưa có: lượt làm văn bản chưa xong."));
    }
    let path = job.zip.clone();
    let bytes = blocking(move || {
        std::fs::read(path)
            .map_err(|_| ApiError::new(StatusCode::GONE, "Tệp ZIP không còn nữa: hãy làm lại."))
    })
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename*=UTF-8''{}", percent(&job.file_name)),
            ),
        ],
        bytes,
    )
        .into_response())
}

// ---------------------------------------------------------------- blank profiles

/// `GET /api/blank-profiles/a4.toml` (or `a3`, `.json`): a built-in blank profile.
async fn builtin_blank(Path(file): Path<String>) -> Result<Response, ApiError> {
    let (paper, kind) = file.rsplit_once('.').unwrap_or((file.as_str(), "json"));
    let paper = match paper {
        "a4" => Paper::A4,
        "a3" => Paper::A3,
        _ => return Err(ApiError::new(StatusCode::NOT_FOUND, "Chỉ có hồ sơ phôi có sẵn a4 và a3.")),
    };
    let profile = BlankProfile::builtin(paper);
    match kind {
        "json" => Ok(Json(profile.to_json()).into_response()),
        "toml" => Ok(toml_answer(profile.to_toml(), &format!("phoi-{}.toml", paper.name()))),
        _ => Err(ApiError::new(StatusCode::NOT_FOUND, "Hồ sơ phôi có dạng .toml hoặc .json.")),
    }
}

fn toml_answer(text: String, file: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/toml; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
        ],
        text,
    )
        .into_response()
}

/// The upload's blank as the page draws it: the profile's JSON, and whether a scanned blank
/// was sent (`image`, its file name).
fn blank_json(b: &BlankState) -> Value {
    let mut v = b.profile.to_json();
    v["image"] = json!(b.image.as_ref().map(|(name, _)| name));
    v
}

async fn show_blank(State(st): State<Shared>, Path(id): Path<String>) -> Result<Json<Value>, ApiError> {
    let up = upload_of(&st, &id)?;
    Ok(Json(blank_json(&blank_of(&up))))
}

/// `?lang=en` for English problems; Vietnamese otherwise.
#[derive(serde::Deserialize)]
struct LangQuery {
    #[serde(default)]
    lang: Option<String>,
}

/// What a `PUT .../blank` sends: the profile's text (and the name it is known by), and the
/// scanned blank (an empty one removes it).
#[derive(Default)]
struct BlankUpload {
    profile: Option<(String, String)>,
    image: Option<(String, axum::body::Bytes)>,
}

async fn read_blank_upload(req: Request) -> Result<BlankUpload, Response> {
    let kind = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let mut got = BlankUpload::default();
    if !kind.starts_with("multipart/form-data") {
        let body = read_capped(req.into_body(), MAX_BLANK_PROFILE).await?;
        let text = String::from_utf8(body).map_err(|_| not_utf8().into_response())?;
        got.profile = Some(("phoi.toml".into(), text));
        return Ok(got);
    }
    let mut form = Multipart::from_request(req, &()).await.map_err(|e| {
        ApiError::new(e.status(), format!("Không đọc được tệp gửi lên: {}", e.body_text())).into_response()
    })?;
    while let Some(field) = form.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or("").to_string();
        let file = field.file_name().and_then(|f| crate::blank::file_name(std::path::Path::new(f)));
        let file = file.map(str::to_string);
        let bytes = field.bytes().await.map_err(multipart_error)?;
        match name.as_str() {
            "profile" if bytes.len() > MAX_BLANK_PROFILE => return Err(profile_too_large()),
            "profile" => {
                let text = String::from_utf8(bytes.to_vec()).map_err(|_| not_utf8().into_response())?;
                got.profile = Some((file.unwrap_or_else(|| "phoi.toml".into()), text));
            }
            "image" => got.image = Some((file.unwrap_or_else(|| "phoi.png".into()), bytes)),
            _ => {}
        }
    }
    Ok(got)
}

/// The body, refused (413) past `max` bytes without reading the rest.
async fn read_capped(body: axum::body::Body, max: usize) -> Result<Vec<u8>, Response> {
    let mut chunks = body.into_data_stream();
    let mut out = Vec::new();
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(|e| {
            ApiError::new(StatusCode::BAD_REQUEST, format!("Không đọc được nội dung gửi lên: {e}"))
                .into_response()
        })?;
        if out.len() + chunk.len() > max {
            return Err(profile_too_large());
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

fn profile_too_large() -> Response {
    let message =
        format!("Hồ sơ phôi quá lớn: tối đa {} MB (một hồ sơ thật chỉ vài KB).", MAX_BLANK_PROFILE >> 20);
    ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, message).into_response()
}

fn not_utf8() -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "Hồ sơ phôi không phải văn bản UTF-8.")
}

/// Every problem of a sent blank as JSON (422): each with its line and text in `lang`.
fn blank_problems(
    path: &str,
    problems: &[LineProblem],
    image: Option<&crate::blank::BlankProblem>,
    lang: Lang,
) -> Response {
    let mut list: Vec<Value> = problems
        .iter()
        .map(|p| {
            let message = messages::blank_problem(&p.problem, lang);
            json!({ "line": p.line, "message": message, "text": format!("{path}:{}: {message}", p.line) })
        })
        .collect();
    if let Some(p) = image {
        let message = messages::blank_problem(p, lang);
        list.push(json!({ "line": null, "message": message, "text": message }));
    }
    let lines: Vec<&str> = list.iter().filter_map(|p| p["text"].as_str()).collect();
    let error = match lang {
        Lang::Vi => format!("Hồ sơ phôi chưa dùng được, chưa có gì thay đổi:\n{}", lines.join("\n")),
        Lang::En => format!("The blank profile cannot be used; nothing was changed:\n{}", lines.join("\n")),
    };
    (StatusCode::UNPROCESSABLE_ENTITY, Json(json!({ "error": error, "problems": list }))).into_response()
}

/// `PUT /api/workbooks/{id}/blank`: a blank profile (TOML, as the body or the multipart
/// part `profile`) and/or the scanned blank (part `image`, PNG or JPEG), checked by the same
/// code as `--blank`; with any problem nothing changes.
async fn put_blank(
    State(st): State<Shared>,
    Path(id): Path<String>,
    Query(q): Query<LangQuery>,
    req: Request,
) -> Result<Json<Value>, Response> {
    let up = upload_of(&st, &id).map_err(IntoResponse::into_response)?;
    let lang = lang_of(&q);
    let sent = read_blank_upload(req).await?;
    if sent.profile.is_none() && sent.image.is_none() {
        let message = "Thiếu hồ sơ phôi: gửi văn bản TOML, hoặc trường \"profile\" và/hoặc \"image\".";
        return Err(ApiError::new(StatusCode::BAD_REQUEST, message).into_response());
    }
    // Read, apply and store under one lock: two PUTs at once (a scan sent while an edit is
    // on its way) each apply to what the other stored, and neither is lost. The parse (at
    // most MAX_BLANK_PROFILE) runs off the async threads.
    let answer = tokio::task::spawn_blocking(move || {
        let mut held = up.blank.lock().unwrap_or_else(|e| e.into_inner());
        let (next, notes) = apply_blank(held.clone(), sent, lang)?;
        let mut answer = blank_json(&next);
        answer["notes"] = json!(notes);
        *held = next;
        Ok::<Value, Box<Response>>(answer)
    })
    .await
    .map_err(|_| {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "Không làm được việc này (lỗi bên trong vanban).")
            .into_response()
    })?
    .map_err(|e| *e)?;
    Ok(Json(answer))
}

/// `current` with what was sent, checked, and the notes on it; or every problem (422).
fn apply_blank(
    mut next: BlankState,
    sent: BlankUpload,
    lang: Lang,
) -> Result<(BlankState, Vec<String>), Box<Response>> {
    let image_problem = sent
        .image
        .as_ref()
        .filter(|(_, bytes)| !bytes.is_empty())
        .and_then(|(name, bytes)| crate::blank::image_bytes_problem(bytes, name));
    let path = sent.profile.as_ref().map_or("phoi.toml".to_string(), |(p, _)| p.clone());
    let mut named = None;
    if let Some((path, text)) = &sent.profile {
        match BlankProfile::from_toml_text(text, path) {
            Ok(profile) => {
                named = profile.background.clone();
                next.profile = profile;
            }
            Err(BlankError::Invalid { problems, .. }) => {
                return Err(Box::new(blank_problems(path, &problems, image_problem.as_ref(), lang)));
            }
            Err(e) => {
                let message = messages::blank_error(&e, lang);
                return Err(Box::new(ApiError::new(StatusCode::BAD_REQUEST, message).into_response()));
            }
        }
    }
    if let Some(p) = &image_problem {
        return Err(Box::new(blank_problems(&path, &[], Some(p), lang)));
    }
    if let Some(image) = sent.image {
        next.image = (!image.1.is_empty()).then_some(image);
    }
    // The profile names the image that was sent, so that the file saved from the page
    // works with `--blank` once the image lies beside it.
    next.profile.background = next.image.as_ref().map(|(name, _)| name.into());
    let unsent = named.filter(|_| next.image.is_none()).map(|n| {
        let n = n.display().to_string();
        match lang {
            Lang::Vi => format!(
                "Hồ sơ ghi ảnh nền \"{n}\" nhưng vanban không mở tệp theo đường dẫn: hãy tải ảnh phôi lên."
            ),
            Lang::En => format!(
                "The profile names the background \"{n}\", but vanban opens no file by path: upload the scanned blank."
            ),
        }
    });
    Ok((next, unsent.into_iter().collect()))
}

/// `GET .../blank/profile`: the upload's blank profile as the TOML file `--blank` reads.
async fn blank_file(State(st): State<Shared>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let up = upload_of(&st, &id)?;
    let profile = up.blank.lock().unwrap_or_else(|e| e.into_inner()).profile.clone();
    Ok(toml_answer(profile.to_toml(), "phoi.toml"))
}

/// `GET .../blank/calibration`: the calibration sheet of the upload's blank profile.
async fn calibration(State(st): State<Shared>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let up = upload_of(&st, &id)?;
    let pdf = blocking(move || {
        let blank = blank_for(&up, false);
        let pdf = st.engine.calibration(&blank, st.render.standard);
        comemo::evict(MEMO_KEEP);
        Ok(pdf?)
    })
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_DISPOSITION, "inline; filename=\"can-chinh-phoi.pdf\"".to_string()),
        ],
        pdf,
    )
        .into_response())
}

/// `GET /api/builds/{id}/print`: the build's print file (asked for with `"print": true`).
async fn build_print(State(st): State<Shared>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let job = job_of(&st, &id)?;
    let done = matches!(&*job.outcome.lock().unwrap_or_else(|e| e.into_inner()), Some(Outcome::Done { .. }));
    let Some(path) = job.print.clone() else {
        return Err(ApiError::new(StatusCode::NOT_FOUND, "Lượt này không làm tệp in (gửi \"print\": true)."));
    };
    if !done {
        return Err(ApiError::new(StatusCode::CONFLICT, "Tệp in chưa có: lượt làm văn bản chưa xong."));
    }
    let bytes = blocking(move || {
        std::fs::read(path).map_err(|_| ApiError::new(StatusCode::GONE, "Tệp in không còn nữa: hãy làm lại."))
    })
    .await?;
    let name =
        job.file_name.trim_end_matches(".zip").trim_end_matches("-van-ban").to_string() + "-ban-in.pdf";
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename*=UTF-8''{}", percent(&name))),
        ],
        bytes,
    )
        .into_response())
}
