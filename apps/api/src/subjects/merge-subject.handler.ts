import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assertMergeable, decideSubjectMerge, type MergeEvent } from '@vigil/domain';
import { recordMerge } from '@vigil/consumers';
import { EventStore, type StreamAppend } from '@vigil/event-store';
import { keysResolvingTo, lockNameKeysForMerge, repointKeys } from '../intake/subject-name-keys';
import { retryOnStreamConflict } from '../intake/retry-on-stream-conflict';
import { atLogPosition, type AtLogPosition } from '../http/log-position';
import { MergeSubject, type MergeResult } from './subject-identity.commands';
import { adminMetadata } from '../intake/admin-metadata';
import { loadSubject } from './subject-stream';

/** The events of one stream, with the version it was read at, as one append. */
export function appendsOf(
  decided: { streamId: string; event: MergeEvent }[],
  versions: Map<string, number>,
  requestId: string,
): StreamAppend[] {
  return decided.map(({ streamId, event }) => ({
    streamId,
    expected: versions.get(streamId)!,
    events: [
      { type: event.type, schemaVersion: event.schemaVersion, data: event.data, metadata: adminMetadata(requestId) },
    ],
  }));
}

/**
 * Merges one person or organisation into another (decision 0018): SubjectMerged on the merged one's stream,
 * SubjectAbsorbed on the survivor's, and, in the same transaction, every name key of the merged one resolves
 * to the survivor. A report resolving a name at that instant lands on one of the two: either way it is in
 * the merged group. A merge, or a report, that moved either stream in between makes it decide again.
 */
@CommandHandler(MergeSubject)
export class MergeSubjectHandler implements ICommandHandler<MergeSubject, AtLogPosition<MergeResult>> {
  constructor(private readonly store: EventStore) {}

  execute(command: MergeSubject): Promise<AtLogPosition<MergeResult>> {
    const { subject, id, into, reason, requestId } = command;
    return retryOnStreamConflict(async () => {
      const merged = await loadSubject(this.store, subject, id);
      const survivor = await loadSubject(this.store, subject, into);
      assertMergeable({ subject, id, into, reason }, merged.state, survivor.state);
      const versions = new Map([
        [merged.streamId, merged.version],
        [survivor.streamId, survivor.version],
      ]);
      const { result, position } = await this.store.appendWith(async (tx) => {
        await lockNameKeysForMerge(tx);
        const keys = await keysResolvingTo(tx, subject, id);
        return {
          appends: appendsOf(decideSubjectMerge({ subject, id, into, reason }, keys), versions, requestId),
          result: { id, into, status: 'merged' as const },
          afterAppend: async () => {
            await repointKeys(tx, subject, keys, into);
            await recordMerge(tx, 'subject_merges', subject, id, into);
          },
        };
      });
      return atLogPosition(result, position);
    });
  }
}
