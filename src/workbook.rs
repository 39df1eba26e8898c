//! Stage 1, read: a workbook's bytes become sheets of typed cells that know their address.
//!
//! The format is decided by the bytes, never by the file name: offices often save an xlsx
//! under an .xls name. Text is cleaned on the way in (NFC, "Ð" → "Đ", trimmed).

use crate::legacy::{Case, Decision, Legacy};
use crate::vi;
use calamine::{Data, DataRef, Reader, SheetVisible};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::fmt;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

/// Largest workbook file read.
const MAX_FILE_BYTES: u64 = 200 * 1024 * 1024;
const MIB: u64 = 1024 * 1024;

/// What one workbook may cost the reader. A hostile file (one cell at XFD1048576, a sheet that
/// inflates a thousandfold) is refused in one sentence before the memory is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadLimits {
    /// Most cells across all sheets, counted as they are stored: each row up to its last
    /// cell, an empty row as one. A sparse sheet costs only what it holds.
    pub max_cells: u64,
    /// Most bytes the zip container (xlsx, xlsm, xlsb, ods) may inflate to, measured while
    /// inflating rather than taken from its directory; also the most bytes of text its cells
    /// may hold (a shared string is held again by every cell that uses it).
    pub max_unpacked_bytes: u64,
}

impl Default for ReadLimits {
    /// 2,000,000 cells and 256 MiB: ten times the largest office workbook seen, and a peak
    /// under 300 MB at either limit.
    fn default() -> Self {
        ReadLimits { max_cells: 2_000_000, max_unpacked_bytes: 256 * MIB }
    }
}

/// 2000000 as "2,000,000".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// A workbook read into memory: its sheets in workbook order.
#[derive(Debug, Clone, PartialEq)]
pub struct Workbook {
    /// Where the workbook came from, for messages ("samples/x.xlsx" or "<bytes>").
    pub source: String,
    /// The sheets, in the order the workbook lists them.
    pub sheets: Vec<Sheet>,
}

/// One sheet: a dense grid of cells starting at A1.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sheet {
    /// The sheet's name as the workbook spells it (cleaned).
    pub name: String,
    /// Whether the sheet is hidden in the workbook.
    pub hidden: bool,
    /// Rows from row 1; each row holds cells from column A. Rows may differ in length.
    pub rows: Vec<Vec<Cell>>,
    /// Merged ranges (xlsx and xls only; other formats report none). Only the top-left cell
    /// of a merge holds its value.
    pub merges: Vec<Merge>,
    /// Every change made to a cell's text on the way in, in row order.
    pub repairs: Vec<Repair>,
}

/// A merged range of cells, zero-based and inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Merge {
    /// First row.
    pub top: usize,
    /// First column.
    pub left: usize,
    /// Last row.
    pub bottom: usize,
    /// Last column.
    pub right: usize,
}

/// A change the reader made to one cell's text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Repair {
    /// Zero-based row.
    pub row: usize,
    /// Zero-based column.
    pub col: usize,
    /// What was done.
    pub what: RepairKind,
}

/// The kinds of repair made to cell text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum RepairKind {
    /// Decomposed (NFD) text composed to NFC.
    Normalized,
    /// "Ð"/"ð" (Icelandic eth) replaced by "Đ"/"đ".
    Eth,
    /// Legacy 8-bit Vietnamese converted to Unicode; the encoding's name ("TCVN3", "VNI").
    Legacy(&'static str),
}

impl fmt::Display for RepairKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RepairKind::Normalized => f.write_str("decomposed (NFD) text normalised to NFC"),
            RepairKind::Eth => f.write_str("\"Ð\" (U+00D0) replaced by \"Đ\""),
            RepairKind::Legacy(enc) => write!(f, "{enc} text converted to Unicode"),
        }
    }
}

/// A cell's value, typed as the workbook stores it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// No value.
    Empty,
    /// Text, cleaned (NFC, "Đ" repaired, trimmed).
    Text(String),
    /// A number (Excel stores whole numbers as numbers too).
    Number(f64),
    /// A boolean.
    Bool(bool),
    /// A date (or date-time, of which only the date is kept).
    Date(NaiveDate),
    /// A formula error such as "#N/A" or "#REF!".
    Error(String),
}

impl Cell {
    /// Whether the cell holds nothing (or only white space).
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.is_empty(),
            _ => false,
        }
    }

    /// The cell as the text a person sees: numbers without a needless ".0".
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Cell::Date(d) => vi::short_date(*d),
            Cell::Error(e) => e.clone(),
        }
    }
}

impl Sheet {
    /// The cell at a zero-based row and column, `Empty` beyond the data.
    pub fn cell(&self, row: usize, col: usize) -> &Cell {
        self.rows.get(row).and_then(|r| r.get(col)).unwrap_or(&Cell::Empty)
    }

    /// The merge that covers a zero-based cell, if any.
    pub fn merge_at(&self, row: usize, col: usize) -> Option<&Merge> {
        self.merges.iter().find(|m| (m.top..=m.bottom).contains(&row) && (m.left..=m.right).contains(&col))
    }

    /// How many columns the widest row has.
    pub fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }
}

impl Workbook {
    /// The sheet of the given name: exactly, else loosely (case, spacing, tone placement).
    pub fn sheet(&self, name: &str) -> Option<&Sheet> {
        let exact = self.sheets.iter().find(|s| s.name == name);
        exact.or_else(|| {
            let folded = vi::fold(name);
            self.sheets.iter().find(|s| vi::fold(&s.name) == folded)
        })
    }
}

/// "D7" for zero-based row 6, column 3.
pub fn cell_name(row: usize, col: usize) -> String {
    format!("{}{}", column_name(col), row + 1)
}

/// "A", "B", ... "Z", "AA" for a zero-based column.
pub fn column_name(mut col: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// What kind of file some bytes are, judged by their content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Office Open XML workbook (xlsx, xlsm).
    Xlsx,
    /// Excel binary workbook (xlsb).
    Xlsb,
    /// Legacy Excel 97–2003 (BIFF8 inside an OLE container).
    Xls,
    /// OpenDocument spreadsheet.
    Ods,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Xlsx => "an xlsx workbook",
            Format::Xlsb => "an xlsb workbook",
            Format::Xls => "an Excel 97-2003 (xls) workbook",
            Format::Ods => "an OpenDocument spreadsheet",
        })
    }
}

/// Why a workbook could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be opened or read.
    #[error("cannot read {path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is empty.
    #[error("{source_name} is empty (0 bytes), not a workbook")]
    Empty {
        /// The file.
        source_name: String,
    },
    /// The file is larger than the reader accepts.
    #[error("{source_name} is {size} bytes, more than the {max} a workbook may have")]
    TooLarge {
        /// The file.
        source_name: String,
        /// Its size.
        size: u64,
        /// The limit.
        max: u64,
    },
    /// The bytes are not any workbook format.
    #[error("{source_name} is not a workbook ({what}); expected xlsx, xlsm, xlsb, xls or ods")]
    NotAWorkbook {
        /// The file.
        source_name: String,
        /// What the bytes look like instead.
        what: String,
    },
    /// The zip container inflates (or says it would) to more than the limit.
    #[error(
        "{source_name} unpacks to more than {} MiB, which may be a zip bomb; raise the limit with --max-unpacked-mb N",
        max.div_ceil(MIB)
    )]
    ZipBomb {
        /// The file.
        source_name: String,
        /// The limit, in bytes.
        max: u64,
    },
    /// An XML part has a text or tag longer than any cell can hold.
    #[error(
        "{source_name}: {entry} has more than {} MiB of text in one piece, more than any cell can hold (Excel's limit is 32,767 characters)",
        max / MIB
    )]
    LongText {
        /// The file.
        source_name: String,
        /// The zip entry.
        entry: String,
        /// The limit, in bytes.
        max: u64,
    },
    /// The workbook has more cells than the limit.
    #[error(
        "{source_name}: sheet \"{sheet}\" takes the workbook past {} cells; raise the limit with --max-cells N",
        thousands(*max)
    )]
    TooManyCells {
        /// The file.
        source_name: String,
        /// The sheet being read when the limit was passed.
        sheet: String,
        /// The limit.
        max: u64,
    },
    /// The cells hold more text than the limit.
    #[error(
        "{source_name}: the text in sheet \"{sheet}\" takes the workbook past {} MiB; raise the limit with --max-unpacked-mb N",
        max.div_ceil(MIB)
    )]
    TooMuchText {
        /// The file.
        source_name: String,
        /// The sheet being read when the limit was passed.
        sheet: String,
        /// The limit, in bytes.
        max: u64,
    },
    /// The file looks like a workbook but the reader failed.
    #[error("{source_name} looks like {format} but cannot be read: {message}")]
    Damaged {
        /// The file.
        source_name: String,
        /// The format the bytes claimed.
        format: Format,
        /// The reader's message.
        message: String,
    },
    /// Excel's lock file ("~$ds.xlsx"), which exists while the workbook is open in Excel.
    #[error(
        "{source_name} is the lock file Excel keeps while {workbook} is open, not a workbook; choose {workbook}"
    )]
    LockFile {
        /// The lock file.
        source_name: String,
        /// The workbook it locks.
        workbook: String,
    },
    /// A sheet could not be read.
    #[error("{source_name}: cannot read sheet \"{sheet}\": {message}")]
    Sheet {
        /// The file.
        source_name: String,
        /// The sheet.
        sheet: String,
        /// The reader's message.
        message: String,
    },
}

/// Reads the workbook at `path` within the default [`ReadLimits`].
pub fn read_path(path: &Path) -> Result<Workbook, ReadError> {
    read_path_with(path, &ReadLimits::default())
}

/// Reads the workbook at `path` within `limits`.
pub fn read_path_with(path: &Path, limits: &ReadLimits) -> Result<Workbook, ReadError> {
    let io = |source| ReadError::Io { path: path.to_path_buf(), source };
    let name = path.display().to_string();
    if let Some(locked) = path.file_name().and_then(|n| n.to_str()?.strip_prefix("~$")) {
        let workbook = path.with_file_name(locked).display().to_string();
        return Err(ReadError::LockFile { source_name: name, workbook });
    }
    let size = std::fs::metadata(path).map_err(io)?.len();
    if size > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge { source_name: name, size, max: MAX_FILE_BYTES });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    read_bytes_with(bytes, &name, limits)
}

/// Decides the format of `bytes` by their content.
pub fn sniff(bytes: &[u8]) -> Result<Format, String> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Ok(Format::Xls);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        let text = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
        if text.contains("application/vnd.oasis.opendocument.spreadsheet") {
            return Ok(Format::Ods);
        }
        let Ok(names) = zip_names(bytes) else {
            return Err("a damaged or truncated zip archive: its directory cannot be read".into());
        };
        {
            if names.iter().any(|n| n == "xl/workbook.bin") {
                return Ok(Format::Xlsb);
            }
            if names.iter().any(|n| n == "xl/workbook.xml") {
                return Ok(Format::Xlsx);
            }
            if names.iter().any(|n| n == "content.xml") {
                return Ok(Format::Ods);
            }
            if names.iter().any(|n| n == "word/document.xml") {
                return Err("a Word document".into());
            }
        }
        return Err("a zip archive without a workbook inside".into());
    }
    if bytes.starts_with(b"%PDF") {
        return Err("a PDF file".into());
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_lowercase();
    if head.contains("<html") || head.contains("<!doctype html") {
        return Err("an HTML page".into());
    }
    // The first 4 KiB may end inside a multi-byte character: an incomplete last one is fine.
    match std::str::from_utf8(&bytes[..bytes.len().min(4096)]) {
        Ok(_) => return Err("plain text".into()),
        Err(e) if e.error_len().is_none() => return Err("plain text".into()),
        Err(_) => {}
    }
    Err("unrecognised binary data".into())
}

/// The entry names of a zip container, from its central directory, without unpacking.
fn zip_names(bytes: &[u8]) -> Result<Vec<String>, String> {
    Ok(zip_entries(bytes)?.into_iter().map(|(n, _)| n).collect())
}

/// Entry names and declared unpacked sizes, read from the zip central directory.
fn zip_entries(bytes: &[u8]) -> Result<Vec<(String, u64)>, String> {
    // End of central directory: signature 0x06054b50, within the last 64 KiB + 22 bytes.
    let start = bytes.len().saturating_sub(65_557);
    let eocd = (start..bytes.len().saturating_sub(21))
        .rev()
        .find(|&i| bytes[i..i + 4] == [0x50, 0x4b, 0x05, 0x06])
        .ok_or("no zip directory")?;
    let u16_at = |i: usize| bytes.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
    let u32_at = |i: usize| bytes.get(i..i + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    let count = u16_at(eocd + 10).ok_or("truncated")? as usize;
    let mut pos = u32_at(eocd + 16).ok_or("truncated")? as usize;
    let mut out = Vec::with_capacity(count);
    for _ in 0..count {
        if u32_at(pos) != Some(0x0201_4b50) {
            return Err("damaged zip directory".into());
        }
        let size = u32_at(pos + 24).ok_or("truncated")?;
        let name_len = u16_at(pos + 28).ok_or("truncated")? as usize;
        let extra = u16_at(pos + 30).ok_or("truncated")? as usize;
        let comment = u16_at(pos + 32).ok_or("truncated")? as usize;
        let name = bytes.get(pos + 46..pos + 46 + name_len).ok_or("truncated")?;
        out.push((String::from_utf8_lossy(name).into_owned(), u64::from(size)));
        pos += 46 + name_len + extra + comment;
    }
    Ok(out)
}

/// Reads a workbook from its bytes within the default [`ReadLimits`]; `source_name` names it
/// in messages.
pub fn read_bytes(bytes: Vec<u8>, source_name: &str) -> Result<Workbook, ReadError> {
    read_bytes_with(bytes, source_name, &ReadLimits::default())
}

/// Reads a workbook from its bytes within `limits`; `source_name` names it in messages.
pub fn read_bytes_with(
    bytes: Vec<u8>,
    source_name: &str,
    limits: &ReadLimits,
) -> Result<Workbook, ReadError> {
    let name = source_name.to_string();
    if bytes.is_empty() {
        return Err(ReadError::Empty { source_name: name });
    }
    let format = sniff(&bytes).map_err(|what| ReadError::NotAWorkbook { source_name: name.clone(), what })?;
    let damaged = |message: String| ReadError::Damaged { source_name: name.clone(), format, message };
    if matches!(format, Format::Xlsx | Format::Xlsb | Format::Ods) {
        // Sizes come from our own reading of the directory; if it cannot be read the sizes are
        // unknown, and the file is refused rather than handed to the unpacker unchecked.
        let entries = zip_entries(&bytes).map_err(damaged)?;
        let max = limits.max_unpacked_bytes;
        let declared = entries.iter().map(|(_, s)| *s).fold(0u64, u64::saturating_add);
        let bomb = || ReadError::ZipBomb { source_name: name.clone(), max };
        if declared > max || entries.iter().any(|(_, s)| *s == u32::MAX as u64) {
            return Err(bomb());
        }
        // The directory may lie: every entry is inflated into nothing, through a bound.
        match unpacked_size(&bytes, max) {
            (total, _) if total > max => return Err(bomb()),
            (_, Some(entry)) => {
                return Err(ReadError::LongText { source_name: name, entry, max: MAX_XML_RUN });
            }
            _ => {}
        }
    }
    // calamine parses xls and ods sheets whole on opening, into their bounding rectangles:
    // those are measured first.
    let rectangle = match format {
        Format::Xls => xls_rectangles(&bytes, limits.max_cells),
        Format::Ods => ods_rectangles(&bytes, limits.max_cells, limits.max_unpacked_bytes),
        _ => None,
    };
    if let Some((sheet, limit, _)) = rectangle {
        return Err(limit.error(&name, &sheet));
    }
    // A reader that panics on malformed bytes (seen: an overflow in calamine's cell-reference
    // parser) must not take the program down: the file is reported as damaged instead.
    let read =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_sheets(bytes, &name, format, limits)));
    read.unwrap_or_else(|_| {
        Err(ReadError::Damaged {
            source_name: name.clone(),
            format,
            message: "the reader stopped on malformed data".into(),
        })
    })
}

/// Longest stretch of an XML part without markup (`<` or `>`) that is read. The XML reader
/// holds a whole text or tag in memory, and a cell a whole text: Excel's own limit is 32,767
/// characters a cell, under 200 KiB however escaped.
const MAX_XML_RUN: u64 = 4 * MIB;

/// How many bytes the entries of a zip container inflate to, counting at most `max + 1`,
/// and the first XML entry with a stretch of more than [`MAX_XML_RUN`] bytes without markup:
/// nothing inflated is kept. An entry that cannot be inflated counts what it gave; calamine
/// reports it if it matters.
fn unpacked_size(bytes: &[u8], max: u64) -> (u64, Option<String>) {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else { return (0, None) };
    let mut total = 0u64;
    for i in 0..archive.len() {
        let Ok(mut entry) = archive.by_index(i) else { continue };
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        let mut bounded = std::io::Read::take(&mut entry, (max - total).saturating_add(1));
        let mut sink = Counted::default();
        let _ = std::io::copy(&mut bounded, &mut sink);
        total += sink.bytes;
        if total > max {
            break;
        }
        if sink.xml == Some(true) && sink.longest > MAX_XML_RUN {
            return (total, Some(name));
        }
    }
    (total, None)
}

/// A writer that keeps only the count of bytes written and, for XML, the longest stretch
/// without markup.
#[derive(Default)]
struct Counted {
    bytes: u64,
    /// Whether the entry is XML, judged by its first bytes.
    xml: Option<bool>,
    run: u64,
    longest: u64,
}

impl std::io::Write for Counted {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes += buf.len() as u64;
        if *self.xml.get_or_insert_with(|| buf[..buf.len().min(16)].contains(&b'<')) {
            // Only the stretches that cross chunks can be long (a chunk is a few KiB): the
            // first and last markup in each chunk are enough.
            match (memchr::memchr2(b'<', b'>', buf), memchr::memrchr2(b'<', b'>', buf)) {
                (Some(first), Some(last)) => {
                    self.longest = self.longest.max(self.run + first as u64).max(last as u64);
                    self.run = (buf.len() - last - 1) as u64;
                }
                _ => self.run += buf.len() as u64,
            }
            self.longest = self.longest.max(self.run);
            if self.longest > MAX_XML_RUN {
                // Enough is known: the rest of the entry is not inflated.
                return Err(std::io::Error::other("a stretch without markup is too long"));
            }
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Excel's last row and column, which calamine's ods reader also caps repeats at.
const MAX_ROWS: u64 = 1_048_576;
const MAX_COLUMNS: u64 = 16_384;

/// The first sheet of an ods workbook at which the cells calamine would allocate, counted
/// from `content.xml` without building them, pass `max`, with the count so far. calamine
/// keeps each row up to its last value (however far, and once however often the row is
/// repeated), then the rectangle around the values with repeated rows written out; the
/// larger of the two is counted. The text it would hold is counted too, a repeated cell's
/// once for each time it is written out: past `max_text`, that sheet with the text so far.
/// None when content.xml cannot be read: calamine says why.
fn ods_rectangles(bytes: &[u8], max: u64, max_text: u64) -> Option<(String, Limit, u64)> {
    use quick_xml::events::{BytesStart, Event};
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let content = archive.by_name("content.xml").ok()?;
    let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(content));
    let attr = |e: &BytesStart<'_>, name: &str| -> Option<u64> {
        e.try_get_attribute(name).ok()??.value.trim().parse().ok()
    };
    let has = |e: &BytesStart<'_>, name: &str| e.try_get_attribute(name).ok().flatten().is_some();
    let (mut total, mut text, mut buf, mut skip) = (0u64, 0u64, Vec::new(), Vec::new());
    let mut sheet = String::new();
    // The sheet: rows so far, stored cells, first and last value row, value columns.
    let (mut rows, mut stored) = (0u64, 0u64);
    let (mut top, mut bottom, mut left, mut right) = (None::<u64>, 0u64, u64::MAX, 0u64);
    // The row: repeats, next column, first and last value column.
    let (mut repeat, mut col, mut first, mut last) = (1u64, 0u64, None::<u64>, None::<u64>);
    // The row's text (its filled cells' tags and content, repeats written out).
    let mut row_text = 0u64;
    loop {
        buf.clear();
        let event = xml.read_event_into(&mut buf).ok()?;
        let (e, open) = match &event {
            Event::Start(e) => (e, true),
            Event::Empty(e) => (e, false),
            Event::End(e) => {
                match e.name().as_ref() {
                    "table:table-row" => {
                        if let Some(last) = last {
                            stored = stored.saturating_add(last + 1);
                            top.get_or_insert(rows);
                            bottom = rows + repeat - 1;
                            left = left.min(first.unwrap_or(0));
                            right = right.max(last);
                        }
                        rows = (rows + repeat).min(MAX_ROWS);
                        text = text.saturating_add(row_text.saturating_mul(repeat));
                        if text > max_text {
                            return Some((sheet, Limit::Text(max_text), text));
                        }
                    }
                    "table:table" => {
                        if let Some(top) = top {
                            let height = (bottom + 1).saturating_sub(top);
                            let rectangle = height.saturating_mul((right + 1).saturating_sub(left));
                            total = total.saturating_add(stored.max(rectangle));
                        }
                        if total > max {
                            return Some((sheet, Limit::Cells(max), total));
                        }
                    }
                    _ => {}
                }
                continue;
            }
            Event::Eof => return None,
            _ => continue,
        };
        match e.name().as_ref() {
            "table:table" => {
                sheet = e
                    .try_get_attribute("table:name")
                    .ok()
                    .flatten()
                    .and_then(|a| quick_xml::escape::unescape(&a.value).ok().map(|v| v.into_owned()))
                    .unwrap_or_default();
                (rows, stored, top, bottom, left, right) = (0, 0, None, 0, u64::MAX, 0);
            }
            "table:table-row" => {
                repeat = attr(e, "table:number-rows-repeated")
                    .unwrap_or(1)
                    .clamp(1, MAX_ROWS - rows.min(MAX_ROWS - 1));
                (col, first, last, row_text) = (0, None, None, 0);
                if !open {
                    rows = (rows + repeat).min(MAX_ROWS);
                }
            }
            "table:table-cell" | "table:covered-table-cell" => {
                let n = attr(e, "table:number-columns-repeated")
                    .unwrap_or(1)
                    .max(1)
                    .min(MAX_COLUMNS - col.min(MAX_COLUMNS));
                // A cell with a value, a formula or any content may be filled.
                let filled = open || has(e, "office:value-type") || has(e, "table:formula");
                if filled && n > 0 {
                    first.get_or_insert(col);
                    last = Some(col + n - 1);
                }
                col += n;
                let mut size = e.len() as u64;
                if open {
                    skip.clear();
                    let name = e.name().as_ref().to_string();
                    let span = xml.read_to_end_into(quick_xml::name::QName(&name), &mut skip).ok()?;
                    size += span.end - span.start;
                }
                // A number or a boolean holds no text; anything else may hold its tag's and
                // content's worth.
                let kind = e.try_get_attribute("office:value-type").ok().flatten();
                let numeric = kind
                    .is_some_and(|k| matches!(&*k.value, "float" | "percentage" | "currency" | "boolean"));
                if filled && !numeric {
                    row_text = row_text.saturating_add(size.saturating_mul(n));
                }
            }
            _ => {}
        }
    }
}

/// The first sheet of an xls workbook at which the cells calamine would allocate pass `max`,
/// with the count so far. calamine parses every sheet on opening, as it is read here: from
/// where the workbook's BOUNDSHEET record says it starts to its EOF, nested substreams
/// (charts) skipped; it reserves room for the rectangle the DIMENSIONS record declares, then
/// builds the rectangle from the first value to the farthest. None when the workbook stream
/// cannot be found: calamine says why.
fn xls_rectangles(bytes: &[u8], max: u64) -> Option<(String, Limit, u64)> {
    let stream = cfb_stream(bytes, &["Workbook", "Book"])?;
    let u16_at = |d: &[u8], i: usize| d.get(i..i + 2).map_or(0, |b| u16::from_le_bytes([b[0], b[1]]));
    let u32_at =
        |d: &[u8], i: usize| d.get(i..i + 4).map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    // Records from `at`: type and data (CONTINUE records carry no cells).
    let stream = stream.as_slice();
    let records = |mut at: usize| {
        std::iter::from_fn(move || {
            let (typ, len) = (u16_at(stream, at), u16_at(stream, at + 2) as usize);
            let data = stream.get(at + 4..at + 4 + len)?;
            at += 4 + len;
            Some((typ, data))
        })
    };
    let mut sheets = Vec::new();
    for (typ, data) in records(0) {
        match typ {
            // BOUNDSHEET8: where a sheet's substream starts, and its name.
            0x0085 if data.len() >= 8 => {
                let (n, wide) = (data[6] as usize, data[7] & 1 == 1);
                let name = if wide {
                    let units: Vec<u16> =
                        data[8..].chunks_exact(2).take(n).map(|b| u16::from_le_bytes([b[0], b[1]])).collect();
                    String::from_utf16_lossy(&units)
                } else {
                    data[8..].iter().take(n).map(|&b| b as char).collect()
                };
                sheets.push((u32_at(data, 0) as usize, name));
            }
            0x000A => break,
            _ => {}
        }
    }
    let mut total = 0u64;
    for (at, name) in sheets {
        // The values' rectangle (rows, columns), the declared one, and the cells given (the
        // same cell may be given many times, each kept until the rectangle is built).
        let (mut rows, mut cols, mut declared, mut given) = ((u32::MAX, 0u32), (u32::MAX, 0u32), 0u64, 0u64);
        let mut cell = |row: u16, from: u16, to: u16| {
            rows = (rows.0.min(row.into()), rows.1.max(row.into()));
            cols = (cols.0.min(from.into()), cols.1.max(to.into()));
            given += u64::from(to.saturating_sub(from)) + 1;
        };
        let (mut seen_bof, mut depth) = (false, 0usize);
        for (typ, data) in records(at) {
            if depth > 0 {
                match typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            match typ {
                0x0809 if seen_bof => depth += 1,
                0x0809 => seen_bof = true,
                0x000A => break,
                // DIMENSIONS, read as calamine reads it, wrapping included.
                0x0200 => {
                    let (rf, rl, mut cf, cl): (u32, u32, u32, u32) = match data.len() {
                        10 => (
                            u16_at(data, 0).into(),
                            u16_at(data, 2).into(),
                            u16_at(data, 4).into(),
                            u16_at(data, 6).into(),
                        ),
                        14 | 16 => (
                            u32_at(data, 0),
                            u32_at(data, 4),
                            u16_at(data, 8).into(),
                            u16_at(data, 10).into(),
                        ),
                        _ => continue,
                    };
                    if 0xFF < cf || cl < cf {
                        cf = 0;
                    }
                    let (end_r, end_c): (u32, u32) =
                        if rl >= 1 && cl >= 1 { (rl - 1, cl - 1) } else { (rf, cf) };
                    let height = u64::from(end_r.wrapping_sub(rf).wrapping_add(1));
                    declared = height.saturating_mul(u64::from(end_c.wrapping_sub(cf).wrapping_add(1)));
                }
                // NUMBER, LABEL, RSTRING, BOOLERR, FORMULA, RK, LABELSST: one cell each.
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x0006 | 0x027E | 0x00FD if data.len() >= 4 => {
                    cell(u16_at(data, 0), u16_at(data, 2), u16_at(data, 2));
                }
                // MULRK: a run of cells in one row.
                0x00BD if data.len() >= 6 => {
                    cell(u16_at(data, 0), u16_at(data, 2), u16_at(data, data.len() - 2))
                }
                _ => {}
            }
        }
        let rectangle = if rows.0 <= rows.1 {
            u64::from(rows.1 - rows.0 + 1) * (u64::from(cols.1.saturating_sub(cols.0)) + 1)
        } else {
            0
        };
        total = total.saturating_add(rectangle.max(declared).max(given));
        if total > max {
            return Some((name, Limit::Cells(max), total));
        }
    }
    None
}

/// The bytes of the first of `names` found in an OLE compound file, or None.
fn cfb_stream(bytes: &[u8], names: &[&str]) -> Option<Vec<u8>> {
    let u16_at = |i: usize| bytes.get(i..i + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
    let u32_at = |i: usize| bytes.get(i..i + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    let shift = u16_at(0x1E)?;
    let mini_shift = u16_at(0x20)?;
    if !(shift == 9 || shift == 12) || mini_shift != 6 {
        return None;
    }
    let size = 1usize << shift;
    let sector = |id: u32| bytes.get((id as usize + 1) * size..(id as usize + 2) * size);
    // The FAT's own sectors: 109 in the header, the rest in a chain of DIFAT sectors.
    let mut fat_sectors: Vec<u32> = (0..109).filter_map(|i| u32_at(0x4C + 4 * i)).collect();
    let (mut difat, mut guard) = (u32_at(0x44)?, 0);
    while difat < 0xFFFF_FFFA && guard < bytes.len() / size {
        let s = sector(difat)?;
        let ids: Vec<u32> = s.chunks_exact(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
        fat_sectors.extend(&ids[..ids.len() - 1]);
        difat = ids[ids.len() - 1];
        guard += 1;
    }
    let fat: Vec<u32> = fat_sectors
        .iter()
        .take_while(|&&id| id < 0xFFFF_FFFA)
        .filter_map(|&id| sector(id))
        .flat_map(|s| s.chunks_exact(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
        .collect();
    let chain = |table: &[u32], mut id: u32| -> Vec<u32> {
        let mut out = Vec::new();
        while (id as usize) < table.len() && out.len() <= table.len() {
            out.push(id);
            id = table[id as usize];
        }
        out
    };
    // A chain's sectors, cut to `len` bytes (a chain too short for its stream is damage).
    let read = |ids: &[u32], len: Option<usize>| -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(len.unwrap_or(0).min(bytes.len()));
        for &id in ids {
            out.extend_from_slice(sector(id)?);
        }
        match len {
            Some(len) if out.len() < len => None,
            Some(len) => {
                out.truncate(len);
                Some(out)
            }
            None => Some(out),
        }
    };
    let directory = read(&chain(&fat, u32_at(0x30)?), None)?;
    let entries: Vec<&[u8]> = directory.chunks_exact(128).collect();
    let entry_size = |e: &[u8]| {
        let n = u32::from_le_bytes([e[0x78], e[0x79], e[0x7A], e[0x7B]]) as usize;
        (u32::from_le_bytes([e[0x74], e[0x75], e[0x76], e[0x77]]), n)
    };
    let found = entries.iter().find(|e| {
        let n = (u16::from_le_bytes([e[0x40], e[0x41]]) as usize).min(64) / 2;
        let name: Vec<u16> = e[..n * 2].chunks_exact(2).map(|b| u16::from_le_bytes([b[0], b[1]])).collect();
        let name = String::from_utf16_lossy(&name);
        let name = name.trim_end_matches('\0');
        names.iter().any(|n| n.eq_ignore_ascii_case(name))
    })?;
    let (start, len) = entry_size(found);
    if len > bytes.len() {
        return None;
    }
    // calamine takes 4096 bytes as the mini-stream cutoff whatever the header says.
    if len >= 4096 {
        return read(&chain(&fat, start), Some(len));
    }
    // A small stream lives in the mini stream, 64-byte sectors inside the root's stream.
    let (root_start, root_len) = entry_size(entries.first()?);
    let mini_stream = read(&chain(&fat, root_start), Some(root_len.min(bytes.len())))?;
    let mini_fat: Vec<u32> = read(&chain(&fat, u32_at(0x3C)?), None)?
        .chunks_exact(4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    let mut out = Vec::with_capacity(len);
    for id in chain(&mini_fat, start) {
        out.extend_from_slice(mini_stream.get(id as usize * 64..id as usize * 64 + 64)?);
    }
    (out.len() >= len).then(|| {
        out.truncate(len);
        out
    })
}

/// Whether a panic happened inside the workbook reader's own dependency (calamine), where
/// [`read_bytes`] catches it and reports the file as damaged: a panic hook can stay quiet
/// about it (the CLI) or let it pass (the fuzz targets).
pub fn caught_by_reader(info: &std::panic::PanicHookInfo<'_>) -> bool {
    info.location().is_some_and(|l| l.file().contains("/calamine-"))
}

/// Reads the sheets of bytes already known to be `format`.
fn read_sheets(
    bytes: Vec<u8>,
    source_name: &str,
    format: Format,
    limits: &ReadLimits,
) -> Result<Workbook, ReadError> {
    let name = source_name.to_string();
    let damaged = |message: String| ReadError::Damaged {
        source_name: name.clone(),
        format,
        message: one_line(&message),
    };
    // The fonts calamine does not pass on: xls cells' fonts, xlsx rich-text runs' fonts.
    let xls_cases = if format == Format::Xls { xls_fonts(&bytes) } else { Vec::new() };
    let rich = if format == Format::Xlsx { RichRuns::read(&bytes) } else { RichRuns::default() };
    let cursor = Cursor::new(bytes);
    let mut sheets = match format {
        Format::Xlsx => {
            calamine::Sheets::Xlsx(calamine::Xlsx::new(cursor).map_err(|e| damaged(e.to_string()))?)
        }
        Format::Xlsb => {
            calamine::Sheets::Xlsb(calamine::Xlsb::new(cursor).map_err(|e| damaged(e.to_string()))?)
        }
        Format::Xls => calamine::Sheets::Xls(calamine::Xls::new(cursor).map_err(|e| damaged(e.to_string()))?),
        Format::Ods => calamine::Sheets::Ods(calamine::Ods::new(cursor).map_err(|e| damaged(e.to_string()))?),
    };
    let meta: Vec<(String, bool)> = sheets
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible != SheetVisible::Visible))
        .collect();
    let mut budget = Budget { cells: 0, text: 0, limits: *limits };
    let mut out = Vec::with_capacity(meta.len());
    for (index, (sheet_name, hidden)) in meta.into_iter().enumerate() {
        let sheet_error = |message: String| ReadError::Sheet {
            source_name: name.clone(),
            sheet: sheet_name.clone(),
            message: one_line(&message),
        };
        let mut grid = Grid::new(&mut budget);
        // xlsx and xlsb are read cell by cell: calamine's range would be the whole rectangle
        // from the first cell to the farthest, however empty. xls and ods are parsed whole
        // when the workbook is opened; their size was bounded before that (see `prescan`).
        let filled = match &mut sheets {
            calamine::Sheets::Xlsx(x) => match x.worksheet_cells_reader(&sheet_name) {
                Ok(mut cells) => {
                    // The case each cell format's font shows TCVN3 text in, by format index.
                    let cases: Vec<Case> = cells
                        .styles()
                        .iter()
                        .map(|style| {
                            style
                                .font
                                .as_ref()
                                .and_then(|f| f.name.as_deref())
                                .map_or(Case::Unknown, Case::of_font)
                        })
                        .collect();
                    loop {
                        match cells.next_cell_with_style_id() {
                            Ok(Some((cell, style))) => {
                                let case = cases.get(style).copied().unwrap_or_default();
                                let fonts = Fonts { case, runs: rich.runs(cell.get_value()) };
                                if let Err(limit) =
                                    grid.put_ref_in(cell.get_position(), cell.get_value(), fonts)
                                {
                                    break Err(limit);
                                }
                            }
                            Ok(None) => break Ok(()),
                            Err(e) => return Err(sheet_error(e.to_string())),
                        }
                    }
                }
                // A chart sheet has no cells.
                Err(calamine::XlsxError::NotAWorksheet(_)) => Ok(()),
                Err(e) => return Err(sheet_error(e.to_string())),
            },
            calamine::Sheets::Xlsb(x) => match x.worksheet_cells_reader(&sheet_name) {
                Ok(mut cells) => loop {
                    match cells.next_cell() {
                        Ok(Some(cell)) => {
                            if let Err(limit) = grid.put_ref(cell.get_position(), cell.get_value()) {
                                break Err(limit);
                            }
                        }
                        Ok(None) => break Ok(()),
                        Err(e) => return Err(sheet_error(e.to_string())),
                    }
                },
                Err(e) => return Err(sheet_error(e.to_string())),
            },
            _ => {
                let range = sheets.worksheet_range(&sheet_name).map_err(|e| sheet_error(e.to_string()))?;
                let (r0, c0) = range.start().unwrap_or((0, 0));
                let cases = xls_cases.get(index).filter(|(name, _)| *name == sheet_name).map(|(_, c)| c);
                range.used_cells().try_for_each(|(r, c, data)| {
                    let at = ((r0 as usize + r) as u32, (c0 as usize + c) as u32);
                    let case = cases.and_then(|cases| cases.get(&at)).copied().unwrap_or_default();
                    grid.put_in(at, data, Fonts { case, runs: None })
                })
            }
        };
        if let Err(limit) = filled {
            return Err(limit.error(&name, &sheet_name));
        }
        // Merges only shape headers; a reader that cannot list them loses nothing else.
        let merges = match &mut sheets {
            calamine::Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&sheet_name).unwrap_or_default(),
            calamine::Sheets::Xls(x) => x.merge_cells_by_sheet_name(&sheet_name).unwrap_or_default(),
            _ => Vec::new(),
        };
        let mut merges: Vec<Merge> = merges
            .iter()
            .map(|d| Merge {
                top: d.start.0 as usize,
                left: d.start.1 as usize,
                bottom: d.end.0 as usize,
                right: d.end.1 as usize,
            })
            .filter(|m| m.bottom >= m.top && m.right >= m.left && (m.bottom > m.top || m.right > m.left))
            .collect();
        merges.sort_by_key(|m| (m.top, m.left));
        let (rows, repairs) = grid.finish();
        out.push(Sheet { name: vi::clean_text(&sheet_name), hidden, rows, merges, repairs });
    }
    Ok(Workbook { source: name, sheets: out })
}

/// A reader's message on one line: it may quote the damaged bytes, line breaks included.
fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What the workbook has cost so far, against its limits.
struct Budget {
    /// Cells stored: in each row up to its last cell, an empty row counting as one.
    cells: u64,
    /// Bytes of text held by cells.
    text: u64,
    limits: ReadLimits,
}

/// Which limit a sheet crossed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Limit {
    Cells(u64),
    Text(u64),
}

impl Limit {
    fn error(self, source_name: &str, sheet: &str) -> ReadError {
        let (source_name, sheet) = (source_name.to_string(), sheet.to_string());
        match self {
            Limit::Cells(max) => ReadError::TooManyCells { source_name, sheet, max },
            Limit::Text(max) => ReadError::TooMuchText { source_name, sheet, max },
        }
    }
}

/// One sheet's ragged rows, built cell by cell in any order: a row is only as long as its
/// last cell, so one far cell costs its own row, not a rectangle.
struct Grid<'b> {
    rows: Vec<Vec<Cell>>,
    repairs: Vec<Repair>,
    decisions: Vec<Decision>,
    /// Cells readable in both legacy encodings, with their raw text, to be read again if the
    /// sheet turns out to be mostly VNI.
    ties: Vec<(usize, usize, String)>,
    budget: &'b mut Budget,
}

impl<'b> Grid<'b> {
    fn new(budget: &'b mut Budget) -> Self {
        Grid { rows: Vec::new(), repairs: Vec::new(), decisions: Vec::new(), ties: Vec::new(), budget }
    }

    /// Makes room for a cell at (row, col), refusing past the cell limit before allocating.
    fn slot(&mut self, row: usize, col: usize) -> Result<&mut Cell, Limit> {
        let new_rows = (row + 1).saturating_sub(self.rows.len()) as u64;
        let len = self.rows.get(row).map_or(0, Vec::len);
        // An empty row already counts as one cell.
        let grown = ((col + 1).max(1) as u64).saturating_sub(len.max(1) as u64);
        let cost = new_rows.saturating_add(grown);
        let max = self.budget.limits.max_cells;
        if cost > 0 {
            let cells = self.budget.cells.saturating_add(cost);
            if cells > max {
                return Err(Limit::Cells(max));
            }
            self.budget.cells = cells;
        }
        if row >= self.rows.len() {
            self.rows.resize_with(row + 1, Vec::new);
        }
        let cells = &mut self.rows[row];
        if col >= cells.len() {
            cells.resize(col + 1, Cell::Empty);
        }
        Ok(&mut cells[col])
    }

    /// Stores one cell as calamine's streaming readers give it.
    fn put_ref(&mut self, at: (u32, u32), data: &DataRef<'_>) -> Result<(), Limit> {
        self.put_ref_in(at, data, Fonts::default())
    }

    /// [`Grid::put_ref`] of a cell whose fonts are known.
    fn put_ref_in(
        &mut self,
        (row, col): (u32, u32),
        data: &DataRef<'_>,
        fonts: Fonts<'_>,
    ) -> Result<(), Limit> {
        let text = match data {
            DataRef::Empty => return Ok(()),
            DataRef::String(s) => s.as_str(),
            DataRef::SharedString(s) => s,
            DataRef::Int(i) => return self.set(row, col, Cell::Number(*i as f64)),
            DataRef::Float(f) => return self.set(row, col, Cell::Number(*f)),
            DataRef::Bool(b) => return self.set(row, col, Cell::Bool(*b)),
            DataRef::DateTime(dt) => return self.set(row, col, date_cell(dt)),
            DataRef::DateTimeIso(s) => return self.set(row, col, iso_date_cell(s)),
            DataRef::DurationIso(s) => return self.set(row, col, Cell::Text(s.clone())),
            DataRef::Error(e) => return self.set(row, col, Cell::Error(e.to_string())),
        };
        self.put_text(row as usize, col as usize, text, fonts)
    }

    /// Stores one cell of a calamine range.
    #[cfg(test)]
    fn put(&mut self, at: (u32, u32), data: &Data) -> Result<(), Limit> {
        self.put_in(at, data, Fonts::default())
    }

    /// [`Grid::put`] of a cell whose fonts are known.
    fn put_in(&mut self, (row, col): (u32, u32), data: &Data, fonts: Fonts<'_>) -> Result<(), Limit> {
        let text = match data {
            Data::Empty => return Ok(()),
            Data::String(s) => s,
            Data::Int(i) => return self.set(row, col, Cell::Number(*i as f64)),
            Data::Float(f) => return self.set(row, col, Cell::Number(*f)),
            Data::Bool(b) => return self.set(row, col, Cell::Bool(*b)),
            Data::DateTime(dt) => return self.set(row, col, date_cell(dt)),
            Data::DateTimeIso(s) => return self.set(row, col, iso_date_cell(s)),
            Data::DurationIso(s) => return self.set(row, col, Cell::Text(s.clone())),
            Data::Error(e) => return self.set(row, col, Cell::Error(e.to_string())),
        };
        self.put_text(row as usize, col as usize, text, fonts)
    }

    fn set(&mut self, row: u32, col: u32, cell: Cell) -> Result<(), Limit> {
        let (row, col) = (row as usize, col as usize);
        let slot = self.slot(row, col)?;
        let overwritten = !slot.is_empty();
        *slot = cell;
        if overwritten {
            self.forget(row, col);
        }
        Ok(())
    }

    /// A text cell: cleaned, its legacy reading counted; a tie keeps its raw text.
    fn put_text(&mut self, row: usize, col: usize, raw: &str, fonts: Fonts<'_>) -> Result<(), Limit> {
        // Shared strings are stored once but held by every cell that uses them: the text
        // the cells hold is bounded too.
        let max = self.budget.limits.max_unpacked_bytes;
        self.budget.text = self.budget.text.saturating_add(raw.len() as u64);
        if self.budget.text > max {
            return Err(Limit::Text(max));
        }
        let slot = self.slot(row, col)?;
        let overwritten = !slot.is_empty();
        if overwritten {
            *slot = Cell::Empty;
            self.forget(row, col);
        }
        let (s, decision) = clean_in(raw, row, col, Legacy::Tcvn3, fonts, &mut self.repairs);
        if decision != Decision::Unicode {
            self.decisions.push(decision);
        }
        if decision == Decision::Tie {
            self.ties.push((row, col, raw.to_string()));
        }
        if !s.is_empty() {
            self.rows[row][col] = Cell::Text(s);
        }
        Ok(())
    }

    /// A cell given twice (the later one wins): what was recorded of the earlier is dropped.
    fn forget(&mut self, row: usize, col: usize) {
        self.repairs.retain(|x| (x.row, x.col) != (row, col));
        self.ties.retain(|x| (x.0, x.1) != (row, col));
    }

    /// The rows from A1, trailing empty rows and cells dropped, with the repairs made to
    /// text cells in row order.
    fn finish(mut self) -> (Vec<Vec<Cell>>, Vec<Repair>) {
        for cells in &mut self.rows {
            while cells.last().is_some_and(Cell::is_empty) {
                cells.pop();
            }
        }
        while self.rows.last().is_some_and(|r| r.is_empty()) {
            self.rows.pop();
        }
        // A cell readable in both legacy encodings was read as TCVN3; in a sheet whose other
        // cells are surely VNI it is read again as VNI. Ties are rare: the rest is read once.
        if crate::legacy::majority(self.decisions.iter().copied()) == Legacy::Vni {
            for (r, c, raw) in &self.ties {
                let (r, c) = (*r, *c);
                self.repairs.retain(|x| (x.row, x.col) != (r, c));
                self.rows[r][c] = Cell::Text(clean(raw, r, c, Legacy::Vni, &mut self.repairs).0);
            }
        }
        // Cells may come out of order; repairs of one cell keep the order they were made in.
        self.repairs.sort_by_key(|x| (x.row, x.col));
        (self.rows, self.repairs)
    }
}

/// A date cell; a date-time keeps only its date; a date Excel cannot place, its number.
fn date_cell(dt: &calamine::ExcelDateTime) -> Cell {
    match dt.as_datetime() {
        Some(dt) => Cell::Date(dt.date()),
        None => Cell::Number(dt.as_f64()),
    }
}

/// An ISO 8601 date (ods); text when it is not one.
fn iso_date_cell(s: &str) -> Cell {
    match vi::parse_date(s.get(..10).unwrap_or(s)) {
        Some(d) => Cell::Date(d),
        None => Cell::Text(vi::clean_text(s)),
    }
}

/// Cleans one text cell: trimmed; NFC; legacy TCVN3/VNI converted (checked before the "Ð"
/// repair: their bytes include "Ð"); "Ð" repaired. Each change is recorded in `repairs`.
pub fn clean_cell(raw: &str, row: usize, col: usize, repairs: &mut Vec<Repair>) -> String {
    clean(raw, row, col, Legacy::Tcvn3, repairs).0
}

/// [`clean_cell`] with a cell readable in both legacy encodings taken to be in `tie`; also
/// how the text read, so that the sheet can count its legacy cells.
fn clean(raw: &str, row: usize, col: usize, tie: Legacy, repairs: &mut Vec<Repair>) -> (String, Decision) {
    clean_in(raw, row, col, tie, Fonts::default(), repairs)
}

/// [`clean`] of a cell shown in `fonts`: text in a TCVN3 font is TCVN3 when it reads as
/// either encoding, and in a capital TCVN3 font it comes out in capitals.
fn clean_in(
    raw: &str,
    row: usize,
    col: usize,
    tie: Legacy,
    fonts: Fonts<'_>,
    repairs: &mut Vec<Repair>,
) -> (String, Decision) {
    let s = raw.trim();
    let mut record = |what| repairs.push(Repair { row, col, what });
    if s.is_ascii() {
        return (s.to_string(), Decision::Unicode);
    }
    // NFC first: legacy text is Latin-1, which NFC leaves alone, while a character that only
    // becomes Latin-1 under NFC (Greek "·" U+0387 → U+00B7) must be judged as it will stay.
    let nfc: std::borrow::Cow<str> =
        if unicode_normalization::is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
            s.into()
        } else {
            s.nfc().collect::<String>().into()
        };
    let normalized = nfc != s;
    let decision = match crate::legacy::decide(&nfc) {
        Decision::Tie if fonts.tcvn3() => Decision::Sure(Legacy::Tcvn3),
        decision => decision,
    };
    let runs = fonts.runs(raw, s, normalized);
    if let Some((enc, fixed)) = crate::legacy::repair_in_fonts(&nfc, decision, tie, &runs) {
        record(RepairKind::Legacy(enc.name()));
        // A byte the table leaves alone ("ð") still gets the repairs every text gets.
        return (vi::clean_text(&fixed), decision);
    }
    if nfc.contains(['\u{00D0}', '\u{00F0}']) {
        record(RepairKind::Eth);
    }
    if normalized {
        record(RepairKind::Normalized);
    }
    (vi::clean_text(&nfc), decision)
}

/// What the reader knows of the fonts one cell's text is shown in.
#[derive(Debug, Clone, Copy, Default)]
struct Fonts<'r> {
    /// How the font of the cell's format shows TCVN3 text.
    case: Case,
    /// Rich text: each run's characters and case, `Unknown` where a run names no TCVN3 font
    /// (it is shown in the cell's font then).
    runs: Option<&'r [(usize, Case)]>,
}

impl Fonts<'_> {
    /// Whether some of the text is in a TCVN3 font.
    fn tcvn3(&self) -> bool {
        self.case != Case::Unknown || self.runs.is_some_and(|r| r.iter().any(|(_, c)| *c != Case::Unknown))
    }

    /// The runs over `trimmed`, the text of `raw` without its surrounding white space; one
    /// run for the whole text when there are no runs or they no longer line up (`normalized`).
    fn runs(&self, raw: &str, trimmed: &str, normalized: bool) -> Vec<(usize, Case)> {
        let whole = vec![(usize::MAX, self.case)];
        let Some(runs) = self.runs.filter(|_| !normalized) else { return whole };
        let mut skip = raw[..raw.len() - raw.trim_start().len()].chars().count();
        let mut out = Vec::with_capacity(runs.len());
        for &(n, case) in runs {
            let case = if case == Case::Unknown { self.case } else { case };
            let kept = n.saturating_sub(skip);
            skip = skip.saturating_sub(n);
            if kept > 0 {
                out.push((kept, case));
            }
        }
        // Runs that do not add up to the text (an escape calamine reads otherwise) are not used.
        let trailing = trimmed.len()..raw.trim_start().len();
        let expected = trimmed.chars().count() + raw.trim_start()[trailing].chars().count();
        if out.iter().map(|(n, _)| n).sum::<usize>() != expected {
            return whole;
        }
        out
    }
}

/// The fonts of the rich-text runs in an xlsx's shared strings, which calamine joins into
/// one string: for each string with a run in a TCVN3 font, its runs' lengths and cases.
#[derive(Debug, Default)]
struct RichRuns {
    by_text: HashMap<String, Vec<(usize, Case)>>,
}

impl RichRuns {
    /// Reads `xl/sharedStrings.xml` (as calamine does: `<t>` trimmed unless it preserves
    /// space, phonetic runs left out). A part that cannot be read gives no runs.
    fn read(bytes: &[u8]) -> RichRuns {
        use quick_xml::events::Event;
        let mut rich = RichRuns::default();
        let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else { return rich };
        let Ok(part) = archive.by_name("xl/sharedStrings.xml") else { return rich };
        let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(part));
        let (mut buf, mut text, mut runs) = (Vec::new(), String::new(), Vec::new());
        let (mut font, mut in_t, mut phonetic, mut preserve) = (Case::Unknown, false, false, false);
        let mut piece = String::new();
        loop {
            buf.clear();
            let Ok(event) = xml.read_event_into(&mut buf) else { return rich };
            let open = matches!(event, Event::Start(_));
            match event {
                Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                    "si" => (text, runs, font) = (String::new(), Vec::new(), Case::Unknown),
                    "r" => font = Case::Unknown,
                    "rPh" => phonetic = true,
                    "rFont" => {
                        let name = e.try_get_attribute("val").ok().flatten();
                        font = name.map_or(Case::Unknown, |a| Case::of_font(&a.value));
                    }
                    "t" if open && !phonetic => {
                        let space = e.try_get_attribute("xml:space").ok().flatten();
                        preserve = space.is_some_and(|a| &*a.value == "preserve");
                        (in_t, piece) = (true, String::new());
                    }
                    _ => {}
                },
                Event::Text(t) if in_t => piece.push_str(&t.xml10_content()),
                Event::CData(t) if in_t => piece.push_str(&t.xml10_content()),
                Event::GeneralRef(r) if in_t => {
                    if let Some(s) = quick_xml::escape::resolve_xml_entity(r.as_ref()) {
                        piece.push_str(s);
                    } else if let Ok(Some(c)) = r.resolve_char_ref() {
                        piece.push(c);
                    }
                }
                Event::End(e) => match e.local_name().as_ref() {
                    "t" if in_t => {
                        in_t = false;
                        let piece = if preserve {
                            piece.as_str()
                        } else {
                            piece.trim_matches([' ', '\t', '\r', '\n'])
                        };
                        text.push_str(piece);
                        runs.push((piece.chars().count(), font));
                    }
                    "rPh" => phonetic = false,
                    "r" => font = Case::Unknown,
                    "si" if runs.iter().any(|(_, c)| *c != Case::Unknown) => {
                        rich.by_text.insert(std::mem::take(&mut text), std::mem::take(&mut runs));
                    }
                    _ => {}
                },
                Event::Eof => return rich,
                _ => {}
            }
        }
    }

    /// The runs of a shared string, if it has runs in a TCVN3 font.
    fn runs(&self, data: &DataRef<'_>) -> Option<&[(usize, Case)]> {
        match data {
            DataRef::SharedString(s) if !self.by_text.is_empty() => self.by_text.get(*s).map(Vec::as_slice),
            _ => None,
        }
    }
}

/// The case of TCVN3 text in cells whose font is known, by (row, column).
type CellCases = HashMap<(u32, u32), Case>;

/// For each sheet of an xls workbook (in BOUNDSHEET order, with its name), the case of the
/// text cells whose format's font is a TCVN3 font, read from the FONT, XF and cell records
/// (calamine reads no fonts from xls). Empty when the workbook stream cannot be read.
fn xls_fonts(bytes: &[u8]) -> Vec<(String, CellCases)> {
    let Some(stream) = cfb_stream(bytes, &["Workbook", "Book"]) else { return Vec::new() };
    let u16_at = |d: &[u8], i: usize| d.get(i..i + 2).map_or(0, |b| u16::from_le_bytes([b[0], b[1]]));
    let records = |mut at: usize| {
        let stream = stream.as_slice();
        std::iter::from_fn(move || {
            let (typ, len) = (u16_at(stream, at), u16_at(stream, at + 2) as usize);
            let data = stream.get(at + 4..at + 4 + len)?;
            at += 4 + len;
            Some((typ, data))
        })
    };
    let (mut fonts, mut xfs, mut sheets) = (Vec::new(), Vec::new(), Vec::new());
    for (typ, data) in records(0) {
        match typ {
            // FONT: the name is a short string at offset 14. Font 4 does not exist in BIFF:
            // the fifth record is font 5.
            0x0031 => {
                if fonts.len() == 4 {
                    fonts.push(Case::Unknown);
                }
                fonts.push(Case::of_font(&biff_short_string(data.get(14..).unwrap_or_default())));
            }
            // XF: its font index first.
            0x00E0 => xfs.push(u16_at(data, 0) as usize),
            0x0085 if data.len() >= 8 => {
                let at = u32::from_le_bytes([data[0], data[1], data[2], data[3]]) as usize;
                sheets.push((at, biff_short_string(data.get(6..).unwrap_or_default())));
            }
            0x000A => break,
            _ => {}
        }
    }
    let case_of_xf = |xf: u16| xfs.get(xf as usize).and_then(|&f| fonts.get(f)).copied().unwrap_or_default();
    let mut out = Vec::with_capacity(sheets.len());
    for (at, name) in sheets {
        let mut cases = HashMap::new();
        let mut depth = 0usize;
        for (typ, data) in records(at).skip(1) {
            match typ {
                0x0809 => depth += 1,
                0x000A if depth == 0 => break,
                0x000A => depth -= 1,
                // LABELSST, LABEL, RSTRING, FORMULA (its string result): row, column, XF.
                0x00FD | 0x0204 | 0x00D6 | 0x0006 if depth == 0 && data.len() >= 6 => {
                    let case = case_of_xf(u16_at(data, 4));
                    if case != Case::Unknown {
                        cases.insert((u32::from(u16_at(data, 0)), u32::from(u16_at(data, 2))), case);
                    }
                }
                _ => {}
            }
        }
        out.push((name, cases));
    }
    out
}

/// A BIFF8 short string (a length byte, a flags byte, then Latin-1 or UTF-16LE characters).
fn biff_short_string(data: &[u8]) -> String {
    let (Some(&n), Some(&flags)) = (data.first(), data.get(1)) else { return String::new() };
    let chars = data.get(2..).unwrap_or_default();
    if flags & 1 == 1 {
        let units: Vec<u16> =
            chars.chunks_exact(2).take(n as usize).map(|b| u16::from_le_bytes([b[0], b[1]])).collect();
        String::from_utf16_lossy(&units)
    } else {
        chars.iter().take(n as usize).map(|&b| b as char).collect()
    }
}

/// Cell constructors for the unit tests of every stage.
#[cfg(test)]
pub(crate) mod test_cells {
    use super::Cell;

    /// A text cell.
    pub fn t(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    /// A number cell.
    pub fn n(x: f64) -> Cell {
        Cell::Number(x)
    }

    /// A formula error cell.
    pub fn e(s: &str) -> Cell {
        Cell::Error(s.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Plenty of room: the reference grids of these tests are never refused.
    fn roomy() -> Budget {
        Budget { cells: 0, text: 0, limits: ReadLimits { max_cells: u64::MAX, max_unpacked_bytes: u64::MAX } }
    }

    /// The grid built from calamine's whole range of a sheet: what the reader did before it
    /// streamed, kept here as the reference.
    fn range_grid(range: &calamine::Range<Data>) -> (Vec<Vec<Cell>>, Vec<Repair>) {
        let mut budget = roomy();
        let mut grid = Grid::new(&mut budget);
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, c, data) in range.used_cells() {
            grid.put((r0 + r as u32, c0 + c as u32), data).unwrap();
        }
        grid.finish()
    }

    #[test]
    fn a_cell_readable_in_both_legacy_encodings_follows_its_sheet() {
        let sheet = |cells: &[&str]| {
            let mut range = calamine::Range::new((0, 0), (cells.len() as u32 - 1, 0));
            for (r, s) in cells.iter().enumerate() {
                range.set_value((r as u32, 0), Data::String(s.to_string()));
            }
            range_grid(&range).0.into_iter().map(|row| row[0].display()).collect::<Vec<_>>()
        };
        assert_eq!(sheet(&["Nguyeãn Vaên A", "HAØ NOÄI", "Thuû"]), ["Nguyễn Văn A", "HÀ NỘI", "Thủ"]);
        assert_eq!(sheet(&["NguyÔn Thanh Hµ", "Thuû"]), ["Nguyễn Thanh Hà", "Thuỷ"]);
        // Streamed, a tie read before the sheet shows itself VNI is read again, and its
        // repair is the VNI one.
        let wb = read_bytes(xlsx(&[(0, "Thuû"), (1, "Nguyeãn Vaên A"), (2, "HAØ NOÄI")]), "x.xlsx").unwrap();
        let rows = &wb.sheets[0].rows;
        assert_eq!(
            rows.iter().map(|r| r[0].display()).collect::<Vec<_>>(),
            ["Thủ", "Nguyễn Văn A", "HÀ NỘI"]
        );
        let repairs: Vec<_> = wb.sheets[0].repairs.iter().map(|r| (r.row, r.what)).collect();
        assert_eq!(repairs, [0, 1, 2].map(|r| (r, RepairKind::Legacy("VNI"))));
    }

    /// An xlsx of one sheet "Data" with text cells in column A.
    fn xlsx(cells: &[(u32, &str)]) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet().set_name("Data").unwrap();
        for (r, text) in cells {
            ws.write(*r, 0, *text).unwrap();
        }
        book.save_to_buffer().unwrap()
    }

    /// A minimal xlsx written by hand: one sheet "Data" with this `sheetData` (and shared
    /// strings), its parts stored or deflated.
    fn raw_xlsx(sheet_data: &str, shared: &[&str], deflate: bool) -> Vec<u8> {
        use std::io::Write;
        let ns = r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main""#;
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        let strings: String = shared.iter().map(|s| format!("<si><t>{s}</t></si>")).collect();
        let parts = [
            (
                "[Content_Types].xml".to_string(),
                r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>"#.to_string(),
            ),
            (
                "_rels/.rels".to_string(),
                format!(
                    r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
                ),
            ),
            (
                "xl/workbook.xml".to_string(),
                format!(
                    r#"<?xml version="1.0"?><workbook {ns} xmlns:r="{rel}"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>"#
                ),
            ),
            (
                "xl/_rels/workbook.xml.rels".to_string(),
                format!(
                    r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#
                ),
            ),
            (
                "xl/sharedStrings.xml".to_string(),
                format!(r#"<?xml version="1.0"?><sst {ns}>{strings}</sst>"#),
            ),
            (
                "xl/worksheets/sheet1.xml".to_string(),
                format!(
                    r#"<?xml version="1.0"?><worksheet {ns}><sheetData>{sheet_data}</sheetData></worksheet>"#
                ),
            ),
        ];
        let method = if deflate { zip::CompressionMethod::Deflated } else { zip::CompressionMethod::Stored };
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, text) in &parts {
            zip.start_file(name.as_str(), options).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn streaming_reads_the_cells_the_whole_range_held() {
        // The samples, and a sheet of every kind of cell with repairs to make.
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet().set_name("Kinds").unwrap();
        let date = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
        ws.write(1, 2, "  ÐOÀN  ").unwrap();
        ws.write(1, 5, 12.5).unwrap();
        ws.write(2, 0, true).unwrap();
        ws.write_with_format(2, 1, rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 1, 9).unwrap(), &date)
            .unwrap();
        ws.write_formula(3, 0, rust_xlsxwriter::Formula::new("=1/0").set_result("#DIV/0!")).unwrap();
        ws.write(3, 3, unicode_normalization::UnicodeNormalization::nfd("Hòa").collect::<String>()).unwrap();
        ws.write(5, 1, "NguyÔn Thanh Hµ").unwrap();
        ws.write(6, 1, "Thuû").unwrap();
        ws.write(7, 7, "   ").unwrap();
        ws.write(9, 0, "").unwrap();
        let kinds = book.save_to_buffer().unwrap();
        let samples: [&[u8]; 3] = [
            include_bytes!("../samples/khanh-hoa-2023.xlsx"),
            include_bytes!("../samples/khanh-hoa-2025.xlsx"),
            &kinds,
        ];
        for bytes in samples {
            let wb = read_bytes(bytes.to_vec(), "x.xlsx").unwrap();
            let mut xlsx = calamine::Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
            let names = xlsx.sheet_names();
            assert_eq!(wb.sheets.len(), names.len());
            for (sheet, name) in wb.sheets.iter().zip(names) {
                let range = xlsx.worksheet_range(&name).unwrap();
                let (rows, repairs) = range_grid(&range);
                assert_eq!((&sheet.rows, &sheet.repairs), (&rows, &repairs), "sheet {name}");
            }
        }
        let kinds = read_bytes(kinds, "x.xlsx").unwrap();
        let rows = &kinds.sheets[0].rows;
        assert_eq!(rows.len(), 7, "trailing empty rows dropped");
        assert_eq!(
            rows[1],
            [
                Cell::Empty,
                Cell::Empty,
                Cell::Text("ĐOÀN".into()),
                Cell::Empty,
                Cell::Empty,
                Cell::Number(12.5)
            ]
        );
        assert_eq!(rows[2][1], Cell::Date(NaiveDate::from_ymd_opt(2024, 1, 9).unwrap()));
        assert_eq!(rows[3][0], Cell::Error("#DIV/0!".into()));
        assert_eq!(rows[6][1].display(), "Thuỷ");
    }

    /// Column A of the first sheet, as displayed.
    fn column_a(bytes: Vec<u8>) -> Vec<String> {
        let wb = read_bytes(bytes, "x.xlsx").unwrap();
        wb.sheets[0].rows.iter().map(|r| r.first().map(Cell::display).unwrap_or_default()).collect()
    }

    #[test]
    fn tcvn3_text_in_a_capital_font_reads_in_capitals() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet().set_name("Data").unwrap();
        let font = |name: &str| rust_xlsxwriter::Format::new().set_font_name(name);
        let (capitals, as_typed, arial) = (font(".VnTimeH"), font(".VnTime"), font("Arial"));
        ws.write_with_format(0, 0, "B¸o gi¸ thiÕt bÞ", &capitals).unwrap();
        ws.write_with_format(1, 0, "B¸O GI¸ THIÕT BÞ", &font(".VnArialH")).unwrap();
        ws.write_with_format(2, 0, "Tr\u{AD}êng tiÓu häc", &font(".VnTifani HeavyH")).unwrap();
        // In .VnTime the typist saw "BáO": the font is known, and it is what the cell says.
        ws.write_with_format(3, 0, "B¸O GI¸", &as_typed).unwrap();
        ws.write_with_format(4, 0, "NguyÔn ThÞ ¸nh", &as_typed).unwrap();
        // A font that is no TCVN3 font tells nothing: the cell's capitals do.
        ws.write_with_format(5, 0, "B¸O GI¸ THIÕT BÞ", &arial).unwrap();
        ws.write_with_format(6, 0, "TrÇn V¨n B×nh", &arial).unwrap();
        // Rich text: the title in .VnTimeH, the rest in .VnTime.
        ws.write_rich_string(7, 0, &[(&capitals, "B¸o c¸o "), (&as_typed, "tæng kÕt")]).unwrap();
        ws.write_with_format(8, 0, "  Tæng céng ", &capitals).unwrap();
        // Unicode and plain text in a capital font are left as they are.
        ws.write_with_format(9, 0, "Hà Nội", &capitals).unwrap();
        ws.write_with_format(10, 0, "Stt", &capitals).unwrap();
        assert_eq!(
            column_a(book.save_to_buffer().unwrap()),
            [
                "BÁO GIÁ THIẾT BỊ",
                "BÁO GIÁ THIẾT BỊ",
                "TRƯỜNG TIỂU HỌC",
                "BáO GIá",
                "Nguyễn Thị Ánh",
                "BÁO GIÁ THIẾT BỊ",
                "Trần Văn Bình",
                "BÁO CÁO tổng kết",
                "TỔNG CỘNG",
                "Hà Nội",
                "Stt",
            ]
        );
        // A tie (TCVN3 "Thuỷ" or VNI "Thủ") in a TCVN3 font is TCVN3, in a sheet of VNI.
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet().set_name("Data").unwrap();
        ws.write_with_format(0, 0, "Thuû", &as_typed).unwrap();
        ws.write(1, 0, "Thuû").unwrap();
        ws.write(2, 0, "Nguyeãn Vaên A").unwrap();
        ws.write(3, 0, "HAØ NOÄI").unwrap();
        assert_eq!(column_a(book.save_to_buffer().unwrap()), ["Thuỷ", "Thủ", "Nguyễn Văn A", "HÀ NỘI"]);
    }

    #[test]
    fn without_fonts_capitals_are_told_by_the_cells_letters() {
        // rust_xlsxwriter's default font is Calibri: nothing about TCVN3.
        let cells = [(0, "B¸O GI¸ THIÕT BÞ"), (1, "UBND TØNH KH¸NH HßA"), (2, "TrÇn V¨n B×nh"), (3, "Tæ 2")];
        assert_eq!(
            column_a(xlsx(&cells)),
            ["BÁO GIÁ THIẾT BỊ", "UBND TỈNH KHÁNH HÒA", "Trần Văn Bình", "Tổ 2"]
        );
        // A hand-written xlsx with no styles part at all, shared and inline strings.
        let data = r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>§¹I HéI §¶NG</t></is></c></row>"#;
        assert_eq!(column_a(raw_xlsx(data, &["B¸O GI¸"], false)), ["BÁO GIÁ", "ĐẠI HỘI ĐẢNG"]);
    }

    #[test]
    fn cells_in_any_order_the_later_of_two_winning() {
        let data = r#"<row r="3"><c r="B3" t="inlineStr"><is><t>ba</t></is></c></row><row r="1"><c r="A1" t="inlineStr"><is><t>ÐOÀN</t></is></c><c r="A1"><v>7</v></c></row>"#;
        let wb = read_bytes(raw_xlsx(data, &[], false), "x.xlsx").unwrap();
        let sheet = &wb.sheets[0];
        assert_eq!(sheet.rows, [vec![Cell::Number(7.0)], vec![], vec![Cell::Empty, Cell::Text("ba".into())]]);
        assert!(sheet.repairs.is_empty(), "{:?}", sheet.repairs);
    }

    #[test]
    fn a_far_cell_costs_its_own_row_not_a_rectangle() {
        let data = r#"<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>"#;
        let bytes = raw_xlsx(data, &[], true);
        assert!(bytes.len() < 2000, "{} bytes", bytes.len());
        let wb = read_bytes(bytes.clone(), "xa.xlsx").unwrap();
        let rows = &wb.sheets[0].rows;
        assert_eq!(rows.len(), 1_048_576);
        assert!(rows[..1_048_575].iter().all(Vec::is_empty));
        assert_eq!(rows[1_048_575].len(), 16_384);
        assert_eq!(rows[1_048_575][16_383], Cell::Text("x".into()));
        // It is 1,048,575 empty rows and one row of 16,384 cells.
        let limits = |max_cells| ReadLimits { max_cells, ..ReadLimits::default() };
        assert!(read_bytes_with(bytes.clone(), "xa.xlsx", &limits(1_064_959)).is_ok());
        let err = read_bytes_with(bytes, "xa.xlsx", &limits(1_064_958)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "xa.xlsx: sheet \"Data\" takes the workbook past 1,064,958 cells; raise the limit with --max-cells N"
        );
    }

    #[test]
    fn the_cell_limit_holds_for_the_whole_workbook() {
        let row: String = (1..=10)
            .map(|r| format!(r#"<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="C{r}"><v>1</v></c></row>"#))
            .collect();
        let limits = ReadLimits { max_cells: 29, ..ReadLimits::default() };
        let err = read_bytes_with(raw_xlsx(&row, &[], false), "x.xlsx", &limits).unwrap_err();
        assert!(matches!(err, ReadError::TooManyCells { max: 29, .. }), "{err}");
        let limits = ReadLimits { max_cells: 30, ..ReadLimits::default() };
        assert_eq!(
            read_bytes_with(raw_xlsx(&row, &[], false), "x.xlsx", &limits).unwrap().sheets[0].rows.len(),
            10
        );
    }

    #[test]
    fn a_shared_string_is_counted_for_every_cell_that_holds_it() {
        let long = "a".repeat(1000);
        let cells: String =
            (1..=100).map(|r| format!(r#"<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>"#)).collect();
        let bytes = raw_xlsx(&cells, &[&long], true);
        assert_eq!(read_bytes(bytes.clone(), "x.xlsx").unwrap().sheets[0].rows.len(), 100);
        let limits = ReadLimits { max_unpacked_bytes: 50_000, ..ReadLimits::default() };
        let err = read_bytes_with(bytes, "x.xlsx", &limits).unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.xlsx: the text in sheet \"Data\" takes the workbook past 1 MiB; raise the limit with --max-unpacked-mb N"
        );
    }

    #[test]
    fn the_inflated_size_is_measured_not_taken_from_the_directory() {
        // 4 MiB of empty rows deflate to a few KiB.
        let rows = "<row/>".repeat(700_000);
        let bytes = raw_xlsx(&rows, &[], true);
        assert!(bytes.len() < 64 * 1024, "{} bytes", bytes.len());
        assert_eq!(
            unpacked_size(&bytes, u64::MAX).0 as usize,
            rows.len() + unpacked_size(&raw_xlsx("", &[], true), u64::MAX).0 as usize
        );
        let limits = ReadLimits { max_unpacked_bytes: 2 * MIB, ..ReadLimits::default() };
        let err = read_bytes_with(bytes.clone(), "bom.xlsx", &limits).unwrap_err();
        assert_eq!(
            err.to_string(),
            "bom.xlsx unpacks to more than 2 MiB, which may be a zip bomb; raise the limit with --max-unpacked-mb N"
        );
        // Inflating stops one byte past the limit; nothing is kept.
        assert_eq!(unpacked_size(&bytes, 2 * MIB), (2 * MIB + 1, None));
        // A directory that claims every entry is one byte gets no further: zip 9 stops an
        // entry at its declared size, and the file is refused as damaged.
        let mut lying = bytes.clone();
        let mut at = 0;
        while let Some(i) = lying[at..].windows(4).position(|w| w == [0x50, 0x4b, 0x01, 0x02]) {
            lying[at + i + 24..at + i + 28].copy_from_slice(&1u32.to_le_bytes());
            at += i + 4;
        }
        assert_eq!(zip_entries(&lying).unwrap().iter().map(|(_, s)| s).sum::<u64>(), 6);
        assert!(unpacked_size(&lying, u64::MAX).0 <= 6);
        assert!(matches!(read_bytes_with(lying, "bom.xlsx", &limits), Err(ReadError::Damaged { .. })));
        assert!(read_bytes(bytes, "bom.xlsx").is_ok());
    }

    #[test]
    fn a_text_longer_than_any_cell_is_refused_before_it_is_read() {
        let cell = |n: usize| {
            format!(r#"<row r="1"><c r="A1" t="inlineStr"><is><t>{}</t></is></c></row>"#, "a".repeat(n))
        };
        let wb = read_bytes(raw_xlsx(&cell(32_767 * 3), &[], true), "x.xlsx").unwrap();
        assert_eq!(wb.sheets[0].rows[0][0].display().len(), 98_301);
        let err = read_bytes(raw_xlsx(&cell(4 << 20 | 1), &[], true), "dai.xlsx").unwrap_err();
        assert_eq!(
            err.to_string(),
            "dai.xlsx: xl/worksheets/sheet1.xml has more than 4 MiB of text in one piece, more than any cell can hold (Excel's limit is 32,767 characters)"
        );
        // Across the writer's chunks, and in a tag as well as in a text.
        let mut sink = Counted::default();
        for chunk in [&b"<a>"[..], &[b'x'; 3000], &[b'x'; 3000], b"<b c='", &[b'y'; 7000], b"'/>"] {
            std::io::Write::write(&mut sink, chunk).unwrap();
        }
        assert_eq!((sink.xml, sink.longest), (Some(true), 7007));
    }

    /// An ods workbook of one sheet "Data" with this table content.
    fn ods(rows: &str) -> Vec<u8> {
        use std::io::Write;
        let content = format!(
            r#"<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="Data">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
        );
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored =
            zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        zip.start_file("mimetype", stored).unwrap();
        zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
        zip.start_file("META-INF/manifest.xml", stored).unwrap();
        zip.write_all(br#"<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).unwrap();
        zip.start_file("content.xml", zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn an_ods_rectangle_is_measured_before_calamine_builds_it() {
        let value = r#"<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>"#;
        let small = ods(&format!("<table:table-row>{value}{value}</table:table-row>"));
        let wb = read_bytes(small, "x.ods").unwrap();
        assert_eq!(wb.sheets[0].rows, [vec![Cell::Number(1.0), Cell::Number(1.0)]]);
        // A value in A1 and one at XFD1048576, with the whole sheet written out between:
        // calamine would fill a rectangle of 17 billion cells.
        let far = ods(&format!(
            r#"<table:table-row>{value}</table:table-row><table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="16384"/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="16383"/>{value}</table:table-row>"#
        ));
        assert!(far.len() < 2000);
        let err = read_bytes(far, "xa.ods").unwrap_err();
        assert_eq!(
            err.to_string(),
            "xa.ods: sheet \"Data\" takes the workbook past 2,000,000 cells; raise the limit with --max-cells N"
        );
        // One row of values repeated: its cells are written out once per repeat.
        let repeated = ods(
            r#"<table:table-row table:number-rows-repeated="1000"><table:table-cell table:number-columns-repeated="3000" office:value-type="float" office:value="1"/></table:table-row>"#,
        );
        assert_eq!(
            ods_rectangles(&repeated, 0, u64::MAX),
            Some(("Data".to_string(), Limit::Cells(0), 3_000_000))
        );
        assert!(matches!(read_bytes(repeated, "x.ods"), Err(ReadError::TooManyCells { .. })));
        // A long text repeated across a row, and the row repeated: calamine would write the
        // text out 16,384 × 100 times (6.5 GB).
        let text = format!(
            r#"<table:table-row table:number-rows-repeated="100"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>{}</text:p></table:table-cell></table:table-row>"#,
            "a".repeat(4000)
        );
        let wb = ods(&text);
        assert!(matches!(ods_rectangles(&wb, u64::MAX, 256 * MIB), Some((_, Limit::Text(_), _))));
        let err = read_bytes_with(wb, "x.ods", &ReadLimits { max_cells: u64::MAX, ..ReadLimits::default() });
        assert_eq!(
            err.unwrap_err().to_string(),
            "x.ods: the text in sheet \"Data\" takes the workbook past 256 MiB; raise the limit with --max-unpacked-mb N"
        );
    }

    /// An xls workbook (BIFF8 in a version 3 compound file) of one sheet "Data": a
    /// DIMENSIONS record (rows first..last+1, columns first..last+1) and NUMBER cells.
    fn xls(dimensions: (u32, u32, u16, u16), numbers: &[(u16, u16, f64)]) -> Vec<u8> {
        let cells: Vec<u8> = numbers
            .iter()
            .flat_map(|(r, c, x)| {
                biff(0x0203, &[&r.to_le_bytes()[..], &c.to_le_bytes(), &[0, 0], &x.to_le_bytes()].concat())
            })
            .collect();
        xls_of(&[], dimensions, &cells)
    }

    /// One BIFF record.
    fn biff(typ: u16, data: &[u8]) -> Vec<u8> {
        [&typ.to_le_bytes()[..], &(data.len() as u16).to_le_bytes(), data].concat()
    }

    /// An xls workbook of one sheet "Data": `globals` records after the first BOF, a
    /// DIMENSIONS record, then `cells` (records already made).
    fn xls_of(globals: &[u8], dimensions: (u32, u32, u16, u16), cells: &[u8]) -> Vec<u8> {
        let record = biff;
        let bof =
            |dt: u16| record(0x0809, &[&0x0600u16.to_le_bytes()[..], &dt.to_le_bytes(), &[0; 12]].concat());
        // The globals: BOF, a filler that keeps the stream out of the mini stream, the sheet.
        let filler = record(0x1234, &[0; 4200]);
        let name = b"Data";
        let boundsheet_len = 4 + 8 + name.len();
        let sheet_at = bof(5).len() + globals.len() + filler.len() + boundsheet_len + 4;
        let boundsheet = record(
            0x0085,
            &[&(sheet_at as u32).to_le_bytes()[..], &[0, 0, name.len() as u8, 0], name].concat(),
        );
        let mut stream = [bof(5), globals.to_vec(), filler, boundsheet, record(0x000A, &[])].concat();
        assert_eq!(stream.len(), sheet_at);
        let (rf, rl, cf, cl) = dimensions;
        stream.extend(bof(0x10));
        stream.extend(record(
            0x0200,
            &[&rf.to_le_bytes()[..], &rl.to_le_bytes(), &cf.to_le_bytes(), &cl.to_le_bytes(), &[0, 0]]
                .concat(),
        ));
        stream.extend(cells);
        stream.extend(record(0x000A, &[]));
        // The compound file: header, FAT (sector 0), directory (sector 1), the stream.
        let sectors = stream.len().div_ceil(512);
        let mut header = vec![0u8; 512];
        header[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
        let mut put = |at: usize, b: &[u8]| header[at..at + b.len()].copy_from_slice(b);
        put(0x18, &0x3Eu16.to_le_bytes());
        put(0x1A, &3u16.to_le_bytes());
        put(0x1C, &0xFFFEu16.to_le_bytes());
        put(0x1E, &9u16.to_le_bytes());
        put(0x20, &6u16.to_le_bytes());
        put(0x2C, &1u32.to_le_bytes());
        put(0x30, &1u32.to_le_bytes());
        put(0x38, &4096u32.to_le_bytes());
        put(0x3C, &0xFFFF_FFFEu32.to_le_bytes());
        put(0x44, &0xFFFF_FFFEu32.to_le_bytes());
        put(0x4C, &0u32.to_le_bytes());
        for i in 1..109 {
            put(0x4C + 4 * i, &0xFFFF_FFFFu32.to_le_bytes());
        }
        let mut fat = vec![0xFFFF_FFFDu32, 0xFFFF_FFFE];
        fat.extend((3..sectors as u32 + 2).chain([0xFFFF_FFFE]));
        fat.resize(128, 0xFFFF_FFFF);
        let entry = |name: &str, typ: u8, child: u32, start: u32, size: u32| {
            let mut e = vec![0u8; 128];
            let units: Vec<u8> = name.encode_utf16().chain([0]).flat_map(u16::to_le_bytes).collect();
            e[..units.len()].copy_from_slice(&units);
            e[0x40..0x42].copy_from_slice(&(units.len() as u16).to_le_bytes());
            e[0x42] = typ;
            e[0x43] = 1;
            e[0x44..0x48].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
            e[0x48..0x4C].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
            e[0x4C..0x50].copy_from_slice(&child.to_le_bytes());
            e[0x74..0x78].copy_from_slice(&start.to_le_bytes());
            e[0x78..0x7C].copy_from_slice(&size.to_le_bytes());
            e
        };
        let mut directory = [
            entry("Root Entry", 5, 1, 0xFFFF_FFFE, 0),
            entry("Workbook", 2, 0xFFFF_FFFF, 2, stream.len() as u32),
        ]
        .concat();
        directory.resize(512, 0);
        stream.resize(sectors * 512, 0);
        [header, fat.iter().flat_map(|x| x.to_le_bytes()).collect(), directory, stream].concat()
    }

    #[test]
    fn an_xls_rectangle_is_measured_before_calamine_builds_it() {
        let wb = read_bytes(xls((0, 2, 0, 2), &[(0, 0, 1.0), (1, 1, 2.5)]), "x.xls").unwrap();
        assert_eq!(wb.sheets[0].name, "Data");
        assert_eq!(wb.sheets[0].rows, [vec![Cell::Number(1.0)], vec![Cell::Empty, Cell::Number(2.5)]]);
        // A1 and IV65536: 16,777,216 cells in calamine's rectangle.
        let far = xls((0, 65536, 0, 256), &[(0, 0, 1.0), (65535, 255, 2.0)]);
        assert_eq!(xls_rectangles(&far, 0), Some(("Data".to_string(), Limit::Cells(0), 16_777_216)));
        let err = read_bytes(far.clone(), "xa.xls").unwrap_err();
        assert_eq!(
            err.to_string(),
            "xa.xls: sheet \"Data\" takes the workbook past 2,000,000 cells; raise the limit with --max-cells N"
        );
        // One far cell alone is a rectangle of one, and reads: a sparse sheet is still a sheet.
        let alone = read_bytes(xls((65535, 65536, 255, 256), &[(65535, 255, 2.0)]), "x.xls").unwrap();
        assert_eq!(alone.sheets[0].rows.len(), 65_536);
        // DIMENSIONS that declare 4 billion rows would have calamine reserve them all.
        // The same cell given 3,000 times is 3,000 cells until calamine builds the rectangle.
        let again: Vec<_> = (0..3000).map(|_| (0, 0, 1.0)).collect();
        assert_eq!(
            xls_rectangles(&xls((0, 1, 0, 1), &again), 2999),
            Some(("Data".to_string(), Limit::Cells(2999), 3000))
        );
        let declared = xls((0, u32::MAX, 0, 256), &[(0, 0, 1.0)]);
        assert!(matches!(read_bytes(declared, "x.xls"), Err(ReadError::TooManyCells { .. })));
    }

    #[test]
    fn an_xls_cell_in_a_capital_tcvn3_font_reads_in_capitals() {
        // FONT records: 0 Arial, 1 .VnTimeH, 2 .VnTime (a BIFF8 short string at offset 14).
        let font = |name: &str| {
            let units: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
            biff(0x0031, &[&[0u8; 14][..], &[name.len() as u8, 1], &units].concat())
        };
        // XF records 0, 1, 2 with those fonts.
        let xf = |font: u16| biff(0x00E0, &[&font.to_le_bytes()[..], &[0; 18]].concat());
        let globals = [font("Arial"), font(".VnTimeH"), font(".VnTime"), xf(0), xf(1), xf(2)].concat();
        // LABEL cells (UTF-16 strings) in column A, with their XF.
        let label = |row: u16, xf: u16, text: &str| {
            let units: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
            let len = text.encode_utf16().count() as u16;
            let head =
                [&row.to_le_bytes()[..], &0u16.to_le_bytes(), &xf.to_le_bytes(), &len.to_le_bytes(), &[1]];
            biff(0x0204, &[&head.concat()[..], &units].concat())
        };
        let cells = [
            label(0, 1, "B¸o gi¸ thiÕt bÞ"),
            label(1, 2, "B¸O GI¸"),
            label(2, 0, "B¸O GI¸"),
            label(3, 0, "TrÇn V¨n B×nh"),
        ]
        .concat();
        let bytes = xls_of(&globals, (0, 4, 0, 1), &cells);
        let fonts = xls_fonts(&bytes);
        assert_eq!(fonts.len(), 1);
        assert_eq!(fonts[0].0, "Data");
        assert_eq!(fonts[0].1.get(&(0, 0)), Some(&Case::Capitals));
        assert_eq!(fonts[0].1.get(&(1, 0)), Some(&Case::AsTyped));
        assert_eq!(fonts[0].1.get(&(2, 0)), None);
        let wb = read_bytes(bytes, "x.xls").unwrap();
        let texts: Vec<String> = wb.sheets[0].rows.iter().map(|r| r[0].display()).collect();
        assert_eq!(texts, ["BÁO GIÁ THIẾT BỊ", "BáO GIá", "BÁO GIÁ", "Trần Văn Bình"]);
    }

    #[test]
    fn column_and_cell_names() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(27), "AB");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
        assert_eq!(cell_name(6, 3), "D7");
    }

    #[test]
    fn sniffs_by_content() {
        assert_eq!(sniff(b"%PDF-1.7 ..."), Err("a PDF file".to_string()));
        assert_eq!(sniff(b"STT,Don vi\n1,Nha Trang\n"), Err("plain text".to_string()));
        assert_eq!(sniff(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]), Ok(Format::Xls));
        assert_eq!(sniff(b"<!DOCTYPE html><html>"), Err("an HTML page".to_string()));
        assert!(sniff(b"PK\x03\x04garbage").is_err());
        // "ệ" is three bytes; cut after its first two, the text is still text.
        let mut text = "a".repeat(4094).into_bytes();
        text.extend("ệ".as_bytes());
        assert_eq!(sniff(&text), Err("plain text".to_string()));
    }

    #[test]
    fn refuses_non_workbooks_with_one_sentence() {
        let err = read_bytes(b"hello".to_vec(), "notes.xlsx").unwrap_err();
        assert_eq!(
            err.to_string(),
            "notes.xlsx is not a workbook (plain text); expected xlsx, xlsm, xlsb, xls or ods"
        );
        let err = read_bytes(Vec::new(), "empty.xlsx").unwrap_err();
        assert_eq!(err.to_string(), "empty.xlsx is empty (0 bytes), not a workbook");
    }

    #[test]
    fn cleaning_converts_legacy_text_and_records_every_repair() {
        let mut repairs = Vec::new();
        assert_eq!(clean_cell(" NguyÔn Thanh Hµ ", 3, 1, &mut repairs), "Nguyễn Thanh Hà");
        assert_eq!(clean_cell("Xin chaøo", 4, 1, &mut repairs), "Xin chào");
        assert_eq!(clean_cell("Giá 5 µg, © 2023 Sở Y tế", 5, 1, &mut repairs), "Giá 5 µg, © 2023 Sở Y tế");
        assert_eq!(clean_cell("ÐOÀN", 6, 2, &mut repairs), "ĐOÀN");
        // Found by the property test: U+0387 becomes "·" (U+00B7) under NFC, and cleaning
        // twice must give what cleaning once gave.
        for raw in ["B\u{0387}", "b\u{00A4}", "Î ¡K ð"] {
            let once = clean_cell(raw, 8, 0, &mut Vec::new());
            assert_eq!(clean_cell(&once, 8, 0, &mut Vec::new()), once, "{raw:?}");
        }
        let nfd: String = unicode_normalization::UnicodeNormalization::nfd("Hòa").collect();
        assert_eq!(clean_cell(&nfd, 7, 2, &mut repairs), "Hòa");
        let kinds: Vec<(usize, RepairKind)> = repairs.iter().map(|r| (r.row, r.what)).collect();
        assert_eq!(
            kinds,
            [
                (3, RepairKind::Legacy("TCVN3")),
                (4, RepairKind::Legacy("VNI")),
                (6, RepairKind::Eth),
                (7, RepairKind::Normalized)
            ]
        );
    }

    #[test]
    fn cell_display() {
        assert_eq!(Cell::Number(2425.0).display(), "2425");
        assert_eq!(Cell::Number(74.78).display(), "74.78");
        assert_eq!(Cell::Date(NaiveDate::from_ymd_opt(2024, 1, 9).unwrap()).display(), "09/01/2024");
        assert!(Cell::Text(String::new()).is_empty());
    }
}
