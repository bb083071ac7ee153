/** The layering of docs/architecture.md ("Libraries and dependency rules"), checked by machine. */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'libs/domain is plain TypeScript: no framework, no database, no I/O.',
      severity: 'error',
      from: { path: '^libs/domain' },
      to: { path: ['node_modules/(@nestjs|typeorm|pg|ioredis|bullmq|nodemailer)', '^libs/(?!domain)', '^apps'] },
    },
    {
      name: 'libs-do-not-import-apps',
      severity: 'error',
      from: { path: '^libs' },
      to: { path: '^apps' },
    },
    {
      name: 'platform-uses-no-lib',
      comment: 'platform is used by every lib and uses none of them.',
      severity: 'error',
      from: { path: '^libs/platform' },
      to: { path: '^libs/(?!platform)' },
    },
    {
      name: 'event-store-knows-no-domain-above-it',
      severity: 'error',
      from: { path: '^libs/event-store' },
      to: { path: '^libs/(projections|alerts|delivery)' },
    },
    {
      name: 'apps-stay-apart',
      severity: 'error',
      from: { path: '^apps/api' },
      to: { path: '^apps/worker' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-test-code-in-production',
      severity: 'error',
      from: { path: '^(apps|libs)', pathNot: '\\.(spec|int-spec|serial-spec|e2e-spec)\\.ts$' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.(spec|int-spec|serial-spec|e2e-spec)\\.ts$' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
