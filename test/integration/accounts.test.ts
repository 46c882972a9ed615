import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { bindAccountReader } from "../../shared/adapters/dynamo-account-reader.js";
import { bindAccountWriter } from "../../shared/adapters/dynamo-account-writer.js";
import type { TableRef } from "../../shared/adapters/dynamo-client.js";
import { ACCOUNT_COUNTER_KEY } from "../../shared/adapters/dynamo-keys.js";
import { ACCOUNT_ID_BASE } from "../../shared/constants.js";
import { createTestTable } from "../helpers/dynamo-test-table.js";

/** Account links against DynamoDB Local: ids allocated atomically, never twice, links written once. */

let table: TableRef;

beforeAll(async () => {
  table = await createTestTable("accounts");
});

async function counter(): Promise<number> {
  const { Item } = await table.client.send(
    new GetItemCommand({
      TableName: table.tableName,
      Key: { pk: { S: ACCOUNT_COUNTER_KEY.pk }, sk: { S: ACCOUNT_COUNTER_KEY.sk } },
      ConsistentRead: true,
    }),
  );
  return Number(Item?.next?.N ?? 0);
}

describe("opening accounts", () => {
  it("gives 50 new subjects at once 50 distinct ids above the dataset range, in counter order", async () => {
    const writer = bindAccountWriter(table);
    const ids = await Promise.all(Array.from({ length: 50 }, (_, i) => writer.openAccount(`subject-${i}`)));
    expect(new Set(ids).size).toBe(50);
    expect([...ids].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => ACCOUNT_ID_BASE + 1 + i),
    );
    expect(await counter()).toBe(50);
    const reader = bindAccountReader(table);
    expect(await reader.userIdOf("subject-7")).toBe(ids[7]);
    expect(await reader.userIdOf("nobody")).toBeNull();
  });

  it("gives one subject asking 20 times at once one id; the losers' numbers are never handed out again", async () => {
    const writers = Array.from({ length: 20 }, () => bindAccountWriter(table));
    const before = await counter();
    const ids = await Promise.all(writers.map((writer) => writer.openAccount("racing-subject")));
    expect(new Set(ids).size).toBe(1);
    const used = await counter();
    expect(used).toBeGreaterThan(before);
    // The next account gets a number after every one drawn in the race, even the unused ones.
    expect(await bindAccountWriter(table).openAccount("after-the-race")).toBe(ACCOUNT_ID_BASE + used + 1);
  });
});

describe("linking sample users", () => {
  it("links a subject to an existing id once; neither the subject nor the id can be linked again", async () => {
    const writer = bindAccountWriter(table);
    expect(await writer.linkAccount("sample-5", 5)).toEqual({ linked: true });
    expect(await writer.linkAccount("sample-5", 5)).toEqual({ linked: true });
    expect(await writer.linkAccount("intruder", 5)).toEqual({ linked: false });
    expect(await writer.linkAccount("sample-5", 6)).toEqual({ linked: false });
    const reader = bindAccountReader(table);
    expect(await reader.userIdOf("sample-5")).toBe(5);
    expect(await reader.userIdOf("intruder")).toBeNull();
    expect(await writer.openAccount("sample-5")).toBe(5);
  });
});
