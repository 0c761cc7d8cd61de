# Rendered by rig from roles/monitoring_central; thresholds are the role's alert_* variables.
# Every alert has a severity (routes in alertmanager.yml), a host label where one applies (inhibition while
# the host is down) and a runbook line: what to look at first.
groups:
  - name: fleet
    rules:
      # The host-down alert of this push architecture: central hears from a host only through its agent, so a
      # dead host and a dead agent look the same (everything from the host stops). Central cannot probe the
      # edges (they push through firewalls that let nothing in), so it does not try to tell the two apart.
      # While it fires, the host's other alerts are inhibited (alertmanager.yml): their data stopped too.
      - alert: EdgeStoppedPushing
        # The agent's own series stop arriving: older than the threshold while still in the lookback, or gone.
        expr: >-
          (time() - max by (host) (timestamp(up{job="agent"}))) > ${alert_edge_silent_seconds}
          or (max by (host) (max_over_time(up{job="agent"}[${alert_edge_memory}])) unless on (host) max by (host) (up{job="agent"}))
        for: ${alert_edge_silent_for}
        labels:
          severity: critical
        annotations:
          summary: 'Edge {{ $labels.host }} stopped pushing metrics to central: the host is down or its agent stopped'
          runbook: 'Is {{ $labels.host }} up (ssh, provider console)? Then on it: docker compose -p ${alert_runbook_edge_project} ps; logs of prometheus-agent (remote-write errors, auth); can the host reach central (VPC address or ${monitoring_domain})?'
      # The host pushes, but its node-exporter does not answer the agent: the host's own metrics are missing.
      - alert: NodeExporterDown
        expr: up{job="node"} == 0
        for: ${alert_node_exporter_for}
        labels:
          severity: warning
        annotations:
          summary: 'node-exporter on {{ $labels.host }} does not answer its agent'
          runbook: 'On {{ $labels.host }}: docker compose -p ${alert_runbook_edge_project} ps node-exporter; docker logs of node-exporter.'
      - alert: DiskWillFillIn24h
        expr: >-
          predict_linear(node_filesystem_avail_bytes{fstype!~"${alert_disk_ignored_fstypes}"}[${alert_disk_predict_window}], 86400) < 0
          and node_filesystem_avail_bytes{fstype!~"${alert_disk_ignored_fstypes}"} / node_filesystem_size_bytes < 0.5
        for: ${alert_disk_for}
        labels:
          severity: warning
        annotations:
          summary: '{{ $labels.mountpoint }} on {{ $labels.host }} is predicted to be full within 24 h'
          runbook: 'du -xh --max-depth=2 {{ $labels.mountpoint }} on {{ $labels.host }}; docker system df (images, container logs).'
      - alert: DiskAlmostFull
        expr: >-
          100 * (1 - node_filesystem_avail_bytes{fstype!~"${alert_disk_ignored_fstypes}"} / node_filesystem_size_bytes) > ${alert_disk_used_percent}
        for: ${alert_disk_for}
        labels:
          severity: critical
        annotations:
          summary: '{{ $labels.mountpoint }} on {{ $labels.host }} is {{ $value | printf "%.0f" }}% full'
          runbook: 'Free space on {{ $labels.host }} now: docker system prune, old backups, logs; then grow the volume.'
      - alert: MemoryPressure
        expr: 100 * (1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes) > ${alert_memory_used_percent}
        for: ${alert_memory_for}
        labels:
          severity: warning
        annotations:
          summary: '{{ $labels.host }} uses {{ $value | printf "%.0f" }}% of its memory'
          runbook: 'docker stats --no-stream on {{ $labels.host }}: which container grows? Dashboard Containers, memory panel.'
      - alert: ContainerRestartLoop
        expr: changes(container_start_time_seconds{name!=""}[${alert_container_restart_window}]) >= ${alert_container_restarts}
        labels:
          severity: warning
        annotations:
          summary: 'Container {{ $labels.name }} on {{ $labels.host }} restarted {{ $value }} times in ${alert_container_restart_window}'
          runbook: 'docker logs --tail 100 {{ $labels.name }} on {{ $labels.host }}; docker inspect (exit code, OOMKilled).'
  - name: tls
    rules:
      - alert: TLSCertificateExpiresSoon
        expr: (probe_ssl_earliest_cert_expiry - time()) / 86400 < ${alert_tls_expiry_days}
        for: 1h
        labels:
          severity: warning
        annotations:
          summary: 'The certificate of {{ $labels.instance }} expires in {{ $value | printf "%.0f" }} days'
          runbook: 'Caddy renews 30 days ahead: docker logs of caddy on central (ACME errors); are ports 80/443 open and DNS pointing at central?'
  - name: timescaledb
    rules:
      - alert: TimescaleDBJobFailed
        expr: timescaledb_job_last_run_failed == 1
        for: ${alert_timescaledb_for}
        labels:
          severity: warning
        annotations:
          summary: 'TimescaleDB job {{ $labels.job_id }} ({{ $labels.proc_name }}) on {{ $labels.host }} failed its last run'
          runbook: 'SELECT * FROM timescaledb_information.job_errors WHERE job_id = {{ $labels.job_id }} ORDER BY finish_time DESC LIMIT 5;'
      - alert: TimescaleDBCompressionBehind
        expr: >-
          (timescaledb_hypertable_chunks - timescaledb_hypertable_compressed_chunks) > ${alert_timescaledb_uncompressed_chunks}
          and timescaledb_hypertable_compression_enabled == 1
        for: ${alert_timescaledb_for}
        labels:
          severity: warning
        annotations:
          summary: '{{ $labels.hypertable }} on {{ $labels.host }} has {{ $value }} uncompressed chunks'
          runbook: 'timescaledb_information.jobs for policy_compression of {{ $labels.hypertable }}: scheduled? failing (TimescaleDBJobFailed)?'
  - name: monitors
    rules:
      - alert: PrometheusRuleEvaluationFailures
        expr: increase(prometheus_rule_evaluation_failures_total[10m]) > 0
        labels:
          severity: warning
        annotations:
          summary: 'Central Prometheus fails to evaluate rules of group {{ $labels.rule_group }}'
          runbook: 'docker logs of prometheus on central: which rule, which error (often a query that returns duplicate series).'
      - alert: RemoteWriteReceiverErrors
        expr: sum by (host) (rate(prometheus_http_requests_total{handler="/api/v1/write", code=~"5.."}[5m])) > 0
        for: ${alert_monitor_for}
        labels:
          severity: warning
        annotations:
          summary: 'Central Prometheus answers remote writes with errors'
          runbook: 'docker logs of prometheus on central (out-of-order, disk full, TSDB errors); disk space of the prometheus-data volume.'
      - alert: RemoteWriteFailing
        expr: increase(prometheus_remote_storage_samples_failed_total[10m]) > 0
        for: ${alert_monitor_for}
        labels:
          severity: warning
        annotations:
          summary: 'The agent on {{ $labels.host }} fails to deliver samples to central'
          runbook: 'Logs of prometheus-agent on {{ $labels.host }}; 401: push credentials; 5xx: RemoteWriteReceiverErrors on central.'
      - alert: LokiIngestionErrors
        expr: >-
          sum by (host) (rate(loki_discarded_samples_total[5m])) > 0
          or sum by (host) (rate(loki_request_duration_seconds_count{route="loki_api_v1_push", status_code=~"5.."}[5m])) > 0
        for: ${alert_monitor_for}
        labels:
          severity: warning
        annotations:
          summary: 'Central Loki drops or fails log pushes'
          runbook: 'docker logs of loki on central; loki_discarded_samples_total by reason (rate limit, too old, line too long).'
