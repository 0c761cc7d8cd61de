# Rendered by rig from roles/monitoring_central; edit the role, not this file.
# Secrets come from .env (mode 0600), written by rig: GRAFANA_ADMIN_PASSWORD.
<#assign host = monitoring_network_mode == "host">
<#-- In host network mode every service listens on central's own address; healthchecks ask there. -->
<#assign here = host?then(monitoring_central_bind, "127.0.0.1")>
services:
  caddy:
    image: ${caddy_image}
    restart: unless-stopped
<#if host>
    network_mode: host
<#else>
    ports:
      - "80:80"
      - "443:443"
      - "443:443/udp"
</#if>
    volumes:
      - ./caddy/Caddyfile:/etc/caddy/Caddyfile:ro
      - caddy-data:/data
      - caddy-config:/config
    healthcheck:
      test: ["CMD", "wget", "-q", "--spider", "http://${host?then(caddy_bind?has_content?then(caddy_bind, '127.0.0.1'), '127.0.0.1')}:9180/metrics"]
      interval: 30s
      timeout: 5s
      retries: 3
<#if !host>
    depends_on:
      - grafana
      - prometheus
      - loki
      - alertmanager
</#if>

  prometheus:
    image: ${prometheus_image}
    restart: unless-stopped
    command:
      - --config.file=/etc/prometheus/prometheus.yml
      - --storage.tsdb.path=/prometheus
      - --storage.tsdb.retention.time=${prometheus_retention_time}
<#if prometheus_retention_size?has_content>
      - --storage.tsdb.retention.size=${prometheus_retention_size}
</#if>
      - --web.enable-remote-write-receiver
<#if prometheus_admin_api>
      - --web.enable-admin-api
</#if>
<#if host>
      - --web.listen-address=${monitoring_central_bind}:${monitoring_prometheus_port}
    network_mode: host
<#elseif monitoring_central_bind?has_content>
    ports:
      - "${monitoring_central_bind}:${monitoring_prometheus_port}:9090"
</#if>
    volumes:
      - ./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro
      - ./prometheus/rules:/etc/prometheus/rules:ro
      - prometheus-data:/prometheus
    healthcheck:
      test: ["CMD", "wget", "-q", "--spider", "http://${here}:${host?then(monitoring_prometheus_port, 9090)}/-/ready"]
      interval: 30s
      timeout: 5s
      retries: 3

  loki:
    image: ${loki_image}
    restart: unless-stopped
    command:
      - -config.file=/etc/loki/loki.yaml
<#if host>
    network_mode: host
<#elseif monitoring_central_bind?has_content>
    ports:
      - "${monitoring_central_bind}:${monitoring_loki_port}:3100"
</#if>
    volumes:
      - ./loki/loki.yaml:/etc/loki/loki.yaml:ro
      - loki-data:/loki
    healthcheck:
      # The image is distroless (no shell, no wget): Loki's own "-health" probe (monitoring_image_facts).
      test: ["CMD", "/usr/bin/loki", "-health", "-health.url=http://${here}:${host?then(monitoring_loki_port, 3100)}/ready"]
      interval: 30s
      timeout: 5s
      retries: 5

  grafana:
    image: ${grafana_image}
    restart: unless-stopped
    environment:
      GF_SECURITY_ADMIN_USER: "${grafana_admin_user}"
      GF_SECURITY_ADMIN_PASSWORD: "$${GRAFANA_ADMIN_PASSWORD}"
      GF_SERVER_DOMAIN: "${monitoring_domain}"
      GF_SERVER_ROOT_URL: "https://${monitoring_domain}/"
      GF_USERS_ALLOW_SIGN_UP: "false"
      GF_AUTH_ANONYMOUS_ENABLED: "false"
      GF_ANALYTICS_REPORTING_ENABLED: "false"
<#if host>
      GF_SERVER_HTTP_ADDR: "${monitoring_central_bind}"
    network_mode: host
</#if>
    volumes:
      - grafana-data:/var/lib/grafana
      - ./grafana/provisioning:/etc/grafana/provisioning:ro
      - ./grafana/dashboards:/var/lib/grafana/dashboards:ro
    healthcheck:
      # curl is in both the Alpine and the Ubuntu variant of the image (monitoring_image_facts).
      test: ["CMD", "curl", "-fsS", "-o", "/dev/null", "http://${here}:3000/api/health"]
      interval: 30s
      timeout: 5s
      retries: 3

  # Alerts from central Prometheus's rules to the inventory's receivers; served by Caddy at /alertmanager/.
  alertmanager:
    image: ${alertmanager_image}
    restart: unless-stopped
    command:
      - --config.file=/etc/alertmanager/alertmanager.yml
      - --storage.path=/alertmanager
      - --data.retention=${alertmanager_retention}
      - --web.external-url=https://${monitoring_domain}/alertmanager/
      - --web.route-prefix=/alertmanager
<#if host>
      - --web.listen-address=${monitoring_central_bind}:9093
      - --cluster.listen-address=
    network_mode: host
<#else>
      - --cluster.listen-address=
    # central's loopback only: for rig verify's SSH forward; everyone else goes through Caddy
    ports:
      - "127.0.0.1:9093:9093"
</#if>
    volumes:
      - ./alertmanager/alertmanager.yml:/etc/alertmanager/alertmanager.yml:ro
      - ./secrets:/etc/alertmanager/secrets:ro
      - alertmanager-data:/alertmanager
    healthcheck:
      test: ["CMD", "wget", "-q", "--spider", "http://${here}:9093/alertmanager/-/ready"]
      interval: 30s
      timeout: 5s
      retries: 3

  # Probes central's certificate for the TLS expiry alert (the image's built-in http_2xx module).
  blackbox:
    image: ${blackbox_exporter_image}
    restart: unless-stopped
<#if host>
    command:
      - --config.file=/etc/blackbox_exporter/config.yml
      - --web.listen-address=${monitoring_central_bind}:9115
    network_mode: host
</#if>
    healthcheck:
      test: ["CMD", "wget", "-q", "--spider", "http://${here}:9115/-/healthy"]
      interval: 30s
      timeout: 5s
      retries: 3

volumes:
  alertmanager-data:
  prometheus-data:
  loki-data:
  grafana-data:
  caddy-data:
  caddy-config:
