//! PDFs ready for digital signing: the decisions, reports and memos carry one empty
//! signature field, named `ChuKy`, over the space between the signer's title and name (read
//! with lopdf; the words around it with poppler's `pdftotext -bbox`), appended to
//! typst-pdf's bytes as an incremental update that leaves the text and PDF/A identification
//! as they were; and poppler's `pdfsig` signs that field with a certificate from an NSS
//! database and verifies the signature. Without pdftotext, pdfsig or certutil/pk12util the
//! tests that need them say so on stderr and pass; under CI (`VANBAN_BROWSER_TEST=1`, set by
//! .ci/run, which installs poppler-utils and libnss3-tools) they fail.

use super::blank::{PDFTOTEXT, Word, have, words_on};
use super::*;
use lopdf::{Document as Pdf, Object, ObjectId};
use vanban::sign::{Area, FIELD, SignError, add_fields};

const PDFSIG: &str = "/usr/bin/pdfsig";
const CERTUTIL: &str = "/usr/bin/certutil";
const PK12UTIL: &str = "/usr/bin/pk12util";

/// A signature field as lopdf reads it: name, page (from 1), rectangle in millimetres from
/// the page's top-left corner (left, top, right, bottom), whether it is signed.
#[derive(Debug)]
struct Field {
    name: String,
    page: usize,
    rect: [f64; 4],
    signed: bool,
}

fn dict<'a>(pdf: &'a Pdf, obj: &'a Object) -> &'a lopdf::Dictionary {
    pdf.dereference(obj).unwrap().1.as_dict().unwrap()
}

fn numbers(obj: &Object) -> Vec<f64> {
    obj.as_array().unwrap().iter().map(|v| f64::from(v.as_float().unwrap())).collect()
}

/// The form's fields, each checked to be a signature field merged with a printable widget
/// whose empty appearance has the field's size and which its page lists in /Annots.
fn fields(bytes: &[u8]) -> Vec<Field> {
    let pdf = Pdf::load_mem(bytes).expect("lopdf reads the PDF");
    let Ok(form) = pdf.catalog().unwrap().get(b"AcroForm") else { return Vec::new() };
    let form = dict(&pdf, form);
    // PDF/A: no NeedAppearances; SigFlags only once a signature exists.
    assert!(form.get(b"NeedAppearances").is_err(), "NeedAppearances set");
    let pages: Vec<ObjectId> = pdf.get_pages().into_values().collect();
    let mut out = Vec::new();
    for f in form.get(b"Fields").unwrap().as_array().unwrap() {
        let id = f.as_reference().unwrap();
        let field = pdf.get_dictionary(id).unwrap();
        let name = |key: &[u8]| field.get(key).unwrap().as_name().unwrap().to_vec();
        assert_eq!(name(b"FT"), b"Sig");
        assert_eq!(name(b"Subtype"), b"Widget");
        assert_eq!(field.get(b"F").unwrap().as_i64().unwrap(), 4, "printed, not hidden");
        let page_id = field.get(b"P").unwrap().as_reference().unwrap();
        let page = pages.iter().position(|&p| p == page_id).expect("/P is a page") + 1;
        let page_dict = pdf.get_dictionary(page_id).unwrap();
        let annots = page_dict.get(b"Annots").unwrap();
        let annots = pdf.dereference(annots).unwrap().1.as_array().unwrap();
        assert!(annots.iter().any(|a| a.as_reference().ok() == Some(id)), "the page lists the widget");
        let media = numbers(page_dict.get(b"MediaBox").unwrap());
        let r = numbers(field.get(b"Rect").unwrap());
        let look = dict(&pdf, field.get(b"AP").unwrap()).get(b"N").unwrap();
        let look = pdf.dereference(look).unwrap().1.as_stream().unwrap();
        let bbox = numbers(look.dict.get(b"BBox").unwrap());
        assert!((bbox[2] - (r[2] - r[0])).abs() < 0.01 && (bbox[3] - (r[3] - r[1])).abs() < 0.01, "{bbox:?}");
        let mm = |v: f64| v * 25.4 / 72.0;
        out.push(Field {
            name: lopdf::decode_text_string(field.get(b"T").unwrap()).unwrap(),
            page,
            rect: [mm(r[0] - media[0]), mm(media[3] - r[3]), mm(r[2] - media[0]), mm(media[3] - r[1])],
            signed: field.get(b"V").is_ok(),
        });
    }
    out
}

/// The bytes typst-pdf wrote: up to the end-of-file marker of the section the last
/// update's /Prev points to.
fn original(pdf: &[u8]) -> &[u8] {
    let tail = String::from_utf8_lossy(&pdf[pdf.len().saturating_sub(400)..]).into_owned();
    let prev: usize =
        tail.rsplit("/Prev ").next().unwrap().split(['>', '/', ' ']).next().unwrap().parse().unwrap();
    let eof = memchr::memmem::find(&pdf[prev..], b"%%EOF").unwrap();
    &pdf[..prev + eof + 5]
}

/// What PDF/A asks to stay: the trailer's ID, the catalog's XMP metadata and output intents.
fn kept(bytes: &[u8]) -> Vec<Object> {
    let pdf = Pdf::load_mem(bytes).unwrap();
    let catalog = pdf.catalog().unwrap();
    let id = pdf.trailer.get(b"ID").unwrap().clone();
    let metadata = pdf.dereference(catalog.get(b"Metadata").unwrap()).unwrap().1.clone();
    let intents = pdf.dereference(catalog.get(b"OutputIntents").unwrap()).unwrap().1.clone();
    vec![id, metadata, intents]
}

/// The words of a line next to the field: those within its columns whose box ends at most
/// 3 mm above it (`above`) or starts at most 3 mm below it.
fn line_next_to(words: &[Word], rect: [f64; 4], above: bool) -> String {
    let near = |w: &&Word| {
        let gap = if above { rect[1] - w.y1 } else { w.y0 - rect[3] };
        (0.0..3.0).contains(&gap) && w.x0 >= rect[0] && w.x1 <= rect[2]
    };
    words.iter().filter(near).map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ")
}

/// The signer's title (its last line) and name in each sample document, by file name.
fn signer(file: &str) -> (&'static str, &'static str) {
    match file {
        f if f.contains("1052") && f.starts_with("quyet-dinh") => ("PHÓ TRƯỞNG BAN", "Phạm Quang Vinh"),
        f if f.contains("86-") && f.starts_with("quyet-dinh") => ("PHÓ CHỦ TỊCH", "Trần Minh Tâm"),
        f if f.starts_with("to-trinh") => ("PHÓ CHỦ TỊCH THƯỜNG TRỰC", "Lê Thị Thanh Hương"),
        _ => ("TRƯỞNG BAN", "Nguyễn Văn Hòa"),
    }
}

#[test]
fn decisions_reports_and_memos_have_one_empty_signature_field_between_title_and_name() {
    let book = sample_data::khanh_hoa_2023();
    let boxes = have(&[PDFTOTEXT], "signature field position test");
    let mut checked = 0;
    for template in ["quyet-dinh-khen-thuong", "bao-cao-tong-ket", "bao-cao-don-vi", "to-trinh-khen-thuong"] {
        for doc in render_all(template, &book, &RenderOptions::default()).documents {
            let found = fields(&doc.pdf);
            assert_eq!(found.len(), 1, "{}: {found:?}", doc.file_name);
            let f = &found[0];
            assert_eq!((f.name.as_str(), f.signed), (FIELD, false), "{}", doc.file_name);
            let [left, top, right, bottom] = f.rect;
            // The signature column: right of the recipients, inside the right margin.
            assert!(left > 105.0 && right < 195.2 && right - left > 60.0, "{}: {:?}", doc.file_name, f.rect);
            assert!((bottom - top - 26.5).abs() < 0.05, "{}: {:?}", doc.file_name, f.rect);
            // Typst's bytes come first, untouched; the text reads back as before.
            let first = original(&doc.pdf);
            assert!(first.len() < doc.pdf.len() && fields(first).is_empty());
            let text = pages_text(&doc.pdf);
            assert_eq!(text, pages_text(first), "{}", doc.file_name);
            let (title, name) = signer(&doc.file_name);
            assert_has(&text[f.page - 1], name);
            let raw = String::from_utf8_lossy(&doc.pdf);
            assert!(raw.contains("<pdfaid:part>2</pdfaid:part>") && raw.contains("<pdfaid:conformance>B<"));
            assert_eq!(kept(&doc.pdf), kept(first), "{}: ID, XMP or output intent changed", doc.file_name);
            if boxes {
                let words = words_on(&doc.pdf, f.page);
                let inside: Vec<&Word> = words
                    .iter()
                    .filter(|w| w.x0 < right && w.x1 > left && w.y0 < bottom && w.y1 > top)
                    .collect();
                assert!(inside.is_empty(), "{}: words in the field: {inside:?}", doc.file_name);
                assert_eq!(line_next_to(&words, f.rect, true), title, "{}", doc.file_name);
                assert_eq!(line_next_to(&words, f.rect, false), name, "{}", doc.file_name);
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 16, "3 decisions, 1 report, 9 unit reports, 3 memos");
    // Certificates are signed and sealed by hand on paper: no field.
    for doc in render_all("giay-khen", &book, &RenderOptions::default()).documents {
        assert!(fields(&doc.pdf).is_empty() && !String::from_utf8_lossy(&doc.pdf).contains("/AcroForm"));
    }
}

#[test]
fn several_signature_areas_get_numbered_fields_on_their_pages() {
    let book = sample_data::khanh_hoa_2023();
    let doc = render_all("quyet-dinh-khen-thuong", &book, &RenderOptions::default())
        .documents
        .into_iter()
        .find(|d| d.pages == 2)
        .unwrap();
    let at = |page, top| Area { page, left: 300.0, top, right: 500.0, bottom: top + 70.0 };
    let pdf = add_fields(original(&doc.pdf), &[at(0, 100.0), at(0, 300.0), at(1, 500.0)]).unwrap();
    let got: Vec<(String, usize, f64)> =
        fields(&pdf).into_iter().map(|f| (f.name, f.page, (f.rect[1] * 72.0 / 25.4).round())).collect();
    let want = [("ChuKy1", 1, 100.0), ("ChuKy2", 1, 300.0), ("ChuKy3", 2, 500.0)];
    assert_eq!(got, want.map(|(n, p, t)| (n.to_string(), p, t)));
    assert_eq!(pages_text(&pdf), pages_text(&doc.pdf));
    // A PDF that already has a form is refused in words, not damaged.
    let err = add_fields(&doc.pdf, &[at(0, 1.0)]).unwrap_err();
    assert_eq!((err.clone(), err.to_string().as_str()), (SignError::HasForm, "the PDF already has a form"));
}

fn run(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd).args(args).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{cmd} {args:?}: {text}");
    text
}

#[test]
fn pdfsig_signs_the_field_from_a_p12_and_the_signed_pdf_verifies_and_reads_back() {
    if !have(&[PDFSIG, CERTUTIL, PK12UTIL], "signing test") {
        return;
    }
    let book = sample_data::khanh_hoa_2023();
    let doc = render_all("quyet-dinh-khen-thuong", &book, &RenderOptions::default()).documents.remove(0);
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    // A self-signed certificate made in one NSS database, exported as a .p12 (as a token's
    // software exports one) and imported into another, as the README tells.
    for db in ["made", "nssdb"] {
        std::fs::create_dir(path(db)).unwrap();
        run(CERTUTIL, &["-N", "-d", &format!("sql:{}", path(db)), "--empty-password"]);
    }
    std::fs::write(path("noise"), (0..2048u32).map(|i| (i * 7919 % 251) as u8).collect::<Vec<_>>()).unwrap();
    let made = format!("sql:{}", path("made"));
    run(
        CERTUTIL,
        &["-S", "-d", &made, "-n", "thu-ky", "-s", "CN=Nguyen Van Hoa,O=Ban Dan van,C=VN", "-x"]
            .into_iter()
            .chain([
                "-t",
                "CT,C,C",
                "-k",
                "rsa",
                "-g",
                "2048",
                "-Z",
                "SHA256",
                "-v",
                "12",
                "-z",
                &path("noise"),
            ])
            .collect::<Vec<_>>(),
    );
    run(PK12UTIL, &["-o", &path("chuky.p12"), "-n", "thu-ky", "-d", &made, "-W", "matkhau", "-K", ""]);
    let db = format!("sql:{}", path("nssdb"));
    run(PK12UTIL, &["-i", &path("chuky.p12"), "-d", &db, "-W", "matkhau", "-K", ""]);
    assert!(run(PDFSIG, &["-nssdir", &db, "-list-nicks"]).contains("thu-ky"));
    std::fs::write(path("in.pdf"), &doc.pdf).unwrap();
    let unsigned = run(PDFSIG, &[&path("in.pdf")]);
    assert!(
        unsigned.contains(&format!("Signature Field Name: {FIELD}")) && unsigned.contains("not signed"),
        "{unsigned}"
    );
    run(
        PDFSIG,
        &[
            "-nssdir",
            &db,
            "-nick",
            "thu-ky",
            "-sign",
            FIELD,
            "-reason",
            "Ký ban hành",
            &path("in.pdf"),
            &path("out.pdf"),
        ],
    );
    let report = run(PDFSIG, &["-nssdir", &db, &path("out.pdf")]);
    for wanted in [
        "Signature Field Name: ChuKy",
        "Signer Certificate Common Name: Nguyen Van Hoa",
        "Total document signed",
        "Signature Validation: Signature is Valid.",
    ] {
        assert!(report.contains(wanted), "{wanted:?} not in:\n{report}");
    }
    let signed = std::fs::read(path("out.pdf")).unwrap();
    // Signing appends: our bytes, then the signature; the text reads back unchanged.
    assert!(signed.starts_with(&doc.pdf) && signed.len() > doc.pdf.len());
    assert!(fields(&signed).iter().any(|f| f.name == FIELD && f.signed));
    let text = pages_text(&signed);
    assert_eq!(text, pages_text(&doc.pdf));
    assert_has(&text.join("\n"), signer(&doc.file_name).1);
    assert!(String::from_utf8_lossy(&signed).contains("<pdfaid:part>2</pdfaid:part>"));
}
