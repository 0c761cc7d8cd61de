Welcome to ${inventory_hostname} (role ${role})
