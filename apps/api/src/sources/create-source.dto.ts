import { Transform } from 'class-transformer';
import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import {
  DEFAULT_SOURCE_KIND,
  SOURCE_KIND_NAMES,
  SOURCE_RELIABILITIES,
  type SourceKind,
  type SourceReliability,
} from '@vigil/domain';
import { Optional } from '../http/optional';

export class CreateSourceDto {
  /** The partner's name as admins know it; surrounding spaces are dropped. */
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  /** What kind of voice it is (the domain's SOURCE_KINDS); `hr_ngo` when absent. */
  @Optional()
  @IsIn(SOURCE_KIND_NAMES)
  kind: SourceKind = DEFAULT_SOURCE_KIND;

  /** The admiralty grade A…F, upper case; absent: not graded. */
  @Optional()
  @IsIn(SOURCE_RELIABILITIES)
  reliability?: SourceReliability;
}
