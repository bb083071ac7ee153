import { Optional } from '../http/optional';
import { Type } from 'class-transformer';
import { Equals, IsIn, IsString, IsUrl, IsUUID, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { IsAbsentWith } from './is-absent-with.validator';

export class ConfirmationSourceDto {
  @IsString() @MinLength(1) @MaxLength(200) name: string;
  @Optional() @IsUrl({ protocols: ['http', 'https'], require_protocol: true }) @MaxLength(2048) url?: string;
}

export class ConfirmIncidentDto {
  /** Who vouches for the incident now, if not the admin alone. */
  @Optional()
  @ValidateNested()
  @Type(() => ConfirmationSourceDto)
  source?: ConfirmationSourceDto;
}

export class RetractIncidentDto {
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  @Matches(/\S/, { message: 'must not be blank' })
  reason: string;
}

/** The fields a conflict can be about (ConflictField in libs/domain). */
const CONFLICT_FIELDS = ['occurredOn'] as const;

/** Settles a conflict: `value` stands, or `separate: true` (the disputing report was another event). */
export class ResolveConflictDto {
  @IsIn(CONFLICT_FIELDS) field: 'occurredOn';
  /** A date as a report gives it (YYYY, YYYY-MM, YYYY-MM-DD or --MM-DD). */
  @Optional() @IsString() @MaxLength(32) @IsAbsentWith('separate') value?: string;
  @Optional() @Equals(true, { message: 'must be true when given' }) separate?: true;
  @Optional() @IsString() @MaxLength(2000) note?: string;
}

/** Merges the incident into `into`: they were one event. */
export class MergeIncidentDto {
  @IsUUID('all') into: string;
  @Optional() @IsString() @MaxLength(2000) note?: string;
}
