import dgram from 'node:dgram';
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import { LOCALHOST_CERT, LOCALHOST_KEY } from './tls-localhost.js';

/**
 * Real syslog receivers on 127.0.0.1 for the server under test: RFC 5426 (one message per UDP
 * datagram), RFC 6587 octet counting over TCP, and the same over TLS (RFC 5425, with the
 * certificate of tls-localhost.ts). Every frame goes through a strict RFC 5424 parser: anything
 * the grammar does not allow is recorded in `errors`, which a test expects empty.
 */

export interface SdElement {
  readonly id: string;
  readonly params: Record<string, string>;
}

export interface SyslogFrame {
  readonly pri: number;
  readonly facility: number;
  readonly severity: number;
  readonly version: number;
  /** The TIMESTAMP as written, or null for the NILVALUE. */
  readonly timestamp: string | null;
  readonly hostname: string | null;
  readonly appName: string | null;
  readonly procId: string | null;
  readonly msgId: string | null;
  readonly structuredData: readonly SdElement[];
  /** MSG, decoded; `bom` tells whether it was marked as UTF-8 (§6.4). */
  readonly msg: string | null;
  readonly bom: boolean;
}

export class Rfc5424Error extends Error {
  constructor(message: string, at: number) {
    super(`${message} at offset ${at}`);
    this.name = 'Rfc5424Error';
  }
}

const PRINTUSASCII = /^[\x21-\x7e]+$/;
/** SD-NAME: PRINTUSASCII except '=', SP, ']' and '"', 1 to 32 characters. */
const SD_NAME = /^[\x21\x23-\x3c\x3e-\x5c\x5e-\x7e]{1,32}$/;
/** IANA-registered SD-IDs (RFC 5424 §7); any other must be name@<private enterprise number>. */
const IANA_SD_IDS = new Set(['timeQuality', 'origin', 'meta']);
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(Z|([+-])(\d{2}):(\d{2}))$/;

/** Strict RFC 5424 §6 parser of one SYSLOG-MSG (without transport framing). */
export function parseRfc5424(bytes: Buffer): SyslogFrame {
  // The header and structured data are text; MSG may be any octets unless marked by a BOM.
  const text = bytes.toString('latin1');
  let i = 0;
  const fail = (what: string): never => {
    throw new Rfc5424Error(what, i);
  };
  const expect = (c: string) => {
    if (text[i] !== c) fail(`expected "${c}"`);
    i += 1;
  };
  const token = (name: string, max: number): string | null => {
    const end = text.indexOf(' ', i);
    if (end < 0) fail(`${name} not followed by SP`);
    const value = text.slice(i, end);
    if (value.length === 0 || value.length > max || !PRINTUSASCII.test(value)) {
      fail(`${name} must be 1 to ${max} PRINTUSASCII`);
    }
    i = end + 1;
    return value === '-' ? null : value;
  };

  // HEADER = PRI VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID
  expect('<');
  const pri = /^(\d{1,3})>/.exec(text.slice(i, i + 4));
  if (!pri) fail('PRIVAL must be 1 to 3 digits');
  const prival = pri![1]!;
  if ((prival.length > 1 && prival.startsWith('0')) || Number(prival) > 191) {
    fail('PRIVAL out of 0..191 or with a leading zero');
  }
  i += prival.length + 1;
  const version = /^([1-9]\d{0,2}) /.exec(text.slice(i, i + 4));
  if (!version) fail('VERSION must be a nonzero number followed by SP');
  i += version![0].length;
  const rawTimestamp = token('TIMESTAMP', 32);
  if (rawTimestamp !== null) {
    const m = TIMESTAMP.exec(rawTimestamp);
    if (!m) fail('TIMESTAMP is not FULL-DATE "T" FULL-TIME');
    const [, y, mo, d, h, mi, s, , , , oh, om] = m!;
    const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
    const validDate =
      day.getUTCFullYear() === Number(y) &&
      day.getUTCMonth() === Number(mo) - 1 &&
      day.getUTCDate() === Number(d);
    // Leap seconds are not allowed (§6.2.3.1): TIME-SECOND is 00-59.
    if (!validDate || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59)
      fail('TIMESTAMP out of range');
    if (oh !== undefined && (Number(oh) > 23 || Number(om) > 59)) fail('TIME-OFFSET out of range');
  }
  const hostname = token('HOSTNAME', 255);
  const appName = token('APP-NAME', 48);
  const procId = token('PROCID', 128);
  const msgId = token('MSGID', 32);

  // STRUCTURED-DATA = NILVALUE / 1*SD-ELEMENT
  const structuredData: SdElement[] = [];
  if (text[i] === '-') i += 1;
  else {
    if (text[i] !== '[') fail('STRUCTURED-DATA must be "-" or SD-ELEMENTs');
    while (text[i] === '[') {
      i += 1;
      const nameEnd = text.slice(i).search(/[ \]]/);
      if (nameEnd < 0) fail('unterminated SD-ELEMENT');
      const id = text.slice(i, i + nameEnd);
      if (!SD_NAME.test(id)) fail('SD-ID is not an SD-NAME');
      if (!IANA_SD_IDS.has(id) && !/^[^@]+@\d+(\.\d+)*$/.test(id)) {
        fail('a private SD-ID must be name@<enterprise number>');
      }
      if (structuredData.some((e) => e.id === id)) fail('the same SD-ID twice');
      i += nameEnd;
      const params: Record<string, string> = {};
      while (text[i] === ' ') {
        i += 1;
        const eq = text.indexOf('=', i);
        if (eq < 0) fail('SD-PARAM without "="');
        const name = text.slice(i, eq);
        if (!SD_NAME.test(name)) fail('PARAM-NAME is not an SD-NAME');
        i = eq + 1;
        expect('"');
        // PARAM-VALUE: '"', '\' and ']' MUST be escaped; a backslash before anything else stays.
        const value: number[] = [];
        for (;;) {
          if (i >= text.length) fail('unterminated PARAM-VALUE');
          const c = text.charCodeAt(i);
          if (c === 0x5c && ['"', '\\', ']'].includes(text[i + 1] ?? '')) {
            value.push(text.charCodeAt(i + 1));
            i += 2;
          } else if (c === 0x22) {
            i += 1;
            break;
          } else if (c === 0x5d) {
            fail('unescaped "]" in PARAM-VALUE');
          } else {
            value.push(c);
            i += 1;
          }
        }
        const decoded = new TextDecoder('utf-8', { fatal: true });
        try {
          params[name] = decoded.decode(Buffer.from(value));
        } catch {
          fail('PARAM-VALUE is not UTF-8');
        }
      }
      expect(']');
      structuredData.push({ id, params });
    }
  }

  // [SP MSG]
  let msg: string | null = null;
  let bom = false;
  if (i < text.length) {
    expect(' ');
    const rest = bytes.subarray(i);
    bom = rest[0] === 0xef && rest[1] === 0xbb && rest[2] === 0xbf;
    if (bom) {
      try {
        msg = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(rest.subarray(3));
      } catch {
        fail('MSG-UTF8 is not UTF-8');
      }
    } else msg = rest.toString('latin1');
  }
  const p = Number(prival);
  return {
    pri: p,
    facility: Math.floor(p / 8),
    severity: p % 8,
    version: Number(version![1]),
    timestamp: rawTimestamp,
    hostname,
    appName,
    procId,
    msgId,
    structuredData,
    msg,
    bom,
  };
}

export type SyslogTransport = 'udp' | 'tcp' | 'tls';

export interface SyslogReceiver {
  readonly transport: SyslogTransport;
  readonly port: number;
  /** syslog+<transport>://<host>:<port>, to give the server (TLS: "localhost", the cert's name). */
  readonly url: string;
  readonly frames: SyslogFrame[];
  /** Frames that broke the grammar or the framing, with why. */
  readonly errors: string[];
  /** Connections accepted so far (TCP, TLS). */
  connections(): number;
  /** The first frame matching, waiting up to `timeoutMs`. */
  waitFor(match: (f: SyslogFrame) => boolean, timeoutMs?: number): Promise<SyslogFrame>;
  close(): Promise<void>;
}

/** Splits an RFC 6587 §3.4.1 octet-counted stream (`MSG-LEN SP SYSLOG-MSG`) into messages. */
function octetCountingReader(onFrame: (b: Buffer) => void, onError: (e: string) => void) {
  let pending = Buffer.alloc(0);
  return (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    for (;;) {
      const sp = pending.indexOf(0x20);
      if (sp < 0) {
        if (pending.length > 10) onError('MSG-LEN too long');
        return;
      }
      const len = pending.subarray(0, sp).toString('latin1');
      if (!/^[1-9]\d{0,8}$/.test(len)) {
        onError(`bad MSG-LEN "${len.slice(0, 20)}" (octet counting required)`);
        pending = Buffer.alloc(0);
        return;
      }
      const end = sp + 1 + Number(len);
      if (pending.length < end) return;
      onFrame(pending.subarray(sp + 1, end));
      pending = pending.subarray(end);
    }
  };
}

/** Starts a receiver on 127.0.0.1 (a given port to come back on the same one after a stop). */
export async function startSyslogReceiver(
  transport: SyslogTransport,
  options: { port?: number } = {},
): Promise<SyslogReceiver> {
  const frames: SyslogFrame[] = [];
  const errors: string[] = [];
  let connections = 0;
  const accept = (bytes: Buffer) => {
    try {
      frames.push(parseRfc5424(bytes));
    } catch (error) {
      errors.push(`${(error as Error).message}: ${bytes.toString('utf8').slice(0, 300)}`);
    }
  };
  let close: () => Promise<void>;
  let port: number;
  if (transport === 'udp') {
    const socket = dgram.createSocket('udp4');
    socket.on('message', (msg) => accept(msg));
    await new Promise<void>((resolve) => socket.bind(options.port ?? 0, '127.0.0.1', resolve));
    port = socket.address().port;
    close = () => new Promise<void>((resolve) => socket.close(() => resolve()));
  } else {
    const sockets = new Set<net.Socket>();
    const onConnection = (socket: net.Socket) => {
      connections += 1;
      sockets.add(socket);
      socket.on(
        'data',
        octetCountingReader(accept, (e) => errors.push(e)),
      );
      socket.on('error', () => undefined);
      socket.on('end', () => socket.end());
      socket.on('close', () => sockets.delete(socket));
    };
    const server =
      transport === 'tls'
        ? tls.createServer({ key: LOCALHOST_KEY, cert: LOCALHOST_CERT }, onConnection)
        : net.createServer(onConnection);
    // A client refused by the TLS handshake is not a frame error: the server never wrote one.
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    close = () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      });
  }
  const host = transport === 'tls' ? 'localhost' : '127.0.0.1';
  return {
    transport,
    port,
    url: `syslog+${transport}://${host}:${port}`,
    frames,
    errors,
    connections: () => connections,
    async waitFor(match, timeoutMs = 10_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const found = frames.find(match);
        if (found) return found;
        if (Date.now() > end) {
          throw new Error(
            `no matching ${transport} syslog frame within ${timeoutMs} ms (${frames.length} received, errors: ${errors.join(' | ')})`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: () => close(),
  };
}
