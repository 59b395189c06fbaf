#!/usr/bin/env bash
# tests/selftest.sh - the smoke-test face of the exe (issue 15): --selftest
# (TAP and JUnit), its trace generator against the stored traces,
# --version, --help wherever it stands, lost stdout (exit 12), and builds
# with injected OS bugs and an injected crash, which --selftest must catch.
# Sourced by run.sh.

# KIND|the check that must fail: the test-only "OS bugs" of
# tests/inject/os_bugs.h, built into one exe, each chosen at run time by
# the environment variable PAGEFAULT_INJECT=KIND.
INJECTIONS=(
    "COMMIT_TWO_PAGES|documented run"
    "RELEASE_NOTHING|verify 80 pages"
    "READONLY_COMMIT|documented run"
    "COMMIT_NOTHING|documented run"
    "RESERVE_COMMITS|documented run"
    "RELEASE_FAILS|documented run"
    "RELEASE_HANGS|documented run"
    "CRASH_AT_RELEASE|documented run"
    "RECOMMIT_KEEPS_PROTECTION|scenario read-only"
)

# tap_ok FILE: a TAP 14 stream with every check passing: the version line,
# '#' lines before the plan, a plan 1..N (N >= 29), N "ok" lines numbered
# 1..N in order, nothing failing. Names, one a line, into FILE.names.
tap_ok() {
    why=$(python3 - "$1" <<'EOF'
import re, sys
lines = open(sys.argv[1], newline='').read().split('\r\n')
if lines and lines[-1] == '': lines.pop()
if not lines or lines[0] != 'TAP version 14': print('first line is not TAP version 14'); sys.exit(1)
i = 1
while i < len(lines) and lines[i].startswith('# '): i += 1
m = re.fullmatch(r'1\.\.(\d+)', lines[i] if i < len(lines) else '')
if not m or i < 8: print('no plan after the # version lines'); sys.exit(1)
n, names = int(m.group(1)), []
for k in range(1, n + 1):
    t = lines[i + k] if i + k < len(lines) else ''
    r = re.fullmatch(r'ok %d - (.+)' % k, t)
    if not r: print('line for check %d: %r' % (k, t)); sys.exit(1)
    names.append(r.group(1))
if n < 29 or any(not l.startswith('# ') for l in lines[i + n + 1:]): print('plan %d, or stray lines after it' % n); sys.exit(1)
open(sys.argv[1] + '.names', 'w').write('\n'.join(names) + '\n')
EOF
) && return 0
    return 1
}

# junit_ok FILE NAMES: JUnit XML that a parser reads, with one testcase per
# name in NAMES (same order) and no failure.
junit_ok() {
    why=$(python3 - "$1" "$2" <<'EOF'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
cases = root.findall('.//testcase')
names = open(sys.argv[2]).read().split('\n')[:-1]
if [c.get('name') for c in cases] != names: print('testcases %d, TAP checks %d, or names differ' % (len(cases), len(names))); sys.exit(1)
if root.findall('.//failure') or root.find('testsuite').get('tests') != str(len(names)): print('failures, or a wrong tests count'); sys.exit(1)
EOF
) && return 0
    return 1
}

# test_selftest_verdict VARIANT DIR EXE [RUNNER]: the one command: exit 0,
# valid TAP, JUnit with the same testcases. RUNNER runs the exe (run_exe;
# the emulated architectures use it too: tests/arch.sh).
test_selftest_verdict() {
    local v=$1 dir=$2 exe=$3 runner=${4:-run_exe}
    rm -f "$dir/selftest.xml"
    "$runner" "$exe" /dev/null --selftest --junit "${dir#"$ROOT"/}/selftest.xml"    # Relative: Wine takes it as it is
    cp "$OUT/stdout.txt" "$dir/selftest.tap"
    if same_code 0 "$rc" && tap_ok "$dir/selftest.tap" && junit_ok "$dir/selftest.xml" "$dir/selftest.tap.names" \
       && fits_80 "$dir/selftest.tap"; then
        pass "$v: --selftest --junit: exit 0, TAP 14 and JUnit agree ($(grep -c . "$dir/selftest.tap.names") checks, $(tail -1 "$dir/selftest.tap" | grep -o 'in [0-9.]* s'))"
    else fail "$v: --selftest --junit: exit 0, TAP 14 and JUnit agree" "$why" "$(grep -A6 'not ok' "$dir/selftest.tap" | head -8)"; fi
}

# test_selftest VARIANT DIR EXE
test_selftest() {
    local v=$1 dir=$2 exe=$3 s n
    test_selftest_verdict "$@"

    # The generator against the stored traces, and at 3 pages against demo.sh's own.
    for s in demo:expected_output.txt verify:tests/expected/verify.txt overrun:tests/expected/overrun.txt \
             not-a-fault:tests/expected/not-a-fault.txt commit-fails:tests/expected/commit-fails.txt; do
        run_exe "$exe" /dev/null --selftest-expect "${s%%:*}"
        if same_bytes "${s#*:}" "$OUT/stdout.txt" && same_code 0 "$rc"; then
            pass "$v: --selftest's expected ${s%%:*} trace is ${s#*:}"
        else fail "$v: --selftest's expected ${s%%:*} trace is ${s#*:}" "$why"; fi
    done
    for s in overrun not-a-fault commit-fails; do
        scenario_trace "$s" 3 >"$dir/expect-$s-3.txt"
        run_exe "$exe" /dev/null --selftest-expect "$s" 3
        if same_bytes "$dir/expect-$s-3.txt" "$OUT/stdout.txt"; then pass "$v: --selftest's expected $s trace at 3 pages"
        else fail "$v: --selftest's expected $s trace at 3 pages" "$why"; fi
    done
    # The sample's limits (issue 17): each stored trace at 80 pages; at 1
    # and 3 pages against scenarios.sh's lab_trace, written apart from it.
    for s in stray-write read-only decommit guard-grow checked-stray-write checked-read-only checked-decommit \
             checked-guard-grow; do
        run_exe "$exe" /dev/null --selftest-expect "$s"
        if same_bytes "tests/expected/$s.txt" "$OUT/stdout.txt" && same_code 0 "$rc"; then
            pass "$v: --selftest's expected $s trace is tests/expected/$s.txt"
        else fail "$v: --selftest's expected $s trace is tests/expected/$s.txt" "$why"; fi
    done
    for s in stray-write read-only decommit guard-grow checked-stray-write checked-read-only checked-decommit \
             checked-guard-grow checked-overrun checked-commit-fails; do
        for n in 1 3; do
            case $s in checked-*) lab_trace checked "${s#checked-}" "$n" ;; *) lab_trace sample "$s" "$n" ;; esac \
                >"$dir/expect-$s-$n.txt"
            run_exe "$exe" /dev/null --selftest-expect "$s" "$n"
            why="lab_trace gave nothing"
            if [ -s "$dir/expect-$s-$n.txt" ] && same_bytes "$dir/expect-$s-$n.txt" "$OUT/stdout.txt"; then
                pass "$v: --selftest's expected $s trace at $n page(s)"
            else fail "$v: --selftest's expected $s trace at $n page(s)" "$why"; fi
        done
    done
    run_exe "$exe" /dev/null --selftest-expect guard-grow 0
    if same_code 2 "$rc" && [ ! -s "$OUT/stdout.txt" ] && fits_80 "$OUT/stderr.txt" \
       && grep -q '^pagefault_demo: no expected trace for guard-grow, 0 pages' "$OUT/stderr.txt"; then
        pass "$v: --selftest-expect at 0 pages: one line on stderr, exit 2"
    else fail "$v: --selftest-expect at 0 pages: one line on stderr, exit 2" "exit $rc; $why" "$(head -2 "$OUT/stderr.txt")"; fi
    # The checked filter's overrun and commit-fails at 80 pages: the stored
    # trace of the sample's filter up to the last fault, then "outside".
    for s in overrun commit-fails; do
        { head -n -2 "tests/expected/$s.txt"; printf 'Exception: the address lies outside the region.\r\nExiting process.\r\n'; } \
            >"$dir/expect-checked-$s-80.txt"
        run_exe "$exe" /dev/null --selftest-expect "checked-$s"
        if same_bytes "$dir/expect-checked-$s-80.txt" "$OUT/stdout.txt"; then
            pass "$v: --selftest's expected checked-$s trace: the stored $s trace, then outside the region"
        else fail "$v: --selftest's expected checked-$s trace: the stored $s trace, then outside the region" "$why"; fi
    done

    # --version: one fact a line, telling GCC from clang and ANSI from Unicode.
    local cc=GCC mech='vectored exception handler (GCC stand-in for __try)' cs=ANSI
    case $v in clang-*) cc=clang mech='__try/__except (frame-based SEH)' ;; esac
    case $v in *-unicode) cs=Unicode ;; esac
    run_exe "$exe" /dev/null --version
    if same_code 0 "$rc" && [ "$(grep -c . "$OUT/stdout.txt")" = 7 ] && fits_80 "$OUT/stdout.txt" \
       && grep -q "^compiler: $cc [0-9]" "$OUT/stdout.txt" && grep -q "^target: ${VARCH[$v]}"$'\r' "$OUT/stdout.txt" \
       && grep -q "^characters: $cs " "$OUT/stdout.txt" && grep -qF "exceptions: $mech"$'\r' "$OUT/stdout.txt" \
       && grep -q '^pages: [0-9]* bytes, allocation granularity [0-9]* bytes' "$OUT/stdout.txt" \
       && grep -q '^system: Windows [0-9]*\.[0-9]* build [0-9]* (RtlGetVersion)' "$OUT/stdout.txt"; then
        pass "$v: --version names $cc, ${VARCH[$v]}, $cs and the mechanism"
    else fail "$v: --version names $cc, ${VARCH[$v]}, $cs and the mechanism" "exit $rc" "$(head -8 "$OUT/stdout.txt")"; fi
    run_exe "$exe" /dev/null --version --pages 3
    if same_code 2 "$rc" && grep -q '^pagefault_demo: --version stands alone: give it no other option' "$OUT/stderr.txt" \
       && ! grep -q -- '--selftest' "$OUT/stderr.txt"; then pass "$v: --version with another option is bad usage, named so"
    else fail "$v: --version with another option is bad usage, named so" "exit $rc" "$(head -1 "$OUT/stderr.txt")"; fi
    # --junit without its FILE: the message names the missing FILE.
    run_exe "$exe" /dev/null --selftest --junit
    if same_code 2 "$rc" && grep -q '^pagefault_demo: --junit needs a FILE' "$OUT/stderr.txt" && [ ! -s "$OUT/stdout.txt" ] \
       && fits_80 "$OUT/stderr.txt"; then pass "$v: --selftest --junit without FILE: exit 2, says FILE is missing"
    else fail "$v: --selftest --junit without FILE: exit 2, says FILE is missing" "exit $rc" "$(head -1 "$OUT/stderr.txt")"; fi

    # --help wins wherever it stands.
    run_exe "$exe" /dev/null --help
    cp "$OUT/stdout.txt" "$dir/help.txt"
    for s in "--pages 0 --help" "--help --pages 0" "--frobnicate -h" "--version /?"; do
        # shellcheck disable=SC2086
        run_exe "$exe" /dev/null $s
        if same_code 0 "$rc" && same_bytes "$dir/help.txt" "$OUT/stdout.txt"; then pass "$v: $s prints the help, exit 0"
        else fail "$v: $s prints the help, exit 0" "$why"; fi
    done

    # Lost output: stdout closed, or a full disk, is exit 12 with a line on stderr.
    for s in "closed|" "full|" "full|--scenario overrun"; do
        n=${s%%|*}; s=${s#*|}
        local dest=/dev/full; [ "$n" = closed ] && dest='&-'      # '&-': run_exe_to closes stdout
        # shellcheck disable=SC2086
        run_exe_to "$dest" "$OUT/stderr.txt" /dev/null "$exe" $s
        n="$v: stdout $n${s:+ ($s)}: exit 12, one line on stderr"
        if same_code 12 "$rc" && [ "$(grep -c . "$OUT/stderr.txt")" = 1 ] \
           && grep -q '^pagefault_demo: stdout failed (errno [0-9]*, Win32 error [0-9]*): output lost, exit 12' "$OUT/stderr.txt"; then
            pass "$n"
        else fail "$n" "$why" "$(head -3 "$OUT/stderr.txt")"; fi
    done
}

# test_selftest_inject VARIANT DIR: each injected OS bug makes --selftest
# exit 11 naming the check; the injected crash also exits 13 with one line.
test_selftest_inject() {
    local v=$1 dir=$2 k name idir rel exe
    rel=${OUT#"$ROOT"/}/$v-inject; idir=$ROOT/$rel; exe=$idir/pagefault_demo.exe
    rm -rf "$idir"; mkdir -p "$idir"     # The Makefile does not know the forced header: build it all
    if ! make -s $MAKE_J -f Makefile.mingw "BUILD=$rel" "CC=${VCC[$v]}" "LD=${VLD[$v]}" "LDFLAGS=${VLDF[$v]}" \
           "CPPFLAGS=${VCPP[$v]} -include tests/inject/os_bugs.h" "$rel/pagefault_demo.exe" \
           >"$idir/build.log" 2>&1; then
        fail "$v: the exe with injectable OS bugs builds" "$(tail -3 "$idir/build.log")"; return
    fi
    # With no kind named, the injectable exe is the program: --selftest
    # passes (clang), the documented trace (GCC).
    if [[ $v == clang-* ]]; then
        PAGEFAULT_INJECT='' run_exe "$exe" /dev/null --selftest
        if same_code 0 "$rc" && ! grep -q '^not ok' "$OUT/stdout.txt"; then
            pass "$v: injectable exe, PAGEFAULT_INJECT empty: --selftest exits 0"
        else fail "$v: injectable exe, PAGEFAULT_INJECT empty: --selftest exits 0" "exit $rc" "$(grep '^not ok' "$OUT/stdout.txt" | head -3)"; fi
    else
        PAGEFAULT_INJECT='' expect_run "$v: injectable exe, PAGEFAULT_INJECT empty: the documented trace" "$exe" expected_output.txt 0 run_exe
    fi
    for k in "${INJECTIONS[@]}"; do
        name=${k#*|}; k=${k%%|*}
        # Every kind through --selftest on the clang build (real __try, as
        # MSVC builds); on GCC's, only the checks below, with the three kinds
        # they need: its stand-in for __try differs, --selftest's judging
        # does not, and each kind costs 2 to 13 s here.
        [[ $v == clang-* ]] || continue
        PAGEFAULT_INJECT=$k run_exe "$exe" /dev/null --selftest
        cp "$OUT/stdout.txt" "$idir/selftest-$k.tap"
        if same_code 11 "$rc" && grep -q "^not ok [0-9]* - $name"$'\r' "$idir/selftest-$k.tap"; then
            pass "$v: injected $k: --selftest exits 11, not ok - $name"
        else fail "$v: injected $k: --selftest exits 11, not ok - $name" "exit $rc" "$(grep '^not ok' "$idir/selftest-$k.tap" | head -3)"; fi
    done
    # The failing part named: a tour rule's release check, --compare's way and check.
    PAGEFAULT_INJECT=RELEASE_NOTHING run_exe "$exe" /dev/null --tour 2
    if same_code 8 "$rc" && grep -q '^  release check failed: after MEM_RELEASE, [0-9A-Fa-f]* is not MEM_FREE' "$OUT/stdout.txt"; then
        pass "$v: injected RELEASE_NOTHING: --tour 2 exits 8 and names the release check"
    else fail "$v: injected RELEASE_NOTHING: --tour 2 exits 8 and names the release check" "$why" "$(tail -4 "$OUT/stdout.txt")"; fi
    PAGEFAULT_INJECT=COMMIT_TWO_PAGES run_exe "$exe" /dev/null --compare --pages 64 --reps 1
    if same_code 10 "$rc" && grep -q '^Compare check failed: on-demand: 32 access violations, expected 64' "$OUT/stdout.txt"; then
        pass "$v: injected COMMIT_TWO_PAGES: --compare exits 10 and names the way and the check"
    else fail "$v: injected COMMIT_TWO_PAGES: --compare exits 10 and names the way and the check" "$why" "$(tail -4 "$OUT/stdout.txt")"; fi
    # The crash, run directly: the trace up to the release, one stderr line, 13.
    head -n 161 expected_output.txt >"$dir/crash-expected.txt"
    PAGEFAULT_INJECT=CRASH_AT_RELEASE run_exe "$exe" /dev/null
    if same_code 13 "$rc" && same_bytes "$dir/crash-expected.txt" "$OUT/stdout.txt" && [ "$(grep -c . "$OUT/stderr.txt")" = 1 ] \
       && grep -q '^pagefault_demo: crashed: exception 0xC0000005 at [0-9A-Fa-f]* while running pagefault_demo; exit code 13\.' "$OUT/stderr.txt"; then
        pass "$v: injected crash outside __try: exit 13, the trace so far, one line on stderr"
    else fail "$v: injected crash outside __try: exit 13, the trace so far, one line on stderr" "$why" "$(head -3 "$OUT/stderr.txt")"; fi
}
