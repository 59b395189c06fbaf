#!/usr/bin/env bash
# tests/scenarios.sh - the sample's limits (issue 17): the scenarios
# stray-write, read-only, decommit and guard-grow, --filter checked beside
# the sample's, --order, and make run's note on a scenario's intended exit
# code (tests/exit-note.sh, whose table is checked here against --help).
# Sourced by run.sh.

NEW_SCENARIOS="stray-write read-only decommit guard-grow"

# intended_code SCENARIO FILTER: the exit code the scenario intends, from
# tests/exit-note.sh's table (itself checked against --help below).
intended_code() {
    sh tests/exit-note.sh --table | awk -v s="$1" -v f="$2" '$1 == s { print (f == "checked") ? $3 : $2 }'
}

# lab_trace FILTER SCENARIO N: the trace of --filter FILTER --scenario
# SCENARIO --pages N, written from each filter's branches (see
# docs/SCENARIOS.md). At N = 80 it must equal the stored trace.
lab_trace() {
    local f=$1 s=$2 n=$3 k
    pairs() { awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "Exception is a page fault.\r\nAllocating another page.\r\n" }'; }
    line() { printf '%s\r\n' "$@"; }
    k=0; [ "$n" -ge 2 ] && k=1          # the read-only page
    line 'This computer has page size 4096.'
    case $f:$s in
        sample:stray-write|sample:decommit)
            pairs 1
            if [ "$s" = stray-write ]; then line 'Writing one byte outside the region, in the page just past its end.'
            else line 'Decommitting page 0, then writing to it again.'; fi
            pairs $((n - 1))
            line 'Exception is a page fault.' 'Exception: out of pages.' 'Exiting process.' ;;
        sample:read-only)
            line "Committing page $k read-only (PAGE_READONLY) before the loop."
            pairs "$n"
            line "Page $k is now PAGE_READWRITE (it was PAGE_READONLY)." 'Release succeeded.' ;;
        sample:guard-grow)
            line 'Committing page 0 as a guard page (PAGE_GUARD) before the loop.'
            line 'Exception code = 0x80000001.' 'Exiting process.' ;;
        checked:stray-write)
            pairs 1
            line 'Writing one byte outside the region, in the page just past its end.'
            line 'Exception is a page fault.' 'Exception: the address lies outside the region.' 'Exiting process.' ;;
        checked:decommit)
            pairs 1
            line 'Decommitting page 0, then writing to it again.'
            pairs "$n"
            line 'Release succeeded.' ;;
        checked:read-only)
            line "Committing page $k read-only (PAGE_READONLY) before the loop."
            pairs "$k"
            line 'Exception is a page fault.' 'Exception: the page is committed already.' 'Exiting process.' ;;
        checked:guard-grow)
            line 'Committing page 0 as a guard page (PAGE_GUARD) before the loop.'
            awk -v n=$((n - 1)) 'BEGIN { for (i = 0; i < n; i++) printf "Exception is a guard page violation.\r\nCommitting the next page as the new guard.\r\n" }'
            line 'Exception is a guard page violation.' 'No page left for a new guard.' 'Release succeeded.' ;;
        checked:overrun|checked:commit-fails)
            pairs "$n"
            line 'Exception is a page fault.' 'Exception: the address lies outside the region.' 'Exiting process.' ;;
        checked:not-a-fault)
            pairs 1
            line 'Exception code = 0xC0000094.' 'Exiting process.' ;;
    esac
}

# stored_name FILTER SCENARIO: the stored trace's file, without .txt.
stored_name() { if [ "$1" = checked ]; then echo "checked-$2"; else echo "$2"; fi; }

# test_scenarios VARIANT DIR EXE
test_scenarios() {
    local v=$1 dir=$2 exe=$3 s f n code name

    # The stored traces at 80 pages, each generated trace against its stored one first.
    for f in sample checked; do
        for s in $NEW_SCENARIOS; do
            code=$(intended_code "$s" "$f"); name=$(stored_name "$f" "$s")
            lab_trace "$f" "$s" 80 >"$dir/lab-$name-80.txt"
            if same_bytes "tests/expected/$name.txt" "$dir/lab-$name-80.txt"; then
                pass "$v: the generated --filter $f --scenario $s trace at 80 pages is the stored one"
            else fail "$v: the generated --filter $f --scenario $s trace at 80 pages is the stored one" "$why"; fi
            expect_run "$v: --filter $f --scenario $s (file, exit $code)" "$exe" "tests/expected/$name.txt" "$code" \
                run_exe --filter "$f" --scenario "$s"
        done
        for s in $NEW_SCENARIOS; do
            code=$(intended_code "$s" sample)
            [ "$f" = sample ] || break
            expect_run "$v: --scenario $s (pipe, exit $code)" "$exe" "tests/expected/$s.txt" "$code" run_exe_piped --scenario "$s"
        done
    done

    # Every scenario at 1 and 2 pages: the new ones with both filters, the
    # old ones with the checked filter (demo.sh runs them with the sample's).
    for f in sample checked; do
        for s in $NEW_SCENARIOS overrun not-a-fault commit-fails; do
            case $f:$s in sample:overrun|sample:not-a-fault|sample:commit-fails) continue ;; esac
            code=$(intended_code "$s" "$f")
            for n in 1 2; do
                lab_trace "$f" "$s" "$n" >"$dir/lab-$f-$s-$n.txt"
                expect_run "$v: --filter $f --pages $n --scenario $s (exit $code)" "$exe" "$dir/lab-$f-$s-$n.txt" "$code" \
                    run_exe --filter "$f" --pages "$n" --scenario "$s"
            done
        done
    done

    # Every existing trace stays byte for byte under --filter sample; the
    # checked filter and every --order give the documented trace too (the
    # trace does not show where a fault is: --verbose below does).
    expect_run "$v: --filter sample: the documented trace" "$exe" expected_output.txt 0 run_exe --filter sample
    for s in overrun:4 not-a-fault:3 commit-fails:5; do
        expect_run "$v: --filter sample --scenario ${s%%:*}: its stored trace" "$exe" "tests/expected/${s%%:*}.txt" \
            "${s#*:}" run_exe --filter sample --scenario "${s%%:*}"
    done
    expect_run "$v: --filter sample --verify: its stored trace" "$exe" tests/expected/verify.txt 0 run_exe --filter sample --verify
    for f in sample checked; do
        for o in forward reverse random; do
            expect_run "$v: --filter $f --order $o: the documented trace" "$exe" expected_output.txt 0 \
                run_exe --filter "$f" --order "$o"
        done
    done
    # --verify with the checked filter in a scrambled order: one fault per page.
    verify_trace 7 >"$dir/verify-7.txt"
    expect_run "$v: --filter checked --order random --verify --pages 7" "$exe" "$dir/verify-7.txt" 0 \
        run_exe --filter checked --order random --verify --pages 7

    # --verbose traces, masked: where each fault is and which page the filter commits.
    local args
    for args in "sample --pages 2 --scenario stray-write" "sample --pages 2 --scenario read-only" \
                "sample --pages 2 --scenario decommit" "sample --pages 2 --scenario guard-grow" \
                "checked --pages 2 --scenario guard-grow" "checked --pages 2 --scenario read-only" \
                "sample --pages 3 --order reverse" "checked --pages 3 --order reverse"; do
        # shellcheck disable=SC2086
        set -- $args
        case $4 in --scenario) code=$(intended_code "$5" "$1"); name=verbose-$1-$5 ;; *) code=0; name=verbose-$1-order-$5 ;; esac
        run_exe "$exe" /dev/null --verbose --filter $args
        # As watch.sh's: line 1 names this build's mechanism, the rest is stored.
        if verbose_holds "$v" "$dir" "${name#verbose-}" "$code"; then
            pass "$v: --verbose --filter $args: the mechanism, then the stored trace, 80 columns, exit $code"
        else fail "$v: --verbose --filter $args: the mechanism, then the stored trace, 80 columns, exit $code" "$why"; fi
    done

    # The sample's filter with --order reverse: the faulting address stays
    # put while the committed page moves; the checked one commits the page
    # that faulted. Read from the unmasked addresses.
    local av='^  access violation [0-9]*: write at '
    run_exe "$exe" /dev/null --verbose --pages 4 --order reverse
    tr -d '\r' <"$OUT/stdout.txt" >"$OUT/reverse.txt"
    if [ "$(grep -c "$av" "$OUT/reverse.txt")" = 4 ] \
       && [ "$(grep "$av" "$OUT/reverse.txt" | awk '{ print $6 }' | sort -u | wc -l)" = 1 ] \
       && [ "$(grep '^  the filter asks to commit page' "$OUT/reverse.txt" | awk '{ print $9 }' | sort -u | wc -l)" = 4 ] \
       && [ "$(grep -c '^  committed, so the write raises another access violation$' "$OUT/reverse.txt")" = 3 ]; then
        pass "$v: sample filter, --order reverse: 4 access violations at one address, 4 pages committed, 3 retries fault again"
    else fail "$v: sample filter, --order reverse: 4 access violations at one address, 4 pages committed, 3 retries fault again" \
              "$(grep -E '^  (access violation|the filter asks|committed, so)' "$OUT/reverse.txt" | head -8)"; fi
    run_exe "$exe" /dev/null --verbose --pages 4 --order random --filter checked
    tr -d '\r' <"$OUT/stdout.txt" >"$OUT/random.txt"
    if [ "$(grep "$av" "$OUT/random.txt" | awk '{ print $6 }' | tr -d ',')" = \
         "$(grep '^  the filter asks to commit page' "$OUT/random.txt" | awk '{ print $9 }')" ] \
       && [ "$(grep -c "$av" "$OUT/random.txt")" = 4 ] && ! grep -q 'another access violation' "$OUT/random.txt"; then
        pass "$v: checked filter, --order random: each access violation commits the page at its own address"
    else fail "$v: checked filter, --order random: each access violation commits the page at its own address" \
              "$(grep -E '^  (access violation|the filter asks)' "$OUT/random.txt" | head -8)"; fi

    # --verify and --pause with the three scenarios that reach the release;
    # refused, with the reason, where the filter exits before it.
    verify_reaches_release "$v" "$exe" "$dir"

    # --step predicts what each filter really does, stdout and stderr in one
    # stream: the sample's filter commits its next page while the stray
    # write's address stays put; the checked filter gives up, or grows the guard.
    step_predicts "$v" "$exe"

    # Bad input for the new options: a reason, exit code 2, nothing on stdout.
    local bad
    for bad in "--filter strict|unknown filter (sample or checked): strict" "--filter|option needs a filter name" \
               "--order sideways|unknown order (forward, reverse or random): sideways" "--order reverse --order reverse|option given twice: --order" \
               "--tour --filter checked|option does not go with --tour"; do
        # shellcheck disable=SC2086
        run_exe "$exe" /dev/null ${bad%%|*}
        if same_code 2 "$rc" && grep -qF "${bad#*|}" "$OUT/stderr.txt" && [ ! -s "$OUT/stdout.txt" ]; then
            pass "$v: bad input '${bad%%|*}': says '${bad#*|}', exit 2"
        else fail "$v: bad input '${bad%%|*}': says '${bad#*|}', exit 2" "exit $rc; stderr: $(head -c 200 "$OUT/stderr.txt")"; fi
    done

    # tests/exit-note.sh's table is the one --help scenarios shows.
    run_exe "$exe" /dev/null --help scenarios
    tr -d '\r' <"$OUT/stdout.txt" | awk '/^                     [a-z-]+ +[0-9]+ +[0-9]+ / { print $1, $2, $3 }' >"$dir/help-table.txt"
    sh tests/exit-note.sh --table >"$dir/note-table.txt"
    if [ -s "$dir/help-table.txt" ] && cmp -s "$dir/help-table.txt" "$dir/note-table.txt"; then
        pass "$v: tests/exit-note.sh's table of intended exit codes is the one --help scenarios shows"
    else fail "$v: tests/exit-note.sh's table of intended exit codes is the one --help scenarios shows" \
              "help: $(tr '\n' ';' <"$dir/help-table.txt")" "script: $(tr '\n' ';' <"$dir/note-table.txt")"; fi
}

# verify_reaches_release VARIANT EXE DIR
verify_reaches_release() {
    local v=$1 exe=$2 dir=$3 c f s code want name cr
    cr=$(printf '\r')
    # filter:scenario:exit code:the three Verify lines' counts (faults, touched, bytes that differ)
    for c in sample:read-only:0:2:2:0 checked:guard-grow:0:2:2:0 checked:decommit:7:3:2:4095; do
        IFS=: read -r f s code nf nt nb <<<"$c"
        want=$(ok() { [ "$1" = "$2" ] && echo ok || echo MISMATCH; }
               printf 'Verify: faults counted (%s) equal pages touched (%s): %s\r\n' "$nf" "$nt" "$(ok "$nf" "$nt")"
               printf "Verify: 2 of 2 pages PAGE_READWRITE; 8 KiB committed: ok\r\n"
               printf "Verify: every byte holds 'a' (%s bytes differ): %s\r\n" "$nb" "$(ok "$nb" 0)")
        lab_trace "$f" "$s" 2 | awk -v w="$want" -v cr="$cr" '$0 == "Release succeeded." cr { print w }
            { print } END { print "Verify: after MEM_RELEASE the base address is MEM_FREE: ok" cr }' \
            >"$dir/verify-$f-$s.txt"
        expect_run "$v: --filter $f --scenario $s --verify reaches the release (exit $code)" "$exe" \
            "$dir/verify-$f-$s.txt" "$code" run_exe --pages 2 --filter "$f" --scenario "$s" --verify
        run_exe "$exe" /dev/null --pages 2 --filter "$f" --scenario "$s" --pause
        name="$v: --filter $f --scenario $s --pause: pauses before the release"
        if grep -q '^Paused before the release' "$OUT/stdout.txt" && grep -q "includes the region's 8 KiB" "$OUT/stdout.txt" \
           && tail -n 1 "$OUT/stdout.txt" | grep -q '^Release succeeded' && same_code 0 "$rc"; then pass "$name"
        else fail "$name" "exit $rc; stderr: $(head -c 200 "$OUT/stderr.txt")"; fi
    done
    for c in "sample decommit --verify|with this filter it exits before the release: --verify" \
             "sample guard-grow --pause|with this filter it exits before the release: --pause" \
             "checked read-only --verify|with this filter it exits before the release: --verify" \
             "checked stray-write --pause|this scenario exits before the release: --pause" \
             "sample overrun --verify|this scenario exits before the release: --verify"; do
        set -- ${c%%|*}
        name="$v: --filter $1 --scenario $2 $3: refused, says '${c#*|}', exit 2"
        run_exe "$exe" /dev/null --filter "$1" --scenario "$2" "$3"
        if same_code 2 "$rc" && grep -qF "pagefault_demo: ${c#*|}" "$OUT/stderr.txt" && [ ! -s "$OUT/stdout.txt" ] \
           && fits_80 "$OUT/stderr.txt"; then pass "$name"
        else fail "$name" "exit $rc; stderr: $(head -c 200 "$OUT/stderr.txt")"; fi
    done
}

# step_prompts FILTER SCENARIO: the merged --step --pages 2 stream of that
# run, addresses masked (written from each filter's branches).
step_prompts() {
    local p='   Predict what happens next, then press Enter to see it --'
    av() { echo "-- step: access violation $1: write at ADDR, $2."; }
    echo 'This computer has page size 4096.'
    case $2 in
        read-only) echo 'Committing page 1 read-only (PAGE_READONLY) before the loop.' ;;
        guard-grow) echo 'Committing page 0 as a guard page (PAGE_GUARD) before the loop.' ;;
    esac
    if [ "$2" != guard-grow ]; then
        echo 'Exception is a page fault.'; av 1 'page 0 of 2'
        echo '   The filter is about to commit page 0, at ADDR.'; echo "$p"; echo 'Allocating another page.'
    fi
    case $1:$2 in
        sample:stray-write)
            echo 'Writing one byte outside the region, in the page just past its end.'
            echo 'Exception is a page fault.'; av 2 'past the region'
            echo '   The filter is about to commit page 1, at ADDR.'; echo "$p"; echo 'Allocating another page.'
            echo 'Exception is a page fault.'; av 3 'past the region'
            echo '   The filter has committed all 2 of its pages.'; echo "$p"
            echo 'Exception: out of pages.'; echo 'Exiting process.' ;;
        checked:stray-write)
            echo 'Writing one byte outside the region, in the page just past its end.'
            echo 'Exception is a page fault.'; av 2 'past the region'
            echo '   The filter is about to give up: the address lies outside the region.'; echo "$p"
            echo 'Exception: the address lies outside the region.'; echo 'Exiting process.' ;;
        checked:read-only)
            echo 'Exception is a page fault.'; av 2 'page 1 of 2'
            echo '   The filter is about to give up: the page is committed already.'; echo "$p"
            echo 'Exception: the page is committed already.'; echo 'Exiting process.' ;;
        checked:guard-grow)
            echo 'Exception is a guard page violation.'
            echo '-- step: guard page violation 1: write at ADDR, page 0 of 2.'
            echo '   The filter is about to commit page 1 as the new guard.'; echo "$p"
            echo 'Committing the next page as the new guard.'
            echo 'Exception is a guard page violation.'
            echo '-- step: guard page violation 2: write at ADDR, page 1 of 2.'
            echo '   The filter is about to commit nothing: no page is left for a new guard.'; echo "$p"
            echo 'No page left for a new guard.'; echo 'Release succeeded.' ;;
    esac
}

# step_predicts VARIANT EXE: --step's prompts for the new scenarios, in a
# merged stream, against step_prompts; with the sample's filter and the
# stray write, the same address twice and two different pages committed.
step_predicts() {
    local v=$1 exe=$2 c f s code name m=$OUT/step-merged.txt
    for c in sample:stray-write checked:stray-write checked:read-only checked:guard-grow; do
        f=${c%%:*}; s=${c#*:}; code=$(intended_code "$s" "$f")
        name="$v: --step --filter $f --scenario $s: each prompt says what this filter does next"
        printf '\n\n\n\n' >"$OUT/enter.txt"
        run_exe_to "$m" '&1' "$OUT/enter.txt" "$exe" --step --pages 2 --filter "$f" --scenario "$s"
        tr -d '\r' <"$m" | sed -E 's/[0-9A-F]{16}|[0-9A-F]{8}/ADDR/g' >"$OUT/step-masked.txt"
        step_prompts "$f" "$s" >"$OUT/step-expected.txt"
        if same_bytes "$OUT/step-expected.txt" "$OUT/step-masked.txt" && same_code "$code" "$rc" && fits_80 "$m"; then
            pass "$name"
        else fail "$name" "$why" "$(diff "$OUT/step-expected.txt" "$OUT/step-masked.txt" | head -6)"; fi
    done
    # At 3 pages: three access violations past the region, at one address;
    # before the first two the filter is about to commit pages 1 and 2.
    name="$v: --step, sample filter, stray-write: the address stays put, the page moves"
    printf '\n\n\n\n\n\n' >"$OUT/enter.txt"
    run_exe_to /dev/null "$OUT/stderr.txt" "$OUT/enter.txt" "$exe" --step --pages 3 --scenario stray-write
    tr -d '\r' <"$OUT/stderr.txt" >"$m"
    if [ "$(grep -c 'past the region' "$m")" = 3 ] \
       && [ "$(grep 'past the region' "$m" | awk '{ print $8 }' | sort -u | wc -l)" = 1 ] \
       && [ "$(grep -A1 'past the region' "$m" | grep 'about to commit page' | awk '{ print $8 }' | tr '\n' ' ')" = "1, 2, " ] \
       && [ "$(grep -A1 'past the region' "$m" | grep 'about to commit page' | awk '{ print $10 }' | sort -u | wc -l)" = 2 ]; then
        pass "$name"
    else fail "$name" "$(head -c 400 "$m")"; fi
}

# Once: tests/exit-note.sh by itself, then through make run as a person types it.
test_exit_note_all() {
    local t=$OUT/exit-note
    mkdir -p "$t"
    # name|code|args|expected exit|expected stderr (empty: none)
    local c name code args want note
    for c in "intended|4|--scenario overrun|0|(exit code 4: out of pages, as this scenario intends)" \
             "intended, checked|14|--pages 2 --scenario stray-write --filter checked|0|(exit code 14: a fault outside the region, as this scenario intends)" \
             "intended 0|0|--scenario read-only|0|(exit code 0: ran to the end and released the region, as this scenario intends)" \
             "not intended|5|--scenario overrun|5|" \
             "not intended with the other filter|4|--scenario overrun --filter checked|4|" \
             "no scenario|4|--pages 3|4|" "no scenario, code 0|0||0|" "unknown scenario|2|--scenario meltdown|2|"; do
        IFS='|' read -r name code args want note <<<"$c"
        # shellcheck disable=SC2086
        sh tests/exit-note.sh "$code" $args 2>"$t/stderr.txt"
        local got=$?
        if same_code "$want" "$got" && [ "$(cat "$t/stderr.txt")" = "$note" ]; then
            pass "tests/exit-note.sh, $name: exit $want${note:+, says so}"
        else fail "tests/exit-note.sh, $name: exit $want${note:+, says so}" "exit $got; stderr: $(cat "$t/stderr.txt")"; fi
    done

    # make run: the intended code is a success with its note; any other is passed on.
    make -s $MAKE_J -f Makefile.mingw >/dev/null 2>&1       # The build; run builds it if this failed
    make -s -f Makefile.mingw run ARGS="--pages 2 --scenario decommit" >"$t/stdout.txt" 2>"$t/stderr.txt"
    local rc=$?
    if same_code 0 "$rc" && [ "$(tail -n 1 "$t/stderr.txt")" = "(exit code 4: out of pages, as this scenario intends)" ] \
       && ! grep -q 'Error' "$t/stderr.txt" && tail -n 1 "$t/stdout.txt" | grep -q '^Exiting process'; then
        pass "make run ARGS=\"--pages 2 --scenario decommit\": exit 0, the note on stderr, no make error"
    else fail "make run ARGS=\"--pages 2 --scenario decommit\": exit 0, the note on stderr, no make error" \
              "exit $rc; stderr: $(tail -c 300 "$t/stderr.txt")"; fi
    make -s -f Makefile.mingw run ARGS="--pages 2 --scenario decommit --filter checked --order reverse" >"$t/stdout.txt" 2>"$t/stderr.txt"
    rc=$?
    if same_code 0 "$rc" && grep -qF '(exit code 0: ' "$t/stderr.txt"; then
        pass "make run with --filter checked: the checked filter's intended code 0, with the note"
    else fail "make run with --filter checked: the checked filter's intended code 0, with the note" "exit $rc"; fi
    make -s -f Makefile.mingw run ARGS="--scenario overrun --pages 0" >"$t/stdout.txt" 2>"$t/stderr.txt"
    rc=$?
    if same_code 2 "$rc" && ! grep -q 'as this scenario intends' "$t/stderr.txt"; then
        pass "make run with bad input: make passes exit code 2 on, no note"
    else fail "make run with bad input: make passes exit code 2 on, no note" "exit $rc"; fi
}
