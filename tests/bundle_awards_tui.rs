//! The city's import review says how many award approvals and payments a bundle carries.

mod tui_common;

use std::str::FromStr;

use jiff::civil::Date;
use ratatui::crossterm::event::KeyCode;
use taizhang::bundle::export;
use taizhang::domain::RecordKind;
use taizhang::domain::awards::AwardAction;
use taizhang::i18n::Lang;
use taizhang::plan::Plan;
use taizhang::store::{AwardQuery, AwardRequest, Ledger};
use taizhang::tui::keys::Ctx;
use tui_common::city::{City, at};
use tui_common::*;

#[test]
fn the_import_review_counts_the_bundles_award_events() {
    for (lang, said) in [
        (Lang::Zh, "奖补批准和拨付记录 1 条"),
        (Lang::En, "1 award approvals and payments"),
    ] {
        let city = City::build();
        let fresh = city.fx.dir.path().join("fresh");
        std::fs::create_dir_all(&fresh).unwrap();
        let mut unit = Ledger::open(&city.unit_paths[2]).unwrap();
        let record = add(
            &mut unit,
            RecordKind::HighTech,
            &[
                ("name", "宝清县新材料高新技术有限公司"),
                ("credit_code", "91230523MA1B2C3D4E"),
                ("override_reason", "核对过营业执照"),
                ("cert_no", "GR202223000123"),
                ("certified_on", "2022-12-01"),
                ("recognition", "first"),
                ("size", "below"),
                ("tax_level", "county"),
            ],
            ACTOR,
        );
        let plan = Plan::embedded();
        let key = unit
            .award_lines(&plan, &AwardQuery::default())
            .unwrap()
            .into_iter()
            .find(|l| l.key.record == record.id)
            .unwrap()
            .key;
        let approve = AwardRequest {
            key,
            action: AwardAction::Approve,
            on: Date::from_str("2023-03-01").unwrap(),
            voucher: None,
        };
        unit.record_award(&plan, &approve, ACTOR).unwrap();
        export::export(&mut unit, &fresh, at("2023-06-26T02:00:00Z")).unwrap();

        let mut app = city.fx.app(lang);
        press(&mut app, KeyCode::Char('u'));
        ctrl(&mut app, 'u');
        type_text(&mut app, &fresh.display().to_string());
        press(&mut app, KeyCode::Enter);
        assert_eq!(app.context(), Ctx::ImportReview);
        let screen = city.fx.screen(&app);
        assert!(screen.contains(said), "{screen}");
    }
}
