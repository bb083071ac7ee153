import type { Pool } from 'pg';
import { EVENT_SCHEMA_VERSIONS } from '@vigil/domain';
import type { RecordedEvent } from '@vigil/event-store';

/**
 * Writes an event at the next version of its stream, straight into the log (no event store: a projection's spec
 * feeds the projection itself), and returns it as a consumer's runner hands it over: its position and type.
 */
export async function appendToStream(pool: Pool, streamId: string, type: string, data: object): Promise<RecordedEvent> {
  const { rows } = await pool.query<{ position: string }>(
    `INSERT INTO events (stream_id, version, type, schema_version, data)
     SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4 FROM events WHERE stream_id = $1 RETURNING position`,
    [streamId, type, EVENT_SCHEMA_VERSIONS[type as keyof typeof EVENT_SCHEMA_VERSIONS], JSON.stringify(data)],
  );
  return { position: Number(rows[0].position), type } as RecordedEvent;
}
