// Writes brotli (quality 11) and gzip (level 9) copies beside each file of the built page
// that a browser downloads (`x.wasm.br`, `x.wasm.gz`): the sandbox sends them as they are to
// a browser that accepts them, instead of compressing on the fly at a lower level. A copy
// that would not be smaller is not written. index.html is left alone: the sandbox renders it
// for each route and compresses that answer itself.
import { readdirSync, readFileSync, statSync, writeFileSync, rmSync } from "node:fs";
import { join, extname } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const COMPRESSIBLE = new Set([".wasm", ".js", ".mjs", ".css", ".svg", ".json", ".txt", ".map"]);
const dist = process.argv[2] ?? "dist";

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

let written = 0;
for (const path of [...files(dist)]) {
  if (path.endsWith(".br") || path.endsWith(".gz")) continue;
  if (!COMPRESSIBLE.has(extname(path)) || path === join(dist, "index.html")) continue;
  const bytes = readFileSync(path);
  const variants = [
    [".br", brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    })],
    [".gz", gzipSync(bytes, { level: 9 })],
  ];
  for (const [suffix, compressed] of variants) {
    if (compressed.length < bytes.length) {
      writeFileSync(path + suffix, compressed);
      written += 1;
    } else {
      rmSync(path + suffix, { force: true });
    }
  }
}
console.log(`precompressed ${written} files in ${dist}`);
