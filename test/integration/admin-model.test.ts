import { describe, expect, it } from "vitest";
import { createHandler } from "../../functions/admin-model/create-handler.js";
import { createAdminDeps } from "../../functions/admin-model/deps.js";
import { recordFavourite } from "../../shared/adapters/dynamo-favourite-writer.js";
import { GLOBAL } from "../../shared/adapters/dynamo-keys.js";
import { readPointer } from "../../shared/adapters/dynamo-pointer.js";
import {
  beginModelVersion,
  publishModelVersion,
  writeModelVersion,
} from "../../shared/adapters/dynamo-publish.js";
import { acquireTrainingLock, releaseTrainingLock } from "../../shared/adapters/dynamo-training-lock.js";
import { markVersionLive } from "../../shared/adapters/dynamo-version-history.js";
import { ConflictError, ValidationError } from "../../shared/domain/errors.js";
import { readCounts } from "../helpers/counts-helper.js";
import { createTestTable } from "../helpers/dynamo-test-table.js";
import { TINY_WRITE_OPTIONS, tinyVersion } from "../helpers/tiny-model.js";

const NOW = Date.UTC(2026, 11, 2, 4, 0, 0);

describe("administrative handler (DynamoDB Local)", { timeout: 300_000 }, () => {
  it("lists versions, rolls back under the training lock, and refuses malformed requests", async () => {
    const table = await createTestTable("admin");
    for (const [i, version] of ["v1", "v2"].entries()) {
      await acquireTrainingLock(table, "run", NOW, 600_000);
      await beginModelVersion(table, version, "run", NOW);
      await writeModelVersion(table, tinyVersion(version), TINY_WRITE_OPTIONS);
      await publishModelVersion(table, version, "run", NOW);
      await markVersionLive(table, version, NOW + i);
      await releaseTrainingLock(table, "run");
    }
    await recordFavourite(table, 4, 10, NOW); // while v2 is live
    let retrains = 0;
    const handler = createHandler(createAdminDeps(table, async () => ({ started: ++retrains })));

    const listed = await handler({ action: "versions" });
    expect(listed).toMatchObject({
      action: "versions",
      versions: [
        { version: "v1", state: "complete", active: false, liveAt: NOW },
        { version: "v2", state: "complete", active: true, liveAt: NOW + 1 },
      ],
    });

    expect(await handler({ action: "rollback", to: "v1" })).toEqual({
      action: "rollback",
      version: "v1",
      previousVersion: "v2",
      caughtUp: 1,
    });
    expect((await readPointer(table)).active?.version).toBe("v1");
    expect((await readCounts(table, "v1", GLOBAL)).get(10)).toBe(4);
    // The lock was released: a training run can start right away.
    await acquireTrainingLock(table, "next-run", Date.now(), 60_000);
    await expect(handler({ action: "rollback", to: "v2" })).rejects.toBeInstanceOf(ConflictError);
    await releaseTrainingLock(table, "next-run");

    expect(await handler({ action: "retrain" })).toEqual({ action: "retrain", result: { started: 1 } });
    await expect(handler({ action: "rollback" })).rejects.toThrow(ValidationError);
    await expect(handler({ action: "rollback" })).rejects.toMatchObject({ field: "to" });
    await expect(handler({ action: "delete-everything" })).rejects.toMatchObject({ field: "action" });
  });
});
