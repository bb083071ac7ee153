import { Optional } from '../http/optional';
import { ArrayMaxSize, IsArray, IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { HARASSMENT_KINDS, RULING_OUTCOMES, type IncidentTypeName, type RulingDetails } from '@vigil/domain';

const TEXT = 500;

export class ArrestDetailsDto {
  @Optional() @IsString() @MaxLength(TEXT) authority?: string;
  @Optional() @IsString() @MaxLength(TEXT) facility?: string;
}

export class ReleaseDetailsDto {
  @Optional() @IsString() @MaxLength(TEXT) conditions?: string;
}

export class RulingDetailsDto {
  @IsString() @MinLength(1) @MaxLength(TEXT) court: string;
  @Optional() @IsString() @MaxLength(TEXT) branch?: string;
  @Optional() @IsString() @MaxLength(TEXT) judge?: string;
  @IsIn(RULING_OUTCOMES) outcome: RulingDetails['outcome'];
  @Optional() @IsString() @MaxLength(TEXT) sentence?: string;
}

export class ExecutionDetailsDto {
  @IsString() @MinLength(1) @MaxLength(TEXT) facility: string;
  @Optional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(TEXT, { each: true })
  charges?: string[];
}

export class HarassmentDetailsDto {
  @IsIn(HARASSMENT_KINDS)
  kind: (typeof HARASSMENT_KINDS)[number];
}

/** The details each incident type takes (docs/api.md, "Details by type"). */
export const DETAILS_BY_TYPE: Record<IncidentTypeName, new () => object> = {
  arrest: ArrestDetailsDto,
  release: ReleaseDetailsDto,
  ruling: RulingDetailsDto,
  execution: ExecutionDetailsDto,
  harassment: HarassmentDetailsDto,
};
