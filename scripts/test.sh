#!/bin/sh
# rig's whole test suite. The tests start real OpenSSH servers on 127.0.0.x in their own mount
# namespaces, so they run as root with openssh-server installed (installed here when missing).
set -e
cd "$(dirname "$0")/.."
if [ ! -x /usr/sbin/sshd ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server openssh-client
    else
        echo "scripts/test.sh: the tests need openssh-server (/usr/sbin/sshd) and root" >&2
        exit 1
    fi
fi
exec mvn -B verify "$@"
