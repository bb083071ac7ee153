import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AdminApi } from './admin-api';

/** Long enough for a projection that keeps up; a busier one is shown as it is, with the action's notice. */
const WAIT_AT_MOST_MS = 5_000;
const POLL_EVERY_MS = 50;

interface ProjectionsStatus {
  headPosition: number;
  projections: { name: string; position: number; status: string }[];
}

/**
 * The read models follow the log a moment behind a write. After an action, the console waits (briefly, through
 * GET /v1/admin/projections) until the projection its next page reads has applied the log up to where it was just
 * after the write, so the admin sees what they did — a recorded incident, not a 404; a confirmed one, confirmed.
 */
@Injectable()
export class ReadYourWrites {
  constructor(private readonly api: AdminApi) {}

  async settle(request: FastifyRequest, projection: string): Promise<void> {
    const status = () => this.api.get<ProjectionsStatus>(request, '/v1/admin/projections');
    const target = (await status()).headPosition;
    const deadline = Date.now() + WAIT_AT_MOST_MS;
    while (Date.now() < deadline) {
      const current = (await status()).projections.find((p) => p.name === projection);
      if (!current || current.position >= target || current.status === 'failed') return;
      await sleep(POLL_EVERY_MS);
    }
  }
}
