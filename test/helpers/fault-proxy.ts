import { createConnection, createServer, type Server, type Socket } from "node:net";

/**
 * A TCP proxy between a client and a real emulator (DynamoDB Local, s3rver) that injects the network faults
 * a real store produces and an emulator cannot be asked for: an idle keep-alive socket closed under the
 * client, a connection reset after the request reached the store (applied, answer lost), delays and a
 * stall. Everything else passes through unchanged.
 */
export interface FaultProxy {
  /** http://127.0.0.1:port of the proxy. */
  readonly url: string;
  /** Connections accepted so far. */
  readonly accepted: number;
  /**
   * The idle-socket case, deterministically: the `count` most recently used connections open now are
   * closed without an answer the next time the client sends on them (what a client that reuses a socket
   * the server has just closed sees: `socket hang up`). Node's agent reuses the most recently used free
   * socket first, so the next request meets one. Returns how many were doomed.
   */
  hangUpIdle(count?: number): number;
  /** The next `n` requests reach the store, then their connection is reset before the answer gets back. */
  resetAfterForward(n: number): void;
  /** Resets every connection, open or new, as soon as it sends (a store that is down). */
  refuseAll(on: boolean): void;
  /** Holds every byte in both directions without closing (a store frozen by SIGSTOP). */
  stall(on: boolean): void;
  /** Delays each chunk in each direction by `ms`. */
  delay(ms: number): void;
  /** Requests forwarded so far (client chunks that started a request). */
  readonly forwarded: number;
  close(): Promise<void>;
}

interface Pair {
  readonly client: Socket;
  readonly server: Socket;
  doomed: boolean;
  resetOnAnswer: boolean;
  lastActive: number;
}

/** Starts a proxy on a free loopback port in front of `target` (an http://host:port URL). */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const { hostname, port } = new URL(target);
  const pairs = new Set<Pair>();
  const held: (() => void)[] = [];
  let accepted = 0;
  let forwarded = 0;
  let resetBudget = 0;
  let refusing = false;
  let stalled = false;
  let delayMs = 0;

  const pass = (run: () => void) => {
    if (stalled) held.push(run);
    else if (delayMs > 0) setTimeout(run, delayMs);
    else run();
  };

  const server: Server = createServer((client) => {
    accepted++;
    client.setNoDelay(true);
    const upstream = createConnection({ host: hostname, port: Number(port) });
    upstream.setNoDelay(true);
    const pair: Pair = { client, server: upstream, doomed: false, resetOnAnswer: false, lastActive: 0 };
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("data", (chunk: Buffer) => {
      if (refusing || pair.doomed) {
        client.resetAndDestroy();
        upstream.destroy();
        pairs.delete(pair);
        return;
      }
      pair.lastActive = performance.now();
      // A chunk that starts with an HTTP method starts a request.
      if (/^[A-Z]+ \S+ HTTP\/1\.[01]\r\n/.test(chunk.subarray(0, 64).toString("latin1"))) {
        forwarded++;
        if (resetBudget > 0) {
          resetBudget--;
          pair.resetOnAnswer = true;
        }
      }
      pass(() => upstream.write(chunk));
    });
    upstream.on("data", (chunk: Buffer) => {
      if (pair.resetOnAnswer) {
        client.resetAndDestroy();
        upstream.destroy();
        pairs.delete(pair);
        return;
      }
      pass(() => {
        if (!client.destroyed) client.write(chunk);
      });
    });
    client.on("error", drop);
    upstream.on("error", drop);
    client.on("close", drop);
    upstream.on("close", drop);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("proxy has no port");

  return {
    url: `http://127.0.0.1:${address.port}`,
    get accepted() {
      return accepted;
    },
    get forwarded() {
      return forwarded;
    },
    hangUpIdle(count = Number.POSITIVE_INFINITY) {
      const recent = [...pairs].sort((a, b) => b.lastActive - a.lastActive).slice(0, count);
      for (const pair of recent) pair.doomed = true;
      return recent.length;
    },
    resetAfterForward(n) {
      resetBudget = n;
    },
    refuseAll(on) {
      refusing = on;
      // A store that dies closes its sockets: the client sees them go.
      if (on) {
        for (const pair of pairs) {
          pair.client.destroy();
          pair.server.destroy();
        }
        pairs.clear();
      }
    },
    stall(on) {
      stalled = on;
      if (!on) for (const run of held.splice(0)) run();
    },
    delay(ms) {
      delayMs = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const pair of pairs) {
          pair.client.destroy();
          pair.server.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
