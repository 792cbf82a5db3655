//! One word for each thing across the messages: a clerk who reads 同步包 in one message and
//! 数据包 in the next asks whether they are two different files.

use std::path::Path;

/// Words the messages must not use, and the one they use instead.
const AVOIDED: [(&str, &str); 3] = [
    ("数据包", "同步包"),
    ("市里", "市科技局"),
    ("市局", "市科技局"),
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
