//! taizhang (台账): the ledger of Shuangyashan's 2021-2023 science and technology plan,
//! kept by its nine county-level units and merged by the city office.

pub mod bundle;
pub mod cli;
pub mod clock;
pub mod demo;
pub mod display;
pub mod domain;
pub mod i18n;
mod leftovers;
pub mod outlook;
pub mod plan;
pub mod report;
pub mod sheet;
pub mod store;
pub mod tui;
