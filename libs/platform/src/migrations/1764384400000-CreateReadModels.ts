import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read models of the admin API. Each projection owns its tables (and clears only those on rebuild);
 * queries may join across them, projections never read another's tables.
 */
export class CreateReadModels1764384400000 implements MigrationInterface {
  name = 'CreateReadModels1764384400000';

  async up(db: QueryRunner): Promise<void> {
    // incidents projection
    await db.query(`
      CREATE TABLE read_incidents (
        id                uuid PRIMARY KEY,
        type              text        NOT NULL,
        occurred_on       jsonb       NOT NULL,
        occurred_from     date        NOT NULL,
        occurred_to       date        NOT NULL,
        precision_rank    smallint    NOT NULL,
        persons           jsonb       NOT NULL,
        organizations     jsonb       NOT NULL,
        location          text,
        details           jsonb       NOT NULL,
        summary           text,
        source            jsonb       NOT NULL,
        source_id         text,
        external_id       text,
        status            text        NOT NULL DEFAULT 'recorded',
        confirmed_by      jsonb,
        retraction_reason text,
        recorded_at       timestamptz NOT NULL,
        position          bigint      NOT NULL
      )`);
    await db.query(
      `CREATE INDEX read_incidents_newest ON read_incidents (occurred_from DESC, precision_rank DESC, position DESC)`,
    );
    await db.query(`
      CREATE TABLE read_incident_subjects (
        -- Person and organisation ids are uuids of one space: no kind column, so the key stays narrow
        -- (a rebuild writes two or three of these rows per incident).
        subject_id   uuid NOT NULL,
        incident_id  uuid NOT NULL,
        PRIMARY KEY (subject_id, incident_id)
      )`);

    // persons projection
    await db.query(`
      CREATE TABLE read_persons (
        id            uuid PRIMARY KEY,
        name          text   NOT NULL,
        aliases       text[] NOT NULL DEFAULT '{}',
        status        text   NOT NULL DEFAULT 'unknown',
        status_since  jsonb,
        status_incident_id uuid,
        -- The sort key of the incident the status comes from: a newer fact wins by a comparison, no re-scan.
        status_from      date,
        status_rank      smallint,
        status_to        date,
        status_position  bigint
      )`);
    await db.query(`
      CREATE TABLE read_person_memberships (
        person_id        uuid NOT NULL,
        organization_id  uuid NOT NULL,
        role             text NOT NULL DEFAULT '',
        position         bigint NOT NULL,
        PRIMARY KEY (person_id, organization_id, role)
      )`);
    await db.query(`CREATE INDEX read_person_memberships_by_org ON read_person_memberships (organization_id)`);
    // What the person's status is computed from: status-bearing incidents, retracted or not.
    await db.query(`
      CREATE TABLE read_person_status_facts (
        person_id       uuid     NOT NULL,
        incident_id     uuid     NOT NULL,
        status          text     NOT NULL,
        occurred_on     jsonb    NOT NULL,
        occurred_from   date     NOT NULL,
        occurred_to     date     NOT NULL,
        precision_rank  smallint NOT NULL,
        position        bigint   NOT NULL,
        retracted       boolean  NOT NULL DEFAULT false,
        PRIMARY KEY (person_id, incident_id)
      )`);
    await db.query(`CREATE INDEX read_person_status_facts_incident ON read_person_status_facts (incident_id)`);

    // organizations projection
    await db.query(`
      CREATE TABLE read_organizations (
        id       uuid PRIMARY KEY,
        name     text   NOT NULL,
        aliases  text[] NOT NULL DEFAULT '{}',
        status   text   NOT NULL DEFAULT 'active'
      )`);
    await db.query(`
      CREATE TABLE read_organization_dissolutions (
        organization_id  uuid    NOT NULL,
        incident_id      uuid    NOT NULL,
        retracted        boolean NOT NULL DEFAULT false,
        PRIMARY KEY (organization_id, incident_id)
      )`);
    await db.query(
      `CREATE INDEX read_organization_dissolutions_incident ON read_organization_dissolutions (incident_id)`,
    );

    // name-index projection: every name and alias by normalised key, for search and watch matching
    await db.query(`
      CREATE TABLE read_name_index (
        subject     text NOT NULL,
        key         text NOT NULL,
        subject_id  uuid NOT NULL,
        name        text NOT NULL,
        PRIMARY KEY (subject, key, subject_id)
      )`);
    await db.query(`CREATE INDEX read_name_index_prefix ON read_name_index (key text_pattern_ops)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'read_name_index',
      'read_organization_dissolutions',
      'read_organizations',
      'read_person_status_facts',
      'read_person_memberships',
      'read_persons',
      'read_incident_subjects',
      'read_incidents',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
