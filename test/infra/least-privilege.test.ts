import { beforeAll, describe, expect, it } from "vitest";
import { TABLE_WRITE_ACTIONS } from "../../infra/access-policies.js";
import { FUNCTION_SPECS, type FunctionName, isApiFunction } from "../../infra/function-specs.js";
import { FUNCTION_NAMES } from "../../shared/constants.js";
import {
  functionIds,
  idOf,
  resourcesOfType,
  roleStatements,
  type Statement,
  synthOncePerFile,
  synthStack,
} from "../helpers/synth-stack.js";

const synth = synthOncePerFile();
let tableArn: unknown;
let indexArn: unknown;
let bucketArn: unknown;

beforeAll(() => {
  tableArn = { "Fn::GetAtt": [idOf(synth.stack, synth.stack.data.table), "Arn"] };
  indexArn = { "Fn::Join": ["", [tableArn, "/index/byCount"]] };
  bucketArn = { "Fn::GetAtt": [idOf(synth.stack, synth.stack.data.bucket), "Arn"] };
});

const READ_ONLY: FunctionName[] = [
  "get-recommendations",
  "list-favourites",
  "get-popular-movies",
  "get-cluster",
  "get-model",
  "get-health",
  "search-movies",
  "get-movie",
  "get-similar-movies",
  "list-genres",
  "list-clusters",
  "get-model-chart",
  "recommend-from-picks",
];

function statementsOf(name: FunctionName): Statement[] {
  return roleStatements(synth.template, functionIds(synth.stack, name).role);
}

function actionsOf(name: FunctionName): string[] {
  return [...new Set(statementsOf(name).flatMap((st) => st.Action))].sort();
}

/** The statements that grant DynamoDB actions, without their Sid. */
function tableStatements(name: FunctionName): Omit<Statement, "Sid">[] {
  return statementsOf(name)
    .filter((st) => st.Action.some((a) => a.startsWith("dynamodb:")))
    .map(({ Sid: _sid, ...rest }) => rest);
}

describe("least privilege", () => {
  it("the spec table says which functions are read-only", () => {
    const readOnly = FUNCTION_NAMES.filter((name) => FUNCTION_SPECS[name].tableAccess === "read");
    expect(readOnly.sort()).toEqual([...READ_ONLY].sort());
  });

  it.each(READ_ONLY)("%s can read the table and index, and cannot write", (name) => {
    const actions = actionsOf(name);
    expect(actions.filter((a) => (TABLE_WRITE_ACTIONS as readonly string[]).includes(a))).toEqual([]);
    expect(actions.filter((a) => a.startsWith("dynamodb:") && !/:(Get|BatchGet|Query)/.test(a))).toEqual([]);
    expect(tableStatements(name)).toEqual([
      {
        Effect: "Allow",
        Action: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"],
        Resource: [tableArn, indexArn],
      },
    ]);
  });

  it("get-openapi has no table or bucket access at all", () => {
    expect(actionsOf("get-openapi").filter((a) => a.startsWith("dynamodb:") || a.startsWith("s3:"))).toEqual(
      [],
    );
  });

  it.each(["record-favourite", "remove-favourite", "dismiss-movie", "undo-dismissal"] as const)(
    "%s may put items, and update or condition-check only inside TransactWriteItems",
    (name) => {
      expect(tableStatements(name)).toEqual([
        {
          Effect: "Allow",
          Action: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"],
          Resource: [tableArn, indexArn],
        },
        { Effect: "Allow", Action: ["dynamodb:PutItem"], Resource: [tableArn] },
        {
          Effect: "Allow",
          Action: ["dynamodb:UpdateItem", "dynamodb:ConditionCheckItem"],
          Resource: [tableArn],
          Condition: {
            "ForAnyValue:StringEquals": { "dynamodb:EnclosingOperation": ["TransactWriteItems"] },
          },
        },
      ]);
      const actions = actionsOf(name);
      for (const forbidden of ["dynamodb:DeleteItem", "dynamodb:BatchWriteItem", "dynamodb:Scan"]) {
        expect(actions).not.toContain(forbidden);
      }
    },
  );

  it("train-model reads and writes the table item by item and in batches, and never scans", () => {
    const actions = actionsOf("train-model").filter((a) => a.startsWith("dynamodb:"));
    expect(actions).toEqual(
      [
        "dynamodb:BatchGetItem",
        "dynamodb:BatchWriteItem",
        "dynamodb:ConditionCheckItem",
        "dynamodb:DeleteItem",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:Query",
        "dynamodb:UpdateItem",
      ].sort(),
    );
  });

  it("nothing but train-model touches the bucket", () => {
    for (const name of FUNCTION_NAMES) {
      const s3 = actionsOf(name).filter((a) => a.startsWith("s3:"));
      if (name === "train-model") expect(s3.length).toBeGreaterThan(0);
      else expect(s3).toEqual([]);
    }
  });

  it("train-model reads the three input objects by exact key, and writes, lists and deletes only under models/", () => {
    const s3 = statementsOf("train-model")
      .filter((st) => st.Action.some((a) => a.startsWith("s3:")))
      .map(({ Sid: _sid, ...rest }) => rest);
    expect(s3).toEqual([
      {
        Effect: "Allow",
        Action: ["s3:GetObject"],
        Resource: [
          { "Fn::Join": ["", [bucketArn, "/input/ratings.csv"]] },
          { "Fn::Join": ["", [bucketArn, "/input/movies.csv"]] },
          { "Fn::Join": ["", [bucketArn, "/input/links.csv"]] },
        ],
      },
      {
        Effect: "Allow",
        Action: ["s3:PutObject", "s3:DeleteObject"],
        Resource: [{ "Fn::Join": ["", [bucketArn, "/models/*"]] }],
      },
      {
        Effect: "Allow",
        Action: ["s3:ListBucket"],
        Resource: [bucketArn],
        Condition: { StringLike: { "s3:prefix": ["models/*"] } },
      },
    ]);
    const moved = synthStack({ ratingsKey: "data/r.csv" });
    const movedRead = roleStatements(moved.template, functionIds(moved.stack, "train-model").role).find(
      (st) => st.Sid === "ReadRatings",
    );
    expect(JSON.stringify(movedRead!.Resource)).toContain("/data/r.csv");
  });

  it.each(FUNCTION_NAMES)(
    "%s has its own role: no managed policy, '*' only for X-Ray, logs only to its group",
    (name) => {
      const { fn, role } = functionIds(synth.stack, name);
      const roleProps = resourcesOfType(synth.template, "AWS::IAM::Role")[role]!.Properties;
      expect(roleProps.ManagedPolicyArns).toBeUndefined();
      const functionProps = resourcesOfType(synth.template, "AWS::Lambda::Function")[fn]!.Properties;
      expect(functionProps.Role).toEqual({ "Fn::GetAtt": [role, "Arn"] });
      const all = statementsOf(name);
      // Active tracing (API functions): X-Ray's two writes, which have no resource-level permissions.
      const xray = all.filter((st) => st.Action.some((a) => a.startsWith("xray:")));
      expect(xray).toEqual(
        !isApiFunction(name)
          ? []
          : [
              {
                Effect: "Allow",
                Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
                Resource: ["*"],
              },
            ],
      );
      const statements = all.filter((st) => !xray.includes(st));
      expect(statements.flatMap((st) => st.Resource)).not.toContain("*");
      expect(statements.every((st) => st.Effect === "Allow")).toBe(true);
      const logGroup = (functionProps.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      const logs = statements.filter((st) => st.Action.some((a) => a.startsWith("logs:")));
      expect(logs).toEqual([
        {
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: [{ "Fn::GetAtt": [logGroup, "Arn"] }],
        },
      ]);
    },
  );

  it("no two functions share a role", () => {
    const roles = FUNCTION_NAMES.map((name) => functionIds(synth.stack, name).role);
    expect(new Set(roles).size).toBe(FUNCTION_NAMES.length);
  });
});
