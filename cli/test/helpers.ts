// Spawning the real `edgeflag` binary, as a user runs it.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const bin = new URL("../bin/edgeflag.mjs", import.meta.url).pathname;

export interface Run { code: number; stdout: string; stderr: string }

export function edgeflag(args: string[], options: { input?: string; env?: Record<string, string>; cwd?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [bin, ...args], { env: { ...process.env, WRANGLER_SEND_METRICS: "false", ...options.env }, cwd: options.cwd, maxBuffer: 32 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    child.stdin?.end(options.input ?? "");
  });
}

export const run = promisify(execFile);
