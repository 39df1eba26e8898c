//! `vanban inspect`: what the reader and the table detection made of a workbook, sheet by
//! sheet: its size, the header row(s) found and why, each column's label and inferred type
//! with examples, the rows taken as data and those set aside (with their row numbers), the
//! formula errors and every repair made on the way in.
//!
//! [`inspect`] only computes; [`Inspection`] prints as text (`Display`) or as JSON (`Serialize`).
//! Everything is one pass over each sheet, so a sheet of 100,000 rows takes well under a
//! second: examples are capped, row lists are compressed into ranges, and only text that
//! looks like a number is parsed.

use crate::bind::{parse_decimal, parse_int};
use crate::table::{self, Layout, RowKind};
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
const LABEL_CHARS: usize = 32;
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
    /// Why the header was taken to be there (or why none was found).
    pub header_why: String,
    /// The table's columns, left to right (every column by letter when no header was found).
    pub columns: Vec<ColumnReport>,
    /// The rows taken as data.
    pub data_rows: Rows,
    /// How many rows inside the sheet are empty.
    pub empty_rows: usize,
    /// The non-empty rows that are neither header nor data, grouped by kind.
    pub set_aside: Vec<SetAside>,
    /// Formula errors outside the table's data (above the header, in set-aside rows, in
    /// unlabelled columns), as "D7 #REF!"; those in the data are listed under their column.
    pub formula_errors_elsewhere: Vec<String>,
    /// Every repair made to the sheet's cells, grouped by kind.
    pub repairs: Vec<RepairGroup>,
}

/// One column of the table.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnReport {
    /// Its letter: "A", "AB".
    pub column: String,
    /// Its header label ("Giá đề nghị / Đơn giá" under a group); empty without a header.
    pub label: String,
    /// The type its data cells hold.
    #[serde(rename = "type")]
    pub ty: ColumnType,
    /// What else to know about the values: text numbers, their grouping, odd values.
    pub note: Option<String>,
    /// Up to three distinct values from the data rows, as the cells show them.
    pub examples: Vec<String>,
    /// Data cells with a value (formula errors not counted).
    pub filled: usize,
    /// Text cells read as numbers (only in a numeric column).
    pub text_numbers: usize,
    /// Every formula error in the column's data rows, as "D7 #REF!".
    pub errors: Vec<String>,
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
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            ColumnType::Empty => "empty",
            ColumnType::Integer => "integer",
            ColumnType::Decimal => "decimal",
            ColumnType::Percent => "percent",
            ColumnType::Date => "date",
            ColumnType::Text => "text",
            ColumnType::Code => "code",
            ColumnType::Boolean => "boolean",
            ColumnType::Mixed { text, numbers, dates, booleans } => {
                let parts: Vec<String> =
                    [(*text, "text", "text"), (*numbers, "number", "numbers"), (*dates, "date", "dates")]
                        .into_iter()
                        .chain([(*booleans, "boolean", "booleans")])
                        .filter(|(n, _, _)| *n > 0)
                        .map(|(n, one, many)| format!("{n} {}", if n == 1 { one } else { many }))
                        .collect();
                return write!(f, "mixed ({})", parts.join(", "));
            }
        };
        f.write_str(name)
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
    /// "legacy-encoding", "normalized", "eth" or "text-number".
    pub kind: String,
    /// What was done: "TCVN3 text converted to Unicode".
    pub description: String,
    /// How many cells.
    pub count: usize,
    /// The first few cells repaired ("B5").
    pub first_cells: Vec<String>,
}

/// Inspects every sheet of `wb`, each with the layout the table detection finds.
pub fn inspect(wb: &Workbook) -> Inspection {
    Inspection {
        source: wb.source.clone(),
        sheets: wb.sheets.iter().map(|s| inspect_sheet(s, &table::detect(s))).collect(),
    }
}

/// Inspects one sheet with a given layout (from [`table::detect`] or [`table::with_header`]).
pub fn inspect_sheet(sheet: &Sheet, layout: &Layout) -> SheetReport {
    // The columns the data rows are read from: the header's, or every column without one.
    let columns: Vec<(usize, String)> = if layout.header.is_empty() {
        (0..sheet.width()).map(|c| (c, String::new())).collect()
    } else {
        layout.columns.iter().map(|c| (c.col, c.label.clone())).collect()
    };
    let width = sheet.width();
    let mut in_table = vec![false; width.max(columns.iter().map(|c| c.0 + 1).max().unwrap_or(0))];
    for (c, _) in &columns {
        in_table[*c] = true;
    }
    let mut tallies: Vec<Tally> = columns.iter().map(|_| Tally::default()).collect();
    let mut data = RunBuilder::default();
    let mut empty_rows = 0;
    let mut groups: Vec<(RowKind, RunBuilder)> = Vec::new();
    let mut elsewhere = Vec::new();
    for (r, row) in sheet.rows.iter().enumerate() {
        let kind = layout.kinds.get(r).copied().unwrap_or(RowKind::Data);
        match kind {
            RowKind::Data => {
                data.push(r);
                for ((c, _), tally) in columns.iter().zip(&mut tallies) {
                    if let Some(cell) = row.get(*c) {
                        tally.add(r, cell);
                    }
                }
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
        let counted = kind == RowKind::Data;
        for (c, cell) in row.iter().enumerate() {
            if let Cell::Error(e) = cell
                && !(counted && in_table[c])
            {
                elsewhere.push(format!("{} {e}", cell_name(r, c)));
            }
        }
    }
    let mut text_number_cells = Vec::new();
    let mut text_number_count = 0;
    let column_reports = columns
        .iter()
        .zip(tallies)
        .map(|((c, label), tally)| {
            let report = tally.report(*c, label);
            text_number_count += report.0.text_numbers;
            text_number_cells.extend(report.1.into_iter().map(|r| (r, *c)));
            report.0
        })
        .collect();
    let mut repairs: Vec<(RepairKind, usize, Vec<(usize, usize)>)> = Vec::new();
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
            kind: match what {
                RepairKind::Normalized => "normalized",
                RepairKind::Eth => "eth",
                RepairKind::Legacy(_) => "legacy-encoding",
            }
            .to_string(),
            description: what.to_string(),
            count,
            first_cells: names(&cells),
        })
        .collect();
    if text_number_count > 0 {
        text_number_cells.sort_unstable();
        text_number_cells.truncate(FIRST_CELLS);
        repairs.push(RepairGroup {
            kind: "text-number".into(),
            description: "text number parsed".into(),
            count: text_number_count,
            first_cells: names(&text_number_cells),
        });
    }
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
    }
}

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

/// How a text number groups its thousands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Grouping {
    None,
    /// "250,000", "1,234.5".
    English,
    /// "2.425", "1.234,5".
    Vietnamese,
}

/// Reads a text cell without allocating unless it looks like a number or a date.
fn classify_text(s: &str) -> (TextClass, Grouping) {
    let b = s.as_bytes();
    let numberish = |c: char| c.is_ascii_digit() || matches!(c, '.' | ',' | '-' | '/' | '%' | ' ' | '\u{a0}');
    if b.is_empty() || !(b[0].is_ascii_digit() || matches!(b[0], b'-' | b'.')) || !s.chars().all(numberish) {
        return (TextClass::Other, Grouping::None);
    }
    if b.len() >= 2 && b[0] == b'0' && b[1].is_ascii_digit() && b.iter().all(|c| c.is_ascii_digit() || *c == b'.')
    {
        return (TextClass::Code, Grouping::None);
    }
    if let Some(number) = s.strip_suffix('%') {
        let class = if parse_decimal(number).is_some() { TextClass::Percent } else { TextClass::Other };
        return (class, Grouping::None);
    }
    // "09.01.2024" would read as a number with dots grouping thousands: dates first.
    let separators = b.iter().filter(|c| matches!(c, b'/' | b'-' | b'.')).count();
    if separators == 2 && crate::vi::parse_date(s).is_some() {
        return (TextClass::Date, Grouping::None);
    }
    let grouping = if grouped(s, b',', b'.') {
        Grouping::English
    } else if grouped(s, b'.', b',') {
        Grouping::Vietnamese
    } else {
        Grouping::None
    };
    if parse_int(s).is_some() {
        (TextClass::Int { digits: b.iter().all(u8::is_ascii_digit) }, grouping)
    } else if parse_decimal(s).is_some() {
        (TextClass::Decimal, grouping)
    } else {
        (TextClass::Other, Grouping::None)
    }
}

/// Whether `s` groups thousands with `sep` (and marks decimals with `point`): "250,000",
/// "1,234.5" for `sep` ','.
fn grouped(s: &str, sep: u8, point: u8) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s).as_bytes();
    let (whole, fraction) = match s.iter().position(|&c| c == point) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, &s[..0]),
    };
    if !fraction.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let mut groups = whole.split(|&c| c == sep);
    let first = groups.next().unwrap_or_default();
    let mut rest = 0;
    for g in groups {
        if g.len() != 3 || !g.iter().all(u8::is_ascii_digit) {
            return false;
        }
        rest += 1;
    }
    rest > 0 && (1..=3).contains(&first.len()) && first.iter().all(u8::is_ascii_digit) && first[0] != b'0'
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
    english: usize,
    vietnamese: usize,
    first_english: Option<&'a str>,
    /// The first text that is none of the above.
    first_other: Option<&'a str>,
    /// The first rows of text whole numbers, decimals and percentages.
    int_rows: Vec<usize>,
    decimal_rows: Vec<usize>,
    percent_rows: Vec<usize>,
    examples: Vec<&'a Cell>,
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
                if n.fract() == 0.0 {
                    self.ints += 1;
                } else {
                    self.decimals += 1;
                }
                if (0.0..=1.0).contains(n) {
                    self.fractions += 1;
                }
            }
            Cell::Bool(_) => self.booleans += 1,
            Cell::Date(_) => self.dates += 1,
            Cell::Text(s) => {
                self.texts += 1;
                let (class, grouping) = classify_text(s);
                match class {
                    TextClass::Other => {
                        self.first_other.get_or_insert(s);
                    }
                    TextClass::Code => self.codes += 1,
                    TextClass::Int { digits } => {
                        self.text_ints += 1;
                        self.digit_texts += usize::from(digits);
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
                match grouping {
                    Grouping::English => {
                        self.english += 1;
                        self.first_english.get_or_insert(s);
                    }
                    Grouping::Vietnamese => self.vietnamese += 1,
                    Grouping::None => {}
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
        let mut notes: Vec<String> = Vec::new();
        let mut counted = 0;
        let mut rows: Vec<usize> = Vec::new();
        let ty = if self.filled == 0 {
            ColumnType::Empty
        } else if self.codes > 0 && covers(codes) {
            ColumnType::Code
        } else if self.codes > 0 && covers(codes + self.ints) && codes >= self.ints {
            notes.push(format!("{} stored as numbers (leading zeros lost)", self.ints));
            ColumnType::Code
        } else if covers(self.booleans) {
            ColumnType::Boolean
        } else if covers(self.dates + self.text_dates) {
            if self.text_dates > 0 {
                notes.push(format!("{} typed as text", self.text_dates));
            }
            ColumnType::Date
        } else if self.text_percents + self.fractions > 0
            && fractions_are_percent
            && covers(self.text_percents + if fractions_are_percent { self.fractions } else { 0 })
        {
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
            notes.push(format!(
                "{counted} text number{} parsed",
                if counted == 1 { "" } else { "s" }
            ));
            if self.english > 0 && self.vietnamese == 0 {
                let example = self.first_english.unwrap_or_default();
                notes.push(format!("English grouping (\"{example}\")"));
            } else if self.english > 0 {
                notes.push(format!(
                    "mixed grouping: {} English (\"{}\"), {} Vietnamese",
                    self.english,
                    self.first_english.unwrap_or_default(),
                    self.vietnamese
                ));
            }
        }
        let covered = match ty {
            ColumnType::Integer => self.ints + self.text_ints,
            ColumnType::Decimal => numbers + text_numbers,
            ColumnType::Percent => self.text_percents + self.fractions,
            _ => self.filled,
        };
        if covered < self.filled {
            let odd = self.filled - covered;
            let what = match self.first_other {
                Some(s) => format!(" (\"{}\")", one_line(s, EXAMPLE_CHARS)),
                None => String::new(),
            };
            notes.push(format!("{odd} not {}{what}", if odd == 1 { "a number" } else { "numbers" }));
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
            note: (!notes.is_empty()).then(|| notes.join("; ")),
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
    let mut out = String::with_capacity(s.len().min(max * 4));
    for (i, word) in s.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.chars().count() > max {
        let cut: String = out.chars().take(max.saturating_sub(1)).collect();
        return format!("{}…", cut.trim_end());
    }
    out
}

/// `s` padded with spaces to `width` characters.
fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    format!("{s}{}", " ".repeat(width.saturating_sub(n)))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A list cut to its first `max` items, "… and N more" after them.
fn first_of(items: &[String], max: usize) -> String {
    let mut out = items.iter().take(max).cloned().collect::<Vec<_>>().join(", ");
    if items.len() > max {
        let _ = write!(out, ", … and {} more", items.len() - max);
    }
    out
}

/// Ranges cut to their first `TEXT_RANGES`.
fn short_ranges(ranges: &str) -> String {
    let all: Vec<String> = ranges.split(", ").map(str::to_string).collect();
    let mut out = all.iter().take(TEXT_RANGES).cloned().collect::<Vec<_>>().join(", ");
    if all.len() > TEXT_RANGES {
        let _ = write!(out, ", … ({} more ranges)", all.len() - TEXT_RANGES);
    }
    out
}

/// "row 4" or "rows 3-5, 9".
fn rows_phrase(rows: &Rows) -> String {
    format!("{} {}", if rows.count == 1 { "row" } else { "rows" }, short_ranges(&rows.ranges))
}

impl fmt::Display for Inspection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}: {}", self.source, plural(self.sheets.len(), "sheet", "sheets"))?;
        for (i, sheet) in self.sheets.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{sheet}")?;
        }
        Ok(())
    }
}

impl fmt::Display for SheetReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hidden = if self.hidden { " (hidden)" } else { "" };
        if self.row_count == 0 {
            return writeln!(f, "Sheet \"{}\"{hidden} — empty", self.name);
        }
        writeln!(
            f,
            "Sheet \"{}\"{hidden} — {} × {}, {}",
            self.name,
            plural(self.row_count, "row", "rows"),
            plural(self.column_count, "column", "columns"),
            plural(self.merged_ranges, "merged range", "merged ranges")
        )?;
        let why = one_line(&self.header_why, usize::MAX);
        match self.header_rows.as_slice() {
            [] => writeln!(f, "  header: none ({why})")?,
            [r] => writeln!(f, "  header: row {r} ({why})")?,
            rows => {
                let list: Vec<String> = rows.iter().map(usize::to_string).collect();
                writeln!(f, "  header: rows {} ({why})", list.join(" and "))?;
            }
        }
        if !self.columns.is_empty() {
            writeln!(f, "  columns:")?;
            let labels: Vec<String> = self
                .columns
                .iter()
                .map(|c| if c.label.is_empty() { "(no label)".into() } else { one_line(&c.label, LABEL_CHARS) })
                .collect();
            let types: Vec<String> = self.columns.iter().map(|c| c.ty.to_string()).collect();
            let filled: Vec<String> = self.columns.iter().map(|c| format!("{} filled", c.filled)).collect();
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
                    " ".repeat(fw - filled[i].len()) + &filled[i],
                    examples.join(" | ")
                );
                writeln!(f, "{}", line.trim_end())?;
                let indent = " ".repeat(4 + cw + 2);
                if let Some(note) = &c.note {
                    writeln!(f, "{indent}{note}")?;
                }
                if !c.errors.is_empty() {
                    writeln!(f, "{indent}formula errors: {}", first_of(&c.errors, TEXT_ERRORS))?;
                }
            }
        }
        match self.data_rows.count {
            0 => writeln!(f, "  data: none")?,
            n => writeln!(
                f,
                "  data: {} ({})",
                plural(n, "row", "rows"),
                short_ranges(&self.data_rows.ranges)
            )?,
        }
        let aside: usize = self.set_aside.iter().map(|g| g.rows.count).sum();
        if aside == 0 {
            writeln!(f, "  set aside: none")?;
        } else {
            writeln!(f, "  set aside: {}", plural(aside, "row", "rows"))?;
            for group in &self.set_aside {
                writeln!(f, "    {}: {}", rows_phrase(&group.rows), group.reason)?;
            }
        }
        if !self.formula_errors_elsewhere.is_empty() {
            writeln!(
                f,
                "  formula errors outside the table's data: {}",
                self.formula_errors_elsewhere.len()
            )?;
            writeln!(f, "    {}", first_of(&self.formula_errors_elsewhere, TEXT_ERRORS))?;
        }
        let repaired: usize = self.repairs.iter().map(|g| g.count).sum();
        if repaired == 0 {
            writeln!(f, "  repairs: none")?;
        } else {
            writeln!(f, "  repairs: {}", plural(repaired, "cell", "cells"))?;
            for group in &self.repairs {
                let more = if group.count > group.first_cells.len() {
                    format!(", … and {} more", group.count - group.first_cells.len())
                } else {
                    String::new()
                };
                writeln!(
                    f,
                    "    {}: {} ({}{more})",
                    group.description,
                    plural(group.count, "cell", "cells"),
                    group.first_cells.join(", ")
                )?;
            }
        }
        Ok(())
    }
}
