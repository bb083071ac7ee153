import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { EventStore, START_OF_LOG, type Checkpoint, type RecordedEvent } from '@vigil/event-store';
import { KEY, ListCursor, type Page } from '../http/list-cursor';
import { RequestValidationError } from '../http/request-validation.error';
import { AdminTokenGuard } from '../admin-auth/admin-token.guard';
import { EventsQueryDto } from './events-query.dto';

/** The public shape of a log entry: its `version` is the event's place in its stream (streamVersion). */
type LogEntry = Pick<RecordedEvent, 'position' | 'streamId' | 'type' | 'data' | 'metadata' | 'recordedAt'> & {
  version: number;
};

/** A checkpoint of the reading rule: (transaction id, position). */
const EVENTS_CURSOR = new ListCursor('events', { transactionId: KEY.transactionId, position: KEY.position });

/**
 * The raw log, read by the same rule as every consumer (readEventsAfter): in (transaction id, position)
 * order, and only from transactions below the oldest one still open, so an event whose transaction
 * commits late is not skipped by a client that already read past its position. Following nextCursor
 * meets every event exactly once. A log has no last page: nextCursor is always given, and an empty page
 * means "nothing more for now"; come back with the same cursor.
 * `after=<position>` starts from a position instead (see EventStore.checkpointBefore): every event above
 * it comes, each once; the first pages may also hold events at or below it whose transactions committed
 * late, which a reader by position would have missed.
 */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('v1/admin/events')
export class EventsController {
  constructor(private readonly store: EventStore) {}

  @Get()
  async list(@Query() query: EventsQueryDto): Promise<Page<LogEntry>> {
    const { events, checkpoint } = await this.store.readAfter(await this.startOf(query), query.limit);
    return {
      items: events.map(({ position, streamId, streamVersion, type, data, metadata, recordedAt }) => ({
        position,
        streamId,
        version: streamVersion,
        type,
        data,
        metadata,
        recordedAt,
      })),
      nextCursor: EVENTS_CURSOR.encode(checkpoint),
    };
  }

  private async startOf({ cursor, after }: EventsQueryDto): Promise<Checkpoint> {
    if (cursor !== undefined && after !== undefined) {
      throw new RequestValidationError([
        { path: 'after', message: 'give either a cursor or a position to start after' },
      ]);
    }
    if (after !== undefined) return this.store.checkpointBefore(after);
    return EVENTS_CURSOR.decode(cursor) ?? START_OF_LOG;
  }
}
