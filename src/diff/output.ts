// --output is checked before anything is built: a report that cannot be written should not cost
// two builds first.
import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

/** Why the report cannot be written to `output`, or undefined when it can be tried. */
export function outputProblem(output: string): string | undefined {
  const path = resolve(output);
  const folder = dirname(path);
  if (!existsSync(folder)) return `--output ${output}: the folder ${folder} does not exist (create it first)`;
  if (!statSync(folder).isDirectory()) return `--output ${output}: ${folder} is not a folder`;
  if (existsSync(path) && statSync(path).isDirectory()) return `--output ${output} is a folder; name a file`;
  return undefined;
}
