import { isLoopbackHost } from '../../config.js';
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../../deps.js';
import { problems } from '../../errors.js';
import { unsafeRowExists } from '../../db/unsafe-exists.js';
import { authorize } from '../../policy/authorize.js';
import type { Actor } from '../../policy/actor.js';
import { recordSecurityEvent } from '../events/security-events.js';
import { alertChannelSecretRef } from './webhook.js';
import { noteAuditedObject } from '../audit/request-audit.js';

function staffOf(actor: Actor) {
  if (actor.kind !== 'staff') throw problems.forbidden();
  return actor;
}

/**
 * Adds a webhook for the tenant's alerts. HTTPS only (plain HTTP to this machine for tests and
 * a local relay). The HMAC secret is made here, shown once and kept sealed.
 */
export async function addWebhook(
  deps: AppDeps,
  request: FastifyRequest,
  actor: Actor,
  url: string,
): Promise<{ id: string; secret: string }> {
  const admin = staffOf(actor);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw problems.validation('Adresse de webhook invalide.');
  }
  const ok =
    parsed.protocol === 'https:' ||
    (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname));
  if (!ok || parsed.username || parsed.password) {
    throw problems.validation(
      'Le webhook doit être en https:// (sans identifiants dans l’adresse).',
    );
  }
  const id = randomUUID();
  noteAuditedObject('alert-channel', id);
  const secret = randomBytes(32);
  const sealed = await deps.vault.sealCredential(
    deps.db,
    admin.tenantId,
    alertChannelSecretRef(id),
    secret,
  );
  await deps.db
    .insertInto('alert_channels')
    .values({
      id,
      tenant_id: admin.tenantId,
      kind: 'webhook',
      url: parsed.toString(),
      secret_enc: sealed,
      created_by: admin.accountId,
      created_at: deps.clock.now().toISOString(),
    })
    .execute();
  await recordSecurityEvent(deps, request, {
    kind: 'alert-channel.added',
    actor,
    objectType: 'alert-channel',
    objectId: id,
  });
  const shown = secret.toString('base64url');
  secret.fill(0);
  return { id, secret: shown };
}

export async function listAlerts(deps: AppDeps, actor: Actor) {
  const staff = staffOf(actor);
  const rows = await deps.db
    .selectFrom('alerts')
    .selectAll()
    .where('tenant_id', '=', staff.tenantId)
    .orderBy('last_at', 'desc')
    .limit(500)
    .execute();
  return {
    items: rows.map((a) => ({
      id: a.id,
      rule: a.rule,
      severity: a.severity,
      subject: a.subject,
      status: a.status,
      count: a.count,
      firstAt: a.first_at,
      lastAt: a.last_at,
      evidence: JSON.parse(a.evidence) as number[],
    })),
  };
}

/** Acknowledge (someone is on it) or resolve (dealt with); an alert of another tenant is not found. */
export async function decideAlert(
  deps: AppDeps,
  request: FastifyRequest,
  actor: Actor,
  alertId: string,
  decision: 'acknowledged' | 'resolved',
): Promise<void> {
  const staff = staffOf(actor);
  const row = await deps.db
    .selectFrom('alerts')
    .select(['id', 'tenant_id'])
    .where('id', '=', alertId)
    .where('tenant_id', '=', staff.tenantId)
    .executeTakeFirst();
  const resource = row ? { type: 'alert' as const, id: row.id, tenantId: row.tenant_id } : null;
  const existsOutOfScope = row ? false : await unsafeRowExists(deps.db, 'alerts', alertId);
  authorize(actor, 'alert.manage', resource, { type: 'alert', id: alertId, existsOutOfScope });
  const now = deps.clock.now().toISOString();
  const res = await deps.db
    .updateTable('alerts')
    .set(
      decision === 'acknowledged'
        ? { status: 'acknowledged', acknowledged_by: staff.accountId, acknowledged_at: now }
        : { status: 'resolved', resolved_by: staff.accountId, resolved_at: now },
    )
    .where('id', '=', resource.id)
    .where('status', '<>', 'resolved')
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) {
    throw problems.conflict('alert-resolved', 'Cette alerte est déjà close.');
  }
  await recordSecurityEvent(deps, request, {
    kind: decision === 'acknowledged' ? 'alert.acknowledged' : 'alert.resolved',
    actor,
    objectType: 'alert',
    objectId: alertId,
  });
}
