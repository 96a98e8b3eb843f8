// The templates API as the templates page reads it (designer/templates/views.py), and what the page works out of it.

export interface TemplateProblem {
  location: string;
  path: string;
  message: string;
  code: string;
}

export interface TemplateTypeSummary {
  key: string | null;
  name: string | null;
  description: string;
  number_prefix: string | null;
  file: string;
  installed: boolean;
  installed_version: number | null;
}

export interface TemplateSummary {
  key: string;
  name: string;
  description: string;
  version: number | null;
  installed_version: number | null;
  valid: boolean;
  installed: boolean;
  teams: { key: string; name: string; description: string; exists: boolean }[];
  roles: { name: string; description: string; exists: boolean }[];
  calendars: { key: string; name: string; timezone: string; exists: boolean }[];
  ticket_types: TemplateTypeSummary[];
  /** Knowledge-base articles installing publishes (absent from servers before they were added). */
  knowledge_articles?: { key: string; title: string; visibility: 'everyone' | 'staff'; exists: boolean }[];
  problems: TemplateProblem[];
  warnings: TemplateProblem[];
}

export type PartKind = 'ticket_types' | 'teams' | 'roles' | 'calendars' | 'knowledge_articles';
export const PART_KINDS: PartKind[] = ['ticket_types', 'teams', 'roles', 'calendars', 'knowledge_articles'];
export type Parts = Record<PartKind, string[]>;

export interface InstallPlan {
  can_install: boolean;
  changes: boolean;
  create: Parts;
  existing: Parts;
  problems: TemplateProblem[];
  warnings: TemplateProblem[];
}

export interface TemplateDetails extends TemplateSummary {
  locale: string;
  definitions: { key: string | null; file: string; definition: Record<string, unknown> }[];
  plan: InstallPlan;
}

export interface InstallResult {
  template: { key: string; name: string; version: number | null };
  changed: boolean;
  created: Parts;
  skipped: { kind: string; key: string; reason: string }[];
}

/** Where a template stands on this instance, for its card's tag. */
export type TemplateStatus = 'broken' | 'installed' | 'outdated' | 'partly' | 'available';

export function templateStatus(template: TemplateSummary): TemplateStatus {
  if (!template.valid) return 'broken';
  if (template.installed_version !== null) {
    return template.version !== null && template.installed_version < template.version ? 'outdated' : 'installed';
  }
  return template.ticket_types.some((t) => t.installed) ? 'partly' : 'available';
}

/** What installing would create and what exists already, from a listed template (names as the reader sees them). */
export function summaryParts(template: TemplateSummary): { create: Parts; existing: Parts } {
  const create = emptyParts();
  const existing = emptyParts();
  for (const type of template.ticket_types) (type.installed ? existing : create).ticket_types.push(type.name ?? type.key ?? type.file);
  for (const team of template.teams) (team.exists ? existing : create).teams.push(team.name);
  for (const role of template.roles) (role.exists ? existing : create).roles.push(role.name);
  for (const calendar of template.calendars) (calendar.exists ? existing : create).calendars.push(calendar.name);
  for (const article of template.knowledge_articles ?? []) (article.exists ? existing : create).knowledge_articles.push(article.title);
  return { create, existing };
}

export function emptyParts(): Parts {
  return { ticket_types: [], teams: [], roles: [], calendars: [], knowledge_articles: [] };
}

export function countParts(parts: Parts): number {
  return PART_KINDS.reduce((sum, kind) => sum + parts[kind].length, 0);
}
