import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assertUnmergeable, decideSubjectUnmerge } from '@vigil/domain';
import { mergedInto, recordUnmerge, rootOf } from '@vigil/consumers';
import { EventStore } from '@vigil/event-store';
import { keysClaimedFor, lockNameKeysForMerge, repointKeys } from '../intake/subject-name-keys';
import { retryOnStreamConflict } from '../intake/retry-on-stream-conflict';
import { appendsOf } from './merge-subject.handler';
import { atLogPosition, type AtLogPosition } from '../http/log-position';
import { UnmergeSubject, type UnmergeResult } from './subject-identity.commands';
import { loadSubject } from './subject-stream';

/**
 * Undoes a merge (decision 0018): SubjectUnmerged on the once-merged one's stream, SubjectReleased on the
 * survivor's, and the name keys claimed for the once-merged one (and for those merged into it, who follow
 * it) resolve to it again, in the same transaction. The events carry those keys and the merge's position,
 * so the read models give it back the incidents recorded under its names while the merge stood.
 */
@CommandHandler(UnmergeSubject)
export class UnmergeSubjectHandler implements ICommandHandler<UnmergeSubject, AtLogPosition<UnmergeResult>> {
  constructor(private readonly store: EventStore) {}

  execute(command: UnmergeSubject): Promise<AtLogPosition<UnmergeResult>> {
    const { subject, id, reason, requestId } = command;
    return retryOnStreamConflict(async () => {
      const merged = await loadSubject(this.store, subject, id);
      const from = assertUnmergeable({ subject, id, reason }, merged.state);
      const mergedAt = merged.events.filter((e) => e.type === 'SubjectMerged').at(-1)!.position;
      const survivor = await loadSubject(this.store, subject, from);
      const versions = new Map([
        [merged.streamId, merged.version],
        [survivor.streamId, survivor.version],
      ]);
      const { result, position } = await this.store.appendWith(async (tx) => {
        await lockNameKeysForMerge(tx);
        const heldBy = await rootOf(tx, 'subject_merges', subject, id);
        const members = await mergedInto(tx, 'subject_merges', subject, id);
        const keys = await keysClaimedFor(tx, subject, heldBy, [id, ...members]);
        return {
          appends: appendsOf(decideSubjectUnmerge({ subject, id, reason }, from, keys, mergedAt), versions, requestId),
          result: { id, from, status: 'unmerged' as const },
          afterAppend: async () => {
            await repointKeys(tx, subject, keys, id);
            await recordUnmerge(tx, 'subject_merges', subject, id);
          },
        };
      });
      return atLogPosition(result, position);
    });
  }
}
