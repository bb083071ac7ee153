import { Optional } from './optional';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, MaxLength, Min } from 'class-validator';

/**
 * The contract's list parameters: `limit` (default 50, at most 500) and an opaque `cursor` (ListCursor).
 * A cursor may carry a name of 200 characters of any script, so its base64 runs to about a kilobyte.
 */
export class ListQueryDto {
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 50;

  @Optional()
  @IsString()
  @MaxLength(2048)
  cursor?: string;
}
