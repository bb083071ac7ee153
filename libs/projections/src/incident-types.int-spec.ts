import { randomUUID } from 'node:crypto';
import {
  INCIDENT_TYPE_NAMES,
  incidentStreamId,
  parsePartialDate,
  personStreamId,
  RECORDED_EVENT_TYPES,
  type IncidentTypeName,
} from '@vigil/domain';
import type { RecordedEvent } from '@vigil/event-store';
import { inTransaction } from '@vigil/platform';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import type { Projection } from './consumer';
import { IncidentsProjection } from './incidents.projection';
import { PersonsProjection } from './persons.projection';

// The projections receive the domain's table of incident types as statement parameters: these cases
// record an incident of every type through them and read what the read models made of it.

describe('the read models of every incident type', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  async function log(streamId: string, type: string, data: object): Promise<RecordedEvent> {
    const { rows } = await db.pool.query<{ position: string }>(
      `INSERT INTO events (stream_id, version, type, schema_version, data) VALUES ($1, 1, $2, 1, $3) RETURNING position`,
      [streamId, type, JSON.stringify(data)],
    );
    return { position: Number(rows[0].position), type } as RecordedEvent;
  }

  async function apply(projection: Projection, ...events: RecordedEvent[]): Promise<void> {
    await inTransaction(db.pool, (tx) => projection.applyBatch(events, tx));
  }

  /** A person, then an incident of `type` naming them, through both projections; its id and the person's. */
  async function recordIncident(type: IncidentTypeName, details: object) {
    const personId = randomUUID();
    const incidentId = randomUUID();
    const person = { personId, name: 'Fictional Person', key: 'fictionalperson' };
    const registered = await log(personStreamId(personId), 'PersonRegistered', { ...person, incidentId });
    const recorded = await log(incidentStreamId(incidentId), RECORDED_EVENT_TYPES[type], {
      incidentId,
      occurredOn: parsePartialDate('2024-05-01'),
      persons: [person],
      organizations: [],
      details,
      source: { name: 'Fictional Source', status: 'confirmed' },
    });
    await apply(new PersonsProjection(), registered, recorded);
    await apply(new IncidentsProjection(), recorded);
    return { personId, incidentId };
  }

  it.each(INCIDENT_TYPE_NAMES.map((type) => [type]))('lists an incident of type %s under that type', async (type) => {
    const { incidentId } = await recordIncident(type, {});
    const { rows } = await db.pool.query('SELECT type FROM read_incidents WHERE id = $1', [incidentId]);
    expect(rows).toEqual([{ type }]);
  });

  it.each([
    ['arrest', {}, 'detained'],
    ['release', {}, 'released'],
    ['execution', { facility: 'Fictional Prison' }, 'executed'],
    ['ruling', { court: 'Fictional Court', outcome: 'sentence' }, 'sentenced'],
    ['ruling', { court: 'Fictional Court', outcome: 'acquittal' }, 'unknown'],
    ['ruling', { court: 'Fictional Court', outcome: 'dissolution' }, 'unknown'],
    ['harassment', { kind: 'raid' }, 'unknown'],
  ] as [IncidentTypeName, object, string][])(
    'gives the persons of an incident of type %s with details %j the status %s',
    async (type, details, status) => {
      const { personId } = await recordIncident(type, details);
      const { rows } = await db.pool.query('SELECT status FROM read_persons WHERE id = $1', [personId]);
      expect(rows).toEqual([{ status }]);
    },
  );
});
