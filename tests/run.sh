#!/usr/bin/env bash
# The test suite: build every variant we can build here, run each under
# Wine, compare stdout byte for byte with the stored traces and check exit
# codes. Ends with "N passed, N failed, N skipped".
#
#   bash tests/run.sh            (what make -f Makefile.mingw check runs)
#   VARIANTS="gcc-x64-ansi" bash tests/run.sh     only some variants
set -u
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
OUT=$ROOT/build/tests
mkdir -p "$OUT"
export WINEPREFIX=$ROOT/build/wineprefix WINEDEBUG=-all

passed=0 failed=0 skipped=0
pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; [ $# -gt 1 ] && printf '     %s\n' "${@:2}"; return 0; }
skip() { skipped=$((skipped + 1)); echo "SKIP $1: $2"; }

# ---- Checks shared by every test: each returns non-zero with a reason ----

# same_bytes EXPECTED ACTUAL: byte-for-byte equality, with the first difference.
same_bytes() {
    if cmp -s "$1" "$2"; then return 0; fi
    why="stdout differs from ${1#"$ROOT"/}: $(cmp "$1" "$2" 2>&1 | head -1)"
    return 1
}
# same_code EXPECTED ACTUAL
same_code() {
    [ "$1" = "$2" ] && return 0
    why="exit code $2, expected $1"
    return 1
}

# ---- Variants -------------------------------------------------------------

CLANG_MSVC="clang-19 -fms-extensions -fasync-exceptions -fgnuc-version=12"
declare -A VCC VLD VCPP VLDF VARCH
add_variant() {  # name arch cc ld
    for cs in ansi unicode; do
        local n="$1-$cs"
        VARCH[$n]=$2; VCC[$n]=$3; VLD[$n]=$4
        if [ $cs = unicode ]; then VCPP[$n]="-DUNICODE -D_UNICODE"; VLDF[$n]=-municode
        else VCPP[$n]=""; VLDF[$n]=""; fi
        ALL_VARIANTS="${ALL_VARIANTS:-} $n"
    done
}
add_variant gcc-x64   x64 x86_64-w64-mingw32-gcc x86_64-w64-mingw32-gcc
add_variant clang-x64 x64 "$CLANG_MSVC --target=x86_64-pc-windows-msvc -isystem /usr/x86_64-w64-mingw32/include" \
                          "clang-19 --target=x86_64-w64-windows-gnu -fuse-ld=lld"
add_variant gcc-x86   x86 i686-w64-mingw32-gcc i686-w64-mingw32-gcc
add_variant clang-x86 x86 "$CLANG_MSVC --target=i686-pc-windows-msvc -D_X86_ -isystem /usr/i686-w64-mingw32/include" \
                          "clang-19 --target=i686-w64-windows-gnu -fuse-ld=lld"
VARIANTS=${VARIANTS:-$ALL_VARIANTS}

# 32-bit .exe files need Debian's wine32:i386 (its loader is /usr/lib/wine/wine).
if [ -x /usr/lib/wine/wine ]; then HAVE_WINE32=yes; else HAVE_WINE32=no; fi

# Start one wineserver for the whole run (the first start creates the prefix).
wineserver -p >/dev/null 2>&1 || true
wine cmd /c exit 0 >/dev/null 2>&1

# run_exe EXE STDIN [ARGS...]: stdout to $OUT/stdout.txt, stderr to
# $OUT/stderr.txt, exit code in $rc.
run_exe() {
    local exe=$1 input=$2; shift 2
    wine "$exe" "$@" <"$input" >"$OUT/stdout.txt" 2>"$OUT/stderr.txt"
    rc=$?
}
# Same, with stdout through a pipe instead of a file.
run_exe_piped() {
    local exe=$1 input=$2; shift 2
    wine "$exe" "$@" <"$input" 2>"$OUT/stderr.txt" | cat >"$OUT/stdout.txt"
    rc=${PIPESTATUS[0]}
}

# expect_run NAME EXE EXPECTED_FILE EXPECTED_CODE RUNNER ARGS...
expect_run() {
    local name=$1 exe=$2 expected=$3 code=$4 runner=$5; shift 5
    $runner "$exe" /dev/null "$@"
    if same_bytes "$expected" "$OUT/stdout.txt" && same_code "$code" "$rc"; then
        pass "$name"
    else
        fail "$name" "$why" "exit code $rc; stderr: $(head -c 300 "$OUT/stderr.txt")"
        cp "$OUT/stdout.txt" "$OUT/failed-$(echo "$name" | tr -c 'A-Za-z0-9-' _).txt"
    fi
}

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

# The trace of --verify --pages N, written from the documented sequence.
verify_trace() {
    local n=$1
    {
        printf 'This computer has page size 4096.\r\n'
        awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++) printf "Exception is a page fault.\r\nAllocating another page.\r\n" }'
        printf 'Verify: faults counted (%d) equal pages touched (%d): ok\r\n' "$n" "$n"
        printf 'Verify: %d of %d pages are MEM_COMMIT with PAGE_READWRITE (%d KiB committed): ok\r\n' "$n" "$n" $((n * 4))
        printf "Verify: every byte holds 'a' (0 bytes differ): ok\r\n"
        printf 'Release succeeded.\r\n'
        printf 'Verify: after MEM_RELEASE the base address is MEM_FREE: ok\r\n'
    }
}

# name|arguments|what stderr must say. Each must exit 2, print the usage on
# stderr and nothing on stdout.
BAD_INPUTS=(
    "pages zero|--pages 0|takes a whole number from 1 to 1048576, not '0'"
    "pages negative|--pages -5|takes a whole number from 1 to 1048576, not '-5'"
    "pages text|--pages many|takes a whole number from 1 to 1048576, not 'many'"
    "pages trailing garbage|--pages 12x|takes a whole number from 1 to 1048576, not '12x'"
    "pages past the bound|--pages 1048577|takes a whole number from 1 to 1048576, not '1048577'"
    "pages huge|--pages 99999999999999999999|takes a whole number from 1 to 1048576"
    "pages with a sign|--pages +5|takes a whole number from 1 to 1048576, not '+5'"
    "pages without a value|--pages|option needs a number: --pages"
    "pages twice|--pages 5 --pages 6|option given twice: --pages"
    "unknown option|--frobnicate|unknown option: --frobnicate"
    "unknown scenario|--scenario meltdown|unknown scenario: meltdown"
    "scenario without a value|--scenario|option needs a scenario name: --scenario"
    "scenario twice|--scenario overrun --scenario overrun|option given twice: --scenario"
    "verbose twice|-v --verbose|option given twice: --verbose"
    "verify twice|--verify --verify|option given twice: --verify"
    "scenario with verify|--scenario overrun --verify|before the release: --verify"
    "scenario with pause|--pause --scenario commit-fails|before the release: --pause"
    "stride without compare|--stride 2|needs --compare: --stride"
    "tour with pages|--tour --pages 3|--tour takes no other option"
    "tour and compare|--tour --compare|exclude each other"
    "compare with verbose|--compare -v|--compare takes only"
    "reps zero|--compare --reps 0|takes a whole number from 1 to 1000, not '0'"
    "stride text|--compare --stride every|takes a whole number from 1 to 1000, not 'every'"
    "csv twice|--compare --csv --csv|option given twice: --csv"
)

check_pause() {
    if grep -q '^Paused before the release' "$OUT/stdout.txt" && tail -n 1 "$OUT/stdout.txt" | grep -q '^Release succeeded' \
       && same_code 0 "$rc"; then
        pass "$1"
    else
        fail "$1" "exit $rc; no pause line, or no release after it"
    fi
}

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

    # The documented run, to a file and through a pipe.
    expect_run "$v: default trace (file)" "$exe" expected_output.txt 0 run_exe
    expect_run "$v: default trace (pipe)" "$exe" expected_output.txt 0 run_exe_piped

    # Each scenario: its own trace and exit code, to a file and through a pipe.
    local s code
    for s in overrun:4 not-a-fault:3 commit-fails:5; do
        code=${s#*:}; s=${s%%:*}
        expect_run "$v: --scenario $s (file, exit $code)" "$exe" "tests/expected/$s.txt" "$code" run_exe --scenario "$s"
        expect_run "$v: --scenario $s (pipe, exit $code)" "$exe" "tests/expected/$s.txt" "$code" run_exe_piped --scenario "$s"
    done

    # --verify, at the default size and at 65536 pages (256 MiB).
    expect_run "$v: --verify" "$exe" tests/expected/verify.txt 0 run_exe --verify
    verify_trace 65536 >"$dir/verify-65536.txt"
    expect_run "$v: --verify --pages 65536" "$exe" "$dir/verify-65536.txt" 0 run_exe --verify --pages 65536

    # --verbose: addresses change from run to run, so they are masked.
    run_exe "$exe" /dev/null --verbose --pages 3
    sed -E 's/[0-9A-F]{8,16}/ADDR/g' "$OUT/stdout.txt" >"$dir/verbose.txt"
    if same_bytes tests/expected/verbose-3-pages.txt "$dir/verbose.txt" && same_code 0 "$rc"; then
        pass "$v: --verbose --pages 3"
    else fail "$v: --verbose --pages 3" "$why"; fi

    # --pause waits for Enter, then carries on; at end of input it carries on too.
    run_exe "$exe" "$OUT/enter.txt" --pause --pages 2
    check_pause "$v: --pause, then Enter"
    run_exe "$exe" /dev/null --pause --pages 2
    check_pause "$v: --pause, then end of input"

    # --tour: every rule as documented (exit 0), nine verdicts.
    run_exe "$exe" /dev/null --tour
    if same_code 0 "$rc" && [ "$(grep -c '^  => as documented' "$OUT/stdout.txt")" = 9 ] \
       && ! grep -q 'NOT as documented' "$OUT/stdout.txt" && [ "$(grep -c '^Rule [1-9]: ' "$OUT/stdout.txt")" = 9 ] \
       && tail -n 1 "$OUT/stdout.txt" | grep -q '^9 of 9 rules as documented'; then
        pass "$v: --tour, 9 of 9 rules as documented"
    else
        fail "$v: --tour, 9 of 9 rules as documented" "exit $rc; $(grep -B3 'NOT as documented' "$OUT/stdout.txt" | head -4)"
    fi

    # --compare invariants, never timings: on demand and explicit commit the
    # touched pages only, up front all of them; only on demand faults; every
    # touched byte holds its value. 64 pages, every 4th touched: 16 pages.
    run_exe "$exe" /dev/null --compare --pages 64 --stride 4 --reps 3 --csv
    tr -d '\r' <"$OUT/stdout.txt" | awk -F, 'NR > 1 { print $1, $2, $3, $4, $10, $12, $13 }' >"$dir/compare.txt"
    printf '%s\n' "on-demand 64 4 16 64 16 yes" "up-front 64 4 16 256 0 yes" "explicit 64 4 16 64 0 yes" >"$dir/compare-expected.txt"
    if same_bytes "$dir/compare-expected.txt" "$dir/compare.txt" && same_code 0 "$rc"; then
        pass "$v: --compare invariants (committed pages, faults, values)"
    else fail "$v: --compare invariants (committed pages, faults, values)" "$why" "$(cat "$dir/compare.txt")"; fi

    # The benchmark's own run (make bench): default size, table and checks.
    run_exe "$exe" /dev/null --compare
    if same_code 0 "$rc" && grep -q '^Checks: .*: ok' "$OUT/stdout.txt" && [ "$(grep -c ' us[[:space:]]*$' "$OUT/stdout.txt")" = 3 ]; then
        pass "$v: --compare at its default size (the bench run) checks ok"
    else fail "$v: --compare at its default size (the bench run) checks ok" "exit $rc"; fi

    # Help.
    local h
    for h in /? -h --help; do
        run_exe "$exe" /dev/null "$h"
        if grep -q '^Usage: pagefault_demo' "$OUT/stdout.txt" && same_code 0 "$rc"; then
            pass "$v: $h prints the usage"
        else fail "$v: $h prints the usage" "exit $rc"; fi
    done

    # Bad input: one line of reason, the usage, exit code 2, nothing on stdout.
    local entry name args msg
    for entry in "${BAD_INPUTS[@]}"; do
        IFS='|' read -r name args msg <<<"$entry"
        # shellcheck disable=SC2086
        run_exe "$exe" /dev/null $args
        if [ "$rc" = 2 ] && grep -qF -- "$msg" "$OUT/stderr.txt" && grep -q '^Usage: pagefault_demo' "$OUT/stderr.txt" \
           && [ ! -s "$OUT/stdout.txt" ]; then
            pass "$v: bad input: $name"
        else
            fail "$v: bad input: $name" "exit $rc; stderr: $(head -1 "$OUT/stderr.txt")"
        fi
    done
}

for v in $VARIANTS; do
    [ -n "${VCC[$v]:-}" ] || { fail "unknown variant $v"; continue; }
    test_variant "$v"
done

# ---- build.bat, as far as Wine's cmd can take it ---------------------------

test_build_bat() {
    wine cmd /c "$(winepath -w "$ROOT/build.bat" 2>/dev/null)" "$@" >"$OUT/stdout.txt" 2>"$OUT/stderr.txt"
    rc=$?
}
if [ -f build.bat ]; then
    test_build_bat /?
    if [ "$rc" = 0 ] && grep -q 'Usage: build.bat' "$OUT/stdout.txt"; then pass "build.bat /? prints its usage"
    else fail "build.bat /? prints its usage" "exit $rc"; fi
    test_build_bat /bogus
    if [ "$rc" = 2 ] && grep -q 'unknown option' "$OUT/stdout.txt" "$OUT/stderr.txt"; then pass "build.bat /bogus exits 2"
    else fail "build.bat /bogus exits 2" "exit $rc"; fi
    # Wine has no cl, clang-cl or Visual Studio: build.bat must say so and fail.
    test_build_bat
    if [ "$rc" != 0 ] && grep -q 'No C compiler found' "$OUT/stdout.txt" "$OUT/stderr.txt"; then
        pass "build.bat with no compiler exits non-zero ($rc) with its message"
    else fail "build.bat with no compiler exits non-zero with its message" "exit $rc"; fi
    # /exe checks a .exe that Makefile.mingw built: the runs and exit codes
    # are checked here, and build.bat must refuse to call the traces equal,
    # since Wine's fc.exe is a stub that reports every pair of files equal.
    ref_exe=$OUT/gcc-x64-ansi/pagefault_demo.exe
    if [ -f "$ref_exe" ]; then
        test_build_bat /exe "$(winepath -w "$ref_exe" 2>/dev/null)"
        if [ "$rc" = 5 ] && [ "$(grep -c '^exit code ok' "$OUT/stdout.txt")" = 5 ] \
           && grep -q 'cannot compare' "$OUT/stdout.txt"; then
            pass "build.bat /exe: 5 exit codes checked, refuses Wine's stub fc (exit 5)"
        else fail "build.bat /exe: 5 exit codes checked, refuses Wine's stub fc" "exit $rc"; fi
        # A program with the wrong exit codes must fail build.bat.
        test_build_bat /exe 'C:\windows\system32\hostname.exe'
        if [ "$rc" = 4 ] && grep -q '^FAIL pagefault_demo --scenario overrun: exit code' "$OUT/stdout.txt"; then
            pass "build.bat /exe with a wrong program exits 4"
        else fail "build.bat /exe with a wrong program exits 4" "exit $rc"; fi
    else
        skip "build.bat /exe" "the gcc-x64-ansi variant was not built in this run"
    fi
else
    fail "build.bat exists"
fi

wineserver -k >/dev/null 2>&1 || true

echo
if [ $HAVE_WINE32 = no ]; then
    echo "Skipped: 32-bit variants were built and linked but not run; 32-bit Wine (wine32:i386) is not installed."
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
