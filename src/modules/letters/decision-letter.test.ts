import { describe, expect, it } from 'vitest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { renderDecisionLetter, type DecisionLetter } from './decision-letter.js';

const LETTER: DecisionLetter = {
  tenant: { code: '44', name: 'Loire-Atlantique' },
  person: { firstName: 'Camille', lastName: 'Rivière', address: '3 rue des Lilas, 44000 Nantes' },
  caseReference: 'MDPH44-2026-000123',
  submittedOn: '2026-02-03',
  session: { heldOn: '2026-05-12', formation: 'plénière' },
  rights: [
    {
      code: 'AAH',
      decision: 'accord',
      validFrom: '2026-06-01',
      validUntil: '2031-05-31',
      motive: 'Taux d’incapacité supérieur ou égal à 80 %.',
    },
    {
      code: 'PCH',
      decision: 'rejet',
      validFrom: null,
      validUntil: null,
      motive: 'Critères non remplis.',
    },
  ],
  notifiedOn: '2026-05-15',
  appealDeadline: '2026-07-15',
};

async function read(bytes: Buffer) {
  const pdf = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
  let text = '';
  for (let n = 1; n <= pdf.numPages; n += 1) {
    const content = await (await pdf.getPage(n)).getTextContent();
    text += content.items.map((i) => ('str' in i ? i.str : '')).join(' ') + '\n';
  }
  const tree = await (await pdf.getPage(1)).getStructTree();
  return { pdf, text: text.replace(/\s+/g, ' '), tree };
}

function roles(node: unknown, into: string[] = []): string[] {
  const n = node as { role?: string; children?: unknown[] };
  if (n.role) into.push(n.role);
  for (const child of n.children ?? []) roles(child, into);
  return into;
}

describe('the decision letter', () => {
  it('names each right, its decision, validity and motive, and the appeal route and deadline', async () => {
    const { text } = await read(await renderDecisionLetter(LETTER));
    expect(text).toContain('Allocation aux adultes handicapés (AAH)');
    expect(text).toContain('Décision : accord.');
    expect(text).toContain('du 1er juin 2026 au 31 mai 2031');
    expect(text).toContain('Taux d’incapacité supérieur ou égal à 80 %.');
    expect(text).toContain('Prestation de compensation du handicap (PCH)');
    expect(text).toContain('Décision : rejet.');
    expect(text).toContain('Voies et délais de recours');
    expect(text).toContain('au plus tard le 15 juillet 2026');
    expect(text).toContain('Camille Rivière');
    expect(text).toContain('MDPH44-2026-000123');
  });

  it('is a tagged PDF in French with its title shown and its fonts embedded', async () => {
    const bytes = await renderDecisionLetter(LETTER);
    const { pdf, tree } = await read(bytes);
    expect(await pdf.getMarkInfo()).toMatchObject({ Marked: true });
    const meta = await pdf.getMetadata();
    expect((meta.info as { Title?: string }).Title).toBe(
      'Notification de décision — dossier MDPH44-2026-000123',
    );
    expect((meta.info as { Language?: string }).Language).toBe('fr-FR');
    expect(meta.metadata?.get('pdfuaid:part')).toBe('1');
    expect(roles(tree)).toEqual(expect.arrayContaining(['Sect', 'H1', 'H2', 'P']));
    const raw = bytes.toString('latin1');
    expect(raw).toContain('/DisplayDocTitle true');
    expect(raw).toMatch(/\/FontFile2|\/FontFile3/);
    expect(raw).not.toMatch(/\/BaseFont \/Helvetica/);
  });
});
