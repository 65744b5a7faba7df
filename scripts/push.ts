// npm run push -- --help
import { main } from "../src/push/cli.js";
import type { BuildFile } from "../src/push/types.js";

interface Pipeline {
  runBuild(o: { env: string; write: false }): Promise<{ files: BuildFile[] }>;
}

process.exitCode = await main({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  // Loaded only for --env, so pushing a build directory works without the pipeline.
  buildForEnv: async (env) => {
    const spec = "../src/pipeline/index.js";
    const pipeline = (await import(spec)) as Pipeline;
    return (await pipeline.runBuild({ env, write: false })).files;
  },
});
