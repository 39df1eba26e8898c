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

use std::collections::{BTreeMap, HashMap, HashSet};
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

/// How deep arrays and dictionaries may nest in the objects the update reads (typst-pdf's
/// catalog and pages nest three deep); deeper is refused rather than overflowing the stack.
pub const MAX_DEPTH: usize = 64;

/// Why the signature fields could not be added: what in the PDF was not as expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignError {
    /// No `startxref` keyword: the file is not a complete PDF.
    #[error("no startxref at the end of the PDF")]
    NoStartxref,
    /// The bytes at `at` (in object `object`, when known) are not what the update expected.
    #[error("{}byte {at}: expected {expected}", in_object(.object))]
    Syntax {
        /// The object being read, if any.
        object: Option<u32>,
        /// The byte offset in the file.
        at: usize,
        /// What should have been there.
        expected: Expected,
    },
    /// The cross-reference table has no (in-use) entry for object `num`.
    #[error("object {num} is not in the cross-reference table")]
    NoObject {
        /// The object number.
        num: u32,
    },
    /// The trailer lacks `/key` (or its value is not a number or reference).
    #[error("the trailer has no /{key}")]
    NoTrailerKey {
        /// The key, without "/".
        key: &'static str,
    },
    /// The catalog has no /Pages reference.
    #[error("the catalog (object {catalog}) has no /Pages")]
    NoPages {
        /// The catalog's object number.
        catalog: u32,
    },
    /// The page tree reaches object `num` a second time (a cycle, or the catalog).
    #[error("the page tree comes back to object {num}")]
    PageTreeCycle {
        /// The object number reached again.
        num: u32,
    },
    /// The PDF already has an AcroForm.
    #[error("the PDF already has a form")]
    HasForm,
    /// A signature area is on a page the PDF lacks.
    #[error("a signature area is on page {page}, but the PDF has {pages} pages")]
    NoPage {
        /// The area's page, from 1.
        page: usize,
        /// How many pages the PDF has.
        pages: usize,
    },
    /// A page has no direct /MediaBox of four finite numbers.
    #[error("page object {num} has no direct /MediaBox of four numbers")]
    MediaBox {
        /// The page's object number.
        num: u32,
    },
    /// A page's /Annots is not a direct array.
    #[error("page object {num} has an /Annots that is not a direct array")]
    Annots {
        /// The page's object number.
        num: u32,
    },
    /// The object numbers are used up: no number is left for a new object.
    #[error("the PDF has no object number left for a new object")]
    TooManyObjects,
}

fn in_object(object: &Option<u32>) -> String {
    object.map(|n| format!("object {n}, ")).unwrap_or_default()
}

/// What [`SignError::Syntax`] expected to find.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// A byte offset after `startxref`.
    Startxref,
    /// A classic cross-reference table ("xref").
    Xref,
    /// A cross-reference subsection's first object number and count.
    Subsection,
    /// A cross-reference entry: a 10-digit offset, a 5-digit generation and "n" or "f".
    Entry,
    /// The header "num gen obj" of the object the table points to.
    ObjectHeader {
        /// The object number.
        num: u32,
        /// Its generation.
        generation: u16,
    },
    /// A dictionary ("<<").
    Dictionary,
    /// A name as a dictionary key.
    Key,
    /// A complete value (not cut off by the end of the file).
    Value,
    /// Arrays and dictionaries nested at most [`MAX_DEPTH`] deep.
    Shallower,
}

impl std::fmt::Display for Expected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Expected::Startxref => write!(f, "a byte offset after startxref"),
            Expected::Xref => write!(f, "a classic cross-reference table (xref)"),
            Expected::Subsection => write!(f, "a cross-reference subsection's first object number and count"),
            Expected::Entry => {
                write!(f, "a cross-reference entry (10-digit offset, 5-digit generation, n or f)")
            }
            Expected::ObjectHeader { num, generation } => {
                write!(f, "the object header \"{num} {generation} obj\"")
            }
            Expected::Dictionary => write!(f, "a dictionary (<<)"),
            Expected::Key => write!(f, "a name as a dictionary key"),
            Expected::Value => write!(f, "a complete value"),
            Expected::Shallower => write!(f, "arrays and dictionaries nested at most {MAX_DEPTH} deep"),
        }
    }
}

fn syntax(at: usize, expected: Expected) -> SignError {
    SignError::Syntax { object: None, at, expected }
}

/// `pdf` (as typst-pdf writes it: a classic cross-reference table, uncompressed catalog and
/// page objects) with an empty signature field over each of `areas`, appended as an
/// incremental update. The error says what in the PDF was not as expected.
pub fn add_fields(pdf: &[u8], areas: &[Area]) -> Result<Vec<u8>, SignError> {
    if areas.is_empty() {
        return Ok(pdf.to_vec());
    }
    let file = Parsed::new(pdf)?;
    let pages = file.pages()?;
    let mut catalog = file.object(file.root)?;
    if catalog.iter().any(|(k, _)| k == b"AcroForm") {
        return Err(SignError::HasForm);
    }
    let mut update = Update::new(pdf, file.next_free());
    let form = update.reserve()?;
    let mut fields = Vec::new();
    let mut annots: BTreeMap<usize, Vec<u32>> = BTreeMap::new();
    for (area, name) in areas.iter().zip(field_names(areas.len())) {
        let no_page = SignError::NoPage { page: area.page.saturating_add(1), pages: pages.len() };
        let page = pages.get(area.page).ok_or(no_page)?;
        let field = update.field(&name, page, area, media_box(page)?)?;
        fields.push(field);
        annots.entry(area.page).or_default().push(field);
    }
    update.object(form, 0, format!("<</Fields[{}]>>", refs(&fields)).as_bytes());
    catalog.push((b"AcroForm".to_vec(), format!("{form} 0 R").into_bytes()));
    update.object(file.root, file.generation(file.root), &write_dict(&catalog));
    for (page, widgets) in annots {
        let page = &pages[page];
        update.object(page.num, page.generation, &write_dict(&with_annots(page, &widgets)?));
    }
    Ok(update.finish(&file))
}

/// "1 0 R 2 0 R": references to new objects (generation 0).
fn refs(nums: &[u32]) -> String {
    nums.iter().map(|n| format!("{n} 0 R")).collect::<Vec<_>>().join(" ")
}

/// A page's dictionary with `widgets` added to its (direct) /Annots array.
fn with_annots(page: &Page, widgets: &[u32]) -> Result<Dict, SignError> {
    let mut dict = page.dict.clone();
    let added = refs(widgets);
    match dict.iter_mut().find(|(k, _)| k == b"Annots") {
        Some((_, v)) => {
            let inner = v.strip_prefix(b"[").and_then(|v| v.strip_suffix(b"]"));
            let inner = inner.ok_or(SignError::Annots { num: page.num })?;
            *v = [b"[", inner, b" ", added.as_bytes(), b"]"].concat();
        }
        None => dict.push((b"Annots".to_vec(), format!("[{added}]").into_bytes())),
    }
    Ok(dict)
}

/// An incremental update being written after the original bytes.
struct Update {
    out: Vec<u8>,
    /// The objects written: number, generation, byte offset.
    offsets: Vec<(u32, u16, usize)>,
    /// The next free object number.
    next: u32,
}

impl Update {
    fn new(pdf: &[u8], next: u32) -> Self {
        let mut out = Vec::with_capacity(pdf.len() + 1024);
        out.extend_from_slice(pdf);
        if !out.ends_with(b"\n") {
            out.push(b'\n');
        }
        Update { out, offsets: Vec::new(), next }
    }

    /// A new object number.
    fn reserve(&mut self) -> Result<u32, SignError> {
        let num = self.next;
        self.next = num.checked_add(1).ok_or(SignError::TooManyObjects)?;
        Ok(num)
    }

    fn object(&mut self, num: u32, generation: u16, body: &[u8]) {
        self.offsets.push((num, generation, self.out.len()));
        self.out.extend_from_slice(format!("{num} {generation} obj\n").as_bytes());
        self.out.extend_from_slice(body);
        self.out.extend_from_slice(b"\nendobj\n");
    }

    /// Writes a signature field merged with its widget over `area` of `page` (whose
    /// MediaBox is `media`), with the empty appearance PDF/A asks of every widget; returns
    /// the field's object number.
    fn field(&mut self, name: &str, page: &Page, area: &Area, media: [f64; 4]) -> Result<u32, SignError> {
        let [x0, _, _, y1] = media;
        // Typst measures from the top-left corner, PDF from the bottom-left.
        let rect = [x0 + area.left, y1 - area.bottom, x0 + area.right, y1 - area.top];
        let (field, look) = (self.reserve()?, self.reserve()?);
        let (w, h) = (num(rect[2] - rect[0]), num(rect[3] - rect[1]));
        let look_body = format!(
            "<</Type/XObject/Subtype/Form/BBox[0 0 {w} {h}]/Resources<<>>/Length 0>>\nstream\n\nendstream"
        );
        self.object(look, 0, look_body.as_bytes());
        let rect: Vec<String> = rect.iter().map(|&v| num(v)).collect();
        let tooltip = utf16_hex(TOOLTIP);
        let (rect, p, generation) = (rect.join(" "), page.num, page.generation);
        let body = format!(
            "<</Type/Annot/Subtype/Widget/FT/Sig/T({name})/TU<{tooltip}>/F 4/Rect[{rect}]/P {p} {generation} R/AP<</N {look} 0 R>>>>"
        );
        self.object(field, 0, body.as_bytes());
        Ok(field)
    }

    /// The file: the objects, their cross-reference section and a trailer that keeps the
    /// original's /Root, /Info and /ID and points back to its table.
    fn finish(mut self, file: &Parsed) -> Vec<u8> {
        let xref_at = self.out.len();
        let xref = xref_section(&mut self.offsets);
        self.out.extend_from_slice(xref.as_bytes());
        let trailer =
            format!("trailer\n<</Size {}/Root {} {} R", self.next, file.root, file.generation(file.root));
        self.out.extend_from_slice(trailer.as_bytes());
        for key in [&b"Info"[..], b"ID"] {
            if let Some((_, v)) = file.trailer.iter().find(|(k, _)| k == key) {
                self.out.push(b'/');
                self.out.extend_from_slice(key);
                self.out.extend_from_slice(&value_bytes(v));
            }
        }
        let end = format!("/Prev {}>>\nstartxref\n{xref_at}\n%%EOF\n", file.xref_at);
        self.out.extend_from_slice(end.as_bytes());
        self.out
    }
}

/// The cross-reference section of an update: one subsection per run of object numbers.
fn xref_section(offsets: &mut [(u32, u16, usize)]) -> String {
    offsets.sort();
    let mut s = String::from("xref\n");
    let mut i = 0;
    while i < offsets.len() {
        let mut j = i + 1;
        while j < offsets.len() && offsets[j - 1].0.checked_add(1) == Some(offsets[j].0) {
            j += 1;
        }
        let _ = writeln!(s, "{} {}", offsets[i].0, j - i);
        for (_, generation, at) in &offsets[i..j] {
            let _ = write!(s, "{at:010} {generation:05} n\r\n");
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

/// A dictionary written back: every key and value byte for byte as read.
fn write_dict(dict: &Dict) -> Vec<u8> {
    let mut out = b"<<".to_vec();
    for (k, v) in dict {
        out.push(b'/');
        out.extend_from_slice(k);
        out.extend_from_slice(&value_bytes(v));
    }
    out.extend_from_slice(b">>");
    out
}

/// A value as written after its key: a space first unless the value starts a delimiter.
fn value_bytes(v: &[u8]) -> Vec<u8> {
    if matches!(v.first(), Some(b'/' | b'<' | b'[' | b'(')) { v.to_vec() } else { [b" ", v].concat() }
}

/// A page: its object number, generation and dictionary.
struct Page {
    num: u32,
    generation: u16,
    dict: Dict,
}

/// Where an object is, from the cross-reference table.
#[derive(Debug, Clone, Copy)]
struct Entry {
    at: usize,
    generation: u16,
}

/// What the update needs from the original file.
struct Parsed<'a> {
    pdf: &'a [u8],
    /// Where the last cross-reference table starts.
    xref_at: usize,
    /// Objects' places, from the tables.
    offsets: HashMap<u32, Entry>,
    trailer: Dict,
    size: u32,
    root: u32,
}

impl<'a> Parsed<'a> {
    fn new(pdf: &'a [u8]) -> Result<Self, SignError> {
        let start = memchr::memmem::rfind(pdf, b"startxref").ok_or(SignError::NoStartxref)?;
        let at = skip_ws(pdf, start + 9);
        let xref_at: usize = parse(token(pdf, at)).ok_or(syntax(at, Expected::Startxref))?;
        let mut offsets = HashMap::new();
        let (trailer, mut prev) = xref_table(pdf, xref_at, &mut offsets)?;
        // Earlier updates' tables (a PDF signed or changed before): the newest entry wins.
        let mut seen = HashSet::from([xref_at]);
        while let Some(at) = prev.filter(|&at| seen.insert(at)) {
            prev = xref_table(pdf, at, &mut offsets)?.1;
        }
        let get = |key: &'static str| {
            let (_, v) =
                trailer.iter().find(|(k, _)| k == key.as_bytes()).ok_or(SignError::NoTrailerKey { key })?;
            parse(token(v, 0)).ok_or(SignError::NoTrailerKey { key })
        };
        let (size, root) = (get("Size")?, get("Root")?);
        Ok(Parsed { pdf, xref_at, offsets, trailer, size, root })
    }

    /// The first object number after every object of the file.
    fn next_free(&self) -> u32 {
        let last = self.offsets.keys().max().map_or(0, |&n| n.saturating_add(1));
        self.size.max(last)
    }

    /// The generation of object `num` (in the table).
    fn generation(&self, num: u32) -> u16 {
        self.offsets.get(&num).map_or(0, |e| e.generation)
    }

    /// The dictionary of object `num`.
    fn object(&self, num: u32) -> Result<Dict, SignError> {
        let Entry { at, generation } = *self.offsets.get(&num).ok_or(SignError::NoObject { num })?;
        let located = |e: SignError| match e {
            SignError::Syntax { at, expected, .. } => SignError::Syntax { object: Some(num), at, expected },
            other => other,
        };
        let header = || located(syntax(at, Expected::ObjectHeader { num, generation }));
        let i = skip_ws(self.pdf, at);
        let t = token(self.pdf, i);
        let j = skip_ws(self.pdf, i + t.len());
        let g = token(self.pdf, j);
        let k = skip_ws(self.pdf, j + g.len());
        if parse(t) != Some(num) || parse(g) != Some(generation) || token(self.pdf, k) != b"obj" {
            return Err(header());
        }
        Ok(dict(self.pdf, skip_ws(self.pdf, k + 3), 0).map_err(located)?.0)
    }

    /// The pages in order.
    fn pages(&self) -> Result<Vec<Page>, SignError> {
        let catalog = self.object(self.root)?;
        let root = reference(&catalog, b"Pages").ok_or(SignError::NoPages { catalog: self.root })?;
        let mut pages = Vec::new();
        let mut todo = vec![root];
        // A page tree is read depth first; an object reached twice (a cycle) is refused.
        let mut seen = HashSet::from([self.root]);
        while let Some(num) = todo.pop() {
            if !seen.insert(num) {
                return Err(SignError::PageTreeCycle { num });
            }
            let dict = self.object(num)?;
            match dict.iter().find(|(k, _)| k == b"Kids") {
                Some((_, kids)) => todo.extend(refs_in(kids).into_iter().rev()),
                None => pages.push(Page { num, generation: self.generation(num), dict }),
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
    offsets: &mut HashMap<u32, Entry>,
) -> Result<(Dict, Option<usize>), SignError> {
    let mut i = skip_ws(pdf, at);
    if !rest(pdf, i).starts_with(b"xref") {
        return Err(syntax(i, Expected::Xref));
    }
    i = skip_ws(pdf, i + 4);
    while !rest(pdf, i).starts_with(b"trailer") {
        let mut number = || -> Result<u32, SignError> {
            let t = token(pdf, i);
            let n = parse(t).ok_or(syntax(i, Expected::Subsection))?;
            i = skip_ws(pdf, i + t.len());
            Ok(n)
        };
        let (first, count) = (number()?, number()?);
        for n in first..first.saturating_add(count) {
            let entry = pdf.get(i..i + 18).ok_or(syntax(i, Expected::Entry))?;
            let (offset, generation): (Option<usize>, Option<u16>) =
                (parse(&entry[..10]), parse(&entry[11..16]));
            match (offset, generation, entry[10], entry[16], entry[17]) {
                (Some(at), Some(generation), b' ', b' ', b'n') => {
                    offsets.entry(n).or_insert(Entry { at, generation });
                }
                (Some(_), Some(_), b' ', b' ', b'f') => {}
                _ => return Err(syntax(i, Expected::Entry)),
            }
            i = skip_ws(pdf, i + 18);
        }
    }
    let (trailer, _) = dict(pdf, skip_ws(pdf, i + 7), 0)?;
    let prev = trailer.iter().find(|(k, _)| k == b"Prev").and_then(|(_, v)| parse(token(v, 0)));
    Ok((trailer, prev))
}

/// The MediaBox of a page: [x0, y0, x1, y1].
fn media_box(page: &Page) -> Result<[f64; 4], SignError> {
    let bad = SignError::MediaBox { num: page.num };
    let (_, v) = page.dict.iter().find(|(k, _)| k == b"MediaBox").ok_or(bad.clone())?;
    let inner = v.strip_prefix(b"[").and_then(|v| v.strip_suffix(b"]")).ok_or(bad.clone())?;
    let nums: Option<Vec<f64>> = inner
        .split(|&c| is_ws(c))
        .filter(|t| !t.is_empty())
        .map(|t| parse(t).filter(|v: &f64| v.is_finite()))
        .collect();
    nums.and_then(|nums| nums.try_into().ok()).ok_or(bad)
}

/// The object number of the reference under `key`.
fn reference(dict: &Dict, key: &[u8]) -> Option<u32> {
    let (_, v) = dict.iter().find(|(k, _)| k == key)?;
    refs_in(v).first().copied()
}

/// The object numbers of the references ("n g R") in a value.
fn refs_in(v: &[u8]) -> Vec<u32> {
    let words: Vec<&[u8]> =
        v.split(|&c| is_ws(c) || c == b'[' || c == b']').filter(|w| !w.is_empty()).collect();
    words.windows(3).filter(|w| w[2] == b"R").filter_map(|w| parse(w[0])).collect()
}

/// A number from its ASCII digits.
fn parse<T: std::str::FromStr>(t: &[u8]) -> Option<T> {
    std::str::from_utf8(t).ok()?.parse().ok()
}

/// The bytes from `i` on, empty past the end.
fn rest(b: &[u8], i: usize) -> &[u8] {
    b.get(i..).unwrap_or_default()
}

fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\n' | b'\r' | b'\t' | b'\x0c' | b'\0')
}

fn is_delim(c: u8) -> bool {
    matches!(c, b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%')
}

/// The index of the first byte at or after `i` that is not white space or a comment.
fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while let Some(&c) = b.get(i) {
        if is_ws(c) {
            i += 1;
        } else if c == b'%' {
            while b.get(i).is_some_and(|&c| c != b'\n' && c != b'\r') {
                i += 1;
            }
        } else {
            break;
        }
    }
    i
}

/// The regular characters from `i` (a number, a keyword, a name without its "/").
fn token(b: &[u8], i: usize) -> &[u8] {
    let rest = rest(b, i);
    let len = rest.iter().position(|&c| is_ws(c) || is_delim(c)).unwrap_or(rest.len());
    &rest[..len]
}

/// The dictionary starting at `i`, nested `depth` deep, and the index after it.
fn dict(b: &[u8], i: usize, depth: usize) -> Result<(Dict, usize), SignError> {
    if !rest(b, i).starts_with(b"<<") {
        return Err(syntax(i, Expected::Dictionary));
    }
    let mut entries = Vec::new();
    let mut i = skip_ws(b, i + 2);
    while !rest(b, i).starts_with(b">>") {
        if b.get(i) != Some(&b'/') {
            return Err(syntax(i, Expected::Key));
        }
        let key = token(b, i + 1);
        let start = skip_ws(b, i + 1 + key.len());
        let end = value_end(b, start, depth + 1)?;
        entries.push((key.to_vec(), b.get(start..end).ok_or(syntax(start, Expected::Value))?.to_vec()));
        i = skip_ws(b, end);
    }
    Ok((entries, i + 2))
}

/// The index after the value starting at `i`, nested `depth` deep: a dictionary, array,
/// string, name, or a number or keyword, where "n g R" is one value.
fn value_end(b: &[u8], i: usize, depth: usize) -> Result<usize, SignError> {
    if depth > MAX_DEPTH {
        return Err(syntax(i, Expected::Shallower));
    }
    let short = || syntax(i, Expected::Value);
    match *b.get(i).ok_or_else(short)? {
        b'<' if b.get(i + 1) == Some(&b'<') => Ok(dict(b, i, depth)?.1),
        b'<' => Ok(memchr::memchr(b'>', rest(b, i)).ok_or_else(short)? + i + 1),
        b'[' => {
            let mut j = skip_ws(b, i + 1);
            while b.get(j) != Some(&b']') {
                j = skip_ws(b, value_end(b, j, depth + 1)?);
            }
            Ok(j + 1)
        }
        b'(' => {
            let (mut open, mut j) = (0usize, i);
            loop {
                match *b.get(j).ok_or_else(short)? {
                    b'\\' => j += 1,
                    b'(' => open += 1,
                    b')' if open == 1 => return Ok(j + 1),
                    b')' => open -= 1,
                    _ => {}
                }
                j += 1;
            }
        }
        b'/' => Ok(i + 1 + token(b, i + 1).len()),
        _ => {
            let first = token(b, i);
            if first.is_empty() {
                return Err(short());
            }
            let end = i + first.len();
            // "12 0 R": a reference, if the next two tokens are a number and R.
            let j = skip_ws(b, end);
            let generation = token(b, j);
            let k = skip_ws(b, j + generation.len());
            let digits = |t: &[u8]| !t.is_empty() && t.iter().all(u8::is_ascii_digit);
            if digits(first) && digits(generation) && token(b, k) == b"R" {
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
        let (d, end) = dict(b, 0, 0).unwrap();
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
        assert_eq!(write_dict(&d), b"<</A 1 0 R/B[1 2 0 R (a\\)b)]/C<</D(x(y)z)>>/E<00FF>/F/G/H 3.5>>");
    }

    #[test]
    fn numbers_names_and_the_xref_section() {
        assert_eq!((num(12.5), num(-0.0001), num(841.88976)), ("12.5".into(), "0".into(), "841.89".into()));
        assert_eq!(field_names(1), ["ChuKy"]);
        assert_eq!(field_names(2), ["ChuKy1", "ChuKy2"]);
        assert_eq!(utf16_hex("Ký"), "FEFF004B00FD");
        let mut offsets = [(7, 0, 100), (3, 0, 9), (4, 2, 50)];
        assert_eq!(
            xref_section(&mut offsets),
            "xref\n3 2\n0000000009 00000 n\r\n0000000050 00002 n\r\n7 1\n0000000100 00000 n\r\n"
        );
    }

    #[test]
    fn a_pdf_not_written_by_typst_is_refused_in_words() {
        let err =
            add_fields(b"%PDF-1.7\nnothing", &[Area { page: 0, left: 0., top: 0., right: 1., bottom: 1. }]);
        assert_eq!(err.unwrap_err(), SignError::NoStartxref);
    }

    /// A PDF of `objects` (number, generation, dictionary) with a classic table whose
    /// trailer names object 1 as the catalog.
    fn pdf_of(objects: &[(u32, u16, &[u8])]) -> Vec<u8> {
        let mut out = b"%PDF-1.7\n".to_vec();
        let mut places = HashMap::new();
        for &(n, g, body) in objects {
            places.insert(n, (g, out.len()));
            out.extend_from_slice(format!("{n} {g} obj\n").as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref_at = out.len();
        let size = objects.iter().map(|o| o.0).max().unwrap() + 1;
        out.extend_from_slice(format!("xref\n0 {size}\n0000000000 65535 f\r\n").as_bytes());
        for n in 1..size {
            let entry = match places.get(&n) {
                Some((g, at)) => format!("{at:010} {g:05} n\r\n"),
                None => "0000000000 00000 f\r\n".into(),
            };
            out.extend_from_slice(entry.as_bytes());
        }
        let root_gen = places[&1].0;
        let trailer = format!("trailer\n<</Size {size}/Root 1 {root_gen} R>>\nstartxref\n{xref_at}\n%%EOF\n");
        out.extend_from_slice(trailer.as_bytes());
        out
    }

    const CATALOG: &[u8] = b"<</Type/Catalog/Pages 2 0 R>>";
    const PAGES: &[u8] = b"<</Type/Pages/Kids[3 0 R]/Count 1>>";
    const PAGE: &[u8] = b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>";
    const AREA: Area = Area { page: 0, left: 10., top: 10., right: 50., bottom: 30. };

    /// The bytes `add_fields` appended to `pdf`.
    fn appended(pdf: &[u8]) -> Vec<u8> {
        let out = add_fields(pdf, &[AREA]).unwrap();
        assert!(out.starts_with(pdf));
        out[pdf.len()..].to_vec()
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        memchr::memmem::find(hay, needle).is_some()
    }

    #[test]
    fn a_hand_made_pdf_gets_its_field() {
        let pdf = pdf_of(&[(1, 0, CATALOG), (2, 0, PAGES), (3, 0, PAGE)]);
        let added = appended(&pdf);
        assert!(contains(
            &added,
            b"3 0 obj\n<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/Annots[5 0 R]>>"
        ));
        assert!(contains(&added, b"/Rect[10 170 50 190]/P 3 0 R"));
        let read = lopdf::Document::load_mem(&[&pdf[..], &added].concat()).unwrap();
        assert!(read.catalog().unwrap().get(b"AcroForm").is_ok());
    }

    #[test]
    fn a_cycle_in_the_page_tree_is_an_error() {
        let cyclic = pdf_of(&[(1, 0, CATALOG), (2, 0, b"<</Type/Pages/Kids[2 0 R]/Count 1>>")]);
        assert_eq!(add_fields(&cyclic, &[AREA]), Err(SignError::PageTreeCycle { num: 2 }));
        // A longer cycle, and a tree leading back to the catalog.
        let long = pdf_of(&[
            (1, 0, CATALOG),
            (2, 0, b"<</Type/Pages/Kids[3 0 R]/Count 1>>"),
            (3, 0, b"<</Type/Pages/Kids[2 0 R]/Count 1>>"),
        ]);
        assert_eq!(add_fields(&long, &[AREA]), Err(SignError::PageTreeCycle { num: 2 }));
        let to_catalog = pdf_of(&[(1, 0, CATALOG), (2, 0, b"<</Type/Pages/Kids[1 0 R]/Count 1>>")]);
        assert_eq!(add_fields(&to_catalog, &[AREA]), Err(SignError::PageTreeCycle { num: 1 }));
    }

    #[test]
    fn offsets_and_numbers_out_of_range_are_errors() {
        let pdf = pdf_of(&[(1, 0, CATALOG), (2, 0, PAGES), (3, 0, PAGE)]);
        let text = String::from_utf8(pdf.clone()).unwrap();
        let xref_at: usize =
            text.rsplit("startxref\n").next().unwrap().lines().next().unwrap().parse().unwrap();
        let with = |from: &str, to: &str| add_fields(text.replacen(from, to, 1).as_bytes(), &[AREA]);
        let past = pdf.len() + 100;
        let startxref = format!("startxref\n{xref_at}");
        assert_eq!(with(&startxref, &format!("startxref\n{past}")), Err(syntax(past, Expected::Xref)));
        let too_big = with(&startxref, "startxref\n99999999999999999999999");
        assert!(
            matches!(too_big, Err(SignError::Syntax { expected: Expected::Startxref, .. })),
            "{too_big:?}"
        );
        // Object 3's entry points past the end of the file.
        let entry_3 = text.lines().filter(|l| l.ends_with(" 00000 n")).nth(2).unwrap().to_string();
        let far = format!("{past:010} 00000 n");
        let err = with(&entry_3, &far).unwrap_err();
        let header = Expected::ObjectHeader { num: 3, generation: 0 };
        assert_eq!(err, SignError::Syntax { object: Some(3), at: past, expected: header });
        // A table cut short, a huge count, and object numbers at the end of the range.
        assert!(matches!(
            add_fields(&pdf[..xref_at + 20], &[AREA]),
            Err(SignError::NoStartxref | SignError::Syntax { .. })
        ));
        let mut cut = pdf[..xref_at + 25].to_vec();
        cut.extend_from_slice(format!("\nstartxref\n{xref_at}\n%%EOF\n").as_bytes());
        assert!(matches!(
            add_fields(&cut, &[AREA]),
            Err(SignError::Syntax { expected: Expected::Entry, .. })
        ));
        let huge = with("xref\n0 4", "xref\n0 4294967295");
        assert!(matches!(huge, Err(SignError::Syntax { expected: Expected::Entry, .. })), "{huge:?}");
        assert_eq!(with("/Size 4", "/Size 4294967295"), Err(SignError::TooManyObjects));
        assert_eq!(with("/Size 4", "/Size 99999999999"), Err(SignError::NoTrailerKey { key: "Size" }));
        let kids = pdf_of(&[(1, 0, CATALOG), (2, 0, b"<</Type/Pages/Kids[4294967295 0 R]/Count 1>>")]);
        assert_eq!(add_fields(&kids, &[AREA]), Err(SignError::NoObject { num: u32::MAX }));
        // A MediaBox of something other than four finite numbers.
        assert_eq!(with("[0 0 200 200]", "[0 0 inf 200]"), Err(SignError::MediaBox { num: 3 }));
        assert_eq!(with("[0 0 200 200]", "[0 0 200]    "), Err(SignError::MediaBox { num: 3 }));
        assert_eq!(
            add_fields(&pdf, &[Area { page: 1, ..AREA }]),
            Err(SignError::NoPage { page: 2, pages: 1 })
        );
    }

    #[test]
    fn values_nested_too_deep_are_an_error_not_a_stack_overflow() {
        let deep = |open: &str, close: &str, n: usize| {
            let page =
                format!("<</Type/Page/MediaBox[0 0 200 200]/X {}1{}>>", open.repeat(n), close.repeat(n));
            add_fields(&pdf_of(&[(1, 0, CATALOG), (2, 0, PAGES), (3, 0, page.as_bytes())]), &[AREA])
        };
        assert!(deep("[", "]", MAX_DEPTH - 2).is_ok());
        for (open, close) in [("[", "]"), ("<</A", ">>"), ("[<</A", ">>]")] {
            let err = deep(open, close, 200_000).unwrap_err();
            assert!(
                matches!(err, SignError::Syntax { object: Some(3), expected: Expected::Shallower, .. }),
                "{err}"
            );
        }
    }

    #[test]
    fn rewritten_dictionaries_keep_every_byte() {
        let page = b"<</Type/Page/MediaBox[0 0 200 200]/T(\xFE\xFF\x00\x41)/B<FEFF0041>/Annots[]>>";
        let catalog = b"<</Type/Catalog/Pages 2 0 R/Lang(\xFE\xFF\x00v\x00i)/Z(\x80\xFF\\)\xC3)>>";
        let added = appended(&pdf_of(&[(1, 0, catalog), (2, 0, PAGES), (3, 0, page)]));
        assert!(contains(&added, b"/T(\xFE\xFF\x00\x41)/B<FEFF0041>/Annots[ 5 0 R]>>"));
        assert!(contains(&added, b"/Lang(\xFE\xFF\x00v\x00i)/Z(\x80\xFF\\)\xC3)/AcroForm 4 0 R>>"));
        assert!(!contains(&added, "\u{FFFD}".as_bytes()));
    }

    #[test]
    fn rewritten_objects_keep_their_generation() {
        let pdf = pdf_of(&[(1, 1, CATALOG), (2, 0, PAGES), (3, 1, PAGE)]);
        let added = appended(&pdf);
        let text = String::from_utf8_lossy(&added);
        assert!(
            text.contains("1 1 obj\n<</Type/Catalog") && text.contains("3 1 obj\n<</Type/Page"),
            "{text}"
        );
        assert!(text.contains("/P 3 1 R") && text.contains("/Root 1 1 R"), "{text}");
        // The table lists both with generation 1 (and the new objects with 0).
        assert!(
            text.contains(" 00001 n\r\n") && !text.contains("3 0 obj") && !text.contains("1 0 obj"),
            "{text}"
        );
        let read = lopdf::Document::load_mem(&[&pdf[..], &added].concat()).unwrap();
        let page = read.get_dictionary((3, 1)).unwrap();
        assert!(page.get(b"Annots").is_ok());
        assert!(read.catalog().unwrap().get(b"AcroForm").is_ok());
        // An object whose header does not match its table entry is refused.
        let text = String::from_utf8(pdf).unwrap().replacen("3 1 obj", "3 2 obj", 1);
        let header = Expected::ObjectHeader { num: 3, generation: 1 };
        assert!(matches!(
            add_fields(text.as_bytes(), &[AREA]),
            Err(SignError::Syntax { object: Some(3), expected, .. }) if expected == header
        ));
    }

    #[test]
    fn errors_say_where_in_both_languages() {
        use crate::messages::{Lang, sign_error};
        let e = SignError::Syntax {
            object: Some(3),
            at: 120,
            expected: Expected::ObjectHeader { num: 3, generation: 1 },
        };
        assert_eq!(e.to_string(), "object 3, byte 120: expected the object header \"3 1 obj\"");
        assert_eq!(sign_error(&e, Lang::Vi), "đối tượng 3, byte 120: cần đầu đối tượng \"3 1 obj\"");
        let deep = syntax(7, Expected::Shallower);
        assert_eq!(deep.to_string(), "byte 7: expected arrays and dictionaries nested at most 64 deep");
        assert_eq!(sign_error(&deep, Lang::Vi), "byte 7: cần mảng và từ điển lồng nhau không quá 64 tầng");
        let wrapped = crate::Error::Typeset(crate::typeset::TypesetError::Sign(SignError::HasForm));
        assert_eq!(wrapped.to_string(), "cannot add the signature field: the PDF already has a form");
        assert_eq!(
            crate::messages::error(&wrapped, Lang::Vi),
            "không thêm được ô chữ ký số: PDF đã có biểu mẫu"
        );
        assert!(std::error::Error::source(&wrapped).is_none(), "said once, not again as a cause");
    }

    /// Typst-pdf's output for a small document, cut short at every 97th byte and with
    /// single bytes changed at random (a fixed seed): every case is an answer, never a
    /// panic or a hang.
    #[test]
    fn damaged_typst_output_is_an_error_never_a_panic() {
        let templates = crate::template::Templates::builtin().unwrap();
        let ts = crate::typeset::Typesetter::new(&templates, &[]).unwrap();
        let date = chrono::NaiveDate::from_ymd_opt(2024, 1, 2).unwrap();
        let source = "#set page(width: 80pt, height: 60pt, margin: 5pt)\n#rect(width: 20pt, height: 10pt)";
        let (doc, _) = ts.compile("giay-khen", source, date).unwrap();
        let pdf = ts.pdf(&doc, "fuzz", date, crate::typeset::Standard::PdfA2b).unwrap();
        assert!(add_fields(&pdf, &[AREA]).is_ok());
        let mut cases: Vec<Vec<u8>> = (0..pdf.len()).step_by(97).map(|cut| pdf[..cut].to_vec()).collect();
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for case in 0..400 {
            let r = next() as usize;
            // Half anywhere, half in the table and trailer at the end.
            let at = if case % 2 == 0 { r % pdf.len() } else { pdf.len() - 1 - r % pdf.len().min(700) };
            let mut damaged = pdf.clone();
            damaged[at] ^= (next() % 255 + 1) as u8;
            cases.push(damaged);
        }
        let count = cases.len();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let panicked: Vec<usize> = (0..cases.len())
                .filter(|&i| std::panic::catch_unwind(|| add_fields(&cases[i], &[AREA])).is_err())
                .collect();
            tx.send(panicked).unwrap();
        });
        let panicked = rx.recv_timeout(std::time::Duration::from_secs(120)).expect("add_fields hung");
        assert!(panicked.is_empty(), "{} of {count} cases panicked: {panicked:?}", panicked.len());
    }
}
