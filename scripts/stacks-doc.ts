// npm run stacks-doc [-- --check]: writes docs/stacks.md from the configuration (dev), or with
// --check exits 1 when the committed page is out of date.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { catalog } from "../catalog/index.js";
import { loadConfig } from "../config/index.js";
import { parseCommandLine } from "../src/cli/args.js";
import { EXIT } from "../src/errors.js";
import { REPO_ROOT } from "../src/pipeline/collect.js";
import { renderStacksDoc, STACKS_DOC } from "../src/stacks/doc.js";

const HELP = `Usage: npm run stacks-doc [-- --check]

Writes docs/stacks.md (where each stack's metrics, logs and traces go) from config/services.ts.

Options:
  --check     do not write; exit 1 when the committed page differs from what would be written
  -h, --help  show this help`;

const args = parseCommandLine({ options: { check: { type: "boolean", default: false }, help: { type: "boolean", short: "h", default: false } }, allowPositionals: false }, HELP);
if (typeof args === "number") process.exit(args);
const file = join(REPO_ROOT, STACKS_DOC);
const text = renderStacksDoc(loadConfig("dev"), catalog);
if (args.check) {
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
