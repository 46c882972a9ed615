import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import { linksKeyFor, TABLE_SCHEMA } from "../shared/constants.js";
import type { TableAccess } from "./function-specs.js";

/**
 * The IAM statements behind each access level of function-specs.ts, written out action by action (no
 * `grantReadWriteData`), on exact ARNs wherever the key is known at deploy time.
 */

/** Item reads the API functions make. */
const TABLE_READ_ACTIONS = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"] as const;

/**
 * Item writes of the favourite functions (shared/adapters/dynamo-favourite-writer.ts, dynamo-placement.ts):
 * a conditional PutItem that places a user who has no cluster yet, and the favourite transaction itself
 * (PutItem, UpdateItem of the counts and the user, ConditionCheckItem). IAM authorises each part of a TransactWriteItems call as the
 * item action it is, so the updates and condition checks are allowed only inside a transaction.
 */
const FAVOURITE_PUT_ACTIONS = ["dynamodb:PutItem"] as const;
const FAVOURITE_TRANSACTION_ACTIONS = ["dynamodb:UpdateItem", "dynamodb:ConditionCheckItem"] as const;

/**
 * Item writes of GET /me (shared/adapters/dynamo-account-writer.ts): UpdateItem of the id counter (ADD), and
 * the link transaction's two conditional PutItems, allowed only inside a transaction.
 */
const ACCOUNT_COUNTER_ACTIONS = ["dynamodb:UpdateItem"] as const;
const ACCOUNT_TRANSACTION_ACTIONS = ["dynamodb:PutItem"] as const;

/**
 * What a training run does to the table besides reading (shared/adapters/dynamo-publish.ts, dynamo-training-lock.ts, dynamo-version-cleanup.ts): batches of
 * version items, the lock and pointer items, count updates and catch-up transactions, superseded versions
 * deleted.
 */
const TRAINING_WRITE_ACTIONS = [
  "dynamodb:BatchWriteItem",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:ConditionCheckItem",
] as const;

/** Every DynamoDB action that changes data: none of these may appear in a read-only function's policy. */
export const TABLE_WRITE_ACTIONS = [
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:TransactWriteItems",
  "dynamodb:ConditionCheckItem",
  "dynamodb:PartiQLInsert",
  "dynamodb:PartiQLUpdate",
  "dynamodb:PartiQLDelete",
] as const;

function indexArn(tableArn: string): string {
  return `${tableArn}/index/${TABLE_SCHEMA.countIndex.name}`;
}

/** The statements of one table access level. */
export function tableStatements(access: TableAccess, tableArn: string): PolicyStatement[] {
  if (access === "none") return [];
  const resources = [tableArn, indexArn(tableArn)];
  const statements = [new PolicyStatement({ sid: "ReadTable", actions: [...TABLE_READ_ACTIONS], resources })];
  if (access === "favourites") {
    statements.push(
      new PolicyStatement({
        sid: "PutFavouriteItems",
        actions: [...FAVOURITE_PUT_ACTIONS],
        resources: [tableArn],
      }),
      new PolicyStatement({
        sid: "UpdateInFavouriteTransactions",
        actions: [...FAVOURITE_TRANSACTION_ACTIONS],
        resources: [tableArn],
        conditions: { "ForAnyValue:StringEquals": { "dynamodb:EnclosingOperation": ["TransactWriteItems"] } },
      }),
    );
  }
  if (access === "accounts") {
    statements.push(
      new PolicyStatement({
        sid: "AllocateAccountIds",
        actions: [...ACCOUNT_COUNTER_ACTIONS],
        resources: [tableArn],
        conditions: { "ForAllValues:StringEquals": { "dynamodb:LeadingKeys": ["ACCOUNTS"] } },
      }),
      new PolicyStatement({
        sid: "PutInAccountTransactions",
        actions: [...ACCOUNT_TRANSACTION_ACTIONS],
        resources: [tableArn],
        conditions: {
          "ForAnyValue:StringEquals": { "dynamodb:EnclosingOperation": ["TransactWriteItems"] },
          "ForAllValues:StringLike": { "dynamodb:LeadingKeys": ["ACCOUNT#*", "OWNER#*"] },
        },
      }),
    );
  }
  if (access === "training") {
    statements.push(
      new PolicyStatement({
        sid: "WriteModelVersions",
        actions: [...TRAINING_WRITE_ACTIONS],
        resources: [tableArn],
      }),
    );
  }
  return statements;
}

/**
 * Prefix under which the training run writes each version's k-selection report (and lists and deletes
 * superseded ones). It must equal the prefix of `reportKeys` in functions/train-model/write-report.ts,
 * which infra may not import: test/infra/function-contract.test.ts compares the two.
 */
export const REPORTS_PREFIX = "models/";

/** Where the training run reads and writes in the bucket. */
export interface TrainingObjects {
  readonly bucketArn: string;
  readonly ratingsKey: string;
  readonly moviesKey: string;
  /** Prefix of the per-version reports, ending in "/". */
  readonly reportsPrefix: string;
}

/**
 * The training run's bucket access: read the input objects (ratings, movies, links; exact keys), and write, list and delete the
 * reports under their prefix (keys named by model version, so the prefix needs a wildcard).
 */
export function trainingBucketStatements(objects: TrainingObjects): PolicyStatement[] {
  const { bucketArn, ratingsKey, moviesKey, reportsPrefix } = objects;
  return [
    new PolicyStatement({
      sid: "ReadRatings",
      actions: ["s3:GetObject"],
      resources: [
        `${bucketArn}/${ratingsKey}`,
        `${bucketArn}/${moviesKey}`,
        `${bucketArn}/${linksKeyFor(moviesKey)}`,
      ],
    }),
    new PolicyStatement({
      sid: "WriteReports",
      actions: ["s3:PutObject", "s3:DeleteObject"],
      resources: [`${bucketArn}/${reportsPrefix}*`],
    }),
    new PolicyStatement({
      sid: "ListReports",
      actions: ["s3:ListBucket"],
      resources: [bucketArn],
      conditions: { StringLike: { "s3:prefix": [`${reportsPrefix}*`] } },
    }),
  ];
}
