#!/usr/bin/env bash
# tests/person.sh - the README's commands typed the way a newcomer types
# them: a fresh clone in a folder with a space in its name, make -f from
# another folder, stdout to a file, ARGS, a Unicode rebuild, Ctrl-C in a
# terminal (tmux), check, clean and distclean. Sourced by run.sh; runs once.
#
# A fresh clone holds only what is committed: commit before running these.

PERSON_DIR=$OUT/person
CLONE="$PERSON_DIR/a clone"
ELSEWHERE=$PERSON_DIR/elsewhere

# person_make ARGS...: make -f the clone's Makefile.mingw from another folder;
# stdout to $OUT/stdout.txt, stderr to $OUT/stderr.txt, exit code in $rc.
person_make() {
    (cd "$ELSEWHERE" && make -f "$CLONE/Makefile.mingw" "$@" >"$OUT/stdout.txt" 2>"$OUT/stderr.txt")
    rc=$?
}

# The first run from a fresh clone: installs nothing here (all present),
# builds, creates the Wine prefix, and stdout is the trace and nothing else.
person_first_run() {
    rm -rf "$PERSON_DIR"
    mkdir -p "$ELSEWHERE"
    # The commit being tested, whichever branch the repository has checked
    # out; safe.directory: on CI the checkout may belong to another user.
    if ! { git -c safe.directory='*' clone -q --no-checkout "$ROOT" "$CLONE" \
           && git -C "$CLONE" checkout -q "$(git -c safe.directory='*' -C "$ROOT" rev-parse HEAD)"; } \
         >"$OUT/stderr.txt" 2>&1; then
        fail "person: git clone into a folder with a space" "$(head -3 "$OUT/stderr.txt")"
        return 1
    fi
    person_make run
    if same_bytes expected_output.txt "$OUT/stdout.txt" && same_code 0 "$rc"; then
        pass "person: first 'make -f \"<clone with space>/Makefile.mingw\" run > file' from another folder is the trace"
    else
        fail "person: first 'make -f \"<clone with space>/Makefile.mingw\" run > file' from another folder is the trace" \
             "$why" "stderr: $(tail -3 "$OUT/stderr.txt")"
    fi
    # Wine's first-run messages go to the log; one line says what is happening.
    if [ "$(grep -c 'Creating the Wine prefix' "$OUT/stderr.txt")" = 1 ] && ! grep -q 'wine:' "$OUT/stderr.txt" \
       && [ -s "$CLONE/build/wineprefix.log" ]; then
        pass "person: the first run says once that it creates the Wine prefix; Wine's own messages are in build/wineprefix.log"
    else
        fail "person: the first run says once that it creates the Wine prefix; Wine's own messages are in build/wineprefix.log" \
             "stderr: $(head -5 "$OUT/stderr.txt")"
    fi
    return 0
}

# ARGS reaches the program, split as the shell splits it.
person_args() {
    person_make run ARGS="--pages 2 --verify"
    verify_trace 2 >"$PERSON_DIR/verify-2.txt"
    if same_bytes "$PERSON_DIR/verify-2.txt" "$OUT/stdout.txt" && same_code 0 "$rc"; then
        pass "person: make run ARGS=\"--pages 2 --verify\" passes both options"
    else fail "person: make run ARGS=\"--pages 2 --verify\" passes both options" "$why"; fi
    person_make run ARGS="--pages 0"
    if [ "$rc" != 0 ] && [ ! -s "$OUT/stdout.txt" ] && grep -q "^pagefault_demo: --pages takes" "$OUT/stderr.txt"; then
        pass "person: make run with bad ARGS fails, the reason on stderr"
    else fail "person: make run with bad ARGS fails, the reason on stderr" "exit $rc"; fi
}

# The README's Unicode command rebuilds an ANSI build, into a Unicode .exe;
# the same command again rebuilds nothing.
person_unicode() {
    local exe="$CLONE/build/pagefault_demo.exe" wide
    cp "$exe" "$PERSON_DIR/ansi.exe" 2>/dev/null
    person_make CPPFLAGS="-DUNICODE -D_UNICODE" LDFLAGS=-municode
    # A Unicode build holds its strings as UTF-16LE.
    wide='R\x00e\x00l\x00e\x00a\x00s\x00e\x00 \x00s\x00u\x00c\x00c\x00e\x00e\x00d\x00e\x00d\x00'
    if [ "$rc" = 0 ] && ! cmp -s "$exe" "$PERSON_DIR/ansi.exe" && LC_ALL=C grep -qaP "$wide" "$exe" \
       && ! LC_ALL=C grep -qaP "$wide" "$PERSON_DIR/ansi.exe"; then
        pass "person: the README's Unicode command after an ANSI build gives a Unicode .exe"
    else fail "person: the README's Unicode command after an ANSI build gives a Unicode .exe" \
              "exit $rc; stderr: $(tail -2 "$OUT/stderr.txt")"; fi
    person_make CPPFLAGS="-DUNICODE -D_UNICODE" LDFLAGS=-municode
    if [ "$rc" = 0 ] && ! grep -q 'compile\|link' "$OUT/stderr.txt"; then
        pass "person: the same flags again rebuild nothing"
    else fail "person: the same flags again rebuild nothing" "stderr: $(head -2 "$OUT/stderr.txt")"; fi
}

# ctrl_c_in_tmux NAME READY ARGS...: in a terminal (tmux, on a server of
# its own, so no user's session is touched), start the program in the clone
# with ARGS, wait until the screen shows READY (a grep pattern), type Ctrl-C,
# and expect exit code 9, the handler's line, and no release.
ctrl_c_in_tmux() {
    local name=$1 ready=$2; shift 2
    if ! command -v tmux >/dev/null 2>&1; then
        skip "$name" "tmux is not installed (sh tests/install-deps.sh check installs it)"
        return
    fi
    local sock="pfd-test-$$" i screen=""
    tmux -L "$sock" kill-server >/dev/null 2>&1
    tmux -L "$sock" new-session -d -x 150 -y 40 -c "$CLONE" "bash --norc --noprofile" || {
        fail "$name" "tmux could not start a session"; return; }
    tmux -L "$sock" send-keys \
        "WINEPREFIX=\"\$PWD/build/wineprefix\" WINEDEBUG=-all /usr/lib/wine/wine64 build/pagefault_demo.exe $*; echo \"rc=\$?\"" Enter
    for i in $(seq 1 60); do
        tmux -L "$sock" capture-pane -p | grep -q -- "$ready" && break
        sleep 0.5
    done
    sleep 3                     # Wine's start, and the handler's installation
    tmux -L "$sock" send-keys C-c
    for i in $(seq 1 40); do
        screen=$(tmux -L "$sock" capture-pane -p)
        grep -q '^rc=' <<<"$screen" && break
        sleep 0.5
    done
    tmux -L "$sock" kill-server >/dev/null 2>&1
    if grep -q '^rc=9$' <<<"$screen" && grep -q 'interrupted by Ctrl-C; exit code 9' <<<"$screen" \
       && ! grep -q '^Release succeeded' <<<"$screen"; then
        pass "$name"
    else fail "$name" "the terminal showed:" "$(grep -v '^$' <<<"$screen" | tail -6)"; fi
}

person_ctrl_c() {
    ctrl_c_in_tmux "person: Ctrl-C in a terminal at the --pause prompt exits with code 9" \
        'press Enter' --pause --pages 2
    # --compare prints nothing until its table: 256 MiB regions, 1000 times.
    ctrl_c_in_tmux "person: Ctrl-C in a terminal during a long --compare exits with code 9" \
        'pagefault_demo.exe --compare' --compare --pages 65536 --reps 1000
}

# check in the clone whose path holds a space: one variant (the quickest:
# no injected builds), with the smaller option set of the emulated variants
# (the traces, scenarios, --verify, --tour, --compare, --selftest --junit),
# without the tests that run once (this run has them all; no clone within
# a clone): one skip, which names VARIANTS_ONLY.
person_check() {
    local name="person: make check in a clone whose path holds a space (VARIANTS=clang-x64-unicode VARIANTS_ONLY=yes SMALL=yes; no architecture skip line)"
    (cd "$CLONE" && VARIANTS=clang-x64-unicode VARIANTS_ONLY=yes SMALL=yes make -f Makefile.mingw check >"$PERSON_DIR/check.txt" 2>&1)
    rc=$?
    if [ "$rc" = 0 ] && tail -1 "$PERSON_DIR/check.txt" | grep -Eq '^[1-9][0-9]* passed, 0 failed, 1 skipped$' \
       && ! grep -q '^Skipped: ' "$PERSON_DIR/check.txt" && grep -q '^SKIP .*: VARIANTS_ONLY=yes' "$PERSON_DIR/check.txt"; then
        pass "$name"
    else
        # Keep what the failing tests printed: make distclean below removes the clone's build/.
        cp "$CLONE"/build/tests/failed-*.txt "$OUT/" 2>/dev/null
        fail "$name" "exit $rc; its failures and summary (failed traces kept in build/tests/):" \
             "$(grep -E -A3 '^FAIL' "$PERSON_DIR/check.txt" | head -12)" "$(grep 'passed,' "$PERSON_DIR/check.txt")"
    fi
}

# make clean keeps Wine's prefix; make distclean removes build/ entirely.
person_clean() {
    person_make clean
    if [ "$rc" = 0 ] && [ ! -e "$CLONE/build/pagefault_demo.exe" ] && [ -f "$CLONE/build/wineprefix/system.reg" ]; then
        pass "person: make clean removes the build and keeps the Wine prefix"
    else fail "person: make clean removes the build and keeps the Wine prefix" "exit $rc"; fi
    person_make distclean
    if [ "$rc" = 0 ] && [ ! -e "$CLONE/build" ]; then
        pass "person: make distclean removes build/, the prefix included"
    else fail "person: make distclean removes build/, the prefix included" "exit $rc"; fi
}

# The installer on a machine that lacks everything: its messages and
# apt-get's go to stderr, so "make ... run > out.txt" stays the trace. A
# PATH of stubs stands for that machine; the stub apt-get installs nothing.
person_installer() {
    local name="person: the installer's and apt-get's messages go to stderr, none to stdout"
    local stub=$PERSON_DIR/stub-bin
    mkdir -p "$stub"
    ln -sf "$(command -v id)" "$stub/id"
    ln -sf "$(command -v env)" "$stub/env"
    printf '#!/bin/sh\necho "stub apt-get $*"\n' >"$stub/apt-get"
    printf '#!/bin/sh\nexec "$@"\n' >"$stub/sudo"     # When the suite does not run as root
    chmod +x "$stub/apt-get" "$stub/sudo"
    PATH=$stub /bin/sh tests/install-deps.sh run >"$OUT/stdout.txt" 2>"$OUT/stderr.txt"
    rc=$?
    if [ ! -s "$OUT/stdout.txt" ] && grep -q "^install-deps: missing Debian packages for 'run'" "$OUT/stderr.txt" \
       && grep -q '^stub apt-get .*install' "$OUT/stderr.txt"; then
        pass "$name"
    else fail "$name" "exit $rc; stdout: $(head -2 "$OUT/stdout.txt")"; fi
}

test_person_all() {
    # The clone's prefix has a server of its own; ours ends here unless the
    # x64 part still runs beside (tests/run.sh's run_parts).
    [ -z "$PART" ] && wineserver -k >/dev/null 2>&1
    person_installer
    if person_first_run; then
        person_args
        person_ctrl_c
        person_unicode
        person_check
        person_clean
    fi
    rm -rf "$PERSON_DIR"
}
