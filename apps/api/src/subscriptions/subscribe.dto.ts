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
import { INCIDENT_TYPES, type IncidentTypeName } from '../intake/incident-report.dto';

export const MAX_WATCH_ENTRIES = 50;

export class WatchDto {
  /** Names (any spelling or alias, known or not yet) or ids of persons. */
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_WATCH_ENTRIES)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(200, { each: true })
  @Matches(/\S/, { each: true, message: 'must not be blank' })
  persons: string[] = [];

  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_WATCH_ENTRIES)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(200, { each: true })
  @Matches(/\S/, { each: true, message: 'must not be blank' })
  organizations: string[] = [];
}

export class SubscribeDto {
  @IsEmail({ allow_display_name: false, require_tld: false })
  @MaxLength(254)
  email: string;

  @IsObject()
  @ValidateNested()
  @Type(() => WatchDto)
  watch: WatchDto;

  /** Only these incident types; all when absent. */
  @Optional()
  @IsArray()
  @ArrayMaxSize(INCIDENT_TYPES.length)
  @IsIn(INCIDENT_TYPES, { each: true })
  types?: IncidentTypeName[];
}

export class TokenDto {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  token: string;
}
