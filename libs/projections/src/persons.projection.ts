import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@vigil/event-store';
import type { Projection } from '@vigil/consumers';
import { isRecordedEventType, RECORDED_EVENT_TYPES } from '@vigil/domain';
import { CORROBORATION_TYPES, foldIncidents, incidentsOf, type FoldedIncident } from './incident-folds';
import { PERSON_STATUS_RULES_PARAM, positionsOf, RECORDED_TYPES, SQL } from './incident-events';
import { earliestOccurredOn, latestStatusFirst, statusKey } from './occurred-order';
import { appendAliases } from './subject-aliases';
import { unmergesAt, type Unmerge } from './unmerges';

/**
 * The status facts of incidents written again from their folds. $1: each fact as the fold makes it (its person,
 * incident, event type, details, dates, the position of the incident's recording event as its report, and
 * whether it is retracted); $2: PERSON_STATUS_RULES_PARAM; $3: the incidents. A fact the fold no longer makes is
 * deleted, one it makes anew is inserted, one that differs is updated, and the others are not written at all;
 * the answer is the person of each fact written. Deleting and inserting every fact of every touched incident,
 * as before, wrote an incident's facts again at each of its sources and confirmations, and its persons' status
 * with them (docs/scaling.md, "What a fold asked of every subject's stream").
 */
export const PERSON_FACTS_REFRESH_SQL = `
  WITH n AS (
    SELECT u.person_id, u.incident_id, rule.status, e.data->'occurredOn' AS occurred_on, ${SQL.occurredFrom} AS occurred_from,
           ${SQL.occurredTo} AS occurred_to, ${SQL.precisionRank} AS precision_rank, u.position, u.retracted
      FROM jsonb_to_recordset($1::jsonb) AS u(person_id uuid, incident_id uuid, event_type text, details jsonb,
                                              dates jsonb, position bigint, retracted boolean)
      JOIN jsonb_to_recordset($2::jsonb) AS rule(event_type text, status text, detail text, equals text)
        ON rule.event_type = u.event_type AND (rule.detail IS NULL OR u.details->>rule.detail = rule.equals)
      -- The fact's date: the earliest value while sources disagree on it.
     CROSS JOIN LATERAL (SELECT jsonb_build_object('occurredOn', ${earliestOccurredOn('u.dates')}) AS data) e
  ), o AS (
    SELECT f.* FROM read_person_status_facts f WHERE f.incident_id = ANY($3::uuid[])
  ), d AS (
    -- Each fact as the fold makes it beside the one stored: only stored, it is gone; only folded, it is new.
    -- One hash join of the two, not a probe of one for each row of the other (a batch's hundreds of facts).
    SELECT n.*, o.person_id AS stored_person, o.incident_id AS stored_incident,
           (o.status, o.occurred_on, o.occurred_from, o.occurred_to, o.precision_rank, o.position, o.retracted)
             IS DISTINCT FROM (n.status, n.occurred_on, n.occurred_from, n.occurred_to, n.precision_rank, n.position,
                               n.retracted) AS differs
      FROM n FULL JOIN o ON o.person_id = n.person_id AND o.incident_id = n.incident_id
  ), gone AS (
    DELETE FROM read_person_status_facts f USING d
     WHERE d.person_id IS NULL AND f.person_id = d.stored_person AND f.incident_id = d.stored_incident
    RETURNING f.person_id
  ), changed AS (
    UPDATE read_person_status_facts f
       SET status = d.status, occurred_on = d.occurred_on, occurred_from = d.occurred_from, occurred_to = d.occurred_to,
           precision_rank = d.precision_rank, position = d.position, retracted = d.retracted
      FROM d
     WHERE d.stored_person IS NOT NULL AND d.person_id IS NOT NULL AND d.differs
       AND f.person_id = d.person_id AND f.incident_id = d.incident_id
    RETURNING f.person_id
  ), added AS (
    INSERT INTO read_person_status_facts (person_id, incident_id, status, occurred_on, occurred_from, occurred_to,
                                          precision_rank, position, retracted)
    SELECT d.person_id, d.incident_id, d.status, d.occurred_on, d.occurred_from, d.occurred_to, d.precision_rank,
           d.position, d.retracted
      FROM d WHERE d.stored_person IS NULL
    ON CONFLICT DO NOTHING
    RETURNING person_id
  )
  SELECT person_id FROM gone UNION ALL SELECT person_id FROM changed UNION ALL SELECT person_id FROM added`;

/**
 * Persons: names, aliases, memberships, and the status of the latest non-retracted status-bearing
 * incident by occurredOn (not by arrival: a release reported before its arrest still ends 'released').
 * A new fact replaces the status when its sort key is greater; a retraction recomputes from the facts.
 * A day without a year gives the status only when no dated fact does (statusKey in occurred-order.ts).
 * An incident that a later source, a conflict or a merge changed has its facts written again from its
 * fold: its persons now, its date (the earliest value while disputed), none once merged away.
 */
export class PersonsProjection implements Projection {
  readonly name = 'persons';
  readonly handles = [
    'PersonRegistered',
    'AliasAdded',
    'MembershipRecorded',
    ...RECORDED_TYPES,
    'IncidentRetracted',
    ...CORROBORATION_TYPES,
    'SubjectUnmerged',
  ];
  readonly tables = ['read_persons', 'read_person_memberships', 'read_person_status_facts'];
  readonly readsData = false;

  async applyBatch(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    const registered = positionsOf(events, (type) => type === 'PersonRegistered');
    const memberships = positionsOf(events, (type) => type === 'MembershipRecorded');
    const recorded = positionsOf(events, isRecordedEventType);
    const retracted = positionsOf(events, (type) => type === 'IncidentRetracted');
    const aliases = positionsOf(events, (type) => type === 'AliasAdded');

    if (registered.length) {
      await tx.query(
        `INSERT INTO read_persons (id, name) SELECT (e.data->>'personId')::uuid, e.data->>'name' FROM events e
          WHERE e.position = ANY($1::bigint[]) ORDER BY e.position ON CONFLICT (id) DO NOTHING`,
        [registered],
      );
    }
    await appendAliases(tx, 'person', aliases);
    if (memberships.length) {
      await tx.query(
        `INSERT INTO read_person_memberships (person_id, organization_id, role, position)
         SELECT (e.data->>'personId')::uuid, (e.data->>'organizationId')::uuid, coalesce(e.data->>'role', ''), e.position
           FROM events e WHERE e.position = ANY($1::bigint[]) ON CONFLICT DO NOTHING`,
        [memberships],
      );
    }
    if (recorded.length) await this.addFacts(tx, recorded);
    if (retracted.length) await this.retract(tx, retracted);
    const changed = await incidentsOf(
      tx,
      positionsOf(events, (type) => (CORROBORATION_TYPES as readonly string[]).includes(type)),
    );
    if (changed.length) await this.refreshFacts(tx, await foldIncidents(tx, changed));
    const unmerges = await unmergesAt(
      tx,
      positionsOf(events, (type) => type === 'SubjectUnmerged'),
    );
    for (const unmerge of unmerges) if (unmerge.subject === 'person') await this.reattribute(tx, unmerge);
  }

  /**
   * Writes the status facts of incidents a later event touched from their folds (PERSON_FACTS_REFRESH_SQL), and
   * the status of each person whose facts changed. Most such events (a further source, a confirmation) change
   * no fact: nothing is written for them.
   */
  private async refreshFacts(tx: PoolClient, folds: Map<string, FoldedIncident>): Promise<void> {
    const incidents = [...folds.values()].filter((s) => s.status !== 'unrecorded');
    const facts = incidents.flatMap((s) => {
      const disputed = s.conflicts.find((c) => c.field === 'occurredOn');
      return s.persons.map((p) => ({
        person_id: p.personId,
        incident_id: s.incidentId,
        event_type: RECORDED_EVENT_TYPES[s.type!],
        details: s.details,
        dates: disputed ? disputed.values.map((v) => v.value) : [s.occurredOn],
        // The fact's report is the incident's recording event, as when it was first projected.
        position: s.position,
        retracted: s.status === 'retracted' || s.mergedInto !== undefined,
      }));
    });
    const { rows } = await tx.query<{ person_id: string }>(PERSON_FACTS_REFRESH_SQL, [
      JSON.stringify(facts),
      PERSON_STATUS_RULES_PARAM,
      incidents.map((s) => s.incidentId),
    ]);
    const persons = [...new Set(rows.map((row) => row.person_id))];
    if (persons.length) await this.recomputeStatus(tx, persons);
  }

  /**
   * An unmerge gives back the status facts of the incidents recorded against the survivor, while the merge
   * stood, under one of the unmerged person's keys (as the incidents projection gives back the incidents).
   */
  private async reattribute(tx: PoolClient, unmerge: Unmerge): Promise<void> {
    const { rows } = await tx.query<{ incident_id: string }>(
      `DELETE FROM read_person_status_facts f USING events e
        WHERE f.person_id = $1::uuid AND f.position > $3 AND f.position < $4 AND e.position = f.position
          AND EXISTS (SELECT 1 FROM jsonb_array_elements(e.data->'persons') p
                       WHERE p->>'personId' = $1::text AND p->>'key' = ANY($2::text[]))
        RETURNING f.person_id, f.incident_id, f.status, f.occurred_on, f.occurred_from, f.occurred_to,
                  f.precision_rank, f.position, f.retracted`,
      [unmerge.from, unmerge.keys, unmerge.mergedAt, unmerge.position],
    );
    if (!rows.length) return;
    await tx.query(
      `INSERT INTO read_person_status_facts (person_id, incident_id, status, occurred_on, occurred_from, occurred_to,
                                             precision_rank, position, retracted)
       SELECT $1::uuid, incident_id, status, occurred_on, occurred_from, occurred_to, precision_rank, position, retracted
         FROM jsonb_populate_recordset(null::read_person_status_facts, $2::jsonb)
       ON CONFLICT DO NOTHING`,
      [unmerge.id, JSON.stringify(rows)],
    );
    await this.recomputeStatus(tx, [unmerge.from, unmerge.id]);
  }

  private async addFacts(tx: PoolClient, positions: number[]): Promise<void> {
    await tx.query(
      `WITH facts AS (
         INSERT INTO read_person_status_facts (person_id, incident_id, status, occurred_on, occurred_from, occurred_to, precision_rank, position)
         SELECT (p->>'personId')::uuid, (e.data->>'incidentId')::uuid, rule.status, e.data->'occurredOn',
                ${SQL.occurredFrom}, ${SQL.occurredTo}, ${SQL.precisionRank}, e.position
           FROM events e
           -- $2: the status each incident type gives its persons (PERSON_STATUS_RULES_PARAM); no rule, no fact
           JOIN jsonb_to_recordset($2::jsonb) AS rule(event_type text, status text, detail text, equals text)
             ON rule.event_type = e.type AND (rule.detail IS NULL OR e.data->'details'->>rule.detail = rule.equals)
          CROSS JOIN LATERAL jsonb_array_elements(e.data->'persons') p
          WHERE e.position = ANY($1::bigint[])
         ON CONFLICT DO NOTHING
         RETURNING *
       ), best AS (
         SELECT DISTINCT ON (person_id) * FROM facts ORDER BY person_id, ${latestStatusFirst('facts')}
       )
       UPDATE read_persons p
          SET status = b.status, status_since = b.occurred_on, status_incident_id = b.incident_id,
              status_from = b.occurred_from, status_rank = b.precision_rank, status_to = b.occurred_to, status_position = b.position
         FROM best b
        WHERE p.id = b.person_id
          AND (p.status_from IS NULL
               -- the person's current status fact, by the same key, as stored on the person
               OR ${statusKey('b.occurred_from', 'b.precision_rank', 'b.position')}
                  > ${statusKey('p.status_from', 'p.status_rank', 'p.status_position')})`,
      [positions, PERSON_STATUS_RULES_PARAM],
    );
  }

  private async retract(tx: PoolClient, positions: number[]): Promise<void> {
    // Two statements: the second must see the first's change, which a data-modifying CTE would hide from it.
    const { rows } = await tx.query<{ person_id: string }>(
      `UPDATE read_person_status_facts f SET retracted = true FROM events e
        WHERE e.position = ANY($1::bigint[]) AND f.incident_id = (e.data->>'incidentId')::uuid
        RETURNING f.person_id`,
      [positions],
    );
    if (!rows.length) return;
    await this.recomputeStatus(tx, [...new Set(rows.map((row) => row.person_id))]);
  }

  /** Each person's status from their facts again, the latest not retracted. */
  private async recomputeStatus(tx: PoolClient, personIds: string[]): Promise<void> {
    await tx.query(
      `UPDATE read_persons p
          SET status = coalesce(latest.status, 'unknown'), status_since = latest.occurred_on, status_incident_id = latest.incident_id,
              status_from = latest.occurred_from, status_rank = latest.precision_rank, status_to = latest.occurred_to,
              status_position = latest.position
         FROM unnest($1::uuid[]) AS t(person_id)
         LEFT JOIN LATERAL (
           SELECT * FROM read_person_status_facts f WHERE f.person_id = t.person_id AND NOT f.retracted ORDER BY ${latestStatusFirst('f')} LIMIT 1
         ) latest ON true
        WHERE p.id = t.person_id`,
      [personIds],
    );
  }
}
