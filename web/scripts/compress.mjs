// Post-build: writes a gzip copy (level 9) next to every .js/.css/.html/.svg file in dist/, which
// crmd serves when the client accepts gzip, then prints the gzipped sizes and enforces the budget.
// Idempotent: `npm run size` runs it again on an existing dist/.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, gzipSync } from 'node:zlib';

const dist = fileURLToPath(new URL('../dist', import.meta.url));
const COMPRESSIBLE = /\.(js|css|html|svg)$/;
// Hard ceiling for all JavaScript, gzipped; the app is far below it (see README).
const JS_BUDGET_BYTES = 200 * 1024;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

let js = 0;
let css = 0;
const rows = [];
for (const path of files(dist)) {
  if (!COMPRESSIBLE.test(path)) continue;
  const raw = readFileSync(path);
  const gz = gzipSync(raw, { level: constants.Z_BEST_COMPRESSION });
  writeFileSync(`${path}.gz`, gz);
  rows.push(`${relative(dist, path).padEnd(40)} ${String(raw.length).padStart(8)} B  ${String(gz.length).padStart(7)} B gzip`);
  if (path.endsWith('.js')) js += gz.length;
  if (path.endsWith('.css')) css += gz.length;
}

console.log(rows.sort().join('\n'));
console.log(`gzipped JS total: ${js} bytes`);
console.log(`gzipped CSS total: ${css} bytes`);
if (js > JS_BUDGET_BYTES) {
  console.error(`gzipped JS exceeds the budget of ${JS_BUDGET_BYTES} bytes`);
  process.exit(1);
}
