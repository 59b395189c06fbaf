#!/usr/bin/env bash
# tests/build_bat.sh - build.bat, as far as Wine's cmd can take it.
# Sourced by run.sh.

# Runs build.bat from its own folder, by its bare name: a quoted path with a
# space in it trips cmd's quote-stripping rule (see TOOLCHAIN-NOTES).
test_build_bat() {
    (cd "$ROOT" && wine cmd /c build.bat "$@" >"$OUT/stdout.txt" 2>"$OUT/stderr.txt")
    rc=$?
}

test_build_bat_all() {
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
        test_build_bat /exe 'build\tests\gcc-x64-ansi\pagefault_demo.exe'   # $ref_exe, relative: no space
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
}
