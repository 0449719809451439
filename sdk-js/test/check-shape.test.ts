// checkConfigShape, the light content check for npm users: every valid fixture passes, each
// break of the shape the evaluator reads is named at its pointer, and the guards take the check.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { checkConfigShape, ConfigGuard, generateSigningKey, signConfig, verifySignedConfig } from "../src/signing/index.ts";
import type { FlagConfig } from "@edgeflag/config-schema";

const fixtures = new URL("../../config-schema/vectors/valid/", import.meta.url);

const flag = () => ({
  enabled: true,
  defaultVariant: "off",
  variants: { on: { value: true }, off: { value: false } },
  allocations: [{ key: "a", splits: [{ variant: "on", weight: 1 }] }],
});

describe("checkConfigShape", () => {
  test("every valid fixture passes", () => {
    for (const file of readdirSync(fixtures)) expect(checkConfigShape(JSON.parse(readFileSync(new URL(file, fixtures), "utf8"))), file).toEqual([]);
  });

  test("each break of the shape is named at its pointer", () => {
    const cases: Array<[string, unknown, string]> = [
      ["not an object", [], ""],
      ["no flags", {}, "/flags"],
      ["a flag that is not an object", { flags: { f: 1 } }, "/flags/f"],
      ["enabled not a boolean", { flags: { f: { ...flag(), enabled: "yes" } } }, "/flags/f/enabled"],
      ["variants not an object", { flags: { f: { ...flag(), variants: [] } } }, "/flags/f/variants"],
      ["a variant without a value", { flags: { f: { ...flag(), variants: { on: { value: 1 }, off: {} } } } }, "/flags/f/variants/off"],
      ["defaultVariant not a string", { flags: { f: { ...flag(), defaultVariant: 0 } } }, "/flags/f/defaultVariant"],
      ["allocations not an array", { flags: { f: { ...flag(), allocations: {} } } }, "/flags/f/allocations"],
      ["an allocation that is not an object", { flags: { f: { ...flag(), allocations: [null] } } }, "/flags/f/allocations/0"],
      ["an allocation key not a string", { flags: { f: { ...flag(), allocations: [{ key: 1, splits: [{ variant: "on", weight: 1 }] }] } } }, "/flags/f/allocations/0/key"],
      ["empty splits", { flags: { f: { ...flag(), allocations: [{ key: "a", splits: [] }] } } }, "/flags/f/allocations/0/splits"],
      ["a flag key with / and ~ is escaped", { flags: { "a/b~c": { ...flag(), enabled: 1 } } }, "/flags/a~1b~0c/enabled"],
    ];
    for (const [name, config, pointer] of cases) expect(checkConfigShape(config).map((e) => e.pointer), name).toContain(pointer);
  });
});

describe("the content check is injected", () => {
  test("verifySignedConfig refuses with SCHEMA_INVALID and every error; ConfigGuard takes checkPayload", async () => {
    const { privateJwk, publicJwk } = await generateSigningKey("EdDSA");
    const jws = await signConfig({ flags: { f: flag() } } as FlagConfig, { key: privateJwk, env: "production", version: 3 });
    const options = { keys: [publicJwk], env: "production" };
    expect((await verifySignedConfig(jws, options, checkConfigShape)).version).toBe(3);
    const refuse = () => [{ pointer: "/flags/f", message: "not today" }];
    await expect(verifySignedConfig(jws, options, refuse)).rejects.toMatchObject({ code: "SCHEMA_INVALID", errors: refuse() });
    expect((await new ConfigGuard(options).offer(jws)).accepted).toBe(true);
    const refused = await new ConfigGuard({ ...options, checkPayload: refuse }).offer(jws);
    expect(refused.accepted ? null : refused.error.code).toBe("SCHEMA_INVALID");
  });
});
