#!/bin/sh
# tests/exit-note.sh - what "make -f Makefile.mingw run" does with the
# program's exit code. A scenario's documented exit code is its expected
# outcome, not a failure: when the run asked for --scenario NAME and the
# code is the one NAME intends (with the filter the run asked for), say so
# on stderr and exit 0; otherwise pass the code on.
#
#   sh tests/exit-note.sh CODE [the program's arguments...]
#   sh tests/exit-note.sh --table     the table: NAME SAMPLE CHECKED
#
# The table must agree with the program's --help scenarios; tests/scenarios.sh
# checks it.

table() {
    cat <<'TABLE'
overrun 4 14
not-a-fault 3 3
commit-fails 5 14
stray-write 4 14
read-only 0 15
decommit 4 0
guard-grow 3 0
TABLE
}

# What each code means, in the words of --help exit-codes, cut so that the
# whole note fits an 80-column console (tests/scenarios.sh checks).
meaning() {
    case $1 in
        0) echo "ran to the end and released the region" ;;
        3) echo "not a page fault" ;;
        4) echo "out of pages" ;;
        5) echo "commit failed" ;;
        14) echo "a fault outside the region" ;;
        15) echo "access violation on a committed page" ;;
        *) echo "see --help" ;;
    esac
}

if [ "${1:-}" = --table ]; then
    table
    exit 0
fi
code=${1:?usage: sh tests/exit-note.sh CODE [ARGS...]}
shift
scenario= filter=sample
while [ $# -gt 0 ]; do
    case $1 in
        --scenario) scenario=${2:-}; [ $# -gt 1 ] && shift ;;
        --filter) filter=${2:-}; [ $# -gt 1 ] && shift ;;
    esac
    shift
done
[ -n "$scenario" ] || exit "$code"
intended=$(table | awk -v s="$scenario" -v f="$filter" '$1 == s { print (f == "checked") ? $3 : $2 }')
if [ -n "$intended" ] && [ "$code" = "$intended" ]; then
    echo "(exit code $code: $(meaning "$code"), as this scenario intends)" >&2
    exit 0
fi
exit "$code"
