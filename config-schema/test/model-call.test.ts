import { describe, expect, test } from "vitest";
import { templateVariables, validate, type FlagConfig } from "@edgeflag/config-schema";
import { checkUpstreams, parseUpstreams, upstreamOrigin, UpstreamsError } from "@edgeflag/config-schema/domain";

const flagWith = (variants: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  flags: { chat: { enabled: true, defaultVariant: Object.keys(variants)[0], variants: Object.fromEntries(Object.entries(variants).map(([k, value]) => [k, { value }])), allocations: [], ...extra } },
});
const errorsOf = (config: unknown) => {
  const r = validate(config);
  return r.valid ? [] : r.errors;
};
const at = (variant: string, ...rest: string[]) => ["/flags/chat/variants", variant, "value", ...rest].join("/");

describe("model-call variants", () => {
  test("variant keys take model names with dots; flag and allocation keys still do not", () => {
    expect(errorsOf(flagWith({ "gpt-3.5-turbo": { provider: "fixed", answer: "42" } }))).toEqual([]);
    expect(errorsOf(flagWith({ ".hidden": true }))).toEqual([
      { pointer: "/flags/chat/variants/.hidden", message: "key must match ^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$ (a variant key: 1 to 64 of A-Z a-z 0-9 _ - . not starting with '.', so that model names such as gpt-3.5-turbo fit)" },
      { pointer: "/flags/chat/defaultVariant", message: "must match ^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$ (a variant key: 1 to 64 of A-Z a-z 0-9 _ - . not starting with '.', so that model names such as gpt-3.5-turbo fit)" },
    ]);
    expect(errorsOf({ flags: { "chat.v2": flagWith({ a: true }).flags.chat } })).toEqual([
      { pointer: "/flags/chat.v2", message: "key must match ^[A-Za-z0-9_-]{1,64}$ (a flag or allocation key: 1 to 64 of A-Z a-z 0-9 _ -; never '.' or ':', as default salts are made of these keys)" },
    ]);
  });

  test("a value without a provider stays free JSON; one with a provider must be a ModelCall", () => {
    expect(errorsOf(flagWith({ a: { model: "gpt-4", whatever: [1, 2] } }))).toEqual([]);
    expect(errorsOf(flagWith({ a: { provider: "openai", model: "gpt-4o", apiKeySecret: "openai_key", temperature: 1 } }))).toEqual([
      { pointer: at("a", "apiKeySecret"), message: "must match ^[A-Z][A-Z0-9_]{0,63}$ (the NAME of the Worker secret holding the upstream key, e.g. OPENAI_API_KEY, never the key: an upper-case letter, then up to 63 of A-Z 0-9 _. Required for openai and anthropic, optional for openai-compatible)" },
      { pointer: at("a", "temperature"), message: "unknown field (not in the v1 schema)" },
    ]);
  });

  test("what each provider requires and refuses is named with the provider", () => {
    expect(errorsOf(flagWith({ a: { provider: "fixed", baseUrl: "https://api.openai.com/v1" } }))).toEqual([
      { pointer: at("a"), message: 'missing required field "answer" (provider "fixed" needs it)' },
      { pointer: at("a", "baseUrl"), message: 'provider "fixed" takes no "baseUrl"' },
    ]);
    expect(errorsOf(flagWith({ a: { provider: "anthropic", apiKeySecret: "ANTHROPIC_API_KEY", answer: "x" } }))).toEqual([
      { pointer: at("a"), message: 'missing required field "model" (provider "anthropic" needs it)' },
      { pointer: at("a", "answer"), message: 'provider "anthropic" takes no "answer"' },
    ]);
    expect(errorsOf(flagWith({ a: { provider: "openai-compatible", model: "llama" } }))).toEqual([{ pointer: at("a"), message: 'missing required field "baseUrl" (provider "openai-compatible" needs it)' }]);
  });

  test("base URLs are https, or http to the local machine only", () => {
    const url = (baseUrl: string) => errorsOf(flagWith({ a: { provider: "openai-compatible", model: "m", baseUrl } })).map((e) => e.pointer);
    for (const ok of ["https://llm.example.com/v1", "https://llm.example.com:8443", "http://127.0.0.1:8080/v1", "http://localhost/v1", "http://[::1]:9000"]) expect(url(ok)).toEqual([]);
    for (const bad of ["http://llm.example.com/v1", "http://localhost.evil.com/v1", "https://user:pw@llm.example.com", "https://llm.example.com/v1?x=1", "ftp://x", "https://llm.example.com/v1#f"]) expect(url(bad)).toEqual([at("a", "baseUrl")]);
  });

  test("bounded parameters, prices and timeouts", () => {
    const call = { provider: "openai", model: "gpt-4o", apiKeySecret: "OPENAI_API_KEY" };
    expect(errorsOf(flagWith({ a: { ...call, params: { topP: 1.5, maxTokens: 0, stop: ["a", "b", "c", "d", "e"], reasoningEffort: "max", seed: 1.5 }, prices: { input: -1 }, timeoutMs: 50 } }))).toEqual([
      { pointer: at("a", "params", "maxTokens"), message: "must be at least 1 (got 0)" },
      { pointer: at("a", "params", "topP"), message: "must be at most 1 (got 1.5)" },
      { pointer: at("a", "params", "stop"), message: "must have at most 4 items (has 5)" },
      { pointer: at("a", "params", "seed"), message: "must be of type integer (got number)" },
      { pointer: at("a", "params", "reasoningEffort"), message: 'must be one of ["minimal","low","medium","high"]' },
      { pointer: at("a", "prices"), message: 'missing required field "output"' },
      { pointer: at("a", "prices", "input"), message: "must be at least 0 (got -1)" },
      { pointer: at("a", "timeoutMs"), message: "must be at least 100 (got 50)" },
    ]);
    expect(errorsOf(flagWith({ a: { provider: "fixed", answer: "x".repeat(65537) } }))).toEqual([{ pointer: at("a", "answer"), message: "must have at most 65536 characters (has 65537)" }]);
  });

  test("fallbacks name another model-call variant, end within 3 links and never loop", () => {
    const fixed = (fallback?: string) => ({ provider: "fixed", answer: "42", ...(fallback && { fallback }) });
    expect(errorsOf(flagWith({ a: fixed("b"), b: fixed("c"), c: fixed("d"), d: fixed() }))).toEqual([]);
    expect(errorsOf(flagWith({ a: fixed("a") }))).toEqual([{ pointer: at("a", "fallback"), message: 'variant "a" names itself as its fallback' }]);
    expect(errorsOf(flagWith({ a: fixed("ghost") }))).toEqual([{ pointer: at("a", "fallback"), message: 'fallback names variant "ghost", which the flag does not define' }]);
    expect(errorsOf(flagWith({ a: fixed("b"), b: "gpt-4" }))).toEqual([{ pointer: at("a", "fallback"), message: 'fallback names variant "b", whose value is not a model call (an object with a "provider")' }]);
    expect(errorsOf(flagWith({ a: fixed("b"), b: fixed("c"), c: fixed("b") }))).toEqual([
      { pointer: at("a", "fallback"), message: "fallbacks loop: a → b → c → b" },
      { pointer: at("b", "fallback"), message: "fallbacks loop: b → c → b" },
      { pointer: at("c", "fallback"), message: "fallbacks loop: c → b → c" },
    ]);
    expect(errorsOf(flagWith({ a: fixed("b"), b: fixed("c"), c: fixed("d"), d: fixed("e"), e: fixed() }))).toEqual([{ pointer: at("a", "fallback"), message: "fallbacks run 4 deep (a → b → c → d → e); at most 3 are followed" }]);
  });

  test("a shadow names a model-call variant of the flag", () => {
    const variants = { a: { provider: "fixed", answer: "1" }, b: true };
    const alloc = (shadow: unknown) => ({ allocations: [{ key: "x", splits: [{ variant: "a", weight: 1 }], shadow }] });
    expect(errorsOf(flagWith(variants, alloc({ variant: "a", rate: 500 })))).toEqual([]);
    expect(errorsOf(flagWith(variants, alloc({ variant: "b" })))).toEqual([{ pointer: "/flags/chat/allocations/0/shadow/variant", message: 'shadow names variant "b", whose value is not a model call (an object with a "provider")' }]);
    expect(errorsOf(flagWith(variants, alloc({ variant: "zz" })))).toEqual([{ pointer: "/flags/chat/allocations/0/shadow/variant", message: 'shadow names variant "zz", which the flag does not define' }]);
    expect(errorsOf(flagWith(variants, alloc({ variant: "a", rate: 10001 })))).toEqual([{ pointer: "/flags/chat/allocations/0/shadow/rate", message: "must be at most 10000 (got 10001)" }]);
  });

  test("template variables are well-formed {{name}}s, in template and system text", () => {
    expect(templateVariables("Q: {{input}} for {{plan}} ({{input}}) }} {x}")).toEqual({ ok: true, names: ["input", "plan"] });
    expect(templateVariables("a {{1st}}")).toMatchObject({ ok: false, index: 2 });
    expect(templateVariables("a {{open")).toMatchObject({ ok: false, index: 2 });
    expect(errorsOf(flagWith({ a: { provider: "fixed", answer: "x", system: { mode: "prepend", text: "Hi {{ name }}" } } }))).toEqual([
      { pointer: at("a", "system", "text"), message: '"{{" at character 3 must open a {{name}} variable (a name of A-Z a-z 0-9 _, not starting with a digit, at most 64 long, no spaces)' },
    ]);
  });
});

describe("checkUpstreams", () => {
  const allowed = parseUpstreams({ OPENAI_API_KEY: ["https://api.openai.com"], ANTHROPIC_API_KEY: ["https://api.anthropic.com"], LOCAL_KEY: ["http://127.0.0.1:8080"] });
  const config = (value: unknown) => flagWith({ "gpt-4": value }) as unknown as FlagConfig;

  test("a secret goes only to the origins allowed for it: the base URL's, else the provider's default", () => {
    expect(checkUpstreams(config({ provider: "openai", model: "gpt-4", apiKeySecret: "OPENAI_API_KEY" }), allowed)).toEqual([]);
    expect(checkUpstreams(config({ provider: "openai-compatible", model: "m", baseUrl: "http://127.0.0.1:8080/v1", apiKeySecret: "LOCAL_KEY" }), allowed)).toEqual([]);
    expect(checkUpstreams(config({ provider: "openai-compatible", model: "m", baseUrl: "https://evil.example/v1" }), allowed)).toEqual([]);
    expect(checkUpstreams(config({ provider: "openai", model: "gpt-4", apiKeySecret: "OPENAI_API_KEY", baseUrl: "https://evil.example/v1" }), allowed)).toEqual([
      { pointer: "/flags/chat/variants/gpt-4/value/baseUrl", message: "secret OPENAI_API_KEY may only be sent to https://api.openai.com, not https://evil.example" },
    ]);
    expect(checkUpstreams(config({ provider: "anthropic", model: "claude", apiKeySecret: "OPENAI_API_KEY" }), allowed)).toEqual([
      { pointer: "/flags/chat/variants/gpt-4/value/apiKeySecret", message: "secret OPENAI_API_KEY may only be sent to https://api.openai.com, not https://api.anthropic.com" },
    ]);
    expect(checkUpstreams(config({ provider: "openai", model: "gpt-4", apiKeySecret: "ADMIN_TOKEN" }), allowed)).toEqual([
      { pointer: "/flags/chat/variants/gpt-4/value/apiKeySecret", message: "secret ADMIN_TOKEN may be sent to no upstream: ROUTER_UPSTREAMS (wrangler.toml) allows it no origin" },
    ]);
  });

  test("ROUTER_UPSTREAMS is read from an object or its JSON, and a malformed one is refused by name", () => {
    expect(parseUpstreams('{"K": ["https://API.example.com/"]}')).toEqual({ K: ["https://api.example.com"] });
    expect(parseUpstreams(undefined)).toEqual({});
    expect(() => parseUpstreams("{")).toThrow(UpstreamsError);
    expect(() => parseUpstreams({ K: "https://a.example" })).toThrow("ROUTER_UPSTREAMS.K must be a list of origins");
    expect(() => parseUpstreams({ K: ["https://a.example/v1"] })).toThrow('ROUTER_UPSTREAMS.K: "https://a.example/v1" is not an origin such as https://api.openai.com');
    expect(upstreamOrigin({ provider: "fixed" })).toBe(null);
    expect(upstreamOrigin({ provider: "openai" })).toBe("https://api.openai.com");
  });

  test("a ROUTER_UPSTREAMS entry whose name no apiKeySecret can have (__proto__, lower case) is refused by name, never the map's prototype", () => {
    expect(() => parseUpstreams('{"__proto__": ["https://evil.example"]}')).toThrow("ROUTER_UPSTREAMS.__proto__: a secret name is an upper-case letter, then up to 63 of A-Z 0-9 _");
    expect(() => parseUpstreams({ openai_key: ["https://api.openai.com"] })).toThrow("ROUTER_UPSTREAMS.openai_key: a secret name is an upper-case letter, then up to 63 of A-Z 0-9 _");
    expect(Object.getPrototypeOf(parseUpstreams({ K: [] }))).toBe(Object.prototype);
  });
});
