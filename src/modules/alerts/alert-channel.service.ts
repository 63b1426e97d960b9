import { randomBytes, randomUUID } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { Static } from '@sinclair/typebox';
import type { RequestContext } from '../request-context.js';
import { isLoopbackHost } from '../../config.js';
import type { AppDeps } from '../../deps.js';
import { NotFound, problems } from '../../errors.js';
import { requireStaff, type Actor } from '../../policy/actor.js';
import { recordSecurityEvent } from '../events/security-events.js';
import { normaliseEmail } from '../self-service/email-address.js';
import {
  channelAddressRef,
  channelSecretRef,
  channelUrlRef,
  channelsOfTenant,
  countChannels,
  deleteChannel,
  findChannelOfTenant,
  insertChannel,
} from './alert-channel.repository.js';
import type { NewChannelBody } from './alert-channel.schemas.js';
import { testAlert } from './channels/alert-text.js';
import { closeChannel, openChannel } from './channels/channel-target.js';
import { parseSyslogUrl, syslogUrl } from '../../config/syslog-url.js';
import { deliverToChannel } from './delivery.js';
import { noteAuditedObject } from '../audit/request-audit.js';
import { requireAuthorized } from '../authorization/require-authorized.js';

/** Enough for a SIEM, an on-call mailbox and a spare; more is a mistake or an abuse. */
const MAX_CHANNELS = 20;

/**
 * HTTPS only, to another machine; plain HTTP to this machine only in demo and tests (receivers
 * on 127.0.0.1). No credentials in the URL.
 */
function webhookUrl(raw: string, allowLoopback: boolean): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw problems.validation('Adresse de webhook invalide.');
  }
  if (targetsThisMachine(parsed.hostname) && !allowLoopback) throw loopbackRefused();
  const loopback = isLoopbackHost(parsed.hostname);
  const ok = parsed.protocol === 'https:' || (parsed.protocol === 'http:' && loopback);
  if (!ok || parsed.username || parsed.password) {
    throw problems.validation(
      'Le webhook doit être en https:// (sans identifiants dans l’adresse).',
    );
  }
  return parsed.toString();
}

/** Addresses that reach the host itself: loopback, "this host" (0/8, ::), and their v4-mapped forms. */
const THIS_MACHINE = new BlockList();
THIS_MACHINE.addSubnet('127.0.0.0', 8, 'ipv4');
THIS_MACHINE.addSubnet('0.0.0.0', 8, 'ipv4');
THIS_MACHINE.addAddress('::1', 'ipv6');
THIS_MACHINE.addAddress('::', 'ipv6');
THIS_MACHINE.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');
THIS_MACHINE.addSubnet('::ffff:0.0.0.0', 104, 'ipv6');

/**
 * Whether a host names this machine, however it is spelt: the WHATWG parser first turns 127.1,
 * 0x7f.1, 2130706433 or [::ffff:127.0.0.1] into one canonical address. (A DNS name resolving
 * to loopback is not caught here: that needs the address checked at connection time.)
 */
function targetsThisMachine(host: string): boolean {
  let canonical: string;
  try {
    canonical = new URL(`http://${host}/`).hostname;
  } catch {
    return true;
  }
  if (isLoopbackHost(canonical) || canonical.endsWith('.localhost')) return true;
  const bare = canonical.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  return family !== 0 && THIS_MACHINE.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/** A channel aimed at the host itself, outside demo and tests. */
function loopbackRefused() {
  return problems.validation(
    'Un canal d’alerte ne peut pas viser cette machine (réservé à la démonstration et aux tests).',
  );
}

/** Plain syslog (UDP, TCP) only to this machine: anything crossing a network goes over TLS. */
function syslogTarget(raw: string, allowLoopback: boolean): string {
  const target = parseSyslogUrl(raw);
  if (!target) {
    throw problems.validation(
      'Adresse syslog invalide : syslog+tls://hôte:port (ou syslog+udp:// et syslog+tcp:// vers 127.0.0.1).',
    );
  }
  if (targetsThisMachine(target.host) && !allowLoopback) throw loopbackRefused();
  if (target.transport !== 'tls' && !isLoopbackHost(target.host)) {
    throw problems.validation(
      'Hors de cette machine, syslog passe par TLS (RFC 5425) : utilisez syslog+tls://hôte:port.',
    );
  }
  return syslogUrl(target);
}

/**
 * Adds a channel for the tenant's alerts. A webhook gets an HMAC secret, made here, shown once
 * and kept sealed; an e-mail address is sealed too (it names a person, often); a syslog URL and
 * facility are stored as they are.
 */
export async function addChannel(
  deps: AppDeps,
  origin: RequestContext,
  actor: Actor,
  body: Static<typeof NewChannelBody>,
): Promise<{ id: string; secret?: string }> {
  const admin = requireStaff(actor);
  const kind = body.kind ?? 'webhook';
  const misplaced =
    kind === 'email'
      ? body.url !== undefined || body.facility !== undefined
      : body.address !== undefined || (kind === 'webhook' && body.facility !== undefined);
  if (misplaced) {
    throw problems.validation(
      'Champs attendus : {kind:"webhook", url}, {kind:"email", address} ou {kind:"syslog", url, facility?}.',
    );
  }
  if (kind !== 'email' && body.url === undefined) throw problems.validation('url manquante.');
  if (kind === 'email' && body.address === undefined)
    throw problems.validation('address manquante.');
  const url =
    kind === 'webhook'
      ? webhookUrl(body.url!, deps.allowLoopbackTargets)
      : kind === 'syslog'
        ? syslogTarget(body.url!, deps.allowLoopbackTargets)
        : null;
  if (kind === 'email' && !deps.mailer.available) throw problems.mailUnavailable();
  if ((await countChannels(deps.db, admin.tenantId)) >= MAX_CHANNELS) {
    throw problems.conflict(
      'too-many-channels',
      `Un département a au plus ${MAX_CHANNELS} canaux d’alerte : supprimez-en un d’abord.`,
    );
  }

  const id = randomUUID();
  noteAuditedObject('alert-channel', id);
  const secret = kind === 'webhook' ? randomBytes(32) : null;
  const seal = (ref: ReturnType<typeof channelSecretRef>, value: Buffer) =>
    deps.vault.sealCredential(deps.db, admin.tenantId, ref, value);
  await insertChannel(deps.db, {
    id,
    tenant_id: admin.tenantId,
    kind,
    // A webhook's path may hold the receiver's token: only its shown form stays in clear.
    url: kind === 'webhook' ? shownUrl(url!) : url,
    url_enc: kind === 'webhook' ? await seal(channelUrlRef(id), Buffer.from(url!, 'utf8')) : null,
    secret_enc: secret ? await seal(channelSecretRef(id), secret) : null,
    address_enc:
      kind === 'email'
        ? await seal(channelAddressRef(id), Buffer.from(normaliseEmail(body.address!), 'utf8'))
        : null,
    facility: kind === 'syslog' ? (body.facility ?? 'local0') : null,
    created_by: admin.accountId,
    created_at: deps.clock.now().toISOString(),
  });
  await recordSecurityEvent(deps, origin, {
    kind: 'alert-channel.added',
    actor,
    objectType: 'alert-channel',
    objectId: id,
    detail: { kind },
  });
  if (!secret) return { id };
  const shown = secret.toString('base64url');
  secret.fill(0);
  return { id, secret: shown };
}

/** A webhook's origin only: its path and query may carry the receiver's own token. */
function shownUrl(url: string): string {
  const u = new URL(url);
  return u.pathname === '/' && !u.search ? u.origin : `${u.origin}/…`;
}

/** The tenant's channels. The e-mail address to its admins only; to the DPO, its domain. */
export async function listChannels(deps: AppDeps, actor: Actor) {
  const staff = requireStaff(actor);
  const rows = await channelsOfTenant(deps.db, staff.tenantId);
  const items = [];
  for (const row of rows) {
    let target = '';
    if (row.kind === 'email') {
      const opened = await openChannel(deps, row);
      const address = opened.kind === 'email' ? opened.address : '';
      target = staff.role === 'admin' ? address : `…@${address.split('@').pop() ?? ''}`;
    } else if (row.kind === 'webhook') target = shownUrl(row.url ?? '');
    else target = row.url ?? '';
    items.push({
      id: row.id,
      kind: row.kind,
      target,
      ...(row.facility ? { facility: row.facility } : {}),
      createdAt: row.created_at,
    });
  }
  return { items };
}

/** Loads a channel of the admin's own tenant; another tenant's answers like a missing one. */
async function requireChannel(deps: AppDeps, actor: Actor, channelId: string) {
  return requireAuthorized(deps.db, actor, 'alertChannel.manage', {
    type: 'alert-channel',
    id: channelId,
    table: 'alert_channels',
    find: async () =>
      actor.kind === 'staff' ? findChannelOfTenant(deps.db, actor.tenantId, channelId) : undefined,
    facts: (row) => ({ type: 'alert-channel', id: row.id, tenantId: row.tenant_id }),
  });
}

export async function removeChannel(
  deps: AppDeps,
  origin: RequestContext,
  actor: Actor,
  channelId: string,
): Promise<void> {
  const row = await requireChannel(deps, actor, channelId);
  // Two admins deleting at once: the second finds nothing, as if it were already gone.
  if (!(await deleteChannel(deps.db, row.tenant_id, row.id))) {
    throw new NotFound({
      action: 'alertChannel.manage',
      objectType: 'alert-channel',
      objectId: row.id,
      reason: 'missing',
    });
  }
  await recordSecurityEvent(deps, origin, {
    kind: 'alert-channel.removed',
    actor,
    objectType: 'alert-channel',
    objectId: row.id,
    detail: { kind: row.kind },
  });
}

/**
 * Sends a test alert on the channel now, once (no retries: the admin is waiting), and says
 * whether it went out. The reason of a failure is in the server's log, not in the answer: an
 * error code per address would map the département's network for whoever holds the admin role.
 */
export async function testChannel(
  deps: AppDeps,
  origin: RequestContext,
  actor: Actor,
  channelId: string,
): Promise<{ delivered: boolean }> {
  const row = await requireChannel(deps, actor, channelId);
  const channel = await openChannel(deps, row);
  let delivered = false;
  try {
    const alert = testAlert(row.tenant_id, row.id, deps.clock.now(), randomUUID());
    delivered = await deliverToChannel(deps, channel, alert, { attempts: 1 });
  } finally {
    closeChannel(channel);
  }
  await recordSecurityEvent(deps, origin, {
    kind: 'alert-channel.tested',
    actor,
    objectType: 'alert-channel',
    objectId: row.id,
    detail: { kind: row.kind, delivered },
  });
  return { delivered };
}
