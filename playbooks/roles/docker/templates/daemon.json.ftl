{
  "log-driver": "json-file",
  "log-opts": {
    "max-size": "${docker_log_max_size}",
    "max-file": "${docker_log_max_file}"
  }<#list docker_daemon_options as key, value>,
  ${key?c}: ${value?c}</#list>
}
