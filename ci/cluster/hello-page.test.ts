import { describe, expect, it } from "vitest";
import { python3 } from "../lib/python.ts";
import { scratch } from "../lib/scratch.ts";

const script = new URL("hello-page.py", import.meta.url).pathname;
const tmp = scratch("hello-page");
const served = { pod: "flotilla-hello-7d9f-abcde", namespace: "flotilla", node: "flotilla-ci", image: "flotilla/hello:ci" };
const page = JSON.stringify({ message: "Hello", servedBy: served });
const html = `<html><body>${Object.values(served).join(" ")}</body></html>`;
/** As tier cluster runs it: hello-page.py PAGE PODS NS NODE IMAGE HTML_FILE. */
const check = (p: string, pods: string, h: string, image = "flotilla/hello:ci") =>
  python3([script, p, pods, "flotilla", "flotilla-ci", image, tmp.write("hello.html", h)]);

describe("ci/cluster/hello-page.py", () => {
  it("exit 0 when the page reports a real pod, the namespace, node and image, and the HTML shows them", async () => {
    const run = await check(page, "flotilla-hello-7d9f-abcde flotilla-hello-7d9f-fghij", html);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toContain("flotilla-hello-7d9f-abcde");
  });

  it("exit 1 for another pod, another image, or an HTML page without them", async () => {
    expect(await check(page, "flotilla-hello-other", html)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("is not one of hello's"),
    });
    expect(await check(page, served.pod, html, "flotilla/hello:ci-v2")).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("image 'flotilla/hello:ci', not 'flotilla/hello:ci-v2'"),
    });
    expect(await check(page, served.pod, "<html></html>")).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("not on the HTML page"),
    });
  });

  it("bad input: an answer that is not hello's JSON, other arguments: exit 2", async () => {
    expect((await check("<html>hello</html>", served.pod, html)).code).toBe(2);
    expect((await check('{"message": "Hello"}', served.pod, html)).code).toBe(2);
    expect((await python3([script, page])).code).toBe(2);
  });
});
