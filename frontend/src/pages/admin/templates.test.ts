import { describe, expect, it } from 'vitest';
import { countParts, summaryParts, templateStatus, type TemplateSummary } from './templates';

function template(over: Partial<TemplateSummary> = {}): TemplateSummary {
  return {
    key: 'it-service-desk', name: 'IT service desk', description: '', version: 3, installed_version: null, valid: true,
    installed: false, problems: [], warnings: [],
    teams: [{ key: 'service-desk', name: 'Service desk', description: '', exists: true }, { key: 'network-ops', name: 'Network operations', description: '', exists: false }],
    roles: [{ name: 'executive', description: '', exists: false }],
    calendars: [],
    ticket_types: [
      { key: 'it-incident', name: 'IT incident', description: '', number_prefix: 'INC', file: 'it-incident.json', installed: false, installed_version: null },
      { key: 'it-request', name: null, description: '', number_prefix: 'REQ', file: 'it-request.json', installed: false, installed_version: null },
    ],
    ...over,
  };
}

describe('a template on its card', () => {
  it('says where it stands here', () => {
    expect(templateStatus(template())).toBe('available');
    expect(templateStatus(template({ installed_version: 3 }))).toBe('installed');
    expect(templateStatus(template({ installed_version: 2 }))).toBe('outdated');
    expect(templateStatus(template({ valid: false, installed_version: 3 }))).toBe('broken');
    const partly = template();
    partly.ticket_types[0]!.installed = true;
    expect(templateStatus(partly)).toBe('partly');
  });

  it('splits what install creates from what exists, by name', () => {
    const { create, existing } = summaryParts(template());
    expect(create).toEqual({ ticket_types: ['IT incident', 'it-request'], teams: ['Network operations'], roles: ['executive'], calendars: [] });
    expect(existing).toEqual({ ticket_types: [], teams: ['Service desk'], roles: [], calendars: [] });
    expect(countParts(create)).toBe(4);
    expect(countParts(existing)).toBe(1);
  });
});
