import os from 'node:os';
import type { RaisedAlert } from '../detection.js';
import { summary } from './alert-text.js';
import { SYSLOG_FACILITIES, type SyslogFacility } from '../../../config/syslog-url.js';

/** Registered for examples by RFC 5612; the SD-ID every Cloison alert carries. */
const SD_ID = 'cloison@32473';

/** Alert severity to RFC 5424 severity: critical 2, error 3, warning 4, notice 5. */
const SEVERITY_CODES: Record<RaisedAlert['severity'], number> = {
  critical: 2,
  high: 3,
  medium: 4,
  low: 5,
};

/** PRINTUSASCII (%d33-126) of at most `max` characters, or the NILVALUE "-". */
function header(value: string, max: number): string {
  const printable = value.replace(/[^\x21-\x7e]/g, '_').slice(0, max);
  return printable === '' ? '-' : printable;
}

/** RFC 5424 §6.3.3: '"', '\' and ']' are escaped in a PARAM-VALUE. */
export function escapeParamValue(value: string): string {
  // Control characters have no business in a log line: a SIEM splitting on them would misread.
  return value.replace(/[\p{Cc}]/gu, ' ').replace(/["\\\]]/g, (c) => `\\${c}`);
}

const BOM = '\ufeff';

/**
 * One RFC 5424 message: `<PRI>1 TIMESTAMP HOSTNAME cloison PROCID MSGID [cloison@32473 …] MSG`,
 * MSGID the rule, the structured data the alert's identifiers, MSG a short French text (UTF-8,
 * marked by a BOM as §6.4 asks).
 */
export function syslogMessage(
  alert: RaisedAlert,
  options: { facility: SyslogFacility; at: Date; hostname?: string; procId?: number },
): string {
  const pri = SYSLOG_FACILITIES[options.facility] * 8 + SEVERITY_CODES[alert.severity];
  const params: Array<[string, string | number | null]> = [
    ['alert', alert.id],
    ['tenant', alert.tenantId],
    ['rule', alert.rule],
    ['severity', alert.severity],
    ['count', alert.count],
    ['subject', alert.subject],
    ['firstAt', alert.firstAt],
    ['lastAt', alert.lastAt],
  ];
  const sd = `[${SD_ID}${params
    .filter(([, v]) => v !== null)
    .map(([k, v]) => ` ${k}="${escapeParamValue(String(v))}"`)
    .join('')}]`;
  return [
    `<${pri}>1`,
    options.at.toISOString(),
    header(options.hostname ?? os.hostname(), 255),
    'cloison',
    header(String(options.procId ?? process.pid), 128),
    header(alert.rule, 32),
    sd,
    `${BOM}${summary(alert)}`,
  ].join(' ');
}

/** RFC 6587 §3.4.1 octet counting: `MSG-LEN SP SYSLOG-MSG`, the length in bytes. */
export function octetCounted(message: string): Buffer {
  const bytes = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${bytes.length} `, 'ascii'), bytes]);
}
