import type { AppDeps } from '../../deps.js';
import type { RaisedAlert } from './detection.js';
import { detector } from './detector.js';
import { sendToWebhooks } from './webhook.js';

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
    const p = sendToWebhooks(deps, alert)
      .catch((err: unknown) =>
        deps.log.error(
          { err: err instanceof Error ? err.message : String(err) },
          'alert delivery failed',
        ),
      )
      .finally(() => pending.delete(p));
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
