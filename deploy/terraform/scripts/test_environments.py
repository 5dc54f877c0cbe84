"""Tests of environments.py: the repository's own workflows pass; each kind of mismatch fails.
Run: python3 -m unittest discover -s deploy/terraform/scripts -p 'test_*.py'"""
import json
import os
import shutil
import tempfile
import unittest
from pathlib import Path

from environments import Lint, flux_namespaces, load_declaration

SCRIPTS = Path(__file__).resolve().parent
DECLARATION = SCRIPTS.parent / "environments.json"
REPO = Path(os.environ.get("REPO_ROOT", SCRIPTS.parents[2]))
WORKFLOWS = REPO / ".github" / "workflows"
FLUX = REPO / "deploy" / "flux" / "infrastructure"

DEPLOY_JOB = """
on:
  push:
    branches: [{branch}]
jobs:
  deploy:
    runs-on: ubuntu-24.04
    environment: {environment}
    steps:
      - uses: aws-actions/configure-aws-credentials@0000000000000000000000000000000000000000
        with:
          role-to-assume: {role}
"""


class Case(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.dir)
        self.workflows = self.dir / "workflows"
        shutil.copytree(WORKFLOWS, self.workflows)
        self.declaration = self.dir / "environments.json"
        shutil.copy(DECLARATION, self.declaration)

    def lint(self):
        return Lint(load_declaration(self.declaration), self.workflows).run()

    def edit(self, name, old, new):
        path = self.workflows / name
        text = path.read_text()
        self.assertIn(old, text, f"the fixture no longer has {old!r} in {name}")
        path.write_text(text.replace(old, new))

    def declare(self, change):
        decl = json.loads(self.declaration.read_text())
        change(decl)
        self.declaration.write_text(json.dumps(decl))

    def add(self, name, **fields):
        (self.workflows / name).write_text(DEPLOY_JOB.format(**fields))

    def assertProblem(self, fragment):
        problems = self.lint()
        self.assertTrue(any(fragment in p for p in problems), f"no problem mentions {fragment!r}: {problems}")


class TheRepository(Case):
    def test_its_workflows_match_the_declaration(self):
        self.assertEqual(self.lint(), [])

    def test_its_namespaces_are_the_flux_overlays(self):
        self.assertEqual(flux_namespaces(load_declaration(self.declaration), FLUX), [])

    def test_every_trusted_subject_is_presented(self):
        lint = Lint(load_declaration(self.declaration), self.workflows)
        lint.run()
        self.assertEqual(lint.used, lint.trust)
        self.assertIn(("deploy", "prod", "environment:prod"), lint.used)
        self.assertIn(("deploy", "dev", "environment:dev"), lint.used)  # main.yml delivers to dev


class Refused(Case):
    def test_an_undeclared_environment(self):  # the bug of issue 21: production, not prod
        self.edit("main.yml", "environment: dev\n", "environment: production\n")
        self.assertProblem("environment 'production' is not declared")

    def test_a_branch_the_environment_does_not_deploy_from(self):
        self.edit("terraform.yml", "  push:\n    branches: [main]", "  push:\n    branches: [main, release]")
        self.edit("terraform.yml", "github.ref == 'refs/heads/main'", "github.ref != ''")
        self.assertProblem("branch release runs in environment dev, which deploys from main")

    def test_a_pull_request_in_an_environment(self):
        self.add("pr-deploy.yml", branch="main", environment="prod", role="${{ vars.AWS_DEPLOY_ROLE_ARN }}")
        self.edit("pr-deploy.yml", "on:\n  push:\n    branches: [main]", "on:\n  pull_request:")
        self.assertProblem("a pull request runs in environment prod")

    def test_a_role_without_trust_for_the_subject(self):  # dev without its deploy role
        self.declare(lambda d: d["environments"]["dev"]["roles"].remove("deploy"))
        self.assertProblem("presents environment:dev to the deploy role of dev, which trusts only nothing")

    def test_another_environments_role(self):
        self.add("cross.yml", branch="main", environment="prod", role="arn:aws:iam::1:role/flotilla-dev-github-apply")
        self.assertProblem("runs in environment prod but assumes dev's apply role")

    def test_a_role_it_cannot_name(self):
        self.add("anon.yml", branch="main", environment="prod", role="${{ vars.SOME_ROLE }}")
        self.assertProblem("cannot tell which role")

    def test_trust_no_workflow_uses(self):  # dev's delivery removed, its deploy role left trusted
        self.edit("main.yml", "environment: dev\n", "environment: prod\n")
        self.assertProblem("role deploy of dev trusts environment:dev, but no workflow job presents it")

    def test_a_branch_subject_nobody_presents(self):
        self.declare(lambda d: d["subjects"].update(apply="branch"))
        self.assertProblem("presents environment:dev to the apply role of dev, which trusts only ref:refs/heads/main")

    def test_code_of_another_repository(self):
        self.edit("terraform.yml", "on:\n  pull_request:", "on:\n  pull_request_target:\n  pull_request:")
        self.assertProblem("runs on pull_request_target")

    def test_a_repository_override(self):
        self.edit("terraform.yml", "      AWS_REGION: ${{ vars.AWS_REGION }}\n      TF_STATE_BUCKET",
                  "      AWS_REGION: ${{ vars.AWS_REGION }}\n      GITHUB_REPOSITORY: other/repo\n      TF_STATE_BUCKET")
        self.assertProblem("sets GITHUB_REPOSITORY")

    def test_a_namespace_flux_does_not_give_the_fleet(self):
        self.declare(lambda d: d["environments"]["prod"].update(namespace="flotilla"))
        problems = flux_namespaces(load_declaration(self.declaration), FLUX)
        self.assertEqual(problems, ["environments.json: prod's namespace is flotilla, its Flux overlay's flotilla-prod"])

    def test_a_declaration_with_errors_names_each(self):
        self.declare(lambda d: (d["subjects"].update(plan="anything"), d["environments"]["dev"].update(branches=[])))
        with self.assertRaises(SystemExit) as raised:
            self.lint()
        self.assertIn("subjects.plan: 'anything'", str(raised.exception))
        self.assertIn("environments.dev.branches", str(raised.exception))


if __name__ == "__main__":
    unittest.main()
