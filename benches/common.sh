# Sourced by the benchmark scripts: the release build, the work folder, GNU
# time, and the two helpers they time with.
#   root     the repository;   work   $BENCH_DIR (default /tmp/radlint-bench)
#   radlint  the release binary, built here
#   median   the median of numbers on standard input, one a line
#   wall CMD...  runs CMD (its output dropped) and prints "SECONDS PEAK_KB"
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=${BENCH_DIR:-/tmp/radlint-bench}
mkdir -p "$work"
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
radlint=$root/target/release/radlint
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time; }

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
wall() { /usr/bin/time -f "%e %M" "$@" > /dev/null 2> "$work/time.txt" || true; tail -1 "$work/time.txt"; }
