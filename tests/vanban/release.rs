//! What the release archives ship besides the binary (`dist/`, packed by `scripts/release`),
//! and the console a double click opens. The Windows binary itself is checked under Wine by
//! `scripts/release`, which is too slow for `cargo test`.

use super::*;
use std::process::Stdio;

#[test]
fn started_without_arguments_or_terminal_it_explains_and_waits_for_enter() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_vanban"))
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // It waits: still running until Enter comes.
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(child.try_wait().unwrap().is_none(), "it should wait for Enter");
    child.stdin.take().unwrap().write_all(b"\n").unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(text.contains("vanban build") && text.contains("Nhấn Enter"), "{text}");
    // With arguments nothing waits: the command runs (or clap explains) as before.
    let run = vanban(&["templates"], dir.path());
    assert_eq!(run.code, 0);
    assert!(!run.stdout.contains("Nhấn Enter"));
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
