// npm start's demo traffic: once the Worker is up, made-up events for the demo config posted
// through the real POST /v1/events, day by day over the past week, so every view of the dashboard
// has something true to show: results with a time axis, looks of the sequential experiment (the
// looks cron fired at the end of each day, through wrangler dev's scheduled trigger), and a ramp
// the watcher started three days ago. Only into an env whose latest version npm start published
// (its own demo) and that has no exposures yet: never into a user's env.
import { DEMO_ACTOR } from "../../config-schema/src/domain/version-record.ts";
import { compileConfig } from "../../sdk-js/src/core/index.ts";
import { decodeSignedConfig } from "../../sdk-js/src/signing/index.ts";
import { random, subjectEvents, type DemoContext } from "./demo-events.ts";

const DAY = 86_400_000;
const LOOKS_CRON = "*/15 * * * *";
const RAMPS_CRON = "* * * * *";

export interface TrafficOptions {
  url: string;
  env: string;
  token: string;
  days?: number;
  /** Subjects of chat-model per day (the ramp's flag is offered 8 times as many, 10% of them in its traffic). */
  perDay?: number;
  now?: number;
}

export interface TrafficResult {
  /** Events accepted, or 0 when the env was left alone. */
  posted: number;
  message: string;
}

async function call<T>(o: TrafficOptions, path: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(o.url + path, { ...init, headers: { Authorization: `Bearer ${o.token}`, "Content-Type": "application/json", ...init.headers } });
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Fires a cron of the Worker at `time` (wrangler dev's scheduled trigger, with miniflare's time). */
async function cron(o: TrafficOptions, expr: string, time: number): Promise<void> {
  const res = await fetch(`${o.url}/cdn-cgi/local/scheduled?cron=${encodeURIComponent(expr)}&time=${Math.round(time)}`);
  if (!res.ok) throw new Error(`the ${expr} cron at ${new Date(time).toISOString()} failed: ${res.status} ${await res.text()}`);
}

async function post(o: TrafficOptions, events: Record<string, unknown>[]): Promise<number> {
  let accepted = 0;
  for (let i = 0; i < events.length; i += 400) {
    const body = await call<{ accepted: number; rejected: { message: string }[] }>(o, "/v1/events", { method: "POST", body: JSON.stringify(events.slice(i, i + 400)) });
    if (body.rejected.length) throw new Error(`the Worker refused demo events: ${body.rejected[0]!.message}`);
    accepted += body.accepted;
  }
  return accepted;
}

/** Exposed subjects of a flag so far, by the results route. */
async function exposed(o: TrafficOptions, flag: string): Promise<number> {
  const r = await call<{ variants: { subjects: number }[] }>(o, `/v1/results/${o.env}/${flag}`);
  return r.variants.reduce((t, v) => t + v.subjects, 0);
}

/** Waits until the queue consumer stored `want` exposed subjects of each flag. */
async function stored(o: TrafficOptions, want: Record<string, number>): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const have = await Promise.all(Object.keys(want).map((f) => exposed(o, f)));
    if (Object.values(want).every((n, i) => have[i]! >= n)) return;
    if (Date.now() > deadline) throw new Error(`demo events not stored within 60 s: ${JSON.stringify(have)} of ${JSON.stringify(want)}`);
    await new Promise((r) => setTimeout(r, 400));
  }
}

async function context(o: TrafficOptions): Promise<DemoContext> {
  const res = await fetch(`${o.url}/v1/configs/${o.env}`);
  const { header, payload } = decodeSignedConfig(await res.text());
  return { env: o.env, version: payload.version, kid: header.kid, compiled: compileConfig(payload) };
}

/**
 * Posts the demo week unless the env is not npm start's demo or already has traffic.
 *
 * @example
 * const { message } = await seedDemoTraffic({ url: "http://127.0.0.1:8787", env: "development", token });
 */
export async function seedDemoTraffic(o: TrafficOptions): Promise<TrafficResult> {
  const history = await call<{ latest: number; versions: { version: number; actor: string }[] }>(o, `/v1/admin/configs/${o.env}/history`);
  const latest = history.versions.find((v) => v.version === history.latest);
  if (latest?.actor !== DEMO_ACTOR) return { posted: 0, message: `${o.env} does not serve npm start's demo (version ${history.latest} is by ${latest?.actor}): no demo traffic posted` };
  if ((await exposed(o, "chat-model")) > 0) return { posted: 0, message: `${o.env} already has traffic: no demo traffic posted` };
  const ctx = await context(o);
  const now = o.now ?? Date.now(), days = o.days ?? 7, perDay = o.perDay ?? 150;
  const rand = random(20261203);
  const rampStart = now - 3 * DAY - 60_000;
  await cron(o, RAMPS_CRON, rampStart); // the watcher starts the ramp three days ago
  const want = { "chat-model": 0, "summary-model": 0 };
  let posted = 0;
  for (let d = days; d >= 1; d--) {
    const dayStart = now - d * DAY;
    const events: Record<string, unknown>[] = [];
    // The ramp's allocation takes 10% of its subjects: it is offered eight times as many.
    for (const [flag, count] of [["chat-model", perDay], ["summary-model", dayStart >= rampStart ? perDay * 8 : 0]] as const) {
      for (let i = 0; i < count; i++) {
        const ts = dayStart + Math.floor((i / count) * (DAY - 3_600_000));
        const mine = subjectEvents(ctx, flag, `demo-${flag}-${d}-${i}`, ts, rand);
        want[flag] += mine.length ? 1 : 0;
        events.push(...mine);
      }
    }
    posted += await post(o, events);
    await stored(o, want);
    await cron(o, LOOKS_CRON, dayStart + DAY - 60_000); // the day's last sequential look
  }
  // No watcher tick now: it would advance the ramp as a version by the watcher, and npm start
  // then would no longer see its own demo as the latest version (scripts/lib/demo-seed.ts).
  return { posted, message: `posted ${posted} demo events over the past ${days} days into ${o.env} (POST /v1/events; labelled demo data in the dashboard)` };
}
