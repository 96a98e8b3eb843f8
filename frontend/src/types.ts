// Shapes of the back end's JSON (see the API contract under /api/v1).

export type Locale = 'en' | 'zh-CN';

export interface User {
  id: number;
  email: string;
  name: string;
  active: boolean;
  locale: Locale;
  time_zone: string;
  roles: string[];
  created_at: string;
  last_login_at: string | null;
}

export interface UserRef {
  id: number;
  name: string;
  email: string;
}

export interface SessionResponse {
  user: User;
  csrf_token: string;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface ItemList<T> {
  items: T[];
}

export interface Role {
  name: string;
  built_in: boolean;
  description: string;
}

export interface Team {
  id: number;
  key: string;
  name: string;
  description: string;
  supervisor: UserRef | null;
  manager: UserRef | null;
  members: UserRef[];
  created_at: string;
}

export interface RosterEntry {
  id: number;
  user: UserRef;
  starts_at: string;
  ends_at: string;
}

export interface OnDuty {
  at: string;
  users: UserRef[];
}

export interface ApiToken {
  id: number;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface NewApiToken {
  token: ApiToken;
  secret: string;
}
