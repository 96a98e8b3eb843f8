import { defineConfig } from 'vitest/config';

// Unit tests of pure front-end logic (the designer's model, the rule builder's conversions): Node, no DOM.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
