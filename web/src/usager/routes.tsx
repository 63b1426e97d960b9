import type { RouteObject } from 'react-router';
import { CaseDetailPage } from './CaseDetailPage';
import { ConsultationsPage } from './ConsultationsPage';
import { IdentityGate } from './IdentityGate';
import { MyCasesPage } from './MyCasesPage';
import { MyDataPage } from './MyDataPage';
import { NewRequestPage } from './NewRequestPage';
import { NewPasswordPage } from './public/NewPasswordPage';
import { SignUpPage } from './public/SignUpPage';
import { ConfirmEmailChangePage, ForgotPasswordPage, VerifyEmailPage } from './public/TokenPages';
import { MyMandatesPage } from '../mandates/MyMandatesPage';
import './usager.css';

/** Pages of the usager's space, under /mon-espace (shown to signed-in usagers only). */
export const usagerRoutes: RouteObject[] = [
  {
    // A new account declares its identity before anything else.
    element: <IdentityGate />,
    children: [
      { path: '/mon-espace', element: <MyCasesPage /> },
      { path: '/mon-espace/nouvelle-demande', element: <NewRequestPage /> },
      { path: '/mon-espace/dossiers/:caseId', element: <CaseDetailPage /> },
      { path: '/mon-espace/dossiers/:caseId/modifier', element: <NewRequestPage /> },
      { path: '/mon-espace/consultations', element: <ConsultationsPage /> },
      { path: '/mon-espace/mes-donnees', element: <MyDataPage /> },
      { path: '/mon-espace/mandats', element: <MyMandatesPage /> },
    ],
  },
];

/** Pages reached signed out: sign-up, e-mail confirmation, forgotten password. */
export const usagerPublicRoutes: RouteObject[] = [
  { path: '/inscription', element: <SignUpPage /> },
  { path: '/compte/verifier-adresse', element: <VerifyEmailPage /> },
  { path: '/mot-de-passe-oublie', element: <ForgotPasswordPage /> },
  { path: '/compte/nouveau-mot-de-passe', element: <NewPasswordPage /> },
  { path: '/confirmer-adresse', element: <ConfirmEmailChangePage /> },
];
