import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DeliveryQueues } from '@vigil/alerts';
import { REDIS_COMMAND_TIMEOUT_MS, withDeadline } from '@vigil/platform';
import { AdminTokenGuard } from '../admin-auth/admin-token.guard';

/** The job states that are work still to do, as the worker's queue gauge counts them. */
const WAITING_STATES = ['wait', 'prioritized', 'delayed', 'active'] as const;

export interface QueueDepth {
  name: string;
  channel: string;
  wait: number;
  prioritized: number;
  delayed: number;
  active: number;
}

/** How many delivery jobs wait in each queue (the admin console's dashboard); 503 while Redis is away. */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('v1/admin/queues')
export class QueuesController {
  constructor(private readonly queues: DeliveryQueues) {}

  @Get()
  async depths(): Promise<{ queues: QueueDepth[] }> {
    const depths = await Promise.all(
      Object.entries(this.queues.queues).map(async ([channel, queue]) => {
        const counts = await withDeadline(
          queue.getJobCounts(...WAITING_STATES),
          REDIS_COMMAND_TIMEOUT_MS,
          `queue ${queue.name}`,
        );
        return {
          name: queue.name,
          channel,
          wait: counts.wait ?? 0,
          prioritized: counts.prioritized ?? 0,
          delayed: counts.delayed ?? 0,
          active: counts.active ?? 0,
        };
      }),
    );
    return { queues: depths };
  }
}
