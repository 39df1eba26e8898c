//! Stage 1b, layout: where a sheet's table is. Title rows above it; a header of one or two
//! rows (a merged group label over its sub-labels reads "Giá đề nghị / Đơn giá"); a row of
//! column numbers under it; then data rows among section rows ("I.", "A", a lone heading),
//! total rows ("Tổng cộng"), rounding rows ("Làm tròn"), the signature block under the table,
//! and tables stacked in one sheet with their header repeated.
//!
//! Binding reads the data rows (and lists every other row as set aside, with its kind);
//! `inspect` shows the whole layout; the `bang-bieu` appendix prints it.

use crate::vi;
use crate::workbook::{Cell, Sheet};
use serde::Serialize;
use std::sync::LazyLock;

/// How many rows from the top are searched for a header row.
pub const HEADER_SEARCH_ROWS: usize = 30;

/// What one row of a sheet is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RowKind {
    /// No value in any cell.
    Empty,
    /// Above the header: a title, the issuing body, the national motto.
    Title,
    /// A header row (the first or the second of a two-row header).
    Header,
    /// The row of column numbers (1, 2, 3 … or A, B, 1, 2 …) under a header.
    ColumnNumbers,
    /// A data row.
    Data,
    /// A section heading inside the table ("I. Huyện A", "A", a lone label).
    Section,
    /// A total row ("Tổng cộng", "Cộng").
    Total,
    /// A rounding row ("Làm tròn").
    Rounding,
    /// The signature block or a note under the table.
    Signature,
    /// The header repeated further down (a second table stacked under the first).
    RepeatedHeader,
    /// More text for the data row above, on a line of its own: a few text cells, none in
    /// the column that starts each record (a long description typed over several rows).
    Continuation,
}

impl RowKind {
    /// Why a row of this kind is not data, as a set-aside reason.
    pub fn reason(self) -> &'static str {
        match self {
            RowKind::Empty => "empty",
            RowKind::Title => "above the header row (title)",
            RowKind::Header => "header row",
            RowKind::ColumnNumbers => "column numbers under the header",
            RowKind::Data => "data",
            RowKind::Section => "section heading inside the table",
            RowKind::Total => "total row (totals are computed from the data rows)",
            RowKind::Rounding => "rounding row (\"Làm tròn\")",
            RowKind::Signature => "signature block or note under the table",
            RowKind::RepeatedHeader => "header repeated (a second table stacked in the sheet)",
            RowKind::Continuation => "continues the data row above",
        }
    }
}

/// A labelled column of a table's header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    /// Zero-based column.
    pub col: usize,
    /// The full label: "Giá đề nghị / Đơn giá" under a group, else the one label.
    pub label: String,
    /// The group label of a two-row header, when the column sits under one.
    pub group: Option<String>,
    /// The column's own label (the sub-label under a group).
    pub own: String,
}

/// One cell of the printed header, with how far it spans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeaderCell {
    /// Zero-based column where it starts.
    pub col: usize,
    /// Its text.
    pub text: String,
    /// Columns it covers.
    pub colspan: usize,
    /// Header rows it covers (1 or 2).
    pub rowspan: usize,
}

/// Where a sheet's table is, and what every row is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Layout {
    /// The header rows, zero-based: none (no table found), one or two.
    pub header: Vec<usize>,
    /// The labelled columns, left to right.
    pub columns: Vec<Column>,
    /// The header as printed: one list of cells per header row.
    pub header_cells: Vec<Vec<HeaderCell>>,
    /// One kind per row of the sheet.
    pub kinds: Vec<RowKind>,
    /// Why the header was taken to be where it is (or why none was found).
    pub why: HeaderWhy,
}

/// Why a sheet's header was taken to be where it is, or why none was found: data, its text
/// in English or Vietnamese from [`crate::messages::header_why`]. Rows are numbered from 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HeaderWhy {
    /// No row among the first `top` has two or more text labels: no table.
    NoLabels {
        /// How many rows were searched.
        top: usize,
    },
    /// Row `row` is the first with `labels` of the `most` text labels any top row has.
    FirstWithLabels {
        /// The row with the labels.
        row: usize,
        /// Its text labels.
        labels: usize,
        /// The most text labels of any row searched.
        most: usize,
        /// The header's second row, when it has one.
        sub: Option<SubRow>,
    },
    /// A key/value sheet: column A names `items` items, column B holds their values.
    KeyValue {
        /// How many items.
        items: usize,
    },
    /// The user gave the header row (`--header-row N`).
    Given {
        /// The row given.
        row: usize,
    },
    /// The row with the labels a template reads.
    TemplateLabels,
}

/// The second row of a two-row header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SubRow {
    /// Row `row`, under the labels, holds sub-labels.
    Below {
        /// The row of sub-labels.
        row: usize,
    },
    /// Row `row`, above the labels, holds merged group labels.
    GroupAbove {
        /// The row of group labels.
        row: usize,
    },
}

impl std::fmt::Display for HeaderWhy {
    /// The English text.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::messages::header_why(self, crate::messages::Lang::En))
    }
}

impl Layout {
    /// Zero-based rows of kind `kind`.
    pub fn rows_of(&self, kind: RowKind) -> impl Iterator<Item = usize> + '_ {
        self.kinds.iter().enumerate().filter(move |(_, k)| **k == kind).map(|(r, _)| r)
    }
}

/// Finds the table of `sheet` without knowing its labels: the first of the top rows that
/// carries most of the sheet's text labels.
pub fn detect(sheet: &Sheet) -> Layout {
    let top = sheet.rows.len().min(HEADER_SEARCH_ROWS);
    let labels: Vec<usize> = (0..top).map(|r| label_count(&sheet.rows[r])).collect();
    let most = labels.iter().copied().max().unwrap_or(0);
    let need = if most <= 2 { 2 } else { (most * 3).div_ceil(5).max(3) };
    let Some(r) = labels.iter().position(|&n| n >= need && n >= 2) else {
        let kinds =
            sheet.rows.iter().map(|row| if is_empty(row) { RowKind::Empty } else { RowKind::Data }).collect();
        return Layout {
            header: Vec::new(),
            columns: Vec::new(),
            header_cells: Vec::new(),
            kinds,
            why: HeaderWhy::NoLabels { top },
        };
    };
    // The labels may sit under a row of merged group labels ("Đơn vị hành chính mới" over
    // three columns) rather than over sub-labels.
    let (r, two) = if r > 0 && !sheet.merges.is_empty() && is_sub_header(sheet, r - 1) {
        (r - 1, true)
    } else {
        (r, is_sub_header(sheet, r))
    };
    let rows: Vec<usize> = if two { vec![r, r + 1] } else { vec![r] };
    let labelled = if two && labels[r] < need { r + 1 } else { r };
    let sub = match (two, labelled == r) {
        (false, _) => None,
        (true, true) => Some(SubRow::Below { row: r + 2 }),
        (true, false) => Some(SubRow::GroupAbove { row: r + 1 }),
    };
    let why = HeaderWhy::FirstWithLabels { row: labelled + 1, labels: labels[labelled], most, sub };
    with_header(sheet, &rows, why)
}

/// The header rows when the user says the header is row `n` (from 1, as `--header-row`):
/// that row, and the one under it when it holds sub-labels; or why `n` is not a row.
pub fn header_at(sheet: &Sheet, n: usize) -> Result<Vec<usize>, crate::problem::ProblemKind> {
    use crate::problem::ProblemKind;
    if n == 0 {
        return Err(ProblemKind::HeaderRowZero);
    }
    if n > sheet.rows.len() {
        return Err(ProblemKind::HeaderRowBeyond { row: n, rows: sheet.rows.len() });
    }
    Ok(if is_sub_header(sheet, n - 1) { vec![n - 1, n] } else { vec![n - 1] })
}

/// The layout of `sheet` when its header is `rows` (zero-based, one or two rows).
pub fn with_header(sheet: &Sheet, rows: &[usize], why: HeaderWhy) -> Layout {
    let columns = columns(sheet, rows);
    let header_cells = header_cells(sheet, rows, &columns);
    let kinds = classify(sheet, rows, &columns);
    Layout { header: rows.to_vec(), columns, header_cells, kinds, why }
}

/// Whether the row under a header row `r` holds sub-labels: merged group cells above it, or
/// a group label with empty cells to its right over labels, and no numbers.
pub fn is_sub_header(sheet: &Sheet, r: usize) -> bool {
    let Some(below) = sheet.rows.get(r + 1) else { return false };
    if is_empty(below) || is_column_number_row(below) || below.iter().any(|c| matches!(c, Cell::Number(_))) {
        return false;
    }
    // A title row (one label, however wide its merge) is not a group row.
    if label_count(below) == 0 || label_count(&sheet.rows[r]) < 2 {
        return false;
    }
    let grouped = sheet.merges.iter().any(|m| m.top == r && m.bottom == r && m.right > m.left)
        || sheet.merges.iter().any(|m| m.top == r && m.bottom == r + 1);
    if grouped {
        return true;
    }
    // Without merge information: a label in row r with an empty cell right of it, over
    // labels in row r + 1 under both.
    let above = &sheet.rows[r];
    let filled = |row: &[Cell], c: usize| row.get(c).is_some_and(|x| !x.is_empty());
    (1..above.len().max(below.len()))
        .any(|c| filled(above, c - 1) && !filled(above, c) && filled(below, c - 1) && filled(below, c))
        || sub_labels(sheet, r)
}

/// Whether row `r + 1` holds short sub-labels or units ("TC", "(người)") under the labels of
/// row `r`, without merges: text only, each under a label, and empty in the first labelled
/// column, which rows below fill (a data row would name its record there).
fn sub_labels(sheet: &Sheet, r: usize) -> bool {
    let (above, below) = (&sheet.rows[r], &sheet.rows[r + 1]);
    let Some(key) = above.iter().position(|c| !c.is_empty()) else { return false };
    let texts = below.iter().filter(|c| !c.is_empty()).count();
    let labels_only = below.iter().enumerate().all(|(c, cell)| match cell {
        Cell::Empty => true,
        Cell::Text(s) => {
            above.get(c).is_some_and(|a| !a.is_empty())
                && s.chars().count() <= 40
                && crate::bind::parse_decimal(s.trim_end_matches('%')).is_none()
        }
        _ => false,
    });
    if texts < 2 || !labels_only || below.get(key).is_some_and(|c| !c.is_empty()) {
        return false;
    }
    let next: Vec<&Vec<Cell>> = sheet.rows[r + 2..].iter().filter(|row| !is_empty(row)).take(20).collect();
    let keyed = next.iter().filter(|row| row.get(key).is_some_and(|c| !c.is_empty())).count();
    next.len() >= 2 && keyed * 3 >= next.len()
}

/// The text of a header cell at (r, c): its own, or that of the merge covering it.
pub fn header_text(sheet: &Sheet, r: usize, c: usize) -> String {
    match sheet.merge_at(r, c) {
        Some(m) => sheet.cell(m.top, m.left).display(),
        None => sheet.cell(r, c).display(),
    }
}

/// The labelled columns under header `rows`.
pub fn columns(sheet: &Sheet, rows: &[usize]) -> Vec<Column> {
    let Some(&r) = rows.first() else { return Vec::new() };
    let width = rows.iter().map(|&h| sheet.rows.get(h).map_or(0, Vec::len)).max().unwrap_or(0);
    let width =
        sheet.merges.iter().filter(|m| rows.contains(&m.top)).map(|m| m.right + 1).fold(width, usize::max);
    let mut out = Vec::new();
    let mut group_text = String::new();
    for c in 0..width {
        let top = header_text(sheet, r, c);
        if rows.len() == 1 {
            if !top.is_empty() && sheet.merge_at(r, c).is_none_or(|m| m.left == c) {
                out.push(Column { col: c, label: top.clone(), group: None, own: top });
            }
            continue;
        }
        let below = sheet.cell(r + 1, c).display();
        let spans_both = sheet.merge_at(r, c).is_some_and(|m| m.bottom > r);
        // Without merges, a group label covers the empty cells right of it that have sub-labels.
        let group = if !top.is_empty() {
            group_text = top.clone();
            top.clone()
        } else if !below.is_empty() && !group_text.is_empty() && sheet.merges.is_empty() {
            group_text.clone()
        } else {
            group_text.clear();
            String::new()
        };
        if spans_both || below.is_empty() || below == group {
            if !group.is_empty() && sheet.merge_at(r, c).is_none_or(|m| m.left == c) {
                out.push(Column { col: c, label: group.clone(), group: None, own: group });
            }
        } else if group.is_empty() {
            out.push(Column { col: c, label: below.clone(), group: None, own: below });
        } else {
            out.push(Column {
                col: c,
                label: format!("{group} / {below}"),
                group: Some(group.clone()),
                own: below,
            });
        }
    }
    out
}

/// The header as printed: merged cells keep their spans; a group without merge information
/// spans the columns whose sub-labels it covers.
fn header_cells(sheet: &Sheet, rows: &[usize], cols: &[Column]) -> Vec<Vec<HeaderCell>> {
    let Some(&r) = rows.first() else { return Vec::new() };
    if rows.len() == 1 {
        return vec![
            cols.iter()
                .map(|c| HeaderCell {
                    col: c.col,
                    text: c.label.clone(),
                    colspan: sheet.merge_at(r, c.col).map_or(1, |m| m.right - m.left + 1),
                    rowspan: 1,
                })
                .collect(),
        ];
    }
    let mut first: Vec<HeaderCell> = Vec::new();
    let mut second = Vec::new();
    for c in cols {
        match &c.group {
            None => first.push(HeaderCell { col: c.col, text: c.own.clone(), colspan: 1, rowspan: 2 }),
            Some(g) => {
                match first.last_mut() {
                    Some(last)
                        if last.rowspan == 1 && last.text == *g && last.col + last.colspan == c.col =>
                    {
                        last.colspan += 1;
                    }
                    _ => first.push(HeaderCell { col: c.col, text: g.clone(), colspan: 1, rowspan: 1 }),
                }
                second.push(HeaderCell { col: c.col, text: c.own.clone(), colspan: 1, rowspan: 1 });
            }
        }
    }
    vec![first, second]
}

/// Gives every row of the sheet its kind, given the header rows.
fn classify(sheet: &Sheet, header: &[usize], columns: &[Column]) -> Vec<RowKind> {
    let n = sheet.rows.len();
    let mut kinds = vec![RowKind::Empty; n];
    let Some(&first) = header.first() else { return kinds };
    let last = *header.last().unwrap_or(&first);
    let header_folded: Vec<String> = sheet.rows[first].iter().map(|c| vi::fold(&c.display())).collect();
    let header_raw: Vec<String> = sheet.rows[first].iter().map(Cell::display).collect();
    let labelled = header_folded.iter().filter(|s| !s.is_empty()).count();
    for (r, row) in sheet.rows.iter().enumerate().take(first) {
        if !is_empty(row) {
            kinds[r] = RowKind::Title;
        }
    }
    for &h in header {
        kinds[h] = RowKind::Header;
    }
    let mut seen_data = false;
    let mut below_table = false;
    // Right after a header (or a repeated one), a row of column numbers may follow.
    let mut numbers_may_follow = true;
    let mut r = last + 1;
    while r < n {
        let row = &sheet.rows[r];
        if is_empty(row) {
            r += 1;
            continue;
        }
        let repeated = labelled >= 2 && {
            // Folding allocates: a row is folded only when one of its cells repeats its header
            // cell exactly, as a copied header does.
            let copies = row.iter().zip(&header_raw).any(|(c, h)| matches!(c, Cell::Text(s) if s == h));
            let same = || {
                row.iter()
                    .zip(&header_folded)
                    .filter(|(c, h)| !h.is_empty() && matches!(c, Cell::Text(s) if vi::fold(s) == **h))
                    .count()
            };
            copies && same() * 5 >= labelled * 3
        };
        if repeated {
            kinds[r] = RowKind::RepeatedHeader;
            if header.len() == 2 && r + 1 < n && !is_empty(&sheet.rows[r + 1]) {
                r += 1;
                kinds[r] = RowKind::RepeatedHeader;
            }
            below_table = false;
            numbers_may_follow = true;
            r += 1;
            continue;
        }
        kinds[r] = if numbers_may_follow && is_column_number_row(row) {
            RowKind::ColumnNumbers
        } else if below_table {
            RowKind::Signature
        } else if is_total_row(row) {
            RowKind::Total
        } else if is_rounding_row(row) {
            RowKind::Rounding
        } else if seen_data && is_signature_row(row) {
            below_table = true;
            RowKind::Signature
        } else if is_section_row(row, columns.len()) {
            RowKind::Section
        } else {
            seen_data = true;
            RowKind::Data
        };
        numbers_may_follow = false;
        r += 1;
    }
    refine(sheet, columns.len(), &mut kinds);
    kinds
}

/// Second look at the data rows, which needs the rows above them: a row of numbers alone
/// that adds up the data rows above it is an unlabelled total; a row of a few text cells
/// under a record, empty where records start, continues that record.
fn refine(sheet: &Sheet, columns: usize, kinds: &mut [RowKind]) {
    let Some(first_data) = kinds.iter().position(|k| *k == RowKind::Data) else { return };
    // The column where records start (the row number or the name): where the first data row
    // starts.
    let Some(key) = sheet.rows[first_data].iter().position(|c| !c.is_empty()) else { return };
    let width = sheet.width();
    // Running sums of the data rows: since the header, and since the last total.
    let mut sums = [vec![0.0; width], vec![0.0; width]];
    let mut counts = [0usize; 2];
    let mut in_record = false;
    let mut previous = RowKind::Empty;
    for (r, kind) in kinds.iter_mut().enumerate().skip(first_data) {
        let row = &sheet.rows[r];
        if *kind == RowKind::Empty {
            continue;
        }
        if *kind == RowKind::Data
            && row.get(key).is_none_or(Cell::is_empty)
            && sheet.merge_at(r, key).is_none()
        {
            if is_unlabelled_total(row, &sums, counts) {
                *kind = RowKind::Total;
            } else if in_record
                && matches!(previous, RowKind::Data | RowKind::Continuation | RowKind::Section)
                && continues(row, columns)
            {
                *kind = RowKind::Continuation;
            }
        }
        match *kind {
            RowKind::RepeatedHeader | RowKind::Header => {
                sums.iter_mut().for_each(|s| s.fill(0.0));
                counts = [0, 0];
                in_record = false;
            }
            RowKind::Total | RowKind::Rounding => {
                sums[1].fill(0.0);
                counts[1] = 0;
                in_record = false;
            }
            RowKind::Data => {
                for (c, x) in row.iter().enumerate().filter_map(|(c, cell)| Some((c, number(cell)?))) {
                    sums[0][c] += x;
                    sums[1][c] += x;
                }
                counts[0] += 1;
                counts[1] += 1;
                in_record = true;
            }
            _ => {}
        }
        previous = *kind;
    }
}

/// A cell's number: a number cell, or text that reads as one.
fn number(cell: &Cell) -> Option<f64> {
    match cell {
        Cell::Number(n) => Some(*n),
        Cell::Text(s) => crate::bind::parse_decimal(s),
        _ => None,
    }
}

/// Numbers only, at least two, each the sum of its column over two or more data rows above
/// (since the header, or since the last total).
fn is_unlabelled_total(row: &[Cell], sums: &[Vec<f64>; 2], counts: [usize; 2]) -> bool {
    let mut values = 0;
    for cell in row.iter().filter(|c| !c.is_empty()) {
        match number(cell) {
            Some(_) => values += 1,
            None if matches!(cell, Cell::Error(_)) => {}
            None => return false,
        }
    }
    values >= 2
        && (0..2).any(|i| {
            counts[i] >= 2
                && row.iter().enumerate().all(|(c, cell)| {
                    number(cell).is_none_or(|x| (x - sums[i][c]).abs() <= 0.5 + 1e-9 * x.abs())
                })
        })
}

/// Whether `row` can continue a record: text only, in a few cells (a third of the table's
/// columns at most).
fn continues(row: &[Cell], columns: usize) -> bool {
    let filled = row.iter().filter(|c| !c.is_empty()).count();
    filled >= 1
        && filled <= (columns / 3).max(1)
        && row.iter().all(|cell| match cell {
            Cell::Empty => true,
            Cell::Text(s) => s.chars().any(char::is_alphabetic),
            _ => false,
        })
}

/// A cell as an appendix prints it: numbers in Vietnamese style ("2.425", "74,78"), dates
/// dd/mm/yyyy, text as it is.
pub fn print_cell(cell: &Cell) -> String {
    match cell {
        Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => vi::format_int(*n as i64),
        Cell::Number(n) => {
            // Up to 4 decimals, trailing zeros dropped: 14.4 → "14,4".
            let s = vi::format_decimal(*n, 4);
            s.trim_end_matches('0').trim_end_matches(',').to_string()
        }
        Cell::Bool(b) => if *b { "Có" } else { "Không" }.to_string(),
        Cell::Error(_) => String::new(),
        other => other.display(),
    }
}

/// A total typed in a total row that its rows do not add up to.
#[derive(Debug, Clone, PartialEq)]
pub struct TotalMismatch {
    /// The total row, zero-based.
    pub row: usize,
    /// The column, zero-based.
    pub col: usize,
    /// The total as typed.
    pub typed: f64,
    /// What the data rows above add up to (since the last total, or since the header:
    /// whichever is nearer the typed figure).
    pub computed: f64,
}

impl TotalMismatch {
    /// The warning, at the total's cell, with its column's label and both figures.
    pub fn problem(&self, sheet: &Sheet, layout: &Layout) -> crate::problem::Problem {
        let column = layout.columns.iter().find(|c| c.col == self.col).map_or_else(
            || crate::workbook::cell_name(0, self.col).trim_end_matches(char::is_numeric).to_string(),
            |c| c.label.clone(),
        );
        let figure = |x: f64| print_cell(&Cell::Number(x));
        crate::problem::Problem {
            sheet: Some(sheet.name.clone()),
            cell: Some(crate::workbook::cell_name(self.row, self.col)),
            label: Some(column.clone()),
            kind: crate::problem::ProblemKind::TotalMismatch {
                column,
                typed: figure(self.typed),
                computed: figure(self.computed),
            },
        }
    }
}

/// The totals typed in the total rows of `layout` that are neither the sum of the data rows
/// since the header nor since the last total. Only columns of figures that add up are
/// checked: not a rate, an average, a score or a rank, nor the running number.
pub fn total_mismatches(sheet: &Sheet, layout: &Layout) -> Vec<TotalMismatch> {
    let width = sheet.width();
    // Decided only for the columns a total row has a figure in, once each: a sheet with one
    // far-off cell is 16,384 columns wide, and each decision reads the whole column.
    let mut summable: Vec<Option<bool>> = vec![None; width];
    let mut sums = [vec![0.0; width], vec![0.0; width]];
    let mut seen = vec![0usize; width];
    let mut out = Vec::new();
    for (r, kind) in layout.kinds.iter().enumerate() {
        let row = &sheet.rows[r];
        match kind {
            RowKind::Header | RowKind::RepeatedHeader => {
                sums.iter_mut().for_each(|s| s.fill(0.0));
                seen.fill(0);
            }
            RowKind::Data => {
                for (c, x) in row.iter().enumerate().filter_map(|(c, cell)| Some((c, number(cell)?))) {
                    sums[0][c] += x;
                    sums[1][c] += x;
                    seen[c] += 1;
                }
            }
            RowKind::Total => {
                for (c, typed) in row.iter().enumerate().filter_map(|(c, cell)| Some((c, number(cell)?))) {
                    if seen[c] == 0 || !*summable[c].get_or_insert_with(|| adds_up(sheet, layout, c)) {
                        continue;
                    }
                    let near = |x: f64| (typed - x).abs() <= 0.5 + 1e-9 * x.abs();
                    if !near(sums[0][c]) && !near(sums[1][c]) {
                        let (a, b) = (sums[0][c], sums[1][c]);
                        let computed = if (typed - a).abs() <= (typed - b).abs() { a } else { b };
                        out.push(TotalMismatch { row: r, col: c, typed, computed });
                    }
                }
                sums[1].fill(0.0);
            }
            RowKind::Rounding => sums[1].fill(0.0),
            _ => {}
        }
    }
    out
}

/// Whether column `col` holds figures whose total is their sum.
fn adds_up(sheet: &Sheet, layout: &Layout, col: usize) -> bool {
    let mut label: Vec<String> = layout.header.iter().map(|&h| header_text(sheet, h, col)).collect();
    label.dedup();
    let label = vi::fold(&label.join(" "));
    const NOT_SUMS: [&str; 9] =
        ["tỷ lệ", "tỉ lệ", "%", "bình quân", "trung bình", "điểm", "xếp", "hạng", "thứ tự"];
    let percent =
        layout.rows_of(RowKind::Data).any(|r| matches!(sheet.cell(r, col), Cell::Text(t) if t.contains('%')));
    !percent
        && !NOT_SUMS.iter().any(|w| label.contains(&vi::fold(w)))
        && column_align(sheet, layout, col) == "right"
}

/// How an appendix sets a column's cells: "right" for figures (four in five of its filled
/// data cells are numbers, numbers typed as text or percentages), "center" for the running
/// number (STT), "left" for text.
pub fn column_align(sheet: &Sheet, layout: &Layout, col: usize) -> &'static str {
    let mut label: Vec<String> = layout.header.iter().map(|&h| header_text(sheet, h, col)).collect();
    // A label merged over both header rows reads once.
    label.dedup();
    let label = vi::fold(&label.join(" "));
    if ["stt", "tt", "số tt", "số thứ tự"].iter().any(|l| label == vi::fold(l)) {
        return "center";
    }
    let (mut figures, mut filled) = (0, 0);
    for r in layout.rows_of(RowKind::Data) {
        let cell = sheet.cell(r, col);
        if !cell.is_empty() {
            filled += 1;
            figures += usize::from(is_figure(cell));
        }
    }
    if filled > 0 && figures * 5 >= filled * 4 { "right" } else { "left" }
}

/// Whether a cell is a figure: a number, or text such as "2.425", "250,000", "74,78%" or
/// "-1 234" — but not a code with a leading zero ("01.0000"), which is text.
pub fn is_figure(cell: &Cell) -> bool {
    match cell {
        Cell::Number(_) => true,
        Cell::Text(t) => {
            let t = t.trim();
            let t = t.strip_suffix('%').unwrap_or(t).trim_end();
            let t = t.strip_prefix('-').unwrap_or(t);
            let digits: Vec<char> = t.chars().filter(|c| !matches!(c, ' ' | '\u{a0}')).collect();
            let leading_zero = digits.len() > 1 && digits[0] == '0' && digits[1].is_ascii_digit();
            !digits.is_empty()
                && digits[0].is_ascii_digit()
                && digits.last().is_some_and(char::is_ascii_digit)
                && digits.iter().all(|c| c.is_ascii_digit() || matches!(c, '.' | ','))
                && !leading_zero
        }
        _ => false,
    }
}

/// Text with invisible break opportunities (U+200B) inside words too long for a table
/// column: after "," ";" "/" and at least every 20 characters, so a list of room numbers
/// without spaces wraps inside its cell instead of running over the next one.
pub fn breakable(text: &str) -> String {
    const LONG: usize = 20;
    if text.split_whitespace().all(|w| w.chars().count() <= LONG) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut run = 0;
    for ch in text.chars() {
        if run == LONG && !ch.is_whitespace() {
            out.push('\u{200B}');
            run = 0;
        }
        out.push(ch);
        run = if ch.is_whitespace() { 0 } else { run + 1 };
        if matches!(ch, ',' | ';' | '/') && run > 1 {
            out.push('\u{200B}');
            run = 0;
        }
    }
    out
}

fn is_empty(row: &[Cell]) -> bool {
    row.iter().all(Cell::is_empty)
}

/// How many cells of a row look like labels: text that is not a number, not too long.
fn label_count(row: &[Cell]) -> usize {
    row.iter()
        .filter(|c| match c {
            Cell::Text(s) => {
                s.chars().count() <= 120
                    && s.chars().any(char::is_alphabetic)
                    && crate::bind::parse_decimal(s.trim_end_matches('%')).is_none()
            }
            _ => false,
        })
        .count()
}

/// A row of column numbers: every value a small whole number ("1", "(2)") or a single
/// capital letter ("A", "B"), at least two, none repeated (any order: offices reorder them).
pub fn is_column_number_row(row: &[Cell]) -> bool {
    let mut seen: Vec<String> = Vec::new();
    for c in row.iter().filter(|c| !c.is_empty()) {
        let token = match c {
            Cell::Number(n) if n.fract() == 0.0 && (0.0..1000.0).contains(n) => format!("{n}"),
            Cell::Text(s) => {
                let t = s.trim().trim_start_matches('(').trim_end_matches(')').trim();
                let number = !t.is_empty() && t.len() <= 3 && t.chars().all(|ch| ch.is_ascii_digit());
                let letter = t.len() == 1 && t.chars().all(|ch| ch.is_ascii_uppercase());
                if !(number || letter) {
                    return false;
                }
                t.trim_start_matches('0').to_string()
            }
            _ => return false,
        };
        if seen.contains(&token) {
            return false;
        }
        seen.push(token);
    }
    seen.len() >= 2
}

/// A total row: one of the first three cells says "Tổng cộng", "Cộng", "Tổng số" ….
pub fn is_total_row(row: &[Cell]) -> bool {
    static TOTALS: LazyLock<Vec<String>> = LazyLock::new(|| {
        ["Tổng cộng", "Cộng", "Tổng", "Tổng số", "Toàn tỉnh", "Tổng cộng toàn tỉnh", "Cộng toàn tỉnh"]
            .map(vi::fold)
            .to_vec()
    });
    // Every total label starts with "t" or "c" and is short: fold only such cells.
    let candidate =
        |s: &str| s.len() <= 40 && s.chars().next().is_some_and(|c| matches!(c, 'T' | 't' | 'C' | 'c'));
    row.iter()
        .take(3)
        .filter_map(|c| if let Cell::Text(s) = c { Some(s) } else { None })
        // "Tổng cộng: 91 hồ sơ" is a total too: the label before a colon counts.
        .filter_map(|s| s.split(':').next().filter(|l| candidate(l)).map(vi::fold))
        .any(|s| TOTALS.contains(&s))
}

fn is_rounding_row(row: &[Cell]) -> bool {
    static ROUNDING: LazyLock<String> = LazyLock::new(|| vi::fold("Làm tròn"));
    row.iter()
        .take(3)
        // "Làm tròn" starts with an L: fold only such cells.
        .any(|c| {
            matches!(c, Cell::Text(s) if s.len() <= 60
                && s.starts_with(['L', 'l'])
                && vi::fold(s).starts_with(ROUNDING.as_str()))
        })
}

/// A row of the signature block or a note under the table: a few text cells, no numbers,
/// one of which opens like a signature line, a place-and-date line or a note.
fn is_signature_row(row: &[Cell]) -> bool {
    static OPENINGS: LazyLock<Vec<String>> = LazyLock::new(|| {
        [
            "Người lập",
            "Lập biểu",
            "Thủ trưởng",
            "Kế toán",
            "Giám đốc",
            "Phó giám đốc",
            "Chủ tịch",
            "Trưởng ban",
            "Phó trưởng ban",
            "Trưởng phòng",
            "TM.",
            "T/M",
            "KT.",
            "K/T",
            "Xác nhận",
            "(Ký",
            "Ký tên",
            "Nơi nhận",
            "Ghi chú",
            "Người báo cáo",
            "Người tổng hợp",
        ]
        .map(vi::fold)
        .to_vec()
    });
    // Folded as the cells are: fold moves each tone to the end of its syllable ("ngày" is
    // not "ngày" once folded).
    static DATE_WORDS: LazyLock<Vec<String>> =
        LazyLock::new(|| ["ngày", "tháng", "năm"].map(vi::fold).to_vec());
    let filled: Vec<usize> = (0..row.len()).filter(|&c| !row[c].is_empty()).collect();
    if filled.is_empty() || filled.len() > 4 || filled.iter().any(|&c| !matches!(row[c], Cell::Text(_))) {
        return false;
    }
    // Signature lines stand apart ("Người lập biểu" left, "GIÁM ĐỐC" right); a record filling
    // adjacent cells ("Trần Văn A | Trưởng phòng | Sở Nội vụ") is data.
    if filled.len() > 1 && filled.windows(2).all(|w| w[1] == w[0] + 1) {
        return false;
    }
    filled.iter().any(|&c| {
        let f = vi::fold(&row[c].display());
        OPENINGS.iter().any(|o| f.starts_with(o.as_str()))
            || DATE_WORDS.iter().all(|w| f.contains(w.as_str()))
    })
}

/// A section heading: a Roman numeral or a capital letter as the first value, with no number
/// after it; or one lone label in a table of three or more columns.
fn is_section_row(row: &[Cell], columns: usize) -> bool {
    // Formula errors and bare punctuation ("()") do not count as values.
    let cells: Vec<(usize, &Cell)> = row
        .iter()
        .enumerate()
        .filter(|(_, c)| match c {
            Cell::Text(s) => s.chars().any(char::is_alphanumeric),
            Cell::Error(_) => false,
            c => !c.is_empty(),
        })
        .collect();
    let Some(&(first_col, first)) = cells.first() else { return false };
    if first_col > 1 || cells.iter().skip(1).any(|(_, c)| matches!(c, Cell::Number(_))) {
        return false;
    }
    let Cell::Text(text) = first else { return false };
    let marker = text.trim().trim_end_matches(['.', ')']).trim();
    let roman = |m: &str| !m.is_empty() && m.len() <= 10 && m.chars().all(|c| "IVXLC".contains(c));
    let letter = marker.len() == 1 && marker.chars().all(|c| c.is_ascii_uppercase());
    let marked = roman(marker)
        || letter
        || text.split_once(['.', ' ']).is_some_and(|(m, rest)| !rest.trim().is_empty() && roman(m));
    // A lone heading may be long ("Khách sạn A - Loại hạng 2 - ngày kê khai ..."): any length.
    let lone = cells.len() == 1
        && columns >= 3
        && text.chars().any(char::is_alphabetic)
        && crate::bind::parse_decimal(text).is_none();
    marked && cells.len() <= 3 || lone
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workbook::Merge;
    use crate::workbook::test_cells::{n, t};

    #[test]
    fn finds_a_two_row_merged_header_and_every_kind_of_row() {
        let rows = vec![
            vec![t("UBND TỈNH KHÁNH HÒA"), Cell::Empty, Cell::Empty, t("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")],
            vec![t("BẢNG GIÁ ĐỀ NGHỊ")],
            vec![],
            vec![t("STT"), t("Tên hàng"), t("Giá đề nghị"), Cell::Empty, t("Ghi chú")],
            vec![Cell::Empty, Cell::Empty, t("Đơn giá"), t("Thành tiền")],
            vec![t("A"), t("B"), n(1.0), n(2.0), n(3.0)],
            vec![t("I."), t("Nông sản")],
            vec![n(1.0), t("Gạo"), t("250,000"), n(500000.0)],
            vec![n(2.0), t("Ngô"), n(9000.0), n(18000.0), t("x")],
            vec![t("II"), t("Thủy sản")],
            vec![n(3.0), t("Cá"), n(70000.0), n(140000.0)],
            vec![t("Tổng cộng"), Cell::Empty, Cell::Empty, n(658000.0)],
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
        let sheet = Sheet { name: "Giá".into(), rows, merges, ..Sheet::default() };
        let layout = detect(&sheet);
        assert_eq!(layout.header, [3, 4], "{}", layout.why);
        let labels: Vec<&str> = layout.columns.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(
            labels,
            ["STT", "Tên hàng", "Giá đề nghị / Đơn giá", "Giá đề nghị / Thành tiền", "Ghi chú"]
        );
        use RowKind::*;
        assert_eq!(
            layout.kinds,
            [
                Title,
                Title,
                Empty,
                Header,
                Header,
                ColumnNumbers,
                Section,
                Data,
                Data,
                Section,
                Data,
                Total,
                Rounding,
                Empty,
                Signature,
                Signature
            ]
        );
        assert_eq!(
            layout.header_cells[0]
                .iter()
                .map(|c| (c.text.as_str(), c.colspan, c.rowspan))
                .collect::<Vec<_>>(),
            [("STT", 1, 2), ("Tên hàng", 1, 2), ("Giá đề nghị", 2, 1), ("Ghi chú", 1, 2)]
        );
        // The same header without merge information (an ods file) reads the same.
        let bare = Sheet { merges: Vec::new(), ..sheet };
        let labels: Vec<String> = detect(&bare).columns.into_iter().map(|c| c.label).collect();
        assert_eq!(
            labels,
            ["STT", "Tên hàng", "Giá đề nghị / Đơn giá", "Giá đề nghị / Thành tiền", "Ghi chú"]
        );
    }

    #[test]
    fn stacked_tables_repeat_their_header() {
        let header = vec![t("STT"), t("Tên đường"), t("Mô tả"), t("Giá")];
        let rows = vec![
            vec![t("BẢNG 1")],
            header.clone(),
            vec![n(1.0), t("Lê Lợi"), t("Đoạn 1"), n(14.4)],
            vec![n(2.0), t("Trần Phú"), t("5.10"), n(9.0)],
            vec![],
            vec![t("BẢNG 2: ĐẤT NÔNG NGHIỆP")],
            header.clone(),
            vec![n(1.0), t("Xã A"), t("Vùng 1"), n(3.0)],
        ];
        let sheet = Sheet { name: "x".into(), rows, ..Sheet::default() };
        let layout = detect(&sheet);
        use RowKind::*;
        assert_eq!(layout.header, [1]);
        assert_eq!(layout.kinds, [Title, Header, Data, Data, Empty, Section, RepeatedHeader, Data]);
    }

    #[test]
    fn an_empty_row_after_a_repeated_two_row_header_stays_empty() {
        let rows = vec![
            vec![t("STT"), t("Giá"), Cell::Empty, t("Ghi chú")],
            vec![Cell::Empty, t("Đơn giá"), t("Thành tiền")],
            vec![n(1.0), n(2.0), n(3.0), t("x")],
            vec![t("STT"), t("Giá"), Cell::Empty, t("Ghi chú")],
            vec![],
        ];
        let layout = detect(&Sheet { name: "x".into(), rows, ..Sheet::default() });
        assert_eq!(layout.header, [0, 1]);
        assert_eq!(layout.kinds[3..], [RowKind::RepeatedHeader, RowKind::Empty]);
    }

    #[test]
    fn a_list_of_text_codes_is_all_data() {
        let rows = vec![
            vec![t("Tỉnh / Thành Phố"), t("Mã TP"), t("Quận Huyện"), t("Mã QH")],
            vec![t("Thành phố Hà Nội"), t("01"), t("Quận Ba Đình"), t("001")],
            vec![t("Thành phố Hà Nội"), t("01"), t("Quận Hoàn Kiếm"), t("002")],
        ];
        let layout = detect(&Sheet { name: "x".into(), rows, ..Sheet::default() });
        assert_eq!(layout.header, [0]);
        assert_eq!(layout.kinds, [RowKind::Header, RowKind::Data, RowKind::Data]);
    }

    #[test]
    fn totals_with_a_count_long_headings_and_error_cells() {
        assert!(is_total_row(&[t("Tổng cộng: 91 hồ sơ.")]));
        assert!(!is_total_row(&[t("Tổng công ty Điện lực")]));
        let long = "Hoàng Kim Long Hotel - Loại hạng 2 - ngày kê khai 11/04/2017 - ngày thực hiện mức giá kê khai 29/04/2014 - Trạng thái hồ sơ Duyệt";
        assert!(long.chars().count() > 120);
        assert!(is_section_row(&[t(long)], 7));
        assert!(is_section_row(
            &[
                t("A"),
                t("Hạng mục phòng cháy"),
                Cell::Error("#REF!".into()),
                Cell::Error("#REF!".into()),
                t("()")
            ],
            7
        ));
        assert!(!is_section_row(&[n(1.0), t("Gạo"), n(2.0)], 7));
    }

    #[test]
    fn sub_labels_without_merges_an_unlabelled_total_and_continuation_lines() {
        let rows = vec![
            vec![
                Cell::Empty,
                t("HỌ TÊN"),
                t("CHỨC VỤ"),
                t("TC TOÁN"),
                t("TC VĂN"),
                t("THƯ VIỆN"),
                t("Mô tả"),
            ],
            vec![Cell::Empty, Cell::Empty, Cell::Empty, t("TC"), t("TC-BT"), t("TV")],
            vec![n(1.0), t("Nguyễn Thanh Hà"), t("GV"), t("-"), n(10.0), n(5.0), t("Dạy lớp 6")],
            vec![Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty, t("và lớp 7")],
            vec![n(2.0), t("Trần Thanh Việt"), t("GV"), n(5.0), n(5.0), t("-")],
            vec![n(3.0), t("Lê Thu Trang"), t("CTV"), n(5.0), t("-"), t("-")],
            vec![Cell::Empty, Cell::Empty, Cell::Empty, n(10.0), n(15.0), n(5.0)],
        ];
        let layout = detect(&Sheet { name: "x".into(), rows, ..Sheet::default() });
        assert_eq!(layout.header, [0, 1], "{}", layout.why);
        let labels: Vec<&str> = layout.columns.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, ["HỌ TÊN", "CHỨC VỤ", "TC TOÁN / TC", "TC VĂN / TC-BT", "THƯ VIỆN / TV", "Mô tả"]);
        use RowKind::*;
        assert_eq!(layout.kinds, [Header, Header, Data, Continuation, Data, Data, Total]);
    }

    #[test]
    fn a_first_record_with_a_blank_is_data_and_numbers_that_do_not_add_up_are_data() {
        // The first record leaves "Chức vụ" empty, but it names itself in the first column.
        let rows = vec![
            vec![t("Tên"), t("Chức vụ"), t("Đơn vị"), t("Hình thức")],
            vec![t("Phòng Nội vụ"), Cell::Empty, t("Huyện Vạn Ninh"), t("Bằng khen")],
            vec![t("Trần Văn A"), t("Trưởng phòng"), t("Sở Nội vụ"), t("Giấy khen")],
            vec![t("Lê Thị B"), t("Phó trưởng phòng"), t("Sở Nội vụ"), t("Giấy khen")],
        ];
        let layout = detect(&Sheet { name: "x".into(), rows, ..Sheet::default() });
        assert_eq!(layout.header, [0]);
        assert_eq!(layout.kinds[1..], [RowKind::Data; 3]);
        let rows = vec![
            vec![t("STT"), t("Năm"), t("Số hộ"), t("Số khẩu")],
            vec![n(1.0), n(2019.0), n(120.0), n(480.0)],
            vec![n(2.0), n(2020.0), n(125.0), n(500.0)],
            vec![Cell::Empty, n(2021.0), n(130.0), n(520.0)],
            vec![Cell::Empty, n(4039.0), n(245.0), n(980.0)],
        ];
        let layout = detect(&Sheet { name: "x".into(), rows, ..Sheet::default() });
        use RowKind::*;
        assert_eq!(layout.kinds, [Header, Data, Data, Data, Data]);
    }

    #[test]
    fn a_place_and_date_line_under_the_list_starts_the_signature_block() {
        let rows = vec![
            vec![t("STT"), t("Họ và tên"), t("Chức vụ"), t("Đơn vị"), t("Hình thức")],
            vec![n(1.0), t("Hoàng Văn Nam"), t("Chuyên viên"), t("Phòng Tư pháp"), t("Giấy khen")],
            vec![Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty, t("Cam Lâm, ngày 10 tháng 12 năm 2024")],
            vec![Cell::Empty, t("NGƯỜI LẬP BIỂU"), Cell::Empty, Cell::Empty, t("TRƯỞNG PHÒNG")],
        ];
        let layout = detect(&Sheet { name: "x".into(), rows, ..Sheet::default() });
        use RowKind::*;
        assert_eq!(layout.kinds, [Header, Data, Signature, Signature]);
    }

    #[test]
    fn long_words_get_break_opportunities() {
        assert_eq!(breakable("Đẹp, rộng rãi"), "Đẹp, rộng rãi");
        let rooms = "203,303,403,503,603,703,803";
        assert_eq!(breakable(rooms), rooms.replace(',', ",\u{200B}"));
        let digits = "1".repeat(45);
        let broken = breakable(&digits);
        assert_eq!(broken.matches('\u{200B}').count(), 2);
        assert_eq!(broken.replace('\u{200B}', ""), digits);
    }

    #[test]
    fn column_number_rows_in_any_order() {
        assert!(is_column_number_row(&[n(1.0), n(2.0), n(3.0)]));
        assert!(is_column_number_row(&[t("A"), t("B"), t("(1)"), t("(2)")]));
        assert!(is_column_number_row(&[n(1.0), n(3.0), n(2.0)]));
        assert!(!is_column_number_row(&[n(1.0), n(1.0)]));
        assert!(!is_column_number_row(&[t("Nha Trang"), n(1.0)]));
    }

    fn sheet(rows: Vec<Vec<Cell>>) -> Sheet {
        Sheet { name: "Tiền thưởng".into(), rows, ..Sheet::default() }
    }

    #[test]
    fn a_typed_total_its_rows_do_not_add_up_to_is_found_with_both_figures() {
        let header = vec![t("STT"), t("Họ và tên"), t("Số tiền"), t("Tỷ lệ"), t("Điểm")];
        let rows = |total: f64| {
            vec![
                header.clone(),
                vec![n(1.0), t("Lê An"), n(1_500_000.0), t("40%"), n(90.0)],
                vec![n(2.0), t("Trần Bình"), t("2.000.000"), t("60%"), n(95.0)],
                vec![t("Tổng cộng"), Cell::Empty, n(total), t("100%"), n(92.5)],
            ]
        };
        let wrong = sheet(rows(4_000_000.0));
        let layout = detect(&wrong);
        assert_eq!(layout.kinds[3], RowKind::Total);
        let found = total_mismatches(&wrong, &layout);
        // The rate and the score are not sums: only the amount is checked.
        assert_eq!(found, [TotalMismatch { row: 3, col: 2, typed: 4_000_000.0, computed: 3_500_000.0 }]);
        let p = found[0].problem(&wrong, &layout);
        assert_eq!((p.cell.as_deref(), p.label.as_deref()), (Some("C4"), Some("Số tiền")));
        assert_eq!(
            p.kind,
            crate::problem::ProblemKind::TotalMismatch {
                column: "Số tiền".into(),
                typed: "4.000.000".into(),
                computed: "3.500.000".into()
            }
        );
        let right = sheet(rows(3_500_000.0));
        assert!(total_mismatches(&right, &detect(&right)).is_empty());
    }

    #[test]
    fn subtotals_and_a_grand_total_each_add_up_their_own_rows() {
        let rows = vec![
            vec![t("STT"), t("Đơn vị"), t("Số tiền")],
            vec![t("I"), t("Tập thể")],
            vec![n(1.0), t("Hội Nông dân"), n(3_600_000.0)],
            vec![n(2.0), t("Đoàn Thanh niên"), n(3_600_000.0)],
            vec![t("Cộng"), Cell::Empty, n(7_200_000.0)],
            vec![t("II"), t("Cá nhân")],
            vec![n(3.0), t("Lê An"), n(1_800_000.0)],
            vec![t("Cộng"), Cell::Empty, n(1_800_000.0)],
            vec![t("Tổng cộng"), Cell::Empty, n(9_000_000.0)],
        ];
        let s = sheet(rows);
        let layout = detect(&s);
        assert_eq!(layout.rows_of(RowKind::Total).count(), 3);
        assert!(total_mismatches(&s, &layout).is_empty());
    }

    #[test]
    fn figures_are_right_aligned_codes_and_text_left_the_running_number_centred() {
        for (cell, figure) in [
            (n(5.0), true),
            (t("2.425"), true),
            (t("250,000"), true),
            (t("74,78%"), true),
            (t("-1 234"), true),
            (t("0,5"), true),
            (t("01.0000"), false),
            (t("09"), false),
            (t("Gạo"), false),
            (t("1.2."), false),
            (t("%"), false),
            (Cell::Empty, false),
        ] {
            assert_eq!(is_figure(&cell), figure, "{cell:?}");
        }
        let rows = vec![
            vec![t("STT"), t("Mã"), t("Tên"), t("Số tiền")],
            vec![n(1.0), t("01.01"), t("Gạo"), n(500_000.0)],
            vec![n(2.0), t("01.02"), t("Ngô"), t("18.000")],
        ];
        let s = sheet(rows);
        let layout = detect(&s);
        let aligns: Vec<&str> = (0..4).map(|c| column_align(&s, &layout, c)).collect();
        assert_eq!(aligns, ["center", "left", "left", "right"]);
    }
}
