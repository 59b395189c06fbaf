#!/usr/bin/env bash
# tests/build_bat.sh - build.bat, as far as Wine's cmd can take it, and the
# ARM64 compile check. Sourced by run.sh.
#
# Wine 8's fc.exe is a stub and there is no cl or clang-cl, so the suite
# builds two stand-ins from tests/tools/ with MinGW and puts them first on
# Wine's PATH (WINEPATH) for the runs that need them: fc.exe does what
# Microsoft documents for "fc /b"; clang-cl.exe prints a version and
# "compiles" nothing. Nothing outside the suite uses them.

BAT_TOOLS=$OUT/bat-tools

# winepath through Wine's 64-bit loader, as lib.sh's wine(): /usr/bin/winepath
# starts /usr/bin/wine, which fails once wine32:i386 is installed ("could not
# load kernel32.dll"). Unless lib.sh defines it already.
declare -F winepath >/dev/null || winepath() { wine winepath "$@"; }

# bat_run DIR ARGS...: run build.bat from DIR (its own folder: Wine's cmd
# mangles a quoted script path with spaces and parentheses), stdout and
# stderr to $OUT/bat-out.txt, exit code in $rc. WINEPATH and the FAKE_CLANG_*
# variables, when set by the caller, reach the batch file. Retried
# (retry_once) if Wine did not start cmd or a child of the --selftest that
# build.bat ran: its TAP is build\selftest.tap.
bat_run() {
    local dir=$1; shift
    retry_once "$dir/build/selftest.tap" "$OUT/bat-out.txt" "build.bat $*" bat_run_once "$@"
}
bat_run_once() {
    rm -f "$dir/build/selftest.tap"
    (cd "$dir" && wine cmd /c build.bat "$@") >"$OUT/bat-out.txt" 2>&1
    rc=$?
}

# bat_expect NAME CODE PATTERN...: pass when the last bat_run exited CODE and
# its output holds every fixed-string PATTERN.
bat_expect() {
    local name=$1 code=$2 p; shift 2
    if [ "$rc" != "$code" ]; then
        fail "$name" "exit $rc, expected $code" "$(grep '^FAIL ' "$OUT/bat-out.txt" | head -3)" "$(tail -5 "$OUT/bat-out.txt")"; return
    fi
    for p in "$@"; do
        if ! grep -qF -- "$p" "$OUT/bat-out.txt"; then
            fail "$name" "no line with: $p" "$(tail -5 "$OUT/bat-out.txt")"; return
        fi
    done
    pass "$name"
}

# bat_copy DIR: a copy of what build.bat reads (itself, src, the traces) at DIR.
bat_copy() {
    rm -rf "$1"; mkdir -p "$1/tests"
    cp -r build.bat expected_output.txt src "$1/" && cp -r tests/expected "$1/tests/"
}

# tool_cc OUT SRC [FLAGS...]: one stand-in, built with MinGW, log appended.
tool_cc() {
    local out=$1 src=$2; shift 2
    mkdir -p "$(dirname "$out")"
    x86_64-w64-mingw32-gcc -std=c11 -O2 -Wall -Wextra -Wformat=2 -Werror "$@" \
        -o "$out" "$src" >>"$BAT_TOOLS/build.log" 2>&1
}

# The suite's stand-ins; returns non-zero if they do not build. Besides fc
# and an old clang-cl on PATH: vswhere.exe, and two fake Visual Studio
# folders, each with a clang-cl 19 per host (VC\Tools\Llvm\x64\bin, bin,
# ARM64\bin) and a VsDevCmd.bat that says how it was called. "vs" has only
# the x64-hosted ARM64 cross compiler; "vs-x64-only" has no ARM64 compiler.
build_bat_tools() {
    local vs d
    rm -rf "$BAT_TOOLS"; mkdir -p "$BAT_TOOLS"; : >"$BAT_TOOLS/build.log"
    tool_cc "$BAT_TOOLS/fc/fc.exe" tests/tools/fc_b.c || return 1
    tool_cc "$BAT_TOOLS/clang/clang-cl.exe" tests/tools/fake_clang_cl.c || return 1
    tool_cc "$BAT_TOOLS/vswhere/vswhere.exe" tests/tools/fake_vswhere.c || return 1
    tool_cc "$BAT_TOOLS/demo/fake_demo.exe" tests/tools/fake_demo.c || return 1
    mkdir -p "$BAT_TOOLS/pf/Microsoft Visual Studio/Installer"
    cp "$BAT_TOOLS/vswhere/vswhere.exe" "$BAT_TOOLS/pf/Microsoft Visual Studio/Installer/"
    tool_cc "$BAT_TOOLS/clang19.exe" tests/tools/fake_clang_cl.c '-DFAKE_DEFAULT_VERSION="19.1.5"' || return 1
    for vs in vs vs-x64-only vs-v143 vs-blank; do
        for d in x64/bin bin ARM64/bin; do
            mkdir -p "$BAT_TOOLS/$vs/VC/Tools/Llvm/$d"
            cp "$BAT_TOOLS/clang19.exe" "$BAT_TOOLS/$vs/VC/Tools/Llvm/$d/clang-cl.exe"
        done
        mkdir -p "$BAT_TOOLS/$vs/Common7/Tools"
        printf '@echo off\r\necho fake VsDevCmd %%*\r\necho fake VsDevCmd run as %%0 from %%cd%%\r\nset "INCLUDE=fake"\r\nset "LIB=fake"\r\nexit /b 0\r\n' \
            >"$BAT_TOOLS/$vs/Common7/Tools/VsDevCmd.bat"
    done
    # "vs-v143": the v143 default (14.38, with ARM64-hosted tools) lags the
    # general default (14.40, x64-hosted cross tools only), as on machines
    # with side-by-side toolsets; "vs-blank": a version file whose line
    # ends in blanks. Both have the native ARM64 compiler only where the
    # version VsDevCmd takes points.
    mkdir -p "$BAT_TOOLS/vs-v143/VC/Auxiliary/Build" "$BAT_TOOLS/vs-blank/VC/Auxiliary/Build"
    printf '14.38.33130  \r\n' >"$BAT_TOOLS/vs-v143/VC/Auxiliary/Build/Microsoft.VCToolsVersion.v143.default.txt"
    printf '14.38.33130  \r\n' >"$BAT_TOOLS/vs-blank/VC/Auxiliary/Build/Microsoft.VCToolsVersion.default.txt"
    for vs in vs-v143 vs-blank; do
        mkdir -p "$BAT_TOOLS/$vs/VC/Tools/MSVC/14.38.33130/bin/HostARM64/arm64"
        cp "$BAT_TOOLS/clang19.exe" "$BAT_TOOLS/$vs/VC/Tools/MSVC/14.38.33130/bin/HostARM64/arm64/cl.exe"
    done
    for vs in vs vs-x64-only vs-v143; do
        mkdir -p "$BAT_TOOLS/$vs/VC/Auxiliary/Build"
        printf '14.40.33807\r\n' >"$BAT_TOOLS/$vs/VC/Auxiliary/Build/Microsoft.VCToolsVersion.default.txt"
    done
    mkdir -p "$BAT_TOOLS/vs/VC/Tools/MSVC/14.40.33807/bin/Hostx64/arm64" "$BAT_TOOLS/vs-x64-only/VC/Tools/MSVC/14.40.33807/bin/Hostx64/x64"
    mkdir -p "$BAT_TOOLS/vs-v143/VC/Tools/MSVC/14.40.33807/bin/Hostx64/arm64"
    cp "$BAT_TOOLS/clang19.exe" "$BAT_TOOLS/vs-v143/VC/Tools/MSVC/14.40.33807/bin/Hostx64/arm64/cl.exe"
    cp "$BAT_TOOLS/clang19.exe" "$BAT_TOOLS/vs/VC/Tools/MSVC/14.40.33807/bin/Hostx64/arm64/cl.exe"
    cp "$BAT_TOOLS/clang19.exe" "$BAT_TOOLS/vs-x64-only/VC/Tools/MSVC/14.40.33807/bin/Hostx64/x64/cl.exe"
}

# bat_host DIR PA PAW PF86 PF ARGS...: run build.bat from DIR as on another
# host, through a wrapper that sets PROCESSOR_ARCHITECTURE, PROCESSOR_ARCHITEW6432,
# ProgramFiles(x86) and ProgramFiles (empty: undefined) first.
bat_host() {
    local dir=$1; shift
    printf '@echo off\r\nrem The suite plays another host, then runs build.bat.\r\nset "PROCESSOR_ARCHITECTURE=%%FAKE_PA%%"\r\nset "PROCESSOR_ARCHITEW6432=%%FAKE_PAW%%"\r\nset "ProgramFiles(x86)=%%FAKE_PF86%%"\r\nset "ProgramFiles=%%FAKE_PF%%"\r\nrem Not "call": control passes to build.bat, whose exit code ends cmd /c.\r\nbuild.bat %%*\r\n' >"$dir/host.bat"
    retry_once "$OUT/bat-out.txt" /dev/null "host.bat $*" bat_host_once "$@"
}
bat_host_once() {
    (cd "$dir" && FAKE_PA=$1 FAKE_PAW=$2 FAKE_PF86=$3 FAKE_PF=$4 wine cmd /c host.bat "${@:5}") >"$OUT/bat-out.txt" 2>&1
    rc=$?
}

# Which Visual Studio and clang-cl build.bat takes on each host, and what
# it asks of them (VsDevCmd's -arch and -host_arch, clang-cl's --target).
test_bat_hosts() {
    local copy=$1 wvs wvs2 wpf nopf wvswhere wclang
    wvs=$(winepath -w "$BAT_TOOLS/vs"); wvs2=$(winepath -w "$BAT_TOOLS/vs-x64-only")
    wpf=$(winepath -w "$BAT_TOOLS/pf"); nopf=$(winepath -w "$BAT_TOOLS/no-such-folder")
    wvswhere=$(winepath -w "$BAT_TOOLS/vswhere"); wclang=$(winepath -w "$BAT_TOOLS/clang")
    FAKE_VSWHERE_PATH=$wvs WINEPATH="$wvswhere;$wclang" bat_host "$copy" AMD64 "" "$nopf" "$nopf" /clang
    bat_expect "build.bat /clang on x64 takes Visual Studio's clang-cl 19 before clang-cl 14 on PATH" 1 \
        'Host: x64, target: x64' "Compiler: \"$wvs\\VC\\Tools\\Llvm\\x64\\bin\\clang-cl.exe\"" 'Version: clang version 19.1.5' \
        'fake VsDevCmd -no_logo -arch=x64 -host_arch=x64' '--target=x86_64-pc-windows-msvc' 'exited with code 0 but wrote no'
    FAKE_VSWHERE_PATH=$wvs WINEPATH="$wclang" bat_host "$copy" x86 AMD64 "$wpf" "$nopf" /clang
    bat_expect "build.bat /clang from a 32-bit cmd on 64-bit Windows: x64 host tools, x86 target" 1 \
        'Host: x64, target: x86' 'Llvm\x64\bin\clang-cl.exe"' 'fake VsDevCmd -no_logo -arch=x86 -host_arch=x64' '--target=i686-pc-windows-msvc'
    FAKE_VSWHERE_PATH=$wvs WINEPATH="$wclang" bat_host "$copy" x86 "" "" "$wpf" /clang
    bat_expect "build.bat /clang on 32-bit Windows (no ProgramFiles(x86)): vswhere in ProgramFiles, Llvm\\bin, x86" 1 \
        'Host: x86, target: x86' 'Llvm\bin\clang-cl.exe"' 'fake VsDevCmd -no_logo -arch=x86 -host_arch=x86' '--target=i686-pc-windows-msvc'
    FAKE_VSWHERE_PATH=$wvs WINEPATH="$wclang" bat_host "$copy" ARM64 "" "$wpf" "$nopf" /clang
    bat_expect "build.bat /clang on ARM64 with only x64 cross tools: says so, ARM64 clang-cl, aarch64 target" 1 \
        'Host: arm64, target: arm64' 'Llvm\ARM64\bin\clang-cl.exe"' 'NOTE: this is an ARM64 PC, but only the x64-hosted' \
        'fake VsDevCmd -no_logo -arch=arm64 -host_arch=x64' '--target=aarch64-pc-windows-msvc'
    FAKE_VSWHERE_PATH=$wvs2 WINEPATH="$wclang" bat_host "$copy" ARM64 "" "$wpf" "$nopf" /clang
    bat_expect "build.bat /clang on ARM64 with no ARM64 compiler at all: exit 3, what to install" 3 \
        'has no arm64 compiler for this ARM64 PC' 'Microsoft.VisualStudio.Component.VC.Tools.ARM64'
}

# bat_lacks NAME PATTERN: pass when the last bat_run's output has no line
# with the fixed string PATTERN.
bat_lacks() {
    local name=$1 p=$2
    if grep -qF -- "$p" "$OUT/bat-out.txt"; then
        fail "$name" "a line with: $p" "$(grep -F -- "$p" "$OUT/bat-out.txt" | head -2)"
    else pass "$name"; fi
}

# The six findings of issue 15's careful read of build.bat, on the fake
# Visual Studios of build_bat_tools. Wine's cmd expands %VAR% again and
# drops ^ in every expansion (real cmd does neither), so a Visual Studio
# path with ^ or % in it cannot be tried here; the test of (5) checks how
# VsDevCmd.bat is called instead.
test_bat_env() {
    local copy=$1 wvs wv143 wblank wpf nopf wclang
    wvs=$(winepath -w "$BAT_TOOLS/vs"); wv143=$(winepath -w "$BAT_TOOLS/vs-v143")
    wblank=$(winepath -w "$BAT_TOOLS/vs-blank")
    wpf=$(winepath -w "$BAT_TOOLS/pf"); nopf=$(winepath -w "$BAT_TOOLS/no-such-folder")
    wclang=$(winepath -w "$BAT_TOOLS/clang")
    # (1) The MSVC tools version as VsDevCmd's vcvars.bat reads it.
    FAKE_VSWHERE_PATH=$wv143 WINEPATH="$wclang" bat_host "$copy" ARM64 "" "$wpf" "$nopf" /clang
    bat_expect "build.bat on ARM64 takes the tools version from Microsoft.VCToolsVersion.v143.default.txt first, as vcvars.bat does" 1 \
        'fake VsDevCmd -no_logo -arch=arm64 -host_arch=arm64'
    bat_lacks "build.bat on ARM64 with native tools in the v143 default: no NOTE about x64 cross tools" 'NOTE: this is an ARM64 PC'
    FAKE_VSWHERE_PATH=$wblank WINEPATH="$wclang" bat_host "$copy" ARM64 "" "$wpf" "$nopf" /clang
    bat_expect "build.bat reads a tools version whose line ends in blanks (for /f, not set /p)" 1 \
        'fake VsDevCmd -no_logo -arch=arm64 -host_arch=arm64'
    # (2) A machine-wide INCLUDE is not a Developer Command Prompt;
    # VSCMD_ARG_TGT_ARCH is.
    INCLUDE='C:\Other SDK\include' FAKE_VSWHERE_PATH=$wvs WINEPATH="$wclang" bat_host "$copy" AMD64 "" "$wpf" "$nopf" /clang
    bat_expect "build.bat with a machine-wide INCLUDE still sets up Visual Studio (judged by VSCMD_ARG_TGT_ARCH)" 1 \
        'fake VsDevCmd -no_logo -arch=x64 -host_arch=x64'
    VSCMD_ARG_TGT_ARCH=x64 INCLUDE='C:\VS\include' FAKE_VSWHERE_PATH=$wvs WINEPATH="$wclang" bat_host "$copy" AMD64 "" "$wpf" "$nopf" /clang
    bat_expect "build.bat in a Developer Command Prompt (VSCMD_ARG_TGT_ARCH=x64) builds with it" 1 \
        '--target=x86_64-pc-windows-msvc'
    bat_lacks "build.bat in a Developer Command Prompt does not run VsDevCmd again" 'fake VsDevCmd'
    # (3) A cross prompt whose programs this PC cannot run.
    VSCMD_ARG_TGT_ARCH=arm64 FAKE_VSWHERE_PATH=$wvs WINEPATH="$wclang" bat_host "$copy" AMD64 "" "$wpf" "$nopf"
    bat_expect "build.bat in an x64-to-ARM64 cross prompt on an x64 PC: exit 3, says the exe could not run here" 3 \
        'this prompt builds for arm64 (VSCMD_ARG_TGT_ARCH), but this is an' 'x64 PC, which cannot run arm64 programs'
    if fits_80 "$OUT/bat-out.txt"; then pass "build.bat's cross-prompt message fits 80 columns"
    else fail "build.bat's cross-prompt message fits 80 columns" "$why"; fi
    VSCMD_ARG_TGT_ARCH=x64 FAKE_VSWHERE_PATH=$wvs WINEPATH="$wclang" bat_host "$copy" x86 "" "" "$wpf"
    bat_expect "build.bat in an x64 prompt on 32-bit Windows: exit 3, cannot run x64 programs" 3 \
        'x86 PC, which cannot run x64 programs'
    VSCMD_ARG_TGT_ARCH=x64 FAKE_VSWHERE_PATH=$wvs WINEPATH="$wclang" bat_host "$copy" ARM64 "" "$wpf" "$nopf" /clang
    bat_expect "build.bat in an ARM64-to-x64 prompt on an ARM64 PC goes on (x64 runs emulated)" 1 \
        '--target=x86_64-pc-windows-msvc'
    # (4) Only a Preview Visual Studio.
    FAKE_VSWHERE_PRERELEASE_PATH=$wvs WINEPATH="$wclang" bat_host "$copy" AMD64 "" "$wpf" "$nopf" /clang
    bat_expect "build.bat with only a Preview Visual Studio finds it (vswhere -prerelease)" 1 \
        'using a prerelease one' "Compiler: \"$wvs\\VC\\Tools\\Llvm\\x64\\bin\\clang-cl.exe\"" \
        'fake VsDevCmd -no_logo -arch=x64 -host_arch=x64'
    # (5) VsDevCmd.bat by bare name, from its own folder.
    FAKE_VSWHERE_PATH=$wvs WINEPATH="$wclang" bat_host "$copy" AMD64 "" "$wpf" "$nopf" /clang
    bat_expect "build.bat calls VsDevCmd.bat by bare name from its own folder (no ^ doubling, no % re-expansion)" 1 \
        "fake VsDevCmd run as VsDevCmd.bat from $wvs\\Common7\\Tools"
}

# (6) ci.yml: every job that asks for a hosted ARM runner runs only in a
# public repository, the only kind GitHub offers them to; and there still
# is one.
test_bat_ci() {
    local f=.github/workflows/ci.yml bad
    if [ ! -f "$f" ]; then fail "ci.yml: ARM64 jobs only in public repositories" "no $f"; return; fi
    bad=$(awk '/^  [A-Za-z0-9_-]+:[[:space:]]*$/ { job = $1 }
               /(runs-on|os):.*-arm/ { arm[job] = 1; any = 1 }
               /^    if: github\.event\.repository\.private == false[[:space:]]*$/ { ok[job] = 1 }
               END { for (j in arm) if (!ok[j]) printf "%s ", j; if (!any) printf "(no ARM job at all)" }' "$f")
    if [ -z "$bad" ]; then pass "ci.yml: the ARM64 jobs run only where hosted ARM runners exist (public repositories)"
    else fail "ci.yml: the ARM64 jobs run only in public repositories" "jobs without 'if: github.event.repository.private == false': $bad"; fi
}

# The three-way verdict and the --selftest check, with fake_demo.exe: run
# alone it is wrong everywhere; with FAKE_DEMO_REAL it runs the real exe
# WREF for everything but --selftest, which FAKE_SELFTEST chooses.
test_bat_verdicts() {
    local copy=$1 wref=$2 wfake wfc last
    wfake=$(winepath -w "$BAT_TOOLS/demo/fake_demo.exe"); wfc=$(winepath -w "$BAT_TOOLS/fc")
    FAKE_DEMO_REAL=$wref WINEPATH=$wfc bat_run "$copy" /exe "$wfake"
    bat_expect "build.bat: a passing --selftest is a check: PASS: 8 checks, exit 0" 0 \
        'PASS pagefault_demo --selftest (exit 0, TAP, no "not ok")' 'PASS: 8 checks'
    if fits_80 "$OUT/bat-out.txt"; then pass "build.bat's checks, all passed: every line fits 80 columns"
    else fail "build.bat's checks, all passed: every line fits 80 columns" "$why"; fi
    FAKE_DEMO_REAL=$wref bat_run "$copy" /exe "$wfake"
    last=$(tail -n 1 "$OUT/bat-out.txt" | tr -d '\r')
    if [ "$rc" = 5 ] && [ "$last" = 'INCOMPLETE: 5 of 8 checks not compared (fc cannot compare files here)' ] \
       && ! grep -q '^FAIL' "$OUT/bat-out.txt"; then
        pass "build.bat with Wine's stub fc and nothing failed: last line INCOMPLETE: 5 of 8, no FAIL line, exit 5"
        if fits_80 "$OUT/bat-out.txt"; then pass "build.bat's INCOMPLETE run: every line fits 80 columns"
        else fail "build.bat's INCOMPLETE run: every line fits 80 columns" "$why"; fi
    else fail "build.bat with Wine's stub fc and nothing failed: INCOMPLETE, exit 5" "exit $rc, last line: $last"; fi
    FAKE_DEMO_REAL=$wref FAKE_SELFTEST=fail WINEPATH=$wfc bat_run "$copy" /exe "$wfake"
    bat_expect "build.bat: --selftest exit 11: FAIL names the code and the failing check, FAIL: 1 of 8, exit 4" 4 \
        'FAIL pagefault_demo --selftest: exit code 11 (the self-test found failures)' 'not ok 2 - scenario overrun' 'FAIL: 1 of 8 checks'
    if fits_80 "$OUT/bat-out.txt"; then pass "build.bat's --selftest failure report fits 80 columns"
    else fail "build.bat's --selftest failure report fits 80 columns" "$why"; fi
    FAKE_DEMO_REAL=$wref FAKE_SELFTEST=crash WINEPATH=$wfc bat_run "$copy" /exe "$wfake"
    bat_expect "build.bat: --selftest exit 13 (crashed): FAIL: 1 of 8, exit 4" 4 \
        'FAIL pagefault_demo --selftest: exit code 13 (crashed)' 'FAIL: 1 of 8 checks'
    FAKE_DEMO_REAL=$wref FAKE_SELFTEST=notap WINEPATH=$wfc bat_run "$copy" /exe "$wfake"
    bat_expect "build.bat: --selftest exit 0 with no TAP stream: FAIL, exit 4" 4 \
        'FAIL pagefault_demo --selftest: exit code 0' 'FAIL: 1 of 8 checks'
    FAKE_DEMO_REAL=$wref FAKE_SELFTEST=notok0 WINEPATH=$wfc bat_run "$copy" /exe "$wfake"
    bat_expect "build.bat: --selftest exit 0 with a \"not ok\" line: FAIL, exit 4" 4 \
        'FAIL pagefault_demo --selftest: exit code 0' 'not ok 2 - scenario overrun' 'FAIL: 1 of 8 checks'
    # Wine did not start a --selftest child (error 1359): once more, counted, still FAIL.
    local before=$RETRIED
    FAKE_DEMO_REAL=$wref FAKE_SELFTEST=nostart WINEPATH=$wfc bat_run "$copy" /exe "$wfake"
    if [ "$RETRIED" = $((before + 1)) ]; then
        bat_expect "build.bat: a --selftest that could not start a child is run once more, counted, still FAIL, exit 4" 4 \
            'FAIL pagefault_demo --selftest: exit code 11' 'FAIL: 1 of 8 checks'
    else fail "build.bat: a --selftest that could not start a child is run once more, counted, still FAIL, exit 4" \
              "retried $((RETRIED - before)) times, expected 1"; fi
    RETRIED=$before; sed -i '$d' "$OUT/retried.txt"; [ -s "$OUT/retried.txt" ] || rm -f "$OUT/retried.txt"   # On purpose
    FAKE_DEMO_REAL=$wref FAKE_SELFTEST=fail bat_run "$copy" /exe "$wfake"
    last=$(tail -n 1 "$OUT/bat-out.txt" | tr -d '\r')
    if [ "$rc" = 4 ] && [ "$last" = 'FAIL: 1 of 8 checks' ] && grep -q '^Besides, 5 traces were not compared' "$OUT/bat-out.txt"; then
        pass "build.bat with a failure and uncompared traces: FAIL: 1 of 8 (only the failure counted), says 5 not compared, exit 4"
    else fail "build.bat with a failure and uncompared traces: FAIL: 1 of 8, exit 4" "exit $rc, last line: $last"; fi
}

# The fc stand-in itself, against fc /b's documented exit codes.
test_fc_stand_in() {
    local d=$BAT_TOOLS/fc-check
    mkdir -p "$d"
    printf 'abc\r\n' >"$d/a.txt"; printf 'abc\r\n' >"$d/same.txt"; printf 'abd\r\n' >"$d/b.txt"
    (cd "$d" && wine "$BAT_TOOLS/fc/fc.exe" /b a.txt same.txt) >"$d/out.txt" 2>&1; local r1=$?
    (cd "$d" && wine "$BAT_TOOLS/fc/fc.exe" /b a.txt b.txt) >"$d/out.txt" 2>&1; local r2=$?
    local diffline; diffline=$(tr -d '\r' <"$d/out.txt" | grep -c '^00000002: 63 64$')
    (cd "$d" && wine "$BAT_TOOLS/fc/fc.exe" /b a.txt missing.txt) >"$d/out.txt" 2>&1; local r3=$?
    if [ $r1 = 0 ] && [ $r2 = 1 ] && [ "$diffline" = 1 ] && [ $r3 = 2 ]; then
        pass "fc /b stand-in: 0 identical, 1 differ (offset 00000002: 63 64), 2 cannot open"
    else fail "fc /b stand-in: 0 identical, 1 differ, 2 cannot open" "got $r1, $r2 (offset line: $diffline), $r3"; fi
}

test_build_bat_all() {
if [ ! -f build.bat ]; then fail "build.bat exists"; return; fi
bat_run "$ROOT" /?
bat_expect "build.bat /? prints its usage" 0 'Usage: build.bat' 'Exit codes:'
bat_run "$ROOT" /bogus
bat_expect "build.bat /bogus exits 2" 2 'unknown option: "/bogus"'
bat_run "$ROOT" /unicode /exe x.exe
bat_expect "build.bat /unicode /exe is a usage error (exit 2)" 2 '/unicode and /clang do not apply'
bat_run "$ROOT" /exe x.exe /clang
bat_expect "build.bat /exe ... /clang is a usage error (exit 2)" 2 '/unicode and /clang do not apply'
bat_run "$ROOT" /exe missing.exe
bat_expect "build.bat /exe of a missing file: exit 6, one line" 6 'build.bat: /exe: no such file: "missing.exe"'
[ "$(wc -l <"$OUT/bat-out.txt")" = 1 ] || fail "build.bat /exe of a missing file prints one line" "$(cat "$OUT/bat-out.txt")"
# Wine has no cl, clang-cl or Visual Studio: build.bat must say so and fail.
bat_run "$ROOT"
bat_expect "build.bat with no compiler exits 3 with its message" 3 'No C compiler found'

if ! build_bat_tools; then
    fail "build.bat: the suite's fc and clang-cl stand-ins build" "$(tail -5 "$BAT_TOOLS/build.log")"; return
fi
test_fc_stand_in
local wtools_fc wtools_clang
wtools_fc=$(winepath -w "$BAT_TOOLS/fc" 2>/dev/null)
wtools_clang=$(winepath -w "$BAT_TOOLS/clang" 2>/dev/null)

# clang-cl: an old one first on PATH is refused, naming version and path.
WINEPATH=$wtools_clang bat_run "$ROOT" /clang
bat_expect "build.bat /clang refuses clang-cl 14.0.6 found on PATH (exit 3)" 3 \
    'Version: clang version 14.0.6' 'this clang-cl is version 14 ("Z:' 'clang-cl.exe"); version 19 or newer'

# The real exe build.bat checks: gcc-x64-ansi. This part built it already
# when VARIANTS has it (these tests run after the variants, in the same
# part: tests/run.sh); else it is built here.
local ref_rel=${OUT#"$ROOT"/}/bat-ref ref_exe rv=gcc-x64-ansi
ref_exe=$ROOT/$ref_rel/pagefault_demo.exe
case " $VARIANTS " in *" $rv "*) [ -f "$OUT/$rv/pagefault_demo.exe" ] && ref_exe=$OUT/$rv/pagefault_demo.exe ;; esac
if [ "$ref_exe" = "$ROOT/$ref_rel/pagefault_demo.exe" ] \
   && ! make -s $MAKE_J -f Makefile.mingw "BUILD=$ref_rel" "CC=${VCC[$rv]}" "LD=${VLD[$rv]}" "CPPFLAGS=${VCPP[$rv]}" \
        "LDFLAGS=${VLDF[$rv]}" "$ref_rel/pagefault_demo.exe" >"$OUT/bat-ref.log" 2>&1; then
    fail "build.bat /exe runs: the exe it checks (gcc-x64-ansi) builds" "$(tail -3 "$OUT/bat-ref.log")"; return
fi
local wref; wref=$(winepath -w "$ref_exe" 2>/dev/null)
local wexe=$wref
test_bat_verdicts "$ROOT" "$wref"

# With Wine's stub fc, build.bat must refuse to call the traces equal, and
# call the run incomplete, not failed.
bat_run "$ROOT" /exe "$wexe"
if [ "$rc" = 5 ] && [ "$(grep -c '^exit code ok' "$OUT/bat-out.txt")" = 5 ] \
   && grep -q 'cannot compare' "$OUT/bat-out.txt" && ! grep -q '^FAIL' "$OUT/bat-out.txt" \
   && tail -n 1 "$OUT/bat-out.txt" | grep -q '^INCOMPLETE: 5 of 8 checks not compared (fc cannot compare files here)'; then
    pass "build.bat /exe with Wine's stub fc: 5 exit codes checked, traces refused (INCOMPLETE: 5 of 8, exit 5)"
else fail "build.bat /exe with Wine's stub fc: traces refused, INCOMPLETE, exit 5" "exit $rc" "$(tail -3 "$OUT/bat-out.txt")"; fi

# With the fc /b stand-in, the whole compare path runs.
WINEPATH=$wtools_fc bat_run "$ROOT" /exe "$wexe"
bat_expect "build.bat /exe of a good build, fc /b stand-in: PASS: 8 checks, exit 0" 0 'PASS: 8 checks' \
    'PASS pagefault_demo --tour' 'PASS pagefault_demo --compare' 'PASS pagefault_demo --selftest'
tail -n 1 "$OUT/bat-out.txt" | tr -d '\r' | grep -qx 'PASS: 8 checks' || fail "build.bat's last line is its verdict" "$(tail -n 1 "$OUT/bat-out.txt")"

# A program with the wrong exit codes must fail build.bat.
WINEPATH=$wtools_fc bat_run "$ROOT" /exe 'C:\windows\system32\hostname.exe'
bat_expect "build.bat /exe with a wrong program exits 4" 4 \
    'FAIL pagefault_demo --scenario overrun: exit code' 'FAIL pagefault_demo --tour' 'FAIL: 8 of 8 checks'

# --tour and --compare fail on their output alone, with exit code 0.
FAKE_DEMO_REAL= WINEPATH=$wtools_fc bat_run "$ROOT" /exe "$(winepath -w "$BAT_TOOLS/demo/fake_demo.exe")"
bat_expect "build.bat /exe of a program whose --tour, --compare and --selftest are wrong: all FAIL, exit 4" 4 \
    'FAIL pagefault_demo --tour' 'FAIL pagefault_demo --compare' 'Got: "|on-demand 64 4 16 64 15 yes|up-front' \
    'FAIL pagefault_demo --selftest: exit code 11' 'FAIL: 8 of 8 checks'

FAKE_DEMO_REAL= FAKE_TOUR=count WINEPATH=$wtools_fc bat_run "$ROOT" /exe "$(winepath -w "$BAT_TOOLS/demo/fake_demo.exe")"
bat_expect "build.bat /exe of a program whose --tour ends \"9 of 10 rules as documented.\": --tour FAILs" 4 \
    'FAIL pagefault_demo --tour'

# From a copy whose path has a space, "(1)", "&" and "^" (a second ZIP download
# gives "(1)"): no parse error, the same results; and one stored trace changed.
local copy="$OUT/bat copy/pagefault-demo-main (1) & co ^x"
bat_copy "$copy"
mkdir -p "$copy/build" && cp "$ref_exe" "$copy/build/pagefault_demo.exe"
WINEPATH=$wtools_fc bat_run "$copy" /exe 'build\pagefault_demo.exe'
bat_expect "build.bat in a path with a space, (1), & and ^: PASS: 8 checks, exit 0" 0 'PASS: 8 checks'
if grep -qi 'unexpected\|recognize' "$OUT/bat-out.txt"; then
    fail "build.bat in a path with (1), & and ^: no parse error" "$(grep -i 'unexpected\|recognize' "$OUT/bat-out.txt" | head -2)"
else pass "build.bat in a path with (1), & and ^: no parse error"; fi
bat_run "$copy" /exe missing.exe
bat_expect "build.bat in a path with (1), & and ^: /exe of a missing file exits 6" 6 'no such file: "missing.exe"'
[ "$(wc -l <"$OUT/bat-out.txt")" = 1 ] || fail "build.bat in a path with (1), & and ^: /exe missing prints one line" "$(cat "$OUT/bat-out.txt")"
bat_run "$copy" /bogus
bat_expect "build.bat in a path with (1), & and ^: /bogus exits 2" 2 'unknown option'
sed -i '2 s/page fault/page fault!/' "$copy/tests/expected/overrun.txt"
WINEPATH=$wtools_fc bat_run "$copy" /exe 'build\pagefault_demo.exe'
bat_expect "build.bat with one stored trace changed: FAIL: 1 of 8 checks, exit 4, names the trace" 4 \
    'FAIL pagefault_demo --scenario overrun: stdout differs from' '  tests\expected\overrun.txt (fc /b' 'FAIL: 1 of 8 checks'

# Stale and crashed builds: the old exe goes before the build; a compiler
# that crashes (negative code) or writes no exe fails the build.
cp "$ref_exe" "$copy/build/pagefault_demo.exe"
FAKE_CLANG_VERSION=19.1.5 FAKE_CLANG_RC=-1073741819 WINEPATH=$wtools_clang bat_run "$copy" /clang
bat_expect "build.bat /clang with a crashing clang-cl 19: build failed, exit 1" 1 'Build failed: clang-cl exited with code -1073741819.'
if [ -e "$copy/build/pagefault_demo.exe" ]; then fail "build.bat deletes the old exe before building"
else pass "build.bat deletes the old exe before building"; fi
FAKE_CLANG_VERSION=19.1.5 FAKE_CLANG_RC=0 WINEPATH=$wtools_clang bat_run "$copy" /clang
bat_expect "build.bat /clang with a clang-cl that exits 0 but writes no exe: exit 1" 1 'exited with code 0 but wrote no'
test_bat_hosts "$copy"
test_bat_env "$copy"
test_bat_ci
}
