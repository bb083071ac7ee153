import type { PoolClient } from 'pg';
import { INCIDENT_TYPE_BY_EVENT, isRecordedEventType, RECORDED_EVENT_TYPES } from '@vigil/domain';
import type { RecordedEvent } from '@vigil/event-store';
import type { Consumer } from '@vigil/consumers';
import type { DeliveryQueues, QueuedDelivery } from './delivery-queues';
import { shareWithRouting } from './erasure-lock';
import { incidentPayload, type RecordedIncidentEvent } from './incident-payload';
import { inMergeGroups, isMergeEvent, learnMerge, MERGE_EVENTS } from './alert-subject-merges';

export const ALERT_ROUTER = 'alert-router';

const SUBJECT_EVENTS = ['PersonRegistered', 'OrganizationRegistered', 'AliasAdded', 'MembershipRecorded'];

/** The corrections an admin makes, routed to whoever was alerted about the incident. */
const isCorrection = (type: string): boolean => type === 'IncidentConfirmed' || type === 'IncidentRetracted';

/**
 * Turns incident events into delivery rows, one per (subscription, incident, alert type): unique, so a
 * replay writes nothing new and sends nothing twice. It keeps its own copy of subject keys and
 * memberships (never another consumer's tables), and enqueues a job per new row after its commit.
 * Never rebuilt: replayed against today's subscriptions it would alert new subscribers about old incidents.
 */
export class AlertRouter implements Consumer {
  readonly name = ALERT_ROUTER;
  readonly handles = [
    ...SUBJECT_EVENTS,
    ...Object.values(RECORDED_EVENT_TYPES),
    'IncidentConfirmed',
    'IncidentRetracted',
    ...MERGE_EVENTS,
  ];
  private routed: QueuedDelivery[] = [];

  constructor(private readonly queues: DeliveryQueues) {}

  async applyBatch(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    this.routed = [];
    await this.learnSubjects(events, tx);
    if (events.some(({ type }) => isRecordedEventType(type) || isCorrection(type))) await shareWithRouting(tx);
    // In log order: an incident recorded and corrected in one batch is routed before its correction.
    for (const event of events) {
      if (isRecordedEventType(event.type)) {
        this.routed.push(...(await this.routeRecorded(event as RecordedIncidentEvent, tx)));
      } else if (isCorrection(event.type)) {
        this.routed.push(...(await this.routeCorrection(event, tx)));
      } else if (isMergeEvent(event.type)) {
        await learnMerge(event, tx);
      }
    }
  }

  async afterCommit(): Promise<void> {
    const routed = this.routed;
    this.routed = [];
    await this.queues.enqueue(routed);
  }

  private async learnSubjects(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    const keys = [];
    const memberships = [];
    for (const { type, data } of events) {
      const d = data as Record<string, string>;
      if (type === 'PersonRegistered') keys.push({ subject: 'person', key: d.key, subject_id: d.personId });
      else if (type === 'OrganizationRegistered')
        keys.push({ subject: 'organization', key: d.key, subject_id: d.organizationId });
      else if (type === 'AliasAdded') keys.push({ subject: d.subject, key: d.key, subject_id: d.id });
      else if (type === 'MembershipRecorded')
        memberships.push({ person_id: d.personId, organization_id: d.organizationId });
    }
    if (keys.length) {
      await tx.query(
        `INSERT INTO alert_subject_keys (subject, key, subject_id)
         SELECT subject, key, subject_id FROM jsonb_to_recordset($1::jsonb) AS r(subject text, key text, subject_id uuid)
         ON CONFLICT DO NOTHING`,
        [JSON.stringify(keys)],
      );
    }
    if (memberships.length) {
      await tx.query(
        `INSERT INTO alert_memberships (person_id, organization_id)
         SELECT person_id, organization_id FROM jsonb_to_recordset($1::jsonb) AS r(person_id uuid, organization_id uuid)
         ON CONFLICT DO NOTHING`,
        [JSON.stringify(memberships)],
      );
    }
  }

  /**
   * Every active subscription, confirmed before the incident was recorded (so a replay finds no one
   * new), watching a person or organisation the incident names, or an organisation
   * one of those persons is a known member of, by id or by any key of the subject, or of a subject merged
   * with one of those (alert-subject-merges.ts): one row per subscription, listing what it matched.
   */
  private async routeRecorded(event: RecordedIncidentEvent, tx: PoolClient): Promise<QueuedDelivery[]> {
    const { data } = event;
    const { rows } = await tx.query<QueuedDelivery>(
      `WITH reported AS (
         SELECT 'person'::text AS subject, p.id FROM unnest($2::uuid[]) AS p(id)
         UNION SELECT 'organization', o.id FROM unnest($3::uuid[]) AS o(id)
       ), reported_groups AS (${inMergeGroups('reported')}
       ), with_memberships AS (
         SELECT subject, id FROM reported_groups
         UNION SELECT 'organization', m.organization_id FROM reported_groups g
                 JOIN alert_memberships m ON g.subject = 'person' AND m.person_id = g.id
       ), named AS (${inMergeGroups('with_memberships')}
       ), named_keys AS (
         SELECT n.subject, n.id, k.key FROM named n JOIN alert_subject_keys k ON k.subject = n.subject AND k.subject_id = n.id
         UNION SELECT 'person', p.id, p.key FROM unnest($2::uuid[], $4::text[]) AS p(id, key)
         UNION SELECT 'organization', o.id, o.key FROM unnest($3::uuid[], $5::text[]) AS o(id, key)
       ), matches AS (
         SELECT w.subscription_id, n.subject, n.id, w.label FROM named n
           JOIN subscription_watches w ON w.subject = n.subject AND w.subject_id = n.id
         UNION
         SELECT w.subscription_id, nk.subject, nk.id, w.label FROM named_keys nk
           JOIN subscription_watches w ON w.subject = nk.subject AND w.key = nk.key
       ), per_subscription AS (
         SELECT subscription_id,
                coalesce(jsonb_agg(DISTINCT id) FILTER (WHERE subject = 'person'), '[]') AS persons,
                coalesce(jsonb_agg(DISTINCT id) FILTER (WHERE subject = 'organization'), '[]') AS organizations,
                jsonb_agg(DISTINCT label) AS labels
           FROM matches GROUP BY subscription_id
       )
       INSERT INTO deliveries (id, channel, subscription_id, incident_id, alert_type, payload)
       SELECT gen_random_uuid(), s.channel, s.id, $1, 'incident.recorded',
              jsonb_build_object('incident', $6::jsonb, 'matched', jsonb_build_object('persons', m.persons, 'organizations', m.organizations),
                                 'watched', m.labels)
         FROM per_subscription m JOIN subscriptions s ON s.id = m.subscription_id
        WHERE s.status = 'active' AND s.confirmed_at <= $8 AND (s.types IS NULL OR $7 = ANY (s.types))
       ON CONFLICT (subscription_id, incident_id, alert_type) DO NOTHING
       RETURNING id, channel, subscription_id AS "subscriptionId"`,
      [
        data.incidentId,
        data.persons.map((p) => p.personId),
        data.organizations.map((o) => o.organizationId),
        data.persons.map((p) => p.key),
        data.organizations.map((o) => o.key),
        JSON.stringify(incidentPayload(event)),
        INCIDENT_TYPE_BY_EVENT[event.type],
        event.recordedAt,
      ],
    );
    return rows;
  }

  /** A confirmation or retraction goes to whoever had an alert about the incident and has not unsubscribed. */
  private async routeCorrection(event: RecordedEvent, tx: PoolClient): Promise<QueuedDelivery[]> {
    const data = event.data as { incidentId: string; reason?: string };
    const retracted = event.type === 'IncidentRetracted';
    const { rows } = await tx.query<QueuedDelivery>(
      `INSERT INTO deliveries (id, channel, subscription_id, incident_id, alert_type, payload)
       SELECT gen_random_uuid(), d.channel, d.subscription_id, d.incident_id, $2,
              jsonb_set(d.payload, '{incident}', (d.payload->'incident') || $3::jsonb)
         FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
        WHERE d.incident_id = $1 AND d.alert_type = 'incident.recorded' AND s.status = 'active'
       ON CONFLICT (subscription_id, incident_id, alert_type) DO NOTHING
       RETURNING id, channel, subscription_id AS "subscriptionId"`,
      [
        data.incidentId,
        retracted ? 'incident.retracted' : 'incident.confirmed',
        JSON.stringify(retracted ? { status: 'retracted', retractionReason: data.reason } : { status: 'confirmed' }),
      ],
    );
    return rows;
  }
}
