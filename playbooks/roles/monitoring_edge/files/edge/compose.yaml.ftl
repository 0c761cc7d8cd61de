# Rendered by rig from roles/monitoring_edge; edit the role, not this file.
# Host ${monitoring_host_label}: ${monitoring_transport} mode, logs shipped by ${edge_log_agent}.
<#assign https = monitoring_transport == "https">
<#assign tlsFiles = https || monitoring_ca_cert?has_content>
<#assign host = monitoring_network_mode == "host">
services:
  prometheus-agent:
    image: ${edge_prometheus_image}
    restart: unless-stopped
    # Agent mode: scrape, remote-write, keep only a write-ahead log (buffered while central is away).
    command:
      - --config.file=/etc/prometheus/agent.yml
<#if edge_prometheus_major == "2">
      - --enable-feature=agent
<#else>
      - --agent
</#if>
      - --storage.agent.path=/prometheus
<#if host>
      - --web.listen-address=${monitoring_edge_bind}:9090
    network_mode: host
</#if>
    volumes:
      - ./prometheus/agent.yml:/etc/prometheus/agent.yml:ro
      - agent-wal:/prometheus
      # how it finds central (monitoring_central_name); rig rewrites it in place, no restart
      - ./hosts:/etc/hosts:ro
<#if tlsFiles>
      - ./secrets:/etc/prometheus/secrets:ro
</#if>

  node-exporter:
    image: ${edge_node_exporter_image}
    restart: unless-stopped
    command:
      - --path.rootfs=/host
<#if host>
      - --web.listen-address=${monitoring_edge_bind}:9100
    network_mode: host
</#if>
    pid: host
    volumes:
      - /:/host:ro${edge_node_exporter_rootfs_propagation?has_content?then("," + edge_node_exporter_rootfs_propagation, "")}

  cadvisor:
    image: ${edge_cadvisor_image}
    restart: unless-stopped
<#if edge_cadvisor_privileged>
    privileged: true
</#if>
<#if host>
    command:
      - --listen_ip=${monitoring_edge_bind}
      - --port=8080
    network_mode: host
</#if>
    devices:
      - /dev/kmsg
    volumes:
      - /:/rootfs:ro
      - /var/run:/var/run:ro
      - /sys:/sys:ro
      - /var/lib/docker/:/var/lib/docker:ro
      - /dev/disk/:/dev/disk:ro
<#if edge_log_agent == "promtail">

  promtail:
    image: ${edge_promtail_image}
    restart: unless-stopped
    command:
      - -config.file=/etc/promtail/promtail.yaml
<#if host>
    network_mode: host
</#if>
    volumes:
      - ./promtail/promtail.yaml:/etc/promtail/promtail.yaml:ro
      - /var/run/docker.sock:/var/run/docker.sock:ro
      - promtail-positions:/positions
      - ./hosts:/etc/hosts:ro
<#if tlsFiles>
      - ./secrets:/etc/promtail/secrets:ro
</#if>
<#else>

  alloy:
    image: ${edge_alloy_image}
    restart: unless-stopped
    command:
      - run
      - --server.http.listen-addr=${host?then(monitoring_edge_bind, "0.0.0.0")}:12345
      - --storage.path=/var/lib/alloy/data
      - /etc/alloy/config.alloy
<#if host>
    network_mode: host
</#if>
    volumes:
      - ./alloy/config.alloy:/etc/alloy/config.alloy:ro
      - /var/run/docker.sock:/var/run/docker.sock:ro
      - alloy-data:/var/lib/alloy/data
      - ./hosts:/etc/hosts:ro
<#if tlsFiles>
      - ./secrets:/etc/alloy/secrets:ro
</#if>
</#if>
<#if !host>

networks:
  default:
    name: ${monitoring_edge_network}
</#if>

volumes:
  agent-wal:
<#if edge_log_agent == "promtail">
  promtail-positions:
<#else>
  alloy-data:
</#if>
