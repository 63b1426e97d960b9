import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { SessionProvider, homeOf, pendingPath, useSession } from '../session/session';
import { Layout } from './Layout';
import { RequireRole, usesConsole, isAgent, isOperator, isSignedIn, isUsager } from './RequireRole';
import { LoginPage } from '../auth/LoginPage';
import { SecondFactorPage } from '../auth/SecondFactorPage';
import { EnrollPage } from '../auth/EnrollPage';
import { AccountPage } from '../auth/AccountPage';
import { usagerPublicRoutes, usagerRoutes } from '../usager/routes';
import { agentRoutes } from '../agent/routes';
import { adminPublicRoutes, adminRoutes } from '../admin/routes';
import { operatorRoutes } from '../operator/routes';
import { infoRoutes } from './InfoPages';
import { NotFoundPage } from './NotFoundPage';
import { Loading } from '../ui/Loading';
import { WelcomePage } from './WelcomePage';

function Home() {
  const { session } = useSession();
  if (session.status === 'loading') return <Loading />;
  if (session.status === 'signed-in') return <Navigate to={homeOf(session.me)} replace />;
  if (session.status === 'pending') return <Navigate to={pendingPath(session.next)} replace />;
  return <WelcomePage />;
}

const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { path: '/', element: <Home /> },
      { path: '/connexion', element: <LoginPage /> },
      { path: '/connexion/second-facteur', element: <SecondFactorPage /> },
      { path: '/compte/double-authentification', element: <EnrollPage /> },
      ...usagerPublicRoutes,
      ...adminPublicRoutes,
      ...infoRoutes,
      {
        element: <RequireRole allow={isSignedIn} />,
        children: [{ path: '/compte', element: <AccountPage /> }],
      },
      { element: <RequireRole allow={isUsager} />, children: usagerRoutes },
      { element: <RequireRole allow={isAgent} />, children: agentRoutes },
      { element: <RequireRole allow={usesConsole} />, children: adminRoutes },
      { element: <RequireRole allow={isOperator} />, children: operatorRoutes },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);

export function App() {
  return (
    <SessionProvider>
      <RouterProvider router={router} />
    </SessionProvider>
  );
}
