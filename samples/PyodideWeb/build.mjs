// Builds the sample's static site into one folder (default: site/): the page, the browser loader from
// src/Bundler.Web with its zstd decoder, and the Pyodide runtime from npm. Any static server can serve it.
import { copyFile, cp, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const web = resolve(here, '../../src/Bundler.Web');
const pyodide = join(here, 'node_modules/pyodide');
const fzstd = join(web, 'node_modules/fzstd');
const out = resolve(process.argv[2] ?? join(here, 'site'));

for (const [file, fix] of [[join(pyodide, 'pyodide.mjs'), `npm ci in ${here}`], [join(fzstd, 'esm/index.mjs'), `npm ci in ${web}`]]) {
  if (!existsSync(file)) {
    console.error(`${file} is missing: run ${fix}.`);
    process.exit(1);
  }
}

await mkdir(join(out, 'pyodide'), { recursive: true });
for (const file of ['index.html', 'sample.mjs']) {
  await copyFile(join(here, file), join(out, file));
}

await copyFile(join(web, 'bundler.mjs'), join(out, 'bundler.mjs'));
await cp(join(web, 'lib'), join(out, 'lib'), { recursive: true });
await copyFile(join(fzstd, 'esm/index.mjs'), join(out, 'fzstd.mjs'));
await copyFile(join(fzstd, 'LICENSE'), join(out, 'fzstd.LICENSE'));
for (const file of ['pyodide.mjs', 'pyodide.asm.js', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json']) {
  await copyFile(join(pyodide, file), join(out, 'pyodide', file));
}

console.log(`built ${out}`);
