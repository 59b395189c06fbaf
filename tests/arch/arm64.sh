#!/usr/bin/env bash
# tests/arch/arm64.sh - the ARM64 variants, run with Debian's arm64 Wine in
# an emulated arm64 root (tests/arch/arm64-root.sh), and the repro programs
# of each known ARM64 difference (tests/arch/arm64/repro_*.c; see
# docs/ARM64.md). Sourced by tests/run.sh, which calls test_arm64_all once.
#
# Under emulation a run takes seconds, so each variant runs a few option
# sets: the trace (file and pipe), the three scenarios, --verify, --tour,
# --verbose, a small --compare checked on its integer columns only.
# The known differences are expected exactly: a new one fails, and so does
# a fixed one (then update this file and docs/ARM64.md).

# arm64_run_exe EXE STDIN [ARGS...]: as run_exe, in the arm64 root.
arm64_run_exe() {
    local exe=$1 input=$2; shift 2
    sh tests/arch/arm64-root.sh run "$exe" "$@" <"$input" >"$OUT/stdout.txt" 2>"$OUT/stderr.txt"
    rc=$?
}
# Same, with stdout through a pipe instead of a file.
arm64_run_exe_piped() {
    local exe=$1 input=$2; shift 2
    sh tests/arch/arm64-root.sh run "$exe" "$@" <"$input" 2>"$OUT/stderr.txt" | cat >"$OUT/stdout.txt"
    rc=${PIPESTATUS[0]}
}

# arm64_build NAME OUT.exe SOURCES...: builds as Makefile.mingw's ARCH=arm64
# does, warnings as errors; 0 when built, else the log's end in $why.
arm64_build() {
    local name=$1 exe=$2 cpp="" ldf=""; shift 2
    local dir log f objs=""
    dir=$(dirname "$exe"); log=$dir/build-$(basename "$exe" .exe).log
    mkdir -p "$dir"; : >"$log"
    case $name in *-unicode) cpp="-DUNICODE -D_UNICODE" ldf=-municode ;; esac
    for f in "$@"; do
        # shellcheck disable=SC2086
        $CLANG_MSVC --target=aarch64-pc-windows-msvc -isystem /usr/x86_64-w64-mingw32/include \
            -std=c11 -O2 -Wall -Wextra -Wformat=2 -Werror $cpp \
            -c -o "$dir/$(basename "$f" .c).o" "$f" >>"$log" 2>&1 || { why=$(tail -3 "$log"); return 1; }
        objs="$objs $dir/$(basename "$f" .c).o"
    done
    # shellcheck disable=SC2086
    sh tests/arch/arm64/link.sh $ldf -o "$exe" $objs >>"$log" 2>&1 || { why=$(tail -3 "$log"); return 1; }
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

    # --compare, its integer columns only (known difference 2 garbles the
    # doubles): tests/arch.sh's small compare, run in the root.
    test_compare_small "$v" "$dir" "$exe" arm64_run_exe
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

# The repro programs: each shows one known difference, minimal. Expected
# here is this line exactly; on Windows, the line after "windows:".
ARM64_REPROS="brk_f004 printf_doubles write_flag"
arm64_repro_expected() {
    case $1 in
        brk_f004) printf '%s\r\n' "brk #0xF004 raised 0x80000003" ;;
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
    esac
}
# What Windows prints, in full, for the repros that also build for x64: the
# control, built the same way for x64 and run with the host's x64 Wine.
arm64_repro_x64_expected() {
    case $1 in
        write_flag) printf '%s\r\n' "read of a reserved page: 0xC0000005, flag 0, address ok" \
                                    "write to a reserved page: 0xC0000005, flag 1, address ok" ;;
        printf_doubles) printf '%s\r\n' "1.5 2.5" "1.5 2.5 3.5 4.5 5.5 6.5 7.5 8.5 9.5" \
                                        "7 1.500 (0.250..2.750) 0.50x 9" ;;
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
        if same_bytes "$d/$r.expected" "$d/$r.txt" && same_code 0 "$rc"; then
            pass "ARM64 repro $r: the known difference, exactly (Windows: $(arm64_repro_windows "$r"))"
        else fail "ARM64 repro $r: the known difference, exactly" "$why" "got: $(tr -d '\r' <"$d/$r.txt" | head -3)" \
                  "a changed difference: update tests/arch/arm64.sh and docs/ARM64.md"; fi
    done
    # The control: the same source for x64 (clang-19 MSVC mode, as the
    # clang-x64 variants) prints what Windows prints, so the difference is
    # the ARM64 route's, not the program's. (brk is ARM64 only.)
    for r in printf_doubles write_flag; do
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
        if make -s -f Makefile.mingw ARCH=arm64 "BUILD=$rel" "CPPFLAGS=$cpp" "LDFLAGS=$ldf" \
                "$rel/pagefault_demo.exe" >"$log" 2>&1 && ! grep -qi warning "$log"; then
            pass "$v: builds without a warning (make ARCH=arm64: clang-19 MSVC mode, -fasync-exceptions, lld)"
            built="$built $v"
        else fail "$v: builds without a warning (make ARCH=arm64)" "$(tail -3 "$log")"; fi
    done
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
    make -s -f Makefile.mingw run ARCH=arm64 BUILD=build/tests/arm64-make >"$OUT/arm64-make.txt" 2>"$OUT/arm64-make.err"
    rc=$?
    if same_code 0 "$rc" && same_bytes expected_output.txt "$OUT/arm64-make.txt"; then pass "$name"
    else fail "$name" "exit $rc; ${why:-}" "$(tail -3 "$OUT/arm64-make.err")"; fi
    sh tests/arch/arm64-root.sh stop
}
