//! Every screen at 80x24 in Chinese and in English, as snapshots of the text a clerk sees;
//! styles that snapshots cannot show (highlight, colour, NO_COLOR) are asserted apart.

mod tui_common;

use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use ratatui::style::{Color, Modifier};
use taizhang::domain::RecordKind;
use taizhang::i18n::Lang;
use taizhang::store::{ExportEntry, ReceiptEntry};
use taizhang::tui::{App, Theme};
use tui_common::*;

const LANGS: [(Lang, &str); 2] = [(Lang::Zh, "zh"), (Lang::En, "en")];

/// Snapshots the screen under `name_lang`.
fn snap(name: &str, lang: &str, app: &App) {
    insta::assert_snapshot!(format!("{name}_{lang}"), screen(app));
}

#[test]
fn first_run_unit_picker() {
    for (lang, tag) in LANGS {
        let fx = Fixture::new();
        let mut app = fx.first_run(lang);
        press(&mut app, KeyCode::Down);
        insta::assert_snapshot!(format!("setup_{tag}"), fx.screen(&app));
        press(&mut app, KeyCode::Enter);
        insta::assert_snapshot!(format!("setup_confirm_{tag}"), fx.screen(&app));
    }
}

#[test]
fn dashboard_with_progress() {
    for (lang, tag) in LANGS {
        let fx = Fixture::new();
        let mut ledger = fx.create_ledger();
        add(&mut ledger, RecordKind::HighTech, XINDA, ACTOR);
        demo_records(&mut ledger, RecordKind::TechSme, 4);
        demo_records(&mut ledger, RecordKind::Achievement, 3);
        let at = jiff::Timestamp::now();
        for sequence in [1, 2] {
            ledger
                .record_export(&ExportEntry {
                    sequence,
                    file_name: format!("230521-{sequence:04}-20230630.tzb"),
                    sha256: "0".repeat(64),
                    records: 8,
                    at,
                })
                .unwrap();
            ledger.confirm_export(sequence).unwrap();
        }
        ledger
            .record_receipt(&ReceiptEntry {
                city: "230500".into(),
                sequence: 1,
                bundle_sha256: "0".repeat(64),
                records: 8,
                imported_at: at,
                created_at: at,
            })
            .unwrap();
        drop(ledger);
        let app = fx.app(lang);
        snap("dashboard", tag, &app);
    }
}

#[test]
fn dashboard_ascii_and_date_prompt() {
    for (lang, tag) in LANGS {
        let fx = Fixture::new();
        let mut config = fx.config(lang);
        config.theme = Theme {
            color: false,
            ascii: true,
            basic: false,
        };
        let mut app = App::new(config, Some(fx.create_ledger()));
        snap("dashboard_ascii", tag, &app);
        press(&mut app, KeyCode::Char('d'));
        ctrl(&mut app, 'u');
        type_text(&mut app, "2022年12月31日");
        snap("dashboard_date_prompt", tag, &app);
        press(&mut app, KeyCode::Enter);
        snap("dashboard_given_date", tag, &app);
    }
}

#[test]
fn cjk_heavy_list_and_search() {
    for (lang, tag) in LANGS {
        let fx = Fixture::new();
        let mut ledger = fx.create_ledger();
        demo_records(&mut ledger, RecordKind::TechSme, 30);
        add(
            &mut ledger,
            RecordKind::TechSme,
            &[
                (
                    "name",
                    "双鸭山市集贤县\u{AD}鑫达\u{200B}[31m石墨烯导热膜新材料科技研发有限责任公司",
                ),
                ("credit_code", "91230521MA1B2C3D8P"),
                ("reg_no", "2023230521A8020396"),
                ("registered_on", "2023-04-01"),
            ],
            ACTOR,
        );
        drop(ledger);
        let mut app = fx.app(lang);
        press(&mut app, KeyCode::Char('1'));
        press(&mut app, KeyCode::Down);
        snap("list", tag, &app);
        press(&mut app, KeyCode::PageDown);
        snap("list_page2", tag, &app);
        press(&mut app, KeyCode::Char('/'));
        type_text(&mut app, "鑫达");
        snap("list_search", tag, &app);
        type_text(&mut app, "无此公司");
        snap("list_no_match", tag, &app);
    }
}

#[test]
fn record_detail_with_history_and_void_prompt() {
    for (lang, tag) in LANGS {
        let fx = Fixture::new();
        let mut ledger = fx.create_ledger();
        let record = add(&mut ledger, RecordKind::HighTech, XINDA, ACTOR);
        let changed = validate_with(&record, &[("size", "below"), ("notes", "复审材料已交")]);
        let record = ledger
            .update(record.id, Some(record.revision), &changed, "wang")
            .unwrap();
        ledger
            .void(record.id, "重复录入", Some(record.revision), ACTOR)
            .unwrap();
        drop(ledger);
        let mut app = fx.app(lang);
        press(&mut app, KeyCode::Char('2'));
        press(&mut app, KeyCode::Char('x'));
        press(&mut app, KeyCode::Enter);
        snap("detail_voided", tag, &app);

        let fx = Fixture::new();
        let mut ledger = fx.create_ledger();
        add(&mut ledger, RecordKind::HighTech, XINDA, ACTOR);
        drop(ledger);
        let mut app = fx.app(lang);
        press(&mut app, KeyCode::Char('2'));
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Char('v'));
        type_text(&mut app, "重复录入");
        snap("detail_void_prompt", tag, &app);
    }
}

fn validate_with(
    record: &taizhang::domain::Record,
    changes: &[(&str, &str)],
) -> taizhang::domain::ValidRecord {
    let merged = taizhang::domain::validate::merge_edit(&record.fields, &values(changes));
    taizhang::domain::validate::validate_record(record.kind, &merged).unwrap()
}

#[test]
fn forms_empty_and_with_validation_errors() {
    for (lang, tag) in LANGS {
        let fx = Fixture::new();
        let mut app = fx.app(lang);
        press(&mut app, KeyCode::Char('2'));
        press(&mut app, KeyCode::Char('n'));
        snap("form_new_high_tech", tag, &app);
        type_text(&mut app, "双鸭山鑫达石墨新材料科技有限公司");
        press(&mut app, KeyCode::Tab);
        type_text(&mut app, "91350100M00010");
        press(&mut app, KeyCode::Tab);
        press(&mut app, KeyCode::Tab);
        type_text(&mut app, "2021年2月30日");
        ctrl(&mut app, 's');
        snap("form_errors", tag, &app);
    }
}

#[test]
fn every_kind_has_a_form_that_fits() {
    for (lang, tag) in LANGS {
        let fx = Fixture::new();
        let mut app = fx.app(lang);
        for (i, kind) in RecordKind::ALL.into_iter().enumerate() {
            press(&mut app, KeyCode::Char(char::from(b'1' + i as u8)));
            press(&mut app, KeyCode::Char('n'));
            snap(&format!("form_{}", kind.key()), tag, &app);
            press(&mut app, KeyCode::Esc);
        }
    }
}

#[test]
fn form_questions() {
    for (lang, tag) in LANGS {
        let fx = Fixture::new();
        let mut ledger = fx.create_ledger();
        add(&mut ledger, RecordKind::HighTech, XINDA, ACTOR);
        drop(ledger);
        let mut app = fx.app(lang);
        press(&mut app, KeyCode::Char('2'));
        press(&mut app, KeyCode::Char('n'));
        fill_high_tech(
            &mut app,
            "双鸭山鑫达石墨新材料科技有限公司",
            "91230521MA1B2C3D8Q",
        );
        ctrl(&mut app, 's');
        snap("form_override_reason", tag, &app);
        type_text(&mut app, "早期试点代码，已核对执照");
        press(&mut app, KeyCode::Enter);
        snap("form_duplicate", tag, &app);
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Esc);
        snap("form_confirm_cancel", tag, &app);
    }
}

/// Fills a high-tech form from its first field: name, credit code, certificate, date, and
/// the first option of both choices.
pub fn fill_high_tech(app: &mut App, name: &str, code: &str) {
    type_text(app, name);
    press(app, KeyCode::Tab);
    type_text(app, code);
    press(app, KeyCode::Tab);
    type_text(app, "GR202123000123");
    press(app, KeyCode::Tab);
    type_text(app, "2021/3/15");
    press(app, KeyCode::Tab);
    press(app, KeyCode::Char('1'));
    press(app, KeyCode::Tab);
    press(app, KeyCode::Char('1'));
}

#[test]
fn conflict_shows_both_versions() {
    for (lang, tag) in LANGS {
        let fx = Fixture::new();
        let mut ledger = fx.create_ledger();
        let record = add(&mut ledger, RecordKind::HighTech, XINDA, ACTOR);
        drop(ledger);
        let mut app = fx.app(lang);
        press(&mut app, KeyCode::Char('2'));
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Char('e'));
        press(&mut app, KeyCode::End);
        type_text(&mut app, "（一期）");
        let mut other = fx.other_session();
        let theirs = validate_with(&record, &[("size", "below")]);
        other.update(record.id, Some(1), &theirs, "wang").unwrap();
        ctrl(&mut app, 's');
        snap("form_conflict", tag, &app);
    }
}

#[test]
fn help_draft_offer_kind_picker_and_small_window() {
    for (lang, tag) in LANGS {
        let fx = Fixture::new();
        let mut app = fx.app(lang);
        press(&mut app, KeyCode::Char('?'));
        snap("help", tag, &app);
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Char('n'));
        snap("pick_kind", tag, &app);
        press(&mut app, KeyCode::Char('2'));
        type_text(&mut app, "鑫达");
        assert!(app_writes_draft(&mut app));
        drop(app);
        let app = fx.app(lang);
        snap("draft_offer", tag, &app);
        let small = terminal(&app, 60, 20);
        insta::assert_snapshot!(
            format!("too_small_{tag}"),
            mask(&small.backend().to_string())
        );
    }
}

fn app_writes_draft(app: &mut App) -> bool {
    app.tick(std::time::Instant::now());
    app.form().is_some()
}

#[test]
fn the_selected_row_is_reversed_and_errors_are_red() {
    let fx = Fixture::new();
    let mut ledger = fx.create_ledger();
    demo_records(&mut ledger, RecordKind::TechSme, 3);
    drop(ledger);
    let mut app = fx.app(Lang::Zh);
    press(&mut app, KeyCode::Char('1'));
    press(&mut app, KeyCode::Down);
    let term = terminal(&app, 80, 24);
    let buf = term.backend().buffer();
    // Row 5 is the first record (header, tabs, search, border, headings), row 6 the second.
    assert!(!buf[(5, 5)].modifier.contains(Modifier::REVERSED));
    assert!(buf[(5, 6)].modifier.contains(Modifier::REVERSED));

    press(&mut app, KeyCode::Char('n'));
    type_text(&mut app, "甲");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "123");
    press(&mut app, KeyCode::Tab);
    let term = terminal(&app, 80, 24);
    let buf = term.backend().buffer();
    let red = (0..80u16)
        .flat_map(|x| (0..24u16).map(move |y| (x, y)))
        .filter(|p| buf[*p].fg == Color::Red)
        .count();
    assert!(red > 0, "the credit code's error is drawn in red");
}

#[test]
fn no_color_leaves_only_bold_and_reverse() {
    let fx = Fixture::new();
    let mut config = fx.config(Lang::Zh);
    config.theme = Theme {
        color: false,
        ascii: false,
        basic: false,
    };
    let mut ledger = fx.create_ledger();
    add(&mut ledger, RecordKind::HighTech, XINDA, ACTOR);
    let mut app = App::new(config, Some(ledger));
    for key in [KeyCode::Char('2'), KeyCode::Char('n')] {
        press(&mut app, key);
    }
    type_text(&mut app, "甲");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "123");
    press(&mut app, KeyCode::Tab);
    for screen in [0, 1] {
        if screen == 1 {
            press_key(&mut app, KeyCode::Esc, KeyModifiers::NONE);
            press(&mut app, KeyCode::Char('y'));
            press(&mut app, KeyCode::Char('0'));
        }
        let term = terminal(&app, 80, 24);
        let buf = term.backend().buffer();
        for cell in buf.content() {
            assert_eq!(cell.fg, Color::Reset, "no foreground colour with NO_COLOR");
            assert_eq!(cell.bg, Color::Reset, "no background colour with NO_COLOR");
        }
    }
}

/// A high-tech firm whose certificate runs out next March, a tech SME it also is, an R&D
/// centre it hosts, and a firm registered last year only.
fn ledger_with_a_firms_path(fx: &Fixture) {
    let mut ledger = fx.create_ledger();
    add(&mut ledger, RecordKind::HighTech, XINDA, ACTOR);
    add(
        &mut ledger,
        RecordKind::TechSme,
        &[
            ("name", "双鸭山鑫达石墨新材料科技有限公司"),
            ("credit_code", "91230521MA1B2C3D8P"),
            ("reg_no", "2022230521A0000001"),
            ("registered_on", "2022-04-01"),
        ],
        ACTOR,
    );
    add(
        &mut ledger,
        RecordKind::RndInstitution,
        &[
            ("name", "集贤县石墨新材料工程技术研究中心"),
            ("host", "双鸭山鑫达石墨新材料科技有限公司"),
            ("host_credit_code", "91230521MA1B2C3D8P"),
            ("level", "city"),
            ("category", "工程技术研究中心"),
            ("recognized_on", "2022-09-01"),
        ],
        ACTOR,
    );
}

#[test]
fn worklist_firm_page_and_chart() {
    for (lang, tag) in LANGS {
        let fx = Fixture::new();
        ledger_with_a_firms_path(&fx);
        let mut app = fx.app(lang);
        // The figures come first; the worklist at the next flush.
        app.flush();
        snap("dashboard_worklist", tag, &app);
        press(&mut app, KeyCode::Char('w'));
        snap("worklist", tag, &app);
        press(&mut app, KeyCode::Enter);
        snap("firm", tag, &app);
        // Enter opens the selected record.
        press(&mut app, KeyCode::Enter);
        assert!(screen(&app).contains("GR202123000123"), "{}", screen(&app));
        for _ in 0..3 {
            press(&mut app, KeyCode::Esc);
        }
        press(&mut app, KeyCode::Char('g'));
        snap("trend_tech_sme", tag, &app);
        press(&mut app, KeyCode::Right);
        snap("trend_high_tech", tag, &app);
        press(&mut app, KeyCode::Left);
        assert!(screen(&app).contains(if lang == Lang::Zh {
            "入库科企"
        } else {
            "Tech SME"
        }));
    }
}

#[test]
fn the_chart_reads_in_ascii_and_without_colour() {
    let fx = Fixture::new();
    ledger_with_a_firms_path(&fx);
    let mut config = fx.config(Lang::Zh);
    config.theme = Theme {
        color: false,
        ascii: true,
        basic: false,
    };
    let mut app = App::new(config, Some(fx.other_session()));
    press(&mut app, KeyCode::Char('g'));
    press(&mut app, KeyCode::Right);
    let text = screen(&app);
    // Letters and Chinese only: no box drawing, blocks, dots or arrows (all below U+2E80).
    assert!(
        text.chars().all(|c| c.is_ascii() || c > '\u{2E80}'),
        "{text}"
    );
    insta::assert_snapshot!("trend_ascii_zh", text);
}

#[test]
fn a_record_without_a_credit_code_has_no_firm_page_and_says_so() {
    let fx = Fixture::new();
    let mut ledger = fx.create_ledger();
    add(
        &mut ledger,
        RecordKind::Alliance,
        &[
            ("name", "双鸭山市石墨产业技术创新战略联盟"),
            ("lead", "双鸭山鑫达石墨新材料科技有限公司"),
            ("level", "city"),
            ("established_on", "2022-05-01"),
        ],
        ACTOR,
    );
    drop(ledger);
    let mut app = fx.app(Lang::Zh);
    press(&mut app, KeyCode::Char('5'));
    press(&mut app, KeyCode::Enter);
    assert!(
        screen(&app).contains("产业技术创新战略联盟"),
        "{}",
        screen(&app)
    );
    press(&mut app, KeyCode::Char('f'));
    assert!(
        screen(&app).contains("没有统一社会信用代码"),
        "{}",
        screen(&app)
    );
}
