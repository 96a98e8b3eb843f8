import { lazy, Suspense, type ReactNode } from 'react';
import { Route, Routes } from 'react-router-dom';
import { FullPageSpinner, RequireAuth, RequireRole } from './auth/guards';
import AppLayout from './layout/AppLayout';
import HomePage from './pages/HomePage';
import LoginPage from './pages/LoginPage';
import NotFoundPage from './pages/NotFoundPage';

// Route-level code splitting: each of these becomes its own chunk, loaded
// on first visit. Later heavy pages (portal, agent workspace, designer)
// should be added the same way.
const ProfilePage = lazy(() => import('./pages/ProfilePage'));
const TokensPage = lazy(() => import('./pages/TokensPage'));
const UsersPage = lazy(() => import('./pages/admin/UsersPage'));
const TeamsPage = lazy(() => import('./pages/admin/TeamsPage'));
const TeamEditPage = lazy(() => import('./pages/admin/TeamEditPage'));
const RolesPage = lazy(() => import('./pages/admin/RolesPage'));

function Lazy({ children }: { children: ReactNode }) {
  return <Suspense fallback={<FullPageSpinner />}>{children}</Suspense>;
}

function Admin({ children }: { children: ReactNode }) {
  return (
    <RequireRole role="admin">
      <Lazy>{children}</Lazy>
    </RequireRole>
  );
}

export default function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        element={
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        }
      >
        <Route index element={<HomePage />} />
        <Route path="profile" element={<Lazy><ProfilePage /></Lazy>} />
        <Route path="tokens" element={<Lazy><TokensPage /></Lazy>} />
        <Route path="admin/users" element={<Admin><UsersPage /></Admin>} />
        <Route path="admin/teams" element={<Admin><TeamsPage /></Admin>} />
        <Route path="admin/teams/new" element={<Admin><TeamEditPage /></Admin>} />
        <Route path="admin/teams/:teamId" element={<Admin><TeamEditPage /></Admin>} />
        <Route path="admin/roles" element={<Admin><RolesPage /></Admin>} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
