//! A template's `manifest.toml`: which sheets and columns it needs, the labels it accepts for
//! each, their types, and how its output files are named.
//!
//! ```toml
//! description = "Báo cáo tổng kết công tác dân vận năm (toàn tỉnh)"
//! output = "bao-cao-tong-ket-{{info.nam}}"
//!
//! [[sheets]]
//! id = "info"
//! kind = "keys"                 # a key/value sheet: labels in column A, values in B
//! names = ["Thông tin"]
//! [[sheets.fields]]
//! id = "loai"
//! label = "Loại văn bản"
//! type = "choice"
//! choices = ["Đảng", "Nhà nước"]
//! required = true
//! ```

use serde::Deserialize;

/// Field ids that Handlebars' built-in helpers would hide (see DESIGN.md).
const RESERVED_IDS: [&str; 14] =
    ["raw", "len", "lookup", "eq", "ne", "gt", "lt", "and", "or", "not", "if", "each", "with", "log"];

/// Context keys the engine fills itself: the row of a one-per document, computed totals and
/// the document's settings (paper size).
const ENGINE_KEYS: [&str; 5] = ["row", "totals", "doc", "rank", "source_row"];

/// The engine's keys at the top of a context (beside the sheets' ids).
const TOP_KEYS: [&str; 3] = ["row", "totals", "doc"];

/// The parsed manifest of one template.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// One line saying what the template produces, shown by `vanban templates`.
    pub description: String,
    /// The output file name (without ".pdf"), a Handlebars pattern over the context.
    pub output: String,
    /// When set, one document is made per row of this table sheet (its id), instead of one
    /// for the whole workbook. The row is available as `row` in the template.
    #[serde(default, rename = "one-per")]
    pub one_per: Option<String>,
    /// Where the document's date is, as `sheet.field` ("info.ngay_ban_hanh"): it becomes the
    /// PDF's date, so the same workbook always gives the same bytes.
    #[serde(default)]
    pub date: Option<String>,
    /// The paper size the template is laid out for by default ("a4" or "a3"); the
    /// template reads the size in effect as `doc.paper`.
    #[serde(default = "a4")]
    pub paper: String,
    /// What the template reads: named fields of named sheets (the default), or one whole
    /// sheet as it is laid out (`"sheet"`, for printing any table as an appendix).
    #[serde(default)]
    pub input: Input,
    /// The sheets the template reads (none for `input = "sheet"`).
    #[serde(default)]
    pub sheets: Vec<SheetSpec>,
}

/// What a template reads from the workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Input {
    /// The fields its manifest declares.
    #[default]
    Fields,
    /// One sheet as laid out (`--sheet` picks it): title, header, rows by kind, notes.
    Sheet,
}

/// How a sheet is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SheetKind {
    /// Key/value pairs: a label in the first column, its value in the second; a blank or
    /// repeated label continues the previous item (for lists such as "Nơi nhận").
    Keys,
    /// A table: a header row of labels, then one row per record.
    Table,
}

/// One sheet the template reads.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetSpec {
    /// The name the template uses for the sheet's data ("info", "units").
    pub id: String,
    /// Key/value or table.
    pub kind: SheetKind,
    /// Sheet names accepted, first the usual one.
    pub names: Vec<String>,
    /// Whether the workbook must have this sheet (default true).
    #[serde(default = "yes")]
    pub required: bool,
    /// For keys sheets: one per document set. Every key/value sheet whose name starts with
    /// one of `names` ("Quyết định UBND", "Quyết định BDV") is a decision of its own; the
    /// table rows go to the decision their `belongs-to` fields name.
    #[serde(default)]
    pub each: bool,
    /// For an `each` sheet: the keys sheets whose items a decision sheet may give for itself
    /// (its own "Loại văn bản", issuing body, place), overriding theirs; an item left blank
    /// there is none for that decision.
    #[serde(default)]
    pub overrides: Vec<String>,
    /// The items (keys sheet) or columns (table sheet).
    pub fields: Vec<FieldSpec>,
}

/// The type a value must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    /// Any text; numbers are taken as they are displayed.
    Text,
    /// A whole number ("2.425" as text is read as 2425).
    Integer,
    /// A number with decimals ("74,78" as text is read as 74.78).
    Decimal,
    /// Percentage points ("74,78%" or 74.78).
    Percent,
    /// A date cell, a date serial or text "dd/mm/yyyy".
    Date,
    /// Có/Không, x, TRUE/FALSE.
    Boolean,
    /// One of the manifest's `choices`, matched loosely and returned as spelled there.
    Choice,
}

/// One item of a keys sheet or one column of a table sheet.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    /// The name the template uses ("don_vi"): ASCII, so it cannot collide with helpers.
    pub id: String,
    /// The usual label in the workbook.
    pub label: String,
    /// Other labels offices use for the same thing.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The value's type.
    #[serde(rename = "type", default = "text")]
    pub ty: FieldType,
    /// Whether the column or item must be present and every value non-empty.
    #[serde(default)]
    pub required: bool,
    /// For keys sheets: the item may have several values, one per row (a list).
    #[serde(default)]
    pub many: bool,
    /// For `choice`: the accepted values.
    #[serde(default)]
    pub choices: Vec<String>,
    /// For table fields: `"sheet.field"` of an `each` keys sheet. With several such sheets, a
    /// row belongs to the one whose field holds the row's value (the first such field with
    /// a value on the row decides).
    #[serde(default, rename = "belongs-to")]
    pub belongs_to: Option<String>,
    /// For keys fields: how the value is made when the workbook leaves it out
    /// ([`Derive`]); a required field is then missing only when the rule cannot make it.
    #[serde(default)]
    pub derive: Option<Derive>,
    /// What the template does without the item (its default), for `vanban templates NAME`
    /// and the fill-in workbook.
    #[serde(default)]
    pub note: Option<String>,
    /// The label and aliases folded for matching ([`crate::vi::fold`]), filled by [`parse`].
    #[serde(skip)]
    pub folded_labels: Vec<String>,
    /// The choices folded for matching, filled by [`parse`].
    #[serde(skip)]
    pub folded_choices: Vec<String>,
}

/// A rule that makes a keys field's value from other fields when the workbook leaves it out;
/// the value is shown as a note.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Derive {
    /// The rule ([`crate::derive::apply`] lists them).
    pub rule: String,
    /// The `"sheet.field"` paths the rule reads, in the order it takes them.
    pub from: Vec<String>,
}

/// Where a template names each field, by (sheet id, field id); a field it never names has
/// no entry.
pub type Uses = std::collections::BTreeMap<(String, String), Vec<Use>>;

/// Where a template names a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Use {
    /// A line (from 1) of its Handlebars source.
    Line(usize),
    /// Its output-name pattern.
    OutputName,
    /// Its document date (`date = "sheet.field"`).
    Date,
    /// A rule of its manifest: a `derive` reads it, or it says which decision a row belongs
    /// to (`belongs-to`, either end).
    Rule,
}

/// A name a template's Handlebars source uses: a path such as `row.ten` or `../units`, split
/// into its named parts (`this`, `..` and `@root` dropped), or a string given to a helper
/// (`"loai"` in `{{sum rows "loai"}}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameRef {
    /// The parts of the path, or the one string.
    pub segs: Vec<String>,
    /// A string argument rather than a path.
    pub literal: bool,
    /// Given whole to a helper that passes every key on (`{{val row}}`).
    pub whole: bool,
    /// Where.
    pub at: Use,
}

fn a4() -> String {
    "a4".to_string()
}

/// Paper sizes a template may be rendered on.
pub const PAPERS: [&str; 2] = ["a4", "a3"];

fn yes() -> bool {
    true
}

fn text() -> FieldType {
    FieldType::Text
}

impl FieldSpec {
    /// The label first, then the aliases.
    pub fn labels(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.label.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
}

impl Manifest {
    /// The spec of the sheet with this id.
    pub fn sheet(&self, id: &str) -> Option<&SheetSpec> {
        self.sheets.iter().find(|s| s.id == id)
    }

    /// Finds where the template names each field (`names`: every name its source and
    /// output pattern use) and makes a required field optional when it is never named: a
    /// certificate that never prints "Loại" does not need that column, nor a sheet none of
    /// whose fields it reads. Returns the uses and the (sheet, field) ids made optional (a
    /// whole sheet as (sheet, "")). Decided once, when templates are loaded;
    /// conservative, so a name that could mean the field counts as a use.
    pub fn apply_uses(&mut self, names: &[NameRef]) -> (Uses, Vec<(String, String)>) {
        let sheets: Vec<String> = self.sheets.iter().map(|s| s.id.clone()).collect();
        let fields: Vec<String> = self.sheets.iter().flat_map(|s| &s.fields).map(|f| f.id.clone()).collect();
        let known = Known {
            sheets: sheets.iter().map(String::as_str).collect(),
            fields: fields.iter().map(String::as_str).collect(),
        };
        let (mut uses, mut relaxed) = (Uses::new(), Vec::new());
        // "sheet.field" of every field a rule reads.
        let mut ruled: Vec<String> = Vec::new();
        for sheet in &self.sheets {
            for f in &sheet.fields {
                ruled.extend(f.derive.iter().flat_map(|d| d.from.iter().cloned()));
                if let Some(target) = &f.belongs_to {
                    ruled.push(target.clone());
                    ruled.push(format!("{}.{}", sheet.id, f.id));
                }
            }
        }
        for sheet in &mut self.sheets {
            let one_per = self.one_per.as_deref() == Some(sheet.id.as_str());
            for f in &mut sheet.fields {
                let mut at: Vec<Use> = names
                    .iter()
                    .filter(|n| names_field(n, &known, &sheet.id, one_per, &f.id))
                    .map(|n| n.at)
                    .collect();
                let path = format!("{}.{}", sheet.id, f.id);
                if self.date.as_deref() == Some(path.as_str()) {
                    at.push(Use::Date);
                }
                if ruled.contains(&path) {
                    at.push(Use::Rule);
                }
                at.sort();
                at.dedup();
                if at.is_empty() {
                    if f.required {
                        f.required = false;
                        relaxed.push((sheet.id.clone(), f.id.clone()));
                    }
                } else {
                    uses.insert((sheet.id.clone(), f.id.clone()), at);
                }
            }
            // A sheet none of whose fields is read is not needed either, unless its rows
            // are the documents.
            let read = sheet.fields.iter().any(|f| uses.contains_key(&(sheet.id.clone(), f.id.clone())));
            if sheet.required && !read && !one_per {
                sheet.required = false;
                relaxed.push((sheet.id.clone(), String::new()));
            }
        }
        (uses, relaxed)
    }
}

/// The sheet and field ids of a manifest.
struct Known<'a> {
    sheets: Vec<&'a str>,
    fields: Vec<&'a str>,
}

/// Whether `name` may read field `field` of sheet `sheet` (`one_per`: the sheet whose row is
/// `row`). A path that starts with a
/// top-level name is followed exactly (`info.loai` is not the `loai` column of the
/// awardees); anything else — a bare name inside `{{#each}}`, a block parameter, a string
/// given to a helper — counts wherever it matches.
fn names_field(name: &NameRef, known: &Known, sheet: &str, one_per: bool, field: &str) -> bool {
    let segs: Vec<&str> = name.segs.iter().map(String::as_str).collect();
    if name.literal {
        return segs == [field];
    }
    let top = |s: &str| known.sheets.contains(&s) || TOP_KEYS.contains(&s);
    let any_id = |s: &&str| top(s) || known.fields.contains(s);
    // The rest of the path after the part that stands for this sheet's record, if it does.
    let rest: &[&str] = match segs.as_slice() {
        [first, rest @ ..] if *first == sheet => rest,
        ["row", "rank", rest @ ..] | ["row", rest @ ..] if one_per => rest,
        ["totals", s, rest @ ..] if *s == sheet => rest,
        [first, ..] if top(first) => return false,
        // A name of unknown meaning: a field wherever it matches; given whole to `val`, all.
        _ => return segs.contains(&field) || (name.whole && !segs.iter().any(any_id)),
    };
    match rest {
        [] => name.whole,
        [f, ..] => *f == field,
    }
}

/// Parses and checks a manifest. The error is one line without the file name.
pub fn parse(text: &str) -> Result<Manifest, String> {
    let mut m: Manifest = toml::from_str(text).map_err(|e| e.message().to_string())?;
    // Binding compares every header cell and choice value against these: fold them once.
    for f in m.sheets.iter_mut().flat_map(|s| s.fields.iter_mut()) {
        f.folded_labels = f.labels().map(crate::vi::fold).collect();
        f.folded_choices = f.choices.iter().map(|c| crate::vi::fold(c)).collect();
    }
    let helpers = crate::template::helper_names();
    let valid_id = |id: &str| {
        !id.is_empty()
            && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && !RESERVED_IDS.contains(&id)
            && !helpers.contains(&id)
            && !ENGINE_KEYS.contains(&id)
    };
    let mut seen = Vec::new();
    for sheet in &m.sheets {
        if !valid_id(&sheet.id) || seen.contains(&&sheet.id) {
            return Err(format!(
                "sheet id \"{}\" must be unique, lower-case ASCII and not a helper name",
                sheet.id
            ));
        }
        seen.push(&sheet.id);
        if sheet.names.is_empty() {
            return Err(format!("sheet \"{}\" lists no names", sheet.id));
        }
        let mut fields = Vec::new();
        for f in &sheet.fields {
            if !valid_id(&f.id) || fields.contains(&&f.id) {
                return Err(format!(
                    "field id \"{}\" in sheet \"{}\" must be unique, lower-case ASCII and not a helper name",
                    f.id, sheet.id
                ));
            }
            fields.push(&f.id);
            if (f.ty == FieldType::Choice) == f.choices.is_empty() {
                return Err(format!("field \"{}\": choices go with type \"choice\", and only with it", f.id));
            }
            if f.many && sheet.kind == SheetKind::Table {
                return Err(format!("field \"{}\": \"many\" is for keys sheets only", f.id));
            }
        }
    }
    if m.input == Input::Sheet && !m.sheets.is_empty() {
        return Err("a manifest that reads one whole sheet (input = \"sheet\") lists no sheets".into());
    }
    if !PAPERS.contains(&m.paper.as_str()) {
        return Err(format!("paper \"{}\" is not one of {}", m.paper, PAPERS.join(", ")));
    }
    if let Some(path) = &m.date {
        let ok = path.split_once('.').is_some_and(|(sheet, field)| {
            m.sheet(sheet).is_some_and(|s| {
                s.kind == SheetKind::Keys && s.fields.iter().any(|f| f.id == field && f.ty == FieldType::Date)
            })
        });
        if !ok {
            return Err(format!(
                "date names \"{path}\", which is not a date field (sheet.field) of a keys sheet of this manifest"
            ));
        }
    }
    check_links(&m)?;
    if let Some(one) = &m.one_per {
        match m.sheet(one) {
            Some(s) if s.kind == SheetKind::Table => {}
            _ => return Err(format!("one-per names \"{one}\", which is not a table sheet of this manifest")),
        }
    }
    Ok(m)
}

/// Checks that `belongs-to` names a field of an `each` keys sheet and `derive` a known rule
/// over fields of keys sheets.
fn check_links(m: &Manifest) -> Result<(), String> {
    let keys_field = |path: &str, each: bool| {
        path.split_once('.').is_some_and(|(sheet, field)| {
            m.sheet(sheet).is_some_and(|s| {
                s.kind == SheetKind::Keys && (s.each || !each) && s.fields.iter().any(|f| f.id == field)
            })
        })
    };
    for sheet in &m.sheets {
        if sheet.each && sheet.kind != SheetKind::Keys {
            return Err(format!("sheet \"{}\": \"each\" is for keys sheets only", sheet.id));
        }
        for id in &sheet.overrides {
            if !sheet.each || !m.sheet(id).is_some_and(|s| s.kind == SheetKind::Keys && !s.each) {
                return Err(format!(
                    "sheet \"{}\": overrides \"{id}\" must name another keys sheet, from an \"each\" sheet",
                    sheet.id
                ));
            }
        }
        for f in &sheet.fields {
            if let Some(path) = &f.belongs_to
                && (sheet.kind != SheetKind::Table || !keys_field(path, true))
            {
                return Err(format!(
                    "field \"{}\": belongs-to \"{path}\" must be a table field naming a field of an \"each\" keys sheet",
                    f.id
                ));
            }
            if let Some(d) = &f.derive {
                let arity = crate::derive::arity(&d.rule)
                    .ok_or_else(|| format!("field \"{}\": no derive rule \"{}\"", f.id, d.rule))?;
                if d.from.len() != arity || !d.from.iter().all(|p| keys_field(p, false)) {
                    return Err(format!(
                        "field \"{}\": derive \"{}\" takes {arity} keys fields (sheet.field) in `from`",
                        f.id, d.rule
                    ));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
description = "x"
output = "x"
[[sheets]]
id = "units"
kind = "table"
names = ["Số liệu"]
[[sheets.fields]]
id = "ten"
label = "Đơn vị"
aliases = ["Tên đơn vị"]
required = true
"#;

    #[test]
    fn parses_a_minimal_manifest_with_defaults() {
        let m = parse(MINIMAL).unwrap();
        let s = m.sheet("units").unwrap();
        assert!(s.required);
        assert_eq!(s.fields[0].ty, FieldType::Text);
        assert_eq!(s.fields[0].labels().collect::<Vec<_>>(), ["Đơn vị", "Tên đơn vị"]);
    }

    #[test]
    fn rejects_ids_that_handlebars_would_hide() {
        let bad = MINIMAL.replace("id = \"ten\"", "id = \"len\"");
        assert!(parse(&bad).unwrap_err().contains("\"len\""));
        let bad = MINIMAL.replace("id = \"ten\"", "id = \"count\"");
        assert!(parse(&bad).unwrap_err().contains("not a helper name"));
        let bad = MINIMAL.replace("id = \"ten\"", "id = \"Tên\"");
        assert!(parse(&bad).is_err());
    }

    #[test]
    fn document_date_must_come_from_a_keys_sheet() {
        let with_date = MINIMAL.replace(
            "required = true",
            "required = true\n[[sheets.fields]]\nid = \"ngay\"\nlabel = \"Ngày\"\ntype = \"date\"",
        );
        let bad = with_date.replace("output = \"x\"", "output = \"x\"\ndate = \"units.ngay\"");
        assert_eq!(
            parse(&bad).unwrap_err(),
            "date names \"units.ngay\", which is not a date field (sheet.field) of a keys sheet of this manifest"
        );
        let good = bad.replace("kind = \"table\"", "kind = \"keys\"");
        assert_eq!(parse(&good).unwrap().date.as_deref(), Some("units.ngay"));
    }

    #[test]
    fn rejects_unknown_keys_and_bad_one_per() {
        assert!(parse(&MINIMAL.replace("required = true", "requird = true")).is_err());
        let bad = MINIMAL.replace("output = \"x\"", "output = \"x\"\none-per = \"nope\"");
        assert_eq!(
            parse(&bad).unwrap_err(),
            "one-per names \"nope\", which is not a table sheet of this manifest"
        );
    }
}
