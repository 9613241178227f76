// Argument parsing shared by the bench's command lines: `--help` prints the usage and exits 0,
// an unknown or malformed option prints what was wrong and the usage and exits 2 (no stack trace).
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

type Values<T extends Options> = ReturnType<typeof parseArgs<{ options: T; strict: true }>>['values'];

export function parseCli<T extends Options>(argv: string[], options: T, usage: string): Values<T> {
  // pnpm passes on the `--` that separates its own options from the script's.
  const args = argv.filter((arg) => arg !== '--');
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h', default: false } }, strict: true, allowPositionals: false });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(usage);
    process.exit(0);
  }
  return parsed.values as Values<T>;
}
