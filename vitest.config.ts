import { defineConfig } from 'vitest/config';

// Two projects: `unit` is pure and in-process (the core, the CLI on in-memory or file directories,
// lint and help checks: seconds, `npm run test:unit`); `integration` starts real servers (slapd,
// SMTP, local GitHub), git repositories, Chromium and the built CLI. `npm test` runs both.
export default defineConfig({
  test: {
    // Adapter and scenario suites start real servers and git repositories; give them room.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/adapters/**/*.test.ts', 'test/scenarios/**/*.test.ts'],
          // dist/ is built once for every suite that runs bin/aac.js or the built workers.
          // Samba AD is provisioned once per run, on demand, into the folder this setup makes.
          globalSetup: ['test/helpers/build-once.ts', 'test/helpers/samba-global-setup.ts'],
        },
      },
    ],
  },
});
