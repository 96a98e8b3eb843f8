import type { ReactNode } from 'react';
import { Navigate } from 'react-router-dom';
import { useAuth } from '../auth/AuthContext';

/** Roles that work tickets or run the platform; everyone else (requesters) uses the portal. */
export const STAFF_ROLES = ['agent', 'admin', 'designer'] as const;

export function useIsStaff(): boolean {
  const { hasRole } = useAuth();
  return STAFF_ROLES.some((role) => hasRole(role));
}

/** The start page: staff get `home`; a requester goes straight to the portal, where her work is. */
export default function Landing({ home }: { home: ReactNode }) {
  const staff = useIsStaff();
  return staff ? <>{home}</> : <Navigate to="/portal" replace />;
}
