//! The city ledger's screen as the city office uses it: the Annex 2 table instead of the
//! unit dashboard, the ranking with its rule, firms claimed twice, freshness, the import log,
//! a unit's records read-only, and importing a folder of bundles (dry run, then `y`).
//! Every screen is snapshot at 80x24 in Chinese and in English.

mod tui_common;

use ratatui::crossterm::event::KeyCode;
use taizhang::i18n::Lang;
use taizhang::store::{Ledger, ListQuery};
use taizhang::tui::keys::Ctx;
use taizhang::tui::state::city::{AnnexColumns, CityPage};
use taizhang::tui::state::import::{ImportStage, ImportedResult};
use taizhang::tui::{App, Note, View};
use tui_common::city::City;
use tui_common::*;

const LANGS: [(Lang, &str); 2] = [(Lang::Zh, "zh"), (Lang::En, "en")];

fn snap(city: &City, name: &str, tag: &str, app: &App) {
    insta::assert_snapshot!(format!("{name}_{tag}"), city.fx.screen(app));
}

fn city_ledger(city: &City) -> Ledger {
    Ledger::open(&city.fx.db_path()).expect("city ledger")
}

fn stage(app: &App) -> Option<&ImportStage> {
    match app.top_view() {
        Some(View::Import(screen)) => Some(&screen.stage),
        _ => None,
    }
}

#[test]
fn the_city_ledger_opens_on_the_annex_2_table() {
    for (lang, tag) in LANGS {
        let city = City::build();
        let mut app = city.fx.app(lang);
        assert_eq!(app.context(), Ctx::City);
        let view = app.city().expect("the city view");
        let report = view.report.as_ref().expect("a report");
        assert_eq!(report.units.len(), 9, "all nine units, imported or not");
        snap(&city, "city_annex", tag, &app);
        press(&mut app, KeyCode::Char('p'));
        assert_eq!(app.city().unwrap().columns, AnnexColumns::Percent);
        snap(&city, "city_annex_percent", tag, &app);
        press(&mut app, KeyCode::Char('p'));
        snap(&city, "city_annex_expected", tag, &app);
        press(&mut app, KeyCode::Char('p'));
        assert_eq!(app.city().unwrap().columns, AnnexColumns::Achieved);
    }
}

#[test]
fn the_other_pages_rank_show_both_claims_freshness_and_the_log() {
    for (lang, tag) in LANGS {
        let city = City::build();
        let mut app = city.fx.app(lang);
        for (key, page, name) in [
            ('1', CityPage::Ranking, "city_ranking"),
            ('2', CityPage::Claims, "city_claims"),
            ('3', CityPage::Freshness, "city_freshness"),
            ('4', CityPage::Imports, "city_imports"),
        ] {
            press(&mut app, KeyCode::Char(key));
            assert_eq!(app.city().unwrap().page, page);
            snap(&city, name, tag, &app);
        }
        press(&mut app, KeyCode::Char('?'));
        snap(&city, "city_help", tag, &app);
    }
}

#[test]
fn the_targets_page_shows_each_city_wide_target_against_its_figure() {
    for (lang, tag) in LANGS {
        let city = City::build();
        let mut office = city.fx.other_session();
        office
            .set_city_figure("tech_transfer_institutions", 2023, 8.0, ACTOR)
            .unwrap();
        office
            .set_city_figure("gdp_yuan", 2023, 52_000_000_000.0, ACTOR)
            .unwrap();
        drop(office);
        let mut app = city.fx.app(lang);
        press(&mut app, KeyCode::Char('5'));
        assert_eq!(app.city().unwrap().page, CityPage::Targets);
        snap(&city, "city_targets", tag, &app);
        let screen = city.fx.screen(&app);
        let expect: &[&str] = match lang {
            Lang::Zh => &[
                "技术转移示范机构：目标 8（2023 年），实际 8，已达到",
                "rnd_spending_yuan",
            ],
            Lang::En => &["target 8 (2023), actual 8, met", "rnd_spending_yuan"],
        };
        for text in expect {
            assert!(screen.contains(text), "{text} missing:\n{screen}");
        }
    }
}

#[test]
fn the_claims_page_shows_both_units_claims_of_one_firm() {
    let city = City::build();
    let mut app = city.fx.app(Lang::Zh);
    press(&mut app, KeyCode::Char('2'));
    let screen = city.fx.screen(&app);
    assert!(screen.contains("91230521MA1B2C3D8P"), "{screen}");
    assert!(
        screen.contains("集贤县") && screen.contains("友谊县"),
        "{screen}"
    );
    // Enter opens the selected claim's record, read-only.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Ctx::CityDetail);
    assert_eq!(app.detail().unwrap().record.unit, "230522");
}

#[test]
fn freshness_flags_the_silent_unit_and_the_ones_never_heard_from() {
    let city = City::build();
    let app = city.fx.app(Lang::Zh);
    let report = app.city().unwrap().report.as_ref().unwrap();
    let silent: Vec<(&str, bool)> = report
        .freshness
        .iter()
        .map(|f| (f.unit.as_str(), f.silent))
        .collect();
    assert!(silent.contains(&("230521", false)), "exported 10 days ago");
    assert!(silent.contains(&("230522", true)), "exported in April");
    assert!(silent.contains(&("230523", true)), "never imported");
}

#[test]
fn the_date_of_the_table_can_be_changed_and_reset() {
    for (lang, tag) in LANGS {
        let city = City::build();
        let mut app = city.fx.app(lang);
        press(&mut app, KeyCode::Char('d'));
        assert_eq!(app.context(), Ctx::Prompt);
        ctrl(&mut app, 'u');
        type_text(&mut app, "2022年12月31日");
        snap(&city, "city_date_prompt", tag, &app);
        press(&mut app, KeyCode::Enter);
        let view = app.city().unwrap();
        assert_eq!(view.as_of.to_string(), "2022-12-31");
        assert_eq!(
            view.report.as_ref().unwrap().as_of.to_string(),
            "2022-12-31"
        );
        press(&mut app, KeyCode::Char('t'));
        assert_eq!(app.city().unwrap().as_of.to_string(), "2023-06-30");
    }
}

#[test]
fn a_units_records_open_read_only_and_editing_keys_only_explain() {
    for (lang, tag) in LANGS {
        let city = City::build();
        let before = city_ledger(&city).content_digest().unwrap();
        let mut app = city.fx.app(lang);
        // 集贤县 is the first unit of the table.
        press(&mut app, KeyCode::Enter);
        assert_eq!(app.context(), Ctx::UnitRecords);
        press(&mut app, KeyCode::Char('2'));
        let Some(View::UnitRecords(records)) = app.top_view() else {
            panic!("a unit's records");
        };
        assert_eq!(records.unit, "230521");
        let list = records.list();
        assert_eq!(list.total, 1, "only 集贤县's high-tech firm");
        assert!(list.page.iter().all(|r| r.unit == "230521"));
        snap(&city, "city_unit_records", tag, &app);

        press(&mut app, KeyCode::Char('n'));
        assert_eq!(app.note(), Some(&Note::ReadOnlyAtCity));
        assert!(app.form().is_none(), "no form opens at the city");

        press(&mut app, KeyCode::Enter);
        assert_eq!(app.context(), Ctx::CityDetail);
        for key in ['e', 'v', 'r'] {
            press(&mut app, KeyCode::Char(key));
            assert_eq!(app.note(), Some(&Note::ReadOnlyAtCity), "{key}");
            assert_eq!(app.context(), Ctx::CityDetail, "{key} asks nothing");
        }
        snap(&city, "city_detail", tag, &app);
        assert_eq!(city_ledger(&city).content_digest().unwrap(), before);

        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Char('q'));
        assert_eq!(app.context(), Ctx::City, "q goes back, it does not quit");
        assert!(!app.should_quit());
    }
}

#[test]
fn import_shows_the_dry_run_then_imports_on_y() {
    for (lang, tag) in LANGS {
        let city = City::build();
        let before = city_ledger(&city).content_digest().unwrap();
        let mut app = city.fx.app(lang);
        press(&mut app, KeyCode::Char('u'));
        assert_eq!(app.context(), Ctx::Prompt);
        ctrl(&mut app, 'u');
        type_text(&mut app, &city.waiting.display().to_string());
        snap(&city, "city_import_prompt", tag, &app);
        press(&mut app, KeyCode::Enter);

        assert_eq!(app.context(), Ctx::ImportReview);
        let Some(ImportStage::Review(files)) = stage(&app) else {
            panic!("a review");
        };
        let bundle = files[0].result.as_ref().expect("the bundle verifies");
        assert_eq!((bundle.unit.as_str(), bundle.sequence), ("230523", 1));
        assert_eq!(bundle.actions.len(), 3);
        assert_eq!(
            city_ledger(&city).content_digest().unwrap(),
            before,
            "the dry run writes nothing"
        );
        // The voided alliance was typed with a soft hyphen and a zero-width space, removed on
        // the way in; nothing raw reaches the terminal.
        let screen = city.fx.screen(&app);
        assert!(screen.contains("石墨[31m产业联盟"), "{screen}");
        assert!(
            !screen.contains(['\u{1b}', '\u{202E}']),
            "nothing raw reaches the terminal"
        );
        snap(&city, "city_import_review", tag, &app);

        // Enter does not import; only y does.
        press(&mut app, KeyCode::Enter);
        assert_eq!(app.context(), Ctx::ImportReview);
        press(&mut app, KeyCode::Char('y'));
        assert_eq!(app.context(), Ctx::ImportDone);
        assert_eq!(
            app.note(),
            Some(&Note::Imported {
                imported: 1,
                refused: 0
            })
        );
        snap(&city, "city_import_done", tag, &app);
        let held = city_ledger(&city)
            .list(&ListQuery {
                unit: Some("230523".into()),
                include_voided: true,
                ..ListQuery::default()
            })
            .unwrap()
            .records;
        assert_eq!(held.len(), 3);
        assert!(
            held.iter()
                .all(|r| !r.name().contains(['\u{1b}', '\u{202E}'])),
            "control characters never reach the city ledger either"
        );

        press(&mut app, KeyCode::Esc);
        assert_eq!(app.context(), Ctx::City);
        let view = app.city().unwrap();
        let fresh = view.report.as_ref().unwrap().freshness.iter();
        let baoqing = fresh.clone().find(|f| f.unit == "230523").unwrap();
        assert_eq!(baoqing.sequence, Some(1), "the city view is up to date");
        assert_eq!(view.imports.len(), 3, "two imported before, one now");
    }
}

#[test]
fn a_tampered_bundle_is_refused_in_plain_words_changes_no_record_and_is_noted() {
    for (lang, tag) in LANGS {
        let city = City::build();
        let file = city.tamper_waiting();
        let before = city_ledger(&city).records_digest().unwrap();
        let imports_before = city_ledger(&city).import_log().unwrap();

        let mut app = city.fx.app(lang);
        press(&mut app, KeyCode::Char('u'));
        ctrl(&mut app, 'u');
        type_text(&mut app, &city.waiting.display().to_string());
        press(&mut app, KeyCode::Enter);
        let Some(ImportStage::Review(files)) = stage(&app) else {
            panic!("a review");
        };
        assert!(files[0].result.is_err(), "the altered file does not verify");
        snap(&city, "city_import_refused", tag, &app);
        assert!(
            city_ledger(&city).refusals(None, 0).unwrap().is_empty(),
            "the review notes nothing"
        );
        press(&mut app, KeyCode::Char('y'));
        let Some(ImportStage::Done(done)) = stage(&app) else {
            panic!("done");
        };
        assert!(matches!(done[0].result, ImportedResult::Refused(_)));
        assert_eq!(city_ledger(&city).records_digest().unwrap(), before);
        assert_eq!(city_ledger(&city).import_log().unwrap(), imports_before);
        // Noted for the city's worklist, with the unit the file names.
        let noted = city_ledger(&city).refusals(None, 0).unwrap();
        assert_eq!(noted.len(), 1);
        let refusal = &noted[0].refusal;
        assert_eq!(
            Some(refusal.file_name.as_str()),
            file.file_name().unwrap().to_str()
        );
        assert_eq!(
            (refusal.unit.as_deref(), refusal.code.as_str()),
            (Some("230523"), "damaged")
        );

        // The city view lists it as still to be dealt with: a line on the Annex 2 page, and
        // the file and why on the import page.
        press(&mut app, KeyCode::Esc);
        assert_eq!(app.context(), Ctx::City);
        let text = city.fx.screen(&app);
        assert!(
            text.contains(if lang == Lang::Zh {
                "有 1 个同步包被拒收"
            } else {
                "1 bundles were refused"
            }),
            "{text}"
        );
        press(&mut app, KeyCode::Char('4'));
        let text = city.fx.screen(&app);
        // The file's name (its date is masked in the test's screen).
        assert!(text.contains("宝清") || text.contains("Baoqing"), "{text}");
        assert!(text.contains("taizhang-230523-000001-"), "{text}");
        assert!(
            text.contains(if lang == Lang::Zh {
                "文件已损坏或被改动"
            } else {
                "damaged or altered"
            }),
            "{text}"
        );
        snap(&city, "city_imports_refused", tag, &app);
        press(&mut app, KeyCode::Char('0'));

        // The folder is offered again for the corrected file, without writing it down.
        press(&mut app, KeyCode::Char('u'));
        let Some(ImportStage::Path(input)) = stage(&app) else {
            panic!("the path question");
        };
        assert_eq!(input.value(), city.waiting.display().to_string());
    }
}

#[test]
fn a_refusal_the_ledger_cannot_note_is_still_shown_with_a_warning() {
    let city = City::build();
    city.tamper_waiting();
    rusqlite::Connection::open(city.fx.db_path())
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER refusals_fail BEFORE INSERT ON refused_bundles
             BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;",
        )
        .unwrap();
    let mut app = city.fx.app(Lang::Zh);
    press(&mut app, KeyCode::Char('u'));
    ctrl(&mut app, 'u');
    type_text(&mut app, &city.waiting.display().to_string());
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('y'));
    let Some(ImportStage::Done(done)) = stage(&app) else {
        panic!("done");
    };
    assert!(matches!(done[0].result, ImportedResult::Refused(_)));
    let Some(
        note @ Note::RefusalsNotLogged {
            imported, refused, ..
        },
    ) = app.note()
    else {
        panic!("{:?}", app.note());
    };
    assert_eq!((*imported, *refused), (0, 1));
    assert!(note.is_problem());
    let said = taizhang::i18n::tui::note(Lang::Zh, note);
    assert!(
        said.contains("拒收 1 个") && said.contains("警告：拒收情况未能记入台账"),
        "{said}"
    );
}

#[test]
fn a_folder_without_bundles_keeps_the_question_open() {
    let city = City::build();
    let empty = city.fx.dir.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let mut app = city.fx.app(Lang::En);
    press(&mut app, KeyCode::Char('u'));
    ctrl(&mut app, 'u');
    type_text(&mut app, &empty.display().to_string());
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Ctx::Prompt);
    assert!(matches!(app.note(), Some(Note::Failed(_))));
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Ctx::City);
    assert_eq!(app.note(), Some(&Note::ImportCancelled));
}

#[test]
fn a_units_chart_at_the_city_counts_a_firm_claimed_twice_once_as_annex_2_does() {
    let city = City::build();
    let mut app = city.fx.app(Lang::Zh);
    let report = app.city().and_then(|c| c.report.clone()).expect("a report");
    // 集贤县 and 友谊县 both hold 鑫达's certificate; its credit code is 集贤县's.
    for (row, unit, credited) in [(0, "230521", 1), (1, "230522", 0)] {
        let annex = report.units[row]
            .indicators
            .iter()
            .find(|i| i.key == taizhang::domain::RecordKind::HighTech)
            .expect("the high-tech cell")
            .achieved;
        assert_eq!(report.units[row].unit, unit);
        assert_eq!(annex, credited, "{unit}");
        if row == 1 {
            press(&mut app, KeyCode::Down);
        }
        press(&mut app, KeyCode::Char('g'));
        press(&mut app, KeyCode::Right);
        let Some(View::Trend(chart)) = app.top_view() else {
            panic!("the chart: {}", city.fx.screen(&app));
        };
        let trend = chart.trend.as_ref().expect("the chart is read");
        let on_the_day = trend
            .points
            .iter()
            .find(|p| p.month_end == jiff::civil::date(2023, 6, 30))
            .expect("June 2023");
        assert_eq!(
            on_the_day.count, annex,
            "{unit}'s chart and its Annex 2 cell"
        );
        press(&mut app, KeyCode::Esc);
    }
}

#[test]
fn a_units_records_can_be_searched_and_turned_by_kind() {
    let city = City::build();
    let mut app = city.fx.app(Lang::Zh);
    // 友谊县 is the second unit of the table.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    let total = |app: &App| match app.top_view() {
        Some(View::UnitRecords(records)) => (records.list().kind.key(), records.list().total),
        _ => panic!("a unit's records"),
    };
    assert_eq!(total(&app), ("tech_sme", 0), "友谊县 holds no tech SMEs");
    press(&mut app, KeyCode::Tab);
    assert_eq!(total(&app), ("high_tech", 1));
    press(&mut app, KeyCode::Char('6'));
    assert_eq!(total(&app), ("achievement", 2));
    press(&mut app, KeyCode::Char('/'));
    assert_eq!(app.context(), Ctx::Search);
    type_text(&mut app, "无此成果");
    assert_eq!(total(&app), ("achievement", 0));
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Ctx::UnitRecords);
}

#[test]
fn the_city_pages_keep_to_ascii_and_no_colour_when_asked() {
    let city = City::build();
    let mut config = city.fx.config(Lang::En);
    config.theme = taizhang::tui::Theme {
        color: false,
        ascii: true,
        basic: false,
    };
    let mut app = App::new(config, Some(city_ledger(&city)));
    for key in ['0', '1', '2', '3', '4'] {
        press(&mut app, KeyCode::Char(key));
        let term = terminal(&app, 80, 24);
        let buf = term.backend().buffer();
        for cell in buf.content() {
            assert_eq!(cell.fg, ratatui::style::Color::Reset, "page {key}");
            assert!(
                !matches!(
                    cell.symbol(),
                    "│" | "─" | "┌" | "█" | "░" | "·" | "→" | "“" | "”" | "…"
                ),
                "page {key}: {}",
                cell.symbol()
            );
        }
    }
}

/// A city ledger filled before the text policy may hold names with characters a terminal
/// hides or breaks lines at: the unit's record list and the record show them visibly.
#[test]
fn hidden_characters_in_a_units_records_are_shown_visibly_at_the_city() {
    let city = City::build();
    let name = "双鸭山\u{2028}鑫达\u{E000}石墨\u{E0041}\u{2029}\u{FFFF}科技";
    let conn = rusqlite::Connection::open(city.fx.db_path()).expect("open city file");
    let changed = conn
        .execute(
            "UPDATE records SET name = ?1, fields_json = json_set(fields_json, '$.name', ?1)
             WHERE unit = '230521' AND name = ?2",
            rusqlite::params![name, XINDA[0].1],
        )
        .expect("update");
    assert_eq!(changed, 1);
    drop(conn);
    let mut app = city.fx.app(Lang::Zh);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('2'));
    let list = city.fx.screen(&app);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Ctx::CityDetail);
    let detail = city.fx.screen(&app);
    for screen in [&list, &detail] {
        for c in ['\u{2028}', '\u{2029}', '\u{E000}', '\u{E0041}', '\u{FFFF}'] {
            assert!(!screen.contains(c), "U+{:04X} raw:\n{screen}", c as u32);
        }
        assert!(screen.contains("双鸭山<U+2028>鑫达"), "{screen}");
    }
    assert!(
        detail.contains("双鸭山<U+2028>鑫达<U+E000>石墨<U+E0041><U+2029><U+FFFF>"),
        "{detail}"
    );
}

#[test]
fn a_new_ledgers_first_bundle_shows_what_it_retires_and_a_jump_names_the_flag() {
    use taizhang::bundle::format::{BundleInfo, encode_bundle};
    use taizhang::bundle::{export, keys};
    use taizhang::domain::RecordKind;

    for (lang, words) in [
        (Lang::Zh, "将作废市科技局持有的该单位旧台账记录4条"),
        (Lang::En, "wouldvoid4records"),
    ] {
        let city = City::build();
        // Unit 230521 lost its ledger: a new one, one record re-entered, its key enrolled.
        let stick = city.fx.dir.path().join("new-ledger");
        std::fs::create_dir_all(&stick).unwrap();
        let plan_id = city_ledger(&city).info().unwrap().plan_id;
        let new_path = city.fx.dir.path().join("unit-230521-new.sqlite");
        let mut unit = keys::create_unit_ledger(&new_path, "230521", &plan_id).unwrap();
        add(&mut unit, RecordKind::HighTech, XINDA, ACTOR);
        let new_key = keys::ledger_public_key(&unit).unwrap();
        city_ledger(&city)
            .pin_unit_key("230521", &new_key, true, ACTOR)
            .unwrap();
        export::export(
            &mut unit,
            &stick,
            tui_common::city::at("2023-07-01T00:00:00Z"),
        )
        .unwrap();

        let mut app = city.fx.app(lang);
        press(&mut app, KeyCode::Char('u'));
        ctrl(&mut app, 'u');
        type_text(&mut app, &stick.display().to_string());
        press(&mut app, KeyCode::Enter);
        let Some(ImportStage::Review(files)) = stage(&app) else {
            panic!("a review");
        };
        let bundle = files[0]
            .result
            .as_ref()
            .expect("the new ledger's bundle 1 verifies");
        assert_eq!((bundle.sequence, bundle.retiring), (1, 4));
        // The review's lines joined without borders and spaces, however they wrapped.
        let screen = city.fx.screen(&app);
        let joined: String = screen
            .lines()
            .map(|l| l.split('"').nth(1).unwrap_or("").trim_matches('│').trim())
            .collect::<String>()
            .split_whitespace()
            .collect();
        assert!(joined.contains(words), "{screen}");
        press(&mut app, KeyCode::Char('y'));
        let Some(ImportStage::Done(done)) = stage(&app) else {
            panic!("done");
        };
        let ImportedResult::Imported(report) = &done[0].result else {
            panic!("imported: {:?}", done[0].result);
        };
        assert_eq!(report.retired, 4);
        press(&mut app, KeyCode::Esc);

        // The new key's next bundle numbered 1,002: the screen names the command-line flag.
        let seed = unit.signing_key().unwrap().unwrap();
        let records = export::snapshot(&unit).unwrap();
        let info = BundleInfo {
            unit: "230521".into(),
            sequence: 1_002,
            created_at: tui_common::city::at("2023-07-02T00:00:00Z"),
            plan_id: plan_id.clone(),
        };
        let far = city.fx.dir.path().join("far");
        std::fs::create_dir_all(&far).unwrap();
        std::fs::write(
            far.join("taizhang-230521-001002-20230702.tzb"),
            encode_bundle(&seed, &info, &records).unwrap(),
        )
        .unwrap();
        press(&mut app, KeyCode::Char('u'));
        ctrl(&mut app, 'u');
        type_text(&mut app, &far.display().to_string());
        press(&mut app, KeyCode::Enter);
        let Some(ImportStage::Review(files)) = stage(&app) else {
            panic!("a review");
        };
        let refusal = files[0].result.as_ref().expect_err("a jump is refused");
        assert!(refusal.get(lang).contains("--confirm-jump"), "{refusal:?}");
    }
}

#[test]
fn the_import_review_puts_the_totals_first_names_changed_fields_and_folds_the_rest() {
    let city = City::build();
    // 集贤县 corrects its high-tech firm's size and exports again.
    let mut unit = city.unit(0);
    let firm = all_of(&unit)
        .into_iter()
        .find(|r| r.kind == taizhang::domain::RecordKind::HighTech)
        .expect("the high-tech firm");
    let mut fields = firm.fields.clone();
    fields.insert("size".into(), "below".into());
    let valid = taizhang::domain::validate::validate_record(firm.kind, &fields).unwrap();
    unit.update(firm.id, None, &valid, ACTOR).unwrap();
    let second = city.fx.dir.path().join("second");
    std::fs::create_dir_all(&second).unwrap();
    taizhang::bundle::export::export(
        &mut unit,
        &second,
        tui_common::city::at("2023-06-26T02:00:00Z"),
    )
    .unwrap();
    drop(unit);

    let mut app = city.fx.app(Lang::Zh);
    press(&mut app, KeyCode::Char('u'));
    answer(&mut app, &second);
    assert_eq!(app.context(), Ctx::ImportReview);
    let Some(ImportStage::Review(files)) = stage(&app) else {
        panic!("a review");
    };
    let bundle = files[0].result.as_ref().expect("the bundle verifies");
    assert_eq!(bundle.actions.len(), 1, "only the change is listed");
    assert_eq!(bundle.actions[0].changed_fields, vec!["size".to_string()]);
    let screen = city.fx.screen(&app);
    let total = screen.find("合计：").expect("the totals");
    let change = screen.find("改动：企业规模").expect("the field changed");
    let folded = screen
        .find("另有 3 条记录与市科技局所存相同")
        .expect("unchanged folded");
    assert!(total < change && change < folded, "{screen}");
}

fn all_of(ledger: &Ledger) -> Vec<taizhang::domain::Record> {
    ledger
        .list(&ListQuery {
            kind: None,
            unit: None,
            search: None,
            include_voided: true,
            limit: 100,
            after: None,
        })
        .unwrap()
        .records
}
