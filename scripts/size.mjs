// Prints the brotli size of each file a customer's first load fetches (index.html and what
// it references), and their total against the budget. Reports; never fails the build.
// Assets are counted as sent: their precompressed `.br` copy (scripts/precompress.mjs) when
// there is one; index.html, which the sandbox renders per route, at brotli quality 11.
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants } from "node:zlib";

const BUDGET_KB = 200;
const dist = process.argv[2] ?? "dist";
const html = readFileSync(join(dist, "index.html"), "utf8");
const referenced = new Set(["index.html"]);
for (const [, url] of html.matchAll(/(?:href|src|module_or_path:|from)\s*=?\s*['"](\/[^'"]+)['"]/g)) {
  const file = url.replace(/^\//, "").split(/[?#]/)[0];
  if (existsSync(join(dist, file))) referenced.add(file);
}
const kb = (n) => (n / 1024).toFixed(1).padStart(8) + " KB";
let raw = 0, br = 0;
console.log("file".padEnd(48), "     raw".padStart(11), "  brotli".padStart(11));
for (const file of [...referenced].sort()) {
  const bytes = readFileSync(join(dist, file));
  const precompressed = join(dist, file + ".br");
  const compressed = existsSync(precompressed)
    ? readFileSync(precompressed)
    : brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
  raw += bytes.length; br += compressed.length;
  console.log(file.padEnd(48), kb(bytes.length), kb(compressed.length));
}
console.log("total".padEnd(48), kb(raw), kb(br));
const verdict = br / 1024 <= BUDGET_KB ? "within" : "OVER";
console.log(`first load: ${(br / 1024).toFixed(1)} KB brotli, ${verdict} the ${BUDGET_KB} KB budget`);
