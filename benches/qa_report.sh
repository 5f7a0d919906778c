#!/usr/bin/env bash
# The QA report's cost: the same sweep written as JSON lines and as the HTML
# page, in one run.
#
#   benches/qa_report.sh [REPORTS...]        default: 50000
#
# For each archive size: generates the archive with benches/gen_archive.py
# (once; kept in $BENCH_DIR), warms the page cache, then times
#   radlint check --format jsonl --no-progress TREE -o OUT.jsonl
#   radlint check --format html  --no-progress TREE -o OUT.html
# three times each, alternating, and prints the median wall times, their
# ratio, each one's peak resident memory and the page's size (with the CSV
# of reports with problems written beside it when the page's tables fill).
sizes=("${@:-50000}")
source "$(dirname "$0")/common.sh"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; radlint $("$radlint" --version | cut -d' ' -f2)"


for n in "${sizes[@]}"; do
  tree=$work/corpus-$n
  [ -d "$tree" ] || python3 "$root/benches/gen_archive.py" "$tree" --reports "$n" > /dev/null
  cat "$(find "$tree" -type f | head -1)" > /dev/null
  "$radlint" check --format jsonl --no-progress "$tree" -o "$work/out.jsonl" || true   # warm the cache
  : > "$work/j.txt"; : > "$work/h.txt"; : > "$work/jm.txt"; : > "$work/hm.txt"
  for _ in 1 2 3; do
    read -r t m < <(wall "$radlint" check --format jsonl --no-progress "$tree" -o "$work/out.jsonl")
    echo "$t" >> "$work/j.txt"; echo "$m" >> "$work/jm.txt"
    read -r t m < <(wall "$radlint" check --format html --no-progress "$tree" -o "$work/out.html")
    echo "$t" >> "$work/h.txt"; echo "$m" >> "$work/hm.txt"
  done
  j=$(median < "$work/j.txt"); h=$(median < "$work/h.txt")
  printf '%s reports: jsonl %ss (peak %s MB, %s MB written), html %ss (peak %s MB): %sx; page %s KB' \
    "$n" "$j" "$(( $(median < "$work/jm.txt") / 1024 ))" "$(( $(stat -c %s "$work/out.jsonl") / 1048576 ))" \
    "$h" "$(( $(median < "$work/hm.txt") / 1024 ))" \
    "$(awk -v a="$h" -v b="$j" 'BEGIN {printf "%.2f", a / b}')" "$(( $(stat -c %s "$work/out.html") / 1024 ))"
  if [ -f "$work/out.problems.csv" ]; then
    printf ', problems CSV %s MB (%s rows)' "$(( $(stat -c %s "$work/out.problems.csv") / 1048576 ))" \
      "$(( $(wc -l < "$work/out.problems.csv") - 1 ))"
    rm -f "$work/out.problems.csv"
  fi
  echo
done
