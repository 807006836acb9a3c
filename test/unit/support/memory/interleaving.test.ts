import { Interleaving } from '../../../support/memory/interleaving';

describe('interleaving holds', () => {
  test('a held write waits until released; other writes and subjects pass', async () => {
    const interleaving = new Interleaving();
    const hold = interleaving.hold('addDevice', (subject) => subject === 'held');
    const order: string[] = [];
    const held = interleaving.pass('addDevice', 'held').then(() => order.push('held'));
    await interleaving.pass('addDevice', 'free').then(() => order.push('free'));
    await interleaving.pass('revokeDevices', 'held').then(() => order.push('other'));
    await hold.reached();
    expect(order).toEqual(['free', 'other']);
    hold.release();
    await held;
    await interleaving.pass('addDevice', 'held');
    expect(order).toEqual(['free', 'other', 'held']);
  });

  test('reached(n) resolves once n writes wait', async () => {
    const interleaving = new Interleaving();
    const hold = interleaving.hold('createInvitation');
    let reached = false;
    const waiting = hold.reached(2).then(() => (reached = true));
    const first = interleaving.pass('createInvitation', 'a');
    await Promise.resolve();
    await Promise.resolve();
    expect(reached).toBe(false);
    const second = interleaving.pass('createInvitation', 'b');
    await waiting;
    hold.release();
    await Promise.all([first, second]);
    expect(reached).toBe(true);
  });
});
