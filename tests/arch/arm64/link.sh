#!/bin/sh
# link.sh [-municode] [--no-bridge] -o OUT.exe OBJECTS... : the linker of
# the ARM64 builds (Makefile.mingw's LD for ARCH=arm64, and the suite's
# clang-arm64-* variants), called as make calls a linker.
#
# clang-19 and lld link for aarch64-pc-windows-msvc, but Debian has neither
# a C start-up nor import libraries for that target. This script makes both
# next to OUT.exe, once: startup.o from startup.c (this folder) and the
# import libraries from implib.sh, then links with lld. -municode (the
# MinGW-w64 flag for wmain) selects the Unicode start-up.
#
# It also links in abi_bridge.c (this folder): printf and co. and
# _vsnprintf in the Windows ARM64 convention over msvcrt's pieces, because
# Debian 12's arm64 Wine builds its msvcrt as a Linux (AAPCS64) library
# (docs/ARM64.md, difference 2). Test-only: not needed on Windows or with a
# PE-built Wine. --no-bridge leaves it out (the repro programs show the raw
# difference that way).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
entry=mainCRTStartup cpp="" out="" bridge=yes
# The options are taken out; the objects go round to the end of "$@", so
# that a path with a space in it stays one argument.
n=$#
while [ "$n" -gt 0 ]; do
    case $1 in
        -municode) entry=wmainCRTStartup cpp="-DUNICODE -D_UNICODE" ;;
        --no-bridge) bridge=no ;;
        -o) out=$2; shift; n=$((n - 1)) ;;
        *) set -- "$@" "$1" ;;
    esac
    shift; n=$((n - 1))
done
[ -n "$out" ] || { echo "link.sh: no -o OUT.exe given" >&2; exit 2; }
lib=$(dirname "$out")/arm64-lib
mkdir -p "$lib"
# compile SOURCE OBJECT [FLAGS]: once, and again when SOURCE is newer.
compile() {
    if [ ! -f "$2" ] || [ -n "$(find "$1" -newer "$2")" ]; then
        # shellcheck disable=SC2086
        clang-19 --target=aarch64-pc-windows-msvc -fms-extensions -fgnuc-version=12 \
            -isystem /usr/x86_64-w64-mingw32/include -std=c11 -O2 \
            -Wall -Wextra -Wformat=2 -Werror ${3:-} -c -o "$2" "$1"
    fi
}
start=$lib/startup-$entry.o bridge_o=""
compile "$here/startup.c" "$start" "$cpp"
if [ $bridge = yes ]; then
    bridge_o=$lib/abi_bridge.o
    compile "$here/abi_bridge.c" "$bridge_o"
fi
for dll in msvcrt kernel32; do
    [ -f "$lib/$dll.lib" ] || sh "$here/implib.sh" "$dll" "$lib"
done
# msvcrt first: it has __C_specific_handler (the __except filter's caller)
# for ARM64; kernel32's import library names one only x64 exports.
# shellcheck disable=SC2086
exec clang-19 --target=aarch64-pc-windows-msvc -fuse-ld=lld -nostdlib \
    -Wl,/nodefaultlib -Wl,/subsystem:console -Wl,/entry:$entry \
    -o "$out" "$@" "$start" ${bridge_o:+"$bridge_o"} "$lib/msvcrt.lib" "$lib/kernel32.lib"
