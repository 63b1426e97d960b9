import type { AppDeps } from '../../deps.js';
import { detector } from './detector.js';

/**
 * Detection over the committed audit log, in the background: within seconds, without slowing
 * the request whose event caused it. The alerts it raises are delivered by the outbox, whose
 * rows commit with them (src/modules/alerts/alert-outbox.ts).
 */
export interface AlertSink {
  /** An event was appended to the audit log: run the rules soon. */
  wake(): void;
  /** Starts the detector (a serving process, once listening). */
  start(): void;
  /** Stops the detector and waits for the pass under way (shutdown). */
  stop(): Promise<void>;
}

export function alertSink(getDeps: () => AppDeps): AlertSink {
  const rules = detector(getDeps, (alert) => {
    const deps = getDeps();
    deps.log.warn({ alert: alert.id, rule: alert.rule, tenant: alert.tenantId }, 'alert raised');
    // Its deliveries are queued and committed: the outbox worker may send them now.
    deps.outbox.nudge();
  });
  return {
    wake: () => rules.wake(),
    start: () => rules.start(),
    stop: () => rules.stop(),
  };
}
