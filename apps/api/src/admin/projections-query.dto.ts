import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { Optional } from '../http/optional';

export class ProjectionsQueryDto {
  /** A log position an answer gave: each projection then says whether it has `passed` the append that wrote it. */
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: Number.MAX_SAFE_INTEGER,
    description:
      "a `Vigil-Log-Position`, or an intake answer's `position`: each projection then says whether it has `passed` the append that wrote it",
  })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  position?: number;
}
