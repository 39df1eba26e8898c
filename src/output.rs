//! Stage 5, write: file names safe on every system and unique within a run, and files written
//! under a temporary name and renamed, so a reader never sees half a PDF.

use crate::vi;
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Longest file stem written, in characters (Windows paths are limited to 260).
const MAX_STEM_CHARS: usize = 100;

/// Makes `stem` safe as a file name on Windows, macOS and Linux: no path separators or
/// reserved characters, no control characters, no trailing dots or spaces, not a reserved
/// Windows device name, not empty, at most 100 characters. Vietnamese letters are kept.
pub fn safe_stem(stem: &str) -> String {
    let cleaned: String = vi::clean_text(stem)
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '-',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let mut s: String = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > MAX_STEM_CHARS {
        s = s.chars().take(MAX_STEM_CHARS).collect();
    }
    let s = s.trim_end_matches(['.', ' ']).trim_start_matches(['.', ' ']).to_string();
    let device = s.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = matches!(device.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || (device.len() == 4
            && (device.starts_with("COM") || device.starts_with("LPT"))
            && device.as_bytes()[3].is_ascii_digit());
    match (s.is_empty(), reserved) {
        (true, _) => "van-ban".to_string(),
        (false, true) => format!("{s}_"),
        _ => s,
    }
}

/// Hands out unique file names within one output folder; names differing only in case
/// count as the same, as they do on Windows and macOS.
#[derive(Debug, Default)]
pub struct UniqueNames {
    taken: HashSet<String>,
}

impl UniqueNames {
    /// `stem.ext` made safe, or `stem (2).ext`, `stem (3).ext` ... when already taken.
    pub fn take(&mut self, stem: &str, ext: &str) -> String {
        let stem = safe_stem(stem);
        let mut n = 1;
        loop {
            let name = if n == 1 { format!("{stem}.{ext}") } else { format!("{stem} ({n}).{ext}") };
            if self.taken.insert(name.to_lowercase()) {
                return name;
            }
            n += 1;
        }
    }
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, flushed, then
/// renamed over the target. On error the temporary file is removed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = temp_path(path);
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn temp_path(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.part", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_are_safe_everywhere() {
        assert_eq!(safe_stem("Báo cáo 15-BC/BDVTU"), "Báo cáo 15-BC-BDVTU");
        assert_eq!(safe_stem("a:b*c?d\"e<f>g|h\\i"), "a-b-c-d-e-f-g-h-i");
        assert_eq!(safe_stem("  trailing dots... "), "trailing dots");
        assert_eq!(safe_stem("CON"), "CON_");
        assert_eq!(safe_stem("com1.pdf"), "com1.pdf_");
        assert_eq!(safe_stem(""), "van-ban");
        assert_eq!(safe_stem("../../etc/passwd"), "-..-etc-passwd");
        assert_eq!(safe_stem(&"Nguyễn ".repeat(40)).chars().count(), 100);
    }

    #[test]
    fn names_are_unique_ignoring_case() {
        let mut u = UniqueNames::default();
        assert_eq!(u.take("Nguyễn Văn An", "pdf"), "Nguyễn Văn An.pdf");
        assert_eq!(u.take("nguyễn văn an", "pdf"), "nguyễn văn an (2).pdf");
        assert_eq!(u.take("Nguyễn Văn An", "pdf"), "Nguyễn Văn An (3).pdf");
    }

    #[test]
    fn atomic_write_leaves_no_temporary_file() {
        let dir = std::env::temp_dir().join(format!("vanban-output-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let target = dir.join("x.pdf");
        write_atomic(&target, b"%PDF").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"%PDF");
        let names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, [std::ffi::OsString::from("x.pdf")]);
        assert!(write_atomic(&dir.join("missing/x.pdf"), b"x").is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
