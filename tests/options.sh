#!/usr/bin/env bash
# tests/options.sh - the command line: help and bad input. Sourced by run.sh.

# name|arguments|what stderr must say. Each must exit 2, print the usage on
# stderr and nothing on stdout.
BAD_INPUTS=(
    "pages zero|--pages 0|takes a whole number from 1 to 1048576, not '0'"
    "pages negative|--pages -5|takes a whole number from 1 to 1048576, not '-5'"
    "pages text|--pages many|takes a whole number from 1 to 1048576, not 'many'"
    "pages trailing garbage|--pages 12x|takes a whole number from 1 to 1048576, not '12x'"
    "pages past the bound|--pages 1048577|takes a whole number from 1 to 1048576, not '1048577'"
    "pages huge|--pages 99999999999999999999|takes a whole number from 1 to 1048576"
    "pages with a sign|--pages +5|takes a whole number from 1 to 1048576, not '+5'"
    "pages without a value|--pages|option needs a number: --pages"
    "pages twice|--pages 5 --pages 6|option given twice: --pages"
    "unknown option|--frobnicate|unknown option: --frobnicate"
    "unknown scenario|--scenario meltdown|unknown scenario: meltdown"
    "scenario without a value|--scenario|option needs a scenario name: --scenario"
    "scenario twice|--scenario overrun --scenario overrun|option given twice: --scenario"
    "verbose twice|-v --verbose|option given twice: --verbose"
    "verify twice|--verify --verify|option given twice: --verify"
    "scenario with verify|--scenario overrun --verify|before the release: --verify"
    "scenario with pause|--pause --scenario commit-fails|before the release: --pause"
    "stride without compare|--stride 2|needs --compare: --stride"
    "tour with pages|--tour --pages 3|--tour takes no other option"
    "tour and compare|--tour --compare|exclude each other"
    "compare with verbose|--compare -v|--compare takes only"
    "reps zero|--compare --reps 0|takes a whole number from 1 to 1000, not '0'"
    "stride text|--compare --stride every|takes a whole number from 1 to 1000, not 'every'"
    "csv twice|--compare --csv --csv|option given twice: --csv"
)

# test_options VARIANT DIR EXE
test_options() {
    local v=$1 dir=$2 exe=$3
    # Help.
    local h
    for h in /? -h --help; do
        run_exe "$exe" /dev/null "$h"
        if grep -q '^Usage: pagefault_demo' "$OUT/stdout.txt" && same_code 0 "$rc"; then
            pass "$v: $h prints the usage"
        else fail "$v: $h prints the usage" "exit $rc"; fi
    done

    # Bad input: one line of reason, the usage, exit code 2, nothing on stdout.
    local entry name args msg
    for entry in "${BAD_INPUTS[@]}"; do
        IFS='|' read -r name args msg <<<"$entry"
        # shellcheck disable=SC2086
        run_exe "$exe" /dev/null $args
        if [ "$rc" = 2 ] && grep -qF -- "$msg" "$OUT/stderr.txt" && grep -q '^Usage: pagefault_demo' "$OUT/stderr.txt" \
           && [ ! -s "$OUT/stdout.txt" ]; then
            pass "$v: bad input: $name"
        else
            fail "$v: bad input: $name" "exit $rc; stderr: $(head -1 "$OUT/stderr.txt")"
        fi
    done
}
