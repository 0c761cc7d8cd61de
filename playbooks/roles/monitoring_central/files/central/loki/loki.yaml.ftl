# Central Loki, single binary on the loki-data volume: push receiver on 3100, retention enforced by
# the compactor (limits_config.retention_period).
auth_enabled: false

server:
<#if monitoring_network_mode == "host">
  http_listen_address: ${monitoring_central_bind}
  http_listen_port: ${monitoring_loki_port}
  grpc_listen_address: ${monitoring_central_bind}
<#else>
  http_listen_port: 3100
</#if>
  grpc_listen_port: 9096
  log_level: warn

common:
  instance_addr: 127.0.0.1
  path_prefix: /loki
  storage:
    filesystem:
      chunks_directory: /loki/chunks
      rules_directory: /loki/rules
  replication_factor: 1
  ring:
    kvstore:
      store: inmemory

schema_config:
  configs:
    - from: "2024-01-01"
      store: tsdb
      object_store: filesystem
      schema: v13
      index:
        prefix: index_
        period: 24h

limits_config:
  retention_period: ${loki_retention_period}
  reject_old_samples: true
  reject_old_samples_max_age: 168h
  allow_structured_metadata: true

compactor:
  working_directory: /loki/compactor
  compaction_interval: 10m
  retention_enabled: true
  retention_delete_delay: 2h
  delete_request_store: filesystem

analytics:
  reporting_enabled: false
