import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideMerge, incidentStreamId } from '@vigil/domain';
import { EventStore } from '@vigil/event-store';
import { MergeIncidents, type MergeResult } from './incident-corrections.commands';
import { IncidentMatchIndex } from './incident-match-index';
import { adminMetadata, appendsOf, loadIncidents } from './load-incidents';
import { retryOnStreamConflict } from './retry-on-stream-conflict';

/**
 * Merges an incident into another (docs/api.md, "Merge"): both streams in one append, at the versions
 * read, and the survivor indexed under the subjects it takes, so later reports of them match it.
 * Merging again into the same incident appends nothing and answers the same.
 */
@CommandHandler(MergeIncidents)
export class MergeIncidentsHandler implements ICommandHandler<MergeIncidents, MergeResult> {
  constructor(
    private readonly store: EventStore,
    private readonly matches: IncidentMatchIndex,
  ) {}

  async execute({ incidentId, into, note, requestId }: MergeIncidents): Promise<MergeResult> {
    return retryOnStreamConflict(async () => {
      const incidents = await loadIncidents(this.store, [...new Set([incidentId, into])]);
      const from = incidents.get(incidentId)!;
      const survivor = incidents.get(into)!;
      const decided = decideMerge({ kind: 'MergeIncident', incidentId, into, note }, from.state, survivor.state);
      if (!decided.length) return { incidentId, mergedInto: into };
      const appends = appendsOf(
        decided,
        new Map([
          [incidentStreamId(incidentId), from.version],
          [incidentStreamId(into), survivor.version],
        ]),
        adminMetadata(requestId),
      );
      await this.store.transaction(async (tx) => {
        await tx.append(appends);
        const absorbed = decided.find(({ event }) => event.type === 'IncidentAbsorbed')!.event;
        if (absorbed.type !== 'IncidentAbsorbed') return;
        const { persons, organizations } = absorbed.data;
        await this.matches.add(
          tx.client,
          IncidentMatchIndex.rowsOf(survivor.state.type!, into, persons, organizations),
        );
      });
      return { incidentId, mergedInto: into };
    });
  }
}
