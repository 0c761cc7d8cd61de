# Promtail on ${monitoring_host_label}: tails every container's log through the Docker socket and
# pushes to central Loki (${monitoring_transport} mode). Labels: host, container, job.
<#assign https = monitoring_transport == "https">
server:
<#if monitoring_network_mode == "host">
  http_listen_address: ${monitoring_edge_bind}
</#if>
  http_listen_port: 9080
  grpc_listen_port: 0

positions:
  filename: /positions/positions.yaml

clients:
<#if https>
  - url: "https://${monitoring_domain}/loki/api/v1/push"
    basic_auth:
      username: "${monitoring_push_user}"
      password_file: /etc/promtail/secrets/push_password
<#else>
  - url: "http://${monitoring_central_name?has_content?then(monitoring_central_name, monitoring_central_address)}:${monitoring_loki_port}/loki/api/v1/push"
</#if>
    # Retry a batch until central answers (0: no limit; Promtail's default gives up after 10 tries,
    # about 8 minutes, and drops it). Meanwhile Promtail reads no further: the lines wait in Docker's logs.
    backoff_config:
      max_retries: 0
<#if monitoring_ca_cert?has_content>
    tls_config:
      ca_file: /etc/promtail/secrets/ca.crt
</#if>
    external_labels:
      host: "${monitoring_host_label}"

scrape_configs:
  - job_name: docker
    docker_sd_configs:
      - host: unix:///var/run/docker.sock
        refresh_interval: 5s
    relabel_configs:
      - source_labels: ["__meta_docker_container_name"]
        regex: "/(.*)"
        target_label: container
      - target_label: job
        replacement: docker
      # The compose project names the job when there is one.
      - source_labels: ["__meta_docker_container_label_com_docker_compose_project"]
        regex: "(.+)"
        target_label: job
      - source_labels: ["__meta_docker_container_log_stream"]
        target_label: stream
