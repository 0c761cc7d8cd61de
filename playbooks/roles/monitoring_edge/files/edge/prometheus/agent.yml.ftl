# Prometheus agent on ${monitoring_host_label}: scrapes the local exporters and remote-writes
# everything to central (${monitoring_transport} mode); no local storage besides the WAL.
<#assign https = monitoring_transport == "https">
global:
  scrape_interval: ${edge_node_scrape_interval}
  external_labels:
    host: "${monitoring_host_label}"

scrape_configs:
  - job_name: agent
    static_configs:
      - targets: ["${edge_agent_target}"]
  - job_name: node
    scrape_interval: ${edge_node_scrape_interval}
    static_configs:
      - targets: ["${edge_node_exporter_target}"]
  - job_name: cadvisor
    scrape_interval: ${edge_cadvisor_scrape_interval}
    static_configs:
      - targets: ["${edge_cadvisor_target}"]
<#if group_names?seq_contains("edge_postgres")>
  - job_name: postgres
    static_configs:
      - targets: ["${edge_postgres_exporter_target}"]
</#if>

remote_write:
<#if https>
  - url: "https://${monitoring_domain}/api/v1/write"
    basic_auth:
      username: "${monitoring_push_user}"
      password_file: /etc/prometheus/secrets/push_password
<#else>
  - url: "http://${monitoring_central_name?has_content?then(monitoring_central_name, monitoring_central_address)}:${monitoring_prometheus_port}/api/v1/write"
</#if>
<#if monitoring_ca_cert?has_content>
    tls_config:
      ca_file: /etc/prometheus/secrets/ca.crt
</#if>
    queue_config:
      max_shards: 10
      batch_send_deadline: 5s
