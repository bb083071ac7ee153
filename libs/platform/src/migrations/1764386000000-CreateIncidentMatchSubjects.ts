import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The write side's index of incidents by what the matching rule compares first: the incident type and
 * each person or organisation an incident names (apps/api/src/intake/incident-match-index.ts owns it;
 * docs/decisions/0014-one-incident-however-many-sources.md). The intake finds a report's candidate
 * incidents here, under a lock on the same (type, subject) pairs, and writes its rows in the transaction
 * of the append, so it never lags behind the log as a read model would.
 *
 * Filled here from the incidents recorded so far (before this migration only the recording events name
 * subjects). The event types are written out: a migration is a snapshot, it does not follow later tables.
 */
export class CreateIncidentMatchSubjects1764386000000 implements MigrationInterface {
  name = 'CreateIncidentMatchSubjects1764386000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE incident_match_subjects (
        incident_type  text NOT NULL,
        subject        text NOT NULL CHECK (subject IN ('person', 'organization')),
        subject_id     uuid NOT NULL,
        incident_id    uuid NOT NULL,
        PRIMARY KEY (incident_type, subject, subject_id, incident_id)
      )`);
    await db.query(`
      INSERT INTO incident_match_subjects (incident_type, subject, subject_id, incident_id)
      SELECT t.incident_type, s.subject, s.subject_id, (e.data->>'incidentId')::uuid
        FROM events e
        JOIN (VALUES ('ArrestRecorded', 'arrest'), ('ReleaseRecorded', 'release'), ('RulingRecorded', 'ruling'),
                     ('ExecutionRecorded', 'execution'), ('HarassmentRecorded', 'harassment')) AS t(event_type, incident_type)
          ON t.event_type = e.type
        CROSS JOIN LATERAL (
          SELECT 'person' AS subject, (p->>'personId')::uuid AS subject_id FROM jsonb_array_elements(e.data->'persons') p
          UNION ALL
          SELECT 'organization', (o->>'organizationId')::uuid FROM jsonb_array_elements(e.data->'organizations') o
        ) s
      ON CONFLICT DO NOTHING`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE incident_match_subjects`);
  }
}
