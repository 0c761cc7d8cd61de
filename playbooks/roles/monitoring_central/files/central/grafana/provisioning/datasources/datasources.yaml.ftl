# Provisioned on start; dashboards refer to these uids.
apiVersion: 1
datasources:
  - name: Prometheus
    uid: prometheus
    type: prometheus
    access: proxy
    url: http://${central_prometheus_upstream}
    isDefault: true
    editable: false
    jsonData:
      timeInterval: ${prometheus_scrape_interval}
  - name: Loki
    uid: loki
    type: loki
    access: proxy
    url: http://${central_loki_upstream}
    editable: false
