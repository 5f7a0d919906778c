#!/usr/bin/env bash
# Exports against files: the same generated reports swept as a folder of
# files, as a FHIR Bulk Data NDJSON export and as an HL7 v2 batch file, in
# one run.
#
#   benches/exports.sh [REPORTS...]        default: 50000
#
# For each size: generates the archive and both exports with
# benches/gen_archive.py (once; kept in $BENCH_DIR), warms the page cache,
# then times
#   radlint check --format jsonl --no-progress TREE
#   radlint check --format jsonl --no-progress --input fhir EXPORT.ndjson
#   radlint check --format jsonl --no-progress --input hl7 EXPORT.hl7
# three times each, alternating, and prints the medians, each export's ratio
# to the files' time, and peak memory. (The HL7 file holds the plain-text
# reports only, about nine in ten: markdown is not sent over HL7.)
sizes=("${@:-50000}")
source "$(dirname "$0")/common.sh"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; radlint $("$radlint" --version | cut -d' ' -f2)"


for n in "${sizes[@]}"; do
  base=$work/exports-$n
  if [ ! -f "$base.hl7" ]; then
    rm -rf "$base"
    python3 "$root/benches/gen_archive.py" "$base" --reports "$n" --fhir "$base.ndjson" --hl7 "$base.hl7" > /dev/null
  fi
  cat "$base.ndjson" "$base.hl7" > /dev/null
  "$radlint" check --format jsonl --no-progress "$base" > /dev/null || true
  : > "$work/f.txt"; : > "$work/x.txt"; : > "$work/h.txt"; : > "$work/mem.txt"
  for _ in 1 2 3; do
    read -r t m < <(wall "$radlint" check --format jsonl --no-progress "$base")
    echo "$t" >> "$work/f.txt"; echo "files $m" >> "$work/mem.txt"
    read -r t m < <(wall "$radlint" check --format jsonl --no-progress --input fhir "$base.ndjson")
    echo "$t" >> "$work/x.txt"; echo "fhir $m" >> "$work/mem.txt"
    read -r t m < <(wall "$radlint" check --format jsonl --no-progress --input hl7 "$base.hl7")
    echo "$t" >> "$work/h.txt"; echo "hl7 $m" >> "$work/mem.txt"
  done
  f=$(median < "$work/f.txt"); x=$(median < "$work/x.txt"); h=$(median < "$work/h.txt")
  peak() { grep "^$1 " "$work/mem.txt" | cut -d' ' -f2 | sort -n | tail -1; }
  echo "$n reports: files ${f}s (peak $(( $(peak files) / 1024 )) MB);" \
    "FHIR NDJSON $(( $(stat -c %s "$base.ndjson") / 1048576 )) MB ${x}s ($(awk -v a="$x" -v b="$f" 'BEGIN {printf "%.2f", a / b}')x, peak $(( $(peak fhir) / 1024 )) MB);" \
    "HL7 $(( $(stat -c %s "$base.hl7") / 1048576 )) MB ${h}s ($(awk -v a="$h" -v b="$f" 'BEGIN {printf "%.2f", a / b}')x, peak $(( $(peak hl7) / 1024 )) MB)"
done
