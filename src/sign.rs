//! Stage 4, after the PDF is written: an empty, named signature field over each space the
//! signature block keeps for the signature and seal, so that signing software can sign the
//! document in place (Nghị định 30/2020, Phụ lục I: the signer's signature image goes where
//! the paper document is signed, the seal over its left third).
//!
//! `signature(...)` in `templates/lib/vanban.typ` marks the corners of that space with
//! metadata labelled `<vanban-signature>`; [`areas`] finds them in the laid-out pages and
//! [`add_fields`] appends the fields to typst-pdf's bytes as an incremental update: the
//! original bytes stay exactly as they are (PDF/A allows incremental updates), and the update
//! adds an AcroForm to the catalog, one signature field merged with its widget annotation per
//! space (with the empty appearance PDF/A asks of every widget) and the widget in its page's
//! /Annots.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use typst::foundations::{Label, Selector, Value};
use typst::introspection::{Introspector, MetadataElem};
use typst::utils::PicoStr;
use typst_layout::PagedDocument;

/// The name (/T) of the signature field of a document with one signature block; with
/// several they are `ChuKy1`, `ChuKy2`, ... in reading order.
pub const FIELD: &str = "ChuKy";

/// The label of the metadata at the corners of the space for the signature and seal.
pub const LABEL: &str = "vanban-signature";

/// The field's tooltip (/TU), which signing software shows.
const TOOLTIP: &str = "Chữ ký số";

/// One space kept for the signature and seal, as laid out: its page (from 0) and its
/// corners in points from the page's top-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Area {
    /// The page, from 0.
    pub page: usize,
    /// The left edge.
    pub left: f64,
    /// The top edge.
    pub top: f64,
    /// The right edge.
    pub right: f64,
    /// The bottom edge.
    pub bottom: f64,
}

/// The spaces for signature and seal in a laid-out document, in document order: the
/// "top-left" and "bottom-right" corners the signature block marks, paired in order.
pub fn areas(doc: &PagedDocument) -> Vec<Area> {
    let Some(label) = Label::new(PicoStr::intern(LABEL)) else { return Vec::new() };
    let introspector = doc.introspector();
    let marks = introspector.query(&Selector::Label(label));
    let corner = |content: &typst::foundations::Content| {
        let corner = match &content.to_packed::<MetadataElem>()?.value {
            Value::Str(s) => s.to_string(),
            _ => return None,
        };
        let pos = introspector.position(content.location()?)?;
        Some((corner, pos.page.get() - 1, pos.point.x.to_pt(), pos.point.y.to_pt()))
    };
    let marks: Vec<_> = marks.iter().filter_map(corner).collect();
    marks
        .windows(2)
        .filter_map(|w| match (&w[0], &w[1]) {
            ((a, page, left, top), (b, page2, right, bottom))
                if a == "top-left" && b == "bottom-right" && page == page2 =>
            {
                Some(Area { page: *page, left: *left, top: *top, right: *right, bottom: *bottom })
            }
            _ => None,
        })
        .collect()
}

/// The field names for `count` signature blocks: [`FIELD`] alone, or numbered from 1.
pub fn field_names(count: usize) -> Vec<String> {
    if count == 1 { vec![FIELD.to_string()] } else { (1..=count).map(|i| format!("{FIELD}{i}")).collect() }
}

/// `pdf` (as typst-pdf writes it: a classic cross-reference table, uncompressed catalog and
/// page objects) with an empty signature field over each of `areas`, appended as an
/// incremental update. The error says what in the PDF was not as expected.
pub fn add_fields(pdf: &[u8], areas: &[Area]) -> Result<Vec<u8>, String> {
    if areas.is_empty() {
        return Ok(pdf.to_vec());
    }
    let file = Parsed::new(pdf)?;
    let pages = file.pages()?;
    let mut catalog = file.object(file.root)?;
    if catalog.iter().any(|(k, _)| k == b"AcroForm") {
        return Err("the PDF already has a form".into());
    }
    let mut update = Update::new(pdf, file.size);
    let form = update.reserve();
    let mut fields = Vec::new();
    let mut annots: BTreeMap<usize, Vec<u32>> = BTreeMap::new();
    for (area, name) in areas.iter().zip(field_names(areas.len())) {
        let (page_num, page) = pages.get(area.page).ok_or("a signature area is on a page the PDF lacks")?;
        let field = update.field(&name, *page_num, area, media_box(page)?);
        fields.push(field);
        annots.entry(area.page).or_default().push(field);
    }
    update.object(form, &format!("<</Fields[{}]>>", refs(&fields)));
    catalog.push((b"AcroForm".to_vec(), format!("{form} 0 R").into_bytes()));
    update.object(file.root, &write_dict(&catalog));
    for (page, widgets) in annots {
        let (num, dict) = &pages[page];
        update.object(*num, &write_dict(&with_annots(dict.clone(), &widgets)?));
    }
    Ok(update.finish(&file))
}

/// "1 0 R 2 0 R".
fn refs(nums: &[u32]) -> String {
    nums.iter().map(|n| format!("{n} 0 R")).collect::<Vec<_>>().join(" ")
}

/// A page's dictionary with `widgets` added to its (direct) /Annots array.
fn with_annots(mut page: Dict, widgets: &[u32]) -> Result<Dict, String> {
    match page.iter_mut().find(|(k, _)| k == b"Annots") {
        Some((_, v)) if v.starts_with(b"[") => {
            let inner = String::from_utf8_lossy(&v[1..v.len() - 1]).into_owned();
            *v = format!("[{inner} {}]", refs(widgets)).into_bytes();
        }
        Some(_) => return Err("a page's /Annots is not a direct array".into()),
        None => page.push((b"Annots".to_vec(), format!("[{}]", refs(widgets)).into_bytes())),
    }
    Ok(page)
}

/// An incremental update being written after the original bytes.
struct Update {
    out: Vec<u8>,
    /// The objects written, with their byte offsets.
    offsets: Vec<(u32, usize)>,
    /// The next free object number.
    next: u32,
}

impl Update {
    fn new(pdf: &[u8], size: u32) -> Self {
        let mut out = Vec::with_capacity(pdf.len() + 1024);
        out.extend_from_slice(pdf);
        if !out.ends_with(b"\n") {
            out.push(b'\n');
        }
        Update { out, offsets: Vec::new(), next: size }
    }

    /// A new object number.
    fn reserve(&mut self) -> u32 {
        self.next += 1;
        self.next - 1
    }

    fn object(&mut self, num: u32, body: &str) {
        self.offsets.push((num, self.out.len()));
        self.out.extend_from_slice(format!("{num} 0 obj\n{body}\nendobj\n").as_bytes());
    }

    /// Writes a signature field merged with its widget over `area` of page object `page`
    /// (whose MediaBox is `media`), with the empty appearance PDF/A asks of every widget;
    /// returns the field's object number.
    fn field(&mut self, name: &str, page: u32, area: &Area, media: [f64; 4]) -> u32 {
        let [x0, _, _, y1] = media;
        // Typst measures from the top-left corner, PDF from the bottom-left.
        let rect = [x0 + area.left, y1 - area.bottom, x0 + area.right, y1 - area.top];
        let (field, look) = (self.reserve(), self.reserve());
        let (w, h) = (num(rect[2] - rect[0]), num(rect[3] - rect[1]));
        self.object(
            look,
            &format!(
                "<</Type/XObject/Subtype/Form/BBox[0 0 {w} {h}]/Resources<<>>/Length 0>>\nstream\n\nendstream"
            ),
        );
        let rect: Vec<String> = rect.iter().map(|&v| num(v)).collect();
        let tooltip = utf16_hex(TOOLTIP);
        let rect = rect.join(" ");
        self.object(
            field,
            &format!(
                "<</Type/Annot/Subtype/Widget/FT/Sig/T({name})/TU<{tooltip}>/F 4/Rect[{rect}]/P {page} 0 R/AP<</N {look} 0 R>>>>"
            ),
        );
        field
    }

    /// The file: the objects, their cross-reference section and a trailer that keeps the
    /// original's /Root, /Info and /ID and points back to its table.
    fn finish(mut self, file: &Parsed) -> Vec<u8> {
        let xref_at = self.out.len();
        let xref = xref_section(&mut self.offsets);
        self.out.extend_from_slice(xref.as_bytes());
        let mut trailer = format!("trailer\n<</Size {}/Root {} 0 R", self.next, file.root);
        for key in [&b"Info"[..], b"ID"] {
            if let Some((_, v)) = file.trailer.iter().find(|(k, _)| k == key) {
                let _ = write!(trailer, "/{}{}", String::from_utf8_lossy(key), value_text(v));
            }
        }
        let _ = write!(trailer, "/Prev {}>>\nstartxref\n{xref_at}\n%%EOF\n", file.xref_at);
        self.out.extend_from_slice(trailer.as_bytes());
        self.out
    }
}

/// The cross-reference section of an update: one subsection per run of object numbers.
fn xref_section(offsets: &mut [(u32, usize)]) -> String {
    offsets.sort();
    let mut s = String::from("xref\n");
    let mut i = 0;
    while i < offsets.len() {
        let mut j = i + 1;
        while j < offsets.len() && offsets[j].0 == offsets[j - 1].0 + 1 {
            j += 1;
        }
        let _ = writeln!(s, "{} {}", offsets[i].0, j - i);
        for (_, at) in &offsets[i..j] {
            let _ = write!(s, "{at:010} 00000 n\r\n");
        }
        i = j;
    }
    s
}

/// A number for a PDF: at most three decimals, no trailing zeros.
fn num(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// A text string as UTF-16BE hex with its byte-order mark.
fn utf16_hex(text: &str) -> String {
    let mut s = String::from("FEFF");
    for unit in text.encode_utf16() {
        let _ = write!(s, "{unit:04X}");
    }
    s
}

/// A dictionary's entries: each key (without "/") and the raw bytes of its value.
type Dict = Vec<(Vec<u8>, Vec<u8>)>;

fn write_dict(dict: &Dict) -> String {
    let entries: String =
        dict.iter().map(|(k, v)| format!("/{}{}", String::from_utf8_lossy(k), value_text(v))).collect();
    format!("<<{entries}>>")
}

/// A value as written after its key: a space first unless the value starts a delimiter.
fn value_text(v: &[u8]) -> String {
    let text = String::from_utf8_lossy(v);
    if matches!(v.first(), Some(b'/' | b'<' | b'[' | b'(')) { text.into_owned() } else { format!(" {text}") }
}

/// What the update needs from the original file.
struct Parsed<'a> {
    pdf: &'a [u8],
    /// Where the last cross-reference table starts.
    xref_at: usize,
    /// Objects' byte offsets, from that table.
    offsets: HashMap<u32, usize>,
    trailer: Dict,
    size: u32,
    root: u32,
}

impl<'a> Parsed<'a> {
    fn new(pdf: &'a [u8]) -> Result<Self, String> {
        let start = memchr::memmem::rfind(pdf, b"startxref").ok_or("no startxref")?;
        let xref_at: usize = token(pdf, skip_ws(pdf, start + 9)).parse().map_err(|_| "bad startxref")?;
        let mut offsets = HashMap::new();
        let (trailer, mut prev) = xref_table(pdf, xref_at, &mut offsets)?;
        // Earlier updates' tables (a PDF signed or changed before): the newest entry wins.
        let mut seen = vec![xref_at];
        while let Some(at) = prev.filter(|at| !seen.contains(at)) {
            seen.push(at);
            prev = xref_table(pdf, at, &mut offsets)?.1;
        }
        let get = |key: &[u8]| trailer.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        let int = |v: Option<Vec<u8>>| -> Option<u32> { token(&v?, 0).parse().ok() };
        let size = int(get(b"Size")).ok_or("no /Size in the trailer")?;
        let root = int(get(b"Root")).ok_or("no /Root in the trailer")?;
        Ok(Parsed { pdf, xref_at, offsets, trailer, size, root })
    }

    /// The dictionary of object `num`.
    fn object(&self, num: u32) -> Result<Dict, String> {
        let at = *self.offsets.get(&num).ok_or_else(|| format!("object {num} is not in the table"))?;
        let obj = memchr::memmem::find(&self.pdf[at..], b"obj").ok_or("no obj keyword")?;
        Ok(dict(self.pdf, skip_ws(self.pdf, at + obj + 3))?.0)
    }

    /// The pages in order: each one's object number and dictionary.
    fn pages(&self) -> Result<Vec<(u32, Dict)>, String> {
        let catalog = self.object(self.root)?;
        let root = reference(&catalog, b"Pages").ok_or("no /Pages in the catalog")?;
        let mut pages = Vec::new();
        let mut todo = vec![root];
        // A page tree is read depth first; the bound keeps a cyclic tree from looping.
        while let Some(num) = todo.pop() {
            if pages.len() + todo.len() > self.offsets.len() {
                return Err("the page tree has a cycle".into());
            }
            let node = self.object(num)?;
            match node.iter().find(|(k, _)| k == b"Kids") {
                Some((_, kids)) => {
                    let kids = refs_in(kids);
                    todo.extend(kids.into_iter().rev());
                }
                None => pages.push((num, node)),
            }
        }
        Ok(pages)
    }
}

/// Reads the classic cross-reference table at `at` into `offsets` (keeping entries already
/// there, which are newer) and returns its trailer and the /Prev offset.
fn xref_table(
    pdf: &[u8],
    at: usize,
    offsets: &mut HashMap<u32, usize>,
) -> Result<(Dict, Option<usize>), String> {
    let mut i = skip_ws(pdf, at);
    if !pdf.get(i..).is_some_and(|rest| rest.starts_with(b"xref")) {
        return Err("the cross-reference section is not a classic table".into());
    }
    i = skip_ws(pdf, i + 4);
    while !pdf[i..].starts_with(b"trailer") {
        let mut number = || -> Result<u32, String> {
            let t = token(pdf, i);
            i = skip_ws(pdf, i + t.len());
            t.parse().map_err(|_| "bad xref subsection".to_string())
        };
        let (first, count) = (number()?, number()?);
        for n in first..first.saturating_add(count) {
            let entry = pdf.get(i..i + 18).ok_or("short xref entry")?;
            if entry[17] == b'n' {
                let offset = std::str::from_utf8(&entry[..10]).ok().and_then(|s| s.parse().ok());
                offsets.entry(n).or_insert(offset.ok_or("bad xref entry")?);
            }
            i = skip_ws(pdf, i + 18);
        }
    }
    let (trailer, _) = dict(pdf, skip_ws(pdf, i + 7))?;
    let prev = trailer.iter().find(|(k, _)| k == b"Prev").and_then(|(_, v)| token(v, 0).parse().ok());
    Ok((trailer, prev))
}

/// The MediaBox of a page: [x0, y0, x1, y1].
fn media_box(page: &Dict) -> Result<[f64; 4], String> {
    let (_, v) = page.iter().find(|(k, _)| k == b"MediaBox").ok_or("a page has no direct /MediaBox")?;
    let text = String::from_utf8_lossy(v);
    let nums: Vec<f64> = text
        .trim_matches(|c| c == '[' || c == ']')
        .split_whitespace()
        .filter_map(|t| t.parse().ok())
        .collect();
    nums.try_into().map_err(|_| "a page's /MediaBox is not four numbers".to_string())
}

/// The object number of the reference under `key`.
fn reference(dict: &Dict, key: &[u8]) -> Option<u32> {
    let (_, v) = dict.iter().find(|(k, _)| k == key)?;
    refs_in(v).first().copied()
}

/// The object numbers of the references ("n g R") in a value.
fn refs_in(v: &[u8]) -> Vec<u32> {
    let text = String::from_utf8_lossy(v).replace(['[', ']'], " ");
    let words: Vec<&str> = text.split_whitespace().collect();
    words.windows(3).filter(|w| w[2] == "R").filter_map(|w| w[0].parse().ok()).collect()
}

fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\n' | b'\r' | b'\t' | b'\x0c' | b'\0')
}

fn is_delim(c: u8) -> bool {
    matches!(c, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

/// The index of the first byte at or after `i` that is not white space or a comment.
fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() {
        if is_ws(b[i]) {
            i += 1;
        } else if b[i] == b'%' {
            while i < b.len() && b[i] != b'\n' && b[i] != b'\r' {
                i += 1;
            }
        } else {
            break;
        }
    }
    i
}

/// The regular characters from `i` (a number, a keyword, a name without its "/").
fn token(b: &[u8], i: usize) -> String {
    let end = b[i.min(b.len())..].iter().position(|&c| is_ws(c) || is_delim(c)).map_or(b.len(), |p| i + p);
    String::from_utf8_lossy(&b[i.min(end)..end]).into_owned()
}

/// The dictionary starting at `i` and the index after it.
fn dict(b: &[u8], i: usize) -> Result<(Dict, usize), String> {
    if !b[i..].starts_with(b"<<") {
        return Err("expected a dictionary".into());
    }
    let mut entries = Vec::new();
    let mut i = skip_ws(b, i + 2);
    while !b[i..].starts_with(b">>") {
        if b.get(i) != Some(&b'/') {
            return Err("expected a name as a dictionary key".into());
        }
        let key = token(b, i + 1);
        let start = skip_ws(b, i + 1 + key.len());
        let end = value_end(b, start)?;
        entries.push((key.into_bytes(), b[start..end].to_vec()));
        i = skip_ws(b, end);
        if i >= b.len() {
            return Err("unterminated dictionary".into());
        }
    }
    Ok((entries, i + 2))
}

/// The index after the value starting at `i`: a dictionary, array, string, name, or a number
/// or keyword, where "n g R" is one value.
fn value_end(b: &[u8], i: usize) -> Result<usize, String> {
    let short = || "a value runs past the end of the file".to_string();
    match b.get(i).ok_or_else(short)? {
        b'<' if b.get(i + 1) == Some(&b'<') => Ok(dict(b, i)?.1),
        b'<' => Ok(memchr::memchr(b'>', &b[i..]).ok_or_else(short)? + i + 1),
        b'[' => {
            let mut j = skip_ws(b, i + 1);
            while b.get(j) != Some(&b']') {
                j = skip_ws(b, value_end(b, j)?);
            }
            Ok(j + 1)
        }
        b'(' => {
            let (mut depth, mut j) = (0usize, i);
            loop {
                match b.get(j).ok_or_else(short)? {
                    b'\\' => j += 1,
                    b'(' => depth += 1,
                    b')' if depth == 1 => return Ok(j + 1),
                    b')' => depth -= 1,
                    _ => {}
                }
                j += 1;
            }
        }
        b'/' => Ok(i + 1 + token(b, i + 1).len()),
        _ => {
            let first = token(b, i);
            if first.is_empty() {
                return Err(format!("unexpected byte {:?} in a value", b[i] as char));
            }
            let end = i + first.len();
            // "12 0 R": a reference, if the next two tokens are a number and R.
            let j = skip_ws(b, end);
            let generation = token(b, j);
            let k = skip_ws(b, j + generation.len());
            if first.bytes().all(|c| c.is_ascii_digit())
                && !generation.is_empty()
                && generation.bytes().all(|c| c.is_ascii_digit())
                && token(b, k) == "R"
            {
                return Ok(k + 1);
            }
            Ok(end)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dictionaries_strings_and_references_are_read_whole() {
        let b = b"<</A 1 0 R/B[1 2 0 R (a\\)b)]/C<</D(x(y)z)>>/E<00FF>/F/G/H 3.5>>";
        let (d, end) = dict(b, 0).unwrap();
        assert_eq!(end, b.len());
        let keys: Vec<_> =
            d.iter().map(|(k, v)| (String::from_utf8_lossy(k), String::from_utf8_lossy(v))).collect();
        let want = [
            ("A", "1 0 R"),
            ("B", "[1 2 0 R (a\\)b)]"),
            ("C", "<</D(x(y)z)>>"),
            ("E", "<00FF>"),
            ("F", "/G"),
            ("H", "3.5"),
        ];
        assert_eq!(keys.len(), want.len());
        for ((k, v), (wk, wv)) in keys.iter().zip(want) {
            assert_eq!((k.as_ref(), v.as_ref()), (wk, wv));
        }
        assert_eq!(refs_in(b"[1 0 R 22 0 R]"), vec![1, 22]);
        assert_eq!(write_dict(&d), "<</A 1 0 R/B[1 2 0 R (a\\)b)]/C<</D(x(y)z)>>/E<00FF>/F/G/H 3.5>>");
    }

    #[test]
    fn numbers_names_and_the_xref_section() {
        assert_eq!((num(12.5), num(-0.0001), num(841.88976)), ("12.5".into(), "0".into(), "841.89".into()));
        assert_eq!(field_names(1), ["ChuKy"]);
        assert_eq!(field_names(2), ["ChuKy1", "ChuKy2"]);
        assert_eq!(utf16_hex("Ký"), "FEFF004B00FD");
        let mut offsets = [(7, 100), (3, 9), (4, 50)];
        assert_eq!(
            xref_section(&mut offsets),
            "xref\n3 2\n0000000009 00000 n\r\n0000000050 00000 n\r\n7 1\n0000000100 00000 n\r\n"
        );
    }

    #[test]
    fn a_pdf_not_written_by_typst_is_refused_in_words() {
        let err =
            add_fields(b"%PDF-1.7\nnothing", &[Area { page: 0, left: 0., top: 0., right: 1., bottom: 1. }]);
        assert_eq!(err.unwrap_err(), "no startxref");
    }
}
