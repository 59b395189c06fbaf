#!/bin/sh
# Set up running 32-bit (x86) Windows programs on an x86_64 Debian host,
# where the kernel cannot execute 32-bit code itself: 32-bit Wine runs under
# qemu-user. Does only what is missing, and says each step on stderr.
#   sh tests/arch/setup-x86.sh
# Exit 0: set up (or already). Exit 3: cannot be set up here (one line on
# stderr says why and how to add it). docs/ARCHITECTURES.md has the facts.
set -eu
exec 1>&2

FIX_NAME=pagefault-demo-trapno-fix.so
FIX32=/usr/local/lib/i386-linux-gnu/$FIX_NAME
FIX64=/usr/local/lib/x86_64-linux-gnu/$FIX_NAME
BINFMT=/proc/sys/fs/binfmt_misc
HOW="as root: sh tests/arch/setup-x86.sh (or make -f Makefile.mingw run ARCH=x86)"
SRC=$(dirname "$0")/trapno_fix.c

cannot() { echo "setup-x86: x86 cannot be set up here: $1; $HOW"; exit 3; }

# as_root: before each step that changes the machine (none when all is
# there already, so that a person who is not root can still run x86).
sudo=""
as_root() {
    [ "$(id -u)" = 0 ] && return 0
    command -v sudo >/dev/null 2>&1 || cannot "not root and no sudo"
    sudo=sudo
}
[ "$(dpkg --print-architecture 2>/dev/null)" = amd64 ] || cannot "not an amd64 Debian host"

# 1. Packages: qemu-user-static, and 32-bit Wine from the i386 architecture
#    (wine32-preloader, else "failed to map the shared user data").
missing=""
[ -x /usr/bin/qemu-i386-static ] || missing="$missing qemu-user-static"
dpkg -s wine32:i386 >/dev/null 2>&1 || missing="$missing wine32:i386"
dpkg -s wine32-preloader:i386 >/dev/null 2>&1 || missing="$missing wine32-preloader:i386"
if [ -n "$missing" ]; then
    as_root
    if ! dpkg --print-foreign-architectures | grep -qx i386; then
        echo "setup-x86: dpkg --add-architecture i386"
        $sudo dpkg --add-architecture i386
    fi
    echo "setup-x86: apt-get update && apt-get install -y --no-install-recommends$missing"
    $sudo apt-get update -qq || echo "setup-x86: apt-get update reported errors; trying the install anyway"
    # shellcheck disable=SC2086
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing \
        || cannot "apt-get install$missing failed (an i386 index out of sync?)"
fi

# 2. binfmt_misc: i386 ELF programs start through qemu-i386. Debian's
#    qemu-user-static registers no i386 entry on amd64 hosts.
if [ ! -e $BINFMT/register ]; then
    as_root
    echo "setup-x86: mount -t binfmt_misc binfmt_misc $BINFMT"
    $sudo mount -t binfmt_misc binfmt_misc $BINFMT 2>/dev/null || cannot "binfmt_misc cannot be mounted"
fi
if [ ! -e $BINFMT/qemu-i386 ]; then
    as_root
    echo "setup-x86: registering qemu-i386 for i386 ELF programs in $BINFMT"
    # The magic and mask are qemu's own (scripts/qemu-binfmt-conf.sh); F opens
    # the interpreter now, so that it also works in other mount namespaces.
    printf '%s' ':qemu-i386:M::\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x03\x00:\xff\xff\xff\xff\xff\xfe\xfe\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:/usr/bin/qemu-i386-static:F' \
        | $sudo tee $BINFMT/register >/dev/null 2>&1 || cannot "$BINFMT/register is not writable"
fi

# 3. The trapno fix (trapno_fix.c): built for i386, and empty for x86_64 so
#    that LD_PRELOAD=/usr/local/$LIB/... is harmless in 64-bit processes.
if [ ! -f $FIX32 ] || [ ! -f $FIX64 ] || [ "$SRC" -nt $FIX32 ]; then
    as_root
    echo "setup-x86: building the trapno fix: $FIX32 (and an empty $FIX64)"
    command -v clang-19 >/dev/null 2>&1 && command -v ld.lld-19 >/dev/null 2>&1 \
        || cannot "clang-19 and lld-19 are needed to build the trapno fix"
    tmp=$(mktemp -d)
    clang-19 --target=i386-linux-gnu -shared -nostdlib -fPIC -O2 -fuse-ld=lld -o "$tmp/32.so" "$SRC"
    clang-19 --target=x86_64-linux-gnu -shared -nostdlib -fPIC -DEMPTY -fuse-ld=lld -o "$tmp/64.so" "$SRC"
    $sudo mkdir -p "$(dirname $FIX32)" "$(dirname $FIX64)"
    $sudo cp "$tmp/32.so" $FIX32
    $sudo cp "$tmp/64.so" $FIX64
    rm -rf "$tmp"
fi
exit 0
