# Managed by rig: edits by hand are reverted on the next apply.
name = ${app_name}
host = ${inventory_hostname}
port = ${app_port}
greeting = ${greeting}
<#list groups["web"] as peer>
web_peer = ${peer}
</#list>
# The app expands HOME itself: a doubled dollar before the brace writes a literal dollar-brace.
home = $${HOME}
