// Who made a change, from the request (the record itself is tested with the shared domain in
// config-schema/test/domain/version-record.test.ts).
import { describe, expect, test } from "vitest";
import { actorOf } from "../src/lib/version-record.ts";

describe("actorOf", () => {
  const req = (headers: Record<string, string> = {}) => new Request("http://x/", { headers });
  test("the header, else the body's actor, else admin-api; cut to 64 characters", () => {
    expect(actorOf(req({ "X-Edgeflag-Actor": "ci-bot" }), "bob")).toBe("ci-bot");
    expect(actorOf(req(), "bob")).toBe("bob");
    expect(actorOf(req(), "  ")).toBe("admin-api");
    expect(actorOf(req())).toBe("admin-api");
    expect(actorOf(req(), "x".repeat(100))).toBe("x".repeat(64));
  });
});
