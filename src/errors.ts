/**
 * Problems (RFC 9457) raised anywhere in the code and rendered by the one error handler.
 * `type` values are stable identifiers clients may switch on.
 */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly title: string,
    readonly detail?: string,
    readonly extensions?: Record<string, unknown>,
  ) {
    super(detail ?? title);
    this.name = 'Problem';
  }

  get type(): string {
    return problemType(this.slug);
  }
}

/** The stable URI of a problem type. */
export function problemType(slug: string): string {
  return `urn:cloison:problem:${slug}`;
}

/** Why an object was not served: kept server-side only, the client always sees `not-found`. */
export interface RefusalInfo {
  readonly action: string;
  readonly objectType: string;
  readonly objectId: string;
  readonly reason: 'missing' | 'refused';
}

/**
 * A 404 that is either a missing object or a refused one. Both render exactly alike; only the
 * security event recorded by the error handler tells them apart.
 */
export class NotFound extends Problem {
  constructor(readonly refusal: RefusalInfo | null = null) {
    super(404, 'not-found', 'Ressource introuvable');
    this.name = 'NotFound';
  }
}

export const problems = {
  unauthenticated: () => new Problem(401, 'unauthenticated', 'Authentification requise'),
  forbidden: () => new Problem(403, 'forbidden', 'Action non autorisée pour votre rôle'),
  badCredentials: () =>
    new Problem(401, 'bad-credentials', 'Identifiant ou mot de passe incorrect'),
  validation: (detail: string, errors?: unknown[]) =>
    new Problem(400, 'validation', 'Requête invalide', detail, errors ? { errors } : undefined),
  conflict: (slug: string, detail: string) =>
    new Problem(409, slug, 'Opération impossible', detail),
  unsupportedMedia: (detail: string) =>
    new Problem(415, 'unsupported-media-type', 'Type de fichier non accepté', detail),
  tooLarge: (detail: string) =>
    new Problem(413, 'payload-too-large', 'Contenu trop volumineux', detail),
  /** No SMTP server outside demo mode: nothing that depends on a mail can be done. */
  mailUnavailable: (
    detail = 'Ce service ne peut pas envoyer d’e-mails pour le moment. Réessayez plus tard ou contactez votre MDPH.',
  ) => new Problem(503, 'mail-unavailable', 'Envoi d’e-mails indisponible', detail),
  /** One answer for an e-mailed link unknown, expired, already used or of another purpose. */
  invalidToken: (
    detail = 'Ce lien a déjà servi, a expiré ou n’est pas valide. Demandez-en un nouveau.',
  ) => new Problem(400, 'invalid-token', 'Lien invalide ou expiré', detail),
  /** One account or token asked too much at once: the others must not wait behind it. */
  rateLimited: (retryAfterSeconds: number) =>
    new Problem(429, 'rate-limited', 'Trop de requêtes', 'Réessayez dans un moment.', {
      retryAfter: retryAfterSeconds,
    }),
  crossOrigin: () => new Problem(403, 'cross-origin', 'Requête refusée : origine non autorisée'),
  secondFactorRequired: (next: 'second-factor' | 'enroll') =>
    new Problem(
      403,
      'mfa-required',
      'Second facteur requis',
      next === 'enroll'
        ? 'Les comptes des agents doivent enregistrer un second facteur (application TOTP ou clé d’accès) avant toute autre action.'
        : 'Confirmez votre connexion avec votre second facteur avant toute autre action.',
      { next },
    ),
  recentSecondFactorRequired: () =>
    new Problem(
      403,
      'recent-second-factor-required',
      'Confirmez d’abord votre second facteur',
      'Pour modifier vos moyens de connexion, confirmez de nouveau votre second facteur (code ou clé d’accès) : la dernière confirmation date de plus de 10 minutes.',
      { next: 'second-factor' },
    ),
  badSecondFactor: () =>
    new Problem(
      401,
      'bad-second-factor',
      'Code ou clé d’accès refusé',
      'Le code est faux, expiré ou déjà utilisé. Attendez le code suivant et réessayez.',
    ),
};
