import { Command } from '@nestjs/cqrs';
import type { MailChoicesDto } from './subscribe.dto';

/** Replaces a subscription's watch list, types, language and content level; false for an ended or unknown token. */
export class ChangeSubscription extends Command<boolean> {
  constructor(
    readonly token: string,
    readonly request: MailChoicesDto,
  ) {
    super();
  }
}

/** Pauses (`paused: true`) or resumes a subscription; false when there was nothing to do. */
export class PauseSubscription extends Command<boolean> {
  constructor(
    readonly token: string,
    readonly paused: boolean,
  ) {
    super();
  }
}

/** Erases the subscription and every trace of its subscriber, asked by the subscriber (the manage token). */
export class EraseSubscription extends Command<boolean> {
  constructor(readonly token: string) {
    super();
  }
}
