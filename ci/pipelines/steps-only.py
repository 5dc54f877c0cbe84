"""No logic lives only in a CI wrapper: every step of every wrapper calls a script of the
repository's pipeline/ folder, so a laptop runs exactly what CI runs.

  python3 steps-only.py [--jenkins-lib DIR] FILE...   (Jenkinsfile*, *.yml workflows, CircleCI config)

- GitHub Actions: every `run:` step calls a pipeline script; `uses:` steps (runner setup: checkout,
  node, cloud credentials) and reusable-workflow jobs are wiring, not logic.
- CircleCI: every `run` step, also inside reusable commands, calls a pipeline script; the built-in steps
  (checkout, workspace, cache, artifacts) are wiring.
- Jenkins: every stage with `steps` calls pipeline through `sh` or a shared-library step, and
  every `sh` in the Jenkinsfile and the library (vars/*.groovy) runs a pipeline script.
Exit 1 with one line per offending step.
"""

import argparse
import re
import sys
from pathlib import Path

import yaml

# A command that runs a pipeline script: pipeline/... as the command word (of a line, after && ; |
# or bash/sh), not merely as an argument of some other command.
STEPS_SCRIPT = re.compile(r"(?m)(^\s*|[;&|(]\s*|\b(?:bash|sh)\s+)(\./)?pipeline/[\w-]+")
CIRCLE_WIRING = {"checkout", "attach_workspace", "persist_to_workspace", "save_cache", "restore_cache",
                 "store_artifacts", "store_test_results", "setup_remote_docker", "add_ssh_keys", "when", "unless"}
problems: list[str] = []


def github(path: Path, doc: dict) -> None:
    for job_id, job in (doc.get("jobs") or {}).items():
        for i, step in enumerate(job.get("steps") or []):
            if "run" in step and not STEPS_SCRIPT.search(step["run"]):
                problems.append(f"{path}: job {job_id}, step {i + 1} runs {step['run'].strip()[:60]!r}, not a pipeline script")


def circleci(path: Path, doc: dict) -> None:
    commands = doc.get("commands") or {}

    def check(where: str, steps: list) -> None:
        for i, step in enumerate(steps or []):
            name, body = (step, None) if isinstance(step, str) else next(iter(step.items()))
            if name == "run":
                command = body if isinstance(body, str) else (body or {}).get("command", "")
                if not STEPS_SCRIPT.search(command):
                    problems.append(f"{path}: {where}, step {i + 1} runs {command.strip()[:60]!r}, not a pipeline script")
            elif name in commands:
                continue  # checked once, as a command, below
            elif name not in CIRCLE_WIRING:
                problems.append(f"{path}: {where}, step {i + 1} uses {name!r}: neither a pipeline script nor wiring")

    for name, command in commands.items():
        check(f"command {name}", command.get("steps"))
    for name, job in (doc.get("jobs") or {}).items():
        check(f"job {name}", job.get("steps"))


def blocks(text: str, keyword: str):
    """(label, body) of every `keyword('label') { body }` in Groovy text, braces balanced."""
    for m in re.finditer(rf"\b{keyword}\s*\(\s*['\"]([^'\"]+)['\"]\s*\)\s*\{{", text):
        depth, i = 1, m.end()
        while depth and i < len(text):
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        yield m.group(1), text[m.end():i - 1]


def strip_comments(text: str) -> str:
    return re.sub(r"(?m)^\s*//[^\n]*|/\*.*?\*/", "", text, flags=re.S)


def sh_commands(groovy: str) -> list[str]:
    """The shell command of every `sh '...'` / `sh(script: '...')` in Groovy text."""
    return [m.group(2) for m in re.finditer(r"\bsh\s*\(?\s*(?:script:\s*)?(['\"])(.*?)\1", groovy)]


def runs_steps(groovy: str) -> bool:
    return any(STEPS_SCRIPT.search(c) for c in sh_commands(groovy))


def jenkins(path: Path, lib: Path | None) -> None:
    library = {p.stem: strip_comments(p.read_text()) for p in sorted(lib.glob("*.groovy"))} if lib else {}
    text = strip_comments(path.read_text())
    for where, source in [(str(path), text), *((f"{lib}/{n}.groovy", s) for n, s in library.items())]:
        for command in sh_commands(source):
            if not STEPS_SCRIPT.search(command):
                problems.append(f"{where}: sh {command[:60]!r} is not a pipeline script")
    for stage, body in blocks(text, "stage"):
        if re.search(r"\bstages\s*\{", body) or not re.search(r"\bsteps\s*\{", body):
            continue  # a stage of stages: its children are checked themselves
        via_lib = [n for n in library if re.search(rf"\b{n}\s*\(", body) and runs_steps(library[n])]
        if not runs_steps(body) and not via_lib:
            problems.append(f"{path}: stage {stage!r} calls no pipeline script")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--jenkins-lib", type=Path, help="the shared library's vars/ folder")
    ap.add_argument("files", nargs="+", type=Path)
    args = ap.parse_args()
    for path in args.files:
        if path.name.startswith("Jenkinsfile"):
            jenkins(path, args.jenkins_lib)
            continue
        doc = yaml.safe_load(path.read_text()) or {}
        (circleci if "version" in doc and "workflows" in doc else github)(path, doc)
    for p in problems:
        print(p)
    print(f"{len(args.files)} file(s): " + (f"{len(problems)} step(s) with logic of their own" if problems else "every step calls a pipeline script"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
