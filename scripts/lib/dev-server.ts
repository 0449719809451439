// Starts `wrangler dev` on a free 127.0.0.1 port with its own local state, for end-to-end tests.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

export interface DevServer {
  url: string;
  stop(): Promise<void>;
  output(): string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

export interface DevServerOptions {
  persistTo: string;
  envFile?: string;
  config?: string;
  /** The path polled until the server answers; default "/". */
  probe?: string;
  /** Apply worker/migrations to the local D1 first (default: when `config` is the project's wrangler.toml). */
  migrate?: boolean;
  /** Serve `/__scheduled?cron=…` to fire a cron (wrangler dev never fires them by the clock). */
  testScheduled?: boolean;
}

/**
 * Applies the D1 migrations (worker/migrations) to local state: wrangler's default (`npm start`)
 * or another directory (the tests' and benches' dev servers).
 *
 * @example
 * applyMigrations(".edgeflag/e2e-state");
 */
export function applyMigrations(persistTo?: string, config?: string): void {
  const r = spawnSync("node_modules/.bin/wrangler", ["d1", "migrations", "apply", "DB", "--local", ...(persistTo ? ["--persist-to", persistTo] : []), ...(config ? ["--config", config] : [])], {
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`wrangler d1 migrations apply failed: ${r.stdout}${r.stderr}`);
}

/**
 * Starts `wrangler dev` and resolves once it answers. A port taken between choosing it and
 * binding it (another server starting at the same time) is retried on a new port.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  if (options.migrate ?? options.config === undefined) applyMigrations(options.persistTo, options.config);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options, await freePort());
    } catch (e) {
      if (attempt >= 3 || !/Address already in use/.test(String(e))) throw e;
    }
  }
}

async function startOnce(options: DevServerOptions, port: number): Promise<DevServer> {
  let log = "";
  const child: ChildProcess = spawn("node_modules/.bin/wrangler", ["dev", "--local", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", options.persistTo, ...(options.envFile ? ["--env-file", options.envFile] : []), ...(options.config ? ["--config", options.config] : []), ...(options.testScheduled ? ["--test-scheduled"] : []), "--log-level", "warn"], {
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout!.on("data", (d) => (log += d));
  child.stderr!.on("data", (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    process.kill(-child.pid!, "SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) process.kill(-child.pid!, "SIGKILL");
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited: ${log}`);
    const ok = await fetch(`${url}${options.probe ?? "/"}`).then((r) => r.status < 500, () => false);
    if (ok) return { url, stop, output: () => log };
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`wrangler dev did not answer within 60 s: ${log}`);
}
