import { actorSubject, type Rule } from './rule.js';

/**
 * Loosening detection is itself worth telling: an admin who raised a threshold, switched a rule
 * off or removed where alerts go before acting would otherwise go unseen. Mandatory, like the
 * decoy.
 */
export const detectionSettingsChanged: Rule = {
  id: 'detection-settings-changed',
  severity: 'medium',
  meaning:
    'Les règles de détection du département (seuils, fenêtres, horaires) ou ses canaux d’alerte ont été modifiés : vérifiez que ce changement était voulu.',
  defaults: { threshold: 1, windowSeconds: 3600 },
  mandatory: true,
  subjectOf: ({ entry }) =>
    (entry.action === 'alert-settings.changed' || entry.action === 'alert-channel.removed') &&
    entry.outcome === 'allowed'
      ? actorSubject(entry)
      : null,
};
