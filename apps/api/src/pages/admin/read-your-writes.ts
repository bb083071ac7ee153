import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AdminApi } from './admin-api';

/** Long enough for projections that keep up even on a loaded machine; past it the page says it may be behind. */
const WAIT_AT_MOST_MS = 10_000;
/** The first look comes soon (a projection that keeps up is there in a few ms), later ones further apart. */
const FIRST_POLL_MS = 20;
const POLL_AT_MOST_MS = 250;

interface ProjectionsStatus {
  projections: { name: string; status: string; passed?: boolean }[];
}

/**
 * The read models follow the log a moment behind a write. After an action, the console waits until the
 * projections its next page reads have passed the action's own append: the `Vigil-Log-Position` of the API's
 * answer, asked about through `GET /v1/admin/projections?position=`, which compares each checkpoint with that
 * append by the reading rule (docs/architecture.md, "Read your writes"). So the admin sees what they did — a
 * resolved conflict resolved, a recorded incident rather than a 404 — however busy the worker, within a bound:
 * past it, or when a projection has failed, the page is shown as it is with a notice that it may be behind.
 */
@Injectable()
export class ReadYourWrites {
  constructor(private readonly api: AdminApi) {}

  /** True once every one of `projections` has passed the append at `position`; false if they did not in time. */
  async settle(request: FastifyRequest, projections: readonly string[], position: number): Promise<boolean> {
    const deadline = Date.now() + WAIT_AT_MOST_MS;
    for (let pause = FIRST_POLL_MS; ; pause = Math.min(pause * 2, POLL_AT_MOST_MS)) {
      const status = await this.api.get<ProjectionsStatus>(request, '/v1/admin/projections', { position });
      const read = status.projections.filter((p) => projections.includes(p.name));
      if (read.every((p) => p.passed)) return true;
      // A failed projection moves no more until an admin resumes it: no use waiting for it.
      if (read.some((p) => !p.passed && p.status === 'failed') || Date.now() + pause > deadline) return false;
      await sleep(pause);
    }
  }
}
