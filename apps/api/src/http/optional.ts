import { ValidateIf } from 'class-validator';

/**
 * Like class-validator's IsOptional, but only an absent field is optional: `null` is checked against
 * the field's rules (and refused), so no handler ever meets a null it did not expect.
 */
export const Optional = (): PropertyDecorator => ValidateIf((_, value) => value !== undefined);
