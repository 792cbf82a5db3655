//! Parsing the command line in the user's language: the language is read before the
//! arguments are parsed (`--lang`, else `TAIZHANG_LANG`), the help pages are built from the
//! message catalogue ([`crate::i18n::cli_help`]) and clap's usage errors are said in that
//! language, each with its usage line and where the help is.

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory, FromArgMatches};

use super::Cli;
use crate::i18n::Lang;
use crate::i18n::cli_help::{
    self, ARGUMENTS_HEADING_ZH, COMMANDS_HEADING_ZH, HELP_TEMPLATE_ZH, OPTIONS_HEADING_ZH,
    UsageProblem,
};

/// The environment variable that chooses the language, as `--lang` does.
const LANG_VAR: &str = "TAIZHANG_LANG";

/// The language asked for before the arguments are parsed: the last `--lang X` or
/// `--lang=X` before a `--`, else `TAIZHANG_LANG`, else Chinese. A value that names no
/// language is left for the command to refuse.
pub fn lang_before_parsing(args: &[OsString], env: Option<OsString>) -> Lang {
    let mut given: Option<String> = None;
    let mut args = args.iter().skip(1);
    while let Some(arg) = args.next() {
        let Some(arg) = arg.to_str() else { continue };
        if arg == "--" {
            break;
        }
        if arg == "--lang" {
            given = args.next().and_then(|v| v.to_str()).map(str::to_owned);
        } else if let Some(value) = arg.strip_prefix("--lang=") {
            given = Some(value.to_owned());
        }
    }
    given
        .or_else(|| env.and_then(|v| v.into_string().ok()))
        .and_then(|v| Lang::parse(&v))
        .unwrap_or_default()
}

/// The arguments parsed, or the exit code once help, the version or a usage error has been
/// printed.
pub fn parse(lang: Lang, args: Vec<OsString>) -> Result<Cli, ExitCode> {
    let mut command = command(lang);
    let parsed = command
        .try_get_matches_from_mut(&args)
        .and_then(|matches| Cli::from_arg_matches(&matches));
    parsed.map_err(|err| report(lang, &err, &mut command, &args))
}

/// The language chosen for this run (see [`lang_before_parsing`]).
pub fn lang_of_this_run(args: &[OsString]) -> Lang {
    lang_before_parsing(args, std::env::var_os(LANG_VAR))
}

/// The whole command line's definition, its help in `lang`.
pub fn command(lang: Lang) -> Command {
    let command = Cli::command();
    match lang {
        Lang::En => {
            command.mut_subcommand("add", |add| add.after_help(cli_help::kind_fields(Lang::En)))
        }
        Lang::Zh => {
            let mut command = localize(command, "");
            command.build();
            localize_usages(&mut command);
            command
        }
    }
}

/// A command and everything below it, in Chinese.
fn localize(mut command: Command, path: &str) -> Command {
    if let Some(about) = cli_help::command_about_zh(path) {
        command = command.about(about).long_about(None);
    }
    let ids: Vec<String> = command
        .get_arguments()
        .map(|arg| arg.get_id().to_string())
        .collect();
    for id in ids {
        command = command.mut_arg(id.as_str(), |arg| localize_arg(arg, path));
    }
    let names: Vec<String> = command
        .get_subcommands()
        .map(|sub| sub.get_name().to_owned())
        .collect();
    let has_subcommands = !names.is_empty();
    for name in names {
        let sub_path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        command = command.mut_subcommand(name.as_str(), |sub| localize(sub, &sub_path));
    }
    command = command
        .help_template(HELP_TEMPLATE_ZH)
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(cli_help::arg_help_zh(path, "help"))
                .help_heading(OPTIONS_HEADING_ZH),
        );
    if has_subcommands {
        command = command
            .subcommand_help_heading(COMMANDS_HEADING_ZH)
            .subcommand_value_name(COMMANDS_HEADING_ZH);
    }
    if path.is_empty() {
        command = command.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(cli_help::arg_help_zh(path, "version"))
                .help_heading(OPTIONS_HEADING_ZH),
        );
    }
    if path == "add" {
        command = command.after_help(cli_help::kind_fields(Lang::Zh));
    }
    command
}

/// An argument's description in Chinese, its default, choices and environment variable
/// said after it in Chinese instead of clap's English brackets.
fn localize_arg(arg: Arg, path: &str) -> Arg {
    let id = arg.get_id().as_str().to_owned();
    let heading = if arg.is_positional() {
        ARGUMENTS_HEADING_ZH
    } else {
        OPTIONS_HEADING_ZH
    };
    let Some(help) = cli_help::arg_help_zh(path, &id) else {
        return arg.help_heading(heading);
    };
    let takes_value = arg.get_action().takes_values();
    let default = arg
        .get_default_values()
        .first()
        .filter(|_| takes_value && !help.contains("默认"))
        .map(|v| v.to_string_lossy().into_owned());
    let choices: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|p| !p.is_hide_set())
        .map(|p| p.get_name().to_owned())
        .collect();
    let choices = if !takes_value || choices.iter().all(|c| help.contains(c.as_str())) {
        Vec::new()
    } else {
        choices
    };
    let env = arg.get_env().map(|e| e.to_string_lossy().into_owned());
    let details = cli_help::arg_details_zh(default.as_deref(), &choices, env.as_deref());
    // The placeholder in Chinese: the one given, else the id clap would show upper-cased.
    let shown_name = arg
        .get_value_names()
        .and_then(|names| names.first())
        .map(|n| n.to_string())
        .unwrap_or_else(|| id.to_uppercase());
    let arg = match cli_help::value_name_zh(&shown_name) {
        Some(zh) if takes_value => arg.value_name(zh),
        _ => arg,
    };
    let arg = arg
        .help(match help.strip_suffix('。') {
            Some(sentence) if !details.is_empty() => format!("{sentence}{details}。"),
            _ => format!("{help}{details}"),
        })
        .hide_env(true)
        .help_heading(heading);
    if takes_value {
        arg.hide_default_value(true).hide_possible_values(true)
    } else {
        arg
    }
}

/// Every built command's usage line with clap's English words in Chinese, and the `help`
/// command described in Chinese.
fn localize_usages(command: &mut Command) {
    let usage = command.render_usage().to_string();
    let usage = usage.trim_start().trim_start_matches("Usage:").trim();
    let mut localized = std::mem::take(command).override_usage(cli_help::usage_zh(usage));
    if localized.get_name() == "help"
        && let Some(about) = cli_help::command_about_zh("help")
    {
        localized = localized.about(about);
    }
    *command = localized;
    for sub in command.get_subcommands_mut() {
        localize_usages(sub);
    }
}

/// Prints help, the version or the usage error, and gives the exit code.
fn report(lang: Lang, err: &clap::Error, command: &mut Command, args: &[OsString]) -> ExitCode {
    let code = u8::try_from(err.exit_code()).unwrap_or(2);
    let shows_text = matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    );
    if shows_text || lang == Lang::En {
        let _ = err.print();
        return ExitCode::from(code);
    }
    let path = command_path_in_args(command, args);
    let usage = match context_text(err, ContextKind::Usage) {
        Some(usage) => usage,
        None => subcommand_at(command, &path)
            .map(|sub| sub.render_usage().to_string())
            .unwrap_or_default(),
    };
    let usage = usage.trim().trim_start_matches("Usage:").trim().to_owned();
    let path = path.join(" ");
    let problem = cli_help::usage_problem_zh(&problem_of(err));
    let text = cli_help::usage_error_zh(&crate::display::safe(&problem), &usage, &path);
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
    ExitCode::from(code)
}

/// The subcommands named on the command line (`["awards", "pay"]`), as far as they exist.
fn command_path_in_args(command: &Command, args: &[OsString]) -> Vec<String> {
    let mut path = Vec::new();
    let mut current = command;
    for arg in args.iter().skip(1).filter_map(|a| a.to_str()) {
        if arg == "--" {
            break;
        }
        if let Some(sub) = current.find_subcommand(arg) {
            path.push(sub.get_name().to_owned());
            current = sub;
        }
    }
    path
}

fn subcommand_at<'a>(command: &'a mut Command, path: &[String]) -> Option<&'a mut Command> {
    let mut current = command;
    for name in path {
        current = current.find_subcommand_mut(name)?;
    }
    Some(current)
}

fn context_text(err: &clap::Error, kind: ContextKind) -> Option<String> {
    match err.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(v) => v.first().cloned(),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::StyledStrs(v) => v.first().map(ToString::to_string),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn context_list(err: &clap::Error, kind: ContextKind) -> Vec<String> {
    match err.get(kind) {
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::StyledStrs(v)) => v.iter().map(ToString::to_string).collect(),
        Some(ContextValue::StyledStr(s)) => vec![s.to_string()],
        _ => Vec::new(),
    }
}

/// clap's error, by its kind and context.
fn problem_of(err: &clap::Error) -> UsageProblem {
    let text = |kind| context_text(err, kind);
    let arg = || text(ContextKind::InvalidArg).unwrap_or_default();
    match err.kind() {
        ErrorKind::UnknownArgument => UsageProblem::UnknownArgument {
            given: arg(),
            suggestion: text(ContextKind::SuggestedArg),
        },
        ErrorKind::InvalidSubcommand => UsageProblem::UnknownCommand {
            given: text(ContextKind::InvalidSubcommand).unwrap_or_default(),
            suggestion: text(ContextKind::SuggestedSubcommand),
        },
        ErrorKind::InvalidValue => match text(ContextKind::InvalidValue) {
            Some(given) if !given.is_empty() => UsageProblem::NotAChoice {
                arg: arg(),
                given,
                choices: context_list(err, ContextKind::ValidValue),
            },
            _ => UsageProblem::NoValue { arg: arg() },
        },
        ErrorKind::ValueValidation => UsageProblem::BadNumber {
            arg: arg(),
            given: text(ContextKind::InvalidValue).unwrap_or_default(),
        },
        ErrorKind::MissingRequiredArgument => UsageProblem::Missing {
            args: context_list(err, ContextKind::InvalidArg),
        },
        ErrorKind::ArgumentConflict => UsageProblem::Conflict {
            arg: arg(),
            other: text(ContextKind::PriorArg),
        },
        ErrorKind::MissingSubcommand => UsageProblem::MissingCommand,
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            UsageProblem::TooMany { arg: arg() }
        }
        _ => UsageProblem::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_language_is_known_before_parsing() {
        let zh = Some(OsString::from("zh"));
        let en = Some(OsString::from("en_US.UTF-8"));
        assert_eq!(lang_before_parsing(&os(&["t", "--help"]), None), Lang::Zh);
        assert_eq!(
            lang_before_parsing(&os(&["t", "--help"]), en.clone()),
            Lang::En
        );
        assert_eq!(
            lang_before_parsing(&os(&["t", "--lang", "en", "add", "-h"]), zh.clone()),
            Lang::En
        );
        assert_eq!(
            lang_before_parsing(&os(&["t", "add", "--lang=en"]), None),
            Lang::En
        );
        assert_eq!(
            lang_before_parsing(&os(&["t", "--lang", "zh", "x", "--", "--lang", "en"]), en),
            Lang::Zh
        );
        assert_eq!(
            lang_before_parsing(&os(&["t", "--lang", "fr"]), None),
            Lang::Zh
        );
    }

    /// Each command and each of its arguments, by path, as `taizhang help` shows them.
    fn walk(command: &Command, path: &str, seen: &mut Vec<(String, Option<String>)>) {
        seen.push((path.to_owned(), None));
        for arg in command.get_arguments() {
            seen.push((path.to_owned(), Some(arg.get_id().to_string())));
        }
        for sub in command.get_subcommands() {
            if sub.get_name() == "help" {
                continue;
            }
            let sub_path = if path.is_empty() {
                sub.get_name().to_owned()
            } else {
                format!("{path} {}", sub.get_name())
            };
            walk(sub, &sub_path, seen);
        }
    }

    #[test]
    fn every_command_and_argument_is_described_in_both_languages() {
        let mut english = Cli::command();
        english.build();
        let mut seen = Vec::new();
        walk(&english, "", &mut seen);
        assert!(seen.len() > 100, "{}", seen.len());
        let mut missing = Vec::new();
        for (path, id) in &seen {
            match id {
                None => {
                    if cli_help::command_about_zh(path).is_none() {
                        missing.push(format!("zh about of `{path}`"));
                    }
                }
                Some(id) => {
                    if cli_help::arg_help_zh(path, id).is_none() {
                        missing.push(format!("zh help of `{path}` {id}"));
                    }
                }
            }
        }
        let mut no_english = Vec::new();
        english_gaps(&english, "", &mut no_english);
        missing.extend(no_english);
        assert!(missing.is_empty(), "{}", missing.join("\n"));
    }

    fn english_gaps(command: &Command, path: &str, missing: &mut Vec<String>) {
        for arg in command.get_arguments() {
            if arg.get_help().is_none() {
                missing.push(format!("en help of `{path}` {}", arg.get_id()));
            }
        }
        for sub in command.get_subcommands() {
            if sub.get_about().is_none() {
                missing.push(format!("en about of `{path} {}`", sub.get_name()));
            }
            english_gaps(sub, &format!("{path} {}", sub.get_name()), missing);
        }
    }

    #[test]
    fn the_chinese_command_line_is_a_valid_clap_command() {
        command(Lang::Zh).debug_assert();
        command(Lang::En).debug_assert();
    }
}
