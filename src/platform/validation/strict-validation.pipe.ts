import {
  type ArgumentMetadata,
  BadRequestException,
  ValidationPipe,
  type ValidationError,
} from '@nestjs/common';
import { bounded } from './input-rules';

/**
 * The global pipe: class-validator DTOs with the one input rule.
 * - Unknown query parameters and body fields are refused, named (every route
 *   has a query DTO, `NoQuery` when it takes none, so this holds everywhere).
 * - A repeated query parameter (`?limit=1&limit=2`) is refused instead of
 *   reaching a DTO as an array.
 * - One message per field (the first failed rule), never the same twice.
 * - A field name from the client is quoted at most `MAX_ECHO_CHARS` long.
 */
export class StrictValidationPipe extends ValidationPipe {
  constructor() {
    super({
      transform: true,
      whitelist: true,
      forbidNonWhitelisted: true,
      // Every parameter has a DTO class; an empty one (`NoQuery`) must still reach the whitelist.
      forbidUnknownValues: false,
      stopAtFirstError: true,
      transformOptions: { enableImplicitConversion: false },
      exceptionFactory: (errors) => new BadRequestException(validationMessages(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'query' && value !== null && typeof value === 'object') {
      const repeated = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => typeof v !== 'string')
        .map(([key]) => `${bounded(key)} must be given once`);
      if (repeated.length > 0) throw new BadRequestException(repeated);
    }
    return super.transform(value, metadata);
  }
}

/** Flat "<path> <reason>" messages, unique, with client-chosen names bounded. */
export function validationMessages(errors: readonly ValidationError[], parent = ''): string[] {
  const messages: string[] = [];
  for (const error of errors) {
    const path = bounded(parent ? `${parent}.${error.property}` : error.property);
    for (const [rule, text] of Object.entries(error.constraints ?? {})) {
      // class-validator writes the whole (client-chosen) name into this one.
      messages.push(rule === 'whitelistValidation' ? `property ${path} should not exist` : text);
    }
    if (error.children?.length) messages.push(...validationMessages(error.children, path));
  }
  return [...new Set(messages)];
}
