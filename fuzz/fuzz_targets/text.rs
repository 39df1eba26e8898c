//! Cleaning a cell's text (NFC, "Ð", legacy TCVN3/VNI, trimming) gives trimmed NFC text
//! without "Ð", and cleaning it again changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use unicode_normalization::UnicodeNormalization;
use vanban::workbook::clean_cell;

fuzz_target!(|s: &str| {
    let once = clean_cell(s, 0, 0, &mut Vec::new());
    assert_eq!(once.trim(), once, "not trimmed");
    assert!(once.nfc().eq(once.chars()), "not NFC: {once:?}");
    assert!(!once.contains('\u{00D0}'), "Ð left in {once:?}");
    let twice = clean_cell(&once, 0, 0, &mut Vec::new());
    assert_eq!(twice, once, "cleaning {s:?} twice differs from once");
});
