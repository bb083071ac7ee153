import { Optional } from '../http/optional';
import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsIn,
  IsObject,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { INCIDENT_TYPE_NAMES, type IncidentTypeName } from '@vigil/domain';
import { IsAbsentWith } from './is-absent-with.validator';

/** The limits of a report (docs/api.md, "Limits"). */
export const MAX_PERSONS = 50;
export const MAX_ORGANIZATIONS = 20;
export const MAX_NAME_LENGTH = 200;
export const MAX_ALIASES = 20;

/** A display name: 1 to 200 characters, not blank. `each` applies the rules to every array entry. */
function IsName(each = false): PropertyDecorator {
  return applyDecorators(
    IsString({ each }),
    MinLength(1, { each }),
    MaxLength(MAX_NAME_LENGTH, { each }),
    Matches(/\S/, { each, message: 'must not be blank' }),
  );
}

export class MembershipDto {
  /** The organisation's name (or alias), or its id. */
  @IsName()
  organization: string;

  @Optional()
  @IsString()
  @MaxLength(MAX_NAME_LENGTH)
  role?: string;
}

export class OrganizationRefDto {
  @ValidateIf((o: OrganizationRefDto) => o.name === undefined || o.id !== undefined)
  @IsUUID('all')
  @IsAbsentWith('name')
  id?: string;

  @ValidateIf((o: OrganizationRefDto) => o.id === undefined)
  @IsName()
  name?: string;

  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_ALIASES)
  @IsName(true)
  aliases?: string[];
}

export class PersonRefDto extends OrganizationRefDto {
  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_ORGANIZATIONS)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => MembershipDto)
  memberOf?: MembershipDto[];
}

export class SourceDto {
  @IsName()
  name: string;

  @Optional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true })
  @MaxLength(2048)
  url?: string;

  @IsIn(['confirmed', 'unconfirmed'])
  status: 'confirmed' | 'unconfirmed';
}

/**
 * The incident body of docs/api.md, shared by the partner webhook and the admin intake. The rules that
 * depend on `type` (details) and on the calendar (occurredOn) are checked after this, by parseIncidentReport.
 */
export class IncidentReportDto {
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  externalId?: string;

  @IsIn(INCIDENT_TYPE_NAMES)
  type: IncidentTypeName;

  @IsString()
  @Matches(/^(\d{4}(-\d{2}(-\d{2})?)?|--\d{2}-\d{2})$/, { message: 'must be YYYY, YYYY-MM, YYYY-MM-DD or --MM-DD' })
  occurredOn: string;

  @Optional()
  @IsIn(['gregorian', 'jalali'])
  calendar?: 'gregorian' | 'jalali';

  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_PERSONS)
  // ValidateNested lets an array through where an object belongs ([[]]): each entry must be an object.
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => PersonRefDto)
  persons: PersonRefDto[] = [];

  @Optional()
  @IsArray()
  @ArrayMaxSize(MAX_ORGANIZATIONS)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => OrganizationRefDto)
  organizations: OrganizationRefDto[] = [];

  @Optional()
  @IsString()
  @MaxLength(MAX_NAME_LENGTH)
  location?: string;

  /** Checked against the rules of `type` by parseIncidentReport; an arrest or a release may omit it. */
  @Optional()
  @IsObject()
  details: Record<string, unknown> = {};

  @Optional()
  @IsString()
  @MaxLength(4000)
  summary?: string;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => SourceDto)
  source: SourceDto;
}
