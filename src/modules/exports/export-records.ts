import type { Selectable } from 'kysely';
import type { PersonCipher } from '../../crypto/vault.js';
import { sealedField, type PersonField } from '../../crypto/sealed-fields.js';
import type {
  CaseRightTable,
  CaseRow,
  CaseTransitionTable,
  DocumentRow,
  MessageTable,
  PersonTable,
} from '../../db/schema.js';
import type { ExportDataFieldName } from '../../policy/export-fields.js';

/**
 * How each field of the catalogue is written. The table is keyed by the catalogue's own names,
 * so a field added to the catalogue does not compile until it says how it leaves, and a run
 * writes only what its instruction names: nothing here is exported unless asked for.
 */

type PersonRow = Selectable<PersonTable>;
type RightRow = Selectable<CaseRightTable>;
type TransitionRow = Selectable<CaseTransitionTable>;
type EntryRow = Selectable<MessageTable>;

/** One page of cases with what the instruction needs around them, the persons' keys open. */
export interface ExportPage {
  readonly cases: readonly CaseRow[];
  readonly persons: ReadonlyMap<string, PersonRow>;
  readonly ciphers: ReadonlyMap<string, PersonCipher>;
  readonly rights: readonly RightRow[];
  readonly transitions: readonly TransitionRow[];
  readonly messages: readonly EntryRow[];
  readonly notes: readonly EntryRow[];
}

type Line = Record<string, unknown>;

type FieldWriter =
  /** A property of the person's line (persons/NNNN.jsonl). */
  | {
      readonly on: 'person';
      readonly key: string;
      readonly value: (p: PersonRow, c: PersonCipher) => unknown;
    }
  /** A property of the case's line (cases/NNNN.jsonl). */
  | {
      readonly on: 'case';
      readonly key: string;
      readonly value: (c: CaseRow, page: ExportPage) => unknown;
    }
  /** Lines of a file of their own, one per item of the case. */
  | {
      readonly on: 'lines';
      readonly file: string;
      readonly lines: (c: CaseRow, page: ExportPage) => Line[];
    };

const cipherOf = (page: ExportPage, personId: string) => page.ciphers.get(personId)!;

/** A sealed column of the person, opened under their key (null where none was given). */
function personField(key: string, field: PersonField): FieldWriter {
  const column = `${field}_enc` as const;
  return {
    on: 'person',
    key,
    value: (p, c) => c.openOptional(sealedField.person(p.id, field), p[column]),
  };
}

export const FIELD_WRITERS: Record<ExportDataFieldName, FieldWriter> = {
  'case.reference': { on: 'case', key: 'reference', value: (c) => c.reference },
  'case.status': { on: 'case', key: 'status', value: (c) => c.status },
  'case.dates': {
    on: 'case',
    key: 'dates',
    value: (c) => ({
      createdAt: c.created_at,
      submittedAt: c.submitted_at,
      completeOn: c.complete_on,
      instructionDueOn: c.instruction_due_on,
      notifiedOn: c.notified_on,
    }),
  },
  'case.rights': {
    on: 'case',
    key: 'rights',
    value: (c, page) => page.rights.filter((r) => r.case_id === c.id).map((r) => r.right_code),
  },
  'case.situation': {
    on: 'case',
    key: 'situation',
    value: (c, page) =>
      cipherOf(page, c.person_id).openOptional(sealedField.caseSummary(c.id), c.summary_enc),
  },
  'case.decisions': {
    on: 'lines',
    file: 'decisions',
    lines: (c, page) =>
      page.rights
        .filter((r) => r.case_id === c.id && r.decision !== null)
        .map((r) => ({
          caseId: c.id,
          right: r.right_code,
          decision: r.decision,
          validFrom: r.valid_from,
          validUntil: r.valid_until,
          decidedAt: r.decided_at,
          reason: cipherOf(page, c.person_id).openOptional(
            sealedField.decisionReason(r.id),
            r.decision_reason_enc,
          ),
        })),
  },
  'case.history': {
    on: 'lines',
    file: 'history',
    lines: (c, page) =>
      page.transitions
        .filter((t) => t.case_id === c.id)
        .map((t) => ({
          caseId: c.id,
          from: t.from_status,
          to: t.to_status,
          at: t.at,
          by: t.actor_account_id ?? t.by_job,
        })),
  },
  'case.messages': {
    on: 'lines',
    file: 'messages',
    lines: (c, page) => entryLines(c, page, page.messages, 'messages'),
  },
  'case.notes': {
    on: 'lines',
    file: 'notes',
    lines: (c, page) => entryLines(c, page, page.notes, 'notes'),
  },
  'person.firstName': personField('firstName', 'first_name'),
  'person.lastName': personField('lastName', 'last_name'),
  'person.birthDate': personField('birthDate', 'birth_date'),
  'person.address': personField('address', 'address'),
  'person.nir': personField('nir', 'nir'),
};

function entryLines(
  c: CaseRow,
  page: ExportPage,
  rows: readonly EntryRow[],
  table: 'messages' | 'notes',
): Line[] {
  return rows
    .filter((m) => m.case_id === c.id)
    .map((m) => ({
      caseId: c.id,
      id: m.id,
      at: m.created_at,
      author: m.author_account_id,
      body: cipherOf(page, c.person_id).open(sealedField.entryBody(table, m.id), m.body_enc),
    }));
}

/** A document's line in documents/NNNN.jsonl; its bytes are the entry documents/<id>. */
// The file's original name stays behind: it often names the person, which no document field
// of the catalogue says it would.
export function documentLine(d: DocumentRow): Line {
  return {
    id: d.id,
    caseId: d.case_id,
    category: d.category,
    piece: d.piece,
    mediaType: d.media_type,
    size: d.size_bytes,
    uploadedAt: d.created_at,
    file: `documents/${d.id}`,
  };
}

/** The lines of one page, file by file, with only the instructed fields. */
export function pageLines(
  page: ExportPage,
  fields: readonly ExportDataFieldName[],
  seenPersons: Set<string>,
): Map<string, Line[]> {
  const writers = fields.map((f) => FIELD_WRITERS[f]);
  const files = new Map<string, Line[]>([['cases', []]]);
  const add = (file: string, line: Line) => {
    const list = files.get(file) ?? [];
    list.push(line);
    files.set(file, list);
  };
  const personWriters = writers.filter((w) => w.on === 'person');
  for (const c of page.cases) {
    const line: Line = { id: c.id, personId: c.person_id };
    for (const w of writers) {
      if (w.on === 'case') line[w.key] = w.value(c, page);
      else if (w.on === 'lines') for (const l of w.lines(c, page)) add(w.file, l);
    }
    add('cases', line);
    if (personWriters.length > 0 && !seenPersons.has(c.person_id)) {
      seenPersons.add(c.person_id);
      const p = page.persons.get(c.person_id)!;
      const cipher = cipherOf(page, p.id);
      const person: Line = { id: p.id };
      for (const w of personWriters) person[w.key] = w.value(p, cipher);
      add('persons', person);
    }
  }
  return files;
}
