import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RouteGuideClient } from "../src/route-guide-client.ts";
import { makeCertificates, SERVICE_DIR, startApp, tempDir } from "./helpers.ts";

const LIBERTY = { latitude: 406892490, longitude: -740445000 };
const run = promisify(execFile);

describe("TLS", () => {
  const certDir = tempDir("certs");
  const certs = makeCertificates(certDir.dir);
  let app: Awaited<ReturnType<typeof startApp>>;
  let address: string;

  beforeAll(async () => {
    // Server and backend both serve TLS; the server verifies the backend with the CA.
    app = await startApp({ TLS_CERT_FILE: certs.serverCert, TLS_KEY_FILE: certs.serverKey, BACKEND_CA_FILE: certs.ca });
    address = `127.0.0.1:${app.grpcPorts.server}`;
  });
  afterAll(async () => {
    await app.cleanup();
    certDir.remove();
  });

  it("a client trusting the CA gets answers, and server -> backend saves work over TLS", async () => {
    const client = new RouteGuideClient({ address, tls: { caFile: certs.ca } });
    try {
      expect((await client.getFeature(LIBERTY)).name).toMatch(/^Statue of Liberty/);
      expect(await client.chat([{ location: LIBERTY, message: "over TLS" }])).toEqual([]);
      expect(await client.chat([{ location: LIBERTY, message: "again" }])).toEqual([{ location: LIBERTY, message: "over TLS" }]);
    } finally {
      client.close();
    }
  });

  it("a plaintext client and a client trusting another CA are refused", async () => {
    const plain = new RouteGuideClient({ address, timeoutMs: 8_000 });
    const stranger = new RouteGuideClient({ address, tls: { caFile: certs.otherCa }, timeoutMs: 8_000 });
    try {
      await expect(plain.getFeature(LIBERTY)).rejects.toMatchObject({ code: status.UNAVAILABLE });
      await expect(stranger.getFeature(LIBERTY)).rejects.toMatchObject({ code: status.UNAVAILABLE });
    } finally {
      plain.close();
      stranger.close();
    }
  });

  it("the client CLI runs all four RPCs over TLS and exits 0", async () => {
    const { stdout } = await run(process.execPath, ["src/client.ts", "--addr", address, "--tls", "--ca", certs.ca], { cwd: SERVICE_DIR });
    expect(stdout).toContain('Found feature "Statue of Liberty');
    expect(stdout).toContain("Finished trip with 10 points");
    expect(stdout).toMatch(/# RouteChat/);
  });

  it("mutual TLS: without a client certificate the call fails, with one it succeeds", async () => {
    const mtls = await startApp({
      ROUTEGUIDE_MODE: "server",
      BACKEND_ADDR: "127.0.0.1:1",
      TLS_CERT_FILE: certs.serverCert,
      TLS_KEY_FILE: certs.serverKey,
      TLS_CLIENT_CA_FILE: certs.ca,
    });
    const mtlsAddress = `127.0.0.1:${mtls.grpcPorts.server}`;
    const anonymous = new RouteGuideClient({ address: mtlsAddress, tls: { caFile: certs.ca }, timeoutMs: 8_000 });
    const known = new RouteGuideClient({
      address: mtlsAddress,
      tls: { caFile: certs.ca, certFile: certs.clientCert, keyFile: certs.clientKey },
    });
    try {
      await expect(anonymous.getFeature(LIBERTY)).rejects.toMatchObject({ code: status.UNAVAILABLE });
      expect((await known.getFeature(LIBERTY)).name).toMatch(/^Statue of Liberty/);
    } finally {
      anonymous.close();
      known.close();
      await mtls.cleanup();
    }
  });
});
