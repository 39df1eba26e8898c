//! Sorting benchmark: `cargo bench --bench sort` (add `-- --names 10000` for a quick run).
//!
//! Sorts 100,000 generated people by given name then full name (as the award list does) and
//! 100,000 collectives, with the hand-written table (`vi::compare_by_table`), with
//! icu_collator's Vietnamese order (`vi::compare`, what templates use), and with its sort
//! keys computed once per name (`vi::sort_key` and `sort_by_cached_key`). Each sort runs three
//! times on the list in generated order; the best time is reported.

mod support;

#[path = "../samples/names.rs"]
mod names;

use std::time::Instant;
use support::{cpu_model, peak_rss_mb};
use vanban::vi;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args
        .iter()
        .position(|a| a == "--names")
        .map(|i| args[i + 1].parse().expect("--names N"))
        .unwrap_or(100_000);
    println!("machine: {}", cpu_model());
    let people: Vec<String> = names::people(n).into_iter().map(|(key, _)| key).collect();
    let collectives = names::collectives(n);
    for (what, list) in [("people", &people), ("collectives", &collectives)] {
        println!("{n} {what}:");
        let table = best(list, |v| v.sort_by(|a, b| vi::compare_by_table(a, b)));
        let icu = best(list, |v| v.sort_by(|a, b| vi::compare(a, b)));
        let keyed = best(list, |v| v.sort_by_cached_key(|s| vi::sort_key(s)));
        println!("  table (compare_by_table)        {:>8.1} ms", table.0);
        println!("  icu_collator (compare)          {:>8.1} ms", icu.0);
        println!("  icu_collator keys (sort_key)    {:>8.1} ms", keyed.0);
        // The keys order as compare does, but for names equal to the collator, which compare
        // tells apart by their bytes and a stable sort keeps in list order.
        let same = icu.1.iter().zip(&keyed.1).filter(|(a, b)| a == b).count();
        println!("  same place in both icu orders: {same} of {n}");
    }
    println!("peak memory: {:.0} MB", peak_rss_mb());
}

/// The best of three runs of `sort` on a copy of `list`, in ms, and the sorted list.
fn best(list: &[String], sort: impl Fn(&mut Vec<String>)) -> (f64, Vec<String>) {
    let mut out = (f64::INFINITY, Vec::new());
    for _ in 0..3 {
        let mut v = list.to_vec();
        let t = Instant::now();
        sort(&mut v);
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        if ms < out.0 {
            out = (ms, v);
        }
    }
    out
}
