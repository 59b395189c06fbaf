#!/bin/sh
# link.sh [-municode] -o OUT.exe OBJECTS... : the linker of the ARM64
# builds (Makefile.mingw's LD for ARCH=arm64, and the suite's
# clang-arm64-* variants), called as make calls a linker.
#
# clang-19 and lld link for aarch64-pc-windows-msvc, but Debian has neither
# a C start-up nor import libraries for that target. This script makes both
# next to OUT.exe, once: startup.o from startup.c (this folder) and the
# import libraries from implib.sh, then links with lld. -municode (the
# MinGW-w64 flag for wmain) selects the Unicode start-up.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
entry=mainCRTStartup cpp="" out="" objs=""
while [ $# -gt 0 ]; do
    case $1 in
        -municode) entry=wmainCRTStartup cpp="-DUNICODE -D_UNICODE" ;;
        -o) out=$2; shift ;;
        *) objs="$objs $1" ;;
    esac
    shift
done
[ -n "$out" ] || { echo "link.sh: no -o OUT.exe given" >&2; exit 2; }
lib=$(dirname "$out")/arm64-lib
mkdir -p "$lib"
start=$lib/startup-$entry.o
if [ ! -f "$start" ] || [ -n "$(find "$here/startup.c" -newer "$start")" ]; then
    # shellcheck disable=SC2086
    clang-19 --target=aarch64-pc-windows-msvc -fms-extensions -fgnuc-version=12 \
        -isystem /usr/x86_64-w64-mingw32/include -std=c11 -O2 \
        -Wall -Wextra -Wformat=2 -Werror $cpp -c -o "$start" "$here/startup.c"
fi
for dll in msvcrt kernel32; do
    [ -f "$lib/$dll.lib" ] || sh "$here/implib.sh" "$dll" "$lib"
done
# msvcrt first: it has __C_specific_handler (the __except filter's caller)
# for ARM64; kernel32's import library names one only x64 exports.
# shellcheck disable=SC2086
exec clang-19 --target=aarch64-pc-windows-msvc -fuse-ld=lld -nostdlib \
    -Wl,/nodefaultlib -Wl,/subsystem:console -Wl,/entry:$entry \
    -o "$out" $objs "$start" "$lib/msvcrt.lib" "$lib/kernel32.lib"
