module flotilla.dev/bench/go-hello

go 1.26
