//! Stage 1, read: a workbook's bytes become sheets of typed cells that know their address.
//!
//! The format is decided by the bytes, never by the file name: offices often save an xlsx
//! under an .xls name. Text is cleaned on the way in (NFC, "Ð" → "Đ", trimmed).

use crate::legacy::{Decision, Legacy};
use crate::vi;
use calamine::{Data, Reader, SheetVisible};
use chrono::NaiveDate;
use std::fmt;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

/// Largest workbook file read, and largest total size its zip container may expand to;
/// anything bigger is refused before it is decompressed.
const MAX_FILE_BYTES: u64 = 200 * 1024 * 1024;
const MAX_UNPACKED_BYTES: u64 = 1024 * 1024 * 1024;

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
    /// The zip container would expand to more than the reader accepts.
    #[error("{source_name} would unpack to more than {} MiB; refusing it as a possible zip bomb", max / (1024 * 1024))]
    ZipBomb {
        /// The file.
        source_name: String,
        /// The limit.
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

/// Reads the workbook at `path`.
pub fn read_path(path: &Path) -> Result<Workbook, ReadError> {
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
    read_bytes(bytes, &name)
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

/// Reads a workbook from its bytes; `source_name` names it in messages.
pub fn read_bytes(bytes: Vec<u8>, source_name: &str) -> Result<Workbook, ReadError> {
    let name = source_name.to_string();
    if bytes.is_empty() {
        return Err(ReadError::Empty { source_name: name });
    }
    let format = sniff(&bytes).map_err(|what| ReadError::NotAWorkbook { source_name: name.clone(), what })?;
    if matches!(format, Format::Xlsx | Format::Xlsb | Format::Ods) {
        // Sizes come from our own reading of the directory; if it cannot be read the sizes are
        // unknown, and the file is refused rather than handed to the unpacker unchecked.
        let entries = zip_entries(&bytes).map_err(|message| ReadError::Damaged {
            source_name: name.clone(),
            format,
            message: message.to_string(),
        })?;
        let total: u64 = entries.iter().map(|(_, s)| *s).sum();
        if total > MAX_UNPACKED_BYTES || entries.iter().any(|(_, s)| *s == u32::MAX as u64) {
            return Err(ReadError::ZipBomb { source_name: name, max: MAX_UNPACKED_BYTES });
        }
    }
    // A reader that panics on malformed bytes (seen: an overflow in calamine's cell-reference
    // parser) must not take the program down: the file is reported as damaged instead.
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_sheets(bytes, &name, format)));
    read.unwrap_or_else(|_| {
        Err(ReadError::Damaged {
            source_name: name.clone(),
            format,
            message: "the reader stopped on malformed data".into(),
        })
    })
}

/// Whether a panic happened inside the workbook reader's own dependency (calamine), where
/// [`read_bytes`] catches it and reports the file as damaged: a panic hook can stay quiet
/// about it (the CLI) or let it pass (the fuzz targets).
pub fn caught_by_reader(info: &std::panic::PanicHookInfo<'_>) -> bool {
    info.location().is_some_and(|l| l.file().contains("/calamine-"))
}

/// Reads the sheets of bytes already known to be `format`.
fn read_sheets(bytes: Vec<u8>, source_name: &str, format: Format) -> Result<Workbook, ReadError> {
    let name = source_name.to_string();
    let damaged = |message: String| ReadError::Damaged {
        source_name: name.clone(),
        format,
        message: one_line(&message),
    };
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
    let mut out = Vec::with_capacity(meta.len());
    for (sheet_name, hidden) in meta {
        let range = sheets.worksheet_range(&sheet_name).map_err(|e| ReadError::Sheet {
            source_name: name.clone(),
            sheet: sheet_name.clone(),
            message: one_line(&e.to_string()),
        })?;
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
        let (rows, repairs) = grid(&range);
        out.push(Sheet { name: vi::clean_text(&sheet_name), hidden, rows, merges, repairs });
    }
    Ok(Workbook { source: name, sheets: out })
}

/// A reader's message on one line: it may quote the damaged bytes, line breaks included.
fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Turns a calamine range (which may start anywhere) into rows from A1, trailing empty rows
/// and cells dropped, with the repairs made to text cells.
fn grid(range: &calamine::Range<Data>) -> (Vec<Vec<Cell>>, Vec<Repair>) {
    let Some((r0, c0)) = range.start() else {
        return (Vec::new(), Vec::new());
    };
    let mut repairs = Vec::new();
    let mut readings = Vec::new();
    let mut rows: Vec<Vec<Cell>> = vec![Vec::new(); r0 as usize];
    for (i, row) in range.rows().enumerate() {
        let r = r0 as usize + i;
        let mut cells: Vec<Cell> = vec![Cell::Empty; c0 as usize];
        for (j, data) in row.iter().enumerate() {
            cells.push(convert(data, r, c0 as usize + j, &mut repairs, &mut readings));
        }
        while cells.last().is_some_and(Cell::is_empty) {
            cells.pop();
        }
        rows.push(cells);
    }
    while rows.last().is_some_and(|r| r.is_empty()) {
        rows.pop();
    }
    // A cell readable in both legacy encodings was read as TCVN3; in a sheet whose other
    // cells are surely VNI it is read again as VNI. Ties are rare: the rest is read once.
    if crate::legacy::majority(readings.iter().map(|(_, _, d)| *d)) == Legacy::Vni {
        for &(r, c, _) in readings.iter().filter(|(_, _, d)| *d == Decision::Tie) {
            let Some(Data::String(raw)) = range.get_value((r as u32, c as u32)) else { continue };
            repairs.retain(|x| (x.row, x.col) != (r, c));
            rows[r][c] = Cell::Text(clean(raw, r, c, Legacy::Vni, &mut repairs).0);
        }
        repairs.sort_by_key(|x| (x.row, x.col));
    }
    (rows, repairs)
}

/// Cleans one text cell: trimmed; NFC; legacy TCVN3/VNI converted (checked before the "Ð"
/// repair: their bytes include "Ð"); "Ð" repaired. Each change is recorded in `repairs`.
pub fn clean_cell(raw: &str, row: usize, col: usize, repairs: &mut Vec<Repair>) -> String {
    clean(raw, row, col, Legacy::Tcvn3, repairs).0
}

/// [`clean_cell`] with a cell readable in both legacy encodings taken to be in `tie`; also
/// how the text read, so that the sheet can count its legacy cells.
fn clean(raw: &str, row: usize, col: usize, tie: Legacy, repairs: &mut Vec<Repair>) -> (String, Decision) {
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
    let decision = crate::legacy::decide(&nfc);
    if let Some((enc, fixed)) = crate::legacy::repair_decided(&nfc, decision, tie) {
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

/// One cell; a text cell's legacy reading, when it has one, is added to `readings`.
fn convert(
    data: &Data,
    row: usize,
    col: usize,
    repairs: &mut Vec<Repair>,
    readings: &mut Vec<(usize, usize, Decision)>,
) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) => {
            let (s, decision) = clean(s, row, col, Legacy::Tcvn3, repairs);
            if decision != Decision::Unicode {
                readings.push((row, col, decision));
            }
            if s.is_empty() { Cell::Empty } else { Cell::Text(s) }
        }
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(dt) => Cell::Date(dt.date()),
            None => Cell::Number(dt.as_f64()),
        },
        Data::DateTimeIso(s) => match vi::parse_date(s.get(..10).unwrap_or(s)) {
            Some(d) => Cell::Date(d),
            None => Cell::Text(vi::clean_text(s)),
        },
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
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

    #[test]
    fn a_cell_readable_in_both_legacy_encodings_follows_its_sheet() {
        let sheet = |cells: &[&str]| {
            let mut range = calamine::Range::new((0, 0), (cells.len() as u32 - 1, 0));
            for (r, s) in cells.iter().enumerate() {
                range.set_value((r as u32, 0), Data::String(s.to_string()));
            }
            grid(&range).0.into_iter().map(|row| row[0].display()).collect::<Vec<_>>()
        };
        assert_eq!(sheet(&["Nguyeãn Vaên A", "HAØ NOÄI", "Thuû"]), ["Nguyễn Văn A", "HÀ NỘI", "Thủ"]);
        assert_eq!(sheet(&["NguyÔn Thanh Hµ", "Thuû"]), ["Nguyễn Thanh Hà", "Thuỷ"]);
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
