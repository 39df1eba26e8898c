//! Batch benchmark: `cargo bench --bench batch` (add `-- --awardees 2000` for a quick run).
//!
//! Generates a workbook of 700 units and 10,000 awardees, then measures, each phase in a
//! child process of its own so that peak memory is its own:
//! - certificates and per-unit reports through the whole pipeline (read the workbook, bind,
//!   Handlebars, Typst, PDF/A, ZIP) on 2 threads;
//! - the same documents typeset by a bare loop over Typst (same world, same markup, same
//!   thread count and cache eviction; no workbook, no Handlebars, no ZIP): the baseline;
//! - peak memory writing 2,000 and 10,000 certificates into a ZIP, to show it stays flat;
//! - the print file (`--print`) of the same certificates alone, and with the ZIP: its time
//!   and size against the separate files'.

#[path = "../samples/sample_data.rs"]
mod sample_data;
mod support;

use rayon::prelude::*;
use sample_data::{Book, V, n, s};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;
use support::{cpu_model, peak_rss_mb};
use vanban::output::Sink;
use vanban::{BatchOptions, Engine, Options, RenderOptions};

const UNITS: usize = 700;
const THREADS: usize = 2;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--phase") {
        let phase = &args[i + 1];
        let workbook = PathBuf::from(&args[i + 2]);
        let limit: usize = args[i + 3].parse().expect("limit");
        phase_main(phase, &workbook, limit);
        return;
    }
    if args.iter().any(|a| a == "--only-workbook") {
        let awardees = 10_000;
        std::fs::write("bench.xlsx", big_book(UNITS, awardees).to_xlsx()).expect("write workbook");
        return;
    }
    let awardees: usize = args
        .iter()
        .position(|a| a == "--awardees")
        .map(|i| args[i + 1].parse().expect("--awardees N"))
        .unwrap_or(10_000);
    // VANBAN_BENCH_DIR keeps the generated workbook (and the ZIPs) for a closer look.
    let keep = std::env::var_os("VANBAN_BENCH_DIR").map(PathBuf::from);
    let dir = keep
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join(format!("vanban-bench-{}", std::process::id())));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let workbook = dir.join("bench.xlsx");
    let t = Instant::now();
    std::fs::write(&workbook, big_book(UNITS, awardees).to_xlsx()).expect("write workbook");
    println!(
        "machine: {}; {} cores",
        cpu_model(),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!("workbook: {UNITS} units, {awardees} awardees, written in {:.1} s", t.elapsed().as_secs_f64());
    println!();
    println!(
        "{:<34} {:>6} {:>9} {:>10} {:>12} {:>9} {:>10}",
        "phase", "docs", "seconds", "docs/s", "ms/doc", "peak MB", "MB out"
    );
    let run = |phase: &str, limit: usize| -> Measure {
        let out = Command::new(std::env::current_exe().expect("self"))
            .args(["--phase", phase, workbook.to_str().expect("path"), &limit.to_string()])
            .output()
            .expect("run phase");
        assert!(out.status.success(), "{phase} failed: {}", String::from_utf8_lossy(&out.stderr));
        let m = Measure::parse(&String::from_utf8_lossy(&out.stdout));
        println!(
            "{:<34} {:>6} {:>9.2} {:>10.0} {:>12.2} {:>9.0} {:>10.1}",
            phase,
            m.docs,
            m.seconds,
            m.docs as f64 / m.seconds,
            1000.0 * m.seconds / m.docs as f64,
            m.peak_mb,
            m.bytes as f64 / 1e6
        );
        m
    };
    let certs = run("certificates-pipeline-zip", usize::MAX);
    let certs_base = run("certificates-typst-only", usize::MAX);
    let units = run("unit-reports-pipeline-zip", usize::MAX);
    let units_base = run("unit-reports-typst-only", usize::MAX);
    let small = run("certificates-pipeline-zip", awardees / 5);
    let print = run("certificates-print-only", usize::MAX);
    let both = run("certificates-zip-and-print", usize::MAX);
    println!();
    println!("pipeline / typst-only, certificates:  {:.2}x", certs.seconds / certs_base.seconds);
    println!("pipeline / typst-only, unit reports:  {:.2}x", units.seconds / units_base.seconds);
    println!(
        "peak memory, certificates into a ZIP: {:.0} MB for {} and {:.0} MB for {}",
        small.peak_mb, small.docs, certs.peak_mb, certs.docs
    );
    println!(
        "print file / separate files, certificates: {:.2}x the time, {:.3}x the bytes ({:.1} MB against {:.1} MB); both at once {:.2}x the ZIP's time",
        print.seconds / certs.seconds,
        print.bytes as f64 / certs.bytes as f64,
        print.bytes as f64 / 1e6,
        certs.bytes as f64 / 1e6,
        both.seconds / certs.seconds
    );
    if keep.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
}

struct Measure {
    docs: usize,
    seconds: f64,
    peak_mb: f64,
    /// What the phase wrote: the ZIP (the separate files, stored as they are), the print file.
    bytes: u64,
}

impl Measure {
    fn parse(line: &str) -> Measure {
        let v: Vec<f64> = line.split_whitespace().map(|x| x.parse().expect("number")).collect();
        Measure { docs: v[0] as usize, seconds: v[1], peak_mb: v[2], bytes: v[3] as u64 }
    }
}

/// Runs one phase and prints "docs seconds peak-MB" for the parent.
fn phase_main(phase: &str, workbook: &Path, limit: usize) {
    let template = if phase.starts_with("certificates") { "giay-khen" } else { "bao-cao-don-vi" };
    let options = BatchOptions { jobs: THREADS, ..BatchOptions::default() };
    let start = Instant::now();
    let engine = Engine::new(&Options::default()).expect("engine");
    let (docs, seconds, bytes) = if !phase.ends_with("typst-only") {
        // Everything a user's run does, timed from reading the workbook to the renamed ZIP
        // and/or the print file.
        let wb = vanban::workbook::read_path(workbook).expect("read");
        let mut plan =
            engine.plan(&[template], &wb, &options.render, false, false, &Default::default()).expect("plan");
        plan.docs.truncate(limit);
        let zip = workbook.with_extension(format!("{phase}.zip"));
        let print_path = workbook.with_extension(format!("{phase}.pdf"));
        let only = phase.ends_with("print-only");
        let print = phase.contains("print").then_some(vanban::print::PrintTo { path: &print_path, only });
        let sink = if only { Sink::Memory(Vec::new()) } else { Sink::zip(&zip).expect("zip") };
        let options = BatchOptions { print, ..options };
        let report = engine.run(&plan, &options, sink, &|_, _| {}).expect("run");
        assert!(report.failures.is_empty());
        let seconds = start.elapsed().as_secs_f64();
        let written = if print.is_some() { &print_path } else { &zip };
        (report.index.len(), seconds, std::fs::metadata(written).map_or(0, |m| m.len()))
    } else {
        // The baseline: the same markup, prepared beforehand and not timed, typeset by a bare
        // loop on the same number of threads, with the same cache eviction between chunks.
        let wb = vanban::workbook::read_path(workbook).expect("read");
        let mut plan =
            engine.plan(&[template], &wb, &options.render, false, false, &Default::default()).expect("plan");
        plan.docs.truncate(limit);
        let sources: Vec<_> = plan.docs.iter().map(|d| engine.typst_for(&plan, d).expect("typst")).collect();
        let pool = rayon::ThreadPoolBuilder::new().num_threads(THREADS).build().expect("pool");
        let typesetter = engine.typesetter();
        let standard = RenderOptions::default().standard;
        let t = Instant::now();
        for chunk in sources.chunks(32 * THREADS) {
            pool.install(|| {
                chunk.par_iter().for_each(|(typst, date)| {
                    let done =
                        typesetter.typeset(template, template, typst, *date, standard).expect("typeset");
                    std::hint::black_box(done.pdf.len());
                })
            });
            comemo::evict(2);
        }
        (sources.len(), t.elapsed().as_secs_f64(), 0)
    };
    println!("{docs} {seconds} {} {bytes}", peak_rss_mb());
}

const FAMILY: [&str; 14] =
    ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"];
const MIDDLE: [&str; 8] = ["Văn", "Thị", "Minh", "Hữu", "Thanh", "Ngọc", "Quốc", "Thu"];
const GIVEN: [&str; 20] = [
    "An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hạnh", "Hòa", "Hùng", "Lan", "Linh", "Mai", "Nam", "Phúc",
    "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Yến",
];

/// The 2023 sample with `units` unit rows and `awardees` awardee rows.
fn big_book(units: usize, awardees: usize) -> Book {
    let mut book = sample_data::khanh_hoa_2023();
    let unit_rows = book.sheet_mut("Số liệu");
    unit_rows.truncate(1);
    for i in 0..units {
        let kind = ["Xã", "Phường", "Đặc khu"][i % 3];
        let f = |base: usize| n(((i * 7 + base) % 50 + 5) as f64);
        let mut row = vec![n((i + 1) as f64), s(&format!("{kind} {} {}", GIVEN[i % 20], i + 1))];
        row.extend([f(3), f(2), f(9), f(1), f(4), f(6), f(8), f(5), f(7)]);
        row.push(n(80.0 + (i % 40) as f64 / 2.0));
        row.push(s(["Xuất sắc", "Tốt", "Khá"][i % 3]));
        unit_rows.push(row);
    }
    let award_rows = book.sheet_mut("Khen thưởng");
    let header = award_rows[0].clone();
    award_rows.clear();
    award_rows.push(header);
    for i in 0..awardees {
        let person = i % 4 != 0;
        let name = if person {
            format!("{} {} {}", FAMILY[i % 14], MIDDLE[(i / 14) % 8], GIVEN[(i / 112) % 20])
        } else {
            format!("Ban Dân vận Đảng ủy xã {} {}", GIVEN[i % 20], i)
        };
        let (form, amount) = match i % 3 {
            0 => (
                "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
                if person { 1_800_000.0 } else { 3_600_000.0 },
            ),
            1 => ("Giấy khen của Ban Dân vận Tỉnh ủy", if person { 540_000.0 } else { 1_080_000.0 }),
            _ => ("Kỷ niệm chương “Vì sự nghiệp Dân vận”", 0.0),
        };
        award_rows.push(vec![
            n((i + 1) as f64),
            s(&name),
            s(if person { "Cá nhân" } else { "Tập thể" }),
            if person { s("Chuyên viên") } else { V::Blank },
            s(&format!("Xã {} {}", GIVEN[(i / 3) % 20], i % 700 + 1)),
            s(form),
            s("Đã có thành tích xuất sắc trong công tác dân vận năm 2023"),
            if amount > 0.0 { n(amount) } else { V::Blank },
            s(&format!("SV-2023/{:05}", i + 1)),
        ]);
    }
    book
}
