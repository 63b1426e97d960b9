import { randomInt } from 'node:crypto';

/**
 * A made-up person who looks like any other applicant: common French names, a birth date, an
 * address in the département and a NIR of the right shape (sex, year and month of birth,
 * département, commune, order; the key is not stored, see normaliseNir). Drawn at random,
 * so no two deployments share a decoy anyone could learn to avoid.
 */
export interface DecoyIdentity {
  firstName: string;
  lastName: string;
  birthDate: string;
  nir: string;
  address: string;
  sex: 1 | 2;
}

const FIRST_NAMES: Record<1 | 2, readonly string[]> = {
  1: ['Julien', 'Nicolas', 'Thomas', 'Stéphane', 'Olivier', 'Mickaël', 'Sébastien', 'Karim'],
  2: ['Nathalie', 'Sandrine', 'Céline', 'Aurélie', 'Isabelle', 'Sophie', 'Émilie', 'Fatima'],
};
const LAST_NAMES = [
  'Moreau',
  'Girard',
  'Fournier',
  'Lambert',
  'Rousseau',
  'Garnier',
  'Chevalier',
  'Gauthier',
  'Perrin',
  'Morel',
  'Guérin',
  'Boyer',
];
const STREETS = [
  'rue des Tilleuls',
  'allée des Peupliers',
  'impasse du Moulin',
  'rue de la Gare',
  'avenue des Sports',
  'chemin des Vignes',
  'rue Victor Hugo',
];

const pick = <T>(list: readonly T[]): T => list[randomInt(list.length)]!;
const pad = (n: number, width: number) => String(n).padStart(width, '0');

export function decoyIdentity(tenantCode: string, now: Date): DecoyIdentity {
  const sex = pick([1, 2] as const);
  const year = now.getUTCFullYear() - randomInt(25, 60);
  const month = randomInt(1, 13);
  const day = randomInt(1, 29);
  const dept = /^\d{2}$/.test(tenantCode) ? tenantCode : '99';
  return {
    firstName: pick(FIRST_NAMES[sex]),
    lastName: pick(LAST_NAMES),
    birthDate: `${year}-${pad(month, 2)}-${pad(day, 2)}`,
    nir: `${sex}${pad(year % 100, 2)}${pad(month, 2)}${dept}${pad(randomInt(1, 990), 3)}${pad(randomInt(1, 1000), 3)}`,
    address: `${randomInt(2, 120)} ${pick(STREETS)}, ${dept}${pad(randomInt(0, 10) * 10, 3)}`,
    sex,
  };
}
