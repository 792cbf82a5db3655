//! Why the city refused a bundle, said again from the log in a line of the worklist: short,
//! with what to do next. Text that came from the refused file (fingerprints, unit codes,
//! plan ids, record names) only appears through `display::safe`.

use super::labels::field_label;
use super::{Lang, Localized};
use crate::display::safe;
use crate::domain::refusal::{CarriedItems, RecordFault, RefusalReason};
use crate::tr;

impl Localized for RefusalReason {
    fn localize(&self, lang: Lang) -> String {
        match self {
            RefusalReason::NotABundle => tr!(lang, "不是台账同步包", "not a taizhang bundle"),
            RefusalReason::Receipt => tr!(lang, "是回执，不是同步包", "a receipt, not a bundle"),
            RefusalReason::NotAFile => tr!(
                lang,
                "不是普通文件（管道、套接字或设备）",
                "not a regular file (a pipe, socket or device)"
            ),
            RefusalReason::NewerFormat { version } => tr!(
                lang,
                "由更新版本的 taizhang 生成（格式版本 {version}）：请升级后再导入",
                "made by a newer taizhang (format version {version}): upgrade, then import again"
            ),
            RefusalReason::Truncated { actual, expected } => tr!(
                lang,
                "文件不完整（{actual} 字节，应有 {expected} 字节）：请重新复制",
                "incomplete ({actual} bytes of {expected}): copy it again"
            ),
            RefusalReason::Damaged => tr!(
                lang,
                "文件已损坏或被改动（签名不符）：请让单位重新导出",
                "damaged or altered (signature does not match): ask the unit to export again"
            ),
            RefusalReason::UnknownKey { fingerprint } => {
                let fingerprint = safe(fingerprint);
                tr!(
                    lang,
                    "签名密钥未登记（指纹 {fingerprint}）：电话核对后登记",
                    "signed by a key not enrolled (fingerprint {fingerprint}): check it by phone, then enroll it"
                )
            }
            RefusalReason::FormerKey {
                fingerprint,
                replaced_at,
            } => {
                let fingerprint = safe(fingerprint);
                let at = crate::clock::minute(*replaced_at);
                tr!(
                    lang,
                    "由已于 {at} 被取代的旧密钥签署（指纹 {fingerprint}）",
                    "signed by a former key (fingerprint {fingerprint}), replaced on {at}"
                )
            }
            RefusalReason::OtherUnitsKey {
                key_unit,
                claimed_unit,
            } => {
                let key_unit = safe(key_unit);
                let claimed = safe(claimed_unit);
                tr!(
                    lang,
                    "单位 {key_unit} 的密钥签署了单位 {claimed} 的数据",
                    "unit {key_unit}'s key signed data of unit {claimed}"
                )
            }
            RefusalReason::OtherPlan {
                bundle_plan,
                ledger_plan,
            } => {
                let bundle_plan = safe(bundle_plan);
                let ledger_plan = safe(ledger_plan);
                tr!(
                    lang,
                    "按计划 {bundle_plan} 导出，本台账执行计划 {ledger_plan}",
                    "made under plan {bundle_plan}; this ledger follows {ledger_plan}"
                )
            }
            RefusalReason::Malformed { line: None } => tr!(
                lang,
                "签名有效，但清单格式不对：请让单位升级后重新导出",
                "signed, but its manifest is malformed: ask the unit to upgrade and export again"
            ),
            RefusalReason::Malformed { line: Some(line) } => tr!(
                lang,
                "签名有效，但第 {line} 行格式不对：请让单位升级后重新导出",
                "signed, but line {line} is malformed: ask the unit to upgrade and export again"
            ),
            RefusalReason::NotAsDeclared => tr!(
                lang,
                "签名有效，但内容与清单不符：请让单位重新导出",
                "signed, but its contents do not match its manifest: ask the unit to export again"
            ),
            RefusalReason::ChangedWhileReading => tr!(
                lang,
                "读取过程中文件被改动：请再导入一次",
                "the file changed while it was read: import it again"
            ),
            RefusalReason::TooMany { items, count } => {
                let what = match items {
                    CarriedItems::Records => tr!(lang, "条记录", " records"),
                    CarriedItems::AwardEvents => {
                        tr!(lang, "条奖补批准和拨付", " award approvals and payments")
                    }
                    CarriedItems::PoolEntries => tr!(lang, "条培育库企业", " pool entries"),
                };
                tr!(
                    lang,
                    "声称有 {count}{what}，超过上限",
                    "claims {count}{what}, more than allowed"
                )
            }
            RefusalReason::OlderThanHeld { sequence, held } => tr!(
                lang,
                "第 {sequence} 号早于已导入的第 {held} 号（旧文件）",
                "bundle {sequence} is older than bundle {held}, already imported (an old file)"
            ),
            RefusalReason::SequenceReused { sequence } => tr!(
                lang,
                "与已导入的第 {sequence} 号同号但内容不同：请向单位核实",
                "a different file numbered {sequence}, like one already imported: check with the unit"
            ),
            RefusalReason::SequenceJump { sequence, held } => tr!(
                lang,
                "第 {sequence} 号比已导入的第 {held} 号跳得太远：电话核实后用 --confirm-jump 导入",
                "bundle {sequence} jumps too far past bundle {held}: check by phone, then import with --confirm-jump"
            ),
            RefusalReason::RecordRefused {
                id,
                name,
                line,
                fault,
                fields,
            } => {
                let record = match (name.is_empty(), lang) {
                    (true, _) => id.to_string(),
                    (false, Lang::Zh) => format!("“{}”（{id}）", safe(name)),
                    (false, Lang::En) => format!("\"{}\" ({id})", safe(name)),
                };
                let record = match (line, lang) {
                    (Some(line), Lang::Zh) => format!("第 {line} 行的记录{record}"),
                    (Some(line), Lang::En) => format!("record {record} on line {line}"),
                    (None, Lang::Zh) => format!("记录{record}"),
                    (None, Lang::En) => format!("record {record}"),
                };
                let why = record_fault(*fault, fields, lang);
                tr!(lang, "{record}{why}", "{record} {why}")
            }
            RefusalReason::AwardEventRefused { record, line } => match line {
                Some(line) => tr!(
                    lang,
                    "第 {line} 行的奖补批准或拨付（记录 {record}）不合规",
                    "the award approval or payment on line {line} (record {record}) breaks the rules"
                ),
                None => tr!(
                    lang,
                    "带有记录 {record} 的奖补批准或拨付，却没有这条记录",
                    "carries an award approval or payment for record {record}, which it does not carry"
                ),
            },
            RefusalReason::PoolEntryRefused { id, line } => match line {
                Some(line) => tr!(
                    lang,
                    "第 {line} 行的培育库企业（编号 {id}）不合规",
                    "the pool entry on line {line} (id {id}) breaks the rules"
                ),
                None => tr!(
                    lang,
                    "培育库企业 {id} 在市级台账中属于另一单位",
                    "pool entry {id} is held under another unit"
                ),
            },
            RefusalReason::Other { error } => {
                let error = safe(error);
                tr!(lang, "拒收（{error}）", "refused ({error})")
            }
        }
    }
}

/// What was wrong with a refused record, as the end of a clause about it.
fn record_fault(fault: RecordFault, fields: &[String], lang: Lang) -> String {
    match fault {
        RecordFault::InvalidFields if fields.is_empty() => {
            tr!(lang, "不合规", "breaks the ledger's rules")
        }
        RecordFault::InvalidFields => {
            let sep = match lang {
                Lang::Zh => "、",
                Lang::En => ", ",
            };
            let named = fields
                .iter()
                .map(|key| safe(field_label(key, lang)).into_owned())
                .collect::<Vec<_>>()
                .join(sep);
            tr!(lang, "不合规（{named}）", "breaks the rules ({named})")
        }
        RecordFault::NotNormalised => tr!(
            lang,
            "的字段值不是规范形式",
            "has values not in normalised form"
        ),
        RecordFault::BadRevision => tr!(lang, "的版本号无效", "has an invalid revision"),
        RecordFault::StatusAndReason => tr!(
            lang,
            "的作废状态与作废原因不一致",
            "has a status and void reason that disagree"
        ),
        RecordFault::TextTooLong => tr!(lang, "的文字过长", "has a text too long"),
        RecordFault::Twice => tr!(lang, "出现了两次", "appears twice"),
        RecordFault::SameEntry => tr!(
            lang,
            "与另一条有效记录是同一登记",
            "is the same entry as another active record"
        ),
        RecordFault::HeldForOtherUnit => tr!(
            lang,
            "在市级台账中属于另一单位",
            "is held under another unit"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_record_is_named_with_its_fields() {
        let reason = RefusalReason::RecordRefused {
            id: uuid::Uuid::nil(),
            name: "第1众创空间\u{1b}[31m".into(),
            line: Some(2),
            fault: RecordFault::InvalidFields,
            fields: vec!["credit_code".into(), "name".into()],
        };
        assert_eq!(
            reason.localize(Lang::Zh),
            "第 2 行的记录“第1众创空间[31m”（00000000-0000-0000-0000-000000000000）不合规（统一社会信用代码、名称）"
        );
        assert_eq!(
            reason.localize(Lang::En),
            "record \"第1众创空间[31m\" (00000000-0000-0000-0000-000000000000) on line 2 breaks the rules (Credit code, Name)"
        );
    }
}
