#!/usr/bin/env bash
# tests/lab.sh - the lab sheet cannot rot: every command in docs/LAB.md and
# docs/LAB-ANSWERS.md runs, with the exit code the sheet states, and every
# output line the sheets quote is found in that command's output, addresses
# and timings masked. The format is at the top of docs/LAB.md (an HTML
# comment). Sourced by run.sh.

declare -A LAB_RAN      # A command's arguments: the number of its run, in $dir/lab

# lab_plan FILE: the sheet as records, one a line, fields split by tabs:
#   E <line> <N> <title>             an exercise heading
#   C <line> <id> <exit> <args>      a command (id counts from 1 per file)
#   Q <line> <id> <text>             a line quoted from command <id>'s output
#   X <line> <what is wrong>         a line the format does not allow
lab_plan() {
    awk -v OFS='\t' '
        function flush_block(code) {    # the commands of the block just closed
            for (i = 1; i <= nblock; i++) print "C", bline[i], bid[i], code, bargs[i]
            nblock = 0; pending = 0
        }
        pending && /^[[:space:]]*$/ { next }
        pending {                       # the line after a command block
            if (match($0, /^Exit code: [0-9]+/)) flush_block(substr($0, 12, RLENGTH - 11) + 0)
            else flush_block(0)
        }
        fence == "" && /^```/ {
            fence = substr($0, 4); sub(/[[:space:]]+$/, "", fence)
            orphan = (fence == "text" && last == 0)
            if (orphan) print "X", NR, "a text block before any command in its section"
            next
        }
        fence != "" && /^```[[:space:]]*$/ {
            if (fence == "console") pending = 1
            fence = ""; next
        }
        fence == "console" {
            if ($0 ~ /^[[:space:]]*$/) next
            if ($0 !~ /^pagefault_demo( |$)/) { print "X", NR, "not a command: " $0; next }
            args = substr($0, 15); sub(/^ +/, "", args)
            nblock++; bline[nblock] = NR; bid[nblock] = ++ncmd; bargs[nblock] = args; last = ncmd
            next
        }
        fence == "text" { if ($0 != "..." && !orphan) print "Q", NR, last, $0; next }
        fence != "" { next }            # other blocks (sh, ...) are not checked
        /^#+ / { last = 0 }             # a heading starts a new section
        /^### Exercise / {
            n = $3; sub(/:$/, "", n); t = $0; sub(/^### Exercise [0-9]+: */, "", t)
            if (n !~ /^[0-9]+$/ || $3 !~ /:$/) print "X", NR, "not \"### Exercise N: title\": " $0
            else print "E", NR, n, t
        }
        END {
            if (pending) flush_block(0)
            if (fence != "") print "X", NR, "a block is not closed (```" fence ")"
        }' "$1"
}

# lab_mask: stdin to stdout, each line without its CR and trailing blanks,
# with addresses (8 or 16 upper-case hex digits, not after 0x) as <address>
# and numbers with a decimal point (timings, ratios) as <time>.
lab_mask() {
    perl -pe 's/\r?\n\z//; s/\s+\z//;
              s/(?<![0-9A-Za-z])(?:[0-9A-F]{16}|[0-9A-F]{8})(?![0-9A-Za-z])/<address>/g;
              s/\d+\.\d+/<time>/g; $_ .= "\n"'
}

# lab_find QUOTES OUTPUT: the quoted lines (masked, <varies> matching any
# text) must appear in the output (masked) in their order, each on a line
# of its own. Prints the first one that does not; returns 1 then.
lab_find() {
    perl -e 'open(my $q, "<", $ARGV[0]) or die; open(my $o, "<", $ARGV[1]) or die;
             my @out = <$o>; chomp @out; my $at = 0;
             while (my $line = <$q>) {
                 chomp $line;
                 my $re = join(".*", map { quotemeta } split(/<varies>/, $line, -1));
                 my $hit = 0;
                 while ($at < @out) { if ($out[$at++] =~ /^$re$/) { $hit = 1; last } }
                 if (!$hit) { print "$line\n"; exit 1 }
             }' "$1" "$2"
}

# lab_check_file VARIANT DIR EXE FILE: runs FILE's commands, checks their
# exit codes, 80 columns and quoted lines; one PASS or FAIL per exercise
# (and one for what lies before the first). Exercise headings go to
# $dir/lab-headings-<file>.txt, for the sheet-to-answers check.
lab_check_file() {
    local v=$1 dir=$2 exe=$3 file=$4 base plan kind line f3 f4 rest
    base=$(basename "$file" .md)
    plan=$dir/lab-$base.plan
    mkdir -p "$dir/lab"
    if [ ! -s "$file" ]; then fail "$v: lab: $file exists and is not empty"; return; fi
    lab_plan "$file" >"$plan"
    awk -F'\t' '$1 == "E" { print $3 ": " $4 }' "$plan" >"$dir/lab-headings-$base.txt"

    # Run each command once (the same arguments again, in either file: the
    # same run), stdin empty; masked output in lab/<run>.out.
    local id args key n
    rm -f "$dir/lab/$base.runs"
    while IFS=$'\t' read -r kind line id _ args; do
        [ "$kind" = C ] || continue
        key=${args:-'(none)'}
        if [ -z "${LAB_RAN[$key]:-}" ]; then
            n=$(( ${#LAB_RAN[@]} + 1 )); LAB_RAN[$key]=$n
            # shellcheck disable=SC2086
            run_exe_to "$dir/lab/$n.stdout" "$dir/lab/$n.stderr" /dev/null "$exe" $args
            echo $rc >"$dir/lab/$n.rc"
            cat "$dir/lab/$n.stdout" "$dir/lab/$n.stderr" | lab_mask >"$dir/lab/$n.out"
        fi
        printf '%s\t%s\n' "$id" "${LAB_RAN[$key]}" >>"$dir/lab/$base.runs"
    done <"$plan"

    # Quoted lines, per command, in their order: checked against that command's run.
    local -A missing=()
    local q
    for id in $(awk -F'\t' '$1 == "Q" { print $3 }' "$plan" | sort -un); do
        run=$(awk -F'\t' -v id="$id" '$1 == id { print $2; exit }' "$dir/lab/$base.runs")
        awk -F'\t' -v id="$id" '$1 == "Q" && $3 == id { print $4 }' "$plan" | lab_mask >"$dir/lab/quotes-$base-$id.txt"
        q=$(lab_find "$dir/lab/quotes-$base-$id.txt" "$dir/lab/$run.out") || missing[$id]=$q
    done

    # Check, exercise by exercise: the section a record falls in is the last E before it.
    local section="before the first exercise" problems="" cmds=0 quotes=0 run
    lab_section_done() {
        [ $cmds = 0 ] && [ $quotes = 0 ] && [ -z "$problems" ] && [ "$section" = "before the first exercise" ] && return
        if [ "$section" != "before the first exercise" ] && [ $cmds = 0 ]; then
            problems+="no command to run (a \`\`\`console block);"
        fi
        problems=${problems%;}
        if [ -z "$problems" ]; then pass "$v: lab: $base.md, $section: $cmds command(s), $quotes quoted line(s)"
        else fail "$v: lab: $base.md, $section" "${problems//;/$'\n'     }"; fi
        problems="" cmds=0 quotes=0
    }
    while IFS=$'\t' read -r kind line f3 f4 rest; do
        case $kind in
        E)  lab_section_done; section="exercise $f3" ;;
        X)  problems+="$file:$line: $f3;" ;;
        C)  cmds=$((cmds + 1))
            run=$(awk -F'\t' -v id="$f3" '$1 == id { print $2; exit }' "$dir/lab/$base.runs")
            if [ "$(cat "$dir/lab/$run.rc")" != "$f4" ]; then
                problems+="$file:$line: pagefault_demo $rest: exit code $(cat "$dir/lab/$run.rc"), the sheet states $f4;"
            fi
            if ! fits_80 <(cat "$dir/lab/$run.stdout" "$dir/lab/$run.stderr"); then
                problems+="$file:$line: pagefault_demo $rest: $why;"
            fi
            if [ -n "${missing[$f3]:-}" ]; then
                problems+="$file:$line: pagefault_demo $rest: a quoted line it does not print (masked): ${missing[$f3]};"
            fi ;;
        Q)  quotes=$((quotes + 1)) ;;
        esac
    done <"$plan"
    lab_section_done

    rm -f "$dir/lab/$base.runs"
}

# test_lab VARIANT DIR EXE: the sheet and its answers; at least 10
# exercises, numbered 1, 2, ... in order, each with an answer under the
# same heading. The first call also checks the harness (lab_self_check).
test_lab() {
    local v=$1 dir=$2 exe=$3 sheet=$ROOT/docs/LAB.md answers=$ROOT/docs/LAB-ANSWERS.md name
    # Once per suite run, with the first variant that runs: the harness itself.
    if [ -z "${LAB_SELF_CHECKED:-}" ]; then LAB_SELF_CHECKED=yes; lab_self_check "$exe"; fi
    rm -rf "$dir/lab"
    LAB_RAN=()
    lab_check_file "$v" "$dir" "$exe" "$sheet"
    lab_check_file "$v" "$dir" "$exe" "$answers"
    name="$v: lab: LAB.md has at least 10 exercises, numbered 1 to N in order"
    if awk -F: '{ if ($1 != NR) bad = 1 } END { exit !(NR >= 10 && !bad) }' "$dir/lab-headings-LAB.txt"; then
        pass "$name"; else fail "$name" "headings: $(cut -d: -f1 "$dir/lab-headings-LAB.txt" | tr '\n' ' ')"; fi
    name="$v: lab: LAB-ANSWERS.md answers every exercise, under the sheet's headings"
    if cmp -s "$dir/lab-headings-LAB.txt" "$dir/lab-headings-LAB-ANSWERS.txt"; then pass "$name"
    else fail "$name" "$(diff "$dir/lab-headings-LAB.txt" "$dir/lab-headings-LAB-ANSWERS.txt" | head -4)"; fi
}

# lab_self_check EXE: the harness itself must fail a sheet that quotes a
# line the program does not print, states a wrong exit code, or holds a
# line that is not a command; and pass the same sheet put right.
lab_self_check() {
    local exe=$1 t=$OUT/selfcheck-lab out
    rm -rf "$t"; mkdir -p "$t"
    LAB_RAN=()
    cat >"$t/bad.md" <<'EOF'
### Exercise 1: a quoted line the program does not print
```console
pagefault_demo --pages 1
```
```text
This computer has page size 8192.
```
### Exercise 2: a wrong exit code
```console
pagefault_demo --pages 1 --scenario overrun
```
### Exercise 3: not a command
```console
pagefault_demo --pages 1
dir
```
EOF
    sed -e 's/size 8192/size 4096/' -e '/^dir$/d' -e 's/--scenario overrun/--verify/' "$t/bad.md" >"$t/good.md"
    out=$( (passed=0 failed=0; lab_check_file self "$t" "$exe" "$t/bad.md"; echo "counts $passed $failed") )
    if grep -q 'pagefault_demo --pages 1: a quoted line it does not print (masked): This computer has page size 8192.' <<<"$out" \
       && grep -q 'pagefault_demo --pages 1 --scenario overrun: exit code 4, the sheet states 0' <<<"$out" \
       && grep -q 'not a command: dir' <<<"$out" && grep -q '^counts 0 3$' <<<"$out"; then
        pass "self-check: the lab harness fails a wrong quoted line, a wrong exit code, a stray line"
    else fail "self-check: the lab harness fails a wrong quoted line, a wrong exit code, a stray line" "$out"; fi
    LAB_RAN=(); rm -rf "$t/lab"
    out=$( (passed=0 failed=0; lab_check_file self "$t" "$exe" "$t/good.md"; echo "counts $passed $failed") )
    if grep -q '^counts 3 0$' <<<"$out"; then pass "self-check: the lab harness passes the same sheet put right"
    else fail "self-check: the lab harness passes the same sheet put right" "$out"; fi
}
