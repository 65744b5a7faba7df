// npm run import -- <dashboard.json> [--out dashboards/foo.ts] [--verify] [--folder <key>] [--uid <uid>]
// npm run import -- --from-grafana <uid>
// Turns an existing Grafana dashboard into a definition file written with the Foundation SDK.
import { runImportCli } from "../src/import/cli.js";
import { REPO_CONTENT } from "./content.js";

process.exitCode = await runImportCli(process.argv.slice(2), undefined, REPO_CONTENT);
