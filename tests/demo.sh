#!/usr/bin/env bash
# tests/demo.sh - the documented run and what watches it: the default
# trace, the scenarios and --verify (--verbose and --pause: watch.sh). Sourced by run.sh.

# The trace of --verify --pages N, written from the documented sequence.
verify_trace() {
    local n=$1
    {
        printf 'This computer has page size 4096.\r\n'
        awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++) printf "Exception is a page fault.\r\nAllocating another page.\r\n" }'
        printf 'Verify: faults counted (%d) equal pages touched (%d): ok\r\n' "$n" "$n"
        printf 'Verify: %d of %d pages PAGE_READWRITE; %d KiB committed: ok\r\n' "$n" "$n" $((n * 4))
        printf "Verify: every byte holds 'a' (0 bytes differ): ok\r\n"
        printf 'Release succeeded.\r\n'
        printf 'Verify: after MEM_RELEASE the base address is MEM_FREE: ok\r\n'
    }
}


# The trace of --scenario NAME --pages N, written from the filter's branches:
# N faults and commits (one for not-a-fault, whose division sits on the last
# byte of page 1), then the branch the scenario is for. At N = 80 it must
# equal the stored trace, which test_demo checks first.
scenario_trace() {
    local s=$1 n=$2 pairs=$2
    [ "$s" = not-a-fault ] && pairs=1
    {
        printf 'This computer has page size 4096.\r\n'
        awk -v n="$pairs" 'BEGIN { for (i = 0; i < n; i++) printf "Exception is a page fault.\r\nAllocating another page.\r\n" }'
        case $s in
            overrun) printf 'Exception is a page fault.\r\nException: out of pages.\r\n' ;;
            not-a-fault) printf 'Exception code = 0xC0000094.\r\n' ;;
            commit-fails) printf 'Exception is a page fault.\r\nVirtualAlloc failed with error code of 487.\r\n' ;;
        esac
        printf 'Exiting process.\r\n'
    }
}

# test_demo VARIANT DIR EXE
test_demo() {
    local v=$1 dir=$2 exe=$3
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

    # Every scenario takes its branch from 1 page up (issue 8, item 5): the
    # generated traces first reproduce the stored 80-page ones, then sizes 1, 2.
    local n
    for s in overrun:4 not-a-fault:3 commit-fails:5; do
        code=${s#*:}; s=${s%%:*}
        scenario_trace "$s" 80 >"$dir/scenario-$s-80.txt"
        if same_bytes "tests/expected/$s.txt" "$dir/scenario-$s-80.txt"; then
            pass "$v: the generated --scenario $s trace at 80 pages is the stored one"
        else fail "$v: the generated --scenario $s trace at 80 pages is the stored one" "$why"; fi
        for n in 1 2; do
            scenario_trace "$s" "$n" >"$dir/scenario-$s-$n.txt"
            expect_run "$v: --pages $n --scenario $s (exit $code)" "$exe" "$dir/scenario-$s-$n.txt" "$code" run_exe --pages "$n" --scenario "$s"
        done
    done

    # --verify, at the default size and at 65536 pages (256 MiB; less on x86: big_pages).
    expect_run "$v: --verify" "$exe" tests/expected/verify.txt 0 run_exe --verify
    local big
    big=$(big_pages)
    verify_trace "$big" >"$dir/verify-$big.txt"
    expect_run "$v: --verify --pages $big" "$exe" "$dir/verify-$big.txt" 0 run_exe --verify --pages "$big"
}
