// Run by the image's own node inside a container (node is the only program there), fed on stdin:
// `docker run -i --read-only ... --entrypoint /usr/local/bin/node IMAGE - < readonly-probe.cjs`.
// Exit 0 when writing the root filesystem fails with EROFS, writing /tmp works, and the process
// runs as uid/gid 65532; exit 1 otherwise, naming what was wrong.
const fs = require("node:fs");
let ro = false;
try {
  fs.writeFileSync("/app/probe", "x");
} catch (e) {
  ro = e.code === "EROFS";
}
let tmp = true;
try {
  fs.writeFileSync("/tmp/probe", "x");
} catch {
  tmp = false;
}
const wrong = [
  ro ? "" : "the root filesystem (/app) is not read-only",
  tmp ? "" : "/tmp is not writable",
  process.getuid() === 65532 && process.getgid() === 65532 ? "" : `runs as ${process.getuid()}:${process.getgid()}, not 65532`,
].filter(Boolean);
if (wrong.length) {
  console.error(wrong.join("; "));
  process.exit(1);
}
