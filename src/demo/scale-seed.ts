import { setImmediate } from 'node:timers/promises';
import type { AppDeps } from '../deps.js';
import type { StaffRole } from '../policy/actor.js';
import type { PersonCipher } from '../crypto/vault.js';
import { nextReference } from '../modules/cases/case.repository.js';
import { findTenantByCode } from '../modules/tenants/tenant.repository.js';
import { samplePdf, sampleJpeg, samplePng } from '../modules/documents/sample-files.js';
import { saveCursor } from '../modules/alerts/detection.repository.js';
import { lastEventSeq, listStaffOfTenant } from './scale.repository.js';
import { creationTimes, planCase, planPerson, seededRandom, type Random } from './scale-plan.js';
import {
  storeBlob,
  writeCase,
  writeDocument,
  writePerson,
  type PendingDocument,
  type SampleFile,
  type ScaleStaff,
  type ScaleTenant,
} from './scale-records.js';

/** The largest `--scale` accepted: beyond, seeding takes hours and the disk fills. */
export const MAX_SCALE = 1_000_000;
/** Cases written per transaction: large enough to amortise the commit and its fsync. */
const CASES_PER_TRANSACTION = 1_000;
/** Blobs stored at once: enough to keep the thread pool's fsyncs busy. */
const BLOB_CONCURRENCY = 8;
/** The share of MDPH 44 (the larger département) among the cases. */
const SHARE_OF_44 = 0.55;

/** What `cloison demo --scale N` wrote, and how fast. */
export interface ScaleReport {
  cases: number;
  casesByTenant: Record<string, number>;
  persons: number;
  documents: number;
  messages: number;
  notes: number;
  events: number;
  seconds: number;
  casesPerSecond: number;
  /** Time spent creating and opening person keys (wrap, then unwrap through the vault). */
  personKeySeconds: number;
  /** Time spent waiting, after a transaction's rows, for its last blobs to be stored. */
  blobSeconds: number;
}

interface TenantState extends ScaleTenant {
  persons: number;
  cases: number;
  /** The person filed for last: one case in five is a returning person's. */
  last: { id: string; cipher: PersonCipher; minor: boolean } | null;
  /** The next reference number, by year. */
  references: Map<number, number>;
}

function staffOf(
  rows: Array<{ id: string; role: string | null; team: string | null; email: string }>,
) {
  const as = (r: (typeof rows)[number]): ScaleStaff => ({
    id: r.id,
    role: r.role as StaffRole,
    team: r.team,
  });
  const find = (role: string, team?: string) => {
    const row = rows.find((r) => r.role === role && (team === undefined || r.team === team));
    if (!row) throw new Error(`the demo has no ${role}${team ? ` of ${team}` : ''} to seed with`);
    return as(row);
  };
  const evaluateurs = rows.filter((r) => r.role === 'evaluateur').map(as);
  if (evaluateurs.length < 2) throw new Error('the demo has fewer than two évaluateurs');
  return {
    accueil: find('accueil'),
    responsable: find('responsable'),
    instructeurs: {
      'equipe-nord': find('instructeur', 'equipe-nord'),
      'equipe-sud': find('instructeur', 'equipe-sud'),
    },
    evaluateurs: [evaluateurs[0]!, evaluateurs[1]!] as [ScaleStaff, ScaleStaff],
  };
}

async function loadTenant(deps: Pick<AppDeps, 'db'>, code: string): Promise<TenantState> {
  const tenant = await findTenantByCode(deps.db, code);
  if (!tenant) throw new Error(`the demo has no département ${code} to seed`);
  const staff = staffOf(await listStaffOfTenant(deps.db, tenant.id));
  return { id: tenant.id, code, ...staff, persons: 0, cases: 0, last: null, references: new Map() };
}

async function referenceOf(deps: Pick<AppDeps, 'db'>, t: TenantState, at: Date): Promise<string> {
  const year = at.getUTCFullYear();
  let next = t.references.get(year);
  if (next === undefined) {
    const first = await nextReference(deps.db, t.id, t.code, year);
    next = Number(first.slice(first.lastIndexOf('-') + 1));
  }
  t.references.set(year, next + 1);
  return `MDPH${t.code}-${year}-${String(next).padStart(6, '0')}`;
}

/** The sample files of the four required pieces, made once: every case sends the same bytes. */
function pieceFiles(): SampleFile[] {
  return [
    {
      category: 'correspondence',
      piece: 'cerfa_15692',
      name: 'formulaire-cerfa-15692.pdf',
      kind: 'pdf' as const,
      bytes: samplePdf('Cloison demo: formulaire'),
    },
    {
      category: 'medical',
      piece: 'certificat_medical',
      name: 'certificat-medical.pdf',
      kind: 'pdf' as const,
      bytes: samplePdf('Cloison demo: certificat'),
    },
    {
      category: 'identity',
      piece: 'identite',
      name: 'carte-identite.jpg',
      kind: 'jpeg' as const,
      bytes: sampleJpeg(),
    },
    {
      category: 'address',
      piece: 'domicile',
      name: 'justificatif-domicile.png',
      kind: 'png' as const,
      bytes: samplePng(),
    },
  ];
}

async function timed<T>(into: { s: number }, run: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await run();
  } finally {
    into.s += (performance.now() - start) / 1000;
  }
}

/**
 * Stores blobs `limit` at a time while the caller goes on writing rows: the blob store's fsyncs
 * run on the thread pool, beside the rows' work on the main thread.
 */
class BlobWriter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly running: Array<Promise<void>> = [];
  readonly stored: Array<{
    doc: PendingDocument;
    blob: { key: string; size: number; sha256: string };
  }> = [];

  constructor(
    private readonly deps: Pick<AppDeps, 'blobs' | 'vault'>,
    private readonly limit: number,
  ) {}

  add(doc: PendingDocument): void {
    const run = async () => {
      if (this.active >= this.limit) await new Promise<void>((go) => this.waiting.push(go));
      this.active += 1;
      try {
        this.stored.push({ doc, blob: await storeBlob(this.deps, doc) });
      } finally {
        this.active -= 1;
        this.waiting.shift()?.();
      }
    };
    this.running.push(run());
  }

  /** Waits for every blob added; rejects if one failed. */
  async drain() {
    await Promise.all(this.running);
    this.running.length = 0;
    return this.stored.splice(0);
  }
}

/**
 * Adds `count` cases to the normal demo, over both départements: persons sealed under keys of
 * their own, rights, a year of history (transitions, decisions, messages, notes), the four
 * pieces as sealed blobs, and every act in the tenant's audit chain. A thousand cases per
 * transaction; `progress` is told after each.
 */
export async function seedScale(
  deps: Pick<AppDeps, 'db' | 'blobs' | 'vault'>,
  count: number,
  options: { now?: Date; seed?: number; progress?: (done: number) => void } = {},
): Promise<ScaleReport> {
  const now = options.now ?? new Date();
  const random: Random = seededRandom(options.seed ?? 20_260_101);
  const tenants = [await loadTenant(deps, '44'), await loadTenant(deps, '85')];
  const files = pieceFiles();
  const times = creationTimes(random, count, now);
  const counts = { events: 0, messages: 0, notes: 0 };
  const keys = { s: 0 };
  const blobs = { s: 0 };
  let documents = 0;
  const started = performance.now();

  for (let from = 0; from < count; from += CASES_PER_TRANSACTION) {
    const to = Math.min(count, from + CASES_PER_TRANSACTION);
    await deps.db.transaction().execute(async (trx) => {
      const writer = new BlobWriter(deps, BLOB_CONCURRENCY);
      for (let i = from; i < to; i += 1) {
        const t = random() < SHARE_OF_44 ? tenants[0]! : tenants[1]!;
        let person = t.last;
        if (person === null || random() >= 0.2) {
          const planned = planPerson(random, t.code, t.persons, now);
          t.persons += 1;
          const written = await timed(keys, () => writePerson(deps, trx, t.id, planned, now));
          person = { ...written, minor: planned.minor };
          t.last = person;
        }
        const createdAt = new Date(times[i]!);
        const c = planCase(random, person.minor, createdAt, now);
        const reference = await referenceOf({ db: trx }, t, createdAt);
        const sent = c.documents ? files.slice(0, c.pieces) : [];
        for (const d of await writeCase(trx, t, person, c, reference, sent, counts)) writer.add(d);
        t.cases += 1;
        // Lets the blob store's callbacks run: its fsyncs overlap the next case's rows.
        await setImmediate();
      }
      // The rows of documents once their blobs are stored: a crash in between leaves only
      // unreferenced blobs, which the next start sweeps.
      const stored = await timed(blobs, () => writer.drain());
      for (const { doc, blob } of stored) await writeDocument(trx, doc, blob);
      documents += stored.length;
    });
    options.progress?.(to);
  }

  // The detector is told it has read this history, as if it had watched it happen: a first
  // start would otherwise run every rule over a year of made-up acts before anything new.
  for (const t of tenants)
    await saveCursor(deps.db, t.id, await lastEventSeq(deps.db, t.id), now.toISOString());

  const seconds = (performance.now() - started) / 1000;
  return {
    cases: count,
    casesByTenant: Object.fromEntries(tenants.map((t) => [t.code, t.cases])),
    persons: tenants.reduce((n, t) => n + t.persons, 0),
    documents,
    ...counts,
    seconds,
    casesPerSecond: count / seconds,
    personKeySeconds: keys.s,
    blobSeconds: blobs.s,
  };
}
