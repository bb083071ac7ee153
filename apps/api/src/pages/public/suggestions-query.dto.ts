import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { Optional } from '../../http/optional';

export class SuggestionsQueryDto {
  @IsIn(['person', 'organization'])
  kind: 'person' | 'organization';

  @IsString()
  @MinLength(1)
  @MaxLength(100)
  q: string;

  @Optional()
  @IsString()
  @MaxLength(10)
  lang?: string;
}
