//! The command line's help in Chinese: what each command does and what each argument means,
//! looked up by the command's path (`awards pay`) and the argument's id, the headings and
//! usage line clap would write in English, each kind's fields for `add --help`, and the
//! usage errors (a missing argument, an unknown option, a bad value) said in Chinese.

use super::Lang;
use super::labels::{field_label, kind_label};
use crate::domain::RecordKind;
use crate::tr;

/// What a command does, by its path below `taizhang` (`""` for the program itself).
pub fn command_about_zh(path: &str) -> Option<&'static str> {
    Some(match path {
        "" => {
            "taizhang（台账）：双鸭山市科技强市三年行动计划（2021—2023）台账。不带命令时打开本单位台账的操作界面。"
        }
        "init" => "创建本单位的台账（市科技局用 --city 创建市级台账）。",
        "add" => "录入一条新记录。",
        "edit" => "修改记录的内容。",
        "void" => {
            "作废误录的记录（从此在任何日期都不计入，记录不删除）。撤销、取消资格请用 `edit 编号 --set revoked_on=日期`。"
        }
        "restore" => "恢复已作废的记录。",
        "list" => "列出记录。",
        "show" => "显示一条记录的全部内容和修改记录。",
        "progress" => "本单位对照附件2任务数的完成进度（在市级台账上为全市汇总表）。",
        "due" => {
            "待办：将到期的高新技术企业证书及不续期时本单位届时的数量；上年入库、今年尚未登记的科技型中小企业。市级台账上为 30 天未报送的单位和被多个单位计入的主体。"
        }
        "firm" => "一家企业的全部历程：提到它的每条记录、各自计入的期间和所获奖补。",
        "report" => {
            "把某日的可打印台账报表（xlsx）写到文件夹：单位台账写本单位进度和各类记录，市级台账写全市报表。"
        }
        "demo" => "往新台账里填入模拟记录，或建立完整的全市演示。",
        "key" => "显示本台账的公钥及其指纹。",
        "export" => "把本单位的记录写成签名的同步包（写到U盘）。",
        "enroll" => "在市级台账登记单位的公钥（或在单位台账登记市科技局的公钥）。",
        "import" => "市级台账导入各单位的同步包；单位台账导入市科技局的回执。",
        "import-sheet" => {
            "导入本单位已有的表格（xlsx、xls、ods、csv）：每行判为新记录、台账中已有、重复或有误；新记录一起保存，其余连同原因写入“文件名-待修改.xlsx”，改好后再导入。"
        }
        "receipt" => "出具由市科技局签名的回执，告诉单位市级台账持有哪些记录。",
        "claims" => "被多个单位计入的企业（市级台账）。",
        "imports" => "导入记录（市级台账）。",
        "awards" => {
            "按计划规定应享的奖补：应给谁多少、由哪级财政负担、已拨付多少；`awards approve 编号` 和 `awards pay 编号 --voucher 凭证号` 记录负担方的决定。"
        }
        "awards approve" => "批准一笔由本台账所在级次负担的奖补。",
        "awards pay" => "记录一笔已批准奖补的拨付。",
        "figure" => "市科技局填报的全市性目标年度数据（市级台账）。",
        "figure list" => "列出全市性目标所需的各项年度数据及每次修改。",
        "figure set" => "填报或更正一项数据，例如 `figure set gdp_yuan 2022 520亿`。",
        "plan" => "现行计划；`plan adopt 文件` 把台账改为执行另一个计划（下一期计划）。",
        "plan show" => "显示现行计划：编号、期限、各单位及其任务数，以及每次采用记录。",
        "plan adopt" => {
            "检查计划文件（例如下一期三年计划），并从此按它执行，无需再加 --plan。记录不受影响。"
        }
        "where" => "显示台账文件的位置。",
        "backup" => "把整个台账（含签名密钥）写成经过核对的备份，放到文件夹中。",
        "check" => "检查台账文件：完整性、记录与修改记录是否一致、同步记录。",
        "restore-backup" => "用备份替换台账；被替换的台账改名保留。",
        "pool" => {
            "培育库：本单位正在培育、争取进入下一阶段的企业（科技型中小企业培育、高新技术企业后备、瞪羚企业后备）及其目标日期；在市级台账上按阶段统计各单位的培育库。"
        }
        "pool add" => "把一家企业列入本单位培育库。",
        "pool edit" => "修改培育中企业的培育阶段、目标日期或备注。",
        "pool close" => {
            "结束培育：企业已达到目标（--achieved），或退出培育库（--withdrawn --reason 原因）。"
        }
        "pool reopen" => "重新培育一家已结束的企业。",
        "pool show" => "显示培育库中一家企业的全部内容和修改记录。",
        "help" => "显示本程序或某个命令的帮助。",
        _ => return None,
    })
}

/// What an argument means, by the command's path and the argument's id.
pub fn arg_help_zh(path: &str, id: &str) -> Option<&'static str> {
    let command = path.rsplit(' ').next().unwrap_or(path);
    Some(match (path, command, id) {
        (_, _, "db") => "台账文件（默认在数据目录中，见 `taizhang where`）。",
        (_, _, "plan") => {
            "本次运行使用的计划文件，代替台账执行的计划（用 `plan adopt` 采用的，否则为内置的 2021—2023 年计划）。"
        }
        (_, _, "lang") => "界面语言：zh（中文，默认）或 en（英文）。",
        (_, _, "help") => "显示帮助。",
        (_, _, "version") => "显示版本号。",
        ("", _, "demo") => "在一个用后即弃的台账上打开操作界面，台账中有示例记录。",
        ("", _, "ascii") => "只用 ASCII 字符画边框和进度条（适用于把制表符显示成两格宽的终端）。",
        ("init", _, "unit") => "单位代码（例如集贤县为 230521，市经开区管委会为 jkq）。",
        ("init", _, "city") => "创建市科技局的市级台账，用于导入各单位的同步包。",
        ("add", _, "kind") => {
            "记录类别：tech_sme | high_tech | rnd_institution | incubator | alliance | achievement（也可写中文：入库科企、高新企业 …）。"
        }
        ("add", _, "sets") => {
            "一项内容，写作 键=值（键也可写中文名称：name=… 或 名称=…）；每项写一次 --set。"
        }
        ("add", _, "json") => {
            "从文件读取一条记录（各项内容组成的 JSON 对象）；写 - 表示从标准输入读取。"
        }
        ("pool", _, "all") => "也列出已结束（已达成、已退出）的企业。",
        ("pool", _, "unit") => {
            "只列这个单位的培育库企业（市级台账；不写时显示各单位按阶段的统计）。"
        }
        ("pool", _, "format") => {
            "输出格式：table（表格，默认）、json 或 csv（可用 Excel、WPS 打开）。"
        }
        ("pool add", _, "credit_code") => "企业的统一社会信用代码。",
        ("pool add", _, "name") => "企业名称。",
        ("pool add" | "pool edit", _, "stage") => {
            "培育阶段：tech_sme | high_tech_candidate | gazelle_candidate（也可写中文：科技型中小企业培育、高新技术企业后备、瞪羚企业后备）。"
        }
        ("pool add" | "pool edit", _, "target") => {
            "目标日期：企业争取进入下一阶段的日期（2024-06-30、2024/6/30、2024年6月30日 均可）。"
        }
        ("pool add", _, "notes") => "备注。",
        ("pool add", _, "override_reason") => {
            "统一社会信用代码校验位不符但确为早期试点代码时，说明保留的原因。"
        }
        ("pool edit", _, "notes") => "新的备注（写空值表示清除）。",
        ("pool edit" | "pool close" | "pool reopen" | "pool show", _, "id") => {
            "培育库企业的编号（或编号的前 8 位或后 8 位，如 `pool` 所示）。"
        }
        ("pool edit" | "pool close" | "pool reopen", _, "expect_revision") => {
            "若这家企业已不是这个版本（别人已改过），则拒绝修改。"
        }
        ("pool close", _, "achieved") => "企业已达到培育目标。",
        ("pool close", _, "withdrawn") => "企业退出培育库（须写 --reason）。",
        ("pool close", _, "reason") => "原因（--withdrawn 时必填）。",
        ("pool close", _, "on") => "结束的日期（默认：今天）。",
        (_, "edit" | "void" | "restore" | "show", "id") => {
            "记录编号（或其唯一的开头部分，如 `list` 所示）。"
        }
        ("edit", _, "sets") => {
            "一项内容，写作 键=值（键也可写中文名称：notes=… 或 备注=…）；值为空表示清除该项。每项写一次 --set。"
        }
        (_, _, "expect_revision") => "若记录已不是这个版本（别人已改过），则拒绝修改。",
        ("void", _, "reason") => "作废原因（保留在修改记录中）。",
        ("list", _, "kind") => "只列这一类别（英文键或中文名称）。",
        ("list", _, "search") => "只列名称或统一社会信用代码中含有该文字的记录。",
        ("list", _, "unit") => "只列这个单位的记录（市级台账）。",
        (_, _, "include_voided") => "也列出已作废的记录（及其状态和作废原因）。",
        ("list", _, "look_alikes") => {
            "只列看起来相同的成对有效记录：按文字规则是同一主体、但都在规则实施前保存的（名称只差不可见字符或全角字符）；每对只计一次，请作废误录的那一条。"
        }
        ("list", _, "limit") => "最多列出 N 条。",
        ("due", _, "months") => "往后看几个月（默认：到明年 6 月 30 日）。",
        ("firm", _, "firm") => "企业的统一社会信用代码，或名称（的一部分）。",
        ("list" | "awards" | "due", _, "format") => {
            "输出格式：table（表格，默认）、json 或 csv（可用 Excel、WPS 打开）。"
        }
        (_, _, "format") => "输出格式：table（表格，默认）或 json。",
        ("due", _, "as_of") => "从哪一天往后看（默认：今天；计划结束后为计划截止日）。",
        (_, _, "as_of") => "统计日期（默认：今天；计划结束后为计划截止日）。",
        ("progress", _, "by_unit") => {
            "市级台账：各单位、全市合计、排名、被多个单位计入的企业和各单位最近的同步包。"
        }
        ("report", _, "out") => "报表写入的文件夹（U盘）；默认为当前文件夹。",
        ("demo", _, "records") => {
            "要生成的记录条数（用 --city 时为每个单位的条数，默认为该单位任务数的四倍）。"
        }
        ("demo", _, "seed") => "生成器的种子：同一种子生成相同的记录。",
        ("demo", _, "unit") => "台账尚不存在时用哪个单位（默认：计划中的第一个单位）。",
        ("demo", _, "city") => "在这个新文件夹中建立完整的全市演示。",
        ("export", _, "out") => "同步包写入的文件夹（U盘）；默认为当前文件夹。",
        ("enroll", _, "unit") => "这个公钥属于哪个单位（市级台账）。",
        ("enroll", _, "city") => "这是市科技局的公钥（在单位台账登记，用来核验市科技局的回执）。",
        ("enroll", _, "key") => "公钥，按 `taizhang key` 显示的写。",
        ("enroll", _, "replace") => "替换以前登记的公钥（记入公钥变更记录）。",
        ("import", _, "paths") => {
            "同步包文件（.tzb，市级台账）、回执文件（.tzr，单位台账），或存放它们的文件夹。"
        }
        ("import" | "import-sheet", _, "dry_run") => "只显示将会导入什么，不做任何改动。",
        ("import", _, "confirm_jump") => {
            "接受编号比该单位公钥已导入的最后一号跳过 1,000 以上的同步包（请先电话与该单位核对编号）。"
        }
        ("import-sheet", _, "file") => "表格文件：.xlsx、.xls、.ods 或 .csv（UTF-8 或 GBK）。",
        ("import-sheet", _, "kind") => {
            "各行是哪一类记录：tech_sme | high_tech | rnd_institution | incubator | alliance | achievement（也可写中文：入库科企 …）。"
        }
        ("import-sheet", _, "maps") => {
            "把表头为“列名”的列（或列字母）读作“项目”（英文键或中文名称）；写“列名=”表示不读该列。每列写一次。"
        }
        ("import-sheet", _, "sheet") => "要读的工作表（默认：第一个）。",
        ("receipt", _, "unit") => "回执发给哪个单位。",
        ("receipt", _, "out") => "回执写入的文件夹（该单位的U盘）；默认为当前文件夹。",
        ("awards", _, "year") => "只列这一年的奖补。",
        ("awards", _, "unit") => "只列这个单位的（市级台账）。",
        ("awards approve" | "awards pay", _, "id") => {
            "应享奖补的那条记录（编号，或编号的前 8 位或后 8 位）。"
        }
        ("awards approve" | "awards pay", _, "rule") => {
            "记录应享多项奖补时，指定哪一项（规则的键或名称）。"
        }
        ("awards approve" | "awards pay", _, "year") => "同一项奖补在多个年度应享时，指定哪一年。",
        ("awards approve" | "awards pay", _, "on") => "决定的日期（默认：今天）。",
        ("awards pay", _, "voucher") => "拨付凭证号。",
        ("figure set", _, "key") => "数据项的键（见 `taizhang figure list`）。",
        ("figure set", _, "year") => "数据所属的年份。",
        ("figure set", _, "value") => "数值：可带“万”或“亿”；百分数不写 % 号。",
        ("plan adopt", _, "file") => "计划文件（TOML 格式，同 data/plan-2021-2023.toml）。",
        ("backup", _, "out") => "备份写入的文件夹（U盘、备份盘）。",
        ("check", _, "quick") => {
            "用 SQLite 的快速检查代替完整性检查（后者还逐一核对索引与表），快好几倍。"
        }
        ("check", _, "recount") => {
            "先按记录重新统计进度计数并保存（更正检查发现的计数问题），再检查。"
        }
        ("restore-backup", _, "from") => "备份文件（`taizhang backup` 写出的）。",
        _ => return None,
    })
}

/// The help page's layout, with clap's English headings in Chinese.
pub const HELP_TEMPLATE_ZH: &str =
    "{before-help}{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// The headings of the help page's sections.
pub const ARGUMENTS_HEADING_ZH: &str = "参数";
pub const OPTIONS_HEADING_ZH: &str = "选项";
pub const COMMANDS_HEADING_ZH: &str = "命令";

/// The usage line's words clap writes in English, in Chinese.
pub fn usage_zh(usage: &str) -> String {
    usage
        .replace("[OPTIONS]", "[选项]")
        .replace("<COMMAND>", "<命令>")
        .replace("[COMMAND]", "[命令]")
}

/// The placeholder a Chinese help page shows for a value (`<日期>` for `<DATE>`), from the
/// English one clap would show; `None` keeps it (`zh|en`).
pub fn value_name_zh(name: &str) -> Option<&'static str> {
    Some(match name {
        "CODE" => "代码",
        "N" => "数量",
        "DIR" => "文件夹",
        "DATE" => "日期",
        "YEAR" => "年份",
        "TEXT" => "文字",
        "KEY=VALUE" => "项目=值",
        "FILE" => "文件",
        "S" => "种子",
        "RULE" => "规则",
        "PATH" => "路径",
        "NUMBER" => "编号",
        "NAME" => "名称",
        "KEY" => "公钥",
        "HEADER=FIELD" => "列名=项目",
        "FILE|DIR" => "文件|文件夹",
        "FILE|-" => "文件|-",
        "KIND" => "类别",
        "ID" => "编号",
        "FILES" => "文件",
        "FIGURE" => "指标",
        "VALUE" => "值",
        "REASON" => "原因",
        "UNIT" => "单位",
        "STAGE" => "阶段",
        _ => return None,
    })
}

/// The default value, the values to choose from and the environment variable of an
/// argument, after its description: `（默认：table；可选：table、json）`.
pub fn arg_details_zh(default: Option<&str>, choices: &[String], env: Option<&str>) -> String {
    let mut parts = Vec::new();
    if !choices.is_empty() {
        parts.push(format!("可选：{}", choices.join("、")));
    }
    if let Some(default) = default {
        parts.push(format!("默认：{default}"));
    }
    if let Some(env) = env {
        parts.push(format!("也可用环境变量 {env} 指定"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("（{}）", parts.join("；"))
    }
}

/// `add --help`'s list of each kind's fields: key and label, `*` for the required ones.
pub fn kind_fields(lang: Lang) -> String {
    let mut text = tr!(
        lang,
        "各类别可填写的项目（--set 键=值，键也可写中文名称；* 为必填）：",
        "The fields of each kind (--set key=value, or label=value; * required):"
    );
    for kind in RecordKind::ALL {
        let fields: Vec<String> = kind
            .fields()
            .iter()
            .map(|f| {
                let mark = if f.required { "*" } else { "" };
                match lang {
                    Lang::Zh => format!("{}（{}）{mark}", f.key, field_label(f.key, lang)),
                    Lang::En => format!("{} ({}){mark}", f.key, field_label(f.key, lang)),
                }
            })
            .collect();
        let separator = tr!(lang, "、", ", ");
        let fields = fields.join(&separator);
        let name = kind_label(kind, lang);
        let key = kind.key();
        text.push_str(&tr!(
            lang,
            "\n  {name}（{key}）：{fields}",
            "\n  {name} ({key}): {fields}"
        ));
    }
    text
}

/// What went wrong on the command line, in Chinese, by clap's kind of error.
pub enum UsageProblem {
    /// An option or argument the command does not take; maybe a near one it does.
    UnknownArgument {
        given: String,
        suggestion: Option<String>,
    },
    /// A command that does not exist; maybe a near one that does.
    UnknownCommand {
        given: String,
        suggestion: Option<String>,
    },
    /// A value not among the ones to choose from.
    NotAChoice {
        arg: String,
        given: String,
        choices: Vec<String>,
    },
    /// A value that is not a number (or is out of range).
    BadNumber { arg: String, given: String },
    /// Required arguments left out.
    Missing { args: Vec<String> },
    /// An option given without its value.
    NoValue { arg: String },
    /// Two arguments that cannot be given together.
    Conflict { arg: String, other: Option<String> },
    /// A command that needs one of its subcommands.
    MissingCommand,
    /// An argument given more than once, or with too many values.
    TooMany { arg: String },
    /// Anything else clap refuses.
    Other,
}

pub fn usage_problem_zh(problem: &UsageProblem) -> String {
    match problem {
        UsageProblem::UnknownArgument { given, suggestion } => {
            let hint = suggestion
                .as_ref()
                .map(|s| format!("是不是要写 {s}？"))
                .unwrap_or_default();
            let negative =
                if given.starts_with('-') && given[1..].starts_with(|c: char| c.is_ascii_digit()) {
                    "数值不能是负数。"
                } else {
                    ""
                };
            format!("不认识的参数“{given}”。{hint}{negative}")
        }
        UsageProblem::UnknownCommand { given, suggestion } => {
            let hint = suggestion
                .as_ref()
                .map(|s| format!("是不是要写 {s}？"))
                .unwrap_or_default();
            format!("没有“{given}”这个命令。{hint}")
        }
        UsageProblem::NotAChoice {
            arg,
            given,
            choices,
        } => format!(
            "{arg} 的值“{given}”无效，可选的值有：{}。",
            choices.join("、")
        ),
        UsageProblem::BadNumber { arg, given } => {
            if given.trim_start().starts_with('-') {
                format!("{arg} 的值“{given}”无效：不能是负数。")
            } else {
                format!("{arg} 的值“{given}”无效：请写一个整数（不带单位或其他文字）。")
            }
        }
        UsageProblem::Missing { args } => format!("缺少必需的参数：{}。", args.join("、")),
        UsageProblem::NoValue { arg } => format!("{arg} 后面需要写一个值。"),
        UsageProblem::Conflict { arg, other } => match other {
            Some(other) => format!("{arg} 不能与 {other} 同时使用。"),
            None => format!("{arg} 不能与其他参数同时使用。"),
        },
        UsageProblem::MissingCommand => "需要写一个命令。".to_owned(),
        UsageProblem::TooMany { arg } => format!("{arg} 只能写一次。"),
        UsageProblem::Other => "命令行参数有误。".to_owned(),
    }
}

/// A usage error as printed: the problem, the command's usage line (if known) and where
/// its help is.
pub fn usage_error_zh(problem: &str, usage: &str, command_path: &str) -> String {
    let mut text = format!("错误：{problem}\n");
    if !usage.is_empty() {
        text.push_str(&format!("\n用法：{}\n", usage_zh(usage)));
    }
    text.push_str(&format!("\n{}\n", see_help_zh(command_path)));
    text
}

/// The line after a usage error: where the help is.
fn see_help_zh(command_path: &str) -> String {
    if command_path.is_empty() {
        "运行 `taizhang --help` 查看说明。".to_owned()
    } else {
        format!("运行 `taizhang {command_path} --help` 查看说明。")
    }
}
