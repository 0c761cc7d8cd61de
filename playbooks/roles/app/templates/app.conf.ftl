# Managed by rig: edits by hand are reverted on the next apply.
name = ${app_name}
host = ${inventory_hostname}
port = ${app_port}
greeting = ${greeting}
<#list groups["web"] as peer>
web_peer = ${peer}
</#list>
# A literal dollar-brace for the app's own expansion, written $${ in the template:
home = $${HOME}
