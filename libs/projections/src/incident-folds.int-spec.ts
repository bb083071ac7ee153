import { randomUUID } from 'node:crypto';
import { personStreamId, STREAM_ID_PREFIXES } from '@vigil/domain';
import { planNodes, type PlanNode } from '../../../test/support/generic-plan';
import { appendToStream } from '../../../test/support/stream-append';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { UNMERGES_OF_SUBJECTS_SQL } from './incident-folds';

// A fold asks, for every subject its incidents name, whether an unmerge released someone from it: nearly
// always no. That question must not read the subjects' streams, which lie all over the log (docs/scaling.md).

describe('the unmerges a fold asks about', () => {
  let db: TestDatabase;
  const persons = Array.from({ length: 40 }, () => randomUUID());
  const [survivor, released] = [persons[0], randomUUID()];

  const append = (streamId: string, type: string, data: object) => appendToStream(db.pool, streamId, type, data);

  beforeAll(async () => {
    db = await createTestDatabase();
    for (const id of persons) {
      const name = `Fictional Person ${id.slice(0, 8)}`;
      await append(personStreamId(id), 'PersonRegistered', { personId: id, name, key: id, incidentId: randomUUID() });
      await append(personStreamId(id), 'AliasAdded', { subject: 'person', id, alias: `${name} Alias`, key: `a${id}` });
    }
    const keys = ['fictionalreleased'];
    await append(personStreamId(released), 'SubjectUnmerged', {
      subject: 'person',
      id: released,
      from: survivor,
      keys,
      mergedAt: 1,
    });
    await append(personStreamId(survivor), 'SubjectReleased', { subject: 'person', id: survivor, released, keys });
  });
  afterAll(() => db.drop());

  const streams = () => persons.map(personStreamId);
  const prefixes = JSON.stringify(STREAM_ID_PREFIXES);

  it('finds the unmerge that released someone from one of the subjects', async () => {
    const { rows } = await db.pool.query(UNMERGES_OF_SUBJECTS_SQL, [streams(), prefixes]);
    expect(rows.map((row) => row.data)).toEqual([
      { subject: 'person', id: released, from: survivor, keys: ['fictionalreleased'], mergedAt: 1 },
    ]);
  });

  it("finds the releases and their unmerges by the index of unmerges, not by reading each subject's stream", async () => {
    const client = await db.pool.connect();
    try {
      // As on a grown log, where reading a table whole is out of the question.
      await client.query('SET enable_seqscan = off');
      const { rows } = await client.query(`EXPLAIN (FORMAT JSON) ${UNMERGES_OF_SUBJECTS_SQL}`, [streams(), prefixes]);
      // Each read of the log (the releases r, the unmerges u), and what it reads through: a bitmap scan has its
      // index below it.
      const reads = planNodes(rows[0]['QUERY PLAN'][0].Plan as PlanNode).filter(
        (node) => node['Relation Name'] === 'events',
      );
      expect(reads.map((node) => node.Alias).sort()).toEqual(['r', 'u']);
      for (const read of reads)
        expect(planNodes(read).flatMap((node) => node['Index Name'] ?? [])).toEqual(['events_unmerges']);
    } finally {
      await client.query('RESET enable_seqscan');
      client.release();
    }
  });
});
