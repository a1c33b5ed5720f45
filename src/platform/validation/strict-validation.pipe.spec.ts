import { BadRequestException, type ArgumentMetadata } from '@nestjs/common';
import { GetCandlesQuery } from '../../candles';
import { CorrelationMatrixQuery } from '../../correlation';
import { NoQuery } from './no-query';
import { StrictValidationPipe } from './strict-validation.pipe';

const query = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({
  type: 'query',
  metatype,
});

/** The 400's messages, or a failure when the pipe let the value through. */
async function refusal(value: unknown, metatype: ArgumentMetadata['metatype']): Promise<string[]> {
  try {
    await new StrictValidationPipe().transform(value, query(metatype));
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return ([] as string[]).concat(
      ((error as BadRequestException).getResponse() as { message: string | string[] }).message,
    );
  }
  throw new Error('the pipe accepted the value');
}

describe(StrictValidationPipe.name, () => {
  it('should convert plain-digit integers and keep valid strings', async () => {
    const out = await new StrictValidationPipe().transform(
      { limit: '25', from: '2026-03-04T10:00:00Z', format: 'csv' },
      query(GetCandlesQuery),
    );
    expect(out).toEqual(
      Object.assign(new GetCandlesQuery(), {
        limit: 25,
        from: '2026-03-04T10:00:00Z',
        format: 'csv',
      }),
    );
  });

  it('should give one message per field, not one per failed rule', async () => {
    expect(await refusal({ limit: 'abc' }, GetCandlesQuery)).toEqual([
      'limit must be an integer from 1 to 5000 in plain digits, got "abc"',
    ]);
  });

  it('should refuse an impossible date naming the field', async () => {
    expect(await refusal({ date: '2026-02-30' }, CorrelationMatrixQuery)).toEqual([
      'date is not a valid calendar date: day 30 does not exist in 2026-02 (28 days)',
    ]);
  });

  it('should refuse a repeated parameter before it reaches the DTO', async () => {
    expect(await refusal({ limit: ['1', '2'] }, GetCandlesQuery)).toEqual([
      'limit must be given once',
    ]);
  });

  it('should refuse any parameter on a route that takes none, quoting a bounded name', async () => {
    expect(await refusal({ colour: 'red' }, NoQuery)).toEqual(['property colour should not exist']);
    const [message] = await refusal({ ['n'.repeat(10_000)]: '1' }, NoQuery);
    expect(message).toBe(`property ${'n'.repeat(64)}… should not exist`);
  });

  it('should let a route without parameters through with none', async () => {
    await expect(new StrictValidationPipe().transform({}, query(NoQuery))).resolves.toEqual(
      new NoQuery(),
    );
  });
});
