import type { Static } from '@sinclair/typebox';
import type { AppDeps } from '../../deps.js';
import { problems } from '../../errors.js';
import type { Actor } from '../../policy/actor.js';
import { MANDATORY_NOTICES, OPTIONAL_NOTICES } from './notices.js';
import type {
  NotificationPreferences,
  NotificationPreferencesBody,
} from './notification-preferences.schemas.js';
import { listPreferencesOf, savePreference } from './notification.repository.js';

type Preferences = Static<typeof NotificationPreferences>;

/** The usager's own account: preferences belong to nobody else, and nobody else sets them. */
function ownAccountId(actor: Actor): string {
  if (actor.kind !== 'usager') throw problems.forbidden();
  return actor.accountId;
}

/** The notices the signed-in usager receives: mandatory ones always, optional ones as chosen. */
export async function getNotificationPreferences(
  deps: AppDeps,
  actor: Actor,
): Promise<Preferences> {
  const accountId = ownAccountId(actor);
  const off = new Set(
    (await listPreferencesOf(deps.db, accountId))
      .filter((p) => p.enabled === 0)
      .map((p) => p.notice),
  );
  return {
    items: [
      ...MANDATORY_NOTICES.map((notice) => ({ notice, mandatory: true, enabled: true })),
      ...OPTIONAL_NOTICES.map((notice) => ({
        notice,
        mandatory: false,
        enabled: !off.has(notice),
      })),
    ],
  };
}

/** Switches the usager's optional notices on or off (mandatory ones cannot be named here). */
export async function setNotificationPreferences(
  deps: AppDeps,
  actor: Actor,
  body: Static<typeof NotificationPreferencesBody>,
): Promise<Preferences> {
  const accountId = ownAccountId(actor);
  const at = deps.clock.now().toISOString();
  await deps.db.transaction().execute(async (trx) => {
    for (const notice of OPTIONAL_NOTICES) {
      const enabled = body[notice];
      if (enabled !== undefined) await savePreference(trx, { accountId, notice, enabled, at });
    }
  });
  return getNotificationPreferences(deps, actor);
}
