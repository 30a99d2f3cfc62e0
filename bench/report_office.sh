#!/usr/bin/env bash
# LibreOffice reads back what `bangtin report` writes, as the culture department's office would
# (issue 13, items 2 and 6). Not part of ctest: it needs LibreOffice Calc and a minute or two.
#
#   bench/report_office.sh [--data DIR] [--period P] [--bangtin PATH] [--keep]
#
# Checks, each printed PASS/FAIL:
#   1. the XLSX holds its sheets and a chart per channel (xl/charts/chart*.xml, read with
#      python3's zipfile), and LibreOffice converts every sheet;
#   2. in a LibreOffice profile set to Vietnamese (vi-VN), the sheets "as shown" carry the
#      report's title, Vietnamese text, counts as 44.640, decimals as 6.624,0, shares as 12,5%
#      and dates as dd/mm/yyyy — the number formats are locale-free codes; the locale picks the
#      marks;
#   3. the default CSV (';', UTF-8 with BOM, decimal commas) imported as UTF-8 with ';' gives
#      the airing list with every field where it belongs: its text columns equal, cell by
#      cell, the XLSX's airing sheet, and its durations the same numbers;
#   4. the same CSV imported with a Western charset (Windows-1252) turns to mojibake: the
#      import must be told (or, in Excel, detect from the BOM) UTF-8 — what was tested against.
#
# Data: DIR holds bangtin.db; default the benchmark's five years
# (/dev/shm/bangtin-bench-report, made by bench/bench_report.sh). The program: --bangtin, else
# $BANGTIN, else build-bench/bin/bangtin, else build/bin/bangtin. Exit 0 when every check
# passes, 1 when one fails, 2 when it could not run.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=/dev/shm/bangtin-bench-report
PERIOD=2025-Q4
BIN=${BANGTIN:-}
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --data) DATA=$2; shift 2 ;;
    --period) PERIOD=$2; shift 2 ;;
    --bangtin) BIN=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) echo "usage: $0 [--data DIR] [--period P] [--bangtin PATH] [--keep]" >&2; exit 2 ;;
  esac
done
. bench/lib.sh
BIN=$(bench_find_bangtin "$BIN" "$0") || exit 2
command -v soffice >/dev/null || { echo "soffice missing: apt-get install libreoffice-calc-nogui" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 missing" >&2; exit 2; }
[ -f "$DATA/bangtin.db" ] || { echo "no $DATA/bangtin.db (run bench/bench_report.sh first, or --data DIR)" >&2; exit 2; }

WORK=$(mktemp -d)
[ "$KEEP" = 1 ] && echo "work folder: $WORK" || trap 'rm -rf "$WORK"' EXIT
# A LibreOffice profile of our own, its locale Vietnamese (the department's machines).
mkdir -p "$WORK/profile-vi/user"
cat > "$WORK/profile-vi/user/registrymodifications.xcu" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>vi-VN</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>vi-VN</value></prop></item>
</oor:items>
EOF
# office PROFILE OUTDIR FILTER FILE [INFILTER]: --outdir must follow --convert-to directly.
office() {
  local profile=$1 out=$2 filter=$3 file=$4 infilter=()
  [ -n "${5:-}" ] && infilter=("--infilter=$5")
  HOME=$WORK timeout 300 soffice --headless --norestore \
    "-env:UserInstallation=file://$WORK/$profile" "${infilter[@]}" \
    --convert-to "$filter" --outdir "$out" "$file" >/dev/null 2>&1
}
# Sheets to CSV: ',' separator, UTF-8 (76), every sheet (-1); token 9 = cells "as shown".
AS_SHOWN='csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1'
RAW='csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1'

"$BIN" --data "$DATA" report --period "$PERIOD" --format xlsx -o "$WORK/bao-cao.xlsx" >/dev/null
"$BIN" --data "$DATA" report --period "$PERIOD" --format csv -o "$WORK/bao-cao.csv" >/dev/null
office profile-vi "$WORK/vi" "$AS_SHOWN" "$WORK/bao-cao.xlsx"
office profile-vi "$WORK/raw" "$RAW" "$WORK/bao-cao.xlsx"
office profile-vi "$WORK/csv-utf8" "$RAW" "$WORK/bao-cao.csv" "CSV:59,34,76,1"
office profile-vi "$WORK/csv-1252" "$RAW" "$WORK/bao-cao.csv" "CSV:59,34,1,1"

WORK=$WORK PERIOD=$PERIOD BIN=$BIN python3 - <<'EOF'
import csv, os, re, sys, zipfile
work = os.environ["WORK"]
failed = 0
def check(ok, what, detail=""):
    global failed
    print(("PASS  " if ok else "FAIL  ") + what + (f"  ({detail})" if detail else ""))
    failed += 0 if ok else 1
def rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))
sheets = ["Tổng hợp", "Chi tiết phát thanh", "Bỏ lỡ - bị ngắt", "Màn hình"]

z = zipfile.ZipFile(f"{work}/bao-cao.xlsx")
names = z.namelist()
charts = sorted(n for n in names if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
check(len([n for n in names if n.startswith("xl/worksheets/sheet")]) == 4, "XLSX: four sheets")
check(len(charts) >= 1, "XLSX: a chart per channel", ", ".join(charts))
for c in charts:
    x = z.read(c).decode()
    m = re.search(r"<c:v>(Chỉ tiêu trên [^<]*)</c:v>", x) or re.search(r"<a:t>([^<]*)</a:t>", x)
    check("<c:barDir val=\"col\"/>" in x, f"{c}: a column chart", m.group(1) if m else "")

base = os.path.basename(f"{work}/bao-cao.xlsx")[:-5]
vi = {s: rows(f"{work}/vi/{base}-{s}.csv") for s in sheets if os.path.exists(f"{work}/vi/{base}-{s}.csv")}
check(len(vi) == 4, "LibreOffice converted every sheet", ", ".join(vi))
if len(vi) == 4:
    title = vi["Tổng hợp"][0][0]
    check(title.startswith("Báo cáo kết quả tuyên truyền CCHC — "), "title in Vietnamese", title)
    flat = [c for s in vi.values() for r in s for c in r]
    big = [c for c in flat if re.fullmatch(r"\d{1,3}(\.\d{3})+", c)]
    dec = [c for c in flat if re.fullmatch(r"\d{1,3}(\.\d{3})*,\d", c)]
    pct = [c for c in flat if re.fullmatch(r"\d+,\d ?%", c)]
    dates = [c for c in flat if re.fullmatch(r"\d\d/\d\d/\d{4}", c)]
    check(bool(big), "vi-VN: counts with '.' for thousands", ", ".join(big[:3]))
    check(bool(dec), "vi-VN: decimals with ','", ", ".join(dec[:3]))
    check(bool(pct), "vi-VN: shares as percent with ','", ", ".join(pct[:3]))
    check(bool(dates), "vi-VN: dates dd/mm/yyyy", ", ".join(dates[:2]))
    check(not any(re.fullmatch(r"\d+\.\d", c) for c in flat), "vi-VN: no decimal point left")
    check(any("phường" in c for c in flat), "Vietnamese text intact (phường)")

# The CSV, imported as UTF-8 with ';': its airing list against the XLSX's sheet (raw values).
def table(grid, title, upto_blank=True):
    for i, r in enumerate(grid):
        if r and r[0] == title:
            out = []
            for r2 in grid[i + 1:]:
                if not any(r2):
                    break
                out.append(r2)
            return out
    return []
import glob
def only(folder):
    found = glob.glob(f"{work}/{folder}/*.csv")
    return found[0] if found else f"{work}/{folder}/(none)"
csvg = rows(only("csv-utf8"))
rawx = rows(f"{work}/raw/{base}-Chi tiết phát thanh.csv")
a = table(csvg, "Danh sách lượt phát thanh")
b = table(rawx, "Danh sách lượt phát thanh")
check(len(a) > 1 and len(a) == len(b), "CSV (';', UTF-8): as many airing rows as the XLSX",
      f"{len(a) - 1} rows")
text_cols = [5, 6, 7, 8, 9, 10, 11, 12]
same = all(ra[k] == rb[k] for ra, rb in zip(a, b) for k in text_cols if k < len(ra) and k < len(rb))
check(same and all(len(r) >= 13 for r in a), "CSV (';', UTF-8): text fields equal the XLSX's, cell by cell")
def num(s):
    return float(s.replace(",", ".")) if s else None
durations = all(num(ra[4]) == num(rb[4]) for ra, rb in zip(a[1:], b[1:]))
check(durations, "CSV (';', UTF-8): durations are the same numbers")
bad = rows(only("csv-1252"))
check(any("Ã" in c for r in bad for c in r), "CSV read as Windows-1252: mojibake (the import must use UTF-8)")
print("verdict:", "all PASS" if failed == 0 else f"{failed} FAIL")
sys.exit(1 if failed else 0)
EOF
