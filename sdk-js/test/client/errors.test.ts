// The client's error reasons: the server's own code and message read from its JSON error body, and
// the `error` event's code typed as a closed union (the type check fails if it widens to string).
import { describe, expect, test } from "vitest";
import { statusError } from "../../src/client/errors.ts";
import { createClient, type ClientError, type ClientErrorCode } from "../../src/index.ts";

describe("statusError", () => {
  test("a Worker error body gives its code and message", async () => {
    const res = new Response(JSON.stringify({ error: { code: "ENV_NOT_FOUND", message: 'nothing was published for env "x"' } }), { status: 404 });
    expect(await statusError(res, "GET https://flags.example.com/v1/configs/x")).toEqual({
      message: 'GET https://flags.example.com/v1/configs/x: HTTP 404 ENV_NOT_FOUND: nothing was published for env "x"',
      status: 404,
      serverCode: "ENV_NOT_FOUND",
    });
  });

  test("a body that is not the Worker's (a proxy's HTML, empty, other JSON) gives the status alone", async () => {
    for (const body of ["<html>Bad gateway</html>", "", '{"message":"no code"}', "null"]) {
      expect(await statusError(new Response(body, { status: 502 }), "JWKS")).toEqual({ message: "JWKS: HTTP 502", status: 502, serverCode: undefined });
    }
  });
});

test("the error event's code is the ClientErrorCode union", async () => {
  const client = createClient({ baseUrl: "https://flags.example.com", env: "test", source: { latest: async () => null }, sink: { send: async () => "sent" }, pollIntervalMs: 0 });
  const seen: ClientError[] = [];
  client.on("error", (e) => {
    const code: ClientErrorCode = e.code;
    // @ts-expect-error: a code outside the union is not comparable
    if (e.code === "NOT_A_CLIENT_ERROR_CODE") return;
    seen.push({ ...e, code });
  });
  client.feedback({ flag: "f", variant: null, assignmentId: "a", subject: "s" }, "sideways" as "up");
  expect(seen).toEqual([{ code: "INVALID_FEEDBACK", message: 'feedback is "up", "down" or a number, not sideways' }]);
  client.close();
});
