//! Why a spreadsheet could not be written or read, or a sheet not imported.

use std::path::PathBuf;

use thiserror::Error;

use crate::domain::sheet_rows::ColumnsProblem;
use crate::store::StoreError;

#[derive(Debug, Error)]
pub enum SheetError {
    /// The spreadsheet library refused the workbook (too many rows, a bad range…).
    #[error("cannot build the workbook: {reason}")]
    Build { reason: String },
    /// The file could not be written (folder missing, read-only, disk full).
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A sheet was not imported: nothing was written.
    #[error(transparent)]
    Refused(#[from] SheetRefusal),
    /// The new rows went in, but the file of rejected rows could not be written.
    #[error("{inserted} records imported, but the rejected rows were not written: {source}")]
    RejectedUnwritten {
        inserted: usize,
        #[source]
        source: Box<SheetError>,
    },
}

/// Why a unit's sheet is not imported at all (nothing is written).
#[derive(Debug, Error)]
pub enum SheetRefusal {
    /// The file cannot be opened or is not what its name says.
    #[error("cannot read {path}: {reason}")]
    Unreadable {
        path: PathBuf,
        reason: String,
        /// There is no such file.
        missing: bool,
    },
    /// Not a format the import reads (xlsx, xls, ods, csv).
    #[error("{path} is not an xlsx, xls, ods or csv file")]
    UnknownFormat { path: PathBuf },
    /// `--sheet` names no sheet of the workbook (or the workbook has none).
    #[error("{path} has no sheet {name:?}")]
    NoSuchSheet {
        path: PathBuf,
        name: String,
        sheets: Vec<String>,
    },
    /// The header row or the columns could not be worked out.
    #[error("columns: {0:?}")]
    Columns(ColumnsProblem),
    /// Records are kept by the units; the city ledger takes them from their bundles.
    #[error("the city ledger does not take records from sheets")]
    CityLedger,
}

impl From<rust_xlsxwriter::XlsxError> for SheetError {
    fn from(e: rust_xlsxwriter::XlsxError) -> SheetError {
        SheetError::Build {
            reason: e.to_string(),
        }
    }
}
