import type { Probe } from './probes.js';
import type { ProbeContext } from './probe-context.js';

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
};
