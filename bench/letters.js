// The CDAPH's decision letter: renderDecisionLetter (tagged PDF/UA, Marianne embedded) from the
// checkout's dist/, N letters one after the other in this process, beside plain pdfkit writing
// the same text in the same fonts, sizes and order with no tagging and no structure tree,
// measured right after. Called by bench/run.js --part=letters as runLettersBench (see
// bench/compare/provided-parts.js for the contract).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ratioText } from './compare/figures.js';
import { int, ms, percentile } from './stats.js';

const FULL_LETTERS = 300;
const SMOKE_LETTERS = 20;
const WARMUP_LETTERS = 5;
const ROUNDS = 10;
const RATIO_TARGET = 0.5;

/** A letter as a commission sends it: three rights decided, motives, the appeal route. */
const LETTER = {
  tenant: { code: '44', name: 'Loire-Atlantique' },
  person: {
    firstName: 'Camille',
    lastName: 'Rivière',
    address: '3 rue des Lilas\nAppartement 12\n44000 Nantes',
  },
  caseReference: 'MDPH44-2026-000123',
  submittedOn: '2026-02-03',
  session: { heldOn: '2026-05-12', formation: 'plénière' },
  rights: [
    {
      code: 'AAH',
      decision: 'accord',
      validFrom: '2026-06-01',
      validUntil: '2031-05-31',
      motive:
        'Taux d’incapacité supérieur ou égal à 80 % au regard du guide-barème, ' +
        'retenu par l’équipe pluridisciplinaire au vu du certificat médical et des pièces fournies.',
    },
    {
      code: 'PCH',
      decision: 'accord_partiel',
      validFrom: '2026-06-01',
      validUntil: '2029-05-31',
      motive:
        'Aide humaine accordée pour les actes essentiels (toilette, habillage, repas) à raison de ' +
        '2 heures par jour ; l’aménagement du véhicule n’est pas retenu, le devis ne répondant ' +
        'pas aux besoins décrits dans le plan personnalisé de compensation.',
    },
    {
      code: 'CMI',
      decision: 'rejet',
      validFrom: null,
      validUntil: null,
      motive:
        'La mention « stationnement » suppose une capacité de déplacement à pied réduite de ' +
        'manière importante et durable, qui n’est pas établie par les éléments du dossier.',
    },
  ],
  notifiedOn: '2026-05-15',
  appealDeadline: '2026-07-15',
};

async function modulesOf(root) {
  const dist = (file) =>
    import(pathToFileURL(path.join(root, 'dist/src/modules/letters', file)).href);
  const [{ renderDecisionLetter }, texts, { frenchDay }] = await Promise.all([
    dist('decision-letter.js'),
    dist('letter-texts.js'),
    dist('french-dates.js'),
  ]);
  const require = createRequire(path.join(root, 'package.json'));
  // The build an ESM import of 'pdfkit' loads, as the product's does: require.resolve would
  // give the CommonJS one, another bundle with figures of its own.
  const pdfkitDir = path.dirname(path.dirname(require.resolve('pdfkit')));
  const { exports } = JSON.parse(fs.readFileSync(path.join(pdfkitDir, 'package.json'), 'utf8'));
  const entry = path.join(pdfkitDir, exports['.'].node.import);
  const PDFDocument = (await import(pathToFileURL(entry).href)).default;
  const fonts = path.join(
    path.dirname(require.resolve('@codegouvfr/react-dsfr/package.json')),
    'dsfr',
    'fonts',
  );
  return { renderDecisionLetter, texts, frenchDay, PDFDocument, fonts, require };
}

/**
 * What the letter writes, block by block, in its order: [font, size, text, moveDown]. The same
 * texts as the product's, from the same modules, so that both sides lay out the same lines.
 */
function blocksOf(letter, { texts, frenchDay }) {
  const p = (text) => ['regular', 10.5, text, 0.5];
  const h = (tag, text) => ['bold', tag === 'H1' ? 15 : 12, text, 0.4];
  const { person } = letter;
  const blocks = [
    p(
      `Maison départementale des personnes handicapées — ${letter.tenant.name} (${letter.tenant.code})`,
    ),
    p([`${person.firstName} ${person.lastName}`, person.address].filter(Boolean).join('\n')),
    h('H1', 'Notification de décision de la CDAPH'),
    p(
      `Dossier n° ${letter.caseReference}` +
        (letter.submittedOn ? `, demande déposée le ${frenchDay(letter.submittedOn)}` : '') +
        `. Notifié le ${frenchDay(letter.notifiedOn)}.`,
    ),
    p(
      `La commission des droits et de l’autonomie des personnes handicapées (CDAPH), réunie ` +
        `le ${frenchDay(letter.session.heldOn)} en formation ${letter.session.formation}, a ` +
        `examiné votre demande et pris les décisions suivantes.`,
    ),
  ];
  for (const right of letter.rights) {
    blocks.push(h('H2', texts.RIGHT_LABELS[right.code]));
    blocks.push(p(`Décision : ${texts.DECISION_LABELS[right.decision]}.`));
    if (right.validFrom !== null && right.validUntil !== null) {
      blocks.push(
        p(`Validité : du ${frenchDay(right.validFrom)} au ${frenchDay(right.validUntil)}.`),
      );
    }
    if (right.motive) blocks.push(p(`Motif : ${right.motive}`));
  }
  blocks.push(h('H2', 'Voies et délais de recours'));
  for (const text of texts.appealText(frenchDay(letter.appealDeadline))) blocks.push(p(text));
  return blocks;
}

/** The reference: plain pdfkit, the same page, fonts and blocks, no tags, no structure tree. */
function plainLetter({ PDFDocument, fonts }, letter, blocks) {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    pdfVersion: '1.7',
    info: {
      Title: `Notification de décision — dossier ${letter.caseReference}`,
      Author: `MDPH ${letter.tenant.name}`,
      Subject: 'Décision de la CDAPH',
      CreationDate: new Date(`${letter.notifiedOn}T00:00:00Z`),
    },
  });
  doc.registerFont('regular', path.join(fonts, 'Marianne-Regular.woff'));
  doc.registerFont('bold', path.join(fonts, 'Marianne-Bold.woff'));
  const chunks = [];
  doc.on('data', (chunk) => chunks.push(chunk));
  const ended = new Promise((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  for (const [font, size, text, down] of blocks) {
    doc.font(font).fontSize(size).text(text, { align: 'left' }).moveDown(down);
  }
  doc.end();
  return ended.then(() => Buffer.concat(chunks));
}

/** Each page's text as pdf.js reads it, to check that both sides wrote the same thing. */
async function textOf(require, bytes) {
  const pdfjs = await import(
    pathToFileURL(require.resolve('pdfjs-dist/legacy/build/pdf.mjs')).href
  );
  const pdf = await pdfjs.getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
  const pages = [];
  for (let n = 1; n <= pdf.numPages; n += 1) {
    const content = await (await pdf.getPage(n)).getTextContent();
    pages.push(
      content.items
        .map((i) => i.str ?? '')
        .join(' ')
        .replace(/\s+/g, ' ')
        .trim(),
    );
  }
  await pdf.destroy();
  return pages;
}

/**
 * `n` letters from each maker, one after the other, after a few not counted, in `rounds`
 * alternating rounds: on a shared machine a slower minute falls on every side, not on one.
 */
async function timed(makers, n, rounds) {
  for (const make of makers) for (let i = 0; i < WARMUP_LETTERS; i += 1) await make();
  const sides = makers.map(() => ({ times: [], bytes: 0 }));
  for (let r = 0; r < rounds; r += 1) {
    const count = Math.floor(n / rounds) + (r < n % rounds ? 1 : 0);
    for (const [k, make] of makers.entries()) {
      for (let i = 0; i < count; i += 1) {
        const started = process.hrtime.bigint();
        const pdf = await make();
        sides[k].times.push(Number(process.hrtime.bigint() - started) / 1e6);
        sides[k].bytes = pdf.length;
      }
    }
  }
  return sides.map(({ times, bytes }) => {
    const seconds = times.reduce((a, t) => a + t, 0) / 1000;
    const p50 = percentile(times, 50);
    return { n, seconds, rate: n / seconds, p50, p99: percentile(times, 99), bytes };
  });
}

/** The baseline's renderDecisionLetter, if its dist/ has one. */
async function baselineRenderer(baselineRoot, log) {
  if (!baselineRoot) return null;
  const file = path.join(baselineRoot, 'dist/src/modules/letters/decision-letter.js');
  if (!fs.existsSync(file)) {
    log(`letters: the baseline's dist/ has no decision letter: measured on this checkout only`);
    return null;
  }
  return (await import(pathToFileURL(file).href)).renderDecisionLetter;
}

const rateOf = (m) =>
  `${m.rate.toFixed(1)} letters/s (p50 ${ms(m.p50)} ms, p99 ${ms(m.p99)} ms; ${m.n} in ${m.seconds.toFixed(1)} s)`;

export async function runLettersBench({ smoke, root, baselineRoot, log }) {
  const modules = await modulesOf(root);
  const blocks = blocksOf(LETTER, modules);
  const n = smoke ? SMOKE_LETTERS : FULL_LETTERS;

  // Both sides must write the same text on the same pages: the comparison means nothing otherwise.
  const [tagged, plain] = [
    await modules.renderDecisionLetter(LETTER),
    await plainLetter(modules, LETTER, blocks),
  ];
  const [taggedText, plainText] = [
    await textOf(modules.require, tagged),
    await textOf(modules.require, plain),
  ];
  if (JSON.stringify(taggedText) !== JSON.stringify(plainText)) {
    throw new Error(
      `the plain pdfkit letter does not say what the decision letter says:\n${taggedText.join('\n---\n')}\n===\n${plainText.join('\n---\n')}`,
    );
  }

  const theirRenderer = await baselineRenderer(baselineRoot, log);
  const makers = [
    () => modules.renderDecisionLetter(LETTER),
    () => plainLetter(modules, LETTER, blocks),
    ...(theirRenderer ? [() => theirRenderer(LETTER)] : []),
  ];
  const rounds = smoke ? 2 : ROUNDS;
  log(
    `letters: ${n} decision letters (tagged PDF/UA) and ${n} plain pdfkit ones${theirRenderer ? ` and ${n} from the baseline` : ''}, in ${rounds} alternating rounds`,
  );
  const [cloison, reference, theirs] = await timed(makers, n, rounds);
  const ratio = cloison.rate / reference.rate;
  const pages = `${taggedText.length} page${taggedText.length > 1 ? 's' : ''}`;
  const rows = [
    {
      id: 'letters-rate',
      figure: `decision letter (\`renderDecisionLetter\`: tagged PDF/UA, Marianne embedded; 3 rights decided, motives, appeal text, ${pages}), one after the other in one process, beside plain pdfkit writing the same text in the same fonts untagged`,
      cloison: rateOf(cloison),
      reference: `plain pdfkit ${rateOf(reference)}`,
      ratio,
      target: `≥ ${RATIO_TARGET}× plain pdfkit`,
      met: ratio >= RATIO_TARGET,
      numbers: { cloison, reference },
    },
    {
      id: 'letters-size',
      figure: 'the same decision letter: its size',
      cloison: `${int(cloison.bytes)} bytes`,
      reference: `plain pdfkit ${int(reference.bytes)} bytes`,
      ratio: `×${ratioText(cloison.bytes / reference.bytes)}`,
    },
  ];
  if (!theirs) return rows;
  const theirRatio = theirs.rate / reference.rate;
  rows[0].baseline = {
    cloison: rateOf(theirs),
    reference: 'the same',
    ratio: theirRatio,
    met: theirRatio >= RATIO_TARGET,
  };
  rows[1].baseline = {
    cloison: `${int(theirs.bytes)} bytes`,
    reference: 'the same',
    ratio: `×${ratioText(theirs.bytes / reference.bytes)}`,
  };
  return rows;
}
