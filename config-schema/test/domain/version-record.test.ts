// The record beside each version: cut to fit KV's 1024-byte metadata even when the reason is
// 300 four-byte emoji (tested here, not through KV: local KV warns on non-ASCII metadata).
import { describe, expect, test } from "vitest";
import { makeRecord } from "@edgeflag/config-schema/domain";

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).byteLength;
const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);

describe("makeRecord", () => {
  test("keeps what fits, drops empty fields, stamps the time", () => {
    expect(makeRecord({ version: 4, actor: "ana", action: "rollback", from: 2, reason: "" }, NOW)).toEqual({
      version: 4,
      at: "2026-11-23T12:00:00.000Z",
      actor: "ana",
      action: "rollback",
      from: 2,
    });
  });

  test("a reason is cut to 300 characters, then to the longest prefix that fits 1024 bytes", () => {
    expect(makeRecord({ version: 1, actor: "a", action: "publish", reason: "é".repeat(400) }, NOW).reason).toBe("é".repeat(300));
    const fields = { version: 12, actor: "ana@example.com", action: "kill" as const, flag: "chat-model", variant: "fixed", kid: "P2SziY9fKgxxEKai9KHKmNVZ9PM2vWnzBcl_TtXiDiw" };
    const record = makeRecord({ ...fields, reason: "🚀".repeat(300) }, NOW);
    const kept = Array.from(record.reason!).length;
    expect(bytes(record)).toBeLessThanOrEqual(1024);
    expect(bytes({ ...record, reason: "🚀".repeat(kept + 1) })).toBeGreaterThan(1024);
    expect(kept).toBe(208); // 190 bytes of the rest + 208 × 4 = 1022
  });
});
