import { readFileSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";

/**
 * The web page as the local server serves it: web/app.ts bundled by esbuild in memory (one ES module, no
 * external code at run time), the HTML shell, the stylesheet, and a /config.json that tells the page how
 * to sign in. The CDK stack deploys the same files (infra bundles them the same way).
 */

/** One static file. */
export interface StaticFile {
  readonly contentType: string;
  readonly body: Buffer;
}

const WEB_DIR = path.resolve(import.meta.dirname, "../web");

/** Bundles the page; `config` becomes /config.json. Keys are request paths ("/" serves index.html). */
export async function buildWebSite(config: unknown): Promise<Map<string, StaticFile>> {
  const result = await build({
    entryPoints: [path.join(WEB_DIR, "app.ts")],
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2022",
    write: false,
    legalComments: "none",
  });
  const script = result.outputFiles[0];
  if (!script) throw new Error("esbuild produced no bundle for web/app.ts");
  const html = readFileSync(path.join(WEB_DIR, "index.html"));
  const files = new Map<string, StaticFile>([
    ["/", { contentType: "text/html; charset=utf-8", body: html }],
    ["/index.html", { contentType: "text/html; charset=utf-8", body: html }],
    ["/app.js", { contentType: "text/javascript; charset=utf-8", body: Buffer.from(script.contents) }],
    [
      "/app.css",
      { contentType: "text/css; charset=utf-8", body: readFileSync(path.join(WEB_DIR, "app.css")) },
    ],
    ["/config.json", { contentType: "application/json", body: Buffer.from(JSON.stringify(config)) }],
  ]);
  return files;
}
