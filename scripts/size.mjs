// The first load as a browser gets it: starts the sandbox on the built page (dist/) with demo
// data, opens a demo product link with `Accept-Encoding: br`, then fetches every script,
// wasm and stylesheet that page references, and counts the bytes as received (compressed).
// Prints one line per file and the total; exits non-zero when the total is over the budget
// in size-budget.txt (the ratchet: see that file).
//
//   node scripts/size.mjs [dist]        (make size: builds the page and the sandbox first)
//
// LOMI_SANDBOX_BIN overrides the sandbox binary ($CARGO_TARGET_DIR/debug/lomi-sandbox).
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";

const root = resolve(import.meta.dirname, "..");
const dist = resolve(process.argv[2] ?? join(root, "dist"));
const sandboxBin =
  process.env.LOMI_SANDBOX_BIN ??
  join(resolve(root, process.env.CARGO_TARGET_DIR ?? "target"), "debug", "lomi-sandbox");

/** The budget in KB (1024 bytes): the first number in size-budget.txt outside comments. */
function budgetKb() {
  const text = readFileSync(join(root, "size-budget.txt"), "utf8");
  const line = text.split("\n").map((l) => l.replace(/#.*/, "").trim()).find(Boolean);
  const kb = Number(line);
  if (!Number.isFinite(kb) || kb <= 0) throw new Error(`size-budget.txt: no budget in KB (read ${line})`);
  return kb;
}

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

/** GET `url` as a browser accepting brotli would: the body's bytes as received. */
function get(url, accept = "*/*") {
  return new Promise((ok, fail) => {
    const req = request(
      url,
      { headers: { "Accept-Encoding": "br, gzip", Accept: accept, "User-Agent": "lomi-size" } },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () =>
          ok({
            status: res.statusCode,
            encoding: res.headers["content-encoding"] ?? "identity",
            body: Buffer.concat(chunks),
          }),
        );
        res.on("error", fail);
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error(`timed out: ${url}`)));
    req.on("error", fail);
    req.end();
  });
}

function decode({ encoding, body }) {
  if (encoding === "br") return brotliDecompressSync(body);
  if (encoding === "gzip") return gunzipSync(body);
  return body;
}

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** Starts the sandbox; resolves to its base URL and its output so far (the demo links). */
async function startSandbox(work) {
  const port = await freePort();
  const child = spawn(
    sandboxBin,
    ["--db", join(work, "size.db"), "--host", "127.0.0.1", "--port", String(port),
     "--dist", dist, "--seed-demo"],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, RUST_LOG: "warn" } },
  );
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise((ok) => child.once("exit", ok));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) break;
    try {
      if ((await get(`${base}/healthz`)).status === 200 && output.includes("/product/")) {
        return { child, exited, base, output: () => output };
      }
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  child.kill("SIGKILL");
  throw new Error(`the sandbox did not start:\n${output}`);
}

async function stopSandbox({ child, exited }) {
  if (child.exitCode !== null) return;
  child.kill("SIGTERM");
  const stopped = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
  if (!stopped) {
    child.kill("SIGKILL");
    await exited;
  }
}

/** What the page's HTML makes the browser fetch at once: scripts, stylesheets, the wasm. */
function referencedAssets(html) {
  const urls = new Set();
  for (const [tag] of html.matchAll(/<(?:script|link)\b[^>]*>/gi)) {
    const attr = (name) => tag.match(new RegExp(`\\s${name}\\s*=\\s*["']([^"']+)["']`, "i"))?.[1];
    if (/^<script/i.test(tag) && attr("src")) urls.add(attr("src"));
    if (/^<link/i.test(tag) && attr("href")) {
      const rel = (attr("rel") ?? "").toLowerCase().split(/\s+/);
      const as = (attr("as") ?? "").toLowerCase();
      if (rel.includes("stylesheet") || rel.includes("modulepreload") ||
          (rel.includes("preload") && ["script", "style", "fetch"].includes(as))) {
        urls.add(attr("href"));
      }
    }
  }
  // The inline loader: `import init, * as bindings from '/x.js'` and `module_or_path: '/x.wasm'`.
  for (const [, url] of html.matchAll(/(?:\bfrom|\bimport|module_or_path\s*:)\s*\(?\s*["']([^"']+)["']/g)) {
    urls.add(url);
  }
  return [...urls];
}

async function main() {
  if (!existsSync(join(dist, "index.html"))) {
    throw new Error(`no built page in ${dist}: run make page`);
  }
  if (!existsSync(sandboxBin)) {
    throw new Error(`no sandbox binary at ${sandboxBin}: run cargo build -p lomi-sandbox`);
  }
  const budget = budgetKb();
  const work = mkdtempSync(join(tmpdir(), "lomi-size-"));
  let sandbox;
  try {
    sandbox = await startSandbox(work);
    const link = sandbox.output().match(/https?:\/\/\S+(\/product\/[^\s/?#]+)/)?.[1];
    if (!link) throw new Error(`no demo product link in the sandbox's output:\n${sandbox.output()}`);
    const pageUrl = new URL(link, sandbox.base);
    const page = await get(pageUrl, "text/html");
    if (page.status !== 200) throw new Error(`${pageUrl.pathname}: HTTP ${page.status}`);
    const files = [{ path: pageUrl.pathname, ...page }];
    for (const url of referencedAssets(decode(page).toString("utf8"))) {
      const assetUrl = new URL(url, pageUrl);
      if (assetUrl.origin !== pageUrl.origin) throw new Error(`an asset from elsewhere: ${assetUrl}`);
      const asset = await get(assetUrl);
      if (asset.status !== 200) throw new Error(`${assetUrl.pathname}: HTTP ${asset.status}`);
      files.push({ path: assetUrl.pathname, ...asset });
    }

    const kb = (n) => (n / 1024).toFixed(1).padStart(8) + " KB";
    console.log("first load of " + pageUrl.pathname.replace(/[^/]+$/, "<id>"), "(Accept-Encoding: br)");
    let total = 0;
    for (const file of files) {
      total += file.body.length;
      const raw = decode(file).length;
      console.log(
        file.path.slice(0, 56).padEnd(56),
        file.encoding.padEnd(8),
        kb(file.body.length),
        `(${(raw / 1024).toFixed(1)} KB decoded)`,
      );
    }
    console.log("total".padEnd(65), kb(total));
    const totalKb = total / 1024;
    if (totalKb > budget) {
      console.log(`first load: ${totalKb.toFixed(1)} KB, OVER the ${budget.toFixed(1)} KB budget in size-budget.txt`);
      return 1;
    }
    const slack = budget - totalKb;
    console.log(`first load: ${totalKb.toFixed(1)} KB, within the ${budget.toFixed(1)} KB budget`);
    if (slack >= 0.5) {
      const lowered = Math.ceil(totalKb * 2) / 2;
      console.log(`  ${slack.toFixed(1)} KB under it: lower size-budget.txt to ${lowered.toFixed(1)} with the change that made it`);
    }
    return 0;
  } finally {
    if (sandbox) await stopSandbox(sandbox);
    rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`size: ${error.message}`);
    process.exit(2);
  },
);
