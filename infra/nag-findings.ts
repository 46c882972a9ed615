import { Stack } from "aws-cdk-lib";
import type { IConstruct } from "constructs";

/**
 * The id cdk-nag gives a wildcard-resource finding (AwsSolutions-IAM5) on `<arn><suffix>`, where `arn` is a
 * resource's `Fn::GetAtt ... Arn` token, so a suppression names exactly the one wildcard it accepts.
 */
export function wildcardResourceFinding(scope: IConstruct, arn: string, suffix: string): string {
  const resolved: unknown = Stack.of(scope).resolve(arn);
  const getAtt = (resolved as { "Fn::GetAtt"?: [string, string] })["Fn::GetAtt"];
  if (!getAtt) throw new TypeError(`expected an Fn::GetAtt ARN token, got ${JSON.stringify(resolved)}`);
  return `AwsSolutions-IAM5[Resource::<${getAtt[0]}.${getAtt[1]}>${suffix}]`;
}
