//! The web server's API, called as another office system would: over HTTP on 127.0.0.1,
//! with the launch's token. Every call, the safety checks (Host, Origin, token, size
//! limit), and the ZIP against the command line's, byte for byte.

use super::*;
pub use http::{Answer, Body};
use vanban::serve::{self, Running, ServeOptions};

#[path = "../../benches/support/http.rs"]
mod http;

/// A server on a free port, in a runtime of its own, stopped when dropped.
pub struct TestServer {
    pub running: Option<Running>,
    pub runtime: tokio::runtime::Runtime,
}

impl TestServer {
    pub fn start(options: ServeOptions) -> TestServer {
        let runtime =
            tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let engine = Engine::new(&Options::default()).expect("engine");
        let options = ServeOptions { port: 0, open: false, ..options };
        let running = runtime.block_on(serve::start(engine, options)).expect("server starts");
        TestServer { running: Some(running), runtime }
    }

    pub fn port(&self) -> u16 {
        self.running.as_ref().unwrap().addr.port()
    }

    pub fn token(&self) -> String {
        self.running.as_ref().unwrap().token.clone()
    }

    /// A request with the token, as an API client sends it.
    pub fn call(&self, method: &str, path: &str, body: Body) -> Answer {
        let auth = format!("Authorization: Bearer {}", self.token());
        self.raw(method, path, body, &[&auth])
    }

    /// A request with exactly these extra headers (Host is set to the printed address
    /// unless one is given).
    pub fn raw(&self, method: &str, path: &str, body: Body, headers: &[&str]) -> Answer {
        http::request(self.port(), method, path, body, headers)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(r) = self.running.take() {
            let _ = self.runtime.block_on(r.stop());
        }
    }
}

/// The 2023 sample with the award-form column renamed and the signer removed from the
/// decision: a missing column and a missing item, as a clerk's own workbook has them.
pub fn unfit_sample() -> Vec<u8> {
    let mut book = sample_data::khanh_hoa_2023_one_decision();
    let header = &mut book.sheet_mut("Khen thưởng")[0];
    let at = header.iter().position(|c| *c == s("Hình thức khen thưởng")).expect("award column");
    header[at] = s("Khen theo");
    book.sheet_mut("Quyết định").retain(|r| r.first() != Some(&s("Người ký")));
    book.to_xlsx()
}

fn upload(server: &TestServer, name: &'static str, bytes: Vec<u8>) -> serde_json::Value {
    let answer = server.call("POST", "/api/workbooks", Body::File(name, bytes));
    assert_eq!(answer.status, 200, "{}", String::from_utf8_lossy(&answer.body));
    answer.json()
}

fn template<'a>(answer: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    answer["templates"].as_array().unwrap().iter().find(|t| t["name"] == name).expect("template listed")
}

/// Waits for a build to end and returns its last status.
pub fn wait_build(server: &TestServer, id: &str) -> serde_json::Value {
    let start = std::time::Instant::now();
    loop {
        let s = server.call("GET", &format!("/api/builds/{id}"), Body::None).json();
        if !matches!(s["state"].as_str(), Some("running" | "cancelling")) {
            return s;
        }
        assert!(start.elapsed().as_secs() < 300, "build never ended: {s}");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[test]
fn upload_fix_preview_and_build_like_the_cli() {
    let server = TestServer::start(ServeOptions::default());
    let answer = upload(&server, "khen-thuong.xlsx", unfit_sample());
    let id = answer["id"].as_str().unwrap().to_string();
    // The inspection is there, with Vietnamese summaries.
    let sheets = answer["inspection"]["sheets"].as_array().unwrap();
    assert!(
        sheets.iter().any(
            |s| s["name"] == "Khen thưởng" && s["summary"][0].as_str().unwrap().starts_with("Trang tính")
        )
    );
    // Its texts are Vietnamese too (`inspect --json` has them in English).
    let info = sheets.iter().find(|s| s["name"] == "Số liệu").unwrap();
    assert_eq!(
        info["header_why"],
        "dòng 1 là dòng đầu tiên có đủ ô chữ để làm tên cột: 13 ô, dòng nhiều nhất có 13 ô"
    );
    // The report fits; the certificates do not, for the two reasons, in Vietnamese.
    assert_eq!(template(&answer, "bao-cao-tong-ket")["fits"], true);
    let certs = template(&answer, "giay-khen");
    assert_eq!(certs["fits"], false);
    let problems = certs["problems"].as_array().unwrap();
    let column = problems.iter().find(|p| p["kind"] == "no_column").expect("missing column");
    assert_eq!(column["field"], "hinh_thuc");
    assert_eq!(column["sheet"], "Khen thưởng");
    assert!(
        column["message"].as_str().unwrap().starts_with("không có cột \"Hình thức khen thưởng\""),
        "{column}"
    );
    let item = problems.iter().find(|p| p["kind"] == "no_item").expect("missing item");
    assert_eq!(item["item"], "Người ký");
    assert_eq!(
        item["message"],
        "không có mục \"Người ký\" (đã tìm \"Người ký\", \"Họ tên người ký\", \"Họ và tên người ký\" ở cột A)"
    );

    // The fixes the page offers are the profile's overrides.
    let profile =
        serde_json::json!({ "map": { "hinh_thuc": "Khen theo" }, "set": { "Người ký": "Nguyễn Văn Hòa" } });
    let fixed = server.call("PUT", &format!("/api/workbooks/{id}/overrides"), Body::Json(profile));
    assert_eq!(fixed.status, 200, "{}", String::from_utf8_lossy(&fixed.body));
    let fixed = fixed.json();
    let certs = template(&fixed, "giay-khen");
    assert_eq!(certs["fits"], true, "{certs}");
    assert_eq!(certs["documents"], 28);
    assert!(
        fixed["command"].as_str().unwrap().contains("--map \"hinh_thuc=Khen theo\""),
        "{}",
        fixed["command"]
    );

    // The profile file round-trips through TOML.
    let toml = server.call("GET", &format!("/api/workbooks/{id}/profile"), Body::None);
    assert_eq!(toml.status, 200);
    let toml_text = String::from_utf8(toml.body.clone()).unwrap();
    assert!(toml_text.contains("hinh_thuc = \"Khen theo\""), "{toml_text}");
    let again = server.call(
        "PUT",
        &format!("/api/workbooks/{id}/overrides"),
        Body::Text("application/toml", toml_text.clone()),
    );
    assert_eq!(template(&again.json(), "giay-khen")["fits"], true);

    // A preview of the 17th certificate, a PNG drawn by the typesetter.
    let png = server.call(
        "GET",
        &format!("/api/workbooks/{id}/preview?template=giay-khen&doc=17&page=1"),
        Body::None,
    );
    assert_eq!(png.status, 200, "{}", String::from_utf8_lossy(&png.body));
    assert_eq!(png.header("content-type"), Some("image/png"));
    assert!(png.body.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert_eq!(png.header("x-pages"), Some("1"));
    let report = server.call(
        "GET",
        &format!("/api/workbooks/{id}/preview?template=bao-cao-tong-ket&doc=1&page=2"),
        Body::None,
    );
    assert_eq!(report.status, 200);
    assert!(report.header("x-pages").unwrap().parse::<usize>().unwrap() >= 2);
    let past = server.call(
        "GET",
        &format!("/api/workbooks/{id}/preview?template=giay-khen&doc=99&page=1"),
        Body::None,
    );
    assert_eq!(past.status, 404);
    assert!(past.json()["error"].as_str().unwrap().contains("không có văn bản thứ 99"));

    // One PDF, the real one.
    let name = template(&fixed, "giay-khen")["rows"][16]["name"].as_str().unwrap().to_string();
    let pdf = server.call("GET", &format!("/api/workbooks/{id}/pdf?template=giay-khen&doc=17"), Body::None);
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    assert_has(&pages_text(&pdf.body).join("\n"), &name);

    // Build everything; the ZIP is the one `vanban build --zip` writes with the same profile.
    let started =
        server.call("POST", &format!("/api/workbooks/{id}/builds"), Body::Json(serde_json::json!({})));
    assert_eq!(started.status, 202, "{}", String::from_utf8_lossy(&started.body));
    let build = started.json()["id"].as_str().unwrap().to_string();
    let events = server.call("GET", &format!("/api/builds/{build}/events"), Body::None);
    let stream = String::from_utf8_lossy(&events.body).into_owned();
    assert!(stream.contains("event: progress"), "{stream}");
    assert!(stream.contains("\"state\":\"done\""), "the stream ends with the build: {stream}");
    let done = wait_build(&server, &build);
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(done["done"], done["total"]);
    assert_eq!(done["failures"].as_array().unwrap().len(), 0);
    let zip = server.call("GET", &format!("/api/builds/{build}/zip"), Body::None);
    assert_eq!(zip.status, 200);
    assert_eq!(zip.header("content-type"), Some("application/zip"));

    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("khen-thuong.xlsx");
    std::fs::write(&book, unfit_sample()).unwrap();
    let profile = dir.path().join("ho-so.toml");
    std::fs::write(&profile, toml_text).unwrap();
    let cli_zip = dir.path().join("cli.zip");
    let out = Command::new(env!("CARGO_BIN_EXE_vanban"))
        .args([
            "build",
            book.to_str().unwrap(),
            "--profile",
            profile.to_str().unwrap(),
            "--zip",
            cli_zip.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::read(&cli_zip).unwrap() == zip.body, "the page's ZIP and the CLI's differ");
}

#[test]
fn only_the_printed_address_with_its_token_is_served() {
    let server = TestServer::start(ServeOptions::default());
    let port = server.port();
    let token = server.token();
    // No token: 401, JSON for the API, a Vietnamese page for "/".
    let bare = server.raw("GET", "/api/templates", Body::None, &[]);
    assert_eq!(bare.status, 401);
    assert!(bare.json()["error"].as_str().unwrap().contains("mã truy cập"));
    assert_eq!(server.raw("GET", "/", Body::None, &[]).status, 401);
    // The printed address sets the cookie; the cookie then opens the page.
    let login = server.raw("GET", &format!("/?token={token}"), Body::None, &[]);
    assert_eq!(login.status, 303);
    let cookie = login.header("set-cookie").unwrap().split(';').next().unwrap().to_string();
    assert!(login.header("set-cookie").unwrap().contains("HttpOnly"));
    let page = server.raw("GET", "/", Body::None, &[&format!("Cookie: {cookie}")]);
    assert_eq!(page.status, 200);
    let html = String::from_utf8(page.body.clone()).unwrap();
    assert!(html.contains("lang=\"vi\"") && html.contains("không rời khỏi máy tính này"));
    let csp = page.header("content-security-policy").unwrap();
    assert!(csp.starts_with("default-src 'self'"), "{csp}");
    assert_eq!(server.raw("GET", &format!("/?token={token}x"), Body::None, &[]).status, 401);
    // DNS rebinding: another Host is refused, even with the token.
    let auth = format!("Authorization: Bearer {token}");
    let rebound = server.raw("GET", "/api/templates", Body::None, &[&auth, "Host: evil.example:80"]);
    assert_eq!(rebound.status, 403);
    assert_eq!(
        server.raw("GET", "/api/templates", Body::None, &[&auth, &format!("Host: localhost:{port}")]).status,
        200
    );
    // A state-changing request from another page is refused; from the page itself it is not.
    let foreign = server.raw(
        "POST",
        "/api/workbooks",
        Body::File("x.xlsx", sample_bytes()),
        &[&auth, "Origin: http://evil.example"],
    );
    assert_eq!(foreign.status, 403);
    let own = server.raw(
        "POST",
        "/api/workbooks",
        Body::File("x.xlsx", sample_bytes()),
        &[&auth, &format!("Origin: http://127.0.0.1:{port}")],
    );
    assert_eq!(own.status, 200);
    // Errors are JSON 4xx, never 5xx.
    for (method, path, body) in [
        ("GET", "/api/workbooks/nope".to_string(), Body::None),
        ("GET", "/api/builds/nope".to_string(), Body::None),
        (
            "PUT",
            format!("/api/workbooks/{}/overrides", own.json()["id"].as_str().unwrap()),
            Body::Json(serde_json::json!({"map": 5})),
        ),
        ("POST", "/api/workbooks".to_string(), Body::File("notes.xlsx", b"hello".to_vec())),
        ("GET", "/api/nothing".to_string(), Body::None),
    ] {
        let a = server.call(method, &path, body);
        assert!((400..500).contains(&a.status), "{method} {path}: {}", a.status);
        assert!(a.json()["error"].is_string(), "{method} {path}");
    }
    let bad = server.call("POST", "/api/workbooks", Body::File("ghi-chu.xlsx", b"hello".to_vec()));
    assert_eq!(
        bad.json()["error"],
        "ghi-chu.xlsx không phải sổ tính (plain text); cần tệp xlsx, xlsm, xlsb, xls hoặc ods"
    );
}

fn sample_bytes() -> Vec<u8> {
    sample_data::khanh_hoa_2023().to_xlsx()
}

#[test]
fn an_upload_past_the_limit_is_refused_and_the_server_goes_on() {
    let server = TestServer::start(ServeOptions { max_upload: 64 * 1024, ..ServeOptions::default() });
    let big = vec![b'x'; 200 * 1024];
    let refused = server.call("POST", "/api/workbooks", Body::File("lon.xlsx", big));
    assert_eq!(refused.status, 413);
    assert!(refused.json()["error"].as_str().unwrap().contains("Tệp quá lớn"));
    let next = server.call("POST", "/api/workbooks", Body::File("x.xlsx", sample_bytes()));
    assert_eq!(next.status, 200);
}

#[test]
fn a_build_can_be_cancelled() {
    let server = TestServer::start(ServeOptions::default());
    let mut book = sample_data::khanh_hoa_2023();
    let rows = book.sheet_mut("Khen thưởng");
    let first = rows[1].clone();
    for i in 0..1500 {
        let mut r = first.clone();
        r[1] = s(&format!("Người thứ {i}"));
        rows.push(r);
    }
    let id = upload(&server, "nhieu.xlsx", book.to_xlsx())["id"].as_str().unwrap().to_string();
    let started = server.call(
        "POST",
        &format!("/api/workbooks/{id}/builds"),
        Body::Json(serde_json::json!({"templates": ["giay-khen"]})),
    );
    let build = started.json()["id"].as_str().unwrap().to_string();
    let cancelled = server.call("DELETE", &format!("/api/builds/{build}"), Body::None);
    assert_eq!(cancelled.status, 200);
    let end = wait_build(&server, &build);
    assert_eq!(end["state"], "cancelled", "{end}");
    assert!(end["done"].as_u64().unwrap() < 1528, "{end}");
    assert_eq!(server.call("GET", &format!("/api/builds/{build}/zip"), Body::None).status, 409);
}

#[test]
fn started_without_a_terminal_it_serves_the_page() {
    use std::io::BufRead;
    // No arguments and stdin not a terminal: what a double-click or a desktop launcher does.
    let mut child = Command::new(env!("CARGO_BIN_EXE_vanban"))
        .env("VANBAN_NO_BROWSER", "1")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    let url = first.trim().to_string();
    let rest = url.strip_prefix("http://127.0.0.1:").expect("the address is the first line");
    let (port, token) = rest.split_once("/?token=").expect("with its token");
    let port: u16 = port.parse().unwrap();
    let answer = http::request(
        port,
        "GET",
        "/api/templates",
        Body::None,
        &[&format!("Authorization: Bearer {token}")],
    );
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(answer.status, 200);
    assert!(answer.json()["templates"].as_array().unwrap().iter().any(|t| t["name"] == "giay-khen"));
}

#[test]
fn hostile_workbooks_cost_the_server_nothing() {
    let server = TestServer::start(ServeOptions::default());
    // One cell at XFD1048576 beside a small table: a sparse sheet is still a sheet.
    let t = std::time::Instant::now();
    let far = server.call("POST", "/api/workbooks", Body::File("xa.xlsx", super::corpus::far_cell()));
    assert_eq!(far.status, 200, "{}", String::from_utf8_lossy(&far.body));
    eprintln!("far cell read, inspected and checked in {:.2} s", t.elapsed().as_secs_f64());
    // A sheet that inflates past the limit: refused in one sentence.
    let bomb =
        server.call("POST", "/api/workbooks", Body::File("phong.xlsx", super::corpus::inflating(257 << 20)));
    assert_eq!(bomb.status, 422, "{}", String::from_utf8_lossy(&bomb.body));
    let error = bomb.json()["error"].as_str().unwrap().to_string();
    assert!(error.starts_with("phong.xlsx"), "{error}");
    assert!(error.contains("256 MiB"), "{error}");
    // And the next request is served as usual.
    let next = server.call("POST", "/api/workbooks", Body::File("x.xlsx", sample_bytes()));
    assert_eq!(next.status, 200);
    assert_eq!(template(&next.json(), "bao-cao-tong-ket")["fits"], true);
}

/// Two certificates, the first to "Lê Thị Mai": a small workbook for blank printing.
pub fn two_certificates() -> Vec<u8> {
    let mut book = sample_data::khanh_hoa_2023_one_decision();
    let rows = book.sheet_mut("Khen thưởng");
    rows.truncate(3);
    rows[1][1] = s("Lê Thị Mai");
    rows[2][1] = s("Trần Văn Đức");
    book.to_xlsx()
}

fn png_size(png: &[u8]) -> (u32, u32) {
    let be = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    (be(16), be(20))
}

#[test]
fn blank_profiles_over_http_edit_preview_and_print() {
    use vanban::blank::{BlankProfile, Paper};
    let server = TestServer::start(ServeOptions::default());
    // The built-in profiles, as TOML and as JSON.
    let a3 = server.call("GET", "/api/blank-profiles/a3.toml", Body::None);
    assert_eq!(a3.status, 200);
    let a3 = String::from_utf8(a3.body).unwrap();
    assert_eq!(BlankProfile::from_toml_text(&a3, "a3.toml").unwrap(), BlankProfile::builtin(Paper::A3));
    let a4 = server.call("GET", "/api/blank-profiles/a4.json", Body::None).json();
    assert_eq!(a4["sheet"], serde_json::json!({ "w": 297.0, "h": 210.0 }));
    let ten = a4["fields"].as_array().unwrap().iter().find(|f| f["name"] == "ten").unwrap();
    assert_eq!(
        (ten["x"].as_f64(), ten["y"].as_f64(), ten["w"].as_f64()),
        (Some(30.0), Some(92.0), Some(237.0))
    );
    assert_eq!(ten["label"], "Tên người được khen");
    assert_eq!(server.call("GET", "/api/blank-profiles/a5.json", Body::None).status, 404);

    let answer = upload(&server, "hai-nguoi.xlsx", two_certificates());
    assert_eq!(template(&answer, "giay-khen")["fits"], true);
    let id = answer["id"].as_str().unwrap().to_string();
    let blank = format!("/api/workbooks/{id}/blank");
    let preview = |mode: &str| {
        let a = server.call(
            "GET",
            &format!("/api/workbooks/{id}/preview?template=giay-khen&doc=1&blank={mode}"),
            Body::None,
        );
        assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
        assert!(a.body.starts_with(b"\x89PNG"));
        a.body
    };
    // Until another is sent, the session's blank is the built-in A4 one: a landscape sheet.
    assert_eq!(server.call("GET", &blank, Body::None).json()["paper"], "a4");
    let before = preview("print");
    let (w, h) = png_size(&before);
    assert_eq!((w, h), (1263, 893), "297 × 210 mm at 1.5 px/pt");
    assert_ne!(before, preview_plain(&server, &id), "the blank mode is not the full certificate");

    // A profile with mistakes: every one named with its line, in Vietnamese; nothing applied.
    let bad = "paper = \"a4\"\n[fields.ten]\nx = 30\ny = 200\nw = 237\nh = 16\n[fields.tenn]\nx = 1\n";
    let refused = server.call("PUT", &blank, Body::Text("application/toml", bad.into()));
    assert_eq!(refused.status, 422);
    let problems = refused.json()["problems"].as_array().unwrap().clone();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(problems[0]["line"], 2);
    assert_eq!(
        problems[0]["message"],
        "ô của ten (x 30, y 200, w 237, h 16 mm) vượt ra ngoài tờ giấy (297 × 210 mm)"
    );
    assert_eq!(problems[1]["line"], 7);
    assert!(
        problems[1]["text"]
            .as_str()
            .unwrap()
            .starts_with("phoi.toml:7: không có trường \"tenn\"; có phải \"ten\"?")
    );
    assert!(refused.json()["error"].as_str().unwrap().contains("chưa có gì thay đổi"));
    let english = server.call("PUT", &format!("{blank}?lang=en"), Body::Text("application/toml", bad.into()));
    assert_eq!(
        english.json()["problems"][1]["message"].as_str().unwrap().split(';').next(),
        Some("unknown field \"tenn\"")
    );
    assert_eq!(server.call("GET", &blank, Body::None).json()["fields"].as_array().unwrap().len(), 11);
    assert_eq!(preview("print"), before, "nothing was applied");

    // Moving the name's box and the offset changes the preview; the saved TOML has them.
    let mut moved = BlankProfile::builtin(Paper::A4);
    moved.offset = (1.5, -2.0);
    let f = moved.fields.iter_mut().find(|f| f.name == "ten").unwrap();
    (f.x, f.y) = (12.5, 40.0);
    let put = server.call("PUT", &blank, Body::Text("application/toml", moved.to_toml()));
    assert_eq!(put.status, 200, "{}", String::from_utf8_lossy(&put.body));
    let after = preview("print");
    assert_ne!(after, before, "moving the name changes the preview");
    let saved = server.call("GET", &format!("{blank}/profile"), Body::None);
    assert_eq!(saved.header("content-type"), Some("application/toml; charset=utf-8"));
    let saved = BlankProfile::from_toml_text(&String::from_utf8(saved.body).unwrap(), "phoi.toml").unwrap();
    assert_eq!(saved, moved);

    // The print PDF: the certificate's text alone on the blank's sheet, no image.
    let pdf = server.call(
        "GET",
        &format!("/api/workbooks/{id}/pdf?template=giay-khen&doc=1&blank=print"),
        Body::None,
    );
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    assert_eq!(super::page_size_mm(&pdf.body), (297, 210));
    let text = pages_text(&pdf.body).join("\n");
    assert_has(&text, "Lê Thị Mai");
    // The blank has its heading printed ("TẶNG" above the award word): the print has none.
    let full = server.call("GET", &format!("/api/workbooks/{id}/pdf?template=giay-khen&doc=1"), Body::None);
    assert_has(&pages_text(&full.body).join("\n"), "TẶNG");
    assert!(!flat(&text).contains("TẶNG"), "{text}");
    let doc = lopdf::Document::load_mem(&pdf.body).unwrap();
    let images = doc.objects.values().filter(|o| {
        o.as_stream()
            .is_ok_and(|s| s.dict.get(b"Subtype").is_ok_and(|t| t.as_name().is_ok_and(|n| n == b"Image")))
    });
    assert_eq!(images.count(), 0, "a print holds no image");
    // The calibration sheet has the boxes and the offset.
    let cal = server.call("GET", &format!("{blank}/calibration"), Body::None);
    assert_eq!(cal.header("content-type"), Some("application/pdf"));
    let cal = flat(&pages_text(&cal.body).join("\n"));
    assert!(cal.contains("nguoi_ky") && cal.contains("dx=1.5mm,dy=-2mm"), "{cal}");
    assert_eq!(
        server
            .call("GET", &format!("/api/workbooks/{id}/preview?template=giay-khen&blank=x"), Body::None)
            .status,
        400
    );
    let report = server.call(
        "GET",
        &format!("/api/workbooks/{id}/pdf?template=bao-cao-tong-ket&blank=print"),
        Body::None,
    );
    assert_eq!(report.status, 422);
    assert!(report.json()["error"].as_str().unwrap().contains("không in lên phôi được"));

    // The scanned blank, sent with the profile: the preview shows it, the print does not.
    // (A page drawn at 4 px/pt: 3368 × 2380 pixels, as a scan at 290 dpi.)
    let wb = vanban::workbook::read_bytes(two_certificates(), "hai-nguoi.xlsx").unwrap();
    let scan = ENGINE
        .preview("giay-khen", &wb, &Default::default(), &RenderOptions::default(), (0, 0), 4.0)
        .unwrap()
        .png;
    assert_eq!(png_size(&scan), (3368, 2381));
    let with_scan = server.call(
        "PUT",
        &blank,
        Body::Parts(vec![
            ("profile", "phoi.toml", moved.to_toml().into_bytes()),
            ("image", "phoi-quet.png", scan.clone()),
        ]),
    );
    assert_eq!(with_scan.status, 200, "{}", String::from_utf8_lossy(&with_scan.body));
    assert_eq!(with_scan.json()["image"], "phoi-quet.png");
    let t = std::time::Instant::now();
    assert_ne!(preview("preview"), after, "the scan is under the text");
    eprintln!("a preview over a {} KB scan: {:.2} s", scan.len() / 1024, t.elapsed().as_secs_f64());
    assert_eq!(preview("print"), after, "a print shows no scan");
    let toml = String::from_utf8(server.call("GET", &format!("{blank}/profile"), Body::None).body).unwrap();
    assert!(toml.contains("background = \"phoi-quet.png\""), "{toml}");
    // Not an image: refused, and the scan stays.
    let text_image =
        server.call("PUT", &blank, Body::Parts(vec![("image", "ghi-chu.png", b"hello".to_vec())]));
    assert_eq!(text_image.status, 422);
    assert_eq!(
        text_image.json()["problems"][0]["message"],
        "ảnh nền ghi-chu.png không phải ảnh PNG hay JPEG (tối đa 20 MB)"
    );
    assert_eq!(server.call("GET", &blank, Body::None).json()["image"], "phoi-quet.png");
    // An empty image removes it.
    let removed = server.call("PUT", &blank, Body::Parts(vec![("image", "x.png", Vec::new())]));
    assert_eq!(removed.json()["image"], serde_json::Value::Null);
    assert_eq!(preview("preview"), after);

    // Every certificate for printing onto blanks: the ZIP has each one's text alone.
    let builds = format!("/api/workbooks/{id}/builds");
    let wrong = server.call(
        "POST",
        &builds,
        Body::Json(serde_json::json!({"templates": ["giay-khen"], "blank": "in"})),
    );
    assert_eq!(wrong.status, 422);
    assert!(wrong.json()["error"].as_str().unwrap().contains("chỉ có \"print\""));
    let request = serde_json::json!({"templates": ["giay-khen"], "blank": "print", "print": true});
    let started = server.call("POST", &builds, Body::Json(request));
    assert_eq!(started.status, 202, "{}", String::from_utf8_lossy(&started.body));
    let build = started.json()["id"].as_str().unwrap().to_string();
    assert_eq!(wait_build(&server, &build)["state"], "done");
    let zip = server.call("GET", &format!("/api/builds/{build}/zip"), Body::None);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.body)).expect("a ZIP");
    let mut pdf = Vec::new();
    std::io::Read::read_to_end(&mut archive.by_name("Trần Văn Đức.pdf").expect("one PDF each"), &mut pdf)
        .unwrap();
    assert_eq!(super::page_size_mm(&pdf), (297, 210));
    let text = pages_text(&pdf).join("\n");
    assert_has(&text, "Trần Văn Đức");
    assert!(!flat(&text).contains("TẶNG"), "{text}");
    // ... and all of them in one PDF for one print job, in row order.
    let print = server.call("GET", &format!("/api/builds/{build}/print"), Body::None);
    assert_eq!(print.status, 200, "{}", String::from_utf8_lossy(&print.body));
    assert_eq!(print.header("content-type"), Some("application/pdf"));
    assert_eq!(super::page_size_mm(&print.body), (297, 210));
    let pages = pages_text(&print.body);
    assert_eq!(pages.len(), 2);
    assert_has(&pages[0], "Lê Thị Mai");
    assert_has(&pages[1], "Trần Văn Đức");
    assert!(!flat(&pages.join("\n")).contains("TẶNG"));
    let plain = server.call("POST", &builds, Body::Json(serde_json::json!({"templates": ["giay-khen"]})));
    let plain = plain.json()["id"].as_str().unwrap().to_string();
    wait_build(&server, &plain);
    let none = server.call("GET", &format!("/api/builds/{plain}/print"), Body::None);
    assert_eq!(none.status, 404);
    assert!(none.json()["error"].as_str().unwrap().contains("\"print\": true"));
}

fn preview_plain(server: &TestServer, id: &str) -> Vec<u8> {
    let a = server.call("GET", &format!("/api/workbooks/{id}/preview?template=giay-khen&doc=1"), Body::None);
    assert_eq!(a.status, 200);
    a.body
}

#[test]
fn a_blank_profile_sent_over_http_never_opens_a_server_file() {
    let server = TestServer::start(ServeOptions::default());
    let id = upload(&server, "hai-nguoi.xlsx", two_certificates())["id"].as_str().unwrap().to_string();
    let blank = format!("/api/workbooks/{id}/blank");
    let preview = |mode: &str| {
        let path = format!("/api/workbooks/{id}/preview?template=giay-khen&doc=1&blank={mode}");
        server.call("GET", &path, Body::None).body
    };
    let print = preview("print");
    // A real PNG on the server, named by absolute and by relative path: neither is shown.
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("phoi.png");
    std::fs::write(&png, preview_plain(&server, &id)).unwrap();
    let cwd = std::env::current_dir().unwrap();
    let relative = pathdiff(&png, &cwd);
    let builtin = vanban::blank::BlankProfile::builtin(vanban::blank::Paper::A4).to_toml();
    for background in ["/etc/passwd".to_string(), "../x.png".to_string(), png.display().to_string(), relative]
    {
        let text = format!("background = {:?}\n{builtin}", background);
        let put = server.call("PUT", &blank, Body::Text("application/toml", text));
        assert_eq!(put.status, 200, "{background}: {}", String::from_utf8_lossy(&put.body));
        let answer = put.json();
        assert_eq!(answer["background"], serde_json::Value::Null, "{background}");
        assert!(answer["notes"][0].as_str().unwrap().contains("không mở tệp theo đường dẫn"), "{answer}");
        assert_eq!(preview("preview"), print, "{background} was read");
        let toml =
            String::from_utf8(server.call("GET", &format!("{blank}/profile"), Body::None).body).unwrap();
        assert!(!toml.contains("\nbackground ="), "{toml}");
    }
}

/// `to` as a path relative to `from` ("../../tmp/x/phoi.png").
fn pathdiff(to: &Path, from: &Path) -> String {
    let depth = from.components().count() - 1;
    format!("{}{}", "../".repeat(depth), to.strip_prefix("/").unwrap().display())
}

/// A profile edit and a scan sent at once (the page's debounced edit and an image upload):
/// the server keeps both, whichever lands first. The edit is padded (~900 KB of comments)
/// so that its parse is long enough for the scan to land during it.
#[test]
fn a_blank_edit_and_a_scan_sent_at_once_are_both_kept() {
    use vanban::blank::{BlankProfile, Paper};
    let server = TestServer::start(ServeOptions::default());
    let id = upload(&server, "hai-nguoi.xlsx", two_certificates())["id"].as_str().unwrap().to_string();
    let blank = format!("/api/workbooks/{id}/blank");
    let scan = [b"\x89PNG\r\n\x1a\n".as_slice(), &[7u8; 4096]].concat();
    let padding = "# một dòng ghi chú cho dài hồ sơ phôi\n".repeat(20_000);
    for round in 0..12u32 {
        let removed = server.call("PUT", &blank, Body::Parts(vec![("image", "x.png", Vec::new())]));
        assert_eq!(removed.json()["image"], serde_json::Value::Null);
        let mut profile = BlankProfile::builtin(Paper::A4);
        profile.offset = (f64::from(round) / 2.0, 0.0);
        let text = format!("{padding}{}", profile.to_toml());
        std::thread::scope(|s| {
            let edit = s.spawn(|| server.call("PUT", &blank, Body::Text("application/toml", text)));
            // Later each round: some scans land before the edit's parse, some during it.
            std::thread::sleep(std::time::Duration::from_millis(u64::from(round) * 3));
            let image =
                server.call("PUT", &blank, Body::Parts(vec![("image", "phoi-quet.png", scan.clone())]));
            assert_eq!(image.status, 200, "{}", String::from_utf8_lossy(&image.body));
            let edit = edit.join().unwrap();
            assert_eq!(edit.status, 200, "{}", String::from_utf8_lossy(&edit.body));
        });
        let now = server.call("GET", &blank, Body::None).json();
        assert_eq!(now["image"], "phoi-quet.png", "round {round}: the scan was lost");
        assert_eq!(
            now["offset"]["dx"].as_f64(),
            Some(f64::from(round) / 2.0),
            "round {round}: the edit was lost"
        );
    }
}

/// A build takes the blank only for printing, and its print file only up to the server's
/// limit (the print file keeps every page in memory); refusals are JSON, in either language.
#[test]
fn builds_take_only_the_print_blank_and_a_bounded_print_file() {
    assert_eq!(ServeOptions::default().max_print_documents, 10_000);
    let server = TestServer::start(ServeOptions { max_print_documents: 1, ..ServeOptions::default() });
    let id = upload(&server, "hai-nguoi.xlsx", two_certificates())["id"].as_str().unwrap().to_string();
    let builds = format!("/api/workbooks/{id}/builds");
    let preview = serde_json::json!({"templates": ["giay-khen"], "blank": "preview"});
    let refused = server.call("POST", &builds, Body::Json(preview.clone()));
    assert_eq!(refused.status, 422);
    assert!(refused.json()["error"].as_str().unwrap().contains("\"blank\": \"preview\" không dùng được"));
    let english = server.call("POST", &format!("{builds}?lang=en"), Body::Json(preview));
    assert!(english.json()["error"].as_str().unwrap().contains("only \"print\""), "{}", english.json());

    // Two certificates, a limit of one: the print file is refused, the ZIP alone is not.
    let print = serde_json::json!({"templates": ["giay-khen"], "blank": "print", "print": true});
    let too_many = server.call("POST", &builds, Body::Json(print.clone()));
    assert_eq!(too_many.status, 422);
    let message = too_many.json()["error"].as_str().unwrap().to_string();
    assert!(message.starts_with("Tệp in gồm 2 văn bản, quá 1 văn bản"), "{message}");
    assert!(message.contains("--shard"), "{message}");
    let english = server.call("POST", &format!("{builds}?lang=en"), Body::Json(print));
    assert!(english.json()["error"].as_str().unwrap().starts_with("The print file would have 2 documents"));
    let zip = serde_json::json!({"templates": ["giay-khen"], "blank": "print"});
    let started = server.call("POST", &builds, Body::Json(zip));
    assert_eq!(started.status, 202, "{}", String::from_utf8_lossy(&started.body));
    assert_eq!(wait_build(&server, started.json()["id"].as_str().unwrap())["state"], "done");
}

/// A blank profile past 1 MB is refused (413) before it is parsed, as the body and as a
/// part; a multipart body the server cannot read is answered as JSON too.
#[test]
fn blank_bodies_too_large_or_unreadable_are_json() {
    let server = TestServer::start(ServeOptions::default());
    let id = upload(&server, "hai-nguoi.xlsx", two_certificates())["id"].as_str().unwrap().to_string();
    let blank = format!("/api/workbooks/{id}/blank");
    let big = format!("{}paper = \"a4\"\n", "#\n".repeat(600_000));
    let body = server.call("PUT", &blank, Body::Text("application/toml", big.clone()));
    assert_eq!(body.status, 413);
    assert!(body.json()["error"].as_str().unwrap().contains("Hồ sơ phôi quá lớn"));
    let part = server.call("PUT", &blank, Body::Parts(vec![("profile", "phoi.toml", big.into_bytes())]));
    assert_eq!(part.status, 413);
    assert!(part.json()["error"].as_str().unwrap().contains("Hồ sơ phôi quá lớn"));
    let no_boundary = server.call("PUT", &blank, Body::Text("multipart/form-data", "x".into()));
    assert_eq!(no_boundary.status, 400);
    assert!(no_boundary.json()["error"].as_str().unwrap().starts_with("Không đọc được tệp gửi lên"));
    assert_eq!(server.call("GET", &blank, Body::None).json()["paper"], "a4", "nothing changed");
}
