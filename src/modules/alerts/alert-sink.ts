import type { AppDeps } from '../../deps.js';
import { detectRefusalBurst, type StoredEvent } from './detection.js';
import { deliverAlert } from './delivery.js';

/**
 * Runs the detection rules on each stored security event and sends a new alert to the tenant's
 * channels in the background: within seconds, without slowing the request that caused it.
 */
export interface AlertSink {
  onSecurityEvent(event: StoredEvent): Promise<void>;
  /** Resolves once every delivery under way is done (shutdown, tests). */
  idle(): Promise<void>;
}

export function alertSink(getDeps: () => AppDeps): AlertSink {
  const pending = new Set<Promise<void>>();
  return {
    async onSecurityEvent(event) {
      const deps = getDeps();
      const alert = await detectRefusalBurst(deps, event);
      if (!alert) return;
      deps.log.warn({ alert: alert.id, rule: alert.rule, tenant: alert.tenantId }, 'alert raised');
      // deliverAlert never throws: each channel's failure is logged by code, retried, alone.
      const p = deliverAlert(deps, alert).finally(() => pending.delete(p));
      pending.add(p);
    },
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
