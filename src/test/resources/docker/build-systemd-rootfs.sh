#!/bin/sh
# Builds the root filesystem of the test's systemd host: a minimal Debian 12 with systemd as init and
# OpenSSH (and cron, for the cron module), as a tarball ready for `docker import`. Slow (downloads ~60 MB from Debian's mirror), so the
# tests cache its output and run this only when the cache is missing or this script changed.
# Usage: build-systemd-rootfs.sh OUTPUT.tar
set -eu
out=$1
work=$(mktemp -d "${out%/*}/.build-XXXXXX")
trap 'rm -rf "$work"' EXIT
debootstrap --variant=minbase --include=systemd,systemd-sysv,openssh-server,dbus,ca-certificates,cron \
    bookworm "$work/rootfs" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 \
    || { tail -30 "$work/debootstrap.log" >&2; exit 1; }
root=$work/rootfs
# Units that cannot work in an unprivileged container only add noise and delay boot.
for unit in systemd-udevd.service systemd-udev-trigger.service systemd-udevd-control.socket \
        systemd-udevd-kernel.socket getty@tty1.service systemd-timesyncd.service; do
    ln -sf /dev/null "$root/etc/systemd/system/$unit"
done
# No host keys in the image: the container makes fresh ones when it starts (ssh.service's ExecStartPre
# needs them; sshd-keygen would be Fedora's). Debian's openssh-server made some at install: drop them.
rm -f "$root"/etc/ssh/ssh_host_*
echo rig-systemd-host > "$root/etc/hostname"
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tar -C "$root" -cf "$out.tmp" .
mv -f "$out.tmp" "$out"
