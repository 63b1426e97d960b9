import type { AppDeps } from '../../deps.js';
import type { RaisedAlert } from './detection.js';
import { deliverAlert } from './delivery.js';
import { detector } from './detector.js';

/**
 * Detection over the committed audit log and delivery of the alerts it raises, in the
 * background: within seconds, without slowing the request whose event caused it.
 */
export interface AlertSink {
  /** An event was appended to the audit log: run the rules soon. */
  wake(): void;
  /** Starts the detector (a serving process, once listening). */
  start(): void;
  /** Stops the detector and waits for every delivery under way (shutdown). */
  stop(): Promise<void>;
  /** Resolves once every delivery under way is done (shutdown, tests). */
  idle(): Promise<void>;
}

export function alertSink(getDeps: () => AppDeps): AlertSink {
  const pending = new Set<Promise<void>>();
  const deliver = (alert: RaisedAlert) => {
    const deps = getDeps();
    deps.log.warn({ alert: alert.id, rule: alert.rule, tenant: alert.tenantId }, 'alert raised');
    // deliverAlert never throws: each channel's failure is logged by code, retried, alone.
    const p = deliverAlert(deps, alert).finally(() => pending.delete(p));
    pending.add(p);
  };
  const rules = detector(getDeps, deliver);
  const idle = async () => {
    while (pending.size > 0) await Promise.all([...pending]);
  };
  return {
    wake: () => rules.wake(),
    start: () => rules.start(),
    async stop() {
      await rules.stop();
      await idle();
    },
    idle,
  };
}
