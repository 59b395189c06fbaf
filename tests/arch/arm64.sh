#!/usr/bin/env bash
# tests/arch/arm64.sh - the ARM64 variants, run with Debian's arm64 Wine in
# an emulated arm64 root (tests/arch/arm64-root.sh), and the repro programs
# of each known ARM64 difference (tests/arch/arm64/repro_*.c; see
# docs/ARM64.md). Sourced by tests/run.sh, which calls test_arm64_all once.
#
# Under emulation a run takes seconds, so each variant runs a few option
# sets: the trace (file and pipe), the three scenarios, --verify, --tour,
# --verbose, a small --compare (CSV and table), --selftest.
# The variants link tests/arch/arm64/abi_bridge.c (test-only: msvcrt's
# printf family as Debian's arm64 Wine builds it takes the Linux
# convention; docs/ARM64.md, difference 2); the repros link without it.
# The known differences are expected exactly: a new one fails, and so does
# a fixed one (then update this file and docs/ARM64.md).

# arm64_run_exe EXE STDIN [ARGS...]: as run_exe, in the arm64 root.
arm64_run_exe() {
    local exe=$1 input=$2; shift 2
    retry_once "$OUT/stdout.txt" "$OUT/stderr.txt" "${exe#"$ROOT"/} $* (arm64)" arm64_run_exe_once "$@"
}
arm64_run_exe_once() {
    sh tests/arch/arm64-root.sh run "$exe" "$@" <"$input" >"$OUT/stdout.txt" 2>"$OUT/stderr.txt"
    rc=$?
}
# Same, with stdout through a pipe instead of a file.
arm64_run_exe_piped() {
    local exe=$1 input=$2; shift 2
    retry_once "$OUT/stdout.txt" "$OUT/stderr.txt" "${exe#"$ROOT"/} $* (arm64, piped)" arm64_run_exe_piped_once "$@"
}
arm64_run_exe_piped_once() {
    sh tests/arch/arm64-root.sh run "$exe" "$@" <"$input" 2>"$OUT/stderr.txt" | cat >"$OUT/stdout.txt"
    rc=${PIPESTATUS[0]}
}

# arm64_build NAME OUT.exe SOURCES...: builds as Makefile.mingw's ARCH=arm64
# does, warnings as errors; 0 when built, else the log's end in $why.
# NAME repro links without the ABI bridge (the raw difference shows).
arm64_build() {
    local name=$1 exe=$2 cpp="" ldf=""; shift 2
    local dir log f objs=()
    dir=$(dirname "$exe"); log=$dir/build-$(basename "$exe" .exe).log
    mkdir -p "$dir"; : >"$log"
    case $name in *-unicode) cpp="-DUNICODE -D_UNICODE" ldf=-municode ;; esac
    [ "$name" = repro ] && ldf="$ldf --no-bridge"
    for f in "$@"; do
        # shellcheck disable=SC2086
        $CLANG_MSVC --target=aarch64-pc-windows-msvc -isystem /usr/x86_64-w64-mingw32/include \
            -std=c11 -O2 -Wall -Wextra -Wformat=2 -Werror $cpp \
            -c -o "$dir/$(basename "$f" .c).o" "$f" >>"$log" 2>&1 || { why=$(tail -3 "$log"); return 1; }
        objs+=("$dir/$(basename "$f" .c).o")
    done
    # shellcheck disable=SC2086
    sh tests/arch/arm64/link.sh $ldf -o "$exe" "${objs[@]}" >>"$log" 2>&1 || { why=$(tail -3 "$log"); return 1; }
    if grep -qi warning "$log"; then why=$(grep -i warning "$log" | head -2); return 1; fi
}

# arm64_ready: 0 when ARM64 programs can run here. Sets the root up first
# when asked to (ARCH=arm64, or CI=true); else $why says why not and how.
arm64_ready() {
    why=$(sh tests/arch/arm64-root.sh status) && return 0
    if [ "${ARCH:-}" = arm64 ] || [ "${CI:-}" = true ]; then
        echo "Setting up ARM64 (ARCH=arm64 or CI=true): see tests/arch/arm64-root.sh"
        sh tests/arch/arm64-root.sh setup 2>&1 | sed 's/^/  /'
        why=$(sh tests/arch/arm64-root.sh status) && return 0
    fi
    return 1
}

# test_arm64_variant VARIANT DIR EXE
test_arm64_variant() {
    local v=$1 dir=$2 exe=$3 s code n
    expect_run "$v: default trace (file)" "$exe" expected_output.txt 0 arm64_run_exe
    expect_run "$v: default trace (pipe)" "$exe" expected_output.txt 0 arm64_run_exe_piped

    # The --verbose trace: as stored, but for known difference 3 (the
    # filter reads the write flag, which is 0 here: "a read at").
    arm64_run_exe "$exe" /dev/null --verbose --pages 2
    mask_trace "$OUT/stdout.txt" >"$dir/verbose.txt"
    if same_code 0 "$rc" && [ "$(tr -d '\r' <"$dir/verbose.txt" | grep -c "^  access violation [12]: read at ADDR, page [01] of 2\$")" = 2 ] \
       && ! grep -q ': write at' "$dir/verbose.txt"; then
        pass "$v: --verbose --pages 2 calls each fault 'a read' (known difference 3: write flag 0)"
    else fail "$v: --verbose --pages 2 calls each fault 'a read' (known difference 3: write flag 0)" \
              "exit $rc; $(grep -m2 'violation [0-9]' "$dir/verbose.txt")" \
              "'write at' means difference 3 is gone: update tests/arch/arm64.sh and docs/ARM64.md"; fi

    for s in overrun:4 commit-fails:5; do
        code=${s#*:}; s=${s%%:*}
        expect_run "$v: --scenario $s (file, exit $code)" "$exe" "tests/expected/$s.txt" "$code" arm64_run_exe --scenario "$s"
    done
    # Known difference 1: brk #0xF004 arrives as 0x80000003, not 0xC0000094.
    sed 's/0xC0000094/0x80000003/' tests/expected/not-a-fault.txt >"$dir/not-a-fault-arm64.txt"
    expect_run "$v: --scenario not-a-fault reports 0x80000003 (known difference 1), exit 3" "$exe" \
        "$dir/not-a-fault-arm64.txt" 3 arm64_run_exe --scenario not-a-fault

    expect_run "$v: --verify" "$exe" tests/expected/verify.txt 0 arm64_run_exe --verify
    test_scenarios_small "$v" "$dir" "$exe" arm64_run_exe     # tests/arch.sh: the sample's limits
    for n in 1 2; do
        scenario_trace overrun "$n" >"$dir/overrun-$n.txt"
        expect_run "$v: --pages $n --scenario overrun (exit 4)" "$exe" "$dir/overrun-$n.txt" 4 arm64_run_exe --pages "$n" --scenario overrun
    done

    arm64_run_exe "$exe" /dev/null --tour
    tour_holds "$v: --tour, 10 of 10 rules as documented" 10 "10 of 10 rules as documented."

    # --compare: tests/arch.sh's small compare (the CSV), run in the root,
    # and the table (it formats through _vsnprintf: the ABI bridge's).
    test_compare_small "$v" "$dir" "$exe" arm64_run_exe
    arm64_compare_table "$v" "$dir" "$exe"
    arm64_selftest "$v" "$dir" "$exe"
    local name

    # Its __try catches the loop's faults: 80 access violations dispatched
    # (Wine's +seh channel traces each in KiUserExceptionDispatcher, at a
    # pc in the program, image base 0x140000000) and the documented trace.
    name="$v: its __try/__except catches the loop's 80 access violations (WINEDEBUG=+seh)"
    WINEDEBUG=+seh arm64_run_exe "$exe" /dev/null
    n=$(grep -c ':trace:seh:KiUserExceptionDispatcher code=c0000005 .* pc=00000001400' "$OUT/stderr.txt")
    if same_code 0 "$rc" && [ "$n" = 80 ] && same_bytes expected_output.txt "$OUT/stdout.txt"; then pass "$name"
    else fail "$name" "exit $rc; $n access violations dispatched; ${why:-}"; fi
}

# arm64_compare_table VARIANT DIR EXE: --compare's table at a small size:
# exit 0, the five rows with numbers where the timings go (min..max, the
# ratio to up front, up front's own 1.00x), the chart, the checks ok, 80
# columns.
arm64_compare_table() {
    local v=$1 dir=$2 exe=$3 t=$2/compare-table.txt num='[0-9]+(\.[0-9]+)?'
    local name="$v: --compare table (64 pages): timings, ratios and chart are numbers, 80 columns"
    local ways='(on demand \(filter\)|up front \(whole region\)|explicit \(commit, touch\)|on demand \(chunk/fault\)|on demand \(doubling\))'
    arm64_run_exe "$exe" /dev/null --compare --pages 64 --stride 4 --reps 1
    tr -d '\r' <"$OUT/stdout.txt" >"$t"
    if same_code 0 "$rc" && fits_80 "$OUT/stdout.txt" \
       && grep -Eq '^way +chunk +us/page +\(min\.\.max\) +ratio +AVs$' "$t" \
       && [ "$(grep -Ec "^$ways +(-|[0-9]+) +$num \( *$num\.\. *$num\) +[0-9]+\.[0-9]{2}x +[0-9]+\$" "$t")" = 5 ] \
       && grep -Eq "^up front \(whole region\) +- +$num \( *$num\.\. *$num\) +1\.00x +0\$" "$t" \
       && [ "$(grep -Ec "^$ways +\|[# ]{40}\| [0-9]+\.[0-9]{3} us\$" "$t")" = 5 ] \
       && grep -q '^every touched byte holds its value: ok$' "$t"; then pass "$name"
    else fail "$name" "exit $rc; ${why:-}" "$(grep -A6 '^way  *chunk' "$t")" "$(tail -2 "$OUT/stderr.txt")"; fi
}

# The one check --selftest fails here, by known difference 1: its
# not-a-fault scenario gets 0x80000003 (TAP's "got:" line, JUnit's text).
ARM64_SELFTEST_KNOWN="scenario not-a-fault|Exception code = 0x80000003."

# arm64_selftest_known TAP XML: 0 when the only failure in both is the
# known one above, with exactly that line got; then writes TAP.known and
# XML.known, the same with that check passed, for selftest.sh's tap_ok and
# junit_ok to judge the rest. Else the reason in $why.
arm64_selftest_known() {
    why=$(python3 - "$1" "$2" "$ARM64_SELFTEST_KNOWN" <<'PY'
import re, sys, xml.etree.ElementTree as ET
tap, xml, known = sys.argv[1], sys.argv[2], sys.argv[3]
name, got = known.split('|')
lines = open(tap, newline='').read().split('\r\n')
out, i, seen = [], 0, 0
while i < len(lines):
    m = re.fullmatch(r'not ok (\d+) - (.*)', lines[i])
    if m:
        end = lines.index('  ...', i) if '  ...' in lines[i:] else len(lines) - 1
        block = lines[i + 1:end]
        if m.group(2) != name or '  got: "%s"' % got not in block:
            print('a failure that is not the known one: %s %s' % (lines[i], ' '.join(block))); sys.exit(1)
        out.append('ok %s - %s' % (m.group(1), name)); seen += 1; i = end + 1; continue
    out.append(lines[i]); i += 1
if seen != 1: print('the known failure (%s) is not in the TAP stream' % name); sys.exit(1)
open(tap + '.known', 'w', newline='').write('\r\n'.join(out))
try: tree = ET.parse(xml)
except Exception as e: print('JUnit: %s' % e); sys.exit(1)
fails = []
for case in tree.getroot().iter('testcase'):
    for f in case.findall('failure'):
        fails.append(case.get('name'))
        if case.get('name') == name and got in (f.text or ''): case.remove(f)
if fails != [name] or list(tree.getroot().iter('failure')): print('JUnit failures: %s' % fails); sys.exit(1)
tree.write(xml + '.known', encoding='UTF-8', xml_declaration=True)
PY
) && return 0
    return 1
}

# arm64_selftest VARIANT DIR EXE: --selftest --junit in the root: exit 11
# (a check failed), the known difference 1 the only failure, and with it
# passed, a valid TAP 14 stream and JUnit with the same testcases
# (selftest.sh's tap_ok and junit_ok), 80 columns.
arm64_selftest() {
    local v=$1 dir=$2 exe=$3 jdir
    local name="$v: --selftest --junit: only '${ARM64_SELFTEST_KNOWN%%|*}' fails (known difference 1); TAP 14 and JUnit agree"
    # The exe runs in the root: its JUnit file goes to the root's /tmp (Z:).
    jdir=$(mktemp -d "${ARM64_ROOT:-/var/cache/pagefault-demo/arm64-bookworm}/tmp/pagefault-demo-junit.XXXXXX")
    rm -f "$dir/selftest.xml" "$dir/selftest.tap.known" "$dir/selftest.xml.known"
    arm64_run_exe "$exe" /dev/null --selftest --junit "Z:\\tmp\\$(basename "$jdir")\\selftest.xml"
    cp "$OUT/stdout.txt" "$dir/selftest.tap"; cp "$jdir/selftest.xml" "$dir/selftest.xml" 2>/dev/null
    rm -rf "$jdir"
    if same_code 11 "$rc" && arm64_selftest_known "$dir/selftest.tap" "$dir/selftest.xml" \
       && tap_ok "$dir/selftest.tap.known" && junit_ok "$dir/selftest.xml.known" "$dir/selftest.tap.known.names" \
       && fits_80 "$dir/selftest.tap"; then
        pass "$name ($(grep -c . "$dir/selftest.tap.known.names") checks, $(tail -1 "$dir/selftest.tap" | grep -o 'in [0-9.]* s'))"
    else fail "$name" "exit $rc; $why" "$(grep -A7 '^not ok' "$dir/selftest.tap" | head -16)" "$(tail -2 "$OUT/stderr.txt")"; fi
}

# The repro programs: each shows one known difference, minimal, linked
# without the ABI bridge. Expected here is this output exactly, and exit
# code 0 but where arm64_repro_rc says; on Windows, arm64_repro_windows.
ARM64_REPROS="brk_f004 printf_doubles write_flag vsnprintf"
arm64_repro_expected() {
    case $1 in
        brk_f004) printf '%s\r\n' "brk #0xF004 raised 0x80000003" ;;
        vsnprintf) printf '%s\r\n' "before _vsnprintf" "_vsnprintf crashed: exception 0xC0000005 at address 0x2A" ;;
        write_flag) printf '%s\r\n' "read of a reserved page: 0xC0000005, flag 0, address ok" \
                                    "write to a reserved page: 0xC0000005, flag 0, address ok" ;;
        printf_doubles) cat tests/arch/arm64/repro_printf_doubles.expected ;;
    esac
}
arm64_repro_windows() {
    case $1 in
        brk_f004) echo "brk #0xF004 raised 0xC0000094" ;;
        write_flag) echo "write to a reserved page: 0xC0000005, flag 1, address ok" ;;
        printf_doubles) echo "1.5 2.5 3.5 4.5 5.5 6.5 7.5 8.5 9.5" ;;
        vsnprintf) echo "_vsnprintf gave 2: 42" ;;
    esac
}
arm64_repro_rc() { case $1 in vsnprintf) echo 1 ;; *) echo 0 ;; esac; }
# What Windows prints, in full, for the repros that also build for x64: the
# control, built the same way for x64 and run with the host's x64 Wine.
arm64_repro_x64_expected() {
    case $1 in
        write_flag) printf '%s\r\n' "read of a reserved page: 0xC0000005, flag 0, address ok" \
                                    "write to a reserved page: 0xC0000005, flag 1, address ok" ;;
        printf_doubles) printf '%s\r\n' "1.5 2.5" "1.5 2.5 3.5 4.5 5.5 6.5 7.5 8.5 9.5" \
                                        "7 1.500 (0.250..2.750) 0.50x 9" ;;
        vsnprintf) printf '%s\r\n' "before _vsnprintf" "_vsnprintf gave 2: 42" ;;
    esac
}

test_arm64_repros() {
    local r d=$OUT/arm64-repro
    for r in $ARM64_REPROS; do
        if ! arm64_build repro "$d/repro_$r.exe" "tests/arch/arm64/repro_$r.c"; then
            fail "ARM64 repro $r: builds" "$why"; continue
        fi
        arm64_repro_expected "$r" >"$d/$r.expected"
        arm64_run_exe "$d/repro_$r.exe" /dev/null
        cp "$OUT/stdout.txt" "$d/$r.txt"
        if same_bytes "$d/$r.expected" "$d/$r.txt" && same_code "$(arm64_repro_rc "$r")" "$rc"; then
            pass "ARM64 repro $r: the known difference, exactly (Windows: $(arm64_repro_windows "$r"))"
        else fail "ARM64 repro $r: the known difference, exactly" "$why" "got: $(tr -d '\r' <"$d/$r.txt" | head -3)" \
                  "a changed difference: update tests/arch/arm64.sh and docs/ARM64.md"; fi
    done
    # The control: the same source for x64 (clang-19 MSVC mode, as the
    # clang-x64 variants) prints what Windows prints, so the difference is
    # the ARM64 route's, not the program's. (brk is ARM64 only.)
    for r in printf_doubles write_flag vsnprintf; do
        if ! $CLANG_MSVC --target=x86_64-pc-windows-msvc -isystem /usr/x86_64-w64-mingw32/include -std=c11 -O2 \
                -Wall -Wextra -Wformat=2 -Werror -c -o "$d/x64_$r.o" "tests/arch/arm64/repro_$r.c" >"$d/x64_$r.log" 2>&1 \
           || ! clang-19 --target=x86_64-w64-windows-gnu -fuse-ld=lld -o "$d/x64_$r.exe" "$d/x64_$r.o" >>"$d/x64_$r.log" 2>&1; then
            fail "ARM64 repro $r, x64 control: builds" "$(tail -3 "$d/x64_$r.log")"; continue
        fi
        arm64_repro_x64_expected "$r" >"$d/x64_$r.expected"
        run_exe "$d/x64_$r.exe" /dev/null
        if same_bytes "$d/x64_$r.expected" "$OUT/stdout.txt" && same_code 0 "$rc"; then
            pass "ARM64 repro $r, x64 control: prints what Windows prints"
        else fail "ARM64 repro $r, x64 control: prints what Windows prints" "$why" "got: $(tr -d '\r' <"$OUT/stdout.txt" | head -3)"; fi
    done
    # The same repros linked with the ABI bridge, as the variants are: here
    # they print what Windows prints (the x64 control's output).
    for r in printf_doubles vsnprintf; do
        if ! arm64_build bridged "$d/bridged_$r.exe" "tests/arch/arm64/repro_$r.c"; then
            fail "ARM64 repro $r with the ABI bridge: builds" "$why"; continue
        fi
        arm64_repro_x64_expected "$r" >"$d/bridged_$r.expected"
        arm64_run_exe "$d/bridged_$r.exe" /dev/null
        if same_bytes "$d/bridged_$r.expected" "$OUT/stdout.txt" && same_code 0 "$rc"; then
            pass "ARM64 repro $r with the ABI bridge: prints what Windows prints"
        else fail "ARM64 repro $r with the ABI bridge: prints what Windows prints" "$why" \
                  "got: $(tr -d '\r' <"$OUT/stdout.txt" | head -3)"; fi
    done
    # The bridge keeps msvcrt's formatting and return values: bridge_check.c
    # built for x64 (msvcrt itself, the host's Wine) and for ARM64 with the
    # bridge print the same bytes.
    local name="ARM64 ABI bridge: bridge_check.c prints the same bytes as x64's msvcrt (formats, return values)"
    if ! $CLANG_MSVC --target=x86_64-pc-windows-msvc -isystem /usr/x86_64-w64-mingw32/include -std=c11 -O2 \
            -Wall -Wextra -Wformat=2 -Werror -c -o "$d/x64_bridge_check.o" tests/arch/arm64/bridge_check.c >"$d/x64_bc.log" 2>&1 \
       || ! clang-19 --target=x86_64-w64-windows-gnu -fuse-ld=lld -o "$d/x64_bridge_check.exe" "$d/x64_bridge_check.o" >>"$d/x64_bc.log" 2>&1
    then fail "$name" "the x64 build: $(tail -3 "$d/x64_bc.log")"
    elif ! arm64_build bridged "$d/bridge_check.exe" tests/arch/arm64/bridge_check.c; then fail "$name" "the ARM64 build: $why"
    else
        run_exe "$d/x64_bridge_check.exe" /dev/null
        cp "$OUT/stdout.txt" "$d/bridge_check-x64.txt"
        local xrc=$rc
        arm64_run_exe "$d/bridge_check.exe" /dev/null
        if same_code 0 "$xrc" && [ "$(grep -c . "$d/bridge_check-x64.txt")" = 23 ] \
           && same_bytes "$d/bridge_check-x64.txt" "$OUT/stdout.txt" && same_code 0 "$rc"; then pass "$name"
        else fail "$name" "x64 exit $xrc; $why" "$(diff "$d/bridge_check-x64.txt" "$OUT/stdout.txt" | head -4)"; fi
    fi
}

# test_arm64_all: build every ARM64 variant in $VARIANTS, then run them and
# the repro programs, or skip the runs in one line saying why and how.
test_arm64_all() {
    local v list="" built=""
    for v in $VARIANTS; do [ "${VARCH[$v]}" = arm64 ] && list="$list $v"; done
    [ -z "$list" ] && return 0
    local log rel cpp ldf
    for v in $list; do
        rel=build/tests/$v log=$OUT/$v/build.log cpp="" ldf=""
        [ "${v%-unicode}" != "$v" ] && cpp="-DUNICODE -D_UNICODE" ldf=-municode
        mkdir -p "$OUT/$v"; rm -f "$rel/pagefault_demo.exe"
        # As a person builds it: Makefile.mingw's ARCH=arm64, strict flags.
        if make -s $MAKE_J -f Makefile.mingw ARCH=arm64 "BUILD=$rel" "CPPFLAGS=$cpp" "LDFLAGS=$ldf" \
                "$rel/pagefault_demo.exe" >"$log" 2>&1 && ! grep -qi warning "$log"; then
            pass "$v: builds without a warning (make ARCH=arm64: clang-19 MSVC mode, -fasync-exceptions, lld)"
            built="$built $v"
        else fail "$v: builds without a warning (make ARCH=arm64)" "$(tail -3 "$log")"; fi
    done
    # Windows reports brk #0xF004 as EXCEPTION_INT_DIVIDE_BY_ZERO; the
    # compiler must put it before not-a-fault's division (checked in the
    # build, as the runs here get another code: known difference 1).
    v=${built# }; v=${v%% *}
    if [ -n "$v" ]; then
        if llvm-objdump -d "build/tests/$v/scenario.o" 2>/dev/null | sed -n '/<RaiseIntegerDivideByZero>:/,/^$/p' | grep -q 'brk[[:space:]]*#0xf004'; then
            pass "ARM64: --scenario not-a-fault's division is guarded by brk #0xF004 (EXCEPTION_INT_DIVIDE_BY_ZERO)"
        else fail "ARM64: --scenario not-a-fault's division is guarded by brk #0xF004" "no brk #0xf004 in RaiseIntegerDivideByZero (llvm-objdump -d build/tests/$v/scenario.o)"; fi
    fi
    if ! arm64_ready; then
        skip "ARM64 runs ($(echo "${list# }" | tr ' ' ','))" "$why"
        return 0
    fi
    # One wineserver for all the runs, as run.sh does for x64.
    sh tests/arch/arm64-root.sh persist
    for v in $built; do
        test_arm64_variant "$v" "$OUT/$v" "$OUT/$v/pagefault_demo.exe"
    done
    test_arm64_repros

    # As README says: make run ARCH=arm64 > b.txt is the documented trace.
    local name="make -f Makefile.mingw run ARCH=arm64 > b.txt: the documented trace, byte for byte"
    # Its build is clang-arm64-ansi's (the same make line, flags and all), so
    # make finds it up to date.
    make -s -f Makefile.mingw run ARCH=arm64 BUILD=build/tests/clang-arm64-ansi >"$OUT/arm64-make.txt" 2>"$OUT/arm64-make.err"
    rc=$?
    if same_code 0 "$rc" && same_bytes expected_output.txt "$OUT/arm64-make.txt"; then pass "$name"
    else fail "$name" "exit $rc; ${why:-}" "$(tail -3 "$OUT/arm64-make.err")"; fi
    sh tests/arch/arm64-root.sh stop
}
