import { describe, expect, it } from "vitest";
import { parseFaultFile } from "./file.ts";

describe("parseFaultFile", () => {
  it("takes HTTP and gRPC rules", () => {
    const parsed = parseFaultFile(
      JSON.stringify({
        rules: [
          { service: "store", route: "/users/:id", method: "GET", status: 503, share: 0.2 },
          { route: "/hello", latencyMs: 300, share: 1 },
          { grpcMethod: "/routeguide.RouteGuide/GetFeature", grpcCode: "UNAVAILABLE", latencyMs: 50, share: 0.5 },
        ],
      }),
    );
    expect(parsed.problems).toBeUndefined();
    expect(parsed.rules).toHaveLength(3);
  });

  it("names every bad field at once", () => {
    const parsed = parseFaultFile(
      JSON.stringify({
        rules: [
          { route: "/users", status: 200, share: 1.5, lantencyMs: 10 },
          { route: "users", method: "FETCH", share: 1, status: 500 },
        ],
        extra: true,
      }),
    );
    expect(parsed.rules).toBeUndefined();
    const problems = parsed.problems ?? [];
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^rules\[0\]\.status: .*>=400/),
        expect.stringMatching(/^rules\[0\]\.share: .*<=1/),
        "rules[0].lantencyMs: unknown field",
        expect.stringMatching(/^rules\[1\]\.route: /),
        expect.stringMatching(/^rules\[1\]\.method: /),
        "extra: unknown field",
      ]),
    );
    expect(problems).toHaveLength(6);
  });

  it("refuses a rule that mixes HTTP and gRPC, names neither, or injects nothing", () => {
    const problems = (rule: object) => parseFaultFile(JSON.stringify({ rules: [rule] })).problems;
    expect(problems({ route: "/a", grpcMethod: "/p.S/M", status: 503, share: 1 })).toEqual([
      "rules[0].grpcMethod: a rule names a `route` or a `grpcMethod`, not both",
    ]);
    expect(problems({ status: 503, share: 1 })).toEqual(["rules[0].route: name a `route` (HTTP) or a `grpcMethod` (gRPC)"]);
    expect(problems({ route: "/a", grpcCode: "UNAVAILABLE", share: 1 })).toEqual([
      "rules[0].grpcCode: an HTTP `route` takes a `status`, not a gRPC code",
    ]);
    expect(problems({ grpcMethod: "/p.S/M", status: 503, method: "GET", share: 1 })).toEqual([
      "rules[0].status: a `grpcMethod` takes a `grpcCode`, not an HTTP status",
      "rules[0].method: `method` is for HTTP routes",
    ]);
    expect(problems({ route: "/a", share: 1 })).toEqual([
      "rules[0].latencyMs: a rule needs a fault: `status` or `grpcCode`, `latencyMs`, or both",
    ]);
    expect(problems({ grpcMethod: "GetFeature", grpcCode: "NOPE", share: 1 })?.map((p) => p.split(":")[0])).toEqual([
      "rules[0].grpcMethod",
      "rules[0].grpcCode",
    ]);
  });

  it("refuses text that is not JSON, and an empty file", () => {
    expect(parseFaultFile('{"rules": [')).toEqual({ problems: [expect.stringMatching(/^not JSON: /)] });
    expect(parseFaultFile(" \n")).toEqual({ problems: [expect.stringMatching(/^the file is empty/)] });
    expect(parseFaultFile("[]")).toEqual({ problems: [expect.stringMatching(/^\(file\): /)] });
  });
});
