import { describe, expect, it } from "vitest";
import { CliArgs } from "../../../scripts/cli-args.js";
import { ValidationError } from "../../../shared/domain/errors.js";

const KNOWN = { ratings: "value", k: "value", seed: "value", json: "switch", threshold: "value" } as const;

function failure(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error("expected a ValidationError");
}

describe("CliArgs", () => {
  it("reads --name value, --name=value and switches", () => {
    const args = new CliArgs(["--ratings", "r.csv", "--seed=7", "--json"], KNOWN);
    expect(args.required("ratings")).toBe("r.csv");
    expect(args.int("seed", { default: 42 })).toBe(7);
    expect(args.has("json")).toBe(true);
    expect(args.optional("k")).toBeUndefined();
    expect(args.autoOrInt("k", { default: "auto", min: 1 })).toBe("auto");
  });

  it("parses auto-or-number, ranges, numbers and choices", () => {
    const args = new CliArgs(["--k", "12", "--seed", "2..30", "--threshold", "3.5"], KNOWN);
    expect(args.autoOrInt("k", { default: "auto", min: 1 })).toBe(12);
    expect(args.range("seed", { default: [2, 30], min: 1 })).toEqual([2, 30]);
    expect(args.number("threshold", { default: 4, min: 0.5, max: 5 })).toBe(3.5);
    expect(args.choice("ratings", ["a", "b"], "a")).toBe("a");
  });

  it("names the flag in every error", () => {
    const cases: [() => unknown, string, string][] = [
      [
        () => new CliArgs(["--film", "x"], KNOWN),
        "--film",
        "unknown flag --film (known flags: --ratings, --k, --seed, --json, --threshold)",
      ],
      [() => new CliArgs(["--ratings"], KNOWN), "--ratings", "--ratings needs a value"],
      [() => new CliArgs(["--ratings", "--json"], KNOWN), "--ratings", "--ratings needs a value"],
      [() => new CliArgs(["--k", "1", "--k", "2"], KNOWN), "--k", "--k is given more than once"],
      [() => new CliArgs(["--json=yes"], KNOWN), "--json", "--json takes no value"],
      [
        () => new CliArgs(["extra"], KNOWN),
        "extra",
        'unexpected argument "extra": flags look like --name value',
      ],
      [() => new CliArgs([], KNOWN).required("ratings"), "--ratings", "--ratings is required"],
      [
        () => new CliArgs(["--seed", "x"], KNOWN).int("seed", { default: 1, min: 0 }),
        "--seed",
        '--seed must be a whole number >= 0; got "x"',
      ],
      [
        () => new CliArgs(["--k", "0"], KNOWN).autoOrInt("k", { default: "auto", min: 1 }),
        "--k",
        '--k must be auto or a whole number >= 1; got "0"',
      ],
      [
        () => new CliArgs(["--k", "30..2"], KNOWN).range("k", { default: [2, 30], min: 2 }),
        "--k",
        '--k must be a range like 2..30 (whole numbers, from >= 2, to >= from); got "30..2"',
      ],
      [
        () => new CliArgs(["--threshold", "9"], KNOWN).number("threshold", { default: 4, min: 0.5, max: 5 }),
        "--threshold",
        '--threshold must be a number from 0.5 to 5; got "9"',
      ],
      [
        () => new CliArgs(["--ratings", "c"], KNOWN).choice("ratings", ["a", "b"], "a"),
        "--ratings",
        '--ratings must be one of a, b; got "c"',
      ],
    ];
    for (const [fn, field, message] of cases) {
      const error = failure(fn);
      expect(error.field).toBe(field);
      expect(error.message).toBe(message);
    }
  });
});
