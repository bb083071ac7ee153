import { INCIDENT_TYPE_NAMES, RECORDED_EVENT_TYPES, type IncidentTypeName } from '@vigil/domain';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { SQL } from './incident-events';

// The projections' CASE expressions are derived from the domain's table of incident types: these cases
// run them in PostgreSQL over an event of every type.

describe('the SQL derived from the table of incident types', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  async function evaluate(expression: string, type: string, details: object = {}): Promise<string | null> {
    const { rows } = await db.pool.query<{ value: string | null }>(
      `SELECT ${expression} AS value FROM (SELECT $1::text AS type, jsonb_build_object('details', $2::jsonb) AS data) e`,
      [type, JSON.stringify(details)],
    );
    return rows[0].value;
  }

  it('names the incident type of every recording event', async () => {
    const named = await Promise.all(
      INCIDENT_TYPE_NAMES.map((type) => evaluate(SQL.incidentType, RECORDED_EVENT_TYPES[type])),
    );
    expect(named).toEqual(INCIDENT_TYPE_NAMES);
    expect(await evaluate(SQL.incidentType, 'IncidentConfirmed')).toBeNull();
  });

  it.each([
    ['arrest', {}, 'detained'],
    ['release', {}, 'released'],
    ['execution', { facility: 'Ghezel Hesar' }, 'executed'],
    ['ruling', { court: 'Revolutionary Court', outcome: 'sentence' }, 'sentenced'],
    ['ruling', { court: 'Revolutionary Court', outcome: 'acquittal' }, null],
    ['ruling', { court: 'Revolutionary Court', outcome: 'dissolution' }, null],
    ['harassment', { kind: 'raid' }, null],
  ] as [IncidentTypeName, object, string | null][])(
    'gives the persons of %s %j the status %s',
    async (type, details, status) => {
      expect(await evaluate(SQL.personStatus, RECORDED_EVENT_TYPES[type], details)).toBe(status);
    },
  );
});
