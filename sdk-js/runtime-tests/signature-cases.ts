/**
 * The signed-config cases of the shared suite: each vector verified with its options, through
 * `verifyConfig` (full schema) and through the light path of small bundles
 * (`verifySignedConfig` + `checkConfigShape`, WebCrypto without jose), and the guard keeping the
 * last good config through every attack.
 *
 * @module
 */
import { checkConfigShape, ConfigGuard, ConfigGuardCore, verifyConfig, verifySignedConfig, type JWK, type VerifiedConfig, type VerifyConfigOptions } from "../src/signing/index.ts";
import type { CaseResult } from "./suite.ts";
import type { Vectors } from "./vectors.ts";

async function attempt(name: string, body: () => Promise<string | null>): Promise<CaseResult> {
  try {
    const failure = await body();
    return failure === null ? { name, ok: true } : { name, ok: false, detail: failure };
  } catch (e) {
    return { name, ok: false, detail: `threw: ${(e as Error)?.stack ?? String(e)}` };
  }
}

type Verify = (jws: string, options: VerifyConfigOptions) => Promise<VerifiedConfig>;

const VERIFIERS: Array<[string, Verify]> = [
  ["signature", verifyConfig],
  ["signature (light path)", (jws, options) => verifySignedConfig(jws, options, checkConfigShape)],
];

export async function signatureCases(v: Vectors): Promise<CaseResult[]> {
  const { now, cases } = v.signatures;
  const keys = v.signatures.trusted as { keys: JWK[] };
  const out: CaseResult[] = [];
  for (const [label, verify] of VERIFIERS) {
    for (const c of cases) {
      out.push(await attempt(`${label}: ${c.name}`, async () => {
        const got = await verify(c.jws, { keys, now, ...c.options }).then(
          (r) => ({ version: r.version, kid: r.kid }),
          (e) => ({ code: (e as { code?: string }).code ?? `untyped error: ${e}` }),
        );
        return JSON.stringify(got) === JSON.stringify(c.expected) ? null : `got ${JSON.stringify(got)}, want ${JSON.stringify(c.expected)}`;
      }));
    }
  }
  out.push(await guardCase("signature", new ConfigGuard({ keys, env: "production", now: () => now }), v));
  out.push(await guardCase("signature (light path)", new ConfigGuardCore({ keys, env: "production", now: () => now, checkPayload: checkConfigShape }), v));
  return out;
}

function guardCase(label: string, guard: ConfigGuardCore, v: Vectors): Promise<CaseResult> {
  const { cases } = v.signatures;
  return attempt(`${label}: after every attack the last good config stays in use`, async () => {
    const good = cases.find((c) => "version" in c.expected && !c.options.minVersion)!;
    if (!(await guard.offer(good.jws)).accepted) return "the good config was refused";
    for (const c of cases.filter((c) => "code" in c.expected && !c.options.maxBytes && !c.options.minVersion)) {
      const r = await guard.offer(c.jws);
      if (r.accepted) return `${c.name}: accepted`;
      if (r.error.code !== (c.expected as { code: string }).code) return `${c.name}: refused with ${r.error.code}`;
      if (guard.current?.jws !== good.jws) return `${c.name}: the last good config was replaced`;
    }
    return null;
  });
}
