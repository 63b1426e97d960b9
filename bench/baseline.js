// The checkout the audit benchmark compares against: the commit just before the audit log came
// in (the parent of the commit that added src/modules/audit/audit-log.ts), exported with
// `git archive` into a temporary directory (no worktree is registered in the repository), with
// this checkout's node_modules hard-linked (same package.json) and built with its own tsconfig.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './cloison-server.js';

const git = (...args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();

export function commitBeforeAuditLog() {
  const added = git(
    'log',
    '--diff-filter=A',
    '--format=%H',
    '--',
    'src/modules/audit/audit-log.ts',
  ).split('\n');
  const first = added[added.length - 1];
  if (!first) throw new Error('no commit adds src/modules/audit/audit-log.ts');
  return git('rev-parse', `${first}^`);
}

export function describeCommit(rev) {
  return git('log', '-1', '--format=%h %s', rev).slice(0, 100);
}

/** Exports and builds `rev`; returns its directory and a function removing it. */
export function buildCheckout(rev) {
  const sha = git('rev-parse', rev);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cloison-bench-${sha.slice(0, 7)}-`));
  const archive = path.join(dir, 'src.tar');
  execFileSync('git', ['archive', '--format=tar', '-o', archive, sha], { cwd: ROOT });
  execFileSync('tar', ['-xf', archive, '-C', dir]);
  fs.rmSync(archive);
  const ours = fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8');
  const theirs = fs.readFileSync(path.join(dir, 'package.json'), 'utf8');
  if (
    JSON.stringify(JSON.parse(ours).dependencies) !==
    JSON.stringify(JSON.parse(theirs).dependencies)
  ) {
    throw new Error(`${sha} has other dependencies: its node_modules cannot be this one's`);
  }
  execFileSync('cp', ['-al', path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules')]);
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    cwd: dir,
    stdio: 'inherit',
  });
  return { dir, sha, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
