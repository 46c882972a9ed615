import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { App, type CfnElement, type Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import type { CloudAssembly } from "aws-cdk-lib/cx-api";
import type { IConstruct } from "constructs";
import { afterAll, beforeAll } from "vitest";
import { buildApp } from "../../infra/build-app.js";
import type { CineclusterStack } from "../../infra/cinecluster-stack.js";
import type { FunctionName } from "../../infra/function-specs.js";

/** The context of cdk.json (feature flags and the documented setting defaults). */
export const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, "../../cdk.json"), "utf8"),
).context;

const outdirs: string[] = [];

function newOutdir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "cinecluster-synth-"));
  outdirs.push(dir);
  return dir;
}

/** Deletes every assembly directory synthStack made (call it in afterAll). */
export function removeSynthOutputs(): void {
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A synthesised stack: its template and the assembly directory. */
export interface Synthesised {
  readonly stack: CineclusterStack;
  readonly template: Template;
  readonly assembly: CloudAssembly;
}

/**
 * Builds the app as infra/app.ts does (cdk-nag included: synth throws on an unacknowledged finding) with
 * cdk.json's context plus `context`, into a temporary directory. Bundling is skipped unless `bundle` is set,
 * and CloudFormation's own template validation is off (TOOLCHAIN.md: 6 s to 1 s); CI's `cdk synth` keeps it.
 */
export function synthStack(
  context: Record<string, unknown> = {},
  options: { readonly bundle?: boolean } = {},
): Synthesised {
  const app = new App({
    context: {
      ...CDK_JSON_CONTEXT,
      ...(options.bundle ? {} : { "aws:cdk:bundling-stacks": [] }),
      ...context,
    },
    builtinCloudFormationValidation: false,
    outdir: newOutdir(),
  });
  const stack = buildApp(app);
  const assembly = app.synth();
  const template = Template.fromJSON(assembly.getStackByName(stack.stackName).template);
  return { stack, template, assembly };
}

/**
 * Synthesises the default stack once for the calling test file (its beforeAll) and deletes the file's
 * assembly directories afterwards (its afterAll). The returned object reads that stack: use it in tests and hooks.
 */
export function synthOncePerFile(): Synthesised {
  let synth: Synthesised | undefined;
  beforeAll(() => {
    synth = synthStack();
  });
  afterAll(removeSynthOutputs);
  const current = (): Synthesised => {
    if (!synth) throw new Error("the stack is synthesised in beforeAll: read it inside a test or hook");
    return synth;
  };
  return {
    get stack() {
      return current().stack;
    },
    get template() {
      return current().template;
    },
    get assembly() {
      return current().assembly;
    },
  };
}

/** A template's resources of one type, by logical id. */
export function resourcesOfType(
  template: Template,
  type: string,
): Record<string, { Properties: Record<string, unknown>; Metadata?: Record<string, unknown> }> {
  return template.findResources(type) as Record<
    string,
    { Properties: Record<string, unknown>; Metadata?: Record<string, unknown> }
  >;
}

/** The logical id of an L2 construct's CloudFormation resource. */
export function idOf(stack: Stack, construct: IConstruct): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnElement);
}

/** The logical ids of a function and of its role. */
export function functionIds(stack: CineclusterStack, name: FunctionName): { fn: string; role: string } {
  const fn = stack.functions.byName[name];
  return { fn: idOf(stack, fn), role: idOf(stack, fn.role!) };
}

/** One IAM statement as it appears in the template, Action and Resource normalised to lists. */
export interface Statement {
  readonly Effect: string;
  readonly Action: string[];
  readonly Resource: unknown[];
  readonly Condition?: Record<string, unknown>;
  readonly Sid?: string;
}

/** Every statement of every policy attached to a role (inline policies and AWS::IAM::Policy resources). */
export function roleStatements(template: Template, roleId: string): Statement[] {
  const normalise = (raw: Record<string, unknown>): Statement => ({
    ...(raw as unknown as Statement),
    Action: ([] as string[]).concat(raw.Action as string | string[]),
    Resource: ([] as unknown[]).concat(raw.Resource),
  });
  const role = resourcesOfType(template, "AWS::IAM::Role")[roleId];
  const inline = (
    (role?.Properties.Policies ?? []) as { PolicyDocument: { Statement: Record<string, unknown>[] } }[]
  ).flatMap((policy) => policy.PolicyDocument.Statement);
  const attached = Object.values(resourcesOfType(template, "AWS::IAM::Policy"))
    .filter((policy) => (policy.Properties.Roles as { Ref?: string }[]).some((ref) => ref.Ref === roleId))
    .flatMap(
      (policy) => (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
    );
  return [...inline, ...attached].map(normalise);
}
