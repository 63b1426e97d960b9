import fs from 'node:fs';

/**
 * Paths a command must not leave behind however it ends: a database snapshot, a half-written
 * backup, a staging directory. A `finally` removes them on the normal paths; this also removes
 * them when the process is interrupted (SIGINT, SIGTERM, SIGHUP) or exits early. A SIGKILL
 * leaves them: nothing can run then, so they are named to be recognised (`.backup-*`,
 * `*.part`, `.*.restore-*`).
 */
const pending = new Set<string>();
let installed = false;

function removeAll(): void {
  for (const p of pending) fs.rmSync(p, { recursive: true, force: true });
  pending.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.once('exit', removeAll);
  const signals = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;
  for (const [signal, number] of Object.entries(signals)) {
    process.once(signal, () => {
      removeAll();
      process.exit(128 + number);
    });
  }
}

/** Removes `target` (file or directory) if the process ends before `forget` is called. */
export function removeOnExit(target: string): () => void {
  install();
  pending.add(target);
  return () => pending.delete(target);
}
