//! Strings around the screens: help, first run, drafts, the kind picker, and the errors
//! of the interface itself.

use jiff::Timestamp;

use super::local_time;
use crate::display::safe;
use crate::i18n::{Lang, Localized};
use crate::store::drafts::DraftError;
use crate::tr;
use crate::tui::error::TuiError;

pub fn help_title(lang: Lang) -> String {
    tr!(
        lang,
        "按键说明（上下键滚动，Esc 或 q 返回）",
        "Keys (Up/Down to scroll, Esc or q to go back)"
    )
}

pub fn help_intro(lang: Lang) -> String {
    tr!(
        lang,
        "所有操作都用键盘完成。表单中按 Tab 到下一栏，Ctrl+S 保存。",
        "Everything is done with the keyboard. In a form, Tab moves on and Ctrl+S saves."
    )
}

pub fn general_keys_title(lang: Lang) -> String {
    tr!(lang, "任何时候", "Anywhere")
}

pub fn setup_title(lang: Lang) -> String {
    tr!(lang, "首次使用：选择本单位", "First run: choose your unit")
}

pub fn setup_intro(lang: Lang) -> String {
    tr!(
        lang,
        "本机还没有台账。请用上下键选择本单位，按 Enter 建立台账。市科技局汇总用的市级台账不在这里建：请按 q 退出，运行 taizhang init --city。",
        "This machine has no ledger yet. Choose your unit with Up/Down and press Enter to create it. The city's ledger is not made here: press q and run taizhang init --city."
    )
}

pub fn setup_path(lang: Lang, path: &str) -> String {
    let path = safe(path);
    tr!(lang, "台账文件：{path}", "Ledger file: {path}")
}

pub fn setup_confirm_title(lang: Lang) -> String {
    tr!(lang, "建立台账", "Create the ledger")
}

pub fn setup_confirm(lang: Lang, name: &str, code: &str) -> String {
    tr!(
        lang,
        "为 {name}（{code}）建立台账？建立后单位不能更改。按 y 或 Enter 建立，按 n 或 Esc 返回。",
        "Create the ledger of {name} ({code})? The unit cannot be changed later. y or Enter creates it, n or Esc goes back."
    )
}

pub fn draft_offer_title(lang: Lang) -> String {
    tr!(lang, "有未保存的表单", "An unsaved form was found")
}

pub fn draft_offer(lang: Lang, kind: &str, name: &str, saved_at: Timestamp, edit: bool) -> String {
    let at = local_time(saved_at);
    let name = if name.trim().is_empty() {
        tr!(lang, "（未填名称）", "(no name yet)")
    } else {
        safe(name).into_owned()
    };
    let what = if edit {
        tr!(lang, "修改", "an edit of")
    } else {
        tr!(lang, "新建", "a new")
    };
    tr!(
        lang,
        "上次（{at}）{what}{kind}“{name}”的表单没有保存。按 y 或 Enter 继续填写；按 d 丢弃；按 n 稍后再说（下次启动时再提示）。",
        "Last time ({at}) the form for {what} {kind} \"{name}\" was not saved. y or Enter continues it; d throws it away; n decides later (asked again next start)."
    )
}

pub fn discard_draft_title(lang: Lang) -> String {
    tr!(lang, "丢弃草稿？", "Throw the draft away?")
}

pub fn discard_draft_question(lang: Lang) -> String {
    tr!(
        lang,
        "丢弃后草稿中的内容无法找回。按 y 丢弃，按 n 或 Esc 返回。",
        "The draft cannot be recovered once thrown away. y throws it away, n or Esc goes back."
    )
}

pub fn pick_kind_title(lang: Lang) -> String {
    tr!(lang, "新建哪类记录？", "Add which kind?")
}

impl Localized for DraftError {
    fn localize(&self, lang: Lang) -> String {
        match self {
            DraftError::Io { path, source } => {
                let path = crate::display::path(path);
                tr!(
                    lang,
                    "无法读写草稿文件 {path}：{source}",
                    "Cannot read or write the draft file {path}: {source}"
                )
            }
            DraftError::Unreadable { path, reason } => {
                let path = crate::display::path(path);
                let reason = safe(reason);
                tr!(
                    lang,
                    "草稿文件 {path} 已损坏，未使用（{reason}）。新的草稿会替换它。",
                    "The draft file {path} is damaged and was not used ({reason}). A new draft will replace it."
                )
            }
        }
    }
}

impl Localized for TuiError {
    fn localize(&self, lang: Lang) -> String {
        match self {
            TuiError::NotATerminal => tr!(
                lang,
                "界面需要在终端中运行。脚本中请使用 taizhang list、taizhang add 等命令（taizhang --help 列出全部命令）。",
                "The interface needs a terminal. In scripts use commands such as taizhang list and taizhang add (taizhang --help lists them)."
            ),
            TuiError::NoDataDir => tr!(
                lang,
                "找不到本机的数据目录，请用 --db 或环境变量 TAIZHANG_DB 指定台账文件。",
                "No data directory found on this machine: give the ledger file with --db or TAIZHANG_DB."
            ),
            TuiError::Terminal(e) => tr!(lang, "终端出错：{e}", "Terminal error: {e}"),
            TuiError::Store(e) => e.localize(lang),
            TuiError::Draft(e) => e.localize(lang),
            TuiError::Bundle(e) => e.localize(lang),
            TuiError::Plan(e) => e.localize(lang),
        }
    }
}
