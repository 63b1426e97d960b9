import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | null = null;

/** A file shipped with the project (resources/...), found from both src/ and dist/src/. */
export function projectFile(relative: string): string {
  if (root === null) {
    let dir = path.dirname(fileURLToPath(import.meta.url));
    while (!fs.existsSync(path.join(dir, 'package.json'))) {
      const up = path.dirname(dir);
      if (up === dir) throw new Error('project root not found');
      dir = up;
    }
    root = dir;
  }
  return path.join(root, relative);
}
