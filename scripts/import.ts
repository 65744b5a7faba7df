// npm run import -- <dashboard.json> [--out dashboards/foo/] [--exact] [--verify] [--folder <key>] [--uid <uid>]
// npm run import -- --from-grafana <uid>
// Turns an existing Grafana dashboard into a definition in the house style (or, with --exact, a
// faithful transcript). The metric catalog is handed to the importer here: tools do not read content.
import { catalog } from "../catalog/index.js";
import { runImportCli } from "../src/import/cli.js";
import { REPO_CONTENT } from "./content.js";

process.exitCode = await runImportCli(
  process.argv.slice(2),
  {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    env: process.env,
    cwd: process.cwd(),
    catalog,
  },
  REPO_CONTENT,
);
