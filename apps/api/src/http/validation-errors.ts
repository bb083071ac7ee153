import type { ValidationError } from 'class-validator';

export interface FieldError {
  path: string;
  message: string;
}

function join(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

/** Flattens class-validator's tree into `persons[0].name`-style paths, one entry per broken rule. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const path = join(parent, error.property);
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      path,
      // class-validator starts messages with the property name; the path already says which field it is.
      message: message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message,
    }));
    return [...own, ...flattenValidationErrors(error.children ?? [], path)];
  });
}
