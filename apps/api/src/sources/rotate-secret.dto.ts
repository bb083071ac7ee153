import { IsBoolean } from 'class-validator';
import { Optional } from '../http/optional';

/** The body of a rotation; no body at all is a rotation that keeps the old secret for 24 hours. */
export class RotateSecretDto {
  /** The old secret leaked: it (and any older one still in its 24 hours) stops verifying at once. */
  @Optional()
  @IsBoolean()
  revokeOldNow?: boolean;
}
