#!/usr/bin/env bash
# tests/compare.sh - --compare: its invariants, never its timings. Sourced by run.sh.

# test_compare VARIANT DIR EXE
test_compare() {
    local v=$1 dir=$2 exe=$3
    # --compare invariants, never timings: on demand and explicit commit the
    # touched pages only, up front all of them; only on demand faults; every
    # touched byte holds its value. 64 pages, every 4th touched: 16 pages.
    run_exe "$exe" /dev/null --compare --pages 64 --stride 4 --reps 3 --csv
    tr -d '\r' <"$OUT/stdout.txt" | awk -F, 'NR > 1 { print $1, $2, $3, $4, $10, $12, $13 }' >"$dir/compare.txt"
    printf '%s\n' "on-demand 64 4 16 64 16 yes" "up-front 64 4 16 256 0 yes" "explicit 64 4 16 64 0 yes" >"$dir/compare-expected.txt"
    if same_bytes "$dir/compare-expected.txt" "$dir/compare.txt" && same_code 0 "$rc"; then
        pass "$v: --compare invariants (committed pages, faults, values)"
    else fail "$v: --compare invariants (committed pages, faults, values)" "$why" "$(cat "$dir/compare.txt")"; fi

    # The benchmark's own run (make bench): default size, table and checks.
    run_exe "$exe" /dev/null --compare
    if same_code 0 "$rc" && grep -q '^Checks: .*: ok' "$OUT/stdout.txt" && [ "$(grep -c ' us[[:space:]]*$' "$OUT/stdout.txt")" = 3 ]; then
        pass "$v: --compare at its default size (the bench run) checks ok"
    else fail "$v: --compare at its default size (the bench run) checks ok" "exit $rc"; fi
}
