import { StaleState } from '../../../../lambdas/ports';
import { optimistic } from '../../../../lambdas/usecases/optimistic';

describe('optimistic writes', () => {
  beforeEach(() => jest.spyOn(Math, 'random').mockReturnValue(0));
  afterEach(() => jest.restoreAllMocks());

  test('a write that keeps meeting changed state is retried, then refused as a conflict to retry', async () => {
    let attempts = 0;
    const always = optimistic(() => {
      attempts++;
      return Promise.reject(new StaleState('test'));
    });
    await expect(always).rejects.toMatchObject({ status: 409, code: 'concurrent_update' });
    expect(attempts).toBe(30);
  });

  test('a stale write is planned again until it lands; any other error is passed on at once', async () => {
    let attempts = 0;
    await expect(
      optimistic(() => (++attempts < 3 ? Promise.reject(new StaleState('test')) : Promise.resolve('landed'))),
    ).resolves.toBe('landed');
    expect(attempts).toBe(3);
    let failures = 0;
    await expect(
      optimistic(() => {
        failures++;
        return Promise.reject(new Error('broken'));
      }),
    ).rejects.toThrow('broken');
    expect(failures).toBe(1);
  });
});
