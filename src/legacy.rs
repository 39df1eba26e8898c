//! Legacy 8-bit Vietnamese encodings (TCVN3, VNI): temporary interface while the tables are
//! being written; detects nothing yet.

/// A legacy encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legacy {
    /// TCVN3 (ABC).
    Tcvn3,
    /// VNI.
    Vni,
}

impl Legacy {
    /// The encoding's usual name.
    pub fn name(self) -> &'static str {
        match self {
            Legacy::Tcvn3 => "TCVN3",
            Legacy::Vni => "VNI",
        }
    }
}

/// The Unicode text of `s` when it is legacy-encoded.
pub fn repair(_s: &str) -> Option<(Legacy, String)> {
    None
}
