"""Small edits and reads of a rendered chart (`helm template` output) for tier k8s's controls.

  render-pick.py drop RENDER OUT KIND NAME_SUFFIX   writes RENDER to OUT without the objects of
                                                    KIND whose name ends with NAME_SUFFIX (exit 1
                                                    when there is none: the control would be vacuous)
  render-pick.py hook-script RENDER                 prints the script the helm test Pod runs with
                                                    node (its first argument)
"""

import sys

import yaml


def drop(render: str, out: str, kind: str, suffix: str) -> None:
    docs = [d for d in yaml.safe_load_all(open(render)) if d]
    keep = [d for d in docs if not (d["kind"] == kind and d["metadata"]["name"].endswith(suffix))]
    if len(keep) == len(docs):
        sys.exit(f"no {kind} named *{suffix} in {render}")
    yaml.safe_dump_all(keep, open(out, "w"))


def hook_script(render: str) -> None:
    pods = [d for d in yaml.safe_load_all(open(render)) if d and d["kind"] == "Pod"]
    if not pods:
        sys.exit(f"no helm test Pod in {render}")
    container = pods[0]["spec"]["containers"][0]
    if container["command"][:1] != ["/usr/local/bin/node"]:
        sys.exit(f"the helm test Pod does not run node: {container['command']}")
    print(container["args"][0])


if __name__ == "__main__":
    match sys.argv[1:]:
        case ["drop", render, out, kind, suffix]:
            drop(render, out, kind, suffix)
        case ["hook-script", render]:
            hook_script(render)
        case _:
            sys.exit(__doc__)
