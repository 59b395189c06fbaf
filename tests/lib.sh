#!/usr/bin/env bash
# tests/lib.sh - what every test file shares: counting, comparing, the
# variants, running an .exe under Wine. Sourced by tests/run.sh.

export WINEPREFIX=$ROOT/build/wineprefix WINEDEBUG=-all

# Every .exe starts with Wine's 64-bit loader itself, not /usr/bin/wine:
# once wine32:i386 is installed, /usr/bin/wine starts the 32-bit loader
# first, even for a 64-bit program (it then fails, or runs emulated). The
# 64-bit loader hands a 32-bit program on to the 32-bit one. WINELOADER is
# the loader that Wine's own child processes (cmd, a self-test's children)
# start with.
WINE=/usr/lib/wine/wine64
export WINELOADER=$WINE
# x86 programs: 32-bit Wine runs under qemu-user, with the trapno fix
# preloaded in its processes (tests/arch/setup-x86.sh; docs/ARCHITECTURES.md).
# QEMU_SET_ENV is exported for x86 runs only (use_arch below), so that
# every process the tests start then has it (tmux's shell too); elsewhere
# it is unset, as qemu wants (an empty one makes it print its usage).
X86_QEMU_ENV='LD_PRELOAD=/usr/local/$LIB/pagefault-demo-trapno-fix.so'
CUR_ARCH=x64
unset QEMU_SET_ENV
wine() { "$WINE" "$@"; }

# The suite's own builds use both cores: one part keeps a core only about
# 80% busy (Wine waits), two about 120%. The person tests type make bare.
MAKE_J=-j2

passed=0 failed=0 skipped=0
pass() { passed=$((passed + 1)); echo "PASS $1"; timed "$1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; [ $# -gt 1 ] && printf '     %s\n' "${@:2}"; timed "$1"; return 0; }
skip() { skipped=$((skipped + 1)); echo "SKIP $1: $2"; timed "$1"; }
# TIMING=yes: each result's time since the one before, in $OUT/timing.txt
# (seconds, then the test); tests/slowest.sh sums them up.
timed() {
    [ "${TIMING:-no}" = yes ] || return 0
    local now=${EPOCHREALTIME/,/.}
    printf '%s\t%s\n' "$(awk -v a="$now" -v b="${TIMED_LAST:-$now}" 'BEGIN { printf "%.2f", a - b }')" "$1" >>"$OUT/timing.txt"
    TIMED_LAST=$now
}

# ---- Checks shared by every test: each returns non-zero with a reason ----

# same_bytes EXPECTED ACTUAL: byte-for-byte equality, with the first difference.
same_bytes() {
    if cmp -s "$1" "$2"; then return 0; fi
    why="stdout differs from ${1#"$ROOT"/}: $(cmp "$1" "$2" 2>&1 | head -1)"
    return 1
}
# fits_80 FILE: every line is at most 80 columns (CR not counted), as a
# projected 80-column console shows it; the first wider line in $why.
fits_80() {
    local wide
    wide=$(tr -d '\r' <"$1" | awk 'length > 80 { print length ": " $0; exit }')
    [ -z "$wide" ] && return 0
    why="a line of $wide"
    return 1
}

# same_code EXPECTED ACTUAL
same_code() {
    [ "$1" = "$2" ] && return 0
    why="exit code $2, expected $1"
    return 1
}

# ---- Variants -------------------------------------------------------------

# sampled_area VARIANT AREA: whether VARIANT runs AREA, one of the two the
# suite runs on one x64 variant per toolchain, the two together covering
# both character sets: lab (docs/LAB.md's commands, which the other tests
# run too in other words) on gcc-x64-ansi and clang-x64-unicode, bench
# (--compare at its default size, 10 s each) on clang-x64-ansi, make
# bench's own build, and gcc-x64-unicode. Where VARIANTS lacks both of an
# area's, its first x64 variant runs it; FULL=yes runs both everywhere.
sampled_area() {
    local v=$1 picks first="" w
    [ "${FULL:-no}" = yes ] && return 0
    case $2 in lab) picks="gcc-x64-ansi clang-x64-unicode" ;; bench) picks="clang-x64-ansi gcc-x64-unicode" ;; esac
    case " $picks " in *" $v "*) return 0 ;; esac
    for w in $VARIANTS; do
        case " $picks " in *" $w "*) return 1 ;; esac
        [ -z "$first" ] && [ "${VARCH[$w]}" = x64 ] && first=$w
    done
    [ "$v" = "$first" ]
}

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
# ARM64: built by Makefile.mingw's ARCH=arm64 block and run in an emulated
# arm64 root by tests/arch/arm64.sh (not by test_variant); see docs/ARM64.md.
add_variant clang-arm64 arm64 "$CLANG_MSVC --target=aarch64-pc-windows-msvc -isystem /usr/x86_64-w64-mingw32/include" \
                              "sh tests/arch/arm64/link.sh"
VARIANTS=${VARIANTS:-$ALL_VARIANTS}

# use_arch ARCH: the following runs are of that architecture's programs.
use_arch() {
    CUR_ARCH=$1
    case $1 in
        x86) export QEMU_SET_ENV=$X86_QEMU_ENV ;;
        *) unset QEMU_SET_ENV ;;
    esac
}

# big_pages: the size of the suite's large --verify run. 65536 pages
# (256 MiB); 16384 (64 MiB) for x86, where 32-bit Wine under qemu-user
# finds no 112 MiB free in one piece (docs/ARCHITECTURES.md).
big_pages() {
    case $CUR_ARCH in
        x86) echo 16384 ;;
        *) echo 65536 ;;
    esac
}

# Can x86 programs run here? Found by running one (Wine's 32-bit loader):
# this kernel cannot execute 32-bit code, so only the qemu-user set-up
# makes it possible. X86_WHY says why not.
X86_HOW="to add it: as root, sh tests/arch/setup-x86.sh (CI=true make check does it)"
x86_probe() {
    local out
    if [ ! -e /usr/lib/wine/wine ]; then
        X86_WHY="32-bit Wine (wine32:i386) is not installed"; return 1
    fi
    out=$(QEMU_SET_ENV=$X86_QEMU_ENV /usr/lib/wine/wine --version 2>&1 | head -1)
    if [ "$out" != "$(/usr/lib/wine/wine64 --version)" ]; then
        X86_WHY="32-bit Wine's loader does not run cleanly here: ${out:0:90}"; return 1
    fi
    # A prefix made before 32-bit Wine worked has no 32-bit DLLs: make it again.
    if [ -f "$WINEPREFIX/system.reg" ] && [ ! -f "$WINEPREFIX/drive_c/windows/syswow64/kernel32.dll" ]; then
        echo "The Wine prefix has no 32-bit DLLs (made before the x86 set-up): making it again"
        wineserver -k >/dev/null 2>&1
        rm -rf "$WINEPREFIX"
    fi
    return 0
}
if x86_probe; then X86_RUNS=yes; else X86_RUNS=no; fi

# arch_skip_reason ARCH: empty if programs of ARCH run here, else why not.
arch_skip_reason() {
    case $1 in
        x86) [ $X86_RUNS = yes ] || echo "$X86_WHY; $X86_HOW" ;;
    esac
}

# wine_did_not_start RC STDOUT_FILE STDERR_FILE: true when a run's outcome is
# Wine failing to start a process, no outcome of the program's:
# - exit 1 with nothing at all on stdout or stderr (the program's every
#   failure says why, code 1 included): Wine did not start the program;
# - "CreateProcess failed with error code of 1359" on stdout: --selftest
#   (or build.bat's copy of its TAP) could not start a child. 1359 is
#   ERROR_INTERNAL_ERROR, which Wine's NtCreateUserProcess returns when the
#   new process ends before its start-up is done (dlls/ntdll/unix/process.c).
# The first is seen about once in 1600 runs here; the second was seen once,
# in a CI run (which starts several hundred --selftest children).
wine_did_not_start() {
    { [ "$1" = 1 ] && [ ! -s "$2" ] && [ ! -s "$3" ]; } \
        || { [ -f "$2" ] && grep -qs 'CreateProcess failed with error code of 1359' "$2"; }   # Not /dev/full: endless
}
# count_retry WHAT: counts one rerun and lists WHAT in retried.txt.
count_retry() {
    RETRIED=$((RETRIED + 1)); echo "$*" >>"$OUT/retried.txt"
}
# retry_once STDOUT_FILE STDERR_FILE WHAT FUNC [ARGS...]: FUNC ARGS, one run
# that sets $rc and writes those files; once more, counted and listed as
# WHAT (retried_note, run.sh), if Wine did not start it or its --selftest's
# child. Every run of a program under Wine goes through this.
retry_once() {
    local r_out=$1 r_err=$2 r_what=$3; shift 3
    "$@"
    if wine_did_not_start "$rc" "$r_out" "$r_err"; then
        count_retry "$r_what"
        "$@"
    fi
}

# run_exe_to STDOUT_FILE STDERR_FILE STDIN EXE [ARGS...]: one run (and
# retry_once's), its exit code in $rc. STDOUT_FILE '&-' closes stdout;
# STDERR_FILE '&1' merges stderr into stdout (2>&1).
run_exe_to() {
    local so=$1 se=$2 input=$3 exe=$4; shift 4
    retry_once "$so" "$se" "${exe#"$ROOT"/} $*" run_exe_once "$@"
}
# run_exe_once ARGS...: run_exe_to's one run (its so, se, input and exe).
run_exe_once() {
    case $so:$se in
        '&-':*) wine "$exe" "$@" <"$input" >&- 2>"$se" ;;
        *:'&1') wine "$exe" "$@" <"$input" >"$so" 2>&1 ;;
        *) wine "$exe" "$@" <"$input" >"$so" 2>"$se" ;;
    esac
    rc=$?
}
# run_exe EXE STDIN [ARGS...]: stdout to $OUT/stdout.txt, stderr to
# $OUT/stderr.txt, exit code in $rc.
run_exe() {
    local exe=$1 input=$2; shift 2
    run_exe_to "$OUT/stdout.txt" "$OUT/stderr.txt" "$input" "$exe" "$@"
}
RETRIED=0
# retried_note: one line if anything was run twice (never silently).
retried_note() {
    [ "$RETRIED" = 0 ] || echo "Retried: $RETRIED run(s) that Wine did not start, or whose --selftest child it did not start: ${OUT#"$ROOT"/}/retried.txt"
}
# run_exe_piped EXE STDIN [ARGS...]: run_exe with stdout through a pipe
# instead of a file.
run_exe_piped() {
    local exe=$1 input=$2; shift 2
    retry_once "$OUT/stdout.txt" "$OUT/stderr.txt" "${exe#"$ROOT"/} $* (piped)" run_exe_piped_once "$@"
}
run_exe_piped_once() {
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

