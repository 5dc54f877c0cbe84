#!/usr/bin/env python3
"""environments.py [--workflows DIR] [--declaration FILE]: the GitHub workflows against the OIDC trust.

deploy/terraform/environments.json declares the delivery environments, their branches and the roles
GitHub may assume in each; Terraform builds each role's trust from it (modules/platform/github.tf).
This check reads every workflow, works out which token subject each job that assumes an AWS role
presents (environment:NAME, pull_request or ref:refs/heads/BRANCH) and to which role, and fails
  - when a job presents a subject its role does not trust (an undeclared environment such as
    `production`, a branch the environment does not deploy from, a pull request in an environment),
  - when a trusted subject is presented by no job (trust nobody needs),
  - when a job could act for another repository's code (pull_request_target, workflow_run) or
    overrides the repository Terraform binds the trust to (GITHUB_REPOSITORY),
  - when an environment's namespace (which the deploy role may edit) is not the one its Flux
    overlay, deploy/flux/infrastructure/NAME (its fleet/ folder), gives the fleet.
Prints one line per problem, exits 1 if any. Needs PyYAML (checkov's venv, the system's python3-yaml).
"""
import argparse
import itertools
import json
import os
import re
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = Path(os.environ.get("REPO_ROOT", HERE.parents[2]))
KINDS = ("pull_request", "environment", "branch")
ROLE_IN_NAME = re.compile(r"github-(plan|apply|deploy)\b|AWS_(PLAN|APPLY|DEPLOY)_ROLE", re.I)
EXPR = re.compile(r"^\$\{\{\s*(matrix|inputs)\.([\w-]+)\s*\}\}$")
ENV_IN_ROLE = re.compile(r"flotilla-(\$\{\{\s*matrix\.([\w-]+)\s*\}\}|[a-z0-9]+)-github-")


def load_declaration(path):
    """The declaration, with every problem in it named at once."""
    decl = json.loads(Path(path).read_text())
    problems = []
    subjects, envs = decl.get("subjects"), decl.get("environments")
    if not isinstance(subjects, dict) or not subjects:
        problems.append("subjects: a map of role -> pull_request|environment|branch is required")
        subjects = {}
    if not isinstance(envs, dict) or not envs:
        problems.append("environments: a map of name -> {branches, roles} is required")
        envs = {}
    for role, kind in subjects.items():
        if kind not in KINDS:
            problems.append(f"subjects.{role}: {kind!r} is not one of {', '.join(KINDS)}")
    for name, env in envs.items():
        if not env.get("namespace"):
            problems.append(f"environments.{name}.namespace: the Kubernetes namespace of its fleet")
        if not env.get("branches"):
            problems.append(f"environments.{name}.branches: at least one branch")
        for role in env.get("roles", []):
            if role not in subjects:
                problems.append(f"environments.{name}.roles: {role!r} has no entry in subjects")
    if problems:
        raise SystemExit("environments.json: " + "; ".join(problems))
    return decl


def trusted(decl):
    """{(role, environment, subject)}: what the roles Terraform creates trust."""
    out = set()
    for name, env in decl["environments"].items():
        for role in env.get("roles", []):
            kind = decl["subjects"][role]
            if kind == "pull_request":
                out.add((role, name, "pull_request"))
            elif kind == "environment":
                out.add((role, name, f"environment:{name}"))
            else:
                out.update((role, name, f"ref:refs/heads/{b}") for b in env["branches"])
    return out


def triggers(doc):
    """{event: branches or None (any)} of a workflow. PyYAML reads the key `on` as True."""
    on = doc.get("on", doc.get(True))
    if isinstance(on, str):
        on = {on: None}
    elif isinstance(on, list):
        on = {e: None for e in on}
    out = {}
    for event, spec in (on or {}).items():
        out[event] = (spec or {}).get("branches") if isinstance(spec, dict) else None
    return out


def values(expr, matrix, inputs):
    """The values an expression can take: a literal, ${{ matrix.X }} or ${{ inputs.X }}."""
    if expr is None:
        return [None]
    if isinstance(expr, dict):  # environment: {name: ..., url: ...}
        expr = expr.get("name")
    m = EXPR.match(str(expr).strip())
    if not m:
        return [str(expr)]
    source, key = m.groups()
    if source == "matrix":
        got = matrix.get(key)
        return [str(v) for v in got] if isinstance(got, list) else [None]
    return inputs.get(key, [None])


def narrow(events, condition):
    """The events and refs a job's `if:` leaves (github.event_name == 'X', github.ref == 'Y')."""
    condition = str(condition or "")
    names = re.findall(r"github\.event_name\s*==\s*'([\w-]+)'", condition)
    refs = re.findall(r"github\.ref\s*==\s*'refs/heads/([^']+)'", condition)
    out = {e: b for e, b in events.items() if not names or e in names}
    if refs:
        out = {e: [x for x in (b or refs) if x in refs] for e, b in out.items()}
    return out


class Lint:
    def __init__(self, decl, workflows):
        self.decl = decl
        self.trust = trusted(decl)
        self.docs = {p.name: yaml.safe_load(p.read_text()) for p in sorted(Path(workflows).glob("*.y*ml"))}
        self.used = set()
        self.problems = []

    def problem(self, where, text):
        self.problems.append(f"{where}: {text}")

    def run(self):
        called = {Path(job["uses"]).name for doc in self.docs.values() for job in (doc.get("jobs") or {}).values()
                  if str(job.get("uses", "")).startswith("./")}
        for name, doc in self.docs.items():
            if name in called and set(triggers(doc)) <= {"workflow_call"}:
                continue  # checked through each caller, with the caller's triggers and inputs
            self.workflow(name, doc, triggers(doc), {})
        for role, env, subject in sorted(self.trust - self.used):
            self.problem("environments.json", f"role {role} of {env} trusts {subject}, but no workflow job presents it "
                         "(remove it from the declaration, or add the job)")
        return self.problems

    def workflow(self, name, doc, events, inputs):
        for bad in ("pull_request_target", "workflow_run"):
            if bad in events:
                self.problem(name, f"runs on {bad}: code of another repository could reach a role's trust")
        for job_id, job in (doc.get("jobs") or {}).items():
            where = f"{name} job {job_id}"
            matrix = (job.get("strategy") or {}).get("matrix") or {}
            job_events = narrow(events, job.get("if"))
            if str(job.get("uses", "")).startswith("./"):
                called = Path(job["uses"]).name
                if called not in self.docs:
                    self.problem(where, f"calls {job['uses']}, which does not exist")
                    continue
                combos = self.combinations(job.get("with") or {}, matrix, inputs)
                for combo in combos:
                    self.workflow(called, self.docs[called], job_events, combo)
                continue
            self.job(where, job, job_events, matrix, inputs)

    def combinations(self, with_, matrix, inputs):
        """One input set per matrix combination a caller passes to a reusable workflow."""
        keys = list(with_)
        choices = [values(with_[k], matrix, inputs) for k in keys]
        return [{k: [v] for k, v in zip(keys, combo)} for combo in itertools.product(*choices)] or [{}]

    def job(self, where, job, events, matrix, inputs):
        roles = [s.get("with", {}).get("role-to-assume") for s in job.get("steps") or []
                 if "configure-aws-credentials" in str(s.get("uses", ""))]
        if not roles:
            return
        env_vars = {**(job.get("env") or {})}
        for var in ("GITHUB_REPOSITORY", "TF_VAR_github_repository"):
            if var in env_vars:
                self.problem(where, f"sets {var}: the trust is bound to the repository the workflow runs in")
        environments = values(job.get("environment"), matrix, inputs)
        for role_expr in roles:
            for role_value in values(role_expr, matrix, inputs):
                self.assume(where, role_value, environments, events, matrix)

    def assume(self, where, role_value, environments, events, matrix):
        m = ROLE_IN_NAME.search(str(role_value or ""))
        if not m:
            self.problem(where, f"cannot tell which role {role_value!r} is (name it flotilla-ENV-github-ROLE or "
                         "pass it in a variable AWS_ROLE_ROLE_ARN)")
            return
        role = (m.group(1) or m.group(2)).lower()
        declared = self.decl["environments"]
        for environment in environments:
            # the environment whose role it is: in the role's name, else the job's environment
            named = ENV_IN_ROLE.search(str(role_value))
            if named and named.group(2):
                role_envs = [str(v) for v in matrix.get(named.group(2), [])] if environment is None else [environment]
            elif named:
                role_envs = [named.group(1)]
            else:
                role_envs = [environment]
            for role_env in role_envs:
                if role_env is None:
                    self.problem(where, f"assumes the {role} role with no environment: cannot tell whose role it is")
                    continue
                if environment is not None and environment != role_env:
                    self.problem(where, f"runs in environment {environment} but assumes {role_env}'s {role} role")
                for subject in self.subjects(where, environment, events):
                    if role_env not in declared:
                        self.problem(where, f"environment {role_env!r} is not declared in environments.json "
                                     f"(declared: {', '.join(declared)})")
                    elif (role, role_env, subject) in self.trust:
                        self.used.add((role, role_env, subject))
                    else:
                        self.problem(where, f"presents {subject} to the {role} role of {role_env}, which trusts only "
                                     f"{', '.join(sorted(s for r, e, s in self.trust if (r, e) == (role, role_env))) or 'nothing (no such role)'}")

    def subjects(self, where, environment, events):
        """The token subjects a job presents: its environment, or its event and branch."""
        if environment is not None:
            branches = self.decl["environments"].get(environment, {}).get("branches", [])
            for event, pushed in events.items():
                if event == "pull_request":
                    self.problem(where, f"a pull request runs in environment {environment}")
                elif event == "push" and pushed is None:
                    self.problem(where, f"any pushed branch runs in environment {environment} (deploys from {', '.join(branches)})")
                elif event == "push":
                    for b in pushed:
                        if b not in branches:
                            self.problem(where, f"branch {b} runs in environment {environment}, which deploys from {', '.join(branches) or 'no branch'}")
            return [f"environment:{environment}"]
        out = []
        for event, pushed in events.items():
            if event == "pull_request":
                out.append("pull_request")
            elif event == "push" and pushed:
                out.extend(f"ref:refs/heads/{b}" for b in pushed)
            else:
                self.problem(where, f"on {event} it assumes a role from any branch (give the job an environment or an `if:`)")
        return out


def flux_namespaces(decl, infrastructure):
    """Each environment's namespace against its Flux overlay's `namespace:`: the overlay's fleet/
    folder (the fleet's namespace and guard rails, beside the cluster's add-ons), or the overlay."""
    problems = []
    for name, env in decl["environments"].items():
        overlay = Path(infrastructure) / name / "fleet" / "kustomization.yaml"
        if not overlay.is_file():
            overlay = Path(infrastructure) / name / "kustomization.yaml"
        if not overlay.is_file():
            problems.append(f"environments.json: environment {name} has no Flux overlay {overlay}")
            continue
        got = (yaml.safe_load(overlay.read_text()) or {}).get("namespace")
        if got != env["namespace"]:
            problems.append(f"environments.json: {name}'s namespace is {env['namespace']}, its Flux overlay's {got}")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workflows", default=str(REPO / ".github" / "workflows"))
    parser.add_argument("--declaration", default=str(HERE.parent / "environments.json"))
    parser.add_argument("--flux", default=str(REPO / "deploy" / "flux" / "infrastructure"))
    args = parser.parse_args(argv)
    decl = load_declaration(args.declaration)
    problems = Lint(decl, args.workflows).run() + flux_namespaces(decl, args.flux)
    for p in problems:
        print(p)
    if problems:
        print(f"environments: {len(problems)} problem(s) between the workflows and environments.json", file=sys.stderr)
        return 1
    print("environments: every job's OIDC subject is trusted, every trusted subject is used, every namespace is its Flux overlay's")
    return 0


if __name__ == "__main__":
    sys.exit(main())
