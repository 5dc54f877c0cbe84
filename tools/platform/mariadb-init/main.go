// mariadb-init: the entrypoint of the local platform's MariaDB image, which has no shell.
// On first start (no mysql_upgrade_info in the data directory) it creates the system tables
// the way mariadb-install-db does, by feeding Debian's bootstrap SQL to `mariadbd --bootstrap`,
// then it execs mariadbd with the arguments it was given. Accounts and databases are not made
// here: mariadbd's --init-file (a Secret) creates or updates them on every start.
//
//	usage: mariadb-init /usr/sbin/mariadbd --no-defaults --datadir=DIR [mariadbd args...]
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
)

const shareDir = "/usr/share/mysql"

// bootstrapFiles are the files mariadb-install-db concatenates, in its order; the help tables
// (2.4 MB, for the HELP statement) and the test database are left out.
var bootstrapFiles = []string{
	"mysql_system_tables.sql",
	"mysql_performance_tables.sql",
	"mysql_system_tables_data.sql",
	"maria_add_gis_sp_bootstrap.sql",
	"mysql_sys_schema.sql",
}

func fail(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "mariadb-init: "+format+"\n", a...)
	os.Exit(1)
}

// bootstrapSQL is what mariadb-install-db --auth-root-authentication-method=socket
// --skip-name-resolve --skip-test-db pipes into mariadbd: root may log in only through the
// unix socket as the OS user root, which never runs in the pod, so no one logs in as root.
func bootstrapSQL() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("create database if not exists mysql;\nuse mysql;\nSET @auth_root_socket='root';\n")
	for _, f := range bootstrapFiles {
		data, err := os.ReadFile(filepath.Join(shareDir, f))
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			if !strings.Contains(sc.Text(), "@current_hostname") { // --skip-name-resolve
				b.WriteString(sc.Text())
				b.WriteByte('\n')
			}
		}
		if err := sc.Err(); err != nil {
			return nil, err
		}
	}
	return b.Bytes(), nil
}

func main() {
	if len(os.Args) < 2 {
		fail("usage: mariadb-init /usr/sbin/mariadbd --no-defaults --datadir=DIR [args...]")
	}
	args := os.Args[1:]
	datadir := ""
	for _, a := range args {
		if v, ok := strings.CutPrefix(a, "--datadir="); ok {
			datadir = v
		}
	}
	if datadir == "" {
		fail("--datadir=DIR is required")
	}
	marker := filepath.Join(datadir, "mysql_upgrade_info")
	if _, err := os.Stat(marker); os.IsNotExist(err) {
		if err := os.MkdirAll(datadir, 0o750); err != nil {
			fail("%v", err)
		}
		entries, err := os.ReadDir(datadir)
		if err != nil {
			fail("%v", err)
		}
		for _, e := range entries {
			if e.Name() != "lost+found" {
				fail("%s has files but no mysql_upgrade_info (an interrupted first start?): refusing to bootstrap over them", datadir)
			}
		}
		sql, err := bootstrapSQL()
		if err != nil {
			fail("reading the bootstrap SQL: %v", err)
		}
		fmt.Fprintf(os.Stderr, "mariadb-init: creating the system tables in %s\n", datadir)
		boot := []string{"--no-defaults", "--bootstrap", "--datadir=" + datadir, "--log-warnings=0",
			"--enforce-storage-engine=", "--max_allowed_packet=8M", "--net_buffer_length=16K"}
		for _, a := range args[1:] { // the run's own tmpdir/innodb settings apply to the bootstrap too
			if strings.HasPrefix(a, "--tmpdir=") || strings.HasPrefix(a, "--innodb") {
				boot = append(boot, a)
			}
		}
		cmd := exec.Command(args[0], boot...)
		cmd.Stdin, cmd.Stdout, cmd.Stderr = bytes.NewReader(sql), os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			fail("mariadbd --bootstrap: %v", err)
		}
		out, err := exec.Command(args[0], "--version").Output()
		if err != nil {
			fail("mariadbd --version: %v", err)
		}
		version := strings.Fields(string(out))
		v := "unknown"
		for i, f := range version {
			if f == "Ver" && i+1 < len(version) {
				v = version[i+1]
			}
		}
		if i := strings.Index(v, "-MariaDB"); i >= 0 { // what mariadb-install-db writes: 10.11.19-MariaDB
			v = v[:i+len("-MariaDB")]
		}
		if err := os.WriteFile(marker, []byte(v), 0o644); err != nil {
			fail("%v", err)
		}
	}
	if err := syscall.Exec(args[0], args, os.Environ()); err != nil {
		fail("exec %s: %v", args[0], err)
	}
}
