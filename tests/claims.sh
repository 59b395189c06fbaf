#!/usr/bin/env bash
# tests/claims.sh - docs/CLAIMS.md, the sources of what the program says
# about Windows, covers every rule --tour shows. Sourced by run.sh; called
# from tour.sh with the output of a --tour run.

# tour_headings FILE: each "Rule N: ..." heading of a --tour run, its
# continued lines joined with one space, one heading a line.
tour_headings() {
    tr -d '\r' <"$1" | awk '
        /^Rule [0-9]+: / { if (h != "") print h; h = $0; sub(/^Rule [0-9]+: /, "", h); next }
        h != "" && /^        +[^ ]/ { line = $0; sub(/^ +/, "", line); h = h " " line; next }
        h != "" { print h; h = "" }
        END { if (h != "") print h }'
}

# claims_cover NAME TOUR_STDOUT: every heading is in a row of the claims
# table (a line starting with "|"), word for word; and there are as many
# headings as rules (TOUR_RULES in src/demo.h).
claims_cover() {
    local name=$1 out=$2 h missing="" n=0 rules
    rules=$(sed -n 's/^#define TOUR_RULES *\([0-9]*\).*/\1/p' src/demo.h)
    while IFS= read -r h; do
        n=$((n + 1))
        # A "|" inside a cell is written "\|" in Markdown.
        grep '^|' docs/CLAIMS.md | sed 's/\\|/|/g' | grep -qF -- "$h" || missing="$missing [$h]"
    done < <(tour_headings "$out")
    if [ "$n" = "$rules" ] && [ -z "$missing" ]; then pass "$name"
    else fail "$name" "$n headings of $rules rules; no row for:$missing"; fi
}
