// The dashboard's build (part of `npm run build`): dashboard/src/main.ts bundled and minified by
// esbuild into public/dashboard/app.js, its stylesheet into public/dashboard/app.css, its page
// into public/index.html (the Worker's `/`), and public/_headers with its security headers.
// No CDN at run time: everything it loads is one of these files.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

/** The files the dashboard ships, by the path the Worker serves them at. */
export const DASHBOARD_FILES = { "app.js": "public/dashboard/app.js", "app.css": "public/dashboard/app.css", "index.html": "public/index.html" } as const;

// The page loads only its own files and calls only its own Worker; nobody may frame it.
const HEADERS = `/
  Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'
  Referrer-Policy: no-referrer
  X-Content-Type-Options: nosniff
/index.html
  Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'
  Referrer-Policy: no-referrer
/dashboard/*
  X-Content-Type-Options: nosniff
`;

/**
 * Builds the dashboard into public/ and returns each file's bytes and gzip -9 bytes.
 *
 * @example
 * const sizes = await buildDashboard(); // { "app.js": { bytes: 31000, gzip: 10000 }, … }
 */
export async function buildDashboard(): Promise<Record<keyof typeof DASHBOARD_FILES, { bytes: number; gzip: number }>> {
  mkdirSync("public/dashboard", { recursive: true });
  const common = { bundle: true, minify: true, write: false, legalComments: "none", logLevel: "warning" } as const;
  const [js, css] = await Promise.all([
    build({ ...common, entryPoints: ["dashboard/src/main.ts"], format: "esm", target: "es2022", platform: "browser", tsconfig: "dashboard/tsconfig.json" }),
    build({ ...common, entryPoints: ["dashboard/style.css"], loader: { ".css": "css" } }),
  ]);
  writeFileSync(DASHBOARD_FILES["app.js"], js.outputFiles[0]!.contents);
  writeFileSync(DASHBOARD_FILES["app.css"], css.outputFiles[0]!.contents);
  copyFileSync("dashboard/index.html", DASHBOARD_FILES["index.html"]);
  writeFileSync("public/_headers", HEADERS);
  const size = (path: string) => {
    const bytes = readFileSync(path);
    return { bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  };
  return { "app.js": size(DASHBOARD_FILES["app.js"]), "app.css": size(DASHBOARD_FILES["app.css"]), "index.html": size(DASHBOARD_FILES["index.html"]) };
}
