port=${app_port}
<#list ["a", "b"] as x>${x}</#list>
home=$${HOME}
