//! `vanban inspect`: what the reader and the table detection made of a workbook, sheet by
//! sheet: its size, the header row(s) found and why, each column's label and inferred type
//! with examples, the rows taken as data and those set aside (with their row numbers), the
//! formula errors and every repair made on the way in.
//!
//! [`inspect`] only computes; [`Inspection`] prints as text in English or Vietnamese
//! ([`Inspection::text`]; `Display` is English) or as JSON (`Serialize`, English texts). What
//! it found (why the header is there, notes on columns, repairs) is data whose text comes from
//! [`crate::messages`].
//! Everything is one pass over each sheet, so a sheet of 100,000 rows takes well under a
//! second: examples are capped, row lists are compressed into ranges, and only text that
//! looks like a number is parsed.

use crate::bind::{NumberStyle, number_style, parse_decimal, parse_int};
use crate::messages::{self, Lang};
use crate::table::{self, HeaderWhy, Layout, RowKind};
use crate::vi;
use crate::workbook::{Cell, RepairKind, Sheet, Workbook, cell_name, column_name};
use serde::{Serialize, Serializer};
use std::fmt::{self, Write as _};

/// Examples kept per column.
const EXAMPLES: usize = 3;
/// Cell addresses kept per repair kind.
const FIRST_CELLS: usize = 5;
/// Formula errors printed per column (or outside the table) in the text report.
const TEXT_ERRORS: usize = 5;
/// Row ranges printed per line in the text report.
const TEXT_RANGES: usize = 12;
/// Characters of an example printed in the text report.
const EXAMPLE_CHARS: usize = 40;
/// Characters of a label printed in the text report.
const LABEL_CHARS: usize = 40;
/// How many warnings the text report lists before "… and N more".
const TEXT_WARNINGS: usize = 5;

/// Share of a column's filled cells (in percent) a type must cover.
const COVER_PERCENT: usize = 95;

/// What `vanban inspect` reports about a workbook.
#[derive(Debug, Clone, Serialize)]
pub struct Inspection {
    /// Where the workbook came from.
    pub source: String,
    /// One report per sheet, in workbook order.
    pub sheets: Vec<SheetReport>,
}

/// What was found in one sheet. Rows are numbered from 1 and columns by letter, as in Excel.
#[derive(Debug, Clone, Serialize)]
pub struct SheetReport {
    /// The sheet's name.
    pub name: String,
    /// Whether the sheet is hidden in the workbook.
    pub hidden: bool,
    /// Rows, up to the last one with a value.
    pub row_count: usize,
    /// Columns of the widest row.
    pub column_count: usize,
    /// How many merged ranges the sheet has.
    pub merged_ranges: usize,
    /// The header rows (1-based): none, one or two.
    pub header_rows: Vec<usize>,
    /// Why the header was taken to be there (or why none was found); its English text in JSON.
    #[serde(serialize_with = "english")]
    pub header_why: HeaderWhy,
    /// The table's columns, left to right: every column of the header, and every other column
    /// with a value (or a formula error) in a data row, unlabelled.
    pub columns: Vec<ColumnReport>,
    /// The rows taken as data.
    pub data_rows: Rows,
    /// How many rows inside the sheet are empty.
    pub empty_rows: usize,
    /// The non-empty rows that are neither header nor data, grouped by kind.
    pub set_aside: Vec<SetAside>,
    /// Formula errors outside the data rows (above the header, in set-aside rows), as
    /// "D7 #REF!"; those in data rows are listed under their column.
    pub formula_errors_elsewhere: Vec<String>,
    /// Every repair made to the sheet's cells, grouped by kind.
    pub repairs: Vec<RepairGroup>,
    /// Totals typed in total rows that the rows above them do not add up to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<crate::problem::Problem>,
    /// For a key/value sheet (column A names an item, column B holds its value, as the
    /// "Thông tin" sheet of a report): its items, in order. Such a sheet has no table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<Item>>,
}

/// One item of a key/value sheet.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// The row of its label (1-based).
    pub row: usize,
    /// Its label, from column A.
    pub key: String,
    /// Its values from column B: one per row, the rows under it with column A empty
    /// continuing it (the lines of "Nơi nhận").
    pub values: Vec<String>,
}

/// One column of the table.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnReport {
    /// Its letter: "A", "AB".
    pub column: String,
    /// Its header label ("Giá đề nghị / Đơn giá" under a group); empty when it has none.
    pub label: String,
    /// The type its data cells hold.
    #[serde(rename = "type")]
    pub ty: ColumnType,
    /// What else to know about the values: text numbers, their grouping, odd values. In
    /// JSON, `note`: their English text joined by "; ", or null.
    #[serde(rename = "note", serialize_with = "notes_in_english")]
    pub notes: Vec<ColumnNote>,
    /// Up to three distinct values from the data rows, as the cells show them.
    pub examples: Vec<String>,
    /// Data cells with a value (formula errors not counted).
    pub filled: usize,
    /// Text cells read as numbers (only in a numeric column).
    pub text_numbers: usize,
    /// Every formula error in the column's data rows, as "D7 #REF!".
    pub errors: Vec<String>,
}

impl ColumnReport {
    /// The notes as one text in `lang` ("2 text numbers parsed; English grouping (\"250,000\")").
    pub fn note(&self, lang: Lang) -> Option<String> {
        let notes: Vec<String> = self.notes.iter().map(|n| messages::column_note(n, lang)).collect();
        (!notes.is_empty()).then(|| notes.join("; "))
    }
}

/// Something to know about a column's values; its text comes from [`messages::column_note`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnNote {
    /// In a column of codes, `count` cells are numbers, `lost_zeros` of them shorter than the
    /// codes typed as text.
    StoredAsNumbers {
        /// Number cells.
        count: usize,
        /// Those that lost their leading zeros.
        lost_zeros: usize,
    },
    /// In a column of dates, `count` cells are text (dd/mm/yyyy).
    TypedAsText {
        /// Text cells.
        count: usize,
    },
    /// `count` text cells were read as numbers.
    TextNumbersParsed {
        /// Text numbers.
        count: usize,
    },
    /// The text numbers are written both the English and the Vietnamese way.
    MixedStyles {
        /// Text numbers written the English way.
        english: usize,
        /// The first of them.
        english_example: String,
        /// Text numbers written the Vietnamese way.
        vietnamese: usize,
        /// The first of them.
        vietnamese_example: String,
    },
    /// The text numbers group thousands with commas ("250,000").
    EnglishGrouping {
        /// The first of them.
        example: String,
    },
    /// The text numbers have a decimal point ("14.5").
    EnglishPoint {
        /// The first of them.
        example: String,
    },
    /// `count` filled cells are not of the column's type.
    NotOfType {
        /// How many.
        count: usize,
        /// The column's type.
        what: NotOfType,
        /// The first of them, cut to one short line.
        example: Option<String>,
    },
}

/// The type odd cells are not (see [`ColumnNote::NotOfType`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotOfType {
    /// A number.
    Number,
    /// A percentage.
    Percentage,
    /// A date.
    Date,
    /// A code.
    Code,
}

/// A value's English text, for JSON.
fn english<T: fmt::Display, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(value)
}

/// A column's notes as JSON: their English text, or null.
fn notes_in_english<S: Serializer>(notes: &[ColumnNote], s: S) -> Result<S::Ok, S::Error> {
    let text: Vec<String> = notes.iter().map(|n| messages::column_note(n, Lang::En)).collect();
    if text.is_empty() { s.serialize_none() } else { s.serialize_some(&text.join("; ")) }
}

/// The type inferred for a column from its data cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// No data cell has a value.
    Empty,
    /// Whole numbers (text such as "2.425" included).
    Integer,
    /// Numbers with decimals.
    Decimal,
    /// Percentages: text ending in "%", or fractions under a "%" label.
    Percent,
    /// Dates (date cells or dd/mm/yyyy text).
    Date,
    /// Text.
    Text,
    /// Codes: digits with leading zeros ("01", "00001", "01.0001"); text, never a number.
    Code,
    /// TRUE / FALSE cells.
    Boolean,
    /// No type covers 95% of the filled cells.
    Mixed {
        /// Text cells (text numbers and dates not counted).
        text: usize,
        /// Numbers, as numbers or as text.
        numbers: usize,
        /// Dates, as dates or as text.
        dates: usize,
        /// Booleans.
        booleans: usize,
    },
}

impl fmt::Display for ColumnType {
    /// The English name: "integer", "mixed (14 text, 6 numbers)".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&messages::column_type(self, Lang::En))
    }
}

impl Serialize for ColumnType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A set of rows: how many, and their 1-based numbers compressed into ranges ("8-19, 21").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Rows {
    /// How many rows.
    pub count: usize,
    /// The rows as ranges: "3-5, 9".
    pub ranges: String,
}

/// The rows of one kind that were set aside.
#[derive(Debug, Clone, Serialize)]
pub struct SetAside {
    /// The kind ("title", "section", "total" …).
    pub kind: RowKind,
    /// Why rows of this kind are not data.
    pub reason: String,
    /// The rows.
    #[serde(flatten)]
    pub rows: Rows,
}

/// The repairs of one kind.
#[derive(Debug, Clone, Serialize)]
pub struct RepairGroup {
    /// What was done; in JSON `kind` ("legacy-encoding", "normalized", "eth" or
    /// "text-number") and `description` (English: "TCVN3 text converted to Unicode").
    #[serde(flatten)]
    pub what: Repaired,
    /// How many cells.
    pub count: usize,
    /// The first few cells repaired ("B5").
    pub first_cells: Vec<String>,
}

/// A kind of repair: one the reader made to a cell, or text read as a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repaired {
    /// The reader's repair of a cell's text.
    Cell(RepairKind),
    /// Text that reads as a number, in a numeric column.
    TextNumber,
}

impl Repaired {
    /// Its name in JSON: "legacy-encoding", "normalized", "eth" or "text-number".
    pub fn kind(self) -> &'static str {
        match self {
            Repaired::Cell(RepairKind::Normalized) => "normalized",
            Repaired::Cell(RepairKind::Eth) => "eth",
            Repaired::Cell(RepairKind::Legacy(_)) => "legacy-encoding",
            Repaired::TextNumber => "text-number",
        }
    }
}

impl Serialize for Repaired {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("kind", self.kind())?;
        map.serialize_entry("description", &messages::repair(*self, Lang::En))?;
        map.end()
    }
}

/// Inspects every sheet of `wb`, each with the layout the table detection finds.
pub fn inspect(wb: &Workbook) -> Inspection {
    Inspection {
        source: wb.source.clone(),
        sheets: wb
            .sheets
            .iter()
            .map(|s| match key_items(s) {
                Some(items) => inspect_keys(s, items),
                None => inspect_sheet(s, &table::detect(s)),
            })
            .collect(),
    }
}

/// The most rows a key/value sheet has; a longer two-column sheet is a list.
const KEY_SHEET_ROWS: usize = 100;

/// The items of `sheet` when it is a key/value sheet: values only in columns A and B, a
/// text label in column A on at least two rows, no label twice, no number in column A, and
/// at most [`KEY_SHEET_ROWS`] rows. A first row "Mục | Giá trị" is a header, not an item.
fn key_items(sheet: &Sheet) -> Option<Vec<Item>> {
    if sheet.rows.len() > KEY_SHEET_ROWS
        || sheet.rows.iter().any(|row| row.iter().skip(2).any(|c| !c.is_empty()))
    {
        return None;
    }
    let mut items: Vec<Item> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    for (r, row) in sheet.rows.iter().enumerate() {
        // A formula error is listed with its address, never as a value.
        let value =
            row.get(1).filter(|c| !matches!(c, Cell::Error(_))).map(Cell::display).unwrap_or_default();
        match row.first() {
            None | Some(Cell::Empty) => match items.last_mut() {
                Some(item) if !value.is_empty() => item.values.push(value),
                None if !value.is_empty() => return None,
                _ => {}
            },
            Some(Cell::Text(key)) => {
                let header = r == 0
                    && ["giá trị", "nội dung", "thông tin", "value"].contains(&vi::fold(&value).as_str());
                if header {
                    continue;
                }
                let folded = vi::fold(key);
                if keys.contains(&folded) {
                    return None;
                }
                keys.push(folded);
                let values = if value.is_empty() { Vec::new() } else { vec![value] };
                items.push(Item { row: r + 1, key: key.clone(), values });
            }
            Some(_) => return None,
        }
    }
    (items.len() >= 2).then_some(items)
}

/// The report of a key/value sheet: its items, formula errors and repairs.
fn inspect_keys(sheet: &Sheet, items: Vec<Item>) -> SheetReport {
    let mut elsewhere = Vec::new();
    for (r, row) in sheet.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if let Cell::Error(e) = cell {
                elsewhere.push(format!("{} {e}", cell_name(r, c)));
            }
        }
    }
    SheetReport {
        name: sheet.name.clone(),
        hidden: sheet.hidden,
        row_count: sheet.rows.len(),
        column_count: sheet.width(),
        merged_ranges: sheet.merges.len(),
        header_rows: Vec::new(),
        header_why: HeaderWhy::KeyValue { items: items.len() },
        columns: Vec::new(),
        data_rows: Rows::default(),
        empty_rows: sheet.rows.iter().filter(|row| row.iter().all(Cell::is_empty)).count(),
        set_aside: Vec::new(),
        formula_errors_elsewhere: elsewhere,
        repairs: repair_groups(sheet, 0, Vec::new()),
        warnings: Vec::new(),
        items: Some(items),
    }
}

/// Inspects one sheet with a given layout (from [`table::detect`] or [`table::with_header`]).
pub fn inspect_sheet(sheet: &Sheet, layout: &Layout) -> SheetReport {
    // Every column is tallied: the header's columns are listed whether filled or not, the
    // others (no label, or no header at all) when their data rows hold anything.
    let width = sheet.width();
    let mut labels: Vec<Option<&str>> = vec![None; width];
    for c in &layout.columns {
        if c.col >= labels.len() {
            labels.resize(c.col + 1, None);
        }
        labels[c.col] = Some(&c.label);
    }
    let mut tallies: Vec<Tally> = labels.iter().map(|_| Tally::default()).collect();
    let mut data = RunBuilder::default();
    let mut empty_rows = 0;
    let mut groups: Vec<(RowKind, RunBuilder)> = Vec::new();
    let mut elsewhere = Vec::new();
    for (r, row) in sheet.rows.iter().enumerate() {
        let kind = layout.kinds.get(r).copied().unwrap_or(RowKind::Data);
        match kind {
            RowKind::Data => {
                data.push(r);
                for (cell, tally) in row.iter().zip(&mut tallies) {
                    tally.add(r, cell);
                }
                continue;
            }
            RowKind::Empty => empty_rows += 1,
            RowKind::Header => {}
            other => match groups.iter_mut().find(|(k, _)| *k == other) {
                Some((_, runs)) => runs.push(r),
                None => {
                    let mut runs = RunBuilder::default();
                    runs.push(r);
                    groups.push((other, runs));
                }
            },
        }
        for (c, cell) in row.iter().enumerate() {
            if let Cell::Error(e) = cell {
                elsewhere.push(format!("{} {e}", cell_name(r, c)));
            }
        }
    }
    let mut text_number_cells = Vec::new();
    let mut text_number_count = 0;
    let mut column_reports = Vec::new();
    for (c, (label, tally)) in labels.into_iter().zip(tallies).enumerate() {
        if label.is_none() && tally.filled == 0 && tally.errors.is_empty() {
            continue;
        }
        let (report, rows) = tally.report(c, label.unwrap_or_default());
        text_number_count += report.text_numbers;
        text_number_cells.extend(rows.into_iter().map(|r| (r, c)));
        column_reports.push(report);
    }
    let repairs = repair_groups(sheet, text_number_count, text_number_cells);
    SheetReport {
        name: sheet.name.clone(),
        hidden: sheet.hidden,
        row_count: sheet.rows.len(),
        column_count: width,
        merged_ranges: sheet.merges.len(),
        header_rows: layout.header.iter().map(|h| h + 1).collect(),
        header_why: layout.why.clone(),
        columns: column_reports,
        data_rows: data.finish(),
        empty_rows,
        set_aside: groups
            .into_iter()
            .map(|(kind, runs)| SetAside { kind, reason: kind.reason().to_string(), rows: runs.finish() })
            .collect(),
        formula_errors_elsewhere: elsewhere,
        repairs,
        warnings: crate::table::total_mismatches(sheet, layout)
            .iter()
            .map(|m| m.problem(sheet, layout))
            .collect(),
        items: None,
    }
}

/// The repairs of `sheet` grouped by kind, with the text numbers parsed (how many, and
/// the cells) last.
fn repair_groups(
    sheet: &Sheet,
    text_number_count: usize,
    mut text_number_cells: Vec<(usize, usize)>,
) -> Vec<RepairGroup> {
    let mut repairs: Vec<RepairTally> = Vec::new();
    for repair in &sheet.repairs {
        let at = (repair.row, repair.col);
        match repairs.iter_mut().find(|(k, _, _)| *k == repair.what) {
            Some((_, n, cells)) => {
                *n += 1;
                if cells.len() < FIRST_CELLS {
                    cells.push(at);
                }
            }
            None => repairs.push((repair.what, 1, vec![at])),
        }
    }
    let names = |cells: &[(usize, usize)]| cells.iter().map(|&(r, c)| cell_name(r, c)).collect();
    let mut repairs: Vec<RepairGroup> = repairs
        .into_iter()
        .map(|(what, count, cells)| RepairGroup {
            what: Repaired::Cell(what),
            count,
            first_cells: names(&cells),
        })
        .collect();
    if text_number_count > 0 {
        text_number_cells.sort_unstable();
        text_number_cells.truncate(FIRST_CELLS);
        repairs.push(RepairGroup {
            what: Repaired::TextNumber,
            count: text_number_count,
            first_cells: names(&text_number_cells),
        });
    }
    repairs
}

/// A kind of repair, how many cells had it, and the first of them (row, column).
type RepairTally = (RepairKind, usize, Vec<(usize, usize)>);

/// Builds the ranges of a growing list of zero-based rows.
#[derive(Default)]
struct RunBuilder {
    count: usize,
    runs: Vec<(usize, usize)>,
}

impl RunBuilder {
    fn push(&mut self, r: usize) {
        self.count += 1;
        match self.runs.last_mut() {
            Some(last) if last.1 + 1 == r => last.1 = r,
            _ => self.runs.push((r, r)),
        }
    }

    fn finish(self) -> Rows {
        let mut ranges = String::new();
        for (i, (a, b)) in self.runs.into_iter().enumerate() {
            if i > 0 {
                ranges.push_str(", ");
            }
            // Writing to a String cannot fail.
            let _ = if a == b { write!(ranges, "{}", a + 1) } else { write!(ranges, "{}-{}", a + 1, b + 1) };
        }
        Rows { count: self.count, ranges }
    }
}

/// How a text cell reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextClass {
    /// Not a number, date or code.
    Other,
    /// Digits with a leading zero: "01", "00001", "01.0001".
    Code,
    /// A whole number; `digits` when it is nothing but digits ("123").
    Int { digits: bool },
    /// A number with decimals.
    Decimal,
    /// A number followed by "%".
    Percent,
    /// A date, dd/mm/yyyy.
    Date,
}

/// Reads a text cell without allocating unless it looks like a number or a date.
fn classify_text(s: &str) -> (TextClass, NumberStyle) {
    let b = s.as_bytes();
    if b.is_empty() || !(b[0].is_ascii_digit() || matches!(b[0], b'-' | b'.')) {
        return (TextClass::Other, NumberStyle::Plain);
    }
    // One plain loop over the bytes (fast unoptimised too): digits and separators only, a
    // no-break space (0xC2 0xA0) allowed.
    let (mut digits_and_dots, mut i) = (true, 0);
    while i < b.len() {
        match b[i] {
            b'0'..=b'9' | b'.' => {}
            b',' | b'-' | b'/' | b'%' | b' ' => digits_and_dots = false,
            0xC2 if b.get(i + 1) == Some(&0xA0) => {
                digits_and_dots = false;
                i += 1;
            }
            _ => return (TextClass::Other, NumberStyle::Plain),
        }
        i += 1;
    }
    if digits_and_dots && b.len() >= 2 && b[0] == b'0' && b[1].is_ascii_digit() {
        return (TextClass::Code, NumberStyle::Plain);
    }
    if let Some(number) = s.strip_suffix('%') {
        return match parse_decimal(number) {
            Some(_) => (TextClass::Percent, number_style(number)),
            None => (TextClass::Other, NumberStyle::Plain),
        };
    }
    // "09.01.2024" would read as a number with dots grouping thousands: dates first.
    let separators = b.iter().filter(|c| matches!(c, b'/' | b'-' | b'.')).count();
    if separators == 2 && crate::vi::parse_date(s).is_some() {
        return (TextClass::Date, NumberStyle::Plain);
    }
    if parse_int(s).is_some() {
        (TextClass::Int { digits: b.iter().all(u8::is_ascii_digit) }, number_style(s))
    } else if parse_decimal(s).is_some() {
        (TextClass::Decimal, number_style(s))
    } else {
        (TextClass::Other, NumberStyle::Plain)
    }
}

/// What a column's data cells hold, counted in one pass.
#[derive(Default)]
struct Tally<'a> {
    filled: usize,
    ints: usize,
    decimals: usize,
    /// Number cells from 0 to 1.
    fractions: usize,
    dates: usize,
    booleans: usize,
    texts: usize,
    codes: usize,
    digit_texts: usize,
    text_ints: usize,
    text_decimals: usize,
    text_percents: usize,
    text_dates: usize,
    /// Text numbers by style, with the first of each: English grouping, English decimal
    /// point, Vietnamese.
    styles: [usize; 3],
    first_styled: [Option<&'a str>; 3],
    /// Integral number cells (not negative) by their count of digits, to tell codes that lost
    /// their leading zeros.
    int_digits: [usize; 20],
    /// The longest code typed as text.
    code_len: usize,
    /// The first text that is not a number (a code, a date or other text).
    first_not_number: Option<&'a str>,
    /// The first value that is neither a date nor text of one.
    first_not_date: Option<&'a Cell>,
    /// The first rows of text whole numbers, decimals and percentages.
    int_rows: Vec<usize>,
    decimal_rows: Vec<usize>,
    percent_rows: Vec<usize>,
    examples: Vec<&'a Cell>,
    /// The last text read and how it reads.
    last: Option<(&'a str, TextClass, NumberStyle)>,
    errors: Vec<(usize, &'a str)>,
}

impl<'a> Tally<'a> {
    fn add(&mut self, r: usize, cell: &'a Cell) {
        let note = |rows: &mut Vec<usize>| {
            if rows.len() < FIRST_CELLS {
                rows.push(r);
            }
        };
        match cell {
            Cell::Empty => return,
            Cell::Text(s) if s.is_empty() => return,
            Cell::Error(e) => {
                self.errors.push((r, e));
                return;
            }
            Cell::Number(n) => {
                self.first_not_date.get_or_insert(cell);
                if n.fract() == 0.0 {
                    self.ints += 1;
                    if (0.0..1e19).contains(n) {
                        let digits = (*n as u64).checked_ilog10().map_or(1, |d| d as usize + 1);
                        self.int_digits[digits.min(19)] += 1;
                    }
                } else {
                    self.decimals += 1;
                }
                if (0.0..=1.0).contains(n) {
                    self.fractions += 1;
                }
            }
            Cell::Bool(_) => {
                self.first_not_date.get_or_insert(cell);
                self.booleans += 1;
            }
            Cell::Date(_) => self.dates += 1,
            Cell::Text(s) => {
                self.texts += 1;
                // Columns repeat their values ("Xã", "Phường"): the last one is read once.
                let (class, style) = match self.last {
                    Some((last, class, style)) if last == s => (class, style),
                    _ => classify_text(s),
                };
                self.last = Some((s, class, style));
                if matches!(class, TextClass::Other | TextClass::Code | TextClass::Date) {
                    self.first_not_number.get_or_insert(s);
                }
                if class != TextClass::Date {
                    self.first_not_date.get_or_insert(cell);
                }
                match class {
                    TextClass::Other => {}
                    TextClass::Code => {
                        self.codes += 1;
                        self.code_len = self.code_len.max(s.len());
                    }
                    TextClass::Int { digits } => {
                        self.text_ints += 1;
                        if digits {
                            self.digit_texts += 1;
                            self.code_len = self.code_len.max(s.len());
                        }
                        note(&mut self.int_rows);
                    }
                    TextClass::Decimal => {
                        self.text_decimals += 1;
                        note(&mut self.decimal_rows);
                    }
                    TextClass::Percent => {
                        self.text_percents += 1;
                        note(&mut self.percent_rows);
                    }
                    TextClass::Date => self.text_dates += 1,
                }
                let styled = match style {
                    NumberStyle::Plain => None,
                    NumberStyle::EnglishGrouping => Some(0),
                    NumberStyle::EnglishPoint => Some(1),
                    NumberStyle::Vietnamese => Some(2),
                };
                if let Some(i) = styled {
                    self.styles[i] += 1;
                    self.first_styled[i].get_or_insert(s);
                }
            }
        }
        self.filled += 1;
        if self.examples.len() < EXAMPLES && !self.examples.contains(&cell) {
            self.examples.push(cell);
        }
    }

    /// The column's report, and the first rows of its text numbers.
    fn report(self, col: usize, label: &str) -> (ColumnReport, Vec<usize>) {
        let covers = |n: usize| self.filled > 0 && n * 100 >= self.filled * COVER_PERCENT;
        let percent_label = label.contains('%');
        let numbers = self.ints + self.decimals;
        let text_numbers = self.text_ints + self.text_decimals;
        // Digits without a leading zero are codes too in a column of codes.
        let codes = if self.codes > 0 { self.codes + self.digit_texts } else { 0 };
        let fractions_are_percent = percent_label || self.text_percents > 0;
        let mut notes: Vec<ColumnNote> = Vec::new();
        let mut counted = 0;
        let mut rows: Vec<usize> = Vec::new();
        let ty = if self.filled == 0 {
            ColumnType::Empty
        } else if codes > 0 && codes * 20 >= self.filled && covers(codes + self.ints) {
            // Codes some of which were typed as numbers: those shorter than the codes typed as
            // text lost their leading zeros.
            if self.ints > 0 {
                let lost_zeros = self.int_digits.iter().take(self.code_len).sum();
                notes.push(ColumnNote::StoredAsNumbers { count: self.ints, lost_zeros });
            }
            ColumnType::Code
        } else if covers(self.booleans) {
            ColumnType::Boolean
        } else if covers(self.dates + self.text_dates) {
            if self.text_dates > 0 {
                notes.push(ColumnNote::TypedAsText { count: self.text_dates });
            }
            ColumnType::Date
        } else if fractions_are_percent && covers(self.text_percents + self.fractions) {
            counted = self.text_percents;
            rows.extend(&self.percent_rows);
            ColumnType::Percent
        } else if self.decimals + self.text_decimals == 0 && covers(self.ints + self.text_ints) {
            counted = self.text_ints;
            rows.extend(&self.int_rows);
            ColumnType::Integer
        } else if covers(numbers + text_numbers) {
            counted = text_numbers;
            rows.extend(self.int_rows.iter().chain(&self.decimal_rows));
            ColumnType::Decimal
        } else if covers(self.texts) {
            ColumnType::Text
        } else {
            let as_numbers = numbers + text_numbers + self.text_percents;
            let as_dates = self.dates + self.text_dates;
            ColumnType::Mixed {
                text: self.texts - text_numbers - self.text_percents - self.text_dates,
                numbers: as_numbers,
                dates: as_dates,
                booleans: self.booleans,
            }
        };
        if counted > 0 {
            notes.push(ColumnNote::TextNumbersParsed { count: counted });
            let [grouping, point, vietnamese] = self.styles;
            let first = |i: usize| self.first_styled[i].unwrap_or_default().to_string();
            if grouping + point > 0 && vietnamese > 0 {
                notes.push(ColumnNote::MixedStyles {
                    english: grouping + point,
                    english_example: if grouping > 0 { first(0) } else { first(1) },
                    vietnamese,
                    vietnamese_example: first(2),
                });
            } else if grouping > 0 {
                notes.push(ColumnNote::EnglishGrouping { example: first(0) });
            } else if point > 0 {
                notes.push(ColumnNote::EnglishPoint { example: first(1) });
            }
        }
        let not_number = || self.first_not_number.map(str::to_string);
        let (covered, what, example) = match ty {
            ColumnType::Integer => (self.ints + self.text_ints, NotOfType::Number, not_number()),
            ColumnType::Decimal => (numbers + text_numbers, NotOfType::Number, not_number()),
            ColumnType::Percent => (self.text_percents + self.fractions, NotOfType::Percentage, not_number()),
            ColumnType::Date => {
                (self.dates + self.text_dates, NotOfType::Date, self.first_not_date.map(Cell::display))
            }
            ColumnType::Code => (codes + self.ints, NotOfType::Code, None),
            _ => (self.filled, NotOfType::Number, None),
        };
        if covered < self.filled {
            notes.push(ColumnNote::NotOfType {
                count: self.filled - covered,
                what,
                example: example.map(|s| one_line(&s, EXAMPLE_CHARS)),
            });
        }
        rows.sort_unstable();
        rows.truncate(FIRST_CELLS);
        let mut examples: Vec<String> = Vec::with_capacity(EXAMPLES);
        for cell in &self.examples {
            let shown = cell.display();
            if !examples.contains(&shown) {
                examples.push(shown);
            }
        }
        let report = ColumnReport {
            column: column_name(col),
            label: label.to_string(),
            ty,
            notes,
            examples,
            filled: self.filled,
            text_numbers: counted,
            errors: self.errors.iter().map(|(r, e)| format!("{} {e}", cell_name(*r, col))).collect(),
        };
        (report, rows)
    }
}

/// `s` on one line (white space runs as one space), cut to `max` characters with "…".
fn one_line(s: &str, max: usize) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, word) in s.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.chars().count() > max {
        let keep = max.saturating_sub(1);
        let mut cut: String = out.chars().take(keep).collect();
        // Cut between words when one ends in the second half.
        if out.chars().nth(keep) != Some(' ')
            && let Some(space) = cut.rfind(' ')
            && cut[..space].chars().count() >= keep / 2
        {
            cut.truncate(space);
        }
        return format!("{}…", cut.trim_end());
    }
    out
}

/// A label cut to `LABEL_CHARS` for the text report; under a long group label, the column's
/// own label (after the last " / ") is kept whole: "Đơn vị hành chính… / Mã Xã mới".
fn short_label(label: &str) -> String {
    let label = one_line(label, usize::MAX);
    if label.chars().count() <= LABEL_CHARS {
        return label;
    }
    match label.rsplit_once(" / ") {
        Some((group, own)) if own.chars().count() + 8 <= LABEL_CHARS => {
            format!("{} / {own}", one_line(group, LABEL_CHARS - 3 - own.chars().count()))
        }
        _ => one_line(&label, LABEL_CHARS),
    }
}

/// `s` padded with spaces to `width` characters.
fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    format!("{s}{}", " ".repeat(width.saturating_sub(n)))
}

/// `n` things: "1 row", "3 rows"; in Vietnamese, which has no plural, "3 dòng".
fn plural(n: usize, lang: Lang, one: &str, many: &str, vi: &str) -> String {
    match lang {
        Lang::En => format!("{n} {}", if n == 1 { one } else { many }),
        Lang::Vi => format!("{n} {vi}"),
    }
}

/// ", … and N more" (cells) after the first of a list.
fn and_more(n: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!(", … and {n} more"),
        Lang::Vi => format!(", … và {n} ô nữa"),
    }
}

/// A list of cells cut to its first `max` items, "… and N more" after them.
fn first_of(items: &[String], max: usize, lang: Lang) -> String {
    let mut out = items.iter().take(max).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > max {
        out.push_str(&and_more(items.len() - max, lang));
    }
    out
}

/// Ranges cut to their first `TEXT_RANGES`.
fn short_ranges(ranges: &str, lang: Lang) -> String {
    let all: Vec<String> = ranges.split(", ").map(str::to_string).collect();
    let mut out = all.iter().take(TEXT_RANGES).cloned().collect::<Vec<_>>().join(", ");
    if all.len() > TEXT_RANGES {
        let more = all.len() - TEXT_RANGES;
        let _ = match lang {
            Lang::En => write!(out, ", … ({more} more ranges)"),
            Lang::Vi => write!(out, ", … (và {more} đoạn dòng nữa)"),
        };
    }
    out
}

/// "row 4" or "rows 3-5, 9"; "dòng 4".
fn rows_phrase(rows: &Rows, lang: Lang) -> String {
    let word = match lang {
        Lang::En if rows.count == 1 => "row",
        Lang::En => "rows",
        Lang::Vi => "dòng",
    };
    format!("{word} {}", short_ranges(&rows.ranges, lang))
}

/// `s` with its first letter capital.
fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
}

impl Inspection {
    /// The report as `vanban inspect` prints it, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = self.write(&mut out, lang);
        out
    }

    fn write(&self, f: &mut dyn fmt::Write, lang: Lang) -> fmt::Result {
        let sheets = plural(self.sheets.len(), lang, "sheet", "sheets", "trang tính");
        writeln!(f, "{}: {sheets}", self.source)?;
        for (i, sheet) in self.sheets.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            sheet.write(f, lang)?;
        }
        Ok(())
    }
}

impl fmt::Display for Inspection {
    /// The report in English.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, Lang::En)
    }
}

impl fmt::Display for SheetReport {
    /// The sheet's report in English.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, Lang::En)
    }
}

impl SheetReport {
    /// The sheet's report in `lang`, as `vanban inspect` prints it.
    pub fn text(&self, lang: Lang) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = self.write(&mut out, lang);
        out
    }

    fn write(&self, f: &mut dyn fmt::Write, lang: Lang) -> fmt::Result {
        let hidden = if self.hidden { lang.pick(" (hidden)", " (ẩn)") } else { "" };
        let sheet = lang.pick("Sheet", "Trang tính");
        if self.row_count == 0 {
            return writeln!(f, "{sheet} \"{}\"{hidden} — {}", self.name, lang.pick("empty", "trống"));
        }
        writeln!(
            f,
            "{sheet} \"{}\"{hidden} — {} × {}, {}",
            self.name,
            plural(self.row_count, lang, "row", "rows", "dòng"),
            plural(self.column_count, lang, "column", "columns", "cột"),
            plural(self.merged_ranges, lang, "merged range", "merged ranges", "vùng gộp ô")
        )?;
        let why = one_line(&messages::header_why(&self.header_why, lang), usize::MAX);
        if let Some(items) = &self.items {
            writeln!(f, "  {}", if lang == Lang::Vi { capitalised(&why) } else { why })?;
            self.write_items(f, items)?;
            return self.write_errors_and_repairs(f, lang);
        }
        let header = lang.pick("header", "Dòng tên cột");
        match (self.header_rows.as_slice(), lang) {
            ([], _) => writeln!(f, "  {header}: {} ({why})", lang.pick("none", "không có"))?,
            ([r], Lang::En) => writeln!(f, "  {header}: row {r} ({why})")?,
            ([r], Lang::Vi) => writeln!(f, "  {header}: dòng {r} ({why})")?,
            (rows, _) => {
                let list: Vec<String> = rows.iter().map(usize::to_string).collect();
                let (word, and) = match lang {
                    Lang::En => ("rows", " and "),
                    Lang::Vi => ("dòng", " và "),
                };
                writeln!(f, "  {header}: {word} {} ({why})", list.join(and))?;
            }
        }
        self.write_columns(f, lang)?;
        let data = lang.pick("data", "Dữ liệu");
        match self.data_rows.count {
            0 => writeln!(f, "  {data}: {}", lang.pick("none", "không có"))?,
            n => writeln!(
                f,
                "  {data}: {} ({})",
                plural(n, lang, "row", "rows", "dòng"),
                short_ranges(&self.data_rows.ranges, lang)
            )?,
        }
        let aside: usize = self.set_aside.iter().map(|g| g.rows.count).sum();
        let set_aside = lang.pick("set aside", "Để riêng");
        if aside == 0 {
            writeln!(f, "  {set_aside}: {}", lang.pick("none", "không có"))?;
        } else {
            writeln!(f, "  {set_aside}: {}", plural(aside, lang, "row", "rows", "dòng"))?;
            for group in &self.set_aside {
                writeln!(
                    f,
                    "    {}: {}",
                    rows_phrase(&group.rows, lang),
                    messages::row_kind(group.kind, lang)
                )?;
            }
        }
        for w in self.warnings.iter().take(TEXT_WARNINGS) {
            writeln!(f, "  {}: {}", lang.pick("warning", "Cảnh báo"), messages::problem(w, lang))?;
        }
        if self.warnings.len() > TEXT_WARNINGS {
            let more = self.warnings.len() - TEXT_WARNINGS;
            match lang {
                Lang::En => writeln!(f, "  … and {more} more warnings")?,
                Lang::Vi => writeln!(f, "  … và {more} cảnh báo nữa")?,
            }
        }
        self.write_errors_and_repairs(f, lang)
    }

    /// The items of a key/value sheet, one a line.
    fn write_items(&self, f: &mut dyn fmt::Write, items: &[Item]) -> fmt::Result {
        let keys: Vec<String> = items.iter().map(|i| one_line(&i.key, LABEL_CHARS)).collect();
        let kw = keys.iter().map(|k| k.chars().count()).max().unwrap_or(0);
        let cells: Vec<String> = items.iter().map(|i| format!("A{}", i.row)).collect();
        let rw = cells.iter().map(String::len).max().unwrap_or(0);
        for ((item, key), cell) in items.iter().zip(&keys).zip(&cells) {
            let values: Vec<String> = item.values.iter().map(|v| one_line(v, EXAMPLE_CHARS)).collect();
            let line = format!("    {}  {}  {}", pad(cell, rw), pad(key, kw), values.join(" | "));
            writeln!(f, "{}", line.trim_end())?;
        }
        Ok(())
    }

    /// The table's columns, one a line: letter, label, type, filled cells, examples; under
    /// each its notes and formula errors.
    fn write_columns(&self, f: &mut dyn fmt::Write, lang: Lang) -> fmt::Result {
        if self.columns.is_empty() {
            return Ok(());
        }
        writeln!(f, "  {}:", lang.pick("columns", "Các cột"))?;
        let no_label = lang.pick("(no label)", "(không có tên)");
        let labels: Vec<String> = self
            .columns
            .iter()
            .map(|c| if c.label.is_empty() { no_label.into() } else { short_label(&c.label) })
            .collect();
        let types: Vec<String> = self.columns.iter().map(|c| messages::column_type(&c.ty, lang)).collect();
        let filled: Vec<String> = self
            .columns
            .iter()
            .map(|c| match lang {
                Lang::En => format!("{} filled", c.filled),
                Lang::Vi => format!("{} ô có dữ liệu", c.filled),
            })
            .collect();
        let width = |v: &[String]| v.iter().map(|s| s.chars().count()).max().unwrap_or(0);
        let (lw, tw, fw) = (width(&labels), width(&types), width(&filled));
        let cw = self.columns.iter().map(|c| c.column.len()).max().unwrap_or(1);
        for (i, c) in self.columns.iter().enumerate() {
            let examples: Vec<String> = c.examples.iter().map(|e| one_line(e, EXAMPLE_CHARS)).collect();
            let line = format!(
                "    {}  {}  {}  {}  {}",
                pad(&c.column, cw),
                pad(&labels[i], lw),
                pad(&types[i], tw),
                " ".repeat(fw - filled[i].chars().count()) + &filled[i],
                examples.join(" | ")
            );
            writeln!(f, "{}", line.trim_end())?;
            let indent = " ".repeat(4 + cw + 2);
            if let Some(note) = c.note(lang) {
                writeln!(f, "{indent}{note}")?;
            }
            if !c.errors.is_empty() {
                let errors = lang.pick("formula errors", "lỗi công thức");
                writeln!(f, "{indent}{errors}: {}", first_of(&c.errors, TEXT_ERRORS, lang))?;
            }
        }
        Ok(())
    }

    /// The lines on formula errors outside the data rows and on repairs.
    fn write_errors_and_repairs(&self, f: &mut dyn fmt::Write, lang: Lang) -> fmt::Result {
        if !self.formula_errors_elsewhere.is_empty() {
            let title =
                lang.pick("formula errors outside the data rows", "Lỗi công thức ngoài các dòng dữ liệu");
            writeln!(f, "  {title}: {}", self.formula_errors_elsewhere.len())?;
            writeln!(f, "    {}", first_of(&self.formula_errors_elsewhere, TEXT_ERRORS, lang))?;
        }
        let repaired: usize = self.repairs.iter().map(|g| g.count).sum();
        let repairs = lang.pick("repairs", "Đã sửa");
        if repaired == 0 {
            writeln!(f, "  {repairs}: {}", lang.pick("none", "không có"))?;
        } else {
            writeln!(f, "  {repairs}: {}", plural(repaired, lang, "cell", "cells", "ô"))?;
            for group in &self.repairs {
                let more = if group.count > group.first_cells.len() {
                    and_more(group.count - group.first_cells.len(), lang)
                } else {
                    String::new()
                };
                writeln!(
                    f,
                    "    {}: {} ({}{more})",
                    messages::repair(group.what, lang),
                    plural(group.count, lang, "cell", "cells", "ô"),
                    group.first_cells.join(", ")
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workbook::test_cells::{e, n, t};
    use crate::workbook::{Merge, Repair};
    use chrono::NaiveDate;
    use std::time::Instant;

    fn sheet(name: &str, rows: Vec<Vec<Cell>>) -> Sheet {
        Sheet { name: name.into(), rows, ..Sheet::default() }
    }

    fn column<'a>(report: &'a SheetReport, letter: &str) -> &'a ColumnReport {
        report.columns.iter().find(|c| c.column == letter).expect(letter)
    }

    fn one(sheet: Sheet) -> SheetReport {
        let wb = Workbook { source: "t.xlsx".into(), sheets: vec![sheet] };
        inspect(&wb).sheets.remove(0)
    }

    #[test]
    fn a_key_value_sheet_shows_its_items_and_a_two_column_list_does_not() {
        let keys = sheet(
            "Thông tin",
            vec![
                vec![t("Mục"), t("Giá trị")],
                vec![t("Người ký"), t("Nguyễn Văn Hòa")],
                vec![t("Nơi nhận"), t("- Như trên;")],
                vec![Cell::Empty, t("- Lưu: VT.")],
                vec![t("Ngày ban hành"), e("#REF!")],
            ],
        );
        let report = one(keys);
        let items = report.items.as_ref().expect("items");
        let shown: Vec<(usize, &str, Vec<&str>)> = items
            .iter()
            .map(|i| (i.row, i.key.as_str(), i.values.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(
            shown,
            [
                (2, "Người ký", vec!["Nguyễn Văn Hòa"]),
                (3, "Nơi nhận", vec!["- Như trên;", "- Lưu: VT."]),
                (5, "Ngày ban hành", vec![]),
            ]
        );
        assert_eq!(report.formula_errors_elsewhere, ["B5 #REF!"]);
        assert!(report.to_string().contains("    A3  Nơi nhận       - Như trên; | - Lưu: VT.\n"), "{report}");
        // A list with numbers in column A, or the same label twice, is a table.
        let list = sheet("DS", vec![vec![t("STT"), t("Tên")], vec![n(1.0), t("A")], vec![n(2.0), t("B")]]);
        assert!(one(list).items.is_none());
        let twice = sheet("DS", vec![vec![t("Xã"), t("A")], vec![t("Xã"), t("B")], vec![t("Huyện"), t("C")]]);
        assert!(one(twice).items.is_none());
    }

    /// A sheet with a title, a two-row merged header, column numbers, sections, a total, a
    /// rounding row and a signature block.
    fn priced() -> Sheet {
        let rows = vec![
            vec![t("UBND TỈNH KHÁNH HÒA"), Cell::Empty, Cell::Empty, t("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")],
            vec![t("BẢNG GIÁ ĐỀ NGHỊ"), Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty, e("#N/A")],
            vec![],
            vec![t("STT"), t("Tên hàng"), t("Giá đề nghị"), Cell::Empty, t("Ghi chú")],
            vec![Cell::Empty, Cell::Empty, t("Đơn giá"), t("Thành tiền")],
            vec![t("A"), t("B"), n(1.0), n(2.0), n(3.0)],
            vec![t("I."), t("Nông sản")],
            vec![n(1.0), t("Gạo"), t("250,000"), n(500000.0)],
            vec![n(2.0), t("Ngô"), n(9000.0), n(18000.0), t("x")],
            vec![t("II"), t("Thủy sản")],
            vec![n(3.0), t("Cá"), t("70,000"), e("#REF!"), Cell::Empty, e("#DIV/0!")],
            vec![t("Tổng cộng"), Cell::Empty, Cell::Empty, e("#REF!")],
            vec![t("Làm tròn"), Cell::Empty, Cell::Empty, n(658000.0)],
            vec![],
            vec![t("Người lập biểu"), Cell::Empty, Cell::Empty, t("Khánh Hòa, ngày 5 tháng 3 năm 2020")],
            vec![t("Nguyễn Văn A"), Cell::Empty, Cell::Empty, t("Trần Thị B")],
        ];
        let merges = vec![
            Merge { top: 3, left: 2, bottom: 3, right: 3 },
            Merge { top: 3, left: 0, bottom: 4, right: 0 },
            Merge { top: 3, left: 1, bottom: 4, right: 1 },
            Merge { top: 3, left: 4, bottom: 4, right: 4 },
        ];
        let repairs = vec![
            Repair { row: 7, col: 1, what: RepairKind::Legacy("TCVN3") },
            Repair { row: 8, col: 1, what: RepairKind::Legacy("TCVN3") },
            Repair { row: 9, col: 1, what: RepairKind::Eth },
        ];
        Sheet { name: "Giá".into(), rows, merges, repairs, ..Sheet::default() }
    }

    #[test]
    fn reports_header_rows_set_aside_and_errors() {
        let report = one(priced());
        assert_eq!(report.header_rows, [4, 5], "{}", report.header_why);
        assert_eq!((report.row_count, report.column_count, report.merged_ranges), (16, 6, 4));
        assert_eq!(report.data_rows, Rows { count: 3, ranges: "8-9, 11".into() });
        let aside: Vec<(RowKind, &str)> =
            report.set_aside.iter().map(|g| (g.kind, g.rows.ranges.as_str())).collect();
        assert_eq!(
            aside,
            [
                (RowKind::Title, "1-2"),
                (RowKind::ColumnNumbers, "6"),
                (RowKind::Section, "7, 10"),
                (RowKind::Total, "12"),
                (RowKind::Rounding, "13"),
                (RowKind::Signature, "15-16"),
            ]
        );
        assert_eq!(report.empty_rows, 2);
        // Errors in the data of a labelled column sit with the column; the rest, anywhere in
        // the sheet, are listed with their address.
        assert_eq!(column(&report, "D").errors, ["D11 #REF!"]);
        assert_eq!(report.formula_errors_elsewhere, ["F2 #N/A", "D12 #REF!"]);
        // A column without a label is listed when its data rows hold anything.
        let unlabelled = column(&report, "F");
        assert_eq!((unlabelled.label.as_str(), unlabelled.ty, unlabelled.filled), ("", ColumnType::Empty, 0));
        assert_eq!(unlabelled.errors, ["F11 #DIV/0!"]);
        let price = column(&report, "C");
        assert_eq!(price.label, "Giá đề nghị / Đơn giá");
        assert_eq!(price.ty, ColumnType::Integer);
        assert_eq!(price.text_numbers, 2);
        assert_eq!(
            price.note(Lang::En).as_deref(),
            Some("2 text numbers parsed; English grouping (\"250,000\")")
        );
        assert_eq!(price.examples, ["250,000", "9000", "70,000"]);
        let repairs: Vec<(&str, usize, Vec<&str>)> = report
            .repairs
            .iter()
            .map(|g| (g.what.kind(), g.count, g.first_cells.iter().map(String::as_str).collect()))
            .collect();
        assert_eq!(
            repairs,
            [
                ("legacy-encoding", 2, vec!["B8", "B9"]),
                ("eth", 1, vec!["B10"]),
                ("text-number", 2, vec!["C8", "C11"]),
            ]
        );
        assert_eq!(messages::repair(report.repairs[0].what, Lang::En), "TCVN3 text converted to Unicode");

        let text = report.to_string();
        assert!(text.contains("  header: rows 4 and 5 (row 4 is the first"), "{text}");
        assert!(text.contains("    rows 7, 10: section heading inside the table\n"), "{text}");
        assert!(text.contains("    row 12: total row (totals are computed from the data rows)\n"), "{text}");
        assert!(text.contains("  data: 3 rows (8-9, 11)\n"), "{text}");
        assert!(text.contains("formula errors: D11 #REF!\n"), "{text}");
        assert!(
            text.contains("  formula errors outside the data rows: 2\n    F2 #N/A, D12 #REF!\n"),
            "{text}"
        );
        assert!(text.contains("    F  (no label)  "), "{text}");
        assert!(text.contains("    text number parsed: 2 cells (C8, C11)\n"), "{text}");
        assert!(text.contains("    TCVN3 text converted to Unicode: 2 cells (B8, B9)\n"), "{text}");
        assert!(text.lines().all(|l| l == l.trim_end()), "trailing spaces:\n{text}");
    }

    /// The whole report in Vietnamese: every fixed word, the header's reason, types, notes,
    /// set-aside rows, warnings and repairs.
    #[test]
    fn the_text_report_in_vietnamese() {
        let mut prices = priced();
        prices.repairs.push(Repair { row: 10, col: 1, what: RepairKind::Normalized });
        let want = r#"Trang tính "Giá" — 16 dòng × 6 cột, 4 vùng gộp ô
  Dòng tên cột: dòng 4 và 5 (dòng 4 là dòng đầu tiên có đủ ô chữ để làm tên cột: 4 ô, dòng nhiều nhất có 4 ô; dòng 5 bên dưới ghi tên cột con)
  Các cột:
    A  STT                       số nguyên  3 ô có dữ liệu  1 | 2 | 3
    B  Tên hàng                  chữ        3 ô có dữ liệu  Gạo | Ngô | Cá
    C  Giá đề nghị / Đơn giá     số nguyên  3 ô có dữ liệu  250,000 | 9000 | 70,000
       2 ô số gõ dạng chữ đã được đọc thành số; phân cách hàng nghìn bằng dấu phẩy kiểu Anh ("250,000")
    D  Giá đề nghị / Thành tiền  số nguyên  2 ô có dữ liệu  500000 | 18000
       lỗi công thức: D11 #REF!
    E  Ghi chú                   chữ        1 ô có dữ liệu  x
    F  (không có tên)            trống      0 ô có dữ liệu
       lỗi công thức: F11 #DIV/0!
  Dữ liệu: 3 dòng (8-9, 11)
  Để riêng: 9 dòng
    dòng 1-2: dòng tiêu đề phía trên bảng
    dòng 6: dòng đánh số cột
    dòng 7, 10: dòng đề mục trong bảng
    dòng 12: dòng tổng cộng (tổng được tính lại từ các dòng)
    dòng 13: dòng làm tròn
    dòng 15-16: phần ký tên hoặc ghi chú dưới bảng
  Lỗi công thức ngoài các dòng dữ liệu: 2
    F2 #N/A, D12 #REF!
  Đã sửa: 6 ô
    chữ gõ bằng mã TCVN3 (ABC) đã chuyển sang Unicode: 2 ô (B8, B9)
    chữ "Ð" đã sửa thành "Đ": 1 ô (B10)
    chữ tổ hợp (NFD) đã chuẩn hóa: 1 ô (B11)
    số gõ dạng chữ đã được đọc thành số: 2 ô (C8, C11)
"#;
        assert_eq!(one(prices).text(Lang::Vi), want);
        let hidden = Sheet { hidden: true, ..sheet("Phu Luc", vec![vec![t("a"), e("#REF!")]]) };
        let keys = sheet(
            "Thông tin",
            vec![vec![t("Người ký"), t("Nguyễn Văn Hòa")], vec![t("Nơi nhận"), t("- Như trên;")]],
        );
        let total = sheet(
            "Tổng",
            vec![
                vec![t("STT"), t("Tên"), t("Số")],
                vec![n(1.0), t("A"), n(1.0)],
                vec![n(2.0), t("B"), t("2")],
                vec![t("Tổng cộng"), Cell::Empty, n(5.0)],
            ],
        );
        let sheets = vec![hidden, keys, total, sheet("Trống", Vec::new())];
        let wb = Workbook { source: "x.xlsx".into(), sheets };
        let want = r#"x.xlsx: 4 trang tính
Trang tính "Phu Luc" (ẩn) — 1 dòng × 2 cột, 0 vùng gộp ô
  Dòng tên cột: không có (trong 1 dòng đầu không dòng nào có từ hai ô chữ trở lên để làm tên cột)
  Các cột:
    A  (không có tên)  chữ    1 ô có dữ liệu  a
    B  (không có tên)  trống  0 ô có dữ liệu
       lỗi công thức: B1 #REF!
  Dữ liệu: 1 dòng (1)
  Để riêng: không có
  Đã sửa: không có

Trang tính "Thông tin" — 2 dòng × 2 cột, 0 vùng gộp ô
  Bảng mục – giá trị: cột A ghi tên 2 mục, cột B ghi giá trị của từng mục
    A1  Người ký  Nguyễn Văn Hòa
    A2  Nơi nhận  - Như trên;
  Đã sửa: không có

Trang tính "Tổng" — 4 dòng × 3 cột, 0 vùng gộp ô
  Dòng tên cột: dòng 1 (dòng 1 là dòng đầu tiên có đủ ô chữ để làm tên cột: 3 ô, dòng nhiều nhất có 3 ô)
  Các cột:
    A  STT  số nguyên  2 ô có dữ liệu  1 | 2
    B  Tên  chữ        2 ô có dữ liệu  A | B
    C  Số   số nguyên  2 ô có dữ liệu  1 | 2
       1 ô số gõ dạng chữ đã được đọc thành số
  Dữ liệu: 2 dòng (2-3)
  Để riêng: 1 dòng
    dòng 4: dòng tổng cộng (tổng được tính lại từ các dòng)
  Cảnh báo: Tổng!C4 ("Số"): tổng ghi ở đây là 5, nhưng các dòng phía trên cộng lại được 3
  Đã sửa: 1 ô
    số gõ dạng chữ đã được đọc thành số: 1 ô (C3)

Trang tính "Trống" — trống
"#;
        assert_eq!(inspect(&wb).text(Lang::Vi), want);
        // Display is the English text.
        assert_eq!(inspect(&wb).to_string(), inspect(&wb).text(Lang::En));
    }

    #[test]
    fn infers_column_types() {
        let d = |day| Cell::Date(NaiveDate::from_ymd_opt(2020, 12, day).unwrap());
        let mut rows = vec![vec![
            t("STT"),
            t("Mã"),
            t("Số lượng"),
            t("Tỷ lệ"),
            t("Ngày"),
            t("Ghi chú"),
            t("Đơn giá"),
            t("Tỷ lệ %"),
            t("Trống"),
            t("Đạt"),
            t("Mã số"),
        ]];
        for i in 1..=20 {
            let code = if i % 2 == 0 { format!("{i:02}") } else { format!("{i:03}") };
            rows.push(vec![
                n(i as f64),
                t(&code),
                if i == 3 { t("2.425") } else { n(i as f64 * 100.0) },
                t(&format!("{i}%")),
                if i % 2 == 0 { t(&format!("{i}/12/2020")) } else { d(i) },
                if i % 3 == 0 { n(i as f64) } else { t("ghi chú") },
                if i == 5 { t("74,78") } else { n(i as f64 + 0.5) },
                n(i as f64 / 40.0),
                Cell::Empty,
                Cell::Bool(i % 2 == 0),
                t(&format!("01.{i:04}")),
            ]);
        }
        let report = one(sheet("Số liệu", rows));
        let types: Vec<String> = report.columns.iter().map(|c| c.ty.to_string()).collect();
        assert_eq!(
            types,
            [
                "integer",
                "code",
                "integer",
                "percent",
                "date",
                "mixed (14 text, 6 numbers)",
                "decimal",
                "percent",
                "empty",
                "boolean",
                "code"
            ]
        );
        let count = column(&report, "C");
        assert_eq!((count.text_numbers, count.note(Lang::En).as_deref()), (1, Some("1 text number parsed")));
        assert_eq!(column(&report, "B").examples, ["001", "02", "003"]);
        assert_eq!(column(&report, "B").text_numbers, 0);
        assert_eq!(column(&report, "D").text_numbers, 20);
        assert_eq!(column(&report, "E").note(Lang::En).as_deref(), Some("10 typed as text"));
        assert_eq!(column(&report, "G").text_numbers, 1);
        assert_eq!(column(&report, "K").examples, ["01.0001", "01.0002", "01.0003"]);
        let parsed = report.repairs.iter().find(|g| g.what == Repaired::TextNumber).unwrap();
        assert_eq!(parsed.count, 1 + 20 + 1);
        assert_eq!(parsed.first_cells, ["D2", "D3", "C4", "D4", "D5"]);
    }

    #[test]
    fn codes_stored_as_numbers_number_styles_and_odd_values_are_noted() {
        let mut rows = vec![vec![t("Mã xã"), t("Dân số"), t("Tên"), t("Giá"), t("Diện tích")]];
        for i in 0..40 {
            rows.push(vec![
                match i {
                    0..30 => t(&format!("{:05}", i + 1)),
                    30..35 => n(1558.0 + i as f64),
                    _ => n(11914.0 + i as f64),
                },
                if i == 7 { t("-") } else { n(1000.0 + i as f64) },
                t("Xã A"),
                match i {
                    0 => t("250,000"),
                    1 => t("2.425"),
                    _ => n(5000.0),
                },
                if i < 3 { t(&format!("14.{i}")) } else { n(9.25) },
            ]);
        }
        let report = one(sheet("Xã", rows));
        let code = column(&report, "A");
        assert_eq!(code.ty, ColumnType::Code);
        assert_eq!(code.note(Lang::En).as_deref(), Some("10 stored as numbers (5 lost their leading zeros)"));
        let people = column(&report, "B");
        assert_eq!(people.ty, ColumnType::Integer);
        assert_eq!(people.note(Lang::En).as_deref(), Some("1 not a number (\"-\")"));
        assert_eq!(
            column(&report, "D").note(Lang::En).as_deref(),
            Some(
                "2 text numbers parsed; mixed number styles: 1 English (\"250,000\"), 1 Vietnamese (\"2.425\")"
            )
        );
        assert_eq!(
            column(&report, "E").note(Lang::En).as_deref(),
            Some("3 text numbers parsed; English decimal point (\"14.0\")")
        );
    }

    #[test]
    fn long_labels_keep_the_column_own_label() {
        assert_eq!(
            short_label("Đơn vị hành chính từ ngày 01/7/2025 / Mã Xã mới"),
            "Đơn vị hành chính từ ngày… / Mã Xã mới"
        );
        assert_eq!(short_label("Số\nTT"), "Số TT");
        assert_eq!(short_label(&"x".repeat(50)).chars().count(), LABEL_CHARS);
    }

    #[test]
    fn compresses_row_ranges() {
        let mut runs = RunBuilder::default();
        for r in [2, 3, 4, 8, 10, 11] {
            runs.push(r);
        }
        assert_eq!(runs.finish(), Rows { count: 6, ranges: "3-5, 9, 11-12".into() });
        assert_eq!(RunBuilder::default().finish(), Rows::default());
        assert_eq!(
            short_ranges(&(1..=20).map(|i| (i * 2).to_string()).collect::<Vec<_>>().join(", "), Lang::En),
            "2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, … (8 more ranges)"
        );
    }

    #[test]
    fn text_marks_hidden_sheets_and_names_every_sheet() {
        let hidden = Sheet { hidden: true, ..sheet("Phu Luc", vec![vec![t("a"), e("#REF!")]]) };
        let wb = Workbook {
            source: "samples/x.xlsx".into(),
            sheets: vec![priced(), hidden, sheet("Trống", Vec::new())],
        };
        let text = inspect(&wb).to_string();
        assert!(
            text.starts_with(
                "samples/x.xlsx: 3 sheets\nSheet \"Giá\" — 16 rows × 6 columns, 4 merged ranges\n"
            )
        );
        assert!(
            text.contains("\nSheet \"Phu Luc\" (hidden) — 1 row × 2 columns, 0 merged ranges\n"),
            "{text}"
        );
        assert!(
            text.contains("  header: none (no row among the first 1 has two or more text labels)\n"),
            "{text}"
        );
        assert!(text.contains("\nSheet \"Trống\" — empty\n"), "{text}");
        assert!(text.lines().all(|l| l == l.trim_end()), "trailing spaces:\n{text}");
    }

    #[test]
    fn json_has_the_documented_keys() {
        let wb = Workbook { source: "x.xlsx".into(), sheets: vec![priced()] };
        let json = serde_json::to_value(inspect(&wb)).unwrap();
        assert_eq!(json["source"], "x.xlsx");
        let sheet = &json["sheets"][0];
        let mut keys: Vec<&str> = sheet.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "column_count",
                "columns",
                "data_rows",
                "empty_rows",
                "formula_errors_elsewhere",
                "header_rows",
                "header_why",
                "hidden",
                "merged_ranges",
                "name",
                "repairs",
                "row_count",
                "set_aside"
            ]
        );
        assert_eq!(sheet["header_rows"], serde_json::json!([4, 5]));
        assert_eq!(sheet["data_rows"], serde_json::json!({"count": 3, "ranges": "8-9, 11"}));
        assert_eq!(
            sheet["set_aside"][2],
            serde_json::json!({
                "kind": "section",
                "reason": "section heading inside the table",
                "count": 2,
                "ranges": "7, 10"
            })
        );
        let price = &sheet["columns"][2];
        assert_eq!(price["column"], "C");
        assert_eq!(price["type"], "integer");
        assert_eq!(price["text_numbers"], 2);
        assert_eq!(sheet["columns"][3]["errors"], serde_json::json!(["D11 #REF!"]));
        assert_eq!(sheet["columns"][0]["note"], serde_json::Value::Null);
        assert_eq!(sheet["repairs"][2]["first_cells"], serde_json::json!(["C8", "C11"]));
    }

    #[test]
    fn a_hundred_thousand_rows_in_one_pass() {
        let mut rows = vec![
            vec![t("DANH SÁCH CẤP XÃ")],
            vec![t("Mã xã"), t("Tên xã"), t("Cấp"), t("Dân số"), t("Diện tích"), t("Ngày"), t("Ghi chú")],
        ];
        for i in 0..100_000usize {
            if i % 1000 == 999 {
                rows.push(vec![t("Cộng"), Cell::Empty, Cell::Empty, n(1.0)]);
                continue;
            }
            rows.push(vec![
                t(&format!("{:05}", i + 1)),
                t(&format!("Xã số {i}")),
                t(if i % 3 == 0 { "Phường" } else { "Xã" }),
                if i % 10 == 0 { t("2.425") } else { n(i as f64) },
                n(i as f64 / 7.0),
                t("25/12/2020"),
                if i % 500 == 0 { e("#N/A") } else { Cell::Empty },
            ]);
        }
        let sheet = sheet("Xã", rows);
        let start = Instant::now();
        let layout = table::detect(&sheet);
        let detected = start.elapsed();
        let report = inspect_sheet(&sheet, &layout);
        eprintln!("100,002 rows: table::detect {detected:?}, inspect_sheet {:?}", start.elapsed() - detected);
        assert_eq!(report.data_rows.count, 99_900);
        assert_eq!(column(&report, "A").ty, ColumnType::Code);
        assert_eq!(column(&report, "D").ty, ColumnType::Integer);
        assert_eq!(column(&report, "D").text_numbers, 10_000);
        assert_eq!(column(&report, "F").ty, ColumnType::Date);
        assert_eq!(column(&report, "G").errors.len(), 200);
        assert_eq!(report.set_aside.iter().map(|g| g.rows.count).sum::<usize>(), 101);
        let text = report.to_string();
        assert!(text.contains("… and 195 more"), "{text}");
        // Each "Cộng" row typed 1 under a thousand rows: the first few are listed.
        assert_eq!(report.warnings.len(), 100);
        assert!(text.contains("  … and 95 more warnings\n"), "{text}");
        assert!(text.lines().count() < 40, "{text}");
    }
}
