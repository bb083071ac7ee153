import { Command } from '@nestjs/cqrs';
import type { SubscribeDto } from './subscribe.dto';

/** Creates a pending subscription and mails its confirmation link (within the daily limit). */
export class StartSubscription extends Command<void> {
  constructor(readonly request: SubscribeDto) {
    super();
  }
}

export class ConfirmSubscription extends Command<{ subscriptionId: string } | undefined> {
  constructor(readonly token: string) {
    super();
  }
}

export class EndSubscription extends Command<boolean> {
  constructor(readonly token: string) {
    super();
  }
}
