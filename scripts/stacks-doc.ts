// npm run stacks-doc [-- --check]: writes docs/stacks.md from the configuration (dev), or with
// --check exits 1 when the committed page is out of date.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig } from "../config/index.js";
import { EXIT } from "../src/errors.js";
import { REPO_ROOT } from "../src/pipeline/collect.js";
import { renderStacksDoc, STACKS_DOC } from "../src/stacks/doc.js";

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== "--check");
if (unknown.length) {
  process.stderr.write(`stacks-doc: unknown option ${unknown[0]}\nUsage: npm run stacks-doc [-- --check]\n`);
  process.exit(EXIT.usage);
}
const file = join(REPO_ROOT, STACKS_DOC);
const text = renderStacksDoc(loadConfig("dev"));
if (args.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(file, "utf8");
  } catch {
    // missing counts as stale
  }
  if (current !== text) {
    process.stderr.write(`${STACKS_DOC} is out of date: run npm run stacks-doc\n`);
    process.exit(EXIT.invalid);
  }
  process.stdout.write(`${STACKS_DOC} is current\n`);
} else {
  writeFileSync(file, text);
  process.stdout.write(`wrote ${STACKS_DOC}\n`);
}
