import { TRANSITIONS, type CaseStatus } from '../policy/case-workflow.js';
import type { RightCode } from '../policy/vocabulary.js';

/**
 * What `cloison demo --scale N` makes up, before anything is sealed or written: who the persons
 * are, what each case asks for, where it stands and how it got there. Drawn from a seeded PRNG,
 * so two runs make the same département (ids and key material aside).
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Case history spans this many days back from now: inside the default audit retention (365). */
const HISTORY_DAYS = 360;

/** mulberry32: small, fast and good enough to make up demo data; never for anything secret. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export type Random = () => number;

const pick = <T>(random: Random, list: readonly T[]): T =>
  list[Math.floor(random() * list.length)]!;

// None of the demo's own names, which accounts carry in clear as display names.
const FIRST_NAMES = [
  'Léa',
  'Hugo',
  'Chloé',
  'Louis',
  'Manon',
  'Gabriel',
  'Inès',
  'Arthur',
  'Jade',
  'Raphaël',
  'Louise',
  'Jules',
  'Emma',
  'Adam',
  'Lina',
  'Lucas',
  'Rose',
  'Théo',
  'Anna',
  'Nathan',
  'Mathilde',
  'Antoine',
  'Juliette',
  'Maxime',
  'Céline',
  'Thierry',
  'Sylvie',
  'Patrick',
  'Isabelle',
  'Philippe',
  'Nathalie',
  'Michel',
  'Monique',
  'Gérard',
  'Françoise',
  'Bernard',
] as const;
const LAST_NAMES = [
  'Bernard',
  'Dubois',
  'Thomas',
  'Robert',
  'Richard',
  'Petit',
  'Moreau',
  'Laurent',
  'Simon',
  'Lefebvre',
  'Leroy',
  'Bertrand',
  'Morel',
  'Fournier',
  'Girard',
  'Bonnet',
  'Dupont',
  'Lambert',
  'Fontaine',
  'Rousseau',
  'Vincent',
  'Mercier',
  'Guérin',
  'Boyer',
  'Garnier',
  'Chevalier',
  'Legrand',
  'Gauthier',
  'Perrin',
  'Clément',
  'Morin',
  'Roussel',
  'Mathieu',
  'Masson',
  'Marchand',
  'Duval',
  'Dumont',
  'Lemaire',
  'Meunier',
  'Blanchard',
  'Giraud',
  'Rivière',
  'Brunet',
  'Gaillard',
  'Barbier',
  'Arnaud',
  'Renard',
  'Schmitt',
  'Leroux',
  'Picard',
  'Aubert',
] as const;
const STREETS = ['rue des Lilas', 'avenue de la Gare', 'impasse du Moulin', 'place de l’Église'];

/** A made-up person of a département; `index` (unique in the tenant) makes the NIR unique. */
export interface PlannedPerson {
  first: string;
  last: string;
  birth: string;
  address: string;
  nir: string;
  minor: boolean;
}

/**
 * A NIR of the right shape with its control key: sex 1 (the demo's own are all 2), birth year
 * and month, département, then the index in six digits where commune and order number go.
 */
function scaledNir(birth: string, dept: string, index: number): string {
  const body = `1${birth.slice(2, 4)}${birth.slice(5, 7)}${dept}${String(index % 1_000_000).padStart(6, '0')}`;
  const key = 97 - Number(BigInt(body) % 97n);
  return `${body}${String(key).padStart(2, '0')}`;
}

export function planPerson(random: Random, dept: string, index: number, now: Date): PlannedPerson {
  // One in six requests is for a child (AEEH, school orientation).
  const minor = random() < 1 / 6;
  const age = minor ? 2 + Math.floor(random() * 16) : 20 + Math.floor(random() * 65);
  const year = now.getUTCFullYear() - age;
  const month = 1 + Math.floor(random() * 12);
  const day = 1 + Math.floor(random() * 28);
  const birth = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return {
    first: pick(random, FIRST_NAMES),
    last: pick(random, LAST_NAMES),
    birth,
    address: `${1 + Math.floor(random() * 120)} ${pick(random, STREETS)}, ${dept}`,
    nir: scaledNir(birth, dept, index),
    minor,
  };
}

/**
 * Where the cases of a year of activity stand: most decided and closed, a queue of open ones
 * at every step, a few drafts keyed in at the counter. Weights in per cent.
 */
const STATUS_MIX: ReadonlyArray<[CaseStatus, number]> = [
  ['notifie', 30],
  ['cloture', 26],
  ['archive', 10],
  ['decide', 3],
  ['caduc', 3],
  ['recours', 1],
  ['depose', 6],
  ['attente_pieces', 5],
  ['recevable', 5],
  ['evaluation', 6],
  ['attente_cdaph', 4],
  ['brouillon', 1],
];

function pickStatus(random: Random): CaseStatus {
  let roll = random() * 100;
  for (const [status, weight] of STATUS_MIX) {
    roll -= weight;
    if (roll < 0) return status;
  }
  return 'notifie';
}

/** Which staff member makes a step: the roles TRANSITIONS allows for it. */
export type StepActor = 'accueil' | 'instructeur' | 'evaluateur' | 'responsable';
/** The staff role a step is given to when the workflow allows several, first first. */
const STEP_ACTORS: readonly StepActor[] = ['instructeur', 'evaluateur', 'responsable', 'accueil'];

/**
 * The path a case took from its draft to each status: the shortest one through the workflow's
 * own table (TRANSITIONS), each step made by a staff role that table allows, so that the seeded
 * history stays one the server would have accepted when the workflow changes. A status only a
 * usager can reach (a withdrawal) has no path: the seed makes none.
 */
const PATHS: ReadonlyMap<CaseStatus, ReadonlyArray<{ to: CaseStatus; by: StepActor }>> = (() => {
  const paths = new Map<CaseStatus, Array<{ to: CaseStatus; by: StepActor }>>([['brouillon', []]]);
  const queue: CaseStatus[] = ['brouillon'];
  for (let from = queue.shift(); from !== undefined; from = queue.shift()) {
    for (const transition of TRANSITIONS) {
      const by = STEP_ACTORS.find((role) => transition.by.includes(role));
      if (transition.from !== from || by === undefined || paths.has(transition.to)) continue;
      paths.set(transition.to, [...paths.get(from)!, { to: transition.to, by }]);
      queue.push(transition.to);
    }
  }
  return paths;
})();

export interface PlannedStep {
  from: CaseStatus;
  to: CaseStatus;
  by: StepActor;
  at: Date;
}

export interface PlannedCase {
  status: CaseStatus;
  team: 'equipe-nord' | 'equipe-sud';
  /** Named once instruction starts (awaiting pieces included); the évaluateur from evaluation. */
  hasInstructeur: boolean;
  hasEvaluateur: boolean;
  /** Which of the tenant's two évaluateurs. */
  evaluateurIndex: 0 | 1;
  rights: RightCode[];
  /** The decision of each right, when the case is decided. */
  decisions: Array<'accord' | 'accord_partiel' | 'rejet'> | null;
  createdAt: Date;
  steps: PlannedStep[];
  /** How many of the four required pieces were sent (in FULL_FILE order). */
  pieces: number;
  /**
   * Whether the pieces are stored as blobs: for every open case and one closed case in ten.
   * Each blob costs two fsyncs (about a millisecond here); the pieces of all 100,000 cases would
   * take most of the seeding time for files nobody opens once a case is closed.
   */
  documents: boolean;
  messages: number;
  notes: number;
}

const ADULT_RIGHTS: readonly RightCode[] = ['AAH', 'PCH', 'CMI', 'RQTH'];
const CHILD_RIGHTS: readonly RightCode[] = ['AEEH', 'ORIENTATION', 'CMI', 'PCH'];

function pickRights(random: Random, minor: boolean): RightCode[] {
  const pool = [...(minor ? CHILD_RIGHTS : ADULT_RIGHTS)];
  const count = 1 + Math.floor(random() * random() * 3);
  const chosen: RightCode[] = [];
  for (let i = 0; i < count; i += 1)
    chosen.push(...pool.splice(Math.floor(random() * pool.length), 1));
  return chosen.sort();
}

const CLOSED: ReadonlySet<CaseStatus> = new Set(['notifie', 'cloture', 'archive', 'caduc']);
const DECIDED: ReadonlySet<CaseStatus> = new Set([
  'decide',
  'notifie',
  'cloture',
  'archive',
  'recours',
]);

/**
 * The instant moved back into office hours: a weekday between 07:00 and 16:00 UTC (8 or 9 h to
 * 17 or 18 h in Paris). Agents work then: a history at night would be the detector's business.
 */
function duringOfficeHours(ms: number, random: Random): number {
  const d = new Date(ms);
  const back = d.getUTCDay() === 0 ? 2 : d.getUTCDay() === 6 ? 1 : 0;
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - back * DAY_MS;
  return day + (7 + random() * 9) * HOUR_MS;
}

/** `count` creation instants over the history, oldest first, so references follow time. */
export function creationTimes(random: Random, count: number, now: Date): Float64Array {
  const times = new Float64Array(count);
  const span = HISTORY_DAYS * DAY_MS;
  for (let i = 0; i < count; i += 1) {
    times[i] = duringOfficeHours(now.getTime() - span + random() * (span - DAY_MS), random);
  }
  return times.sort();
}

/** One case of a person, created at `createdAt`; its steps end a day before `now` at the latest. */
export function planCase(random: Random, minor: boolean, createdAt: Date, now: Date): PlannedCase {
  const status = pickStatus(random);
  const path = PATHS.get(status);
  if (!path) throw new Error(`no staff path through the workflow to ${status}`);
  const times: number[] = [];
  let at = createdAt.getTime();
  for (let i = 0; i < path.length; i += 1) {
    at = Math.min(at + (1 + random() * 20) * DAY_MS, now.getTime() - DAY_MS);
    // Never before the case was created, even when moved back from a weekend.
    times.push(Math.max(duringOfficeHours(at, random), createdAt.getTime() + 10 * MINUTE_MS));
  }
  times.sort((a, b) => a - b);
  const steps: PlannedStep[] = path.map((step, i) => ({
    from: i === 0 ? 'brouillon' : path[i - 1]!.to,
    to: step.to,
    by: step.by,
    at: new Date(times[i]!),
  }));
  const passed = new Set(path.map((step) => step.to));
  const rights = pickRights(random, minor);
  const decisions = DECIDED.has(status)
    ? rights.map(() => {
        const roll = random();
        return roll < 0.65 ? 'accord' : roll < 0.75 ? 'accord_partiel' : 'rejet';
      })
    : null;
  return {
    status,
    team: random() < 0.5 ? 'equipe-nord' : 'equipe-sud',
    hasInstructeur: passed.has('recevable') || passed.has('attente_pieces'),
    hasEvaluateur: passed.has('evaluation'),
    evaluateurIndex: random() < 0.5 ? 0 : 1,
    rights,
    decisions,
    createdAt,
    steps,
    // A case awaiting pieces lacks one; a draft has its form only; the others are complete.
    pieces: status === 'brouillon' ? 1 : passed.has('attente_pieces') ? 3 : 4,
    documents: !CLOSED.has(status) || random() < 0.1,
    messages: random() < 0.4 ? 1 + Math.floor(random() * 2) : 0,
    notes: random() < 0.2 ? 1 : 0,
  };
}

/** When the case last changed: its last step, or its creation for a draft. */
export function lastActivity(c: PlannedCase): Date {
  return c.steps.at(-1)?.at ?? c.createdAt;
}
