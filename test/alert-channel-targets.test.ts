import { afterAll, describe, expect, it } from 'vitest';
import { Client } from './harness/client.js';
import { makeKeyFile, startServer, type RunningServer } from './harness/server.js';
import { queryDb } from './harness/world.js';
import { stopAndRemove } from './support/storage.js';

/**
 * Outside demo and tests, an alert channel may not aim at the host itself: a département's admin
 * would otherwise make the server call its own services (a local agent, a metrics port) and
 * learn from the test button whether they answer.
 */

let server: RunningServer | undefined;
afterAll(() => stopAndRemove(server));

describe('alert channel targets in production', () => {
  it('refuses this machine (webhook, syslog) and accepts another over TLS', async () => {
    const keyFile = makeKeyFile();
    const seeded = await startServer({ env: { CLOISON_MASTER_KEY_FILE: keyFile } });
    await seeded.stop();
    server = await startServer({
      demo: false,
      dataDir: seeded.dataDir,
      env: { CLOISON_MASTER_KEY_FILE: keyFile, CLOISON_SMTP_URL: 'smtp://127.0.0.1:2' },
    });
    const admin = await new Client(server.baseUrl).login(server.account('admin'));
    const add = (json: Record<string, string>) => admin.post('/api/v1/alert-channels', { json });
    const before = queryDb(server.dbFile, 'select id from alert_channels').length;
    const targets: Array<Record<string, string>> = [
      { url: 'http://127.0.0.1:9/hook' },
      { url: 'https://localhost/hook' },
      { url: 'https://0.0.0.0:8443/hook' },
      { url: 'https://metrics.localhost/hook' },
      { kind: 'syslog', url: 'syslog+udp://127.0.0.1:514' },
      { kind: 'syslog', url: 'syslog+tls://localhost:6514' },
      // Other spellings of this machine.
      { url: 'https://[::ffff:127.0.0.1]/hook' },
      { url: 'https://127.1/hook' },
      { url: 'https://2130706433/hook' },
      { kind: 'syslog', url: 'syslog+tls://127.1:6514' },
      { kind: 'syslog', url: 'syslog+tls://0:6514' },
      { kind: 'syslog', url: 'syslog+tls://[::ffff:127.0.0.1]:6514' },
    ];
    for (const json of targets) {
      const res = await add(json);
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    }
    expect(queryDb(server.dbFile, 'select id from alert_channels')).toHaveLength(before);
    expect((await add({ url: 'https://siem.example.org/cloison' })).status).toBe(201);
    expect((await add({ kind: 'syslog', url: 'syslog+tls://siem.example.org:6514' })).status).toBe(
      201,
    );
  });
});
