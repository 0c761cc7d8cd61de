# Rendered by rig for ${inventory_hostname}. Host networking: each host's web listens on its own
# loopback address, and no bridge network (with its private-range addresses) is made.
version: "2.4"
services:
  web:
    image: rig-test/busybox:1
    network_mode: host
    stop_grace_period: 1s
    command: ["httpd", "-f", "-p", "${ansible_host}:${web_port}", "-h", "/www"]
    volumes: ["./www:/www:ro"]
    labels:
      rig.test.revision: "${web_revision}"
  worker:
    image: rig-test/busybox:1
    network_mode: host
    stop_grace_period: 1s
    command: ["sleep", "100000"]
    environment:
      GREETING_WORD: "$${GREETING_WORD}"
