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
    "unknown scenario|--scenario meltdown|unknown scenario (see --help scenarios): meltdown"
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
    # Help: the one screen on stdout, nothing on stderr, exit 0.
    local h
    for h in /? -h --help -? /h; do
        run_exe "$exe" /dev/null "$h"
        if grep -q '^Usage: pagefault_demo \[options\]'$'\r''*$' "$OUT/stdout.txt" && grep -q '^Exit codes:' "$OUT/stdout.txt" \
           && [ ! -s "$OUT/stderr.txt" ] && same_code 0 "$rc"; then
            pass "$v: $h prints the usage on stdout"
        else fail "$v: $h prints the usage on stdout" "exit $rc; stderr: $(head -c 200 "$OUT/stderr.txt")"; fi
    done
    help_topics "$v" "$dir" "$exe"
    line_widths "$v" "$dir" "$exe"

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

# fits_screen FILE: at most 23 lines (a 25-line console keeps the command
# and the next prompt) and 79 columns (a line of 80 on a Windows console
# wraps and adds an empty row: src/help.c); the reason in $why.
fits_screen() {
    local n wide
    n=$(wc -l <"$1")
    [ "$n" -le 23 ] || { why="$n lines"; return 1; }
    wide=$(tr -d '\r' <"$1" | awk 'length > 79 { print length ": " $0; exit }')
    [ -z "$wide" ] || { why="a line of $wide"; return 1; }
}

# help_topics VARIANT DIR EXE: --help is one screen with every option on it
# and the pointer to the topics; each topic is one screen and holds its
# facts; an unknown topic is bad input.
help_topics() {
    local v=$1 dir=$2 exe=$3 o t s name sample checked ok
    run_exe "$exe" /dev/null --help
    cp "$OUT/stdout.txt" "$dir/help.txt"
    if fits_screen "$OUT/stdout.txt"; then pass "$v: --help fits one 80x25 screen"
    else fail "$v: --help fits one 80x25 screen" "${why:-}"; fi
    ok=yes
    for o in --pages --scenario --filter --order --verbose --pause --verify --tour --step --compare \
             --stride --reps --csv --chunk --commit-limit --selftest --junit --version --help; do
        tr -d '\r' <"$OUT/stdout.txt" | grep -qE -- "(^|[ [,])$o([] ,]|$)" || { ok="no $o"; break; }
    done
    if [ "$ok" = yes ] && tail -n 1 "$OUT/stdout.txt" | grep -qF 'pagefault_demo --help TOPIC' \
       && tail -n 1 "$OUT/stdout.txt" | grep -qF 'docs/OPTIONS.md'; then
        pass "$v: --help names every option, and its last line points to --help TOPIC and docs/OPTIONS.md"
    else fail "$v: --help names every option, and its last line points to --help TOPIC and docs/OPTIONS.md" \
              "$ok; last line: $(tail -n 1 "$OUT/stdout.txt")"; fi

    # Each topic: one screen (all may be longer), on stdout, exit 0.
    local fits
    for t in scenarios compare exit-codes all; do
        run_exe "$exe" /dev/null --help "$t"
        cp "$OUT/stdout.txt" "$dir/help-$t.txt"
        fits=fits_screen; [ "$t" = all ] && fits=fits_80
        if same_code 0 "$rc" && [ -s "$OUT/stdout.txt" ] && [ ! -s "$OUT/stderr.txt" ] && $fits "$OUT/stdout.txt"; then
            pass "$v: --help $t: exit 0, on stdout, within ${fits#fits_}"
        else fail "$v: --help $t: exit 0, on stdout, within ${fits#fits_}" "exit $rc; ${why:-}"; fi
    done
    # exit-codes: 0 to 15, one a line, in order.
    s=$(tr -d '\r' <"$dir/help-exit-codes.txt" | awk '/^ *[0-9]+  [a-z(-]/ { printf "%s ", $1 }')
    if [ "$s" = "0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 " ] && grep -q '  9  interrupted (Ctrl-C' "$dir/help-exit-codes.txt"; then
        pass "$v: --help exit-codes lists 0 to 15, one a line"
    else fail "$v: --help exit-codes lists 0 to 15, one a line" "got: $s"; fi
    # scenarios: every scenario with its two codes (tests/exit-note.sh's table), and --filter, --order.
    ok=yes
    while read -r name sample checked; do
        tr -d '\r' <"$dir/help-scenarios.txt" | grep -qE "^ +$name +$sample +$checked " || { ok="no '$name $sample $checked'"; break; }
    done < <(sh tests/exit-note.sh --table)
    if [ "$ok" = yes ] && grep -q '^  --filter NAME' "$dir/help-scenarios.txt" && grep -q '^  --order NAME' "$dir/help-scenarios.txt"; then
        pass "$v: --help scenarios names every scenario with its two codes, and --filter and --order"
    else fail "$v: --help scenarios names every scenario with its two codes, and --filter and --order" "$ok"; fi
    # compare: the ranges and defaults.
    if tr -d '\r' <"$dir/help-compare.txt" | tr -s ' \n' ' ' \
       | grep -F -e '--stride K with --compare: touch every K-th page (1 to 1000; default 1)' \
       | grep -F -e '--reps R with --compare: repeat R times, report the median (1 to 1000; default 5)' \
       | grep -F -e '(1 to 1048576; default the allocation granularity)' | grep -F -e '(1 to 2047)' \
       | grep -qF -e 'default 16384 with --compare'; then
        pass "$v: --help compare shows each option's range and default"
    else fail "$v: --help compare shows each option's range and default"; fi
    # all: everything the topics and the one screen say, and every spelling of --help.
    ok=yes
    for t in scenarios compare exit-codes; do
        while IFS= read -r s; do
            [ -z "${s//[$'\r' ]/}" ] && continue
            case $s in Scenarios*|The\ exit*|\(make*|Compare*|No\ other*) continue ;; esac
            grep -qxF -- "$s" "$dir/help-all.txt" || { ok="$t's line '$s' missing"; break 2; }
        done <"$dir/help-$t.txt"
    done
    if [ "$ok" = yes ] && grep -q 'also -? and /h), wherever it stands' "$dir/help-all.txt" \
       && grep -q 'exit 0 or 11 (docs/SMOKE-TEST.md)' "$dir/help-all.txt" && grep -q 'only rule N (1 to 10)' "$dir/help-all.txt"; then
        pass "$v: --help all holds every topic and every option in full"
    else fail "$v: --help all holds every topic and every option in full" "$ok"; fi

    # --help wins wherever it stands; a topic is the word right after it.
    for s in "--pages 3 --help" "--help --pages 3" "--frobnicate /?" "--help -v" "--tour 3 -h"; do
        # shellcheck disable=SC2086
        run_exe "$exe" /dev/null $s
        if same_code 0 "$rc" && same_bytes "$dir/help.txt" "$OUT/stdout.txt" && [ ! -s "$OUT/stderr.txt" ]; then
            pass "$v: '$s' prints the help, exit 0"
        else fail "$v: '$s' prints the help, exit 0" "${why:-}"; fi
    done
    for s in "--pages 3 --help exit-codes" "-? exit-codes --pages 0"; do
        # shellcheck disable=SC2086
        run_exe "$exe" /dev/null $s
        if same_code 0 "$rc" && same_bytes "$dir/help-exit-codes.txt" "$OUT/stdout.txt"; then
            pass "$v: '$s' prints that topic, exit 0"
        else fail "$v: '$s' prints that topic, exit 0" "${why:-}"; fi
    done
    # An unknown topic: bad input (exit 2), named with the valid topics, on stderr only.
    for s in "--help frobnicate" "--pages 3 /h 7"; do
        # shellcheck disable=SC2086
        run_exe "$exe" /dev/null $s
        if same_code 2 "$rc" && [ ! -s "$OUT/stdout.txt" ] \
           && head -1 "$OUT/stderr.txt" | grep -q "^pagefault_demo: unknown help topic (scenarios, compare, exit-codes or all): ${s##* }"$'\r''*$' \
           && grep -q '^Usage: pagefault_demo \[options\]'$'\r''*$' "$OUT/stderr.txt" \
           && grep -qF "Try 'pagefault_demo --help' for more." "$OUT/stderr.txt" && [ "$(wc -l <"$OUT/stderr.txt")" = 3 ]; then
            pass "$v: '$s': unknown topic, 3 lines on stderr, exit 2"
        else fail "$v: '$s': unknown topic, 3 lines on stderr, exit 2" "exit $rc; ${why:-}" "$(head -3 "$OUT/stderr.txt")"; fi
    done
}

# line_widths VARIANT DIR EXE: the lines a teacher meets at the end of a
# run fit 80 columns: make run's note for every scenario and filter, the
# lost-output line, and --verify's lines (also with every number at
# MAX_PAGES' width and the verdict MISMATCH, the widest they can be).
line_widths() {
    local v=$1 dir=$2 exe=$3 name sample checked code f ok=yes
    while read -r name sample checked; do
        for f in sample checked; do
            [ $f = sample ] && code=$sample || code=$checked
            sh tests/exit-note.sh "$code" --scenario "$name" --filter $f 2>"$dir/note.txt"
            if ! [ -s "$dir/note.txt" ] || ! fits_80 "$dir/note.txt"; then ok="$name, $f: ${why:-no note}"; break 2; fi
        done
    done < <(sh tests/exit-note.sh --table)
    if [ "$ok" = yes ]; then pass "$v: make run's note fits 80 columns for every scenario and filter"
    else fail "$v: make run's note fits 80 columns for every scenario and filter" "$ok"; fi

    run_exe_to /dev/full "$OUT/stderr.txt" /dev/null "$exe"
    if same_code 12 "$rc" && [ -s "$OUT/stderr.txt" ] && fits_80 "$OUT/stderr.txt"; then
        pass "$v: stdout on a full disk: the line on stderr fits 80 columns"
    else fail "$v: stdout on a full disk: the line on stderr fits 80 columns" "${why:-}"; fi

    run_exe "$exe" /dev/null --pages 3 --verify
    grep '^Verify:' "$OUT/stdout.txt" | sed 's/[0-9][0-9]*/1048576/g; s/: ok/: MISMATCH/' >"$dir/verify-widest.txt"
    if same_code 0 "$rc" && [ "$(grep -c '^Verify:' "$OUT/stdout.txt")" = 4 ] && fits_80 "$OUT/stdout.txt" \
       && fits_80 "$OUT/stderr.txt" && fits_80 "$dir/verify-widest.txt"; then
        pass "$v: --verify's lines fit 80 columns, at their widest too"
    else fail "$v: --verify's lines fit 80 columns, at their widest too" "exit $rc; ${why:-}"; fi
}
