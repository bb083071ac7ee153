import { IsString, MaxLength, MinLength } from 'class-validator';
import { ListQueryDto } from '../http/list-query.dto';
import { Optional } from '../http/optional';

export class SubjectListQueryDto extends ListQueryDto {
  /** The beginning of any name, alias or word of one, in any script. */
  @Optional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  q?: string;
}
