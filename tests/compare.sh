#!/usr/bin/env bash
# tests/compare.sh - --compare: its invariants, never its timings. Sourced by run.sh.

# compare_csv EXE ARGS...: runs --compare --csv --reps 1 ARGS; stdout without
# CRs in $OUT/compare.csv, exit code in $rc.
compare_csv() {
    local exe=$1; shift
    run_exe "$exe" /dev/null --compare --csv --reps 1 "$@"
    tr -d '\r' <"$OUT/stdout.txt" >"$OUT/compare.csv"
}

# csv_column NAME: column NAME of $OUT/compare.csv, found by its header, as
# "way value" lines, one per way (columns added at the end may come in any order).
csv_column() {
    awk -F, -v name="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
                          c { print $1, $c }' "$OUT/compare.csv"
}

# run_said: the first line of stdout and of stderr, for a failure's message.
run_said() { printf 'stdout: %s; stderr: %s' "$(head -1 "$OUT/stdout.txt" | tr -d '\r')" "$(head -1 "$OUT/stderr.txt" | tr -d '\r')"; }


# test_compare VARIANT DIR EXE
test_compare() {
    local v=$1 dir=$2 exe=$3 name
    # Committed pages, faults and values per way: on demand and explicit
    # commit the touched pages only, up front all of them, the chunked way
    # the chunks it faulted on; only the on-demand ways fault. Columns: way
    # pages stride touched committed_kib faults values_ok chunk_pages
    # commit_error. 64 pages, every 4th touched: 16 pages; chunks of 16 (the
    # default, 64 KiB granularity) from pages 0, 16, 32 and 48; doubling
    # chunks of 1, 2, 4, 8, 16 and 32 pages from pages 0, 4, 8, 12, 20 and
    # 36, the last clipped to 28 (36..63): 59 pages, 6 faults, 28 at most.
    name="$v: --compare invariants (committed KiB, faults, values, CSV columns)"
    run_exe "$exe" /dev/null --compare --pages 64 --stride 4 --reps 3 --csv
    tr -d '\r' <"$OUT/stdout.txt" | awk -F, '{ print $1, $2, $3, $4, $10, $12, $13, $14, $16 }' >"$dir/compare.txt"
    printf '%s\n' "way pages stride touched committed_kib faults values_ok chunk_pages commit_error" \
        "on-demand 64 4 16 64 16 yes 1 0" "up-front 64 4 16 256 0 yes 0 0" "explicit 64 4 16 64 0 yes 0 0" \
        "on-demand-chunk 64 4 16 256 4 yes 16 0" "on-demand-doubling 64 4 16 236 6 yes 28 0" >"$dir/compare-expected.txt"
    if same_bytes "$dir/compare-expected.txt" "$dir/compare.txt" && same_code 0 "$rc"; then pass "$name"
    else fail "$name" "$why" "$(cat "$dir/compare.txt")" "$(run_said)"; fi

    # The chunked way with --stride and chunks that cross the region's end:
    # PAGES STRIDE CHUNK, then its committed KiB and faults, worked out by hand.
    local c pages stride chunk kib faults got
    for c in "70 4 16 280 5" "10 3 4 32 2" "64 8 3 96 8" "5 1 64 20 1"; do
        read -r pages stride chunk kib faults <<<"$c"
        name="$v: --compare --pages $pages --stride $stride --chunk $chunk: chunked way commits $kib KiB, faults $faults"
        compare_csv "$exe" --pages "$pages" --stride "$stride" --chunk "$chunk"
        got=$(awk -F, '$1 == "on-demand-chunk" { print $10, $12, $13, $14 }' "$OUT/compare.csv")
        if [ "$got" = "$kib $faults yes $chunk" ] && same_code 0 "$rc"; then pass "$name"
        else fail "$name" "exit $rc; committed_kib faults values_ok chunk_pages: $got" "$(run_said)"; fi
    done

    # The doubling way: PAGES STRIDE, then its committed KiB, faults and
    # largest chunk (chunk_pages), worked out by hand. 1024 pages: chunks of
    # 1..512 (1023 pages), then page 1023 alone: 11 faults. 1000: 1..256 (511),
    # then 512 clipped to 489: 10. 10 pages, every 3rd: 1 at 0, 2 at 3, 4 at 6
    # (6..9): 7 pages. 100, every 7th: 1 at 0, 2 at 7, 4 at 14, 8 at 21, 16 at
    # 35, 32 at 56, then 64 at 91 clipped to 9: 72 pages. 1 page: 1 fault.
    for c in "1024 1 4096 11 512" "1000 1 4000 10 489" "10 3 28 3 4" "100 7 288 7 32" "1 1 4 1 1"; do
        read -r pages stride kib faults chunk <<<"$c"
        name="$v: --compare --pages $pages --stride $stride: doubling way commits $kib KiB, faults $faults, largest chunk $chunk"
        compare_csv "$exe" --pages "$pages" --stride "$stride"
        got=$(awk -F, '$1 == "on-demand-doubling" { print $10, $12, $13, $14 }' "$OUT/compare.csv")
        if [ "$got" = "$kib $faults yes $chunk" ] && same_code 0 "$rc"; then pass "$name"
        else fail "$name" "exit $rc; committed_kib faults values_ok chunk_pages: $got" "$(run_said)"; fi
    done

    # The trade in the CSV: overshoot_kib, committed KiB never touched. 100
    # pages, every 7th: 15 touched (60 KiB); up front commits 400 KiB, the
    # chunks of 16 from pages 0, 21, 42, 63 and 84 320, doubling 288 (above);
    # on demand and explicit commit the touched pages only.
    name="$v: --compare --csv overshoot_kib: committed KiB never touched, per way"
    compare_csv "$exe" --pages 100 --stride 7
    got=$(csv_column overshoot_kib | tr '\n' ' ')
    if same_code 0 "$rc" && [ "$got" = "on-demand 0 up-front 340 explicit 0 on-demand-chunk 260 on-demand-doubling 228 " ]
    then pass "$name"; else fail "$name" "exit $rc; overshoot_kib: $got" "$(run_said)"; fi

    # Claim 1: for the same touched pages, on demand and up front grow the
    # working set alike (each within 10% of the touched KiB, and of each
    # other), while up front commits twice as much. 1024 pages, every 2nd.
    name="$v: --compare: on demand and up front use the same physical memory"
    compare_csv "$exe" --pages 1024 --stride 2
    got=$(awk -F, '$1 == "on-demand" { print $10, $15 } $1 == "up-front" { print $10, $15 }' "$OUT/compare.csv" | tr '\n' ' ')
    if same_code 0 "$rc" && awk -v g="$got" 'BEGIN { split(g, a, " "); t = 2048;
            d = a[2] - a[4]; if (d < 0) d = -d;
            exit !(a[1] == t && a[3] == 2 * t && a[2] >= 0.9 * t && a[4] >= 0.9 * t && d <= 0.1 * t) }'; then
        pass "$name"
    else fail "$name" "exit $rc; committed and working set KiB, on demand then up front: $got" "$(run_said)"; fi

    # Claim 3 under Wine: the job is accepted but its limit is not enforced;
    # the program must find that out, say so, and run the ways without it.
    name="$v: --compare --commit-limit 1 says 'not enforced' under Wine and runs the ways"
    run_exe "$exe" /dev/null --compare --pages 64 --stride 4 --reps 1 --commit-limit 1
    if same_code 0 "$rc" && grep -q 'but not enforced on this' "$OUT/stdout.txt" \
       && grep -q '^Checks: ' "$OUT/stdout.txt" && grep -q ': ok' "$OUT/stdout.txt" && ! grep -q 'failed' "$OUT/stdout.txt"; then
        pass "$name"
    else fail "$name" "exit $rc; stdout: $(head -3 "$OUT/stdout.txt")"; fi
    name="$v: --compare --csv --commit-limit 1: 'not enforced' on stderr, commit_error 0 in every row"
    compare_csv "$exe" --pages 64 --stride 4 --commit-limit 1
    got=$(awk -F, 'NR > 1 { print $16 }' "$OUT/compare.csv" | tr '\n' ' ')
    if same_code 0 "$rc" && [ "$got" = "0 0 0 0 0 " ] && grep -q 'not enforced' "$OUT/stderr.txt"; then pass "$name"
    else fail "$name" "exit $rc; commit_error column: $got; stderr: $(head -1 "$OUT/stderr.txt")"; fi

    # The benchmark's own run (make bench): default size, five ways, checks
    # ok (the doubling way: 15 faults, 1 to 8192 pages); no progress line on
    # stderr, which is not a terminal here. On one variant per toolchain
    # (sampled_area); every variant runs --compare at smaller sizes above.
    sampled_area "$v" bench || return 0
    name="$v: --compare at its default size (the bench run) checks ok, nothing on stderr"
    run_exe "$exe" /dev/null --compare
    cp "$OUT/stdout.txt" "$dir/compare-default.txt"
    if same_code 0 "$rc" && grep -q ': ok' "$OUT/stdout.txt" && [ "$(grep -c ' us[[:space:]]*$' "$OUT/stdout.txt")" = 5 ] \
       && grep -q '^access violations as expected (16384, 0, 0, 1024, 15),' "$OUT/stdout.txt" \
       && grep -Eq '^on demand \(doubling\) +8192 .* 15'$'\r''?$' "$OUT/stdout.txt" \
       && [ ! -s "$OUT/stderr.txt" ]; then pass "$name"
    else fail "$name" "exit $rc; stderr: $(head -c 200 "$OUT/stderr.txt")"; fi

    # system_page_faults, the CSV's last column: the growth of PageFaultCount
    # (page faults, as the memory manager counts them) over each way's
    # touches; Wine does not report PageFaultCount, so it is empty in every
    # row, never 0; "faults" (access violations) stays column 12, and
    # overshoot_kib (17) comes before it.
    name="$v: --compare --csv: system_page_faults last, empty where not reported (Wine)"
    compare_csv "$exe" --pages 64 --stride 4
    got=$(awk -F, '{ print NF "|" $12 "|" $18 }' "$OUT/compare.csv" | tr '\n' ' ')
    if same_code 0 "$rc" && [ "$(head -1 "$OUT/compare.csv" | sed 's/.*,//')" = system_page_faults ] \
       && [ "$got" = "18|faults|system_page_faults 18|16| 18|0| 18|0| 18|4| 18|6| " ]; then pass "$name"
    else fail "$name" "exit $rc; columns|faults|system_page_faults per line: $got"; fi
    name="$v: --compare table: page faults column '-', 'not reported by this system', AVs apart"
    run_exe "$exe" /dev/null --compare --pages 64 --stride 4 --reps 1
    tr -d '\r' <"$OUT/stdout.txt" >"$OUT/compare-table.txt"
    if same_code 0 "$rc" && grep -Eq '^way +committed +working set +charge +overshoot +page faults$' "$OUT/compare-table.txt" \
       && [ "$(grep -Ec '^(on demand|up front|explicit).* +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +-$' "$OUT/compare-table.txt")" = 5 ] \
       && grep -q '^reported by this system$' "$OUT/compare-table.txt" \
       && grep -q '^access violations as expected (16, 0, 0, 4, 6),$' "$OUT/compare-table.txt" \
       && grep -Eq '^way +chunk +us/page +\(min..max\) +ratio +AVs$' "$OUT/compare-table.txt"; then pass "$name"
    else fail "$name" "exit $rc" "$(grep -A8 '^way  *committed' "$OUT/compare-table.txt" | head -10)"; fi

    # Grammar at one page and one repetition.
    name="$v: --compare --pages 1 --reps 1: '1 page touched', 'median of 1 repetition,'"
    run_exe "$exe" /dev/null --compare --pages 1 --reps 1
    cp "$OUT/stdout.txt" "$dir/compare-1.txt"
    if same_code 0 "$rc" && grep -q 'so 1 page touched;' "$OUT/stdout.txt" && grep -q '^median of 1 repetition,' "$OUT/stdout.txt"
    then pass "$name"; else fail "$name" "exit $rc; $(head -2 "$OUT/stdout.txt" | tr -d '\r')"; fi

    # 80 columns: every line of the table, chart and notes, for several option
    # sets (the widest numbers: a 7-digit chunk, the commit-limit note).
    run_exe "$exe" /dev/null --compare --pages 4096 --stride 1000 --reps 1 --chunk 1048576 --commit-limit 2047
    cp "$OUT/stdout.txt" "$dir/compare-wide.txt"
    local f
    for f in compare-default compare-1 compare-wide; do
        name="$v: --compare output fits 80 columns ($f.txt)"; why="empty output"
        if [ -s "$dir/$f.txt" ] && fits_80 "$dir/$f.txt"; then pass "$name"
        else fail "$name" "$why"; fi
    done

    test_compare_terminal "$v" "$dir" "$exe"

    # Bad input for the compare's own options: exit 2, reason on stderr, nothing on stdout.
    local entry args msg
    for entry in "chunk without compare|--chunk 4|needs --compare: --chunk" \
                 "commit-limit without compare|--commit-limit 8|needs --compare: --commit-limit" \
                 "chunk zero|--compare --chunk 0|takes a whole number from 1 to 1048576, not '0'" \
                 "commit-limit past 2047|--compare --commit-limit 2048|from 1 to 2047, not '2048'" \
                 "chunk twice|--compare --chunk 2 --chunk 3|option given twice: --chunk"; do
        IFS='|' read -r name args msg <<<"$entry"
        # shellcheck disable=SC2086
        run_exe "$exe" /dev/null $args
        if [ "$rc" = 2 ] && grep -qF -- "$msg" "$OUT/stderr.txt" && [ ! -s "$OUT/stdout.txt" ]; then
            pass "$v: bad input: $name"
        else fail "$v: bad input: $name" "exit $rc; stderr: $(head -1 "$OUT/stderr.txt")"; fi
    done
}

# test_compare_terminal VARIANT DIR EXE: in a terminal (tmux), --compare shows
# its progress on stderr, one line rewritten in place with \r, and blanks it
# at the end; stdout (here a file) keeps the table alone.
test_compare_terminal() {
    local v=$1 dir=$2 exe=$3 name="$v: --compare in a terminal: progress on one stderr line, rewritten in place"
    if ! command -v tmux >/dev/null 2>&1; then skip "$name" "tmux is not installed"; return; fi
    local sock=pfd-$$ log=$dir/compare-tty.log n
    rm -f "$log" "$dir/compare-tty.out" "$dir/compare-tty.rc"
    tmux -L "$sock" new-session -d -x 100 -y 10 "sleep 1; WINELOADER=$WINE $WINE '$exe' --compare --pages 256 --reps 3 \
        >'$dir/compare-tty.out'; echo \$? >'$dir/compare-tty.rc'; sleep 1"
    tmux -L "$sock" pipe-pane -o "cat >>'$log'"
    for n in $(seq 1 120); do [ -s "$dir/compare-tty.rc" ] && break; sleep 1; done
    sleep 1
    tmux -L "$sock" kill-server >/dev/null 2>&1
    # Every progress update on one line: the pane log has no newline between them.
    if [ "$(cat "$dir/compare-tty.rc" 2>/dev/null)" = 0 ] \
       && [ "$(grep -c 'compare: repetition' "$log")" = 1 ] \
       && grep -q 'repetition 3 of 3, on-demand-doubling' "$log" && [ "$(tr -cd '\r' <"$log" | wc -c)" -ge 15 ] \
       && ! grep -q 'compare: repetition' "$dir/compare-tty.out" && grep -q ': ok' "$dir/compare-tty.out"; then
        pass "$name"
    else fail "$name" "exit $(cat "$dir/compare-tty.rc" 2>/dev/null); pane: $(tr '\r' '|' <"$log" 2>/dev/null | head -c 300)"; fi
}
