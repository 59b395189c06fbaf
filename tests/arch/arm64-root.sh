#!/bin/sh
# arm64-root.sh - the emulated arm64 Debian root in which the ARM64 builds
# run: Debian's arm64 Wine, executed by qemu-aarch64 through binfmt_misc.
#
#   sh tests/arch/arm64-root.sh status   exit 0 when ARM64 programs can run
#                                        here; else one line saying why, exit 1
#   sh tests/arch/arm64-root.sh setup    as root: add what is missing (Debian
#                                        packages, the binfmt entry, the root
#                                        and its Wine prefix), saying so
#   sh tests/arch/arm64-root.sh run EXE [ARGS...]
#                                        run EXE with the root's Wine; stdin,
#                                        stdout, stderr and the exit code are
#                                        the program's
#   sh tests/arch/arm64-root.sh persist  keep the root's wineserver running
#                                        (a run then takes 2 s, not 20: Wine
#                                        starts its services once); stop ends it
#   sh tests/arch/arm64-root.sh setup-run EXE [ARGS...]
#                                        set up when missing, then run (make
#                                        run ARCH=arm64: asking for ARM64 is
#                                        asking for its set-up)
#
# The root is made once, outside the clone, and reused by every clone:
# ARM64_ROOT (default /var/cache/pagefault-demo/arm64-bookworm), of Debian
# ARM64_SUITE (default bookworm: Wine 8). Creating it takes some minutes and
# about 600 MB: mmdebstrap --arch=arm64 --variant=apt --include=wine64,libwine.
# Everything this script says goes to stderr; stdout is the program's.
set -eu
R=${ARM64_ROOT:-/var/cache/pagefault-demo/arm64-bookworm}
SUITE=${ARM64_SUITE:-bookworm}
HOW="as root: sh tests/arch/arm64-root.sh setup (once: Debian's arm64 Wine in $R, ~600 MB), or make -f Makefile.mingw run ARCH=arm64"
say() { echo "arm64: $*" >&2; }

# why_not: empty when ARM64 programs can run here, else the reason.
why_not() {
    if [ "$(id -u)" != 0 ]; then echo "running them needs root (chroot into $R)"; return; fi
    if ! grep -q '^enabled' /proc/sys/fs/binfmt_misc/qemu-aarch64 2>/dev/null; then
        echo "no qemu-aarch64 binfmt_misc entry (qemu-user-static, binfmt-support)"; return; fi
    if [ ! -f "$R/.pagefault-demo-ready" ]; then echo "there is no arm64 root at $R"; return; fi
}

# The Debian packages set-up needs, when missing.
install_packages() {
    missing=""
    command -v mmdebstrap >/dev/null 2>&1 || missing="$missing mmdebstrap"
    command -v arch-test >/dev/null 2>&1 || missing="$missing arch-test"
    [ -x /usr/bin/qemu-aarch64-static ] || missing="$missing qemu-user-static"
    command -v update-binfmts >/dev/null 2>&1 || missing="$missing binfmt-support"
    [ -z "$missing" ] && return 0
    say "installing Debian packages:$missing"
    apt-get update -qq >&2 || say "apt-get update reported errors; trying the install anyway"
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >&2
}

# The kernel runs aarch64 ELF files with qemu-aarch64-static: Debian's
# qemu-user-static registers the entry (flag F, so it works in a chroot)
# through binfmt-support once binfmt_misc is mounted.
enable_binfmt() {
    grep -q '^enabled' /proc/sys/fs/binfmt_misc/qemu-aarch64 2>/dev/null && return 0
    if [ ! -f /proc/sys/fs/binfmt_misc/register ]; then
        say "mounting binfmt_misc"
        mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
    fi
    say "enabling the qemu-aarch64 binfmt entry"
    update-binfmts --enable qemu-aarch64 >&2 || update-binfmts --import qemu-aarch64 >&2
    grep -q '^enabled' /proc/sys/fs/binfmt_misc/qemu-aarch64
}

# proc and /dev inside the root, which Wine needs; mounted once per boot.
mount_root() {
    mountpoint -q "$R/proc" || mount -t proc proc "$R/proc"
    mountpoint -q "$R/dev" || mount --bind /dev "$R/dev"
}

# in_root COMMAND...: run COMMAND in the root's Wine environment.
in_root() {
    chroot "$R" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/root LANG=C.UTF-8 \
        WINEPREFIX=/root/wineprefix WINEDEBUG="${WINEDEBUG:--all}" "$@"
}

create_root() {
    [ -f "$R/.pagefault-demo-ready" ] && return 0
    mkdir -p "$(dirname "$R")"
    log=$R.log
    if [ ! -x "$R/usr/lib/wine/wine64" ]; then
        say "creating the arm64 Debian root $R (once; some minutes, ~600 MB; log: $log)"
        rm -rf "$R.tmp"
        if ! mmdebstrap --arch=arm64 --variant=apt --include=wine64,libwine \
                "$SUITE" "$R.tmp" >"$log" 2>&1; then
            say "mmdebstrap failed; the end of $log:"; tail -5 "$log" >&2; return 1
        fi
        rm -rf "$R"; mv "$R.tmp" "$R"
    fi
    mount_root
    say "creating the root's Wine prefix (once; a minute or two under emulation)"
    if ! in_root sh -c '/usr/lib/wine/wine64 wineboot --init && /usr/lib/wine/wineserver --wait' >>"$log" 2>&1; then
        say "wineboot failed in the root; see $log"; return 1
    fi
    touch "$R/.pagefault-demo-ready"
}

case ${1:-status} in
status)
    why=$(why_not)
    [ -z "$why" ] && exit 0
    echo "$why; to add ARM64: $HOW"
    exit 1 ;;
setup)
    if [ "$(id -u)" != 0 ]; then say "set-up needs root; $HOW"; exit 1; fi
    install_packages
    enable_binfmt || { say "cannot enable the qemu-aarch64 binfmt entry"; exit 1; }
    # One set-up at a time (two clones, or make and the suite at once).
    mkdir -p "$(dirname "$R")"
    exec 9>"$R.lock"
    flock 9
    create_root ;;
persist|stop)
    [ -n "$(why_not)" ] && exit 1
    mount_root
    if [ "$1" = persist ]; then in_root /usr/lib/wine/wineserver -p
    else in_root /usr/lib/wine/wineserver -k 2>/dev/null || true; fi ;;
setup-run)
    shift
    if [ -n "$(why_not)" ] && [ "$(id -u)" = 0 ]; then sh "$0" setup; fi
    exec sh "$0" run "$@" ;;
run)
    shift
    why=$(why_not)
    if [ -n "$why" ]; then say "cannot run ARM64 programs: $why; to add ARM64: $HOW"; exit 125; fi
    exe=$1; shift
    mount_root
    dir=$(mktemp -d "$R/tmp/pagefault-demo.XXXXXX")
    cp "$exe" "$dir/"
    rc=0
    in_root /usr/lib/wine/wine64 "${dir#"$R"}/$(basename "$exe")" "$@" || rc=$?
    rm -rf "$dir"
    exit $rc ;;
*)
    echo "usage: sh tests/arch/arm64-root.sh status|setup|persist|stop|run|setup-run EXE [ARGS...]" >&2; exit 2 ;;
esac
