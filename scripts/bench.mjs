// `make bench`: what a customer on a slow phone waits for on the first load, measured, not
// tested: it prints a table (and writes the same figures to target/bench.json) and fails only
// when it cannot run at all (no sandbox, no browser), never on a timing.
//
// It starts the sandbox (the binary given with --sandbox, built beforehand, so nothing is
// compiled here) on a free port with a temporary database and the demo data, then:
//
// 1. First load, in headless Chromium on Lighthouse's mobile profile with its devtools
//    throttling (562.5 ms per request, 1474.56 kbps down, 675 kbps up, CPU 4x slower, cache
//    off, 412x823 viewport at DPR 1.75, a mobile user agent), a fresh browser context per
//    run, paired runs (page, floor, page, floor...) whose medians and min–max are printed:
//    - the page: a demo product link as the sandbox serves it;
//    - its floor: the same page's rendered HTML with every script and every preload of
//      JS/wasm removed, served by a small server in this process on loopback (brotli, as the
//      sandbox compresses on the fly), with the same CSS and images (passed through from
//      the sandbox as it sends them). It is what the customer would see if the HTML alone
//      carried the summary: the best a first load can do on this network. Its HTML is the
//      page's as served when that already shows the summary (a server-rendered page), and
//      otherwise the DOM the app renders, taken once, unthrottled (the table says which);
//      it is written beside the JSON (bench-floor-product.html).
//    Figures per run:
//    - readable summary: the order summary's title and total
//      (`[data-testid=checkout-title]`, `[data-testid=summary-total]`) hold text. An init
//      script observes the document from its start (MutationObserver) and records
//      performance.now() in the first requestAnimationFrame after both are there: the frame
//      that paints them (Chromium runs no frame while a stylesheet still blocks rendering).
//      It works whether the HTML carries them or the app inserts them.
//    - app live: the app sets `data-app="live"` on <html> once mounted with its handlers
//      attached. A build that never sets it (one without the string in its wasm or JS, or one
//      that has not set it 30 s after the pay button appeared) is timed by the moment the
//      pay button `[data-testid=pay-button]` appeared instead, and the table says so.
//    - bytes on the wire: encodedDataLength of every response finished (CDP
//      Network.loadingFinished) by the live moment (the floor: by its load event);
//    - API requests (paths under /api/) started before the live moment;
//    - cumulative layout shift: the sum of the layout-shift entries without recent input,
//      read one second after the live moment (the floor: after load and the summary).
// 2. Lighthouse (npm `lighthouse`, Debian's Chromium) on the product link: mobile form
//    factor, devtools throttling (the same profile as above, applied for real rather than
//    simulated), one run; category scores and LCP, TBT, CLS, TTI. A failure is printed.
// 3. Throughput: 50 concurrent clients for 5 s (after 1 s of warm-up) with npm `autocannon`
//    on the product page route (Accept-Encoding: br) and on the public JSON
//    (/api/checkout/links/{id}): requests per second and p99 latency. The client shares the
//    machine's cores with the sandbox; a loaded machine gives lower figures (the 1-minute
//    load average is printed with them).
//
// Options: --dist DIR (dist), --sandbox BIN (required), --runs N (5; BENCH_RUNS),
// --instant-runs N (3; BENCH_INSTANT_RUNS, 0 skips the instant link), --json PATH
// (target/bench.json), --no-lighthouse, --no-throughput.
import { spawn, execFileSync } from "node:child_process";
import { createServer, request } from "node:http";
import { createRequire } from "node:module";
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir, loadavg, cpus } from "node:os";
import { dirname, join, resolve } from "node:path";
import { brotliCompressSync, constants as zlib } from "node:zlib";

// ---------------------------------------------------------------------------------------
// Settings

const args = parseArgs(process.argv.slice(2));
const DIST = resolve(args.dist ?? "dist");
const SANDBOX = args.sandbox;
const RUNS = Number(args.runs ?? process.env.BENCH_RUNS ?? 5);
const INSTANT_RUNS = Number(args["instant-runs"] ?? process.env.BENCH_INSTANT_RUNS ?? 3);
const JSON_PATH = resolve(args.json ?? "target/bench.json");
const TOOLS_DIR = process.env.LOMI_TOOLS_DIR
  ?? join(process.env.XDG_CACHE_HOME ?? join(process.env.HOME, ".cache"), "lomi-checkout/tools");
const CHROMIUM = process.env.CHROME_PATH ?? "/usr/bin/chromium";
const CHROME_FLAGS = [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--no-first-run",
];

// Lighthouse's mobile profile, devtools throttling (its `mobileSlow4G` constants).
const PROFILE = {
  latencyMs: 562.5,
  downKbps: 1474.56,
  upKbps: 675,
  cpuSlowdown: 4,
  viewport: { width: 412, height: 823 },
  deviceScaleFactor: 1.75,
  userAgent:
    "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 " +
    "(KHTML, like Gecko) Chrome/119.0.0.0 Mobile Safari/537.36",
};
const RUN_TIMEOUT_MS = 60_000;
const SETTLE_MS = 1_000;
const FLOOR_GIVE_UP_MS = 5_000; // after the floor's load event, when no summary ever shows
const CONCURRENCY = 50;
const LOAD_SECONDS = 5;

const requireTool = createRequire(join(TOOLS_DIR, "package.json"));
let chromium, autocannon;
try {
  ({ chromium } = requireTool("playwright-core"));
  autocannon = requireTool("autocannon");
} catch (error) {
  die(`the bench's npm packages are missing under ${TOOLS_DIR} (run scripts/install-tools.sh bench): ${error.message}`);
}
if (!SANDBOX || !existsSync(SANDBOX)) die(`no sandbox binary at ${SANDBOX} (build it: cargo build -p lomi-sandbox --profile server)`);
if (!existsSync(join(DIST, "index.html"))) die(`no built page in ${DIST} (run make page)`);

// ---------------------------------------------------------------------------------------
// Cleanup: the sandbox, the floor server, the browser and the temporary directory go
// whatever way this ends.

const work = mkdtempSync(join(tmpdir(), "lomi-bench-"));
const cleanups = [];
let cleanedUp = false;
function cleanup() {
  if (cleanedUp) return;
  cleanedUp = true;
  for (const fn of cleanups.reverse()) {
    try { fn(); } catch { /* already gone */ }
  }
  rmSync(work, { recursive: true, force: true });
}
process.on("exit", cleanup);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => { cleanup(); process.exit(130); });
}

function die(message) {
  console.error(`make bench: ${message}`);
  process.exit(1);
}

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i++) {
    const m = argv[i].match(/^--(no-)?([a-z-]+)(?:=(.*))?$/);
    if (!m) die(`unknown argument ${argv[i]}`);
    if (m[1]) out[m[2]] = false;
    else out[m[2]] = m[3] ?? (argv[i + 1] && !argv[i + 1].startsWith("--") ? argv[++i] : true);
  }
  return out;
}

const log = (message) => process.stderr.write(`  ${message}\n`);

// ---------------------------------------------------------------------------------------
// The sandbox

async function startSandbox() {
  const child = spawn(SANDBOX, [
    "--dist", DIST, "--seed-demo", "--port", "0", "--host", "127.0.0.1",
    "--db", join(work, "sandbox.db"),
    // The throughput run is 50 clients on one address, as fast as they can: the public
    // API's limit per address would measure the 429s.
    "--public-rate-limit-per-client", "0",
  ], {
    // One log line per request would cost the throughput run more than the requests.
    env: { ...process.env, RUST_LOG: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  cleanups.push(() => child.kill("SIGTERM"));
  let stdout = "", stderr = "";
  child.stderr.on("data", (d) => { stderr += d; });
  const started = await new Promise((done) => {
    const timer = setTimeout(() => done(false), 30_000);
    child.stdout.on("data", (d) => {
      stdout += d;
      if (stdout.includes("Press Ctrl-C")) { clearTimeout(timer); done(true); }
    });
    child.on("exit", () => { clearTimeout(timer); done(false); });
  });
  if (!started) die(`the sandbox did not start:\n${stdout}${stderr}`);
  const base = stdout.match(/URL:\s+(http\S+)/)?.[1];
  // The demo links as printed: a label line, then the URL on the next line.
  const links = {};
  const lines = stdout.split("\n");
  for (let i = 1; i < lines.length; i++) {
    const url = lines[i].match(/^\s+(https?:\/\/\S+)\s*$/)?.[1];
    if (url) links[lines[i - 1].trim()] = url;
  }
  const find = (prefix) => Object.entries(links).find(([label]) => label.startsWith(prefix));
  const product = find("Product link");
  const instant = find("Instant link:");
  if (!base || !product) die(`no demo product link in the sandbox's output:\n${stdout}`);
  return { child, base, product, instant };
}

// ---------------------------------------------------------------------------------------
// In the page, from document start: when the summary is readable, when the app is live,
// the layout shifts. `mode` is "page" or "floor".

function probe({ mode, liveGraceMs, floorGiveUpMs }) {
  if (window.top !== window) return;
  const b = (window.__bench = {
    summary: null, payButton: null, live: null, liveSource: null, cls: 0, done: false,
  });
  let summarySeen = false;
  const filled = (sel) => {
    const el = document.querySelector(sel);
    return el !== null && el.textContent.trim() !== "";
  };
  const finish = () => {
    if (mode === "page") b.done = b.summary !== null && b.live !== null;
    else b.done = b.summary !== null && document.readyState === "complete";
  };
  const check = () => {
    if (!summarySeen && filled("[data-testid=checkout-title]") && filled("[data-testid=summary-total]")) {
      summarySeen = true;
      requestAnimationFrame(() => { b.summary = performance.now(); finish(); });
    }
    if (b.payButton === null && document.querySelector("[data-testid=pay-button]")) {
      b.payButton = performance.now();
      if (mode === "page") {
        setTimeout(() => {
          if (b.live !== null) return;
          b.live = b.payButton;
          b.liveSource = "pay-button";
          finish();
        }, liveGraceMs);
      }
    }
    if (b.live === null && document.documentElement?.getAttribute("data-app") === "live") {
      b.live = performance.now();
      b.liveSource = "data-app";
      finish();
    }
  };
  new MutationObserver(check).observe(document, {
    childList: true, subtree: true, characterData: true,
    attributes: true, attributeFilter: ["data-app"],
  });
  check();
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) b.cls += e.value;
    }).observe({ type: "layout-shift", buffered: true });
  } catch { /* no layout-shift entries in this browser */ }
  addEventListener("load", () => {
    finish();
    if (mode === "floor") setTimeout(() => { b.done = true; }, floorGiveUpMs);
  });
}

// ---------------------------------------------------------------------------------------
// One throttled run in a fresh context.

async function newMobileContext(browser) {
  return browser.newContext({
    viewport: PROFILE.viewport,
    deviceScaleFactor: PROFILE.deviceScaleFactor,
    isMobile: true,
    hasTouch: true,
    userAgent: PROFILE.userAgent,
    locale: "fr-FR",
  });
}

async function measure(browser, url, mode, liveGraceMs) {
  const context = await newMobileContext(browser);
  try {
    await context.addInitScript(probe, { mode, liveGraceMs, floorGiveUpMs: FLOOR_GIVE_UP_MS });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const requests = new Map(); // requestId -> { url, method, start, end, bytes }
    let documentTiming = null;
    cdp.on("Network.requestWillBeSent", (e) => {
      requests.set(e.requestId, { url: e.request.url, method: e.request.method, start: e.timestamp });
    });
    cdp.on("Network.responseReceived", (e) => {
      if (e.type === "Document" && documentTiming === null) documentTiming = e.response.timing;
    });
    cdp.on("Network.loadingFinished", (e) => {
      const r = requests.get(e.requestId);
      if (r) { r.end = e.timestamp; r.bytes = e.encodedDataLength; }
    });
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: PROFILE.latencyMs,
      downloadThroughput: (PROFILE.downKbps * 1024) / 8,
      uploadThroughput: (PROFILE.upKbps * 1024) / 8,
    });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: PROFILE.cpuSlowdown });

    await page.goto(url, { waitUntil: "commit", timeout: RUN_TIMEOUT_MS });
    let timedOut = false;
    try {
      await page.waitForFunction(() => window.__bench?.done, null, { polling: 100, timeout: RUN_TIMEOUT_MS });
    } catch {
      timedOut = true;
    }
    await page.waitForTimeout(SETTLE_MS);
    const b = await page.evaluate(() => ({
      ...window.__bench,
      nav: performance.getEntriesByType("navigation")[0]?.toJSON(),
    }));
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 1 }).catch(() => {});

    // CDP's timestamps (seconds, monotonic) onto the page's performance.now() clock: both
    // count the document's request start, CDP as requestTime + sendStart.
    const origin = documentTiming && b.nav
      ? documentTiming.requestTime * 1000 + documentTiming.sendStart - b.nav.requestStart
      : null;
    const at = (seconds) => (origin === null ? null : seconds * 1000 - origin);
    const live = mode === "page" ? b.live : null;
    const cutoff = mode === "page" ? live : b.nav?.loadEventEnd || null;
    const id = new URL(url).pathname.split("/").pop();
    let bytes = 0, api = [];
    for (const r of requests.values()) {
      if (r.end !== undefined && cutoff !== null && at(r.end) <= cutoff) bytes += r.bytes;
      const path = new URL(r.url).pathname;
      if (live !== null && path.startsWith("/api/") && at(r.start) < live) api.push(`${r.method} ${path.replace(id, "{id}")}`);
    }
    return {
      summaryMs: b.summary,
      liveMs: live,
      liveSource: mode === "page" ? b.liveSource : null,
      payButtonMs: b.payButton,
      loadMs: b.nav?.loadEventEnd || null,
      bytes: cutoff === null ? null : bytes,
      apiRequests: mode === "page" && live !== null ? api.length : null,
      apiPaths: mode === "page" && live !== null ? api : null,
      cls: b.cls,
      timedOut,
      requests: requests.size,
      // When CDP saw the document's request leave, on the page's clock: near 0 when the two
      // clocks line up (a check of the mapping above).
      documentRequestAtMs: at([...requests.values()][0]?.start ?? NaN),
    };
  } finally {
    await context.close().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------
// The floor: the rendered HTML without scripts, and a server for it.

function stripScripts() {
  const doc = document.documentElement.cloneNode(true);
  for (const el of doc.querySelectorAll("script, link[rel=modulepreload]")) el.remove();
  for (const el of doc.querySelectorAll("link[rel=preload]")) {
    const as = el.getAttribute("as") ?? "";
    const href = el.getAttribute("href") ?? "";
    if (["script", "fetch", "worker"].includes(as) || /\.(m?js|wasm)([?#]|$)/.test(href)) el.remove();
  }
  doc.removeAttribute("data-app");
  const hasSummary = ["checkout-title", "summary-total"].every((id) =>
    (doc.querySelector(`[data-testid=${id}]`)?.textContent ?? "").trim() !== "");
  return { html: "<!DOCTYPE html>\n" + doc.outerHTML, hasSummary };
}

// The HTML as served when it already carries the summary (a server-rendered page);
// otherwise the DOM the app renders, taken unthrottled once it is live (or its pay button
// is there).
async function floorHtml(browser, url, sandboxBase, liveGraceMs) {
  const context = await newMobileContext(browser);
  try {
    const page = await context.newPage();
    log(`floor: reading ${url}`);
    await page.route(/\.(m?js|wasm)(\?|$)/, (route) => route.abort());
    await page.goto(url, { waitUntil: "load" });
    let floor = await page.evaluate(stripScripts);
    let source = "the HTML as served";
    if (!floor.hasSummary) {
      log("floor: the served HTML has no summary; rendering the page");
      await page.unroute(/\.(m?js|wasm)(\?|$)/);
      await page.goto(url, { waitUntil: "load" });
      await page.waitForSelector("[data-testid=pay-button]", { timeout: RUN_TIMEOUT_MS });
      if (liveGraceMs > 0) {
        await page
          .waitForFunction(() => document.documentElement.getAttribute("data-app") === "live", null,
            { timeout: 10_000 })
          .catch(() => {});
      }
      await page.waitForLoadState("networkidle").catch(() => {});
      floor = await page.evaluate(stripScripts);
      source = "the DOM the app renders (the served HTML has no summary)";
    }
    if (!floor.hasSummary) log("the floor's HTML has no readable summary: its summary will read as never");
    // Same-origin paths, as the page's own requests are: the floor server passes them on.
    const html = floor.html.split(sandboxBase + "/").join("/");
    return { html, source };
  } finally {
    await context.close().catch(() => {});
  }
}

async function startFloorServer(html, pagePath, sandboxBase) {
  // Compressed like the sandbox's answers made on the fly (tower-http: brotli quality 4).
  const page = brotliCompressSync(Buffer.from(html), { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } });
  const passed = new Map(); // "path encoding" -> { status, headers, body }
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    if (path === pagePath) {
      res.writeHead(200, {
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-cache",
        vary: "accept-encoding",
        "content-encoding": "br",
        "content-length": page.length,
      });
      return res.end(page);
    }
    // Everything else (the stylesheet, icons, images) as the sandbox sends it.
    const encoding = req.headers["accept-encoding"] ?? "";
    const key = `${req.url} ${encoding}`;
    try {
      if (!passed.has(key)) passed.set(key, await passOn(sandboxBase + req.url, req.headers));
      const { status, headers, body } = passed.get(key);
      res.writeHead(status, { ...headers, "content-length": body.length });
      res.end(body);
    } catch (error) {
      res.writeHead(502).end(String(error));
    }
  });
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  cleanups.push(() => server.close());
  return `http://127.0.0.1:${server.address().port}`;
}

// The sandbox's answer to the same request, its body as sent (still compressed).
function passOn(url, headers) {
  const kept = ["content-type", "content-encoding", "cache-control", "vary"];
  return new Promise((done, fail) => {
    request(url, {
      headers: { "accept-encoding": headers["accept-encoding"] ?? "", accept: headers.accept ?? "*/*" },
    }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => done({
        status: res.statusCode,
        headers: Object.fromEntries(kept.filter((h) => res.headers[h]).map((h) => [h, res.headers[h]])),
        body: Buffer.concat(chunks),
      }));
      res.on("error", fail);
    }).on("error", fail).end();
  });
}

// ---------------------------------------------------------------------------------------
// Lighthouse and throughput

async function lighthouse(url) {
  const bin = join(TOOLS_DIR, "node_modules/.bin/lighthouse");
  const out = join(dirname(JSON_PATH), "bench-lighthouse.json"); // kept: every audit's detail
  const argv = [
    url, `--chrome-path=${CHROMIUM}`, `--chrome-flags=${CHROME_FLAGS.join(" ")}`,
    "--only-categories=performance,accessibility,best-practices,seo",
    "--form-factor=mobile", "--throttling-method=devtools",
    "--output=json", `--output-path=${out}`, "--quiet",
  ];
  rmSync(out, { force: true });
  const { code, stderr } = await new Promise((done) => {
    const child = spawn(bin, argv, { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, CHROME_PATH: CHROMIUM } });
    cleanups.push(() => child.kill("SIGTERM"));
    let stderr = "";
    child.stderr.on("data", (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill("SIGTERM"), 240_000);
    child.on("error", (error) => { clearTimeout(timer); done({ code: -1, stderr: String(error) }); });
    child.on("exit", (code, signal) => { clearTimeout(timer); done({ code: code ?? signal, stderr }); });
  });
  if (code !== 0 || !existsSync(out)) {
    return { error: `lighthouse exited with ${code}: ${stderr.trim().split("\n").slice(-5).join(" | ")}` };
  }
  const report = JSON.parse(readFileSync(out, "utf8"));
  const score = (id) => (report.categories[id]?.score == null ? null : Math.round(report.categories[id].score * 100));
  const metric = (id) => report.audits[id]?.numericValue ?? null;
  return {
    version: report.lighthouseVersion,
    throttlingMethod: report.configSettings?.throttlingMethod,
    runtimeError: report.runtimeError?.message ?? null,
    warnings: report.runWarnings ?? [],
    scores: {
      performance: score("performance"),
      accessibility: score("accessibility"),
      bestPractices: score("best-practices"),
      seo: score("seo"),
    },
    metrics: {
      fcpMs: metric("first-contentful-paint"),
      lcpMs: metric("largest-contentful-paint"),
      tbtMs: metric("total-blocking-time"),
      cls: metric("cumulative-layout-shift"),
      ttiMs: metric("interactive"),
      speedIndexMs: metric("speed-index"),
    },
  };
}

async function throughput(url, headers) {
  const result = await autocannon({
    url,
    connections: CONCURRENCY,
    duration: LOAD_SECONDS,
    headers,
    warmup: { connections: CONCURRENCY, duration: 1 },
  });
  return {
    url,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    loadAverage1m: loadavg()[0],
  };
}

// ---------------------------------------------------------------------------------------
// Figures

const median = (xs) => {
  const v = xs.filter((x) => typeof x === "number").sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};
const stats = (xs) => {
  const v = xs.filter((x) => typeof x === "number");
  return {
    median: median(v),
    min: v.length ? Math.min(...v) : null,
    max: v.length ? Math.max(...v) : null,
    runs: xs.length,
    measured: v.length,
  };
};
const int = (n) => Math.round(n).toLocaleString("en-US");
const ms = (n) => (n == null ? "never" : `${int(n)} ms`);
const kb = (n) => (n == null ? "—" : `${(n / 1024).toFixed(1)} KB`);
const num = (n, digits) => (n == null ? "—" : n.toFixed(digits));
// Formats for a median and its runs' range ("3,690 ms (3,618–3,726)").
const MS = [ms, int];
const KB = [kb, (n) => (n / 1024).toFixed(1)];
const COUNT = [String, String];
const CLS = [(n) => num(n, 3), (n) => num(n, 3)];
function cell(s, [fmt, bare]) {
  if (s.median === null) return s.runs ? "never" : "—";
  const range = bare(s.min) === bare(s.max) ? "" : ` (${bare(s.min)}–${bare(s.max)})`;
  const missed = s.measured < s.runs ? ` [${s.runs - s.measured} never]` : "";
  return fmt(s.median) + range + missed;
}

async function benchLink(browser, name, label, url, sandboxBase, runs, liveGraceMs) {
  const pagePath = new URL(url).pathname;
  const floor = await floorHtml(browser, url, sandboxBase, liveGraceMs);
  const floorBase = await startFloorServer(floor.html, pagePath, sandboxBase);
  const floorUrl = floorBase + pagePath;
  const pages = [], floors = [];
  for (let i = 0; i < runs; i++) {
    pages.push(await measure(browser, url, "page", liveGraceMs));
    floors.push(await measure(browser, floorUrl, "floor", liveGraceMs));
    log(`${name} pair ${i + 1}/${runs}: page summary ${ms(pages[i].summaryMs)}, live ${ms(pages[i].liveMs)}; floor summary ${ms(floors[i].summaryMs)}`);
  }
  const ratios = pages.map((p, i) =>
    p.summaryMs != null && floors[i].summaryMs ? p.summaryMs / floors[i].summaryMs : null);
  const page = {
    summaryMs: stats(pages.map((r) => r.summaryMs)),
    liveMs: stats(pages.map((r) => r.liveMs)),
    liveSources: [...new Set(pages.map((r) => r.liveSource).filter(Boolean))],
    bytes: stats(pages.map((r) => r.bytes)),
    apiRequests: stats(pages.map((r) => r.apiRequests)),
    apiPaths: pages.find((r) => r.apiPaths)?.apiPaths ?? [],
    cls: stats(pages.map((r) => r.cls)),
  };
  const floorStats = {
    summaryMs: stats(floors.map((r) => r.summaryMs)),
    loadMs: stats(floors.map((r) => r.loadMs)),
    bytes: stats(floors.map((r) => r.bytes)),
    cls: stats(floors.map((r) => r.cls)),
    source: floor.source,
  };
  writeFileSync(join(dirname(JSON_PATH), `bench-floor-${name}.html`), floor.html);
  return {
    label, url, floorUrl, runs,
    page, floor: floorStats,
    summaryRatio: {
      ofMedians: page.summaryMs.median != null && floorStats.summaryMs.median
        ? page.summaryMs.median / floorStats.summaryMs.median : null,
      perPair: stats(ratios),
    },
    raw: { page: pages, floor: floors },
  };
}

function printLink(r) {
  const rows = [];
  const row = (what, page, floor) => rows.push([what, page, floor]);
  const liveNote = r.page.liveSources.includes("pay-button")
    ? " *" : "";
  row("readable summary", cell(r.page.summaryMs, MS), cell(r.floor.summaryMs, MS));
  row("app live (pay button works)", cell(r.page.liveMs, MS) + liveNote, "—");
  row("summary page/floor",
    r.summaryRatio.ofMedians == null ? "—" : `${r.summaryRatio.ofMedians.toFixed(2)}x`
      + (r.summaryRatio.perPair.measured > 1
        ? ` (pairs ${r.summaryRatio.perPair.min.toFixed(2)}–${r.summaryRatio.perPair.max.toFixed(2)}x)` : ""),
    "");
  row("bytes on the wire", cell(r.page.bytes, KB) + " by live", cell(r.floor.bytes, KB) + " by load");
  row("API requests before live", cell(r.page.apiRequests, COUNT), "—");
  row("cumulative layout shift", cell(r.page.cls, CLS), cell(r.floor.cls, CLS));
  row("load event", "", cell(r.floor.loadMs, MS));
  console.log(`\n${r.label}: ${r.url}`);
  console.log(`median of ${r.runs} paired runs (min–max)`);
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((x) => x[c].length), ["", "page", "floor"][c].length));
  const line = (cells) => console.log("  " + cells.map((c, i) => c.padEnd(widths[i])).join("   ").trimEnd());
  line(["", "page", "floor"]);
  line(widths.map((w) => "-".repeat(w)));
  rows.forEach(line);
  if (liveNote) {
    console.log("  * this build never sets data-app=\"live\": timed by the pay button's appearance");
    if (r.floor.source.startsWith("the HTML as served")) {
      console.log("    (the HTML itself carries the pay button: this is not when it starts to work)");
    }
  }
  if (r.page.apiPaths.length) console.log(`  API requests before live: ${r.page.apiPaths.join(", ")}`);
  console.log(`  floor: ${r.floor.source}, without scripts`);
}

// ---------------------------------------------------------------------------------------

async function main() {
  const began = Date.now();
  // Never hold the machine for long: whatever hangs, the bench ends.
  setTimeout(() => die("gave up after 12 minutes"), 12 * 60_000).unref();
  mkdirSync(dirname(JSON_PATH), { recursive: true });
  // A build whose wasm and JS never mention data-app cannot set it: its pay button is its
  // live moment, taken at once; otherwise the attribute gets 30 s after the pay button.
  const code = readdirSync(DIST).filter((f) => /\.(wasm|m?js)$/.test(f));
  const setsLive = code.some((f) => readFileSync(join(DIST, f)).includes("data-app"));
  const liveGraceMs = setsLive ? 30_000 : 0;

  log("starting the sandbox");
  const sandbox = await startSandbox();
  log(`sandbox on ${sandbox.base}`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROME_FLAGS });
  cleanups.push(() => browser.close());

  const report = {
    date: new Date().toISOString(),
    commit: git("rev-parse", "--short", "HEAD"),
    dirty: git("status", "--porcelain") !== "",
    machine: { cpus: cpus().length, loadAverage1mAtStart: loadavg()[0] },
    sandbox: SANDBOX,
    profile: { ...PROFILE, cacheDisabled: true },
    buildSetsDataAppLive: setsLive,
    links: {},
  };
  report.links.product = await benchLink(browser, "product", sandbox.product[0], sandbox.product[1], sandbox.base, RUNS, liveGraceMs);
  if (INSTANT_RUNS > 0 && sandbox.instant) {
    report.links.instant = await benchLink(browser, "instant", sandbox.instant[0], sandbox.instant[1], sandbox.base, INSTANT_RUNS, liveGraceMs);
  }
  await browser.close();

  if (args.lighthouse !== false) {
    log("Lighthouse on the product link");
    try {
      report.lighthouse = await lighthouse(sandbox.product[1]);
    } catch (error) {
      report.lighthouse = { error: String(error) };
    }
  }
  if (args.throughput !== false) {
    const id = new URL(sandbox.product[1]).pathname.split("/").pop();
    report.throughput = {};
    for (const [name, url, headers] of [
      ["page", sandbox.product[1], { "accept-encoding": "br" }],
      ["json", `${sandbox.base}/api/checkout/links/${id}`, { "accept-encoding": "br", accept: "application/json" }],
    ]) {
      log(`throughput: ${url}`);
      try {
        report.throughput[name] = await throughput(url, headers);
      } catch (error) {
        report.throughput[name] = { url, error: String(error) };
      }
    }
  }
  report.seconds = Math.round((Date.now() - began) / 1000);
  writeFileSync(JSON_PATH, JSON.stringify(report, null, 2) + "\n");

  console.log("\nmake bench: the first load on Lighthouse's mobile profile (devtools throttling:");
  console.log(`562.5 ms per request, 1474.56 kbps down, 675 kbps up, CPU 4x, cache off, 412x823 @1.75)`);
  console.log(`commit ${report.commit}${report.dirty ? " (uncommitted changes)" : ""}, ` +
    `${report.machine.cpus} cores, load average ${report.machine.loadAverage1mAtStart.toFixed(2)} at start`);
  for (const r of Object.values(report.links)) printLink(r);

  if (report.lighthouse) {
    const lh = report.lighthouse;
    console.log("\nLighthouse, product link (mobile, devtools throttling, one run)");
    if (lh.error) console.log(`  failed: ${lh.error}`);
    else {
      const s = lh.scores, m = lh.metrics;
      console.log(`  performance ${s.performance ?? "—"}   accessibility ${s.accessibility ?? "—"}   ` +
        `best practices ${s.bestPractices ?? "—"}   SEO ${s.seo ?? "—"}`);
      console.log(`  FCP ${ms(m.fcpMs)}   LCP ${ms(m.lcpMs)}   TBT ${ms(m.tbtMs)}   CLS ${num(m.cls, 3)}   ` +
        `TTI ${ms(m.ttiMs)}   Speed Index ${ms(m.speedIndexMs)}   (Lighthouse ${lh.version})`);
      if (lh.runtimeError) console.log(`  runtime error: ${lh.runtimeError}`);
      for (const w of lh.warnings) console.log(`  warning: ${w}`);
    }
  }
  if (report.throughput) {
    const build = SANDBOX.includes("/debug/") ? "a debug build" : SANDBOX.includes("/server/") ? "the server profile, optimised" : SANDBOX;
    console.log(`\nThroughput, ${CONCURRENCY} concurrent clients, ${LOAD_SECONDS} s each (autocannon on the same cores; sandbox: ${build})`);
    for (const [name, t] of Object.entries(report.throughput)) {
      const what = name === "page" ? "page route (br)  " : "public JSON (br) ";
      if (t.error) { console.log(`  ${what} failed: ${t.error}`); continue; }
      const bad = t.non2xx + t.errors + t.timeouts;
      console.log(`  ${what} ${int(t.requestsPerSecond).padStart(7)} req/s   p99 ${t.p99Ms} ms   ` +
        `(load average ${t.loadAverage1m.toFixed(2)}${bad ? `, ${bad} errors or non-2xx` : ""})`);
    }
    console.log("  previously: 28,700 req/s for the bare shell, 4,500 req/s for the public JSON (2 cores)");
  }
  console.log(`\nfigures in ${JSON_PATH} (${report.seconds} s)`);
  if (report.links.product.page.summaryMs.measured === 0) die("no run of the page showed its summary");
}

function git(...argv) {
  try {
    return execFileSync("git", argv, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return null;
  }
}

main().then(() => { cleanup(); process.exit(0); }, (error) => {
  console.error(`make bench: ${error.stack ?? error}`);
  cleanup();
  process.exit(1);
});
