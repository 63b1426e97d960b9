import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import type { KeyManager } from './crypto/key-manager.js';
import type { Vault } from './crypto/vault.js';
import type { BlobStore } from './storage/blob-store.js';
import type { Mailer } from './mail/mailer.js';
import type { AlertSink } from './modules/alerts/alert-sink.js';
import type { OutboxWorker } from './modules/outbox/outbox-worker.js';
import type { ExportWaker } from './modules/exports/export-waker.js';

/**
 * The structured log as the domain writes to it (pino's shape, so Fastify's logger is one):
 * an object of identifiers first, then a fixed message. Personal data never goes in either.
 */
export interface Log {
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

/** What route handlers and services are given; built once by buildApp. */
export interface AppDeps {
  readonly config: Config;
  readonly db: Db;
  readonly blobs: BlobStore;
  readonly clock: Clock;
  readonly log: Log;
  readonly keys: KeyManager;
  /** Seals and opens personal fields and documents (per-person data keys). */
  readonly vault: Vault;
  readonly mailer: Mailer;
  /** Detection rules over the audit log, and delivery of the alerts they raise. */
  readonly alerts: AlertSink;
  /** Sends what the outbox holds (mails, alert deliveries); nudged after a commit that queued. */
  readonly outbox: OutboxWorker;
  /** Approved exports run now; without it, at the job's next poll. */
  readonly exportJob: ExportWaker;
  /**
   * Whether alert channels may point at this machine (demo and tests, with receivers on
   * 127.0.0.1). Never in production: a tenant admin must not reach the host's own services.
   */
  readonly allowLoopbackTargets: boolean;
  /**
   * The origin users reach: CLOISON_PUBLIC_URL, or http://localhost:<listening port> when unset
   * (demo and tests). Used for e-mailed links, WebAuthn and OpenID Connect redirects.
   */
  publicOrigin(): string;
}
