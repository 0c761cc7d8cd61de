HostKey /etc/ssh/ssh_host_ed25519_key
Port ${template_port}
