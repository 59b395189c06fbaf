#!/usr/bin/env bash
# The test suite: build every variant we can build here, run each under
# Wine, compare stdout byte for byte with the stored traces and check exit
# codes. Ends with "N passed, N failed, N skipped".
#
#   bash tests/run.sh            (what make -f Makefile.mingw check runs)
#   VARIANTS="gcc-x64-ansi" bash tests/run.sh     only some variants
#
# The tests live by area: lib.sh (shared helpers), demo.sh, tour.sh,
# compare.sh, options.sh, build_bat.sh; this file builds and dispatches.
set -u
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
OUT=$ROOT/build/tests
mkdir -p "$OUT"

# shellcheck source=tests/lib.sh
. tests/lib.sh
for f in demo watch tour compare options build_bat; do
    # shellcheck disable=SC1090
    . "tests/$f.sh"
done

# Start one wineserver for the whole run (the first start creates the prefix).
wineserver -p >/dev/null 2>&1 || true
wine cmd /c exit 0 >/dev/null 2>&1

# ---- The suite checks itself: a wrong trace or exit code must fail --------

self_check() {
    local t=$OUT/selfcheck
    mkdir -p "$t"
    sed '$ s/succeeded/failed/' expected_output.txt >"$t/wrong-last-line.txt"
    tr -d '\r' <expected_output.txt >"$t/lf-only.txt"
    head -n 161 expected_output.txt >"$t/one-line-short.txt"
    for f in wrong-last-line lf-only one-line-short; do
        if same_bytes expected_output.txt "$t/$f.txt"; then
            fail "self-check: a trace with $f is told apart"
        else
            pass "self-check: a trace with $f is told apart"
        fi
    done
    if same_code 0 4; then fail "self-check: a wrong exit code is told apart"
    else pass "self-check: a wrong exit code is told apart"; fi
}
self_check

# ---- Per variant ------------------------------------------------------------

printf '\n' >"$OUT/enter.txt"

test_variant() {
    local v=$1 dir=$OUT/$1 exe log
    exe=$dir/pagefault_demo.exe
    log=$dir/build.log
    mkdir -p "$dir"

    # Build with the strict flags; any warning at all counts as a failure.
    if ! command -v "${VCC[$v]%% *}" >/dev/null 2>&1; then
        fail "$v: build" "${VCC[$v]%% *} is not installed (sh tests/install-deps.sh check)"
        return
    fi
    rm -f "$exe"
    make -s -f Makefile.mingw "BUILD=$dir" "CC=${VCC[$v]}" "LD=${VLD[$v]}" \
        "CPPFLAGS=${VCPP[$v]}" "LDFLAGS=${VLDF[$v]}" "$exe" >"$log" 2>&1
    local brc=$?
    if [ $brc -ne 0 ]; then
        fail "$v: builds with -Wall -Wextra -Wformat=2 -Werror" "$(tail -5 "$log")"
        return
    elif grep -qi 'warning' "$log"; then
        fail "$v: builds without a warning" "$(grep -i warning "$log" | head -3)"
    else
        pass "$v: builds without a warning (-Wall -Wextra -Wformat=2 -Werror)"
    fi

    if [ "${VARCH[$v]}" = x86 ] && [ $HAVE_WINE32 = no ]; then
        skip "$v: run" "32-bit Wine (wine32:i386) is not installed, so this .exe cannot run here"
        return
    fi

    test_demo "$v" "$dir" "$exe"
    test_watch "$v" "$dir" "$exe"
    test_tour "$v" "$dir" "$exe"
    test_compare "$v" "$dir" "$exe"
    test_options "$v" "$dir" "$exe"
}

for v in $VARIANTS; do
    [ -n "${VCC[$v]:-}" ] || { fail "unknown variant $v"; continue; }
    test_variant "$v"
done

test_build_bat_all

wineserver -k >/dev/null 2>&1 || true

echo
if [ $HAVE_WINE32 = no ]; then
    echo "Skipped: 32-bit variants were built and linked but not run; 32-bit Wine (wine32:i386) is not installed."
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
