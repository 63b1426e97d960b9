import { fr } from '@codegouvfr/react-dsfr';

/** A polite live region while data loads (announced once, not repeated). */
export function Loading({ label = 'Chargement…' }: { label?: string }) {
  return (
    <p className={fr.cx('fr-my-4w')} role="status" aria-live="polite">
      {label}
    </p>
  );
}
