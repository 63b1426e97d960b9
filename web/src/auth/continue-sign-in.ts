import { useNavigate, useSearchParams } from 'react-router';
import type { SecondFactorState } from '../api/auth';
import { homeOf, useSession } from '../session/session';
import { safeNext } from './safe-next';

/**
 * Where a sign-in step leads, from what the API answered it still owes (`next`): the second
 * factor, its enrolment, or — done — the page asked for in `?suite=` or the person's home.
 * One place for the login, the second factor, the activation of a new agent and TOTP enrolment.
 */
export function useContinueSignIn(): (next: SecondFactorState) => Promise<void> {
  const { refresh } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const suite = safeNext(params.get('suite'));
  return async (next) => {
    if (next === 'second-factor') {
      navigate(`/connexion/second-facteur${suite ? `?suite=${encodeURIComponent(suite)}` : ''}`);
    } else if (next === 'enroll') {
      navigate('/compte/double-authentification');
    } else {
      const session = await refresh();
      navigate(suite ?? (session.status === 'signed-in' ? homeOf(session.me) : '/connexion'));
    }
  };
}
