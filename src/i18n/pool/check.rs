//! What `taizhang check` says of the cultivation pool's tables.

use super::super::Lang;
use super::super::labels::kind_label;
use crate::display::safe;
use crate::domain::RecordKind;
use crate::store::AchievedByFault;
use crate::tr;

pub fn open_twice(lang: Lang, unit: &str, credit_code: &str, entries: u64) -> String {
    let (unit, code) = (safe(unit), safe(credit_code));
    tr!(
        lang,
        "培育库中单位 {unit} 的企业 {code} 有 {entries} 条培育中的记录（每家企业只能有一条）",
        "the cultivation pool holds {entries} open entries of firm {code} in unit {unit} (a firm has at most one)"
    )
}

pub fn bad_value(lang: Lang, id: &str, column: &str, value: &str) -> String {
    let id = safe(id);
    let label = super::field_label(column, lang);
    let value = safe(value);
    match column {
        "closed_on" if value.is_empty() => tr!(
            lang,
            "培育库企业 {id} 的{label}与其状态不符（已结束的须有结束日期，培育中的不能有）",
            "pool entry {id}: its closing day does not fit its status (a closed entry has one, an open entry none)"
        ),
        "closed_on" => tr!(
            lang,
            "培育库企业 {id} 的{label}“{value}”不是有效日期，或与其状态不符",
            "pool entry {id}: its closing day \"{value}\" is not a date or does not fit its status"
        ),
        _ => {
            let lower = label.to_lowercase();
            tr!(
                lang,
                "培育库企业 {id} 的{label}“{value}”无效（培育库不认识这个值）",
                "pool entry {id}: its {lower} \"{value}\" is not one the pool knows"
            )
        }
    }
}

pub fn achieved_by(lang: Lang, id: &str, record: &str, fault: &AchievedByFault) -> String {
    let (id, record) = (safe(id), safe(record));
    match fault {
        AchievedByFault::Missing => tr!(
            lang,
            "培育库企业 {id} 写明由记录 {record} 达成，但台账中没有该单位的这条记录",
            "pool entry {id} names record {record} as the one that achieved it, but the ledger holds no such record of its unit"
        ),
        AchievedByFault::NotHighTech { kind } => {
            let kind = RecordKind::from_key(kind)
                .map(|k| kind_label(k, lang).to_owned())
                .unwrap_or_else(|| safe(kind).into_owned());
            tr!(
                lang,
                "培育库企业 {id} 写明由记录 {record} 达成，但这条记录是“{kind}”，不是高新企业记录",
                "pool entry {id} names record {record} as the one that achieved it, but that record is a {kind} record, not a high-tech one"
            )
        }
        AchievedByFault::OtherFirm {
            entry_code,
            record_code,
        } => {
            let entry_code = safe(entry_code);
            let record_code = safe(record_code.as_deref().unwrap_or("-"));
            tr!(
                lang,
                "培育库企业 {id}（{entry_code}）写明由高新企业记录 {record} 达成，但这条记录的统一社会信用代码现在是 {record_code}。请核对：若记录的代码改对了而培育的是另一家企业，在单位台账上 `taizhang pool reopen {id}` 使其继续培育；若培育库企业的代码有误，退出这一条（`taizhang pool close {id} --withdrawn --reason …`）后按正确代码重新入库。市级台账待该单位下一个同步包更正。",
                "pool entry {id} ({entry_code}) names high-tech record {record} as the one that achieved it, but that record's credit code is now {record_code}. Check which is right: if the record's code was corrected and the pool cultivates another firm, run `taizhang pool reopen {id}` at the unit to cultivate it again; if the entry's code is wrong, withdraw it (`taizhang pool close {id} --withdrawn --reason …`) and add the firm again with the right code. At the city the unit's next bundle mends it."
            )
        }
    }
}

pub fn history(lang: Lang, id: &str, revision: i64, changes: u64, last: Option<i64>) -> String {
    let id = safe(id);
    let expected = revision - 1;
    match last {
        None => tr!(
            lang,
            "培育库企业 {id} 为版本 {revision}，但没有任何修改记录（应有 {expected} 条）",
            "pool entry {id} is at revision {revision} but has no history at all (every change since its creation should be there)"
        ),
        Some(last) => tr!(
            lang,
            "培育库企业 {id} 为版本 {revision}，而修改记录有 {changes} 条、最后版本是 {last}（应为版本 2 至 {revision} 各一条）",
            "pool entry {id} is at revision {revision} but its history does not lead there (history rows: {changes}, the last at revision {last}; one for each revision from 2 to {revision} expected)"
        ),
    }
}

/// The last line of a check that found only pool entries whose achieving record's credit
/// code changed since.
pub fn only_links(lang: Lang, found: u64, path: &str) -> String {
    tr!(
        lang,
        "检查发现 {found} 处问题：{path}。记录本身没有问题，只是培育库中有企业的达成依据记录后来改了统一社会信用代码：请按上面各行核对处理。",
        "The check found {found} problems: {path}. The records are sound; only cultivation pool entries name achieving records whose credit code was changed since: check and mend each as its line says."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_reads_in_both_languages_without_raw_control_text() {
        let hostile = "x\u{1b}[31m\u{202e}y";
        let faults = [
            AchievedByFault::Missing,
            AchievedByFault::NotHighTech {
                kind: hostile.into(),
            },
            AchievedByFault::OtherFirm {
                entry_code: hostile.into(),
                record_code: None,
            },
        ];
        for lang in [Lang::Zh, Lang::En] {
            let mut lines = vec![
                open_twice(lang, hostile, hostile, 2),
                bad_value(lang, hostile, "stage", hostile),
                bad_value(lang, hostile, "closed_on", hostile),
                bad_value(lang, hostile, "closed_on", ""),
                history(lang, hostile, 3, 0, None),
                history(lang, hostile, 3, 1, Some(2)),
                only_links(lang, 1, "/tmp/ledger.sqlite"),
            ];
            lines.extend(
                faults
                    .iter()
                    .map(|f| achieved_by(lang, hostile, hostile, f)),
            );
            for line in &lines {
                assert!(
                    !line.contains('\u{1b}') && !line.contains('\u{202e}'),
                    "{line:?}"
                );
            }
            let zh_like = lines.iter().all(|l| l.chars().any(|c| c > '\u{2e80}'));
            assert_eq!(zh_like, lang == Lang::Zh, "{lines:?}");
        }
    }
}
