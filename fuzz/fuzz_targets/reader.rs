//! Any bytes given to the workbook reader are read or refused in one sentence; whatever is
//! read goes through the layout detector and `inspect` without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vanban::{inspect, workbook};

fuzz_target!(
    init: {
        // libFuzzer aborts on any panic, even one `read_bytes` catches (calamine overflows on
        // some cell references in builds with overflow checks): let those pass.
        let abort = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !workbook::caught_by_reader(info) {
                abort(info);
            }
        }));
    },
    |data: &[u8]| {
    match workbook::read_bytes(data.to_vec(), "x.xlsx") {
        Ok(wb) => {
            let report = inspect::inspect(&wb);
            assert_eq!(report.sheets.len(), wb.sheets.len());
        }
        Err(e) => {
            let message = e.to_string();
            assert!(message.starts_with("x.xlsx") && !message.contains('\n'), "{message}");
        }
    }
    }
);
