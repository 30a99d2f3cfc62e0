#!/usr/bin/env bash
# Prints the báo cáo of a quarter and of a year over the five years of synthetic logs of
# bench/bench_report.sh, as the culture department would: the HTML through headless Chromium,
# the DOCX through LibreOffice Writer, both to PDF; prints each PDF's page count (a year must
# print in 12 pages or fewer) and renders every page to PNG to be looked at.
#
#   bench/report_pages.sh [--db PATH] [--out DIR]
#
# Needs: the database bench/bench_report.sh makes (run it once first; default in /dev/shm),
# chromium, libreoffice-writer-nogui, poppler-utils (pdfinfo, pdftoppm), fonts-liberation2.
# Exit 0 when both documents of the year fit in 12 pages, 1 when one does not, 2 when it could
# not run.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build-bench}
DB=/dev/shm/bangtin-bench-report/bangtin.db
OUT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --db) DB=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    *) echo "usage: $0 [--db PATH] [--out DIR]" >&2; exit 2 ;;
  esac
done
for tool in chromium soffice pdfinfo pdftoppm; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 2; }
done
[ -f "$DB" ] || { echo "no database at $DB: run bench/bench_report.sh first" >&2; exit 2; }
BIN=$BUILD/bin/bangtin
[ -x "$BIN" ] || { echo "no $BIN: run bench/bench_report.sh first" >&2; exit 2; }
OUT=${OUT:-$(mktemp -d -t bangtin-pages-XXXXXX)}
mkdir -p "$OUT"
DATA=$(dirname "$DB")
# LibreOffice wants a profile of its own; Chromium a home it may write.
export HOME="$OUT/home"
mkdir -p "$HOME"
MAX_YEAR_PAGES=12
failed=0
printf '%-8s %-5s %6s  %s\n' period fmt pages pdf
for period in 2025-Q4 2025; do
  for fmt in html docx; do
    file="$OUT/bao-cao-$period.$fmt"
    BANGTIN_CONFIG= "$BIN" --data "$DATA" report --period "$period" --format "$fmt" -o "$file" \
      >/dev/null
    pdf="$OUT/bao-cao-$period-$fmt.pdf"
    if [ "$fmt" = html ]; then
      timeout 120 chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
        --print-to-pdf="$pdf" "file://$file" >/dev/null 2>&1
    else
      timeout 180 soffice --headless --norestore --convert-to pdf --outdir "$OUT/docx-pdf" \
        "$file" >/dev/null 2>&1
      mv "$OUT/docx-pdf/bao-cao-$period.pdf" "$pdf"
    fi
    pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
    pdftoppm -r 60 -png "$pdf" "${pdf%.pdf}-page"
    printf '%-8s %-5s %6s  %s\n' "$period" "$fmt" "$pages" "$pdf"
    if [ "$period" = 2025 ] && [ "$pages" -gt "$MAX_YEAR_PAGES" ]; then failed=1; fi
  done
done
echo "PNG of every page: $OUT/*-page-*.png"
exit $failed
