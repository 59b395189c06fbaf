#!/usr/bin/env bash
# The test suite: build every variant we can build here, run each under
# Wine, compare stdout byte for byte with the stored traces and check exit
# codes. Ends with "N passed, N failed, N skipped".
#
#   bash tests/run.sh            (what make -f Makefile.mingw check runs)
#   VARIANTS="gcc-x64-ansi" bash tests/run.sh     only some variants
#   PERSON=no bash tests/run.sh   without tests/person.sh (fresh clone, tmux)
#   VARIANTS_ONLY=yes bash tests/run.sh   the variants (and the self-check)
#                                 only: none of the tests that run once
#   FULL=yes bash tests/run.sh    every option set on emulated (x86) variants too
#   SMALL=yes bash tests/run.sh   the emulated variants' smaller set on every variant
#   JOBS=1 bash tests/run.sh      one part after the other (default on 2+
#                                 cores: the x64 variants beside the rest)
#
# The tests live by area: lib.sh (shared helpers), demo.sh, tour.sh,
# compare.sh, options.sh, selftest.sh, build_bat.sh, person.sh, lab.sh
# (docs/LAB.md), claims.sh, scenarios.sh; this file builds and dispatches.
set -u
# The tests run make as a person types it. Under 'make check' this script
# is a sub-make's child: without this, every make it runs would inherit
# MAKELEVEL and print "make[1]: Entering directory" lines on stdout.
unset MAKELEVEL MAKEFLAGS MFLAGS
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
# SUITE_PART, SUITE_OUT: set by run_parts (below) for a part; not passed on
# to what the tests run (the person tests' make check in a clone).
PART=${SUITE_PART:-}
OUT=${SUITE_OUT:-$ROOT/build/tests}
unset SUITE_PART SUITE_OUT
mkdir -p "$OUT"
rm -f "$OUT/retried.txt"
# The rest part shares $OUT with the run around it: keep its self-check's times.
[ "$PART" = rest ] || [ "${TIMING:-no}" != yes ] || rm -f "$OUT/timing.txt"
TIMED_LAST=${EPOCHREALTIME/,/.}     # TIMING=yes: lib.sh's timed

# shellcheck source=tests/lib.sh
. tests/lib.sh
for f in demo watch tour compare options selftest build_bat person lab claims scenarios toolchain arch; do
    # shellcheck disable=SC1090
    . "tests/$f.sh"
done
# shellcheck source=tests/arch/arm64.sh
. tests/arch/arm64.sh

# A mistyped variant name: say which names there are, before anything runs.
for v in $VARIANTS; do
    if [ -z "${VCC[$v]:-}" ]; then
        mapfile -t names < <(echo $ALL_VARIANTS | fmt -w 70)     # 80 columns with fail's indent
        fail "VARIANTS names an unknown variant: $v" "valid names:" "${names[@]/#/  }"
        echo
        echo "$passed passed, $failed failed, $skipped skipped"
        exit 1
    fi
done

# The prefix, as Makefile.mingw creates it: Wine's first-start messages to
# a log, one line here. Then one wineserver for the whole run. Where x86
# runs, the 32-bit half of Wine's first start runs with the trapno fix.
[ $X86_RUNS = yes ] && use_arch x86
if [ ! -f "$WINEPREFIX/system.reg" ]; then
    echo "Creating the Wine prefix build/wineprefix (once; about 20 seconds; Wine's log: build/wineprefix.log)"
    WINEDLLOVERRIDES="mscoree,mshtml=" wine wineboot --init >build/wineprefix.log 2>&1
    wineserver --wait >/dev/null 2>&1
fi
wineserver -p >/dev/null 2>&1 || true
wine cmd /c exit 0 >/dev/null 2>&1
use_arch x64

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
    # run_exe's one retry (Wine did not start the program) still fails a
    # program that exits 1 with no output, and counts the retry.
    local before=$RETRIED
    run_exe 'C:\windows\system32\cmd.exe' /dev/null /c exit 1
    if [ "$rc" = 1 ] && [ "$RETRIED" = $((before + 1)) ]; then
        pass "self-check: a silent exit 1 is run once more, counted, and still exit 1"
    else fail "self-check: a silent exit 1 is run once more, counted, and still exit 1" "exit $rc, retried $RETRIED"; fi
    # The same for a --selftest whose child Wine did not start (exit 11,
    # CreateProcess error 1359 in its TAP): once more, counted, still failed.
    run_exe 'C:\windows\system32\cmd.exe' /dev/null /c echo message: CreateProcess failed with error code of 1359 '&' exit 11
    if [ "$rc" = 11 ] && [ "$RETRIED" = $((before + 2)) ]; then
        pass "self-check: a --selftest that could not start a child (error 1359) is run once more, counted, and still fails"
    else fail "self-check: a --selftest that could not start a child (error 1359) is run once more, counted, and still fails" "exit $rc, retried $((RETRIED - before)) of 2"; fi
    RETRIED=$before; rm -f "$OUT/retried.txt"       # These were on purpose
    # A mistyped VARIANTS name stops the run at once, naming the valid ones.
    VARIANTS="gcc-x64-ansi no-such-variant" PERSON=no TIMING=no bash tests/run.sh >"$t/variants.txt" 2>&1
    local vrc=$?
    if [ $vrc = 1 ] && grep -q 'unknown variant: no-such-variant' "$t/variants.txt" \
       && [ "$(sed -n '/valid names:$/,$p' "$t/variants.txt" | grep -o '[a-z0-9-]*-[a-z0-9]*-[a-z]*' | xargs)" = "$(echo $ALL_VARIANTS)" ] \
       && fits_80 "$t/variants.txt" && ! grep -q '^PASS' "$t/variants.txt"; then
        pass "self-check: an unknown VARIANTS name stops the run and lists the valid names"
    else fail "self-check: an unknown VARIANTS name stops the run and lists the valid names" \
              "exit $vrc: $(head -3 "$t/variants.txt")"; fi
}
[ -z "$PART" ] && self_check

# ---- Per variant ------------------------------------------------------------

printf '\n' >"$OUT/enter.txt"

test_variant() {
    local v=$1 dir=$OUT/$1 exe log rel
    exe=$dir/pagefault_demo.exe
    log=$dir/build.log
    rel=${dir#"$ROOT"/}     # make takes no spaces in a target: relative to $ROOT
    mkdir -p "$dir"

    # Build with the strict flags; any warning at all counts as a failure.
    if ! command -v "${VCC[$v]%% *}" >/dev/null 2>&1; then
        fail "$v: build" "${VCC[$v]%% *} is not installed (sh tests/install-deps.sh check)"
        return
    fi
    rm -f "$exe"
    make -s $MAKE_J -f Makefile.mingw "BUILD=$rel" "CC=${VCC[$v]}" "LD=${VLD[$v]}" \
        "CPPFLAGS=${VCPP[$v]}" "LDFLAGS=${VLDF[$v]}" "$rel/pagefault_demo.exe" >"$log" 2>&1
    local brc=$?
    if [ $brc -ne 0 ]; then
        local what="the build failed (make exit $brc)"
        grep -q 'Werror' "$log" && what="a compiler warning, an error under -Werror"
        fail "$v: builds" "$what; the end of ${log#"$ROOT"/}:" "$(tail -5 "$log")"
        return
    elif grep -qi 'warning' "$log"; then
        fail "$v: builds without a warning" "$(grep -i warning "$log" | head -3)"
    else
        pass "$v: builds without a warning (-Wall -Wextra -Wformat=2 -Werror)"
    fi

    local why
    why=$(arch_skip_reason "${VARCH[$v]}")
    if [ -n "$why" ]; then
        skip "$v: run" "built and linked, not run: $why"
        SKIPPED_ARCH="$SKIPPED_ARCH ${VARCH[$v]}"
        return
    fi
    use_arch "${VARCH[$v]}"
    if { arch_emulated "${VARCH[$v]}" && [ "${FULL:-no}" != yes ]; } || [ "${SMALL:-no}" = yes ]; then
        test_emulated_variant "$v" "$dir" "$exe"     # tests/arch.sh
        use_arch x64
        return
    fi

    test_demo "$v" "$dir" "$exe"
    test_seh_imports "$v" "$exe"        # tests/toolchain.sh
    test_watch "$v" "$dir" "$exe"
    test_tour "$v" "$dir" "$exe"
    test_compare "$v" "$dir" "$exe"
    test_options "$v" "$dir" "$exe"
    sampled_area "$v" lab && test_lab "$v" "$dir" "$exe"
    test_scenarios "$v" "$dir" "$exe"
    test_selftest "$v" "$dir" "$exe"
    case $v in *-ansi) test_selftest_inject "$v" "$dir" ;; esac     # Injections do not depend on TCHAR: ANSI builds only
    use_arch x64
}

# Where the time goes: one "area: N s" entry per part, printed at the end.
TIMES=", set-up $SECONDS s" T0=$SECONDS
took() { TIMES="$TIMES, $1 $((SECONDS - T0)) s"; T0=$SECONDS; }

# ---- Two parts side by side -------------------------------------------------

# run_parts: the x64 variants in one part, everything else in another (x86,
# ARM64, make run, the person tests), each a run of this script
# (SUITE_PART), side by side: one part alone keeps one core about 80% busy
# (Wine waits a lot), so on two cores the two take about the time of the
# longer. build.bat's tests go with the x64 variants (the shorter part). The rest is shown as it runs, the x64 part's log after it; their
# counts add up to the last line. Each part's log: build/tests/part-*.log.
run_parts() {
    local log_x64=$OUT/part-x64.log log_rest=$OUT/part-rest.log p rc_x64 line
    echo "Two parts side by side (JOBS=1: one after the other): the x64 variants and"
    echo "build.bat's tests (build/tests/part-x64.log, shown at the end), and the rest:"
    SUITE_PART=x64 SUITE_OUT=$ROOT/build/tests-x64 bash tests/run.sh >"$log_x64" 2>&1 &
    p=$!
    SUITE_PART=rest bash tests/run.sh 2>&1 | tee "$log_rest"
    wait $p; rc_x64=$?
    echo; echo "== The x64 variants (build/tests/part-x64.log, exit $rc_x64):"
    grep -v '^Part x64: ' "$log_x64"
    for p in x64 rest; do
        line=$(grep "^Part $p: " "$OUT/part-$p.log")
        if [[ $line =~ ^Part\ [a-z0-9]+:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped$ ]]; then
            passed=$((passed + BASH_REMATCH[1])); failed=$((failed + BASH_REMATCH[2])); skipped=$((skipped + BASH_REMATCH[3]))
        else fail "the $p part ended with its counts" "its log ends: $(tail -2 "$OUT/part-$p.log")"; fi
    done
    wineserver -k >/dev/null 2>&1 || true
    echo
    echo "Time: both parts side by side, $((SECONDS - T0)) s (each part's Time: line above)"
    echo "$passed passed, $failed failed, $skipped skipped"
    [ $failed -eq 0 ]
    exit
}
if [ -z "$PART" ] && [ "${JOBS:-$(nproc 2>/dev/null || echo 1)}" -ge 2 ]; then
    run_parts
fi

SKIPPED_ARCH=""
for v in $VARIANTS; do
    [ "${VARCH[$v]}" = arm64 ] && continue     # test_arm64_all, below
    [ "$PART" = x64 ] && [ "${VARCH[$v]}" != x64 ] && continue
    [ "$PART" = rest ] && [ "${VARCH[$v]}" = x64 ] && continue
    test_variant "$v"
    took "$v"
done
# The tests that run once, not per variant; VARIANTS_ONLY=yes leaves them
# out (the person tests' make check in a clone: this run has them).
ONCE_TESTS="build.bat's tests, make run's, the x86 repro and the person tests"
if [ "${VARIANTS_ONLY:-no}" = yes ]; then
    [ "$PART" != x64 ] && skip "$ONCE_TESTS" "VARIANTS_ONLY=yes"
    [ "$PART" != x64 ] && { test_arm64_all; took "arm64"; }
else
    # build.bat's tests (their own exe) go with the x64 part, which is shorter.
    if [ "$PART" != rest ]; then
        test_build_bat_all
        took "build.bat"
    fi
    if [ "$PART" != x64 ]; then
        test_x86_teb_repro      # tests/arch.sh
        test_arm64_all
        took "arm64"

        test_exit_note_all
        test_toolchain_all
        took "make run"

        # Once, not per variant: the README's promises tried as a person would.
        if [ "${PERSON:-yes}" = no ]; then
            skip "person tests" "PERSON=no"
        else
            test_person_all
        fi
        took "person"
    fi
fi

# One part ends with its counts for run_parts; the other's server stays.
[ -z "$PART" ] && { wineserver -k >/dev/null 2>&1 || true; }

echo
for a in $(printf '%s\n' $SKIPPED_ARCH | sort -u); do
    echo "Skipped: the $a variants were built and linked but not run: $(arch_skip_reason "$a")"
done
retried_note
echo "Time:${TIMES#,}"
echo "${PART:+Part $PART: }$passed passed, $failed failed, $skipped skipped"
[ $failed -eq 0 ]
