import { describe, expect, it } from "vitest";
import { python3 } from "./test-helpers.ts";

const script = new URL("helm-revision.py", import.meta.url).pathname;
/** As the scripts run it: `helm history R -o json | python3 helm-revision.py WHICH`. */
const revision = (history: unknown, which: string) =>
  python3([script, which], typeof history === "string" ? history : JSON.stringify(history));
const rev = (revision: number, status: string) => ({ revision, status, chart: "flotilla-0.1.0" });
const history = [rev(1, "superseded"), rev(2, "superseded"), rev(3, "failed"), rev(4, "deployed"), rev(5, "pending-upgrade")];

describe("pipeline/lib/helm-revision.py", () => {
  it("newest: the last revision, whatever its status", async () => {
    expect(await revision(history, "newest")).toEqual({ code: 0, stdout: "5\n", stderr: "" });
  });

  it("deployed: the newest deployed one; an empty line when none (a first install)", async () => {
    expect(await revision(history, "deployed")).toMatchObject({ code: 0, stdout: "4\n" });
    expect(await revision([rev(1, "failed")], "deployed")).toMatchObject({ code: 0, stdout: "\n" });
  });

  it("first-good: the oldest superseded or deployed one; exit 1 when none", async () => {
    expect(await revision([rev(1, "failed"), ...history.slice(1)], "first-good")).toMatchObject({ code: 0, stdout: "2\n" });
    expect(await revision([rev(1, "failed")], "first-good")).toMatchObject({ code: 1 });
  });

  it("bad input: helm's error instead of JSON, an empty history for newest, another word: exit 2", async () => {
    expect(await revision("Error: release: not found", "newest")).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("not helm's history"),
    });
    expect(await revision([{ status: "deployed" }], "deployed")).toMatchObject({ code: 2 });
    expect((await revision([], "newest")).code).toBe(2);
    expect((await revision(history, "latest")).code).toBe(2);
  });
});
