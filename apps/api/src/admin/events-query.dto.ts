import { Optional } from '../http/optional';
import { Type } from 'class-transformer';
import { IsInt, Min } from 'class-validator';
import { ListQueryDto } from '../http/list-query.dto';

export class EventsQueryDto extends ListQueryDto {
  /** Only events after this log position. */
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after?: number;
}
