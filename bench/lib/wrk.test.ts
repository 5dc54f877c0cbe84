import { describe, expect, it } from "vitest";
import { parseGhz, parseWrk } from "./wrk.ts";

// wrk 4.1.0's output (Debian's package), as `wrk -t1 -c10 -d1s --latency` prints it.
const OUTPUT = `Running 1s test @ http://127.0.0.1:37330/hello
  1 threads and 10 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   798.42us    1.59ms  24.40ms   94.02%
    Req/Sec    20.84k     7.98k   29.62k    70.00%
  Latency Distribution
     50%  353.00us
     75%  602.00us
     90%    1.48ms
     99%    9.17ms
  20787 requests in 1.00s, 3.35MB read
Requests/sec:  20721.69
Transfer/sec:      3.34MB
`;

describe("parseWrk", () => {
  it("reads requests, requests/s and p99 in milliseconds", () => {
    expect(parseWrk(OUTPUT)).toEqual({ requests: 20787, requestsPerSec: 20721.69, p99Ms: 9.17 });
    expect(parseWrk(OUTPUT.replace("99%    9.17ms", "99%  812.00us")).p99Ms).toBeCloseTo(0.812);
    expect(parseWrk(OUTPUT.replace("99%    9.17ms", "99%    1.20s")).p99Ms).toBe(1200);
  });

  it("fails a run with non-2xx answers or socket errors (negative controls)", () => {
    expect(() => parseWrk(`${OUTPUT}  Non-2xx or 3xx responses: 22062\n`)).toThrow(/22062 non-2xx/);
    expect(() => parseWrk(`${OUTPUT}  Socket errors: connect 0, read 3, write 0, timeout 2\n`)).toThrow(/5 socket errors/);
    expect(() => parseWrk("unable to connect to 127.0.0.1:1 Connection refused")).toThrow(/cannot read wrk's output/);
  });
});

describe("parseGhz", () => {
  const report = (errors: Record<string, number>) =>
    JSON.stringify({
      count: 16608,
      rps: 8300.5,
      statusCodeDistribution: { OK: 16595, Unavailable: 13 },
      errorDistribution: errors,
      latencyDistribution: [
        { percentage: 50, latency: 2_500_000 },
        { percentage: 99, latency: 44_820_000 },
      ],
    });

  it("reads OK calls, calls/s and p99 in milliseconds; the calls cut at the deadline are not failures", () => {
    const closed = "rpc error: code = Unavailable desc = error reading from server: read tcp: use of closed network connection";
    expect(parseGhz(report({ [closed]: 13 }), "a", 50)).toEqual({ requests: 16595, requestsPerSec: 8300.5, p99Ms: 44.82 });
    const closing = "rpc error: code = Canceled desc = grpc: the client connection is closing";
    const transport = "rpc error: code = Unavailable desc = transport is closing";
    expect(parseGhz(report({ [closing]: 11, [transport]: 1 }), "a", 50).requests).toBe(16595);
  });

  it("fails a run with any other error (negative control)", () => {
    expect(() => parseGhz(report({ "rpc error: code = Internal desc = boom": 1 }), "a", 50)).toThrow(/calls failed/);
    // More calls cut than were in flight: the server dropped connections during the run.
    const transport = "rpc error: code = Unavailable desc = transport is closing";
    expect(() => parseGhz(report({ [transport]: 51 }), "a", 50)).toThrow(/51 calls cut/);
  });
});
