import { Client, type HttpResult } from '../harness/client.js';
import type { RunningServer } from '../harness/server.js';
import { queryDb } from '../harness/world.js';

/**
 * Helpers of the account-disabling tests: the demo has exactly two admins per département, so a
 * third is made the way a département would, through the two-admin role flow.
 */

export function accountRow(s: RunningServer, id: string) {
  return queryDb<{
    status: string;
    role: string | null;
    disabled_at: string | null;
    disabled_reason: string | null;
    reenabled_at: string | null;
  }>(
    s.dbFile,
    'select status, role, disabled_at, disabled_reason, reenabled_at from accounts where id = ?',
    id,
  )[0];
}

export function eventKinds(s: RunningServer, objectId: string): string[] {
  return queryDb<{ kind: string }>(
    s.dbFile,
    'select kind from security_events where object_id = ? order by id',
    objectId,
  ).map((e) => e.kind);
}

export function slugOf(res: HttpResult): string | undefined {
  return (res.json as { type?: string } | undefined)?.type?.replace('urn:cloison:problem:', '');
}

/** `requester` asks for the admin role for `label`, `approver` approves; returns the new admin. */
export async function promoteToAdmin(
  s: RunningServer,
  requester: Client,
  approver: Client,
  label: string,
  tenant = '44',
): Promise<Client> {
  const target = s.account(label, tenant);
  const asked = await requester.post(`/api/v1/accounts/${target.id}/role-requests`, {
    json: { role: 'admin' },
  });
  if (asked.status !== 201) throw new Error(`role request: ${asked.status} ${asked.text}`);
  const { requestId } = asked.json as { requestId: string };
  const approved = await approver.post(`/api/v1/staff-requests/${requestId}/approve`);
  if (approved.status !== 200) throw new Error(`approval: ${approved.status} ${approved.text}`);
  return new Client(s.baseUrl).login(target);
}

/** Signs in to see whether the account may (200) or may not (401). */
export async function loginStatus(
  s: RunningServer,
  account: { email: string; password: string },
): Promise<number> {
  const res = await new Client(s.baseUrl).post('/api/v1/auth/login', {
    json: { email: account.email, password: account.password },
  });
  return res.status;
}
