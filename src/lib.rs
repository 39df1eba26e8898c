//! vanban turns Excel workbooks of unit statistics into the official PDFs that Vietnamese
//! Party and state offices issue.
//!
//! The pipeline has five stages with plain values between them (see docs/ARCHITECTURE.md):
//!
//! 1. [`workbook`] reads the cells of any xlsx/xls/xlsb/ods (legacy encodings converted,
//!    [`table`] finds each sheet's layout, [`inspect`] reports it);
//! 2. [`bind`] checks them against a template's [`manifest`], with the user's [`profile`]
//!    (column mappings, items typed by hand), and returns the contexts or every [`problem`];
//!    [`decisions`] splits a workbook of several decisions into one context each, and
//!    [`derive`] makes the items a workbook may leave out;
//! 3. [`template`] renders Typst source with Vietnamese formatting helpers ([`vi`]);
//! 4. [`typeset`] makes the PDF in process;
//! 5. [`output`] writes files or a ZIP, and [`print`] all the documents as one PDF for one
//!    print job.
//!
//! Certificates can also be printed onto pre-printed blanks, their text alone in the boxes
//! of a [`blank`] profile.
//!
//! [`Engine`] ([`engine`]) holds what lasts for a run (templates, fonts, the Typst world) and
//! drives the stages; it never prints or exits. Text for people about problems is made in
//! one place, [`messages`], in English or Vietnamese. The command line (`src/cli.rs`) and the
//! web server ([`serve`]) are thin front ends over it.

pub mod bind;
pub mod blank;
pub mod decisions;
pub mod derive;
pub mod engine;
pub mod fillin;
pub mod inspect;
pub mod legacy;
pub mod manifest;
pub mod messages;
pub mod output;
pub mod print;
pub mod problem;
pub mod profile;
pub mod serve;
pub mod table;
pub mod template;
pub mod typeset;
pub mod vi;
pub mod workbook;

pub use engine::*;
