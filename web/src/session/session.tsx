import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { getMe, logOut, type Me } from '../api/auth';
import { ApiProblem, whenSignedOut } from '../api/client';

/**
 * Who is signed in, as the server says: getMe() with the HttpOnly session cookie. The
 * application never holds a token of its own; reloading the page asks the server again.
 */
export type Session =
  | { status: 'loading' }
  | { status: 'anonymous' }
  /** Password accepted, second factor still owed (`next` says to prove or to enrol one). */
  | { status: 'pending'; next: 'second-factor' | 'enroll' }
  | { status: 'signed-in'; me: Me };

interface SessionApi {
  session: Session;
  refresh: () => Promise<Session>;
  logout: () => Promise<void>;
}

const SessionContext = createContext<SessionApi | null>(null);

async function fetchSession(): Promise<Session> {
  try {
    const me = await getMe();
    if (me.secondFactor !== 'done') return { status: 'pending', next: me.secondFactor };
    return { status: 'signed-in', me };
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 401) return { status: 'anonymous' };
    if (error instanceof ApiProblem && error.type.endsWith(':mfa-required')) {
      const next = error.body.next === 'enroll' ? 'enroll' : 'second-factor';
      return { status: 'pending', next };
    }
    throw error;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session>({ status: 'loading' });

  const refresh = useCallback(async () => {
    const next = await fetchSession();
    setSession(next);
    return next;
  }, []);

  const logout = useCallback(async () => {
    try {
      await logOut();
    } catch (error) {
      // The page says "signed out" only once the server has ended the session (or had none):
      // on a shared computer, a failed logout must not look like a done one.
      if (!(error instanceof ApiProblem && error.status === 401)) throw error;
    }
    setSession({ status: 'anonymous' });
  }, []);

  useEffect(() => {
    refresh().catch(() => setSession({ status: 'anonymous' }));
    return whenSignedOut(() => setSession({ status: 'anonymous' }));
  }, [refresh]);

  const value = useMemo(() => ({ session, refresh, logout }), [session, refresh, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in person; only inside pages guarded by RequireRole. */
export function useMe(): Me {
  const { session } = useSession();
  if (session.status !== 'signed-in') throw new Error('useMe on a page without a signed-in person');
  return session.me;
}

/** Where a session that still owes its second factor goes: prove it, or enrol one. */
export function pendingPath(next: 'second-factor' | 'enroll'): string {
  return next === 'enroll' ? '/compte/double-authentification' : '/connexion/second-facteur';
}

/** Where each kind of person lands after signing in. */
export function homeOf(me: Me): string {
  if (me.kind === 'usager') return '/mon-espace';
  if (me.kind === 'operateur') return '/exploitation/departements';
  if (me.role === 'admin' || me.role === 'dpo') return '/administration';
  return '/instruction';
}
