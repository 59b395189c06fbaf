#!/bin/sh
# Install the Debian packages that a Makefile.mingw target needs on Linux,
# when they are missing. Says what it installs; installs nothing otherwise.
# Everything it and apt-get print goes to stderr: stdout is the program's
# (make ... run > out.txt must hold the trace only, also on a first run).
#   sh tests/install-deps.sh build|run|check [x64|x86]
# With x86 (make ... ARCH=x86), or for check under CI=true, it also sets up
# running 32-bit programs (tests/arch/setup-x86.sh; as root). For check
# that set-up may fail: the suite then skips x86 and says why.
set -eu
exec 1>&2

want=${1:-check}
arch=${2:-x64}
missing=""

need() {  # need COMMAND PACKAGE...
    command -v "$1" >/dev/null 2>&1 || missing="$missing $2"
}

need x86_64-w64-mingw32-gcc gcc-mingw-w64-x86-64
need clang-19 clang-19          # the default Linux build: clang in MSVC mode
need ld.lld-19 lld-19
if [ "$arch" = x86 ] || [ "$want" = check ]; then
    need i686-w64-mingw32-gcc gcc-mingw-w64-i686
fi
if [ "$want" = run ] || [ "$want" = check ]; then
    need wine "wine wine64"
    [ -x /usr/lib/wine/wine64 ] || case "$missing" in *wine64*) ;; *) missing="$missing wine64" ;; esac
fi
if [ "$want" = check ]; then
    need tmux tmux              # tests/person.sh: Ctrl-C typed in a terminal
    need git git                # tests/person.sh: a fresh clone
    need llvm-objdump llvm      # tests/build_bat.sh: the ARM64 object holds brk #0xF004
    need python3 python3        # tests/selftest.sh: reads the TAP stream and the JUnit XML
    need perl perl              # tests/lab.sh: masks addresses and timings
fi

if [ -n "$missing" ]; then
    echo "install-deps: missing Debian packages for '$want':$missing"
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "install-deps: no apt-get here; install the equivalents of:$missing" >&2
        exit 1
    fi
    sudo=""
    if [ "$(id -u)" != 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            sudo=sudo
        else
            echo "install-deps: not root and no sudo; run as root: apt-get install$missing" >&2
            exit 1
        fi
    fi
    echo "install-deps: apt-get update && apt-get install -y --no-install-recommends$missing"
    # An index that fails to download (a mirror mid-sync) must not stop the
    # install of packages whose index did download; apt-get install says so if not.
    $sudo apt-get update -qq || echo "install-deps: apt-get update reported errors; trying the install anyway"
    # shellcheck disable=SC2086
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
fi

# Set-up beyond packages, only when asked: ARCH=x86 for build... run, or
# the whole suite in CI. Exit 3 from setup-x86.sh: it cannot be done here
# (its one line says why); run ARCH=x86 stops, the suite skips x86.
here=${0%/*}
if [ "$arch" = x86 ] && [ "$want" = run ]; then
    sh "$here/arch/setup-x86.sh" || exit 2
elif [ "$want" = check ] && [ "${CI:-}" = true ]; then
    sh "$here/arch/setup-x86.sh" || true     # its one line says why; the suite skips x86
    # ARM64's emulated root is made by tests/arch/arm64-root.sh, when asked:
    # make run ARCH=arm64, or the suite under CI=true.
fi
exit 0
