# Rendered by rig from roles/monitoring_edge_postgres; edit the role, not this file.
# postgres-exporter on the edge network (scraped by the agent) and the database's network.
<#assign host = monitoring_network_mode == "host">
services:
  postgres-exporter:
    image: ${postgres_exporter_image}
    restart: unless-stopped
    environment:
      DATA_SOURCE_NAME: "$${DATA_SOURCE_NAME}"
    command:
      - --extend.query-path=/etc/postgres-exporter/queries.yaml
<#if host>
      - --web.listen-address=${monitoring_edge_bind}:9187
    network_mode: host
</#if>
    volumes:
      - ./postgres-exporter/queries.yaml:/etc/postgres-exporter/queries.yaml:ro
<#if !host>
    networks:
      - monitoring
      - database

networks:
  monitoring:
    external: true
    name: ${monitoring_edge_network}
  database:
    external: true
    name: ${edge_postgres_network}
</#if>
