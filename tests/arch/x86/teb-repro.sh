#!/bin/sh
# tests/arch/x86/teb-repro.sh - builds tests/arch/x86/teb_repro.c (32-bit,
# MinGW GCC) into build/x86-teb-repro/ and runs both of its modes the way
# the suite runs x86 programs (32-bit Wine under qemu-user, the trapno fix
# preloaded; needs tests/arch/setup-x86.sh done). Prints the lines; exits
# 0 if every thread kept its own TEB, 1 if one saw another thread's (the
# emulator's one GDT for all threads, docs/ARCHITECTURES.md), 2 if it
# could not build or run. From anywhere: sh tests/arch/x86/teb-repro.sh
# [MODE...] (both modes if none; the suite runs `signal`, tests/arch.sh).
set -u
root=$(cd "$(dirname "$0")/../../.." && pwd)
out=$root/build/x86-teb-repro
mkdir -p "$out" || exit 2
i686-w64-mingw32-gcc -O2 -Wall -Wextra -Wformat=2 -Werror -o "$out/teb_repro.exe" \
    "$root/tests/arch/x86/teb_repro.c" || exit 2
verdict=0
for mode in ${*:-start signal}; do
    WINEPREFIX=${WINEPREFIX:-$root/build/wineprefix} WINEDEBUG=-all WINELOADER=/usr/lib/wine/wine64 \
    QEMU_SET_ENV='LD_PRELOAD=/usr/local/$LIB/pagefault-demo-trapno-fix.so' \
        timeout 120 /usr/lib/wine/wine64 "$out/teb_repro.exe" $mode >"$out/$mode.txt" 2>"$out/$mode-stderr.txt"
    rc=$?
    echo "== teb_repro $mode (exit code $rc; stderr in $out/$mode-stderr.txt)"
    cat "$out/$mode.txt"
    # The lines decide, not the exit code: under qemu a crash can end with 0.
    case $mode in
    start)
        if grep -q ' SAME$' "$out/$mode.txt"; then verdict=1
        elif ! grep -q '^0 of 20 rounds' "$out/$mode.txt"; then [ $verdict = 1 ] || verdict=2; fi ;;
    signal)
        if grep -q 'handled access violation: .*(the second thread' "$out/$mode.txt"; then verdict=1
        elif ! grep -q 'handled access violation: .*(its own)' "$out/$mode.txt"; then [ $verdict = 1 ] || verdict=2; fi ;;
    esac
done
echo "== verdict: $(case $verdict in 0) echo 'every thread kept its own TEB' ;; 1) echo 'a thread ran on another thread'"'"'s TEB' ;; *) echo 'could not tell (see above)' ;; esac)"
exit $verdict
