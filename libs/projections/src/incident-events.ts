import type { IncidentRecordedData, PartialDate } from '@vigil/domain';
import type { RecordedEvent } from '@vigil/event-store';

/** The five "an incident happened" event types, and the public incident type each stands for. */
export const RECORDED_TYPES: Record<string, string> = {
  ArrestRecorded: 'arrest',
  ReleaseRecorded: 'release',
  RulingRecorded: 'ruling',
  ExecutionRecorded: 'execution',
  HarassmentRecorded: 'harassment',
};

export const isRecorded = (event: RecordedEvent): event is RecordedEvent<IncidentRecordedData<Record<string, unknown>>> =>
  event.type in RECORDED_TYPES;

const PRECISION_RANK = { year: 1, month: 2, day: 3 } as const;

/** The sortable columns of a partial date: equal starts sort the more precise date later. */
export function dateColumns(date: PartialDate) {
  return { occurred_on: date, occurred_from: date.from, occurred_to: date.to, precision_rank: PRECISION_RANK[date.precision] };
}

/** The status an incident gives the persons it names, if any (CONTRACT.md: admin read API, persons). */
export function personStatusOf(event: RecordedEvent<IncidentRecordedData<Record<string, unknown>>>): string | undefined {
  switch (event.type) {
    case 'ArrestRecorded':
      return 'detained';
    case 'ReleaseRecorded':
      return 'released';
    case 'RulingRecorded':
      return event.data.details.outcome === 'sentence' ? 'sentenced' : undefined;
    case 'ExecutionRecorded':
      return 'executed';
    default:
      return undefined;
  }
}
