import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** The contract's list parameters: `limit` (default 50, at most 500) and an opaque `cursor`. */
export class ListQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 50;

  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}
