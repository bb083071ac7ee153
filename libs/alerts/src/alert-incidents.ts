import type { PoolClient } from 'pg';
import { incidentStreamId, isRecordedEventType } from '@vigil/domain';
import { readStream, type RecordedEvent } from '@vigil/event-store';
import { evolveFacts, type EvolveContext, type IncidentFacts } from './incident-facts';

/** $1: incident ids. Named, as every statement of the router (alert-router.ts). */
export const ALERT_INCIDENTS_LOAD_SQL = 'SELECT facts FROM alert_incidents WHERE incident_id = ANY($1::uuid[])';

/** $1: a JSON array of {incident_id, version, merged_into, facts}. */
export const ALERT_INCIDENTS_SAVE_SQL = `INSERT INTO alert_incidents (incident_id, version, merged_into, facts)
       SELECT r.incident_id, r.version, r.merged_into, r.facts
         FROM jsonb_to_recordset($1::jsonb) AS r(incident_id uuid, version bigint, merged_into uuid, facts jsonb)
       ON CONFLICT (incident_id) DO UPDATE
         SET version = excluded.version, merged_into = excluded.merged_into, facts = excluded.facts`;

/**
 * The alert router's facts of each incident (alert_incidents: every statement on that table is here). A
 * batch loads the facts of the incidents it touches at once, evolves them in memory and saves them at once.
 */
export class AlertIncidents {
  private readonly facts = new Map<string, IncidentFacts>();
  private readonly changed = new Set<string>();
  private readonly sourceNames = new Map<string, string>();

  constructor(private readonly tx: PoolClient) {}

  /**
   * Loads the facts of these incidents, and the names of the sources that version 1 recording events of
   * the batch (or of the streams read later) only name by id.
   */
  async load(incidentIds: string[], events: RecordedEvent[]): Promise<void> {
    const { rows } = await this.tx.query<{ facts: IncidentFacts }>({
      name: 'alert-incidents-load',
      text: ALERT_INCIDENTS_LOAD_SQL,
      values: [[...new Set(incidentIds)]],
    });
    // A document of an earlier shape (before the facts were the domain's fold) is read again from the log.
    for (const { facts } of rows) if (facts.state) this.facts.set(facts.incidentId, facts);
    await this.learnSourceNames(events);
  }

  get(incidentId: string): IncidentFacts | undefined {
    return this.facts.get(incidentId);
  }

  set(facts: IncidentFacts): void {
    this.facts.set(facts.incidentId, facts);
    this.changed.add(facts.incidentId);
  }

  readonly context: EvolveContext = {
    sourceName: (id) => this.sourceNames.get(id),
    factsOf: (id) => this.facts.get(id),
  };

  /**
   * The facts of an incident the router has no row for (recorded before it kept facts) as of just before
   * `beforeVersion` (all of them when absent): its stream read from the log and evolved as if routed live.
   */
  async hydrate(incidentId: string, beforeVersion = Number.MAX_SAFE_INTEGER): Promise<IncidentFacts | undefined> {
    const stream = (await readStream(this.tx, incidentStreamId(incidentId))).filter(
      (event) => event.streamVersion < beforeVersion,
    );
    await this.learnSourceNames(stream);
    let facts: IncidentFacts | undefined;
    for (const event of stream) facts = evolveFacts(facts, event, this.context);
    if (facts) this.set(facts);
    return facts;
  }

  /** Writes every incident whose facts changed in this batch. */
  async save(): Promise<void> {
    if (!this.changed.size) return;
    const rows = [...this.changed].map((id) => this.facts.get(id)!);
    await this.tx.query({
      name: 'alert-incidents-save',
      text: ALERT_INCIDENTS_SAVE_SQL,
      values: [
        JSON.stringify(
          rows.map((facts) => ({
            incident_id: facts.incidentId,
            version: facts.version,
            merged_into: facts.state.mergedInto ?? null,
            facts,
          })),
        ),
      ],
    });
    this.changed.clear();
  }

  private async learnSourceNames(events: RecordedEvent[]): Promise<void> {
    const ids = events
      .filter((event) => isRecordedEventType(event.type) && event.schemaVersion < 2)
      .map((event) => (event.data as { sourceId?: string }).sourceId)
      .filter((id): id is string => !!id && !this.sourceNames.has(id));
    if (!ids.length) return;
    // Sources are never renamed nor deleted: the name now is the name then.
    const { rows } = await this.tx.query<{ id: string; name: string }>(
      'SELECT id::text AS id, name FROM sources WHERE id::text = ANY($1::text[])',
      [[...new Set(ids)]],
    );
    for (const { id, name } of rows) this.sourceNames.set(id, name);
  }
}
