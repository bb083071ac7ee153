// Serial pass: specs that hold transactions open on purpose. An open transaction holds back the
// cluster-wide xmin horizon, which pauses log readers in every database, so these run alone, after the rest.
module.exports = {
  ...require('./jest.shared'),
  testRegex: '\\.serial-spec\\.ts$',
};
