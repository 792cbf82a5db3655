//! What the screens show and edit, kept apart from drawing and from the terminal.

pub mod awards;
pub mod city;
pub mod dashboard;
pub mod detail;
pub mod form;
pub mod import;
pub mod list;
pub mod outlook;
pub mod pool;
pub mod sheet_import;
pub mod sync;
