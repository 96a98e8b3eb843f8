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
    expect(create).toEqual({ ticket_types: ['IT incident', 'it-request'], teams: ['Network operations'], roles: ['executive'], calendars: [], knowledge_articles: [] });
    expect(existing).toEqual({ ticket_types: [], teams: ['Service desk'], roles: [], calendars: [], knowledge_articles: [] });
    expect(countParts(create)).toBe(4);
    expect(countParts(existing)).toBe(1);
  });

  it('counts the seed articles of the knowledge base, by title', () => {
    const { create, existing } = summaryParts(template({ knowledge_articles: [
      { key: 'printer-network', title: 'Printer cannot connect to the network', visibility: 'everyone', exists: false },
      { key: 'password-reset', title: 'How to reset your password', visibility: 'everyone', exists: true }] }));
    expect(create.knowledge_articles).toEqual(['Printer cannot connect to the network']);
    expect(existing.knowledge_articles).toEqual(['How to reset your password']);
    expect(countParts(existing)).toBe(2);
  });
});
