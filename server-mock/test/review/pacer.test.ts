import { Pacer, yieldToEventLoop } from '../../src/review/pacer';

/**
 * The review's pacer: a yield lets the event loop run (what a request
 * arriving during a long review waits for), and a pacer yields once its
 * budget of values scanned is spent, not before.
 */

/** Whether a callback queued on the event loop now has run once `step` resolves. */
async function eventLoopRanDuring(step: () => Promise<void>): Promise<boolean> {
  let ran = false;
  setImmediate(() => {
    ran = true;
  });
  await step();
  return ran;
}

describe('yieldToEventLoop', () => {
  it('lets a callback queued before it run before the yield completes', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('queued'));
    await yieldToEventLoop();
    order.push('after the yield');
    expect(order).toEqual(['queued', 'after the yield']);
  });

  it('is more than a microtask: awaiting a resolved promise does not let the loop run', async () => {
    expect(await eventLoopRanDuring(() => Promise.resolve())).toBe(false);
    expect(await eventLoopRanDuring(yieldToEventLoop)).toBe(true);
  });
});

describe('Pacer', () => {
  it('is due once its budget of values is spent, and counts again from zero after a pause', async () => {
    const pacer = new Pacer(3);
    expect(pacer.due(2)).toBe(false);
    expect(pacer.due()).toBe(true);
    await pacer.pause();
    expect(pacer.due()).toBe(false);
    expect(pacer.due(2)).toBe(true);
  });

  it('tick yields to the event loop only when the budget is spent', async () => {
    const pacer = new Pacer(3);
    expect(await eventLoopRanDuring(() => pacer.tick())).toBe(false);
    expect(await eventLoopRanDuring(() => pacer.tick())).toBe(false);
    expect(await eventLoopRanDuring(() => pacer.tick())).toBe(true);
    // The count started over: the next yield is three values away.
    expect(await eventLoopRanDuring(() => pacer.tick(2))).toBe(false);
    expect(await eventLoopRanDuring(() => pacer.tick(1))).toBe(true);
  });

  it('counts a batch of values at once (rows ticked 5,000 at a time)', async () => {
    const pacer = new Pacer(20_000);
    for (let batch = 0; batch < 3; batch++) {
      expect(await eventLoopRanDuring(() => pacer.tick(5000))).toBe(false);
    }
    expect(await eventLoopRanDuring(() => pacer.tick(5000))).toBe(true);
  });

  it('pause always yields', async () => {
    expect(await eventLoopRanDuring(() => new Pacer().pause())).toBe(true);
  });
});
