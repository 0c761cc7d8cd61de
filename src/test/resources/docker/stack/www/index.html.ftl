hello from ${inventory_hostname}
