module flotilla.local/mariadb-init

go 1.24
