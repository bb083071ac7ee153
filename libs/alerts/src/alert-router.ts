import type { PoolClient } from 'pg';
import {
  independentSources,
  isRecordedEventType,
  meetsThreshold,
  RECORDED_EVENT_TYPES,
  VERIFICATION_THRESHOLDS,
  type OrganizationRef,
  type PersonRef,
  type VerificationThreshold,
} from '@vigil/domain';
import { readAppendsRest, type RecordedEvent } from '@vigil/event-store';
import type { Consumer } from '@vigil/consumers';
import { AlertIncidents } from './alert-incidents';
import type { UpdateAlertType } from './alert-types';
import { newPagePrefix, pageJobIdSql, type DeliveryQueues, type QueuedDelivery } from './delivery-queues';
import { storeAlertPayload } from './alert-payloads';
import { shareWithRouting } from './erasure-lock';
import { evolveFacts, FACT_EVENTS, type IncidentFacts } from './incident-facts';
import { incidentPayloadOf, verificationFacts } from './incident-payload';
import { inMergeGroups, isMergeEvent, learnMerge, MERGE_EVENTS } from './alert-subject-merges';

export const ALERT_ROUTER = 'alert-router';

/** The events the router learns names and memberships from (learnSubjects). */
export const SUBJECT_EVENTS = ['PersonRegistered', 'OrganizationRegistered', 'AliasAdded', 'MembershipRecorded'];

const isIncidentEvent = (type: string): boolean =>
  isRecordedEventType(type) || (FACT_EVENTS as readonly string[]).includes(type);

/** The thresholds an incident meets with these facts (none when there are none). */
const thresholdsMet = (facts: IncidentFacts | undefined): VerificationThreshold[] =>
  facts ? VERIFICATION_THRESHOLDS.filter((threshold) => meetsThreshold(verificationFacts(facts), threshold)) : [];

/**
 * The update one append is to those alerted already, if any: the weightiest of what it says. A source that
 * counts towards corroboration (not an anonymous one, not one counted already) is news; when the same
 * report also disputes a fact, the dispute is the news, and one alert says both. A merge, a subject added or
 * a resolved conflict is no news to those alerted (docs/api.md, "Alert types").
 */
function updateOf(
  append: RecordedEvent[],
  before: IncidentFacts | undefined,
  after: IncidentFacts,
): UpdateAlertType | undefined {
  if (!before) return undefined;
  const says = (type: string) => append.some((event) => event.type === type);
  if (says('IncidentRetracted') && before.state.status !== 'retracted') return 'incident.retracted';
  if (says('IncidentConfirmed') && !before.confirmed) return 'incident.confirmed';
  if (says('ConflictFlagged')) return 'incident.disputed';
  const counted = (facts: IncidentFacts) => independentSources(verificationFacts(facts).sources);
  if (says('SourceAdded') && counted(after) > counted(before)) return 'incident.corroborated';
  return undefined;
}

/** Subjects to route an incident by: the persons and organisations it names (all of them, or those just added). */
interface RoutedSubjects {
  persons: PersonRef[];
  organizations: OrganizationRef[];
}

/**
 * The router's statements are named (planned once per connection, as the intake's are), and a plan made on a
 * young database must stay index probes as the tables grow: every lookup of a subject's keys, memberships,
 * watchers and subscription is a `CROSS JOIN LATERAL` probe whose subquery cannot be pulled up into a join
 * (`OFFSET 0`, or `LIMIT 1` for a unique row), and the "alerted before" test a correlated probe (`OFFSET 0`
 * keeps the planner from turning it into an anti-join over every delivery). A hash join there read all of
 * alert_subject_keys for every incident routed (docs/scaling.md, "the alert router's catch-up"). That probe
 * looks up each (subscription, incident) pair by the whole key of deliveries_recorded_once: given the
 * incidents as an array, the planner probed by the subscription alone and filtered its every earlier alert,
 * so a fan-out cost more with each alert its watchers had had (docs/scaling.md, "A subscriber's history").
 *
 * `incident.recorded`: $1 incident, $2/$3 reported persons/organisations, $4/$5 their keys, $6 the incident's
 * type, $7 when the causing event was recorded, $8 its position, $9 the thresholds met, $10 the incident and
 * those merged into it, $11 the prefix of its mail pages' job ids. A row's payload is only its own: what it
 * matched and the labels watched; the incident is stored once for the alert (alert-payloads.ts).
 */
export const ROUTE_RECORDED_SQL = `WITH reported AS (
         SELECT 'person'::text AS subject, p.id FROM unnest($2::uuid[]) AS p(id)
         UNION SELECT 'organization', o.id FROM unnest($3::uuid[]) AS o(id)
       ), reported_groups AS (${inMergeGroups('reported')}
       ), with_memberships AS (
         SELECT subject, id FROM reported_groups
         UNION SELECT 'organization', m.organization_id FROM reported_groups g
                 CROSS JOIN LATERAL (SELECT m.organization_id FROM alert_memberships m
                                      WHERE g.subject = 'person' AND m.person_id = g.id OFFSET 0) m
       ), named AS (${inMergeGroups('with_memberships')}
       ), named_keys AS (
         SELECT n.subject, n.id, k.key FROM named n
           CROSS JOIN LATERAL (SELECT k.key FROM alert_subject_keys k
                                WHERE k.subject = n.subject AND k.subject_id = n.id OFFSET 0) k
         UNION SELECT 'person', p.id, p.key FROM unnest($2::uuid[], $4::text[]) AS p(id, key)
         UNION SELECT 'organization', o.id, o.key FROM unnest($3::uuid[], $5::text[]) AS o(id, key)
       ), matches AS (
         SELECT w.subscription_id, n.subject, n.id, w.label FROM named n
           CROSS JOIN LATERAL (SELECT w.subscription_id, w.label FROM subscription_watches w
                                WHERE w.subject = n.subject AND w.subject_id = n.id OFFSET 0) w
         UNION
         SELECT w.subscription_id, nk.subject, nk.id, w.label FROM named_keys nk
           CROSS JOIN LATERAL (SELECT w.subscription_id, w.label FROM subscription_watches w
                                WHERE w.subject = nk.subject AND w.key = nk.key OFFSET 0) w
       ), per_subscription AS (
         SELECT subscription_id,
                coalesce(jsonb_agg(DISTINCT id) FILTER (WHERE subject = 'person'), '[]') AS persons,
                coalesce(jsonb_agg(DISTINCT id) FILTER (WHERE subject = 'organization'), '[]') AS organizations,
                jsonb_agg(DISTINCT label) AS labels
           FROM matches GROUP BY subscription_id
       )
       INSERT INTO deliveries (id, channel, subscription_id, incident_id, alert_type, cause_position, payload, job_id)
       SELECT gen_random_uuid(), s.channel, s.id, $1, 'incident.recorded', $8,
              jsonb_build_object('matched', jsonb_build_object('persons', m.persons, 'organizations', m.organizations),
                                 'watched', m.labels),
              ${pageJobIdSql('s.channel', '$11')}
         FROM per_subscription m
         CROSS JOIN LATERAL (SELECT * FROM subscriptions s WHERE s.id = m.subscription_id LIMIT 1) s
        WHERE s.status = 'active' AND s.confirmed_at <= $7 AND (s.types IS NULL OR $6 = ANY (s.types))
          AND s.min_verification = ANY ($9::text[])
          AND NOT EXISTS (SELECT 1 FROM unnest($10::uuid[]) AS i(id)
                           CROSS JOIN LATERAL (SELECT 1 FROM deliveries d
                                                WHERE d.subscription_id = s.id AND d.incident_id = i.id
                                                  AND d.alert_type = 'incident.recorded' OFFSET 0) d)
       ON CONFLICT (subscription_id, incident_id) WHERE alert_type = 'incident.recorded' DO NOTHING
       RETURNING id, channel, subscription_id AS "subscriptionId", job_id AS "jobId"`;

/**
 * An update: $1 incident, $2 alert type, $3 the causing position, $4 the incident and those merged into it, $5
 * the prefix of its mail pages' job ids. The incident's recorded deliveries by deliveries_recorded_once, each
 * one's subscription by a probe. A row carries on what its `incident.recorded` row matched and watched, never an
 * incident of its own: the update's is stored for the alert (alert-payloads.ts).
 */
export const ROUTE_UPDATE_SQL = `INSERT INTO deliveries (id, channel, subscription_id, incident_id, alert_type, cause_position, payload, job_id)
       SELECT gen_random_uuid(), r.channel, r.subscription_id, $1, $2, $3, r.payload, ${pageJobIdSql('r.channel', '$5')}
         FROM (SELECT DISTINCT ON (d.subscription_id) d.channel, d.subscription_id, d.payload - 'incident' AS payload
                 FROM unnest($4::uuid[]) AS i(id)
                 CROSS JOIN LATERAL (SELECT * FROM deliveries d
                                      WHERE d.incident_id = i.id AND d.alert_type = 'incident.recorded' OFFSET 0) d
                 CROSS JOIN LATERAL (SELECT s.status FROM subscriptions s WHERE s.id = d.subscription_id LIMIT 1) s
                WHERE s.status = 'active'
                ORDER BY d.subscription_id, d.incident_id = $1 DESC, d.created_at) r
       ON CONFLICT (subscription_id, incident_id, alert_type, cause_position) DO NOTHING
       RETURNING id, channel, subscription_id AS "subscriptionId", job_id AS "jobId"`;

/**
 * Turns incident events into delivery rows (docs/architecture.md, "Alerts by verification"). It keeps its
 * own facts of every incident (AlertIncidents), its own copy of subject keys and memberships (never another
 * consumer's tables), and enqueues a job per new row after its commit.
 *
 * - `incident.recorded` goes to a subscription the first time the incident meets its threshold
 *   (`minVerification`), or names a subject it watches, and never twice for one incident and one
 *   subscription, nor for an incident merged with one it was alerted about.
 * - Updates (`incident.corroborated`, `.disputed`, `.confirmed`, `.retracted`) go to whoever got
 *   `incident.recorded` for the incident, or for one merged into it, and is still active.
 *
 * A replay writes nothing new: an event at or below the stream version the facts applied was routed in a
 * committed transaction, and a delivery row is unique per (subscription, incident, type, causing event).
 * Never rebuilt: replayed against today's subscriptions it would alert new subscribers about old incidents.
 */
export class AlertRouter implements Consumer {
  readonly name = ALERT_ROUTER;
  readonly handles = [...SUBJECT_EVENTS, ...Object.values(RECORDED_EVENT_TYPES), ...FACT_EVENTS, ...MERGE_EVENTS];
  private routed: QueuedDelivery[] = [];

  constructor(private readonly queues: DeliveryQueues) {}

  async applyBatch(events: RecordedEvent[], tx: PoolClient): Promise<void> {
    this.routed = [];
    await learnSubjects(events, tx);
    // Merges of persons and organisations are learnt with the batch's names, before its incidents are routed.
    for (const event of events) if (isMergeEvent(event.type)) await learnMerge(event, tx);
    const incidentEvents = events.filter(({ type }) => isIncidentEvent(type));
    if (!incidentEvents.length) return;
    await shareWithRouting(tx);
    // Routed by the generic plans alert-router-statements.int-spec.ts checks, each planned once per connection:
    // left to itself PostgreSQL planned the recorded routing afresh on every run, most of its cost
    // (docs/decisions/0026-probes-planned-for-few-rows.md). For the rest of this transaction only; what it sends
    // from here is the facts' and the log's probes and the checkpoint's update by its key.
    await tx.query('SET LOCAL plan_cache_mode = force_generic_plan');
    const incidents = new AlertIncidents(tx);
    await incidents.load(
      incidentEvents.flatMap(({ data }) => {
        const { incidentId, from } = data as { incidentId: string; from?: string };
        return from ? [incidentId, from] : [incidentId];
      }),
      incidentEvents,
    );
    const rest = await this.restOfLastAppends(incidentEvents, tx);
    // In log order: an incident recorded and corrected in one batch is routed before its correction.
    for (const [index, event] of incidentEvents.entries()) {
      const { incidentId } = event.data as { incidentId: string };
      let before = incidents.get(incidentId);
      if (!before && !isRecordedEventType(event.type))
        before = await incidents.hydrate(incidentId, event.streamVersion);
      // Routed before: by this replay's first run, or with the earlier events of its append.
      if (before && event.streamVersion <= before.version) continue;
      let after = before;
      const append = this.appendOf(event, incidentEvents.slice(index + 1), rest);
      for (const next of append) {
        const { from } = next.data as { from?: string };
        if (from && !incidents.get(from)) await incidents.hydrate(from);
        after = evolveFacts(after, next, incidents.context);
      }
      if (!after) continue;
      incidents.set(after);
      if (after.state.mergedInto) continue; // a merged-away incident alerts nobody: its survivor does
      this.routed.push(...(await this.route(append, before, after, tx)));
    }
    await incidents.save();
  }

  /**
   * The events one append wrote to this incident's stream, from `event` on: one piece of news, routed as
   * one (a report that adds a source and disputes a date is one alert, not two). Read from the batch, and,
   * for an append of the batch's last transaction, which may go on past the batch, from `rest`, so that any
   * batching routes it alike.
   */
  private appendOf(event: RecordedEvent, later: RecordedEvent[], rest: Map<string, RecordedEvent[]>): RecordedEvent[] {
    const sameAppend = (other: RecordedEvent) =>
      other.streamId === event.streamId && other.transactionId === event.transactionId;
    const append = [event, ...later.filter(sameAppend)];
    if (later.some((other) => other.transactionId !== event.transactionId)) return append;
    return [...append, ...(rest.get(event.streamId) ?? [])];
  }

  /**
   * What the batch's last transaction wrote to each incident stream it touches past the batch's end: only that
   * transaction can be cut by the batch (the log is read in transaction order, a transaction's events
   * together). One statement per batch, instead of a read of the rest of a stream for every such append (a
   * bulk append of thousands of incidents in one transaction made that one read per incident).
   */
  private async restOfLastAppends(events: RecordedEvent[], tx: PoolClient): Promise<Map<string, RecordedEvent[]>> {
    const last = events[events.length - 1].transactionId;
    const versions = new Map<string, number>();
    for (const event of events)
      if (event.transactionId === last)
        versions.set(event.streamId, Math.max(event.streamVersion, versions.get(event.streamId) ?? 0));
    return readAppendsRest(
      tx,
      last,
      [...versions].map(([streamId, afterVersion]) => ({ streamId, afterVersion })),
    );
  }

  async afterCommit(): Promise<void> {
    const routed = this.routed;
    this.routed = [];
    await this.queues.enqueue(routed);
  }

  /** One append's alerts: updates first, to those alerted before it; then the first alert to those it now reaches. */
  private async route(
    append: RecordedEvent[],
    before: IncidentFacts | undefined,
    after: IncidentFacts,
    tx: PoolClient,
  ): Promise<QueuedDelivery[]> {
    const routed: QueuedDelivery[] = [];
    const [cause] = append;
    const update = updateOf(append, before, after);
    if (update) routed.push(...(await this.routeUpdate(cause, update, after, tx)));
    const metBefore = new Set(thresholdsMet(before));
    const metNow = thresholdsMet(after);
    const newlyMet = metNow.filter((threshold) => !metBefore.has(threshold));
    if (newlyMet.length) routed.push(...(await this.routeRecorded(cause, after, after.state, newlyMet, tx)));
    const added = append.filter(({ type }) => type === 'SubjectsAdded').map(({ data }) => data as RoutedSubjects);
    if (added.length && metNow.length) {
      // Watchers of a person or organisation the incident names only now hear of it now, if it is established enough.
      const subjects = {
        persons: added.flatMap((subjects) => subjects.persons),
        organizations: added.flatMap((subjects) => subjects.organizations),
      };
      routed.push(...(await this.routeRecorded(cause, after, subjects, metNow, tx)));
    }
    // Every row of this append names (incident, cause): one document for them all, the facts after the append.
    if (routed.length)
      await storeAlertPayload(tx, after.incidentId, cause.position, JSON.stringify(incidentPayloadOf(after)));
    return routed;
  }

  /**
   * `incident.recorded` to every active subscription asking for one of `thresholds`, confirmed before the
   * causing event was recorded (so a replay finds no one new), of the incident's types, watching one of
   * `subjects` or an organisation one of those persons is a known member of, by id or by any key of the
   * subject, or of a subject merged with one of those (alert-subject-merges.ts), and never alerted about
   * this incident or one merged into it: one row per subscription, listing what it matched.
   */
  private async routeRecorded(
    event: RecordedEvent,
    facts: IncidentFacts,
    subjects: RoutedSubjects,
    thresholds: VerificationThreshold[],
    tx: PoolClient,
  ): Promise<QueuedDelivery[]> {
    const { rows } = await tx.query<QueuedDelivery>({
      name: 'alert-router-route-recorded',
      text: ROUTE_RECORDED_SQL,
      values: [
        facts.incidentId,
        subjects.persons.map((p) => p.personId),
        subjects.organizations.map((o) => o.organizationId),
        subjects.persons.map((p) => p.key),
        subjects.organizations.map((o) => o.key),
        facts.state.type,
        event.recordedAt,
        event.position,
        thresholds,
        [facts.incidentId, ...facts.absorbed],
        newPagePrefix(),
      ],
    });
    return rows;
  }

  /**
   * An update to every subscription that got `incident.recorded` for this incident or one merged into it
   * and has not unsubscribed, with the incident as it is now and what the subscription matched then.
   */
  private async routeUpdate(
    event: RecordedEvent,
    alertType: UpdateAlertType,
    facts: IncidentFacts,
    tx: PoolClient,
  ): Promise<QueuedDelivery[]> {
    const { rows } = await tx.query<QueuedDelivery>({
      name: 'alert-router-route-update',
      text: ROUTE_UPDATE_SQL,
      values: [facts.incidentId, alertType, event.position, [facts.incidentId, ...facts.absorbed], newPagePrefix()],
    });
    return rows;
  }
}

/**
 * What the router learns from a batch's subject events (SUBJECT_EVENTS): the subject of each name key and each
 * membership, in alert_subject_keys and alert_memberships, which the routing reads by key and by organisation.
 * Also how the benches' tools give a router's state to a log it has not routed (bench/scale/learn-subjects.ts).
 */
export async function learnSubjects(events: Pick<RecordedEvent, 'type' | 'data'>[], tx: PoolClient): Promise<void> {
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
