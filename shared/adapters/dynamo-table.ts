import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { TABLE_SCHEMA } from "../constants.js";
import { type DynamoSender, translateError } from "./dynamo-client.js";

/**
 * Creates the table from TABLE_SCHEMA (on-demand, the byCount GSI, TTL on expiresAt), as the CDK stack does:
 * for tests and `npm start`. Resolves when the table is ACTIVE; an existing table is left as it is.
 */
export async function createTable(sender: DynamoSender, tableName: string): Promise<void> {
  const { partitionKey, sortKey, countIndex, ttlAttribute } = TABLE_SCHEMA;
  try {
    await sender.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [
          { AttributeName: partitionKey, AttributeType: "S" },
          { AttributeName: sortKey, AttributeType: "S" },
          { AttributeName: countIndex.partitionKey, AttributeType: "S" },
          { AttributeName: countIndex.sortKey, AttributeType: "N" },
        ],
        KeySchema: [
          { AttributeName: partitionKey, KeyType: "HASH" },
          { AttributeName: sortKey, KeyType: "RANGE" },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: countIndex.name,
            KeySchema: [
              { AttributeName: countIndex.partitionKey, KeyType: "HASH" },
              { AttributeName: countIndex.sortKey, KeyType: "RANGE" },
            ],
            Projection: {
              ProjectionType: countIndex.projection,
              NonKeyAttributes: [...countIndex.nonKeyAttributes],
            },
          },
        ],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw translateError(error, "CreateTable");
    return;
  }
  for (;;) {
    const described = await sender.send(new DescribeTableCommand({ TableName: tableName }));
    if (described.Table?.TableStatus === "ACTIVE") break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await sender.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
    }),
  );
}
