// Grafana Alloy on ${monitoring_host_label}: the same as Promtail (Docker container logs, labels
// host, container, job) pushed to central Loki (${monitoring_transport} mode).
<#assign https = monitoring_transport == "https">
discovery.docker "containers" {
  host = "unix:///var/run/docker.sock"
  refresh_interval = "5s"
}

discovery.relabel "containers" {
  targets = []

  rule {
    source_labels = ["__meta_docker_container_name"]
    regex         = "/(.*)"
    target_label  = "container"
  }
  rule {
    target_label = "job"
    replacement  = "docker"
  }
  // The compose project names the job when there is one.
  rule {
    source_labels = ["__meta_docker_container_label_com_docker_compose_project"]
    regex         = "(.+)"
    target_label  = "job"
  }
  rule {
    source_labels = ["__meta_docker_container_log_stream"]
    target_label  = "stream"
  }
}

loki.source.docker "containers" {
  host          = "unix:///var/run/docker.sock"
  targets       = discovery.docker.containers.targets
  relabel_rules = discovery.relabel.containers.rules
  forward_to    = [loki.write.central.receiver]
}

loki.write "central" {
  endpoint {
<#if https>
    url = "https://${monitoring_domain}/loki/api/v1/push"
    basic_auth {
      username      = "${monitoring_push_user}"
      password_file = "/etc/alloy/secrets/push_password"
    }
<#else>
    url = "http://${monitoring_central_name?has_content?then(monitoring_central_name, monitoring_central_address)}:${monitoring_loki_port}/loki/api/v1/push"
</#if>
    // Retry a batch until central answers (0: no limit; the default gives up after 10 tries and drops it).
    max_backoff_retries = 0
<#if monitoring_ca_cert?has_content>
    tls_config {
      ca_file = "/etc/alloy/secrets/ca.crt"
    }
</#if>
  }
  external_labels = {
    host = "${monitoring_host_label}",
  }
}
