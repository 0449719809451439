// A local Worker serving the demo config, signed, for browser tests and the bench: fresh keys from
// the CLI (and a key set the dev root signs for them), the config published with `edgeflag publish --local --persist-to`, then `wrangler dev`
// on its own state. Needs `npm run build` first (the Worker serves public/).
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDevServer } from "./dev-server.ts";
import { devKeySet, devRoot } from "./dev-root.ts";

const root = new URL("../../", import.meta.url).pathname;
const cli = join(root, "cli/bin/edgeflag.mjs");
const ADMIN_TOKEN = "browser-test-token";

export interface DemoWorker {
  url: string;
  env: string;
  /** The trusted JWK Set the Worker serves at /.well-known/jwks.json. */
  jwks: unknown;
  /** Its ADMIN_TOKEN (the bootstrap admin token). */
  token: string;
  /** The thumbprint of the dev root that signed the key set it serves (the example page pins it). */
  rootKey: string;
  /** Its ADMIN_TOKEN (the admin API signs with its SIGNING_KEY: publish, rollback, kill). */
  adminToken: string;
  stop(): Promise<void>;
}

function edgeflag(args: string[], actor?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [cli, ...args], { cwd: root, env: { ...process.env, WRANGLER_SEND_METRICS: "false", ...(actor ? { EDGEFLAG_ACTOR: actor } : {}) } }, (error, stdout, stderr) => {
      if (error) reject(new Error(`edgeflag ${args.join(" ")} failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

/** Starts a Worker that serves examples/demo-config.json (or `config`) as version 1 of `env`. */
export async function startDemoWorker(options: { env?: string; config?: string; actor?: string; testScheduled?: boolean } = {}): Promise<DemoWorker> {
  const env = options.env ?? "development";
  if (!existsSync(join(root, "public/sdk/edgeflag.min.js"))) throw new Error("public/ is missing: run `npm run build` first");
  const dir = await mkdtemp(join(tmpdir(), "edgeflag-browser-"));
  try {
    await edgeflag(["keys", "generate", "--out", join(dir, "keys")]);
    const jwksText = await readFile(join(dir, "keys", "jwks.json"), "utf8");
    const key = JSON.stringify(JSON.parse(await readFile(join(dir, "keys", "private.jwk"), "utf8")));
    const jwks = JSON.parse(jwksText);
    const keySet = await devKeySet(jwks);
    await writeFile(join(dir, "dev.vars"), `ADMIN_TOKEN='${ADMIN_TOKEN}'\nSIGNING_KEY='${key}'\nPUBLIC_JWKS='${JSON.stringify(jwks)}'\nKEY_SET='${keySet}'\n`);
    const config = options.config ?? join(root, "examples/demo-config.json");
    await edgeflag(["publish", config, "--env", env, "--local", "--persist-to", join(dir, "state"), "--key", join(dir, "keys", "private.jwk"), "--reason", "browser test"], options.actor);
    const server = await startDevServer({ persistTo: join(dir, "state"), envFile: join(dir, "dev.vars"), probe: `/v1/configs/${env}`, testScheduled: options.testScheduled });
    return {
      url: server.url,
      env,
      jwks,
      token: "browser-test-token",
      rootKey: (await devRoot()).kid!,
      adminToken: ADMIN_TOKEN,
      stop: async () => {
        await server.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}
