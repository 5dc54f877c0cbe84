// `npm run new-service -- <name>`: scaffolds an HTTP service of the fleet's one shape, ready to
// test, build, run and deploy:
//   services/<name>/  package.json (with its "flotilla" manifest: the registry finds it), README.md,
//                     src/config.ts (the config schema), src/app.ts, src/main.ts,
//                     src/routes/<name>.ts (one route and its zod schema) + <name>.test.ts beside it
//   deploy/helm/flotilla/values.yaml  a values block under services:
//   compose.yaml                      a service built from the one Node Dockerfile
// then links the workspace (npm install) and runs npm run generate: every derived file (README
// configuration table, docs/api/<name>.json, fleet.json, monitoring outputs, each environment's
// images and Kustomize render) includes it, so its first pull request passes the lint step.
// It succeeds whole or changes nothing: helm (for the Kustomize renders) is got first, the way
// every command gets it (tools/k8s.sh), and a failure after the first write puts every file back.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { helm, ToolMissing } from "./helm.ts";
import { readRegistry, root } from "./registry.ts";

const NAME = /^[a-z][a-z0-9-]{1,30}[a-z0-9]$/;
const PORT = 8080;

function die(message: string): never {
  console.error(`new-service: ${message}`);
  process.exit(2);
}

const name = process.argv[2] ?? die("usage: npm run new-service -- <name>   (lowercase letters, digits and dashes)");
if (!NAME.test(name)) die(`"${name}" is not a service name: 3-32 lowercase letters, digits and dashes, starting with a letter`);
const dir = join(root, "services", name);
const values = join(root, "deploy/helm/flotilla/values.yaml");
const compose = join(root, "compose.yaml");
if (existsSync(dir)) die(`services/${name} already exists`);
if (readRegistry().some((m) => m.name === name)) die(`the registry already has a member named ${name}`);
if (new RegExp(`^  ${name}:$`, "m").test(readFileSync(values, "utf8"))) die(`the chart already has a services.${name} block`);
if (new RegExp(`^  ${name}:$`, "m").test(readFileSync(compose, "utf8"))) die(`compose.yaml already has a service ${name}`);

try {
  helm();
} catch (e) {
  if (!(e instanceof ToolMissing)) throw e;
  die(`${e.message}\nnew-service: nothing was changed`);
}

// What the scaffold edits (and npm install rewrites), to put back if a later step fails.
const edited = [values, compose, join(root, "package-lock.json")];
const originals = new Map(edited.map((f) => [f, readFileSync(f, "utf8")]));
const link = join(root, "node_modules/@flotilla", name);
const linked = existsSync(link);
function undo(): void {
  rmSync(dir, { recursive: true, force: true });
  if (!linked) rmSync(link, { recursive: true, force: true });
  for (const [file, text] of originals) writeFileSync(file, text);
}

const camel = name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const kitVersion = (
  JSON.parse(readFileSync(join(root, "packages/service-kit/package.json"), "utf8")) as { dependencies: Record<string, string> }
).dependencies.fastify;

const files: Record<string, string> = {
  "package.json": `${JSON.stringify(
    {
      name: `@flotilla/${name}`,
      version: "0.1.0",
      private: true,
      type: "module",
      description: `The ${name} service: GET /${name} greets whoever asks.`,
      scripts: {
        start: "node src/main.ts",
        build: "node ../../scripts/build-service.ts",
        test: `vitest run --root ../.. services/${name}`,
      },
      flotilla: { port: PORT },
      dependencies: { "@flotilla/service-kit": "*", fastify: kitVersion },
    },
    null,
    2,
  )}\n`,
  "README.md": `# ${name}

The ${name} service: \`GET /${name}?who=...\` answers \`{"message": "Hello, ...!"}\`. Built on
[the service kit](../../packages/service-kit/README.md): \`/healthz\`, \`/readyz\`, \`/metrics\` and
its OpenAPI document at \`/openapi.json\` (committed as [docs/api/${name}.json](../../docs/api/${name}.json)).

\`\`\`sh
npm start -w services/${name}                  # http://localhost:${PORT}/${name}
curl 'localhost:${PORT}/${name}?who=Ada'
npm test -- services/${name}
\`\`\`

## Configuration

Generated from \`src/config.ts\` by \`npm run docs:config\`:

<!-- config:start -->
<!-- config:end -->
`,
  "src/config.ts": `import { commonEnv, z } from "@flotilla/service-kit";

/** Declared once: validation at start, the README's table and the types come from it. */
export const configSchema = z.object({
  ...commonEnv({ port: ${PORT} }),
  GREETING: z.string().min(1).max(100).default("Hello").describe("The word \`GET /${name}\` greets with."),
});

export type Config = z.infer<typeof configSchema>;
`,
  "src/app.ts": `import { createService, type Service } from "@flotilla/service-kit";
import type { DestinationStream } from "pino";
import pkg from "../package.json" with { type: "json" };
import type { Config } from "./config.ts";
import { ${camel}Routes } from "./routes/${name}.ts";

/** The service on the kit: used by main.ts and by the in-process tests. */
export async function buildApp(config: Config, options: { logDestination?: DestinationStream } = {}): Promise<Service> {
  const app = await createService({ name: "${name}", version: pkg.version, description: pkg.description, config, ...options });
  await app.register(${camel}Routes, { greeting: config.GREETING });
  await app.ready();
  return app;
}
`,
  "src/main.ts": `// Tracing first (OTEL_*, off by default): its instrumentations patch libraries as they load, so
// everything else is imported after it.
import { startTracing } from "@flotilla/service-kit/tracing";

await startTracing("${name}");
const { runService } = await import("@flotilla/service-kit");
const { buildApp } = await import("./app.ts");
const { configSchema } = await import("./config.ts");

await runService({ name: "${name}", schema: configSchema, build: (config) => buildApp(config) });
`,
  [`src/routes/${name}.ts`]: `import { type Routes, z } from "@flotilla/service-kit";

/** \`GET /${name}?who=\`: one declaration gives validation, the types, serialisation and the OpenAPI entry. */
export const ${camel}Routes: Routes<{ greeting: string }> = async (app, { greeting }) => {
  app.get(
    "/${name}",
    {
      schema: {
        summary: "A greeting for whoever asks.",
        querystring: z.strictObject({ who: z.string().min(1).max(50).default("world").describe("whom to greet") }),
        response: { 200: z.object({ message: z.string() }) },
      },
    },
    async (request) => ({ message: \`\${greeting}, \${request.query.who}!\` }),
  );
};
`,
  [`src/routes/${name}.test.ts`]: `import { loadConfig } from "@flotilla/service-kit";
import { afterEach, describe, expect, it } from "vitest";
import { buildApp } from "../app.ts";
import { configSchema } from "../config.ts";

const start = (env: Record<string, string> = {}) => buildApp(loadConfig(configSchema, { LOG_LEVEL: "silent", ...env }));
let app: Awaited<ReturnType<typeof start>> | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe("GET /${name}", () => {
  it("greets the world by default, and whoever asks", async () => {
    app = await start();
    expect((await app.inject({ method: "GET", url: "/${name}" })).json()).toEqual({ message: "Hello, world!" });
    const res = await app.inject({ method: "GET", url: "/${name}?who=Ada" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ message: "Hello, Ada!" });
  });

  it("uses the configured greeting", async () => {
    app = await start({ GREETING: "Ahoy" });
    expect((await app.inject({ method: "GET", url: "/${name}?who=Ada" })).json()).toEqual({ message: "Ahoy, Ada!" });
  });

  it("answers 400 with a JSON error for a bad query", async () => {
    app = await start();
    for (const query of ["who=", \`who=\${"x".repeat(51)}\`, "other=1"]) {
      const res = await app.inject({ method: "GET", url: \`/${name}?\${query}\` });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatch(/^invalid request: querystring/);
    }
  });
});
`,
};

for (const [file, text] of Object.entries(files)) {
  mkdirSync(join(dir, file, ".."), { recursive: true });
  writeFileSync(join(dir, file), text);
}

// The chart: the block goes at the end of services:, before the next top-level key and the
// comment lines above it (or at the end of the file).
const valuesText = readFileSync(values, "utf8");
const servicesAt = valuesText.search(/^services:$/m);
if (servicesAt < 0) {
  undo();
  die("deploy/helm/flotilla/values.yaml has no top-level services:");
}
const nextKey = /\n(?:#[^\n]*\n)*[A-Za-z][\w-]*:/.exec(valuesText.slice(servicesAt + "services:".length));
const servicesEnd = nextKey ? servicesAt + "services:".length + nextKey.index + 1 : valuesText.length;
const before = valuesText.slice(0, servicesEnd).replace(/\n*$/, "\n");
const after = valuesText.slice(servicesEnd);
writeFileSync(
  values,
  `${before}
  ${name}:
    enabled: true
    image:
      repository: ${name}
    port: ${PORT}
    env:
      SHUTDOWN_GRACE_MS: "20000"
    test:
      enabled: true
      path: /${name}
      expectBody: message
${after ? `\n${after}` : ""}`,
);

// compose.yaml: after the last service, before the top-level networks:.
const composeText = readFileSync(compose, "utf8");
const at = composeText.indexOf("\nnetworks:");
if (at < 0) {
  undo();
  die("compose.yaml has no top-level networks: to insert before");
}
writeFileSync(
  compose,
  `${composeText.slice(0, at)}
  # Reached by the other services on \`front\`; publish it with ports: like hello to call it from the host.
  ${name}:
    <<: *hardened
    image: \${FLOTILLA_REGISTRY:-flotilla}/${name}:\${FLOTILLA_TAG:-dev}
    build:
      context: .
      dockerfile: deploy/docker/node-service.Dockerfile
      args:
        SERVICE: ${name}
        PORT: "${PORT}"
      secrets: [build_ca]
    environment:
      LOG_LEVEL: \${LOG_LEVEL:-info}
    healthcheck: *node-healthcheck
    deploy:
      resources:
        limits: { cpus: "0.50", memory: 128M, pids: 64 }
        reservations: { memory: 32M }
    networks: [front]
${composeText.slice(at)}`,
);

// A failing step is one line naming it (its own output is already on the terminal), never a
// trace; everything written so far is put back first.
const run = (command: string, args: string[]) => {
  try {
    execFileSync(command, args, { cwd: root, stdio: "inherit" });
  } catch {
    undo();
    die(`${[command, ...args].join(" ")} failed (see above); nothing was changed (services/${name} and the edits are undone)`);
  }
};
console.log(`new-service: services/${name} written; linking the workspace (npm install)`);
run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"]);
console.log("new-service: writing every derived file (npm run generate)");
run(process.execPath, ["scripts/generate.ts"]);
console.log(`
new-service: ${name} is ready. Next:
  npm test -- services/${name}
  npm start -w services/${name}       then: curl 'localhost:${PORT}/${name}?who=you'
  git add -A    (services/${name}, the chart, compose.yaml, the lockfile and the derived files)
See docs/new-service.md for the rest (image, chart, compose, CI).`);
