import { describe, expect, it } from 'vitest';
import { preferencesBody } from './NotificationPreferencesCard';

describe('preferencesBody', () => {
  it('keeps in-app on for every kind and adds email where chosen', () => {
    expect(preferencesBody(false, [{ kind: 'assigned', email: true }, { kind: 'mentioned', email: false }])).toEqual({
      in_app: true,
      email: false,
      kinds: { assigned: ['in_app', 'email'], mentioned: ['in_app'] },
    });
  });
});
