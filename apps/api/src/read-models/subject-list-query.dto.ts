import { IsString, MaxLength, MinLength } from 'class-validator';
import { ListQueryDto } from '../http/list-query.dto';
import { Optional } from '../http/optional';

export class SubjectListQueryDto extends ListQueryDto {
  /** Any name or alias, or the start of one. */
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  q?: string;
}
