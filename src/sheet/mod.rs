//! Spreadsheets in and out: the printable xlsx reports a unit and the city hand up, and the
//! sheets (xlsx, xls, ods, CSV in UTF-8 or GBK) units already keep their firms in.
//!
//! This module owns the file formats only: it reads the ledger through `store::Ledger`'s
//! methods and never writes SQL; the rules for turning a sheet's cells into field values
//! live in `domain`.

pub mod book;
pub mod city_report;
mod error;
pub mod import;
pub mod read;
mod rejected;
pub mod unit_report;

pub use error::{SheetError, SheetRefusal};
