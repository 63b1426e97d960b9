// Dependency audit for CI (THREATS.md T7). Fails on high or critical advisories in
// production dependencies. When the advisory service cannot be reached (closed networks
// such as this workplace's mirror), it says so loudly instead of pretending to have checked.
import { spawnSync } from 'node:child_process';

const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8' });
let report;
try {
  report = JSON.parse(run.stdout);
} catch {
  console.error('dependency audit: npm audit printed no report');
  console.error(run.stderr);
  process.exit(1);
}

if (report.statusCode || report.message || !report.metadata) {
  console.warn(
    `dependency audit: advisory service unreachable (${report.statusCode ?? ''} ${report.message ?? ''}).`,
  );
  console.warn(
    'dependency audit: NOT CHECKED on this run; run `npm audit --omit=dev` where the registry answers.',
  );
  process.exit(0);
}

const counts = report.metadata.vulnerabilities;
console.log(`dependency audit: ${JSON.stringify(counts)}`);
if ((counts.high ?? 0) + (counts.critical ?? 0) > 0) {
  for (const [name, v] of Object.entries(report.vulnerabilities ?? {})) {
    if (v.severity === 'high' || v.severity === 'critical')
      console.error(`  ${v.severity}: ${name}`);
  }
  process.exit(1);
}
