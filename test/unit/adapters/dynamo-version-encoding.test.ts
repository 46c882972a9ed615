import { describe, expect, it } from "vitest";
import { unpackFloat32, unpackInt32 } from "../../../shared/adapters/dynamo-codec.js";
import { encodeVersionItem, encodeVersionMeta } from "../../../shared/adapters/dynamo-version-encoding.js";
import { tinyVersion } from "../../helpers/tiny-model.js";

describe("encodeVersionItem", () => {
  it("encodes a catalogue entry under the movie's key", () => {
    expect(
      encodeVersionItem("v1", {
        kind: "movie",
        movieId: 10,
        title: "Toy Story (1995)",
        genres: ["Animation"],
        ratingCount: 4,
        ratingMean: 4.5,
      }),
    ).toEqual({
      pk: { S: "MOVIE#10" },
      sk: { S: "MOVIE" },
      title: { S: "Toy Story (1995)" },
      genres: { L: [{ S: "Animation" }] },
      ratingCount: { N: "4" },
      ratingMean: { N: "4.5" },
    });
  });

  it("encodes a cluster count (title and genres for the GSI), and a global count with packed neighbours", () => {
    const cluster = encodeVersionItem("v1", {
      kind: "count",
      cluster: 1,
      movieId: 11,
      count: 2,
      title: "Heat (1995)",
      genres: [],
    });
    expect(cluster).toEqual({
      pk: { S: cluster.pk!.S! },
      sk: { S: cluster.sk!.S! },
      gsi1pk: { S: cluster.pk!.S! },
      gsi1sk: { N: "2" },
      title: { S: "Heat (1995)" },
      genres: { L: [] },
    });
    const global = encodeVersionItem("v1", {
      kind: "count",
      cluster: "global",
      movieId: 10,
      count: 3,
      title: "",
      genres: [],
      neighbours: {
        movieIds: Int32Array.from([12, 14]),
        similarities: Float32Array.from([0.75, 0.5]),
        together: Int32Array.from([2, 1]),
      },
    });
    expect(global.pk!.S).not.toBe(cluster.pk!.S);
    expect(global.g).toBeUndefined();
    expect(unpackInt32(global.nb!.B!)).toEqual(Int32Array.from([12, 14]));
    expect(unpackFloat32(global.ns!.B!)).toEqual(Float32Array.from([0.75, 0.5]));
    expect(unpackInt32(global.nt!.B!)).toEqual(Int32Array.from([2, 1]));
  });

  it("encodes a user's memberships as lists and favourites as packed ids", () => {
    const item = encodeVersionItem("v1", {
      kind: "user",
      userId: 3,
      cluster: 0,
      memberships: { clusters: [0, 1], weights: [0.75, 0.25] },
      favourites: Int32Array.from([10, 12, 14]),
      seen: Int32Array.from([11, 16]),
    });
    expect(item.cluster).toEqual({ N: "0" });
    expect(item.mc).toEqual({ L: [{ N: "0" }, { N: "1" }] });
    expect(item.mw).toEqual({ L: [{ N: "0.75" }, { N: "0.25" }] });
    expect(unpackInt32(item.favs!.B!)).toEqual(Int32Array.from([10, 12, 14]));
    expect(unpackInt32(item.seen!.B!)).toEqual(Int32Array.from([11, 16]));
    expect(item.gsi1sk).toEqual({ N: "3" });
  });

  it("encodes profiles and the popular list as JSON", () => {
    const profile = encodeVersionItem("v1", {
      kind: "cluster-profile",
      clusterId: 1,
      size: 2,
      topGenres: [{ genre: "Crime", count: 3 }],
      summary: { clusterId: 1, size: 2, label: "Crime", distinctiveGenres: [], distinctiveMovies: [] },
      centroidNorm2: 0.25,
    });
    expect(profile.cn).toEqual({ N: "0.25" });
    expect([profile.size, profile.topGenres]).toEqual([{ N: "2" }, { S: '[{"genre":"Crime","count":3}]' }]);
    expect(JSON.parse(profile.summary!.S!).label).toBe("Crime");
    const popular = encodeVersionItem("v1", { kind: "popular", movies: [] });
    expect(popular.list).toEqual({ S: "[]" });
    expect(popular.pk).toEqual(profile.pk);
  });
});

describe("encodeVersionMeta", () => {
  it("stores the state, the info as JSON, and the report only when there is one", () => {
    const input = tinyVersion("v1");
    const meta = encodeVersionMeta(input, "writing");
    expect(meta.state).toEqual({ S: "writing" });
    expect(JSON.parse(meta.info!.S!).clusterSizes).toEqual([3, 2]);
    expect(meta.report).toBeUndefined();
    const report = { bucket: "b", jsonKey: "models/v1/k.json", svgKey: null };
    expect(encodeVersionMeta({ ...input, report }, "complete").report).toEqual({ S: JSON.stringify(report) });
  });
});
