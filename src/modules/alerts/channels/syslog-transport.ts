import dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import tls from 'node:tls';
import { DeliveryError } from './delivery-error.js';
import { octetCounted } from './syslog.js';
import { connectHost, type SyslogTarget } from '../../../config/syslog-url.js';

const TIMEOUT_MS = 5_000;

/** RFC 5426: the whole message in one datagram; nothing tells whether it arrived. */
async function sendDatagram(target: SyslogTarget, message: string): Promise<void> {
  const { address, family } = await lookup(connectHost(target));
  const socket = dgram.createSocket(family === 6 ? 'udp6' : 'udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.send(Buffer.from(message, 'utf8'), target.port, address, (err) =>
        err ? reject(err) : resolve(),
      );
    });
  } finally {
    socket.close();
  }
}

/**
 * RFC 6587 (TCP) or RFC 5425 (TLS, the certificate checked against the host name by Node's
 * default verification): a fresh connection for each delivery, closed once the frame is written.
 * Alerts are rare; a connection kept open between them would be found dead by the one write that
 * matters, after a receiver restart, and lose it. Each retry reconnects.
 */
function sendStream(target: SyslogTarget, message: string): Promise<void> {
  const host = connectHost(target);
  const frame = octetCounted(message);
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (err?: unknown) => {
      if (settled) return;
      settled = true;
      if (err) {
        socket.destroy();
        reject(err);
      } else resolve();
    };
    const common = { host, port: target.port, timeout: TIMEOUT_MS, autoSelectFamily: true };
    const socket: net.Socket =
      target.transport === 'tls'
        ? tls.connect({
            ...common,
            // SNI carries a name, never an address (RFC 6066 §3).
            ...(net.isIP(host) ? {} : { servername: host }),
            minVersion: 'TLSv1.2',
          })
        : net.connect(common);
    socket.once(target.transport === 'tls' ? 'secureConnect' : 'connect', () => {
      socket.end(frame, () => finish());
    });
    socket.once('timeout', () => finish(new DeliveryError('TIMEOUT')));
    // `on`, not `once`: a reset after the frame went out must not become an uncaught error.
    socket.on('error', (err) => finish(err));
    // Once written, the receiver closes its side; a receiver that never does is not waited for.
    socket.once('finish', () => setTimeout(() => socket.destroy(), TIMEOUT_MS).unref());
  });
}

/** Sends one RFC 5424 message over the target's transport. */
export function sendSyslog(target: SyslogTarget, message: string): Promise<void> {
  return target.transport === 'udp' ? sendDatagram(target, message) : sendStream(target, message);
}
