import type { TableRef } from "../../shared/adapters/dynamo-client.js";
import { queryAll } from "../../shared/adapters/dynamo-client.js";
import { S } from "../../shared/adapters/dynamo-codec.js";
import { countPk, type GLOBAL, movieIdOfSk } from "../../shared/adapters/dynamo-keys.js";

/** movieId -> count of one count partition, read strongly consistent from the table (not the GSI). */
export async function readCounts(
  table: TableRef,
  version: string,
  cluster: number | typeof GLOBAL,
): Promise<Map<number, number>> {
  const items = await queryAll(table, {
    keyCondition: "pk = :pk",
    values: { ":pk": S(countPk(version, cluster)) },
    consistent: true,
  });
  return new Map(items.map((item) => [movieIdOfSk(item.sk!.S!), Number(item.gsi1sk!.N)]));
}
