// npm run bench — figures for the README, never a pass/fail test (DEVELOPERS.md, rule 6).
//   --part=documents   document encryption and transfer rates (bench/documents.js)
//   --part=fairness    a bystander's latency during one account's flood (bench/fairness.js)
//   --part=audit       the audit log, parts 1-3 below, with Markdown tables (bench/audit.js)
//   --part=audit-append | audit-verify | audit-routes   one part of it (verify appends first)
//   --runs=N           audit parts: runs whose medians are printed (default 3)
//   --baseline=REV[,REV...]  audit routes: checkouts to compare with (default: the commit
//                      before the audit log); --baseline=none to skip the comparison
// Without --part: documents, fairness, then audit.
import { runAuditBench } from './audit.js';
import { runDocumentBench } from './documents.js';
import { runFairnessBench } from './fairness.js';

const AUDIT_PARTS = {
  audit: ['append', 'verify', 'routes'],
  'audit-append': ['append'],
  'audit-verify': ['append', 'verify'],
  'audit-routes': ['routes'],
};

function option(name) {
  const arg = process.argv.slice(2).find((a) => a.startsWith(`--${name}=`));
  return arg?.slice(name.length + 3);
}

async function main() {
  const part = option('part') ?? 'all';
  if (part !== 'all' && part !== 'documents' && part !== 'fairness' && !AUDIT_PARTS[part]) {
    throw new Error(
      `unknown --part=${part}: documents, fairness, ${Object.keys(AUDIT_PARTS).join(', ')}`,
    );
  }
  if (part === 'all' || part === 'documents') await runDocumentBench();
  if (part === 'all' || part === 'fairness') await runFairnessBench();
  if (part === 'all' || AUDIT_PARTS[part]) {
    const baseline = option('baseline');
    await runAuditBench({
      parts: new Set(AUDIT_PARTS[part] ?? AUDIT_PARTS.audit),
      runs: Number(option('runs') ?? 3),
      ...(baseline === undefined
        ? {}
        : { baselines: baseline === 'none' ? [] : baseline.split(',') }),
    });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
