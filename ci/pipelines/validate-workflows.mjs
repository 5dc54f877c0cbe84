// GitHub Actions workflows validated by GitHub's own parser (@actions/workflow-parser): the
// schema, then the conversion GitHub runs (job graph, needs, matrix, expressions).
//   node --import ./json-loader.mjs validate-workflows.mjs FILE...   exit 1 on any error
import { readFileSync } from "node:fs";
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from "@actions/workflow-parser";

let invalid = 0;
for (const name of process.argv.slice(2)) {
  const parsed = parseWorkflow({ name, content: readFileSync(name, "utf8") }, new NoOperationTraceWriter());
  const errors = [...parsed.context.errors.getErrors()];
  if (parsed.value && errors.length === 0) {
    const converted = await convertWorkflowTemplate(parsed.context, parsed.value);
    errors.push(...(converted.errors ?? []));
  }
  for (const e of errors) console.log(`${name}: ${e.message ?? e.Message ?? JSON.stringify(e)}`);
  console.log(`${name}: ${errors.length ? "INVALID" : "ok"}`);
  if (errors.length) invalid++;
}
process.exit(invalid || process.argv.length < 3 ? 1 : 0);
