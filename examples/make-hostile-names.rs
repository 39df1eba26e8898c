//! Writes a variant of the 2023 sample whose awardees have names Windows refuses as file
//! names (CON, NUL, COM1, ":" and "/", quotes, trailing dots and spaces) and Vietnamese names
//! that must survive intact (Đinh Thị Ỷ, Ủy, Ư), twice where a second file must be "(2)".
//! `cargo run --example make-hostile-names -- FILE.xlsx`; used by `scripts/release` to check
//! that the Windows and Linux binaries name and write the same files.

#[path = "../samples/sample_data.rs"]
mod sample_data;

/// Awardee names put in place of the sample's first ones, by row (the kind of award stays).
const NAMES: [(usize, &str); 14] = [
    (0, "Đinh Thị Ỷ"),
    (1, "CON"),
    (2, "Lê Văn Ư"),
    (3, "Ủy ban nhân dân xã Ư Thượng"),
    (4, "Tổ dân phố số 3: khu A/B"),
    (5, "Hội Cựu chiến binh thôn Đông..."),
    (6, "Chi bộ \"Hòn Khói\" <1> * ? |"),
    (7, "NUL"),
    (8, "com1.pdf"),
    (9, "Aux.Ủy ban"),
    (13, "Đinh Thị Ỷ"),
    (14, "LÊ VĂN Ư"),
    (15, "Trần Thị Ửng. "),
    (16, "Nguyễn Văn Ưng\\Lpt1"),
];

fn main() -> std::io::Result<()> {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: make-hostile-names FILE.xlsx");
        std::process::exit(2);
    };
    let mut awards = sample_data::AWARDS_2023.to_vec();
    for (row, name) in NAMES {
        awards[row].0 = name;
    }
    let mut book = sample_data::khanh_hoa_2023();
    *book.sheet_mut("Khen thưởng") = sample_data::award_sheet(&awards);
    std::fs::write(&path, book.to_xlsx())?;
    println!("wrote {}", std::path::Path::new(&path).display());
    Ok(())
}
