import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { fr } from '@codegouvfr/react-dsfr';
import { ApiProblem } from '../api/client';

/** A refusal or error of the API, in words a person can act on, announced to screen readers. */
export function ProblemAlert({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const problem = error instanceof ApiProblem ? error : null;
  const heading = title ?? problem?.title ?? 'Une erreur est survenue';
  const details: string[] = [];
  if (problem?.detail && problem.detail !== heading) details.push(problem.detail);
  for (const e of problem?.fieldErrors ?? []) details.push(e.message);
  if (!problem && error instanceof Error) details.push(error.message);
  return (
    <div role="alert" className={fr.cx('fr-my-2w')}>
      <Alert
        severity="error"
        title={heading}
        description={details.length ? details.join(' ') : 'Réessayez dans un instant.'}
        small={false}
      />
    </div>
  );
}
