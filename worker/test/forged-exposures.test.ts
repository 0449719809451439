// Nobody picks their own arm by posting events (issue 13, item 2): POST /v1/events re-derives each
// exposure's variant from the signed config version it names and refuses one that disagrees, per
// event, keeping the rest of the batch; results count a feedback, execution or outcome only with
// the assignment of a stored exposure. Through the real Queue into D1.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ExposureEvent } from "@edgeflag/config-schema";
import { cachedVersionCount, exposureChecker, MAX_CACHED_VERSIONS, MAX_VERSIONS_PER_BATCH, MISSING_MS } from "../src/events/assignments.ts";
import type { FlagConfig } from "@edgeflag/config-schema";
import { ADMIN_TOKEN, CONFIG, call, callWith, errorOf, publish } from "./helpers.ts";
import { assigned, event, post, waitStored } from "./events-helpers.ts";

type Ev = Record<string, unknown>;
type Rejected = { index: number; code: string; pointer: string; message: string };
const VARIANTS = ["gpt-3_5", "gpt-4", "fixed"];
const ids = (events: Ev[]) => events.map((e) => e.id as string);
const other = (variant: string) => VARIANTS.find((v) => v !== variant)!;

/** CONFIG with an experiment that compares with gpt-3_5 from 10 subjects per arm. */
const EXPERIMENT: FlagConfig = { flags: { ...CONFIG.flags, "chat-model": { ...CONFIG.flags["chat-model"]!, experiment: { control: "gpt-3_5", minSubjects: 10 } } } };

/** `perArm` subjects named `<prefix>-<i>` for each arm, by the variant CONFIG assigns them. */
function subjectsByArm(prefix: string, perArm: number): Record<string, string[]> {
  const arms: Record<string, string[]> = Object.fromEntries(VARIANTS.map((v) => [v, []]));
  for (let i = 0; VARIANTS.some((v) => arms[v]!.length < perArm); i++) {
    const s = `${prefix}-${i}`;
    const arm = arms[assigned(s)]!;
    if (arm.length < perArm) arm.push(s);
  }
  return arms;
}

const exposure = (env: string, subject: string, variant: string, assignmentId = crypto.randomUUID()) => event("exposure", { env, subject, variant, assignmentId });
const thumbs = (env: string, subject: string, variant: string, assignmentId: string, rating: "up" | "down") => event("feedback", { env, subject, variant, assignmentId, rating, comment: undefined });

async function postAll(events: Ev[]): Promise<{ accepted: number; rejected: Rejected[] }> {
  const out = { accepted: 0, rejected: [] as Rejected[] };
  for (let i = 0; i < events.length; i += 500) {
    const res = await post(JSON.stringify(events.slice(i, i + 500)));
    expect(res.status).toBe(202);
    const body = await res.json<{ accepted: number; rejected: Rejected[] }>();
    out.accepted += body.accepted;
    out.rejected.push(...body.rejected.map((r) => ({ ...r, index: r.index + i })));
  }
  return out;
}

type Results = { variants: { variant: string; subjects: number; metrics: Record<string, { value: number | null; subjects: number }> }[]; comparisons: { metric: string; variant: string; pValue: number; significant?: boolean }[]; srm: { pValue: number } };
const results = async (env: string): Promise<Results> => (await call(`/v1/results/${env}/chat-model`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })).json();

describe("POST /v1/events checks each exposure against its config version", () => {
  it("refuses a variant, version, flag or allocation the config does not assign, per event, and keeps the rest of the batch", async () => {
    const E = "forged-batch";
    await publish(E, CONFIG);
    const [s1, s2] = ["sub-1", "sub-2"];
    const real = exposure(E, s1, assigned(s1));
    const batch = [
      real,
      exposure(E, s2, other(assigned(s2))),
      event("feedback", { env: E, subject: s1, assignmentId: real.assignmentId }),
      { ...exposure(E, s2, assigned(s2)), version: 99 },
      { ...exposure("nowhere", s2, assigned(s2)) },
      { ...exposure(E, s2, assigned(s2)), flag: "no-such-flag" },
      { ...exposure(E, s2, assigned(s2)), allocation: "toString" },
      { ...exposure(E, s2, "on"), flag: "new-checkout", allocation: "ramp" }, // a rollout: logs no exposures
      event("execution", { env: E, subject: s2 }),
    ];
    const res = await post(JSON.stringify(batch));
    expect(res.status).toBe(202);
    const body = await res.json<{ accepted: number; rejected: Rejected[] }>();
    expect(body.accepted).toBe(3);
    expect(body.rejected).toEqual([
      { index: 1, code: "ASSIGNMENT_MISMATCH", pointer: "/variant", message: `config version 1 of env "${E}" assigns this subject "${assigned(s2)}" in allocation "experiment" of flag "chat-model", not "${other(assigned(s2))}"` },
      { index: 3, code: "UNKNOWN_CONFIG_VERSION", pointer: "/version", message: `env "${E}" has no config version 99: an exposure names the signed version that assigned it` },
      { index: 4, code: "UNKNOWN_CONFIG_VERSION", pointer: "/version", message: 'env "nowhere" has no config version 1: an exposure names the signed version that assigned it' },
      { index: 5, code: "UNKNOWN_FLAG", pointer: "/flag", message: `config version 1 of env "${E}" has no flag "no-such-flag"` },
      { index: 6, code: "UNKNOWN_ALLOCATION", pointer: "/allocation", message: `config version 1 of env "${E}" has no allocation "toString" of flag "chat-model"` },
      { index: 7, code: "ASSIGNMENT_MISMATCH", pointer: "/allocation", message: `allocation "ramp" of flag "new-checkout" does not log exposures in config version 1 of env "${E}"` },
    ]);
    const kept = [batch[0]!, batch[2]!, batch[8]!];
    expect(await waitStored(ids(kept))).toBe(3);
    expect(await waitStored(ids(batch.filter((e) => !kept.includes(e))), 1, 1500)).toBe(0);
  });

  it("the forged lift of the review (330 exposures, 220 contradicting the assignment, 660 events) is refused, and results count only real assignments", async () => {
    const E = "forged-lift";
    await publish(E, EXPERIMENT);
    // Honest traffic: 60 subjects per arm, half of each arm thumbs up: no true difference.
    const honest = Object.entries(subjectsByArm("h", 60)).flatMap(([variant, subjects]) =>
      subjects.flatMap((s, i) => {
        const x = exposure(E, s, variant);
        return [x, thumbs(E, s, variant, x.assignmentId as string, i % 2 === 0 ? "up" : "down")];
      }));
    // The forger: 110 subjects of each real arm, claiming gpt-4 for real gpt-3_5 ones and gpt-3_5 for
    // real gpt-4 ones (220 contradicting), 110 claims per arm (SRM passes), thumbs up iff gpt-4 is claimed.
    const claim: Record<string, string> = { "gpt-3_5": "gpt-4", "gpt-4": "gpt-3_5", fixed: "fixed" };
    const forged = Object.entries(subjectsByArm("f", 110)).flatMap(([real, subjects]) =>
      subjects.flatMap((s) => {
        const x = exposure(E, s, claim[real]!);
        return [x, thumbs(E, s, claim[real]!, x.assignmentId as string, claim[real] === "gpt-4" ? "up" : "down")];
      }));
    expect(forged.length).toBe(660);
    const all = [...honest, ...forged];
    const answer = await postAll(all);
    expect(answer.rejected.length).toBe(220);
    expect(new Set(answer.rejected.map((r) => `${r.code} ${r.pointer}`))).toEqual(new Set(["ASSIGNMENT_MISMATCH /variant"]));
    expect(answer.accepted).toBe(all.length - 220);
    expect(await waitStored(ids(all), all.length - 220, 30_000)).toBe(all.length - 220);

    const body = await results(E);
    const arm = (v: string) => body.variants.find((x) => x.variant === v)!;
    expect(VARIANTS.map((v) => arm(v).subjects)).toEqual([60, 60, 170]);
    // The refused exposures' thumbs (sent with assignments that were never stored) count nowhere.
    expect(arm("gpt-4").metrics.thumbs_up_rate).toEqual({ value: 0.5, subjects: 60 });
    expect(arm("gpt-3_5").metrics.thumbs_up_rate).toEqual({ value: 0.5, subjects: 60 });
    const lift = body.comparisons.find((c) => c.metric === "thumbs_up_rate" && c.variant === "gpt-4")!;
    expect(lift.pValue).toBe(1);
  });

  it("a feedback, execution or outcome with an unknown assignmentId, or another subject's, is stored but not counted", async () => {
    const E = "forged-metrics";
    await publish(E, EXPERIMENT);
    const arms = subjectsByArm("m", 12);
    const exposures = VARIANTS.flatMap((v) => arms[v]!.map((s) => exposure(E, s, v)));
    const assignment = (s: string) => exposures.find((x) => x.subject === s)!.assignmentId as string;
    const real = VARIANTS.flatMap((v) => arms[v]!.map((s) => thumbs(E, s, v, assignment(s), "up")));
    const forged = [
      ...arms["gpt-3_5"]!.map((s) => thumbs(E, s, "gpt-3_5", crypto.randomUUID(), "down")),
      ...arms["gpt-4"]!.map((s, i) => event("execution", { env: E, subject: s, variant: "gpt-4", assignmentId: assignment(arms["gpt-4"]![(i + 1) % 12]!), latencyMs: 9999 })),
      ...arms.fixed!.map((s) => event("outcome", { env: E, subject: s, variant: "gpt-4", assignmentId: assignment(s), success: false })), // names another arm
    ];
    const all = [...exposures, ...real, ...forged];
    expect(await postAll(all)).toEqual({ accepted: all.length, rejected: [] });
    expect(await waitStored(ids(all), all.length, 30_000)).toBe(all.length);
    const body = await results(E);
    const arm = (v: string) => body.variants.find((x) => x.variant === v)!;
    expect(arm("gpt-3_5").metrics.thumbs_up_rate).toEqual({ value: 1, subjects: 12 });
    expect(arm("gpt-4").metrics.latency_ms).toEqual({ value: null, subjects: 0 });
    expect(arm("fixed").metrics.success_rate).toEqual({ value: null, subjects: 0 });
  });

  it("versions are cached per isolate: a missing one is re-read after a few seconds, and the cache stays bounded", async () => {
    const E = "forged-cache";
    await publish(E, CONFIG);
    const x = { ...exposure(E, "sub-1", assigned("sub-1")), version: 2 } as unknown as ExposureEvent;
    const now = Date.now();
    expect((await exposureChecker(env.FLAGS, [x], now))(x)?.code).toBe("UNKNOWN_CONFIG_VERSION");
    expect(await publish(E, CONFIG)).toBe(2);
    expect((await exposureChecker(env.FLAGS, [x], now + 1))(x)?.code).toBe("UNKNOWN_CONFIG_VERSION"); // remembered
    expect((await exposureChecker(env.FLAGS, [x], now + MISSING_MS + 1))(x)).toBeNull();
    const many = Array.from({ length: MAX_CACHED_VERSIONS + 20 }, (_, i) => ({ ...x, version: 100 + i }));
    // One batch names at most MAX_VERSIONS_PER_BATCH versions, so the cache fills over many batches.
    const codes = new Set<string | undefined>();
    for (let i = 0; i < many.length; i += MAX_VERSIONS_PER_BATCH) {
      const batch = many.slice(i, i + MAX_VERSIONS_PER_BATCH);
      const check = await exposureChecker(env.FLAGS, batch, now);
      for (const m of batch) codes.add(check(m)?.code);
    }
    expect(codes).toEqual(new Set(["UNKNOWN_CONFIG_VERSION"]));
    expect(cachedVersionCount()).toBe(MAX_CACHED_VERSIONS);

    // KV failing: 503 + Retry-After for the batch (the SDK sends it again), and the error is not remembered.
    const y = exposure(E, "sub-1", assigned("sub-1"));
    const down = { ...env, FLAGS: { get: async () => { throw new Error("KV is down"); } } } as unknown as Env;
    const res = await callWith(down, "/v1/events", { method: "POST", body: JSON.stringify([y]), headers: { "Content-Type": "application/json" } });
    expect([res.status, res.headers.get("Retry-After"), (await errorOf(res)).code]).toEqual([503, "30", "CONFIG_UNAVAILABLE"]);
    expect(await (await post(JSON.stringify([y]))).json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });

    // A damaged value in KV is no version: that exposure is refused, never the whole batch.
    await env.FLAGS.put(`config:${E}:7`, "not a JWS");
    const damaged = await (await post(JSON.stringify([{ ...y, id: crypto.randomUUID(), version: 7 }, event("custom", { env: E })]))).json<{ accepted: number; rejected: Rejected[] }>();
    expect([damaged.accepted, damaged.rejected.map((r) => [r.index, r.code])]).toEqual([1, [[0, "UNKNOWN_CONFIG_VERSION"]]]);
  });
});

describe("a batch naming many config versions", () => {
  it("reads at most MAX_VERSIONS_PER_BATCH of them; exposures naming more are TOO_MANY_CONFIG_VERSIONS, the rest judged", async () => {
    const forged = Array.from({ length: 40 }, (_, i) => ({ id: crypto.randomUUID(), type: "exposure", env: "many-versions", ts: Date.now(), subject: `s${i}`, flag: "f", allocation: "a", variant: "v", version: 1000 + i, assignmentId: "x" }) as never);
    const check = await exposureChecker(env.FLAGS, forged);
    const codes = forged.map((e) => check(e)?.code);
    expect(codes.filter((c) => c === "UNKNOWN_CONFIG_VERSION")).toHaveLength(MAX_VERSIONS_PER_BATCH);
    expect(codes.filter((c) => c === "TOO_MANY_CONFIG_VERSIONS")).toHaveLength(40 - MAX_VERSIONS_PER_BATCH);
  });
});
