import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsIn,
  IsObject,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { Optional } from '../http/optional';
import {
  INCIDENT_TYPE_NAMES,
  VERIFICATION_THRESHOLDS,
  type IncidentTypeName,
  type VerificationThreshold,
} from '@vigil/domain';

export const MAX_WATCH_ENTRIES = 50;

/** A watch list entry: a name (any spelling or alias, known or not yet) or an id. */
const WatchEntries = (): PropertyDecorator =>
  applyDecorators(
    Optional(),
    IsArray(),
    ArrayMaxSize(MAX_WATCH_ENTRIES),
    IsString({ each: true }),
    MinLength(1, { each: true }),
    MaxLength(200, { each: true }),
    Matches(/\S/, { each: true, message: 'must not be blank' }),
  );

export class WatchDto {
  @WatchEntries()
  persons: string[] = [];

  @WatchEntries()
  organizations: string[] = [];
}

/** What every subscription, by mail or by webhook, says it watches and for which incident types. */
export class WatchRequestDto {
  @IsObject()
  @ValidateNested()
  @Type(() => WatchDto)
  watch: WatchDto;

  /** Only these incident types; all when absent. */
  @Optional()
  @IsArray()
  @ArrayMaxSize(INCIDENT_TYPE_NAMES.length)
  @IsIn(INCIDENT_TYPE_NAMES, { each: true })
  types?: IncidentTypeName[];

  /** How established an incident must be before the first alert about it (`reported` when absent). */
  @Optional()
  @IsIn(VERIFICATION_THRESHOLDS)
  minVerification?: VerificationThreshold;
}

export class SubscribeDto extends WatchRequestDto {
  @IsEmail({ allow_display_name: false, require_tld: false })
  @MaxLength(254)
  email: string;
}

export class TokenDto {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  token: string;
}
