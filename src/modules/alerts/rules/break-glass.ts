import { actorSubject, type Rule } from './rule.js';

/** PRODUCT.md: break-glass "alerts the DPO and is reviewed afterwards". */
export const breakGlass: Rule = {
  id: 'break-glass',
  severity: 'high',
  meaning:
    'Un agent a ouvert un dossier hors de son affectation (bris de glace) en donnant un motif écrit : à revoir par le DPO.',
  defaults: { threshold: 1, windowSeconds: 3600 },
  // The issue says break-glass alerts the DPO: no setting may silence it.
  mandatory: true,
  subjectOf: ({ entry }) =>
    entry.action === 'case.breakGlass' && entry.outcome === 'allowed' ? actorSubject(entry) : null,
};
