#!/usr/bin/env bash
# tests/arch.sh - the option sets run for variants of an emulated
# architecture (x86 under qemu-user here), where a run costs several times
# an x64 one: the traces and scenarios (the new ones at 80 pages), --verify,
# --tour and a small --compare (issue 16's budget: fewer option sets,
# never fewer variants).
# --selftest is reported as skipped there, with the reason: under qemu-user
# its x86 build's threads run on each other's TEBs there (qemu-user's one
# GDT: docs/ARCHITECTURES.md, tests/arch/x86/teb-repro.sh).
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
    skip "$1: --selftest" "qemu-user shares one GDT among 32-bit Wine's threads, so they run on each other's TEBs and crash (tests/arch/x86/teb-repro.sh, docs/ARCHITECTURES.md); FULL=yes runs it"
}
