//! Stage 5, write: file names safe on every system and unique within a run, and files written
//! under a temporary name and renamed, so a reader never sees half a PDF.

use crate::vi;
use std::collections::HashSet;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

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
        // Windows reserves the name before the first dot ("CON.abc" too): change that part.
        (false, true) => format!("{}_{}", &s[..device.len()], &s[device.len()..]),
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

/// Makes folder `dir` and the folders above it. When one of them is a file, the error names
/// that file and says it is not a folder (the system would only say "File exists").
pub fn make_folder(dir: &Path) -> Result<(), (PathBuf, std::io::Error)> {
    std::fs::create_dir_all(dir).map_err(|e| match dir.ancestors().find(|a| a.is_file()) {
        Some(file) => (
            file.to_path_buf(),
            std::io::Error::new(std::io::ErrorKind::NotADirectory, "it is a file, not a folder"),
        ),
        None => (dir.to_path_buf(), e),
    })
}

/// Where the documents of a run go: a folder, one ZIP file, or memory (for the library's
/// callers and tests). Every file, and the ZIP itself, appears only when complete.
pub enum Sink {
    /// Files under a folder, each written atomically.
    Dir(PathBuf),
    /// One ZIP, written to a temporary name and renamed by [`Sink::finish`].
    Zip {
        /// The final path.
        path: PathBuf,
        /// The temporary file being written.
        tmp: PathBuf,
        /// The writer.
        writer: Box<ZipWriter<BufWriter<File>>>,
    },
    /// Kept in memory: (path, bytes) in order.
    Memory(Vec<(String, Vec<u8>)>),
}

/// ZIP entries all get this date and mode, so the same documents give the same ZIP bytes.
/// Entry options: a fixed time, and "made by" Unix with mode 644 whatever system writes the
/// ZIP (the crate would write the host's system otherwise), so the bytes are the same on
/// Windows and Linux.
fn zip_options(method: CompressionMethod) -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(method)
        .last_modified_time(zip::DateTime::default())
        .system(zip::System::Unix)
        .unix_permissions(0o644)
}

impl Sink {
    /// A folder sink; the folder is created if needed. A path that is a file is refused in
    /// words (`-o ds.pdf`), not with the system's "File exists".
    pub fn dir(path: &Path) -> std::io::Result<Sink> {
        if path.is_file() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                format!(
                    "{} is a file, not a folder: -o names the folder the documents go into (it is made if \
                     needed); for one file of them all, use --zip FILE.zip",
                    path.display()
                ),
            ));
        }
        std::fs::create_dir_all(path)?;
        Ok(Sink::Dir(path.to_path_buf()))
    }

    /// A ZIP sink writing to a temporary file beside `path`.
    pub fn zip(path: &Path) -> std::io::Result<Sink> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        let tmp = temp_path(path);
        let file = File::create(&tmp)?;
        Ok(Sink::Zip {
            path: path.to_path_buf(),
            tmp,
            writer: Box::new(ZipWriter::new(BufWriter::new(file))),
        })
    }

    /// Adds a file at the relative path `rel` ("giay-khen/Lê Thị Mai.pdf"). PDFs are stored
    /// as they are (their streams are compressed already); other files are deflated.
    pub fn put(&mut self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        match self {
            Sink::Dir(root) => {
                let path = root.join(rel);
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                write_atomic(&path, bytes)
            }
            Sink::Zip { writer, .. } => {
                let method = if rel.ends_with(".pdf") {
                    CompressionMethod::Stored
                } else {
                    CompressionMethod::Deflated
                };
                writer.start_file(rel, zip_options(method)).map_err(std::io::Error::other)?;
                writer.write_all(bytes)
            }
            Sink::Memory(files) => {
                files.push((rel.to_string(), bytes.to_vec()));
                Ok(())
            }
        }
    }

    /// Completes the output: the ZIP's directory is written and the file renamed into place.
    /// Returns what a memory sink holds (empty for the others).
    pub fn finish(self) -> std::io::Result<Vec<(String, Vec<u8>)>> {
        match self {
            Sink::Dir(_) => Ok(Vec::new()),
            Sink::Zip { path, tmp, writer } => {
                let result = (|| {
                    let mut file = writer.finish().map_err(std::io::Error::other)?;
                    file.flush()?;
                    file.get_ref().sync_all()?;
                    std::fs::rename(&tmp, &path)
                })();
                if result.is_err() {
                    let _ = std::fs::remove_file(&tmp);
                }
                result.map(|_| Vec::new())
            }
            Sink::Memory(files) => Ok(files),
        }
    }

    /// Where the file `rel` goes, for messages: its path in the folder, or the ZIP's path
    /// (all of the ZIP when `rel` is empty).
    pub fn location(&self, rel: &str) -> PathBuf {
        match self {
            Sink::Dir(root) => root.join(rel),
            Sink::Zip { path, .. } if rel.is_empty() => path.clone(),
            Sink::Zip { path, .. } => PathBuf::from(format!("{} (entry {rel})", path.display())),
            Sink::Memory(_) => PathBuf::from(rel),
        }
    }

    /// Gives up: a half-written ZIP is removed.
    pub fn abandon(self) {
        if let Sink::Zip { tmp, writer, .. } = self {
            drop(writer);
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// One line of `index.csv`: which workbook row became which file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexRow {
    /// The template.
    pub template: String,
    /// The source sheet and row (from 1), for one-per documents.
    pub source: Option<(String, usize)>,
    /// The unit or awardee, or the document's name.
    pub name: String,
    /// The file's path inside the output.
    pub file: String,
    /// Its page count.
    pub pages: usize,
    /// Its SHA-256, in hex (empty when only the print file is written).
    pub sha256: String,
    /// Its pages in the run's print file (from 1, first and last), when there is one.
    pub print_pages: Option<(usize, usize)>,
}

/// Quotes a CSV field when it needs it (RFC 4180). A field that a spreadsheet would take as
/// a formula (starting with = + - @, tab or carriage return) gets a leading apostrophe, so
/// a name typed as `=HYPERLINK(...)` in the workbook stays text when the index is opened.
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s }
}

/// Writes CSV with a byte-order mark, so that Excel opens the Vietnamese correctly.
pub fn csv(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> Vec<u8> {
    let mut out = String::from("\u{FEFF}");
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for row in rows {
        out.push_str(&row.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

/// `index.csv`: template, sheet, row, name, file, pages, sha256, and when the run wrote a
/// print file, print_pages: the row's pages in it ("5" or "5-6").
pub fn index_csv(rows: &[IndexRow]) -> Vec<u8> {
    let printed = rows.iter().any(|r| r.print_pages.is_some());
    let mut header = vec!["template", "sheet", "row", "name", "file", "pages", "sha256"];
    if printed {
        header.push("print_pages");
    }
    csv(
        &header,
        rows.iter().map(|r| {
            let (sheet, row) = r.source.clone().map(|(s, n)| (s, n.to_string())).unwrap_or_default();
            let mut fields = vec![
                r.template.clone(),
                sheet,
                row,
                r.name.clone(),
                r.file.clone(),
                r.pages.to_string(),
                r.sha256.clone(),
            ];
            if printed {
                fields.push(match r.print_pages {
                    Some((first, last)) if first == last => first.to_string(),
                    Some((first, last)) => format!("{first}-{last}"),
                    None => String::new(),
                });
            }
            fields
        }),
    )
}

/// A file an earlier run wrote, as its index lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The template that made it.
    pub template: String,
    /// Its path inside the folder.
    pub file: String,
    /// Its SHA-256 when written, in hex.
    pub sha256: String,
}

/// The files an earlier run wrote into folder `root`, as its index `name` lists them.
/// Empty when there is no such index or it cannot be read.
pub fn earlier_index(root: &Path, name: &str) -> Vec<Written> {
    let Ok(text) = std::fs::read_to_string(root.join(name)) else { return Vec::new() };
    let mut rows = parse_csv(text.trim_start_matches('\u{FEFF}')).into_iter();
    let Some(header) = rows.next() else { return Vec::new() };
    let column = |name: &str| header.iter().position(|h| h == name);
    let (Some(template), Some(file), Some(sha)) = (column("template"), column("file"), column("sha256"))
    else {
        return Vec::new();
    };
    rows.filter_map(|r| {
        Some(Written {
            template: r.get(template)?.clone(),
            file: r.get(file)?.clone(),
            sha256: r.get(sha)?.clone(),
        })
    })
    .collect()
}

/// Reads CSV as [`csv`] writes it: quoted fields, doubled quotes, and the apostrophe put
/// before a field that a spreadsheet would take as a formula taken off again.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut field, mut quoted, mut chars) =
        (Vec::new(), String::new(), false, text.chars().peekable());
    let unformula = |f: String| match f.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_string(),
        _ => f,
    };
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(unformula(std::mem::take(&mut field))),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(unformula(std::mem::take(&mut field)));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(unformula(field));
        rows.push(row);
    }
    rows
}

/// What [`remove_stale`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Stale {
    /// Files removed: an earlier run wrote them and this run does not make them.
    pub removed: Vec<String>,
    /// Such files kept because they changed since (their SHA-256 differs from the index's).
    pub changed: Vec<String>,
}

/// Removes from folder `root` the files an earlier run wrote (`earlier`, from its index)
/// that this run does not make (`made`). Only a regular file inside the folder, listed in
/// the earlier index and still as vanban wrote it (same SHA-256), is ever removed.
pub fn remove_stale(root: &Path, earlier: &[Written], made: &[&str]) -> Stale {
    let mut out = Stale::default();
    let made: HashSet<String> = made.iter().map(|m| m.to_lowercase()).collect();
    let Ok(base) = root.canonicalize() else { return out };
    for Written { file: rel, sha256: sha, .. } in earlier {
        if made.contains(&rel.to_lowercase()) {
            continue;
        }
        let Some(path) = inside(&base, rel) else { continue };
        match std::fs::read(&path) {
            Ok(bytes) if hex_sha256(&bytes) == *sha => {
                if std::fs::remove_file(&path).is_ok() {
                    out.removed.push(rel.clone());
                }
            }
            Ok(_) => out.changed.push(rel.clone()),
            Err(_) => {}
        }
    }
    out
}

/// `rel` inside the folder `base` (canonical) when it is a plain relative path of a regular
/// file (no "..", no root, no link) whose folder really is inside `base`.
fn inside(base: &Path, rel: &str) -> Option<PathBuf> {
    use std::path::Component;
    let relative = Path::new(rel);
    if rel.is_empty() || !relative.components().all(|c| matches!(c, Component::Normal(_))) {
        return None;
    }
    let path = base.join(relative);
    let meta = std::fs::symlink_metadata(&path).ok()?;
    let parent = path.parent()?.canonicalize().ok()?;
    (meta.file_type().is_file() && parent.starts_with(base)).then_some(path)
}

fn hex_sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
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
        assert_eq!(safe_stem("con.abc"), "con_.abc");
        assert_eq!(safe_stem("Lpt1.x.y"), "Lpt1_.x.y");
        assert_eq!(safe_stem("com1.pdf"), "com1_.pdf");
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
    fn csv_quotes_what_needs_quoting() {
        let bytes = csv(&["a", "b"], [vec!["Tổ 1, khu 2".to_string(), "nói \"có\"".to_string()]]);
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "\u{FEFF}a,b\r\n\"Tổ 1, khu 2\",\"nói \"\"có\"\"\"\r\n"
        );
        let bytes = csv(&["a", "b"], [vec!["=HYPERLINK(\"x\")".to_string(), "@SUM(A1)".to_string()]]);
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "\u{FEFF}a,b\r\n\"'=HYPERLINK(\"\"x\"\")\",'@SUM(A1)\r\n"
        );
    }

    #[test]
    fn zip_is_complete_or_absent() {
        let dir = tempfile_dir("zip");
        let path = dir.join("out.zip");
        let mut sink = Sink::zip(&path).unwrap();
        sink.put("a/x.pdf", b"%PDF-1.7").unwrap();
        assert!(!path.exists(), "not visible before it is finished");
        sink.finish().unwrap();
        assert!(path.exists());
        let mut again = Sink::zip(&dir.join("gone.zip")).unwrap();
        again.put("x.pdf", b"%PDF").unwrap();
        again.abandon();
        let names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, [std::ffi::OsString::from("out.zip")]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn zip_entries_are_made_by_unix_on_every_host() {
        let dir = tempfile_dir("made-by");
        let path = dir.join("out.zip");
        let mut sink = Sink::zip(&path).unwrap();
        sink.put("a/Đinh Thị Ỷ.pdf", b"%PDF-1.7").unwrap();
        sink.put("index.csv", b"a,b").unwrap();
        sink.finish().unwrap();
        let bytes = std::fs::read(&path).unwrap();
        // Each central directory header (PK\x01\x02) starts with "version made by": its
        // high byte is the system (3 = Unix), then external attributes hold mode 0o100644.
        let mut headers = 0;
        for at in (0..bytes.len() - 46).filter(|&i| bytes[i..i + 4] == *b"PK\x01\x02") {
            headers += 1;
            assert_eq!(bytes[at + 5], 3, "made by Unix");
            let external = u32::from_le_bytes(bytes[at + 38..at + 42].try_into().unwrap());
            assert_eq!(external >> 16, 0o100644);
        }
        assert_eq!(headers, 2);
        let mut archive = zip::ZipArchive::new(File::open(&path).unwrap()).unwrap();
        for i in 0..archive.len() {
            assert_eq!(archive.by_index(i).unwrap().unix_mode(), Some(0o100644));
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn tempfile_dir(tag: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("vanban-output-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn the_index_reads_back_as_it_was_written() {
        let rows = [IndexRow {
            template: "giay-khen".into(),
            source: Some(("Khen thưởng".into(), 3)),
            name: "-Hoa, \"Nguyễn\"".into(),
            file: "giay-khen/-Hoa, \"Nguyễn\".pdf".into(),
            pages: 1,
            sha256: "ab".into(),
            print_pages: None,
        }];
        let dir = tempfile_dir("index");
        std::fs::write(dir.join("index.csv"), index_csv(&rows)).unwrap();
        let written =
            Written { template: "giay-khen".into(), file: rows[0].file.clone(), sha256: "ab".into() };
        assert_eq!(earlier_index(&dir, "index.csv"), [written]);
        assert!(earlier_index(&dir, "none.csv").is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn only_files_the_earlier_index_lists_inside_the_folder_and_unchanged_are_removed() {
        let dir = tempfile_dir("stale");
        let outside = tempfile_dir("stale-outside");
        std::fs::create_dir_all(dir.join("giay-khen")).unwrap();
        for f in ["giay-khen/Hoa.pdf", "giay-khen/Hoà.pdf", "giay-khen/Sửa.pdf", "Khác.pdf"] {
            std::fs::write(dir.join(f), f).unwrap();
        }
        std::fs::write(outside.join("x.pdf"), "x").unwrap();
        let sha = |s: &str| hex_sha256(s.as_bytes());
        let w =
            |file: &str, sha256: String| Written { template: "giay-khen".into(), file: file.into(), sha256 };
        let earlier = vec![
            w("giay-khen/Hoa.pdf", sha("giay-khen/Hoa.pdf")),
            w("giay-khen/Hoà.pdf", sha("giay-khen/Hoà.pdf")),
            w("giay-khen/Sửa.pdf", sha("before the user changed it")),
            w(&format!("../vanban-output-stale-outside-{}/x.pdf", std::process::id()), sha("x")),
            w(&outside.join("x.pdf").display().to_string(), sha("x")),
            w("giay-khen", String::new()),
        ];
        let stale = remove_stale(&dir, &earlier, &["giay-khen/Hoà.pdf"]);
        assert_eq!(stale.removed, ["giay-khen/Hoa.pdf"]);
        assert_eq!(stale.changed, ["giay-khen/Sửa.pdf"]);
        assert!(dir.join("giay-khen/Hoà.pdf").exists() && dir.join("Khác.pdf").exists());
        assert!(outside.join("x.pdf").exists(), "never outside the folder");
        std::fs::remove_dir_all(&dir).unwrap();
        std::fs::remove_dir_all(&outside).unwrap();
    }

    #[test]
    fn a_file_is_not_a_folder() {
        let dir = tempfile_dir("notdir");
        std::fs::write(dir.join("ds.pdf"), "x").unwrap();
        let Err(e) = Sink::dir(&dir.join("ds.pdf")) else { panic!("a file taken as a folder") };
        assert!(e.to_string().ends_with("ds.pdf is a file, not a folder: -o names the folder the documents go into (it is made if needed); for one file of them all, use --zip FILE.zip"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn atomic_write_leaves_no_temporary_file() {
        let dir = tempfile_dir("atomic");
        let target = dir.join("x.pdf");
        write_atomic(&target, b"%PDF").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"%PDF");
        let names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, [std::ffi::OsString::from("x.pdf")]);
        assert!(write_atomic(&dir.join("missing/x.pdf"), b"x").is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
