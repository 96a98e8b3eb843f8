import { lazy, Suspense, type ReactNode } from 'react';
import { Route, Routes } from 'react-router-dom';
import { FullPageSpinner, RequireAuth, RequireRole } from './auth/guards';
import AppLayout from './layout/AppLayout';
import Landing from './layout/Landing';
import NotFoundPage from './pages/NotFoundPage';

// Route-level code splitting: each of these becomes its own chunk, loaded
// on first visit, so the portal's first load carries no admin, workspace
// or form-rendering code. Later heavy pages (designer, charts) are added
// the same way.
const LoginPage = lazy(() => import('./pages/LoginPage'));
const ForgotPasswordPage = lazy(() => import('./pages/PasswordPages').then((m) => ({ default: m.ForgotPasswordPage })));
const SetPasswordPage = lazy(() => import('./pages/PasswordPages').then((m) => ({ default: m.SetPasswordPage })));
const ApprovalLinkPage = lazy(() => import('./pages/ApprovalLinkPage'));
const SurveyLinkPage = lazy(() => import('./pages/SurveyLinkPage'));
const StatusLinkPage = lazy(() => import('./pages/StatusLinkPage'));
const FollowUpsPage = lazy(() => import('./pages/FollowUpsPage'));
const HomePage = lazy(() => import('./pages/HomePage'));
const ProfilePage = lazy(() => import('./pages/ProfilePage'));
const TokensPage = lazy(() => import('./pages/TokensPage'));
const UsersPage = lazy(() => import('./pages/admin/UsersPage'));
const TeamsPage = lazy(() => import('./pages/admin/TeamsPage'));
const TeamEditPage = lazy(() => import('./pages/admin/TeamEditPage'));
const RolesPage = lazy(() => import('./pages/admin/RolesPage'));
const IntakePage = lazy(() => import('./pages/admin/IntakePage'));
const TemplatesPage = lazy(() => import('./pages/admin/TemplatesPage'));
const TemplateUpgradePage = lazy(() => import('./pages/admin/templateUpgrade/TemplateUpgradePage'));
const SystemPage = lazy(() => import('./pages/admin/console/SystemPage'));
const AuditPage = lazy(() => import('./pages/admin/console/AuditPage'));
const AdminNotificationsPage = lazy(() => import('./pages/admin/console/NotificationsPage'));
const PortalHome = lazy(() => import('./pages/portal/PortalHome'));
const NewTicketPage = lazy(() => import('./pages/portal/NewTicketPage'));
const MyTicketsPage = lazy(() => import('./pages/portal/MyTicketsPage'));
const TicketPage = lazy(() => import('./pages/TicketPage'));
const WorkspacePage = lazy(() => import('./pages/workspace/WorkspacePage'));
const DesignerRoutes = lazy(() => import('./designer/DesignerRoutes'));
const CalendarsPage = lazy(() => import('./designer/flow/CalendarsPage'));
// plotly.js is imported by the charts page itself, on first draw: a chunk of its own.
const ChartsPage = lazy(() => import('./pages/reports/ChartsPage'));
const DashboardsPage = lazy(() => import('./pages/reports/dashboards/DashboardsPage'));
const PeriodicReportsPage = lazy(() => import('./pages/reports/periodic/PeriodicReportsPage'));
const KnowledgePages = lazy(() => import('./knowledge/KnowledgePages'));

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

/** Agents and admins. */
function Staff({ children }: { children: ReactNode }) {
  return (
    <RequireRole role={['agent', 'admin']}>
      <Lazy>{children}</Lazy>
    </RequireRole>
  );
}

/** The designer: for designers and admins. */
function Designer({ children }: { children: ReactNode }) {
  return (
    <RequireRole role={['designer', 'admin']}>
      <Lazy>{children}</Lazy>
    </RequireRole>
  );
}

export default function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<Lazy><LoginPage /></Lazy>} />
      <Route path="/forgot-password" element={<Lazy><ForgotPasswordPage /></Lazy>} />
      <Route path="/set-password" element={<Lazy><SetPasswordPage /></Lazy>} />
      <Route path="/approval-link" element={<Lazy><ApprovalLinkPage /></Lazy>} />
      <Route path="/survey" element={<Lazy><SurveyLinkPage /></Lazy>} />
      <Route path="/status" element={<Lazy><StatusLinkPage /></Lazy>} />
      <Route
        element={
          <RequireAuth>
            <AppLayout />
          </RequireAuth>
        }
      >
        <Route index element={<Landing home={<Lazy><HomePage /></Lazy>} />} />
        <Route path="profile" element={<Lazy><ProfilePage /></Lazy>} />
        <Route path="tokens" element={<Lazy><TokensPage /></Lazy>} />
        <Route path="portal" element={<Lazy><PortalHome /></Lazy>} />
        <Route path="portal/new/:key" element={<Lazy><NewTicketPage /></Lazy>} />
        <Route path="portal/tickets" element={<Lazy><MyTicketsPage /></Lazy>} />
        <Route path="tickets/:ticketId" element={<Lazy><TicketPage /></Lazy>} />
        <Route path="workspace" element={<Lazy><WorkspacePage /></Lazy>} />
        <Route path="reports/dashboards" element={<Staff><DashboardsPage /></Staff>} />
        <Route path="reports/charts" element={<Staff><ChartsPage /></Staff>} />
        <Route path="reports/periodic" element={<Staff><PeriodicReportsPage /></Staff>} />
        <Route path="reports/charts/:key" element={<Staff><ChartsPage /></Staff>} />
        <Route path="knowledge/*" element={<Lazy><KnowledgePages /></Lazy>} />
        <Route path="follow-ups" element={<Lazy><FollowUpsPage /></Lazy>} />
        <Route path="designer/*" element={<Designer><DesignerRoutes /></Designer>} />
        <Route path="admin/users" element={<Admin><UsersPage /></Admin>} />
        <Route path="admin/teams" element={<Admin><TeamsPage /></Admin>} />
        <Route path="admin/teams/new" element={<Admin><TeamEditPage /></Admin>} />
        <Route path="admin/teams/:teamId" element={<Admin><TeamEditPage /></Admin>} />
        <Route path="admin/roles" element={<Admin><RolesPage /></Admin>} />
        <Route path="admin/calendars" element={<Admin><CalendarsPage /></Admin>} />
        <Route path="admin/intake" element={<Admin><IntakePage /></Admin>} />
        <Route path="admin/templates" element={<Admin><TemplatesPage /></Admin>} />
        <Route path="admin/templates/:name/upgrade" element={<Admin><TemplateUpgradePage /></Admin>} />
        <Route path="admin/system" element={<Admin><SystemPage /></Admin>} />
        <Route path="admin/audit" element={<Admin><AuditPage /></Admin>} />
        <Route path="admin/notifications" element={<Admin><AdminNotificationsPage /></Admin>} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
