//! What the release archives ship besides the binary (`dist/`, packed by `scripts/release`). The Windows binary itself is checked under Wine by
//! `scripts/release`, which is too slow for `cargo test`.

use super::*;

#[test]
fn the_profile_example_is_a_profile_the_cli_takes() {
    let profile =
        vanban::profile::Profile::read(&root().join("dist/ho-so-mau.toml")).expect("a valid profile");
    assert!(profile.set.iter().any(|(k, v)| k == "Người ký" && v == "Lê Văn Bình"));
    let dir = tempfile::tempdir().unwrap();
    let run = vanban(
        &[
            "check",
            "giay-khen",
            root().join("samples/khanh-hoa-2023.xlsx").to_str().unwrap(),
            "--profile",
            root().join("dist/ho-so-mau.toml").to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn the_guide_and_the_profile_example_name_what_exists() {
    let guide = std::fs::read_to_string(root().join("dist/HUONG-DAN.txt")).unwrap();
    for command in ["vanban build", "vanban render", "vanban check", "vanban inspect", "--profile"] {
        assert!(guide.contains(command), "the guide explains {command}");
    }
    // The web page comes before the command line.
    assert!(guide.find("TRANG WEB").unwrap() < guide.find("DÒNG LỆNH").unwrap());
    for template in ["bao-cao-tong-ket", "bao-cao-don-vi", "quyet-dinh-khen-thuong", "giay-khen"] {
        assert!(guide.contains(template) && root().join("templates").join(template).is_dir());
    }
    for sample in ["khanh-hoa-2023.xlsx", "khanh-hoa-2025.xlsx"] {
        assert!(guide.contains(sample) && root().join("samples").join(sample).is_file());
    }
    let profile: toml::Table =
        toml::from_str(&std::fs::read_to_string(root().join("dist/ho-so-mau.toml")).unwrap()).unwrap();
    let map = profile["map"].as_table().unwrap();
    assert_eq!(map["thanh_tich"].as_str(), Some("Thành tích đạt được"));
    let set = profile["set"].as_table().unwrap();
    assert_eq!(set["Người ký"].as_str(), Some("Lê Văn Bình"));
    let recipients: Vec<&str> =
        set["Nơi nhận"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(recipients, ["- Như Điều 3;", "- Lưu: VT, BDV."]);
    // Every item the example sets is one a template reads.
    let manifests: String = ["giay-khen", "quyet-dinh-khen-thuong"]
        .iter()
        .map(|t| std::fs::read_to_string(root().join("templates").join(t).join("manifest.toml")).unwrap())
        .collect();
    for field in map.keys() {
        assert!(manifests.contains(&format!("id = \"{field}\"")), "no template has field {field}");
    }
    for key in set.keys() {
        assert!(manifests.contains(&format!("\"{key}\"")), "no template reads \"{key}\"");
    }
}
