import type { Probe } from './probes.js';
import { missingId, type ProbeContext } from './probe-context.js';

const isStaff = (ctx: ProbeContext, ...roles: string[]) =>
  ctx.who.account?.kind === 'staff' && roles.includes(ctx.who.account.role ?? '');

const tenantCodeOf = (ctx: ProbeContext, tenantId: string | null | undefined) =>
  ctx.world.tenants.find((t) => t.id === tenantId)?.code;

export const RETENTION_PROBES: Record<string, Probe> = {
  // Public: every actor, signed in or not, reads every département's schedule, and only that.
  'GET /api/v1/public/tenants/:code/retention': async (ctx) => {
    for (const tenant of ctx.world.tenants) {
      const res = await ctx.client.get(`/api/v1/public/tenants/${tenant.code}/retention`);
      ctx.allowed();
      const body = res.json as { tenant?: { code: string }; rules?: unknown[] };
      if (res.status !== 200 || body.tenant?.code !== tenant.code || !body.rules?.length) {
        ctx.fail(`retention of ${tenant.code}`, `${res.status} ${res.text.slice(0, 200)}`);
      }
      if (/"(id|accountId|changedBy|reason)"/.test(res.text)) {
        ctx.fail(`retention of ${tenant.code}`, 'says more than the schedule');
      }
    }
  },

  // The actor's own département, never another's (there is no parameter to name one).
  'GET /api/v1/retention/schedule': async (ctx) => {
    const send = () => ctx.client.get('/api/v1/retention/schedule');
    if (!isStaff(ctx, 'dpo', 'admin', 'responsable')) return ctx.gated('retention schedule', send);
    const res = await send();
    ctx.allowed();
    const own = tenantCodeOf(ctx, ctx.who.account?.tenant_id);
    if (res.status !== 200 || (res.json as { tenant?: { code: string } }).tenant?.code !== own) {
      ctx.fail('retention schedule', `${res.status} ${res.text.slice(0, 200)}`);
    }
  },

  // Sent out of bounds, so that the world is unchanged: the DPO reaches the rule's check.
  'PUT /api/v1/retention/rules/:kind': async (ctx) => {
    const send = () =>
      ctx.client.put('/api/v1/retention/rules/draft', {
        json: { activeDays: 1, archiveDays: 0, reason: 'Sondage de la matrice d’accès' },
      });
    if (!isStaff(ctx, 'dpo')) return ctx.gated('change a retention rule', send);
    const res = await send();
    ctx.allowed();
    if (res.status !== 400 || !res.text.includes('retention-out-of-bounds')) {
      ctx.fail('change a retention rule', `${res.status} ${res.text.slice(0, 200)}`);
    }
  },

  // Erasure certificates: the DPO of the département, and a foreign one looks missing.
  'GET /api/v1/erasure-certificates': async (ctx) => {
    const send = () => ctx.client.get('/api/v1/erasure-certificates');
    if (!isStaff(ctx, 'dpo')) return ctx.gated('erasure certificates', send);
    const res = await send();
    ctx.allowed();
    const own = ctx
      .readDb<{ id: string }>(
        'select id from erasure_certificates where tenant_id = ?',
        ctx.who.account?.tenant_id,
      )
      .map((c) => c.id)
      .sort();
    const listed = ((res.json as { items?: Array<{ id: string }> }).items ?? []).map((c) => c.id);
    if (res.status !== 200 || JSON.stringify(listed.sort()) !== JSON.stringify(own)) {
      ctx.fail('erasure certificates', `${res.status} ${res.text.slice(0, 200)}`);
    }
  },

  'GET /api/v1/erasure-certificates/:certificateId': async (ctx) => {
    const send = (id: string) => () => ctx.client.get(`/api/v1/erasure-certificates/${id}`);
    const a = ctx.who.account;
    if (!a || !isStaff(ctx, 'dpo')) return ctx.gated('erasure certificate', send(missingId()));
    const all = ctx.readDb<{ id: string; tenant_id: string }>(
      'select id, tenant_id from erasure_certificates',
    );
    for (const c of all) {
      if (c.tenant_id === a.tenant_id) {
        ctx.skipped();
        continue;
      }
      await ctx.refused(
        `erasure certificate ${c.id}`,
        { type: 'erasure-certificate', id: c.id },
        send(c.id),
        send(missingId()),
        [],
      );
    }
    // Own certificates are read by test/erasure-certificates.test.ts, with a foreign DPO's view.
  },
};
