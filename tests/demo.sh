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
        printf 'Verify: %d of %d pages are MEM_COMMIT with PAGE_READWRITE (%d KiB committed): ok\r\n' "$n" "$n" $((n * 4))
        printf "Verify: every byte holds 'a' (0 bytes differ): ok\r\n"
        printf 'Release succeeded.\r\n'
        printf 'Verify: after MEM_RELEASE the base address is MEM_FREE: ok\r\n'
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

    # --verify, at the default size and at 65536 pages (256 MiB).
    expect_run "$v: --verify" "$exe" tests/expected/verify.txt 0 run_exe --verify
    verify_trace 65536 >"$dir/verify-65536.txt"
    expect_run "$v: --verify --pages 65536" "$exe" "$dir/verify-65536.txt" 0 run_exe --verify --pages 65536
}
