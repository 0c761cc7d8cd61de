<#-- The push credentials: one per distinct user among the HTTPS-mode edges (a host may have its own). -->
<#assign pushUsers = {}>
<#list groups.edge![] as h>
<#assign hv = hostvars[h]>
<#if (hv.monitoring_transport!monitoring_transport) == "https">
<#assign user = hv.monitoring_push_user!monitoring_push_user>
<#assign password = hv.monitoring_push_password!monitoring_push_password>
<#if pushUsers[user]?? && pushUsers[user] != password>
<#stop "edges " + h + " and another HTTPS edge use push user '" + user + "' with different passwords; give each its own user">
</#if>
<#assign pushUsers = pushUsers + {user: password}>
</#if>
</#list>
<#-- rig verify through Caddy (monitoring_verify_via: https) uses central's own push credential. -->
<#if monitoring_verify_via == "https" && monitoring_push_password?has_content>
<#if pushUsers[monitoring_push_user]?? && pushUsers[monitoring_push_user] != monitoring_push_password>
<#stop "push user '" + monitoring_push_user + "' has another password on an HTTPS edge than rig verify would use">
</#if>
<#assign pushUsers = pushUsers + {monitoring_push_user: monitoring_push_password}>
</#if>
# Rendered by rig from roles/monitoring_central; edit the role, not this file.
{
<#if monitoring_acme_email?has_content>
	email ${monitoring_acme_email}
</#if>
	admin ${caddy_admin}
	# Per-request metrics (caddy_http_requests_total...) for central Prometheus.
	servers {
		metrics
	}
<#if caddy_tls == "internal">
	# Caddy's own CA stays in its data volume; it does not touch the host's trust store.
	skip_install_trust
</#if>
<#if caddy_bind?has_content>
	default_bind ${caddy_bind}
</#if>
<#if caddy_push_rate_limit?has_content>
	order rate_limit first
</#if>
}
<#if pushUsers?has_content>

# Edges outside the VPC push here: basic auth (bcrypt, computed by rig), optional allow-list and rate limit.
(push_guard) {
<#if caddy_push_allowed_cidrs?has_content>
	@outside not remote_ip<#list caddy_push_allowed_cidrs as cidr> ${cidr}</#list>
	respond @outside "forbidden" 403
</#if>
<#if caddy_push_rate_limit?has_content>
	rate_limit {
		zone push {
			key {remote_host}
			events ${caddy_push_rate_limit.events}
			window ${caddy_push_rate_limit.window}
		}
	}
</#if>
	basicauth {
<#list pushUsers as user, password>
		${user} ${base64(bcrypt(password, user + "@" + monitoring_domain, caddy_bcrypt_cost?string))}
</#list>
	}
}
</#if>

${monitoring_domain} {
<#if caddy_tls == "internal">
	tls internal
</#if>
	encode gzip
<#if pushUsers?has_content>

	# Prometheus remote write, and the read API rig verify uses with the same credentials.
	@prometheus path /api/v1/write /api/v1/query /api/v1/query_range /api/v1/series /api/v1/labels /api/v1/label/* /api/v1/alertmanagers /-/ready
	handle @prometheus {
		import push_guard
		reverse_proxy ${central_prometheus_upstream}
	}

	# Loki push, and the read API rig verify uses (no deletes, no admin endpoints).
	@loki path /loki/api/v1/push /loki/api/v1/query /loki/api/v1/query_range /loki/api/v1/labels /loki/api/v1/label/*
	handle @loki {
		import push_guard
		reverse_proxy ${central_loki_upstream}
	}

	# Alertmanager's UI and API, with the same credentials (its --web.route-prefix is /alertmanager).
	@alertmanager path /alertmanager /alertmanager/*
	handle @alertmanager {
		import push_guard
		reverse_proxy ${central_alertmanager_upstream}
	}
</#if>

	# Everything else is Grafana, with its own login.
	handle {
		reverse_proxy ${central_grafana_upstream}
	}
}

# Caddy's own metrics for central Prometheus (the compose network only; not published).
http://:9180 {
	metrics
}
