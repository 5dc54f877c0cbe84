"""Run the real hello service (from source, Node 24) with the configuration a render gives it.

usage: python hello-with-render.py RENDER.yaml NODE HOOK.mjs

Takes the hello Deployment's plain env and its ConfigMap from RENDER, lays the ConfigMap out
the way the kubelet does (files are symlinks through an atomically swapped `..data` link),
starts the service on a loopback port, and checks:
  1. `/` shows the ConfigMap's messages (MESSAGES_FILE points into the directory mount);
  2. a kubelet-style ConfigMap update (swap of `..data`) reaches the running process;
  3. the helm test hook script (HOOK.mjs) passes against it;
  4. SIGTERM ends it with exit code 0 before terminationGracePeriodSeconds.
"""

import json
import os
import pathlib
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

import yaml
from procutil import free_port, wait_for

ROOT = pathlib.Path(__file__).resolve().parents[2]


def get(url: str, accept: str = "*/*") -> tuple[int, str]:
    req = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(req, timeout=2) as res:
        return res.status, res.read().decode()


def kubelet_write(mount: pathlib.Path, data: dict[str, str], version: int) -> None:
    """Write a ConfigMap volume like the kubelet's atomic writer: ..<ts>/ + ..data symlink swap."""
    payload = mount / f"..v{version}"
    payload.mkdir()
    for key, value in data.items():
        (payload / key).write_text(value)
        link = mount / key
        if not link.is_symlink():
            link.symlink_to(f"..data/{key}")
    tmp = mount / "..data_tmp"
    tmp.symlink_to(payload.name)
    os.replace(tmp, mount / "..data")


def main() -> None:
    render, node, hook = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3]).read_text()
    docs = [d for d in yaml.safe_load_all(open(render)) if d]
    dep = next(d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"].endswith("-hello"))
    pod = dep["spec"]["template"]["spec"]
    container = pod["containers"][0]
    cm_name = next(v["configMap"]["name"] for v in pod["volumes"] if "configMap" in v)
    cm = next(d for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["name"] == cm_name)
    cm_mount = next(m["mountPath"] for m in container["volumeMounts"] if m["name"] != "tmp")

    with tempfile.TemporaryDirectory() as tmpdir:
        mount = pathlib.Path(tmpdir, "etc-hello")
        mount.mkdir()
        scratch = pathlib.Path(tmpdir, "tmp")
        scratch.mkdir()
        kubelet_write(mount, cm["data"], 1)
        port = free_port()
        env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME")}
        for e in container["env"]:
            if "value" in e:
                env[e["name"]] = e["value"].replace(cm_mount, str(mount), 1)
        env.update(PORT=str(port), TMPDIR=str(scratch), POD_NAME="hello-test-pod", POD_NAMESPACE="flotilla",
                   NODE_NAME="node-1")
        messages_file = env["MESSAGES_FILE"]
        assert messages_file.startswith(str(mount)), f"MESSAGES_FILE {messages_file} is outside the ConfigMap mount"
        base = f"http://127.0.0.1:{port}"
        log = open(pathlib.Path(tmpdir, "hello.log"), "w+")
        proc = subprocess.Popen([node, "src/main.ts"], cwd=ROOT / "services" / "hello", env=env,
                                stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for("readiness", lambda: get(base + "/readyz")[0] == 200, 30)
            want = [line for line in cm["data"][os.path.basename(messages_file)].splitlines() if line.strip()]
            shown = json.loads(get(base + "/", "application/json")[1])["messages"]
            assert shown == want, f"/ shows {shown}, ConfigMap has {want}"
            print(f"ok: / shows the ConfigMap messages {shown}")

            kubelet_write(mount, {os.path.basename(messages_file): "Rolled out without a restart\n"}, 2)
            wait_for("the ConfigMap update", lambda: json.loads(get(base + "/", "application/json")[1])["messages"]
                     == ["Rolled out without a restart"], 15)
            print("ok: a kubelet-style ConfigMap update reached the running process")

            hook_env = dict(env, TEST_URL=base + "/hello", TEST_EXPECT_BODY="hello")
            subprocess.run([node, "--input-type=module", "-e", hook], env=hook_env, check=True, timeout=20)
            print("ok: the helm test script passes against the real service")

            grace = pod["terminationGracePeriodSeconds"]
            started = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=grace)
            took = time.monotonic() - started
            assert code == 0, f"exit code {code} after SIGTERM"
            print(f"ok: SIGTERM -> exit 0 in {took:.1f}s (grace period {grace}s)")
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            if sys.exc_info()[0] is not None:
                log.seek(0)
                print("service log (tail):\n" + log.read()[-3000:], file=sys.stderr)
            log.close()


if __name__ == "__main__":
    main()
