/**
 * Small command-line flag parsing shared by the scripts (train, elbow, generate, evaluate, bench).
 * Flags are `--name value` or `--name=value`; unknown flags, repeated flags, missing or bad values throw
 * ValidationError whose `field` is the flag and whose message names it. `runCli` prints such errors
 * without a stack and sets the exit code.
 */
import { RatingsFormatError, TrainingError, ValidationError } from "../shared/domain/errors.js";
import { CliFileError, describeFileError } from "./cli-files.js";

/** "value": the flag takes a value; "switch": it stands alone (true when present). */
export type FlagKind = "value" | "switch";

/** Parsed flags with typed, validated accessors; each accessor names the flag in its errors. */
export class CliArgs {
  private readonly values = new Map<string, string | true>();

  /** Parses `argv` (without node and script) against the known flags. */
  constructor(argv: readonly string[], known: Readonly<Record<string, FlagKind>>) {
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i]!;
      if (!arg.startsWith("--") || arg === "--") {
        throw new ValidationError(
          arg,
          `unexpected argument ${JSON.stringify(arg)}: flags look like --name value`,
        );
      }
      const eq = arg.indexOf("=");
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      const kind = known[name];
      if (kind === undefined) {
        const list = Object.keys(known)
          .map((k) => `--${k}`)
          .join(", ");
        throw new ValidationError(`--${name}`, `unknown flag --${name} (known flags: ${list})`);
      }
      if (this.values.has(name)) throw new ValidationError(`--${name}`, `--${name} is given more than once`);
      if (kind === "switch") {
        if (eq >= 0) throw new ValidationError(`--${name}`, `--${name} takes no value`);
        this.values.set(name, true);
        continue;
      }
      let value: string | undefined;
      if (eq >= 0) value = arg.slice(eq + 1);
      else {
        value = argv[i + 1];
        if (value === undefined || value.startsWith("--")) {
          throw new ValidationError(`--${name}`, `--${name} needs a value`);
        }
        i++;
      }
      if (value === "") throw new ValidationError(`--${name}`, `--${name} needs a value`);
      this.values.set(name, value);
    }
  }

  /** True when the switch was given. */
  has(name: string): boolean {
    return this.values.has(name);
  }

  /** The flag's text, or undefined when absent. */
  optional(name: string): string | undefined {
    const value = this.values.get(name);
    return typeof value === "string" ? value : undefined;
  }

  /** The flag's text; throws naming the flag when it is absent. */
  required(name: string): string {
    const value = this.optional(name);
    if (value === undefined) throw new ValidationError(`--${name}`, `--${name} is required`);
    return value;
  }

  /** A whole number within [min, max], or the default when absent. */
  int(name: string, options: { default: number; min?: number; max?: number }): number {
    const text = this.optional(name);
    if (text === undefined) return options.default;
    return parseWholeNumber(
      name,
      text,
      options.min ?? Number.MIN_SAFE_INTEGER,
      options.max ?? Number.MAX_SAFE_INTEGER,
    );
  }

  /** A whole number within [min, max]; throws naming the flag when absent. */
  requiredInt(name: string, options: { min?: number; max?: number } = {}): number {
    return parseWholeNumber(
      name,
      this.required(name),
      options.min ?? Number.MIN_SAFE_INTEGER,
      options.max ?? Number.MAX_SAFE_INTEGER,
    );
  }

  /** A decimal number within [min, max], or the default when absent. */
  number(name: string, options: { default: number; min?: number; max?: number }): number {
    const text = this.optional(name);
    if (text === undefined) return options.default;
    const value = /^[-+]?(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : Number.NaN;
    const min = options.min ?? -Infinity;
    const max = options.max ?? Infinity;
    if (!(value >= min && value <= max)) {
      throw new ValidationError(
        `--${name}`,
        `--${name} must be a number${bounds(min, max)}; got ${JSON.stringify(text)}`,
      );
    }
    return value;
  }

  /** One of the allowed words, or the default when absent. */
  choice<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const text = this.optional(name);
    if (text === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(text)) {
      throw new ValidationError(
        `--${name}`,
        `--${name} must be one of ${allowed.join(", ")}; got ${JSON.stringify(text)}`,
      );
    }
    return text as T;
  }

  /** "auto" or a whole number >= min, or the default when absent. */
  autoOrInt(name: string, options: { default: number | "auto"; min: number }): number | "auto" {
    const text = this.optional(name);
    if (text === undefined) return options.default;
    if (text === "auto") return "auto";
    if (!/^\d+$/.test(text) || Number(text) < options.min) {
      throw new ValidationError(
        `--${name}`,
        `--${name} must be auto or a whole number >= ${options.min}; got ${JSON.stringify(text)}`,
      );
    }
    return Number(text);
  }

  /** An inclusive range "a..b" of whole numbers with min <= a <= b, or the default when absent. */
  range(name: string, options: { default: readonly [number, number]; min: number }): [number, number] {
    const text = this.optional(name);
    if (text === undefined) return [options.default[0], options.default[1]];
    const match = /^(\d+)\.\.(\d+)$/.exec(text);
    const low = match ? Number(match[1]) : Number.NaN;
    const high = match ? Number(match[2]) : Number.NaN;
    if (!(low >= options.min && high >= low)) {
      throw new ValidationError(
        `--${name}`,
        `--${name} must be a range like ${options.min}..30 (whole numbers, from >= ${options.min}, to >= from); got ${JSON.stringify(text)}`,
      );
    }
    return [low, high];
  }
}

function parseWholeNumber(name: string, text: string, min: number, max: number): number {
  const value = /^[-+]?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(Number.isSafeInteger(value) && value >= min && value <= max)) {
    throw new ValidationError(
      `--${name}`,
      `--${name} must be a whole number${bounds(min, max)}; got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

function bounds(min: number, max: number): string {
  const hasMin = min > Number.MIN_SAFE_INTEGER && min > -Infinity;
  const hasMax = max < Number.MAX_SAFE_INTEGER && max < Infinity;
  if (hasMin && hasMax) return ` from ${min} to ${max}`;
  if (hasMin) return ` >= ${min}`;
  if (hasMax) return ` <= ${max}`;
  return "";
}

/**
 * Runs a script's main function: on `--help` prints the usage; on a ValidationError (bad flag) prints
 * "error: ..." and the usage, exit code 2; on a data, training or file error (missing input, unwritable
 * output, ENOENT/EACCES/EISDIR...) prints one line "error: ...", exit code 1.
 * Any other error keeps its stack (it is a bug).
 */
export async function runCli(
  usage: string,
  main: (argv: readonly string[]) => Promise<void> | void,
): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${usage.trim()}\n`);
    return;
  }
  try {
    await main(argv);
  } catch (error) {
    if (error instanceof ValidationError) {
      process.stderr.write(`error: ${error.message}\n\n${usage.trim()}\n`);
      process.exitCode = 2;
    } else if (
      error instanceof RatingsFormatError ||
      error instanceof TrainingError ||
      error instanceof CliFileError
    ) {
      process.stderr.write(`error: ${error.message}\n`);
      process.exitCode = 1;
    } else if (describeFileError(error) !== undefined) {
      // A file that went away or could not be written mid-run: one line, not a stack.
      process.stderr.write(`error: ${describeFileError(error)}\n`);
      process.exitCode = 1;
    } else {
      throw error;
    }
  }
}
