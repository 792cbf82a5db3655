//! Why a spreadsheet could not be written or read.

use std::path::PathBuf;

use thiserror::Error;

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
}

impl From<rust_xlsxwriter::XlsxError> for SheetError {
    fn from(e: rust_xlsxwriter::XlsxError) -> SheetError {
        SheetError::Build {
            reason: e.to_string(),
        }
    }
}
