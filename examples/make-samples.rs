//! Writes the sample workbooks into `samples/`: `cargo run --example make-samples`.
//! The data live in `samples/sample_data.rs`, shared with the integration tests.

#[path = "../samples/sample_data.rs"]
mod sample_data;

use std::path::Path;

fn main() -> std::io::Result<()> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    for (name, book) in [
        ("khanh-hoa-2023.xlsx", sample_data::khanh_hoa_2023()),
        ("khanh-hoa-2025.xlsx", sample_data::khanh_hoa_2025()),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, book.to_xlsx())?;
        println!("wrote {}", path.display());
    }
    Ok(())
}
