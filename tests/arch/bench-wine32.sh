#!/usr/bin/env bash
# Does an installed wine32:i386 slow the x64 `make run`? Runs the warm x64
# `make -s -f Makefile.mingw run` N times each way, alternating: as
# installed, and in a private mount namespace where 32-bit Wine is hidden
# (/usr/lib/wine/wine, wineserver32 and /usr/lib/i386-linux-gnu/wine masked).
# Prints the median seconds of each and their ratio. Needs root (unshare).
#   bash tests/arch/bench-wine32.sh [N]
set -eu
cd "$(dirname "$0")/../.."
n=${1:-9}
[ -e /usr/lib/wine/wine ] || { echo "wine32:i386 is not installed: nothing to compare" >&2; exit 2; }
make -s -f Makefile.mingw run >/dev/null 2>&1    # build, prefix, warm caches

hidden() {  # run "make run" with 32-bit Wine hidden
    unshare -m sh -c '
        mount --bind /dev/null /usr/lib/wine/wine
        mount --bind /dev/null /usr/lib/wine/wineserver32
        mount -t tmpfs none /usr/lib/i386-linux-gnu/wine
        make -s -f Makefile.mingw run >/dev/null 2>&1'
}
plain() { make -s -f Makefile.mingw run >/dev/null 2>&1; }
seconds() { local t0 t1; t0=$(date +%s.%N); "$@"; t1=$(date +%s.%N); awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

with="" without=""
for _ in $(seq "$n"); do
    with="$with $(seconds plain)"
    without="$without $(seconds hidden)"
done
mw=$(printf '%s\n' $with | median)
mo=$(printf '%s\n' $without | median)
printf 'x64 make run, median of %d: wine32 installed %.3f s, hidden %.3f s, ratio %.2f\n' \
    "$n" "$mw" "$mo" "$(awk -v a="$mw" -v b="$mo" 'BEGIN { print a / b }')"
