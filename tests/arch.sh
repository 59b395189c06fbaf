#!/usr/bin/env bash
# tests/arch.sh - the option sets run for variants of an emulated
# architecture (x86 under qemu-user here), where a run costs several times
# an x64 one: the traces and scenarios (the new ones at 80 pages),
# --verify, --tour, a small --compare and --selftest (issue 16's budget:
# fewer option sets, never fewer variants). teb-repro.sh's difference
# (qemu-user's one GDT for all threads) is expected exactly, once.
# FULL=yes runs the whole per-variant suite on them too. Sourced by run.sh.

# arch_emulated ARCH: true if this architecture's programs run emulated here.
arch_emulated() { [ "$1" != x64 ]; }

# test_compare_small VARIANT DIR EXE [RUNNER]: --compare's invariants on 64
# pages, one repetition, from the CSV's integer columns (the same columns
# and values as compare.sh's first check), then its timings as numbers
# (ARM64 prints doubles right through tests/arch/arm64/abi_bridge.c).
# RUNNER runs the exe (run_exe; arm64_run_exe).
test_compare_small() {
    local v=$1 dir=$2 exe=$3 runner=${4:-run_exe}
    local name="$v: small --compare (committed KiB, faults, values per way)"
    "$runner" "$exe" /dev/null --compare --pages 64 --stride 4 --reps 1 --csv
    tr -d '\r' <"$OUT/stdout.txt" | awk -F, '{ print $1, $2, $3, $4, $10, $12, $13, $14, $16 }' >"$dir/compare-small.txt"
    printf '%s\n' "way pages stride touched committed_kib faults values_ok chunk_pages commit_error" \
        "on-demand 64 4 16 64 16 yes 1 0" "up-front 64 4 16 256 0 yes 0 0" "explicit 64 4 16 64 0 yes 0 0" \
        "on-demand-chunk 64 4 16 256 4 yes 16 0" "on-demand-doubling 64 4 16 236 6 yes 28 0" \
        >"$dir/compare-small-expected.txt"
    if same_bytes "$dir/compare-small-expected.txt" "$dir/compare-small.txt" && same_code 0 "$rc"; then pass "$name"
    else fail "$name" "$why" "exit $rc" "$(cat "$dir/compare-small.txt")"; fi
    # Its doubles, from the same run: at one repetition median = min = max
    # (3 decimals), and each ratio is its median over up front's (2).
    name="$v: small --compare's timings (median = min = max at 1 repetition, ratio to up front)"
    why=$(tr -d '\r' <"$OUT/stdout.txt" | awk -F, 'NR == 1 { next }
        $6 !~ /^[0-9]+\.[0-9][0-9][0-9]$/ || $6 != $7 || $6 != $8 || $9 !~ /^[0-9]+\.[0-9][0-9]$/ { print "row " NR ": " $6, $7, $8, $9; bad = 1; exit }
        { m[NR] = $6; r[NR] = $9; if ($1 == "up-front") up = $6 }
        END { if (bad) exit
              if (NR != 6 || up == "") { print NR " lines, or no up-front row"; exit }
              for (i in m) if (up > 0 && (r[i] - m[i] / up > 0.006 || m[i] / up - r[i] > 0.006)) { print "ratio " r[i] " for " m[i] " over " up; exit } }')
    if same_code 0 "$rc" && [ -z "$why" ]; then pass "$name"
    else fail "$name" "${why:-exit $rc}" "$(tr -d '\r' <"$OUT/stdout.txt" | cut -d, -f1,6-9)"; fi
}

# test_scenarios_small VARIANT DIR EXE [RUNNER]: the sample's limits (issue
# 17) at 80 pages against their stored traces, with both filters, and the
# checked filter out of order: one run each (scenarios.sh runs the full set
# on x64). RUNNER runs the exe (run_exe; arm64_run_exe for ARM64).
test_scenarios_small() {
    local v=$1 dir=$2 exe=$3 runner=${4:-run_exe} f s o code name
    for f in sample checked; do
        for s in $NEW_SCENARIOS; do
            code=$(intended_code "$s" "$f"); name=$(stored_name "$f" "$s")
            expect_run "$v: --filter $f --scenario $s (exit $code)" "$exe" "tests/expected/$name.txt" "$code" \
                "$runner" --filter "$f" --scenario "$s"
        done
    done
    for o in reverse random; do
        expect_run "$v: --filter checked --order $o: the documented trace" "$exe" expected_output.txt 0 \
            "$runner" --filter checked --order "$o"
    done
}

# test_emulated_variant VARIANT DIR EXE
test_emulated_variant() {
    test_demo "$@"
    test_tour "$@"
    test_compare_small "$@"
    test_scenarios_small "$@"
    test_selftest_verdict "$@"
}

# test_x86_teb_repro: qemu-user's known difference for 32-bit threads, as
# tests/arch/x86/teb-repro.sh's `signal` mode shows it: after a handled
# access violation, the main thread reads the second thread's TEB (where
# Windows, or Wine on a kernel that runs 32-bit code, says "its own"). The
# addresses vary; the suite expects exactly these lines with them masked,
# so that a fixed emulator, or a new difference, fails here. Once, not per
# variant; skipped with the reason where x86 programs cannot run.
test_x86_teb_repro() {
    local name="x86 under qemu-user: teb_repro signal shows the one-GDT difference, exactly"
    local why_not; why_not=$(arch_skip_reason x86)
    if [ -n "$why_not" ]; then skip "$name" "$why_not"; return; fi
    sh tests/arch/x86/teb-repro.sh signal >"$OUT/teb-repro.txt" 2>&1
    local got
    got=$(python3 - "$OUT/teb-repro.txt" <<'EOF'
import re, sys
lines = [l for l in open(sys.argv[1]).read().split('\n') if l and not l.startswith('== ')]
m = re.fullmatch(r"main thread's TEB (\w+), second thread's (\w+)", lines[0]) if lines else None
if not m or m.group(1) == m.group(2): print('first line: %r' % (lines[:1],)); sys.exit()
mine, other = m.groups()
print('\n'.join(l.replace(mine, 'MINE').replace(other, 'OTHER') for l in lines))
EOF
)
    local want="main thread's TEB MINE, second thread's OTHER
after a system call: the main thread's TEB is its own
after a handled access violation: the main thread's TEB is OTHER (the second thread's)"
    if [ "$got" = "$want" ]; then pass "$name"
    else fail "$name" "expected (addresses masked):" "$want" "got:" "$got"; fi
}
