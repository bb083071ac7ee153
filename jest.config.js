// Parallel pass: unit specs, integration specs and e2e specs, each suite in its own database.
module.exports = {
  ...require('./jest.shared'),
  testRegex: '(\\.spec|\\.int-spec|\\.e2e-spec)\\.ts$',
};
