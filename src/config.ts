import { isIP } from 'node:net';
import path from 'node:path';
import {
  isSyslogFacility,
  parseSyslogUrl,
  syslogUrl,
  type SyslogFacility,
} from './config/syslog-url.js';
import { parseTrustProxy } from './config/trust-proxy.js';
import { parseBackupSettings, type BackupSchedule } from './config/backup-schedule.js';

/** Runtime configuration, parsed once from the environment and frozen. */
export interface Config {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly databaseUrl: string | null;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly uploadMaxBytes: number;
  readonly sessionIdleMinutes: number;
  readonly sessionAbsoluteHours: number;
  readonly cookieSecure: boolean;
  readonly loginRateLimitPerMinute: number;
  /**
   * The longest a request body may take to arrive (CLOISON_REQUEST_TIMEOUT_SECONDS): it bounds
   * an upload, so anything partial older than that is certainly a leftover.
   */
  readonly requestTimeoutSeconds: number;
  /** Requests of one account or token in flight at once (CLOISON_ACCOUNT_CONCURRENT_REQUESTS). */
  readonly accountConcurrentRequests: number;
  /** Requests of one account or token per minute, sustained (CLOISON_ACCOUNT_REQUESTS_PER_MINUTE). */
  readonly accountRequestsPerMinute: number;
  /** Who holds the tenant keys: a keyring file (local) or an HSM (pkcs11). */
  readonly keyManager: 'local' | 'pkcs11';
  /** The local keyring's master key: inline (CLOISON_MASTER_KEY) or a file; null = none given. */
  readonly masterKey:
    | { readonly kind: 'inline'; readonly value: string }
    | { readonly kind: 'file'; readonly path: string }
    | null;
  readonly keyringFile: string;
  /** Shift of the server's clock, for lifecycle tests and demos only (CLOISON_CLOCK_OFFSET). */
  readonly clockOffsetMs: number;
  /** Staff accounts unused this many days are disabled (CLOISON_DORMANT_DAYS). */
  readonly dormantDays: number;
  /**
   * Where users reach Cloison (CLOISON_PUBLIC_URL): links in e-mails, the WebAuthn origin and
   * the OpenID Connect redirect. Null = http://localhost:<listening port>, fine for a demo only.
   */
  readonly publicUrl: string | null;
  /** Reverse proxies whose X-Forwarded-* headers are believed (addresses or CIDR); none by default. */
  readonly trustProxy: readonly string[];
  /** The age recipient backups are encrypted to (CLOISON_BACKUP_RECIPIENT), if set. */
  readonly backupRecipient: string | null;
  /** Daily (or CLOISON_BACKUP_INTERVAL_SECONDS) backups into CLOISON_BACKUP_DIR, if set. */
  readonly backupSchedule: BackupSchedule | null;
  /** Outgoing mail (CLOISON_SMTP_URL, smtp:// or smtps://); null = no mail can be sent. */
  readonly smtpUrl: string | null;
  readonly mailFrom: string;
  /**
   * OpenID Connect federations (FranceConnect, ProConnect): a provider is enabled only when its
   * issuer, client id and client secret are all set; null otherwise.
   */
  readonly oidc: Readonly<Record<OidcProviderName, OidcClientConfig | null>>;
  /** Refusals by one actor within a minute that raise an alert (CLOISON_ALERT_REFUSALS_PER_MINUTE). */
  readonly alertRefusalsPerMinute: number;
  /** How often each tenant's audit log gets a signed checkpoint (CLOISON_AUDIT_CHECKPOINT_SECONDS). */
  readonly auditCheckpointSeconds: number;
  /** Days between a migration's acknowledgement and the erasure of its source (CLOISON_MIGRATION_GRACE_DAYS). */
  readonly migrationGraceDays: number;
  /** First wait before an outbox delivery is tried again, doubled each time (CLOISON_OUTBOX_RETRY_SECONDS). */
  readonly outboxRetrySeconds: number;
  /** A witness file that every checkpoint is appended to (CLOISON_AUDIT_WITNESS_FILE). */
  readonly auditWitnessFile: string | null;
  /**
   * Where the platform's own alerts (no tenant) go: the operator's syslog
   * (CLOISON_ALERT_SYSLOG_URL, CLOISON_ALERT_SYSLOG_FACILITY); null = they are only logged.
   */
  readonly operatorSyslog: { readonly url: string; readonly facility: SyslogFacility } | null;
  /**
   * An HTTP witness every new checkpoint is POSTed to (CLOISON_AUDIT_WITNESS_URL): https, or
   * http on loopback; user:password in the URL becomes Basic authentication.
   */
  readonly auditWitnessUrl: string | null;
  /** Audit events older than this are purged, daily (CLOISON_AUDIT_RETENTION_DAYS). */
  readonly auditRetentionDays: number;
  /** How often the server re-verifies every audit chain (CLOISON_AUDIT_VERIFY_SECONDS). */
  readonly auditVerifySeconds: number;
  /**
   * The metrics listener (CLOISON_METRICS_HOST, CLOISON_METRICS_PORT): a separate port serving
   * GET /metrics to Prometheus; null = none. Port 0 takes any free port (tests), logged.
   */
  readonly metrics: { readonly host: string; readonly port: number } | null;
  /** /api/ready answers 503 below this free space on the data directory (CLOISON_MIN_FREE_DISK_MB). */
  readonly minFreeDiskMb: number;
  /**
   * CDAPH members read the cases on a session's agenda from this many days before it sits
   * (CLOISON_CDAPH_AGENDA_DAYS), fixed on each session when it is planned.
   */
  readonly cdaphAgendaDays: number;
  /** The usager is reminded to renew a granted right this many months before it ends. */
  readonly renewalReminderMonths: number;
}

/**
 * No audit event is ever purged younger than this, whatever the configuration: verification
 * refuses a retention marker that purged a younger event (a purge forged to hide recent ones).
 */
export const MIN_AUDIT_RETENTION_DAYS = 30;

/** The identity federations Cloison knows; their presets live in src/modules/federation. */
export const OIDC_PROVIDERS = ['franceconnect', 'proconnect'] as const;
export type OidcProviderName = (typeof OIDC_PROVIDERS)[number];

/** What the operator registered at the provider. */
export interface OidcClientConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** True for an address that never leaves the machine (the only place plain HTTP is allowed). */
export function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Parses and validates the environment; throws one ConfigError listing every problem. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!/^\d+$/.test(raw)) {
      problems.push(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
      return fallback;
    }
    const value = Number(raw);
    if (value < min || value > max) {
      problems.push(`${name} must be between ${min} and ${max}, got ${value}`);
      return fallback;
    }
    return value;
  };

  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
    if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
    problems.push(`${name} must be true or false, got "${raw}"`);
    return fallback;
  };

  const host = env.HOST && env.HOST !== '' ? env.HOST : '127.0.0.1';
  const port = int('PORT', 8080, 0, 65535);
  const dataDir = path.resolve(
    env.CLOISON_DATA_DIR && env.CLOISON_DATA_DIR !== '' ? env.CLOISON_DATA_DIR : './data',
  );

  const databaseUrl = env.DATABASE_URL && env.DATABASE_URL !== '' ? env.DATABASE_URL : null;
  if (databaseUrl !== null && !databaseUrl.startsWith('sqlite:')) {
    problems.push(
      `DATABASE_URL "${databaseUrl.split(':')[0]}:..." is not supported yet: only sqlite:<path> (PostgreSQL arrives with its own issue)`,
    );
  }

  const rawLevel = env.LOG_LEVEL ?? 'info';
  let logLevel: Config['logLevel'] = 'info';
  if ((LOG_LEVELS as readonly string[]).includes(rawLevel))
    logLevel = rawLevel as Config['logLevel'];
  else problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${rawLevel}"`);

  const uploadMaxBytes = int(
    'CLOISON_UPLOAD_MAX_BYTES',
    20 * 1024 * 1024,
    1024,
    1024 * 1024 * 1024,
  );
  const sessionIdleMinutes = int('CLOISON_SESSION_IDLE_MINUTES', 30, 1, 24 * 60);
  const sessionAbsoluteHours = int('CLOISON_SESSION_ABSOLUTE_HOURS', 12, 1, 24 * 7);
  // Secure by default: browsers accept Secure cookies on http://127.0.0.1 and localhost too.
  const cookieSecure = bool('CLOISON_COOKIE_SECURE', true);
  const loginRateLimitPerMinute = int('CLOISON_LOGIN_RATE_LIMIT', 10, 1, 10_000);
  // Ten minutes: a 20 MB document over a poor mobile link (40 kB/s) still arrives.
  const requestTimeoutSeconds = int('CLOISON_REQUEST_TIMEOUT_SECONDS', 600, 10, 24 * 3600);
  // A browser opens at most six connections to a server: eight never refuses a person.
  const accountConcurrentRequests = int('CLOISON_ACCOUNT_CONCURRENT_REQUESTS', 8, 1, 10_000);
  const accountRequestsPerMinute = int('CLOISON_ACCOUNT_REQUESTS_PER_MINUTE', 600, 10, 1_000_000);

  const keyManagerRaw =
    env.CLOISON_KEY_MANAGER && env.CLOISON_KEY_MANAGER !== '' ? env.CLOISON_KEY_MANAGER : 'local';
  let keyManager: Config['keyManager'] = 'local';
  if (keyManagerRaw === 'local' || keyManagerRaw === 'pkcs11') keyManager = keyManagerRaw;
  else problems.push(`CLOISON_KEY_MANAGER must be local or pkcs11, got "${keyManagerRaw}"`);

  const inlineKey =
    env.CLOISON_MASTER_KEY && env.CLOISON_MASTER_KEY !== '' ? env.CLOISON_MASTER_KEY : null;
  const keyFile =
    env.CLOISON_MASTER_KEY_FILE && env.CLOISON_MASTER_KEY_FILE !== ''
      ? path.resolve(env.CLOISON_MASTER_KEY_FILE)
      : null;
  if (inlineKey && keyFile)
    problems.push('set CLOISON_MASTER_KEY or CLOISON_MASTER_KEY_FILE, not both');
  const masterKey: Config['masterKey'] = inlineKey
    ? { kind: 'inline', value: inlineKey }
    : keyFile
      ? { kind: 'file', path: keyFile }
      : null;
  const keyringFile = path.resolve(
    env.CLOISON_KEYRING_FILE && env.CLOISON_KEYRING_FILE !== ''
      ? env.CLOISON_KEYRING_FILE
      : path.join(dataDir, 'keyring.json'),
  );

  let clockOffsetMs = 0;
  const offsetRaw = env.CLOISON_CLOCK_OFFSET;
  if (offsetRaw !== undefined && offsetRaw !== '') {
    const m = /^([+-]?\d{1,6})([dhms])$/.exec(offsetRaw);
    if (!m)
      problems.push(`CLOISON_CLOCK_OFFSET must look like 91d, -2h, 30m or 10s, got "${offsetRaw}"`);
    else
      clockOffsetMs =
        Number(m[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 }[m[2] as 'd'];
  }
  const dormantDays = int('CLOISON_DORMANT_DAYS', 90, 1, 3650);
  const alertRefusalsPerMinute = int('CLOISON_ALERT_REFUSALS_PER_MINUTE', 50, 2, 100_000);
  const auditCheckpointSeconds = int('CLOISON_AUDIT_CHECKPOINT_SECONDS', 60, 1, 86_400);
  const migrationGraceDays = int('CLOISON_MIGRATION_GRACE_DAYS', 14, 1, 365);
  const outboxRetrySeconds = int('CLOISON_OUTBOX_RETRY_SECONDS', 30, 1, 3_600);
  const auditWitnessFile =
    env.CLOISON_AUDIT_WITNESS_FILE && env.CLOISON_AUDIT_WITNESS_FILE !== ''
      ? path.resolve(env.CLOISON_AUDIT_WITNESS_FILE)
      : null;

  const operatorSyslog = parseOperatorSyslog(env, problems);
  const auditRetentionDays = int(
    'CLOISON_AUDIT_RETENTION_DAYS',
    365,
    MIN_AUDIT_RETENTION_DAYS,
    36_500,
  );
  const auditVerifySeconds = int('CLOISON_AUDIT_VERIFY_SECONDS', 300, 1, 86_400);
  const metrics = parseMetricsListener(env, port, problems);
  const minFreeDiskMb = int('CLOISON_MIN_FREE_DISK_MB', 512, 0, 1_000_000_000);
  const cdaphAgendaDays = int('CLOISON_CDAPH_AGENDA_DAYS', 15, 0, 60);
  const renewalReminderMonths = int('CLOISON_RENEWAL_REMINDER_MONTHS', 6, 1, 24);
  const witnessUrlRaw = env.CLOISON_AUDIT_WITNESS_URL ?? '';
  let auditWitnessUrl: string | null = null;
  if (witnessUrlRaw !== '') {
    let url: URL | null = null;
    try {
      url = new URL(witnessUrlRaw);
    } catch {
      url = null;
    }
    // Checkpoints are public by design, but a witness reached in clear can be fed or faked by
    // anyone on the path: TLS, except on the machine itself.
    if (
      url !== null &&
      !url.hash &&
      (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname)))
    ) {
      auditWitnessUrl = url.href;
    } else {
      // Never echo the value: it may carry the witness's password.
      problems.push(
        'CLOISON_AUDIT_WITNESS_URL must be an https:// URL (http:// only on 127.0.0.1 or localhost)',
      );
    }
  }

  const publicUrlRaw = env.CLOISON_PUBLIC_URL ?? '';
  let publicUrl: string | null = null;
  if (publicUrlRaw !== '') {
    try {
      const u = new URL(publicUrlRaw);
      if ((u.protocol !== 'https:' && u.protocol !== 'http:') || u.pathname !== '/' || u.search)
        throw new Error('shape');
      publicUrl = u.origin;
    } catch {
      problems.push(
        'CLOISON_PUBLIC_URL must be an origin such as https://mdph.example.fr (the value is not repeated: it may carry credentials)',
      );
    }
  }
  const smtpRaw = env.CLOISON_SMTP_URL ?? '';
  let smtpUrl: string | null = null;
  if (smtpRaw !== '') {
    try {
      const u = new URL(smtpRaw);
      if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new Error('scheme');
      smtpUrl = smtpRaw;
    } catch {
      // Never echo the value: it may carry the SMTP password.
      problems.push('CLOISON_SMTP_URL must look like smtp://user:password@host:587 or smtps://…');
    }
  }
  const mailFrom =
    env.CLOISON_MAIL_FROM && env.CLOISON_MAIL_FROM !== ''
      ? env.CLOISON_MAIL_FROM
      : 'Cloison <no-reply@cloison.invalid>';
  if (/[\r\n]/.test(mailFrom)) problems.push('CLOISON_MAIL_FROM must be one line');

  const oidc = {} as Record<OidcProviderName, OidcClientConfig | null>;
  for (const name of OIDC_PROVIDERS) {
    const prefix = `CLOISON_OIDC_${name.toUpperCase()}`;
    const issuer = env[`${prefix}_ISSUER`] ?? '';
    const clientId = env[`${prefix}_CLIENT_ID`] ?? '';
    const clientSecret = env[`${prefix}_CLIENT_SECRET`] ?? '';
    oidc[name] = null;
    const given = [issuer, clientId, clientSecret].filter((v) => v !== '').length;
    if (given === 0) continue;
    if (given < 3) {
      // Half a configuration is a mistake, not "disabled": say so instead of starting without it.
      problems.push(
        `${prefix}_ISSUER, ${prefix}_CLIENT_ID and ${prefix}_CLIENT_SECRET must be set together (or none of them)`,
      );
      continue;
    }
    let url: URL | null = null;
    try {
      url = new URL(issuer);
    } catch {
      url = null;
    }
    // Plain HTTP would hand codes and tokens to anyone on the path; only loopback (tests, a local
    // provider) is spared, and openid-client's insecure mode is enabled for exactly that case.
    const ok =
      url !== null &&
      !url.search &&
      !url.hash &&
      !url.username &&
      (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname)));
    if (!ok) {
      problems.push(
        `${prefix}_ISSUER must be an https:// issuer URL without credentials or query (http:// only on 127.0.0.1 or localhost); the value is not repeated`,
      );
      continue;
    }
    if (clientId.length > 256 || /[\s]/.test(clientId)) {
      problems.push(`${prefix}_CLIENT_ID must be one word of at most 256 characters`);
      continue;
    }
    // Never echo the secret.
    if (clientSecret.length > 1024) problems.push(`${prefix}_CLIENT_SECRET is too long`);
    else oidc[name] = Object.freeze({ issuer, clientId, clientSecret });
  }

  const trustProxy = parseTrustProxy(env.CLOISON_TRUST_PROXY, problems);
  const backup = parseBackupSettings(env, dataDir, int, problems);

  if (problems.length > 0) throw new ConfigError(problems);

  return Object.freeze({
    host,
    port,
    dataDir,
    databaseUrl,
    logLevel,
    uploadMaxBytes,
    sessionIdleMinutes,
    sessionAbsoluteHours,
    cookieSecure,
    loginRateLimitPerMinute,
    requestTimeoutSeconds,
    accountConcurrentRequests,
    accountRequestsPerMinute,
    keyManager,
    masterKey,
    keyringFile,
    clockOffsetMs,
    dormantDays,
    publicUrl,
    trustProxy,
    backupRecipient: backup.recipient,
    backupSchedule: backup.schedule,
    smtpUrl,
    mailFrom,
    oidc: Object.freeze(oidc),
    alertRefusalsPerMinute,
    auditCheckpointSeconds,
    migrationGraceDays,
    outboxRetrySeconds,
    auditWitnessFile,
    operatorSyslog,
    auditWitnessUrl,
    auditRetentionDays,
    auditVerifySeconds,
    metrics,
    minFreeDiskMb,
    cdaphAgendaDays,
    renewalReminderMonths,
  });
}

/** A host name (an IP address is checked by isIP): no scheme, path or port can ride along. */
const HOST_NAME =
  /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

function parseMetricsListener(env: Env, appPort: number, problems: string[]): Config['metrics'] {
  const rawHost = env.CLOISON_METRICS_HOST ?? '';
  const host = rawHost === '' ? '127.0.0.1' : rawHost;
  const hostOk = isIP(host) !== 0 || (host.length <= 253 && HOST_NAME.test(host));
  if (!hostOk) {
    problems.push(
      `CLOISON_METRICS_HOST must be an IP address or a host name (default 127.0.0.1), got "${host}"`,
    );
  }
  const raw = env.CLOISON_METRICS_PORT ?? '';
  if (raw === '') return null;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535) {
    problems.push(`CLOISON_METRICS_PORT must be an integer between 0 and 65535, got "${raw}"`);
    return null;
  }
  const port = Number(raw);
  // The point of a separate listener is that the public port never serves the metrics.
  if (port !== 0 && port === appPort) {
    problems.push(`CLOISON_METRICS_PORT must differ from PORT (${appPort})`);
    return null;
  }
  return hostOk ? Object.freeze({ host, port }) : null;
}

function parseOperatorSyslog(env: Env, problems: string[]): Config['operatorSyslog'] {
  const raw = env.CLOISON_ALERT_SYSLOG_URL ?? '';
  const facility = env.CLOISON_ALERT_SYSLOG_FACILITY || 'local0';
  if (!isSyslogFacility(facility)) {
    problems.push(
      `CLOISON_ALERT_SYSLOG_FACILITY must be auth, authpriv, local0…local7…, got "${facility}"`,
    );
  }
  if (raw === '') return null;
  const target = parseSyslogUrl(raw);
  // Plain syslog crosses no network: TLS (RFC 5425) for any host that is not this machine.
  if (!target || (target.transport !== 'tls' && !isLoopbackHost(target.host))) {
    problems.push(
      'CLOISON_ALERT_SYSLOG_URL must look like syslog+tls://siem.example:6514 (syslog+udp:// or syslog+tcp:// only to 127.0.0.1 or localhost)',
    );
    return null;
  }
  return isSyslogFacility(facility) ? Object.freeze({ url: syslogUrl(target), facility }) : null;
}
