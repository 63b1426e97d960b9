import { actorSubject, type Rule } from './rule.js';

/**
 * Loosening detection is itself worth telling: an admin who raised a threshold or switched a
 * rule off before acting would otherwise go unseen. Mandatory, like the decoy.
 */
export const detectionSettingsChanged: Rule = {
  id: 'detection-settings-changed',
  severity: 'medium',
  meaning:
    'Les seuils, fenêtres ou horaires des règles de détection du département ont été modifiés : vérifiez que ce changement était voulu.',
  defaults: { threshold: 1, windowSeconds: 3600 },
  mandatory: true,
  subjectOf: ({ entry }) =>
    entry.action === 'alert-settings.changed' && entry.outcome === 'allowed'
      ? actorSubject(entry)
      : null,
};
