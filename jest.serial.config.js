// Serial pass: specs that hold transactions open on purpose (an open transaction holds back the cluster-wide
// xmin horizon, which pauses log readers in every database), and specs that run several API and worker
// processes at once, which need the machine's cores to themselves. These run alone, after the rest.
module.exports = {
  ...require('./jest.shared'),
  testRegex: '\\.serial-spec\\.ts$',
};
