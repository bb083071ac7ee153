import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { InvalidPartialDateError, isBlankName, parsePartialDate, type PartialDate } from '@vigil/domain';
import { RequestValidationError } from '../http/request-validation.error';
import { flattenValidationErrors, type FieldError } from '../http/validation-errors';
import { DETAILS_BY_TYPE } from './incident-details.dto';
import type { IncidentReportDto } from './incident-report.dto';

/** What a report's text becomes once its rules are checked: the date in both calendars, the details of its type. */
export interface ParsedReport {
  occurredOn: PartialDate;
  details: Record<string, unknown>;
}

/**
 * Checks the rules the ValidationPipe cannot see and parses what they cover: the date against its
 * calendar (2021-02-30 does not exist), the details against the rules of the report's type, at least one
 * person or organisation, names with something to match on. Throws RequestValidationError (400) listing
 * every field at fault, before anything is read or written.
 */
export function parseIncidentReport(report: IncidentReportDto): ParsedReport {
  const errors: FieldError[] = [];
  if (report.persons.length === 0 && report.organizations.length === 0) {
    errors.push({ path: 'persons', message: 'name at least one person or organization' });
  }

  // A name of nothing but marks or joiners passes the DTO's "not blank" but normalises to no key at all.
  const named = [
    ...report.persons.map((person, i) => ({ ...person, path: `persons[${i}]` })),
    ...report.organizations.map((organization, i) => ({ ...organization, path: `organizations[${i}]` })),
  ];
  for (const { name, aliases = [], path } of named) {
    if (name !== undefined && isBlankName(name))
      errors.push({ path: `${path}.name`, message: 'has no letters or digits' });
    aliases.forEach((alias, j) => {
      if (isBlankName(alias)) errors.push({ path: `${path}.aliases[${j}]`, message: 'has no letters or digits' });
    });
  }

  let occurredOn: PartialDate | undefined;
  try {
    occurredOn = parsePartialDate(report.occurredOn, report.calendar ?? 'gregorian');
  } catch (error) {
    if (!(error instanceof InvalidPartialDateError)) throw error;
    errors.push({ path: 'occurredOn', message: error.message });
  }

  const details = plainToInstance(DETAILS_BY_TYPE[report.type], report.details);
  const detailErrors = validateSync(details, { whitelist: true, forbidNonWhitelisted: true });
  errors.push(...flattenValidationErrors(detailErrors, 'details'));

  if (errors.length) throw new RequestValidationError(errors);
  return { occurredOn: occurredOn!, details: { ...details } };
}
