//! The page in a real browser: headless Chromium driven over WebDriver (chromedriver) drops a
//! workbook with a missing column and a missing item, fixes both with the page's own inputs,
//! looks at a preview, builds, and downloads the ZIP. Without Chromium the test says so on
//! stderr and passes; under CI (`VANBAN_BROWSER_TEST=1`, set by .ci/run, which installs
//! chromium and chromium-driver) a missing browser fails it.

use super::serve::{Body, TestServer, unfit_sample, wait_build};
use super::*;
use fantoccini::{ClientBuilder, Locator};
use std::process::Stdio;
use std::time::{Duration, Instant};
use vanban::serve::ServeOptions;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

struct Kill(std::process::Child);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Where the screenshots the README does not show go: the target folder.
fn scratch_shots() -> PathBuf {
    let dir = root().join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Where screenshots go: docs/screenshots with UPDATE_SCREENSHOTS=1 (for the README), else
/// the target folder.
fn shots() -> PathBuf {
    let dir = if std::env::var_os("UPDATE_SCREENSHOTS").is_some() {
        root().join("docs/screenshots")
    } else {
        root().join("target/screenshots")
    };
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// chromedriver on a free port and its port; `None` (the test then passes, saying so) without
/// Chromium, unless under CI.
fn chromedriver() -> Option<(Kill, u16)> {
    let required = std::env::var_os("VANBAN_BROWSER_TEST").is_some();
    if !Path::new(CHROMEDRIVER).exists() || !Path::new(CHROMIUM).exists() {
        assert!(!required, "VANBAN_BROWSER_TEST is set but {CHROMEDRIVER} or {CHROMIUM} is missing");
        eprintln!("browser test skipped: install chromium and chromium-driver to run it");
        return None;
    }
    let port = free_port();
    let driver = Kill(
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
    );
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(start.elapsed() < Duration::from_secs(20), "chromedriver never listened");
        std::thread::sleep(Duration::from_millis(50));
    }
    Some((driver, port))
}

/// A headless Chromium session through chromedriver on `port`, its profile in `profile`.
async fn session(port: u16, profile: &Path) -> fantoccini::Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": CHROMIUM,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1200,1000", format!("--user-data-dir={}", profile.display())],
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("webdriver session")
}

#[test]
fn the_page_in_a_real_browser() {
    let Some((_driver, port)) = chromedriver() else { return };
    let server = TestServer::start(ServeOptions::default());
    let url = server.running.as_ref().unwrap().url.clone();
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("khen-thuong.xlsx");
    std::fs::write(&book, unfit_sample()).unwrap();
    let profile = dir.path().join("chromium");
    server.runtime.block_on(async {
        let c = session(port, &profile).await;
        let wait = |css: &'static str| {
            let c = c.clone();
            async move {
                c.wait().at_most(Duration::from_secs(60)).for_element(Locator::Css(css)).await.expect(css)
            }
        };
        c.goto(&url).await.unwrap();
        let privacy = wait("#privacy").await.text().await.unwrap();
        assert!(privacy.contains("không rời khỏi máy tính này"), "{privacy}");
        c.find(Locator::Css("#file")).await.unwrap().send_keys(book.to_str().unwrap()).await.unwrap();
        // The problems: the missing column offers the sheet's columns, the missing item a text field.
        let column = wait("select[data-field='hinh_thuc']").await;
        let problems = c.find(Locator::Css("#problems")).await.unwrap().text().await.unwrap();
        assert!(problems.contains("không có cột \"Hình thức khen thưởng\""), "{problems}");
        assert!(problems.contains("không có mục \"Người ký\""), "{problems}");
        c.execute("document.getElementById('problems').scrollIntoView();", vec![]).await.unwrap();
        std::fs::write(shots().join("van-de.png"), c.screenshot().await.unwrap()).unwrap();
        column.select_by_value("Khen theo").await.unwrap();
        // Binding again redraws the page: the column's problem goes, the item's field is new.
        let deadline = Instant::now() + Duration::from_secs(60);
        while !c.find_all(Locator::Css("select[data-field='hinh_thuc']")).await.unwrap().is_empty() {
            assert!(Instant::now() < deadline, "choosing the column did not bind again");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let signer = wait("input[data-item='Người ký']").await;
        signer.send_keys("Nguyễn Văn Hòa\n").await.unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            // The page redraws as it binds again: an element found a moment ago may be gone.
            let list = match c.find(Locator::Css("li[data-template='giay-khen']")).await {
                Ok(li) => li.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if list.contains("dùng được — 28 văn bản") {
                break;
            }
            assert!(Instant::now() < deadline, "the certificates never fitted: {list}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let command =
            c.find(Locator::Css("#command")).await.unwrap().prop("textContent").await.unwrap().unwrap();
        assert!(command.contains("--set \"Người ký=Nguyễn Văn Hòa\""), "{command}");
        // A preview image of a certificate.
        c.find(Locator::Css("#pv-template")).await.unwrap().select_by_value("giay-khen").await.unwrap();
        c.find(Locator::Css("#pv-doc")).await.unwrap().select_by_value("17").await.unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        let landscape = "const i = document.getElementById('pv-image'); \
            return i.dataset.shown === 'giay-khen/17/1' && i.complete && i.naturalWidth > i.naturalHeight;";
        loop {
            if c.execute(landscape, vec![]).await.unwrap() == serde_json::json!(true) {
                break;
            }
            assert!(Instant::now() < deadline, "no preview image");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        c.execute("document.getElementById('step-preview').scrollIntoView();", vec![]).await.unwrap();
        std::fs::write(shots().join("xem-truoc.png"), c.screenshot().await.unwrap()).unwrap();
        // Build, then take the ZIP the page links to.
        c.find(Locator::Css("#bd-start")).await.unwrap().click().await.unwrap();
        let link = c
            .wait()
            .at_most(Duration::from_secs(240))
            .for_element(Locator::Css("#bd-zip:not([hidden])"))
            .await
            .expect("ZIP link");
        let href = link.attr("href").await.unwrap().unwrap();
        let progress = c.find(Locator::Css("#bd-text")).await.unwrap().text().await.unwrap();
        assert!(progress.contains("xong"), "{progress}");
        let cancel = c.find(Locator::Css("#bd-cancel")).await.unwrap();
        assert!(!cancel.is_displayed().await.unwrap(), "the cancel button goes once the build is done");
        c.execute("document.getElementById('step-build').scrollIntoView();", vec![]).await.unwrap();
        std::fs::write(shots().join("lam-van-ban.png"), c.screenshot().await.unwrap()).unwrap();
        c.close().await.unwrap();
        let build = href.trim_start_matches("/api/builds/").trim_end_matches("/zip").to_string();
        let status = wait_build(&server, &build);
        assert_eq!(status["state"], "done");
        let zip = server.call("GET", &href, Body::None);
        assert_eq!(zip.status, 200);
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.body)).expect("a ZIP");
        let mut index = String::new();
        std::io::Read::read_to_string(&mut archive.by_name("index.csv").unwrap(), &mut index).unwrap();
        assert!(index.lines().count() > 28, "{index}");
        assert!(index.contains("giay-khen/"), "{index}");
    });
}

/// Polls `script` (returning true when done) for up to a minute.
async fn until(c: &fantoccini::Client, script: &str, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if c.execute(script, vec![]).await.unwrap() == serde_json::json!(true) {
            return;
        }
        assert!(Instant::now() < deadline, "timed out: {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The page holds every edit and shows its preview: nothing waits to be sent, and the image
/// drawn is of the last profile sent.
const SETTLED: &str = "const i = document.getElementById('bl-image'); \
    return !blank.timer && !blank.inflight && !blank.dragging && i.dataset.state === 'shown' \
        && i.dataset.shown === blank.sent + '/' + (document.getElementById('bl-doc').value || '1') && i.complete;";

#[test]
fn the_blank_profile_editor_in_a_real_browser() {
    use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
    use vanban::blank::BlankProfile;
    let Some((_driver, port)) = chromedriver() else { return };
    let server = TestServer::start(ServeOptions::default());
    let url = server.running.as_ref().unwrap().url.clone();
    let dir = tempfile::tempdir().unwrap();
    let book = root().join("samples/khanh-hoa-2023.xlsx");
    let profile = dir.path().join("chromium");
    server.runtime.block_on(async {
        let c = session(port, &profile).await;
        let js = |script: &'static str| {
            let c = c.clone();
            async move { c.execute(script, vec![]).await.unwrap() }
        };
        c.goto(&url).await.unwrap();
        // Whatever the editor does (blob: previews, positions set from script) stays within
        // the page's Content-Security-Policy.
        js("window.violations = []; document.addEventListener('securitypolicyviolation', \
            (e) => window.violations.push(e.violatedDirective + ' ' + e.blockedURI));")
        .await;
        c.wait().for_element(Locator::Css("#file")).await.unwrap().send_keys(book.to_str().unwrap()).await.unwrap();
        // The section comes with the certificates, on the built-in A4 profile.
        let section = c.wait().at_most(Duration::from_secs(60)).for_element(Locator::Css("#step-blank:not([hidden])")).await.expect("the blank section");
        let title = section.find(Locator::Css("h2")).await.unwrap().text().await.unwrap();
        assert_eq!(title, "Phôi giấy khen");
        until(&c, SETTLED, "the first blank preview").await;
        let sheet = js("return [blank.profile.sheet.w, blank.profile.sheet.h, document.getElementById('bl-stage').clientWidth];").await;
        assert_eq!((sheet[0].as_f64(), sheet[1].as_f64()), (Some(297.0), Some(210.0)));
        let px_per_mm = sheet[2].as_f64().unwrap() / 297.0;
        let labels = js("return [...document.querySelectorAll('#bl-boxes .box')].map(b => b.textContent);").await;
        assert_eq!(labels.as_array().unwrap().len(), 11);
        assert!(labels.as_array().unwrap().contains(&serde_json::json!("Tên người được khen")), "{labels}");
        c.execute("document.getElementById('step-blank').scrollIntoView();", vec![]).await.unwrap();
        std::fs::write(shots().join("phoi.png"), c.screenshot().await.unwrap()).unwrap();

        // Drag the name's box 50 px right and 45 px up (its box is 237 mm wide: x goes to 60 at most): x and y change by as many mm.
        let ten = c.find(Locator::Css("#bl-boxes [data-field='ten']")).await.unwrap();
        let before = ten.rectangle().await.unwrap();
        let (dx_px, dy_px) = (50.0, -45.0);
        let drag = MouseActions::new("mouse".into())
            .then(PointerAction::MoveToElement { element: ten.clone(), duration: None, x: -200.0, y: 0.0 })
            .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
            .then(PointerAction::MoveBy { duration: Some(Duration::from_millis(200)), x: dx_px / 2.0, y: dy_px / 2.0 })
            .then(PointerAction::MoveBy { duration: Some(Duration::from_millis(200)), x: dx_px / 2.0, y: dy_px / 2.0 })
            .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
        c.perform_actions(drag).await.unwrap();
        c.release_actions().await.unwrap();
        let input = |id: &'static str| {
            let c = c.clone();
            async move {
                let v = c.find(Locator::Id(id)).await.unwrap().prop("value").await.unwrap().unwrap();
                v.parse::<f64>().unwrap_or_else(|_| panic!("{id} = {v:?}"))
            }
        };
        let (x, y) = (input("bl-x").await, input("bl-y").await);
        let (want_x, want_y) = (30.0 + dx_px / px_per_mm, 92.0 + dy_px / px_per_mm);
        eprintln!("dragged by {dx_px} × {dy_px} px at {px_per_mm:.3} px/mm: x {x}, y {y} (expected {want_x:.2}, {want_y:.2})");
        assert!((x - want_x).abs() <= 0.5 && (y - want_y).abs() <= 0.5, "x {x} y {y}, expected {want_x} {want_y}");
        assert_eq!((x * 2.0).fract(), 0.0, "snapped to half millimetres: {x}");
        let after = ten.rectangle().await.unwrap();
        assert!((after.0 - before.0 - dx_px).abs() <= px_per_mm && (after.1 - before.1 - dy_px).abs() <= px_per_mm, "{before:?} -> {after:?}");

        // Type a value: the box moves to it. (WebDriver's clear leaves the input: wait for the
        // drag's answer first, or it would refill the input between clear and typing.)
        until(&c, SETTLED, "the drag saved and drawn").await;
        let field_x = c.find(Locator::Id("bl-x")).await.unwrap();
        field_x.clear().await.unwrap();
        field_x.send_keys("45").await.unwrap();
        let stage = c.find(Locator::Id("bl-stage")).await.unwrap().rectangle().await.unwrap();
        let moved = ten.rectangle().await.unwrap();
        let left_mm = (moved.0 - stage.0) / px_per_mm;
        assert!((left_mm - 45.0).abs() <= 0.5, "the box's left edge is at {left_mm:.2} mm");
        // From the keyboard: the focused box moves half a millimetre per arrow, 5 with Shift.
        ten.send_keys(&fantoccini::key::Key::Down.to_string()).await.unwrap();
        assert_eq!(input("bl-y").await, y + 0.5);
        ten.send_keys(&(fantoccini::key::Key::Shift + &fantoccini::key::Key::Up.to_string())).await.unwrap();
        assert_eq!(input("bl-y").await, y - 4.5);
        ten.send_keys(&fantoccini::key::Key::Down.to_string().repeat(9)).await.unwrap();
        assert_eq!(input("bl-y").await, y);
        // The offset moves every box (and the text) by as much.
        let t = Instant::now();
        until(&c, SETTLED, "the keys saved and drawn").await;
        eprintln!("last key to its preview drawn: {:.2} s", t.elapsed().as_secs_f64());
        let dy_input = c.find(Locator::Id("bl-dy")).await.unwrap();
        dy_input.clear().await.unwrap();
        dy_input.send_keys("-2").await.unwrap();
        let shifted = ten.rectangle().await.unwrap();
        assert!((shifted.1 - moved.1 + 2.0 * px_per_mm).abs() <= 1.0, "{moved:?} -> {shifted:?}");
        until(&c, SETTLED, "the edits saved and drawn").await;
        // A negative offset typed: the field keeps "-0.5" through the answers that come while
        // it has the focus (at "-0" it was once refilled with "0", and the minus was lost),
        // and every box moves half a millimetre left.
        let unshifted = ten.rectangle().await.unwrap();
        let dx_input = c.find(Locator::Id("bl-dx")).await.unwrap();
        dx_input.clear().await.unwrap();
        dx_input.send_keys("-0.5").await.unwrap();
        std::thread::sleep(Duration::from_millis(800)); // past the 400 ms pause before sending
        until(&c, SETTLED, "the offset saved and drawn").await;
        assert_eq!(dx_input.prop("value").await.unwrap().as_deref(), Some("-0.5"));
        let left = ten.rectangle().await.unwrap();
        assert!((unshifted.0 - left.0 - 0.5 * px_per_mm).abs() <= 0.5, "{unshifted:?} -> {left:?}");

        // "Lưu hồ sơ phôi" links to the profile the server now holds: the TOML has the moves.
        let href = c.find(Locator::Id("bl-save")).await.unwrap().attr("href").await.unwrap().unwrap();
        let saved = server.call("GET", &href, Body::None);
        assert_eq!(saved.status, 200);
        let text = String::from_utf8(saved.body).unwrap();
        let p = BlankProfile::from_toml_text(&text, "phoi.toml").expect("the saved profile reads");
        let f = p.field("ten").unwrap();
        assert_eq!((f.x, f.y, p.offset), (45.0, y, (-0.5, -2.0)), "{text}");
        c.execute("document.getElementById('step-blank').scrollIntoView();", vec![]).await.unwrap();
        std::fs::write(scratch_shots().join("phoi-da-doi.png"), c.screenshot().await.unwrap()).unwrap();

        // A profile with a mistake is refused with its line; the page keeps what it had.
        let bad = dir.path().join("sai.toml");
        std::fs::write(&bad, "paper = \"a5\"\n").unwrap();
        c.find(Locator::Id("bl-profile-file")).await.unwrap().send_keys(bad.to_str().unwrap()).await.unwrap();
        let error = c.wait().at_most(Duration::from_secs(30)).for_element(Locator::Css("#bl-error:not([hidden])")).await.unwrap();
        let error = error.text().await.unwrap();
        assert!(error.contains("dòng 1: paper = \"a5\": phải là a4 hoặc a3"), "{error}");

        // The scanned blank goes under the text.
        let scan = dir.path().join("phoi-quet.png");
        let plain = server.call("GET", &format!("/api/workbooks/{}/preview?template=giay-khen&doc=1", js("return state.wb.id;").await.as_str().unwrap()), Body::None);
        std::fs::write(&scan, plain.body).unwrap();
        c.find(Locator::Id("bl-image-file")).await.unwrap().send_keys(scan.to_str().unwrap()).await.unwrap();
        until(&c, "return document.getElementById('bl-status').textContent === 'Ảnh phôi: phoi-quet.png';", "the scan").await;
        until(&c, SETTLED, "the preview over the scan").await;
        let shown = c.find(Locator::Id("bl-remove-image")).await.unwrap();
        assert!(shown.is_displayed().await.unwrap());
        let toml = server.call("GET", &href, Body::None);
        assert!(String::from_utf8(toml.body).unwrap().contains("background = \"phoi-quet.png\""));
        c.execute("document.getElementById('step-blank').scrollIntoView();", vec![]).await.unwrap();
        std::fs::write(scratch_shots().join("phoi-anh-quet.png"), c.screenshot().await.unwrap()).unwrap();
        assert_eq!(js("return window.violations;").await, serde_json::json!([]), "CSP violations");

        // Every certificate onto the blank: a build of the certificates, text alone.
        c.find(Locator::Id("bl-print-all")).await.unwrap().click().await.unwrap();
        let chosen = js("return [document.getElementById('bd-template').value, \
            document.getElementById('bd-blank').checked, document.getElementById('bd-print').checked];")
        .await;
        assert_eq!(chosen, serde_json::json!(["giay-khen", true, true]));
        let link = c
            .wait()
            .at_most(Duration::from_secs(240))
            .for_element(Locator::Css("#bd-zip:not([hidden])"))
            .await
            .expect("ZIP link");
        let zip = server.call("GET", &link.attr("href").await.unwrap().unwrap(), Body::None);
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.body)).expect("a ZIP");
        let name = archive.file_names().filter_map(Result::ok).find(|n| n.ends_with(".pdf")).unwrap().to_string();
        let mut pdf = Vec::new();
        std::io::Read::read_to_end(&mut archive.by_name(&name).unwrap(), &mut pdf).unwrap();
        let text = flat(&pages_text(&pdf).join("\n"));
        assert!(text.contains("BANDÂNVẬN") && !text.contains("TẶNG"), "{name}: {text}");
        let print = c.find(Locator::Css("#bd-print-file:not([hidden])")).await.expect("the print file's link");
        std::fs::write(scratch_shots().join("phoi-in-tat-ca.png"), c.screenshot().await.unwrap()).unwrap();
        let print = server.call("GET", &print.attr("href").await.unwrap().unwrap(), Body::None);
        assert_eq!(pages_text(&print.body).len(), 28, "one page per certificate");

        // The built-in A3 profile: the boxes follow the larger sheet.
        c.find(Locator::Id("bl-builtin")).await.unwrap().select_by_value("a3").await.unwrap();
        c.find(Locator::Id("bl-use-builtin")).await.unwrap().click().await.unwrap();
        until(&c, "return blank.profile.paper === 'a3';", "the A3 profile").await;
        until(&c, SETTLED, "the A3 preview").await;
        let a3 = js("const i = document.getElementById('bl-image'); \
            return [i.naturalWidth, i.naturalHeight, document.getElementById('bl-x').value];")
        .await;
        assert_eq!(a3, serde_json::json!([1786, 1263, "42.5"]), "420 × 297 mm at 1.5 px/pt; the A3 name box");
        c.close().await.unwrap();
    });
}
