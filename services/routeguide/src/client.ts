// The RouteGuide client CLI: runs the four RPCs like the canonical example client and exits
// non-zero when any of them fails. Works against any RouteGuide server.
//   node src/client.ts --addr 127.0.0.1:8888 [--tls [--ca ca.pem] [--cert c.pem --key k.pem]]
import { parseArgs } from "node:util";
import { formatPoint } from "./geo.ts";
import type { Point } from "./messages.ts";
import { RouteGuideClient } from "./route-guide-client.ts";

const USAGE = `usage: routeguide-client [--addr host:port] [--tls] [--ca file] [--cert file --key file]
                         [--server-name name] [--timeout ms] [--wait-for-ready]
env: ROUTEGUIDE_ADDR, ROUTEGUIDE_TLS=true, ROUTEGUIDE_CA_FILE, ROUTEGUIDE_CERT_FILE, ROUTEGUIDE_KEY_FILE,
     ROUTEGUIDE_WAIT_FOR_READY=true (wait up to --timeout for the server instead of failing at once)`;

function options() {
  const env = process.env;
  const { values } = parseArgs({
    options: {
      addr: { type: "string", default: env.ROUTEGUIDE_ADDR ?? "127.0.0.1:8888" },
      tls: { type: "boolean", default: env.ROUTEGUIDE_TLS === "true" },
      ca: { type: "string", default: env.ROUTEGUIDE_CA_FILE },
      cert: { type: "string", default: env.ROUTEGUIDE_CERT_FILE },
      key: { type: "string", default: env.ROUTEGUIDE_KEY_FILE },
      "server-name": { type: "string", default: env.ROUTEGUIDE_TLS_SERVER_NAME },
      timeout: { type: "string", default: env.ROUTEGUIDE_TIMEOUT_MS ?? "10000" },
      "wait-for-ready": { type: "boolean", default: env.ROUTEGUIDE_WAIT_FOR_READY === "true" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const timeoutMs = Number(values.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new Error(`--timeout must be a positive integer, got ${values.timeout}`);
  if (Boolean(values.cert) !== Boolean(values.key)) throw new Error("--cert and --key go together");
  const tls = values.tls || values.ca || values.cert ? { caFile: values.ca, certFile: values.cert, keyFile: values.key } : undefined;
  return {
    help: values.help,
    address: values.addr,
    tls,
    tlsServerName: values["server-name"],
    timeoutMs,
    waitForReady: values["wait-for-ready"],
  };
}

const say = (line: string) => process.stdout.write(`${line}\n`);

async function run(client: RouteGuideClient): Promise<void> {
  say("# GetFeature");
  for (const point of [
    { latitude: 406892490, longitude: -740445000 },
    { latitude: 0, longitude: 0 },
  ]) {
    const feature = await client.getFeature(point);
    say(feature.name ? `Found feature "${feature.name}" at ${formatPoint(point)}` : `No feature at ${formatPoint(point)}`);
  }

  say("# ListFeatures (40..42 N, 75..73 W)");
  const features = await client.listFeatures({
    lo: { latitude: 400000000, longitude: -750000000 },
    hi: { latitude: 420000000, longitude: -730000000 },
  });
  for (const f of features) say(`  ${f.name} at ${formatPoint(f.location as Point)}`);
  say(`${features.length} features`);

  say("# RecordRoute");
  const route: Point[] = features.length > 0 ? features.slice(0, 10).map((f) => f.location as Point) : [{ latitude: 0, longitude: 0 }];
  const summary = await client.recordRoute(route);
  say(
    `Finished trip with ${summary.point_count} points, passed ${summary.feature_count} features, travelled ${summary.distance} metres in ${summary.elapsed_time} seconds`,
  );

  say("# RouteChat");
  const notes = [
    { location: { latitude: 0, longitude: 1 }, message: "First message" },
    { location: { latitude: 0, longitude: 2 }, message: "Second message" },
    { location: { latitude: 0, longitude: 3 }, message: "Third message" },
    { location: { latitude: 0, longitude: 1 }, message: "Fourth message" },
  ];
  const received = await client.chat(notes);
  for (const note of received) say(`  Got message "${note.message}" at ${formatPoint(note.location as Point)}`);
  say(`${received.length} earlier notes received`);
}

let client: RouteGuideClient | undefined;
try {
  const opts = options();
  if (opts.help) {
    say(USAGE);
  } else {
    client = new RouteGuideClient(opts);
    await run(client);
  }
} catch (error) {
  const e = error as { code?: number; details?: string; message?: string };
  process.stderr.write(
    `routeguide-client: ${e.details ?? e.message ?? String(error)}${e.code !== undefined ? ` (gRPC code ${e.code})` : ""}\n`,
  );
  process.exitCode = 1;
} finally {
  client?.close();
}
