import { GetItemCommand, QueryCommand } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { createHandler as getRecommendations } from "../../functions/get-recommendations/create-handler.js";
import type { DynamoSender, TableRef } from "../../shared/adapters/dynamo-client.js";
import { POINTER_SK, userPk } from "../../shared/adapters/dynamo-keys.js";
import {
  beginModelVersion,
  publishModelVersion,
  writeModelVersion,
} from "../../shared/adapters/dynamo-publish.js";
import { bindApiStore } from "../../shared/adapters/dynamo-store.js";
import { acquireTrainingLock } from "../../shared/adapters/dynamo-training-lock.js";
import { apiEvent, bodyOf } from "../helpers/api-event.js";
import { callerAuthFor } from "../helpers/callers.js";
import { createTestTable } from "../helpers/dynamo-test-table.js";
import { TINY_WRITE_OPTIONS, tinyVersion } from "../helpers/tiny-model.js";

const NOW = Date.UTC(2026, 10, 21, 7, 0, 0);

async function publish(table: TableRef, version: string): Promise<void> {
  await beginModelVersion(table, version, "t", NOW);
  await writeModelVersion(table, tinyVersion(version), TINY_WRITE_OPTIONS);
  await publishModelVersion(table, version, "t", NOW);
}

describe("a pointer flip between the concurrent reads of one request", () => {
  it("still answers from the complete new version, not as if the user were unknown", async () => {
    const table = await createTestTable("flip-race");
    await acquireTrainingLock(table, "t", NOW, 600_000);
    await publish(table, "v1");
    // An injected client orders the request's parallel reads the unlucky way: the user's versions query is
    // served first (it sees only v1), then v2 is written and the pointer flips, then the pointer is read.
    const send = table.client.send.bind(table.client) as (command: unknown) => Promise<unknown>;
    let releasePointer!: () => void;
    const flipped = new Promise<void>((resolve) => (releasePointer = resolve));
    let queried = false;
    let pointerHeld = false;
    const racing: TableRef = {
      ...table,
      client: {
        send: async (command: unknown) => {
          if (!pointerHeld && command instanceof GetItemCommand && command.input.Key?.sk?.S === POINTER_SK) {
            pointerHeld = true;
            await flipped;
          }
          // The query of the user's own partition (their per-version items and dismissed movies).
          const userPartition =
            command instanceof QueryCommand &&
            command.input.KeyConditionExpression === "pk = :pk" &&
            command.input.ExpressionAttributeValues?.[":pk"]?.S === userPk(1);
          if (!queried && userPartition) {
            queried = true;
            const answer = await send(command);
            await publish(table, "v2");
            releasePointer();
            return answer;
          }
          return send(command);
        },
      } as unknown as DynamoSender,
    };
    const caller = await callerAuthFor(table, [1]);
    const recommend = getRecommendations({ store: bindApiStore(racing, { candidatePool: 100 }), caller });
    const body = bodyOf(await recommend(apiEvent({ pathParameters: { userId: "1" } })));
    expect(queried && pointerHeld).toBe(true);
    expect(body).toMatchObject({ source: "cluster", modelVersion: "v2", userId: 1 });
  });
});
