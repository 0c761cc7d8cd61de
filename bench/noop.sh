#!/bin/bash
# What a no-op run of the bundled example playbook (playbooks/lab.yml, 10 tasks, 12 results per
# host) costs per host, on N real loopback sshd hosts: SSH connections and exec channels per host,
# wall time, peak heap and RSS. Rewrites its own section of bench/README.md. Needs root.
#   bench/noop.sh            # 10 and 50 hosts
#   BENCH_HOSTS="3" bench/noop.sh
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${BENCH_HOSTS:-10 50}
./rig --version >/dev/null
rows=()
now() { date +%s%N; }
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" "$2" | tail -1; }
for n in $sizes; do
    dir=$(mktemp -d /tmp/rig-bench-XXXXXX)
    ./rig lab up --dir "$dir" --hosts "$n" --first-octet 100 >/dev/null
    trap './rig lab down --dir "$dir" >/dev/null 2>&1 || true' EXIT
    cp -r inventory/lab/group_vars "$dir/inventory/"
    args=(-i "$dir/inventory" --known-hosts "$dir/known_hosts" --stats playbooks/lab.yml)
    t0=$(now); ./rig apply --yes "${args[@]}" >"$dir/first.out" 2>"$dir/first.err"; t1=$(now)
    first_ms=$(( (t1 - t0) / 1000000 ))
    grep -q "changed=0" "$dir/first.out" && { echo "first run changed nothing?" >&2; exit 1; }
    walls=(); engine=()
    for i in 1 2 3; do
        before=$(cat "$dir"/host*/sshd.log | grep -c "Connection from" || true)
        t0=$(now); ./rig apply --yes "${args[@]}" >"$dir/noop.out" 2>"$dir/noop.err"; t1=$(now)
        after=$(cat "$dir"/host*/sshd.log | grep -c "Connection from" || true)
        if grep -Eq "changed=[1-9]|failed=[1-9]|unreachable=[1-9]" "$dir/noop.out"; then
            echo "no-op run was not a no-op:" >&2; cat "$dir/noop.out" >&2; exit 1
        fi
        walls+=($(( (t1 - t0) / 1000000 ))); engine+=("$(field wall_ms "$dir/noop.err")")
    done
    conns=$(awk -v a="$before" -v b="$after" -v n="$n" 'BEGIN { printf "%.1f", (b - a) / n }')
    chan_max=$(field channels_per_host_max "$dir/noop.err")
    heap=$(field peak_heap_mib "$dir/noop.err"); rss=$(field rss_mib "$dir/noop.err")
    t0=$(now); ./rig plan "${args[@]}" >"$dir/plan.out" 2>"$dir/plan.err"; t1=$(now)
    plan_ms=$(( (t1 - t0) / 1000000 ))
    rows+=("| $n | $first_ms | $(median "${walls[@]}") | $(median "${engine[@]}") | $plan_ms | $conns | $chan_max | $heap | $rss |")
    ./rig lab down --dir "$dir" >/dev/null; trap - EXIT; rm -rf "$dir"
done
table="| hosts | first converge, ms | no-op apply, ms (median of 3) | of which engine, ms | plan, ms | SSH connections per host | exec channels per host | peak heap, MiB | peak RSS, MiB |
|---|---|---|---|---|---|---|---|---|
$(printf '%s\n' "${rows[@]}")"
echo "$table"
section=$(mktemp)
cat >"$section" <<MD
## No-op cost of the bundled example playbook

Written by \`bench/noop.sh\`.
\`playbooks/lab.yml\` (one role, 10 tasks with a loop: 12 results per host) on N real OpenSSH
hosts on loopback (\`rig lab up --hosts N\`: one sshd per host on 127.0.0.100+, each in its own
mount namespace with a clean tmpfs home, so no shell start-up files run). Times are whole
\`./rig\` processes, JVM start included; "engine" is rig's own figure without JVM start and
loading. Connections are counted from the sshd logs, channels by rig (\`--stats\`).

$table

A no-op run costs one SSH connection and one exec channel per host: every task's state is read in
one batched probe, and nothing else is run when nothing differs.

Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(. /etc/os-release; echo "$PRETTY_NAME"), $(java -version 2>&1 | head -1), OpenSSH $(/usr/sbin/sshd -V 2>&1 | head -1 | cut -d, -f1).
Date: $(date -u +%Y-%m-%d).
MD
# Only this script's section of bench/README.md is rewritten; bench/run owns another.
. bench/readme-section.sh
readme_section bench/README.md bench/noop.sh "$section"
rm -f "$section"
