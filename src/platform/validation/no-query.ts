/**
 * The query DTO of a route that takes no query parameters: with the global
 * `StrictValidationPipe` any parameter sent to it is refused by name instead
 * of being silently ignored.
 */
export class NoQuery {}
