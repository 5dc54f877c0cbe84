import { describe, expect, it } from "vitest";
import { python3, scratchDir } from "./test-helpers.ts";

const script = new URL("task-definition.py", import.meta.url).pathname;
const { file } = scratchDir("task-definition");
const old = "123.dkr.ecr.eu-west-1.amazonaws.com/flotilla/hello@sha256:1111";
const ref = "123.dkr.ecr.eu-west-1.amazonaws.com/flotilla/hello@sha256:2222";
// as describe-task-definition answers: read-only fields beside the ones register accepts
const current = {
  taskDefinitionArn: "arn:aws:ecs:eu-west-1:123:task-definition/flotilla-dev-hello:4",
  revision: 4,
  status: "ACTIVE",
  registeredAt: "2026-12-07T10:00:00Z",
  family: "flotilla-dev-hello",
  taskRoleArn: "arn:aws:iam::123:role/task",
  executionRoleArn: "arn:aws:iam::123:role/exec",
  networkMode: "awsvpc",
  containerDefinitions: [
    { name: "hello", image: old, portMappings: [{ containerPort: 3000 }] },
    { name: "log-router", image: "fluent-bit" },
  ],
  volumes: [],
  requiresCompatibilities: ["FARGATE"],
  cpu: "256",
  memory: "512",
};

describe("pipeline/lib/task-definition.py", () => {
  it("the next revision: the service's container on REF, only what register accepts", async () => {
    const run = await python3([script, file("td.json", current), "hello", ref]);
    expect(run.code).toBe(0);
    const next = JSON.parse(run.stdout);
    expect(Object.keys(next).sort()).toEqual(
      [
        "containerDefinitions",
        "cpu",
        "executionRoleArn",
        "family",
        "memory",
        "networkMode",
        "requiresCompatibilities",
        "taskRoleArn",
      ].sort(),
    );
    expect(next.containerDefinitions).toEqual([
      { name: "hello", image: ref, portMappings: [{ containerPort: 3000 }] },
      { name: "log-router", image: "fluent-bit" },
    ]);
  });

  it("nothing when the container already runs REF", async () => {
    expect(await python3([script, file("td.json", current), "hello", old])).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("exit 1 when no container is named after the service", async () => {
    expect(await python3([script, file("td.json", current), "stats", ref])).toMatchObject({ code: 1, stdout: "" });
  });

  it("bad input: not a task definition (the CLI's error), other arguments: exit 2", async () => {
    expect((await python3([script, file("err.json", "An error occurred (ClientException)"), "hello", ref])).code).toBe(2);
    expect((await python3([script, file("obj.json", { family: "x" }), "hello", ref])).code).toBe(2);
    expect((await python3([script, file("td.json", current), "hello"])).code).toBe(2);
  });
});
