// The CircleCI config parsed by CircleCI's own config parser (@circleci/circleci-config-parser):
// what the JSON schema cannot see, e.g. a workflow requiring a job or an executor never defined.
//   node circleci-parse.cjs FILE...   exit 1 on any error
const { readFileSync } = require("node:fs");
const { parseConfig } = require("@circleci/circleci-config-parser");

let invalid = 0;
for (const file of process.argv.slice(2)) {
  try {
    const config = parseConfig(readFileSync(file, "utf8"));
    console.log(`${file}: ok (${config.jobs.length} jobs, ${config.workflows.length} workflows)`);
  } catch (e) {
    invalid++;
    console.log(`${file}: INVALID: ${e.message}`);
  }
}
process.exit(invalid || process.argv.length < 3 ? 1 : 0);
