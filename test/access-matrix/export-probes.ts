import type { HttpResult } from '../harness/client.js';
import type { Probe } from './probes.js';
import { itemIds, missingId, sameSet, type ProbeContext } from './probe-context.js';

/** A valid X25519 age recipient (its identity is thrown away: nothing is ever encrypted to it). */
const RECIPIENT = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';

const isStaff = (ctx: ProbeContext, ...roles: string[]) =>
  ctx.who.account?.kind === 'staff' && roles.includes(ctx.who.account.role ?? '');

/** An instruction that passes every rule but its scope, which names the given case. */
function instructionFor(caseId: string) {
  return {
    kind: 'export',
    purpose: 'Sondage de la matrice d’accès',
    legalBasis: 'Article 6.1.e du RGPD',
    recipient: { name: 'Matrice', contact: 'matrice@example.fr', ageRecipient: RECIPIENT },
    scope: { caseIds: [caseId] },
    fields: ['case.reference'],
    documentCategories: [],
    expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
  };
}

/** The answer with the case id the client named blanked out, to compare two answers. */
const withoutId = (res: HttpResult, id: string) => `${res.status} ${res.text.split(id).join('?')}`;

export const EXPORT_PROBES: Record<string, Probe> = {
  'GET /api/v1/export-fields': async (ctx) => {
    const send = () => ctx.client.get('/api/v1/export-fields');
    if (!isStaff(ctx, 'responsable', 'admin', 'dpo')) return ctx.gated('export fields', send);
    const res = await send();
    ctx.allowed();
    const names = (res.json as { items?: Array<{ name: string }> }).items?.map((i) => i.name);
    if (!names?.includes('person.nir') || !names.includes('documents.medical')) {
      ctx.fail('export fields', res.text.slice(0, 200));
    }
  },

  'POST /api/v1/export-instructions': async (ctx) => {
    const send = (caseId: string) => () =>
      ctx.client.post('/api/v1/export-instructions', { json: instructionFor(caseId) });
    const a = ctx.who.account;
    if (!a || !isStaff(ctx, 'responsable', 'admin')) {
      return ctx.gated('order an export', send(missingId()));
    }
    // A case of another département in the scope: refused exactly as an id that names nothing,
    // and nothing is stored (the matrix's fingerprint).
    for (const c of ctx.world.cases.filter((x) => x.tenant_id !== a.tenant_id).slice(0, 3)) {
      const missing = missingId();
      const foreign = await send(c.id)();
      const none = await send(missing)();
      ctx.allowed();
      if (foreign.status !== 400 || withoutId(foreign, c.id) !== withoutId(none, missing)) {
        ctx.fail(`export of foreign case ${c.reference}`, `${foreign.status} ${foreign.text}`);
      }
    }
  },

  'GET /api/v1/export-instructions': async (ctx) => {
    const send = () => ctx.client.get('/api/v1/export-instructions');
    if (!isStaff(ctx, 'responsable', 'admin', 'dpo')) return ctx.gated('instructions', send);
    const res = await send();
    ctx.allowed();
    const visible = ctx.world.exportInstructions.filter((i) =>
      ctx.oracle.mayReadInstruction(ctx.who, i),
    );
    const got = itemIds(res);
    if (
      !got ||
      !sameSet(
        got,
        visible.map((i) => i.id),
      )
    )
      ctx.fail('instructions', res.text);
    ctx.noSecrets(
      'instructions',
      res,
      ctx.world.exportInstructions
        .filter((i) => !ctx.oracle.mayReadInstruction(ctx.who, i))
        .flatMap((i) => [i.id, i.purpose]),
    );
  },

  'GET /api/v1/export-instructions/:instructionId': async (ctx) => {
    for (const i of ctx.world.exportInstructions) {
      const send = (id: string) => () => ctx.client.get(`/api/v1/export-instructions/${id}`);
      if (ctx.oracle.mayReadInstruction(ctx.who, i)) {
        const res = await send(i.id)();
        ctx.allowed();
        if (res.status !== 200 || (res.json as { id?: string }).id !== i.id) {
          ctx.fail(`instruction ${i.id}`, `${res.status} ${res.text.slice(0, 200)}`);
        }
        continue;
      }
      await ctx.refused(
        `instruction ${i.id}`,
        { type: 'export-instruction', id: i.id },
        send(i.id),
        send(missingId()),
        [i.purpose],
      );
    }
  },

  'POST /api/v1/export-instructions/:instructionId/approval': async (ctx) => {
    for (const i of ctx.world.exportInstructions) {
      if (ctx.oracle.mayDecideInstruction(ctx.who, i)) {
        ctx.skipped();
        continue;
      }
      const send = (id: string) => () =>
        ctx.client.post(`/api/v1/export-instructions/${id}/approval`);
      await ctx.refused(
        `approve instruction ${i.id}`,
        { type: 'export-instruction', id: i.id },
        send(i.id),
        send(missingId()),
        [i.purpose],
      );
    }
  },

  'POST /api/v1/export-instructions/:instructionId/refusal': async (ctx) => {
    for (const i of ctx.world.exportInstructions) {
      if (ctx.oracle.mayDecideInstruction(ctx.who, i)) {
        ctx.skipped();
        continue;
      }
      const send = (id: string) => () =>
        ctx.client.post(`/api/v1/export-instructions/${id}/refusal`, {
          json: { reason: 'Sondage de la matrice' },
        });
      await ctx.refused(
        `refuse instruction ${i.id}`,
        { type: 'export-instruction', id: i.id },
        send(i.id),
        send(missingId()),
        [i.purpose],
      );
    }
  },

  'GET /api/v1/exports/:instructionId/content': async (ctx) => {
    for (const i of ctx.world.exportInstructions) {
      const send = (id: string) => () => ctx.client.get(`/api/v1/exports/${id}/content`);
      const a = ctx.who.account;
      const orderer =
        a?.kind === 'staff' && ['responsable', 'admin'].includes(a.role!) && a.id === i.ordered_by;
      if (orderer) {
        // Its own instruction, not run (the demo's wait for the DPO): nothing to download yet.
        const res = await send(i.id)();
        ctx.allowed();
        if ((res.json as { type?: string })?.type !== 'urn:cloison:problem:export-not-available') {
          ctx.fail(`download export ${i.id}`, `${res.status} ${res.text.slice(0, 200)}`);
        }
        continue;
      }
      await ctx.refused(
        `download export ${i.id}`,
        { type: 'export-instruction', id: i.id },
        send(i.id),
        send(missingId()),
        [i.purpose],
      );
    }
  },

  'POST /api/v1/export-instructions/:instructionId/recipient-token': async (ctx) => {
    for (const i of ctx.world.exportInstructions) {
      const send = (id: string) => () =>
        ctx.client.post(`/api/v1/export-instructions/${id}/recipient-token`, { json: {} });
      const a = ctx.who.account;
      const orderer =
        a?.kind === 'staff' && ['responsable', 'admin'].includes(a.role!) && a.id === i.ordered_by;
      if (orderer) {
        // Its own instruction, still waiting for the DPO: no token for what is not approved.
        const res = await send(i.id)();
        ctx.allowed();
        if (
          (res.json as { type?: string })?.type !== 'urn:cloison:problem:instruction-not-approved'
        ) {
          ctx.fail(`recipient token ${i.id}`, `${res.status} ${res.text.slice(0, 200)}`);
        }
        continue;
      }
      await ctx.refused(
        `recipient token ${i.id}`,
        { type: 'export-instruction', id: i.id },
        send(i.id),
        send(missingId()),
        [i.purpose],
      );
    }
  },

  'POST /api/v1/export-instructions/:instructionId/acknowledgement': decisionOnEnd(
    'acknowledgement',
    { manifestSha256: 'b'.repeat(64), receipt: 'd'.repeat(32) },
    // The demo's instructions are exports, not migrations: nothing to acknowledge.
    'not-a-migration',
  ),

  'POST /api/v1/export-instructions/:instructionId/erasure-cancellation': decisionOnEnd(
    'erasure-cancellation',
    undefined,
    'erasure-not-pending',
  ),
};

/**
 * A DPO's act on the end of a migration: refused like a missing instruction to everyone but the
 * DPO of its département, who gets the conflict the demo's instructions answer (no write).
 */
function decisionOnEnd(step: string, json: unknown, conflict: string): Probe {
  return async (ctx) => {
    for (const i of ctx.world.exportInstructions) {
      const send = (id: string) => () =>
        ctx.client.post(`/api/v1/export-instructions/${id}/${step}`, json ? { json } : {});
      if (ctx.oracle.mayDecideInstruction(ctx.who, i)) {
        const res = await send(i.id)();
        ctx.allowed();
        if ((res.json as { type?: string })?.type !== `urn:cloison:problem:${conflict}`) {
          ctx.fail(`${step} ${i.id}`, `${res.status} ${res.text.slice(0, 200)}`);
        }
        continue;
      }
      await ctx.refused(
        `${step} ${i.id}`,
        { type: 'export-instruction', id: i.id },
        send(i.id),
        send(missingId()),
        [i.purpose],
      );
    }
  };
}
