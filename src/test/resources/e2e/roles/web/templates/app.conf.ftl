host=${inventory_hostname}
port=${port}
level=${level}
play=${play_level}
secret=${db_password}
