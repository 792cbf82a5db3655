//! What each action of the key table is called: a word or two for the hint bar, a sentence
//! for the help screen; and the names of the help's sections.

use crate::i18n::Lang;
use crate::tr;
use crate::tui::keys::{Action, Ctx};

/// The hint bar's name for an action.
pub fn action_short(lang: Lang, action: Action) -> String {
    match action {
        Action::Quit => tr!(lang, "退出", "quit"),
        Action::Help => tr!(lang, "帮助", "help"),
        Action::ToggleLang => tr!(lang, "English", "中文"),
        Action::Redraw => tr!(lang, "重画", "redraw"),
        Action::NextTab => tr!(lang, "下一页签", "next tab"),
        Action::PrevTab => tr!(lang, "上一页签", "previous tab"),
        Action::GoTab => tr!(lang, "切换", "switch"),
        Action::NewRecord => tr!(lang, "新建", "new"),
        Action::Up => tr!(lang, "上", "up"),
        Action::Down => tr!(lang, "下", "down"),
        Action::PageUp => tr!(lang, "上页", "page up"),
        Action::PageDown => tr!(lang, "下页", "page down"),
        Action::FirstPage => tr!(lang, "首页", "first page"),
        Action::Open => tr!(lang, "打开", "open"),
        Action::Back => tr!(lang, "返回", "back"),
        Action::StartSearch => tr!(lang, "搜索", "search"),
        Action::FinishSearch => tr!(lang, "完成搜索", "done"),
        Action::ToggleVoided => tr!(lang, "已作废", "voided"),
        Action::SetAsOf => tr!(lang, "改日期", "date"),
        Action::ResetAsOf => tr!(lang, "今天", "today"),
        Action::Edit => tr!(lang, "修改", "edit"),
        Action::Void => tr!(lang, "作废", "void"),
        Action::Restore => tr!(lang, "恢复", "restore"),
        Action::NextField => tr!(lang, "下一栏", "next field"),
        Action::PrevField => tr!(lang, "上一栏", "previous field"),
        Action::ChoiceNext => tr!(lang, "选择", "choose"),
        Action::ChoicePrev => tr!(lang, "上一选项", "previous option"),
        Action::PickOption => tr!(lang, "选第几项", "pick option"),
        Action::ClearChoice => tr!(lang, "清空", "clear"),
        Action::Save => tr!(lang, "保存", "save"),
        Action::CancelForm => tr!(lang, "取消", "cancel"),
        Action::HowToLeave => tr!(lang, "怎样离开", "how to leave"),
        Action::Yes => tr!(lang, "确定", "yes"),
        Action::No => tr!(lang, "取消", "no"),
        Action::KeepMine => tr!(lang, "用我的", "keep mine"),
        Action::TakeTheirs => tr!(lang, "用已保存的", "take saved"),
        Action::EditAgain => tr!(lang, "继续修改", "edit again"),
        Action::OpenExisting => tr!(lang, "打开已有", "open existing"),
        Action::RestoreDraft => tr!(lang, "继续填写", "continue"),
        Action::DiscardDraft => tr!(lang, "丢弃", "throw away"),
        Action::Sync => tr!(lang, "U盘同步", "USB sync"),
        Action::Export => tr!(lang, "导出同步包", "export"),
        Action::ImportReceipt => tr!(lang, "导入回执", "import receipt"),
        Action::WriteReport => tr!(lang, "写报表", "workbook"),
        Action::ImportSheet => tr!(lang, "导入表格", "import sheet"),
        Action::ConfirmImport => tr!(lang, "导入", "import"),
        Action::GoCityPage => tr!(lang, "切换", "switch"),
        Action::GoKind => tr!(lang, "类别", "kind"),
        Action::ToggleColumns => tr!(lang, "切换列", "columns"),
        Action::ReadOnly => tr!(lang, "只读", "read-only"),
        Action::Awards => tr!(lang, "奖补", "awards"),
        Action::NextYear => tr!(lang, "年度", "year"),
        Action::PrevYear => tr!(lang, "上一年度", "previous year"),
        Action::NextUnit => tr!(lang, "单位", "unit"),
        Action::ApproveAward => tr!(lang, "批准", "approve"),
        Action::PayAward => tr!(lang, "拨付", "pay"),
        Action::Worklist => tr!(lang, "待办", "worklist"),
        Action::OpenFirm => tr!(lang, "企业", "firm"),
        Action::Trend => tr!(lang, "曲线", "chart"),
        Action::NextIndicator => tr!(lang, "下一指标", "next indicator"),
        Action::PrevIndicator => tr!(lang, "上一指标", "previous indicator"),
        Action::PoolPage => tr!(lang, "培育库", "pool"),
        Action::AddToPool => tr!(lang, "加入", "add"),
        Action::ReopenPool => tr!(lang, "重新培育", "reopen"),
        Action::ToggleClosedPool => tr!(lang, "已结束", "closed"),
        Action::AchievePool => tr!(lang, "达成", "achieved"),
        Action::WithdrawPool => tr!(lang, "退出", "withdraw"),
    }
}

/// The help screen's sentence for an action.
pub fn action_long(lang: Lang, action: Action) -> String {
    match action {
        Action::Quit => tr!(
            lang,
            "退出程序（在总览或列表中）",
            "quit the program (from the dashboard or a list)"
        ),
        Action::Help => tr!(lang, "显示这份按键说明", "show this list of keys"),
        Action::ToggleLang => tr!(
            lang,
            "切换中文 / English",
            "switch between Chinese and English"
        ),
        Action::Redraw => tr!(
            lang,
            "重画整个屏幕（显示错乱时）",
            "repaint the whole screen (if it looks garbled)"
        ),
        Action::NextTab => tr!(lang, "下一个页签", "next tab"),
        Action::PrevTab => tr!(lang, "上一个页签", "previous tab"),
        Action::GoTab => tr!(
            lang,
            "0 总览，1-6 各类记录",
            "0 the dashboard, 1-6 the kinds of record"
        ),
        Action::NewRecord => tr!(lang, "新建一条记录", "add a new record"),
        Action::Up => tr!(lang, "向上移动", "move up"),
        Action::Down => tr!(lang, "向下移动", "move down"),
        Action::PageUp => tr!(lang, "上一页", "previous page"),
        Action::PageDown => tr!(lang, "下一页", "next page"),
        Action::FirstPage => tr!(lang, "回到第一页", "back to the first page"),
        Action::Open => tr!(lang, "打开选中的一项", "open the selected item"),
        Action::Back => tr!(lang, "返回上一屏", "go back"),
        Action::StartSearch => tr!(
            lang,
            "按名称或信用代码搜索（边输入边查找）",
            "search by name or credit code as you type"
        ),
        Action::FinishSearch => tr!(
            lang,
            "结束输入，回到列表（搜索条件保留）",
            "stop typing, back to the list (the search stays)"
        ),
        Action::ToggleVoided => tr!(
            lang,
            "显示或隐藏已作废的记录",
            "show or hide voided records"
        ),
        Action::SetAsOf => tr!(
            lang,
            "修改统计日期",
            "change the date progress is measured on"
        ),
        Action::ResetAsOf => tr!(lang, "统计日期回到今天", "measure on today again"),
        Action::Edit => tr!(lang, "修改这条记录", "edit this record"),
        Action::Void => tr!(
            lang,
            "作废这条记录（需填写原因，可恢复）",
            "void this record (with a reason; can be restored)"
        ),
        Action::Restore => tr!(lang, "恢复已作废的记录", "restore a voided record"),
        Action::NextField => tr!(lang, "到下一栏（不会保存）", "next field (does not save)"),
        Action::PrevField => tr!(lang, "到上一栏", "previous field"),
        Action::ChoiceNext => tr!(lang, "选择下一个选项", "choose the next option"),
        Action::ChoicePrev => tr!(lang, "选择上一个选项", "choose the previous option"),
        Action::PickOption => tr!(lang, "直接选第几个选项", "choose an option by its number"),
        Action::ClearChoice => tr!(lang, "清空选择", "clear the choice"),
        Action::Save => tr!(lang, "检查并保存表单", "check and save the form"),
        Action::CancelForm => tr!(
            lang,
            "取消表单（填写过内容会先询问）",
            "cancel the form (asks first if anything was typed)"
        ),
        Action::HowToLeave => tr!(
            lang,
            "说明怎样离开表单（不退出程序）",
            "say how to leave the form (does not quit)"
        ),
        Action::Yes => tr!(lang, "确定", "yes / confirm"),
        Action::No => tr!(lang, "取消，返回", "no / go back"),
        Action::KeepMine => tr!(
            lang,
            "用我的填写覆盖他人保存的版本",
            "save mine over the other save"
        ),
        Action::TakeTheirs => tr!(
            lang,
            "采用他人保存的版本，放弃我的填写",
            "take the other save, discard mine"
        ),
        Action::EditAgain => tr!(
            lang,
            "在他人保存的版本上继续修改",
            "keep editing on top of the other save"
        ),
        Action::OpenExisting => tr!(
            lang,
            "打开台账中已有的那条记录",
            "open the record already in the ledger"
        ),
        Action::RestoreDraft => tr!(
            lang,
            "继续填写上次未保存的表单",
            "continue the unsaved form"
        ),
        Action::DiscardDraft => tr!(
            lang,
            "丢弃上次未保存的表单（会再确认）",
            "throw the unsaved form away (asks again)"
        ),
        Action::Sync => tr!(
            lang,
            "U盘同步（单位导出、导入回执；市科技局导入同步包）",
            "USB sync: export, receipts (unit); import (city)"
        ),
        Action::Export => tr!(
            lang,
            "把本单位的同步包写到U盘（写完会核验）",
            "write the unit's bundle to the USB stick, verified"
        ),
        Action::ImportReceipt => tr!(
            lang,
            "导入市科技局的回执（文件或文件夹）",
            "import the city's receipt (a file or a folder)"
        ),
        Action::WriteReport => tr!(
            lang,
            "把可打印的报表（xlsx）写到文件夹（U盘）",
            "write the printable workbook (xlsx) to a folder"
        ),
        Action::ImportSheet => tr!(
            lang,
            "导入本单位已有的表格（xlsx/xls/ods/csv），先试导入",
            "take in the unit's own sheet, a dry run first"
        ),
        Action::ConfirmImport => tr!(lang, "按试导入的结果正式导入", "import as reviewed"),
        Action::GoCityPage => tr!(
            lang,
            "0 完成情况 1 排名 2 重复填报 3 报送情况 4 导入记录",
            "0 Annex 2, 1 ranking, 2 claims, 3 freshness, 4 log"
        ),
        Action::GoKind => tr!(lang, "1-6 切换记录类别", "1-6 switch the kind of record"),
        Action::ToggleColumns => tr!(
            lang,
            "附件2表切换显示：完成/目标、完成率、应完成与状态",
            "Annex 2 cells: achieved/target, percent, or status"
        ),
        Action::ReadOnly => tr!(
            lang,
            "市级台账只读：新建和更正须由单位录入后再报送",
            "read-only here: corrections come from the unit"
        ),
        Action::Awards => tr!(
            lang,
            "奖补资金：应享、批准、拨付和合计",
            "awards: what is owed, approved and paid"
        ),
        Action::NextYear => tr!(
            lang,
            "按年度筛选：全部、各年度轮换",
            "filter by year: all, then each year"
        ),
        Action::PrevYear => tr!(lang, "按年度筛选，往回换", "filter by year, backwards"),
        Action::NextUnit => tr!(
            lang,
            "明细只看一个单位：全部单位、各单位轮换",
            "list one unit's lines: all units, then each"
        ),
        Action::ApproveAward => tr!(
            lang,
            "批准选中的奖补（本级财政负担的）",
            "approve the selected award (this level pays it)"
        ),
        Action::PayAward => tr!(
            lang,
            "登记选中奖补的拨付：日期和凭证号",
            "record the selected award's payment and voucher"
        ),
        Action::Worklist => tr!(
            lang,
            "待办：将到期的证书、今年尚未再登记的企业",
            "worklist: renewals due, firms not registered again"
        ),
        Action::OpenFirm => tr!(
            lang,
            "企业页：该企业各类、各年的记录和奖补",
            "the firm's page: its records of every kind, awards"
        ),
        Action::Trend => tr!(
            lang,
            "进度曲线：逐月数字、应完成线和今后的到期",
            "chart: month by month, expected line, lapses ahead"
        ),
        Action::NextIndicator => tr!(lang, "曲线换下一个指标", "chart the next indicator"),
        Action::PrevIndicator => tr!(lang, "曲线换上一个指标", "chart the previous indicator"),
        Action::PoolPage => tr!(
            lang,
            "培育库：本单位培育的企业，按阶段列出",
            "the cultivation pool: the unit's firms by stage"
        ),
        Action::AddToPool => tr!(
            lang,
            "把一家企业加入培育库（阶段、目标日期、备注）",
            "put a firm into the pool (stage, target date, notes)"
        ),
        Action::ReopenPool => tr!(
            lang,
            "已达成或已退出的企业重新培育",
            "cultivate an achieved or withdrawn entry again"
        ),
        Action::ToggleClosedPool => tr!(
            lang,
            "显示或隐藏已达成、已退出的企业",
            "show or hide achieved and withdrawn entries"
        ),
        Action::AchievePool => tr!(
            lang,
            "所选企业已达成培育目标（原因可不填）",
            "the selected firm reached its target"
        ),
        Action::WithdrawPool => tr!(
            lang,
            "所选企业退出培育库（须填原因）",
            "take the selected firm out (asks why)"
        ),
    }
}

/// The heading of a help section.
pub fn context_title(lang: Lang, ctx: Ctx) -> String {
    match ctx {
        Ctx::Setup => tr!(lang, "首次使用", "First run"),
        Ctx::Dashboard => tr!(lang, "总览", "Dashboard"),
        Ctx::List => tr!(lang, "记录列表", "Records list"),
        Ctx::Search => tr!(lang, "搜索框", "Search box"),
        Ctx::Detail => tr!(lang, "记录详情", "One record"),
        Ctx::FormText => tr!(lang, "表单（文字栏）", "Form (text field)"),
        Ctx::FormChoice => tr!(lang, "表单（选择栏）", "Form (choice field)"),
        Ctx::Help => tr!(lang, "按键说明", "This help"),
        Ctx::Confirm | Ctx::ConfirmDiscard => tr!(lang, "确认提问", "Questions"),
        Ctx::Prompt => tr!(lang, "填写原因或日期", "Typing a reason or date"),
        Ctx::Conflict => tr!(lang, "他人已修改（保存冲突）", "Someone else saved first"),
        Ctx::Duplicate => tr!(lang, "重复记录", "Duplicate record"),
        Ctx::DraftOffer => tr!(lang, "未保存的表单", "Unsaved form found"),
        Ctx::PickKind => tr!(lang, "选择类别", "Choosing a kind"),
        Ctx::Sync => tr!(lang, "U盘同步", "USB sync"),
        Ctx::City => tr!(lang, "全市总览", "City view"),
        Ctx::UnitRecords => tr!(lang, "单位的记录（只读）", "A unit's records (read-only)"),
        Ctx::CityDetail => tr!(lang, "记录详情（只读）", "One record (read-only)"),
        Ctx::ImportReview => tr!(lang, "试导入结果", "Import: review"),
        Ctx::ImportDone => tr!(lang, "导入结果", "Import: outcome"),
        Ctx::Awards | Ctx::CityAwards => tr!(lang, "奖补资金", "Awards"),
        Ctx::AwardDetail => tr!(lang, "奖补详情", "One award"),
        Ctx::SheetPick => tr!(
            lang,
            "导入表格：选文件或类别",
            "Import sheet: pick the file or kind"
        ),
        Ctx::Worklist => tr!(lang, "待办", "Worklist"),
        Ctx::Firm => tr!(lang, "企业", "One firm"),
        Ctx::Trend => tr!(lang, "进度曲线", "Chart"),
        Ctx::Pool => tr!(lang, "培育库", "Cultivation pool"),
        Ctx::CityPool => tr!(lang, "单位的培育库（只读）", "A unit's pool (read-only)"),
    }
}
