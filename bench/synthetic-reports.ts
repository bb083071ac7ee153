import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import {
  INCIDENT_TYPE_NAMES,
  incidentStreamId,
  nameKey,
  organizationStreamId,
  parsePartialDate,
  personStreamId,
  RECORDED_EVENT_TYPES,
  type IncidentDetails,
} from '@vigil/domain';

/** Details of every incident type: a new type fails to compile here until it has some. */
export const DETAILS: IncidentDetails = {
  arrest: { authority: 'security forces' },
  release: { conditions: 'bail' },
  ruling: { court: 'Revolutionary Court', branch: '15', outcome: 'sentence', sentence: '5 years' },
  execution: { facility: 'Central Prison' },
  harassment: { kind: 'summons' },
};
const TYPES = INCIDENT_TYPE_NAMES.map((type) => ({ eventType: RECORDED_EVENT_TYPES[type], details: DETAILS[type] }));

/**
 * Events in the shapes intake writes (the seed's: persons with memberships, organisations, incidents),
 * about people who do not exist. Inserted in bulk, straight into the log: the benchmarks that use them
 * measure the readers, not the writers.
 */
export async function insertSyntheticLog(pool: Pool, totalEvents: number, batch = 5_000): Promise<number> {
  const persons = Array.from({ length: Math.max(10, Math.floor(totalEvents / 20)) }, (_, i) => ({
    id: randomUUID(),
    name: `Fictional Person ${i}`,
  }));
  const organizations = Array.from({ length: Math.max(2, Math.floor(totalEvents / 500)) }, (_, i) => ({
    id: randomUUID(),
    name: `Fictional Society ${i}`,
  }));
  const rows: object[] = [];
  for (const o of organizations) {
    rows.push({
      stream_id: organizationStreamId(o.id),
      type: 'OrganizationRegistered',
      data: { organizationId: o.id, name: o.name, key: nameKey(o.name), incidentId: randomUUID() },
    });
  }
  persons.forEach((p, i) => {
    const incidentId = randomUUID();
    rows.push({
      stream_id: personStreamId(p.id),
      type: 'PersonRegistered',
      data: { personId: p.id, name: p.name, key: nameKey(p.name), incidentId },
    });
    rows.push({
      stream_id: personStreamId(p.id),
      type: 'AliasAdded',
      data: { subject: 'person', id: p.id, alias: `${p.name} Alias`, key: nameKey(`${p.name} Alias`), incidentId },
    });
    const org = organizations[i % organizations.length];
    rows.push({
      stream_id: personStreamId(p.id),
      type: 'MembershipRecorded',
      data: { personId: p.id, organizationId: org.id, role: 'member', incidentId },
    });
  });
  let n = 0;
  while (rows.length < totalEvents) rows.push(incidentRow(persons, organizations, n++));
  for (let i = 0; i < rows.length; i += batch) {
    await pool.query(
      `INSERT INTO events (stream_id, version, type, schema_version, data)
       SELECT stream_id, row_number() OVER (PARTITION BY stream_id ORDER BY ord)
                          + coalesce((SELECT max(version) FROM events e WHERE e.stream_id = r.stream_id), 0),
              type, 1, data
         FROM jsonb_to_recordset($1::jsonb) AS r(stream_id text, type text, data jsonb, ord int)`,
      [JSON.stringify(rows.slice(i, i + batch).map((row, ord) => ({ ...row, ord })))],
    );
  }
  return rows.length;
}

export function incidentRow(
  persons: { id: string; name: string }[],
  organizations: { id: string; name: string }[],
  n: number,
) {
  const { eventType: type, details } = TYPES[n % TYPES.length];
  const incidentId = randomUUID();
  const named = [persons[(n * 7) % persons.length], persons[(n * 13 + 1) % persons.length]];
  const org = organizations[n % organizations.length];
  const day = String((n % 28) + 1).padStart(2, '0');
  return {
    stream_id: incidentStreamId(incidentId),
    type,
    data: {
      incidentId,
      externalId: `bench-${n}`,
      occurredOn: parsePartialDate(`20${10 + (n % 15)}-${String((n % 12) + 1).padStart(2, '0')}-${day}`),
      persons: named.map((p) => ({ personId: p.id, name: p.name, key: nameKey(p.name) })),
      organizations: [{ organizationId: org.id, name: org.name, key: nameKey(org.name) }],
      location: 'Tehran',
      details,
      summary: 'A synthetic incident about fictional people, for measurements.',
      source: { name: 'Bench Monitor', status: 'confirmed' },
    },
  };
}
