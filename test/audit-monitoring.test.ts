import { createPrivateKey, createPublicKey } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { runCli, startServer } from './harness/server.js';
import { Unsealer } from './harness/unseal.js';
import { queryDb, readWorld } from './harness/world.js';
import { eventually, readDataFiles, stopAndRemove } from './support/storage.js';
import { actionRows, chainRows, checkSignedNote, tamper, verifyLog } from './support/audit-db.js';
import { open, aad } from '../src/crypto/aead.js';

/**
 * Issue 5 items 2 and 9: the server re-verifies its audit log every few seconds and writes any
 * break into the broken chain (which the detection rules turn into an alert); every checkpoint,
 * the platform chain's included, reaches an outside HTTP witness that can check its signature.
 */

describe('periodic verification of the audit log', () => {
  it('records an edited, a deleted and a reordered row once each, within seconds', async () => {
    const s = await startServer({ env: { CLOISON_AUDIT_VERIFY_SECONDS: '1' } });
    try {
      const world = readWorld(s.dbFile);
      const t44 = world.tenants.find((t) => t.code === '44')!.id;
      const t85 = world.tenants.find((t) => t.code === '85')!.id;
      for (const [label, tenant] of [
        ['usager', '44'],
        ['usager', '85'],
      ] as const) {
        const c = await new Client(s.baseUrl).login(s.account(label, tenant));
        for (let i = 0; i < 3; i += 1) expect((await c.get('/api/v1/cases')).status).toBe(200);
      }
      for (let i = 0; i < 4; i += 1) {
        expect((await new Client(s.baseUrl).get('/api/v1/cases')).status).toBe(401);
      }
      // The server found nothing wrong so far.
      for (const chain of [t44, t85, '-']) {
        expect(actionRows(s.dbFile, chain, 'audit.verification-failed')).toHaveLength(0);
      }

      // An intruder with the database file: edits one event of tenant 44 (a distinctive address
      // that must not reach the logs), deletes one of tenant 85, swaps two of the platform's.
      const edited = chainRows(s.dbFile, t44, 'seq = 2')[0]!;
      tamper(
        s.dbFile,
        'update audit_events set entry = ? where chain = ? and seq = 2',
        edited.entry.replace(/"ip":"[^"]*"/, '"ip":"203.0.113.77"'),
        t44,
      );
      tamper(s.dbFile, 'delete from audit_events where chain = ? and seq = 3', t85);
      tamper(
        s.dbFile,
        `update audit_events set seq = -1 where chain = '-' and seq = 2;
         update audit_events set seq = 2 where chain = '-' and seq = 3;
         update audit_events set seq = 3 where chain = '-' and seq = -1`,
      );

      const expected: Array<[string, number, string | null]> = [
        [t44, 2, t44],
        [t85, 3, t85],
        ['-', 2, null],
      ];
      const found = await eventually(
        () =>
          expected.every(
            ([chain]) => actionRows(s.dbFile, chain, 'audit.verification-failed').length > 0,
          ),
        10_000,
      );
      expect(found, s.output()).toBe(true);
      // Several more runs: still one event per break.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      for (const [chain, seq, tenant] of expected) {
        const rows = actionRows(s.dbFile, chain, 'audit.verification-failed');
        expect(rows).toHaveLength(1);
        expect(JSON.parse(rows[0]!.entry)).toMatchObject({
          tenant,
          actorKind: 'system',
          actorId: null,
          action: 'audit.verification-failed',
          objectType: 'audit-chain',
          objectId: `${chain}:${seq}`,
          outcome: 'failed',
        });
        // The error log names the chain, the event and the reason; never an entry's content.
        const logged = s
          .output()
          .split('\n')
          .filter((l) => l.includes('audit chain verification failed'))
          .map((l) => JSON.parse(l) as { chain: string; seq: number; reason: string });
        expect(logged.filter((l) => l.chain === chain)).toEqual([
          expect.objectContaining({ chain, seq, reason: expect.any(String) }),
        ]);
      }
      expect(s.output()).not.toContain('203.0.113.77');
      expect(s.output()).not.toContain(edited.entry);
    } finally {
      await s.stop();
    }
    const world = readWorld(s.dbFile);
    const out = await verifyLog(s.dataDir);
    expect(out.code).toBe(1);
    const t44 = world.tenants.find((t) => t.code === '44')!.id;
    const t85 = world.tenants.find((t) => t.code === '85')!.id;
    expect(out.output).toContain(`tenant ${t44}: BROKEN at event 2 `);
    expect(out.output).toContain(`tenant ${t85}: BROKEN at event 3 `);
    expect(out.output).toContain('platform: BROKEN at event 2 ');
    await stopAndRemove(s);
  });
});

interface Received {
  chain: string | undefined;
  contentType: string | undefined;
  authorized: boolean;
  note: string;
}

/** A witness on 127.0.0.1 that refuses the first `failures` POSTs, then keeps every note. */
async function startWitness(password: string, failures: number) {
  const received: Received[] = [];
  const refused: string[] = [];
  const expectedAuth = `Basic ${Buffer.from(`cloison:${password}`).toString('base64')}`;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      if (refused.length < failures) {
        refused.push(body);
        res.writeHead(503).end();
        return;
      }
      received.push({
        chain: req.headers['cloison-audit-chain'] as string | undefined,
        contentType: req.headers['content-type'],
        authorized: req.headers.authorization === expectedAuth,
        note: body,
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://cloison:${password}@127.0.0.1:${port}/witness`,
    received,
    refused,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('the HTTP witness and the platform chain', () => {
  it('gets every checkpoint, retried after a failure, signed with keys it can check', async () => {
    const password = 'witness-pass-8c1f';
    const witness = await startWitness(password, 3);
    const s = await startServer({
      env: { CLOISON_AUDIT_CHECKPOINT_SECONDS: '1', CLOISON_AUDIT_WITNESS_URL: witness.url },
    });
    try {
      const t44 = readWorld(s.dbFile).tenants.find((t) => t.code === '44')!.id;
      const usager = await new Client(s.baseUrl).login(s.account('usager'));
      for (let round = 0; round < 3; round += 1) {
        for (let i = 0; i < 2; i += 1) {
          expect((await usager.get('/api/v1/cases')).status).toBe(200);
          expect((await new Client(s.baseUrl).get('/api/v1/cases')).status).toBe(401);
        }
        await new Promise((resolve) => setTimeout(resolve, 1_200));
      }
      const sizes = (chain: string) =>
        queryDb<{ size: number }>(
          s.dbFile,
          'select size from audit_checkpoints where chain = ? order by size',
          chain,
        ).map((r) => r.size);
      const keyOf = (chain: string) =>
        queryDb<{ key_name: string; public_key: Buffer; kek_version: number | null }>(
          s.dbFile,
          'select key_name, public_key, kek_version from audit_log_keys where chain = ?',
          chain,
        )[0]!;
      const dpo = await new Client(s.baseUrl).login(s.account('dpo'));
      const published = (await dpo.get('/api/v1/audit/checkpoint')).json as {
        keyName: string;
        publicKey: string;
      };
      const keys: Record<string, { name: string; publicKey: Buffer }> = {
        [t44]: { name: published.keyName, publicKey: Buffer.from(published.publicKey, 'base64') },
        '-': { name: keyOf('-').key_name, publicKey: keyOf('-').public_key },
      };
      const receivedSizes = (chain: string) =>
        witness.received
          .filter((r) => r.chain === chain)
          .map((r) => checkSignedNote(r.note, keys[chain]!.name, keys[chain]!.publicKey)?.size);
      // Everything signed reaches the witness, in order, the refused ones included.
      const caughtUp = await eventually(() => {
        return [t44, '-'].every((chain) => {
          const got = receivedSizes(chain);
          const all = sizes(chain);
          return got.length > 0 && got.at(-1) === all.at(-1);
        });
      }, 15_000);
      expect(caughtUp, s.output()).toBe(true);
      expect(witness.refused).toHaveLength(3);
      for (const chain of [t44, '-']) {
        const got = receivedSizes(chain);
        // Each note verifies with the key the server publishes (the tenant's through the API).
        expect(got.every((size) => typeof size === 'number')).toBe(true);
        expect(got).toEqual(sizes(chain).filter((size) => size >= got[0]!));
      }
      const notesRefused = witness.refused.filter((n) => n !== '');
      expect(notesRefused.every((n) => witness.received.some((r) => r.note === n))).toBe(true);
      expect(witness.received.every((r) => r.authorized)).toBe(true);
      expect(witness.received.every((r) => r.contentType === 'text/plain; charset=utf-8')).toBe(
        true,
      );
      // The failures were logged, without the witness's password.
      expect(s.output()).toMatch(/audit witness did not take the checkpoint/);
      expect(s.output()).not.toContain(password);

      // The platform's signing key exists only wrapped by the key manager's platform key: the
      // keyring (sealed under the master key) opens it, and no data file holds it in clear.
      const platform = keyOf('-');
      expect(platform.kek_version).toBe(1);
      const db = new Database(s.dbFile, { readonly: true });
      const unsealer = new Unsealer(db, s.dataDir);
      const kek = unsealer.keyManagerKey('cloison-platform', 1);
      db.close();
      expect(kek).not.toBeNull();
      const sealed = queryDb<{ private_key_enc: Buffer }>(
        s.dbFile,
        "select private_key_enc from audit_log_keys where chain = '-'",
      )[0]!.private_key_enc;
      const seed = open(kek!, sealed, aad('audit-log-key', '-'));
      const publicKey = createPublicKey(
        createPrivateKey({
          key: {
            kty: 'OKP',
            crv: 'Ed25519',
            d: seed.toString('base64url'),
            x: platform.public_key.toString('base64url'),
          },
          format: 'jwk',
        }),
      ).export({ format: 'jwk' }).x;
      expect(publicKey).toBe(platform.public_key.toString('base64url'));
      for (const { file, bytes } of readDataFiles(s.dataDir)) {
        expect(bytes.includes(seed), file).toBe(false);
      }

      // `cloison audit verify` checks the platform chain's checkpoints like a tenant's.
      await s.stop();
      const out = await verifyLog(s.dataDir);
      expect(out.code, out.output).toBe(0);
      expect(out.output).toMatch(
        /platform: \d+ events, chain intact, [1-9]\d* signed checkpoints match/,
      );
    } finally {
      await stopAndRemove(s);
      await witness.close();
    }
  });

  it('refuses a witness reached in clear off the machine, without echoing its password', async () => {
    const out = await runCli(['routes'], {
      CLOISON_AUDIT_WITNESS_URL: 'http://user:hunter2-secret@witness.example.org/add',
    });
    expect(out.code).toBe(78);
    expect(out.output).toMatch(/CLOISON_AUDIT_WITNESS_URL must be an https:\/\/ URL/);
    expect(out.output).not.toContain('hunter2-secret');
  });
});
