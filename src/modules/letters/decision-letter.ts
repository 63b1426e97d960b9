import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import type { Decision, RightCode } from '../../policy/vocabulary.js';
import { appealText, DECISION_LABELS, RIGHT_LABELS } from './letter-texts.js';
import { frenchDay } from './french-dates.js';

/** Everything a notification letter says; gathered and opened by the letter service. */
export interface DecisionLetter {
  readonly tenant: { readonly code: string; readonly name: string };
  readonly person: {
    readonly firstName: string;
    readonly lastName: string;
    readonly address: string | null;
  };
  readonly caseReference: string;
  readonly submittedOn: string | null;
  readonly session: { readonly heldOn: string; readonly formation: string } | null;
  readonly rights: readonly {
    readonly code: RightCode;
    readonly decision: Decision;
    readonly validFrom: string | null;
    readonly validUntil: string | null;
    readonly motive: string | null;
  }[];
  readonly notifiedOn: string;
  readonly appealDeadline: string;
}

const require = createRequire(import.meta.url);
// Marianne, the État's typeface, ships with the design system the web app already uses; PDF/UA
// wants every font embedded, which the standard 14 PDF fonts never are.
const FONTS = path.join(
  path.dirname(require.resolve('@codegouvfr/react-dsfr/package.json')),
  'dsfr',
  'fonts',
);
const REGULAR = path.join(FONTS, 'Marianne-Regular.woff');
const BOLD = path.join(FONTS, 'Marianne-Bold.woff');

type Doc = InstanceType<typeof PDFDocument>;
type Section = ReturnType<Doc['struct']>;

function heading(doc: Doc, parent: Section, tag: 'H1' | 'H2', text: string): void {
  parent.add(
    doc.struct(tag, {}, () => {
      doc
        .font('bold')
        .fontSize(tag === 'H1' ? 15 : 12)
        .text(text)
        .moveDown(0.4);
    }),
  );
}

function paragraph(doc: Doc, parent: Section, text: string): void {
  parent.add(
    doc.struct('P', {}, () => {
      doc.font('regular').fontSize(10.5).text(text, { align: 'left' }).moveDown(0.5);
    }),
  );
}

function validity(right: DecisionLetter['rights'][number]): string | null {
  if (right.validFrom === null || right.validUntil === null) return null;
  return `Validité : du ${frenchDay(right.validFrom)} au ${frenchDay(right.validUntil)}.`;
}

/**
 * The CDAPH's notification letter as a tagged PDF (PDF/UA: structure tree, language, title
 * shown, fonts embedded), so that a screen reader reads it in order. Returns the file's bytes;
 * the caller seals and stores them.
 */
export async function renderDecisionLetter(letter: DecisionLetter): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    tagged: true,
    pdfVersion: '1.7',
    // Not in @types/pdfkit's list, but pdfkit implements it (identification schema, title).
    subset: 'PDF/UA' as unknown as 'PDF/A-2a',
    lang: 'fr-FR',
    displayTitle: true,
    info: {
      Title: `Notification de décision — dossier ${letter.caseReference}`,
      Author: `MDPH ${letter.tenant.name}`,
      Subject: 'Décision de la CDAPH',
      // The notification day, not the server's time of generation: the letter says one date.
      CreationDate: new Date(`${letter.notifiedOn}T00:00:00Z`),
    },
  });
  doc.registerFont('regular', REGULAR);
  doc.registerFont('bold', BOLD);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });

  const letterSection = doc.struct('Sect');
  doc.addStructure(letterSection);

  paragraph(
    doc,
    letterSection,
    `Maison départementale des personnes handicapées — ${letter.tenant.name} (${letter.tenant.code})`,
  );
  const { person } = letter;
  paragraph(
    doc,
    letterSection,
    [`${person.firstName} ${person.lastName}`, person.address].filter(Boolean).join('\n'),
  );
  heading(doc, letterSection, 'H1', 'Notification de décision de la CDAPH');
  paragraph(
    doc,
    letterSection,
    `Dossier n° ${letter.caseReference}` +
      (letter.submittedOn ? `, demande déposée le ${frenchDay(letter.submittedOn)}` : '') +
      `. Notifié le ${frenchDay(letter.notifiedOn)}.`,
  );
  paragraph(
    doc,
    letterSection,
    letter.session
      ? `La commission des droits et de l’autonomie des personnes handicapées (CDAPH), réunie ` +
          `le ${frenchDay(letter.session.heldOn)} en formation ${letter.session.formation}, a ` +
          `examiné votre demande et pris les décisions suivantes.`
      : `La commission des droits et de l’autonomie des personnes handicapées (CDAPH) a examiné ` +
          `votre demande et pris les décisions suivantes.`,
  );

  for (const right of letter.rights) {
    const rightSection = doc.struct('Sect');
    letterSection.add(rightSection);
    heading(doc, rightSection, 'H2', RIGHT_LABELS[right.code]);
    paragraph(doc, rightSection, `Décision : ${DECISION_LABELS[right.decision]}.`);
    const valid = validity(right);
    if (valid) paragraph(doc, rightSection, valid);
    if (right.motive) paragraph(doc, rightSection, `Motif : ${right.motive}`);
    rightSection.end();
  }

  const appealSection = doc.struct('Sect');
  letterSection.add(appealSection);
  heading(doc, appealSection, 'H2', 'Voies et délais de recours');
  for (const text of appealText(frenchDay(letter.appealDeadline))) {
    paragraph(doc, appealSection, text);
  }
  appealSection.end();
  letterSection.end();
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}
