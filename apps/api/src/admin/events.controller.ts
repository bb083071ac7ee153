import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { EventStore, type RecordedEvent } from '@vigil/event-store';
import { decodeCursor, encodeCursor, type Page } from '../http/pagination';
import { AdminTokenGuard } from './admin-token.guard';
import { EventsQueryDto } from './events-query.dto';

type LogEntry = Pick<RecordedEvent, 'position' | 'streamId' | 'version' | 'type' | 'data' | 'metadata' | 'recordedAt'>;

const isPositionCursor = (value: unknown): value is { p: number } =>
  typeof value === 'object' && value !== null && Number.isSafeInteger((value as { p?: unknown }).p);

/** The raw log, by position, so an admin can see exactly what was recorded. */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('v1/admin/events')
export class EventsController {
  constructor(private readonly store: EventStore) {}

  @Get()
  async list(@Query() query: EventsQueryDto): Promise<Page<LogEntry>> {
    const after = query.cursor ? decodeCursor(query.cursor, isPositionCursor).p : (query.after ?? 0);
    const events = await this.store.readByPosition(after, query.limit + 1);
    const items = events
      .slice(0, query.limit)
      .map(({ position, streamId, version, type, data, metadata, recordedAt }) => ({
        position,
        streamId,
        version,
        type,
        data,
        metadata,
        recordedAt,
      }));
    const nextCursor = events.length > query.limit ? encodeCursor({ p: items.at(-1)!.position }) : null;
    return { items, nextCursor };
  }
}
