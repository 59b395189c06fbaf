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
wine() { "$WINE" "$@"; }

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

# 32-bit .exe files need Debian's wine32:i386 (its loader is /usr/lib/wine/wine).
if [ -x /usr/lib/wine/wine ]; then HAVE_WINE32=yes; else HAVE_WINE32=no; fi


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

