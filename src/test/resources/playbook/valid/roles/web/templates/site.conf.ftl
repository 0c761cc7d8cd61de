root ${web_root};
listen ${web_port};
