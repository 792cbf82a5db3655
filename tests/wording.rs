//! One word for each thing across the messages: a clerk who reads 同步包 in one message and
//! 数据包 in the next asks whether they are two different files.

use std::path::Path;

/// Words the messages must not use, and the one they use instead.
const AVOIDED: [(&str, &str); 4] = [
    ("数据包", "同步包"),
    ("市里", "市科技局"),
    ("市局", "市科技局"),
    ("重复认领", "重复填报"),
];

fn sources(dir: &Path, found: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            found.push((path.display().to_string(), text));
        }
    }
}

#[test]
fn the_messages_use_one_word_for_each_thing() {
    let mut files = Vec::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src/i18n"),
        &mut files,
    );
    assert!(files.len() > 10);
    let mut misses = Vec::new();
    for (path, text) in &files {
        for (line_no, line) in text.lines().enumerate() {
            for (avoided, used) in AVOIDED {
                if line.contains(avoided) {
                    misses.push(format!("{path}:{}: {avoided} (say {used})", line_no + 1));
                }
            }
        }
    }
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}

/// The README tells a new user what Rust to build with, where the ledger is made, and that
/// ids and paths in its examples stand for their own.
#[test]
fn the_readme_answers_a_new_users_first_questions() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let cargo = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let version = cargo
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = "))
        .unwrap()
        .trim_matches('"');
    assert!(
        readme.contains(&format!("Rust {version} or newer")),
        "{version}"
    );
    let first_run = readme.find("on first run").unwrap();
    let near = &readme[first_run..first_run + 400];
    assert!(
        near.contains("taizhang where") && near.contains("ledger.sqlite"),
        "{near}"
    );
    for placeholder in ["9f3c2a71", "/media/usb"] {
        let first = readme.find(placeholder).unwrap();
        let said = readme[first..].find("stands for").is_some_and(|at| at < 20);
        assert!(
            said,
            "{placeholder} is not marked as a placeholder where it first appears"
        );
    }
}
