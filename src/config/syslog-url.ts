/** How syslog messages travel: RFC 5426 (UDP), RFC 6587 (TCP), RFC 5425 (TLS). */
export type SyslogTransport = 'udp' | 'tcp' | 'tls';

export interface SyslogTarget {
  readonly transport: SyslogTransport;
  /** A DNS name or an IP address; an IPv6 literal without its brackets. */
  readonly host: string;
  readonly port: number;
}

/** Ports registered for syslog: 514/udp, 601/tcp (syslog-conn), 6514/tcp (syslog-tls). */
const DEFAULT_PORTS: Record<SyslogTransport, number> = { udp: 514, tcp: 601, tls: 6514 };

/** The facilities an alert may be filed under (RFC 5424 §6.2.1 codes). */
export const SYSLOG_FACILITIES = {
  user: 1,
  daemon: 3,
  auth: 4,
  authpriv: 10,
  audit: 13,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
} as const;
export type SyslogFacility = keyof typeof SYSLOG_FACILITIES;

export function isSyslogFacility(name: string): name is SyslogFacility {
  return Object.hasOwn(SYSLOG_FACILITIES, name);
}

const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV6 = /^\[[0-9A-Fa-f:.]{2,45}\]$/;

/**
 * Parses `syslog+udp://host:port`, `syslog+tcp://…` or `syslog+tls://…`; null when it is not
 * exactly that (no credentials, path, query or fragment: nothing a log line could leak). Whether
 * a plain transport may reach the host is the caller's rule (loopback only).
 */
export function parseSyslogUrl(raw: string): SyslogTarget | null {
  const m = /^syslog\+(udp|tcp|tls):\/\/([^/?#@]+)$/.exec(raw);
  if (!m) return null;
  const transport = m[1] as SyslogTransport;
  const authority = m[2]!;
  const hp = /^(\[[^\]]*\]|[^:]+)(?::(\d{1,5}))?$/.exec(authority);
  if (!hp) return null;
  const rawHost = hp[1]!;
  if (!(IPV6.test(rawHost) || (HOST.test(rawHost) && rawHost.length <= 253))) return null;
  const port = hp[2] === undefined ? DEFAULT_PORTS[transport] : Number(hp[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) return null;
  return { transport, host: rawHost.toLowerCase(), port };
}

/** The canonical form stored and shown: `syslog+tls://host:6514`. */
export function syslogUrl(target: SyslogTarget): string {
  return `syslog+${target.transport}://${target.host}:${target.port}`;
}

/** The host to connect to: an IPv6 literal loses its brackets. */
export function connectHost(target: SyslogTarget): string {
  return target.host.startsWith('[') ? target.host.slice(1, -1) : target.host;
}
