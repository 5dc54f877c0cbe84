import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

// apt_need as a hosted runner runs it (not root, passwordless sudo) and as a machine with neither,
// against stand-ins for id, sudo, dpkg-query and apt-get that log their arguments.
const library = new URL("tools.sh", import.meta.url).pathname;
let dir = "";
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface Machine {
  uid: number;
  sudo: boolean; // passwordless sudo available
  installed: string[];
}

function fake(bin: string, name: string, body: string) {
  writeFileSync(join(bin, name), `#!/bin/bash\n${body}\n`);
  chmodSync(join(bin, name), 0o755);
}

function aptNeed(machine: Machine, ...packages: string[]): Promise<{ code: number; stderr: string }> {
  dir = mkdtempSync(join(tmpdir(), "apt-need-test-"));
  const bin = join(dir, "bin");
  mkdirSync(bin);
  fake(bin, "id", `echo ${machine.uid}`);
  fake(bin, "dpkg-query", `case " ${machine.installed.join(" ")} " in *" \${@: -1} "*) echo -n 'install ok installed';; esac`);
  fake(bin, "sudo", `echo "sudo $*" >>${dir}/sudo.log; ${machine.sudo ? 'shift; [[ $1 == true ]] || exec env "$@"' : "exit 1"}`);
  fake(bin, "apt-get", `echo "apt-get $*" >>${dir}/apt.log`);
  const script = `source ${library}; apt_need ${packages.join(" ")}`;
  return new Promise((resolve) => {
    execFile(
      "bash",
      ["-c", script],
      { env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, FLOTILLA_CACHE: join(dir, "cache") } },
      (error, _stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stderr }),
    );
  });
}

const log = (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), "utf8") : "");

describe("apt_need", () => {
  it("installs through passwordless sudo when not root (a hosted runner)", async () => {
    const run = await aptNeed({ uid: 1001, sudo: true, installed: ["curl"] }, "curl", "docker-registry");
    expect(run.code).toBe(0);
    expect(log("sudo.log")).toContain("sudo -n DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install");
    expect(log("apt.log")).toMatch(/apt-get .*install -y -qq --no-install-recommends docker-registry\n/);
  });

  it("refuses clearly when neither root nor passwordless sudo, running no apt-get", async () => {
    const run = await aptNeed({ uid: 1001, sudo: false, installed: [] }, "docker-registry");
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("tools: apt_need: not root and no passwordless sudo: install docker-registry (Debian packages) by hand\n");
    expect(log("apt.log")).toBe("");
  });

  it("runs apt-get itself as root, without sudo", async () => {
    const run = await aptNeed({ uid: 0, sudo: false, installed: [] }, "docker-registry");
    expect(run.code).toBe(0);
    expect(log("sudo.log")).toBe("");
    expect(log("apt.log")).toMatch(/install -y -qq --no-install-recommends docker-registry\n/);
  });

  it("does nothing when every package is installed", async () => {
    const run = await aptNeed({ uid: 1001, sudo: false, installed: ["curl", "git"] }, "curl", "git");
    expect(run).toEqual({ code: 0, stderr: "" });
    expect(log("apt.log") + log("sudo.log")).toBe("");
  });
});
