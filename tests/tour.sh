#!/usr/bin/env bash
# tests/tour.sh - --tour. Sourced by run.sh.

# test_tour VARIANT DIR EXE
test_tour() {
    local v=$1 dir=$2 exe=$3
    # --tour: every rule as documented (exit 0), nine verdicts.
    run_exe "$exe" /dev/null --tour
    if same_code 0 "$rc" && [ "$(grep -c '^  => as documented' "$OUT/stdout.txt")" = 9 ] \
       && ! grep -q 'NOT as documented' "$OUT/stdout.txt" && [ "$(grep -c '^Rule [1-9]: ' "$OUT/stdout.txt")" = 9 ] \
       && tail -n 1 "$OUT/stdout.txt" | grep -q '^9 of 9 rules as documented'; then
        pass "$v: --tour, 9 of 9 rules as documented"
    else
        fail "$v: --tour, 9 of 9 rules as documented" "exit $rc; $(grep -B3 'NOT as documented' "$OUT/stdout.txt" | head -4)"
    fi
}
