#!/usr/bin/env bash
# tests/watch.sh - what watches the demo run: --verbose's traces, --step,
# --pause, and the width of every mode a class reads on an 80-column
# console. Sourced by run.sh.

# mask_trace FILE: addresses, the working set and the system-wide commit
# change from run to run. Hex codes written 0x... are kept.
mask_trace() {
    sed -E -e 's/^(    Commit(Total|Limit) \(whole system\) +)[0-9]+ KiB/\1N KiB/' \
        -e 's/(^|[^x0-9A-F])[0-9A-F]{8,16}/\1ADDR/g' -e 's/working set: [0-9]+ KiB/working set: N KiB/' "$1"
}

# verbose_holds VARIANT DIR NAME CODE: the --verbose run just made ($OUT)
# opens with this build's mechanism line, and the rest, masked, is the
# stored trace NAME (verbose-NAME.txt via expected_verbose), with exit CODE
# and 80 columns. Keeps the masked run in DIR/verbose-NAME.txt; $why says
# what differed.
verbose_holds() {
    local v=$1 dir=$2 name=$3 code=$4
    mask_trace "$OUT/stdout.txt" | tail -n +2 >"$dir/verbose-$name.txt"
    expected_verbose "$v" "$name" >"$dir/verbose-$name-expected.txt"
    why="line 1 is '$(head -1 "$OUT/stdout.txt" | tr -d '\r')'"
    [ "$(head -1 "$OUT/stdout.txt")" = "Exception mechanism: $(mechanism_of "$v").$(printf '\r')" ] \
        && same_bytes "$dir/verbose-$name-expected.txt" "$dir/verbose-$name.txt" && same_code "$code" "$rc" \
        && fits_80 "$OUT/stdout.txt"
}

# mechanism_of VARIANT: the words GuardMechanismName() must give in that
# build: GCC has no __try, clang in MSVC mode compiles the real one.
mechanism_of() {
    case $1 in
        gcc-*) echo "vectored exception handler (GCC stand-in for __try)" ;;
        *)     echo "__try/__except (frame-based SEH)" ;;
    esac
}

# expected_verbose VARIANT NAME: the stored --verbose trace (written for
# the real __except) as this variant must print it after its first line:
# on GCC the one line that names the __except block says who plays it.
expected_verbose() {
    local lf
    lf=$(printf '\r')
    case $1 in
        gcc-*) sed "s/^  filter returns EXCEPTION_EXECUTE_HANDLER: the __except block runs$lf\$/  filter returns EXCEPTION_EXECUTE_HANDLER: the __except block's body$lf\\
  runs, called by the $(mechanism_of "$1")$lf/" "tests/expected/verbose-$2.txt" ;;
        *) cat "tests/expected/verbose-$2.txt" ;;
    esac
}

# plain_trace N: the default trace of --pages N.
plain_trace() {
    printf 'This computer has page size 4096.\r\n'
    awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "Exception is a page fault.\r\nAllocating another page.\r\n" }'
    printf 'Release succeeded.\r\n'
}

# waits_for_enter NAME PROMPTS EXE ARGS...: with stdin an open pipe, the
# program stops at its first prompt (stderr) and goes no further; each
# Enter lets it on; after PROMPTS of them, it ends with exit code 0.
waits_for_enter() {
    local name=$1 prompts=$2 exe=$3; shift 3
    local fifo=$OUT/stdin.fifo pid fd i lines1 lines2 ok
    retry_once "$OUT/stdout.txt" "$OUT/stderr.txt" "${exe#"$ROOT"/} $* (waits_for_enter)" waits_for_enter_once "$@"
    if [ "$ok" = yes ] && same_code 0 "$rc" && ! grep -q 'end of input' "$OUT/stderr.txt"; then
        pass "$name"
    else
        fail "$name" "$ok" "exit $rc; stderr: $(tail -c 200 "$OUT/stderr.txt")"
    fi
}
# waits_for_enter_once ARGS...: waits_for_enter's one run (its locals).
waits_for_enter_once() {
    ok=yes
    rm -f "$fifo"; mkfifo "$fifo"
    exec {fd}<>"$fifo"
    # Empty now, not by the redirection below: that runs in the background
    # job, maybe after the first grep, which would read the last test's stderr.
    : >"$OUT/stdout.txt"; : >"$OUT/stderr.txt"
    # The program gets the read end only: closing ours must give it end of input.
    wine "$exe" "$@" <"$fifo" >"$OUT/stdout.txt" 2>"$OUT/stderr.txt" {fd}>&- &
    pid=$!
    for i in $(seq 1 100); do
        grep -q 'Enter' "$OUT/stderr.txt" 2>/dev/null && break
        sleep 0.2
    done
    lines1=$(wc -l <"$OUT/stdout.txt")
    sleep 1.5
    lines2=$(wc -l <"$OUT/stdout.txt")
    if ! kill -0 "$pid" 2>/dev/null || [ "$lines1" != "$lines2" ] || ! grep -q 'Enter' "$OUT/stderr.txt"; then
        ok="no: it did not stop at the first prompt (stdout $lines1 then $lines2 lines)"
    fi
    for i in $(seq 1 "$prompts"); do printf '\n' >&"$fd"; sleep 0.1; done
    exec {fd}>&-
    for i in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid"; ok="no: it still ran 30 s after its input ended"
    fi
    wait "$pid"; rc=$?
    rm -f "$fifo"
}

# step_in_terminal NAME EXE: --step as a person meets it: in a terminal
# (tmux, 80x25, a server of its own), the program stops at its prompt
# until Enter is typed, once per fault, then ends with exit code 0.
step_in_terminal() {
    local name=$1 exe=$2 sock=pfd-watch-$$ i ok=yes
    if ! command -v tmux >/dev/null 2>&1; then skip "$name" "tmux is not installed"; return; fi
    rm -f "$OUT/tty-rc.txt"
    tmux -L "$sock" new-session -d -x 80 -y 25 \
        "$(printf 'WINELOADER=%q %q %q --step --pages 2 >%q; echo $? >%q; sleep 60' "$WINE" "$WINE" "$exe" "$OUT/tty-stdout.txt" "$OUT/tty-rc.txt")"
    for i in $(seq 1 100); do
        tmux -L "$sock" capture-pane -p | grep -q 'press Enter' && break
        sleep 0.2
    done
    sleep 1
    if [ -e "$OUT/tty-rc.txt" ] || ! tmux -L "$sock" capture-pane -p | grep -q 'press Enter'; then
        ok="no: it did not stop at a prompt in the terminal"
    fi
    for i in 1 2; do tmux -L "$sock" send-keys Enter; sleep 0.5; done
    for i in $(seq 1 100); do [ -e "$OUT/tty-rc.txt" ] && break; sleep 0.2; done
    tmux -L "$sock" kill-server 2>/dev/null
    if [ "$ok" = yes ] && [ "$(cat "$OUT/tty-rc.txt" 2>/dev/null)" = 0 ] \
       && same_bytes "$OUT/plain-2.txt" "$OUT/tty-stdout.txt"; then
        pass "$name"
    else
        fail "$name" "$ok; exit code $(cat "$OUT/tty-rc.txt" 2>/dev/null || echo none); ${why:-}"
    fi
}

# The arguments after --verbose for a stored verbose trace's name.
verbose_args() { if [ "$1" = default ]; then echo "(80 pages)"; else echo "--pages 2 --scenario $1"; fi; }

# test_watch VARIANT DIR EXE
test_watch() {
    local v=$1 dir=$2 exe=$3 s code

    # --verbose: the default run and each scenario at 2 pages, masked, stored.
    for s in default:0 overrun:4 not-a-fault:3 commit-fails:5; do
        code=${s#*:}; s=${s%%:*}
        if [ "$s" = default ]; then run_exe "$exe" /dev/null --verbose
        else run_exe "$exe" /dev/null --verbose --pages 2 --scenario "$s"; fi
        # Line 1 names this build's mechanism; the rest is the stored trace.
        if verbose_holds "$v" "$dir" "$s" "$code"; then
            pass "$v: --verbose $(verbose_args "$s"): the mechanism, then the trace, 80 columns, exit $code"
        else fail "$v: --verbose $(verbose_args "$s"): the mechanism, then the trace, 80 columns, exit $code" "$why"; fi
    done

    # Width of the other modes this file's features print.
    run_exe "$exe" /dev/null --help
    if fits_80 "$OUT/stdout.txt"; then pass "$v: --help fits 80 columns"
    else fail "$v: --help fits 80 columns" "$why"; fi
    run_exe "$exe" /dev/null --tour --step
    if fits_80 "$OUT/stdout.txt" && fits_80 "$OUT/stderr.txt"; then pass "$v: --tour --step fits 80 columns"
    else fail "$v: --tour --step fits 80 columns" "$why"; fi

    # --step: the trace on stdout is the plain one; one prompt per fault on stderr.
    plain_trace 3 >"$dir/plain-3.txt"
    printf '\n\n\n' >"$OUT/enter3.txt"
    run_exe "$exe" "$OUT/enter3.txt" --step --pages 3
    if same_bytes "$dir/plain-3.txt" "$OUT/stdout.txt" && same_code 0 "$rc" \
       && [ "$(grep -o 'press Enter to see it' "$OUT/stderr.txt" | wc -l)" = 3 ] \
       && ! grep -q 'end of input' "$OUT/stderr.txt"; then
        pass "$v: --step with Enter: plain trace, a prompt per fault on stderr"
    else fail "$v: --step with Enter: plain trace, a prompt per fault on stderr" "${why:-}" "$(head -c 300 "$OUT/stderr.txt")"; fi
    run_exe "$exe" /dev/null --step --pages 3
    if same_bytes "$dir/plain-3.txt" "$OUT/stdout.txt" && same_code 0 "$rc" \
       && [ "$(grep -c 'press Enter' "$OUT/stderr.txt")" = 1 ] && grep -q 'end of input' "$OUT/stderr.txt"; then
        pass "$v: --step at end of input carries on"
    else fail "$v: --step at end of input carries on" "${why:-} exit $rc"; fi
    waits_for_enter "$v: --step --verbose stops at each fault until Enter" 2 "$exe" --step --verbose --pages 2
    plain_trace 2 >"$OUT/plain-2.txt"
    step_in_terminal "$v: --step in a terminal (tmux): waits for each Enter typed" "$exe"
    waits_for_enter "$v: --tour 3 --step stops before the results until Enter" 1 "$exe" --tour 3 --step
    step_merged_order "$v"  "$exe"

    # --pause: the trace line on stdout, the prompt on stderr, stdout redirected.
    local how
    for how in Enter:"$OUT/enter.txt" "end of input":/dev/null; do
        run_exe "$exe" "${how#*:}" --pause --pages 2
        if grep -q '^Paused before the release' "$OUT/stdout.txt" && ! grep -q 'Enter' "$OUT/stdout.txt" \
           && tail -n 1 "$OUT/stdout.txt" | grep -q '^Release succeeded' && grep -q 'press Enter' "$OUT/stderr.txt" \
           && same_code 0 "$rc"; then
            pass "$v: --pause, then ${how%%:*}: prompt on stderr, trace on stdout"
        else
            fail "$v: --pause, then ${how%%:*}: prompt on stderr, trace on stdout" "exit $rc" "$(head -c 300 "$OUT/stderr.txt")"
        fi
    done
    waits_for_enter "$v: --pause stops until Enter" 1 "$exe" --pause --pages 2

    # --pause: the system's counters at the pause, "not reported" where
    # Wine gives 0, and what Task Manager and VMMap should show (2 pages).
    local name="$v: --pause shows the counters (not reported under Wine) and the tools' view"
    run_exe "$exe" "$OUT/enter.txt" --pause --pages 2
    tr -d '\r' <"$OUT/stdout.txt" >"$OUT/pause.txt"
    if same_code 0 "$rc" && grep -q "^  the system's counters at the pause:\$" "$OUT/pause.txt" \
       && grep -q '^    PageFaultCount (page faults) not reported by this system$' "$OUT/pause.txt" \
       && grep -q '^    PrivateUsage (commit charge) not reported by this system$' "$OUT/pause.txt" \
       && grep -Eq '^    CommitTotal \(whole system\) +([1-9][0-9]* KiB|not reported by this system)$' "$OUT/pause.txt" \
       && ! grep -Eq ' 0 KiB$|PageFaultCount.* 0$' "$OUT/pause.txt" \
       && grep -q '"Commit size"' "$OUT/pause.txt" && grep -q "includes the region's 8 KiB\$" "$OUT/pause.txt" \
       && grep -Eq '^    VMMap, the Private Data row at [0-9A-F]+: Size 8 KiB,$' "$OUT/pause.txt" \
       && grep -q '^    Committed 8 KiB$' "$OUT/pause.txt" && fits_80 "$OUT/pause.txt"; then
        pass "$name"
    else fail "$name" "exit $rc; ${why:-}" "$(grep -A8 'counters at' "$OUT/pause.txt" | head -9)"; fi
}

# step_merged_order VARIANT EXE: with stdout and stderr in one stream (2>&1),
# each --step prompt comes after what it asks about and before the answer:
# the demo stops after "Exception is a page fault." and before the filter's
# "Allocating another page."; the tour shows a rule's calls, stops, and only
# then shows what was returned and the verdict.
step_merged_order() {
    local v=$1 exe=$2 name f=$OUT/merged.txt
    name="$v: --step, stdout and stderr merged: each prompt before the filter acts"
    printf '\n\n' >"$OUT/enter.txt"
    run_exe_to "$f" '&1' "$OUT/enter.txt" "$exe" --step --pages 2
    tr -d '\r' <"$f" | sed -E 's/[0-9A-F]{16}|[0-9A-F]{8}/ADDR/g' >"$OUT/merged-masked.txt"
    {
        echo 'This computer has page size 4096.'
        for i in 1 2; do
            echo 'Exception is a page fault.'
            echo "-- step: access violation $i: write at ADDR, page $((i - 1)) of 2."
            echo "   The filter is about to commit page $((i - 1)), at ADDR."
            echo '   Predict what happens next, then press Enter to see it --'
            echo 'Allocating another page.'
        done
        echo 'Release succeeded.'
    } >"$OUT/merged-expected.txt"
    if same_bytes "$OUT/merged-expected.txt" "$OUT/merged-masked.txt" && same_code 0 "$rc"; then pass "$name"
    else fail "$name" "$why" "$(head -c 400 "$OUT/merged-masked.txt")"; fi

    name="$v: --tour 6 --step, merged: the calls, the prompt, then the results and verdict"
    printf '\n' >"$OUT/enter.txt"
    run_exe_to "$f" '&1' "$OUT/enter.txt" "$exe" --tour 6 --step
    tr -d '\r' <"$f" >"$OUT/merged-tour.txt"
    local lcalls lprompt lresult lverdict
    lcalls=$(grep -n '^  Calls: ' "$OUT/merged-tour.txt" | head -1 | cut -d: -f1)
    lprompt=$(grep -n '^-- step: predict, then press Enter for the results' "$OUT/merged-tour.txt" | head -1 | cut -d: -f1)
    lresult=$(grep -n 'returned\|expected' "$OUT/merged-tour.txt" | head -1 | cut -d: -f1)
    lverdict=$(grep -n '^  => as documented$' "$OUT/merged-tour.txt" | head -1 | cut -d: -f1)
    if same_code 0 "$rc" && [ -n "$lcalls" ] && [ -n "$lprompt" ] && [ -n "$lresult" ] && [ -n "$lverdict" ] \
       && [ "$lcalls" -lt "$lprompt" ] && [ "$lprompt" -lt "$lresult" ] && [ "$lresult" -lt "$lverdict" ]; then
        pass "$name"
    else fail "$name" "exit $rc; lines: calls $lcalls, prompt $lprompt, first result $lresult, verdict $lverdict"; fi
}
