//! What a template reads, for people: the description `vanban templates NAME` prints, and
//! a fill-in workbook with exactly the sheets and headers the template reads, each column
//! with a short note, so that a clerk starts from the right shape.

use crate::manifest::{FieldSpec, FieldType, SheetKind, SheetSpec, Use};
use crate::template::{Template, TemplateError};
use rust_xlsxwriter::{Format, Note, Workbook};
use std::fmt::Write as _;
use std::path::Path;

/// What template `t` reads, sheet by sheet and field by field: labels, aliases, types,
/// which are required and why (where the template reads them, or that it never does).
pub fn describe(t: &Template) -> String {
    let m = &t.manifest;
    let mut out = format!("{}: {}\n", t.name, m.description);
    let per = m.one_per.as_deref().and_then(|id| m.sheet(id)).map(|s| s.names[0].as_str());
    match per {
        Some(sheet) => writeln!(out, "  one document per row of \"{sheet}\"; file name: {}", m.output),
        None => writeln!(out, "  one document; file name: {}", m.output),
    }
    .ok();
    writeln!(out, "  source: {}; paper: {}", t.source_path(), m.paper).ok();
    if m.input == crate::manifest::Input::Sheet {
        out.push_str("  reads one whole sheet as it is laid out (choose it with --sheet NAME)\n");
    }
    for sheet in &m.sheets {
        let kind = match sheet.kind {
            SheetKind::Keys => "items: label in column A, value in column B",
            SheetKind::Table => "table: a header row, then one row per record",
        };
        let need = if sheet.required {
            "required"
        } else if t.relaxed.contains(&(sheet.id.clone(), String::new())) {
            "optional here: this template reads nothing of it"
        } else {
            "optional"
        };
        writeln!(out, "\nsheet \"{}\" ({need}; {kind}; id {})", sheet.names[0], sheet.id).ok();
        if sheet.names.len() > 1 {
            writeln!(out, "  also named: {}", quoted(&sheet.names[1..])).ok();
        }
        if sheet.each {
            let own: Vec<&str> =
                sheet.overrides.iter().filter_map(|id| m.sheet(id)).map(|s| s.names[0].as_str()).collect();
            writeln!(
                out,
                "  several allowed: every sheet named \"{} …\" is a decision of its own, with the rows of the list it gives{}",
                sheet.names[0],
                match own.is_empty() {
                    true => String::new(),
                    false => format!(" and its own items of {}", quoted(&own.iter().map(|s| s.to_string()).collect::<Vec<_>>())),
                }
            )
            .ok();
        }
        for f in &sheet.fields {
            writeln!(out, "  {} ({}): {}; {}", f.label, f.id, type_en(f), why(t, sheet, f)).ok();
            if !f.aliases.is_empty() {
                writeln!(out, "      also: {}", quoted(&f.aliases)).ok();
            }
            if let Some(note) = &f.note {
                writeln!(out, "      note: {note}").ok();
            }
        }
    }
    out
}

fn quoted(names: &[String]) -> String {
    names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
}

fn type_en(f: &FieldSpec) -> String {
    let ty = match f.ty {
        FieldType::Text => "text".to_string(),
        FieldType::Integer => "whole number".to_string(),
        FieldType::Decimal => "number".to_string(),
        FieldType::Percent => "percent".to_string(),
        FieldType::Date => "date (dd/mm/yyyy)".to_string(),
        FieldType::Boolean => "yes/no".to_string(),
        FieldType::Choice => format!("one of {}", quoted(&f.choices)),
    };
    if f.many { format!("{ty}, one or more rows") } else { ty }
}

/// "required: read on lines 24, 31", "optional here: the manifest requires it, but this
/// template never reads it" ...
fn why(t: &Template, sheet: &SheetSpec, f: &FieldSpec) -> String {
    let uses = t.uses.get(&(sheet.id.clone(), f.id.clone()));
    let Some(uses) = uses else {
        return if t.relaxed.contains(&(sheet.id.clone(), f.id.clone())) {
            "optional here: the manifest requires it, but this template never reads it".into()
        } else {
            "optional; this template never reads it".into()
        };
    };
    let lines: Vec<String> =
        uses.iter().filter_map(|u| if let Use::Line(l) = u { Some(l.to_string()) } else { None }).collect();
    let mut places = Vec::new();
    match lines.as_slice() {
        [] => {}
        [one] => places.push(format!("line {one}")),
        many => places.push(format!("lines {}", many.join(", "))),
    }
    if uses.contains(&Use::OutputName) {
        places.push("the file name".into());
    }
    if uses.contains(&Use::Date) {
        places.push("the document date".into());
    }
    let label = |path: &String| {
        let (s, id) = path.split_once('.').unwrap_or_default();
        let field = t.manifest.sheet(s).and_then(|s| s.fields.iter().find(|f| f.id == id));
        field.map_or(path.clone(), |f| format!("\"{}\"", f.label))
    };
    let need = match &f.derive {
        Some(d) if f.required => {
            format!(
                "required; made from {} when left out",
                d.from.iter().map(label).collect::<Vec<_>>().join(", ")
            )
        }
        _ if f.required => "required".into(),
        _ => "optional".into(),
    };
    let rules = if uses.contains(&Use::Rule) { "; used by the manifest's rules" } else { "" };
    match places.is_empty() {
        true => format!("{need}{rules}"),
        false => format!("{need}; read on {}{rules}", places.join(" and ")),
    }
}

/// The note a clerk sees on a column or item of the fill-in workbook (Vietnamese).
fn note_vi(f: &FieldSpec) -> String {
    let mut parts = vec![if f.required { "Bắt buộc." } else { "Không bắt buộc." }.to_string()];
    parts.push(match f.ty {
        FieldType::Text => "Chữ.".to_string(),
        FieldType::Integer => "Số nguyên, ví dụ 2.425.".to_string(),
        FieldType::Decimal => "Số, ví dụ 92,5.".to_string(),
        FieldType::Percent => "Phần trăm, ví dụ 74,78%.".to_string(),
        FieldType::Date => "Ngày, dạng dd/mm/yyyy.".to_string(),
        FieldType::Boolean => "Có hoặc Không.".to_string(),
        FieldType::Choice => format!("Một trong: {}.", f.choices.join("; ")),
    });
    if f.many {
        parts.push("Mỗi dòng một mục; các dòng sau để trống cột A.".into());
    }
    if !f.aliases.is_empty() {
        parts.push(format!("Cũng nhận tên: {}.", f.aliases.join("; ")));
    }
    parts.extend(f.note.clone());
    parts.join(" ")
}

/// The fields of `sheet` the template reads, in manifest order.
fn read_fields<'a>(t: &'a Template, sheet: &'a SheetSpec) -> impl Iterator<Item = &'a FieldSpec> {
    sheet.fields.iter().filter(move |f| t.uses.contains_key(&(sheet.id.clone(), f.id.clone())))
}

/// The fill-in workbook of template `t` as xlsx bytes: one sheet per sheet it reads (its
/// usual name), with the header (tables) or the item labels (key/value sheets) of exactly
/// the fields it reads, each with a note saying whether it is required, its type and the
/// other labels accepted.
pub fn workbook_bytes(t: &Template) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold().set_background_color("#DDEBF7");
    let note = |f: &FieldSpec| Note::new(note_vi(f)).add_author_prefix(false).set_width(260).set_height(110);
    for sheet in &t.manifest.sheets {
        let fields: Vec<&FieldSpec> = read_fields(t, sheet).collect();
        if fields.is_empty() {
            continue;
        }
        let ws = book.add_worksheet();
        ws.set_name(&sheet.names[0])?;
        match sheet.kind {
            SheetKind::Keys => {
                ws.write_string_with_format(0, 0, "Mục", &bold)?;
                ws.write_string_with_format(0, 1, "Giá trị", &bold)?;
                ws.set_column_width(0, 30)?;
                ws.set_column_width(1, 60)?;
                for (i, f) in fields.iter().enumerate() {
                    let row = i as u32 + 1;
                    ws.write_string(row, 0, &f.label)?;
                    ws.insert_note(row, 0, &note(f))?;
                }
            }
            SheetKind::Table => {
                for (i, f) in fields.iter().enumerate() {
                    let col = i as u16;
                    ws.write_string_with_format(0, col, &f.label, &bold)?;
                    ws.insert_note(0, col, &note(f))?;
                    ws.set_column_width(col, (f.label.chars().count() as f64 + 4.0).max(12.0))?;
                }
                ws.set_freeze_panes(1, 0)?;
            }
        }
    }
    if t.manifest.sheets.iter().all(|s| read_fields(t, s).next().is_none()) {
        // A whole-sheet template reads whatever sheet it is given: one empty sheet to start.
        book.add_worksheet().set_name("Bảng")?;
    }
    book.save_to_buffer()
}

/// Writes the fill-in workbook of `t` to `path`, atomically, never over an existing file.
pub fn write_workbook(t: &Template, path: &Path) -> Result<(), TemplateError> {
    let bytes = workbook_bytes(t).map_err(|e| TemplateError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    })?;
    crate::template::write_new(path, &bytes)
}
