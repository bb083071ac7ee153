import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import {
  decideResolve,
  incidentStreamId,
  InvalidPartialDateError,
  isIncidentRecorded,
  parsePartialDate,
  type PartialDate,
} from '@vigil/domain';
import { EventStore } from '@vigil/event-store';
import { atLogPosition, type AtLogPosition } from '../http/log-position';
import { RequestValidationError } from '../http/request-validation.error';
import { ResolveIncidentConflict, type ConflictResolution } from './incident-corrections.commands';
import { IncidentMatchIndex } from './incident-match-index';
import { adminMetadata } from './admin-metadata';
import { appendsOf, loadIncidents } from './load-incidents';
import { retryOnStreamConflict } from './retry-on-stream-conflict';

/**
 * Settles a conflict (docs/api.md, "Resolve"): the value stands, or the disputing sources leave the
 * incident and become an incident of their own, indexed for matching like any new incident.
 */
@CommandHandler(ResolveIncidentConflict)
export class ResolveConflictHandler implements ICommandHandler<
  ResolveIncidentConflict,
  AtLogPosition<ConflictResolution>
> {
  constructor(
    private readonly store: EventStore,
    private readonly matches: IncidentMatchIndex,
  ) {}

  async execute(command: ResolveIncidentConflict): Promise<AtLogPosition<ConflictResolution>> {
    const { incidentId, field, resolution, note, requestId } = command;
    const value = 'value' in resolution ? parseValue(resolution.value) : undefined;
    const separatedAs = randomUUID();
    return retryOnStreamConflict(async () => {
      const incident = (await loadIncidents(this.store, [incidentId])).get(incidentId)!;
      const decided = decideResolve(
        {
          kind: 'ResolveConflict',
          incidentId,
          field,
          value,
          separate: 'separate' in resolution ? { separatedAs } : undefined,
          note,
        },
        incident.state,
      );
      const appends = appendsOf(
        decided,
        new Map([[incidentStreamId(incidentId), incident.version]]),
        adminMetadata(requestId),
      );
      const position = await this.store.transaction(async (tx) => {
        const { positions } = await tx.append(appends);
        const separated = decided.map(({ event }) => event).find(isIncidentRecorded);
        if (separated) {
          const { persons, organizations } = separated.data;
          await this.matches.add(
            tx.client,
            IncidentMatchIndex.rowsOf(incident.state.type!, separatedAs, persons, organizations),
          );
        }
        return positions[0];
      });
      return atLogPosition(
        value
          ? { incidentId, field, value: value.value }
          : { incidentId, field, separatedAs: decided.length > 1 ? separatedAs : undefined },
        position,
      );
    });
  }
}

function parseValue(text: string): PartialDate {
  try {
    return parsePartialDate(text);
  } catch (error) {
    if (!(error instanceof InvalidPartialDateError)) throw error;
    throw new RequestValidationError([{ path: 'value', message: error.message }]);
  }
}
