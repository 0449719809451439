// `npm start` seeds its demo config into local KV only where nothing else is published: run
// twice it publishes once; after a user's own publish it leaves the env alone, restart after restart.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { seedDemo } from "../scripts/lib/demo-seed.ts";

const bin = new URL("../cli/bin/edgeflag.mjs", import.meta.url).pathname;
const DEMO = "examples/demo-config.json";
let dir = "";
const edgeflag = async (...args: string[]) => JSON.parse((await promisify(execFile)(process.execPath, [bin, ...args, "--json"], { env: { ...process.env, WRANGLER_SEND_METRICS: "false" } })).stdout);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edgeflag-seed-"));
  await edgeflag("keys", "generate", "--out", join(dir, "keys"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("npm start's demo seeding", () => {
  test("seeds an empty env once, then never replaces a config someone else published", { timeout: 300_000 }, async () => {
    const where = { env: "development", config: DEMO, persistTo: join(dir, "state"), key: join(dir, "keys", "private.jwk") };
    expect(await seedDemo(where)).toEqual({ published: 1, message: `published ${DEMO} to local KV as development version 1` });
    expect(await seedDemo(where)).toEqual({ published: null, message: `development version 1 already serves ${DEMO}` });

    const mine = join(dir, "mine.json");
    await writeFile(mine, JSON.stringify({ flags: { "my-flag": { enabled: true, variants: { on: { value: true } }, defaultVariant: "on", allocations: [] } } }));
    const local = ["--local", "--persist-to", where.persistTo];
    expect(await edgeflag("publish", mine, "--env", "development", ...local, "--key", where.key, "--actor", "ana")).toMatchObject({ version: 2 });

    expect(await seedDemo(where)).toEqual({ published: null, message: "development serves version 2, published by ana: left as it is (npm start only seeds an empty env)" });
    // Even when the user's config expires within the week, npm start only says whose it is.
    expect(await seedDemo({ ...where, now: Date.now() + 29 * 86_400_000 })).toMatchObject({ published: null });
    const history = await edgeflag("history", "--env", "development", ...local);
    expect([history.latest, history.versions.map((v: { version: number; actor: string }) => [v.version, v.actor])]).toEqual([2, [[2, "ana"], [1, "npm-start"]]]);
  });

  test("refreshes its own demo when it is about to expire", { timeout: 180_000 }, async () => {
    const where = { env: "demo-renew", config: DEMO, persistTo: join(dir, "state"), key: join(dir, "keys", "private.jwk") };
    expect((await seedDemo(where)).published).toBe(1);
    expect(await seedDemo({ ...where, now: Date.now() + 25 * 86_400_000 })).toEqual({ published: 2, message: `published ${DEMO} to local KV as demo-renew version 2` });
  });
});
