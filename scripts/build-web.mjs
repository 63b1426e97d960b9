// Builds the web application (web/ -> dist/web) when its sources changed since the last build:
// `npm start` and `npm test` call it, and an unchanged tree costs a hash of a few files.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist', 'web');
const stamp = path.join(out, '.source-hash');

function* files(dir) {
  for (const entry of fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else yield full;
  }
}

const hash = crypto.createHash('sha256');
for (const file of [...files(path.join(root, 'web')), path.join(root, 'package-lock.json')]) {
  hash.update(path.relative(root, file)).update('\0').update(fs.readFileSync(file)).update('\0');
}
const digest = hash.digest('hex');

const force = process.argv.includes('--force');
if (
  !force &&
  fs.existsSync(stamp) &&
  fs.readFileSync(stamp, 'utf8') === digest &&
  fs.existsSync(path.join(out, 'index.html'))
) {
  console.log('web: up to date (dist/web)');
} else {
  const { build } = await import('vite');
  await build({ configFile: path.join(root, 'web', 'vite.config.ts'), logLevel: 'warn' });
  fs.writeFileSync(stamp, digest);
  console.log('web: built into dist/web');
}
