import type { Client, HttpResult } from '../harness/client.js';
import type { World } from '../harness/world.js';
import type { Oracle, Who } from './oracle.js';

export type Send = () => Promise<HttpResult>;

/** The security events a refusal must leave behind, by kind. */
export type EventTally = Record<
  'access.denied' | 'access.missing' | 'access.forbidden' | 'access.unauthenticated',
  number
>;

/** What a probe gets for one actor: its client, the oracle, and the assertions of the matrix. */
export interface ProbeContext {
  readonly who: Who;
  readonly client: Client;
  readonly oracle: Oracle;
  readonly world: World;
  /**
   * The actor must not reach an object that exists: the answer must be a refusal (401, 403 or
   * 404), byte-identical to the same request on an id that does not exist, and free of any of
   * the object's secrets. The server must record the refusal against `target`.
   */
  refused(
    label: string,
    target: { type: string; id: string },
    foreign: Send,
    missing: Send,
    secrets: readonly string[],
  ): Promise<void>;
  /** A request with no object (listing, creation): refused by the gate, 401 or 403. */
  gated(label: string, send: Send): Promise<void>;
  /** The response must hold none of these strings. */
  noSecrets(label: string, res: HttpResult, secrets: readonly string[]): void;
  /** Records a failure; the matrix reports them all at the end. */
  fail(label: string, message: string): void;
  /** Reads the server's database (ids created while the matrix runs, such as passkeys). */
  readDb<T>(sql: string, ...params: unknown[]): T[];
  /** The actor's e-mail and password, to open a second session. */
  credentials(): { email: string; password: string };
  /** Counts one allowed request that was sent (positive control). */
  allowed(): void;
  /** Counts one allowed write that was deliberately not sent (it would change the world). */
  skipped(): void;
}

/** A random UUID that names nothing in the database. */
export function missingId(): string {
  return crypto.randomUUID();
}

/** True when the parsed body is an object list of `items` with ids. */
export function itemIds(res: HttpResult): string[] | null {
  const body = res.json as { items?: Array<{ id?: unknown }> } | undefined;
  if (!body || !Array.isArray(body.items)) return null;
  return body.items.map((i) => String(i.id));
}

export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  return sa.size === new Set(b).size && b.every((x) => sa.has(x));
}
