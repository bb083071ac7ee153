import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import type { Watch } from '@vigil/alerts';
import { isBlankName, nameKey, type Subject } from '@vigil/domain';
import { RequestValidationError } from '../http/request-validation.error';
import type { FieldError } from '../http/validation-errors';
import { SubjectNameKeys } from '../intake/subject-name-keys';

/**
 * A watch list as subscribers write it, for mail and webhook alike: names become keys (matched now or
 * when the name first appears, in any spelling with that key), ids must name a known subject.
 */
@Injectable()
export class WatchListResolver {
  constructor(private readonly nameKeys: SubjectNameKeys) {}

  async resolve(watch: { persons: string[]; organizations: string[] }): Promise<Watch[]> {
    const errors: FieldError[] = [];
    const entries = [
      ...watch.persons.map((label, i) => ({ subject: 'person' as Subject, label, path: `watch.persons[${i}]` })),
      ...watch.organizations.map((label, i) => ({
        subject: 'organization' as Subject,
        label,
        path: `watch.organizations[${i}]`,
      })),
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
