import { createHash, randomBytes } from 'node:crypto';
import { Client, fileForm, type HttpResult } from '../harness/client.js';
import { OIDC_PROVIDERS } from '../../src/config.js';
import { samplePdf } from '../../src/modules/documents/sample-files.js';
import { caseSecrets, documentSecrets, type CaseAbility, type WorldCase } from './oracle.js';
import { EXPORT_PROBES } from './export-probes.js';
import { RETENTION_PROBES } from './retention-probes.js';
import { itemIds, missingId, sameSet, type ProbeContext } from './probe-context.js';

/**
 * One probe per route of the server, keyed "METHOD /url" exactly as the route table declares
 * it. A probe runs for one actor and tries every object of the world through its route.
 * The matrix fails when a served route has no probe here, or a probe names no served route.
 */
export type Probe = (ctx: ProbeContext) => Promise<void>;

/** A fake but schema-valid WebAuthn assertion and registration: they must never pass. */
const FAKE_ASSERTION = {
  id: 'ZmFrZQ',
  rawId: 'ZmFrZQ',
  type: 'public-key',
  clientExtensionResults: {},
  response: { clientDataJSON: 'e30', authenticatorData: 'AAAA', signature: 'AAAA' },
};
const FAKE_REGISTRATION = {
  id: 'ZmFrZQ',
  rawId: 'ZmFrZQ',
  type: 'public-key',
  clientExtensionResults: {},
  response: { clientDataJSON: 'e30', attestationObject: 'oA' },
};

/** A verification route on a complete session: 409, nothing is due. */
function secondFactorNotDue(send: (client: Client) => ReturnType<Client['get']>): Probe {
  return async (ctx) => {
    if (!ctx.who.account) return ctx.gated('second factor', () => send(ctx.client));
    const res = await send(ctx.client);
    ctx.allowed();
    if ((res.json as { type?: string })?.type !== 'urn:cloison:problem:no-second-factor-due') {
      ctx.fail('second factor on a complete session', `${res.status} ${res.text}`);
    }
  };
}

/** A credential change with a wrong current password: 401 bad-credentials. */
function wrongPassword(url: string): Probe {
  return async (ctx) => {
    const send = () => ctx.client.post(url, { json: { currentPassword: 'not-my-password-000' } });
    if (!ctx.who.account) return ctx.gated(url, send);
    const res = await send();
    ctx.allowed();
    if ((res.json as { type?: string })?.type !== 'urn:cloison:problem:bad-credentials') {
      ctx.fail(url, `${res.status} ${res.text}`);
    }
  };
}

/** A status a case can plausibly move to next, so transition bodies pass validation. */
const NEXT_STATUS: Record<string, string> = {
  brouillon: 'depose',
  depose: 'recevable',
  attente_pieces: 'depose',
  recevable: 'evaluation',
  evaluation: 'attente_cdaph',
  attente_cdaph: 'decide',
  decide: 'notifie',
  notifie: 'cloture',
};

/** Secrets of every case the actor may not read, less those shared with one it may read. */
function hiddenCaseSecrets(ctx: ProbeContext): string[] {
  const visible = new Set(
    ctx.world.cases
      .filter((c) => ctx.oracle.mayOnCase(ctx.who, c, 'read'))
      .flatMap((c) => caseSecrets(ctx.world, c)),
  );
  return ctx.world.cases
    .filter((c) => !ctx.oracle.mayOnCase(ctx.who, c, 'read'))
    .flatMap((c) => caseSecrets(ctx.world, c))
    .filter((s) => !visible.has(s));
}

/**
 * A probe for a route about one case: refused cases must answer like missing ones; on cases the
 * actor may use, reads are checked by `onAllowed` and writes are skipped.
 */
function caseRoute(
  ability: CaseAbility,
  send: (client: Client, caseId: string, c: WorldCase | null) => ReturnType<Client['get']>,
  onAllowed?: (ctx: ProbeContext, c: WorldCase, res: Awaited<ReturnType<Client['get']>>) => void,
): Probe {
  return async (ctx) => {
    for (const c of ctx.world.cases) {
      const label = `${c.reference} (${c.status})`;
      if (!ctx.oracle.mayOnCase(ctx.who, c, ability)) {
        await ctx.refused(
          label,
          { type: 'case', id: c.id },
          () => send(ctx.client, c.id, c),
          () => send(ctx.client, missingId(), c),
          caseSecrets(ctx.world, c),
        );
      } else if (onAllowed) {
        const res = await send(ctx.client, c.id, c);
        ctx.allowed();
        if (res.status !== 200) ctx.fail(label, `expected 200, got ${res.status} ${res.text}`);
        else onAllowed(ctx, c, res);
      } else {
        ctx.skipped();
      }
    }
  };
}

type WorldSession = ProbeContext['world']['cdaphSessions'][number];

/**
 * A route under one CDAPH session: every session of the world is tried; one the actor may not
 * reach answers exactly like a missing one. Allowed reads are checked; allowed writes are not
 * sent (they would change the world the other probes read).
 */
function sessionRoute(
  ability: 'read' | 'manage',
  send: (client: Client, sessionId: string) => ReturnType<Client['get']>,
  onAllowed?: (ctx: ProbeContext, s: WorldSession, res: HttpResult) => void,
): Probe {
  return async (ctx) => {
    for (const s of ctx.world.cdaphSessions) {
      const label = `session ${s.id} (${s.status})`;
      if (!ctx.oracle.mayOnSession(ctx.who, s, ability)) {
        await ctx.refused(
          label,
          { type: 'cdaph-session', id: s.id },
          () => send(ctx.client, s.id),
          () => send(ctx.client, missingId()),
          [],
        );
      } else if (onAllowed) {
        const res = await send(ctx.client, s.id);
        ctx.allowed();
        if (res.status !== 200) ctx.fail(label, `expected 200, got ${res.status} ${res.text}`);
        else onAllowed(ctx, s, res);
      } else {
        ctx.skipped();
      }
    }
  };
}

/** The ids of the cases a session's detail lists on its agenda. */
function agendaIds(res: HttpResult): string[] {
  return ((res.json as { agenda?: Array<{ caseId: string }> }).agenda ?? []).map((a) => a.caseId);
}

/** A listing of entries (messages or notes) of a case: exactly the case's entries. */
function entriesOf(table: 'messages' | 'notes') {
  return (ctx: ProbeContext, c: WorldCase, res: Awaited<ReturnType<Client['get']>>) => {
    const expected = ctx.world[table].filter((e) => e.case_id === c.id).map((e) => e.id);
    const got = itemIds(res);
    if (!got || !sameSet(got, expected)) {
      ctx.fail(c.reference, `${table}: expected ${expected.join(',')}, got ${res.text}`);
    }
  };
}

/** True when the actor is staff holding one of these roles. */
function isRole(ctx: ProbeContext, ...roles: string[]): boolean {
  const a = ctx.who.account;
  return a?.kind === 'staff' && roles.includes(a.role ?? '');
}

/**
 * Deciding a staff request: a non-admin is stopped at the gate, another tenant's request answers
 * like a missing one. The tenant's own admins reach the demo's grants, all decided already by
 * the seed: the answer is 409 and nothing changes (a pending one would be a write, not sent).
 */
function decideRequestProbe(decision: 'approve' | 'refuse'): Probe {
  return async (ctx) => {
    const send = (id: string) => () => ctx.client.post(`/api/v1/staff-requests/${id}/${decision}`);
    if (!isRole(ctx, 'admin'))
      return ctx.gated(`${decision} a request`, send(ctx.world.roleGrants[0]!.id));
    for (const grant of ctx.world.roleGrants) {
      if (ctx.who.account!.tenant_id === grant.tenant_id) {
        if (grant.status === 'pending') {
          ctx.skipped();
          continue;
        }
        const res = await send(grant.id)();
        ctx.allowed();
        if (res.status !== 409) ctx.fail(`${decision} ${grant.id}`, `${res.status} ${res.text}`);
        continue;
      }
      const target = ctx.world.accounts.find((a) => a.id === grant.account_id);
      await ctx.refused(
        `${decision} request ${grant.id}`,
        { type: 'role-grant', id: grant.id },
        send(grant.id),
        send(missingId()),
        target ? [target.id, target.email, target.display_name] : [],
      );
    }
    // Disable and re-enable requests share the inbox: the matrix opened one per département.
    for (const request of ctx.world.accountRequests) {
      if (ctx.who.account!.tenant_id === request.tenant_id) {
        ctx.skipped();
        continue;
      }
      const target = ctx.world.accounts.find((a) => a.id === request.account_id);
      await ctx.refused(
        `${decision} account request ${request.id}`,
        { type: 'account-request', id: request.id },
        send(request.id),
        send(missingId()),
        target ? [target.id, target.email, target.display_name] : [],
      );
    }
  };
}

type AccountOf = ProbeContext['world']['accounts'][number];

/**
 * An admin's route on one account: for the tenant's own admins, `reaches` says which accounts
 * the policy admits (writes, not sent here); every other target, and every other actor, gets
 * the answer of a missing account (the gate's, below it).
 */
function accountProbe(
  label: string,
  send: (client: Client, accountId: string) => Promise<HttpResult>,
  reaches: (me: AccountOf, target: AccountOf) => boolean,
  options: { gateOnce?: boolean } = {},
): Probe {
  return async (ctx) => {
    const me = ctx.who.account;
    // Below the gate no object is ever looked at: one real id is proof enough.
    if (options.gateOnce && !isRole(ctx, 'admin'))
      return ctx.gated(label, () => send(ctx.client, ctx.world.accounts[0]!.id));
    for (const target of ctx.world.accounts) {
      const isAdmin =
        me?.kind === 'staff' && me.role === 'admin' && me.tenant_id === target.tenant_id;
      if (isAdmin && reaches(me, target)) {
        ctx.skipped();
        continue;
      }
      await ctx.refused(
        `${label} ${target.email}`,
        { type: 'account', id: target.id },
        () => send(ctx.client, target.id),
        () => send(ctx.client, missingId()),
        [target.email, target.display_name],
      );
    }
  };
}

/** Deciding an alert: another département's (or the platform's) answers like a missing one. */
function alertDecisionProbe(decision: 'acknowledge' | 'resolve'): Probe {
  return async (ctx) => {
    const send = (id: string) => () => ctx.client.post(`/api/v1/alerts/${id}/${decision}`);
    const alerts = ctx.readDb<{ id: string; tenant_id: string | null }>(
      'select id, tenant_id from alerts',
    );
    if (alerts.length === 0) return ctx.gated(`${decision} alert`, send(missingId()));
    for (const alert of alerts) {
      if (isRole(ctx, 'dpo', 'admin') && alert.tenant_id === ctx.who.account?.tenant_id) {
        ctx.skipped();
        continue;
      }
      await ctx.refused(
        `${decision} alert ${alert.id}`,
        { type: 'alert', id: alert.id },
        send(alert.id),
        send(missingId()),
        [],
      );
    }
  };
}

/** The e-mail channel the matrix gives each département: it must never reach another one. */
export const matrixChannelAddress = (tenantCode: string) => `alertes-${tenantCode}@matrix.example`;

/**
 * Acting on one alert channel: only an admin of its own département; anyone else, and the other
 * département's admins, get the answer of a missing channel. The test button is sent for real
 * (it changes nothing); deleting is a write, not sent.
 */
function alertChannelProbe(
  send: (client: Client, id: string) => Promise<HttpResult>,
  write: boolean,
): Probe {
  return async (ctx) => {
    const channels = ctx.readDb<{ id: string; tenant_id: string; code: string }>(
      'select c.id, c.tenant_id, t.code from alert_channels c join tenants t on t.id = c.tenant_id',
    );
    if (channels.length === 0)
      return ctx.gated('alert channel', () => send(ctx.client, missingId()));
    for (const channel of channels) {
      if (isRole(ctx, 'admin') && channel.tenant_id === ctx.who.account?.tenant_id) {
        if (write) {
          ctx.skipped();
          continue;
        }
        const res = await send(ctx.client, channel.id);
        ctx.allowed();
        if (
          res.status !== 200 ||
          typeof (res.json as { delivered?: unknown })?.delivered !== 'boolean'
        ) {
          ctx.fail(`test channel ${channel.id}`, `${res.status} ${res.text}`);
        }
        continue;
      }
      await ctx.refused(
        `alert channel ${channel.id}`,
        { type: 'alert-channel', id: channel.id },
        () => send(ctx.client, channel.id),
        () => send(ctx.client, missingId()),
        [matrixChannelAddress(channel.code)],
      );
    }
  };
}

/** An auditor's read of the tenant's log: the DPO's own tenant, nothing of any other. */
function auditorProbe(url: string, statuses: number[]): Probe {
  return async (ctx) => {
    const send = () => ctx.client.get(url);
    const a = ctx.who.account;
    if (!a || !isRole(ctx, 'dpo')) return ctx.gated(url, send);
    const res = await send();
    ctx.allowed();
    if (!statuses.includes(res.status)) ctx.fail(url, `${res.status} ${res.text.slice(0, 200)}`);
    ctx.noSecrets(url, res, [
      ...ctx.world.tenants.filter((t) => t.id !== a.tenant_id).map((t) => t.id),
      ...ctx.world.accounts.filter((x) => x.tenant_id !== a.tenant_id).map((x) => x.id),
    ]);
  };
}

const pdf = samplePdf('matrix probe');

/**
 * A federation route of a provider the server does not enable: a 404 problem naming that, no
 * cookie set (neither a session nor a flow binding), nobody's data.
 */
function disabledProvider(ctx: ProbeContext, label: string, res: HttpResult): void {
  if (res.status !== 404 || !res.text.includes('urn:cloison:problem:oidc-provider-disabled')) {
    ctx.fail(label, `${res.status} ${res.text.slice(0, 200)}`);
  }
  if (res.headers.get('set-cookie'))
    ctx.fail(label, `set a cookie: ${res.headers.get('set-cookie')}`);
  ctx.noSecrets(
    label,
    res,
    ctx.world.accounts.flatMap((a) => [a.id, a.email]),
  );
}

/** The account `offset` places after the actor's own in the world (any account for nobody). */
function otherAccount(ctx: ProbeContext, offset: number) {
  const mine = ctx.world.accounts.findIndex((a) => a.id === ctx.who.account?.id);
  const accounts = ctx.world.accounts;
  return accounts[(mine + offset + accounts.length) % accounts.length]!;
}

/** A token of the right shape that was never issued. */
function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export const PROBES: Record<string, Probe> = {
  ...EXPORT_PROBES,
  ...RETENTION_PROBES,
  'GET /api/health': async (ctx) => {
    const res = await ctx.client.get('/api/health');
    ctx.allowed();
    if (res.text !== '{"status":"ok"}') ctx.fail('health', res.text);
  },

  'GET /api/ready': async (ctx) => {
    const res = await ctx.client.get('/api/ready');
    ctx.allowed();
    // The same answer for everyone, naming checks only.
    if (res.text !== '{"status":"ready","checks":{"database":"ok","keys":"ok","disk":"ok"}}')
      ctx.fail('ready', res.text);
  },

  'GET /api/openapi.json': async (ctx) => {
    const res = await ctx.client.get('/api/openapi.json');
    ctx.allowed();
    if (res.status !== 200) ctx.fail('openapi', String(res.status));
    ctx.noSecrets('openapi', res, hiddenCaseSecrets(ctx));
  },

  'GET /*': async (ctx) => {
    // The web application's page is the same for everyone and holds no data...
    const page = await ctx.client.get('/instruction/dossiers/anything');
    ctx.allowed();
    if (page.status !== 200 || !page.text.includes('<div id="app">')) {
      ctx.fail('web page', `${page.status} ${page.text.slice(0, 80)}`);
    }
    ctx.noSecrets('web page', page, hiddenCaseSecrets(ctx));
    // ...and an unknown API path never falls through to it.
    const api = await ctx.client.get('/api/v1/no-such-thing');
    if (api.status !== 404 || !api.headers.get('content-type')?.includes('problem+json')) {
      ctx.fail('unknown API path', `${api.status} ${api.text.slice(0, 80)}`);
    }
  },

  'POST /api/v1/auth/login': async (ctx) => {
    // Somebody else's e-mail with a wrong password must say nothing about that account.
    // A different target per actor: accounts lock after repeated failures (per-account throttle).
    const mine = ctx.world.accounts.findIndex((a) => a.id === ctx.who.account?.id);
    const accounts = ctx.world.accounts;
    const target = accounts[(mine + 1) % accounts.length]!;
    for (const other of [target]) {
      const attempt = (email: string) =>
        new Client(ctx.client.baseUrl).post('/api/v1/auth/login', {
          json: { email, password: 'not-the-password-0000' },
        });
      const known = await attempt(other.email);
      const unknown = await attempt(`nobody-${missingId()}@demo.cloison.test`);
      if (known.status !== 401 || known.text !== unknown.text) {
        ctx.fail(`login as ${other.email}`, `${known.status} ${known.text} vs ${unknown.text}`);
      }
      ctx.noSecrets(`login as ${other.email}`, known, [other.id, other.display_name]);
    }
  },

  'POST /api/v1/auth/signup': async (ctx) => {
    // Another target than the login probe's; every request here leaves the accounts as they
    // were (a taken address creates nothing), so the matrix world does not change.
    const target = otherAccount(ctx, 2);
    const attempt = (email: string, password: string) =>
      new Client(ctx.client.baseUrl).post('/api/v1/auth/signup', {
        json: { email, password, displayName: 'Sonde Matrice', tenant: '44' },
      });
    const known = await attempt(target.email, 'court');
    const unknown = await attempt(`nobody-${missingId()}@demo.cloison.test`, 'court');
    if (known.status !== 400 || known.text !== unknown.text) {
      ctx.fail(`sign-up as ${target.email}`, `${known.status} ${known.text} vs ${unknown.text}`);
    }
    // A valid sign-up with a taken address: the answer every new address gets, and no session.
    const taken = await attempt(target.email, 'une phrase de passe assez longue');
    ctx.allowed();
    if (
      taken.status !== 202 ||
      taken.text !== '{"next":"check-your-email"}' ||
      taken.headers.get('set-cookie') !== null
    ) {
      ctx.fail(`sign-up as ${target.email}`, `${taken.status} ${taken.text}`);
    }
    ctx.noSecrets(`sign-up as ${target.email}`, taken, [target.id, target.display_name]);
  },

  'POST /api/v1/auth/verify-email': async (ctx) => {
    const attempt = () =>
      new Client(ctx.client.baseUrl).post('/api/v1/auth/verify-email', {
        json: { token: randomToken() },
      });
    const [a, b] = [await attempt(), await attempt()];
    ctx.allowed();
    if (a.status !== 400 || a.text !== b.text) ctx.fail('verify-email', `${a.text} vs ${b.text}`);
  },

  'POST /api/v1/auth/password-reset': async (ctx) => {
    // Asking is harmless (a link to the owner, nothing changes); one target per actor keeps each
    // address under its hourly mail allowance.
    const target = otherAccount(ctx, 3);
    const attempt = (email: string) =>
      new Client(ctx.client.baseUrl).post('/api/v1/auth/password-reset', { json: { email } });
    const known = await attempt(target.email);
    const unknown = await attempt(`nobody-${missingId()}@demo.cloison.test`);
    ctx.allowed();
    if (known.status !== 202 || known.text !== unknown.text) {
      ctx.fail(`reset for ${target.email}`, `${known.status} ${known.text} vs ${unknown.text}`);
    }
    ctx.noSecrets(`reset for ${target.email}`, known, [target.id, target.display_name]);
  },

  'POST /api/v1/auth/password-reset/confirm': async (ctx) => {
    const attempt = () =>
      new Client(ctx.client.baseUrl).post('/api/v1/auth/password-reset/confirm', {
        json: { token: randomToken(), newPassword: 'une phrase de passe de sonde' },
      });
    const [a, b] = [await attempt(), await attempt()];
    ctx.allowed();
    if (a.status !== 400 || a.text !== b.text) ctx.fail('reset confirm', `${a.text} vs ${b.text}`);
  },

  'POST /api/v1/auth/logout': async (ctx) => {
    if (!ctx.who.account) return ctx.gated('logout', () => ctx.client.post('/api/v1/auth/logout'));
    // Logging out ends that session only, on the server: its cookie is dead afterwards.
    const other = new Client(ctx.client.baseUrl);
    other.sessionCookie = ctx.client.sessionCookie;
    const second = new Client(ctx.client.baseUrl);
    await second.login(ctx.credentials());
    const replay = second.sessionCookie;
    const out = await second.post('/api/v1/auth/logout');
    ctx.allowed();
    if (out.status !== 204) ctx.fail('logout', `${out.status} ${out.text}`);
    second.sessionCookie = replay;
    await ctx.gated('me after logout', () => second.get('/api/v1/me'));
    const still = await other.get('/api/v1/me');
    if (still.status !== 200) ctx.fail('logout', 'logging out one session ended another');
  },

  'POST /api/v1/me/password': async (ctx) => {
    const send = () =>
      ctx.client.post('/api/v1/me/password', {
        json: {
          currentPassword: 'not-my-password-000',
          newPassword: 'une phrase de passe assez longue',
        },
      });
    if (!ctx.who.account) return ctx.gated('change password', send);
    // Only ever one's own account, and only with the current password: a wrong one changes nothing.
    const res = await send();
    ctx.allowed();
    if (
      res.status !== 401 ||
      (res.json as { type?: string })?.type !== 'urn:cloison:problem:bad-credentials'
    ) {
      ctx.fail('change password', `${res.status} ${res.text}`);
    }
  },

  // Second factors. Every matrix actor's session is complete, so nothing is due: the verify
  // routes answer a conflict, never a second session upgrade.
  'POST /api/v1/auth/second-factor/totp': secondFactorNotDue((c) =>
    c.post('/api/v1/auth/second-factor/totp', { json: { code: '123456' } }),
  ),
  'POST /api/v1/auth/second-factor/recovery-code': secondFactorNotDue((c) =>
    c.post('/api/v1/auth/second-factor/recovery-code', { json: { code: 'AAAA-BBBB-CCCC-DDDD' } }),
  ),
  'POST /api/v1/auth/second-factor/passkey/options': secondFactorNotDue((c) =>
    c.post('/api/v1/auth/second-factor/passkey/options'),
  ),
  'POST /api/v1/auth/second-factor/passkey': secondFactorNotDue((c) =>
    c.post('/api/v1/auth/second-factor/passkey', { json: { credential: FAKE_ASSERTION } }),
  ),

  'GET /api/v1/me/second-factors': async (ctx) => {
    const send = () => ctx.client.get('/api/v1/me/second-factors');
    const a = ctx.who.account;
    if (!a) return ctx.gated('second factors', send);
    const res = await send();
    ctx.allowed();
    const body = res.json as { required?: boolean; totp?: string } | undefined;
    if (res.status !== 200 || body?.required !== (a.kind !== 'usager')) {
      ctx.fail('second factors', `${res.status} ${res.text}`);
    }
    ctx.noSecrets(
      'second factors',
      res,
      ctx.world.accounts.filter((x) => x.id !== a.id).flatMap((x) => [x.id, x.email]),
    );
  },

  // Changing factors asks for the password again: a wrong one changes nothing.
  'POST /api/v1/me/second-factors/totp': wrongPassword('/api/v1/me/second-factors/totp'),
  'POST /api/v1/me/second-factors/totp/removal': wrongPassword(
    '/api/v1/me/second-factors/totp/removal',
  ),
  'POST /api/v1/me/passkeys/options': wrongPassword('/api/v1/me/passkeys/options'),
  'POST /api/v1/me/recovery-codes': wrongPassword('/api/v1/me/recovery-codes'),

  'POST /api/v1/me/email': async (ctx) => {
    const send = () =>
      ctx.client.post('/api/v1/me/email', {
        json: { currentPassword: 'not-my-password-000', newEmail: 'nouvelle@exemple.fr' },
      });
    if (!ctx.who.account) return ctx.gated('change e-mail', send);
    // One's own address only, and only with the password: a wrong one changes nothing.
    const res = await send();
    ctx.allowed();
    if ((res.json as { type?: string })?.type !== 'urn:cloison:problem:bad-credentials') {
      ctx.fail('change e-mail', `${res.status} ${res.text}`);
    }
  },

  'POST /api/v1/auth/email-change/confirm': async (ctx) => {
    // A link nobody was sent confirms nothing, whoever opens it.
    const res = await ctx.client.post('/api/v1/auth/email-change/confirm', {
      json: { token: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    });
    ctx.allowed();
    if (res.status !== 400) ctx.fail('confirm e-mail change', `${res.status} ${res.text}`);
  },

  'POST /api/v1/me/second-factors/totp/confirm': async (ctx) => {
    const send = () =>
      ctx.client.post('/api/v1/me/second-factors/totp/confirm', { json: { code: '000000' } });
    if (!ctx.who.account) return ctx.gated('confirm totp', send);
    const res = await send();
    ctx.allowed();
    if (res.status !== 409) ctx.fail('confirm totp with nothing pending', res.text);
  },

  'POST /api/v1/me/passkeys': async (ctx) => {
    // No registration challenge was asked for: the credential is refused, nothing stored.
    const send = () =>
      ctx.client.post('/api/v1/me/passkeys', {
        json: { name: 'intrus', credential: FAKE_REGISTRATION },
      });
    if (!ctx.who.account) return ctx.gated('register passkey', send);
    const res = await send();
    ctx.allowed();
    if ((res.json as { type?: string })?.type !== 'urn:cloison:problem:bad-second-factor') {
      ctx.fail('register passkey without challenge', `${res.status} ${res.text}`);
    }
  },

  'POST /api/v1/me/passkeys/removal': async (ctx) => {
    const send = (passkeyId: string) => () =>
      ctx.client.post('/api/v1/me/passkeys/removal', {
        json: {
          passkeyId,
          currentPassword: ctx.who.account ? ctx.credentials().password : 'x',
        },
      });
    if (!ctx.who.account) return ctx.gated('remove passkey', send('bWlzc2luZw'));
    // Somebody else's passkey, even with one's own right password, is not found.
    const others = ctx.readDb<{ id: string }>(
      'select id from passkeys where account_id <> ?',
      ctx.who.account.id,
    );
    for (const { id } of others) {
      await ctx.refused(
        `remove passkey ${id}`,
        { type: 'passkey', id },
        send(id),
        send(Buffer.from(missingId()).toString('base64url')),
        [],
      );
    }
  },

  'GET /api/v1/auth/oidc/providers': async (ctx) => {
    // The matrix server enables no federation: nothing to offer, and nothing else said.
    const res = await ctx.client.get('/api/v1/auth/oidc/providers');
    ctx.allowed();
    if (res.status !== 200 || res.text !== '{"items":[]}') ctx.fail('providers', res.text);
  },

  'GET /api/v1/auth/oidc/:provider/start': async (ctx) => {
    for (const provider of OIDC_PROVIDERS) {
      for (const query of ['', '?signup=44']) {
        const res = await ctx.client.get(`/api/v1/auth/oidc/${provider}/start${query}`);
        ctx.allowed();
        disabledProvider(ctx, `start ${provider}${query}`, res);
      }
    }
  },

  'GET /api/v1/auth/oidc/:provider/callback': async (ctx) => {
    // No flow can exist without a provider: a forged callback signs nobody in.
    for (const provider of OIDC_PROVIDERS) {
      const res = await ctx.client.get(
        `/api/v1/auth/oidc/${provider}/callback?code=forged&state=forged&iss=http%3A%2F%2F127.0.0.1%3A9`,
      );
      ctx.allowed();
      disabledProvider(ctx, `callback ${provider}`, res);
    }
  },

  'GET /api/v1/me/identities': async (ctx) => {
    const send = () => ctx.client.get('/api/v1/me/identities');
    if (!ctx.who.account) return ctx.gated('identities', send);
    const res = await send();
    ctx.allowed();
    if (res.status !== 200 || res.text !== '{"items":[]}') ctx.fail('identities', res.text);
  },

  'POST /api/v1/me/identities/:provider': async (ctx) => {
    for (const provider of OIDC_PROVIDERS) {
      const send = () =>
        ctx.client.post(`/api/v1/me/identities/${provider}`, {
          json: { currentPassword: ctx.who.account ? ctx.credentials().password : 'x' },
        });
      const a = ctx.who.account;
      if (!a || a.kind === 'operateur') {
        await ctx.gated(`link ${provider}`, send);
        continue;
      }
      // Even with the right password: no provider, no flow, no binding cookie.
      const res = await send();
      ctx.allowed();
      disabledProvider(ctx, `link ${provider}`, res);
    }
  },

  'DELETE /api/v1/me/identities/:provider': async (ctx) => {
    for (const provider of OIDC_PROVIDERS) {
      const send = () =>
        ctx.client.delete(`/api/v1/me/identities/${provider}`, {
          json: { currentPassword: 'not-my-password-000' },
        });
      const a = ctx.who.account;
      if (!a || a.kind === 'operateur') {
        await ctx.gated(`unlink ${provider}`, send);
        continue;
      }
      // Nobody is linked in the demo world: one's own missing link is a plain 404.
      const res = await send();
      ctx.allowed();
      if (res.status !== 404 || !res.text.includes('urn:cloison:problem:not-found')) {
        ctx.fail(`unlink ${provider}`, `${res.status} ${res.text}`);
      }
    }
  },

  'GET /api/v1/me/consultations': async (ctx) => {
    const send = () => ctx.client.get('/api/v1/me/consultations?limit=500');
    if (ctx.who.account?.kind !== 'usager') return ctx.gated('consultations', send);
    const res = await send();
    ctx.allowed();
    // Accesses to the usager's own and represented files only: nothing of anyone else's.
    const visible = new Set(
      ctx.world.cases
        .filter((c) => ctx.oracle.mayOnCase(ctx.who, c, 'read'))
        .map((c) => c.reference),
    );
    const items = (res.json as { items?: Array<{ caseReference: string }> } | undefined)?.items;
    if (res.status !== 200 || !items || items.some((i) => !visible.has(i.caseReference))) {
      ctx.fail('consultations', `${res.status} ${res.text.slice(0, 200)}`);
    }
    ctx.noSecrets(
      'consultations',
      res,
      ctx.world.cases.filter((c) => !visible.has(c.reference)).flatMap((c) => [c.id, c.reference]),
    );
  },

  'GET /api/v1/me/data-export': async (ctx) => {
    const send = () => ctx.client.get('/api/v1/me/data-export');
    if (ctx.who.account?.kind !== 'usager') return ctx.gated('data export', send);
    const res = await send();
    ctx.allowed();
    if (res.status !== 200) ctx.fail('data export', `${res.status} ${res.text.slice(0, 200)}`);
    // My cases and those of the persons I represent, nothing of anyone else's. Only values
    // unique to a foreign case count: the demo gives every département the same file names,
    // texts and first names, which prove nothing.
    const foreign = ctx.world.cases.filter((c) => !ctx.oracle.mayOnCase(ctx.who, c, 'read'));
    const foreignIds = new Set(foreign.map((c) => c.id));
    const mine = ctx.world.cases.filter((c) => !foreignIds.has(c.id)).map((c) => c.person_id);
    const visibleNames = new Set(
      ctx.world.persons.filter((p) => mine.includes(p.id)).map((p) => p.last_name),
    );
    ctx.noSecrets('data export', res, [
      ...foreign.flatMap((c) => [c.id, c.reference, c.person_id]),
      ...ctx.world.persons
        .filter((p) => foreign.some((c) => c.person_id === p.id) && !visibleNames.has(p.last_name))
        .map((p) => p.last_name),
      ...ctx.world.documents.filter((d) => foreignIds.has(d.case_id)).map((d) => d.id),
      ...ctx.world.messages.filter((m) => foreignIds.has(m.case_id)).map((m) => m.id),
    ]);
  },

  'GET /api/v1/audit/checkpoint': auditorProbe('/api/v1/audit/checkpoint', [200, 409]),
  'GET /api/v1/audit/proofs/inclusion': auditorProbe(
    '/api/v1/audit/proofs/inclusion?seq=1&size=1',
    [200],
  ),
  'GET /api/v1/audit/proofs/consistency': auditorProbe(
    '/api/v1/audit/proofs/consistency?from=1&to=1',
    [200],
  ),
  'GET /api/v1/audit/events': auditorProbe('/api/v1/audit/events?after=0', [200]),
  'GET /api/v1/audit/search': auditorProbe('/api/v1/audit/search?limit=20', [200]),
  'POST /api/v1/audit/verification': async (ctx) => {
    const url = '/api/v1/audit/verification';
    const send = () => ctx.client.post(url, { json: {} });
    const a = ctx.who.account;
    if (!a || !isRole(ctx, 'dpo')) return ctx.gated(url, send);
    const res = await send();
    ctx.allowed();
    if (res.status !== 200) ctx.fail(url, `${res.status} ${res.text.slice(0, 200)}`);
    ctx.noSecrets(url, res, [
      ...ctx.world.tenants.filter((t) => t.id !== a.tenant_id).map((t) => t.id),
      ...ctx.world.accounts.filter((x) => x.tenant_id !== a.tenant_id).map((x) => x.id),
    ]);
  },

  'POST /api/v1/alert-channels': async (ctx) => {
    const send = () =>
      ctx.client.post('/api/v1/alert-channels', { json: { url: 'https://siem.example/hook' } });
    // The admin may add one for their own département: a write, not sent here.
    if (isRole(ctx, 'admin')) return ctx.skipped();
    await ctx.gated('alert channel', send);
  },

  'GET /api/v1/alert-channels': async (ctx) => {
    const send = () => ctx.client.get('/api/v1/alert-channels');
    const a = ctx.who.account;
    if (!a || !isRole(ctx, 'dpo', 'admin')) return ctx.gated('alert channels', send);
    const res = await send();
    ctx.allowed();
    const own = ctx.readDb<{ id: string; code: string }>(
      'select c.id, t.code from alert_channels c join tenants t on t.id = c.tenant_id where c.tenant_id = ?',
      a.tenant_id,
    );
    const foreign = ctx.readDb<{ id: string; code: string }>(
      'select c.id, t.code from alert_channels c join tenants t on t.id = c.tenant_id where c.tenant_id <> ?',
      a.tenant_id,
    );
    const got = itemIds(res);
    if (
      res.status !== 200 ||
      !got ||
      !sameSet(
        got,
        own.map((c) => c.id),
      )
    ) {
      ctx.fail('alert channels', `${res.status} ${res.text.slice(0, 200)}`);
    }
    // The address to the département's admins; to its DPO, the domain only.
    const address = own[0] ? matrixChannelAddress(own[0].code) : null;
    if (address && isRole(ctx, 'admin') && !res.text.includes(address)) {
      ctx.fail('alert channels', 'the admin does not see the address');
    }
    ctx.noSecrets('alert channels', res, [
      ...(isRole(ctx, 'dpo') && address ? [address] : []),
      ...foreign.flatMap((c) => [c.id, matrixChannelAddress(c.code)]),
      'secret',
    ]);
  },
  'DELETE /api/v1/alert-channels/:channelId': alertChannelProbe(
    (client, id) => client.delete(`/api/v1/alert-channels/${id}`),
    true,
  ),
  'POST /api/v1/alert-channels/:channelId/test': alertChannelProbe(
    (client, id) => client.post(`/api/v1/alert-channels/${id}/test`),
    false,
  ),

  'GET /api/v1/alerts': async (ctx) => {
    const send = () => ctx.client.get('/api/v1/alerts');
    const a = ctx.who.account;
    if (!a || !isRole(ctx, 'dpo', 'admin')) return ctx.gated('alerts', send);
    const res = await send();
    ctx.allowed();
    if (res.status !== 200) ctx.fail('alerts', res.text);
    const foreign = ctx.readDb<{ id: string }>(
      'select id from alerts where tenant_id is null or tenant_id <> ?',
      a.tenant_id,
    );
    ctx.noSecrets(
      'alerts',
      res,
      foreign.map((f) => f.id),
    );
  },

  'GET /api/v1/alert-settings': async (ctx) => {
    const send = () => ctx.client.get('/api/v1/alert-settings');
    if (!isRole(ctx, 'dpo', 'admin')) return ctx.gated('alert settings', send);
    const res = await send();
    ctx.allowed();
    const rules = (res.json as { rules?: Array<{ rule: string }> } | undefined)?.rules;
    if (res.status !== 200 || !rules?.some((r) => r.rule === 'decoy-touched'))
      ctx.fail('alert settings', `${res.status} ${res.text.slice(0, 200)}`);
  },

  'PUT /api/v1/alert-settings': async (ctx) => {
    const send = () =>
      ctx.client.put('/api/v1/alert-settings', {
        json: { rules: [{ rule: 'refusal-burst', threshold: 2 }] },
      });
    // The DPO and admin change their own département's settings: a write, not sent here.
    if (isRole(ctx, 'dpo', 'admin')) return ctx.skipped();
    await ctx.gated('alert settings', send);
  },

  'POST /api/v1/alerts/:alertId/acknowledge': alertDecisionProbe('acknowledge'),
  'POST /api/v1/alerts/:alertId/resolve': alertDecisionProbe('resolve'),

  // Opening a case by break-glass: never across départements nor on a draft someone else is
  // preparing (same answer as a missing case); on any other case of one's own it would grant
  // access and change the world, so it is not sent.
  'POST /api/v1/cases/:caseId/break-glass': async (ctx) => {
    const send = (id: string) => () =>
      ctx.client.post(`/api/v1/cases/${id}/break-glass`, {
        json: { reason: 'Appel de la personne, vérification urgente du dossier', minutes: 5 },
      });
    const a = ctx.who.account;
    if (!a || !isRole(ctx, 'instructeur', 'evaluateur')) {
      return ctx.gated('break-glass', send(ctx.world.cases[0]!.id));
    }
    for (const c of ctx.world.cases) {
      if (ctx.oracle.breakGlassCandidate(ctx.who, c)) {
        ctx.skipped();
        continue;
      }
      await ctx.refused(
        `break-glass ${c.reference}`,
        { type: 'case', id: c.id },
        send(c.id),
        send(missingId()),
        caseSecrets(ctx.world, c),
      );
    }
  },

  // The DPO's transparency choice; sent with the default value so that the world is unchanged.
  'GET /api/v1/consultation-settings': async (ctx) => {
    const send = () => ctx.client.get('/api/v1/consultation-settings');
    if (!isRole(ctx, 'dpo')) return ctx.gated('consultation settings (read)', send);
    const res = await send();
    ctx.allowed();
    if (res.status !== 200) ctx.fail('consultation settings (read)', `${res.status} ${res.text}`);
  },

  'PUT /api/v1/consultation-settings': async (ctx) => {
    const send = () =>
      ctx.client.put('/api/v1/consultation-settings', { json: { showNames: false } });
    if (!isRole(ctx, 'dpo')) return ctx.gated('consultation settings', send);
    const res = await send();
    ctx.allowed();
    if (res.status !== 200) ctx.fail('consultation settings', `${res.status} ${res.text}`);
  },

  'GET /api/v1/break-glass': auditorProbe('/api/v1/break-glass', [200]),

  'POST /api/v1/break-glass/:grantId/review': async (ctx) => {
    const send = (id: string) => () =>
      ctx.client.post(`/api/v1/break-glass/${id}/review`, { json: { verdict: 'justified' } });
    const a = ctx.who.account;
    if (!a || !isRole(ctx, 'dpo')) return ctx.gated('review break-glass', send(missingId()));
    const grants = ctx.readDb<{ id: string; tenant_id: string }>(
      'select id, tenant_id from break_glass_grants',
    );
    for (const grant of grants) {
      if (grant.tenant_id === a.tenant_id) {
        ctx.skipped();
        continue;
      }
      await ctx.refused(
        `review break-glass ${grant.id}`,
        { type: 'break-glass-grant', id: grant.id },
        send(grant.id),
        send(missingId()),
        [],
      );
    }
    // Own grants would be decided by the probe (a write): not sent. test/break-glass.test.ts
    // reviews one and checks another département's DPO cannot.
  },

  'GET /api/v1/me': async (ctx) => {
    if (!ctx.who.account) return ctx.gated('me', () => ctx.client.get('/api/v1/me'));
    const res = await ctx.client.get('/api/v1/me');
    ctx.allowed();
    const me = res.json as { id?: string } | undefined;
    if (res.status !== 200 || me?.id !== ctx.who.account.id) ctx.fail('me', res.text);
    const others = ctx.world.accounts.filter((a) => a.id !== ctx.who.account?.id);
    ctx.noSecrets(
      'me',
      res,
      others.flatMap((a) => [a.id, a.email]),
    );
  },

  'GET /api/v1/persons': async (ctx) => {
    const send = () => ctx.client.get('/api/v1/persons');
    if (ctx.who.account?.kind !== 'usager') return ctx.gated('persons', send);
    const res = await send();
    ctx.allowed();
    const expected = ctx.oracle.visiblePersons(ctx.who);
    const got = itemIds(res);
    if (!got || !sameSet(got, expected)) ctx.fail('persons', `expected ${expected}, ${res.text}`);
    const visibleNames = new Set(
      ctx.world.persons
        .filter((p) => expected.includes(p.id))
        .flatMap((p) => [p.first_name, p.last_name]),
    );
    ctx.noSecrets(
      'persons',
      res,
      ctx.world.persons
        .filter((p) => !expected.includes(p.id))
        .flatMap((p) => [p.id, p.first_name, p.last_name, p.address ?? ''])
        .filter((s) => s.length >= 5 && !visibleNames.has(s)),
    );
  },

  'POST /api/v1/persons': async (ctx) => {
    if (ctx.who.account?.kind === 'usager') return ctx.skipped();
    await ctx.gated('declare person', () =>
      ctx.client.post('/api/v1/persons', {
        json: {
          firstName: 'Probe',
          lastName: 'Matrix',
          birthDate: '2015-01-01',
          mandate: { kind: 'parent', startsOn: '2015-01-01', endsOn: '2033-01-01' },
        },
      }),
    );
  },

  'POST /api/v1/persons/self': async (ctx) => {
    const send = () =>
      ctx.client.post('/api/v1/persons/self', {
        json: { firstName: 'Probe', lastName: 'Matrix', birthDate: '1990-01-01' },
      });
    const account = ctx.who.account;
    if (account?.kind !== 'usager') return ctx.gated('declare self', send);
    // An account with no identity yet (the newcomer with a letter invitation) may declare one:
    // an allowed write, not sent. Every other usager has one already: a second is refused.
    if (!ctx.world.persons.some((p) => p.account_id === account.id)) return ctx.skipped();
    const res = await send();
    ctx.allowed();
    if (res.status !== 409) ctx.fail('declare self', `${res.status} ${res.text}`);
  },

  'POST /api/v1/persons/search': async (ctx) => {
    const a = ctx.who.account;
    const searches = ctx.world.persons.filter((p) => p.nir !== null);
    const maySearch =
      a?.kind === 'staff' && ['accueil', 'instructeur', 'responsable'].includes(a.role ?? '');
    for (const p of searches) {
      const send = () => ctx.client.post('/api/v1/persons/search', { json: { nir: p.nir } });
      if (!maySearch) {
        await ctx.gated(`search ${p.id}`, send);
        continue;
      }
      const res = await send();
      ctx.allowed();
      const expected = ctx.world.persons
        .filter(
          (x) => x.nir === p.nir && x.tenant_id === a.tenant_id && !ctx.oracle.isDecoyPerson(x.id),
        )
        .map((x) => x.id);
      const got = itemIds(res);
      if (!got || !sameSet(got, expected)) ctx.fail(`search ${p.id}`, res.text);
      if (p.tenant_id !== a.tenant_id || ctx.oracle.isDecoyPerson(p.id)) {
        ctx.noSecrets(`search ${p.id}`, res, [p.id, p.first_name, p.last_name, p.birth_date]);
      }
    }
  },

  'POST /api/v1/persons/:personId/erasure': async (ctx) => {
    const a = ctx.who.account;
    for (const p of ctx.world.persons) {
      // Only the DPO of the person's own département erases; that write is not sent here.
      if (a?.kind === 'staff' && a.role === 'dpo' && a.tenant_id === p.tenant_id) {
        ctx.skipped();
        continue;
      }
      const send = (id: string) => () =>
        ctx.client.post(`/api/v1/persons/${id}/erasure`, { json: { reason: 'right-to-erasure' } });
      await ctx.refused(
        `erase ${p.id}`,
        { type: 'person', id: p.id },
        send(p.id),
        send(missingId()),
        [p.first_name, p.last_name],
      );
    }
  },

  'POST /api/v1/persons/registrations': async (ctx) => {
    const a = ctx.who.account;
    // The accueil's registration creates a person: a write, not sent here
    // (test/paper-filing.test.ts registers, refuses a duplicate NIR and checks the sealing).
    if (a?.kind === 'staff' && a.role === 'accueil') return ctx.skipped();
    await ctx.gated('register person', () =>
      ctx.client.post('/api/v1/persons/registrations', {
        json: { firstName: 'Probe', lastName: 'Matrix', birthDate: '1980-01-01' },
      }),
    );
  },

  'POST /api/v1/persons/:personId/invitations': async (ctx) => {
    const a = ctx.who.account;
    const gateOpen = a?.kind === 'staff' && a.role === 'accueil';
    for (const p of ctx.world.persons) {
      const send = (id: string) => () =>
        ctx.client.post(`/api/v1/persons/${id}/invitations`, { json: { channel: 'letter' } });
      if (!gateOpen) {
        await ctx.gated(`invite ${p.id}`, send(p.id));
        continue;
      }
      // Only a person of the agent's own département whom no account holds yet: that write
      // (it would replace a pending invitation) is not sent; every other person is refused.
      if (p.tenant_id === a.tenant_id && p.account_id === null) {
        ctx.skipped();
        continue;
      }
      await ctx.refused(
        `invite ${p.id}`,
        { type: 'person', id: p.id },
        send(p.id),
        send(missingId()),
        [p.first_name, p.last_name],
      );
    }
  },

  'POST /api/v1/invitations/claim': async (ctx) => {
    const send = () =>
      ctx.client.post('/api/v1/invitations/claim', {
        json: { code: 'ABCD-EFGH-JKMN', birthDate: '1980-01-01' },
      });
    const account = ctx.who.account;
    if (account?.kind !== 'usager') return ctx.gated('claim invitation', send);
    // A usager who is a person already is refused before the code is even looked at; the
    // newcomer, who is not, is told the code is not recognised, like any wrong code.
    const newcomer = !ctx.world.persons.some((p) => p.account_id === account.id);
    const expected = newcomer ? 'invitation-invalid' : 'person-exists';
    const res = await send();
    ctx.allowed();
    if ((res.json as { type?: string })?.type !== `urn:cloison:problem:${expected}`) {
      ctx.fail('claim invitation', `${res.status} ${res.text}`);
    }
  },

  'GET /api/v1/mandates': async (ctx) => {
    const send = () => ctx.client.get('/api/v1/mandates');
    const a = ctx.who.account;
    if (!a || a.kind !== 'staff' || !['accueil', 'instructeur', 'responsable'].includes(a.role!))
      return ctx.gated('mandates', send);
    const res = await send();
    ctx.allowed();
    const expected = ctx.world.mandates.filter((m) => m.tenant_id === a.tenant_id).map((m) => m.id);
    const got = itemIds(res);
    if (!got || !sameSet(got, expected)) ctx.fail('mandates', res.text);
    ctx.noSecrets(
      'mandates',
      res,
      ctx.world.mandates.filter((m) => m.tenant_id !== a.tenant_id).map((m) => m.id),
    );
  },

  'POST /api/v1/mandates/:mandateId/verify': async (ctx) => {
    for (const m of ctx.world.mandates) {
      if (ctx.oracle.mayVerifyMandate(ctx.who, m.id)) {
        ctx.skipped();
        continue;
      }
      const send = (id: string) => () => ctx.client.post(`/api/v1/mandates/${id}/verify`);
      await ctx.refused(
        `mandate ${m.id}`,
        { type: 'mandate', id: m.id },
        send(m.id),
        send(missingId()),
        [m.person_id],
      );
    }
  },

  'GET /api/v1/staff': async (ctx) => {
    const send = () => ctx.client.get('/api/v1/staff');
    const a = ctx.who.account;
    if (!a || a.kind !== 'staff' || !['responsable', 'admin'].includes(a.role!))
      return ctx.gated('staff', send);
    const res = await send();
    ctx.allowed();
    const expected = ctx.oracle.staffOf(a.tenant_id).map((s) => s.id);
    const got = itemIds(res);
    if (!got || !sameSet(got, expected)) ctx.fail('staff', res.text);
    ctx.noSecrets(
      'staff',
      res,
      ctx.world.accounts.filter((x) => x.tenant_id !== a.tenant_id).map((x) => x.id),
    );
  },

  // Staff accounts only, never one's own: a usager's account answers like a missing one.
  'POST /api/v1/accounts/:accountId/disable': accountProbe(
    'disable',
    (c, id) => c.post(`/api/v1/accounts/${id}/disable`),
    (me, target) => target.kind === 'staff' && target.id !== me.id,
  ),

  'POST /api/v1/accounts/:accountId/enable': accountProbe(
    'enable',
    (c, id) => c.post(`/api/v1/accounts/${id}/enable`),
    (me, target) => target.kind === 'staff' && target.id !== me.id,
    { gateOnce: true },
  ),

  'DELETE /api/v1/accounts/:accountId/sessions': accountProbe(
    'end sessions',
    (c, id) => c.delete(`/api/v1/accounts/${id}/sessions`),
    (_me, target) => target.kind === 'staff',
  ),

  // A usager's sessions end only as a support action with a reason; staff take the route above.
  'POST /api/v1/accounts/:accountId/support/end-sessions': accountProbe(
    'support: end sessions',
    (c, id) =>
      c.post(`/api/v1/accounts/${id}/support/end-sessions`, {
        json: { category: 'other', reason: 'Sonde de la matrice des accès, sans effet' },
      }),
    (_me, target) => target.kind === 'usager',
    { gateOnce: true },
  ),

  'POST /api/v1/integration-tokens': async (ctx) => {
    const send = () =>
      ctx.client.post('/api/v1/integration-tokens', {
        json: {
          name: 'matrix probe',
          permissions: ['case.list', 'case.read'],
          expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        },
      });
    const a = ctx.who.account;
    // An admin may create one in their own département: a write, not sent here.
    if (a && ctx.oracle.managesTokensOf(ctx.who, a.tenant_id ?? '')) return ctx.skipped();
    await ctx.gated('create token', send);
  },

  'GET /api/v1/integration-tokens': async (ctx) => {
    const send = () => ctx.client.get('/api/v1/integration-tokens');
    const a = ctx.who.account;
    if (!a || !ctx.oracle.managesTokensOf(ctx.who, a.tenant_id ?? '')) {
      return ctx.gated('tokens', send);
    }
    const res = await send();
    ctx.allowed();
    const own = ctx.world.apiTokens.filter((t) => t.tenant_id === a.tenant_id);
    const got = itemIds(res);
    if (
      !got ||
      !sameSet(
        got,
        own.map((t) => t.id),
      )
    )
      ctx.fail('tokens', res.text);
    // Never a secret or a hash, and nothing of another département.
    ctx.noSecrets('tokens', res, [
      'clo_',
      ...ctx.world.apiTokens.map((t) => t.secret_hash),
      ...ctx.world.apiTokens.filter((t) => t.tenant_id !== a.tenant_id).map((t) => t.id),
    ]);
  },

  'POST /api/v1/integration-tokens/:tokenId/approve': async (ctx) => {
    for (const t of ctx.world.apiTokens) {
      if (ctx.oracle.mayApproveToken(ctx.who, t)) {
        ctx.skipped();
        continue;
      }
      const send = (id: string) => () =>
        ctx.client.post(`/api/v1/integration-tokens/${id}/approve`);
      await ctx.refused(
        `approve token ${t.id}`,
        { type: 'integration-token', id: t.id },
        send(t.id),
        send(missingId()),
        [t.secret_hash],
      );
    }
  },

  'DELETE /api/v1/integration-tokens/:tokenId': async (ctx) => {
    for (const t of ctx.world.apiTokens) {
      if (ctx.oracle.managesTokensOf(ctx.who, t.tenant_id)) {
        ctx.skipped();
        continue;
      }
      const send = (id: string) => () => ctx.client.delete(`/api/v1/integration-tokens/${id}`);
      await ctx.refused(
        `revoke token ${t.id}`,
        { type: 'integration-token', id: t.id },
        send(t.id),
        send(missingId()),
        [t.secret_hash],
      );
    }
  },

  'GET /api/v1/tenants': async (ctx) => {
    const send = () => ctx.client.get('/api/v1/tenants');
    if (ctx.who.account?.kind !== 'operateur') return ctx.gated('list the départements', send);
    const res = await send();
    ctx.allowed();
    const codes = (res.json as { items?: Array<{ code: string }> }).items?.map((t) => t.code);
    if (res.status !== 200 || !sameSet(codes ?? [], ['44', '85']))
      ctx.fail('operator lists the départements', `${res.status} ${res.text}`);
    // The départements themselves, never anything inside one.
    ctx.noSecrets('tenant list', res, hiddenCaseSecrets(ctx));
  },

  'GET /api/v1/platform/backups': async (ctx) => {
    const send = () => ctx.client.get('/api/v1/platform/backups');
    if (ctx.who.account?.kind !== 'operateur') return ctx.gated('backup status', send);
    const res = await send();
    ctx.allowed();
    if (res.status !== 200 || (res.json as { scheduled?: unknown }).scheduled !== false)
      ctx.fail('operator reads the backup status', `${res.status} ${res.text}`);
  },

  'POST /api/v1/tenants': async (ctx) => {
    const send = () =>
      ctx.client.post('/api/v1/tenants', {
        json: {
          code: '49',
          name: 'MDPH de Maine-et-Loire',
          admins: [
            { email: 'sacha.probe@mdph49.example', displayName: 'Sacha Probe' },
            { email: 'alix.probe@mdph49.example', displayName: 'Alix Probe' },
          ],
        },
      });
    if (ctx.who.account?.kind !== 'operateur') return ctx.gated('create a département', send);
    // Allowed for the operator: a write, not sent.
    ctx.skipped();
  },

  'POST /api/v1/staff': async (ctx) => {
    const send = () =>
      ctx.client.post('/api/v1/staff', {
        json: { email: 'sacha.probe@mdph.example', displayName: 'Sacha Probe', role: 'admin' },
      });
    if (!isRole(ctx, 'admin')) return ctx.gated('request a staff account', send);
    // Allowed for the tenant's admin: a write, not sent.
    ctx.skipped();
  },

  'POST /api/v1/accounts/:accountId/role-requests': async (ctx) => {
    const send = (id: string) => () =>
      ctx.client.post(`/api/v1/accounts/${id}/role-requests`, { json: { role: 'admin' } });
    // Below the gate no object is ever looked at: one real id is proof enough.
    if (!isRole(ctx, 'admin')) return ctx.gated('role request', send(ctx.world.accounts[0]!.id));
    const me = ctx.who.account!;
    for (const target of ctx.world.accounts) {
      if (me.tenant_id === target.tenant_id && target.kind === 'staff') {
        ctx.skipped();
        continue;
      }
      // Another tenant's staff, and usagers of one's own: answered like a missing account.
      await ctx.refused(
        `role request for ${target.email}`,
        { type: 'account', id: target.id },
        send(target.id),
        send(missingId()),
        [target.email, target.display_name],
      );
    }
  },

  'GET /api/v1/staff-requests': async (ctx) => {
    const send = () => ctx.client.get('/api/v1/staff-requests');
    if (!isRole(ctx, 'admin')) return ctx.gated('staff requests', send);
    const tenant = ctx.who.account!.tenant_id;
    const res = await send();
    ctx.allowed();
    const expected = [...ctx.world.roleGrants, ...ctx.world.accountRequests]
      .filter((g) => g.tenant_id === tenant && g.status === 'pending')
      .map((g) => g.id);
    const got = itemIds(res);
    if (!got || !sameSet(got, expected)) ctx.fail('staff requests', res.text);
    ctx.noSecrets(
      'staff requests',
      res,
      ctx.world.accounts.filter((a) => a.tenant_id !== tenant).flatMap((a) => [a.id, a.email]),
    );
  },

  'POST /api/v1/staff-requests/:requestId/approve': decideRequestProbe('approve'),
  'POST /api/v1/staff-requests/:requestId/refuse': decideRequestProbe('refuse'),

  'POST /api/v1/auth/activate': async (ctx) => {
    // Public; a token nobody was sent activates nothing and says nothing about anybody.
    const res = await ctx.client.post('/api/v1/auth/activate', {
      json: { token: 'x'.repeat(43), password: 'une phrase de passe assez longue' },
    });
    ctx.allowed();
    if (
      res.status !== 400 ||
      (res.json as { type?: string })?.type !== 'urn:cloison:problem:invalid-token'
    )
      ctx.fail('activate', `${res.status} ${res.text}`);
  },

  'POST /api/v1/access-reviews': async (ctx) => {
    const send = () =>
      ctx.client.post('/api/v1/access-reviews', {
        json: { deadline: new Date(Date.now() + 7 * 86_400_000).toISOString() },
      });
    if (!isRole(ctx, 'admin', 'dpo')) return ctx.gated('open a review', send);
    ctx.skipped();
  },

  'GET /api/v1/access-reviews/items': async (ctx) => {
    const send = () => ctx.client.get('/api/v1/access-reviews/items');
    if (!isRole(ctx, 'responsable', 'admin', 'dpo')) return ctx.gated('review items', send);
    const res = await send();
    ctx.allowed();
    const me = ctx.who.account!.id;
    const expected = ctx.world.reviewItems.filter((i) => i.reviewer_id === me).map((i) => i.id);
    const got = itemIds(res);
    if (!got || !sameSet(got, expected)) ctx.fail('review items', res.text);
  },

  'POST /api/v1/access-reviews/items/:itemId': async (ctx) => {
    const send = (id: string) => () =>
      ctx.client.post(`/api/v1/access-reviews/items/${id}`, { json: { decision: 'revoke' } });
    if (!isRole(ctx, 'responsable', 'admin', 'dpo'))
      await ctx.gated('decide a review item', send(missingId()));
    for (const item of ctx.world.reviewItems) {
      if (item.reviewer_id === ctx.who.account?.id) {
        ctx.skipped();
        continue;
      }
      await ctx.refused(
        `review item ${item.id}`,
        { type: 'review-item', id: item.id },
        send(item.id),
        send(missingId()),
        [item.account_id],
      );
    }
  },

  'GET /api/v1/cases': async (ctx) => {
    const send = () => ctx.client.get('/api/v1/cases?limit=200');
    // A decoy is read by id like any case, but listed to nobody.
    const decoys = ctx.world.cases.filter((c) => ctx.oracle.isDecoyCase(c.id));
    const expected = ctx.world.cases
      .filter((c) => ctx.oracle.mayOnCase(ctx.who, c, 'read') && !ctx.oracle.isDecoyCase(c.id))
      .map((c) => c.id);
    const a = ctx.who.account;
    const mayList =
      a?.kind === 'usager' ||
      (a?.kind === 'staff' && !['dpo', 'admin'].includes(a.role ?? 'none')) ||
      ctx.who.integration !== undefined;
    if (!mayList) return ctx.gated('cases', send);
    const res = await send();
    ctx.allowed();
    const got = itemIds(res);
    if (!got || !sameSet(got, expected))
      ctx.fail('case list', `expected ${expected.length} cases, got ${res.text}`);
    ctx.noSecrets('case list', res, hiddenCaseSecrets(ctx));
    ctx.noSecrets(
      'case list',
      res,
      decoys.flatMap((c) => [c.id, c.reference, c.summary ?? '']).filter((s) => s.length >= 6),
    );
  },

  'POST /api/v1/cases': async (ctx) => {
    for (const p of ctx.world.persons) {
      if (ctx.oracle.mayFileFor(ctx.who, p.id)) {
        ctx.skipped();
        continue;
      }
      const send = (personId: string) => () =>
        ctx.client.post('/api/v1/cases', { json: { personId, rights: ['AAH'] } });
      await ctx.refused(
        `file for ${p.id}`,
        { type: 'person', id: p.id },
        send(p.id),
        send(missingId()),
        [p.first_name, p.last_name, p.birth_date],
      );
    }
  },

  'GET /api/v1/cases/:caseId': caseRoute(
    'read',
    (client, id) => client.get(`/api/v1/cases/${id}`),
    (ctx, c, res) => {
      if ((res.json as { id?: string }).id !== c.id) ctx.fail(c.reference, res.text);
      // An integration reads statuses and decisions, not what was written about the person.
      if (ctx.who.integration) {
        const reasons = ctx.world.caseRights
          .filter((r) => r.case_id === c.id)
          .map((r) => r.decision_reason ?? '');
        ctx.noSecrets(
          `${c.reference} narrative`,
          res,
          [c.summary ?? '', ...reasons].filter((s) => s.length >= 6),
        );
      }
    },
  ),

  'POST /api/v1/cases/:caseId/transitions': caseRoute('transition', (client, id, c) =>
    client.post(`/api/v1/cases/${id}/transitions`, {
      json: { to: NEXT_STATUS[c?.status ?? ''] ?? 'retire', comment: 'matrix probe' },
    }),
  ),

  // A write: allowed actors are skipped (the draft tests cover them); everyone else is refused
  // exactly as for a missing case.
  'PUT /api/v1/cases/:caseId/draft': caseRoute('editDraft', (client, id) =>
    client.put(`/api/v1/cases/${id}/draft`, {
      json: { rights: ['AAH'], situation: 'matrix probe situation' },
    }),
  ),

  // A write: the person's usager and the accueil are skipped (test/case-renewal.test.ts renews);
  // everyone else is refused exactly as for a missing case.
  'POST /api/v1/cases/:caseId/renewal': caseRoute('renew', (client, id) =>
    client.post(`/api/v1/cases/${id}/renewal`),
  ),

  'PUT /api/v1/cases/:caseId/assignment': caseRoute('assign', (client, id) =>
    client.put(`/api/v1/cases/${id}/assignment`, { json: { team: 'equipe-probe' } }),
  ),

  'PUT /api/v1/cases/:caseId/rights/:right/decision': async (ctx) => {
    const rightOf = (c: WorldCase | null) =>
      ctx.world.caseRights.find((r) => r.case_id === c?.id)?.right_code ?? 'AAH';
    await caseRoute('decide', (client, id, c) =>
      client.put(`/api/v1/cases/${id}/rights/${rightOf(c)}/decision`, {
        json: { decision: 'accord', reason: 'matrix probe' },
      }),
    )(ctx);
  },

  'GET /api/v1/cases/:caseId/documents': caseRoute(
    'documents',
    (client, id) => client.get(`/api/v1/cases/${id}/documents`),
    (ctx, c, res) => {
      const docs = ctx.world.documents.filter((d) => d.case_id === c.id);
      const expected = docs.filter((d) => ctx.oracle.mayReadDocument(ctx.who, d.id));
      const got = itemIds(res);
      if (
        !got ||
        !sameSet(
          got,
          expected.map((d) => d.id),
        )
      )
        ctx.fail(c.reference, `documents: expected ${expected.length}, got ${res.text}`);
      const hidden = docs.filter((d) => !expected.includes(d));
      ctx.noSecrets(
        `${c.reference} documents`,
        res,
        hidden.flatMap((d) => [d.id, d.sha256]),
      );
    },
  ),

  'POST /api/v1/cases/:caseId/documents': caseRoute('upload', (client, id) =>
    client.post(`/api/v1/cases/${id}/documents?category=other`, {
      body: fileForm(pdf, 'probe.pdf', 'application/pdf'),
    }),
  ),

  'GET /api/v1/documents/:documentId/content': async (ctx) => {
    for (const d of ctx.world.documents) {
      const send = (id: string) => () => ctx.client.get(`/api/v1/documents/${id}/content`);
      if (!ctx.oracle.mayReadDocument(ctx.who, d.id)) {
        await ctx.refused(
          `document ${d.category} ${d.original_name}`,
          { type: 'document', id: d.id },
          send(d.id),
          send(missingId()),
          documentSecrets(ctx.world, d.id),
        );
        continue;
      }
      const res = await send(d.id)();
      ctx.allowed();
      const digest = createHash('sha256').update(res.bytes).digest('hex');
      if (res.status !== 200 || digest !== d.sha256)
        ctx.fail(`document ${d.id}`, `status ${res.status}, sha256 ${digest}`);
      if (!res.headers.get('content-disposition')?.startsWith('attachment'))
        ctx.fail(`document ${d.id}`, 'not served as an attachment');
    }
  },

  'GET /api/v1/cases/:caseId/messages': caseRoute(
    'messages',
    (client, id) => client.get(`/api/v1/cases/${id}/messages`),
    entriesOf('messages'),
  ),

  'POST /api/v1/cases/:caseId/messages': caseRoute('message', (client, id) =>
    client.post(`/api/v1/cases/${id}/messages`, { json: { body: 'matrix probe message' } }),
  ),

  'GET /api/v1/cases/:caseId/notes': caseRoute(
    'notes',
    (client, id) => client.get(`/api/v1/cases/${id}/notes`),
    entriesOf('notes'),
  ),

  'POST /api/v1/cases/:caseId/notes': caseRoute('note', (client, id) =>
    client.post(`/api/v1/cases/${id}/notes`, { json: { body: 'matrix probe note' } }),
  ),

  'GET /api/v1/me/notification-preferences': async (ctx) => {
    const send = () => ctx.client.get('/api/v1/me/notification-preferences');
    if (ctx.who.account?.kind !== 'usager') return ctx.gated('notification preferences', send);
    const res = await send();
    ctx.allowed();
    if (res.status !== 200) ctx.fail('notification preferences', `${res.status} ${res.text}`);
  },

  'PUT /api/v1/me/notification-preferences': async (ctx) => {
    // Switching a notice on leaves every account as the world expects it (all on by default).
    const send = () =>
      ctx.client.put('/api/v1/me/notification-preferences', { json: { 'case-changed': true } });
    if (ctx.who.account?.kind !== 'usager')
      return ctx.gated('notification preferences (set)', send);
    const res = await send();
    ctx.allowed();
    if (res.status !== 200) ctx.fail('notification preferences (set)', `${res.status} ${res.text}`);
  },

  // A write: the reviewers the policy names are skipped (test/pieces.test.ts reviews); everyone
  // else is refused exactly as for a missing document, medical ones included.
  'POST /api/v1/documents/:documentId/review': async (ctx) => {
    for (const d of ctx.world.documents) {
      if (ctx.oracle.mayReviewDocument(ctx.who, d.id)) {
        ctx.skipped();
        continue;
      }
      const send = (id: string) => () =>
        ctx.client.post(`/api/v1/documents/${id}/review`, { json: { decision: 'accepted' } });
      await ctx.refused(
        `review ${d.category} ${d.original_name}`,
        { type: 'document', id: d.id },
        send(d.id),
        send(missingId()),
        documentSecrets(ctx.world, d.id),
      );
    }
  },

  'POST /api/v1/mandates/:mandateId/proof': async (ctx) => {
    for (const m of ctx.world.mandates) {
      if (ctx.oracle.isRepresentative(ctx.who, m.id)) {
        ctx.skipped();
        continue;
      }
      const send = (id: string) => () =>
        ctx.client.post(`/api/v1/mandates/${id}/proof?kind=attestation`, {
          body: fileForm(pdf, 'probe.pdf', 'application/pdf'),
        });
      await ctx.refused(
        `mandate proof ${m.id}`,
        { type: 'mandate', id: m.id },
        send(m.id),
        send(missingId()),
        [m.person_id],
      );
    }
  },

  'GET /api/v1/mandates/:mandateId/proof/content': async (ctx) => {
    for (const m of ctx.world.mandates) {
      const send = (id: string) => () => ctx.client.get(`/api/v1/mandates/${id}/proof/content`);
      if (!ctx.oracle.mayReadMandateProof(ctx.who, m.id)) {
        await ctx.refused(
          `mandate proof content ${m.id}`,
          { type: 'mandate', id: m.id },
          send(m.id),
          send(missingId()),
          [m.person_id],
        );
        continue;
      }
      const res = await send(m.id)();
      ctx.allowed();
      // Reached: the proof as an attachment, or, for a mandate with none yet, a 409 of its own.
      const attached = res.headers.get('content-disposition')?.startsWith('attachment');
      const none =
        (res.json as { type?: string } | undefined)?.type === 'urn:cloison:problem:no-proof';
      if (!(res.status === 200 && attached) && !(res.status === 409 && none))
        ctx.fail(`mandate proof ${m.id}`, `${res.status} ${res.text.slice(0, 200)}`);
    }
  },

  // A write: the representative and the agents of its département are skipped (the pieces
  // tests end one); everyone else is refused as for a missing mandate.
  'POST /api/v1/mandates/:mandateId/end': async (ctx) => {
    for (const m of ctx.world.mandates) {
      if (
        ctx.oracle.isRepresentative(ctx.who, m.id) ||
        ctx.oracle.mayVerifyMandate(ctx.who, m.id)
      ) {
        ctx.skipped();
        continue;
      }
      const send = (id: string) => () =>
        ctx.client.post(`/api/v1/mandates/${id}/end`, {
          json: { endsOn: '2999-01-01', reason: 'matrix probe' },
        });
      await ctx.refused(
        `mandate end ${m.id}`,
        { type: 'mandate', id: m.id },
        send(m.id),
        send(missingId()),
        [m.person_id],
      );
    }
  },
  'GET /api/v1/cdaph-sessions': async (ctx) => {
    const send = () => ctx.client.get('/api/v1/cdaph-sessions?limit=200');
    if (!isRole(ctx, 'responsable', 'cdaph')) return ctx.gated('sessions', send);
    const res = await send();
    ctx.allowed();
    const expected = ctx.world.cdaphSessions
      .filter((s) => ctx.oracle.mayOnSession(ctx.who, s, 'read'))
      .map((s) => s.id);
    const got = itemIds(res);
    if (!got || !sameSet(got, expected)) {
      ctx.fail('sessions', `expected ${expected.join(',')}, got ${res.text.slice(0, 300)}`);
    }
  },

  'POST /api/v1/cdaph-sessions': async (ctx) => {
    const send = () =>
      ctx.client.post('/api/v1/cdaph-sessions', {
        json: {
          sitsOn: new Date().toISOString().slice(0, 10),
          startsAt: '10:00',
          formation: 'pleniere',
          memberIds: [missingId()],
        },
      });
    if (!isRole(ctx, 'responsable')) return ctx.gated('plan a session', send);
    ctx.skipped();
  },

  'GET /api/v1/cdaph-sessions/:sessionId': sessionRoute(
    'read',
    (client, id) => client.get(`/api/v1/cdaph-sessions/${id}`),
    (ctx, s, res) => {
      // The agenda shown is the session's own, and to a member only while it is open to them.
      const own = ctx.world.cdaphAgenda.filter((a) => a.session_id === s.id).map((a) => a.case_id);
      const member = isRole(ctx, 'cdaph');
      const open =
        s.status !== 'closed' && s.agenda_opens_on <= new Date().toISOString().slice(0, 10);
      const expected = member && !open ? [] : own;
      if (!sameSet(agendaIds(res), expected)) {
        ctx.fail(`session ${s.id}`, `agenda: expected ${expected.join(',')}, got ${res.text}`);
      }
      if (member && (res.json as { minutes: unknown }).minutes !== null) {
        ctx.fail(`session ${s.id}`, 'a member reads the minutes');
      }
    },
  ),

  'PUT /api/v1/cdaph-sessions/:sessionId/members': sessionRoute('manage', (client, id) =>
    client.put(`/api/v1/cdaph-sessions/${id}/members`, { json: { memberIds: [missingId()] } }),
  ),

  'POST /api/v1/cdaph-sessions/:sessionId/agenda': async (ctx) => {
    const caseOf = (s: WorldSession | undefined) =>
      ctx.world.cases.find((c) => c.status === 'attente_cdaph' && c.tenant_id === s?.tenant_id);
    const add = (client: Client, sessionId: string, caseId: string) =>
      client.post(`/api/v1/cdaph-sessions/${sessionId}/agenda`, { json: { caseId } });
    await sessionRoute('manage', (client, id) => {
      const s = ctx.world.cdaphSessions.find((x) => x.id === id);
      return add(client, id, caseOf(s)?.id ?? missingId());
    })(ctx);
    // The secretariat's own planned session, with a case of another département: refused as a
    // missing case, before anything is written.
    if (!isRole(ctx, 'responsable')) return;
    const own = ctx.world.cdaphSessions.find(
      (s) => s.tenant_id === ctx.who.account?.tenant_id && s.status === 'planned',
    );
    const foreign = ctx.world.cases.find(
      (c) => c.status === 'attente_cdaph' && c.tenant_id !== ctx.who.account?.tenant_id,
    );
    if (!own || !foreign) return ctx.fail('agenda', 'no planned session or foreign case to try');
    await ctx.refused(
      `agenda of ${own.id} with ${foreign.reference}`,
      { type: 'case', id: foreign.id },
      () => add(ctx.client, own.id, foreign.id),
      () => add(ctx.client, own.id, missingId()),
      caseSecrets(ctx.world, foreign),
    );
  },

  'DELETE /api/v1/cdaph-sessions/:sessionId/agenda/:caseId': sessionRoute('manage', (client, id) =>
    client.delete(`/api/v1/cdaph-sessions/${id}/agenda/${missingId()}`),
  ),

  'POST /api/v1/cdaph-sessions/:sessionId/open': sessionRoute('manage', (client, id) =>
    client.post(`/api/v1/cdaph-sessions/${id}/open`),
  ),

  'POST /api/v1/cdaph-sessions/:sessionId/close': sessionRoute('manage', (client, id) =>
    client.post(`/api/v1/cdaph-sessions/${id}/close`, { json: { minutes: 'matrix probe' } }),
  ),
};
