# Central Prometheus: stores what the edge agents remote-write (receiver flag in compose.yaml),
# and watches the monitoring stack itself.
global:
  scrape_interval: ${prometheus_scrape_interval}
  evaluation_interval: ${prometheus_evaluation_interval}
  external_labels:
    monitor: central

rule_files:
  - /etc/prometheus/rules/*.yml

alerting:
  alertmanagers:
    - path_prefix: /alertmanager
      static_configs:
        - targets: ["${central_alertmanager_upstream}"]

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
  - job_name: alertmanager
    metrics_path: /alertmanager/metrics
    static_configs:
      - targets: ["${central_alertmanager_upstream}"]
        labels:
          host: "${monitoring_host_label}"
  # Central's own certificate, as browsers and HTTPS edges see it.
  - job_name: tls
    metrics_path: /probe
    params:
      module: [http_2xx]
    static_configs:
      - targets: ["https://${monitoring_domain}/"]
        labels:
          host: "${monitoring_host_label}"
    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
      - source_labels: [__param_target]
        target_label: instance
      - target_label: __address__
        replacement: "${central_blackbox_target}"
