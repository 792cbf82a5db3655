//! `taizhang add KIND --set key=value … | --json FILE|-`: record a new entity.

use std::io::{Read, Write};
use std::path::PathBuf;

use clap::Args;

use super::{CliError, Context};
use crate::clock;
use crate::domain::validate::{context_warnings, validate_record};
use crate::domain::{FieldIssue, FieldValues, RecordKind};
use crate::i18n::{Lang, Localized, labels, messages};
use crate::store;

#[derive(Debug, Args)]
pub struct AddArgs {
    /// tech_sme | high_tech | rnd_institution | incubator | alliance | achievement (or 入库科企 …)
    pub kind: String,
    /// A field value, `key=value` (the key or its label: `name=…` or `名称=…`); repeat for
    /// each field.
    #[arg(long = "set", value_name = "KEY=VALUE", conflicts_with = "json")]
    pub sets: Vec<String>,
    /// Read one record as a JSON object of field values from FILE, or `-` for stdin.
    #[arg(long, value_name = "FILE|-")]
    pub json: Option<PathBuf>,
}

pub fn run(ctx: &Context, args: AddArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let kind = parse_kind(&args.kind)?;
    let actor = store::os_account()?;
    let values = match &args.json {
        Some(path) => read_json_values(path)?,
        None => parse_sets(&args.sets)?,
    };
    let mut values = keys_from_labels(kind, values);
    let mut ledger = ctx.open_ledger()?;
    ledger.resolve_references(&mut values)?;
    let valid = validate_record(kind, &values).map_err(|issues| CliError::Invalid { issues })?;
    print_warnings(ctx.lang, &valid.warnings);
    print_warnings(
        ctx.lang,
        &context_warnings(kind, &valid.fields, ledger.unit(), clock::today()),
    );
    let record = ledger.insert(&valid, &actor)?;
    writeln!(out, "{}", record.id).map_err(CliError::output)
}

/// A kind given by key (`high_tech`) or by its Chinese or English label.
pub fn parse_kind(given: &str) -> Result<RecordKind, CliError> {
    let given = given.trim();
    RecordKind::ALL
        .into_iter()
        .find(|k| {
            k.key().eq_ignore_ascii_case(given)
                || labels::kind_label(*k, Lang::Zh) == given
                || labels::kind_label(*k, Lang::En).eq_ignore_ascii_case(given)
        })
        .ok_or_else(|| CliError::UnknownKind {
            given: given.to_string(),
        })
}

/// `key=value` pairs → field values (split at the first `=`; the value may be empty).
pub fn parse_sets(sets: &[String]) -> Result<FieldValues, CliError> {
    let mut values = FieldValues::new();
    for arg in sets {
        let Some((key, value)) = arg.split_once('=') else {
            return Err(CliError::BadSet { arg: arg.clone() });
        };
        let key = key.trim();
        if key.is_empty() {
            return Err(CliError::BadSet { arg: arg.clone() });
        }
        values.insert(key.to_string(), value.to_string());
    }
    Ok(values)
}

/// Field values with each field given by its label (`名称=…`) put under its key (`name`);
/// a key that names no field of `kind` is kept as given, for validation to report.
pub fn keys_from_labels(kind: RecordKind, values: FieldValues) -> FieldValues {
    values
        .into_iter()
        .map(|(given, value)| match labels::field_key_of(kind, &given) {
            Some(key) => (key.to_string(), value),
            None => (given, value),
        })
        .collect()
}

/// A JSON object of field values; numbers and booleans are taken as their text, null as empty.
fn read_json_values(path: &std::path::Path) -> Result<FieldValues, CliError> {
    let mut text = String::new();
    let read = if path.as_os_str() == "-" {
        std::io::stdin().read_to_string(&mut text).map(|_| ())
    } else {
        std::fs::read_to_string(path).map(|t| text = t)
    };
    read.map_err(|e| CliError::ReadInput {
        path: path.to_path_buf(),
        source: e,
    })?;
    parse_json_values(&text)
}

pub fn parse_json_values(text: &str) -> Result<FieldValues, CliError> {
    let value: serde_json::Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| CliError::BadJson {
            reason: e.to_string(),
        })?;
    let serde_json::Value::Object(map) = value else {
        return Err(CliError::BadJson {
            reason: "expected an object {\"key\": \"value\", …}".to_string(),
        });
    };
    let mut values = FieldValues::new();
    for (key, v) in map {
        let text = match v {
            serde_json::Value::String(s) => s,
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::Bool(b) => b.to_string(),
            serde_json::Value::Null => String::new(),
            other => {
                return Err(CliError::BadJson {
                    reason: format!("{key}: {other} is not a text, number or boolean"),
                });
            }
        };
        values.insert(key, text);
    }
    Ok(values)
}

/// Warnings go to stderr, one line each, and do not stop the command.
pub fn print_warnings(lang: Lang, warnings: &[FieldIssue]) {
    let mut stderr = std::io::stderr().lock();
    for w in warnings {
        let _ = writeln!(
            stderr,
            "{}{}",
            messages::warning_prefix(lang),
            w.localize(lang)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_key_or_label() {
        assert_eq!(parse_kind("high_tech").ok(), Some(RecordKind::HighTech));
        assert_eq!(parse_kind("高新企业").ok(), Some(RecordKind::HighTech));
        assert!(matches!(
            parse_kind("hightech"),
            Err(CliError::UnknownKind { .. })
        ));
    }

    #[test]
    fn fields_may_be_named_by_their_labels() {
        let given = parse_sets(&["名称=甲".into(), "Credit code=x".into(), "nmae=y".into()]);
        let v = keys_from_labels(RecordKind::HighTech, given.unwrap());
        assert_eq!(v["name"], "甲");
        assert_eq!(v["credit_code"], "x");
        assert_eq!(v["nmae"], "y");
        let v = keys_from_labels(
            RecordKind::Incubator,
            parse_sets(&["认定日期=1".into()]).unwrap(),
        );
        assert_eq!(v["recognized_on"], "1");
    }

    #[test]
    fn sets_split_at_first_equals() {
        let v = parse_sets(&["notes=a=b".into(), "name=".into()]).unwrap();
        assert_eq!(v["notes"], "a=b");
        assert_eq!(v["name"], "");
        assert!(matches!(
            parse_sets(&["name".into()]),
            Err(CliError::BadSet { .. })
        ));
    }

    #[test]
    fn json_values_take_numbers_and_nulls() {
        let v =
            parse_json_values(r#"{"name":"甲","amount_yuan":1200.5,"new_type":true,"notes":null}"#)
                .unwrap();
        assert_eq!(v["amount_yuan"], "1200.5");
        assert_eq!(v["new_type"], "true");
        assert_eq!(v["notes"], "");
        assert!(parse_json_values("[1]").is_err());
        assert!(parse_json_values("{").is_err());
    }
}
