import { describe, expect, it } from 'vitest';
import type { RaisedAlert } from '../src/modules/alerts/detection.js';
import { errorCode } from '../src/modules/alerts/channels/delivery-error.js';
import {
  escapeParamValue,
  octetCounted,
  syslogMessage,
} from '../src/modules/alerts/channels/syslog.js';
import { parseSyslogUrl } from '../src/config/syslog-url.js';
import { isLoopbackHost, loadConfig } from '../src/config.js';
import { parseRfc5424 } from './support/syslog-receiver.js';

/**
 * The syslog format on its own: the receivers' strict RFC 5424 parser against the RFC's own
 * examples and against what the grammar forbids (so that it can fail), then Cloison's messages
 * through it, hostile characters included.
 */

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const bytes = (...parts: Array<string | Buffer>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));

describe('the strict RFC 5424 parser of the test receivers', () => {
  it('reads the examples of RFC 5424 §6.5', () => {
    const one = parseRfc5424(
      bytes(
        '<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - ',
        BOM,
        "'su root' failed for lonvick on /dev/pts/8",
      ),
    );
    expect(one).toMatchObject({
      facility: 4,
      severity: 2,
      version: 1,
      hostname: 'mymachine.example.com',
      appName: 'su',
      procId: null,
      msgId: 'ID47',
      structuredData: [],
      bom: true,
      msg: "'su root' failed for lonvick on /dev/pts/8",
    });
    const two = parseRfc5424(
      bytes(
        "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.",
      ),
    );
    expect(two).toMatchObject({ facility: 20, severity: 5, procId: '8710', bom: false });
    const four = parseRfc5424(
      bytes(
        '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"]',
      ),
    );
    expect(four.structuredData).toEqual([
      {
        id: 'exampleSDID@32473',
        params: { iut: '3', eventSource: 'Application', eventID: '1011' },
      },
      { id: 'examplePriority@32473', params: { class: 'high' } },
    ]);
    expect(four.msg).toBeNull();
    expect(parseRfc5424(bytes('<0>1 - - - - - -')).pri).toBe(0);
  });

  it.each([
    ['an RFC 3164 line', "<34>Oct 11 22:14:15 mymachine su: 'su root' failed"],
    ['PRI above 191', '<192>1 - - - - - -'],
    ['PRI with a leading zero', '<034>1 - - - - - -'],
    ['version 0', '<34>0 - - - - - -'],
    ['a leap second', '<34>1 2003-10-11T22:14:60Z h a - - -'],
    ['30 February', '<34>1 2003-02-30T22:14:15Z h a - - -'],
    ['a space for the T', '<34>1 2003-10-11 22:14:15Z h a - - -'],
    ['7 fraction digits', '<34>1 2003-10-11T22:14:15.0000001Z h a - - -'],
    ['no time offset', '<34>1 2003-10-11T22:14:15 h a - - -'],
    ['an APP-NAME of 49', `<34>1 - h ${'a'.repeat(49)} - - -`],
    ['a MSGID of 33', `<34>1 - h a - ${'m'.repeat(33)} -`],
    ['a missing header field', '<34>1 - h a - -'],
    ['an unescaped ] in a value', '<34>1 - h a - - [x@1 k="a]b"]'],
    ['an unterminated value', '<34>1 - h a - - [x@1 k="ab]'],
    ['a private SD-ID without @', '<34>1 - h a - - [custom k="v"]'],
    ['the same SD-ID twice', '<34>1 - h a - - [x@1 k="v"][x@1 k="w"]'],
    ['a PARAM-NAME with a quote', '<34>1 - h a - - [x@1 k"="v"]'],
    ['no SP before MSG', '<34>1 - h a - - [x@1 k="v"]msg'],
  ])('refuses %s', (_label, frame) => {
    expect(() => parseRfc5424(bytes(frame))).toThrow(/offset/);
  });

  it('refuses a MSG marked UTF-8 that is not', () => {
    expect(() =>
      parseRfc5424(bytes('<34>1 - h a - - - ', BOM, Buffer.from([0xc3, 0x28]))),
    ).toThrow();
  });
});

const ALERT: RaisedAlert = {
  id: '0b0e2f49-7d1c-4c57-9d7e-1c1e8a0c1a11',
  tenantId: '7a9f3c1e-2b4d-4e6f-8a0b-1c2d3e4f5a6b',
  rule: 'refusal-burst',
  title: 'Refus répétés',
  severity: 'critical',
  subject: 'acc-1',
  count: 50,
  firstAt: '2026-01-02T03:04:05.000Z',
  lastAt: '2026-01-02T03:04:50.000Z',
  evidence: [1, 2],
};

describe('Cloison’s syslog messages', () => {
  const at = new Date('2026-01-02T03:04:51.123Z');

  it('are RFC 5424 with PRI from the facility and the alert’s severity', () => {
    const frame = parseRfc5424(
      Buffer.from(syslogMessage(ALERT, { facility: 'auth', at, hostname: 'node-1', procId: 42 })),
    );
    // auth (4) × 8 + critical (2).
    expect(frame).toMatchObject({
      pri: 34,
      version: 1,
      timestamp: '2026-01-02T03:04:51.123Z',
      hostname: 'node-1',
      appName: 'cloison',
      procId: '42',
      msgId: 'refusal-burst',
      bom: true,
    });
    expect(frame.structuredData).toEqual([
      {
        id: 'cloison@32473',
        params: {
          alert: ALERT.id,
          tenant: ALERT.tenantId,
          rule: 'refusal-burst',
          severity: 'critical',
          count: '50',
          subject: 'acc-1',
          firstAt: ALERT.firstAt,
          lastAt: ALERT.lastAt,
        },
      },
    ]);
    expect(frame.msg).toMatch(/^Alerte critique : refusal-burst \(50 événements du /);
    for (const [severity, code] of [
      ['high', 3],
      ['medium', 4],
      ['low', 5],
    ] as const) {
      const f = parseRfc5424(
        Buffer.from(syslogMessage({ ...ALERT, severity }, { facility: 'local7', at })),
      );
      expect(f.pri).toBe(23 * 8 + code);
    }
  });

  it('escape what RFC 5424 asks and keep the header printable, whatever a rule or title holds', () => {
    const hostile = {
      ...ALERT,
      rule: 'a "rule"\\with] spaces\nand more than thirty-two chars',
      tenantId: null,
    };
    const text = syslogMessage(hostile, { facility: 'local0', at, hostname: 'h ost\u00e9' });
    const frame = parseRfc5424(Buffer.from(text));
    expect(frame.structuredData[0]!.params.rule).toBe(
      'a "rule"\\with] spaces and more than thirty-two chars',
    );
    expect(frame.structuredData[0]!.params.tenant).toBeUndefined();
    expect(frame.msgId).toBe('a_"rule"\\with]_spaces_and_more_t');
    expect(frame.hostname).toBe('h_ost_');
    expect(escapeParamValue('"\\]')).toBe('\\"\\\\\\]');
  });

  it('are framed by octet counting for TCP and TLS, the count in bytes', () => {
    const framed = octetCounted('<34>1 - - - - - - é');
    expect(framed.toString('utf8')).toBe('20 <34>1 - - - - - - é');
  });
});

describe('syslog targets', () => {
  it.each([
    ['syslog+udp://127.0.0.1:514', { transport: 'udp', host: '127.0.0.1', port: 514 }],
    ['syslog+tcp://localhost', { transport: 'tcp', host: 'localhost', port: 601 }],
    ['syslog+tls://SIEM.cd44.fr', { transport: 'tls', host: 'siem.cd44.fr', port: 6514 }],
    ['syslog+tls://[::1]:6514', { transport: 'tls', host: '[::1]', port: 6514 }],
  ])('reads %s', (raw, target) => {
    expect(parseSyslogUrl(raw)).toEqual(target);
  });

  it.each([
    'syslog+udp://',
    'syslog://127.0.0.1:514',
    'syslog+udp://127.0.0.1:514/',
    'syslog+udp://u:p@127.0.0.1:514',
    'syslog+udp://127.0.0.1:514#x',
    'syslog+udp://127.0.0.1:0',
    'syslog+udp://127.0.0.1:65536',
    'syslog+udp://-bad-.example:514',
    'syslog+udp://exa mple:514',
    'syslog+udp://%31%32%37.0.0.1:514',
    ' syslog+udp://127.0.0.1:514',
  ])('refuses %s', (raw) => {
    expect(parseSyslogUrl(raw)).toBeNull();
  });

  it('plain transports are for loopback hosts only, by the same test as http and SMTP', () => {
    const plain = ['syslog+udp://127.0.0.1', 'syslog+tcp://localhost', 'syslog+tcp://[::1]'];
    for (const raw of plain) expect(isLoopbackHost(parseSyslogUrl(raw)!.host), raw).toBe(true);
    for (const raw of ['syslog+udp://10.0.0.1', 'syslog+tcp://127.example', 'syslog+udp://[::2]']) {
      expect(isLoopbackHost(parseSyslogUrl(raw)!.host), raw).toBe(false);
    }
  });
});

describe('the operator’s syslog (CLOISON_ALERT_SYSLOG_URL)', () => {
  const env = (extra: Record<string, string>) => ({ CLOISON_DATA_DIR: '/tmp/unused', ...extra });
  it('takes TLS anywhere and plain transports on loopback, with a facility', () => {
    expect(loadConfig(env({})).operatorSyslog).toBeNull();
    expect(
      loadConfig(env({ CLOISON_ALERT_SYSLOG_URL: 'syslog+tls://siem.example' })).operatorSyslog,
    ).toEqual({ url: 'syslog+tls://siem.example:6514', facility: 'local0' });
    expect(
      loadConfig(
        env({
          CLOISON_ALERT_SYSLOG_URL: 'syslog+udp://127.0.0.1:5514',
          CLOISON_ALERT_SYSLOG_FACILITY: 'authpriv',
        }),
      ).operatorSyslog,
    ).toEqual({ url: 'syslog+udp://127.0.0.1:5514', facility: 'authpriv' });
  });

  it('refuses to start with plain syslog off this machine or an unknown facility', () => {
    expect(() =>
      loadConfig(env({ CLOISON_ALERT_SYSLOG_URL: 'syslog+udp://siem.example:514' })),
    ).toThrow(/CLOISON_ALERT_SYSLOG_URL/);
    expect(() => loadConfig(env({ CLOISON_ALERT_SYSLOG_URL: 'https://siem.example' }))).toThrow(
      /CLOISON_ALERT_SYSLOG_URL/,
    );
    expect(() =>
      loadConfig(
        env({
          CLOISON_ALERT_SYSLOG_URL: 'syslog+tls://siem.example',
          CLOISON_ALERT_SYSLOG_FACILITY: 'kern',
        }),
      ),
    ).toThrow(/CLOISON_ALERT_SYSLOG_FACILITY/);
  });
});

describe('delivery error codes', () => {
  it('keep codes and drop messages, which may quote a URL or an address', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:514'), {
      code: 'ECONNREFUSED',
    });
    expect(errorCode(new TypeError('fetch failed https://h/secret', { cause: refused }))).toBe(
      'ECONNREFUSED',
    );
    expect(
      errorCode(
        Object.assign(new Error('550 <x@y.fr> unknown'), { code: 'EENVELOPE', responseCode: 550 }),
      ),
    ).toBe('SMTP_550');
    expect(errorCode(new DOMException('The operation timed out', 'TimeoutError'))).toBe('TIMEOUT');
    expect(errorCode(Object.assign(new Error('x'), { name: 'TamperedError' }))).toBe(
      'TamperedError',
    );
    expect(errorCode(new Error('https://h/secret'))).toBe('UNKNOWN');
    expect(errorCode(Object.assign(new Error('m'), { code: 'lower case or a url://x' }))).toBe(
      'UNKNOWN',
    );
  });
});
