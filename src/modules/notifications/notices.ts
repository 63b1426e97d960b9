/**
 * What the usager (and whoever represents them) is told by mail, and which notices they may
 * switch off. Mandatory notices have a legal effect or a deadline: missing one can cost a right.
 */
export const MANDATORY_NOTICES = [
  'pieces-requested',
  'piece-rejected',
  'lapse-warning',
  'case-lapsed',
  'decision-available',
] as const;

/** Notices an account may switch off (all on by default). */
export const OPTIONAL_NOTICES = ['agent-message', 'case-changed', 'renewal-reminder'] as const;

export type MandatoryNotice = (typeof MANDATORY_NOTICES)[number];
export type OptionalNotice = (typeof OPTIONAL_NOTICES)[number];
/** A notice about a case, sent to the parties of the person it is about. */
export type CaseNotice = MandatoryNotice | OptionalNotice;

/** Whether a notice may be switched off by its recipient. */
export function isOptionalNotice(notice: string): notice is OptionalNotice {
  return (OPTIONAL_NOTICES as readonly string[]).includes(notice);
}
