//! Several decisions in one workbook. A manifest's `each` keys sheet ("Quyết định") may be
//! there several times, as key/value sheets whose names start with its name ("Quyết định
//! UBND", "Quyết định BDV"): each is a decision of its own, with its own number, signer and,
//! where they differ from "Thông tin", its own header items. Every row of the award list
//! goes to the one decision that gives it — the decision its "Số quyết định" column names,
//! else the one whose "Hình thức khen thưởng" lists its award form (the table fields marked
//! `belongs-to`). A row no decision gives, or two do, is a problem naming its cell, so no
//! row is printed under the wrong signature or lost.

use crate::bind::{self, Bound};
use crate::manifest::{FieldSpec, Manifest, SheetKind, SheetSpec};
use crate::problem::{Problem, ProblemKind};
use crate::profile::Profile;
use crate::vi;
use crate::workbook::{Sheet, Workbook, cell_name};
use serde_json::Value;

/// Binds `wb` to `manifest`: one [`Bound`] per decision sheet when the manifest has an `each`
/// sheet and the workbook several of them (in workbook order), else the one of
/// [`bind::bind`]. Every problem of every decision at once, each once.
pub fn bind_all(wb: &Workbook, manifest: &Manifest, ov: &Profile) -> Result<Vec<Bound>, Vec<Problem>> {
    let Some(each) = manifest.sheets.iter().find(|s| s.each) else {
        return bind::bind(wb, manifest, ov).map(|b| vec![b]);
    };
    let sheets = bind::decision_sheets(wb, each);
    if sheets.len() < 2 {
        return bind::bind(wb, manifest, ov).map(|b| vec![b]);
    }
    let mut bounds: Vec<(&Sheet, Bound)> = Vec::new();
    let mut problems: Vec<Problem> = Vec::new();
    // The lists whose rows are shared out among the decisions (by `belongs-to`).
    let shared_out: Vec<&SheetSpec> =
        manifest.sheets.iter().filter(|s| s.kind == SheetKind::Table && !links(s, each).is_empty()).collect();
    let one_per = |spec: &SheetSpec| manifest.one_per.as_deref() == Some(spec.id.as_str());
    for d in sheets {
        let mut own = manifest.clone();
        if let Some(spec) = own.sheets.iter_mut().find(|s| s.each) {
            spec.names = vec![d.name.clone()];
        }
        match bind::bind_in(wb, &own, ov, Some(d)) {
            Ok(mut b) => {
                // Every decision reads the whole list, and the first one's copy is shared out:
                // the others' copies go at once, so a long list is held twice, not once per
                // decision.
                if !bounds.is_empty() {
                    shared_out.iter().for_each(|spec| set_rows(&mut b, spec, one_per(spec), Vec::new()));
                }
                bounds.push((d, b))
            }
            // The award list is read once per decision: its problems are the same each time.
            Err(found) => once(&mut problems, found),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    for spec in manifest.sheets.iter().filter(|s| s.kind == SheetKind::Table) {
        assign(manifest, each, spec, &mut bounds, &mut problems);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(merge_notes(bounds.into_iter().map(|(_, b)| b).collect()))
}

/// Appends the problems of `found` that `all` does not have yet.
fn once(all: &mut Vec<Problem>, found: Vec<Problem>) {
    for p in found {
        if !all.contains(&p) {
            all.push(p);
        }
    }
}

/// The table fields of `spec` that name a field of the `each` sheet, with that field's id;
/// a decision number (one value) before an award form (a list), so the number decides.
fn links<'m>(spec: &'m SheetSpec, each: &'m SheetSpec) -> Vec<(&'m FieldSpec, &'m FieldSpec)> {
    let mut links: Vec<(&FieldSpec, &FieldSpec)> = spec
        .fields
        .iter()
        .filter_map(|f| {
            let (sheet, field) = f.belongs_to.as_deref()?.split_once('.')?;
            let target = each.fields.iter().find(|t| t.id == field).filter(|_| sheet == each.id)?;
            Some((f, target))
        })
        .collect();
    links.sort_by_key(|(_, target)| target.many);
    links
}

/// A value as text for matching ("" for none).
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The first link with a value on `row`: its field and the folded value.
fn deciding<'m>(row: &Value, links: &[(&'m FieldSpec, &'m FieldSpec)]) -> Option<(usize, String)> {
    links.iter().enumerate().find_map(|(i, (f, _))| {
        let v = vi::fold(&text(&row[&f.id]));
        (!v.is_empty()).then_some((i, v))
    })
}

/// The values a decision lists for a link's field (its number, its award forms).
fn listed(decision: &Value, target: &FieldSpec) -> Vec<String> {
    match &decision[&target.id] {
        Value::Array(items) => items.iter().map(text).filter(|s| !s.is_empty()).collect(),
        v => Some(text(v)).filter(|s| !s.is_empty()).into_iter().collect(),
    }
}

/// Gives each decision the rows of table `spec` that belong to it, recounting totals and
/// ranks; a row of no decision or of several is a problem at its deciding cell.
fn assign(
    manifest: &Manifest,
    each: &SheetSpec,
    spec: &SheetSpec,
    bounds: &mut [(&Sheet, Bound)],
    problems: &mut Vec<Problem>,
) {
    let links = links(spec, each);
    if links.is_empty() {
        return;
    }
    let one_per = manifest.one_per.as_deref() == Some(spec.id.as_str());
    // Every decision read the whole list; the first one's copy stands for it (the others'
    // were dropped in `bind_all`), taken rather than copied: every decision's rows are set below.
    let all = take_rows(&mut bounds[0].1, spec, one_per);
    if let Some(missing) = unlisted(each, &all, &links, bounds) {
        problems.extend(missing);
        return;
    }
    let place = bounds[0].1.tables.iter().find(|t| t.spec == spec.id).cloned();
    // What each decision lists for each link, folded once rather than once per row.
    let folded: Vec<Vec<Vec<String>>> = bounds
        .iter()
        .map(|(_, b)| {
            links
                .iter()
                .map(|(_, t)| listed(&b.shared[&each.id], t).iter().map(|x| vi::fold(x)).collect())
                .collect()
        })
        .collect();
    let mut owners: Vec<Vec<usize>> = vec![Vec::new(); all.len()];
    for ((row, r), owner) in all.iter().zip(&mut owners) {
        let decided = deciding(row, &links);
        for (k, lists) in folded.iter().enumerate() {
            if decided.as_ref().is_some_and(|(i, v)| lists[*i].contains(v)) {
                owner.push(k);
            }
        }
        if owner.len() == 1 {
            continue;
        }
        let i = decided.as_ref().map_or(links.len() - 1, |(i, _)| *i);
        let (field, target) = links[i];
        let col =
            place.as_ref().and_then(|p| p.columns.iter().find(|(id, _)| *id == field.id)).map(|(_, c)| *c);
        let value = text(&row[&field.id]);
        let kind = if owner.is_empty() {
            let decisions =
                bounds.iter().map(|(d, b)| (d.name.clone(), listed(&b.shared[&each.id], target))).collect();
            ProblemKind::NoDecision { value, decisions }
        } else {
            ProblemKind::TwoDecisions {
                value,
                decisions: owner.iter().map(|&k| bounds[k].0.name.clone()).collect(),
            }
        };
        problems.push(Problem {
            sheet: place.as_ref().map(|p| p.sheet.clone()),
            cell: col.map(|c| cell_name(r - 1, c)),
            label: Some(field.label.clone()),
            kind,
        });
    }
    for (k, (_, b)) in bounds.iter_mut().enumerate() {
        let rows =
            all.iter().zip(&owners).filter(|(_, o)| o.contains(&k)).map(|(row, _)| row.clone()).collect();
        set_rows(b, spec, one_per, rows);
    }
}

/// When no row names its decision by number, every decision must list the award forms it
/// gives: one problem per decision sheet that lists none (rather than one per row).
fn unlisted(
    each: &SheetSpec,
    all: &[(Value, usize)],
    links: &[(&FieldSpec, &FieldSpec)],
    bounds: &[(&Sheet, Bound)],
) -> Option<Vec<Problem>> {
    let (_, forms) = links.iter().find(|(_, target)| target.many)?;
    let numbered = links
        .iter()
        .filter(|(_, target)| !target.many)
        .any(|(f, _)| all.iter().any(|(row, _)| !text(&row[&f.id]).is_empty()));
    let missing: Vec<Problem> = bounds
        .iter()
        .filter(|(_, b)| !numbered && listed(&b.shared[&each.id], forms).is_empty())
        .map(|(d, _)| {
            Problem::in_sheet(
                &d.name,
                ProblemKind::NoItem {
                    item: forms.label.clone(),
                    field: forms.id.clone(),
                    looked_for: forms.labels().map(str::to_string).collect(),
                    ty: forms.ty,
                    choices: Vec::new(),
                    hint: Box::default(),
                },
            )
        })
        .collect();
    (!missing.is_empty()).then_some(missing)
}

/// The rows of table `spec` in `b`, each with its row number (from 1), taken out of it.
fn take_rows(b: &mut Bound, spec: &SheetSpec, one_per: bool) -> Vec<(Value, usize)> {
    if one_per {
        return b.records.as_mut().map(|r| std::mem::take(&mut r.rows)).unwrap_or_default();
    }
    let rows = match b.shared[&spec.id].take() {
        Value::Array(rows) => rows,
        _ => Vec::new(),
    };
    rows.into_iter()
        .map(|row| {
            let r = row["source_row"].as_u64().unwrap_or_default() as usize;
            (row, r)
        })
        .collect()
}

/// Puts `rows` as table `spec` of `b`, with their ranks and totals counted again.
fn set_rows(b: &mut Bound, spec: &SheetSpec, one_per: bool, mut rows: Vec<(Value, usize)>) {
    bind::add_ranks(spec, &mut rows);
    b.shared["totals"][&spec.id] = bind::table_totals(spec, &rows);
    match (&mut b.records, one_per) {
        (Some(records), true) => records.rows = rows,
        _ => b.shared[&spec.id] = Value::Array(rows.into_iter().map(|(v, _)| v).collect()),
    }
}

/// The first bound carries the rows set aside, the notes and the warnings of all, each
/// once, so that a run reports them once.
fn merge_notes(mut bounds: Vec<Bound>) -> Vec<Bound> {
    let (mut aside, mut notes, mut warnings) = (Vec::new(), Vec::new(), Vec::new());
    for b in &mut bounds {
        for s in std::mem::take(&mut b.set_aside) {
            if !aside.contains(&s) {
                aside.push(s);
            }
        }
        once(&mut notes, std::mem::take(&mut b.notes));
        once(&mut warnings, std::mem::take(&mut b.warnings));
    }
    if let Some(first) = bounds.first_mut() {
        (first.set_aside, first.notes, first.warnings) = (aside, notes, warnings);
    }
    bounds
}
