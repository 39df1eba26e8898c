//! Web page benchmark: `cargo bench --bench page`. Starts `vanban serve` in process on a free
//! port and times what a person waits for, over HTTP as the page calls it: the sample
//! workbook uploaded until every template's problems are answered, a certificate's
//! preview, and a report's first page. Each is the best of five runs after one warm-up.

mod support;

#[path = "../samples/sample_data.rs"]
mod sample_data;

#[path = "support/http.rs"]
mod http;

use http::Body;
use std::time::Instant;
use support::{cpu_model, peak_rss_mb};
use vanban::serve::{self, ServeOptions};
use vanban::{Engine, Options};

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let engine = Engine::new(&Options::default()).expect("engine");
    let options = ServeOptions { port: 0, open: false, ..ServeOptions::default() };
    let running = runtime.block_on(serve::start(engine, options)).expect("server");
    let port = running.addr.port();
    let auth = format!("Authorization: Bearer {}", running.token);
    let call = |method: &str, path: &str, body: Body| http::request(port, method, path, body, &[&auth]);
    println!("machine: {}", cpu_model());
    let sample = sample_data::khanh_hoa_2023().to_xlsx();
    let best = |what: &str, limit: f64, f: &mut dyn FnMut()| {
        f();
        let mut times = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            f();
            times.push(t.elapsed().as_secs_f64());
        }
        let best = times.iter().copied().fold(f64::INFINITY, f64::min);
        let verdict = if best <= limit { "within" } else { "OVER" };
        println!("| {what} | {:.0} ms | {verdict} {:.0} ms |", best * 1000.0, limit * 1000.0);
    };
    println!("| step | best of 5 | goal |");
    println!("|---|---|---|");
    let mut id = String::new();
    best("upload the sample until every template's problems are answered", 0.3, &mut || {
        let a = call("POST", "/api/workbooks", Body::File("khanh-hoa-2023.xlsx", sample.clone()));
        assert_eq!(a.status, 200);
        id = a.json()["id"].as_str().unwrap().to_string();
    });
    best("preview of a certificate (A4, PNG)", 0.3, &mut || {
        let a =
            call("GET", &format!("/api/workbooks/{id}/preview?template=giay-khen&doc=17&page=1"), Body::None);
        assert_eq!(a.status, 200);
    });
    best("preview of the annual report's first page", 1.0, &mut || {
        let a = call(
            "GET",
            &format!("/api/workbooks/{id}/preview?template=bao-cao-tong-ket&doc=1&page=1"),
            Body::None,
        );
        assert_eq!(a.status, 200);
    });
    println!("peak memory: {:.0} MB", peak_rss_mb());
    let _ = runtime.block_on(running.stop());
}
