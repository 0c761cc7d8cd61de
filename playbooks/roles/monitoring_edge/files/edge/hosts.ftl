# Rendered by rig from roles/monitoring_edge: the /etc/hosts of this edge's agent and log shipper.
# rig writes it in place, so they resolve central anew on their next connection, without a restart.
127.0.0.1	localhost
::1	localhost ip6-localhost ip6-loopback
<#if monitoring_central_name?has_content && monitoring_central_address?has_content>
${monitoring_central_address}	${monitoring_central_name}
</#if>
