// npm run rules:sync -- --help   (also: npm run push -- --rulers)
import { loadConfig } from "../config/index.js";
import { runCommand } from "../src/cli/report.mjs";
import { rulersMain } from "../src/rulers/cli.js";

await runCommand(() =>
  rulersMain({
    argv: process.argv.slice(2),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    rulersFor: (env) => loadConfig(env).rulers,
  }),
);
