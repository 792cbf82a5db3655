#!/usr/bin/env bash
# Print check: the workbooks `taizhang report` writes for a unit and for the city, turned into
# PDF by LibreOffice Calc headless (as an office would print them), with the page count,
# paper size and the first pages as PNG to look at. LibreOffice refusing or repairing a file
# fails the conversion, and so this script. Needs LibreOffice Calc and poppler
# (apt-get install libreoffice-calc-nogui poppler-utils fonts-noto-cjk). Results: docs/spreadsheets.md.
#   bench/print.sh             # a city demonstration with the demo's default sizes
#   OUT=/tmp/print bench/print.sh
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-/tmp/taizhang-print}
for tool in soffice pdfinfo pdftoppm; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install libreoffice-calc-nogui poppler-utils)" >&2; exit 1; }
done

cargo build --release --quiet
BIN=${CARGO_TARGET_DIR:-$PWD/target}/release/taizhang
rm -rf "$OUT"
mkdir -p "$OUT/xlsx" "$OUT/pdf"
"$BIN" demo --city "$OUT/demo" >/dev/null
"$BIN" --db "$OUT/demo/units/230502.sqlite" report --out "$OUT/xlsx"
"$BIN" --db "$OUT/demo/city.sqlite" report --out "$OUT/xlsx"

for book in "$OUT"/xlsx/*.xlsx; do
  soffice -env:UserInstallation="file://$OUT/lo-profile" --headless --convert-to pdf \
    --outdir "$OUT/pdf" "$book" >/dev/null 2>&1
  pdf="$OUT/pdf/$(basename "${book%.xlsx}").pdf"
  [ -s "$pdf" ] || { echo "LibreOffice could not print $book" >&2; exit 1; }
  pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
  size=$(pdfinfo "$pdf" | sed -n 's/^Page size: *//p')
  echo "$(basename "$book"): $pages pages, $size"
  pdftoppm -png -r 60 -f 1 -l 4 "$pdf" "${pdf%.pdf}-page"
done
echo "pages to look at: $OUT/pdf/*-page-*.png"
