// The command lines' shared start: parse the options; a bad option prints the problem and the help
// (exit 2), --help prints the help (exit 0). A number back means "exit with this".
import { parseArgs, type ParseArgsConfig } from "node:util";

export function usageError(message: string, help: string): number {
  console.error(`${message}\n\n${help}`);
  return 2;
}

export function parseCommandLine<T extends ParseArgsConfig>(config: T, help: string): ReturnType<typeof parseArgs<T>>["values"] | number {
  let values: ReturnType<typeof parseArgs<T>>["values"];
  try {
    values = parseArgs(config).values;
  } catch (e) {
    return usageError((e as Error).message, help);
  }
  if ((values as { help?: boolean }).help) {
    console.log(help);
    return 0;
  }
  return values;
}

/** parseCommandLine for commands that take operands too (files, directories): values and positionals. */
export function parseCommandLineWithOperands<T extends ParseArgsConfig>(
  config: T,
  help: string,
): { values: ReturnType<typeof parseArgs<T>>["values"]; positionals: string[] } | number {
  let parsed: { values: ReturnType<typeof parseArgs<T>>["values"]; positionals: string[] };
  try {
    parsed = parseArgs({ ...config, allowPositionals: true }) as unknown as typeof parsed;
  } catch (e) {
    return usageError((e as Error).message, help);
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(help);
    return 0;
  }
  return parsed;
}
