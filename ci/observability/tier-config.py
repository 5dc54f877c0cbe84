"""Writes the observability tier's Prometheus and Alertmanager configuration from the committed
ones, so the tier runs what users run, on the tier's ports and clock:
- prometheus.yml: prometheus.local.yml (the `npm start` config: job flotilla, honor_labels, file_sd)
  plus the exporter jobs of prometheus.compose.yml, every target moved to the tier's ports, 2 s
  scrape/evaluation intervals;
- rules/: the committed rules with every `for` capped at FOR (a test override: the real values
  are tested by promtool's unit tests);
- alertmanager.yml: the committed routes and inhibitions, receivers pointed at the tier's sink,
  group_wait/group_interval shortened;
- targets.json: the fleet's file_sd targets (NAME=PORT arguments, names from the registry).

usage: tier-config.py OUT MONITORING_DIR FOR PORTS_JSON NAME=PORT...
PORTS_JSON maps prometheus, alertmanager, sink, mysql, redis, mongodb to ports.
"""

import json
import pathlib
import re
import sys

import yaml

out, mon, cap = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]
ports = json.loads(sys.argv[4])
members = [a.split("=", 1) for a in sys.argv[5:]]


def seconds(d: str) -> int:
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    return sum(int(n) * units[u] for n, u in re.findall(r"(\d+)([smhd])", d))


out.mkdir(parents=True, exist_ok=True)
local = yaml.safe_load((mon / "prometheus/prometheus.local.yml").read_text())
compose = yaml.safe_load((mon / "prometheus/prometheus.compose.yml").read_text())
local["global"] = {"scrape_interval": "2s", "evaluation_interval": "2s"}
local["rule_files"] = [str(out / "rules/*.yml")]
local["alerting"]["alertmanagers"][0]["static_configs"] = [{"targets": [f"127.0.0.1:{ports['alertmanager']}"]}]
jobs = {j["job_name"]: j for j in local["scrape_configs"]}
jobs["flotilla"]["file_sd_configs"] = [{"files": [str(out / "targets.json")]}]
jobs["prometheus"]["static_configs"] = [{"targets": [f"127.0.0.1:{ports['prometheus']}"]}]
for j in compose["scrape_configs"]:
    if j["job_name"] in ("mysql", "redis", "mongodb", "alertmanager"):
        j["static_configs"] = [{"targets": [f"127.0.0.1:{ports[j['job_name']]}"]}]
        local["scrape_configs"].append(j)
(out / "prometheus.yml").write_text(yaml.safe_dump(local, sort_keys=False))

(out / "rules").mkdir(parents=True, exist_ok=True)
for f in sorted((mon / "rules").glob("*.yml")):
    doc = yaml.safe_load(f.read_text())
    for g in doc["groups"]:
        for r in g["rules"]:
            if "for" in r and seconds(r["for"]) > seconds(cap):
                r["for"] = cap
    (out / "rules" / f.name).write_text(yaml.safe_dump(doc, sort_keys=False))

am = yaml.safe_load((mon / "alertmanager/alertmanager.yml").read_text())
am["route"].update({"group_wait": "1s", "group_interval": "2s", "repeat_interval": "1h"})
for r in am["receivers"]:
    for w in r.get("webhook_configs", []):
        w["url"] = re.sub(r"^http://alerts\.invalid", f"http://127.0.0.1:{ports['sink']}", w["url"])
(out / "alertmanager.yml").write_text(yaml.safe_dump(am, sort_keys=False))

(out / "targets.json").write_text(json.dumps([{"targets": [f"127.0.0.1:{p}"], "labels": {"service": n}} for n, p in members], indent=2))
