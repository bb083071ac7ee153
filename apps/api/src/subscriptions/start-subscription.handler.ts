import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { isUUID } from 'class-validator';
import { EmailSubscriptions, newToken, type Watch } from '@vigil/alerts';
import { ConfirmationMailer } from '@vigil/delivery';
import { isBlankName, nameKey, type Subject } from '@vigil/domain';
import { LOGGER, SecretBox, VIGIL_CONFIG, type Logger, type VigilConfig } from '@vigil/platform';
import { RequestValidationError } from '../http/request-validation.error';
import type { FieldError } from '../http/validation-errors';
import { SubjectNameKeys } from '../intake/subject-name-keys';
import { StartSubscription } from './subscription.commands';

/** No address receives more than this many confirmation mails a day, whoever asks. */
export const CONFIRMATION_MAILS_PER_DAY = 3;
const CONFIRMATION_VALID_MS = 7 * 24 * 3_600_000;

@CommandHandler(StartSubscription)
export class StartSubscriptionHandler implements ICommandHandler<StartSubscription, void> {
  private readonly box: SecretBox;

  constructor(
    private readonly subscriptions: EmailSubscriptions,
    private readonly nameKeys: SubjectNameKeys,
    private readonly mailer: ConfirmationMailer,
    @Inject(VIGIL_CONFIG) config: VigilConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.box = new SecretBox(config.secretsKey);
  }

  async execute({ request }: StartSubscription): Promise<void> {
    const watches = await this.watches(request.watch);
    const confirm = newToken();
    const unsubscribe = newToken();
    await this.subscriptions.create({
      email: request.email,
      watches,
      types: request.types,
      confirmTokenHash: confirm.hash,
      confirmExpiresAt: new Date(Date.now() + CONFIRMATION_VALID_MS),
      unsubscribeTokenHash: unsubscribe.hash,
      unsubscribeTokenBox: this.box.seal(unsubscribe.token),
    });
    if ((await this.subscriptions.confirmationMailsToday(request.email)) >= CONFIRMATION_MAILS_PER_DAY) {
      this.logger.info('confirmation mail withheld: daily limit for this address reached');
      return;
    }
    await this.subscriptions.logConfirmationMail(request.email);
    // Not awaited: the answer must not depend on the mail server, nor reveal anything by its timing.
    this.mailer
      .send(request.email, confirm.token, request.watch, request.types)
      .catch((error: Error) => this.logger.warn({ err: error.message }, 'confirmation mail not sent'));
  }

  /** Names become keys (matched now or when the name first appears); ids must name a known subject. */
  private async watches(watch: { persons: string[]; organizations: string[] }): Promise<Watch[]> {
    const errors: FieldError[] = [];
    const entries = [
      ...watch.persons.map((label, i) => ({ subject: 'person' as Subject, label, path: `watch.persons[${i}]` })),
      ...watch.organizations.map((label, i) => ({ subject: 'organization' as Subject, label, path: `watch.organizations[${i}]` })),
    ];
    if (!entries.length) errors.push({ path: 'watch', message: 'watch at least one person or organization' });
    const watches: Watch[] = [];
    for (const { subject, label, path } of entries) {
      if (isUUID(label)) {
        if (await this.nameKeys.knows(subject, label)) watches.push({ subject, subjectId: label, label });
        else errors.push({ path, message: `no ${subject} has this id` });
      } else if (isBlankName(label)) {
        errors.push({ path, message: 'has no letters or digits' });
      } else {
        watches.push({ subject, key: nameKey(label), label });
      }
    }
    if (errors.length) throw new RequestValidationError(errors);
    return watches;
  }
}
