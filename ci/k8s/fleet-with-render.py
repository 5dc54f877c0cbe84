"""Run every kit service of the registry (from source, Node 24) as a render configures them.

usage: python fleet-with-render.py RENDER.yaml NODE HOOK.mjs

For each of their Deployments (hello's ConfigMap reload has its own script, hello-with-render.py), every container of the pod (routeguide: the server and its
backend sidecar) starts with the rendered plain env; container ports are mapped to free loopback
ports (env values naming a port or 127.0.0.1:<port> follow), DATA_DIR and TMPDIR go to temp
dirs. Then, as the kubelet would:
  1. every startup, liveness and readiness probe answers: HTTP 200 on its path, or gRPC health
     SERVING on its port (what `grpc: {port}` asks);
  2. the service's `helm test` Pod script (HOOK.mjs) passes with the rendered TEST_URL path;
     routeguide: the client Job's command (src/client.ts, all four RPCs) passes against the server,
     through the sidecar backend (RouteChat needs it);
  3. SIGTERM ends every container with exit code 0 within terminationGracePeriodSeconds.
Prints one line per check; exits non-zero on the first failure.
"""

import json
import os
import pathlib
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import yaml
from procutil import free_port, wait_for

ROOT = pathlib.Path(__file__).resolve().parents[2]
PROBE_TIMEOUT = float(os.environ.get("FLEET_PROBE_TIMEOUT", "30"))  # the negative control shortens it

# Unary grpc.health.v1.Health/Check with raw bytes: request {} is empty, response
# {status: SERVING} is field 1 varint 1 = 08 01.
GRPC_HEALTH = """
import * as grpc from "@grpc/grpc-js";
const c = new grpc.Client(process.argv[1], grpc.credentials.createInsecure());
c.makeUnaryRequest("/grpc.health.v1.Health/Check", (b) => b, (b) => b, Buffer.alloc(0),
  { deadline: Date.now() + 2000 }, (err, res) => {
    c.close();
    if (err || !res.equals(Buffer.from([8, 1]))) { console.error(err?.message ?? res); process.exit(1); }
  });
"""


def http_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as res:
            return res.status
    except urllib.error.HTTPError as e:
        return e.code


def kit_members(node: str) -> dict[str, pathlib.Path]:
    """The registry's members built on the service kit (those with an OpenAPI document), by name."""
    out = subprocess.run([node, str(ROOT / "scripts/registry.ts"), "json"], check=True, capture_output=True, text=True)
    return {m["name"]: ROOT / m["dir"] for m in json.loads(out.stdout) if m["openapi"]}


def config_maps(docs: list[dict], pod: dict, c: dict, tmp: pathlib.Path) -> dict[str, str]:
    """Writes the ConfigMaps the container mounts into tmp; returns mount path -> where it now is."""
    moved = {}
    for m in c.get("volumeMounts", []):
        vol = next((v for v in pod.get("volumes", []) if v["name"] == m["name"] and "configMap" in v), None)
        if vol is None:
            continue
        cm = next(d for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["name"] == vol["configMap"]["name"])
        where = tmp / "configmaps" / m["name"]
        where.mkdir(parents=True)
        for key, text in cm.get("data", {}).items():
            (where / key).write_text(text)
        moved[m["mountPath"]] = str(where)
    return moved


def run_service(name: str, src: pathlib.Path, dep: dict, test_pod: dict | None, node: str, hook: str, work: pathlib.Path,
                docs: list[dict]) -> None:
    pod = dep["spec"]["template"]["spec"]
    containers = pod.get("initContainers", []) + pod["containers"]  # sidecars start first
    ports = {p["containerPort"]: free_port() for c in containers for p in c.get("ports", [])}
    procs: list[tuple[str, subprocess.Popen, object]] = []
    try:
        for c in containers:
            tmp = work / f"{name}-{c['name']}"
            (tmp / "data").mkdir(parents=True)
            env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME")}
            moved = config_maps(docs, pod, c, tmp)
            for e in c.get("env", []):
                if "value" not in e:
                    continue
                v = e["value"]
                for mount, where in moved.items():  # a path into a mounted ConfigMap follows it
                    if v == mount or v.startswith(mount + "/"):
                        v = where + v[len(mount):]
                if v.isdigit() and int(v) in ports:
                    v = str(ports[int(v)])
                elif v.startswith("127.0.0.1:") and int(v.rsplit(":", 1)[1]) in ports:
                    v = f"127.0.0.1:{ports[int(v.rsplit(':', 1)[1])]}"
                env[e["name"]] = v
            env.update(TMPDIR=str(tmp), HOST="127.0.0.1", POD_NAME=f"{name}-0", POD_NAMESPACE="flotilla", NODE_NAME="node-1")
            if "DATA_DIR" in env:
                env["DATA_DIR"] = str(tmp / "data")
            log = open(tmp / "log", "w+")
            proc = subprocess.Popen([node, "src/main.ts"], cwd=src, env=env,
                                    stdout=log, stderr=subprocess.STDOUT)
            procs.append((c["name"], proc, log))

        for c in containers:
            named = {p["name"]: ports[p["containerPort"]] for p in c.get("ports", [])}
            for kind in ("startupProbe", "livenessProbe", "readinessProbe"):
                p = c[kind]
                if "httpGet" in p:
                    url = f"http://127.0.0.1:{named[p['httpGet']['port']]}{p['httpGet']['path']}"
                    wait_for(f"{name}/{c['name']} {kind} {url}", lambda u=url: http_status(u) == 200, PROBE_TIMEOUT)
                    print(f"ok   {name}/{c['name']}: {kind} GET {p['httpGet']['path']} -> 200")
                else:
                    addr = f"127.0.0.1:{ports[p['grpc']['port']]}"
                    wait_for(f"{name}/{c['name']} {kind} gRPC health {addr}", lambda a=addr: subprocess.run(
                        [node, "--input-type=module", "-e", GRPC_HEALTH, a], cwd=src,
                        capture_output=True, timeout=10).returncode == 0, PROBE_TIMEOUT)
                    print(f"ok   {name}/{c['name']}: {kind} gRPC health on port {p['grpc']['port']} -> SERVING")

        main = pod["containers"][0]
        http = next(p["containerPort"] for p in main["ports"] if p["name"] == "http")
        if test_pod:
            tenv = {e["name"]: e["value"] for e in test_pod["spec"]["containers"][0]["env"]}
            path = "/" + tenv["TEST_URL"].split("/", 3)[3]
            run_env = dict(os.environ, TEST_URL=f"http://127.0.0.1:{ports[http]}{path}", TEST_EXPECT_BODY=tenv["TEST_EXPECT_BODY"])
            subprocess.run([node, "--input-type=module", "-e", hook], env=run_env, check=True, timeout=20)
            print(f"ok   {name}: the helm test script passes on GET {path}")
        if name == "routeguide":
            grpc = next(p["containerPort"] for p in main["ports"] if p["name"] == "grpc")
            out = subprocess.run([node, "src/client.ts"], cwd=src, capture_output=True, text=True,
                                 env=dict(os.environ, ROUTEGUIDE_ADDR=f"127.0.0.1:{ports[grpc]}"), timeout=60)
            if out.returncode != 0:
                raise SystemExit(f"FAIL routeguide client: exit {out.returncode}\n{out.stdout[-2000:]}{out.stderr[-2000:]}")
            print("ok   routeguide: the client Job's command (4 RPCs, RouteChat through the sidecar backend) exits 0")

        grace = pod["terminationGracePeriodSeconds"]
        for cname, proc, _ in reversed(procs):  # the kubelet stops sidecars after the main container
            started = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=grace)
            if code != 0:
                raise SystemExit(f"FAIL {name}/{cname}: exit code {code} after SIGTERM")
            print(f"ok   {name}/{cname}: SIGTERM -> exit 0 in {time.monotonic() - started:.1f}s (grace {grace}s)")
    except BaseException:
        for cname, _, log in procs:
            log.seek(0)
            print(f"--- {name}/{cname} log (tail):\n{log.read()[-2000:]}", file=sys.stderr)
        raise
    finally:
        for _, proc, log in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            log.close()


def main() -> None:
    render, node, hook = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3]).read_text()
    docs = [d for d in yaml.safe_load_all(open(render)) if d]
    with tempfile.TemporaryDirectory() as tmpdir:
        for name, src in kit_members(node).items():
            dep = next(d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"].endswith(f"-{name}"))
            test = next((d for d in docs if d["kind"] == "Pod" and d["metadata"]["name"].endswith(f"-{name}-test")), None)
            run_service(name, src, dep, test, node, hook, pathlib.Path(tmpdir), docs)


if __name__ == "__main__":
    main()
