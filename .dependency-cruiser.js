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
      name: 'i18n-is-pure',
      comment: 'libs/i18n holds the catalogues, digits and calendars: plain TypeScript, no framework, no other lib.',
      severity: 'error',
      from: { path: '^libs/i18n' },
      to: { path: ['node_modules/(@nestjs|typeorm|pg|ioredis|bullmq|nodemailer)', '^libs/(?!i18n)', '^apps'] },
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
      to: { path: '^libs/(consumers|projections|alerts|delivery)' },
    },
    {
      name: 'consumers-sit-on-the-event-store',
      comment: 'libs/consumers runs readers of the log; it knows the event store and platform, nothing built on it.',
      severity: 'error',
      from: { path: '^libs/consumers' },
      to: { path: '^libs/(?!consumers|event-store|platform)' },
    },
    {
      name: 'alerts-do-not-use-projections',
      comment: 'The alert router and the projections are both consumers: neither depends on the other.',
      severity: 'error',
      from: { path: '^libs/alerts' },
      to: { path: '^libs/projections' },
    },
    {
      name: 'projections-do-not-use-alerts',
      severity: 'error',
      from: { path: '^libs/projections' },
      to: { path: '^libs/(alerts|delivery)' },
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
