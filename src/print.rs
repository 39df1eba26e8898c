//! The print file: every document of a run as one PDF, for one print job.
//!
//! Each document is laid out on its own, as for its own file (in parallel, with its own
//! page numbers), and its pages are kept; at the end the pages of all of them become one
//! Typst document that is written as one PDF. So each font is embedded once, subset to the
//! glyphs of the whole run, instead of once per document.

use crate::typeset::{Standard, TypesetError, Typesetter};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use typst::layout::{Frame, FrameItem};
use typst_layout::Page;

/// Where the print file goes, and whether it is all the run writes.
#[derive(Debug, Clone, Copy)]
pub struct PrintTo<'a> {
    /// The print file.
    pub path: &'a Path,
    /// Write only the print file (and its index and set-aside list beside it, see
    /// [`PrintTo::beside`]), not each document's own file.
    pub only: bool,
}

impl PrintTo<'_> {
    /// A file beside the print file named after it: `beside("index.csv")` for
    /// "in/giay-khen.pdf" is "in/giay-khen-index.csv".
    pub fn beside(&self, what: &str) -> PathBuf {
        let stem = self.path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        self.path.with_file_name(format!("{stem}-{what}"))
    }
}

/// The print file of shard K of N: "in.pdf" becomes "in-K-of-N.pdf", as a shard's index is
/// "index-K-of-N.csv", so that shards writing into one folder do not overwrite each other's.
pub fn shard_path(path: &Path, shard: Option<crate::Shard>) -> PathBuf {
    let Some(s) = shard else { return path.to_path_buf() };
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let ext = path.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
    path.with_file_name(format!("{stem}-{}-of-{}{ext}", s.index, s.count))
}

/// The pages of the documents made so far, in run order.
#[derive(Default)]
pub struct PrintFile {
    pages: Vec<Page>,
    date: Option<NaiveDate>,
    /// Every group of the pages kept, by its hash, to share the ones that repeat.
    groups: HashMap<u128, Frame>,
}

impl PrintFile {
    /// Appends a document's pages; returns the pages it has in the print file (from 1,
    /// first and last).
    pub fn add(&mut self, pages: Vec<Page>, date: NaiveDate) -> (usize, usize) {
        let first = self.pages.len() + 1;
        for mut page in pages {
            self.keep(&mut page.frame);
            self.pages.push(page);
        }
        // The print file is dated by its latest document.
        self.date = Some(self.date.map_or(date, |d| d.max(date)));
        (first, self.pages.len())
    }

    /// Makes a page's frame cheap to keep until the end of the run. Its introspection tags go:
    /// they hold each element's content and serve only a tagged PDF, which the print file is
    /// not (see [`Typesetter::pdf_of_pages`]). A group the print file already has (a
    /// certificate's drawn frame: some 1,500 curve segments, the same on every page) is
    /// shared with it instead of kept again: measured, that halves the memory per page.
    fn keep(&mut self, frame: &mut Frame) {
        frame.retain(|item| match item {
            FrameItem::Tag(_) => false,
            FrameItem::Group(group) => {
                let hash = typst::utils::hash128(&group.frame);
                match self.groups.get(&hash) {
                    Some(seen) => group.frame = seen.clone(),
                    None => {
                        self.keep(&mut group.frame);
                        self.groups.insert(hash, group.frame.clone());
                    }
                }
                true
            }
            _ => true,
        });
    }

    /// How many pages it has.
    pub fn len(&self) -> usize {
        self.pages.len()
    }

    /// Whether no document was added.
    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }

    /// The PDF of every page added, titled `title` and named `ident` (stable across runs).
    pub fn pdf(
        self,
        typesetter: &Typesetter,
        title: &str,
        ident: &str,
        standard: Standard,
    ) -> Result<Vec<u8>, TypesetError> {
        let date = self.date.unwrap_or_default();
        typesetter.pdf_of_pages(self.pages, title, ident, date, standard)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shard_s_print_file_is_named_after_its_shard() {
        let shard = crate::Shard { index: 2, count: 8 };
        assert_eq!(shard_path(Path::new("in/p.pdf"), Some(shard)), PathBuf::from("in/p-2-of-8.pdf"));
        assert_eq!(shard_path(Path::new("p"), Some(shard)), PathBuf::from("p-2-of-8"));
        assert_eq!(shard_path(Path::new("in/p.pdf"), None), PathBuf::from("in/p.pdf"));
    }

    #[test]
    fn files_beside_the_print_file_are_named_after_it() {
        let to = PrintTo { path: Path::new("in/giay-khen.pdf"), only: true };
        assert_eq!(to.beside("index.csv"), PathBuf::from("in/giay-khen-index.csv"));
        let bare = PrintTo { path: Path::new("print"), only: false };
        assert_eq!(bare.beside("set-aside.csv"), PathBuf::from("print-set-aside.csv"));
    }

    #[test]
    fn pages_are_counted_in_run_order_and_dated_by_the_latest() {
        let templates = crate::template::Templates::builtin().unwrap();
        let ts = Typesetter::new(&templates, &[]).unwrap();
        let d = |m| NaiveDate::from_ymd_opt(2023, m, 1).unwrap();
        let pages = |source: &str| ts.compile("giay-khen", source, d(1)).unwrap().0.pages().to_vec();
        let mut print = PrintFile::default();
        assert_eq!(print.add(pages("a #pagebreak() b"), d(5)), (1, 2));
        assert_eq!(print.add(pages("c"), d(3)), (3, 3));
        // A group seen before is shared, not kept again.
        let framed = "#place(box(stroke: 1pt, inset: 2pt)[a]) b";
        print.add(pages(framed), d(1));
        let groups = print.groups.len();
        assert!(groups > 0);
        print.add(pages(framed), d(1));
        assert_eq!(print.groups.len(), groups);
        print.add(pages("#place(box(stroke: 1pt, inset: 2pt)[z]) b"), d(1));
        assert!(print.groups.len() > groups, "another group is kept");
        assert_eq!((print.len(), print.date), (6, Some(d(5))));
        let pdf = print.pdf(&ts, "Bản in", "print/test", Standard::None).unwrap();
        assert_eq!(lopdf::Document::load_mem(&pdf).unwrap().get_pages().len(), 6);
    }
}
