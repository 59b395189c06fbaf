#!/bin/sh
# tests/slowest.sh [N]: after a run with TIMING=yes (make -f Makefile.mingw
# check TIMING=yes, or TIMING=yes bash tests/run.sh), the N slowest results
# (default 25) of all the parts, each with the seconds since the result
# before it in its part, and each part's total.
cd "$(dirname "$0")/.." || exit 1
found=no
for f in build/tests/timing.txt build/tests-*/timing.txt; do
    [ -f "$f" ] || continue
    found=yes
    awk -F'\t' -v f="$f" '{ t += $1 } END { printf "%s: %d results, %.0f s\n", f, NR, t }' "$f"
done
[ $found = yes ] || { echo "tests/slowest.sh: no timing.txt; run the suite with TIMING=yes first" >&2; exit 1; }
cat build/tests/timing.txt build/tests-*/timing.txt 2>/dev/null | sort -t "$(printf '\t')" -k1,1 -rn | head -n "${1:-25}"
