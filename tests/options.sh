#!/usr/bin/env bash
# tests/options.sh - the command line: help and bad input. Sourced by run.sh.

# name|arguments|what stderr must say. Each must exit 2, print the reason,
# the one-line usage and the pointer to --help on stderr (at most 6 lines),
# and nothing on stdout.
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
    "tour with pages|--tour --pages 3|option does not go with --tour: --pages"
    "tour with verbose|--tour 1 -v|option does not go with --tour: --verbose"
    "tour and compare|--tour --compare|exclude each other"
    "compare with verbose|--compare -v|option does not go with --compare: --verbose"
    "compare with verify|--compare --verify|option does not go with --compare: --verify"
    "reps zero|--compare --reps 0|takes a whole number from 1 to 1000, not '0'"
    "stride text|--compare --stride every|takes a whole number from 1 to 1000, not 'every'"
    "csv twice|--compare --csv --csv|option given twice: --csv"
)

# test_options VARIANT DIR EXE
test_options() {
    local v=$1 dir=$2 exe=$3
    # Help: the full text on stdout, nothing on stderr, exit 0.
    local h
    for h in /? -h --help -? /h; do
        run_exe "$exe" /dev/null "$h"
        if grep -q '^Usage: pagefault_demo \[options\]'$'\r''*$' "$OUT/stdout.txt" && grep -q '^Exit codes:' "$OUT/stdout.txt" \
           && [ ! -s "$OUT/stderr.txt" ] && same_code 0 "$rc"; then
            pass "$v: $h prints the full usage on stdout"
        else fail "$v: $h prints the full usage on stdout" "exit $rc; stderr: $(head -c 200 "$OUT/stderr.txt")"; fi
    done
    # The help shows the ranges and defaults of --reps and --stride, and exit code 9.
    run_exe "$exe" /dev/null --help
    if tr -d '\r' <"$OUT/stdout.txt" | tr -s ' \n' ' ' \
       | grep -F -e '--stride K with --compare: touch every K-th page (1 to 1000; default 1)' | grep -qF \
         -e '--reps R with --compare: repeat R times, report the median (1 to 1000; default 5)' \
       && grep -q '9 interrupted (Ctrl-C' "$OUT/stdout.txt"; then
        pass "$v: --help shows --stride's and --reps' ranges and defaults, and exit code 9"
    else fail "$v: --help shows --stride's and --reps' ranges and defaults, and exit code 9"; fi

    # Bad input: the reason, "Usage: pagefault_demo [options]", the pointer
    # to --help, all on stderr and at most 6 lines; exit code 2; no stdout.
    local entry name args msg lines
    for entry in "${BAD_INPUTS[@]}"; do
        IFS='|' read -r name args msg <<<"$entry"
        # shellcheck disable=SC2086
        run_exe "$exe" /dev/null $args
        lines=$(wc -l <"$OUT/stderr.txt")
        if [ "$rc" = 2 ] && grep -qF -- "pagefault_demo: " "$OUT/stderr.txt" && grep -qF -- "$msg" "$OUT/stderr.txt" \
           && grep -q '^Usage: pagefault_demo \[options\]'$'\r''*$' "$OUT/stderr.txt" \
           && grep -qF "Try 'pagefault_demo --help' for more." "$OUT/stderr.txt" \
           && [ "$lines" -le 6 ] && [ ! -s "$OUT/stdout.txt" ]; then
            pass "$v: bad input: $name"
        else
            fail "$v: bad input: $name" "exit $rc; $lines lines on stderr: $(head -1 "$OUT/stderr.txt")"
        fi
    done
    # The reason must survive a 25-line console: the whole message is 3 lines.
    run_exe "$exe" /dev/null --pages 0
    lines=$(wc -l <"$OUT/stderr.txt")
    if [ "$lines" = 3 ] && head -1 "$OUT/stderr.txt" | grep -q "^pagefault_demo: --pages takes"; then
        pass "$v: bad input is 3 lines on stderr, the reason first"
    else fail "$v: bad input is 3 lines on stderr, the reason first" "$lines lines"; fi
}
