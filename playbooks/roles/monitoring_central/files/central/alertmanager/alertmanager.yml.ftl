# Rendered by rig from roles/monitoring_central (alertmanager_* settings); edit the role, not this file.
# Secrets are read from files under /etc/alertmanager/secrets (mode 0400, written by rig), never inlined.
<#assign severities = ["critical", "warning"]>
global:
  resolve_timeout: ${alertmanager_resolve_timeout}
<#if alertmanager_smtp_smarthost?has_content>
  smtp_smarthost: "${alertmanager_smtp_smarthost}"
  smtp_from: "${alertmanager_smtp_from}"
  smtp_require_tls: ${alertmanager_smtp_require_tls?c}
<#if alertmanager_smtp_auth_username?has_content>
  smtp_auth_username: "${alertmanager_smtp_auth_username}"
  smtp_auth_password_file: /etc/alertmanager/secrets/smtp_password
</#if>
</#if>

# Alerts go by severity to the receivers that list it (alertmanager_receivers[].severities).
route:
  receiver: blackhole
  group_by: [alertname, host]
  group_wait: ${alertmanager_group_wait}
  group_interval: ${alertmanager_group_interval}
  repeat_interval: ${alertmanager_repeat_interval}
  routes:
<#list severities as sev>
<#list alertmanager_receivers as r>
<#if (r.severities![])?seq_contains(sev)>
    - receiver: "${r.name}"
      matchers: ['severity="${sev}"']
      continue: true
</#if>
</#list>
</#list>

# While a host is silent (down, or its agent stopped: EdgeStoppedPushing), its other alerts (disk, memory,
# containers, node-exporter) say nothing new: they are about data that stopped arriving with it.
inhibit_rules:
  - source_matchers: ['alertname="EdgeStoppedPushing"']
    target_matchers: ['alertname!="EdgeStoppedPushing"']
    equal: [host]

receivers:
  - name: blackhole
<#list alertmanager_receivers as r>
  - name: "${r.name}"
<#if r.email??>
    email_configs:
      - to: "${r.email.to}"
        send_resolved: true
</#if>
<#if r.webhook??>
    webhook_configs:
      - url: "${r.webhook.url}"
        send_resolved: true
</#if>
<#if r.slack??>
    slack_configs:
      - api_url_file: /etc/alertmanager/secrets/slack_webhook_url
        channel: "${r.slack.channel}"
        send_resolved: true
        title: '{{ .Status | toUpper }}: {{ .CommonLabels.alertname }} on {{ .CommonLabels.host }}'
        text: '{{ range .Alerts }}{{ .Annotations.summary }} (runbook: {{ .Annotations.runbook }}){{ "\n" }}{{ end }}'
</#if>
</#list>
