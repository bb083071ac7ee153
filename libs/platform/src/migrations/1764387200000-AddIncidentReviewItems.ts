import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Possible duplicate incidents and open conflicts join the review list (docs/architecture.md, "What waits
 * for a person"). read_incidents gains `conflicts_since`: for each open conflict's field, where it waits since
 * (`{"occurredOn": {"position", "at"}}`, the first ConflictFlagged on the field since it was last resolved), the
 * order of the review list; rows projected before it are filled from the log the same way, so a rebuild gives
 * the same. Two partial indexes hold the few incidents that have something to review, so the list never reads
 * the incidents whole.
 */
export class AddIncidentReviewItems1764387200000 implements MigrationInterface {
  name = 'AddIncidentReviewItems1764387200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE read_incidents ADD COLUMN conflicts_since jsonb NOT NULL DEFAULT '{}'`);
    await db.query(`
      UPDATE read_incidents i
         SET conflicts_since = coalesce((
               SELECT jsonb_object_agg(c.field, jsonb_build_object('position', f.position, 'at', to_jsonb(f.recorded_at) #>> '{}'))
                 FROM (SELECT DISTINCT x->>'field' AS field FROM jsonb_array_elements(i.conflicts) x) c
                 CROSS JOIN LATERAL (
                   SELECT e.position, e.recorded_at FROM events e
                    WHERE e.stream_id = 'incident-' || i.id AND e.type = 'ConflictFlagged' AND e.data->>'field' = c.field
                      AND e.position > coalesce((SELECT max(r.position) FROM events r
                                                  WHERE r.stream_id = 'incident-' || i.id AND r.type = 'ConflictResolved'
                                                    AND r.data->>'field' = c.field), 0)
                    ORDER BY e.position LIMIT 1) f), '{}')
       WHERE i.conflicts <> '[]'::jsonb`);
    await db.query(
      `CREATE INDEX read_incidents_possible_duplicates ON read_incidents (position, id) WHERE possible_duplicates <> '[]'::jsonb`,
    );
    await db.query(`CREATE INDEX read_incidents_open_conflicts ON read_incidents (id) WHERE conflicts <> '[]'::jsonb`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX read_incidents_open_conflicts`);
    await db.query(`DROP INDEX read_incidents_possible_duplicates`);
    await db.query(`ALTER TABLE read_incidents DROP COLUMN conflicts_since`);
  }
}
