// Live push measured end to end, for the tests (Node and Chromium) and `npm run bench`: on a demo
// Worker, two versions that differ in one flag (new-chat-ui on for everyone, off for everyone),
// then rollbacks through the admin API, each timed from the rollback's response to the moment a
// client evaluates the rolled-back value.
import { readFileSync } from "node:fs";
import type { DemoWorker } from "./demo-worker.ts";

/** The flag the two versions disagree on: true for everyone in one, false in the other. */
export const FLAG = "new-chat-ui";

const demo = readFileSync(new URL("../../examples/demo-config.json", import.meta.url), "utf8");

/** The demo config with FLAG's rollout at 100% (`on`) or 0%. */
function rampedConfig(on: boolean): unknown {
  const config = JSON.parse(demo);
  config.flags[FLAG].allocations[0].rollout = on ? 10_000 : 0;
  return config;
}

/** POSTs to the Worker's admin API with its token; answers the body of the 201. */
async function admin(worker: DemoWorker, path: string, body: unknown): Promise<{ version: number }> {
  const res = await fetch(`${worker.url}/v1/admin/configs/${worker.env}${path}`, { method: "POST", headers: { Authorization: `Bearer ${worker.adminToken}`, "Content-Type": "application/json" }, body: JSON.stringify(body) });
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<{ version: number }>;
}

/**
 * Publishes the all-on then the all-off config (the latest is then off); answers their versions.
 *
 * @example
 * const { on, off } = await publishOnOff(worker);
 */
export async function publishOnOff(worker: DemoWorker): Promise<{ on: number; off: number }> {
  const on = (await admin(worker, "", { config: rampedConfig(true), reason: "live push: all on" })).version;
  const off = (await admin(worker, "", { config: rampedConfig(false), reason: "live push: all off" })).version;
  return { on, off };
}

/**
 * Rolls back to version `to` and answers the new version, the ms from the rollback's response
 * until `seen()` is true (checked every 5 ms; rejects after `timeoutMs`), and when the response
 * came (`performance.now()`).
 *
 * @example
 * const { ms } = await rollbackSeen(worker, on, () => client.getBoolean(FLAG, false));
 */
export async function rollbackSeen(worker: DemoWorker, to: number, seen: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<{ version: number; ms: number; answered: number }> {
  const { version } = await admin(worker, "/rollback", { to, reason: "live push: rollback" });
  const answered = performance.now();
  while (!(await seen())) {
    if (performance.now() - answered > timeoutMs) throw new Error(`rollback to ${to} (version ${version}) not seen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return { version, ms: performance.now() - answered, answered };
}
