#!/usr/bin/env bash
# tests/toolchain.sh - Makefile.mingw's toolchains and architectures: the
# default Linux build is clang in MSVC mode with the real __try (issue 14),
# TOOLCHAIN=gcc the stand-in, ARCH=x86 the 32-bit build run under qemu-user
# (issue 16). Sourced by run.sh.

# imports_seh EXE: the .exe has frame-based SEH (MSVC's __try), not the
# GCC stand-in: it imports __C_specific_handler, the handler x64 __try
# scopes go through, and not AddVectoredExceptionHandler, which only the
# stand-in calls (src/guard.c). The import alone does not tell them apart:
# MinGW-w64's start-up code imports __C_specific_handler in the GCC build too.
imports_seh() {
    local imports
    imports=$(llvm-objdump -p "$1" 2>/dev/null)
    if grep -q '__C_specific_handler' <<<"$imports" && ! grep -q 'AddVectoredExceptionHandler' <<<"$imports"; then
        return 0
    fi
    why="${1#"$ROOT"/}: no __C_specific_handler import, or AddVectoredExceptionHandler (the GCC stand-in) imported"
    return 1
}

# make_run NAME EXPECTED CODE MAKE-ARGS...: make ... run, stdout the trace.
make_run() {
    local name=$1 expected=$2 code=$3; shift 3
    make -s $MAKE_J -f Makefile.mingw "$@" >/dev/null 2>&1     # The build; run builds it if this failed
    make -s -f Makefile.mingw "$@" run >"$OUT/stdout.txt" 2>"$OUT/stderr.txt"
    rc=$?
    if same_bytes "$expected" "$OUT/stdout.txt" && same_code "$code" "$rc"; then pass "$name"
    else fail "$name" "$why" "stderr: $(tail -c 300 "$OUT/stderr.txt")"; fi
}

test_toolchain_all() {
    local d=build/tests/toolchain
    # The default build (in build/, as a person's: make run's tests before
    # these built it).
    make -s $MAKE_J -f Makefile.mingw >"$OUT/tc-build.txt" 2>&1
    if imports_seh "$ROOT/build/pagefault_demo.exe"; then
        pass "make (Linux default): clang MSVC mode, frame-based SEH (imports __C_specific_handler, no vectored handler)"
    else fail "make (Linux default): clang MSVC mode, frame-based SEH (imports __C_specific_handler, no vectored handler)" "$why" "$(tail -3 "$OUT/tc-build.txt")"; fi
    # TOOLCHAIN=gcc: make's commands (make -n) are the gcc-x64-ansi
    # variant's: MinGW-w64 GCC for every source, the same flags. That
    # variant's exe is told apart by imports_seh (test_seh_imports).
    local cmds nsrc
    cmds=$(make -n -f Makefile.mingw TOOLCHAIN=gcc "BUILD=$d/gcc" "$d/gcc/pagefault_demo.exe" 2>&1)
    nsrc=$(ls src/*.c | wc -l)
    if [ "$(grep -c '^x86_64-w64-mingw32-gcc .* -c -o ' <<<"$cmds")" = "$nsrc" ] \
       && grep -q "^echo 'CC=${VCC[gcc-x64-ansi]} LD=${VLD[gcc-x64-ansi]} CPPFLAGS= " <<<"$cmds"; then
        pass "make TOOLCHAIN=gcc compiles all $nsrc sources with MinGW-w64 GCC, as the gcc-x64-ansi variant"
    else fail "make TOOLCHAIN=gcc compiles every source with MinGW-w64 GCC, as the gcc-x64-ansi variant" "make -n:" "$(head -4 <<<"$cmds")"; fi
    make_run "make run (Linux default): the documented trace" expected_output.txt 0

    # ARCH=x86, both toolchains, when x86 runs here and x86 variants are
    # asked for (VARIANTS).
    case " $VARIANTS " in *-x86-*) ;; *) return ;; esac
    local why_not
    why_not=$(arch_skip_reason x86)
    if [ -n "$why_not" ]; then
        skip "make run ARCH=x86" "$why_not"
        return
    fi
    make_run "make run ARCH=x86: the documented trace" expected_output.txt 0 ARCH=x86 "BUILD=$d/x86"
    # The scenario's intended exit code (4) is its expected outcome: make says so and exits 0.
    make_run "make run ARCH=x86 TOOLCHAIN=gcc ARGS=\"--scenario overrun\": its trace, exit 4 as intended" \
        tests/expected/overrun.txt 0 ARCH=x86 TOOLCHAIN=gcc "BUILD=$d/x86-gcc" ARGS="--scenario overrun"
    if ! grep -q '(exit code 4: out of pages, as this scenario intends)' "$OUT/stderr.txt"; then
        fail "make run ARCH=x86 ... --scenario overrun: stderr names the intended exit code" "$(tail -c 300 "$OUT/stderr.txt")"
    else pass "make run ARCH=x86 ... --scenario overrun: stderr names the intended exit code"; fi
}

# test_seh_imports VARIANT EXE: a clang x64 build has frame-based SEH; a GCC
# one must be told apart (a self-check of imports_seh, which the default
# build's test above relies on).
test_seh_imports() {
    local v=$1 exe=$2
    case $v in
        clang-x64-*)
            if imports_seh "$exe"; then pass "$v: frame-based SEH (imports __C_specific_handler, no vectored handler)"
            else fail "$v: frame-based SEH (imports __C_specific_handler, no vectored handler)" "$why"; fi ;;
        gcc-x64-*)
            if [ -f "$exe" ] && ! imports_seh "$exe"; then pass "self-check: $v is told apart from frame-based SEH (it imports AddVectoredExceptionHandler)"
            else fail "self-check: $v is told apart from frame-based SEH (it imports AddVectoredExceptionHandler)"; fi ;;
    esac
}
