#!/usr/bin/env bash
# Sweep throughput and memory, against ripgrep over the same tree, in one run.
#
#   benches/sweep.sh [REPORTS...]        default: 50000
#
# For each archive size: generates the archive with benches/gen_archive.py
# (once; kept in $BENCH_DIR), warms the page cache, then times
#   radlint check --format jsonl --no-progress TREE > /dev/null
#   rg -c -i -F -f PHRASES TREE > /dev/null      (PHRASES: the lexicon's literal phrases)
#   rg --count-matches -i -F -f PHRASES TREE > /dev/null
# three times each, alternating, and prints the median wall times, their ratio,
# and radlint's peak resident memory. `rg -c` (the issue's yardstick) stops at
# the first phrase of each line; `--count-matches` finds every match, as a
# linter must, and is printed beside it for scale. Then a one-report check
# against rg on one file, 50 runs each. Ratios within one run are what to compare: machines here
# are shared and noisy.
sizes=("${@:-50000}")
source "$(dirname "$0")/common.sh"
command -v rg >/dev/null || cargo install --quiet ripgrep

python3 - "$root/lexicon" > "$work/phrases.txt" <<'PY'
import glob, sys, tomllib
out = set()
for f in sorted(glob.glob(sys.argv[1] + "/*.toml")):
    d = tomllib.load(open(f, "rb"))
    for c in d.get("concept", {}).values():
        out.update(c.get("phrases", []))
    for t in d.get("trigger", []):
        out.update(t.get("phrases", []))
    for p in d.get("product", []):
        out.update(p.get("phrases", []))
    for b in d.get("bundle", []):
        out.update(b.get("titles", []))
print("\n".join(sorted(out)))
PY
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(rg --version | head -1); radlint $("$radlint" --version | cut -d' ' -f2)"
echo "phrases: $(wc -l < "$work/phrases.txt")"


for n in "${sizes[@]}"; do
  tree=$work/corpus-$n
  [ -d "$tree" ] || python3 "$root/benches/gen_archive.py" "$tree" --reports "$n" > /dev/null
  bytes=$(du -sbL "$tree" | cut -f1)
  rg -c -i -F -f "$work/phrases.txt" "$tree" > /dev/null || true   # warm the cache
  : > "$work/r.txt"; : > "$work/g.txt"; : > "$work/a.txt"; : > "$work/m.txt"
  for _ in 1 2 3; do
    read -r t m < <(wall "$radlint" check --format jsonl --no-progress "$tree")
    echo "$t" >> "$work/r.txt"; echo "$m" >> "$work/m.txt"
    read -r t _ < <(wall rg -c -i -F -f "$work/phrases.txt" "$tree")
    echo "$t" >> "$work/g.txt"
    read -r t _ < <(wall rg --count-matches -i -F -f "$work/phrases.txt" "$tree")
    echo "$t" >> "$work/a.txt"
  done
  r=$(median < "$work/r.txt"); g=$(median < "$work/g.txt"); a=$(median < "$work/a.txt")
  m=$(sort -n "$work/m.txt" | tail -1)
  awk -v n="$n" -v b="$bytes" -v r="$r" -v g="$g" -v a="$a" -v m="$m" 'BEGIN {
    printf "%d reports (%.0f MB): radlint %.2f s, rg -c %.2f s, ratio %.2fx; radlint peak RSS %.1f MB\n", n, b/1e6, r, g, r/g, m/1024
    printf "  for scale: rg --count-matches %.2f s, ratio %.2fx\n", a, r/a }'
done

one=$(find -L "$work/corpus-${sizes[0]}" -name '*.txt' -print -quit)
t0=$(date +%s.%N); for _ in $(seq 50); do "$radlint" check "$one" > /dev/null || true; done; t1=$(date +%s.%N)
for _ in $(seq 50); do rg -c -i -F -f "$work/phrases.txt" "$one" > /dev/null || true; done; t2=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN {
  printf "one report (start-up and lexicon compilation included): radlint %.1f ms, rg %.1f ms, ratio %.2fx\n", (b-a)*20, (c-b)*20, (b-a)/(c-b) }'
