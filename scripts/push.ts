// npm run push -- --help   (--rulers: the rule groups to Mimir's and Loki's rulers instead, see --rulers --help)
import { main } from "../src/push/cli.js";
import type { BuildFile } from "../src/push/types.js";

interface Pipeline {
  runBuild(o: { env: string; write: false }): Promise<{ files: BuildFile[] }>;
}

const argv = process.argv.slice(2);
if (argv.includes("--rulers")) {
  const [{ rulersMain }, { loadConfig }, { runCommand }] = await Promise.all([
    import("../src/rulers/cli.js"),
    import("../config/index.js"),
    import("../src/cli/report.mjs"),
  ]);
  await runCommand(() => rulersMain({ argv, env: process.env, stdout: process.stdout, stderr: process.stderr, rulersFor: (env) => loadConfig(env).rulers }));
} else {
  process.exitCode = await main({
    argv,
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
}
