//! The city office's workbook: the Annex 2 table laid out like the seed's, the ranking
//! notice, the claims list, freshness and the awards statement, with native charts.

use std::path::Path;

use jiff::civil::Date;

use super::SheetError;
use crate::i18n::Lang;
use crate::plan::Plan;
use crate::store::Ledger;

/// Writes the city workbook on `as_of` from the city ledger to `path`.
pub fn write_city_report(
    ledger: &Ledger,
    plan: &Plan,
    as_of: Date,
    lang: Lang,
    path: &Path,
) -> Result<(), SheetError> {
    let _ = (ledger, plan, as_of, lang, path);
    Err(SheetError::Build {
        reason: "the city workbook is not written yet".to_string(),
    })
}
