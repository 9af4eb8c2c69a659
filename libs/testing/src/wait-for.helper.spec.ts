import { StackError, StackErrorCode } from './stack/stack.errors';
import { waitFor } from './wait-for.helper';

describe('waitFor', () => {
  it('resolves as soon as the condition holds', async () => {
    let calls = 0;
    await waitFor(() => ++calls >= 3, { timeoutMs: 1_000, intervalMs: 1, description: 'three calls' });
    expect(calls).toBe(3);
  });

  it('accepts async conditions', async () => {
    await expect(
      waitFor(async () => true, { timeoutMs: 100, description: 'an async condition' }),
    ).resolves.toBeUndefined();
  });

  it('times out with a typed error that says what was awaited', async () => {
    const error = await waitFor(() => false, {
      timeoutMs: 30,
      intervalMs: 5,
      description: 'the moon to turn blue',
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StackError);
    expect((error as StackError).code).toBe(StackErrorCode.Timeout);
    expect((error as StackError).message).toMatch(/timed out after \d+ ms .*waiting for the moon to turn blue/);
  });

  it('stops at once when the condition throws', async () => {
    let calls = 0;
    const failing = () => {
      calls += 1;
      throw new Error('process exited');
    };
    await expect(waitFor(failing, { timeoutMs: 1_000, description: 'x' })).rejects.toThrow('process exited');
    expect(calls).toBe(1);
  });
});
