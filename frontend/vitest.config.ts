import { defineConfig } from 'vitest/config';

// Unit tests of pure front-end logic (no DOM): `npm test`, run by `make test`.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
