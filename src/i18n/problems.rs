//! What validation found wrong with a field, said so that a clerk knows what to change.

use super::labels::{choice_label, field_label, kind_label};
use super::{Lang, Localized};
use crate::display;
use crate::domain::{ChoiceSet, FieldIssue, ForbiddenKind, Problem, RecordKind};
use crate::store::{AccountError, AccountProblem};
use crate::tr;

/// The forms a date may be written in, as shown in date errors.
const DATE_FORMS: &str = "2023-04-01、2023/4/1、2023.4.1、2023年4月1日";
const DATE_FORMS_EN: &str = "2023-04-01, 2023/4/1, 2023.4.1 or 2023年4月1日";

/// Longest piece of a typed value repeated back in a message, in characters.
const SHOWN_MAX: usize = 40;

/// A typed value as repeated in a message: printable, and cut short if very long.
pub(crate) fn shown(value: &str) -> String {
    let safe = display::safe(value);
    if safe.chars().count() <= SHOWN_MAX {
        return safe.into_owned();
    }
    let head: String = safe.chars().take(SHOWN_MAX).collect();
    format!("{head}...")
}

/// The options a choice problem lists: Chinese labels in Chinese, keys in English (the keys
/// are what English-speaking users type).
fn option_list(options: &[String], lang: Lang) -> String {
    let names = options.iter().map(|key| match lang {
        Lang::Zh => ChoiceSet::ALL
            .iter()
            .map(|&set| choice_label(set, key, Lang::Zh))
            .find(|label| label != key)
            .unwrap_or(key),
        Lang::En => key.as_str(),
    });
    let sep = match lang {
        Lang::Zh => "、",
        Lang::En => ", ",
    };
    names.collect::<Vec<_>>().join(sep)
}

/// The field keys of a kind, with their labels, for an unknown-field message.
fn field_list(kind: RecordKind, lang: Lang) -> String {
    let fields = kind.fields().iter().map(|f| match lang {
        Lang::Zh => format!("{}（{}）", f.key, field_label(f.key, lang)),
        Lang::En => f.key.to_string(),
    });
    let sep = match lang {
        Lang::Zh => "、",
        Lang::En => ", ",
    };
    fields.collect::<Vec<_>>().join(sep)
}

fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// What kind of character a refused one is, as a message names it.
fn forbidden_kind_name(kind: ForbiddenKind, lang: Lang) -> &'static str {
    match kind {
        ForbiddenKind::Control => pick(lang, "控制字符", "a control character"),
        ForbiddenKind::LineSeparator => pick(lang, "行/段分隔符", "a line or paragraph separator"),
        ForbiddenKind::Noncharacter => pick(lang, "Unicode 非字符", "a Unicode noncharacter"),
        ForbiddenKind::PrivateUse => pick(lang, "私用区字符", "a private-use character"),
        ForbiddenKind::Tag => pick(lang, "标签字符", "a tag character"),
        ForbiddenKind::Bidi => pick(lang, "双向控制符", "a bidirectional control"),
    }
}

/// A refused character: its position, code point and kind, and where it cannot appear
/// (`place` is the field's label; `None` for the record as a whole).
fn forbidden_text(
    position: usize,
    code_point: u32,
    kind: ForbiddenKind,
    place: Option<&str>,
    lang: Lang,
) -> String {
    let what = forbidden_kind_name(kind, lang);
    let place = match (place, lang) {
        (Some(label), _) => label.to_string(),
        (None, Lang::Zh) => "台账记录".to_string(),
        (None, Lang::En) => "a record".to_string(),
    };
    tr!(
        lang,
        "第 {position} 个字符 U+{code_point:04X}（{what}）不能出现在{place}中，请删除后重试。",
        "character {position}, U+{code_point:04X} ({what}), cannot appear in {place}; delete it and try again."
    )
}

/// The problem as the tail of a `Field: problem` line (in English it starts in lower case).
fn describe(problem: &Problem, lang: Lang) -> String {
    match problem {
        Problem::Required => tr!(
            lang,
            "必须填写，请补上。",
            "is required; please fill it in."
        ),
        Problem::UnknownField { kind } => {
            let kind_name = kind_label(*kind, lang);
            let fields = field_list(*kind, lang);
            tr!(
                lang,
                "“{kind_name}”没有这一项，请检查拼写。可以填写的项目有：{fields}。",
                "is not a field of a {kind_name} record; check the spelling. The fields are: {fields}."
            )
        }
        Problem::TooLong { max } => tr!(
            lang,
            "内容太长，最多 {max} 个字，请删减。",
            "is too long: at most {max} characters; please shorten it."
        ),
        Problem::CreditCodeShape { value } => {
            let count = value.chars().count();
            let value = shown(value);
            tr!(
                lang,
                "“{value}”不是统一社会信用代码（现有 {count} 位）。代码应为 18 位，由数字和大写字母组成，不含 I、O、S、V、Z，请对照营业执照重新填写。",
                "\"{value}\" is not a credit code ({count} characters). A credit code has 18 characters, digits and capital letters without I, O, S, V or Z; copy it again from the business licence."
            )
        }
        Problem::CreditCodeCheck { expected, .. } => tr!(
            lang,
            "校验位应为 {expected}，请核对第 18 位；如确为早期试点代码，请填写“校验未通过说明”（override_reason）。",
            "the check character should be {expected}; check the 18th character, or if this is a genuine early pilot code, give a check override reason (--set override_reason=...)."
        ),
        Problem::CreditCodeImpossibleCheck { expected, .. } => tr!(
            lang,
            "第 18 位（校验位）不可能是字母 I、O、S、V、Z，按国家标准应为 {expected}。这是输入错误，请对照营业执照改正（填写说明也不能保存）。",
            "the 18th (check) character can never be I, O, S, V or Z; by the standard it should be {expected}. This is a typing mistake: correct it from the business licence (an override reason cannot keep it)."
        ),
        Problem::BadDate { value } => {
            let value = shown(value);
            tr!(
                lang,
                "“{value}”不是有效的日期，请填写实际存在的日期，写法如 {DATE_FORMS}。",
                "\"{value}\" is not a real date; write a day that exists, as {DATE_FORMS_EN}."
            )
        }
        Problem::DateOutOfRange { value } => {
            let value = shown(value);
            tr!(
                lang,
                "“{value}”的年份不对，年份应在 1949 到 2100 之间，请核对年份，写法如 {DATE_FORMS}。",
                "\"{value}\" has an impossible year: the year must be between 1949 and 2100; check the year, written as {DATE_FORMS_EN}."
            )
        }
        Problem::BadChoice { value, options } if options.is_empty() => {
            let value = shown(value);
            tr!(
                lang,
                "“{value}”在这里不能选，这一项没有可选的值，请清空。",
                "\"{value}\" cannot be chosen here and nothing else can either; leave this field empty."
            )
        }
        Problem::BadChoice { value, options } => {
            let value = shown(value);
            let options = option_list(options, lang);
            tr!(
                lang,
                "“{value}”不是可选的值，请填写其中之一：{options}。",
                "\"{value}\" is not one of the choices; write one of: {options}."
            )
        }
        Problem::BadBool { value } => {
            let value = shown(value);
            tr!(
                lang,
                "“{value}”看不出是“是”还是“否”，请填写 是 或 否。",
                "\"{value}\" is neither yes nor no; write yes or no."
            )
        }
        Problem::BadAmount { value } => {
            let value = shown(value);
            tr!(
                lang,
                "“{value}”不是金额，请以元为单位只填数字，最多两位小数，如 120000 或 1,200.50。",
                "\"{value}\" is not an amount; write the number of yuan in digits, at most two decimals, such as 120000 or 1,200.50."
            )
        }
        Problem::BadRecordRef { value } => {
            let value = shown(value);
            tr!(
                lang,
                "“{value}”不是记录编号：请填写被升级（更名）的原记录编号，列表中显示的末 8 位即可。",
                "\"{value}\" is not a record id: give the id of the earlier record this one upgrades or renames; the last 8 characters a list shows are enough."
            )
        }
        Problem::NegativeAmount { value } => {
            let value = shown(value);
            tr!(
                lang,
                "金额不能是负数（填写的是“{value}”），请填写 0 或正数。",
                "cannot be negative (\"{value}\" was given); write 0 or a positive amount."
            )
        }
        Problem::DateBeforeStart { start_field } => {
            let start = field_label(start_field, lang);
            tr!(
                lang,
                "不能早于“{start}”，请核对这两个日期。",
                "cannot be before the \"{start}\" date; check both dates."
            )
        }
        Problem::CertNoPattern { value } => {
            let value = shown(value);
            tr!(
                lang,
                "“{value}”不像高新技术企业证书编号（应为 GR + 4 位年份 + 2 位省份代码 + 6 位序号，如 GR202123000123）。请对照证书核对；如与证书一致，可忽略此提示。",
                "\"{value}\" does not look like a high-tech certificate number (GR + 4-digit year + 2-digit province + 6-digit serial, such as GR202123000123). Compare it with the certificate; if it matches, ignore this warning."
            )
        }
        Problem::RegNoPattern { value } => {
            let value = shown(value);
            tr!(
                lang,
                "“{value}”不像入库登记编号（应为 18 位：4 位年份 + 6 位地区代码 + 1 位字母或数字 + 7 位数字，如 2023230521A8020396）。请对照入库通知核对；如一致，可忽略此提示。",
                "\"{value}\" does not look like a registration number (18 characters: 4-digit year + 6-digit region code + one letter or digit + 7 digits, such as 2023230521A8020396). Compare it with the registration notice; if it matches, ignore this warning."
            )
        }
        Problem::RegNoRegion { value, region } => {
            let value = shown(value);
            let region = shown(region);
            tr!(
                lang,
                "“{value}”中的地区代码 {region} 不属于双鸭山市（应以 2305 开头）。请核对是否填错了企业；如编号无误，可忽略此提示。",
                "the region code {region} in \"{value}\" is not in Shuangyashan (which starts with 2305). Check that this is the right firm; if the number is right, ignore this warning."
            )
        }
        Problem::RegNoYear { value, year } => {
            let value = shown(value);
            tr!(
                lang,
                "入库登记编号“{value}”的年份与入库日期（{year} 年）不同；编号只在发放当年有效，请核对编号或日期。",
                "the registration number \"{value}\" is of another year than the registration date ({year}); a number is valid only in the year it is issued, so check the number or the date."
            )
        }
        Problem::DateBefore2000 { value } => {
            let value = shown(value);
            tr!(
                lang,
                "日期 {value} 早于 2000 年，请核对年份；如确实如此，可忽略此提示。",
                "the date {value} is before 2000; check the year, and if it is right, ignore this warning."
            )
        }
        Problem::DateInFuture { value } => {
            let value = shown(value);
            tr!(
                lang,
                "日期 {value} 晚于今天，请核对；如是已发文件写明的日期，可忽略此提示。",
                "the date {value} is after today; check it, and if a published notice gives that date, ignore this warning."
            )
        }
        Problem::CreditCodeAuthority { value, pair } => {
            let value = shown(value);
            let pair = shown(pair);
            tr!(
                lang,
                "“{value}”的前两位 {pair} 不是国家标准中的登记管理部门和机构类别组合（企业通常为 91、92、93），请对照营业执照核对。",
                "the first two characters {pair} of \"{value}\" are no registration authority and type the standard knows (firms usually start 91, 92 or 93); check against the business licence."
            )
        }
        Problem::OrgCodeCheck { value, expected } => {
            let value = shown(value);
            tr!(
                lang,
                "“{value}”第 9—17 位的组织机构代码校验不符（第 17 位按 GB 11714 应为 {expected}），请对照营业执照核对。",
                "the organisation code at positions 9-17 of \"{value}\" fails its GB 11714 check (the 17th character should be {expected}); check against the business licence."
            )
        }
        Problem::CreditCodeRegion { value, region } => {
            let value = shown(value);
            let region = shown(region);
            tr!(
                lang,
                "“{value}”的登记地区 {region}（第 3—8 位）不在本单位，请核对是否属于本单位的企业。",
                "\"{value}\" was registered in region {region} (positions 3-8), outside this unit; check that the firm belongs to this unit."
            )
        }
        Problem::ForbiddenCharacter {
            position,
            code_point,
            kind,
        } => forbidden_text(*position, *code_point, *kind, None, lang),
    }
}

impl Localized for Problem {
    fn localize(&self, lang: Lang) -> String {
        let text = describe(self, lang);
        match lang {
            Lang::Zh => text,
            Lang::En => {
                let mut chars = text.chars();
                match chars.next() {
                    Some(first) => first.to_uppercase().chain(chars).collect(),
                    None => text,
                }
            }
        }
    }
}

impl Localized for FieldIssue {
    fn localize(&self, lang: Lang) -> String {
        if self.field == "*" {
            return self.problem.localize(lang);
        }
        let label = shown(field_label(&self.field, lang));
        let problem = match &self.problem {
            Problem::ForbiddenCharacter {
                position,
                code_point,
                kind,
            } => {
                let place = match lang {
                    Lang::Zh => label.clone(),
                    Lang::En => format!("the {}", label.to_lowercase()),
                };
                forbidden_text(*position, *code_point, *kind, Some(&place), lang)
            }
            _ => describe(&self.problem, lang),
        };
        tr!(lang, "{label}：{problem}", "{label}: {problem}")
    }
}

impl Localized for AccountError {
    fn localize(&self, lang: Lang) -> String {
        let var = self.var;
        let what = match &self.problem {
            AccountProblem::NotUnicode => tr!(
                lang,
                "环境变量 {var} 的值不是有效的 UTF-8 文本",
                "the value of environment variable {var} is not valid UTF-8 text"
            ),
            AccountProblem::Text(Problem::TooLong { max }) => tr!(
                lang,
                "环境变量 {var} 给出的账户名太长（最多 {max} 个字符）",
                "the account name in environment variable {var} is too long (at most {max} characters)"
            ),
            AccountProblem::Text(Problem::ForbiddenCharacter {
                position,
                code_point,
                kind,
            }) => {
                let kind = forbidden_kind_name(*kind, lang);
                tr!(
                    lang,
                    "环境变量 {var} 给出的账户名中第 {position} 个字符 U+{code_point:04X}（{kind}）不能记入台账",
                    "character {position}, U+{code_point:04X} ({kind}), of the account name in environment variable {var} cannot be recorded"
                )
            }
            AccountProblem::Text(other) => {
                let problem = describe(other, lang);
                tr!(
                    lang,
                    "环境变量 {var} 给出的账户名{problem}",
                    "the account name in environment variable {var} {problem}"
                )
            }
        };
        tr!(
            lang,
            "无法记录操作人账户：{what}。请把 {var} 设为普通的账户名后重试（例如 `export {var}=zhangsan`）。未做任何改动；查看台账的命令不受影响。",
            "Cannot record who made the change: {what}. Set {var} to a plain account name (e.g. `export {var}=zhangsan`) and try again. Nothing was changed; commands that only read the ledger still work."
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unusable_account_names_its_variable_and_the_fix() {
        let cases = [
            (
                AccountError {
                    var: "USER",
                    problem: AccountProblem::Text(Problem::TooLong { max: 200 }),
                },
                "最多 200 个字符",
                "at most 200 characters",
            ),
            (
                AccountError {
                    var: "LOGNAME",
                    problem: AccountProblem::Text(Problem::ForbiddenCharacter {
                        position: 6,
                        code_point: 0x202E,
                        kind: ForbiddenKind::Bidi,
                    }),
                },
                "U+202E（双向控制符）",
                "U+202E (a bidirectional control)",
            ),
            (
                AccountError {
                    var: "USERNAME",
                    problem: AccountProblem::NotUnicode,
                },
                "UTF-8",
                "UTF-8",
            ),
        ];
        for (error, zh, en) in cases {
            let var = error.var;
            let zh_text = error.localize(Lang::Zh);
            let en_text = error.localize(Lang::En);
            for (text, part) in [(&zh_text, zh), (&en_text, en)] {
                assert!(text.contains(part), "{text}");
                assert!(text.contains(&format!("export {var}=")), "{text}");
            }
            assert!(zh_text.contains("未做任何改动"), "{zh_text}");
            assert!(en_text.contains("Nothing was changed"), "{en_text}");
        }
    }

    /// One example of every variant; the match makes a new variant fail to compile here
    /// until it has an example (and so a tested message).
    fn examples() -> Vec<Problem> {
        let all = vec![
            Problem::Required,
            Problem::UnknownField {
                kind: RecordKind::TechSme,
            },
            Problem::TooLong { max: 200 },
            Problem::CreditCodeShape {
                value: "91350100M00010".into(),
            },
            Problem::CreditCodeCheck {
                value: "91350100M000100Y4Z".into(),
                expected: '3',
            },
            Problem::BadDate {
                value: "2023-02-29".into(),
            },
            Problem::DateOutOfRange {
                value: "1900-01-01".into(),
            },
            Problem::BadChoice {
                value: "县级".into(),
                options: vec!["national".into(), "provincial".into(), "city".into()],
            },
            Problem::BadBool {
                value: "maybe".into(),
            },
            Problem::BadAmount {
                value: "十万".into(),
            },
            Problem::NegativeAmount {
                value: "-100".into(),
            },
            Problem::BadRecordRef {
                value: "1234".into(),
            },
            Problem::DateBeforeStart {
                start_field: "recognized_on".into(),
            },
            Problem::CertNoPattern {
                value: "GR2021".into(),
            },
            Problem::RegNoPattern {
                value: "2023".into(),
            },
            Problem::RegNoRegion {
                value: "2024341181A8020396".into(),
                region: "341181".into(),
            },
            Problem::CreditCodeImpossibleCheck {
                value: "91350100M000100Y4Z".into(),
                expected: '3',
            },
            Problem::RegNoYear {
                value: "2022230521A8020396".into(),
                year: 2023,
            },
            Problem::DateBefore2000 {
                value: "1999-12-31".into(),
            },
            Problem::DateInFuture {
                value: "2099-01-01".into(),
            },
            Problem::CreditCodeAuthority {
                value: "99230521MA1B2C3D8X".into(),
                pair: "99".into(),
            },
            Problem::OrgCodeCheck {
                value: "91230521MA1B2C3D4B".into(),
                expected: '8',
            },
            Problem::CreditCodeRegion {
                value: "91230523MA1B2C3D8X".into(),
                region: "230523".into(),
            },
            Problem::ForbiddenCharacter {
                position: 5,
                code_point: 0x202E,
                kind: ForbiddenKind::Bidi,
            },
        ];
        for p in &all {
            match p {
                Problem::Required
                | Problem::UnknownField { .. }
                | Problem::TooLong { .. }
                | Problem::CreditCodeShape { .. }
                | Problem::CreditCodeCheck { .. }
                | Problem::BadDate { .. }
                | Problem::DateOutOfRange { .. }
                | Problem::BadChoice { .. }
                | Problem::BadBool { .. }
                | Problem::BadAmount { .. }
                | Problem::NegativeAmount { .. }
                | Problem::BadRecordRef { .. }
                | Problem::DateBeforeStart { .. }
                | Problem::CertNoPattern { .. }
                | Problem::RegNoPattern { .. }
                | Problem::RegNoRegion { .. }
                | Problem::CreditCodeImpossibleCheck { .. }
                | Problem::RegNoYear { .. }
                | Problem::DateBefore2000 { .. }
                | Problem::DateInFuture { .. }
                | Problem::CreditCodeAuthority { .. }
                | Problem::OrgCodeCheck { .. }
                | Problem::CreditCodeRegion { .. }
                | Problem::ForbiddenCharacter { .. } => {}
            }
        }
        all
    }

    fn has_chinese(text: &str) -> bool {
        text.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
    }

    #[test]
    fn every_problem_has_its_own_text_in_both_languages() {
        for lang in [Lang::Zh, Lang::En] {
            let texts: Vec<String> = examples().iter().map(|p| p.localize(lang)).collect();
            for (i, text) in texts.iter().enumerate() {
                assert!(!text.trim().is_empty(), "{:?}", examples()[i]);
                assert!(!texts[..i].contains(text), "{lang:?} text repeated: {text}");
                if lang == Lang::Zh {
                    assert!(has_chinese(text), "{text}");
                }
            }
        }
        for p in examples() {
            assert_ne!(p.localize(Lang::Zh), p.localize(Lang::En), "{p:?}");
            let en = p.localize(Lang::En);
            assert!(en.starts_with(|c: char| !c.is_lowercase()), "{en}");
        }
    }

    #[test]
    fn the_credit_code_check_message_says_what_to_do() {
        let issue = FieldIssue::new(
            "credit_code",
            Problem::CreditCodeCheck {
                value: "91350100M000100Y4Z".into(),
                expected: '3',
            },
        );
        assert_eq!(
            issue.localize(Lang::Zh),
            "统一社会信用代码：校验位应为 3，请核对第 18 位；如确为早期试点代码，请填写“校验未通过说明”（override_reason）。"
        );
        assert_eq!(
            issue.localize(Lang::En),
            "Credit code: the check character should be 3; check the 18th character, or if this is a genuine early pilot code, give a check override reason (--set override_reason=...)."
        );
    }

    #[test]
    fn messages_carry_the_details_a_clerk_needs() {
        let level_choice = Problem::BadChoice {
            value: "县级".into(),
            options: vec!["national".into(), "provincial".into(), "city".into()],
        };
        let cases: Vec<(FieldIssue, Lang, Vec<&str>)> = vec![
            (
                FieldIssue::new("level", level_choice.clone()),
                Lang::Zh,
                vec!["级别：", "县级", "国家级、省级、市级"],
            ),
            (
                FieldIssue::new("level", level_choice),
                Lang::En,
                vec!["Level: ", "national, provincial, city"],
            ),
            (
                FieldIssue::new(
                    "mode",
                    Problem::BadChoice {
                        value: "卖".into(),
                        options: ChoiceSet::TransferMode
                            .options()
                            .iter()
                            .map(|o| o.to_string())
                            .collect(),
                    },
                ),
                Lang::Zh,
                vec!["转让、许可、作价投资、自行实施、合作实施"],
            ),
            (
                FieldIssue::new(
                    "registered_on",
                    Problem::BadDate {
                        value: "2023-02-29".into(),
                    },
                ),
                Lang::Zh,
                vec!["入库日期：", "2023-02-29", "2023/4/1", "2023年4月1日"],
            ),
            (
                FieldIssue::new(
                    "registered_on",
                    Problem::BadDate {
                        value: "2023-02-29".into(),
                    },
                ),
                Lang::En,
                vec!["Registered on: ", "2023.4.1", "2023年4月1日"],
            ),
            (
                FieldIssue::new(
                    "certified_on",
                    Problem::DateOutOfRange {
                        value: "1900-01-01".into(),
                    },
                ),
                Lang::En,
                vec!["1949", "2100", "2023-04-01"],
            ),
            (
                FieldIssue::new(
                    "revoked_on",
                    Problem::DateBeforeStart {
                        start_field: "recognized_on".into(),
                    },
                ),
                Lang::Zh,
                vec!["撤销日期：", "认定日期"],
            ),
            (
                FieldIssue::new(
                    "levle",
                    Problem::UnknownField {
                        kind: RecordKind::Incubator,
                    },
                ),
                Lang::Zh,
                vec!["levle：", "科技孵化载体", "level（级别）"],
            ),
            (
                FieldIssue::new(
                    "levle",
                    Problem::UnknownField {
                        kind: RecordKind::Incubator,
                    },
                ),
                Lang::En,
                vec!["levle: ", "operator_credit_code"],
            ),
            (
                FieldIssue::new(
                    "credit_code",
                    Problem::CreditCodeShape {
                        value: "91350100M00010".into(),
                    },
                ),
                Lang::Zh,
                vec!["统一社会信用代码：", "14 位", "18 位"],
            ),
            (
                FieldIssue::new(
                    "reg_no",
                    Problem::RegNoRegion {
                        value: "2024341181A8020396".into(),
                        region: "341181".into(),
                    },
                ),
                Lang::Zh,
                vec!["341181", "2305", "忽略"],
            ),
            (
                FieldIssue::new(
                    "upgraded_from",
                    Problem::BadChoice {
                        value: "市级".into(),
                        options: vec![],
                    },
                ),
                Lang::Zh,
                vec!["升级前级别：", "清空"],
            ),
            (
                FieldIssue::new("*", Problem::Required),
                Lang::En,
                vec!["Is required"],
            ),
        ];
        for (issue, lang, parts) in cases {
            let text = issue.localize(lang);
            for part in parts {
                assert!(text.contains(part), "{text:?} should contain {part:?}");
            }
        }
    }

    #[test]
    fn a_refused_character_is_named_by_field_position_and_kind() {
        let issue = FieldIssue::new(
            "name",
            Problem::ForbiddenCharacter {
                position: 5,
                code_point: 0x202E,
                kind: ForbiddenKind::Bidi,
            },
        );
        assert_eq!(
            issue.localize(Lang::Zh),
            "名称：第 5 个字符 U+202E（双向控制符）不能出现在名称中，请删除后重试。"
        );
        assert_eq!(
            issue.localize(Lang::En),
            "Name: character 5, U+202E (a bidirectional control), cannot appear in the name; delete it and try again."
        );
        let kinds = [
            (ForbiddenKind::Control, 0x1B, "U+001B（控制字符）"),
            (
                ForbiddenKind::LineSeparator,
                0x2028,
                "U+2028（行/段分隔符）",
            ),
            (
                ForbiddenKind::Noncharacter,
                0xFFFF,
                "U+FFFF（Unicode 非字符）",
            ),
            (
                ForbiddenKind::PrivateUse,
                0x10FFFD,
                "U+10FFFD（私用区字符）",
            ),
            (ForbiddenKind::Tag, 0xE0041, "U+E0041（标签字符）"),
        ];
        for (kind, code_point, part) in kinds {
            let issue = FieldIssue::new(
                "notes",
                Problem::ForbiddenCharacter {
                    position: 1,
                    code_point,
                    kind,
                },
            );
            let text = issue.localize(Lang::Zh);
            assert!(text.contains(part), "{text}");
            assert!(text.contains("第 1 个字符"), "{text}");
        }
    }

    #[test]
    fn typed_values_are_shown_safely() {
        let p = Problem::BadDate {
            value: format!("\u{1b}[2J{}", "9".repeat(100)),
        };
        for lang in [Lang::Zh, Lang::En] {
            let text = p.localize(lang);
            assert!(!text.contains('\u{1b}'), "{text:?}");
            assert!(!text.contains(&"9".repeat(SHOWN_MAX)), "{text:?}");
            assert!(text.contains("..."), "{text:?}");
        }
    }
}
