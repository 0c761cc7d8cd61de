# Central Prometheus: stores what the edge agents remote-write (receiver flag in compose.yaml),
# and watches the monitoring stack itself.
global:
  scrape_interval: ${prometheus_scrape_interval}
  evaluation_interval: ${prometheus_scrape_interval}
  external_labels:
    monitor: central

scrape_configs:
  - job_name: prometheus
    static_configs:
      - targets: ["${central_prometheus_self_target}"]
        labels:
          host: "${monitoring_host_label}"
  - job_name: loki
    static_configs:
      - targets: ["${central_loki_upstream}"]
        labels:
          host: "${monitoring_host_label}"
  - job_name: grafana
    static_configs:
      - targets: ["${central_grafana_upstream}"]
        labels:
          host: "${monitoring_host_label}"
  - job_name: caddy
    static_configs:
      - targets: ["${central_caddy_metrics_target}"]
        labels:
          host: "${monitoring_host_label}"
