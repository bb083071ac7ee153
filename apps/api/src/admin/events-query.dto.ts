import { Optional } from '../http/optional';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { ListQueryDto } from '../http/list-query.dto';

export class EventsQueryDto extends ListQueryDto {
  /** Start with the events above this log position (instead of a cursor). */
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  after?: number;
}
