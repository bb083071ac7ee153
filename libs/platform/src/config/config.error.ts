/** A missing or malformed configuration value; the message is the one line an operator needs. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
