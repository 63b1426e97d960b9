// The comparisons as one Markdown table (figure | Cloison | reference | ratio | target, and the
// baseline's three columns when there is one) and the same as JSON.
import fs from 'node:fs';
import os from 'node:os';
import { ratioText } from './figures.js';

/** The load average now (1, 5 and 15 minutes). */
export const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/**
 * The share of the last minute in which some task waited for a CPU, and for I/O (Linux pressure
 * stall information), as "cpu 12 %, io 3 %"; what else the machine was doing shows there.
 */
export function pressure() {
  const some = (kind) => {
    try {
      const text = fs.readFileSync(`/proc/pressure/${kind}`, 'utf8');
      return `${kind} ${Math.round(Number(/^some .*avg60=([\d.]+)/m.exec(text)?.[1] ?? NaN))} %`;
    } catch {
      return `${kind} ?`;
    }
  };
  return `${some('cpu')}, ${some('io')}`;
}

/** The machine in one line, with its load average and pressure now. */
export function machine() {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model?.trim() ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${loadAverage()}, pressure over the last minute ${pressure()}`;
}

/** The lines above the table: what ran where, and why the figures are noisy. */
export function preamble({ title, machineAtStart, sides }) {
  return [
    `## ${title}`,
    '',
    `Machine: ${machineAtStart} at the start; load average ${loadAverage()}, pressure ${pressure()} at the end (the bench's own load included).`,
    `The Cloison server(s), nginx (one process, sendfile), the plain Fastify process and wrk (2 threads; 1 for the sign-ins) all run on this machine and share its ${os.cpus().length} cores, over loopback; the servers log at info, as in production. The machine may be shared with other work: figures are noisy, and the ratios, whose two sides are measured one after the other in the same run, are what to read.`,
    ...sides.map((s) => `- ${s.name}: ${s.described}`),
    '',
  ];
}

const cell = (text) => String(text).replaceAll('|', '\\|').replaceAll('\n', ' ');
const verdict = (met) => (met === true ? 'met' : met === false ? 'not met' : '');

function targetCell(row) {
  if (!row.target) return '—';
  const verdicts = row.sides.map((s) => verdict(s.met));
  if (verdicts.every((v) => v === '')) return row.target;
  if (row.sides.length === 1) return `${row.target}: ${verdicts[0]}`;
  return `${row.target}: ${verdicts[0]} (baseline: ${verdicts[1] || '—'})`;
}

/** The table's lines; `sides` are the names of the sides, this checkout first. */
export function markdownTable(rows, sides) {
  const sideColumns = (name) => [`${name}: Cloison`, 'reference', 'ratio'];
  const header =
    sides.length === 1
      ? ['figure', 'Cloison', 'reference', 'ratio', 'target']
      : ['figure', ...sideColumns('this checkout'), ...sideColumns('baseline'), 'target'];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`];
  for (const row of rows) {
    const cells = [row.figure];
    for (let i = 0; i < sides.length; i++) {
      const s = row.sides[i];
      if (!s) {
        cells.push('—', '—', '—');
        continue;
      }
      // A reference measured once for both sides (nginx, raw SQLite) is written once.
      const shared = i > 0 && s.reference === row.sides[0].reference;
      cells.push(s.cloison, shared ? 'the same' : s.reference, s.ratioText ?? ratioText(s.ratio));
    }
    cells.push(targetCell(row));
    lines.push(`| ${cells.map(cell).join(' | ')} |`);
  }
  return lines;
}

/** Everything the run measured, for --json=F. */
export function jsonReport({ rows, sides, settings, notes, problems, startedAt, machineAtStart }) {
  return {
    startedAt,
    machineAtStart,
    machineAtEnd: machine(),
    settings,
    sides: sides.map((s) => ({ name: s.name, root: s.root, described: s.described })),
    rows: rows.map((r) => ({
      id: r.id,
      figure: r.figure,
      target: r.target,
      sides: r.sides.map((s, i) => ({ side: sides[i]?.name, ...s })),
    })),
    notes,
    problems,
  };
}
