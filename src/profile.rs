//! The profile: a user's overrides for one shape of workbook — which column a field reads
//! (`map`), items typed by hand (`set`), the table's sheet and header row. One type for every
//! front end: the command line builds it from `--map/--set/--sheet/--header-row` on top of
//! `--profile FILE` (TOML), the web page sends it as JSON and saves it as TOML.
//!
//! ```toml
//! sheet = "DS đề nghị"
//! header_row = 3
//! [map]
//! thanh_tich = "Thành tích đạt được"
//! [set]
//! "Người ký" = "Lê Văn Bình"
//! "Nơi nhận" = ["- Như Điều 3;", "- Lưu: VT."]
//! ```

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What the user says to help binding when detection or labels fail.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// `--sheet NAME`: the sheet the template's table is read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// `--header-row N`: the header's (first) row, from 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_row: Option<usize>,
    /// `--map FIELD=LABEL`: the field (its id or label) is read from the column of that label
    /// (or that column letter).
    #[serde(default, with = "pairs", skip_serializing_if = "Vec::is_empty")]
    pub map: Vec<(String, String)>,
    /// `--set KEY=VALUE`: a key/value item supplied or overridden (a list item is replaced by
    /// the first value and extended by the next ones).
    #[serde(default, with = "pairs", skip_serializing_if = "Vec::is_empty")]
    pub set: Vec<(String, String)>,
}

/// Why a profile file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// The file could not be read.
    #[error("cannot read the profile {path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not a valid profile.
    #[error("{path}:{line}: {message}")]
    Invalid {
        /// The file.
        path: String,
        /// The line (from 1).
        line: usize,
        /// What is wrong.
        message: String,
    },
}

impl Profile {
    /// Reads a profile from TOML text; `path` names it in errors.
    pub fn from_toml(text: &str, path: &str) -> Result<Profile, ProfileError> {
        toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            ProfileError::Invalid { path: path.to_string(), line, message: e.message().to_string() }
        })
    }

    /// Reads a profile file.
    pub fn read(path: &Path) -> Result<Profile, ProfileError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| ProfileError::Io { path: path.to_path_buf(), source })?;
        Profile::from_toml(&text, &path.display().to_string())
    }

    /// The profile as TOML, to save.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    /// This profile with `other`'s settings on top: its sheet and header row when given,
    /// its mappings replacing the same field's, its items after these (a later value of a
    /// single item wins).
    pub fn overlay(mut self, other: &Profile) -> Profile {
        if other.sheet.is_some() {
            self.sheet.clone_from(&other.sheet);
        }
        if other.header_row.is_some() {
            self.header_row = other.header_row;
        }
        for (field, label) in &other.map {
            self.map.retain(|(f, _)| f != field);
            self.map.push((field.clone(), label.clone()));
        }
        let replaced: Vec<&String> = other.set.iter().map(|(k, _)| k).collect();
        self.set.retain(|(k, _)| !replaced.contains(&k));
        self.set.extend(other.set.iter().cloned());
        self
    }

    /// Whether the profile says nothing.
    pub fn is_empty(&self) -> bool {
        *self == Profile::default()
    }

    /// The same overrides as command-line options, quoted for a shell:
    /// `--sheet "DS" --map "thanh_tich=Thành tích đạt được"`.
    pub fn to_args(&self) -> Vec<String> {
        let q = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
        let mut out = Vec::new();
        if let Some(s) = &self.sheet {
            out.push(format!("--sheet {}", q(s)));
        }
        if let Some(n) = self.header_row {
            out.push(format!("--header-row {n}"));
        }
        out.extend(self.map.iter().map(|(f, l)| format!("--map {}", q(&format!("{f}={l}")))));
        out.extend(self.set.iter().map(|(k, v)| format!("--set {}", q(&format!("{k}={v}")))));
        out
    }
}

/// `[(key, value)]` kept in order, written as a table whose values are a string, or a list
/// of strings for a key given several times (the lines of "Nơi nhận").
mod pairs {
    use super::*;

    #[derive(Serialize, Deserialize)]
    #[serde(untagged)]
    enum Values {
        One(String),
        Many(Vec<String>),
    }

    pub fn serialize<S: Serializer>(pairs: &[(String, String)], s: S) -> Result<S::Ok, S::Error> {
        let mut by_key: BTreeMap<&String, Vec<String>> = BTreeMap::new();
        for (k, v) in pairs {
            by_key.entry(k).or_default().push(v.clone());
        }
        let map: BTreeMap<&String, Values> = by_key
            .into_iter()
            .map(|(k, mut v)| (k, if v.len() == 1 { Values::One(v.remove(0)) } else { Values::Many(v) }))
            .collect();
        map.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, String)>, D::Error> {
        let map: BTreeMap<String, Values> = BTreeMap::deserialize(d)?;
        Ok(map
            .into_iter()
            .flat_map(|(k, v)| match v {
                Values::One(v) => vec![(k, v)],
                Values::Many(vs) => vs.into_iter().map(|v| (k.clone(), v)).collect(),
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Profile {
        Profile {
            sheet: Some("DS đề nghị".into()),
            header_row: Some(3),
            map: vec![("thanh_tich".into(), "Thành tích đạt được".into())],
            set: vec![
                ("Người ký".into(), "Lê Văn Bình".into()),
                ("Nơi nhận".into(), "- Như Điều 3;".into()),
                ("Nơi nhận".into(), "- Lưu: VT.".into()),
            ],
        }
    }

    #[test]
    fn round_trips_through_toml_and_json() {
        let p = sample();
        let toml = p.to_toml();
        assert!(toml.contains("\"Nơi nhận\" = [\"- Như Điều 3;\", \"- Lưu: VT.\"]"), "{toml}");
        assert_eq!(Profile::from_toml(&toml, "p.toml").unwrap(), p);
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<Profile>(&json).unwrap(), p);
        assert_eq!(serde_json::from_str::<Profile>("{}").unwrap(), Profile::default());
    }

    #[test]
    fn a_bad_profile_names_its_line() {
        let err = Profile::from_toml("sheet = \"A\"\n\nheader_rows = 2\n", "p.toml").unwrap_err();
        assert!(err.to_string().starts_with("p.toml:3: unknown field `header_rows`"), "{err}");
    }

    #[test]
    fn the_command_line_goes_on_top_of_a_file() {
        let flags = Profile {
            header_row: Some(5),
            map: vec![("thanh_tich".into(), "E".into())],
            set: vec![("Nơi nhận".into(), "- Lưu.".into())],
            ..Profile::default()
        };
        let p = sample().overlay(&flags);
        assert_eq!(p.sheet.as_deref(), Some("DS đề nghị"));
        assert_eq!(p.header_row, Some(5));
        assert_eq!(p.map, vec![("thanh_tich".to_string(), "E".to_string())]);
        assert_eq!(p.set.iter().filter(|(k, _)| k == "Nơi nhận").count(), 1);
        assert_eq!(
            sample().to_args()[..3],
            ["--sheet \"DS đề nghị\"", "--header-row 3", "--map \"thanh_tich=Thành tích đạt được\""]
        );
    }
}
