import { describe, expect, it } from "vitest";
import { functionIds, resourcesOfType, roleStatements, synthOncePerFile } from "../helpers/synth-stack.js";

const synth = synthOncePerFile();

/** The functions a resource refers to, by logical id, anywhere in its properties. */
function mentions(value: unknown, id: string): boolean {
  return JSON.stringify(value).includes(`"${id}"`);
}

describe("the administrative function (admin-model)", () => {
  it("is reachable through IAM only: no route integrates it and no resource policy lets a service invoke it", () => {
    const admin = functionIds(synth.stack, "admin-model").fn;
    const integrations = Object.values(resourcesOfType(synth.template, "AWS::ApiGatewayV2::Integration"));
    expect(integrations.length).toBeGreaterThan(0);
    expect(integrations.filter((integration) => mentions(integration.Properties, admin))).toEqual([]);
    const permissions = Object.values(resourcesOfType(synth.template, "AWS::Lambda::Permission"));
    expect(permissions.filter((permission) => mentions(permission.Properties.FunctionName, admin))).toEqual(
      [],
    );
    const schedules = Object.values(resourcesOfType(synth.template, "AWS::Scheduler::Schedule"));
    expect(schedules.filter((schedule) => mentions(schedule.Properties, admin))).toEqual([]);
  });

  it("may invoke the training function and nothing else; the table as a training run; never the bucket", () => {
    const { role } = functionIds(synth.stack, "admin-model");
    const train = functionIds(synth.stack, "train-model").fn;
    const statements = roleStatements(synth.template, role);
    const lambda = statements.filter((st) => st.Action.some((a) => a.startsWith("lambda:")));
    expect(lambda).toEqual([
      {
        Sid: "StartTraining",
        Effect: "Allow",
        Action: ["lambda:InvokeFunction"],
        Resource: [{ "Fn::GetAtt": [train, "Arn"] }],
      },
    ]);
    expect(statements.flatMap((st) => st.Action).filter((a) => a.startsWith("s3:"))).toEqual([]);
    const trainTable = roleStatements(synth.template, functionIds(synth.stack, "train-model").role)
      .filter((st) => st.Action.some((a) => a.startsWith("dynamodb:")))
      .map((st) => st.Action);
    expect(
      statements.filter((st) => st.Action.some((a) => a.startsWith("dynamodb:"))).map((st) => st.Action),
    ).toEqual(trainTable);
  });

  it("runs as long as the training lock it may hold, and its name is a stack output", () => {
    const fn = resourcesOfType(synth.template, "AWS::Lambda::Function")[
      functionIds(synth.stack, "admin-model").fn
    ]!;
    expect(fn.Properties).toMatchObject({ Timeout: 900, MemorySize: 512, Runtime: "nodejs24.x" });
    expect(fn.Properties.TracingConfig).toBeUndefined();
    const outputs = synth.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.AdminFunctionName!.Value).toEqual({ Ref: functionIds(synth.stack, "admin-model").fn });
  });
});
