// Parallel pass: unit specs, integration specs and e2e specs, each suite in its own database.
module.exports = {
  ...require('./jest.shared'),
  testRegex: '(\\.spec|\\.int-spec|\\.e2e-spec)\\.ts$',
  // Two suites at a time even on two cores: most of their time is spent waiting on PostgreSQL, Redis,
  // child processes and the browser, not on the CPU (jest's default would run one at a time here).
  maxWorkers: 2,
};
