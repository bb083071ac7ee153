import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';

/** The property may not be given together with `other`: a person is named by id or by name, not both. */
export function IsAbsentWith(other: string, options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isAbsentWith',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [other],
      options: { message: `give either ${String(propertyName)} or ${other}, not both`, ...options },
      validator: {
        validate: (value: unknown, args: ValidationArguments) =>
          value === undefined || (args.object as Record<string, unknown>)[other] === undefined,
      },
    });
}
