//! Stage 2, bind: a workbook is checked against a template's manifest and becomes the
//! context(s) the template renders. Every problem is collected, each with its cell address,
//! and returned at once; rows that are not data (totals, column numbers, unknown items) are
//! listed as set aside with their reason, so no row goes missing unnoticed.

use crate::manifest::{FieldSpec, FieldType, Manifest, SheetKind, SheetSpec};
pub use crate::problem::Problem;
use crate::problem::{Expected, ItemHint, ProblemKind, SheetFix, ValueError};
use crate::profile::Profile;
use crate::table::{self, HEADER_SEARCH_ROWS, RowKind};
use crate::vi;
use crate::workbook::{Cell, Sheet, Workbook, cell_name};
use serde_json::{Map, Value, json};

/// Whether the profile supplies field `f` of a keys sheet (`--set`).
fn sets(ov: &Profile, f: &FieldSpec) -> bool {
    ov.set.iter().any(|(k, _)| names_field(f, k))
}

/// Whether `manifest` reads `key`: an item of a keys sheet (`keys_only`, for `--set`) or
/// any field (`--map`).
pub fn reads(manifest: &Manifest, key: &str, keys_only: bool) -> bool {
    manifest
        .sheets
        .iter()
        .filter(|s| !keys_only || s.kind == SheetKind::Keys)
        .flat_map(|s| &s.fields)
        .any(|f| names_field(f, key))
}

/// Only the parts of `profile` that `manifest` reads (what the page checks a template with,
/// so that an item typed for one template is no problem of another).
pub fn profile_for(manifest: &Manifest, profile: &Profile) -> Profile {
    Profile {
        sheet: profile.sheet.clone(),
        header_row: profile.header_row,
        map: profile.map.iter().filter(|(f, _)| reads(manifest, f, false)).cloned().collect(),
        set: profile.set.iter().filter(|(k, _)| reads(manifest, k, true)).cloned().collect(),
    }
}

/// Whether `name` (an id or a label, loosely) names field `f`.
pub fn names_field(f: &FieldSpec, name: &str) -> bool {
    f.id == name.trim() || field_matches(f, &vi::fold(name))
}

/// The problem of a `--sheet` that names no sheet of `wb`.
fn no_sheet_named(wb: &Workbook, name: &str) -> Problem {
    Problem::general(ProblemKind::NoSuchSheet { name: name.to_string(), sheets: sheet_names(wb) })
}

/// The names of the workbook's sheets, in order.
fn sheet_names(wb: &Workbook) -> Vec<String> {
    wb.sheets.iter().map(|s| s.name.clone()).collect()
}

/// The spec the `--sheet` option points at: the one-per table, else the first table.
fn sheet_target(manifest: &Manifest) -> Option<&SheetSpec> {
    manifest
        .one_per
        .as_deref()
        .and_then(|id| manifest.sheet(id))
        .or_else(|| manifest.sheets.iter().find(|s| s.kind == SheetKind::Table))
}

/// A row of the workbook that did not become data, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SetAside {
    /// The sheet.
    pub sheet: String,
    /// The row number as the workbook shows it (from 1).
    pub row: usize,
    /// Why the row was not used; `messages::aside` makes it a sentence.
    #[serde(flatten)]
    pub why: Aside,
}

impl SetAside {
    /// The reason in English, as `set-aside.csv` records it.
    pub fn reason(&self) -> String {
        crate::messages::aside(&self.why, crate::messages::Lang::En)
    }
}

/// Why a row was set aside, as data (kind and parameters).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum Aside {
    /// The table's reader classed the row as not data (a title, a total, a heading …).
    Row {
        /// What the row is.
        kind: RowKind,
    },
    /// A section heading straight under a record: it may be the rest of that row.
    HeadingOrRest {
        /// The record's row (from 1).
        above: usize,
    },
    /// More text for the record above, but in a column no text field reads.
    ContinuationUnread,
    /// A key/value row whose item the template does not read.
    ItemUnused {
        /// The item's label as typed.
        item: String,
        /// The closest label the template reads.
        maybe: Option<String>,
    },
    /// A value with nothing in column A above it.
    ValueWithoutItem,
    /// Cells right of column B on a key/value sheet.
    BeyondColumnB,
    /// A table row holding nothing but formula errors (the cached #N/A of lookups copied
    /// down past the data): empty, not a record missing its values.
    FormulaErrorsOnly {
        /// The errors it holds, each once, in order ("#N/A").
        errors: Vec<String>,
    },
}

/// The records of a one-per template's table: one document each.
#[derive(Debug, Clone, PartialEq)]
pub struct Records {
    /// The sheet the records come from.
    pub sheet: String,
    /// Each record with its row number in the sheet (from 1).
    pub rows: Vec<(Value, usize)>,
}

/// A workbook bound to a manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    /// The context every document shares. For a one-per template the one-per table is left
    /// out (each document gets its own record as `row`), so a batch of 10,000 certificates
    /// does not carry 10,000 copies of the table.
    pub shared: Value,
    /// The one-per records, or `None` when the template makes one document.
    pub records: Option<Records>,
    /// Rows that were read but not used, with the reason.
    pub set_aside: Vec<SetAside>,
    /// The cells whose values reached the context, per sheet: (zero-based row, column).
    /// Only these are printed, so only these are checked for unprintable characters.
    pub used: Vec<(String, Vec<(usize, usize)>)>,
    /// Where each table sheet was read.
    pub tables: Vec<TablePlace>,
    /// Things the user should know that are not problems: a column no field reads, items
    /// read from another sheet than their own, the sheet an appendix printed.
    pub notes: Vec<Problem>,
    /// What the user should hear of though nothing stops: totals typed in the workbook that
    /// its rows do not add up to.
    pub warnings: Vec<Problem>,
}

impl Bound {
    /// How many documents the template makes from this workbook.
    pub fn len(&self) -> usize {
        self.records.as_ref().map_or(1, |r| r.rows.len())
    }

    /// Whether there is no document to make (a one-per table without rows).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The full context of document `i`: the shared context, plus `row` for one-per.
    pub fn context(&self, i: usize) -> Value {
        let mut c = self.shared.clone();
        if let Some(records) = &self.records {
            c["row"] = records.rows[i].0.clone();
        }
        c
    }

    /// The sheet and row (from 1) document `i` comes from, for one-per templates.
    pub fn source(&self, i: usize) -> Option<(String, usize)> {
        self.records.as_ref().map(|r| (r.sheet.clone(), r.rows[i].1))
    }
}

/// The names of the sheets of `wb` that `manifest` reads.
pub fn sheets_read(wb: &Workbook, manifest: &Manifest, ov: &Profile) -> Vec<String> {
    let mut read: Vec<String> = manifest
        .sheets
        .iter()
        .filter_map(|s| find_sheet(wb, manifest, s, ov))
        .map(|s| s.name.clone())
        .collect();
    for spec in manifest.sheets.iter().filter(|s| s.each) {
        read.extend(
            decision_sheets(wb, spec)
                .iter()
                .map(|s| s.name.clone())
                .filter(|n| !read.contains(n))
                .collect::<Vec<_>>(),
        );
    }
    read
}

/// What a workbook lacks for a template, as `build` tells it when it skips the template.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Missing {
    /// The required sheets that are absent (their usual names). A keys sheet whose items are
    /// on another key/value sheet, or all come from `--set`, is not missing.
    pub sheets: Vec<String>,
    /// Per absent key/value sheet (its usual name), its required items that no sheet has.
    pub items: Vec<(String, Vec<String>)>,
}

impl Missing {
    /// Whether nothing is missing.
    pub fn is_empty(&self) -> bool {
        self.sheets.is_empty() && self.items.is_empty()
    }
}

/// The required sheets, and the required items of absent key/value sheets, that `wb` does
/// not have for `manifest`.
pub fn missing(wb: &Workbook, manifest: &Manifest, ov: &Profile) -> Missing {
    let mut out = Missing::default();
    for spec in manifest.sheets.iter().filter(|s| s.required) {
        let found = find_sheet(wb, manifest, spec, ov);
        if spec.kind == SheetKind::Table {
            if found.is_none() {
                out.sheets.push(spec.names[0].clone());
            }
            continue;
        }
        if named_sheet(wb, spec).is_some() {
            continue;
        }
        // Without a sheet to read them from, the items no key/value sheet has at all.
        let labels = match found {
            Some(sheet) => column_a(sheet),
            None => wb.sheets.iter().filter(|s| is_key_value(s)).flat_map(column_a).collect(),
        };
        let lacking: Vec<String> = spec
            .fields
            .iter()
            // An item a rule can make is not lacking (if the rule cannot, binding says so).
            .filter(|f| f.required && f.derive.is_none() && !sets(ov, f))
            .filter(|f| !labels.iter().any(|l| field_matches(f, &vi::fold(l))))
            .map(|f| f.label.clone())
            .collect();
        if found.is_none() && !lacking.is_empty() {
            out.sheets.push(spec.names[0].clone());
        }
        if !lacking.is_empty() {
            out.items.push((spec.names[0].clone(), lacking));
        }
    }
    out
}

/// Whether `sheet` looks like a key/value sheet: labels in column A (text, on at least two
/// rows; repeated, or left blank under a list's first value, as "Nơi nhận" is), values in B,
/// nothing beyond, and at most 100 rows.
fn is_key_value(sheet: &Sheet) -> bool {
    if sheet.rows.len() > 100 {
        return false;
    }
    let labels = (0..sheet.rows.len()).filter(|&r| matches!(sheet.cell(r, 0), Cell::Text(_))).count();
    labels >= 2
        && sheet.rows.iter().all(|row| {
            row.iter().skip(2).all(Cell::is_empty)
                && matches!(row.first(), None | Some(Cell::Empty | Cell::Text(_)))
        })
}

/// The required sheets of `manifest` that `wb` lacks (their usual names): [`missing`]'s
/// sheets, for callers that need no items.
pub fn missing_sheets(wb: &Workbook, manifest: &Manifest, ov: &Profile) -> Vec<String> {
    missing(wb, manifest, ov).sheets
}

/// The labels in column A of a sheet.
fn column_a(sheet: &Sheet) -> Vec<String> {
    (0..sheet.rows.len()).map(|r| sheet.cell(r, 0).display()).filter(|l| !l.is_empty()).collect()
}

/// Binds `wb` to `manifest`: every problem at once, or the documents' data. A workbook of
/// several decisions is bound by [`crate::decisions::bind_all`].
pub fn bind(wb: &Workbook, manifest: &Manifest, ov: &Profile) -> Result<Bound, Vec<Problem>> {
    bind_in(wb, manifest, ov, None)
}

/// [`bind`], with `decision` (one of several decision sheets, which `manifest` names as its
/// `each` sheet) also giving the other keys sheets' items it has: a decision's own issuing
/// body, header form or place; an item left blank there is none for this decision.
pub(crate) fn bind_in(
    wb: &Workbook,
    manifest: &Manifest,
    ov: &Profile,
    decision: Option<&Sheet>,
) -> Result<Bound, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut deferred: Vec<Deferred> = Vec::new();
    let mut tables: Vec<TablePlace> = Vec::new();
    let mut set_aside = Vec::new();
    let mut warnings = Vec::new();
    let mut context = Map::new();
    let mut totals = Map::new();
    let mut records = None;
    let mut used: Vec<(String, Vec<(usize, usize)>)> = Vec::new();
    let mut notes = Vec::new();
    // Rows of key/value sheets that a spec does not read: set aside only when no other spec
    // (reading the same sheet) reads them.
    let mut unread: Vec<SetAside> = Vec::new();
    for spec in &manifest.sheets {
        let found = find_sheet(wb, manifest, spec, ov);
        let elsewhere = found.is_some() && spec.kind == SheetKind::Keys && named_sheet(wb, spec).is_none();
        // A keys sheet may come wholly from --set.
        let supplied = spec.kind == SheetKind::Keys && spec.fields.iter().any(|f| sets(ov, f));
        // Items given only with --set: their problems name the sheet they stand for.
        let empty = Sheet { name: spec.names[0].clone(), ..Sheet::default() };
        let Some(sheet) = found.or(supplied.then_some(&empty)) else {
            if let (Some(name), true) = (&ov.sheet, sheet_target(manifest).is_some_and(|t| t.id == spec.id)) {
                problems.push(no_sheet_named(wb, name));
            } else if spec.required {
                let fix = match spec.kind {
                    SheetKind::Keys => SheetFix::SetItems,
                    _ if sheet_target(manifest).is_some_and(|t| t.id == spec.id) => SheetFix::NameSheet,
                    _ => SheetFix::None,
                };
                problems.push(Problem::general(ProblemKind::NoSheet {
                    wanted: spec.names[0].clone(),
                    looked_for: spec.names.clone(),
                    sheets: sheet_names(wb),
                    fix,
                }));
            }
            context.insert(spec.id.clone(), empty_value(spec));
            continue;
        };
        if elsewhere {
            notes.push(Problem::general(ProblemKind::ItemsElsewhere {
                wanted: spec.names[0].clone(),
                sheet: sheet.name.clone(),
            }));
        }
        let mut ctx = SheetCtx {
            sheet,
            columns: Vec::new(),
            deferred: &mut deferred,
            problems: &mut problems,
            set_aside: &mut set_aside,
            notes: &mut notes,
            warnings: &mut warnings,
            used: Vec::new(),
            ov,
        };
        match spec.kind {
            SheetKind::Keys => {
                let instead_of = elsewhere.then(|| spec.names[0].as_str());
                context.insert(spec.id.clone(), ctx.bind_keys(spec, instead_of, &mut unread));
            }
            SheetKind::Table => {
                let header =
                    ov.header_row.filter(|_| sheet_target(manifest).is_some_and(|t| t.id == spec.id));
                // Neither named so nor given with --sheet: the sheet whose header fits best.
                let guessed = named_sheet(wb, spec).is_none()
                    && !(ov.sheet.is_some() && sheet_target(manifest).is_some_and(|t| t.id == spec.id));
                let mut rows = ctx.bind_table(spec, header, guessed.then(|| spec.names[0].as_str()));
                tables.push(TablePlace {
                    spec: spec.id.clone(),
                    sheet: sheet.name.clone(),
                    columns: std::mem::take(&mut ctx.columns),
                });
                add_ranks(spec, &mut rows);
                totals.insert(spec.id.clone(), table_totals(spec, &rows));
                if manifest.one_per.as_deref() == Some(spec.id.as_str()) {
                    records = Some(Records { sheet: sheet.name.clone(), rows });
                } else {
                    context.insert(spec.id.clone(), Value::Array(rows.into_iter().map(|(v, _)| v).collect()));
                }
            }
        }
        if found.is_some() {
            used.push((sheet.name.clone(), ctx.used));
        }
    }
    if let Some(d) = decision {
        let cells = overlay_decision(d, manifest, ov, &mut context, &mut problems);
        used.push((d.name.clone(), cells));
    }
    derive_items(manifest, ov, &mut context, deferred, decision, &mut notes, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    for u in unread {
        let read =
            used.iter().any(|(name, cells)| *name == u.sheet && cells.iter().any(|&(r, _)| r + 1 == u.row));
        if !read && !set_aside.iter().any(|s| s.sheet == u.sheet && s.row == u.row) {
            set_aside.push(u);
        }
    }
    context.insert("totals".into(), Value::Object(totals));
    Ok(Bound { shared: Value::Object(context), records, set_aside, used, notes, warnings, tables })
}

/// A required item left out whose field has a `derive` rule: its problem, raised only when
/// the rule cannot make the value.
struct Deferred {
    sheet: String,
    field: String,
    problem: Problem,
}

/// Where a table sheet was read: its spec, the sheet and each bound field's column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TablePlace {
    /// The spec's id.
    pub spec: String,
    /// The sheet's name.
    pub sheet: String,
    /// (field id, zero-based column) of each field found.
    pub columns: Vec<(String, usize)>,
}

/// Sets, in `context`, the items of the keys sheets the `each` one `overrides` that the
/// decision sheet `d` has (a blank value is none); `--set` still wins. Returns the cells read.
fn overlay_decision(
    d: &Sheet,
    manifest: &Manifest,
    ov: &Profile,
    context: &mut Map<String, Value>,
    problems: &mut Vec<Problem>,
) -> Vec<(usize, usize)> {
    let mut cells = Vec::new();
    let overridden: Vec<&String> =
        manifest.sheets.iter().filter(|s| s.each).flat_map(|s| &s.overrides).collect();
    for spec in manifest.sheets.iter().filter(|s| overridden.contains(&&s.id)) {
        for r in 0..d.rows.len() {
            let key = vi::fold(&d.cell(r, 0).display());
            let Some(f) = spec.fields.iter().find(|f| !f.many && field_matches(f, &key)) else { continue };
            if sets(ov, f) {
                continue;
            }
            match convert(d.cell(r, 1), f) {
                Ok(v) => {
                    context[&spec.id][&f.id] = v;
                    cells.push((r, 0));
                    cells.push((r, 1));
                }
                Err(e) => problems.push(Problem {
                    sheet: Some(d.name.clone()),
                    cell: Some(cell_name(r, 1)),
                    label: Some(f.label.clone()),
                    kind: ProblemKind::BadValue(e),
                }),
            }
        }
    }
    cells
}

/// Makes the keys items the workbook left out that have a `derive` rule, in manifest order
/// (so one made item may feed the next), each as a note; an item the rule cannot make and
/// that is required gets its deferred problem.
fn derive_items(
    manifest: &Manifest,
    ov: &Profile,
    context: &mut Map<String, Value>,
    deferred: Vec<Deferred>,
    decision: Option<&Sheet>,
    notes: &mut Vec<Problem>,
    problems: &mut Vec<Problem>,
) {
    let text = |context: &Map<String, Value>, path: &str| -> String {
        let (sheet, field) = path.split_once('.').unwrap_or_default();
        match &context.get(sheet).map_or(&Value::Null, |s| &s[field]) {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        }
    };
    let label = |path: &str| {
        let (sheet, field) = path.split_once('.').unwrap_or_default();
        manifest.sheet(sheet).and_then(|s| s.fields.iter().find(|f| f.id == field)).map(|f| f.label.clone())
    };
    for spec in manifest.sheets.iter().filter(|s| s.kind == SheetKind::Keys) {
        for f in &spec.fields {
            let Some(rule) = &f.derive else { continue };
            if !context.get(&spec.id).is_some_and(|s| s[&f.id].is_null()) || sets(ov, f) {
                continue;
            }
            let args: Vec<String> = rule.from.iter().map(|p| text(context, p)).collect();
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            match crate::derive::apply(&rule.rule, &args) {
                Some(value) => {
                    let from = rule.from.iter().filter_map(|p| label(p)).collect();
                    // A value made for one of several decisions says which.
                    let kind = ProblemKind::Derived { item: f.label.clone(), value: value.clone(), from };
                    notes.push(match decision {
                        Some(d) => Problem::in_sheet(&d.name, kind),
                        None => Problem::general(kind),
                    });
                    context[&spec.id][&f.id] = Value::String(value);
                }
                None => problems.extend(
                    deferred
                        .iter()
                        .filter(|d| d.sheet == spec.id && d.field == f.id)
                        .map(|d| d.problem.clone()),
                ),
            }
        }
    }
}

/// Binds one whole sheet for an `input = "sheet"` template: the sheet `--sheet` names, or
/// the first visible sheet with a table. Every non-empty cell of the sheet lands in the
/// context: title lines, the header (with spans), each row with its kind, notes under the
/// table. Formula errors are problems (they must never print as data).
pub fn bind_sheet(wb: &Workbook, ov: &Profile) -> Result<Bound, Vec<Problem>> {
    let problem_in = |sheet: &Sheet, kind: ProblemKind| vec![Problem::in_sheet(&sheet.name, kind)];
    // The sheet and its layout; the layout found while choosing the sheet is kept.
    let (sheet, detected) = match &ov.sheet {
        Some(name) => (wb.sheet(name).ok_or_else(|| vec![no_sheet_named(wb, name)])?, None),
        None => wb
            .sheets
            .iter()
            .filter(|s| !s.hidden)
            .find_map(|s| Some((s, table::detect(s))).filter(|(_, l)| !l.header.is_empty()))
            .map(|(s, l)| (s, Some(l)))
            .ok_or_else(|| vec![Problem::general(ProblemKind::NoTableSheet { sheets: sheet_names(wb) })])?,
    };
    let printed = match &ov.sheet {
        None => vec![Problem::general(ProblemKind::SheetPrinted {
            sheet: sheet.name.clone(),
            sheets: sheet_names(wb),
        })],
        Some(_) => Vec::new(),
    };
    let layout = match (ov.header_row, detected) {
        (Some(n), _) => {
            let rows = table::header_at(sheet, n).map_err(|m| problem_in(sheet, m))?;
            table::with_header(sheet, &rows, table::HeaderWhy::Given { row: n })
        }
        (None, Some(layout)) => layout,
        (None, None) => table::detect(sheet),
    };
    if layout.header.is_empty() {
        return Err(problem_in(sheet, ProblemKind::NoTable { why: layout.why }));
    }
    // Columns that hold anything from the header down; fully empty ones are not printed.
    let first = layout.header[0];
    let width = sheet.width();
    // One pass over the cells there are (rows are ragged): a far-off cell at XFD1048576
    // must not cost rows × columns.
    let mut filled = vec![false; width];
    for row in &sheet.rows[first.min(sheet.rows.len())..] {
        for (c, cell) in row.iter().enumerate() {
            filled[c] |= !cell.is_empty();
        }
    }
    let shown: Vec<usize> = (0..width).filter(|&c| filled[c]).collect();
    let mut problems = Vec::new();
    let mut used = Vec::new();
    let mut print = |r: usize, c: usize| -> String {
        let cell = sheet.cell(r, c);
        if let Cell::Error(e) = cell {
            problems.push(Problem {
                sheet: Some(sheet.name.clone()),
                cell: Some(cell_name(r, c)),
                label: None,
                kind: ProblemKind::BadValue(ValueError::FormulaError { error: e.clone() }),
            });
            return String::new();
        }
        if !cell.is_empty() {
            used.push((r, c));
        }
        table::breakable(&table::print_cell(cell))
    };
    // A title or signature row of two far-apart texts (the issuing body left, the national
    // motto right; "Người lập biểu" left, "GIÁM ĐỐC" right) prints as two columns, and so
    // does a lone text in the right half (the motto under the national name, "GIÁM ĐỐC"
    // under the date: `two` with an empty left); any other such row as one line.
    let sides = |r: usize, print: &mut dyn FnMut(usize, usize) -> String| -> Value {
        let cells: Vec<(usize, String)> =
            (0..sheet.rows[r].len()).map(|c| (c, print(r, c))).filter(|(_, t)| !t.is_empty()).collect();
        let texts =
            |cells: &[(usize, String)]| cells.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>().join("   ");
        let (left, right) = match cells.as_slice() {
            [(a, _), (b, _), ..] if b - a > 1 => (cells[0].1.clone(), texts(&cells[1..])),
            [(a, t)] if *a > 0 && 2 * a >= width => (String::new(), t.clone()),
            _ => return json!({ "two": false, "left": "", "right": "", "text": texts(&cells) }),
        };
        json!({ "two": true, "left": left, "right": right, "text": texts(&cells) })
    };
    let title: Vec<Value> = layout.rows_of(RowKind::Title).map(|r| sides(r, &mut print)).collect();
    // The printed header over the shown columns: every column gets exactly one cell per
    // header row (a span counts for the columns it covers), so the table's grid lines up.
    let mut header_used = Vec::new();
    let depth = layout.header.len();
    let mut covered = vec![vec![false; shown.len()]; depth];
    let mut header: Vec<Vec<Value>> = vec![Vec::new(); depth];
    for (i, cells) in layout.header_cells.iter().enumerate() {
        for h in cells {
            let Some(at) = shown.iter().position(|&c| c == h.col) else { continue };
            let span = shown[at..].iter().take_while(|&&c| c < h.col + h.colspan).count().max(1);
            let rows = h.rowspan.min(depth - i);
            if (i..i + rows).any(|y| (at..at + span).any(|x| covered[y][x])) {
                continue;
            }
            for row in covered.iter_mut().skip(i).take(rows) {
                row[at..at + span].iter_mut().for_each(|x| *x = true);
            }
            for &row in &layout.header {
                for col in h.col..h.col + h.colspan {
                    if !sheet.cell(row, col).is_empty() {
                        header_used.push((row, col));
                    }
                }
            }
            header[i].push(json!({ "text": h.text, "colspan": span, "rowspan": rows, "x": at }));
        }
    }
    for (i, row) in header.iter_mut().enumerate() {
        for x in 0..shown.len() {
            if !covered[i][x] {
                let rows = depth - i;
                for r in covered.iter_mut().skip(i) {
                    r[x] = true;
                }
                row.push(json!({ "text": "", "colspan": 1, "rowspan": rows, "x": x }));
            }
        }
        row.sort_by_key(|c| c["x"].as_u64());
    }
    let mut rows = Vec::new();
    let mut notes = Vec::new();
    for (r, kind) in layout.kinds.iter().enumerate().skip(layout.header.last().map_or(0, |h| h + 1)) {
        match kind {
            RowKind::Empty => {}
            RowKind::Signature => notes.push(sides(r, &mut print)),
            kind => {
                let cells: Vec<String> = shown.iter().map(|&c| print(r, c)).collect();
                // What the template prints per kind: a data row cell by cell; a section
                // heading across the whole table; any other row (a total) with each label
                // spanning the empty cells right of it ("Tổng cộng: 5 người" would otherwise
                // wrap word by word in a narrow first column).
                let row = match kind {
                    RowKind::Data | RowKind::Continuation | RowKind::ColumnNumbers => {
                        json!({ "kind": kind, "cells": cells, "row": r + 1 })
                    }
                    RowKind::Section => {
                        let text =
                            cells.iter().filter(|t| !t.is_empty()).cloned().collect::<Vec<_>>().join(" ");
                        json!({ "kind": kind, "text": text, "row": r + 1 })
                    }
                    _ => {
                        let mut spans: Vec<(String, usize)> = Vec::new();
                        for cell in cells {
                            match spans.last_mut() {
                                Some((label, n)) if cell.is_empty() && parse_decimal(label).is_none() => {
                                    *n += 1
                                }
                                _ => spans.push((cell, 1)),
                            }
                        }
                        let spans: Vec<Value> = spans
                            .into_iter()
                            .map(|(t, n)| {
                                let figure = table::is_figure(&Cell::Text(t.clone()));
                                json!({ "text": t, "colspan": n, "align": if figure { "right" } else { "left" } })
                            })
                            .collect();
                        json!({ "kind": kind, "spans": spans, "row": r + 1 })
                    }
                };
                rows.push(row);
            }
        }
    }
    used.extend(header_used);
    if !problems.is_empty() {
        return Err(problems);
    }
    // Column widths from the text: at least the longest word (a word cannot wrap), else the
    // typical length of the column's data cells, within 4 and 40 characters.
    let widths: Vec<usize> = shown
        .iter()
        .map(|&c| {
            let (mut longest_word, mut total, mut count) = (0, 0, 0);
            for r in first..sheet.rows.len() {
                if !matches!(layout.kinds[r], RowKind::Data | RowKind::Header) {
                    continue;
                }
                let text = table::print_cell(sheet.cell(r, c));
                let words = text.split_whitespace().map(|w| w.chars().count()).max().unwrap_or(0);
                longest_word = longest_word.max(words);
                total += text.chars().count();
                count += 1;
            }
            let typical = total.checked_div(count).unwrap_or(4);
            // A bold header word ("MDSD") is wider than as many data characters.
            let header_word = layout
                .header
                .iter()
                .filter_map(|&h| {
                    table::header_text(sheet, h, c).split_whitespace().map(|w| w.chars().count()).max()
                })
                .max()
                .unwrap_or(0);
            longest_word.max(typical).max(header_word * 4 / 3).clamp(5, 40)
        })
        .collect();
    let landscape = shown.len() > 7 || widths.iter().sum::<usize>() > 110;
    let context = json!({
        "sheet": {
            "name": sheet.name,
            "title": title,
            "header": header,
            "columns": shown.len(),
            "widths": widths,
            "align": shown.iter().map(|&c| table::column_align(sheet, &layout, c)).collect::<Vec<_>>(),
            "rows": rows,
            "notes": notes,
            "landscape": landscape,
        },
        "totals": {},
    });
    Ok(Bound {
        shared: context,
        records: None,
        set_aside: Vec::new(),
        used: vec![(sheet.name.clone(), used)],
        notes: printed,
        warnings: table::total_mismatches(sheet, &layout).iter().map(|m| m.problem(sheet, &layout)).collect(),
        tables: Vec::new(),
    })
}

/// Gives every record `rank.<field>` for each numeric field: its competition rank, highest
/// value first (1 + how many records have a strictly higher value).
pub(crate) fn add_ranks(spec: &SheetSpec, rows: &mut [(Value, usize)]) {
    for f in spec.fields.iter().filter(|f| matches!(f.ty, FieldType::Integer | FieldType::Decimal)) {
        let mut values: Vec<f64> = rows.iter().filter_map(|(r, _)| r[&f.id].as_f64()).collect();
        values.sort_by(|a, b| b.total_cmp(a));
        for (r, _) in rows.iter_mut() {
            let rank = r[&f.id].as_f64().map(|x| values.partition_point(|v| *v > x) + 1);
            r["rank"][&f.id] = json!(rank);
        }
    }
}

fn empty_value(spec: &SheetSpec) -> Value {
    match spec.kind {
        SheetKind::Table => Value::Array(Vec::new()),
        SheetKind::Keys => Value::Object(
            spec.fields
                .iter()
                .map(|f| (f.id.clone(), if f.many { json!([]) } else { Value::Null }))
                .collect(),
        ),
    }
}

/// The sheet `spec` reads: the one `--sheet` names when it points at this spec, else the
/// first sheet whose name matches one the spec accepts, loosely.
fn find_sheet<'a>(
    wb: &'a Workbook,
    manifest: &Manifest,
    spec: &SheetSpec,
    ov: &Profile,
) -> Option<&'a Sheet> {
    if let Some(name) = &ov.sheet
        && sheet_target(manifest).is_some_and(|t| t.id == spec.id)
    {
        return wb.sheet(name);
    }
    named_sheet(wb, spec).or_else(|| match spec.kind {
        SheetKind::Keys => keys_elsewhere(wb, spec),
        SheetKind::Table => table_elsewhere(wb, manifest, spec, ov),
    })
}

/// For a table spec whose sheet no name finds: the visible sheet whose header binds the
/// most of its required fields, then of all its fields (the first on ties), if more than
/// half of the required ones (of all, when none is required) — an award proposal exported
/// as "DS de nghi KT 2023". Key/value sheets and the manifest's other sheets are not
/// candidates.
fn table_elsewhere<'a>(
    wb: &'a Workbook,
    manifest: &Manifest,
    spec: &SheetSpec,
    ov: &Profile,
) -> Option<&'a Sheet> {
    let others = manifest.sheets.iter().filter(|s| s.id != spec.id);
    let theirs: Vec<&str> =
        others.flat_map(|o| o.names.iter().filter_map(|n| wb.sheet(n))).map(|s| s.name.as_str()).collect();
    let required = spec.fields.iter().filter(|f| f.required).count();
    let mut best: Option<(&Sheet, (usize, usize))> = None;
    for sheet in
        wb.sheets.iter().filter(|s| !s.hidden && !is_key_value(s) && !theirs.contains(&s.name.as_str()))
    {
        let Some((_, binding)) = find_header(sheet, spec, ov) else { continue };
        let bound: Vec<&FieldSpec> =
            spec.fields.iter().zip(&binding.cols).filter(|(_, c)| c.is_some()).map(|(f, _)| f).collect();
        let score = (bound.iter().filter(|f| f.required).count(), bound.len());
        let fits = if required > 0 { score.0 * 2 > required } else { score.1 * 2 > spec.fields.len() };
        if fits && best.is_none_or(|(_, b)| score > b) {
            best = Some((sheet, score));
        }
    }
    best.map(|(s, _)| s)
}

/// The sheet of `spec` by one of its names; for an `each` sheet, else the first decision
/// sheet ([`decision_sheets`]).
fn named_sheet<'a>(wb: &'a Workbook, spec: &SheetSpec) -> Option<&'a Sheet> {
    spec.names
        .iter()
        .find_map(|n| wb.sheet(n))
        .or_else(|| spec.each.then(|| decision_sheets(wb, spec).into_iter().next()).flatten())
}

/// The key/value sheets of an `each` spec: every visible sheet named as the spec names it or
/// with a name that starts with one of its names and goes on ("Quyết định UBND"), in
/// workbook order.
pub fn decision_sheets<'a>(wb: &'a Workbook, spec: &SheetSpec) -> Vec<&'a Sheet> {
    let names: Vec<String> = spec.names.iter().map(|n| vi::fold(n)).collect();
    wb.sheets
        .iter()
        .filter(|s| !s.hidden)
        .filter(|s| {
            let name = vi::fold(&s.name);
            names.iter().any(|n| name == *n || (name.starts_with(&format!("{n} ")) && is_key_value(s)))
        })
        .collect()
}

/// For a key/value spec whose sheet is absent: the key/value sheet (labels in A, values in B)
/// holding the most of its required items (all items when none is required), if more than
/// half — all items typed on one "Thông tin chung" sheet are found there.
fn keys_elsewhere<'a>(wb: &'a Workbook, spec: &SheetSpec) -> Option<&'a Sheet> {
    let required: Vec<&FieldSpec> = spec.fields.iter().filter(|f| f.required).collect();
    let wanted = if required.is_empty() { spec.fields.iter().collect() } else { required };
    let mut best: Option<(&Sheet, usize)> = None;
    for sheet in wb.sheets.iter().filter(|s| !s.hidden) {
        if !is_key_value(sheet) {
            continue;
        }
        let keys: Vec<String> = column_a(sheet).iter().map(|k| vi::fold(k)).collect();
        let n = wanted.iter().filter(|f| keys.iter().any(|k| field_matches(f, k))).count();
        if n * 2 > wanted.len() && best.is_none_or(|(_, m)| n > m) {
            best = Some((sheet, n));
        }
    }
    best.map(|(s, _)| s)
}

/// How near a label typed in the workbook (or on the command line) is to one wanted, both
/// [`vi::strip_marks`]ed: 0 the same but for diacritics and case ("Nguoi ky"), 1 one holds
/// the other's words ("Thành tích đạt được"), 2 a slip of a letter or two; `None` when far.
fn nearness(typed: &str, wanted: &str) -> Option<u8> {
    if typed.is_empty() || wanted.is_empty() {
        return None;
    }
    if typed == wanted {
        return Some(0);
    }
    let words = |s: &str| {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let (a, b) = (words(typed), words(wanted));
    let holds = |long: &[String], short: &[String]| {
        !short.is_empty() && long.windows(short.len()).any(|w| w == short)
    };
    // One holds the other's words, when the shorter has two words or more (a single word,
    // "tong", is part of too many labels to say which).
    if (a.len() > b.len() && b.len() >= 2 && holds(&a, &b))
        || (b.len() > a.len() && a.len() >= 2 && holds(&b, &a))
    {
        return Some(1);
    }
    let slack = (wanted.chars().count() / 6).max(1);
    (edit_distance(typed, wanted) <= slack).then_some(2)
}

/// The Levenshtein distance between two strings, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != *cb)).min(row[j] + 1).min(above + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

/// Of `candidates` (label, and what to answer), the one nearest to any of the labels
/// `wanted`; the first of the nearest on ties.
pub(crate) fn closest<'a, T>(
    wanted: impl IntoIterator<Item = &'a str>,
    candidates: impl IntoIterator<Item = (&'a str, T)>,
) -> Option<T> {
    let wanted: Vec<String> = wanted.into_iter().map(vi::strip_marks).collect();
    let mut best: Option<(u8, T)> = None;
    for (label, answer) in candidates {
        let typed = vi::strip_marks(label);
        let Some(n) = wanted.iter().filter_map(|w| nearness(&typed, w)).min() else { continue };
        if best.as_ref().is_none_or(|(m, _)| n < *m) {
            best = Some((n, answer));
        }
    }
    best.map(|(_, a)| a)
}

/// A label as one line: a header typed with Alt+Enter ("Thành tích\nđạt được") with its
/// line breaks as spaces.
fn one_line(label: &str) -> String {
    label.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn field_matches(f: &FieldSpec, folded: &str) -> bool {
    !folded.is_empty() && f.folded_labels.iter().any(|l| l == folded)
}

struct SheetCtx<'a, 'p> {
    sheet: &'a Sheet,
    /// (field id, column) of the table just bound.
    columns: Vec<(String, usize)>,
    deferred: &'p mut Vec<Deferred>,
    ov: &'p Profile,
    problems: &'p mut Vec<Problem>,
    set_aside: &'p mut Vec<SetAside>,
    notes: &'p mut Vec<Problem>,
    warnings: &'p mut Vec<Problem>,
    used: Vec<(usize, usize)>,
}

impl SheetCtx<'_, '_> {
    fn problem(&mut self, row: usize, col: usize, label: &str, kind: ProblemKind) {
        self.problems.push(Problem {
            sheet: Some(self.sheet.name.clone()),
            cell: Some(cell_name(row, col)),
            label: Some(label.to_string()),
            kind,
        });
    }

    fn sheet_problem(&mut self, kind: ProblemKind) {
        self.problems.push(Problem::in_sheet(&self.sheet.name, kind));
    }

    fn aside(&mut self, row: usize, why: Aside) {
        self.set_aside.push(SetAside { sheet: self.sheet.name.clone(), row: row + 1, why });
    }

    /// Appends a continuation row's text, on a new line, to the text fields of the record
    /// above that read its columns; a row that cannot be appended whole is set aside.
    fn continue_record(
        &mut self,
        r: usize,
        spec: &SheetSpec,
        cols: &[Option<usize>],
        record: Option<&mut Value>,
    ) {
        let row = &self.sheet.rows[r];
        let filled: Vec<usize> = (0..row.len()).filter(|&c| !row[c].is_empty()).collect();
        let targets: Vec<Option<&FieldSpec>> = filled
            .iter()
            .map(|&c| {
                spec.fields
                    .iter()
                    .zip(cols)
                    .find(|(f, col)| **col == Some(c) && f.ty == FieldType::Text)
                    .map(|(f, _)| f)
            })
            .collect();
        let Some(record) = record.filter(|_| targets.iter().all(Option::is_some)) else {
            self.aside(r, Aside::ContinuationUnread);
            return;
        };
        for (c, f) in filled.into_iter().zip(targets.into_iter().flatten()) {
            let text = row[c].display();
            let joined = match record[&f.id].as_str() {
                Some(before) if !before.is_empty() => format!("{before}\n{text}"),
                _ => text,
            };
            record[&f.id] = Value::String(joined);
            self.used.push((r, c));
        }
    }

    /// Reads a key/value sheet: column A the item's label, column B its value. Rows of items
    /// the spec does not read go to `unread`. `instead_of` names the absent sheet whose
    /// items are read from this one.
    fn bind_keys(&mut self, spec: &SheetSpec, instead_of: Option<&str>, unread: &mut Vec<SetAside>) -> Value {
        let unread_row = |r: usize, why: Aside| SetAside { sheet: self.sheet.name.clone(), row: r + 1, why };
        // Column A's labels that name no field: a required item missing may be one of them.
        let mut unknown: Vec<String> = Vec::new();
        let keys: Vec<String> = column_a(self.sheet).iter().map(|k| vi::fold(k)).collect();
        let own_label: Vec<bool> =
            spec.fields.iter().map(|f| f.folded_labels.first().is_some_and(|l| keys.contains(l))).collect();
        let mut values: Vec<Vec<(Value, usize)>> = vec![Vec::new(); spec.fields.len()];
        let mut present = vec![None; spec.fields.len()];
        let mut failed = vec![false; spec.fields.len()];
        // The item the current row belongs to: a field, or the label of an unused item.
        let mut current: Option<Result<usize, String>> = None;
        for (r, row) in self.sheet.rows.iter().enumerate() {
            let key = self.sheet.cell(r, 0);
            let value = self.sheet.cell(r, 1);
            if row.iter().all(Cell::is_empty) {
                continue;
            }
            if !key.is_empty() {
                let folded = vi::fold(&key.display());
                if r == 0 && ["Mục", "Khóa", "Tên mục"].iter().any(|h| vi::fold(h) == folded) {
                    continue;
                }
                // An alias names the field only when the field's own label is not in the
                // sheet too ("Ngày ban hành" beside "Ngày quyết định" is the report's date).
                let names = |(i, f): &(usize, &FieldSpec)| {
                    field_matches(f, &folded) && (f.folded_labels[0] == folded || !own_label[*i])
                };
                current =
                    Some(spec.fields.iter().enumerate().find(names).map(|(i, _)| i).ok_or(key.display()));
                if let Some(Err(label)) = &current {
                    unknown.push(label.clone());
                }
                if let Some(Ok(i)) = current {
                    present[i] = present[i].or(Some(r));
                }
            }
            let i = match &current {
                Some(Ok(i)) => *i,
                Some(Err(label)) => {
                    let labels = spec.fields.iter().flat_map(|f| f.labels().map(move |l| (l, l)));
                    let maybe = closest([label.as_str()], labels).map(str::to_string);
                    unread.push(unread_row(r, Aside::ItemUnused { item: label.clone(), maybe }));
                    continue;
                }
                None => {
                    unread.push(unread_row(r, Aside::ValueWithoutItem));
                    continue;
                }
            };
            if row.len() > 2 && row[2..].iter().any(|c| !c.is_empty()) {
                self.aside(r, Aside::BeyondColumnB);
            }
            let f = &spec.fields[i];
            match convert(value, f) {
                Ok(Value::Null) => {}
                Ok(v) => {
                    if !f.many && !values[i].is_empty() {
                        let first = values[i][0].1;
                        let first = ProblemKind::SecondValue { first: cell_name(first, 1) };
                        self.problem(r, 1, &f.label, first);
                    } else {
                        values[i].push((v, r));
                        self.used.push((r, 1));
                    }
                }
                Err(e) => {
                    failed[i] = true;
                    self.problem(r, 1, &f.label, ProblemKind::BadValue(e));
                }
            }
        }
        // The command line's --set items replace the workbook's (a list: the first replaces,
        // the next ones add).
        let mut replaced = vec![false; spec.fields.len()];
        for (key, value) in &self.ov.set {
            let Some(i) = spec.fields.iter().position(|f| names_field(f, key)) else { continue };
            let f = &spec.fields[i];
            match convert(&Cell::Text(vi::clean_text(value)), f) {
                Ok(v) => {
                    if !f.many || !replaced[i] {
                        values[i].clear();
                    }
                    replaced[i] = true;
                    failed[i] = false;
                    if !v.is_null() {
                        values[i].push((v, usize::MAX));
                    }
                }
                Err(error) => self.problems.push(Problem::general(ProblemKind::BadSet {
                    key: key.clone(),
                    value: value.clone(),
                    item: f.label.clone(),
                    error,
                })),
            }
        }
        let mut out = Map::new();
        for (i, f) in spec.fields.iter().enumerate() {
            if f.required && values[i].is_empty() && !failed[i] {
                let before = self.problems.len();
                match present[i] {
                    Some(r) => self.problem(r, 1, &f.label, ProblemKind::Required),
                    None => self.sheet_problem(ProblemKind::NoItem {
                        item: f.label.clone(),
                        field: f.id.clone(),
                        looked_for: labels(f),
                        ty: f.ty,
                        choices: f.choices.clone(),
                        hint: Box::new(ItemHint {
                            maybe: closest(f.labels(), unknown.iter().map(|u| (u.as_str(), u.clone()))),
                            instead_of: instead_of.map(str::to_string),
                        }),
                    }),
                }
                // A rule may still make the item (after every sheet is read): hold its problem.
                if f.derive.is_some() {
                    for problem in self.problems.drain(before..).collect::<Vec<_>>() {
                        self.deferred.push(Deferred { sheet: spec.id.clone(), field: f.id.clone(), problem });
                    }
                }
            }
            let v = if f.many {
                Value::Array(values[i].iter().map(|(v, _)| v.clone()).collect())
            } else {
                values[i].first().map(|(v, _)| v.clone()).unwrap_or(Value::Null)
            };
            out.insert(f.id.clone(), v);
        }
        Value::Object(out)
    }

    /// Notes each column of `unread` that holds data, with the field without a column it
    /// may be ("Thành tích\nđạt được" may be "Thành tích").
    fn note_unread_columns(
        &mut self,
        spec: &SheetSpec,
        cols: &[Option<usize>],
        from_sections: &[Option<Vec<Option<usize>>>],
        unread: &[table::Column],
        layout: &table::Layout,
    ) {
        let free: Vec<&FieldSpec> = spec
            .fields
            .iter()
            .zip(cols.iter().zip(from_sections))
            .filter(|(_, (col, sections))| col.is_none() && sections.is_none())
            .map(|(f, _)| f)
            .collect();
        for c in unread {
            if !layout.rows_of(RowKind::Data).any(|r| !self.sheet.cell(r, c.col).is_empty()) {
                continue;
            }
            let fields = free.iter().flat_map(|f| f.labels().map(move |l| (l, *f)));
            let maybe: Option<&FieldSpec> = closest([c.label.as_str()], fields);
            self.notes.push(Problem::in_sheet(
                &self.sheet.name,
                ProblemKind::UnusedColumn {
                    column: one_line(&c.label),
                    letter: crate::workbook::column_name(c.col),
                    maybe: maybe.map(|f| f.label.clone()),
                    field: maybe.map(|f| f.id.clone()),
                },
            ));
        }
    }

    /// Notes how the columns were found: the sheet read in place of `instead_of` (an absent
    /// sheet's usual name) with what it read from where, and each column read because its
    /// label holds a field's label.
    fn note_binding(
        &mut self,
        spec: &SheetSpec,
        header: &[usize],
        binding: &Binding,
        instead_of: Option<&str>,
    ) {
        let letter = crate::workbook::column_name;
        if let Some(wanted) = instead_of {
            let mut read: Vec<(usize, &FieldSpec)> =
                binding.cols.iter().zip(&spec.fields).filter_map(|(c, f)| Some(((*c)?, f))).collect();
            read.sort_by_key(|(c, _)| *c);
            self.notes.push(Problem::general(ProblemKind::TableElsewhere {
                wanted: wanted.to_string(),
                sheet: self.sheet.name.clone(),
                header_row: header[0] + 1,
                columns: read.iter().map(|(c, f)| (f.label.clone(), letter(*c))).collect(),
            }));
        }
        let columns = table::columns(self.sheet, header);
        for ((f, col), matched) in spec.fields.iter().zip(&binding.cols).zip(&binding.contained) {
            let (Some(col), Some(matched)) = (col, matched) else { continue };
            let label =
                columns.iter().find(|c| c.col == *col).map(|c| one_line(&c.label)).unwrap_or_default();
            self.notes.push(Problem::in_sheet(
                &self.sheet.name,
                ProblemKind::ColumnContains {
                    column: label,
                    letter: letter(*col),
                    field: f.label.clone(),
                    matched: matched.clone(),
                },
            ));
        }
    }

    /// Reads a table sheet: the header, then one record per data row; every other row is set
    /// aside with its kind. `header_row` (from 1) overrides the search; `instead_of` names
    /// the absent sheet this one is read for.
    fn bind_table(
        &mut self,
        spec: &SheetSpec,
        header_row: Option<usize>,
        instead_of: Option<&str>,
    ) -> Vec<(Value, usize)> {
        let found = match header_row.map(|n| table::header_at(self.sheet, n)) {
            Some(Err(message)) => {
                self.sheet_problem(message);
                return Vec::new();
            }
            Some(Ok(rows)) => {
                let binding = field_columns(self.sheet, spec, self.ov, &rows);
                Some((rows, binding))
            }
            None => find_header(self.sheet, spec, self.ov),
        };
        let Some((header, binding)) = found else {
            let wanted = spec.fields.iter().filter(|f| f.required).map(|f| f.label.clone()).collect();
            self.sheet_problem(ProblemKind::NoHeader { wanted, searched: HEADER_SEARCH_ROWS });
            return Vec::new();
        };
        self.note_binding(spec, &header, &binding, instead_of);
        let cols = binding.cols;
        self.columns =
            spec.fields.iter().zip(&cols).filter_map(|(f, c)| c.map(|c| (f.id.clone(), c))).collect();
        let first = header[0];
        let layout = table::with_header(self.sheet, &header, table::HeaderWhy::TemplateLabels);
        // A typed total is set aside (totals are computed): say so when it disagrees.
        let mismatches = table::total_mismatches(self.sheet, &layout);
        self.warnings.extend(mismatches.iter().map(|m| m.problem(self.sheet, &layout)));
        // A choice without a column ("Loại": Tập thể or Cá nhân) may come from the section
        // headings the list is divided by ("I. TẬP THỂ", "II. CÁ NHÂN"): per row, the choice the
        // last such heading above it names.
        let from_sections: Vec<Option<Vec<Option<usize>>>> = spec
            .fields
            .iter()
            .zip(&cols)
            .map(|(f, col)| match col {
                None if f.ty == FieldType::Choice => section_choices(self.sheet, &layout.kinds, f),
                _ => None,
            })
            .collect();
        // Header labels no field reads: a missing column may be one of them, and each is
        // named in a note when it holds data.
        let unread: Vec<table::Column> = table::columns(self.sheet, &header)
            .into_iter()
            .filter(|c| !cols.contains(&Some(c.col)))
            .collect();
        for ((f, col), sections) in spec.fields.iter().zip(&cols).zip(&from_sections) {
            if f.required && col.is_none() && sections.is_none() {
                let maybe =
                    closest(f.labels(), unread.iter().map(|c| (c.label.as_str(), one_line(&c.label))));
                self.sheet_problem(ProblemKind::NoColumn {
                    column: f.label.clone(),
                    field: f.id.clone(),
                    header_row: first + 1,
                    looked_for: labels(f),
                    maybe,
                });
            }
        }
        self.note_unread_columns(spec, &cols, &from_sections, &unread, &layout);
        // A percentage column typed as Excel percentages holds fractions (0.7478 for 74,78%):
        // when every number in the column is within ±1, the column is read as fractions.
        let data: Vec<usize> = layout.rows_of(RowKind::Data).collect();
        let fractions: Vec<bool> = spec
            .fields
            .iter()
            .zip(&cols)
            .map(|(f, col)| {
                let Some(c) = col.filter(|_| f.ty == FieldType::Percent) else { return false };
                let mut numbers = data.iter().filter_map(|&r| match self.sheet.cell(r, c) {
                    Cell::Number(n) => Some(*n),
                    _ => None,
                });
                let first = numbers.next();
                first.is_some_and(|n| n.abs() <= 1.0) && numbers.all(|n| n.abs() <= 1.0)
            })
            .collect();
        // "250,000" is two hundred and fifty thousand in a column written in English style
        // throughout (some "1,234"-style text, none in Vietnamese style), else 250.
        let english: Vec<bool> = spec
            .fields
            .iter()
            .zip(&cols)
            .map(|(f, col)| {
                let Some(c) = col.filter(|_| matches!(f.ty, FieldType::Decimal | FieldType::Percent)) else {
                    return false;
                };
                let styles: Vec<NumberStyle> = data
                    .iter()
                    .filter_map(|&r| match self.sheet.cell(r, c) {
                        Cell::Text(s) => Some(number_style(s.trim_end_matches('%').trim())),
                        _ => None,
                    })
                    .collect();
                styles.contains(&NumberStyle::EnglishGrouping) && !styles.contains(&NumberStyle::Vietnamese)
            })
            .collect();
        let mut out = Vec::new();
        for (r, kind) in layout.kinds.iter().enumerate() {
            if !matches!(kind, RowKind::Empty | RowKind::Header)
                && let Some(errors) = only_errors(&self.sheet.rows[r])
            {
                self.aside(r, Aside::FormulaErrorsOnly { errors });
                continue;
            }
            match kind {
                RowKind::Data => {}
                RowKind::Empty | RowKind::Header => continue,
                RowKind::Continuation => {
                    self.continue_record(r, spec, &cols, out.last_mut().map(|(record, _)| record));
                    continue;
                }
                RowKind::Section if r > 0 && layout.kinds[r - 1] == RowKind::Data => {
                    // A heading straight under a record may be the record's own text run on
                    // (a name typed over two rows): say so, since the record is cut short.
                    self.aside(r, Aside::HeadingOrRest { above: r });
                    continue;
                }
                other => {
                    self.aside(r, Aside::Row { kind: *other });
                    continue;
                }
            }
            let mut record = Map::new();
            for ((((f, col), fraction), english), sections) in
                spec.fields.iter().zip(&cols).zip(&fractions).zip(&english).zip(&from_sections)
            {
                let value = match col {
                    None => match sections.as_ref().map(|choices| choices[r]) {
                        Some(Some(i)) => json!(f.choices[i]),
                        Some(None) if f.required => {
                            self.sheet_problem(ProblemKind::NoSectionChoice {
                                row: r + 1,
                                column: f.label.clone(),
                                choices: f.choices.clone(),
                            });
                            Value::Null
                        }
                        _ => Value::Null,
                    },
                    Some(c) => match convert_in_style(self.sheet.cell(r, *c), f, *english) {
                        Ok(Value::Number(n))
                            if *fraction && matches!(self.sheet.cell(r, *c), Cell::Number(_)) =>
                        {
                            self.used.push((r, *c));
                            json!(n.as_f64().unwrap_or_default() * 100.0)
                        }
                        Ok(Value::Null) if f.required => {
                            self.problem(r, *c, &f.label, ProblemKind::Required);
                            Value::Null
                        }
                        Ok(v) => {
                            self.used.push((r, *c));
                            v
                        }
                        Err(e) => {
                            self.problem(r, *c, &f.label, ProblemKind::BadValue(e));
                            Value::Null
                        }
                    },
                };
                record.insert(f.id.clone(), value);
            }
            record.insert("source_row".into(), json!(r + 1));
            record.insert("rank".into(), json!({}));
            out.push((Value::Object(record), r + 1));
        }
        if out.is_empty() && spec.required {
            self.sheet_problem(ProblemKind::NoDataRows { header_row: first + 1 });
        }
        out
    }
}

/// The formula errors of a row that holds nothing else (each once, in order), or `None`.
fn only_errors(row: &[Cell]) -> Option<Vec<String>> {
    let mut errors: Vec<String> = Vec::new();
    for cell in row {
        match cell {
            Cell::Error(e) if !errors.contains(e) => errors.push(e.clone()),
            Cell::Error(_) => {}
            c if c.is_empty() => {}
            _ => return None,
        }
    }
    (!errors.is_empty()).then_some(errors)
}

/// For a choice field without a column: per row, the choice named by the last section
/// heading above it ("I. TẬP THỂ" names "Tập thể"), or `None` when no heading names one.
fn section_choices(sheet: &Sheet, kinds: &[RowKind], f: &FieldSpec) -> Option<Vec<Option<usize>>> {
    let mut current = None;
    let mut named = false;
    let per_row = kinds
        .iter()
        .enumerate()
        .map(|(r, kind)| {
            if *kind == RowKind::Section {
                let heading: Vec<String> = sheet.rows[r].iter().map(|c| vi::fold(&c.display())).collect();
                let words: Vec<&str> = heading
                    .iter()
                    .flat_map(|h| h.split(|c: char| c.is_whitespace() || c.is_ascii_punctuation()))
                    .filter(|w| !w.is_empty())
                    .collect();
                let names = |choice: &str| {
                    let want: Vec<&str> = choice.split_whitespace().collect();
                    words.windows(want.len()).any(|w| w == want.as_slice())
                };
                let matching: Vec<usize> =
                    (0..f.folded_choices.len()).filter(|&i| names(&f.folded_choices[i])).collect();
                if let [i] = matching.as_slice() {
                    current = Some(*i);
                    named = true;
                }
            }
            current
        })
        .collect();
    named.then_some(per_row)
}

/// Where a table's fields are under one header.
struct Binding {
    /// Per field, its column (zero-based).
    cols: Vec<Option<usize>>,
    /// Per field bound because its column's label holds one of the field's labels as whole
    /// words: that label, as the manifest spells it.
    contained: Vec<Option<String>>,
}

/// The column of each field under header `rows` of `sheet`: as `--map` says, else by the
/// full label ("Nhóm / Cột"), the column's own label or its group's, else by a label that
/// holds one of the field's labels ([`bind_contained`]).
fn field_columns(sheet: &Sheet, spec: &SheetSpec, ov: &Profile, rows: &[usize]) -> Binding {
    let columns = table::columns(sheet, rows);
    let folded: Vec<[String; 3]> = columns
        .iter()
        .map(|c| [vi::fold(&c.label), vi::fold(&c.own), c.group.as_deref().map(vi::fold).unwrap_or_default()])
        .collect();
    let mapped: Vec<Option<&String>> = spec
        .fields
        .iter()
        .map(|f| ov.map.iter().find(|(field, _)| names_field(f, field)).map(|(_, label)| label))
        .collect();
    let mut cols: Vec<Option<usize>> = spec
        .fields
        .iter()
        .zip(&mapped)
        .map(|(f, mapped)| {
            if let Some(label) = mapped {
                let want = vi::fold(label);
                return columns
                    .iter()
                    .zip(&folded)
                    .find(|(_, names)| names.contains(&want))
                    .map(|(c, _)| c.col)
                    .or_else(|| column_letter(label));
            }
            (0..3).find_map(|k| {
                columns.iter().zip(&folded).find(|(_, names)| field_matches(f, &names[k])).map(|(c, _)| c.col)
            })
        })
        .collect();
    let free: Vec<bool> = cols.iter().zip(&mapped).map(|(c, m)| c.is_none() && m.is_none()).collect();
    let contained = bind_contained(spec, &columns, &free, &mut cols);
    Binding { cols, contained }
}

/// Binds each `free` field to a column not bound yet whose label (full or own) holds one of
/// the field's labels of two words or more as whole words ("Phân loại khen thưởng" holds
/// "Loại khen thưởng"). The longest match is bound first, so of two fields that claim one
/// column the longer match wins. Returns per field the label it was bound by.
fn bind_contained(
    spec: &SheetSpec,
    columns: &[table::Column],
    free: &[bool],
    cols: &mut [Option<usize>],
) -> Vec<Option<String>> {
    let mut out = vec![None; spec.fields.len()];
    if !free.contains(&true) {
        return out;
    }
    let headers: Vec<[Vec<String>; 2]> = columns.iter().map(|c| [words(&c.label), words(&c.own)]).collect();
    // (words matched, field, column index, label index)
    let mut claims: Vec<(usize, usize, usize, usize)> = Vec::new();
    for (i, f) in spec.fields.iter().enumerate().filter(|(i, _)| free[*i]) {
        for (k, label) in f.labels().enumerate() {
            let want = words(label);
            if want.len() < 2 {
                continue;
            }
            for (j, header) in headers.iter().enumerate() {
                if header.iter().any(|h| holds_words(h, &want)) {
                    claims.push((want.len(), i, j, k));
                }
            }
        }
    }
    claims.sort_by(|a, b| b.0.cmp(&a.0).then((a.1, a.2, a.3).cmp(&(b.1, b.2, b.3))));
    for (_, i, j, k) in claims {
        let col = columns[j].col;
        if cols[i].is_none() && !cols.contains(&Some(col)) {
            cols[i] = Some(col);
            out[i] = spec.fields[i].labels().nth(k).map(str::to_string);
        }
    }
    out
}

/// The words of a text, each [`vi::fold`]ed: its runs of letters and digits ("Tập thể/cá
/// nhân" → "tập", "thể", "cá", "nhân"). Split before folding: folding moves a tone mark to
/// the end of its syllable, past a "," typed right after it.
fn words(s: &str) -> Vec<String> {
    let mark = |c: char| ('\u{0300}'..='\u{036F}').contains(&c);
    vi::clean_text(s)
        .split(|c: char| !c.is_alphanumeric() && !mark(c))
        .filter(|w| !w.is_empty())
        .map(vi::fold)
        .collect()
}

/// Whether `long` holds the words of `short`, in order and side by side.
fn holds_words(long: &[String], short: &[String]) -> bool {
    !short.is_empty() && long.windows(short.len()).any(|w| w == short)
}

/// Finds the header of `sheet` for `spec`: among the top rows (alone or with the sub-label
/// row under them), the one where most fields find their column.
fn find_header(sheet: &Sheet, spec: &SheetSpec, ov: &Profile) -> Option<(Vec<usize>, Binding)> {
    let mut best: Option<(Vec<usize>, Binding, usize)> = None;
    for r in 0..sheet.rows.len().min(HEADER_SEARCH_ROWS) {
        if sheet.rows[r].iter().all(Cell::is_empty) {
            continue;
        }
        let mut shapes = vec![vec![r]];
        if table::is_sub_header(sheet, r) {
            shapes.push(vec![r, r + 1]);
        }
        for rows in shapes {
            let binding = field_columns(sheet, spec, ov, &rows);
            let score = binding.cols.iter().filter(|c| c.is_some()).count();
            if score > 0 && best.as_ref().is_none_or(|b| score > b.2) {
                best = Some((rows, binding, score));
            }
        }
    }
    best.map(|(rows, binding, _)| (rows, binding))
}

/// A column given by its letters ("D", "AB"), zero-based.
fn column_letter(s: &str) -> Option<usize> {
    let s = s.trim();
    if s.is_empty() || s.len() > 3 || !s.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    Some(s.to_ascii_uppercase().bytes().fold(0, |n, b| n * 26 + usize::from(b - b'A' + 1)) - 1)
}

pub(crate) fn table_totals(spec: &SheetSpec, rows: &[(Value, usize)]) -> Value {
    let mut out = Map::new();
    for f in &spec.fields {
        let values = rows.iter().filter_map(|(r, _)| r.get(&f.id));
        match f.ty {
            FieldType::Integer => {
                // Summed wide: a column of huge amounts must not overflow.
                let sum: i128 = values.filter_map(Value::as_i64).map(i128::from).sum();
                out.insert(f.id.clone(), i64::try_from(sum).map_or_else(|_| json!(sum as f64), |n| json!(n)));
            }
            FieldType::Decimal => {
                out.insert(f.id.clone(), json!(values.filter_map(Value::as_f64).sum::<f64>()));
            }
            _ => {}
        }
    }
    out.insert("count".into(), json!(rows.len()));
    Value::Object(out)
}

/// Converts one cell of a column written in English style (`english`) or not.
fn convert_in_style(cell: &Cell, f: &FieldSpec, english: bool) -> Result<Value, ValueError> {
    match cell {
        Cell::Text(s) if english => {
            parse_english(s.trim_end_matches('%')).map(|n| json!(n)).ok_or_else(|| mismatch(f, cell))
        }
        _ => convert(cell, f),
    }
}

/// What field `f` expects.
fn expected(f: &FieldSpec) -> Expected {
    match f.ty {
        FieldType::Integer => Expected::WholeNumber,
        FieldType::Decimal => Expected::Number,
        FieldType::Percent => Expected::Percentage,
        FieldType::Date => Expected::Date,
        FieldType::Boolean => Expected::YesNo,
        FieldType::Choice => Expected::OneOf { choices: f.choices.clone() },
        FieldType::Text => Expected::Number,
    }
}

fn mismatch(f: &FieldSpec, cell: &Cell) -> ValueError {
    ValueError::Mismatch { expected: expected(f), found: cell.display() }
}

/// The label and aliases of `f`.
fn labels(f: &FieldSpec) -> Vec<String> {
    f.labels().map(str::to_string).collect()
}

/// Converts one cell to the field's type; an error says what was expected and found.
pub fn convert(cell: &Cell, f: &FieldSpec) -> Result<Value, ValueError> {
    if let Cell::Error(e) = cell {
        return Err(ValueError::FormulaError { error: e.clone() });
    }
    if cell.is_empty() {
        return Ok(Value::Null);
    }
    let bad = || mismatch(f, cell);
    Ok(match f.ty {
        FieldType::Text => json!(match cell {
            Cell::Bool(b) => if *b { "Có" } else { "Không" }.to_string(),
            c => c.display(),
        }),
        FieldType::Integer => match cell {
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 9e15 => json!(*n as i64),
            Cell::Text(s) => json!(parse_int(s).ok_or_else(bad)?),
            _ => return Err(bad()),
        },
        FieldType::Decimal | FieldType::Percent => match cell {
            Cell::Number(n) => json!(n),
            Cell::Text(s) => {
                let s = if f.ty == FieldType::Percent { s.trim_end_matches('%') } else { s.as_str() };
                json!(parse_decimal(s).ok_or_else(bad)?)
            }
            _ => return Err(bad()),
        },
        FieldType::Date => {
            let date = match cell {
                Cell::Date(d) => Some(*d),
                Cell::Number(n) if (1.0..2_958_466.0).contains(n) => {
                    chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
                        .and_then(|d| d.checked_add_days(chrono::Days::new(*n as u64)))
                }
                Cell::Text(s) => match vi::parse_date(s) {
                    Some(d) => Some(d),
                    None => return Err(no_such_date(s).unwrap_or_else(bad)),
                },
                _ => None,
            };
            json!(date.ok_or_else(bad)?.format("%Y-%m-%d").to_string())
        }
        FieldType::Boolean => match cell {
            Cell::Bool(b) => json!(b),
            c => match vi::fold(&c.display()).as_str() {
                "có" | "x" | "yes" | "true" | "1" | "đúng" => json!(true),
                "không" | "no" | "false" | "0" | "sai" | "-" => json!(false),
                _ => return Err(bad()),
            },
        },
        FieldType::Choice => json!(f.choices[choice_of(cell, f)?]),
    })
}

/// Which of `f`'s choices a cell holds: the one it is (loosely), else the only one it
/// names as whole words ("Khen thưởng tập thể" is "Tập thể"; a choice inside another named
/// one does not count). Naming two is an error.
fn choice_of(cell: &Cell, f: &FieldSpec) -> Result<usize, ValueError> {
    let folded = vi::fold(&cell.display());
    if let Some(i) = f.folded_choices.iter().position(|c| *c == folded) {
        return Ok(i);
    }
    let typed = words(&cell.display());
    let choices: Vec<Vec<String>> = f.choices.iter().map(|c| words(c)).collect();
    let named: Vec<usize> = (0..choices.len()).filter(|&i| holds_words(&typed, &choices[i])).collect();
    let named: Vec<usize> = named
        .iter()
        .copied()
        .filter(|&i| {
            !named.iter().any(|&j| {
                j != i && choices[j].len() > choices[i].len() && holds_words(&choices[j], &choices[i])
            })
        })
        .collect();
    match named.as_slice() {
        [i] => Ok(*i),
        [] => Err(mismatch(f, cell)),
        many => Err(ValueError::SeveralChoices {
            found: cell.display(),
            named: many.iter().map(|&i| f.choices[i].clone()).collect(),
        }),
    }
}

/// "31/11/2025": a day and month typed in order that no calendar has.
fn no_such_date(s: &str) -> Option<ValueError> {
    let parts: Vec<u32> =
        s.trim().split(['/', '-', '.']).map(|p| p.trim().parse().ok()).collect::<Option<_>>()?;
    let [day, month, year] = parts[..] else { return None };
    let real = (1..=12).contains(&month) && (1..=31).contains(&day) && year >= 1000;
    (real && chrono::NaiveDate::from_ymd_opt(year as i32, month, day).is_none())
        .then(|| ValueError::NoSuchDate { found: s.trim().to_string(), day, month })
}

/// A whole number typed as text: "2425", "2.425", "2,425", "1 234 567", "-12".
pub fn parse_int(s: &str) -> Option<i64> {
    let s: String = s.chars().filter(|c| !c.is_whitespace() && *c != '\u{a0}').collect();
    let (neg, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.as_str()),
    };
    let groups: Vec<&str> = digits.split(['.', ',']).collect();
    // "0.500" is a decimal, not five hundred: a leading group never starts with 0.
    let grouped = groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && !groups[0].starts_with('0')
        && groups[1..].iter().all(|g| g.len() == 3)
        && (digits.matches('.').count() == 0 || digits.matches(',').count() == 0);
    if groups.len() > 1 && !grouped {
        return None;
    }
    let joined: String = groups.concat();
    if joined.is_empty() || !joined.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let n: i64 = joined.parse().ok()?;
    Some(if neg { -n } else { n })
}

/// A number typed as text, Vietnamese style first: "74,78", "1.234,5", "2.425"; also
/// "74.78" and "1,234.5" where the separators say so unambiguously.
pub fn parse_decimal(s: &str) -> Option<f64> {
    let s: String = s.chars().filter(|c| !c.is_whitespace() && *c != '\u{a0}').collect();
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '-')) {
        return None;
    }
    let (dots, commas) = (s.matches('.').count(), s.matches(',').count());
    let plain = match (dots, commas) {
        (0, 0) => s.clone(),
        (_, 0) if dots > 1 => s.replace('.', ""),
        (1, 0) => {
            let (before, after) = s.split_once('.').unwrap_or_default();
            let before = before.trim_start_matches('-');
            // "2.425" groups thousands; "0.500" and ".500" do not.
            if after.len() == 3 && !before.is_empty() && !before.starts_with('0') {
                s.replace('.', "")
            } else {
                s.clone()
            }
        }
        (0, 1) => s.replace(',', "."),
        (0, _) => s.replace(',', ""),
        _ => {
            if s.rfind(',') > s.rfind('.') {
                s.replace('.', "").replace(',', ".")
            } else {
                s.replace(',', "")
            }
        }
    };
    plain.parse().ok().filter(|x: &f64| x.is_finite())
}

/// How a text number writes its separators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberStyle {
    /// No separator, or none that tells.
    Plain,
    /// "," grouping thousands: "250,000", "1,234.5".
    EnglishGrouping,
    /// "." as the decimal point, no grouping: "14.4".
    EnglishPoint,
    /// "." grouping thousands or "," as the decimal point: "2.425", "74,78", "1.234,5".
    Vietnamese,
}

/// The separator style of a text number (digits, "-" and separators only).
pub fn number_style(s: &str) -> NumberStyle {
    let b = s.as_bytes();
    let (dots, commas) =
        b.iter().fold((0, 0), |(d, c), x| (d + usize::from(*x == b'.'), c + usize::from(*x == b',')));
    if grouped(s, b',', b'.') {
        NumberStyle::EnglishGrouping
    } else if grouped(s, b'.', b',') || (commas == 1 && dots == 0) {
        NumberStyle::Vietnamese
    } else if dots == 1 && commas == 0 {
        NumberStyle::EnglishPoint
    } else {
        NumberStyle::Plain
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

/// A number typed as text in a column written in English style throughout ("250,000",
/// "1,234.5", "14.4"): "," groups thousands and "." is the decimal point.
pub fn parse_english(s: &str) -> Option<f64> {
    let s: String = s.chars().filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != ',').collect();
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | '-')) {
        return None;
    }
    s.parse().ok().filter(|x: &f64| x.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest;
    use crate::workbook::test_cells::t;

    const MANIFEST: &str = r#"
description = "t"
output = "t"
[[sheets]]
id = "info"
kind = "keys"
names = ["Thông tin"]
[[sheets.fields]]
id = "nguoi_ky"
label = "Người ký"
required = true
[[sheets.fields]]
id = "noi_nhan"
label = "Nơi nhận"
many = true
[[sheets]]
id = "units"
kind = "table"
names = ["Số liệu"]
[[sheets.fields]]
id = "ten"
label = "Đơn vị"
aliases = ["Tên đơn vị"]
required = true
[[sheets.fields]]
id = "dang_ky"
label = "Mô hình đăng ký"
type = "integer"
required = true
"#;

    fn sheet(name: &str, rows: Vec<Vec<Cell>>) -> Sheet {
        Sheet { name: name.into(), rows, ..Sheet::default() }
    }

    fn info() -> Sheet {
        sheet(
            "Thông tin",
            vec![
                vec![t("Mục"), t("Giá trị")],
                vec![t("Người ký"), t("Nguyễn Văn A")],
                vec![t("Nơi nhận"), t("- Như trên;")],
                vec![Cell::Empty, t("- Lưu: VT.")],
                vec![t("Ghi chú"), t("x")],
            ],
        )
    }

    #[test]
    fn binds_keys_tables_and_lists_what_it_set_aside() {
        let units = sheet(
            "Số liệu",
            vec![
                vec![t("BẢNG SỐ LIỆU")],
                vec![t("TÊN  ĐƠN VỊ"), t("Mô hình đăng ký"), t("Cột lạ")],
                vec![Cell::Number(1.0), Cell::Number(2.0), Cell::Number(3.0)],
                vec![t("Nha Trang"), Cell::Number(120.0)],
                vec![t("Cam Ranh"), t("1.050")],
                vec![],
                vec![t("Tổng cộng"), Cell::Number(1170.0)],
            ],
        );
        let wb = Workbook { source: "t".into(), sheets: vec![info(), units] };
        let bound = bind(&wb, &manifest::parse(MANIFEST).unwrap(), &Profile::default()).unwrap();
        let c = &bound.context(0);
        assert_eq!(c["info"]["noi_nhan"], json!(["- Như trên;", "- Lưu: VT."]));
        assert_eq!(c["units"][1]["dang_ky"], json!(1050));
        assert_eq!(c["units"][1]["source_row"], json!(5));
        assert_eq!(c["totals"]["units"]["dang_ky"], json!(1170));
        assert_eq!(c["units"][0]["rank"]["dang_ky"], json!(2));
        assert_eq!(c["units"][1]["rank"]["dang_ky"], json!(1));
        let reasons: Vec<(usize, String)> = bound.set_aside.iter().map(|s| (s.row, s.reason())).collect();
        assert_eq!(
            reasons,
            [
                (1, "above the header row (title)".to_string()),
                (3, "column numbers under the header".into()),
                (7, "total row (totals are computed from the data rows)".into()),
                (5, "item \"Ghi chú\" is not used by this template".into()),
            ]
        );
    }

    #[test]
    fn english_grouping_counts_only_in_a_column_that_uses_it_throughout() {
        let manifest = MANIFEST.replace("type = \"integer\"", "type = \"decimal\"");
        let bound = |values: [&str; 3]| {
            let mut rows = vec![vec![t("Đơn vị"), t("Mô hình đăng ký")]];
            rows.extend(values.iter().enumerate().map(|(i, v)| vec![t(&format!("Xã {i}")), t(v)]));
            let wb = Workbook { source: "t".into(), sheets: vec![info(), sheet("Số liệu", rows)] };
            let bound = bind(&wb, &manifest::parse(&manifest).unwrap(), &Profile::default()).unwrap();
            let c = bound.context(0);
            (0..3).map(|i| c["units"][i]["dang_ky"].as_f64().unwrap()).collect::<Vec<_>>()
        };
        assert_eq!(bound(["250,000", "1,234.5", "14.4"]), [250_000.0, 1234.5, 14.4]);
        // One cell in Vietnamese style ("74,78") and the column is read the Vietnamese way.
        assert_eq!(bound(["250,000", "74,78", "2.425"]), [250.0, 74.78, 2425.0]);
    }

    #[test]
    fn a_continuation_row_joins_the_record_above() {
        let units = sheet(
            "Số liệu",
            vec![
                vec![t("STT"), t("Mã"), t("Đơn vị"), t("Mô hình đăng ký"), t("Ghi chú")],
                vec![Cell::Number(1.0), t("22570"), t("Xã Cam Hải Tây"), Cell::Number(12.0), t("x")],
                vec![Cell::Empty, Cell::Empty, t("(huyện Cam Lâm)")],
                vec![Cell::Number(2.0), t("22573"), t("Xã Cam Thành Bắc"), Cell::Number(7.0)],
                vec![Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty, t("chưa báo cáo")],
            ],
        );
        let wb = Workbook { source: "t".into(), sheets: vec![info(), units] };
        let bound = bind(&wb, &manifest::parse(MANIFEST).unwrap(), &Profile::default()).unwrap();
        let c = bound.context(0);
        assert_eq!(c["units"][0]["ten"], json!("Xã Cam Hải Tây\n(huyện Cam Lâm)"));
        assert_eq!(c["units"].as_array().map(Vec::len), Some(2));
        let reasons: Vec<(usize, String)> = bound.set_aside.iter().map(|s| (s.row, s.reason())).collect();
        assert_eq!(
            reasons[..1],
            [(5, "continues the data row above, in a column no text field reads".to_string())]
        );
    }

    #[test]
    fn a_choice_without_a_column_comes_from_the_section_headings() {
        let manifest = r#"
description = "t"
output = "t"
[[sheets]]
id = "ds"
kind = "table"
names = ["DS"]
[[sheets.fields]]
id = "ten"
label = "Họ và tên"
required = true
[[sheets.fields]]
id = "loai"
label = "Loại"
type = "choice"
choices = ["Tập thể", "Cá nhân"]
required = true
"#;
        let rows = |first: Vec<Vec<Cell>>| {
            let mut rows = vec![vec![t("STT"), t("Họ và tên"), t("Đơn vị")]];
            rows.extend(first);
            rows.extend([
                vec![t("I."), t("TẬP THỂ")],
                vec![Cell::Number(1.0), t("Phòng Nội vụ"), t("Huyện Vạn Ninh")],
                vec![t("II."), t("KHEN THƯỞNG CÁ NHÂN")],
                vec![t("1."), t("Khối Đảng")],
                vec![Cell::Number(2.0), t("Trần Văn A"), t("Sở Nội vụ")],
            ]);
            Workbook { source: "t".into(), sheets: vec![sheet("DS", rows)] }
        };
        let manifest = manifest::parse(manifest).unwrap();
        let bound = bind(&rows(Vec::new()), &manifest, &Profile::default()).unwrap();
        let c = bound.context(0);
        assert_eq!((&c["ds"][0]["loai"], &c["ds"][1]["loai"]), (&json!("Tập thể"), &json!("Cá nhân")));
        // A row above every heading that names one is a problem of its own.
        let early = vec![vec![Cell::Number(0.0), t("Lê Thị B"), t("Xã A")]];
        let problems = bind(&rows(early), &manifest, &Profile::default()).unwrap_err();
        let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "DS: row 2: no column \"Loại\" and no section heading above the row says which (\"Tập thể\", \"Cá nhân\")"
            ]
        );
    }

    #[test]
    fn reports_every_problem_with_its_cell() {
        let units = sheet(
            "Số liệu",
            vec![
                vec![t("STT"), t("Đơn vị"), t("Mô hình đăng ký")],
                vec![Cell::Number(1.0), t("Nha Trang"), t("mười")],
                vec![Cell::Number(2.0), Cell::Empty, Cell::Error("#N/A".into())],
            ],
        );
        let mut info = info();
        info.rows[1][1] = Cell::Empty;
        let wb = Workbook { source: "t".into(), sheets: vec![info, units] };
        let problems = bind(&wb, &manifest::parse(MANIFEST).unwrap(), &Profile::default()).unwrap_err();
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "Thông tin!B2 (\"Người ký\"): a value is required",
                "Số liệu!C2 (\"Mô hình đăng ký\"): expected a whole number, found \"mười\"",
                "Số liệu!B3 (\"Đơn vị\"): a value is required",
                "Số liệu!C3 (\"Mô hình đăng ký\"): the cell holds the formula error #N/A",
            ]
        );
    }

    #[test]
    fn names_missing_sheets_and_columns() {
        let units = sheet("So lieu", vec![vec![t("Đơn vị"), t("Số mô hình")]]);
        let wb = Workbook { source: "t".into(), sheets: vec![units] };
        let text: Vec<String> = bind(&wb, &manifest::parse(MANIFEST).unwrap(), &Profile::default())
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            text,
            [
                "no sheet \"Thông tin\" (looked for \"Thông tin\"); the workbook has \"So lieu\"; or give its \
                 items with --set \"ITEM=VALUE\"",
                "no sheet \"Số liệu\" (looked for \"Số liệu\"); the workbook has \"So lieu\"; or name the sheet \
                 with --sheet NAME",
            ]
        );
        let units = sheet("Số liệu", vec![vec![t("Đơn vị"), t("Số mô hình")]]);
        let wb = Workbook { source: "t".into(), sheets: vec![info(), units] };
        let text: Vec<String> = bind(&wb, &manifest::parse(MANIFEST).unwrap(), &Profile::default())
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            text,
            [
                "Số liệu: no column \"Mô hình đăng ký\" in the header row 1 (looked for \"Mô hình đăng ký\"; \
                 or name it with --map \"dang_ky=LABEL\")",
                "Số liệu: no data rows under the header row 1"
            ]
        );
    }

    #[test]
    fn suggests_labels_typed_without_diacritics_or_nearly() {
        assert_eq!(closest(["Người ký"], [("Ghi chú", 1), ("Nguoi ky", 2)]), Some(2));
        assert_eq!(closest(["Thành tích"], [("Thành tích\nđạt được", 1)]), Some(1));
        assert_eq!(closest(["Mô hình đăng ký"], [("Mô hình đăng kí", 1)]), Some(1), "a slip of a letter");
        // The same without diacritics is nearer than a longer label holding the words.
        assert_eq!(closest(["Người ký"], [("Người ký duyệt", 1), ("NGUOI KY", 2)]), Some(2));
        assert_eq!(closest(["tong"], [("Tổng số mô hình lũy kế", 1)]), None, "one word is too little");
        assert_eq!(closest(["Đơn vị"], [("Ghi chú", 1), ("Xếp loại", 2)]), None);
    }

    #[test]
    fn an_absent_key_value_sheet_is_read_from_another_and_an_alias_yields_to_the_own_label() {
        let manifest = MANIFEST.replace(
            "names = [\"Thông tin\"]",
            "names = [\"Thông tin\"]\n[[sheets.fields]]\nid = \"ngay\"\nlabel = \"Ngày quyết định\"\naliases = [\"Ngày ban hành\"]",
        );
        let mut one = info();
        one.name = "Chung".into();
        one.rows.push(vec![t("Ngày ban hành"), t("report")]);
        one.rows.push(vec![t("Ngày quyết định"), t("decision")]);
        let units = sheet(
            "Số liệu",
            vec![vec![t("Đơn vị"), t("Mô hình đăng ký")], vec![t("Nha Trang"), Cell::Number(1.0)]],
        );
        let wb = Workbook { source: "t".into(), sheets: vec![one, units] };
        let bound = bind(&wb, &manifest::parse(&manifest).unwrap(), &Profile::default()).unwrap();
        assert_eq!(bound.shared["info"]["nguoi_ky"], json!("Nguyễn Văn A"));
        assert_eq!(bound.shared["info"]["ngay"], json!("decision"));
        let notes: Vec<String> = bound.notes.iter().map(ToString::to_string).collect();
        assert_eq!(notes, ["no sheet \"Thông tin\": its items were read from sheet \"Chung\""]);
    }

    #[test]
    fn parses_numbers_typed_as_text() {
        assert_eq!(parse_int("2.425"), Some(2425));
        assert_eq!(parse_int("1 234 567"), Some(1_234_567));
        assert_eq!(parse_int("250,000"), Some(250_000));
        assert_eq!(parse_int("-12"), Some(-12));
        assert_eq!(parse_int("12.5"), None);
        assert_eq!(parse_int("1.234,567"), None);
        assert_eq!(parse_int("mười"), None);
        assert_eq!(parse_decimal("74,78"), Some(74.78));
        assert_eq!(parse_decimal("1.234,5"), Some(1234.5));
        assert_eq!(parse_decimal("1,234.5"), Some(1234.5));
        assert_eq!(parse_decimal("20.00"), Some(20.0));
        assert_eq!(parse_decimal("2.425"), Some(2425.0));
        assert_eq!(parse_decimal("abc"), None);
        assert_eq!(parse_int("0.500"), None);
        assert_eq!(parse_decimal("0.500"), Some(0.5));
        assert_eq!(parse_decimal("0,500"), Some(0.5));
        assert_eq!(parse_decimal("-0.125"), Some(-0.125));
        assert_eq!(parse_decimal("-2.425"), Some(-2425.0));
    }

    const AWARDS: &str = r#"
description = "t"
output = "t"
[[sheets]]
id = "ds"
kind = "table"
names = ["Khen thưởng"]
[[sheets.fields]]
id = "ten"
label = "Tên"
aliases = ["Tên tập thể/cá nhân"]
required = true
[[sheets.fields]]
id = "loai"
label = "Loại"
aliases = ["Loại khen thưởng"]
type = "choice"
choices = ["Tập thể", "Cá nhân", "Hộ gia đình"]
required = true
[[sheets.fields]]
id = "chuc_vu"
label = "Chức vụ"
[[sheets.fields]]
id = "don_vi"
label = "Đơn vị"
aliases = ["Đơn vị công tác"]
[[sheets.fields]]
id = "hinh_thuc"
label = "Hình thức khen thưởng"
required = true
"#;

    /// An exported proposal: a header with longer labels, kinds typed in a sentence, and a
    /// row of cached #N/A under the data.
    fn proposal(name: &str) -> Sheet {
        let na = || Cell::Error("#N/A".into());
        sheet(
            name,
            vec![
                vec![t("DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG")],
                vec![
                    t("STT"),
                    t("Tên tập thể/cá nhân/hộ gia đình"),
                    t("Phân loại khen thưởng"),
                    t("Hình thức khen thưởng"),
                ],
                vec![Cell::Number(1.0), t("Hội Nông dân xã A"), t("Khen thưởng tập thể"), t("Giấy khen")],
                vec![
                    Cell::Number(2.0),
                    t("Hộ gia đình ông Lê Văn B"),
                    t("khen thưởng hộ gia đình"),
                    t("Giấy khen"),
                ],
                vec![na(), na(), na(), na()],
            ],
        )
    }

    #[test]
    fn a_list_on_a_sheet_no_name_finds_is_read_from_the_sheet_whose_header_fits_best() {
        let manifest = manifest::parse(AWARDS).unwrap();
        // Only one required column of three: not the list.
        let summary_of_forms = || {
            sheet(
                "Tổng hợp",
                vec![
                    vec![t("Hình thức khen thưởng"), t("Số lượng"), t("Ghi chú")],
                    vec![t("Giấy khen"), Cell::Number(2.0)],
                ],
            )
        };
        let wb = Workbook {
            source: "t".into(),
            sheets: vec![summary_of_forms(), proposal("DS 2023"), proposal("DS cũ")],
        };
        let bound = bind(&wb, &manifest, &Profile::default()).unwrap();
        let c = bound.context(0);
        let kinds: Vec<&Value> = (0..2).map(|i| &c["ds"][i]["loai"]).collect();
        assert_eq!(kinds, [&json!("Tập thể"), &json!("Hộ gia đình")]);
        assert_eq!(c["ds"].as_array().map(Vec::len), Some(2));
        let notes: Vec<String> = bound.notes.iter().map(ToString::to_string).collect();
        assert_eq!(
            notes,
            [
                "no sheet \"Khen thưởng\": sheet \"DS 2023\" was read as it, since its header (row 2) fits the \
                 template's columns best (read: \"Tên\" from B, \"Loại\" from C, \"Hình thức khen thưởng\" from D); \
                 choose another with --sheet NAME",
                "DS 2023: column B \"Tên tập thể/cá nhân/hộ gia đình\" is read as \"Tên\", since it contains \
                 \"Tên tập thể/cá nhân\"",
                "DS 2023: column C \"Phân loại khen thưởng\" is read as \"Loại\", since it contains \"Loại khen thưởng\"",
                "DS 2023: no template here reads column A \"STT\", so it is not printed",
            ]
        );
        let reasons: Vec<(usize, String)> = bound.set_aside.iter().map(|s| (s.row, s.reason())).collect();
        assert_eq!(
            reasons[1],
            (5, "only formula errors (#N/A) and no data: taken as an empty row".to_string())
        );
        // Nothing fits: today's error.
        let wb = Workbook { source: "t".into(), sheets: vec![summary_of_forms()] };
        let text: Vec<String> =
            bind(&wb, &manifest, &Profile::default()).unwrap_err().iter().map(ToString::to_string).collect();
        assert_eq!(
            text,
            [
                "no sheet \"Khen thưởng\" (looked for \"Khen thưởng\"); the workbook has \"Tổng hợp\"; or name the \
              sheet with --sheet NAME"
            ]
        );
    }

    #[test]
    fn a_label_holding_a_fields_label_binds_unless_an_exact_or_longer_match_takes_the_column() {
        let manifest = manifest::parse(AWARDS).unwrap();
        let spec = &manifest.sheets[0];
        let columns = |header: &[&str]| {
            let s = sheet("DS", vec![header.iter().map(|h| t(h)).collect()]);
            field_columns(&s, spec, &Profile::default(), &[0]).cols
        };
        // ten, loai, chuc_vu, don_vi, hinh_thuc: "Đơn vị công tác" is longer than "Chức vụ".
        assert_eq!(
            columns(&["Tên", "Loại", "Chức vụ, đơn vị công tác", "Hình thức"]),
            [Some(0), Some(1), None, Some(2), None]
        );
        // An exact "Đơn vị" wins; "Chức vụ" then takes the combined column.
        assert_eq!(
            columns(&["Tên", "Loại", "Chức vụ, đơn vị công tác", "Đơn vị", "Hình thức khen thưởng"]),
            [Some(0), Some(1), Some(2), Some(3), Some(4)]
        );
        // One word is too little to bind by ("Tên gọi" does not hold a label of two words).
        assert_eq!(columns(&["Tên gọi", "Loại"]), [None, Some(1), None, None, None]);
    }

    #[test]
    fn a_choice_typed_in_a_sentence_reads_as_the_one_choice_it_names() {
        let manifest = manifest::parse(AWARDS).unwrap();
        let f = &manifest.sheets[0].fields[1];
        assert_eq!(convert(&t("Khen thưởng cá nhân"), f), Ok(json!("Cá nhân")));
        assert_eq!(convert(&t("KHEN THƯỞNG HỘ GIA ĐÌNH"), f), Ok(json!("Hộ gia đình")));
        let text =
            |r: Result<Value, ValueError>| crate::messages::value_error(&r.unwrap_err(), Default::default());
        assert_eq!(
            text(convert(&t("Tập thể, cá nhân"), f)),
            "\"Tập thể, cá nhân\" names more than one choice: \"Tập thể\", \"Cá nhân\"; keep only one"
        );
        assert_eq!(
            text(convert(&t("Gia đình"), f)),
            "expected one of \"Tập thể\", \"Cá nhân\", \"Hộ gia đình\", found \"Gia đình\""
        );
        // A choice inside another named one does not count twice.
        let mut f = f.clone();
        f.choices = vec!["Tập thể".into(), "Tập thể nhỏ".into()];
        f.folded_choices = f.choices.iter().map(|c| vi::fold(c)).collect();
        assert_eq!(convert(&t("Khen tập thể nhỏ"), &f), Ok(json!("Tập thể nhỏ")));
    }

    #[test]
    fn converts_dates_and_choices() {
        let date = FieldSpec {
            id: "d".into(),
            label: "Ngày".into(),
            aliases: vec![],
            ty: FieldType::Date,
            required: true,
            many: false,
            choices: vec![],
            belongs_to: None,
            derive: None,
            note: None,
            folded_labels: vec![],
            folded_choices: vec![],
        };
        assert_eq!(convert(&t("09/01/2024"), &date), Ok(json!("2024-01-09")));
        assert_eq!(convert(&Cell::Number(45300.0), &date), Ok(json!("2024-01-09")));
        let text =
            |r: Result<Value, ValueError>| crate::messages::value_error(&r.unwrap_err(), Default::default());
        assert_eq!(text(convert(&t("mai"), &date)), "expected a date (dd/mm/yyyy), found \"mai\"");
        assert_eq!(
            text(convert(&t("31/11/2025"), &date)),
            "\"31/11/2025\" is not a date: November has no day 31"
        );
        assert_eq!(convert(&t("29/02/2024"), &date), Ok(json!("2024-02-29")));
        let choices = vec!["Đảng".to_string(), "Nhà nước".to_string()];
        let folded_choices = choices.iter().map(|c| vi::fold(c)).collect();
        let choice = FieldSpec { ty: FieldType::Choice, choices, folded_choices, ..date };
        assert_eq!(convert(&t("nhà  nước"), &choice), Ok(json!("Nhà nước")));
        assert_eq!(
            text(convert(&t("UBND"), &choice)),
            "expected one of \"Đảng\", \"Nhà nước\", found \"UBND\""
        );
    }
}
