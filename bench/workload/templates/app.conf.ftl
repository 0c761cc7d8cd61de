# Managed by the benchmark: the same file from both tools.
host = ${inventory_hostname}
address = ${ansible_host}
port = ${bench_port}
