// The command lines' shared start: parse the options; a bad option prints the problem and the help
// (exit 2), --help prints the help (exit 0). A number back means "exit with this".
import { parseArgs, type ParseArgsConfig } from "node:util";

/** Where a command line prints (default the console); commands run in process by tests pass their own. */
export interface CommandOutput {
  log(text: string): void;
  error(text: string): void;
}

const CONSOLE: CommandOutput = { log: (s) => console.log(s), error: (s) => console.error(s) };

export function usageError(message: string, help: string, out: CommandOutput = CONSOLE): number {
  out.error(`${message}\n\n${help}`);
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

/** A command line that does not fit the options: the message names the option or argument. */
export class OptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OptionError";
  }
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * parseArgs for commands that print their own usage errors: one short message per problem
 * ("unknown option --x", "--dir needs a value", "--dry-run takes no value"). Unlike strict parseArgs,
 * a value may start with one dash (`--retries -1` reaches the command's own range check).
 */
export function parseOptions<T extends Options>(options: T, argv: string[]): ReturnType<typeof parseArgs<{ options: T }>>["values"] {
  const { values, tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  for (const t of tokens) {
    if (t.kind === "positional") throw new OptionError(`unexpected argument ${t.value}`);
    if (t.kind !== "option") continue;
    const spec = options[t.name];
    if (!spec) throw new OptionError(`unknown option ${t.rawName}`);
    if (spec.type === "boolean" && t.value !== undefined) throw new OptionError(`${t.rawName} takes no value`);
    if (spec.type === "string" && (t.value === undefined || (!t.inlineValue && t.value.startsWith("--")))) {
      throw new OptionError(`${t.rawName} needs a value`);
    }
  }
  return values as ReturnType<typeof parseArgs<{ options: T }>>["values"];
}

/** parseCommandLine for commands that take operands too (files, directories): values and positionals. */
export function parseCommandLineWithOperands<T extends ParseArgsConfig>(
  config: T,
  help: string,
  out: CommandOutput = CONSOLE,
): { values: ReturnType<typeof parseArgs<T>>["values"]; positionals: string[] } | number {
  let parsed: { values: ReturnType<typeof parseArgs<T>>["values"]; positionals: string[] };
  try {
    parsed = parseArgs({ ...config, allowPositionals: true }) as unknown as typeof parsed;
  } catch (e) {
    return usageError((e as Error).message, help, out);
  }
  if ((parsed.values as { help?: boolean }).help) {
    out.log(help);
    return 0;
  }
  return parsed;
}
