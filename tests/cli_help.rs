//! Help and usage errors in the user's language: Chinese unless `--lang en` or
//! `TAIZHANG_LANG=en` says otherwise, like every other message.

mod cli_common;
use cli_common::*;

use std::process::{Command, Output};

fn taizhang(args: &[&str], lang_var: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_taizhang"));
    command.args(args).env_remove("TAIZHANG_DB");
    match lang_var {
        Some(lang) => command.env("TAIZHANG_LANG", lang),
        None => command.env_remove("TAIZHANG_LANG"),
    };
    command.output().expect("run taizhang")
}

fn help(args: &[&str], lang_var: Option<&str>) -> String {
    let out = taizhang(args, lang_var);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

/// A usage error: exit code 2, nothing on stdout, the message on stderr.
fn usage_error(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&dir.path().join("ledger.sqlite"), args);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    assert!(stdout(&out).is_empty());
    stderr(&out)
}

fn assert_no_english_clap(text: &str) {
    for english in [
        "Usage:",
        "error:",
        "Options:",
        "Commands:",
        "Arguments:",
        "Print help",
        "tip:",
    ] {
        assert!(!text.contains(english), "{english} in:\n{text}");
    }
}

#[test]
fn the_programs_help_is_chinese_by_default() {
    let text = help(&["--help"], None);
    insta::assert_snapshot!("help_zh", text);
    assert_no_english_clap(&text);
    assert!(text.contains("用法：taizhang [选项] [命令]"), "{text}");
    assert!(text.contains("录入一条新记录"), "{text}");
    assert_eq!(help(&["help"], None), text);
}

#[test]
fn english_help_with_lang_en_or_the_variable() {
    for (args, var) in [
        (&["--lang", "en", "--help"][..], None),
        (&["--help"][..], Some("en")),
    ] {
        let text = help(args, var);
        assert!(
            text.contains("Usage: taizhang [OPTIONS] [COMMAND]"),
            "{text}"
        );
        assert!(text.contains("Record a new entity"), "{text}");
    }
    // The flag wins over the variable, as for every message.
    let text = help(&["--lang", "zh", "add", "--help"], Some("en"));
    assert!(text.contains("录入一条新记录"), "{text}");
}

#[test]
fn every_subcommands_help_is_chinese() {
    for args in [
        &["add", "--help"][..],
        &["list", "-h"],
        &["awards", "pay", "--help"],
        &["plan", "adopt", "--help"],
        &["help", "init"],
    ] {
        let text = help(args, None);
        assert_no_english_clap(&text);
        assert!(text.contains("用法：taizhang "), "{args:?}:\n{text}");
        assert!(text.contains("显示帮助"), "{args:?}:\n{text}");
    }
}

#[test]
fn add_help_lists_each_kinds_fields_by_their_labels() {
    let text = help(&["add", "--help"], None);
    insta::assert_snapshot!("add_help_zh", text);
    assert!(text.contains("高新企业（high_tech）："), "{text}");
    assert!(text.contains("certified_on（认定日期）*"), "{text}");
    assert!(text.contains("notes（备注）"), "{text}");
    let en = help(&["--lang", "en", "add", "--help"], None);
    assert!(en.contains("High-tech enterprise (high_tech): "), "{en}");
    assert!(en.contains("certified_on (Certified on)*"), "{en}");
}

#[test]
fn format_offers_only_what_the_command_writes() {
    for command in ["show", "progress", "claims"] {
        let text = help(&[command, "--help"], None);
        let line = text.lines().find(|l| l.contains("--format")).unwrap();
        assert!(!line.contains("csv"), "{command}: {line}");
        let en = help(&["--lang", "en", command, "--help"], None);
        assert!(!en.contains("csv"), "{command}: {en}");
        let err = usage_error(&[command, "--format", "csv"]);
        assert!(err.contains("可选的值有：table、json"), "{err}");
    }
    for command in ["list", "awards"] {
        let text = help(&[command, "--help"], None);
        let line = text.lines().find(|l| l.contains("--format")).unwrap();
        assert!(line.contains("csv"), "{command}: {line}");
    }
}

#[test]
fn usage_errors_are_chinese_with_the_usage_line() {
    let negative = usage_error(&["list", "--limit", "-1"]);
    insta::assert_snapshot!("negative_limit_zh", negative);
    assert!(negative.contains("不能是负数"), "{negative}");

    let unknown = usage_error(&["list", "--frob"]);
    assert!(unknown.contains("不认识的参数“--frob”"), "{unknown}");
    assert!(
        unknown.contains("用法：taizhang list [选项] [类别]"),
        "{unknown}"
    );
    assert!(unknown.contains("taizhang list --help"), "{unknown}");

    let missing = usage_error(&["add"]);
    assert!(missing.contains("缺少必需的参数：<类别>"), "{missing}");

    let misspelt = usage_error(&["lst"]);
    assert!(
        misspelt.contains("没有“lst”这个命令。是不是要写 list？"),
        "{misspelt}"
    );

    let conflict = usage_error(&["init", "--unit", "230521", "--city"]);
    assert!(conflict.contains("不能与 --city 同时使用"), "{conflict}");

    for text in [&negative, &unknown, &missing, &misspelt, &conflict] {
        assert_no_english_clap(text);
    }
    let english = usage_error(&["--lang", "en", "list", "--frob"]);
    assert!(
        english.contains("unexpected argument '--frob'"),
        "{english}"
    );
}
