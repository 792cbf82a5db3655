//! Messages for sync bundles and receipts: what was refused or failed, said so that a clerk
//! knows whether anything changed and what to do next. Text taken from a file (unit codes,
//! record names, key fingerprints) only ever appears through `display::safe`.

use std::path::Path;

use super::{Lang, Localized};
use crate::bundle::format::FileType;
use crate::bundle::{
    AwardEventFault, BundleError, DiskProblem, ExportStep, FilePart, KeyFlaw, ReceiptMismatch,
    RecordFault,
};
use crate::display::safe;
use crate::tr;

impl Localized for BundleError {
    fn localize(&self, lang: Lang) -> String {
        match self {
            BundleError::Truncated { actual, expected } => tr!(
                lang,
                "文件不完整（只有 {actual} 字节，应有 {expected} 字节），可能复制时中断或U盘被提前拔出。未导入。请重新复制，或让单位重新导出。",
                "The file is incomplete ({actual} bytes where {expected} were expected): the copy was probably interrupted or the stick pulled out too early. Nothing was imported. Copy it again, or ask the unit to export again."
            ),
            BundleError::ExtraBytes { .. }
            | BundleError::BadSignature
            | BundleError::UnknownFileType { .. }
            | BundleError::ManifestLength { .. }
            | BundleError::PayloadLength { .. } => damaged(lang),
            BundleError::NotABundle => tr!(
                lang,
                "这不是台账同步包或回执文件，未导入。请选择 .tzb（同步包）或 .tzr（回执）文件。",
                "This is not a taizhang bundle or receipt; nothing was imported. Choose a .tzb (bundle) or .tzr (receipt) file."
            ),
            BundleError::UnsupportedVersion { version } => tr!(
                lang,
                "这个文件由更新版本的 taizhang 生成（格式版本 {version}），本程序无法读取，未导入。请升级 taizhang 后再导入。",
                "This file was made by a newer taizhang (format version {version}) and cannot be read here; nothing was imported. Upgrade taizhang and import it again."
            ),
            BundleError::WrongFileType { expected, .. } => match expected {
                FileType::Bundle => tr!(
                    lang,
                    "这是市科技局发回的回执，不是同步包，未导入。回执应在单位台账上导入。",
                    "This is a receipt from the city, not a bundle; nothing was imported. Receipts are imported at the unit's ledger."
                ),
                FileType::Receipt => tr!(
                    lang,
                    "这是单位的同步包，不是回执，未导入。同步包应在市级台账上导入。",
                    "This is a unit's bundle, not a receipt; nothing was imported. Bundles are imported at the city ledger."
                ),
            },
            BundleError::UnknownKey { fingerprint } => {
                let fingerprint = safe(fingerprint);
                tr!(
                    lang,
                    "签署这个文件的密钥（指纹 {fingerprint}）未登记，未导入。如果是新单位或单位换了密钥，请先电话核对指纹，再运行 `taizhang enroll --unit 单位代码 --key 公钥` 登记。",
                    "The key that signed this file (fingerprint {fingerprint}) is not enrolled; nothing was imported. If the unit is new or changed its key, check the fingerprint with them by phone, then run `taizhang enroll --unit CODE --key KEY`."
                )
            }
            BundleError::NotFromCity { fingerprint } => {
                let fingerprint = safe(fingerprint);
                tr!(
                    lang,
                    "这份回执不是用本单位登记的市科技局密钥签署的（指纹 {fingerprint}），未导入。请向市科技局核实。",
                    "This receipt was not signed by the city key enrolled at this unit (fingerprint {fingerprint}); nothing was imported. Check with the city office."
                )
            }
            BundleError::Malformed { part, .. } => {
                let place = part_label(*part, lang);
                tr!(
                    lang,
                    "文件签名有效，但内容格式不对（{place}），未导入。可能是单位使用的程序有问题，请让单位升级 taizhang 后重新导出。",
                    "The file's signature is good but its contents are malformed ({place}); nothing was imported. The unit's program may be faulty: ask the unit to upgrade taizhang and export again."
                )
            }
            BundleError::ChangedWhileReading => tr!(
                lang,
                "文件在读取过程中被改动（签名核对之后内容变了），未导入。请不要在导入时写入U盘，再导入一次。",
                "The file changed while it was being read (its contents differ from the ones whose signature was checked); nothing was imported. Do not write to the stick during an import, and import again."
            ),
            BundleError::PayloadMismatch
            | BundleError::CountMismatch { .. }
            | BundleError::OutOfOrder { .. }
            | BundleError::LineTooLong { .. } => tr!(
                lang,
                "文件签名有效，但内容与清单不符，未导入。请让单位重新导出。",
                "The file's signature is good but its contents do not match its manifest; nothing was imported. Ask the unit to export again."
            ),
            BundleError::TooManyRecords { count } => tr!(
                lang,
                "文件声称有 {count} 条记录，超过一个同步包的上限（{max} 条），未导入。请向单位核实。",
                "The file claims {count} records, more than a bundle may carry ({max}); nothing was imported. Check with the unit.",
                max = crate::bundle::format::MAX_RECORDS
            ),
            BundleError::InvalidRecord {
                line,
                id,
                name,
                fault,
            } => {
                let name = safe(name);
                let why = fault_text(fault, lang);
                tr!(
                    lang,
                    "同步包第 {line} 行的记录“{name}”（编号 {id}）不合规：{why}。整个同步包未导入。请让单位修改这条记录后重新导出。",
                    "The record \"{name}\" (id {id}) on line {line} of the bundle breaks the ledger's rules: {why}. Nothing was imported. Ask the unit to correct it and export again."
                )
            }
            BundleError::InvalidAwardEvent {
                file_type,
                line,
                record,
                fault,
            } => {
                let why = award_fault_text(fault, lang);
                match file_type {
                    FileType::Bundle => tr!(
                        lang,
                        "同步包第 {line} 行的奖补批准或拨付记录（针对记录 {record}）不合规：{why}。整个同步包未导入。请让单位升级 taizhang 后重新导出。",
                        "The award approval or payment on line {line} of the bundle (for record {record}) breaks the rules: {why}. Nothing was imported. Ask the unit to upgrade taizhang and export again."
                    ),
                    FileType::Receipt => tr!(
                        lang,
                        "回执第 {line} 行的奖补批准或拨付记录（针对记录 {record}）不合规：{why}。回执未导入，本台账未改动。请与市科技局核实，请市科技局升级 taizhang 后重新出具回执。",
                        "The award approval or payment on line {line} of the receipt (for record {record}) breaks the rules: {why}. The receipt was not imported and this ledger is unchanged. Check with the city office and ask it to upgrade taizhang and write the receipt again."
                    ),
                }
            }
            BundleError::InvalidPoolEntry { line, id, fault } => {
                let why = super::pool::line_fault_text(fault, lang);
                tr!(
                    lang,
                    "同步包第 {line} 行的培育库企业（编号 {id}）不合规：{why}。整个同步包未导入。请让单位升级 taizhang 后重新导出。",
                    "The cultivation pool entry on line {line} of the bundle (id {id}) breaks the rules: {why}. Nothing was imported. Ask the unit to upgrade taizhang and export again."
                )
            }
            BundleError::TooManyPoolEntries { count } => tr!(
                lang,
                "同步包声称有 {count} 条培育库企业，超过一个同步包的上限（{max} 条），未导入。请向单位核实。",
                "The bundle claims {count} cultivation pool entries, more than a bundle may carry ({max}); nothing was imported. Check with the unit.",
                max = crate::bundle::format::MAX_POOL_ENTRIES
            ),
            BundleError::PoolEntryOfOtherUnit {
                id,
                unit,
                held_unit,
            } => {
                let unit = safe(unit);
                let held_unit = safe(held_unit);
                tr!(
                    lang,
                    "单位 {unit} 的同步包中有培育库企业 {id}，但市级台账中这个编号属于单位 {held_unit}，整个同步包未导入。请向两个单位核实。",
                    "Unit {unit}'s bundle carries pool entry {id}, but the city holds that id under unit {held_unit}; nothing was imported. Check with both units."
                )
            }
            BundleError::PoolAchievedByUnknownRecord {
                unit,
                entry,
                record,
            } => {
                let unit = safe(unit);
                tr!(
                    lang,
                    "单位 {unit} 的同步包中，培育库企业 {entry} 写明由记录 {record} 达成，但同步包里没有这条高新企业记录，整个同步包未导入。请让该单位运行 `taizhang check` 检查台账后重新导出。",
                    "Unit {unit}'s bundle says pool entry {entry} was achieved by record {record}, which is not a high-tech record the bundle carries; nothing was imported. Ask the unit to run `taizhang check` on its ledger and export again."
                )
            }
            BundleError::TooManyAwardEvents { count } => tr!(
                lang,
                "文件声称有 {count} 条奖补批准和拨付记录，超过一个文件的上限（{max} 条），未导入。请向对方核实。",
                "The file claims {count} award approvals and payments, more than a file may carry ({max}); nothing was imported. Check with the other side.",
                max = crate::bundle::format::MAX_AWARD_EVENTS
            ),
            BundleError::AwardForUnknownRecord { file_type, record } => match file_type {
                FileType::Bundle => tr!(
                    lang,
                    "同步包中有针对记录 {record} 的奖补批准或拨付，但同步包里没有这条记录，整个同步包未导入。请让单位重新导出。",
                    "The bundle carries an award approval or payment for record {record}, which the bundle does not carry; nothing was imported. Ask the unit to export again."
                ),
                FileType::Receipt => tr!(
                    lang,
                    "回执中有市科技局针对记录 {record} 的奖补批准或拨付，但本单位台账中没有这条记录，回执未导入，本台账未改动。请与市科技局核对（本单位是否换过新台账，市科技局是按旧台账的记录拨付的）。",
                    "The receipt carries the city's award approval or payment for record {record}, which this unit's ledger does not hold; the receipt was not imported and this ledger is unchanged. Check with the city office (did this unit start a new ledger, the city paying on a record of the old one?)."
                ),
            },
            BundleError::Unexportable { id, name, fault } => {
                let name = safe(name);
                let why = fault_text(fault, lang);
                let fix = match fault {
                    RecordFault::TextTooLong {
                        field: "void_reason",
                        max,
                    } => tr!(
                        lang,
                        "请先运行 `taizhang restore {id}`，再用不超过 {max} 个字的原因重新作废（原来的原因保留在修改记录中）",
                        "run `taizhang restore {id}`, then void it again with a reason of at most {max} characters (the old reason stays in its history)"
                    ),
                    RecordFault::TextTooLong {
                        field: "updated_by",
                        ..
                    } => tr!(
                        lang,
                        "修改并保存这条记录一次，修改人即记为当前账户",
                        "change and save the record once: the current account is then recorded as its last author"
                    ),
                    _ => tr!(
                        lang,
                        "请用 `taizhang show {id}` 查看并修改这条记录",
                        "look at it with `taizhang show {id}` and correct it"
                    ),
                };
                tr!(
                    lang,
                    "记录“{name}”（编号 {id}）不能导出：{why}。同步包未写出，导出序号未变；{fix}，然后重新导出。",
                    "The record \"{name}\" (id {id}) cannot be exported: {why}. No bundle was written and the export number is unchanged; {fix}, then export again."
                )
            }
            BundleError::WrongUnit {
                key_unit,
                claimed_unit,
            } => {
                let key_unit = safe(key_unit);
                let claimed = safe(claimed_unit);
                tr!(
                    lang,
                    "单位 {key_unit} 的密钥签署了单位 {claimed} 的数据，未导入。每个单位只能提交本单位的记录；请核实文件来源。",
                    "Unit {key_unit}'s key signed data of unit {claimed}; nothing was imported. Each unit may only send its own records: check where this file came from."
                )
            }
            BundleError::DuplicateId { id } => tr!(
                lang,
                "同步包中记录 {id} 出现了两次，未导入。请让单位重新导出。",
                "Record {id} appears twice in the bundle; nothing was imported. Ask the unit to export again."
            ),
            BundleError::DuplicateEntry { first, second } => tr!(
                lang,
                "同步包中记录 {first} 和 {second} 是同一条登记（重复录入），未导入。请让单位作废其中一条后重新导出。",
                "Records {first} and {second} in the bundle are the same entry entered twice; nothing was imported. Ask the unit to void one of them and export again."
            ),
            BundleError::PlanMismatch {
                bundle_plan,
                ledger_plan,
            } => {
                let bundle_plan = safe(bundle_plan);
                let ledger_plan = safe(ledger_plan);
                tr!(
                    lang,
                    "同步包是按计划 {bundle_plan} 导出的，而本市级台账执行的是计划 {ledger_plan}，未导入。若全市已改行计划 {bundle_plan}，请先在市科技局采用该计划（`taizhang plan adopt 计划文件`）；否则请该单位采用计划 {ledger_plan} 后重新导出。",
                    "The bundle was made under plan {bundle_plan} but this city ledger follows plan {ledger_plan}; nothing was imported. If the city has moved to plan {bundle_plan}, adopt it here first (`taizhang plan adopt FILE`); otherwise ask the unit to adopt plan {ledger_plan} and export again."
                )
            }
            BundleError::NotCity => tr!(
                lang,
                "这是单位台账，不能导入同步包或出具回执。请在市级台账（`taizhang init --city` 建立）上操作。",
                "This is a unit ledger: bundles are imported and receipts written at the city ledger (made with `taizhang init --city`)."
            ),
            BundleError::NotUnit => tr!(
                lang,
                "这是市级台账，不能导出同步包或导入回执。请在单位台账上操作。",
                "This is the city ledger: bundles are exported and receipts imported at a unit's ledger."
            ),
            BundleError::NoSigningKey => tr!(
                lang,
                "本台账没有签名密钥，无法签署文件。请运行 `taizhang key` 查看本台账的密钥情况。",
                "This ledger has no signing key, so it cannot sign files. Run `taizhang key` to see the state of the ledger's key."
            ),
            BundleError::LookAlikesHeld { earlier, later } => tr!(
                lang,
                "本单位记录 {earlier} 和 {later} 是同一登记（名称只差不可见字符或全角写法，升级前录入），市科技局会拒收，未导出。请运行 `taizhang list --look-alikes` 查看，作废录错的一条后重新导出。",
                "Records {earlier} and {later} are the same entity (their names differ only by invisible or full-width characters, saved before the upgrade); the city would refuse the bundle, so nothing was exported. Run `taizhang list --look-alikes`, void the one entered by mistake and export again."
            ),
            BundleError::NoCityKey => tr!(
                lang,
                "本单位还没有登记市科技局的公钥，无法核验回执，未导入。请向市科技局索取公钥并登记。",
                "This unit has not enrolled the city's public key, so the receipt cannot be checked; nothing was imported. Ask the city office for its public key and enroll it."
            ),
            BundleError::ReceiptForOtherUnit {
                receipt_unit,
                ledger_unit,
            } => {
                let receipt_unit = safe(receipt_unit);
                let ledger_unit = safe(ledger_unit);
                tr!(
                    lang,
                    "这份回执是发给单位 {receipt_unit} 的，不是本单位（{ledger_unit}），未导入。",
                    "This receipt is for unit {receipt_unit}, not this unit ({ledger_unit}); nothing was imported."
                )
            }
            BundleError::ReceiptMismatch { sequence, mismatch } => {
                receipt_mismatch(lang, *sequence, mismatch)
            }
            BundleError::WeakKey { flaw } => {
                let why = match flaw {
                    KeyFlaw::NonCanonical => tr!(
                        lang,
                        "它不是该曲线点的标准编码",
                        "it is not the canonical encoding of its point"
                    ),
                    KeyFlaw::Identity => tr!(
                        lang,
                        "它是单位元（恒等点），任何签名对它都没有意义",
                        "it is the identity point, against which no signature means anything"
                    ),
                    KeyFlaw::SmallOrder => tr!(
                        lang,
                        "它是小阶点（弱密钥），几乎任何文件都能用它冒充签名",
                        "it is a point of small order (a weak key) that would pass a forged signature on almost any file"
                    ),
                };
                tr!(
                    lang,
                    "这个公钥不能登记：{why}。taizhang 生成的密钥不会是这样，未做任何改动。请对照对方 `taizhang key` 的输出重新抄录，并电话核对指纹。",
                    "This public key cannot be enrolled: {why}. No key taizhang makes looks like this; nothing was changed. Copy it again from the other side's `taizhang key` output and check the fingerprint by phone."
                )
            }
            BundleError::OwnKey { role } => match role {
                crate::store::LedgerRole::City => tr!(
                    lang,
                    "这是本市级台账自己的公钥，不是单位的，未做任何改动。单位的公钥请在该单位的台账上运行 `taizhang key` 查看。",
                    "This is the city ledger's own public key, not the unit's; nothing was changed. The unit's key is shown by `taizhang key` on the unit's ledger."
                ),
                crate::store::LedgerRole::Unit => tr!(
                    lang,
                    "这是本单位台账自己的公钥，不是市科技局的，未做任何改动。市科技局的公钥请向市科技局索取（市级台账上 `taizhang key` 的输出）。",
                    "This is this unit ledger's own public key, not the city's; nothing was changed. Ask the city office for its key (the output of `taizhang key` on the city ledger)."
                ),
            },
            BundleError::FormerKey {
                unit,
                fingerprint,
                replaced_at,
            } => {
                let unit = safe(unit);
                let fingerprint = safe(fingerprint);
                let at = crate::clock::minute(*replaced_at);
                tr!(
                    lang,
                    "这个文件由单位 {unit} 的旧密钥（指纹 {fingerprint}）签署，该密钥已于 {at} 被新密钥取代，不再接受，未导入。请让单位用现在的台账导出；如怀疑旧密钥被盗用，请与该单位联系。",
                    "This file was signed by unit {unit}'s former key (fingerprint {fingerprint}), replaced on {at}; it is no longer accepted and nothing was imported. Ask the unit to export from its current ledger; if the old key may have been stolen, tell the unit."
                )
            }
            BundleError::NothingImported { unit } => {
                let unit = safe(unit);
                tr!(
                    lang,
                    "市级台账还没有导入过单位 {unit} 的同步包，无法出具回执。",
                    "The city ledger holds no bundle of unit {unit} yet, so there is nothing to confirm."
                )
            }
            BundleError::BadKey { text } => {
                let text = safe(text);
                tr!(
                    lang,
                    "“{text}”不是有效的公钥。公钥是 64 位十六进制数字（0-9、a-f），可带空格或短横线。请对照对方 `taizhang key` 的输出重新输入。",
                    "\"{text}\" is not a valid public key. A public key is 64 hex digits (0-9, a-f), spaces or dashes allowed. Copy it again from the other side's `taizhang key` output."
                )
            }
            BundleError::NoRandom { reason } => {
                let reason = safe(reason);
                tr!(
                    lang,
                    "系统随机数源不可用（{reason}），无法生成密钥。请联系管理员。",
                    "The system's random source is unavailable ({reason}), so no key can be made. Ask your administrator."
                )
            }
            BundleError::Disk {
                file_type,
                step,
                problem,
                path,
                source,
            } => disk_message(lang, *file_type, *step, *problem, path, source),
            BundleError::ReadBackMismatch { file_type, path } => {
                let path = safe_path(path);
                let (what, after) = written(*file_type, true, lang);
                tr!(
                    lang,
                    "{what}写入U盘后读回校验不符（{path}），U盘可能有故障。文件已删除，{after}请换一个U盘重试。",
                    "The {what} read back from the stick differs from what was written ({path}); the stick may be faulty. The file was removed and {after} Try another stick."
                )
            }
            BundleError::Read { path, source } => {
                let path = safe_path(path);
                let detail = super::os_errors::io_cause(lang, source);
                tr!(
                    lang,
                    "无法读取 {path}（{detail}）。请检查文件是否存在、U盘是否插好。",
                    "Cannot read {path} ({detail}). Check that the file exists and the stick is plugged in."
                )
            }
            BundleError::NotAFile { path } => {
                let path = safe_path(path);
                tr!(
                    lang,
                    "{path} 不是普通文件（可能是管道、套接字或设备），不能作为同步包或回执读取，未做任何改动。请指定U盘上的 .tzb 或 .tzr 文件，或它们所在的文件夹。",
                    "{path} is not a regular file (it may be a pipe, socket or device) and cannot be read as a bundle or receipt; nothing was changed. Give a .tzb or .tzr file on the stick, or the folder holding them."
                )
            }
            BundleError::NoFiles { path, file_type } => {
                let path = safe_path(path);
                match file_type {
                    FileType::Bundle => tr!(
                        lang,
                        "{path} 中没有同步包（.tzb 文件）。",
                        "There is no bundle (.tzb file) in {path}."
                    ),
                    FileType::Receipt => tr!(
                        lang,
                        "{path} 中没有回执文件（.tzr 文件）。",
                        "There is no receipt (.tzr file) in {path}."
                    ),
                }
            }
            BundleError::Store(e) => e.localize(lang),
        }
    }
}

/// A receipt that disagrees with the unit's export log: a loud warning naming what differs.
fn receipt_mismatch(lang: Lang, sequence: u64, mismatch: &ReceiptMismatch) -> String {
    let what = match mismatch {
        ReceiptMismatch::UnknownSequence => tr!(
            lang,
            "回执说市科技局持有本单位第 {sequence} 号同步包，但本台账从未导出过第 {sequence} 号。",
            "The receipt says the city holds this unit's bundle {sequence}, but this ledger never exported a bundle {sequence}."
        ),
        ReceiptMismatch::HashDiffers { logged, receipt } => {
            let logged = safe(logged.get(..16).unwrap_or(logged));
            let receipt = safe(receipt.get(..16).unwrap_or(receipt));
            tr!(
                lang,
                "市科技局持有的第 {sequence} 号同步包与本单位导出的不是同一个文件（本单位记录的 SHA-256 开头为 {logged}，回执中为 {receipt}）——同步包被调换了吗？",
                "The city holds a different bundle numbered {sequence} than the one this unit exported (SHA-256 logged here starts {logged}, the receipt's starts {receipt}) — a substituted bundle?"
            )
        }
        ReceiptMismatch::CountDiffers { logged, receipt } => tr!(
            lang,
            "回执说第 {sequence} 号同步包有 {receipt} 条记录，而本单位导出时是 {logged} 条。",
            "The receipt says bundle {sequence} carried {receipt} records, but this unit exported {logged}."
        ),
        ReceiptMismatch::OtherCity { receipt, plan } => {
            let receipt = safe(receipt);
            let plan = safe(plan);
            tr!(
                lang,
                "回执来自城市代码 {receipt}，而本计划的城市是 {plan}。",
                "The receipt comes from city code {receipt}, but the plan's city is {plan}."
            )
        }
    };
    tr!(
        lang,
        "警告：回执与本单位的导出记录不符。{what}回执未导入。请立即与市科技局电话核对，并重新导出一份同步包交市科技局。",
        "WARNING: the receipt does not match this unit's export log. {what} The receipt was not imported. Call the city office at once to check, and export a new bundle for the city."
    )
}

/// The one message for a file whose bytes were changed or damaged.
fn damaged(lang: Lang) -> String {
    tr!(
        lang,
        "文件已损坏或被改动（签名不符），未导入。请让单位重新导出。",
        "The file is damaged or was altered (its signature does not match); nothing was imported. Ask the unit to export again."
    )
}

fn part_label(part: FilePart, lang: Lang) -> String {
    match part {
        FilePart::Manifest => tr!(lang, "清单", "manifest"),
        FilePart::Line(line) => tr!(lang, "第 {line} 行", "line {line}"),
    }
}

fn fault_text(fault: &RecordFault, lang: Lang) -> String {
    match fault {
        RecordFault::Fields(issues) => {
            let sep = match lang {
                Lang::Zh => "；",
                Lang::En => "; ",
            };
            issues
                .iter()
                .map(|issue| issue.localize(lang))
                .collect::<Vec<_>>()
                .join(sep)
        }
        RecordFault::NotNormalised => tr!(
            lang,
            "字段值不是规范形式",
            "its values are not in normalised form"
        ),
        RecordFault::Revision(revision) => {
            tr!(
                lang,
                "版本号 {revision} 无效",
                "revision {revision} is invalid"
            )
        }
        RecordFault::StatusReason => tr!(
            lang,
            "作废状态与作废原因不一致",
            "its status and void reason disagree"
        ),
        RecordFault::TextTooLong { field, max } => {
            let field = super::labels::field_label(field, lang);
            tr!(
                lang,
                "{field}超过 {max} 个字",
                "{field} is longer than {max} characters"
            )
        }
    }
}

/// Why an award event line is refused, in a clause.
fn award_fault_text(fault: &AwardEventFault, lang: Lang) -> String {
    match fault {
        AwardEventFault::OtherUnit { unit } => {
            let unit = safe(unit);
            tr!(
                lang,
                "它属于单位 {unit}，不是本文件所属的单位",
                "it names unit {unit}, not the unit the file is for"
            )
        }
        AwardEventFault::OtherRecorder { recorded_by } => {
            let by = safe(recorded_by);
            tr!(
                lang,
                "它注明由 {by} 记录，而不是签署本文件的台账",
                "it says it was recorded by {by}, not by the ledger that signed the file"
            )
        }
        AwardEventFault::Level { level } => {
            let level = safe(level);
            tr!(
                lang,
                "财政级次为“{level}”，而同步包只能带县（区）级的、回执只能带市级的",
                "its fiscal level is \"{level}\", but a bundle carries county-level ones only and a receipt city-level ones only"
            )
        }
        AwardEventFault::Action { action } => {
            let action = safe(action);
            tr!(
                lang,
                "动作“{action}”既不是批准也不是拨付",
                "its action \"{action}\" is neither approve nor pay"
            )
        }
        AwardEventFault::Voucher => tr!(
            lang,
            "拨付缺少凭证号，或批准带了凭证号，或凭证号过长、含不允许的字符",
            "a payment lacks its voucher, an approval has one, or the voucher is too long or holds characters not allowed"
        ),
        AwardEventFault::Year { year } => tr!(
            lang,
            "年度 {year} 或日期不在 1949–2100 年之间",
            "its year {year} or its day is outside 1949–2100"
        ),
        AwardEventFault::Rule => tr!(lang, "奖补规则代码无效", "its award rule key is not valid"),
        AwardEventFault::Actor => tr!(
            lang,
            "经办人账户名过长或含不允许的字符",
            "the account that recorded it is too long or holds characters not allowed"
        ),
        AwardEventFault::Amount => tr!(lang, "金额超出范围", "its amount is out of range"),
        AwardEventFault::Twice => tr!(
            lang,
            "同一笔批准或拨付出现了两次",
            "the same approval or payment appears twice"
        ),
        AwardEventFault::OutOfOrder => tr!(
            lang,
            "没有按记录、规则、年度、动作的顺序排列",
            "it is not in record, rule, year and action order"
        ),
    }
}

/// What was being written, and what the failure did to the ledger. A bundle's number is
/// consumed once the file is complete under its temp name (`logged`): a failure after that
/// skips the number, which is harmless.
fn written(file_type: FileType, logged: bool, lang: Lang) -> (String, String) {
    match file_type {
        FileType::Bundle if logged => (
            tr!(lang, "同步包", "bundle"),
            tr!(
                lang,
                "本次导出的序号已用掉，下次导出用下一个序号，市科技局照常接收。",
                "this export's number is used up: the next export takes the next one, which the city accepts as usual."
            ),
        ),
        FileType::Bundle => (
            tr!(lang, "同步包", "bundle"),
            tr!(lang, "导出序号未变。", "the export number is unchanged."),
        ),
        FileType::Receipt => (
            tr!(lang, "回执", "receipt"),
            tr!(lang, "台账未改动。", "the ledger is unchanged."),
        ),
    }
}

fn disk_message(
    lang: Lang,
    file_type: FileType,
    step: ExportStep,
    problem: DiskProblem,
    path: &Path,
    source: &std::io::Error,
) -> String {
    if step == ExportStep::Create && source.kind() == std::io::ErrorKind::NotFound {
        // The temp file could not be created: its folder is not there.
        let folder = safe_path(path.parent().unwrap_or(path));
        let (what, after) = written(file_type, false, lang);
        return tr!(
            lang,
            "文件夹 {folder} 不存在，{what}没有写。{after}请检查路径是否写对、U盘是否已插好，再重试。",
            "The folder {folder} does not exist: no {what} was written, and {after} Check the path and that the USB stick is plugged in, then try again."
        );
    }
    let path = safe_path(path);
    let logged = matches!(
        step,
        ExportStep::Rename | ExportStep::SyncDir | ExportStep::ReadBack
    );
    let (what, after) = written(file_type, logged, lang);
    match problem {
        DiskProblem::Full => tr!(
            lang,
            "U盘空间不足，{what}未写成（{path}），未留下文件，{after}请腾出空间或换一个U盘后重试。",
            "The USB stick is full: the {what} was not written ({path}); no file was left and {after} Free some space or use another stick and try again."
        ),
        DiskProblem::ReadOnly => tr!(
            lang,
            "U盘只读或无写入权限，{what}未写成（{path}），{after}请检查U盘的写保护开关或换一个U盘。",
            "The USB stick is read-only or not writable for you: the {what} was not written ({path}), and {after} Check the stick's write-protect switch or use another stick."
        ),
        DiskProblem::Gone => tr!(
            lang,
            "U盘被拔出或无法写入，{what}未写成（{path}），{after}请插好U盘后重试；如U盘上留有半截文件，请删除。",
            "The USB stick was pulled out or cannot be written: the {what} was not written ({path}), and {after} Plug the stick in and try again; delete any partial file left on it."
        ),
        DiskProblem::Other => {
            let step = step_label(step, lang);
            let detail = super::os_errors::io_cause(lang, source);
            tr!(
                lang,
                "{step}时出错（{detail}），{what}未写成（{path}），未留下文件，{after}请重试。",
                "Writing failed while {step} ({detail}): the {what} was not written ({path}); no file was left and {after} Try again."
            )
        }
    }
}

fn step_label(step: ExportStep, lang: Lang) -> String {
    match step {
        ExportStep::Create => tr!(lang, "创建临时文件", "creating the temporary file"),
        ExportStep::Write => tr!(lang, "写入文件", "writing the file"),
        ExportStep::SyncFile => tr!(lang, "把文件写入U盘", "flushing the file to the stick"),
        ExportStep::Rename => tr!(lang, "文件改名", "renaming the file"),
        ExportStep::SyncDir => tr!(lang, "保存目录", "flushing the folder"),
        ExportStep::ReadBack => tr!(lang, "读回校验", "reading the file back"),
    }
}

fn safe_path(path: &Path) -> String {
    crate::display::path(path)
}

#[cfg(test)]
mod tests;
