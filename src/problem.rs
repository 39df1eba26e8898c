//! Problems as data: where in the workbook, and what is wrong with which parameters. The
//! text a person reads is made from them in one place, [`crate::messages`], in English or
//! Vietnamese; the web page also reads the parameters to offer a fix (a column to choose,
//! an item to type).

use crate::manifest::FieldType;
use serde::Serialize;
use std::fmt;

/// One thing wrong with the workbook (or with an option), as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The sheet, when the problem is inside one.
    pub sheet: Option<String>,
    /// The cell ("D7"), when the problem is in one cell.
    pub cell: Option<String>,
    /// The column or item label the cell belongs to.
    pub label: Option<String>,
    /// What is wrong, with its parameters.
    #[serde(flatten)]
    pub kind: ProblemKind,
}

impl Problem {
    /// A problem with no place in the workbook (a command-line option, say).
    pub fn general(kind: ProblemKind) -> Problem {
        Problem { sheet: None, cell: None, label: None, kind }
    }

    /// A problem about a whole sheet.
    pub fn in_sheet(sheet: &str, kind: ProblemKind) -> Problem {
        Problem { sheet: Some(sheet.to_string()), cell: None, label: None, kind }
    }

    /// The problem's text in `lang`, with its place first ("Số liệu!C7 ("Mô hình"): ...").
    pub fn text(&self, lang: crate::messages::Lang) -> String {
        crate::messages::problem(self, lang)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(crate::messages::Lang::En))
    }
}

/// How a missing sheet can be done without.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SheetFix {
    /// Its items can be given one by one (`--set`).
    SetItems,
    /// Another sheet can be named (`--sheet`).
    NameSheet,
    /// Neither.
    None,
}

/// What a value should have been.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "expected", rename_all = "snake_case")]
pub enum Expected {
    /// A whole number.
    WholeNumber,
    /// A number.
    Number,
    /// A percentage.
    Percentage,
    /// A date, dd/mm/yyyy.
    Date,
    /// Có or Không.
    YesNo,
    /// One of these choices.
    OneOf {
        /// The choices, as the manifest spells them.
        choices: Vec<String>,
    },
}

/// Why a cell's value does not fit its field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum ValueError {
    /// The cell holds a formula error (#N/A, #REF!).
    FormulaError {
        /// The error as Excel shows it.
        error: String,
    },
    /// The value is not of the expected type.
    Mismatch {
        /// What was expected.
        #[serde(flatten)]
        expected: Expected,
        /// The cell as it shows.
        found: String,
    },
    /// A choice typed inside a longer text that names more than one of the choices
    /// ("Khen thưởng tập thể, cá nhân").
    SeveralChoices {
        /// The cell as it shows.
        found: String,
        /// The choices it names, as the manifest spells them (a boxed slice, so that a
        /// problem stays small).
        named: Box<[String]>,
    },
    /// A date that does not exist ("31/11/2025").
    NoSuchDate {
        /// The text typed.
        found: String,
        /// Day of month.
        day: u32,
        /// Month.
        month: u32,
    },
}

/// What may help find a missing item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ItemHint {
    /// A label in column A that may be meant (typed without diacritics, or nearly).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maybe: Option<String>,
    /// The sheet the items belong on, when it is absent and this sheet was read instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instead_of: Option<String>,
}

/// What is wrong, with the parameters its text (and a fix) needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProblemKind {
    /// A sheet the template needs is not in the workbook.
    NoSheet {
        /// Its usual name.
        wanted: String,
        /// Every name accepted.
        looked_for: Vec<String>,
        /// The workbook's sheets.
        sheets: Vec<String>,
        /// How to do without it.
        fix: SheetFix,
    },
    /// `--sheet` names no sheet of the workbook.
    NoSuchSheet {
        /// The name given.
        name: String,
        /// The workbook's sheets.
        sheets: Vec<String>,
    },
    /// No sheet has a table (for a template that prints a whole sheet).
    NoTableSheet {
        /// The workbook's sheets.
        sheets: Vec<String>,
    },
    /// The sheet has no table the detector can find.
    NoTable {
        /// Why the detector found none.
        why: crate::table::HeaderWhy,
    },
    /// `--header-row 0`.
    HeaderRowZero,
    /// `--header-row N` past the sheet's last row.
    HeaderRowBeyond {
        /// The row given.
        row: usize,
        /// How many rows the sheet has.
        rows: usize,
    },
    /// A cell's value does not fit its field.
    BadValue(ValueError),
    /// A single-valued item given a second time.
    SecondValue {
        /// The cell of the first value ("B7").
        first: String,
    },
    /// A required value is empty.
    Required,
    /// A required item is not in its key/value sheet.
    NoItem {
        /// Its usual label.
        item: String,
        /// The field's id.
        field: String,
        /// Every label accepted.
        looked_for: Vec<String>,
        /// Its type (a date item is typed as a date).
        #[serde(rename = "type")]
        ty: FieldType,
        /// The choices, for a choice item.
        choices: Vec<String>,
        /// What may help: a label that may be meant, the absent sheet (boxed, so that a
        /// problem stays small).
        #[serde(flatten)]
        hint: Box<ItemHint>,
    },
    /// A `--set` value that does not fit its item.
    BadSet {
        /// The key given.
        key: String,
        /// The value given.
        value: String,
        /// The item's label.
        item: String,
        /// Why it does not fit.
        error: ValueError,
    },
    /// No header row with the template's labels.
    NoHeader {
        /// The labels of the required columns.
        wanted: Vec<String>,
        /// How many rows were searched.
        searched: usize,
    },
    /// A required column is not in the header.
    NoColumn {
        /// Its usual label.
        column: String,
        /// The field's id (for `--map`).
        field: String,
        /// The header row (from 1).
        header_row: usize,
        /// Every label accepted.
        looked_for: Vec<String>,
        /// A label of the header that may be meant (typed without diacritics, or nearly).
        #[serde(skip_serializing_if = "Option::is_none")]
        maybe: Option<String>,
    },
    /// A choice without a column, and no section heading above the row names one.
    NoSectionChoice {
        /// The row (from 1).
        row: usize,
        /// The field's label.
        column: String,
        /// The choices.
        choices: Vec<String>,
    },
    /// A table with a header and nothing under it.
    NoDataRows {
        /// The header row (from 1).
        header_row: usize,
    },
    /// A `--set` key that no template reads.
    UnknownSet {
        /// The key.
        key: String,
        /// An item's label that may be meant.
        #[serde(skip_serializing_if = "Option::is_none")]
        maybe: Option<String>,
    },
    /// A `--map` field that no template has.
    UnknownMap {
        /// The field.
        field: String,
        /// A field's label that may be meant.
        #[serde(skip_serializing_if = "Option::is_none")]
        maybe: Option<String>,
    },
    /// Characters no loaded font has.
    MissingGlyphs {
        /// Each character once, in order.
        chars: Vec<char>,
    },
    /// Control characters that will be dropped.
    ControlChars {
        /// Each character once, in order.
        chars: Vec<char>,
    },
    /// A note: a column of the table that no field of any template reads (its data is not
    /// printed anywhere).
    UnusedColumn {
        /// Its label (line breaks as spaces).
        column: String,
        /// Its letter ("H").
        letter: String,
        /// The label of a field without a column that it may be.
        #[serde(skip_serializing_if = "Option::is_none")]
        maybe: Option<String>,
        /// That field's id (for `--map`).
        #[serde(skip_serializing_if = "Option::is_none")]
        field: Option<String>,
    },
    /// A note: the items of a key/value sheet that is absent were read from another one.
    ItemsElsewhere {
        /// The sheet's usual name.
        wanted: String,
        /// The sheet they were read from.
        sheet: String,
    },
    /// A note: a table sheet that is absent by its names was read from the sheet whose
    /// header fits the template's columns best.
    TableElsewhere {
        /// The sheet's usual name.
        wanted: String,
        /// The sheet read instead.
        sheet: String,
        /// Its header row (from 1).
        header_row: usize,
        /// What was read from where: (field label, column letter), left to right.
        columns: Vec<(String, String)>,
    },
    /// A note: a header label that holds one of a field's labels as whole words was read as
    /// that field ("Tên tập thể/cá nhân/hộ gia đình" holds "Tên tập thể/cá nhân").
    ColumnContains {
        /// The header label (line breaks as spaces).
        column: String,
        /// Its letter ("C").
        letter: String,
        /// The field's usual label.
        field: String,
        /// The field's label or alias the header holds.
        matched: String,
    },
    /// A note: which sheet a whole-sheet template printed, when `--sheet` did not say.
    SheetPrinted {
        /// The sheet printed.
        sheet: String,
        /// The workbook's sheets.
        sheets: Vec<String>,
    },
    /// A total typed in the workbook that its rows do not add up to (documents that add up
    /// the rows themselves set it aside).
    TotalMismatch {
        /// The column's label.
        column: String,
        /// The total as typed, written the Vietnamese way ("4.000.000").
        typed: String,
        /// What the rows above add up to ("3.500.000").
        computed: String,
    },
    /// A note: an item the workbook left out, made from other items by the manifest's rule.
    Derived {
        /// The item's label.
        item: String,
        /// The value made.
        value: String,
        /// The labels of the items it was made from.
        from: Vec<String>,
    },
    /// A row of the award list that no decision of the workbook gives.
    NoDecision {
        /// The row's value that should name a decision (its award form or decision number).
        value: String,
        /// Each decision sheet with the values it lists.
        decisions: Vec<(String, Vec<String>)>,
    },
    /// A row of the award list that two or more decisions give.
    TwoDecisions {
        /// The row's value.
        value: String,
        /// The decision sheets that list it.
        decisions: Vec<String>,
    },
}
