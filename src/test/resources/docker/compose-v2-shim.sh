#!/bin/sh
# Stand-in for the compose v2 plugin, which Debian 12 does not package: answers "docker compose"
# by forwarding to docker-compose v1 (logging each call), so rig's v2 code path runs for real
# against the same engine. Every other docker command goes to the real CLI.
if [ "$1" = compose ]; then
    shift
    echo "$*" >> /run/compose-v2-shim.log
    if [ "$1" = version ]; then echo "Docker Compose version v2 (rig test shim)"; exit 0; fi
    exec docker-compose "$@"
fi
for real in /usr/local/bin/docker /usr/bin/docker; do
    [ -x "$real" ] && exec "$real" "$@"
done
echo "no docker CLI found" >&2
exit 127
