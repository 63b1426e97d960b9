// Parts written in modules of their own, called when (and only when) their module exports them,
// so that adding one needs no edit here:
//   bench/audit-verify.js  runVerifyBench   verify events/s beside raw SHA-256
//   bench/scale.js         runScaleBench    the case list on 100,000 cases
//   bench/letters.js       runLettersBench  decision letters/s beside plain pdfkit
//   bench/outbox.js        runOutboxBench   outbox mails/s to SMTP beside nodemailer alone
//   bench/exports.js       runExportsBench  an export run's MB/s beside age-encryption alone
// Each is called as fn({ smoke, seconds, warmup, root, baselineRoot, log }) (root: this
// checkout; baselineRoot: --baseline's directory or null; log: a progress line on stderr) and
// may return rows for the table, as an array or as { rows }, each
//   { figure, cloison, reference, ratio, target?, met?, baseline?: { cloison, reference, ratio, met? } }
// (ratio a number or a text; met true, false or absent). Anything else it returns is taken to
// mean that it printed its own figures. bench/wrk.js (runWrk, measure) and
// bench/cloison-server.js (startCloison, signIn) are there to be imported.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ratioText } from './figures.js';

export const PROVIDED = {
  verify: { file: '../audit-verify.js', name: 'runVerifyBench', what: 'audit verification' },
  scale: { file: '../scale.js', name: 'runScaleBench', what: 'the case list on 100,000 cases' },
  letters: { file: '../letters.js', name: 'runLettersBench', what: 'decision letters' },
  outbox: { file: '../outbox.js', name: 'runOutboxBench', what: 'the mail outbox' },
  exports: { file: '../exports.js', name: 'runExportsBench', what: 'an export run' },
};

function sideOf(r) {
  const ratio = typeof r.ratio === 'number' ? r.ratio : null;
  return {
    cloison: String(r.cloison ?? '—'),
    reference: String(r.reference ?? '—'),
    ratio,
    ratioText: ratio === null ? String(r.ratio ?? '—') : ratioText(ratio),
    met: typeof r.met === 'boolean' ? r.met : null,
    numbers: r.numbers ?? null,
  };
}

function rowsOf(key, returned, sides) {
  const list = Array.isArray(returned) ? returned : returned?.rows;
  if (!Array.isArray(list)) return [];
  return list.map((r, i) => ({
    id: r.id ?? `${key}-${i + 1}`,
    figure: String(r.figure ?? key),
    target: r.target ?? null,
    sides: sides.length > 1 && r.baseline ? [sideOf(r), sideOf(r.baseline)] : [sideOf(r)],
  }));
}

/**
 * Runs the provided part `key` if its module exports its function. Returns { rows, note }: the
 * note says why nothing was measured, or that the part printed its own figures.
 */
export async function runProvidedPart(key, { sides, run, root, baselineRoot, problems, log }) {
  const { file, name, what } = PROVIDED[key];
  const url = new URL(file, import.meta.url);
  const shown = `bench/${file.slice(3)}`;
  if (!fs.existsSync(fileURLToPath(url))) {
    return { rows: [], note: `${what}: not measured, ${shown} is not there yet` };
  }
  const module = await import(url.href);
  if (typeof module[name] !== 'function') {
    return { rows: [], note: `${what}: not measured, ${shown} does not export ${name}() yet` };
  }
  log(`${key}: ${shown} ${name}()`);
  try {
    const returned = await module[name]({
      smoke: run.smoke,
      seconds: run.seconds,
      warmup: run.warmup,
      root,
      baselineRoot,
      log,
    });
    const rows = rowsOf(key, returned, sides);
    return { rows, note: rows.length === 0 ? `${what}: ${name}() printed its own figures` : null };
  } catch (error) {
    problems.push(`${shown} ${name}() failed: ${error.stack ?? error}`);
    return { rows: [], note: `${what}: failed (see the problems below)` };
  }
}
