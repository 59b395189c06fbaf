#!/bin/sh
# implib.sh DLL OUTDIR: an ARM64 import library OUTDIR/DLL.lib for DLL
# (kernel32, msvcrt, ...), for linking the ARM64 builds with lld.
#
# Debian ships no ARM64 import libraries. The names a DLL exports are
# taken from MinGW-w64's x64 import library for it (the same Windows API
# on both), written as a .def file, and llvm-dlltool -m arm64 makes the
# import library from that. Only the names the program uses are linked, and
# Wine's arm64 DLLs resolve them at load time, so a name that Wine lacks
# shows up as a load failure, not silently.
set -eu
dll=$1 out=$2
lib=/usr/x86_64-w64-mingw32/lib/lib$dll.a
dlltool=$(command -v llvm-dlltool-19 || command -v llvm-dlltool-14 || command -v llvm-dlltool)
mkdir -p "$out"
{
    echo "LIBRARY $dll.dll"
    echo "EXPORTS"
    # An import member defines __imp_NAME with type I; the static helpers
    # that MinGW-w64 adds to some of these libraries do not.
    llvm-nm "$lib" 2>/dev/null | awk '$2 == "I" && $3 ~ /^__imp_/ { print substr($3, 7) }' | sort -u
} >"$out/$dll.def"
"$dlltool" -m arm64 -d "$out/$dll.def" -l "$out/$dll.lib"
