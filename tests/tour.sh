#!/usr/bin/env bash
# tests/tour.sh - --tour, --tour N and the guard-page rule. Sourced by run.sh.

# tour_holds NAME RULES LAST_LINE: exit 0, RULES headings and as many
# verdicts of "as documented", none not, and LAST_LINE last.
tour_holds() {
    local name=$1 rules=$2 last=$3 f=$OUT/stdout.txt
    if same_code 0 "$rc" && [ "$(grep -c '^  => as documented' "$f")" = "$rules" ] \
       && ! grep -q 'NOT as documented' "$f" && [ "$(grep -c '^Rule [0-9]*: ' "$f")" = "$rules" ] \
       && [ "$(tail -n 1 "$f" | tr -d '\r')" = "$last" ]; then
        pass "$name"
    else
        fail "$name" "exit $rc; last line: $(tail -n 1 "$f")" "$(grep -B3 'NOT as documented' "$f" | head -4)"
    fi
}

# test_tour VARIANT DIR EXE
test_tour() {
    local v=$1 dir=$2 exe=$3 n
    run_exe "$exe" /dev/null --tour
    tour_holds "$v: --tour, 10 of 10 rules as documented" 10 "10 of 10 rules as documented."
    claims_cover "$v: every rule's heading printed by --tour has a row in docs/CLAIMS.md" "$OUT/stdout.txt"

    # --tour N shows rule N only, and says so in its last line.
    for n in 1 2 3 4 5 6 7 8 9 10; do
        run_exe "$exe" /dev/null --tour "$n"
        if grep -q "^Rule $n: " "$OUT/stdout.txt"; then
            tour_holds "$v: --tour $n shows rule $n only" 1 "Rule $n as documented."
        else fail "$v: --tour $n shows rule $n only" "no heading 'Rule $n: '; exit $rc" \
                  "stdout: $(head -c 300 "$OUT/stdout.txt")" "stderr: $(head -c 300 "$OUT/stderr.txt")"; fi
    done

    # The guard page: 0x104, one STATUS_GUARD_PAGE_VIOLATION, then 0x004.
    run_exe "$exe" /dev/null --tour 10
    if grep -q '^  protection 0x104 ' "$OUT/stdout.txt" \
       && grep -q '^  first read: 1 exception, code 0x80000001 (STATUS_GUARD_PAGE_VIOLATION)' "$OUT/stdout.txt" \
       && grep -q '^  protection now 0x004 ' "$OUT/stdout.txt" && grep -q 'exceptions in all: 1' "$OUT/stdout.txt" \
       && grep -q "grows a thread's stack" "$OUT/stdout.txt" && grep -q '^  reaches the program' "$OUT/stdout.txt" \
       && same_code 0 "$rc"; then
        pass "$v: --tour 10: a guard page raises 0x80000001 once, then is PAGE_READWRITE"
    else
        fail "$v: --tour 10: a guard page raises 0x80000001 once, then is PAGE_READWRITE" "exit $rc" \
             "$(grep -E 'protection|exception' "$OUT/stdout.txt" | head -4)"
    fi

    # A bad rule number: the reason, the one-line usage and the --help
    # pointer on stderr (at most 6 lines), nothing on stdout, exit 2.
    local bad
    for bad in 0 11 x 3x; do
        run_exe "$exe" /dev/null --tour "$bad"
        if [ "$rc" = 2 ] && grep -qF "takes a rule number from 1 to 10, not '$bad'" "$OUT/stderr.txt" \
           && [ "$(wc -l <"$OUT/stderr.txt")" -le 6 ] && grep -q "^Try 'pagefault_demo --help'" "$OUT/stderr.txt" \
           && [ ! -s "$OUT/stdout.txt" ]; then
            pass "$v: --tour $bad is bad input (exit 2, short message)"
        else fail "$v: --tour $bad is bad input (exit 2, short message)" \
                  "exit $rc; $(wc -l <"$OUT/stderr.txt") lines on stderr: $(head -1 "$OUT/stderr.txt")"; fi
    done
}
