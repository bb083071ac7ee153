import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideMerge, incidentStreamId } from '@vigil/domain';
import { EventStore } from '@vigil/event-store';
import { atLogPosition, type AtLogPosition } from '../http/log-position';
import { MergeIncidents, type MergeResult } from './incident-corrections.commands';
import { IncidentMatchIndex } from './incident-match-index';
import { adminMetadata } from './admin-metadata';
import { appendsOf, loadIncidents } from './load-incidents';
import { retryOnStreamConflict } from './retry-on-stream-conflict';

/**
 * Merges an incident into another (docs/api.md, "Merge"): both streams in one append, at the versions
 * read, and the survivor indexed under the subjects it takes, so later reports of them match it.
 * Merging again into the same incident appends nothing and answers the same, at the position of the merged one's
 * last event (its merge).
 */
@CommandHandler(MergeIncidents)
export class MergeIncidentsHandler implements ICommandHandler<MergeIncidents, AtLogPosition<MergeResult>> {
  constructor(
    private readonly store: EventStore,
    private readonly matches: IncidentMatchIndex,
  ) {}

  async execute({ incidentId, into, note, requestId }: MergeIncidents): Promise<AtLogPosition<MergeResult>> {
    return retryOnStreamConflict(async () => {
      const incidents = await loadIncidents(this.store, [...new Set([incidentId, into])]);
      const from = incidents.get(incidentId)!;
      const survivor = incidents.get(into)!;
      const decided = decideMerge({ kind: 'MergeIncident', incidentId, into, note }, from.state, survivor.state);
      if (!decided.length) return atLogPosition({ incidentId, mergedInto: into }, from.position);
      const appends = appendsOf(
        decided,
        new Map([
          [incidentStreamId(incidentId), from.version],
          [incidentStreamId(into), survivor.version],
        ]),
        adminMetadata(requestId),
      );
      const position = await this.store.transaction(async (tx) => {
        const { positions } = await tx.append(appends);
        const absorbed = decided.find(({ event }) => event.type === 'IncidentAbsorbed')!.event;
        if (absorbed.type !== 'IncidentAbsorbed') return positions[0];
        const { persons, organizations } = absorbed.data;
        await this.matches.add(
          tx.client,
          IncidentMatchIndex.rowsOf(survivor.state.type!, into, persons, organizations),
        );
        return positions[0];
      });
      return atLogPosition({ incidentId, mergedInto: into }, position);
    });
  }
}
